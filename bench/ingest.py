"""Ingestion stays flat as the archive grows; housekeeping keeps the database bounded.

    .venv/bin/python bench/ingest.py curve [--sizes 10000 100000 1000000] [--rounds 3] [--batch 1000] [--optimize]
    .venv/bin/python bench/ingest.py housekeeping [--days 180] [--per-day 500]

``curve``
  1. The build curve of the cached 1M archive (bench/archive.py records the
     seconds of every block of 1,000 ``Store.insert_article`` calls): ms per
     article around the 10,000th, 100,000th, 500,000th and 1,000,000th
     article (median of the 9 blocks nearest each point) and the ratio to the
     10,000th. The build ran once, on a shared machine: noisy.
  2. Re-measured in this process: for each cached archive, ``--batch`` new
     articles are inserted in one transaction that is then rolled back
     (the archive is unchanged), archives interleaved, ``--rounds`` times;
     median ms per article and the ratio to the smallest archive.
  ``--optimize`` first merges each archive's FTS index as the daily
  housekeeping does (``'optimize'``): an index left with many unmerged
  segments (e.g. by bench/archive.py --top-up) makes every insert pay for
  merges, so compare archives in the same state.
  Target: the 1,000,000th article costs no more than 1.5x the 10,000th.

``housekeeping``
  Simulates ``--days`` days of crawling at ``--per-day`` articles a day
  (1 % flagged, the bench/archive.py text) with the defaults
  (PANTAU_PRUNE_DAYS=90) and ``crawler.housekeeping`` run once per simulated
  day (its clock set to the simulated day), and reports every 10 days the
  file size, the bytes in use (file minus free pages), and bytes per stored
  article. Bounded means: once pruning starts (day 90), a day adds only the
  pruned remainder of old articles (title, URL, verdict), not their text.
Figures only: nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.archive import BLOCK, FLAGGED, Writer, archive, record  # noqa: E402
from crawler.store import Store  # noqa: E402


def build_curve(sizes: list[int]) -> None:
    for n in sorted(sizes, reverse=True):  # the largest archive built entirely by Store.insert_article
        _, info = archive(n)
        if info["block_seconds"]:
            break
        print(f"(archive-{n}: {info.get('note', 'no build curve')}: no build curve)")
    blocks = info["block_seconds"]
    per = info.get("block", BLOCK)

    def around(k: int) -> float:
        i = min(len(blocks) - 1, max(0, k // per - 1))
        window = blocks[max(0, i - 4): i + 5]
        return statistics.median(window) * 1000 / per

    points = [p for p in (10_000, 100_000, 250_000, 500_000, 750_000, 1_000_000) if p <= info["articles"]]
    base = around(points[0])
    print(f"build curve of the {info['articles']:,}-article archive (one build, {info['build_seconds']:.0f} s):")
    for p in points:
        ms = around(p)
        print(f"  article {p:>9,}: {ms:.3f} ms/article  ({ms / base:.2f}x the 10,000th)")


def rollback_inserts(sizes: list[int], rounds: int, batch: int, optimize: bool = False) -> None:
    stores = {n: Store.open(archive(n)[0]) for n in sizes}
    if optimize:
        for n, store in stores.items():
            t = time.perf_counter()
            store.db.execute("INSERT INTO articles_fts(articles_fts) VALUES('optimize')")
            print(f"  archive {n:,}: FTS index optimised in {time.perf_counter() - t:.1f} s")
    writer = Writer(seed=99)
    now = datetime.now(timezone.utc)
    results: dict[int, list[float]] = {n: [] for n in sizes}
    for r in range(rounds):
        for n, store in stores.items():
            recs = [record(writer, 10_000_000 + r * batch + i, now + timedelta(seconds=i), i % 100 == 0)
                    for i in range(batch)]
            store.conn.execute("BEGIN IMMEDIATE")
            t = time.perf_counter()
            for rec, aliases in recs:
                store.insert_article(rec, aliases)
            results[n].append((time.perf_counter() - t) * 1000 / batch)
            store.conn.execute("ROLLBACK")
    for store in stores.values():
        store.close()
    base = statistics.median(results[sizes[0]])
    print(f"insert cost re-measured ({batch} articles per round, rolled back, {rounds} rounds interleaved):")
    for n in sizes:
        ms = statistics.median(results[n])
        print(f"  archive {n:>9,}: {ms:.3f} ms/article  ({ms / base:.2f}x the {sizes[0]:,} archive)  "
              f"rounds: {', '.join(f'{x:.3f}' for x in results[n])}")


def housekeeping_sim(days: int, per_day: int, prune_days: float = 90) -> None:
    from crawler import housekeeping as hk

    class SimClock(datetime):
        now_value = datetime.now(timezone.utc)

        @classmethod
        def now(cls, tz=None):
            return cls.now_value if tz is None else cls.now_value.astimezone(tz)

    hk.datetime = SimClock  # housekeeping reads the simulated day's clock
    writer = Writer(seed=7)
    import random

    flag = random.Random(8)
    start = datetime.now(timezone.utc) - timedelta(days=days)
    with tempfile.TemporaryDirectory(prefix="pantau-hk-") as tmp:
        path = Path(tmp) / "pantau.db"
        store = Store.open(path)
        i = 0
        print(f"{days} days at {per_day} articles/day, PANTAU_PRUNE_DAYS={prune_days:g}, housekeeping daily:")
        print(f"{'day':>4} {'articles':>9} {'file MB':>8} {'in use MB':>9} {'bytes/article':>13} {'pruned':>7}")
        prev_used = 0
        for day in range(days):
            day_start = start + timedelta(days=day)
            with store.write():
                for k in range(per_day):
                    rec, aliases = record(writer, i, day_start + timedelta(seconds=k * 86400 / per_day),
                                          flag.random() < FLAGGED)
                    store.insert_article(rec, aliases)
                    i += 1
            SimClock.now_value = day_start + timedelta(days=1)
            report = hk.housekeeping(store, prune_days)
            if (day + 1) % 10 == 0 or day + 1 == days:
                store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                size = path.stat().st_size
                page = store.conn.execute("PRAGMA page_size").fetchone()[0]
                free = store.conn.execute("PRAGMA freelist_count").fetchone()[0] * page
                used = size - free
                print(f"{day + 1:>4} {i:>9,} {size / 1e6:>8.1f} {used / 1e6:>9.1f} {used / i:>13,.0f} "
                      f"{report.pruned:>7}  (+{(used - prev_used) / 10 / 1e6:.2f} MB/day in use)")
                prev_used = used
        try:  # where the bytes are: pruned rows shrink in place and leave their pages part-empty
            row = store.conn.execute("SELECT SUM(pgsize), SUM(unused) FROM dbstat WHERE name = 'articles'").fetchone()
            print(f"articles table: {row[0] / 1e6:.1f} MB in pages, {row[1] / 1e6:.1f} MB of it unused")
        except Exception:  # noqa: BLE001 - SQLite without dbstat
            pass
        store.conn.execute("VACUUM")
        size = path.stat().st_size
        print(f"after VACUUM: {size / 1e6:.1f} MB, {size / i:,.0f} bytes/article (what a VACUUM would reclaim)")
        store.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="what", required=True)
    c = sub.add_parser("curve")
    c.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    c.add_argument("--rounds", type=int, default=3)
    c.add_argument("--batch", type=int, default=1000)
    c.add_argument("--optimize", action="store_true", help="merge each archive's FTS index first (housekeeping)")
    h = sub.add_parser("housekeeping")
    h.add_argument("--days", type=int, default=180)
    h.add_argument("--per-day", type=int, default=500)
    args = ap.parse_args(argv)
    if args.what == "curve":
        build_curve(args.sizes)
        rollback_inserts(sorted(args.sizes), args.rounds, args.batch, args.optimize)
    else:
        housekeeping_sim(args.days, args.per_day)
    return 0


if __name__ == "__main__":
    sys.exit(main())
