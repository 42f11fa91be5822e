"""Hot queries never scan the archive per flagged row (issue 15).

Each hot query's real SQL (the constant the code runs) is planned with
``EXPLAIN QUERY PLAN`` on an archive with planner statistics (ANALYZE, as
housekeeping's ``PRAGMA optimize`` leaves it) and checked by ``plan_problems``:

- no full scan of ``articles`` (a scan over one of the partial
  ``idx_flagged_*`` indexes reads flagged articles only and is allowed);
- never the all-articles FTS index ``articles_fts`` (search uses
  ``flagged_fts``);
- a full-text match is evaluated once — as the outer loop or as a
  subquery list — never as the inner loop of a join over articles
  (the nested loop that made /cari take seconds at 100,000 articles).

The checker itself is tested against the query /cari used before.
"""

from __future__ import annotations

import random

import pytest

from bot.format import DIGEST_SQL
from crawler import housekeeping, outbox, search, stories
from crawler.store import Store

OLD_SEARCH_COUNT = ("SELECT COUNT(*) FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
                    "WHERE articles_fts MATCH ? AND a.match = 1")

WORDS = "perusahaan karyawan teknologi pasar harga banjir sekolah presiden bank aplikasi".split()


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    store = Store.open(tmp_path_factory.mktemp("plans") / "p.db")
    outbox.ensure_schema(store)
    rng = random.Random(3)
    with store.write():
        for i in range(3000):
            flagged = i % 100 == 0
            day = 1 + i % 28
            store.insert_article({
                "url": f"https://portal.example/{i}", "title": f"Berita {i} {rng.choice(WORDS)}",
                "text": " ".join(rng.choice(WORDS) for _ in range(40)) + (" PHK AI Fiverr" if flagged else ""),
                "source": "uji", "published": f"2025-10-{day:02d}T10:00:00+07:00",
                "fetched": f"2025-10-{day:02d}T03:00:00+00:00", "match": flagged,
                "companies": ["Fiverr"] if flagged else [], "content_hash": f"h{i}"}, [])
    for (aid,) in store.db.execute("SELECT id FROM articles WHERE match = 1 LIMIT 20").fetchall():
        stories.assign_story(store, aid)
    store.db.execute("ANALYZE")
    yield store
    store.close()


def plan(store: Store, sql: str, params) -> list[tuple[int, int, str]]:
    return [(r[0], r[1], r[3]) for r in store.db.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall()]


def plan_problems(rows: list[tuple[int, int, str]]) -> list[str]:
    problems = []
    by_parent: dict[int, list[str]] = {}
    for node, parent, detail in rows:
        if detail.startswith(("SCAN articles", "SCAN a ")) or detail == "SCAN a":
            if "idx_flagged_" not in detail:
                problems.append(f"full scan of the archive: {detail}")
        if "articles_fts" in detail:
            problems.append(f"matches the whole archive's FTS index: {detail}")
        siblings = by_parent.setdefault(parent, [])
        if "VIRTUAL TABLE" in detail and any(s.startswith(("SCAN", "SEARCH")) for s in siblings):
            problems.append(f"full-text match inside a loop over {siblings[-1]!r}: {detail}")
        siblings.append(detail)
    return problems


HOT = {
    "search count": (search.SEARCH_COUNT_SQL, ['"fiverr"*', search.COUNT_CAP + 1]),
    "search page": (search.SEARCH_PAGE_SQL, ['"fiverr"*', 5, 0]),
    "search page, few hits": (search.SEARCH_FEW_SQL, ['"fiverr"*', 5, 0]),
    "latest (/terbaru)": (search.LATEST_SQL, [5]),
    "digest": (DIGEST_SQL, ["2025-10-20T00:00:00+00:00"]),
    "statistik events": (outbox.STATS_EVENTS_SQL, []),
    "events export": (stories.EVENTS_SQL, []),
    "events export, one story": (stories.STORY_ARTICLES_SQL, [1]),
    "housekeeping: articles to prune": (housekeeping._BATCH_SQL, ["2025-10-10T00:00:00+00:00", 500]),
}


@pytest.mark.parametrize("name", sorted(HOT))
def test_hot_query_plan(archive, name):
    sql, params = HOT[name]
    rows = plan(archive, sql, params)
    assert plan_problems(rows) == [], (name, rows)
    archive.db.execute(sql, params).fetchall()  # and it runs


def test_search_matches_flagged_index_once(archive):
    count = [d for _, _, d in plan(archive, search.SEARCH_COUNT_SQL, ['"fiverr"*', 1001])]
    assert len([d for d in count if "VIRTUAL TABLE" in d]) == 1 and not any("articles" in d for d in count), count
    rows = plan(archive, search.SEARCH_FEW_SQL, ['"fiverr"*', 5, 0])
    details = [d for _, _, d in rows]
    fts = [i for i, d in enumerate(details) if "flagged_fts" in d or d.startswith("SCAN f VIRTUAL")]
    lookup = [i for i, d in enumerate(details) if "INTEGER PRIMARY KEY" in d]
    assert fts and lookup and fts[0] < lookup[0], details  # FTS first, then one look-up per match
    page = [d for _, _, d in plan(archive, search.SEARCH_PAGE_SQL, ['"fiverr"*', 5, 0])]
    assert any("COVERING INDEX idx_flagged_when" in d for d in page), page
    latest = [d for _, _, d in plan(archive, search.LATEST_SQL, [5])]
    assert not any("TEMP B-TREE" in d for d in latest), latest  # reads the newest n, sorts nothing


def test_housekeeping_reads_only_unpruned_articles(archive):
    details = [d for _, _, d in plan(archive, housekeeping._BATCH_SQL, ["2025-10-10T00:00:00+00:00", 500])]
    assert details == ["SEARCH articles USING INDEX idx_articles_unpruned (fetched<?)"], details


def test_checker_rejects_the_old_search_plan(archive):
    rows = plan(archive, OLD_SEARCH_COUNT, ['"fiverr"*'])
    assert plan_problems(rows), rows


def test_checker_rejects_an_archive_scan(archive):
    rows = plan(archive, "SELECT * FROM articles WHERE summary IS NULL", [])
    assert plan_problems(rows), rows
