"""Full-text search over flagged articles (FTS5), safe for any user text.

Rules: the query is cut to 200 characters and split into words (letters and
digits; everything else — quotes, FTS operators, parentheses, HTML, emoji —
is ignored); each word is matched as a quoted prefix (``"word"*``) and all
words must match. Results are flagged articles only, newest first, with the
total count. A query with no words returns ``error`` (a usage message), not
an exception.

Speed rules (issue 15; the SQL of each hot query is a constant here, and
tests/crawler/test_query_plans.py asserts its ``EXPLAIN QUERY PLAN``):
- The words are matched in ``flagged_fts``, an FTS5 index of the flagged
  articles only (about 1 % of the archive), never by probing the full
  index once per flagged article.
- The total is counted up to ``COUNT_CAP`` + 1 and reported as capped
  beyond it ("lebih dari 1.000"), so a very common word costs no more than
  a page.
- A page with few matches (<= ``FEW``) is sorted from those rows; with many,
  the partial index ``idx_flagged_when`` is walked newest first (ids only)
  until the page is full, and only the rows shown are read.
- A hit reads only ``HIT_COLUMNS`` (what /cari, /terbaru, the site's search
  and ``pantau search`` show), never the text: a rare word's search costs
  the FTS look-up plus five short rows, not five article texts. Dates are
  formatted once per distinct value (``short_date`` caches plausible ones).
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field

from .dates import MONTHS_SHORT, WIB, parse_date
from .store import Store, decode_article

MAX_QUERY = 200
MAX_WORDS = 12
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


COUNT_CAP = 1000

PLAIN_HIT_COLUMNS = ("id, url, title, outlet, source, published, fetched, match, score, story_id, companies, "
                     "jobs_cut, percent")
"""The columns of a hit that every archive has (schema 003); no text, summary or reasons: a page
shows title, outlet, date and facts."""
HIT_COLUMNS = PLAIN_HIT_COLUMNS + ", country, attribution, evidence"
"""The columns of a hit; an archive from before migration 010 (the site reads any archive as it
is) gets ``PLAIN_HIT_COLUMNS``."""

SEARCH_COUNT_SQL = "SELECT COUNT(*) FROM (SELECT 1 FROM flagged_fts WHERE flagged_fts MATCH ? LIMIT ?)"
"""Matching flagged articles, counted up to the given limit (COUNT_CAP + 1). ``flagged_fts``
holds exactly the flagged articles (store triggers), so the count needs no look-ups."""

FEW = 100
"""Up to this many matches a page is sorted from the matching rows themselves."""

_NEWEST_FIRST = "ORDER BY COALESCE(published, fetched) DESC, id DESC"


def _page_sql(cols: str) -> dict[str, str]:
    a_cols = ", ".join(f"a.{c.strip()}" for c in cols.split(","))
    return {
        "few": (f"SELECT {a_cols} FROM flagged_fts f CROSS JOIN articles a ON a.id = f.rowid "
                "WHERE flagged_fts MATCH ? AND a.match = 1 "
                "ORDER BY COALESCE(a.published, a.fetched) DESC, a.id DESC LIMIT ? OFFSET ?"),
        "page": (f"SELECT {cols} FROM articles WHERE id IN ("
                 "SELECT id FROM articles INDEXED BY idx_flagged_when WHERE match = 1 AND id IN "
                 f"(SELECT rowid FROM flagged_fts WHERE flagged_fts MATCH ?) {_NEWEST_FIRST} LIMIT ? OFFSET ?) "
                 f"{_NEWEST_FIRST}"),
        "latest": f"SELECT {cols} FROM articles INDEXED BY idx_flagged_when WHERE match = 1 {_NEWEST_FIRST} LIMIT ?",
    }


_SQL, _PLAIN_SQL = _page_sql(HIT_COLUMNS), _page_sql(PLAIN_HIT_COLUMNS)

SEARCH_FEW_SQL = _SQL["few"]
"""A page when at most FEW articles match (params: match, limit, offset): the FTS match runs
once, then one primary-key look-up per match (CROSS JOIN fixes that order), then a small sort."""

SEARCH_PAGE_SQL = _SQL["page"]
"""A page when more than FEW articles match (params: match, limit, offset): walks the
flagged-by-date index (ids only) against the matching ids until the page is full — with many
matches that is soon — then reads the page's rows."""

LATEST_SQL = _SQL["latest"]
"""/terbaru: the newest flagged articles (param: n), read in index order."""


def _rows(store: Store, name: str, params: list) -> list[dict]:
    try:
        return list(store.db.query(_SQL[name], params))
    except sqlite3.OperationalError as exc:
        if "no such column" not in str(exc):
            raise
        return list(store.db.query(_PLAIN_SQL[name], params))  # an archive from before migration 010


@dataclass
class SearchPage:
    query: str
    total: int = 0
    hits: list[dict] = field(default_factory=list)
    error: str | None = None
    capped: bool = False  # more than ``total`` (= COUNT_CAP) articles match


def fts_query(text: str) -> str | None:
    words = _WORD.findall((text or "")[:MAX_QUERY])[:MAX_WORDS]
    if not words:
        return None
    return " ".join(f'"{w}"*' for w in words)


_SHORT: dict[str, str] = {}


def short_date(iso: str | None) -> str:
    if iso in _SHORT:
        return _SHORT[iso]
    dt = parse_date(iso) if iso else None
    if not dt:
        return "tanpa tanggal"  # not cached: a date just ahead of the clock becomes plausible later
    dt = dt.astimezone(WIB)
    out = f"{dt.day} {MONTHS_SHORT[dt.month - 1]} {dt.year}"
    if len(_SHORT) >= 4096:
        _SHORT.clear()
    _SHORT[iso] = out  # a plausible date stays plausible (the window only moves forward)
    return out


def search(store: Store, text: str, limit: int = 5, offset: int = 0) -> SearchPage:
    page = SearchPage(query=text)
    match = fts_query(text)
    if match is None:
        page.error = "Kata kunci kosong. Contoh: /cari Fiverr atau /cari PHK AI"
        return page
    n = store.db.execute(SEARCH_COUNT_SQL, [match, COUNT_CAP + 1]).fetchone()[0]
    page.total, page.capped = min(n, COUNT_CAP), n > COUNT_CAP
    limit, offset = max(1, limit), max(0, offset)
    if n == 0 or offset >= n:
        return page
    page.hits = [_hit(row) for row in _rows(store, "few" if n <= FEW else "page", [match, limit, offset])]
    return page


def latest(store: Store, n: int = 5) -> list[dict]:
    return [_hit(row) for row in _rows(store, "latest", [max(1, n)])]


def _hit(row: dict) -> dict:
    """A stored article as a search/list hit: decoded, with a short date and an outlet name."""
    row = decode_article(row)
    row["published_short"] = short_date(row.get("published") or row.get("fetched"))
    row["outlet"] = row.get("outlet") or row.get("source") or "?"
    return row
