"""Build the shipped classifier model, crawler/classify/model.npz, reproducibly.

Run from the repo root:  .venv/bin/python bench/build_model.py [-o PATH] [--no-cv]

Training data (fixed, in this order):
  1. the labelled fixtures in the repository, crawler.classify.train.DEFAULT_DATA:
     tests/fixtures/classify_cases.jsonl, classify_holdout.jsonl, classify_holdout_blind.jsonl and
     classify_holdout_blind3.jsonl to classify_holdout_blind7.jsonl (earlier blind holdouts, each
     scored once, training data since), classify_extra_positive.jsonl,
     classify_extra_negative.jsonl, classify_extra_hard2.jsonl, classify_extra_hard3.jsonl and
     classify_extra_hard4.jsonl (own-written, invented companies), classify_extra_real.jsonl (real
     events retold from memory in our own words) -- NOT the current blind holdout
     (train.BLIND_HOLDOUT);
  2. ../shared/dev-set/articles.jsonl (362 labelled real articles, grouped by `event`);
  3. negatives from ../shared/stream-dev/articles.jsonl.gz: the fixed half whose
     zlib.crc32(id) is even ("training half"); the odd half is kept out for measuring false
     alerts (bench/classify_eval.py).
The same inputs give a byte-identical file.  Prints grouped-by-event cross-validation figures
(out-of-fold) unless --no-cv.  The model stores hashed features only: no text of the data.
"""
from __future__ import annotations

import argparse
import hashlib
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.classify import model as M  # noqa: E402
from crawler.classify import train as T  # noqa: E402

SHARED = ROOT.parent / "shared"
DEV = SHARED / "dev-set" / "articles.jsonl"
STREAM = SHARED / "stream-dev" / "articles.jsonl.gz"


def stream_half(rows: list[dict], train: bool) -> list[dict]:
    """The training (even crc32 of id) or held-out (odd) half of the stream."""
    return [r for r in rows if (zlib.crc32(str(r.get("id")).encode("utf-8")) % 2 == 0) == train]


def training_rows() -> tuple[list[dict], list[str]]:
    for p in (DEV, STREAM):
        if not p.exists():
            raise SystemExit(f"error: {p} not found (the shared reference data is needed to build the shipped model)")
    rows = T.load_rows(list(T.DEFAULT_DATA) + [DEV])
    rows += stream_half(T.load_rows([STREAM]), train=True)
    sources = [p.name for p in T.DEFAULT_DATA] + [DEV.name, STREAM.name + " (even crc32(id) half)"]
    return rows, sources


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", default=str(M.SHIPPED_MODEL))
    ap.add_argument("--no-cv", action="store_true", help="skip the cross-validation figures")
    args = ap.parse_args()
    rows, sources = training_rows()
    params, fig = T.train(rows, sources, cv=not args.no_cv)
    out = Path(args.output)
    M.save(out, params["heads"], params["meta"])
    print(f"trained on {len(rows)} articles ({params['meta']['data']['positives']} positive)")
    if fig:
        print("grouped 5-fold cross-validation by event (out-of-fold):")
        for line in T.format_figures(fig):
            print(line)
    digest = hashlib.sha256(out.read_bytes()).hexdigest()[:16]
    print(f"wrote {out} ({out.stat().st_size / 1024:.0f} KB, sha256 {digest}), version {params['meta']['version']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
