"""Benchmark: story-grouping cost per new article as the archive grows.

Fills a temporary SQLite archive with generated articles (10% flagged, spread
over two years, realistic Indonesian-like text), then times ``assign_story``
for a batch of new flagged articles at archive sizes 1,000 → 100,000.
Reports ms per article and the ratio to the smallest archive (flat ≈ 1.0;
linear growth would be ≈ 100× at 100k). Run: ``python bench/grouping.py``.
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--batch", type=int, default=200)
    args = ap.parse_args()
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
            t0 = time.perf_counter()
            for aid in ids:
                assign_story(store, aid)
            ms = (time.perf_counter() - t0) * 1000 / len(ids)
            results.append((size, ms))
            print(f"archive {size:>7,} articles: {ms:.3f} ms per new flagged article", flush=True)
        base = results[0][1]
        for size, ms in results:
            print(f"ratio at {size:>7,}: {ms / base:.2f}x of the {results[0][0]:,}-article baseline")
        print("(target: <= 2 ms per flagged article with 100,000 stored; candidates by index, bounded comparisons)")
        store.close()


if __name__ == "__main__":
    main()
