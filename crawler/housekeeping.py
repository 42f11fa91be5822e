"""Housekeeping: keep a months-long archive small and fast, and its size on a plateau.

Rules:
- Forgetting (PANTAU_FORGET_AFTER_DAYS, default 365; 0 = never): an article
  fetched longer ago than that is deleted entirely -- its row, its entries in
  the search index (``articles_fts``, by the delete trigger, with the values
  it was indexed with), its URL aliases (``article_urls``) -- when nobody
  needs it: not flagged (``match = 0``), no editor's label (``label`` set by
  a ✅/❌ of crawler.editorial: a human decision is kept), in no story
  (``story_id``), and referenced by no row of a table whose foreign key
  points at ``articles`` other than ``article_urls`` (``alerts``: an article
  that was ever alerted, queued or sent to the editors is kept, so nothing
  alerts twice). Flagged articles are never forgotten, so an article that
  stops being flagged (``pantau reclassify``) after it has been alerted is
  still kept by its alert. The tables that name an article without a
  foreign key (``audit``, ``decisions``, ``story_sketch``) name only
  labelled or grouped articles, which are kept.
- Every URL and GUID a forgotten article was known under stays known as an
  8-byte fingerprint (``forgotten_urls``, crawler.store.url_key, with a day):
  ``Store.known_urls`` reports it as known, so a feed that carries (or
  re-publishes) the URL again gets no fetch, no new row, no alert; a new
  feed link whose page lands on a forgotten URL (redirect, canonical link)
  is fetched but not stored (``Store.insert_article`` gives (None, False)). The
  crawler's look-up moves the fingerprint's day forward (once a day at
  most); a fingerprint no feed has carried for PANTAU_FORGET_AFTER_DAYS days
  is dropped (feeds carry recent items: a URL unseen for that long is gone
  from them), so the table is bounded too. A URL whose fingerprint was
  dropped and that comes back is a new article (a 64-bit fingerprint
  collision -- about 1 in 10^13 per URL with a million fingerprints -- makes
  a new URL look known).
- Forgetting runs before pruning, in batches of BATCH articles, each its own
  ``BEGIN IMMEDIATE`` transaction (the crawler, the bot and cron jobs write
  the same file and get the lock between batches). Candidates are read from
  ``idx_articles_fetched`` (oldest first, each batch starting where the last
  one stopped). An article's aliases are its own ``url`` and ``guid`` (found
  by key) and the few others (feed links with tracking parameters,
  aggregator links, redirects: ``article_urls.own IS NULL``, read from the
  partial index ``idx_article_urls_extra``, store migration
  017_alias_extras_index) -- no second copy of every alias. A batch deletes
  the aliases itself, with foreign keys off for the run as for pruning (the
  cascade could only find them by reading the whole alias table).
  ``article_counts`` drops by the triggers.
- Unflagged articles older than PANTAU_PRUNE_DAYS (by fetch time) lose their
  text and summary (title, URL, aliases, verdict and every other column stay,
  so they are never fetched again and can still be counted). Flagged articles
  are never pruned.
- Crawl history older than 90 days is deleted; alerts are kept.
- Both FTS indexes (the archive's and /cari's ``flagged_fts``) are optimised
  (merged into one segment) and SQLite's planner statistics refreshed. Everything is re-runnable.
- The space pruned text held is reused by the next articles, so the file
  stops growing by the text once pruning starts (issue 15); once forgetting
  starts, the space of the forgotten rows is reused as well and the file
  stops growing (a plateau: about PANTAU_FORGET_AFTER_DAYS days of articles,
  the last PANTAU_PRUNE_DAYS of them with text). A row shrunk in
  place (``UPDATE ... SET text = ''``) would leave its B-tree page mostly
  empty, and SQLite never puts new (higher) ids there: the file would grow
  by a full article a day per article pruned until a VACUUM. So an article
  is pruned by rewriting its row: DELETE and INSERT of the same id, same
  columns, text '' and summary NULL, in one transaction, with foreign keys
  off for that transaction (no cascade to ``article_urls``, no check against
  ``alerts``: the parent is back before the commit). The DELETE lets SQLite
  merge the emptied pages with their siblings; the freed pages go to the
  free list and new articles are written there. The triggers on
  ``articles`` see a delete then an insert of the same row: the FTS indexes
  drop the text and keep the title, ``article_counts`` is unchanged. A
  trigger added on ``articles`` must keep that true.
  If foreign keys cannot be turned off (the caller holds a transaction), the
  rows are shrunk in place instead.
- The articles to prune come from ``idx_articles_unpruned`` (unflagged
  articles that still hold text): a run reads those, not the whole archive.
- VACUUM only when free pages (space no new article has reused yet, e.g.
  after the first run on an old archive pruned or forgot months at once) reach
  VACUUM_SHARE of the file: it rewrites the whole file under the write lock.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from .store import Store, epoch_day, url_key


VACUUM_SHARE = 0.25  # VACUUM once free pages are this share of the file
BATCH = 500  # rows rewritten or deleted per transaction (writers of other processes get the lock in between)
EXPIRE_BATCH = 5000  # fingerprints dropped per transaction
FORGET_AFTER_DAYS = 365  # the default of PANTAU_FORGET_AFTER_DAYS (crawler.config); 0 = never

_BATCH_SQL = ("SELECT id FROM articles INDEXED BY idx_articles_unpruned "
              "WHERE match = 0 AND (text != '' OR summary IS NOT NULL) AND fetched < ? ORDER BY fetched LIMIT ?")
"""The next articles to prune (params: cutoff, batch): read from the partial index of unflagged
articles that still hold text (store migration 014), never by walking the pruned archive."""


@dataclass
class HousekeepingReport:
    pruned: int = 0
    crawls_deleted: int = 0
    vacuumed: bool = False
    freed_bytes: int = 0
    forget_days: float = FORGET_AFTER_DAYS
    forgotten: int = 0  # articles deleted entirely
    urls_remembered: int = 0  # their URLs/GUIDs kept as fingerprints
    urls_expired: int = 0  # fingerprints no feed carried for forget_days days, dropped

    def summary(self) -> str:
        first = (f"housekeeping: pruned text of {self.pruned} old unflagged articles, "
                 f"deleted {self.crawls_deleted} old crawl records, FTS index optimised"
                 + (", database vacuumed" if self.vacuumed else ""))
        if self.forget_days <= 0:
            return first + ("\nhousekeeping: forgetting is off (PANTAU_FORGET_AFTER_DAYS=0): "
                            "articles are never deleted")
        return first + (f"\nhousekeeping: forgot {self.forgotten} articles older than {self.forget_days:g} days "
                        f"(unflagged, unlabelled, in no story, never alerted; {self.urls_remembered} of their "
                        f"URLs remembered), {self.urls_expired} remembered URLs expired")


def housekeeping(store: Store, prune_days: float, now: datetime | None = None,
                 forget_days: float = FORGET_AFTER_DAYS) -> HousekeepingReport:
    """One run (``now``: the clock, for simulations; ``forget_days``: PANTAU_FORGET_AFTER_DAYS)."""
    report = HousekeepingReport(forget_days=forget_days)
    now = now or datetime.now(timezone.utc)
    if forget_days > 0:
        report.forgotten, report.urls_remembered = _forget(store, now, forget_days)
        report.urls_expired = _expire(store, epoch_day(now) - int(forget_days))
    cutoff = (now - timedelta(days=prune_days)).replace(microsecond=0).isoformat()
    report.pruned, report.freed_bytes = _prune(store, cutoff)
    old = (now - timedelta(days=90)).replace(microsecond=0).isoformat()
    with store.write():
        report.crawls_deleted = store.db.execute("DELETE FROM crawls WHERE started < ?", [old]).rowcount
    with store.write():
        store.db.execute("INSERT INTO articles_fts(articles_fts) VALUES('optimize')")
        if store.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'flagged_fts'").fetchone():
            store.db.execute("INSERT INTO flagged_fts(flagged_fts) VALUES('optimize')")
    store.db.execute("PRAGMA optimize")
    pages, free = _pages(store)
    if pages and free >= VACUUM_SHARE * pages and not store.conn.in_transaction:
        store.db.execute("VACUUM")
        report.vacuumed = True
    store.set_meta("last_housekeeping", now.replace(microsecond=0).isoformat())
    return report


class _Cursor:
    """Where the next forgetting batch starts (the last fetch time read) and URLs remembered so far."""

    def __init__(self) -> None:
        self.after = ""
        self.urls = 0


def _candidates_sql(store: Store) -> str:
    """The next articles to forget (params: cutoff, fetched at or after, batch), oldest first, read from
    ``idx_articles_fetched``. What keeps an article is built from the schema: the columns
    ``label`` and ``story_id`` if present, and a NOT EXISTS for every table whose foreign key
    points at ``articles`` (``alerts``; ``article_urls`` is deleted with the article)."""
    cols = {r[1] for r in store.db.execute("PRAGMA table_info(articles)").fetchall()}
    keep = ["a.match = 0"]
    if "label" in cols:
        keep.append("a.label IS NULL")
    if "story_id" in cols:
        keep.append("a.story_id IS NULL")
    tables = [r[0] for r in store.db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").fetchall()]
    for table in sorted(tables):
        if table == "article_urls":
            continue
        try:
            fks = store.db.execute(f'PRAGMA foreign_key_list("{table}")').fetchall()
        except Exception:  # noqa: BLE001 - a virtual table whose module is missing
            continue
        for fk in fks:  # (id, seq, table, from, to, ...)
            if fk[2] == "articles" and (fk[4] in (None, "id")):
                keep.append(f'NOT EXISTS (SELECT 1 FROM "{table}" r WHERE r."{fk[3]}" = a.id)')
    return ("SELECT a.id, a.fetched FROM articles a INDEXED BY idx_articles_fetched "
            f"WHERE a.fetched < ? AND a.fetched >= ? AND {' AND '.join(keep)} ORDER BY a.fetched LIMIT ?")


def _forget(store: Store, now: datetime, forget_days: float) -> tuple[int, int]:
    """Delete the articles nobody needs fetched before ``now - forget_days``: (articles, URLs remembered).

    Foreign keys are off meanwhile, as for pruning: each batch deletes the aliases itself, and
    with foreign keys on every deleted article would make SQLite look for its aliases in the
    whole alias table (the article-id index is partial: it cannot serve that look-up)."""
    cutoff = (now - timedelta(days=forget_days)).replace(microsecond=0).isoformat()
    sql = _candidates_sql(store)
    own = store.alias_own
    cursor, day, total = _Cursor(), epoch_day(now), 0
    with _foreign_keys_off(store.conn):  # (still on inside a caller's transaction: slower, still right)
        while True:
            n = _forget_batch(store, sql, cutoff, cursor, day, own)
            if not n:
                return total, cursor.urls
            total += n


@contextmanager
def _foreign_keys_off(conn):
    """Foreign keys off for a run of batches, back on after; yields whether they are off (turning
    them off is a no-op while the connection is inside a transaction)."""
    was_on = conn.execute("PRAGMA foreign_keys").fetchone()[0]
    if was_on:
        conn.execute("PRAGMA foreign_keys = OFF")
    off = conn.execute("PRAGMA foreign_keys").fetchone()[0] == 0
    try:
        yield off
    finally:
        if was_on and off:
            conn.execute("PRAGMA foreign_keys = ON")


def _forget_batch(store: Store, sql: str, cutoff: str, cursor: _Cursor, day: int, own: bool = True) -> int:
    """One transaction: the next BATCH candidates are deleted, their URLs become fingerprints;
    returns how many articles were deleted. An article's aliases are its own ``url``/``guid``
    (found by key) and the others (``own IS NULL``, from ``idx_article_urls_extra``)."""
    conn = store.conn
    with store.write():
        rows = conn.execute(sql, [cutoff, cursor.after, BATCH]).fetchall()
        if not rows:
            return 0
        ids = [r[0] for r in rows]
        cursor.after = rows[-1][1]
        marks = ",".join("?" * len(ids))
        own_names = conn.execute(f"SELECT url, guid FROM articles WHERE id IN ({marks})", ids).fetchall()
        names = sorted({u for pair in own_names for u in pair if u})
        urls = set(store.first_column_in(  # the batch's aliases
            "SELECT url FROM article_urls WHERE url IN ({marks}) AND article_id IN (%s)" % marks, names, ids))
        others = (f"SELECT url FROM article_urls WHERE article_id IN ({marks}) AND own IS NULL" if own else
                  f"SELECT url FROM article_urls WHERE article_id IN ({marks})")
        urls.update(r[0] for r in conn.execute(others, ids))
        remembered = urls | {url for url, _ in own_names}
        conn.executemany("INSERT INTO forgotten_urls (hash, seen) VALUES (?, ?) "
                         "ON CONFLICT(hash) DO UPDATE SET seen = max(seen, excluded.seen)",
                         [(url_key(u), day) for u in remembered])
        conn.executemany("DELETE FROM article_urls WHERE url = ?", [(u,) for u in urls])
        conn.execute(f"DELETE FROM articles WHERE id IN ({marks})", ids)
        cursor.urls += len(remembered)
    return len(ids)


def _expire(store: Store, before_day: int) -> int:
    """Drop fingerprints no feed has carried since before ``before_day`` (bounded transactions)."""
    total = 0
    while True:
        with store.write():
            n = store.conn.execute("DELETE FROM forgotten_urls WHERE hash IN "
                                   "(SELECT hash FROM forgotten_urls WHERE seen < ? LIMIT ?)",
                                   [before_day, EXPIRE_BATCH]).rowcount
        total += n
        if n < EXPIRE_BATCH:
            return total


def _prune(store: Store, cutoff: str) -> tuple[int, int]:
    """Prune the text of unflagged articles fetched before ``cutoff``: (articles, text bytes freed)."""
    conn = store.conn
    pruned = freed = 0
    with _foreign_keys_off(conn) as rewrite:  # (rows are shrunk in place when they stay on)
        cols = [row[1] for row in conn.execute("PRAGMA table_info(articles)").fetchall()]
        names = ", ".join(f'"{c}"' for c in cols)
        insert = f"INSERT INTO articles ({names}) VALUES ({', '.join('?' * len(cols))})"
        text_at, summary_at = cols.index("text"), cols.index("summary")
        seen: set[int] = set()
        while True:
            with store.write():
                ids = [r[0] for r in conn.execute(_BATCH_SQL, [cutoff, BATCH]).fetchall()]
                if not ids or not seen.isdisjoint(ids):  # nothing left (or a row that would not prune)
                    break
                seen.update(ids)
                marks = ",".join("?" * len(ids))
                if rewrite:
                    rows = conn.execute(f"SELECT {names} FROM articles WHERE id IN ({marks}) ORDER BY id",
                                        ids).fetchall()
                    freed += sum(_text_bytes(row[text_at], row[summary_at]) for row in rows)
                    conn.execute(f"DELETE FROM articles WHERE id IN ({marks})", ids)
                    conn.executemany(insert, [tuple("" if k == text_at else None if k == summary_at else v
                                                    for k, v in enumerate(row)) for row in rows])
                else:
                    freed += conn.execute(
                        "SELECT COALESCE(SUM(length(CAST(text AS BLOB)) + COALESCE(length(CAST(summary AS BLOB)), 0)), 0) "
                        f"FROM articles WHERE id IN ({marks})", ids).fetchone()[0]
                    conn.execute(f"UPDATE articles SET text = '', summary = NULL WHERE id IN ({marks})", ids)
                pruned += len(ids)
    return pruned, int(freed or 0)


def _blob_len(v) -> int | None:
    """length(CAST(v AS BLOB)) as SQLite gives it (UTF-8 bytes of a text; None for NULL)."""
    if v is None:
        return None
    return len(v) if isinstance(v, bytes) else len(str(v).encode("utf-8"))


def _text_bytes(text, summary) -> int:
    """What the SQL sum counts for one row, from values already read: text plus summary bytes
    (a NULL text counts nothing, as NULL + x is NULL in SQL)."""
    t = _blob_len(text)
    return 0 if t is None else t + (_blob_len(summary) or 0)


def _pages(store: Store) -> tuple[int, int]:
    """(pages in the file, free pages)."""
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    free = store.db.execute("PRAGMA freelist_count").fetchone()[0]
    return int(pages), int(free)
