"""Extraction quality and speed: our ``extract()`` vs. bare ``trafilatura.extract()``.

    .venv/bin/python bench/extract_eval.py [--pages DIR] [--repeat 3] [--crawl]

Reads saved real article pages (default ``../shared/pages-dev``: ``*.html``,
the expected body in ``_expected/<name>.expected.txt`` and the expected title
in ``MANIFEST.jsonl``) and prints, per page:

- token F1 of our text vs. the expected body, and of bare
  ``trafilatura.extract(html)`` on the same HTML (and the difference);
- whether our title is exactly the expected title;

then the means, the worst page difference, and the extraction speed ratio
ours/bare measured in the same run (each page extracted ``--repeat`` times by
each side, interleaved). With ``--crawl`` the pages are also served by the
local test news server behind an RSS feed and crawled with ``pantau crawl``;
the F1/title figures are then computed on the text and title *stored in the
database*, which is what users (and the acceptance run) see.

Tokens are lower-cased ``\\w+`` runs; F1 is computed on token multisets.
Figures only: nothing is asserted. The pages are third-party text and are
only read here, never copied.
"""

from __future__ import annotations

import argparse
import html as htmllib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import warnings
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_PAGES = ROOT.parent / "shared" / "pages-dev"
_TOKEN = re.compile(r"\w+", re.UNICODE)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall((text or "").lower())


def f1(got: str, expected: str) -> float:
    g, e = Counter(tokens(got)), Counter(tokens(expected))
    if not g and not e:
        return 1.0
    common = sum((g & e).values())
    if not common:
        return 0.0
    p, r = common / sum(g.values()), common / sum(e.values())
    return 2 * p * r / (p + r)


def load_pages(folder: Path) -> list[dict]:
    manifest = {}
    mf = folder / "MANIFEST.jsonl"
    if mf.exists():
        for line in mf.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                manifest[row["file"]] = row
    pages = []
    for path in sorted(folder.glob("*.html")):
        exp = folder / "_expected" / (path.stem + ".expected.txt")
        if not exp.exists():
            continue
        row = manifest.get(path.name, {})
        pages.append({"name": path.stem, "path": path, "raw": path.read_bytes(),
                      "expected": exp.read_text(encoding="utf-8"),
                      "title": row.get("expected_title"), "url": row.get("expected_url")})
    return pages


def bare(html: str) -> str:
    import trafilatura

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return trafilatura.extract(html) or ""


def ours(html: str, url: str):
    from crawler.extract import extract

    return extract(html, url)


def crawl_pages(pages: list[dict]) -> dict[str, dict]:
    """Serve the pages behind one RSS feed with the test news server, run ``pantau crawl``, read the DB."""
    from tests.fakes.news_server import NewsServer

    stored: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="pantau-extract-") as tmp_s:
        tmp = Path(tmp_s)
        site = tmp / "site"
        (site / "p").mkdir(parents=True)
        for p in pages:
            shutil.copyfile(p["path"], site / "p" / (p["name"] + ".html"))
        items = "".join(
            f"<item><title>{htmllib.escape(p['name'])}</title><link>{{{{BASE}}}}/p/{p['name']}.html</link>"
            f"<guid isPermaLink=\"false\">{p['name']}</guid></item>" for p in pages)
        (site / "rss.xml").write_text('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
                                      "<title>Halaman uji</title><link>{{BASE}}/</link><description>x</description>"
                                      + items + "</channel></rss>", encoding="utf-8")
        with NewsServer(root=site) as srv:
            (tmp / "sources.toml").write_text(f'[[source]]\nname = "uji"\nurl = "{srv.url}/rss.xml"\n')
            env = {k: v for k, v in os.environ.items() if not k.startswith(("PANTAU_", "TELEGRAM_"))}
            env.update(PANTAU_DB=str(tmp / "t.db"), PANTAU_SOURCES=str(tmp / "sources.toml"), PANTAU_POLITE="0",
                       PANTAU_LOG_LEVEL="WARNING")
            proc = subprocess.run([str(Path(sys.executable).parent / "pantau"), "crawl"], env=env,
                                  capture_output=True, text=True, cwd=tmp)
            if proc.returncode != 0:
                print(proc.stdout, proc.stderr[-2000:], file=sys.stderr)
                raise SystemExit(f"`pantau crawl` failed (exit {proc.returncode}); no crawl figures")
        db = sqlite3.connect(tmp / "t.db")
        for guid, title, text in db.execute("SELECT guid, title, text FROM articles"):
            stored[(guid or "").rsplit(":", 1)[-1]] = {"title": title, "text": text or ""}
        db.close()
    return stored


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=Path, default=DEFAULT_PAGES)
    ap.add_argument("--repeat", type=int, default=3, help="timing repetitions per page and side")
    ap.add_argument("--crawl", action="store_true", help="also measure the text stored by `pantau crawl`")
    ap.add_argument("-v", "--verbose", action="store_true", help="print wrong titles")
    args = ap.parse_args(argv)
    from crawler.extract import decode_html

    pages = load_pages(args.pages)
    if not pages:
        print(f"no pages with expected text in {args.pages}", file=sys.stderr)
        return 1
    stored = crawl_pages(pages) if args.crawl else {}
    t_ours = t_bare = 0.0
    rows = []
    warm = decode_html(pages[0]["raw"], None)  # one-time imports and stoplist loading, for both sides
    ours(warm, "http://pages.test/warm.html")
    bare(warm)
    for p in pages:
        html = decode_html(p["raw"], None)
        url = p["url"] or f"http://pages.test/{p['name']}.html"
        got = bare_text = None
        for _ in range(args.repeat):  # interleaved so both sides see the same machine load
            t = time.perf_counter()
            got = ours(html, url)
            t_ours += time.perf_counter() - t
            t = time.perf_counter()
            bare_text = bare(html)
            t_bare += time.perf_counter() - t
        row = {"name": p["name"], "f1": f1(got.text, p["expected"]), "bare": f1(bare_text, p["expected"]),
               "title_ok": p["title"] is not None and got.title == p["title"], "title": got.title,
               "want": p["title"]}
        if args.crawl:
            s = stored.get(p["name"], {"title": "", "text": ""})
            row["crawl_f1"] = f1(s["text"], p["expected"])
            row["crawl_title_ok"] = s["title"] == p["title"]
            row["crawl_title"] = s["title"]
        rows.append(row)

    head = f"{'page':40s} {'ours':>6s} {'bare':>6s} {'diff':>6s} title"
    if args.crawl:
        head += "  crawl-F1 crawl-title"
    print(head)
    for r in rows:
        line = f"{r['name'][:40]:40s} {r['f1']:6.3f} {r['bare']:6.3f} {r['f1'] - r['bare']:+6.3f} " \
               f"{'yes' if r['title_ok'] else 'NO '}"
        if args.crawl:
            line += f"  {r['crawl_f1']:8.3f} {'yes' if r['crawl_title_ok'] else 'NO'}"
        print(line)
        if args.verbose and not r["title_ok"]:
            print(f"    title got {r['title']!r} want {r['want']!r}")
        if args.verbose and args.crawl and not r["crawl_title_ok"]:
            print(f"    stored title {r['crawl_title']!r}")
    n = len(rows)
    mean = sum(r["f1"] for r in rows) / n
    mean_bare = sum(r["bare"] for r in rows) / n
    worst = min(rows, key=lambda r: r["f1"] - r["bare"])
    print(f"\npages: {n}")
    print(f"mean F1 ours {mean:.3f}  bare trafilatura {mean_bare:.3f}  (target ours >= 0.95)")
    print(f"worst ours-bare: {worst['f1'] - worst['bare']:+.3f} on {worst['name']} (target >= -0.02)")
    print(f"titles exact: {sum(r['title_ok'] for r in rows)}/{n} "
          f"({100 * sum(r['title_ok'] for r in rows) / n:.0f}%, target >= 95%)")
    if args.crawl:
        cmean = sum(r["crawl_f1"] for r in rows) / n
        cworst = min(rows, key=lambda r: r["crawl_f1"] - r["bare"])
        print(f"through `pantau crawl`: mean F1 {cmean:.3f}, worst stored-bare "
              f"{cworst['crawl_f1'] - cworst['bare']:+.3f} on {cworst['name']}, titles exact "
              f"{sum(r['crawl_title_ok'] for r in rows)}/{n}")
    print(f"speed: ours {1000 * t_ours / (n * args.repeat):.1f} ms/page, bare {1000 * t_bare / (n * args.repeat):.1f} "
          f"ms/page, ratio ours/bare {t_ours / t_bare:.2f} (target <= 1.5)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
