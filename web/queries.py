"""Read-only queries behind the tracker website, its API and the static build.

Rules:
- The database is opened read-only (``file:…?mode=ro`` URI plus
  ``PRAGMA query_only``); nothing in ``web/`` ever writes to it.
- No SQL is built from request text. Values are bound parameters; the only
  pieces put into SQL text are column names taken from the ``SORTS``
  whitelist and from ``PRAGMA table_info`` of our own schema.
- Request parameters are parsed by ``parse_filters`` / ``parse_page``; a bad
  value raises ``BadRequest`` with a one-line Indonesian message (the app
  answers 400), never an exception from SQLite.
- Columns other engineers add (``attribution``, ``evidence`` on stories or
  articles, a ``corrections`` table, a retraction flag) are read when they
  exist and left empty when they do not, so the site works on any schema
  version from ``003_stories`` on.
- Months are WIB calendar months; stored times are UTC ISO 8601.
- Full-text search is ``crawler.search`` (the engine behind ``/cari``): its
  ``search`` for flagged articles and its ``fts_query`` for the events filter.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

from crawler.dates import WIB
from crawler.search import fts_query
from crawler.search import search as fts_search
from crawler.store import Store

ROOT = Path(__file__).resolve().parent.parent

PER_PAGE = 50
MAX_PER_PAGE = 500
MAX_PAGE = 100_000
MAX_TEXT = 200

ATTRIBUTIONS = {
    "explicit": ("Eksplisit", "Perusahaan atau eksekutifnya sendiri menyebut AI atau otomatisasi sebagai alasan PHK."),
    "attributed": ("Dikaitkan", "Media, analis atau serikat pekerja yang mengaitkan PHK ini dengan AI; perusahaan tidak menyatakannya."),
    "disputed": ("Diperdebatkan", "AI disebut sebagai dalih (\"AI-washing\") atau perusahaan membantah kaitannya dengan AI."),
}
UNKNOWN_ATTRIBUTION = ("Belum ditentukan", "Jenis atribusi belum tercatat untuk peristiwa ini.")

# public sort key -> SQL expression (whitelist; "atribusi" only when the column exists)
SORTS = {
    "tanggal": "s.first_reported",
    "perusahaan": "s.company_key",
    "jumlah": "s.jobs_cut",
    "persen": "s.percent",
    "negara": "s.country",
    "sumber": "s.article_count",
    "atribusi": "s.attribution",
}
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


# the editorial corrections log (issue 11), whichever of these names it has; its "who" is never shown
CORRECTION_TABLES = ("corrections", "story_corrections", "audit", "audit_log", "editorial_audit")


# audit actions shown publicly (crawler.editorial); other rows (grey zone, timeouts) are internal
PUBLIC_ACTIONS = {"approve": "Ditinjau redaksi", "correct": "Koreksi", "merge": "Digabung dengan peristiwa lain",
                  "split": "Satu berita dipisah menjadi peristiwa sendiri"}
FIELD_LABELS = {"company": "perusahaan", "perusahaan": "perusahaan", "jobs_cut": "jumlah", "jumlah": "jumlah",
                "percent": "persen", "persen": "persen", "country": "negara", "negara": "negara",
                "attribution": "atribusi", "atribusi": "atribusi"}


def _loads(value):
    if isinstance(value, str) and value[:1] in "{[":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _correction(r: dict, when: str | None) -> dict | None:
    """One public history entry from a corrections/audit row; None for internal rows. Who made it is
    never part of it."""
    action = next((r[c] for c in ("action", "kind") if r.get(c)), None)
    if action is not None and "field" not in r:
        if action not in PUBLIC_ACTIONS:
            return None
        label = PUBLIC_ACTIONS[action]
    else:
        label = r.get("field") or action or "koreksi"
    before = next((r[c] for c in ("before", "old", "old_value") if r.get(c) is not None), None)
    after = next((r[c] for c in ("after", "new", "new_value") if r.get(c) is not None), None)
    before, after = _loads(before), _loads(after)
    changes = []
    if isinstance(before, dict) or isinstance(after, dict):
        b, a = before if isinstance(before, dict) else {}, after if isinstance(after, dict) else {}
        for key in list(dict.fromkeys([*a, *b])):
            if key in FIELD_LABELS:
                changes.append((FIELD_LABELS[key], b.get(key), a.get(key)))
    elif action in (None, "correct") and (before is not None or after is not None):
        changes.append((None, before, after))
    return {"when": r.get(when) if when else None, "field": label, "changes": changes,
            "note": next((r[c] for c in ("note", "reason", "comment") if r.get(c)), None)}


class BadRequest(ValueError):
    """A request parameter is unusable; the message is one Indonesian line."""


class NoDatabase(RuntimeError):
    """The database file does not exist (yet)."""


def connect_ro(path: Path | str) -> sqlite3.Connection:
    """Open ``path`` read-only. Missing file -> ``NoDatabase`` (never created)."""
    p = Path(path)
    if not p.is_file():
        raise NoDatabase(f"database {p} does not exist yet (run `pantau crawl` first)")
    conn = sqlite3.connect(p.resolve().as_uri() + "?mode=ro", uri=True, timeout=10,
                           check_same_thread=False, isolation_level=None)
    conn.execute("PRAGMA query_only = ON")
    return conn


# -- parameters ------------------------------------------------------------------

@dataclass(frozen=True)
class EventFilter:
    """The events view: filters, sort and page. Field names are the URL parameters."""

    q: str = ""
    perusahaan: str = ""
    negara: str = ""
    atribusi: str = ""
    dari: str = ""
    sampai: str = ""
    min: int | None = None
    urut: str = "tanggal"
    arah: str = "desc"
    hal: int = 1
    per: int = PER_PAGE

    def params(self, **changes) -> dict[str, str]:
        """The non-default URL parameters of this view (with ``changes``)."""
        f = replace(self, **changes) if changes else self
        default = EventFilter()
        out = {}
        for fl in fields(f):
            value = getattr(f, fl.name)
            if value != getattr(default, fl.name) and value not in (None, ""):
                out[fl.name] = str(value)
        return out

    @property
    def filtered(self) -> bool:
        return any([self.q, self.perusahaan, self.negara, self.atribusi, self.dari, self.sampai,
                    self.min is not None])


def _text(params, name: str, limit: int = MAX_TEXT) -> str:
    value = params.get(name)
    if value is None:
        return ""
    if len(value) > limit:
        raise BadRequest(f"Parameter '{name}' terlalu panjang (maksimal {limit} karakter).")
    if any(ord(ch) < 32 for ch in value):
        raise BadRequest(f"Parameter '{name}' berisi karakter kontrol.")
    return value.strip()


def _int(params, name: str, lo: int, hi: int, default: int | None) -> int | None:
    raw = params.get(name)
    if raw is None or raw.strip() == "":
        return default
    raw = raw.strip()
    if not re.fullmatch(r"\d{1,10}", raw):
        raise BadRequest(f"Parameter '{name}' harus berupa bilangan bulat (diberikan: {raw[:20]!r}).")
    value = int(raw)
    if not lo <= value <= hi:
        raise BadRequest(f"Parameter '{name}' harus antara {lo} dan {hi}.")
    return value


def _month(params, name: str) -> str:
    raw = _text(params, name, 7)
    if not raw:
        return ""
    m = _MONTH.match(raw)
    if not m or not (1990 <= int(m.group(1)) <= 2200 and 1 <= int(m.group(2)) <= 12):
        raise BadRequest(f"Parameter '{name}' harus berupa bulan dengan format TTTT-BB, misalnya 2026-01.")
    return raw


def parse_page(params, max_per: int = MAX_PER_PAGE) -> tuple[int, int]:
    page = _int(params, "hal", 1, MAX_PAGE, 1)
    per = _int(params, "per", 1, max_per, PER_PAGE)
    return page, per  # type: ignore[return-value]


def parse_filters(params, max_per: int = MAX_PER_PAGE) -> EventFilter:
    """Validate the events-view parameters of a mapping (``request.query_params``)."""
    atribusi = _text(params, "atribusi", 20)
    if atribusi and atribusi not in ATTRIBUTIONS and atribusi != "belum":
        raise BadRequest("Parameter 'atribusi' harus salah satu dari: explicit, attributed, disputed, belum.")
    urut = _text(params, "urut", 20) or "tanggal"
    if urut not in SORTS:
        raise BadRequest("Parameter 'urut' harus salah satu dari: " + ", ".join(SORTS) + ".")
    arah = _text(params, "arah", 4) or "desc"
    if arah not in ("asc", "desc"):
        raise BadRequest("Parameter 'arah' harus 'asc' atau 'desc'.")
    dari, sampai = _month(params, "dari"), _month(params, "sampai")
    if dari and sampai and dari > sampai:
        raise BadRequest("Bulan 'dari' harus sebelum atau sama dengan bulan 'sampai'.")
    page, per = parse_page(params, max_per)
    return EventFilter(
        q=_text(params, "q"), perusahaan=_text(params, "perusahaan", 100), negara=_text(params, "negara", 60),
        atribusi=atribusi, dari=dari, sampai=sampai, min=_int(params, "min", 0, 10**9, None),
        urut=urut, arah=arah, hal=page, per=per)


def month_bounds(month: str) -> tuple[str, str]:
    """UTC ISO bounds [start, end) of a WIB calendar month 'YYYY-MM'."""
    y, m = int(month[:4]), int(month[5:])
    start = datetime(y, m, 1, tzinfo=WIB)
    end = datetime(y + (m == 12), m % 12 + 1, 1, tzinfo=WIB)
    return _utc(start), _utc(end)


def _utc(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).replace(microsecond=0).isoformat()


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


# -- the reader ------------------------------------------------------------------------

def data_signature(path: Path) -> tuple:
    """Changes whenever the database file or its WAL changes (size or modification time)."""
    sig = []
    for p in (path, path.with_name(path.name + "-wal")):
        try:
            st = p.stat()
            sig += [st.st_mtime_ns, st.st_size]
        except OSError:
            sig += [None, None]
    return tuple(sig)


_CACHE: dict[tuple, dict] = {}
_CACHE_LOCK = threading.Lock()


class Reader:
    """Queries over one read-only connection. ``with Reader(path) as r: …``

    Whole-table aggregates (counters, months, top companies, countries, the
    schema) are the same for every visitor; they are cached per process and
    recomputed when ``data_signature`` of the file changes.
    """

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.conn = connect_ro(self.path)
        key = (str(self.path.resolve()), data_signature(self.path))
        with _CACHE_LOCK:
            cache = _CACHE.get(key)
            if cache is None:
                if len(_CACHE) >= 8:
                    _CACHE.clear()
                cache = _CACHE[key] = {}
        self.cache = cache
        if "schema" not in cache:
            tables = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            log_table = next((t for t in CORRECTION_TABLES if t in tables
                              and "story_id" in self._columns(t)), None)
            cache["schema"] = (tables, self._columns("stories"), self._columns("articles"),
                               self._columns(log_table) if log_table else set(), log_table)
        tables, self.story_cols, self.article_cols, self.corrections_cols, self.corrections_table = cache["schema"]
        self.has_fts = "articles_fts" in tables
        self.fts_table = "flagged_fts" if "flagged_fts" in tables else ("articles_fts" if self.has_fts else None)
        self.has_sources = "sources" in tables
        if not self.story_cols:
            raise NoDatabase(f"database {self.path} has no events table yet")
        self.has_attribution = "attribution" in self.story_cols
        self.hidden = self._hidden_clause()

    def __enter__(self) -> "Reader":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    def _columns(self, table: str) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT name FROM pragma_table_info(?)", [table]).fetchall()}

    def _hidden_clause(self) -> str:
        """SQL condition that keeps retracted/hidden stories off the site (when such a column exists)."""
        conds = []
        for col in ("retracted", "hidden", "deleted"):
            if col in self.story_cols:
                conds.append(f"COALESCE(s.{col}, 0) = 0")
        if "status" in self.story_cols:
            conds.append("COALESCE(s.status, '') NOT IN ('retracted', 'rejected', 'hidden', 'deleted')")
        return " AND ".join(conds) or "1"

    def _rows(self, sql: str, params=()) -> list[dict]:
        cur = self.conn.execute(sql, list(params))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]

    def data_version(self) -> str:
        """Changes whenever the data a page shows may have changed (for ETags)."""
        row = self.conn.execute(
            f"SELECT COUNT(*), MAX(COALESCE(updated, created)), MAX(id) FROM stories s WHERE {self.hidden}").fetchone()
        art = self.conn.execute("SELECT MAX(id) FROM articles").fetchone()
        return f"{row[0]}-{row[1]}-{row[2]}-{art[0]}"

    # -- events -----------------------------------------------------------------------
    def _story_select(self) -> str:
        extra = "".join(f", s.{c}" for c in ("attribution", "evidence") if c in self.story_cols)
        return ("SELECT s.id, s.company, s.company_key, s.companies, s.jobs_cut, s.percent, s.country, s.title, "
                "s.first_reported, s.last_reported, s.article_count" + extra)

    def _where(self, f: EventFilter) -> tuple[str, list]:
        conds, params = [self.hidden], []
        if f.perusahaan:
            conds.append("(s.company LIKE ? ESCAPE '\\' OR s.companies LIKE ? ESCAPE '\\')")
            params += [_like(f.perusahaan), _like(f.perusahaan)]
        if f.negara:
            if f.negara == "belum":
                conds.append("s.country IS NULL")
            else:
                conds.append("s.country = ?")
                params.append(f.negara)
        if f.atribusi:
            if not self.has_attribution:
                conds.append("1" if f.atribusi == "belum" else "0")
            elif f.atribusi == "belum":
                conds.append("s.attribution IS NULL")
            else:
                conds.append("s.attribution = ?")
                params.append(f.atribusi)
        if f.dari:
            conds.append("s.first_reported >= ?")
            params.append(month_bounds(f.dari)[0])
        if f.sampai:
            conds.append("s.first_reported < ?")
            params.append(month_bounds(f.sampai)[1])
        if f.min is not None:
            conds.append("s.jobs_cut >= ?")
            params.append(f.min)
        if f.q:
            match = fts_query(f.q)
            if match and self.fts_table:
                # flagged_fts (the flagged articles only, crawler.search) when the schema has it; the
                # matching stories are found once and passed to the count and the page as one JSON list
                ids = [r[0] for r in self.conn.execute(
                    f"SELECT DISTINCT a.story_id FROM articles a WHERE a.id IN (SELECT rowid FROM "
                    f"{self.fts_table} WHERE {self.fts_table} MATCH ?) AND a.match = 1 "
                    "AND a.story_id IS NOT NULL", [match])]
                conds.append("s.id IN (SELECT value FROM json_each(?))")
                params.append(json.dumps(ids))
        return " AND ".join(conds), params

    def _order(self, f: EventFilter) -> str:
        col = SORTS[f.urut] if (f.urut != "atribusi" or self.has_attribution) else SORTS["tanggal"]
        direction = "ASC" if f.arah == "asc" else "DESC"
        return f"ORDER BY ({col} IS NULL), {col} {direction}, s.first_reported {direction}, s.id {direction}"

    def events(self, f: EventFilter, paged: bool = True) -> tuple[list[dict], int]:
        """(rows of this page — or every matching row when ``paged`` is False, total)."""
        where, params = self._where(f)
        total = self.conn.execute(f"SELECT COUNT(*) FROM stories s WHERE {where}", params).fetchone()[0]
        sql = f"{self._story_select()} FROM stories s WHERE {where} {self._order(f)}"
        if paged:
            sql += " LIMIT ? OFFSET ?"
            params = params + [f.per, (f.hal - 1) * f.per]
        raw = self._rows(sql, params)
        rows = [self._event(r) for r in raw]
        self._attach_outlets(rows)
        return rows, total

    def iter_events(self, f: EventFilter, chunk: int = 500):
        """Every event of the filtered view, in its order, a chunk of rows at a time (constant memory;
        one sorted query, read with fetchmany)."""
        where, params = self._where(f)
        cur = self.conn.execute(f"{self._story_select()} FROM stories s WHERE {where} {self._order(f)}", params)
        names = [d[0] for d in cur.description]
        while True:
            rows = [self._event(dict(zip(names, r))) for r in cur.fetchmany(chunk)]
            if not rows:
                return
            self._attach_outlets(rows, links=True)
            yield from rows

    def _event(self, r: dict) -> dict:
        try:
            companies = json.loads(r.get("companies") or "[]")
        except ValueError:
            companies = [r["companies"]]
        attribution = r.get("attribution")
        label, explain = ATTRIBUTIONS.get(attribution or "", UNKNOWN_ATTRIBUTION)
        return {
            "id": r["id"], "title": r.get("title") or "", "company": r.get("company"),
            "companies": companies, "jobs_cut": r.get("jobs_cut"), "percent": r.get("percent"),
            "country": r.get("country"), "attribution": attribution, "attribution_label": label,
            "attribution_explained": explain, "evidence": r.get("evidence"),
            "first_reported": r.get("first_reported"), "last_reported": r.get("last_reported"),
            "article_count": r.get("article_count") or 0,
        }

    def _attach_outlets(self, rows: list[dict], links: bool = False) -> None:
        by_id = {r["id"]: r for r in rows}
        for r in rows:
            r["outlets"] = []
            if links:
                r["links"] = []
        if not by_id:
            return
        marks = ",".join("?" * len(by_id))
        for sid, outlet, source, url in self.conn.execute(
                f"SELECT story_id, outlet, source, url FROM articles WHERE story_id IN ({marks}) "
                f"ORDER BY COALESCE(published, fetched), id", list(by_id)):
            r = by_id[sid]
            name = outlet or source
            if name and name not in r["outlets"]:
                r["outlets"].append(name)
            if links:
                r["links"].append(url)

    def _report_sql(self, where: str) -> str:
        extra = "".join(f", {c}" for c in ("evidence", "attribution") if c in self.article_cols)
        return (f"SELECT story_id, id, url, title, outlet, source, published, fetched{extra} FROM articles "
                f"WHERE {where} ORDER BY story_id, COALESCE(published, fetched), id")

    def _detail(self, ev: dict, reports: list[dict], corrections: list[dict] | None = None) -> dict:
        ev["reports"] = reports
        for a in reports:
            a["outlet"] = a.get("outlet") or a.get("source") or "?"
        ev["outlets"] = list(dict.fromkeys(a["outlet"] for a in reports))
        ev["links"] = [a["url"] for a in reports]
        if not ev["evidence"]:
            ev["evidence"] = next((a.get("evidence") for a in reports if a.get("evidence")), None)
        ev["first"] = reports[0] if reports else None
        ev["corrections"] = self.corrections(ev["id"]) if corrections is None else corrections
        return ev

    def event(self, story_id: int) -> dict | None:
        """One event with every report (oldest first) and its corrections."""
        rows = self._rows(f"{self._story_select()} FROM stories s WHERE s.id = ? AND {self.hidden}", [story_id])
        if not rows:
            return None
        return self._detail(self._event(rows[0]), self._rows(self._report_sql("story_id = ?"), [story_id]))

    def iter_event_details(self, f: EventFilter, chunk: int = 500):
        """``event()`` for every event of a view, reading reports a chunk of events at a time (static build)."""
        batch: list[dict] = []

        def flush():
            ids = [ev["id"] for ev in batch]
            marks = ",".join("?" * len(ids))
            reports: dict[int, list[dict]] = {i: [] for i in ids}
            for a in self._rows(self._report_sql(f"story_id IN ({marks})"), ids):
                reports[a["story_id"]].append(a)
            fixes = self.corrections_for(ids)
            for ev in batch:
                yield self._detail(ev, reports[ev["id"]], fixes.get(ev["id"], []))

        for ev in self.iter_events(f, chunk):
            batch.append(ev)
            if len(batch) >= chunk:
                yield from flush()
                batch = []
        if batch:
            yield from flush()

    def corrections(self, story_id: int) -> list[dict]:
        """The public corrections history of a story (when the editorial table exists)."""
        return self.corrections_for([story_id]).get(story_id, [])

    def corrections_for(self, story_ids: list[int]) -> dict[int, list[dict]]:
        cols = self.corrections_cols
        if not self.corrections_table or not story_ids:
            return {}
        when = next((c for c in ("created", "at", "created_at", "corrected_at", "time", "ts") if c in cols),
                    None)
        order = f"ORDER BY story_id, {when}, rowid" if when else "ORDER BY story_id, rowid"
        marks = ",".join("?" * len(story_ids))
        out: dict[int, list[dict]] = {}
        for r in self._rows(f"SELECT * FROM {self.corrections_table} WHERE story_id IN ({marks}) {order}",
                            list(story_ids)):
            entry = _correction(r, when)
            if entry:
                out.setdefault(r["story_id"], []).append(entry)
        return out

    def _cached(self, key, compute):
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]

    def countries(self) -> list[str]:
        return self._cached("countries", self._countries)

    def _countries(self) -> list[str]:
        return [r[0] for r in self.conn.execute(
            f"SELECT DISTINCT s.country FROM stories s WHERE s.country IS NOT NULL AND {self.hidden} ORDER BY 1")]

    # -- home -------------------------------------------------------------------------
    def counters(self, now: datetime | None = None) -> dict:
        now = (now or datetime.now(timezone.utc)).astimezone(WIB)
        return self._cached(("counters", now.year, now.month), lambda: self._counters(now))

    def _counters(self, now: datetime) -> dict:
        start, end = month_bounds(f"{now.year:04d}-{now.month:02d}")
        row = self.conn.execute(
            "SELECT COUNT(*), COALESCE(SUM(s.jobs_cut), 0), COUNT(DISTINCT s.company_key), "
            "COALESCE(SUM(s.first_reported >= ? AND s.first_reported < ?), 0) "
            f"FROM stories s WHERE {self.hidden}", [start, end]).fetchone()
        return {"events": row[0], "jobs": row[1], "companies": row[2], "this_month": row[3]}

    def monthly(self, months: int = 24, now: datetime | None = None) -> list[dict]:
        """Events and jobs cut per WIB month, oldest first, empty months included (at most ``months``)."""
        now = (now or datetime.now(timezone.utc)).astimezone(WIB)
        return self._cached(("monthly", months, now.year, now.month), lambda: self._monthly(months, now))

    def _monthly(self, months: int, now: datetime) -> list[dict]:
        data = {m: (n, jobs) for m, n, jobs in self.conn.execute(
            "SELECT strftime('%Y-%m', s.first_reported, '+7 hours') AS m, COUNT(*), COALESCE(SUM(s.jobs_cut), 0) "
            f"FROM stories s WHERE {self.hidden} GROUP BY m")
            if m}
        last = max([f"{now.year:04d}-{now.month:02d}", *data])
        first = min(data) if data else last
        out = []
        y, m = int(last[:4]), int(last[5:])
        while len(out) < months:
            key = f"{y:04d}-{m:02d}"
            n, jobs = data.get(key, (0, 0))
            out.append({"month": key, "events": n, "jobs": jobs})
            if key <= first:
                break
            y, m = (y - 1, 12) if m == 1 else (y, m - 1)
        return out[::-1]

    def latest(self, n: int = 8) -> list[dict]:
        rows = [self._event(r) for r in self._rows(
            f"{self._story_select()} FROM stories s WHERE {self.hidden} "
            "ORDER BY s.last_reported DESC, s.id DESC LIMIT ?", [n])]
        self._attach_outlets(rows)
        return rows

    def top_companies(self, n: int = 10) -> list[dict]:
        return self._cached(("top", n), lambda: self._top_companies(n))

    def _top_companies(self, n: int) -> list[dict]:
        return self._rows(
            "SELECT MAX(s.company) AS company, COUNT(*) AS events, COALESCE(SUM(s.jobs_cut), 0) AS jobs "
            f"FROM stories s WHERE s.company_key IS NOT NULL AND {self.hidden} GROUP BY s.company_key "
            "ORDER BY jobs DESC, events DESC, company LIMIT ?", [n])

    # -- search --------------------------------------------------------------------------
    def search(self, q: str, page: int = 1, per: int = 20) -> dict:
        """Flagged articles matching ``q`` (crawler.search, the /cari engine), one page."""
        store = Store(self.conn, self.path)
        result = fts_search(store, q, limit=per, offset=(page - 1) * per)
        hits = []
        for h in result.hits:
            hits.append({
                "id": h.get("id"), "title": h.get("title") or "", "url": h.get("url"),
                "outlet": h.get("outlet"), "published": h.get("published") or h.get("fetched"),
                "story_id": h.get("story_id"), "companies": h.get("companies") or [],
                "jobs_cut": h.get("jobs_cut"), "evidence": h.get("evidence"),
            })
        return {"query": q, "total": result.total, "hits": hits, "error": result.error,
                "capped": bool(getattr(result, "capped", False))}

    # -- methodology ---------------------------------------------------------------------
    def sources(self) -> list[dict]:
        if not self.has_sources:
            return []
        rows = self._rows("SELECT name, type, last_success, last_attempt, consecutive_failures, articles_found "
                          "FROM sources ORDER BY name COLLATE NOCASE")
        for r in rows:
            if (r["consecutive_failures"] or 0) > 0:
                r["health"], r["ok"] = f"Gagal {r['consecutive_failures']} kali berturut-turut", False
            elif r["last_success"]:
                r["health"], r["ok"] = "Sehat", True
            else:
                r["health"], r["ok"] = "Belum diperiksa", None
        return rows

    def last_crawl(self) -> str | None:
        return self._cached("last_crawl", self._last_crawl)

    def _last_crawl(self) -> str | None:
        try:
            row = self.conn.execute("SELECT MAX(finished) FROM crawls WHERE status != 'running'").fetchone()
        except sqlite3.Error:
            return None
        return row[0] if row else None


# -- methodology facts that live beside the code ----------------------------------------

def classifier_rules() -> dict:
    """The classifier's rules as its docstring states them, and its rules version."""
    try:
        from crawler import classify
    except Exception:  # pragma: no cover - classifier missing
        return {"version": None, "rules": ""}
    doc = classify.__doc__ or ""
    start = doc.find("What it flags")
    end = doc.find("Boilerplate")
    text = doc[start:end if end > start else None] if start >= 0 else doc
    lines = text.splitlines()
    if lines and lines[0].startswith("What it flags"):
        lines = lines[1:]
    text = "\n".join(l for l in lines if not re.fullmatch(r"=+", l.strip())).strip()
    return {"version": getattr(classify, "RULES_VERSION", None), "rules": text}


def _find_scores(data, path: str = "") -> tuple[dict, str] | None:
    if isinstance(data, dict):
        if isinstance(data.get("precision"), (int, float)) and isinstance(data.get("recall"), (int, float)):
            return data, path
        for key, value in data.items():
            found = _find_scores(value, f"{path}.{key}" if path else str(key))
            if found:
                return found
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found = _find_scores(value, f"{path}[{i}]")
            if found:
                return found
    return None


EVAL_GLOBS = ("crawler/**/*eval*.json", "crawler/**/*metrics*.json", "crawler/classify/*.json", "models/**/*eval*.json")


def model_meta(settings=None) -> tuple[dict, Path] | None:
    """The ``meta`` JSON stored in the classifier's model file in use (crawler.classify.model), if any."""
    try:
        import numpy as np

        from crawler.classify import model as M

        path = M.model_path(settings)
        with np.load(path, allow_pickle=False) as z:
            return json.loads(z["meta"].tobytes().decode("utf-8")), Path(path)
    except Exception:  # no model module or file, or another format: the site shows "belum diukur"
        return None


def scores_from_meta(meta: dict, path: Path | None = None) -> dict | None:
    """Grouped cross-validation figures that training wrote into the model's meta (hybrid first)."""
    cv = meta.get("cv") if isinstance(meta, dict) else None
    if not isinstance(cv, dict):
        return None
    for name in ("hybrid", "model", "rules"):
        fig = cv.get(name)
        if isinstance(fig, dict) and isinstance(fig.get("precision"), (int, float)) \
                and isinstance(fig.get("recall"), (int, float)):
            file = str(path.relative_to(ROOT)) if path and path.is_relative_to(ROOT) else (path.name if path else "model")
            return {"precision": float(fig["precision"]), "recall": float(fig["recall"]), "f1": fig.get("f1"),
                    "n": fig.get("n"), "version": str(meta.get("version") or "") or None, "file": file,
                    "section": f"validasi silang dikelompokkan per peristiwa, {name}", "measured": None}
    return None


def evaluation(root: Path = ROOT, use_model: bool = True, settings=None) -> dict | None:
    """The classifier's measured precision/recall, never typed in: the cross-validation figures in
    the model file in use, else the newest evaluation output file in the package. None when
    nothing has been measured."""
    if use_model:
        found = model_meta(settings)
        if found:
            scores = scores_from_meta(*found)
            if scores:
                return scores
    candidates = sorted({p for g in EVAL_GLOBS for p in root.glob(g) if p.is_file()},
                        key=lambda p: p.stat().st_mtime, reverse=True)
    for path in candidates:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        found = _find_scores(data)
        if not found:
            continue
        scores, where = found
        version = None
        for src in (scores, data if isinstance(data, dict) else {}):
            version = version or next((str(src[k]) for k in ("model_version", "version", "rules_version", "model")
                                       if isinstance(src.get(k), (str, int, float))), None)
        return {"precision": float(scores["precision"]), "recall": float(scores["recall"]),
                "f1": scores.get("f1"), "n": scores.get("n") or scores.get("count") or scores.get("total"),
                "version": version, "file": str(path.relative_to(root)), "section": where or None,
                "measured": (data.get("date") or data.get("measured") or data.get("created"))
                if isinstance(data, dict) else None}
    return None


def as_json(ev: dict) -> dict:
    """An event as the public JSON record."""
    keys = ["id", "title", "company", "companies", "jobs_cut", "percent", "country", "attribution",
            "evidence", "first_reported", "last_reported", "article_count", "outlets"]
    out = {k: ev.get(k) for k in keys}
    if "links" in ev:
        out["links"] = ev["links"]
    if "reports" in ev:
        out["reports"] = [{k: a.get(k) for k in ("url", "title", "outlet", "published")} for a in ev["reports"]]
    if ev.get("corrections"):
        out["corrections"] = ev["corrections"]
    return out


__all__ = ["Reader", "EventFilter", "BadRequest", "NoDatabase", "parse_filters", "parse_page", "connect_ro",
           "classifier_rules", "evaluation", "as_json", "asdict"]
