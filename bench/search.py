"""/cari at scale: ``crawler.search.search`` vs. a bare FTS5 query of the same words.

    .venv/bin/python bench/search.py [--sizes 10000 100000 1000000] [--reps 5] [--bot]

For each archive size (built once by bench/archive.py through the project's
own store and cached under bench/out/; 1 % flagged) it runs 20 typical
queries — very common words, topic words, company names both frequent and
rare, multi-word queries, one with no hit — ``--reps`` times each and reports:

- ``search()``: what /cari runs (capped count + one page of 5 hits, decoded);
- bare: ``SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH ?``
  — the same FTS5 query string over the whole archive's index, nothing else;
- p50/p95 of both, and per query the ratio search/bare (target: p95 < 50 ms
  at 1M, never more than 3x bare). Both sides are timed in the same process,
  interleaved, after one warm-up run each.

``--bot`` also times the real bot (python-telegram-bot against the fake Bot
API, tests/fakes/telegram_api.py) answering /cari vs /bantuan on the
100,000-article archive (or the smallest size given that is at least that).
Figures only: nothing is asserted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.archive import archive  # noqa: E402
from crawler.search import fts_query, search  # noqa: E402
from crawler.store import Store  # noqa: E402

QUERIES = [
    # very common words (in most articles of the archive)
    "yang", "dan", "di", "perusahaan", "karyawan",
    # topic words and phrases
    "PHK", "AI", "kecerdasan buatan", "pemutusan hubungan kerja", "otomatisasi", "layanan pelanggan",
    "Jakarta", "PHK AI karyawan",
    # frequent companies in flagged articles
    "Amazon", "GoTo", "Tokopedia PHK",
    # rare companies / rare words
    "Fiverr", "Klarna", "eFishery restrukturisasi",
    # no hit at all
    "zzyzx",
]


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    k = min(len(values) - 1, max(0, round(p / 100 * (len(values) - 1))))
    return values[k]


def bench_size(n: int, reps: int) -> dict:
    path, info = archive(n)
    store = Store.open(path)
    bare_sql = "SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH ?"
    for q in QUERIES:  # warm-up: one run of each side
        search(store, q)
        store.db.execute(bare_sql, [fts_query(q)]).fetchone()
    per_query = []
    all_search, all_bare = [], []
    for q in QUERIES:
        match = fts_query(q)
        ts, tb = [], []
        for _ in range(reps):
            t = time.perf_counter()
            page = search(store, q)
            ts.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            bare_n = store.db.execute(bare_sql, [match]).fetchone()[0]
            tb.append((time.perf_counter() - t) * 1000)
        all_search += ts
        all_bare += tb
        per_query.append((q, page.total, page.capped, bare_n, statistics.median(ts), statistics.median(tb)))
    store.close()
    return {"n": info["articles"], "flagged": info["flagged"], "per_query": per_query,
            "search": all_search, "bare": all_bare}


def report(res: dict) -> None:
    print(f"\n== archive {res['n']:,} articles ({res['flagged']:,} flagged) ==")
    print(f"{'query':28} {'hits':>10} {'bare hits':>10} {'search ms':>10} {'bare ms':>9} {'ratio':>6}")
    worst = 0.0
    for q, total, capped, bare_n, ms, bare_ms in res["per_query"]:
        ratio = ms / bare_ms if bare_ms else float("inf")
        worst = max(worst, ratio)
        hits = f">{total:,}" if capped else f"{total:,}"
        print(f"{q[:28]:28} {hits:>10} {bare_n:>10,} {ms:>10.2f} {bare_ms:>9.2f} {ratio:>6.2f}")
    s, b = res["search"], res["bare"]
    print(f"search(): p50 {pct(s, 50):.2f} ms, p95 {pct(s, 95):.2f} ms, max {max(s):.2f} ms")
    print(f"bare FTS5 count: p50 {pct(b, 50):.2f} ms, p95 {pct(b, 95):.2f} ms, max {max(b):.2f} ms")
    print(f"ratio search/bare: p95 {pct(s, 95) / pct(b, 95):.2f}, p50 {pct(s, 50) / pct(b, 50):.2f}, "
          f"worst single query (medians) {worst:.2f} (target p95 < 50 ms at 1M, <= 3x bare)")


def bench_bot(n: int, reps: int) -> None:
    """The real bot on an archive: /cari vs /bantuan reply times through the fake Bot API."""
    import itertools

    from tests.bot.conftest import RunningBot, make_settings
    from tests.fakes.telegram_api import FakeTelegram

    path, info = archive(n)
    chats = itertools.count(90001)

    def ask(tg, text: str) -> float:
        chat = next(chats)
        t = time.perf_counter()
        tg.push_message(chat, text)
        tg.wait_for_messages(chat, 1, timeout=120)
        return (time.perf_counter() - t) * 1000

    with FakeTelegram(long_poll_cap=0.3) as tg, RunningBot(make_settings(tg, path)):
        ask(tg, "/bantuan")
        help_ms, cari_ms = [], []
        for _ in range(reps):
            for q in QUERIES:
                help_ms.append(ask(tg, "/bantuan"))
                cari_ms.append(ask(tg, f"/cari {q}"))
    print(f"\n== bot on {info['articles']:,} articles: reply time through the fake Bot API ==")
    print(f"/bantuan: p50 {pct(help_ms, 50):.1f} ms, p95 {pct(help_ms, 95):.1f} ms")
    print(f"/cari (20 queries x {reps}): p50 {pct(cari_ms, 50):.1f} ms, p95 {pct(cari_ms, 95):.1f} ms, "
          f"max {max(cari_ms):.1f} ms")
    print(f"ratio /cari / /bantuan: p50 {pct(cari_ms, 50) / pct(help_ms, 50):.2f}, "
          f"p95 {pct(cari_ms, 95) / pct(help_ms, 95):.2f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--bot", action="store_true", help="also time the bot's /cari vs /bantuan replies")
    args = ap.parse_args(argv)
    for n in args.sizes:
        report(bench_size(n, args.reps))
    if args.bot:
        bench_bot(min([n for n in args.sizes if n >= 100_000] or [max(args.sizes)]), max(1, args.reps // 2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
