"""Throughput / memory benchmark for crawler.classify.

Run from the repo root:  .venv/bin/python bench/classify_speed.py [N]
Builds N articles (default 5000, ~2-5 KB each) by replicating and
concatenating the fixture table, classifies them in one process and prints
articles/s and peak memory (tracemalloc peak and ru_maxrss).
"""
from __future__ import annotations

import json
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.classify import classify  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "classify_cases.jsonl"


def build(n: int) -> list[tuple[str, str]]:
    rows = [json.loads(line) for line in FIXTURES.open(encoding="utf-8") if line.strip()]
    arts = []
    i = 0
    while len(arts) < n:
        base = rows[i % len(rows)]
        text = base["text"]
        j = 1
        # pad with other fixture bodies until 2-5 KB (varies with i)
        target = 2000 + (i * 37) % 3000
        while len(text) < target:
            text += "\n" + rows[(i + j * 7) % len(rows)]["text"]
            j += 1
        arts.append((base["title"], text))
        i += 1
    return arts


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    arts = build(n)
    avg = sum(len(t) for _, t in arts) / len(arts)
    classify(*arts[0])  # warm-up
    tracemalloc.start()
    t0 = time.perf_counter()
    matches = 0
    for title, text in arts:
        matches += classify(title, text).match
    dt = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # timing without tracemalloc overhead
    t1 = time.perf_counter()
    for title, text in arts:
        classify(title, text)
    dt2 = time.perf_counter() - t1
    maxrss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"articles={n} avg_size={avg/1024:.1f}KB matches={matches}")
    print(f"throughput={n/dt2:,.0f} articles/s (with tracemalloc: {n/dt:,.0f}/s)")
    print(f"peak traced memory={peak/1024/1024:.1f} MB  process maxrss={maxrss_mb:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
