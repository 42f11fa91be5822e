"""Evaluate crawler.classify on the dev set (if present), the fixture table and
the blind holdout (tests/fixtures/classify_holdout.jsonl, if present).

Run from the repo root:  .venv/bin/python bench/classify_eval.py [--quiet]
Prints precision, recall, F1, jobs_cut exact rate and company-named rate on
pos_company stories, and every mistake.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.classify import RULES_VERSION, classify  # noqa: E402

DEV = ROOT.parent / "shared" / "dev-set" / "articles.jsonl"
FIXTURES = ROOT / "tests" / "fixtures" / "classify_cases.jsonl"
HOLDOUT = ROOT / "tests" / "fixtures" / "classify_holdout.jsonl"


def load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def evaluate(name: str, rows: list[dict], verbose: bool = True) -> dict:
    tp = fp = fn = tn = 0
    comp_total = comp_hit = jobs_total = jobs_hit = 0
    mistakes = []
    field_mistakes = []
    for r in rows:
        v = classify(r["title"], r["text"])
        label = int(r["label"])
        if v.match and label:
            tp += 1
        elif v.match and not label:
            fp += 1
        elif label:
            fn += 1
        else:
            tn += 1
        if bool(v.match) != bool(label):
            mistakes.append((r, v))
        if r.get("category") == "pos_company":
            exp = [c.lower() for c in r.get("companies") or []]
            if exp:
                comp_total += 1
                got = [c.lower() for c in v.companies]
                if any(e in got for e in exp):
                    comp_hit += 1
                else:
                    field_mistakes.append((r["id"], "companies", r.get("companies"), v.companies))
            jobs_total += 1
            if v.jobs_cut == r.get("jobs_cut"):
                jobs_hit += 1
            else:
                field_mistakes.append((r["id"], "jobs_cut", r.get("jobs_cut"), v.jobs_cut))
    p = tp / (tp + fp) if tp + fp else 0.0
    rc = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * rc / (p + rc) if p + rc else 0.0
    res = {
        "n": len(rows), "tp": tp, "fp": fp, "fn": fn, "tn": tn,
        "precision": p, "recall": rc, "f1": f1,
        "jobs_cut_exact": jobs_hit / jobs_total if jobs_total else None,
        "company_named": comp_hit / comp_total if comp_total else None,
    }
    print(f"== {name}  (rules {RULES_VERSION})")
    print(f"   n={res['n']} tp={tp} fp={fp} fn={fn} tn={tn}")
    print(f"   precision={p:.3f} recall={rc:.3f} F1={f1:.3f}")
    if jobs_total:
        print(f"   pos_company: jobs_cut exact={jobs_hit}/{jobs_total} ({res['jobs_cut_exact']:.2f})"
              f"  company named={comp_hit}/{comp_total} ({(res['company_named'] or 0):.2f})")
    for r, v in mistakes:
        print(f"   MISTAKE {r['id']} label={r['label']} cat={r.get('category')} score={v.score:.3f}"
              f" | {r['title'][:90]}\n           reasons={v.reasons}")
    if verbose:
        for fm in field_mistakes:
            print(f"   FIELD {fm[0]} {fm[1]}: expected={fm[2]} got={fm[3]}")
    return res


def main() -> int:
    verbose = "--quiet" not in sys.argv
    if DEV.exists():
        evaluate(f"dev set {DEV}", load(DEV), verbose)
    else:
        print(f"(dev set not found at {DEV}; skipping)")
    evaluate(f"fixtures {FIXTURES.relative_to(ROOT)}", load(FIXTURES), verbose)
    if HOLDOUT.exists():
        evaluate(f"holdout {HOLDOUT.relative_to(ROOT)}", load(HOLDOUT), verbose)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
