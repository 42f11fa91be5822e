"""Honest figures for the classifier (used by bench/classify_eval.py).

Rules of the measurement:

* Labelled rows that the shipped model was trained on are only ever scored out-of-fold: grouped
  (by ``event``) cross-validation, the rules fixed, the model retrained per fold
  (crawler.classify.train.cross_validate).  Figures are given per data file.
* False alerts are counted on articles the model never saw: the held-out half of the stream.
* The fixture pages (tests/fixtures/sites) are scored on the text the crawler would store -- the
  page run through crawler.extract.extract, title and body as extracted -- not on a hand-made
  excerpt, so the figure is what the service would alert.
* The blind holdout is scored once with the final model, never trained on or tuned against.
"""
from __future__ import annotations

import json
from pathlib import Path

from . import classify
from . import train as T


def score_rows(rows: list[dict]) -> tuple[dict, dict, list]:
    """(hybrid figures, rules-only figures, mistakes) of the model in use on rows it never saw."""
    from . import rules

    y, pred, rpred, mistakes = [], [], [], []
    for r in rows:
        v = classify(r.get("title") or "", r.get("text") or "", r.get("summary"))
        f = rules.evaluate(r.get("title") or "", r.get("text") or "", r.get("summary"))
        rm, _ = rules.rule_verdict(f)
        y.append(int(r["label"]))
        pred.append(bool(v.match))
        rpred.append(bool(rm))
        if bool(v.match) != bool(int(r["label"])):
            mistakes.append((r, v))
    return T.prf(y, pred), T.prf(y, rpred), mistakes


def alerts_per_1000(rows: list[dict]) -> dict:
    """False alerts of the model in use and of the rules alone on all-negative rows."""
    from . import rules

    hyb = rl = 0
    flagged = []
    for r in rows:
        v = classify(r.get("title") or "", r.get("text") or "")
        f = rules.evaluate(r.get("title") or "", r.get("text") or "")
        rm, _ = rules.rule_verdict(f)
        hyb += bool(v.match)
        rl += bool(rm)
        if v.match:
            flagged.append((r, v))
    n = max(len(rows), 1)
    return {"n": len(rows), "hybrid": hyb, "rules": rl, "hybrid_per_1000": 1000 * hyb / n,
            "rules_per_1000": 1000 * rl / n, "flagged": flagged}


def fixture_pages(manifest_path: Path) -> list[dict]:
    """Labelled rows from the fixture sites, with the text the crawler would store."""
    from ..extract import extract

    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    root = manifest_path.parent
    base = "http://127.0.0.1:8000"
    rows = []
    for a in manifest.get("articles", []):
        if a.get("label") is None or not a.get("file"):
            continue
        path = root / a["file"]
        if not path.exists():
            continue
        html = path.read_text(encoding="utf-8", errors="replace").replace("{{BASE}}", base)
        ext = extract(html, base + a["path"])
        rows.append({"id": a["id"], "title": ext.title or a.get("title") or "", "text": ext.text or "",
                     "label": int(a["label"]), "category": a.get("kind"), "companies": a.get("companies"),
                     "jobs_cut": a.get("jobs_cut"), "manifest_title": a.get("title")})
    return rows
