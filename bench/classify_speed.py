"""Throughput / memory benchmark for crawler.classify (rules + the trained model).

Run from the repo root:  .venv/bin/python bench/classify_speed.py [N]

Two workloads, one process:
  * "stream": real articles from ../shared/stream-dev (if present), replicated to N -- what the
    crawler sees; most of them never pass the model's gate (no layoff AND AI term);
  * "fixtures": N articles (~2-5 KB) built from the fixture table -- nearly every one is about
    layoffs or AI, so the model runs on almost all of them (the worst case).
Prints articles/s for each (baseline: classify() with no model -- the rules and the facts --
in the same process, after one warm-up pass), model
load time, peak memory (tracemalloc peak and ru_maxrss), and the cost of one 30 KB article
against a 3 KB one (the model reads a bounded prefix, so the cost must grow at most linearly).
"""
from __future__ import annotations

import gzip
import json
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.classify import classify  # noqa: E402
from crawler.classify import model as M  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "classify_cases.jsonl"
STREAM = ROOT.parent / "shared" / "stream-dev" / "articles.jsonl.gz"


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


def stream(n: int) -> list[tuple[str, str]] | None:
    if not STREAM.exists():
        return None
    with gzip.open(STREAM, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    return [(rows[i % len(rows)]["title"], rows[i % len(rows)]["text"]) for i in range(n)]


def rate(model, arts) -> tuple[float, int]:
    """articles/s of classify() with this model (None: the rules alone, facts included)."""
    M.set_model(model)
    t0 = time.perf_counter()
    hits = 0
    for title, text in arts:
        hits += bool(classify(title, text).match)
    return len(arts) / (time.perf_counter() - t0), hits


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    t0 = time.perf_counter()
    m = M.load(M.model_path())
    print(f"model {M.model_path()} version {m.version}: load {1000 * (time.perf_counter() - t0):.0f} ms")
    M.set_model(m)
    workloads = [("fixtures", build(n))]
    s = stream(n)
    if s is not None:
        workloads.insert(0, ("stream", s))
    for name, arts in workloads:
        rate(m, arts)  # warm-up pass: the per-word caches are filled once, for both runs
        avg = sum(len(t) for _, t in arts) / len(arts)
        base, _ = rate(None, arts)
        hyb, hits = rate(m, arts)
        print(f"{name}: articles={len(arts)} avg_size={avg / 1024:.1f}KB matches={hits}  "
              f"hybrid {hyb:,.0f} articles/s, rules alone {base:,.0f}/s (ratio {hyb / base:.2f})")
    arts = workloads[-1][1]
    tracemalloc.start()
    for title, text in arts[:1000]:
        classify(title, text)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # long texts: a 30 KB article against a 3 KB one made of the same paragraphs
    title, text = arts[1]
    small = (text * 10)[:3000]
    big = (text * 100)[:30000]
    times = {}
    for label, t in (("3KB", small), ("30KB", big)):
        classify(title, t)
        t1 = time.perf_counter()
        for _ in range(20):
            classify(title, t)
        times[label] = (time.perf_counter() - t1) / 20 * 1000
    print(f"one article: 3 KB {times['3KB']:.2f} ms, 30 KB {times['30KB']:.2f} ms "
          f"(ratio {times['30KB'] / times['3KB']:.1f} for 10x the text)")
    maxrss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak traced memory={peak / 1024 / 1024:.1f} MB  process maxrss={maxrss_mb:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
