"""Oversized pages (issue 10 item 15): extraction cost and a real crawl under a time limit.

    .venv/bin/python bench/bigpages.py [--kb 4800] [--pages 6] [--limit 15]

1. In-process, same page, same run: ``extract()`` on the whole page (the old
   behaviour) vs. on what the spider hands it (``spider._trim_html``: scripts
   and styles out, at most ``MAX_EXTRACT_CHARS`` characters); ratio = old/new.
2. A real ``pantau crawl`` (PANTAU_CRAWL_TIMEOUT=--limit) over one feed of
   ``--pages`` pages of ``--kb`` KB and one feed of 10 small pages on another
   server: wall time vs. the limit, and how many small pages were extracted.

Figures only: nothing is asserted (the tests assert the limit + a margin).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.extract import extract  # noqa: E402
from crawler.spider import MAX_EXTRACT_CHARS, _trim_html  # noqa: E402
from tests.fakes.news_server import NewsServer, big_page  # noqa: E402

PANTAU = Path(sys.executable).parent / "pantau"


def timed(fn, *args):
    t = time.perf_counter()
    out = fn(*args)
    return time.perf_counter() - t, out


def rss(items: list[str]) -> str:
    body = "".join(f"<item><title>Berita {i}</title><link>{u}</link><description>Ringkasan {i}.</description></item>"
                   for i, u in enumerate(items))
    return ('<?xml version="1.0"?><rss version="2.0"><channel><title>b</title><link>{{BASE}}/</link>'
            f"<description>b</description>{body}</channel></rss>")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--kb", type=int, default=4800)
    ap.add_argument("--pages", type=int, default=6)
    ap.add_argument("--limit", type=int, default=15)
    args = ap.parse_args()

    html = big_page(args.kb).decode()
    old, ext_old = timed(extract, html, "http://x.test/a")
    new, ext_new = timed(lambda: extract(_trim_html(html), "http://x.test/a"))
    print(f"page {len(html) / 1e6:.1f} MB: extract whole {old:.2f} s ({len(ext_old.text)} chars of text); "
          f"capped to {MAX_EXTRACT_CHARS} chars {new:.2f} s ({len(ext_new.text)} chars); ratio {old / new:.1f}x")

    small_page = ('<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>Kecil {i}</title></head><body>'
                  "<article><h1>Kecil {i}</h1>" + "<p>Isi berita kecil yang cukup panjang untuk diekstrak.</p>" * 8
                  + "</article></body></html>")
    with NewsServer() as big, NewsServer() as small, tempfile.TemporaryDirectory() as tmp:
        big.put("/b/rss.xml", rss([f"{big.url}/fault/big?kb={args.kb}&n={i}" for i in range(args.pages)]))
        for i in range(10):
            small.put(f"/s/{i}.html", small_page.format(i=i))
        small.put("/s/rss.xml", rss([f"{small.url}/s/{i}.html" for i in range(10)]))
        src = Path(tmp) / "sources.toml"
        src.write_text(f'[[source]]\nname = "besar"\nurl = "{big.url}/b/rss.xml"\n\n'
                       f'[[source]]\nname = "kecil"\nurl = "{small.url}/s/rss.xml"\n')
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PANTAU_", "TELEGRAM_"))}
        env.update(PANTAU_DB=str(Path(tmp) / "p.db"), PANTAU_SOURCES=str(src), PANTAU_POLITE="0",
                   PANTAU_CRAWL_TIMEOUT=str(args.limit), PANTAU_DOWNLOAD_TIMEOUT="5", PANTAU_LOG_LEVEL="WARNING")
        t = time.perf_counter()
        proc = subprocess.run([str(PANTAU), "crawl"], env=env, capture_output=True, text=True, cwd=tmp, timeout=600)
        wall = time.perf_counter() - t
        conn = sqlite3.connect(env["PANTAU_DB"])
        rows = conn.execute("SELECT source, extracted, COUNT(*) FROM articles GROUP BY source, extracted").fetchall()
        conn.close()
    print(f"crawl of {args.pages} x {args.kb} KB + 10 small pages, limit {args.limit} s: wall {wall:.1f} s "
          f"(limit + {wall - args.limit:.1f} s); {proc.stdout.strip()}")
    print("articles (source, extracted, n):", rows)


if __name__ == "__main__":
    main()
