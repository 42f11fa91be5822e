"""Benchmark: story-grouping cost per new article as the archive grows.

Fills a temporary SQLite archive with generated articles (10% flagged, spread
over two years, realistic Indonesian-like text), then times ``assign_story``
for a batch of new flagged articles at archive sizes 1,000 → 100,000.
Reports ms per article (wall and CPU: the machine may be shared) and the ratio
to the smallest archive (flat ≈ 1.0; linear growth would be ≈ 100× at 100k).
Run: ``python bench/grouping.py``; ``--archive 100000`` measures on a copy of
the cached bench/out/archive-100000.db instead (bench/archive.py).
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crawler.stories import assign_story  # noqa: E402
from crawler.store import Store  # noqa: E402

WORDS = ("perusahaan karyawan pemutusan hubungan kerja kecerdasan buatan otomatisasi efisiensi investasi pusat "
         "data layanan pelanggan teknologi digital startup pendanaan pasar saham laporan kuartal analis pekerja "
         "divisi korporat strategi pertumbuhan penjualan produk pengguna aplikasi platform regulasi pemerintah").split()
COMPANIES = [f"Perusahaan{i}" for i in range(400)]
START = datetime(2024, 1, 1, tzinfo=timezone.utc)


def text(rng: random.Random, n: int = 220) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def add(store: Store, rng: random.Random, i: int, flagged: bool, when: datetime) -> int:
    body = text(rng)
    company = rng.choice(COMPANIES)
    rec = {"url": f"https://portal{i % 40}.example/berita/{i}", "title": f"{company} berita {i}", "text": body,
           "source": f"portal{i % 40}", "outlet": f"Portal {i % 40}", "published": when.isoformat(),
           "fetched": when.isoformat(), "content_hash": hashlib.sha1(body.encode()).hexdigest(),
           "match": 1 if flagged else 0, "companies": [company] if flagged else [],
           "jobs_cut": rng.choice([None, 100, 250, 1000, 14000]) if flagged else None}
    aid, _ = store.insert_article(rec, [])
    return aid


def on_archive(n: int, batch: int) -> None:
    """Time assign_story for ``batch`` new flagged articles on a copy of a cached bench archive."""
    import shutil

    from bench.archive import Writer, archive, record

    src, info = archive(n)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "copy.db"
        shutil.copy(src, path)
        store = Store.open(path)
        t = time.perf_counter()
        for (aid,) in store.db.execute("SELECT id FROM articles WHERE match = 1 AND story_id IS NULL").fetchall():
            assign_story(store, aid)
        stories = store.db.execute("SELECT COUNT(*) FROM stories").fetchone()[0]
        print(f"archive {info['articles']:,} articles ({info['flagged']:,} flagged) grouped into {stories:,} "
              f"stories in {time.perf_counter() - t:.1f} s")
        last = store.db.execute("SELECT MAX(COALESCE(published, fetched)) FROM articles").fetchone()[0]
        when = datetime.fromisoformat(last)
        writer = Writer(seed=123)
        ids = []
        with store.write():
            for k in range(batch):
                rec, aliases = record(writer, 50_000_000 + k, when + timedelta(minutes=k), True)
                ids.append(store.insert_article(rec, aliases)[0])
        window = store.db.execute("SELECT COUNT(*) FROM stories WHERE last_reported >= ?",
                                  [(when - timedelta(days=4)).isoformat()]).fetchone()[0]
        t0, c0 = time.perf_counter(), time.process_time()
        for aid in ids:
            assign_story(store, aid)
        ms = (time.perf_counter() - t0) * 1000 / len(ids)
        cpu = (time.process_time() - c0) * 1000 / len(ids)
        print(f"{batch} new flagged articles ({window} stories in the window): {ms:.3f} ms per article wall, "
              f"{cpu:.3f} ms CPU (target <= 2 ms with 100,000 stored)")
        store.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--batch", type=int, default=200)
    ap.add_argument("--archive", type=int, default=0,
                    help="instead: a copy of bench/out/archive-N.db (bench/archive.py; 1%% flagged, ~3,000 "
                         "articles a day) with its flagged articles grouped, then --batch new flagged ones timed")
    args = ap.parse_args()
    if args.archive:
        return on_archive(args.archive, args.batch)
    sizes = [int(s) for s in args.sizes.split(",")]
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "bench.db")
        n = 0
        results = []
        span = timedelta(days=730)
        for size in sizes:
            with store.write():
                while n < size:
                    when = START + span * (n / sizes[-1])
                    aid = add(store, rng, n, rng.random() < 0.1, when)
                    n += 1
            # group flagged articles that are not grouped yet (bulk load), untimed
            for (aid,) in store.db.execute("SELECT id FROM articles WHERE match = 1 AND story_id IS NULL").fetchall():
                assign_story(store, aid)
            when = START + span * (n / sizes[-1])
            ids = []
            with store.write():
                for k in range(args.batch):
                    ids.append(add(store, rng, n, True, when + timedelta(minutes=k)))
                    n += 1
            t0, c0 = time.perf_counter(), time.process_time()
            for aid in ids:
                assign_story(store, aid)
            ms = (time.perf_counter() - t0) * 1000 / len(ids)
            cpu = (time.process_time() - c0) * 1000 / len(ids)
            results.append((size, ms))
            print(f"archive {size:>7,} articles: {ms:.3f} ms per new flagged article ({cpu:.3f} ms CPU)", flush=True)
        base = results[0][1]
        for size, ms in results:
            print(f"ratio at {size:>7,}: {ms / base:.2f}x of the {results[0][0]:,}-article baseline")
        print("(target: <= 2 ms per flagged article with 100,000 stored; candidates by index, bounded comparisons)")
        store.close()


if __name__ == "__main__":
    main()
