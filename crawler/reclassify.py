"""``pantau reclassify``: re-run the classifier over stored articles, no refetching.

Every article's verdict columns are recomputed from its stored title, text
and summary; an editor's label (``crawler.editorial``) still decides ``match``. The report counts newly flagged and unflagged articles and
lists each change ("+ title" flagged now, "- title" no longer flagged).
Newly flagged articles are returned so the caller can queue alerts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from .crawl import classify_columns
from .store import Store


@dataclass
class ReclassifyReport:
    total: int = 0
    flagged_now: list[int] = field(default_factory=list)
    unflagged_now: list[int] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    alerts_queued: int = 0

    def summary(self) -> str:
        return (f"reclassified {self.total} articles: {len(self.flagged_now)} newly flagged, "
                f"{len(self.unflagged_now)} no longer flagged, {self.alerts_queued} alerts queued")


def reclassify(store: Store, settings=None, batch: int = 500) -> ReclassifyReport:
    report = ReclassifyReport()
    last_id = 0
    while True:
        rows = list(store.db.query(
            "SELECT id, title, text, summary, match, label FROM articles WHERE id > ? ORDER BY id LIMIT ?",
            [last_id, batch]))
        if not rows:
            break
        with store.write():
            for row in rows:
                cols = classify_columns(row["title"], row["text"], row["summary"])
                store.db.execute(
                    "UPDATE articles SET match = ?, score = ?, reasons = ?, companies = ?, jobs_cut = ?, "
                    "percent = ?, country = ?, attribution = ?, evidence = ?, rules_version = ?, "
                    "classified_at = ? WHERE id = ?",
                    [cols["match"], cols["score"], json.dumps(cols["reasons"], ensure_ascii=False),
                     json.dumps(cols["companies"], ensure_ascii=False), cols["jobs_cut"], cols["percent"],
                     cols.get("country"), cols.get("attribution"), cols.get("evidence"),
                     cols["rules_version"], cols["classified_at"], row["id"]])
                was, now = bool(row["match"]), bool(cols["match"])
                if row["label"] is not None:  # an editor's label wins (a trigger keeps match = label)
                    now = bool(row["label"])
                if now and not was:
                    report.flagged_now.append(row["id"])
                    report.changes.append(f"+ {row['title']}")
                elif was and not now:
                    report.unflagged_now.append(row["id"])
                    report.changes.append(f"- {row['title']}")
                report.total += 1
        last_id = rows[-1]["id"]
    from .stories import assign_story, detach

    for article_id in report.flagged_now:
        assign_story(store, article_id)
    for article_id in report.unflagged_now:
        detach(store, article_id)
    from .stories import refresh_facts

    refresh_facts(store)  # stories take their facts again from the reclassified reports
    if report.flagged_now and settings is not None:
        from .outbox import enqueue_alerts

        report.alerts_queued = enqueue_alerts(store, settings, report.flagged_now)
    return report
