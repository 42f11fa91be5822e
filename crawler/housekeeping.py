"""Housekeeping: keep a months-long archive small and fast.

Rules:
- Unflagged articles older than PANTAU_PRUNE_DAYS (by fetch time) lose their
  text and summary (title, URL, aliases and verdict stay, so they are never
  fetched again and can still be counted). Flagged articles are never pruned.
- Crawl history older than 90 days is deleted; alerts are kept.
- The FTS index is optimised (merged) and SQLite's planner statistics
  refreshed. Everything is re-runnable.
- Pruned text shrinks rows in place, and SQLite keeps the freed space inside
  its pages: the file would keep growing. The bytes pruned since the last
  VACUUM are counted (meta ``pruned_bytes_since_vacuum``); once they reach
  VACUUM_SHARE of the database file, housekeeping runs VACUUM and the file
  shrinks to what is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from .store import Store


VACUUM_SHARE = 0.25  # VACUUM once the text pruned since the last one is this share of the file


@dataclass
class HousekeepingReport:
    pruned: int = 0
    crawls_deleted: int = 0
    vacuumed: bool = False

    def summary(self) -> str:
        return (f"housekeeping: pruned text of {self.pruned} old unflagged articles, "
                f"deleted {self.crawls_deleted} old crawl records, FTS index optimised"
                + (", database vacuumed" if self.vacuumed else ""))


def housekeeping(store: Store, prune_days: float) -> HousekeepingReport:
    report = HousekeepingReport()
    now = datetime.now(timezone.utc)
    cutoff = (now - timedelta(days=prune_days)).replace(microsecond=0).isoformat()
    with store.write():
        freed = store.db.execute(
            "SELECT COALESCE(SUM(length(CAST(text AS BLOB)) + COALESCE(length(CAST(summary AS BLOB)), 0)), 0) "
            "FROM articles WHERE match = 0 AND fetched < ? AND (text != '' OR summary IS NOT NULL)",
            [cutoff]).fetchone()[0]
        cur = store.db.execute(
            "UPDATE articles SET text = '', summary = NULL WHERE match = 0 AND fetched < ? "
            "AND (text != '' OR summary IS NOT NULL)", [cutoff])
        report.pruned = cur.rowcount
        old = (now - timedelta(days=90)).replace(microsecond=0).isoformat()
        report.crawls_deleted = store.db.execute("DELETE FROM crawls WHERE started < ?", [old]).rowcount
    with store.write():
        store.db.execute("INSERT INTO articles_fts(articles_fts) VALUES('optimize')")
    store.db.execute("PRAGMA optimize")
    pending = int(store.get_meta("pruned_bytes_since_vacuum") or 0) + int(freed or 0)
    size = _file_size(store)
    if pending and size and pending >= VACUUM_SHARE * size:
        store.db.execute("VACUUM")
        pending = 0
        report.vacuumed = True
    store.set_meta("pruned_bytes_since_vacuum", str(pending))
    store.set_meta("last_housekeeping", now.replace(microsecond=0).isoformat())
    return report


def _file_size(store: Store) -> int:
    """Bytes the database occupies (page count × page size; the WAL not included)."""
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    size = store.db.execute("PRAGMA page_size").fetchone()[0]
    return int(pages) * int(size)
