"""Ingestion stays flat as the archive grows; housekeeping keeps the database bounded.

    .venv/bin/python bench/ingest.py curve [--sizes 10000 100000 1000000] [--rounds 3] [--batch 1000] [--optimize]
    .venv/bin/python bench/ingest.py housekeeping [--days 450] [--per-day 300] [--prune-days 90] [--forget-days 365] [--baseline]

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
  Simulates ``--days`` days of crawling (default 450) at ``--per-day``
  articles a day (default 300; 1 % flagged, the bench/archive.py text) with
  ``crawler.housekeeping`` run once per simulated day
  (``housekeeping(now=...)``: the simulated day's clock) at
  ``--prune-days`` (PANTAU_PRUNE_DAYS, default 90) and ``--forget-days``
  (PANTAU_FORGET_AFTER_DAYS, default 365; 0 = never), and reports every 10
  days the articles crawled and still stored, the file size, the bytes in
  use (file minus free pages), bytes per stored article, the articles pruned
  and forgotten that day and the VACUUMs run so far; then where the bytes
  added went, per table and index (the dbstat virtual table: bytes in pages
  and unused bytes per article added), from 10 days after pruning starts and
  from 10 days after forgetting starts to the end, and what a VACUUM would
  give back. Last the plateau: growth in MB/day over the last 30 days, bytes
  per stored article at day 90 and at the end; ``--baseline`` also runs the
  same days without forgetting (PANTAU_FORGET_AFTER_DAYS=0) in the same
  process and reports its growth and the size ratio.
  Bounded means: once pruning starts (day 90), a day adds only the pruned
  remainder of old articles (row without text, URL aliases, index entries),
  not their text; once forgetting starts (day 365), a day adds nothing: the
  forgotten rows' space is reused, only the URL fingerprints grow, until
  they expire (another PANTAU_FORGET_AFTER_DAYS unseen).
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


def housekeeping_sim(days: int, per_day: int, prune_days: float = 90, forget_days: float = 365,
                     quiet: bool = False) -> dict:
    """Simulate ``days`` days of crawling with daily housekeeping; print the table, return the figures."""
    from crawler import housekeeping as hk

    writer = Writer(seed=7)
    import random

    say = (lambda *a, **k: None) if quiet else print
    flag = random.Random(8)
    start = datetime.now(timezone.utc) - timedelta(days=days)
    with tempfile.TemporaryDirectory(prefix="pantau-hk-") as tmp:
        path = Path(tmp) / "pantau.db"
        store = Store.open(path)
        i = 0
        say(f"{days} days at {per_day} articles/day, PANTAU_PRUNE_DAYS={prune_days:g}, "
            f"PANTAU_FORGET_AFTER_DAYS={forget_days:g}, housekeeping daily:")
        say(f"{'day':>4} {'crawled':>9} {'stored':>8} {'file MB':>8} {'in use MB':>9} {'B/stored':>9} "
            f"{'pruned':>7} {'forgot':>7}")
        page = store.conn.execute("PRAGMA page_size").fetchone()[0]
        used_by_day: list[int] = []
        stored_by_day: list[int] = []
        prev_used = 0
        snaps: list[tuple[int, dict | None]] = []
        vacuums = 0
        seconds = 0.0
        t0 = time.perf_counter()
        for day in range(days):
            day_start = start + timedelta(days=day)
            with store.write():
                for k in range(per_day):
                    rec, aliases = record(writer, i, day_start + timedelta(seconds=k * 86400 / per_day),
                                          flag.random() < FLAGGED)
                    store.insert_article(rec, aliases)
                    i += 1
            t = time.perf_counter()
            report = hk.housekeeping(store, prune_days, now=day_start + timedelta(days=1), forget_days=forget_days)
            seconds += time.perf_counter() - t
            vacuums += report.vacuumed
            pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
            free = store.conn.execute("PRAGMA freelist_count").fetchone()[0]
            used_by_day.append((pages - free) * page)
            stored_by_day.append(store.counts()["articles"])
            if (day + 1) % 10 == 0 or day + 1 == days:
                store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                size = path.stat().st_size
                used, stored = used_by_day[-1], stored_by_day[-1]
                say(f"{day + 1:>4} {i:>9,} {stored:>8,} {size / 1e6:>8.1f} {used / 1e6:>9.1f} {used / stored:>9,.0f} "
                    f"{report.pruned:>7} {report.forgotten:>7}  (+{(used - prev_used) / 10 / 1e6:.2f} MB/day in use; "
                    f"{vacuums} VACUUM so far)")
                prev_used = used
            if day + 1 in (int(prune_days) + 10, int(forget_days) + 10) and day + 11 < days:
                snaps.append((i, _dbstat(store)))
        snaps.append((i, _dbstat(store)))
        for a, b in zip(snaps, snaps[1:]):
            if not quiet:
                _where(a, b)
        fig = {"days": days, "per_day": per_day, "crawled": i, "stored": stored_by_day[-1],
               "used": used_by_day[-1], "vacuums": vacuums, "hk_seconds": seconds,
               "seconds": time.perf_counter() - t0}
        if days >= 31:
            fig["mb_per_day_last30"] = (used_by_day[-1] - used_by_day[-31]) / 30 / 1e6
        for d in (90, days):
            if d <= days:
                fig[f"bytes_per_stored_day{d}"] = used_by_day[d - 1] / stored_by_day[d - 1]
        if forget_days > 0:
            fig["fingerprints"] = store.conn.execute("SELECT COUNT(*) FROM forgotten_urls").fetchone()[0]
        store.conn.execute("VACUUM")
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = path.stat().st_size
        fig["after_vacuum"] = size
        say(f"after VACUUM: {size / 1e6:.1f} MB, {size / fig['stored']:,.0f} bytes/stored article "
            "(what a VACUUM would reclaim)")
        store.close()
    return fig


def plateau_report(fig: dict, base: dict | None = None) -> None:
    """The plateau figures of a housekeeping simulation (and the ratio to a run without forgetting)."""
    print(f"plateau ({fig['days']} days x {fig['per_day']}/day; housekeeping {fig['hk_seconds']:.0f} s "
          f"of {fig['seconds']:.0f} s):")
    if "mb_per_day_last30" in fig:
        print(f"  growth over the last 30 days: {fig['mb_per_day_last30']:+.3f} MB/day in use")
    for key in sorted((k for k in fig if k.startswith("bytes_per_stored_day")),
                      key=lambda k: int(k[len("bytes_per_stored_day"):])):
        print(f"  bytes per stored article at day {key[len('bytes_per_stored_day'):]}: {fig[key]:,.0f}")
    print(f"  in use at the end: {fig['used'] / 1e6:.1f} MB for {fig['stored']:,} stored articles "
          f"({fig['crawled']:,} crawled); {fig['vacuums']} VACUUM"
          + (f"; {fig['fingerprints']:,} URL fingerprints" if "fingerprints" in fig else ""))
    if base:
        print(f"  baseline without forgetting (PANTAU_FORGET_AFTER_DAYS=0, same run): "
              f"{base.get('mb_per_day_last30', float('nan')):+.3f} MB/day over the last 30 days, "
              f"{base['used'] / 1e6:.1f} MB in use at the end; with forgetting: "
              f"{fig['used'] / base['used']:.2f}x the size")


def _dbstat(store) -> dict[str, tuple[int, int]] | None:
    """Bytes in pages and unused bytes per table/index (the dbstat virtual table), None without it."""
    try:
        rows = store.conn.execute("SELECT name, SUM(pgsize), SUM(unused) FROM dbstat GROUP BY name").fetchall()
    except Exception:  # noqa: BLE001 - SQLite built without dbstat
        return None
    return {name: (pg, unused) for name, pg, unused in rows}


def _where(first: tuple[int, dict | None], last: tuple[int, dict | None]) -> None:
    """Where the bytes added between two points of the simulation went (per table and index)."""
    (n0, a), (n1, b) = first, last
    if not a or not b or n1 <= n0:
        return
    print(f"where the bytes went between article {n0:,} and {n1:,} (per article added, dbstat):")
    print(f"  {'table/index':<34} {'MB now':>8} {'unused MB':>9} {'B/article':>9} {'unused B/art':>12}")
    for name in sorted(b, key=lambda k: -(b[k][0] - a.get(k, (0, 0))[0])):
        pg, unused = b[name]
        pg0, unused0 = a.get(name, (0, 0))
        if pg < 50_000:
            continue
        print(f"  {name:<34} {pg / 1e6:>8.1f} {unused / 1e6:>9.1f} {(pg - pg0) / (n1 - n0):>9,.0f} "
              f"{(unused - unused0) / (n1 - n0):>12,.0f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="what", required=True)
    c = sub.add_parser("curve")
    c.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    c.add_argument("--rounds", type=int, default=3)
    c.add_argument("--batch", type=int, default=1000)
    c.add_argument("--optimize", action="store_true", help="merge each archive's FTS index first (housekeeping)")
    h = sub.add_parser("housekeeping")
    h.add_argument("--days", type=int, default=450)
    h.add_argument("--per-day", type=int, default=300)
    h.add_argument("--prune-days", type=float, default=90, help="PANTAU_PRUNE_DAYS (default 90)")
    h.add_argument("--forget-days", type=float, default=365, help="PANTAU_FORGET_AFTER_DAYS (default 365; 0 = never)")
    h.add_argument("--baseline", action="store_true",
                   help="also run the same days without forgetting and report the ratio")
    args = ap.parse_args(argv)
    if args.what == "curve":
        build_curve(args.sizes)
        rollback_inserts(sorted(args.sizes), args.rounds, args.batch, args.optimize)
    else:
        fig = housekeeping_sim(args.days, args.per_day, args.prune_days, args.forget_days)
        base = housekeeping_sim(args.days, args.per_day, args.prune_days, 0, quiet=True) if args.baseline else None
        plateau_report(fig, base)
    return 0


if __name__ == "__main__":
    sys.exit(main())
