"""Housekeeping: keep a months-long archive small and fast.

Rules:
- Unflagged articles older than PANTAU_PRUNE_DAYS (by fetch time) lose their
  text and summary (title, URL, aliases and verdict stay, so they are never
  fetched again and can still be counted). Flagged articles are never pruned.
- Crawl history older than 90 days is deleted; alerts are kept.
- The FTS index is optimised (merged) and SQLite's planner statistics
  refreshed. Everything is re-runnable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from .store import Store


@dataclass
class HousekeepingReport:
    pruned: int = 0
    crawls_deleted: int = 0

    def summary(self) -> str:
        return (f"housekeeping: pruned text of {self.pruned} old unflagged articles, "
                f"deleted {self.crawls_deleted} old crawl records, FTS index optimised")


def housekeeping(store: Store, prune_days: float) -> HousekeepingReport:
    report = HousekeepingReport()
    now = datetime.now(timezone.utc)
    cutoff = (now - timedelta(days=prune_days)).replace(microsecond=0).isoformat()
    with store.write():
        cur = store.db.execute(
            "UPDATE articles SET text = '', summary = NULL WHERE match = 0 AND fetched < ? "
            "AND (text != '' OR summary IS NOT NULL)", [cutoff])
        report.pruned = cur.rowcount
        old = (now - timedelta(days=90)).replace(microsecond=0).isoformat()
        report.crawls_deleted = store.db.execute("DELETE FROM crawls WHERE started < ?", [old]).rowcount
    with store.write():
        store.db.execute("INSERT INTO articles_fts(articles_fts) VALUES('optimize')")
    store.db.execute("PRAGMA optimize")
    store.set_meta("last_housekeeping", now.replace(microsecond=0).isoformat())
    return report
