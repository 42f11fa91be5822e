"""/cari at scale: ``crawler.search.search`` vs. a bare FTS5 query of the same words.

    .venv/bin/python bench/search.py [--sizes 10000 100000 1000000] [--reps 5] [--bot]

For each archive size (built once by bench/archive.py through the project's
own store and cached under bench/out/; 1 % flagged) it runs 20 typical
queries — very common words, topic words, company names both frequent and
rare, multi-word queries, one with no hit — ``--reps`` times each and reports:

- ``search()``: what /cari runs (capped count + one page of 5 hits, decoded);
- bare count: ``SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH ?``
  — the same FTS5 query string over the whole archive's index, nothing else;
- bare page: the bare count plus the plain SQL that reads the page a user
  sees from the same index — ``SELECT <crawler.search.HIT_COLUMNS> FROM
  articles WHERE id IN (SELECT rowid FROM articles_fts WHERE articles_fts
  MATCH ?) AND match = 1 ORDER BY <date> DESC LIMIT 5``, rows fetched, not
  formatted. The bare count reads no article at all: for a rare word it
  takes 0.01-0.03 ms, less than reading the five rows any answer has to
  show, so the ratio to it measures the page's rows, not the search. Both
  ratios are reported;
- p50/p95 of each, and per query the ratios (target: p95 < 50 ms at 1M,
  never more than 3x bare). All sides are timed in the same process,
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
from crawler.search import HIT_COLUMNS, fts_query, search  # noqa: E402
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
    page_sql = (f"SELECT {HIT_COLUMNS} FROM articles WHERE id IN (SELECT rowid FROM articles_fts "
                "WHERE articles_fts MATCH ?) AND match = 1 ORDER BY COALESCE(published, fetched) DESC, id DESC LIMIT 5")
    conn = store.conn
    for q in QUERIES:  # warm-up: one run of each side
        search(store, q)
        conn.execute(bare_sql, [fts_query(q)]).fetchone()
        conn.execute(page_sql, [fts_query(q)]).fetchall()
    per_query = []
    all_search, all_bare, all_page = [], [], []
    for q in QUERIES:
        match = fts_query(q)
        ts, tb, tp = [], [], []
        for _ in range(reps):
            t = time.perf_counter()
            page = search(store, q)
            ts.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            bare_n = conn.execute(bare_sql, [match]).fetchone()[0]
            tb.append((time.perf_counter() - t) * 1000)
            conn.execute(page_sql, [match]).fetchall()
            tp.append((time.perf_counter() - t) * 1000)  # count + page
        all_search += ts
        all_bare += tb
        all_page += tp
        per_query.append((q, page.total, page.capped, bare_n, statistics.median(ts), statistics.median(tb),
                          statistics.median(tp)))
    store.close()
    return {"n": info["articles"], "flagged": info["flagged"], "per_query": per_query,
            "search": all_search, "bare": all_bare, "page": all_page}


def report(res: dict) -> None:
    print(f"\n== archive {res['n']:,} articles ({res['flagged']:,} flagged) ==")
    print(f"{'query':28} {'hits':>10} {'bare hits':>10} {'search ms':>10} {'count ms':>9} {'page ms':>9} "
          f"{'/count':>7} {'/page':>6}")
    worst = worst_page = 0.0
    for q, total, capped, bare_n, ms, bare_ms, page_ms in res["per_query"]:
        ratio = ms / bare_ms if bare_ms else float("inf")
        ratio_page = ms / page_ms if page_ms else float("inf")
        worst, worst_page = max(worst, ratio), max(worst_page, ratio_page)
        hits = f">{total:,}" if capped else f"{total:,}"
        print(f"{q[:28]:28} {hits:>10} {bare_n:>10,} {ms:>10.3f} {bare_ms:>9.3f} {page_ms:>9.3f} "
              f"{ratio:>7.2f} {ratio_page:>6.2f}")
    s, b, p = res["search"], res["bare"], res["page"]
    print(f"search(): p50 {pct(s, 50):.3f} ms, p95 {pct(s, 95):.3f} ms, max {max(s):.3f} ms")
    print(f"bare FTS5 count: p50 {pct(b, 50):.3f} ms, p95 {pct(b, 95):.3f} ms, max {max(b):.3f} ms")
    print(f"bare FTS5 page (count + the 5 rows shown): p50 {pct(p, 50):.3f} ms, p95 {pct(p, 95):.3f} ms")
    print(f"ratio search/bare count: p95 {pct(s, 95) / pct(b, 95):.2f}, p50 {pct(s, 50) / pct(b, 50):.2f}, "
          f"worst single query (medians) {worst:.2f}")
    print(f"ratio search/bare page:  p95 {pct(s, 95) / pct(p, 95):.2f}, p50 {pct(s, 50) / pct(p, 50):.2f}, "
          f"worst single query (medians) {worst_page:.2f}  (target p95 < 50 ms at 1M, <= 3x bare)")


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
