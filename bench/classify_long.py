"""Classification cost vs. text length: ``crawler.classify.classify`` on 1–100 KB articles.

    .venv/bin/python bench/classify_long.py [--reps 7] [--profile]

Texts are AI-layoff news prose from bench/archive.py's own word lists (no
third-party text), with title, concatenated to 1, 3, 10, 30 and 100 KB — so
every rule has material to work on. For each size: median ms of
``classify(title, text)``, median ms of a bare regex pass over the same text
(``re.findall(r"\\w+", text)``, the baseline), their ratio, ms per KB
(flat = linear growth), the best of the runs and the median CPU (process) time
(both less sensitive to a loaded machine). Then the growth ratios: cost of 30 KB over 3 KB and of 100 KB over
10 KB (linear growth = 10; the rules read at most rules.MAX_BODY_CHARS of the
body, so past that the cost stays flat). Targets: at most linear growth; 30 KB
in <= 5 ms. ``--profile`` prints the top functions (cProfile, by own time) for
30 KB. Figures only: nothing is asserted.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.archive import Writer  # noqa: E402

SIZES_KB = [1, 3, 10, 30, 100]


def long_text(kb: int, seed: int = 3) -> tuple[str, str]:
    w = Writer(seed=seed)
    first = w.article(flagged=True)
    parts = [first["text"]]
    while sum(len(p) + 2 for p in parts) < kb * 1024:
        parts.append(w.article(flagged=w.rng.random() < 0.5)["text"])
    return first["title"], "\n\n".join(parts)[: kb * 1024]


def timed(fn, reps: int) -> tuple[float, float, float]:
    """(median, best, median CPU) ms of reps calls (CPU: process time, which waiting for a busy
    machine's cores does not add to)."""
    out, cpu = [], []
    for _ in range(reps):
        t, c = time.perf_counter(), time.process_time()
        fn()
        out.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    return statistics.median(out), min(out), statistics.median(cpu)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args(argv)
    t = time.perf_counter()
    from crawler.classify import classify, rules

    classify("pemanasan", "PHK karena AI.")  # load lexicon / model once
    limit = getattr(rules, "MAX_BODY_CHARS", None)  # (absent before issue 15: the whole body was read)
    print(f"classifier import + first call: {(time.perf_counter() - t) * 1000:.0f} ms; body read "
          + (f"up to {limit:,} characters (rules.MAX_BODY_CHARS)" if limit else "whole"))
    word = re.compile(r"\w+")
    print(f"{'size':>6} {'classify ms':>12} {'bare regex ms':>14} {'ratio':>7} {'ms per KB':>10} {'best ms':>8} "
          f"{'cpu ms':>7}  verdict")
    cost = {}
    for kb in SIZES_KB:
        title, text = long_text(kb)
        verdict = classify(title, text)
        ms, best, cpu = timed(lambda: classify(title, text), args.reps)
        bare = timed(lambda: word.findall(text), args.reps)[0]
        cost[kb] = ms
        print(f"{kb:>4} KB {ms:>12.2f} {bare:>14.3f} {ms / bare:>7.0f} {ms / kb:>10.3f} {best:>8.2f} {cpu:>7.2f}  "
              f"match={verdict.match}")
    print(f"growth: 30 KB / 3 KB = {cost[30] / cost[3]:.1f}, 100 KB / 10 KB = {cost[100] / cost[10]:.1f} "
          f"(linear = 10.0)")
    print("(targets: at most linear growth; 30 KB <= 5 ms)")
    if args.profile:
        title, text = long_text(30)
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(10):
            classify(title, text)
        prof.disable()
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(14)
        print("\ncProfile, 10 x classify(30 KB), by own time:")
        print("\n".join(out.getvalue().splitlines()[4:32]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
