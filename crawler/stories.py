"""Stories: one layoff event, however many outlets report it (the events table).

Every flagged article joins exactly one story. Rules, in order:

1. **Syndicated copy** — the same text (equal content hash) or near-identical
   text (word 5-shingle Jaccard ≥ 0.6) as a flagged article of a story
   reported within ``WINDOW_DAYS`` → that story.
2. **Same event** — a story reported within ``WINDOW_DAYS`` of the article
   whose cutting company is the article's (the first company of each, case
   and legal suffixes ignored; or each one's first company is among the
   other's companies — never just a name both mention) and whose
   job-cut figure agrees (equal within 10 %, or one side unknown) → that
   story. Two different known figures mean two events (Amazon's 14,000 in
   October and 16,000 in January stay apart, as would two rounds in one week).
3. **Same trend piece** — no company: a story within the window whose title
   shares ≥ 60 % of its words → that story.
4. Otherwise a new story.

When a story first learns its job-cut figure (earlier reports said only
"ribuan" or nothing), the story is marked ``grown`` so delivery may send one
follow-up. The cost of grouping one
article is bounded: candidate stories come from an index on ``last_reported``
within the window, never from a scan of the archive; copies (rule 1) are
looked up, not compared one by one — the equal content hash by its index, and
near-identical texts through ``story_sketch`` (the ``SKETCH_KEYS`` smallest
shingle hashes of every grouped article, indexed by hash and story): two texts with Jaccard
≥ 0.6 share one of them with probability > 0.999 (and most of them, as a rule), and at most
``MAX_NEAR`` such members, most shared keys first, are compared in full (issue 15). Decoded
stored sketches are kept for the next articles (a crawl compares the same window members
again and again); the similarity builds each set once.

``stories`` is the events table: company, companies, jobs_cut, percent,
country (the classifier's country of the cut, else one the text states),
attribution and evidence (the first report's, replaced once by the first
report whose attribution is ``explicit``: the first explicit statement wins),
first_reported, last_reported, article_count; its outlets and links come
from the articles that point to it.
"""

from __future__ import annotations

import csv
import hashlib
import heapq
import json
import re
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import TextIO

from .dates import parse_date
from .store import Store, now_iso

WINDOW_DAYS = 4
SHINGLE = 5
NEAR_DUP = 0.6
TITLE_SIM = 0.6
SKETCH_KEYS = 8
MAX_NEAR = 20

_LEGAL = re.compile(r"\b(inc|corp|corporation|co|ltd|llc|plc|tbk|pt|persero|group|company|the)\b\.?", re.I)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)

_COUNTRIES = [
    ("Amerika Serikat", r"\b(?:amerika serikat|as|us|usa)\b"),
    ("Indonesia", r"\bindonesia\b"),
    ("India", r"\bindia\b"),
    ("Swedia", r"\bswedia\b"),
    ("Singapura", r"\bsingapura\b"),
    ("Inggris", r"\binggris\b"),
    ("Jerman", r"\bjerman\b"),
    ("China", r"\b(?:china|tiongkok)\b"),
    ("Jepang", r"\bjepang\b"),
    ("Australia", r"\baustralia\b"),
    ("Israel", r"\bisrael\b"),
    ("Kanada", r"\bkanada\b"),
    ("Korea Selatan", r"\bkorea selatan\b"),
    ("Malaysia", r"\bmalaysia\b"),
    ("Vietnam", r"\bvietnam\b"),
    ("Filipina", r"\bfilipina\b"),
    ("Prancis", r"\b(?:prancis|perancis)\b"),
    ("Belanda", r"\bbelanda\b"),
]
_COUNTRY_RE = [(name, re.compile(p, re.I)) for name, p in _COUNTRIES]
# the same patterns on lower-cased text, each behind a substring test: a case-insensitive regex
# scans the text at Python speed (19 of them cost ~1.5 ms per article). Exact: on an ASCII
# pattern, re.I differs from lower() only for the four characters in _FOLDS_TO_ASCII (İ ı ſ K),
# and lower() keeps every other character's length and word-ness.
_COUNTRY_LOW = [(name, re.compile(p), tuple(p.replace("\\b", "").replace("(?:", "").replace(")", "").split("|")))
                for name, p in _COUNTRIES]
_FOLDS_TO_ASCII = ("\u0130", "\u0131", "\u017f", "\u212a")
_HQ = re.compile(r"(?:berbasis|berkantor pusat|bermarkas|asal|yang berbasis)\s+(?:di\s+)?([A-Z][\w ]{2,30})")




def company_key(name: str | None) -> str | None:
    if not name:
        return None
    key = re.sub(r"\.(?:com|co\.id|co|id|ai|io)\b", " ", name.casefold())
    key = " ".join(_LEGAL.sub(" ", key).split())
    return key or name.casefold()


_BLAKE6 = hashlib.blake2b(digest_size=6)


def shingles(text: str, n: int = SHINGLE, limit: int = 400) -> list[int]:
    """Hashes of word n-grams (the smallest ``limit``: a MinHash-style sketch): each n-gram's
    6-byte blake2b digest as a big-endian integer (= ``int(hexdigest, 16)``)."""
    words = _WORD.findall((text or "").casefold())
    grams = {" ".join(g) for g in zip(*(words[k:] for k in range(n)))}
    fresh, from_bytes = _BLAKE6.copy, int.from_bytes  # copying a prepared hasher beats building one
    hashed = []
    for g in grams:
        h = fresh()
        h.update(g.encode())
        hashed.append(from_bytes(h.digest(), "big"))
    hashed.sort()
    return hashed[:limit]


def similarity(a: list[int], b: list[int]) -> float:
    if not a or not b:
        return 0.0
    # compare on the common sketch range so truncated sketches stay comparable: the side with the
    # smaller maximum is kept whole, the other cut at that maximum
    ma, mb = max(a), max(b)
    if ma <= mb:
        sa = set(a)
        sb = set(b) if mb <= ma else {x for x in b if x <= ma}
    else:
        sb = set(b)
        sa = {x for x in a if x <= mb}
    inter = len(sa & sb)
    union = len(sa) + len(sb) - inter
    return inter / union if union else 0.0


@lru_cache(maxsize=512)
def _stored_sketch(stored: str) -> tuple[int, ...]:
    """A grouped article's stored shingles (JSON), decoded once: the same window members are
    compared with article after article of a crawl."""
    return tuple(json.loads(stored))


def title_similarity(a: str, b: str) -> float:
    wa = {w for w in _WORD.findall((a or "").casefold()) if len(w) > 2}
    wb = {w for w in _WORD.findall((b or "").casefold()) if len(w) > 2}
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / min(len(wa), len(wb))


def detect_country(text: str) -> str | None:
    head = (text or "")[:1500]
    m = _HQ.search(head)
    if m:
        for name, rx in _COUNTRY_RE:
            if rx.search(m.group(1)):
                return name
    if any(c in head for c in _FOLDS_TO_ASCII):
        found = [name for name, rx in _COUNTRY_RE if rx.search(head)]
    else:
        low = head.lower()
        found = [name for name, rx, words in _COUNTRY_LOW if any(w in low for w in words) and rx.search(low)]
    for name in found:
        if name != "Indonesia":
            return name
    return "Indonesia" if found else None


def _same_company(keys: list[str], story: dict) -> bool:
    """The article's cutting company is the story's: equal first companies, or each side's first
    company among the other's (a roundup listing the pair in another order). A name both merely
    mention (a rival cited for comparison, a stray capitalised word) is never enough."""
    story_key = story["company_key"]
    if not story_key:
        return False
    if keys[0] == story_key:
        return True
    story_keys = {company_key(x) for x in json.loads(story["companies"] or "[]")} | {story_key}
    return keys[0] in story_keys and story_key in keys


def _article_country(art: dict) -> str | None:
    """The classifier's country of the cut; for articles classified before the classifier gave facts
    (no evidence, no attribution), the text's."""
    if art.get("country") or art.get("evidence") or art.get("attribution"):
        return art.get("country")
    return detect_country(art.get("text") or "")


def _figures_agree(a: int | None, b: int | None) -> bool:
    if a is None or b is None:
        return True
    return abs(a - b) <= 0.1 * max(a, b)


def _when(article: dict) -> datetime:
    for key in ("published", "fetched"):
        dt = parse_date(article.get(key)) if article.get(key) else None
        if dt:
            return dt.astimezone(timezone.utc)
    return datetime.now(timezone.utc)


def _iso(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).replace(microsecond=0).isoformat()


def _copy_candidates(store: Store, art: dict, sketch: list[int], story_ids: list[int]) -> list[tuple]:
    """(story_id, content_hash, shingles) of the window's grouped articles that may be copies of
    ``art``: the same content hash first, then those sharing the most sketch keys (newest first
    among equals), at most ``MAX_NEAR`` of them.

    Both look-ups seek by key and by story id >= the window's oldest story (stories are numbered
    as they are created), and keep the rows whose article's story is in the window: no look-up
    per window story (8 keys x 200 stories was 1,600 index seeks per article, issue 15)."""
    window, low = set(story_ids), min(story_ids)
    rows: list[tuple] = []
    if art.get("content_hash"):
        for row in store.db.execute(
                "SELECT story_id, content_hash, shingles FROM articles WHERE content_hash = ? AND story_id >= ? "
                "ORDER BY id DESC", [art["content_hash"], low]):
            if row[0] in window:
                rows.append(row)
                break
    keys = sketch[:SKETCH_KEYS]
    if keys:
        shared: dict[int, int] = {}
        for article_id, story_id in store.db.execute(
                f"SELECT article_id, story_id FROM story_sketch WHERE hash IN ({','.join('?' * len(keys))}) "
                "AND story_id >= ?", [*keys, low]):
            if story_id in window:
                shared[article_id] = shared.get(article_id, 0) + 1
        # most shared keys first: a copy shares most of them, a common phrase one or two
        best = [-i for _, i in heapq.nsmallest(MAX_NEAR, [(-n, -i) for i, n in shared.items()])]
        if best:
            found = {r[0]: r[1:] for r in store.db.execute(
                f"SELECT id, story_id, content_hash, shingles FROM articles WHERE id IN ({','.join('?' * len(best))})",
                best)}
            rows += [found[i] for i in best if i in found and found[i][0] in window]
    return rows


def assign_story(store: Store, article_id: int) -> int | None:
    """Put a flagged article into a story (existing or new). Returns the story id."""
    rows = list(store.db.query("SELECT * FROM articles WHERE id = ?", [article_id]))
    if not rows:
        return None
    art = rows[0]
    if not art.get("match"):
        return None
    if art.get("story_id"):
        return art["story_id"]
    companies = json.loads(art.get("companies") or "[]")
    keys = [k for k in (company_key(c) for c in companies) if k]
    when = _when(art)
    lo, hi = _iso(when - timedelta(days=WINDOW_DAYS)), _iso(when + timedelta(days=WINDOW_DAYS))
    sketch = shingles(art.get("text") or "")
    with store.write():
        # candidate stories: reported within the window, by index (stories(last_reported) for all,
        # stories(company_key, last_reported) for the company and trend rules), newest first
        window = "last_reported >= ? AND first_reported <= ? ORDER BY last_reported DESC LIMIT 200"
        story_ids = [r[0] for r in store.db.execute(f"SELECT id FROM stories WHERE {window}", [lo, hi]).fetchall()]
        chosen = None
        # 1. syndicated / near-duplicate text
        if story_ids:
            members = _copy_candidates(store, art, sketch, story_ids)
            for story_id, chash, sh in members:
                if art.get("content_hash") and chash == art["content_hash"]:
                    chosen = story_id
                    break
                if sh and sketch and similarity(sketch, _stored_sketch(sh)) >= NEAR_DUP:
                    chosen = story_id
                    break
        # 2. same company, agreeing figure
        if chosen is None and keys:
            # _same_company needs the story's company_key among the article's keys: only those stories
            marks = ",".join("?" * len(set(keys)))
            by_company = store.db.query(f"SELECT * FROM stories WHERE company_key IN ({marks}) AND {window}",
                                        [*set(keys), lo, hi])
            for c in by_company:
                if _same_company(keys, c) and _figures_agree(c["jobs_cut"], art.get("jobs_cut")):
                    chosen = c["id"]
                    break
        # 3. trend piece with a near-identical title
        if chosen is None and not keys:
            for c in store.db.query(f"SELECT * FROM stories WHERE company_key IS NULL AND {window}", [lo, hi]):
                if not c["company_key"] and title_similarity(c["title"] or "", art.get("title") or "") >= TITLE_SIM:
                    chosen = c["id"]
                    break
        stamp = now_iso()
        new = chosen is None
        if new:  # this article is its only report: article_count 1, nothing locked by an editor yet
            chosen = store.db.execute(
                "INSERT INTO stories (company, company_key, companies, jobs_cut, percent, country, title, "
                "first_reported, last_reported, article_count, grown, created, updated, attribution, evidence) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 0, ?, ?, ?, ?)",
                [companies[0] if companies else None, keys[0] if keys else None,
                 json.dumps(companies, ensure_ascii=False), art.get("jobs_cut"), art.get("percent"),
                 _article_country(art), art.get("title"), _iso(when), _iso(when), stamp, stamp,
                 art.get("attribution"), art.get("evidence")],
            ).lastrowid
        else:
            story = store.db.execute("SELECT jobs_cut, percent, companies, first_reported, last_reported, country "
                                     "FROM stories WHERE id = ?", [chosen]).fetchone()
            old_cut, old_pct, old_companies, first, last, country = story
            merged = json.loads(old_companies or "[]")
            for c in companies:
                if company_key(c) not in {company_key(x) for x in merged}:
                    merged.append(c)
            new_cut, grown = old_cut, 0
            cut = art.get("jobs_cut")
            if cut is not None and (old_cut is None or cut >= old_cut * 1.1):
                new_cut, grown = cut, 1 if old_cut is None or cut > old_cut else 0
            store.db.execute(
                "UPDATE stories SET jobs_cut = ?, percent = COALESCE(percent, ?), companies = ?, "
                "company = COALESCE(company, ?), company_key = COALESCE(company_key, ?), "
                "country = COALESCE(country, ?), first_reported = MIN(first_reported, ?), "
                "last_reported = MAX(last_reported, ?), grown = MAX(grown, ?), updated = ? WHERE id = ?",
                [new_cut, art.get("percent"), json.dumps(merged, ensure_ascii=False),
                 merged[0] if merged else None, company_key(merged[0]) if merged else None,
                 _article_country(art), _iso(when), _iso(when), grown, stamp, chosen])
            # attribution and evidence: the first report's, until the first explicit statement
            store.db.execute(
                "UPDATE stories SET attribution = ?, evidence = ? WHERE id = ? AND ("
                "(attribution IS NULL AND evidence IS NULL) OR (? = 'explicit' AND COALESCE(attribution, '') != 'explicit'))",
                [art.get("attribution"), art.get("evidence"), chosen, art.get("attribution")])
        if not new:
            from .editorial import reapply_locks

            reapply_locks(store, chosen)  # an editor's correction wins over every later report
        store.db.execute("UPDATE articles SET story_id = ?, shingles = ? WHERE id = ?",
                         [chosen, json.dumps(sketch[:200]), article_id])
        store.conn.executemany("INSERT OR IGNORE INTO story_sketch (hash, story_id, article_id) VALUES (?, ?, ?)",
                               [(h, chosen, article_id) for h in sketch[:SKETCH_KEYS]])
        if not new:
            store.db.execute("UPDATE stories SET article_count = (SELECT COUNT(*) FROM articles WHERE story_id = ?) "
                             "WHERE id = ?", [chosen, chosen])
    return chosen


def detach(store: Store, article_id: int) -> None:
    """Remove an article that is no longer flagged from its story."""
    with store.write():
        row = store.db.execute("SELECT story_id FROM articles WHERE id = ?", [article_id]).fetchone()
        if not row or not row[0]:
            return
        store.db.execute("UPDATE articles SET story_id = NULL WHERE id = ?", [article_id])
        n = store.db.execute("SELECT COUNT(*) FROM articles WHERE story_id = ?", [row[0]]).fetchone()[0]
        if n == 0:
            store.db.execute("DELETE FROM stories WHERE id = ? AND NOT EXISTS "
                             "(SELECT 1 FROM alerts WHERE alerts.article_id IN "
                             "(SELECT id FROM articles WHERE story_id = ?))", [row[0], row[0]])
        store.db.execute("UPDATE stories SET article_count = ? WHERE id = ?", [n, row[0]])


STORY_ARTICLES_SQL = ("SELECT id, url, title, outlet, source, published, fetched FROM articles WHERE story_id = ? "
                      "ORDER BY COALESCE(published, fetched), id")
"""A story's articles, oldest first (by the story_id index)."""

EVENTS_SQL = "SELECT * FROM stories WHERE retracted = 0 ORDER BY first_reported DESC, id DESC"
"""The events export: every story, newest first (then STORY_ARTICLES_SQL per story)."""


def refresh_facts(store: Store) -> int:
    """Every story's country, attribution and evidence taken again from its reports (after
    ``pantau reclassify``): oldest report first, the first explicit statement wins, the first
    known country. Returns how many stories changed."""
    changed = 0
    with store.write():
        for sid, country, attribution, evidence, locked in store.db.execute(
                "SELECT id, country, attribution, evidence, locked FROM stories").fetchall():
            reports = store.db.execute(
                "SELECT country, attribution, evidence FROM articles WHERE story_id = ? "
                "ORDER BY COALESCE(published, fetched), id", [sid]).fetchall()
            chosen = next((r for r in reports if r[1] == "explicit"), None) or next(
                (r for r in reports if r[1] or r[2]), None)
            new = (next((r[0] for r in reports if r[0]), country),
                   chosen[1] if chosen else attribution, chosen[2] if chosen else evidence)
            if locked:  # an editor's correction (crawler.editorial) wins over the reports
                fixed = json.loads(locked)
                new = (fixed.get("country", new[0]), fixed.get("attribution", new[1]), new[2])
            if new != (country, attribution, evidence):
                store.db.execute("UPDATE stories SET country = ?, attribution = ?, evidence = ? WHERE id = ?",
                                 [*new, sid])
                changed += 1
    return changed


def story_articles(store: Store, story_id: int) -> list[dict]:
    return list(store.db.query(STORY_ARTICLES_SQL, [story_id]))


def events(store: Store) -> list[dict]:
    """The events table with outlets and links, newest first."""
    out = []
    for s in store.db.query(EVENTS_SQL):
        arts = story_articles(store, s["id"])
        outlets: list[str] = []
        for a in arts:
            name = a["outlet"] or a["source"]
            if name and name not in outlets:
                outlets.append(name)
        out.append({
            "id": s["id"], "company": s["company"], "companies": json.loads(s["companies"] or "[]"),
            "jobs_cut": s["jobs_cut"], "percent": s["percent"], "country": s["country"],
            "attribution": s.get("attribution"), "evidence": s.get("evidence"),
            "title": s["title"], "first_reported": s["first_reported"], "last_reported": s["last_reported"],
            "articles": len(arts), "outlets": outlets, "links": [a["url"] for a in arts],
        })
    return out


def write_events(store: Store, out: TextIO, fmt: str = "csv") -> int:
    from .xmlsafe import xml_safe_value

    rows = xml_safe_value(events(store))
    if fmt in ("json", "jsonl"):
        if fmt == "json":
            json.dump(rows, out, ensure_ascii=False, indent=2)
            out.write("\n")
        else:
            for r in rows:
                out.write(json.dumps(r, ensure_ascii=False) + "\n")
        return len(rows)
    fields = ["id", "company", "companies", "jobs_cut", "percent", "country", "attribution", "first_reported",
              "last_reported", "articles", "outlets", "links", "title", "evidence"]
    w = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    w.writeheader()
    for r in rows:
        r = dict(r)
        for k in ("companies", "outlets", "links"):
            r[k] = "; ".join(r[k])
        w.writerow(r)
    return len(rows)
