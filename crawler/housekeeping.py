"""Housekeeping: keep a months-long archive small and fast.

Rules:
- Unflagged articles older than PANTAU_PRUNE_DAYS (by fetch time) lose their
  text and summary (title, URL, aliases, verdict and every other column stay,
  so they are never fetched again and can still be counted). Flagged articles
  are never pruned.
- Crawl history older than 90 days is deleted; alerts are kept.
- Both FTS indexes (the archive's and /cari's ``flagged_fts``) are optimised
  (merged into one segment) and SQLite's planner statistics refreshed. Everything is re-runnable.
- The space pruned text held is reused by the next articles, so the file
  stops growing by the text once pruning starts (issue 15). A row shrunk in
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
  after the first run on an old archive pruned months at once) reach
  VACUUM_SHARE of the file: it rewrites the whole file under the write lock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from .store import Store


VACUUM_SHARE = 0.25  # VACUUM once free pages are this share of the file
BATCH = 500  # rows rewritten per transaction (writers of other processes get the lock in between)

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

    def summary(self) -> str:
        return (f"housekeeping: pruned text of {self.pruned} old unflagged articles, "
                f"deleted {self.crawls_deleted} old crawl records, FTS index optimised"
                + (", database vacuumed" if self.vacuumed else ""))


def housekeeping(store: Store, prune_days: float, now: datetime | None = None) -> HousekeepingReport:
    """One run (``now``: the clock, for simulations)."""
    report = HousekeepingReport()
    now = now or datetime.now(timezone.utc)
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


def _prune(store: Store, cutoff: str) -> tuple[int, int]:
    """Prune the text of unflagged articles fetched before ``cutoff``: (articles, text bytes freed)."""
    conn = store.conn
    fk = conn.execute("PRAGMA foreign_keys").fetchone()[0]
    if fk:
        conn.execute("PRAGMA foreign_keys = OFF")  # a no-op inside a transaction: checked below
    rewrite = conn.execute("PRAGMA foreign_keys").fetchone()[0] == 0
    pruned = freed = 0
    try:
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
    finally:
        if fk and rewrite:
            conn.execute("PRAGMA foreign_keys = ON")
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
