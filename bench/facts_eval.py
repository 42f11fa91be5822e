"""Measure the fact extractor (crawler/classify/facts.py) on labelled articles.

Run from the repo root:  .venv/bin/python bench/facts_eval.py [--verbose] [FILE.jsonl ...]

Default inputs: ../shared/dev-set/articles.jsonl (if present), the repository's own
tests/fixtures/facts_cases.jsonl, and the labelled fixture pages of tests/fixtures/sites/manifest.json
(extracted from their HTML with crawler.extract, as the crawler sees them).  On the company stories (category ``pos_company``, or any
labelled-positive row naming companies when a file has no categories) it reports:

- jobs_cut exact: the extracted headline number equals the gold ``jobs_cut`` (both None counts);
- right company: any extracted company equals a gold company (case and spacing ignored, and a
  leading legal "PT" / trailing "Tbk", "(Persero)", "Inc", "AG" ... on either side: the extractor
  shows one canonical form without them, and gold files differ on writing them); the exact-spelling count is shown in brackets, and
  the count of the same company through the gazetteer's aliases (gold "Cisco Systems" = "Cisco");

and a sanity table of ``country`` and ``attribution`` over all positive rows (how often each
value is given), plus, with --verbose, every miss.
"""
from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.classify import classify  # noqa: E402

DEV = ROOT.parent / "shared" / "dev-set" / "articles.jsonl"
CASES = ROOT / "tests" / "fixtures" / "facts_cases.jsonl"
SITES = ROOT / "tests" / "fixtures" / "sites"


def load_sites() -> list[dict]:
    """The manifest's labelled pages as rows (title and text extracted from the saved HTML)."""
    from crawler.extract import decode_html, extract

    manifest = json.loads((SITES / "manifest.json").read_text(encoding="utf-8"))
    rows = []
    for it in manifest["articles"]:
        if it.get("duplicate_of"):
            continue
        page = extract(decode_html((SITES / it["file"]).read_bytes(), it.get("content_type")), "http://x" + it["path"])
        rows.append({"id": it["id"], "title": page.title, "text": page.text, "label": it["label"],
                     "companies": it.get("companies") or [], "jobs_cut": it.get("jobs_cut")})
    return rows


def _norm(name: str) -> str:
    return "".join(name.casefold().split())


_LEGAL_TAIL = re.compile(r"(?:\s+(?:tbk|\(persero\)|\(perseroda\)|persero|inc|corp|corporation|ltd|plc|ag|sa|nv|se))+\.?$",
                         re.IGNORECASE)


def _norm_pt(name: str) -> str:
    """_norm without a leading legal "PT" and trailing legal forms ("Tbk", "(Persero)", "Inc", "AG"):
    gold files differ on writing them, and the extractor shows names without them."""
    name = _LEGAL_TAIL.sub("", name.strip().rstrip(" ."))
    n = _norm(name)
    return n[2:] if n.startswith("pt") and name.strip()[:3].upper() == "PT " else n


def _same_company(gold: list[str], got: list[str]) -> bool:
    """One of got is one of gold, as one organisation: equal after _norm_pt, or the same company of
    the gazetteer (a gold "Cisco Systems" or "HP Inc" is the well-known "Cisco" or "HP" the
    extractor shows: its legal or long name is an alias there)."""
    from crawler.classify.facts import _ALIAS

    def canon(n: str) -> str:
        return _norm_pt(_ALIAS.get(n.strip().lower(), n))
    return bool({canon(c) for c in gold} & {canon(c) for c in got})


def load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def company_rows(rows: list[dict]) -> list[dict]:
    if any("category" in r for r in rows):
        return [r for r in rows if r.get("category") == "pos_company"]
    return [r for r in rows if int(r.get("label", 1)) == 1 and r.get("companies")]


def evaluate(name: str, rows: list[dict], verbose: bool) -> dict:
    comp = company_rows(rows)
    jobs_hit = comp_hit = comp_total = comp_hit_exact = comp_hit_alias = 0
    misses = []
    for r in comp:
        v = classify(r["title"], r["text"])
        if v.jobs_cut == r.get("jobs_cut"):
            jobs_hit += 1
        else:
            misses.append(f"{r['id']} jobs_cut: gold={r.get('jobs_cut')} got={v.jobs_cut} | {r['title'][:70]}")
        gold = {_norm(c) for c in r.get("companies") or []}
        if gold:
            comp_total += 1
            comp_hit_exact += bool(gold & {_norm(c) for c in v.companies})
            comp_hit_alias += _same_company(r["companies"], v.companies)
            if {_norm_pt(c) for c in r["companies"]} & {_norm_pt(c) for c in v.companies}:
                comp_hit += 1
            else:
                misses.append(f"{r['id']} companies: gold={r.get('companies')} got={v.companies}")
    named = [r for r in rows if r.get("companies")]
    named_hit = sum(bool({_norm_pt(c) for c in r["companies"]} & {_norm_pt(c) for c in classify(r["title"], r["text"]).companies})
                    for r in named)
    countries: Counter = Counter()
    attributions: Counter = Counter()
    evidence = 0
    positives = [r for r in rows if int(r.get("label", 1)) == 1]
    for r in positives:
        v = classify(r["title"], r["text"])
        countries[getattr(v, "country", None) or "-"] += 1
        attributions[(getattr(v, "attribution", None) or "-") if v.match else "(no match)"] += 1
        evidence += bool(getattr(v, "evidence", None))
    res = {"n": len(comp), "jobs_cut_exact": jobs_hit / len(comp) if comp else None,
           "right_company": comp_hit / comp_total if comp_total else None}
    print(f"== {name}")
    if comp:
        print(f"   company stories: n={len(comp)}  jobs_cut exact={jobs_hit}/{len(comp)} "
              f"({res['jobs_cut_exact']:.3f})  right company={comp_hit}/{comp_total} ({res['right_company']:.3f})"
              f"  [exact spelling incl. 'PT'/'Tbk': {comp_hit_exact}/{comp_total}; the same company by the "
              f"gazetteer's aliases: {comp_hit_alias}/{comp_total}]")
    if named:
        print(f"   every row naming companies (any label): right company={named_hit}/{len(named)} "
              f"({named_hit / len(named):.3f})")
    print(f"   positives: n={len(positives)}  with evidence={evidence}")
    print("   country:     " + ", ".join(f"{k}={n}" for k, n in countries.most_common()))
    print("   attribution: " + ", ".join(f"{k}={n}" for k, n in attributions.most_common()))
    if verbose:
        for m in misses:
            print("   MISS " + m)
    return res


def main(argv: list[str]) -> int:
    verbose = "--verbose" in argv
    files = [Path(a) for a in argv if not a.startswith("--")]
    if not files:
        files = [p for p in (DEV, CASES) if p.exists()]
        if not DEV.exists():
            print(f"(dev set not found at {DEV}; skipping)")
        for path in files:
            evaluate(str(path), load(path), verbose)
        evaluate(f"{SITES.relative_to(ROOT)}/manifest.json (extracted pages)", load_sites(), verbose)
        return 0
    for path in files:
        evaluate(str(path), load(path), verbose)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
