"""Honest evaluation of the hybrid classifier (rules + trained model).  Never training-set figures.

Run from the repo root:  .venv/bin/python bench/classify_eval.py [--quiet] [--no-cv] [--blind]

1. Grouped-by-event 5-fold cross-validation over the shipped model's training data (repository
   fixtures + ../shared/dev-set + the training half of ../shared/stream-dev, see
   bench/build_model.py): the rules fixed, the model retrained per fold.  P/R/F1 of the rules
   alone, the text model alone (no rule features, no vetoes) and the hybrid, per data file.
2. False alerts per 1,000 on the held-out half of ../shared/stream-dev (odd crc32(id); the shipped
   model never saw it), hybrid and rules alone; every false alert listed.
3. The labelled fixture pages (tests/fixtures/sites/manifest.json), scored on the text the crawler
   stores (the page through crawler.extract), with the model in use; every mistake listed.
4. --blind: the team's current blind holdout (crawler.classify.train.BLIND_HOLDOUT,
   tests/fixtures/classify_holdout_blind8.jsonl, written before anyone looked at the model's
   errors), scored once with the model in use (it is in no training data; the earlier blind
   holdouts, classify_holdout_blind.jsonl (wave 2), classify_holdout_blind3.jsonl and
   classify_holdout_blind4.jsonl (wave 3), classify_holdout_blind5.jsonl (wave 4),
   classify_holdout_blind6.jsonl and classify_holdout_blind7.jsonl (wave 5), were each scored once
   and are training data since).
   Also on its rows whose event no training row shares (by `event` key or a gold company name):
   the figure for events the model has never seen.
Plus jobs_cut exact / company named on pos_company rows of the dev set (the facts).
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.build_model import DEV, STREAM, stream_half, training_rows  # noqa: E402
from crawler.classify import RULES_VERSION, classify  # noqa: E402
from crawler.classify import evaluate as E  # noqa: E402
from crawler.classify import model as M  # noqa: E402
from crawler.classify import train as T  # noqa: E402

MANIFEST = ROOT / "tests" / "fixtures" / "sites" / "manifest.json"
BLIND = T.BLIND_HOLDOUT


def fmt(v: dict) -> str:
    return (f"P={v['precision']:.3f} R={v['recall']:.3f} F1={v['f1']:.3f} "
            f"(tp={v['tp']} fp={v['fp']} fn={v['fn']} n={v['n']})")


def cv_report(verbose: bool) -> None:
    rows, _ = training_rows()
    fs = T.evaluated(rows)
    fig = T.cross_validate(rows, fs)
    y = np.asarray([int(r["label"]) for r in rows])
    print("== grouped 5-fold cross-validation by event (out-of-fold; rules fixed, model retrained per fold)")
    print("   all training rows:")
    for line in T.format_figures(fig):
        print("   " + line)
    hyb = T.hybrid_predictions(fs, fig["oof"]["hybrid"], fig["oof"]["text"])
    mod = fig["oof"]["text"] >= T.THRESHOLD
    rl = np.asarray([bool(f["rule_match"]) for f in fs])
    for src in sorted({r["_src"] for r in rows}):
        sel = np.asarray([r["_src"] == src for r in rows])
        print(f"   {src}:")
        if y[sel].sum() == 0:
            n = int(sel.sum())
            print(f"     rules   false alerts {int(rl[sel].sum())}/{n}; model {int(mod[sel].sum())}/{n}; "
                  f"hybrid {int(hyb[sel].sum())}/{n} ({1000 * hyb[sel].sum() / n:.2f} per 1,000)")
            continue
        for name, pred in (("rules", rl), ("model", mod), ("hybrid", hyb)):
            print(f"     {name:7s} {fmt(T.prf(y[sel], pred[sel]))}")
        if verbose:
            for i in np.flatnonzero(sel & (hyb != y.astype(bool))):
                r, f = rows[i], fs[i]
                print(f"     MISTAKE {r.get('id')} label={r['label']} p={fig['oof']['hybrid'][i]:.2f} "
                      f"p_text={fig['oof']['text'][i]:.2f} rules={int(f['rule_match'])} | {r['title'][:80]}")


def facts_report(rows: list[dict]) -> None:
    comp_total = comp_hit = jobs_total = jobs_hit = 0
    for r in rows:
        if r.get("category") != "pos_company":
            continue
        v = classify(r["title"], r["text"])
        exp = [c.lower() for c in r.get("companies") or []]
        if exp:
            comp_total += 1
            comp_hit += any(e in [c.lower() for c in v.companies] for e in exp)
        jobs_total += 1
        jobs_hit += v.jobs_cut == r.get("jobs_cut")
    if jobs_total:
        print(f"   facts on pos_company: jobs_cut exact {jobs_hit}/{jobs_total} ({jobs_hit / jobs_total:.2f}), "
              f"company named {comp_hit}/{max(comp_total, 1)} ({comp_hit / max(comp_total, 1):.2f})")


def main() -> int:
    verbose = "--quiet" not in sys.argv
    path = M.model_path()
    m = M.get_model()
    print(f"rules {RULES_VERSION}; model in use: {path} ({m.version if m else 'none: rules alone'})")
    shared = DEV.exists() and STREAM.exists()
    if shared and "--no-cv" not in sys.argv:
        cv_report(verbose)
    elif not shared:
        print("(../shared not found: no cross-validation, no stream figures)")
    if shared:
        held = stream_half(T.load_rows([STREAM]), train=False)
        a = E.alerts_per_1000(held)
        print(f"== stream-dev held-out half (never trained on): n={a['n']}")
        print(f"   hybrid false alerts {a['hybrid']} ({a['hybrid_per_1000']:.2f} per 1,000); "
              f"rules alone {a['rules']} ({a['rules_per_1000']:.2f} per 1,000)")
        for r, v in a["flagged"]:
            print(f"   FALSE ALERT {r.get('id')} score={v.score:.2f} | {r['title'][:90]}")
        print("== dev set facts (model in use)")
        facts_report(T.load_rows([DEV]))
    pages = E.fixture_pages(MANIFEST)
    h, r, mistakes = E.score_rows(pages)
    print(f"== fixture pages {MANIFEST.relative_to(ROOT)} (text as the crawler extracts and stores it)")
    print(f"   hybrid {fmt(h)}\n   rules  {fmt(r)}")
    for row, v in mistakes:
        print(f"   MISTAKE {row['id']} label={row['label']} score={v.score:.2f} | {row['title'][:80]}"
              + (f"\n           reasons={v.reasons}" if verbose else ""))
    if "--blind" in sys.argv:
        if not BLIND.exists():
            print(f"(blind holdout {BLIND.relative_to(ROOT)} not found)")
        else:
            blind = T.load_rows([BLIND])
            h, r, mistakes = E.score_rows(blind)
            print(f"== blind holdout {BLIND.relative_to(ROOT)} (scored once, final model)")
            print(f"   hybrid {fmt(h)}\n   rules  {fmt(r)}")
            for row, v in mistakes:
                print(f"   MISTAKE {row.get('id')} label={row['label']} score={v.score:.2f} | {row['title'][:80]}")
            seen = seen_events(blind)
            unseen = [row for row in blind if row.get("id") not in seen]
            h, r, _ = E.score_rows(unseen)
            print(f"   on the {len(unseen)} rows whose events no training row shares "
                  f"(left out: {', '.join(sorted(seen)) or 'none'}):")
            print(f"   hybrid {fmt(h)}\n   rules  {fmt(r)}")
            facts_report(unseen)
    return 0


def seen_events(rows: list[dict]) -> set:
    """ids of rows whose event some training row also covers: the same `event` key, or a gold company
    name equal to, inside or containing one of the training rows' gold companies (over 3 letters)."""
    train, _ = training_rows()
    events = {t.get("event") for t in train if t.get("event")}
    names = {c.lower() for t in train for c in (t.get("companies") or [])}
    long_names = [n for n in names if len(n) > 3]
    out = set()
    for row in rows:
        cs = [c.lower() for c in (row.get("companies") or [])]
        if row.get("event") in events or any(c in names or any(c in n or n in c for n in long_names) for c in cs):
            out.add(row.get("id"))
    return out


if __name__ == "__main__":
    raise SystemExit(main())
