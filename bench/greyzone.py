"""How many "Mungkin relevan?" questions the grey zone sends the editors per day.

Classifies the real stream (../shared/stream-dev, none of it an AI-layoff story) with the
model in use and counts unflagged articles scoring at least each candidate PANTAU_GREY_MIN,
per day of the stream; and, on the team's blind holdout (never trained on), how many of the
stories the classifier misses land in the band. Run: .venv/bin/python bench/greyzone.py
"""

from __future__ import annotations

import gzip
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.classify import classify  # noqa: E402

STREAM = ROOT.parent / "shared" / "stream-dev" / "articles.jsonl.gz"
BLIND = ROOT / "tests" / "fixtures" / "classify_holdout_blind4.jsonl"  # the current blind holdout (crawler.classify.train.BLIND_HOLDOUT)
BANDS = (0.1, 0.2, 0.3, 0.35, 0.4, 0.5, 0.6)


def main() -> int:
    if not STREAM.exists():
        print(f"no stream at {STREAM}")
        return 1
    rows = [json.loads(line) for line in gzip.open(STREAM, "rt", encoding="utf-8")]
    days = Counter((r.get("date") or "")[:10] for r in rows)
    days.pop("", None)
    scores = []
    flagged = 0
    for r in rows:
        v = classify(r.get("title") or "", r.get("text") or "")
        flagged += bool(v.match)
        if not v.match:
            scores.append((v.score or 0.0, (r.get("date") or "")[:10]))
    n_days = max(len(days), 1)
    print(f"stream: {len(rows)} articles over {n_days} days ({len(rows) / n_days:.0f}/day), {flagged} flagged")
    print("PANTAU_GREY_MIN  asked  per day  per 1,000 articles  busiest day")
    for band in BANDS:
        hits = [d for s, d in scores if s >= band]
        per_day = Counter(hits)
        busiest = max(per_day.values()) if per_day else 0
        print(f"{band:>15.2f}  {len(hits):>5}  {len(hits) / n_days:>7.2f}  {1000 * len(hits) / len(rows):>18.2f}"
              f"  {busiest:>11}")
    if BLIND.exists():
        blind = [json.loads(line) for line in BLIND.read_text(encoding="utf-8").splitlines() if line.strip()]
        missed = []
        for r in blind:
            v = classify(r["title"], r["text"])
            if r["label"] and not v.match:
                missed.append(v.score or 0.0)
        print(f"blind holdout: {len(missed)} positives missed; scores {sorted(round(s, 2) for s in missed)}")
        for band in BANDS:
            print(f"  band >= {band:.2f} would show the editors {sum(s >= band for s in missed)} of them")
    return 0


if __name__ == "__main__":
    sys.exit(main())
