"""Full-text search over flagged articles (FTS5), safe for any user text.

Rules: the query is cut to 200 characters and split into words (letters and
digits; everything else — quotes, FTS operators, parentheses, HTML, emoji —
is ignored); each word is matched as a quoted prefix (``"word"*``) and all
words must match. Results are flagged articles only, newest first, with the
total count. A query with no words returns ``error`` (a usage message), not
an exception.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .dates import MONTHS_SHORT, WIB, parse_date
from .store import Store, decode_article

MAX_QUERY = 200
MAX_WORDS = 12
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass
class SearchPage:
    query: str
    total: int = 0
    hits: list[dict] = field(default_factory=list)
    error: str | None = None


def fts_query(text: str) -> str | None:
    words = _WORD.findall((text or "")[:MAX_QUERY])[:MAX_WORDS]
    if not words:
        return None
    return " ".join(f'"{w}"*' for w in words)


def short_date(iso: str | None) -> str:
    dt = parse_date(iso) if iso else None
    if not dt:
        return "tanpa tanggal"
    dt = dt.astimezone(WIB)
    return f"{dt.day} {MONTHS_SHORT[dt.month - 1]} {dt.year}"


def search(store: Store, text: str, limit: int = 5, offset: int = 0) -> SearchPage:
    page = SearchPage(query=text)
    match = fts_query(text)
    if match is None:
        page.error = "Kata kunci kosong. Contoh: /cari Fiverr atau /cari PHK AI"
        return page
    base = ("FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
            "WHERE articles_fts MATCH ? AND a.match = 1")
    page.total = store.db.execute(f"SELECT COUNT(*) {base}", [match]).fetchone()[0]
    rows = store.db.query(
        f"SELECT a.* {base} ORDER BY COALESCE(a.published, a.fetched) DESC, a.id DESC LIMIT ? OFFSET ?",
        [match, max(1, limit), max(0, offset)])
    page.hits = [_hit(row) for row in rows]
    return page


def latest(store: Store, n: int = 5) -> list[dict]:
    rows = store.db.query(
        "SELECT * FROM articles WHERE match = 1 ORDER BY COALESCE(published, fetched) DESC, id DESC LIMIT ?",
        [max(1, n)])
    return [_hit(row) for row in rows]


def _hit(row: dict) -> dict:
    """A stored article as a search/list hit: decoded, with a short date and an outlet name."""
    row = decode_article(row)
    row["published_short"] = short_date(row.get("published") or row.get("fetched"))
    row["outlet"] = row.get("outlet") or row.get("source") or "?"
    return row
