"""``flagged_fts`` holds exactly the flagged articles, whatever happens to them (issue 15).

/cari counts matches in ``flagged_fts`` alone, so the store's triggers must
keep it equal to the flagged articles on insert, reclassification (flag on,
flag off), edited title/text, delete, and when the migration runs on an
archive that already has flagged articles. The count is capped at
``COUNT_CAP`` and reported as such.
"""

from __future__ import annotations

import sqlite3

from crawler import search
from crawler.store import MIGRATIONS, Store, now_iso


def add(store: Store, n: int, title: str, match: bool, text: str = "isi berita") -> int:
    aid, _ = store.insert_article({"url": f"https://berita.example/{n}", "title": title, "text": text,
                                   "source": "uji", "fetched": now_iso(), "match": match}, [])
    return aid


def matching(store: Store, word: str) -> set[int]:
    return {r[0] for r in store.db.execute("SELECT rowid FROM flagged_fts WHERE flagged_fts MATCH ?",
                                           [f'"{word}"*']).fetchall()}


def test_index_follows_every_change(tmp_path):
    store = Store.open(tmp_path / "p.db")
    a = add(store, 1, "Fiverr PHK karena AI", True)
    b = add(store, 2, "Fiverr buka lowongan", False)
    assert matching(store, "fiverr") == {a}
    assert [h["id"] for h in search.search(store, "fiverr").hits] == [a]

    store.db.execute("UPDATE articles SET match = 1 WHERE id = ?", [b])      # reclassified: flagged
    assert matching(store, "fiverr") == {a, b}
    store.db.execute("UPDATE articles SET match = 0 WHERE id = ?", [a])      # reclassified: not flagged
    assert matching(store, "fiverr") == {b}
    assert search.search(store, "fiverr").total == 1
    store.db.execute("UPDATE articles SET title = 'Klarna memangkas staf' WHERE id = ?", [b])
    assert matching(store, "fiverr") == set() and matching(store, "klarna") == {b}
    store.db.execute("UPDATE articles SET text = 'robot gudang' WHERE id = ?", [b])
    assert matching(store, "robot") == {b} and matching(store, "isi") == set()
    store.db.execute("UPDATE articles SET story_id = NULL, score = 0.5 WHERE id = ?", [b])  # other columns
    assert matching(store, "klarna") == {b}
    store.db.execute("DELETE FROM articles WHERE id = ?", [b])
    assert matching(store, "klarna") == set()
    # the index is consistent as FTS5 itself checks it
    store.db.execute("INSERT INTO flagged_fts (flagged_fts) VALUES ('integrity-check')")
    store.close()


def test_migration_indexes_existing_flagged_articles(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.close()
    store = Store.open(path, migrate=False)
    store.db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied TEXT)")
    before = [(n, fn) for n, fn in MIGRATIONS if n < "005_flagged_search"]
    for name, fn in before:  # an archive from before the index existed
        fn(store.db)
        store.db.execute("INSERT INTO _migrations VALUES (?, ?)", [name, now_iso()])
    a = add(store, 1, "Fiverr PHK karena AI", True)
    add(store, 2, "Fiverr buka lowongan", False)
    store.close()
    store = Store.open(path)  # runs 005_flagged_search
    assert matching(store, "fiverr") == {a}
    assert search.search(store, "fiverr").total == 1
    store.close()


def test_count_is_capped(tmp_path):
    store = Store.open(tmp_path / "p.db")
    with store.write():
        for i in range(search.COUNT_CAP + 2):
            add(store, i, f"Robot gudang {i}", True)
        add(store, 10**6, "Robot langka", True, text="satu-satunya")
    page = search.search(store, "robot")
    assert page.total == search.COUNT_CAP and page.capped and len(page.hits) == 5
    assert page.hits[0]["title"] == "Robot langka"  # newest first
    last = search.search(store, "robot", offset=search.COUNT_CAP - 5)
    assert len(last.hits) == 5
    few = search.search(store, "langka")
    assert (few.total, few.capped, [h["title"] for h in few.hits]) == (1, False, ["Robot langka"])
    assert search.search(store, "tidakada").hits == []
    store.close()


def test_fts_reindexed_only_when_title_or_text_change(tmp_path):
    store = Store.open(tmp_path / "p.db")
    a = add(store, 1, "Fiverr PHK karena AI", False, text="robot gudang")
    conn = store.conn
    before = conn.total_changes
    store.db.execute("UPDATE articles SET score = 0.5, summary = 'x' WHERE id = ?", [a])
    assert conn.total_changes - before == 1  # the row itself; no FTS delete + re-insert
    store.db.execute("UPDATE articles SET text = 'mesin kasir' WHERE id = ?", [a])
    hits = store.db.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'kasir'").fetchall()
    assert hits == [(a,)]
    assert store.db.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'gudang'").fetchall() == []
    store.close()


def test_counts_kept_by_triggers(tmp_path):
    from crawler.store import COUNTS_SQL

    store = Store.open(tmp_path / "p.db")
    ids = [add(store, i, f"Berita {i}", i % 3 == 0) for i in range(9)]

    def real():
        return store.db.execute("SELECT COUNT(*), COALESCE(SUM(match = 1), 0) FROM articles").fetchone()

    assert tuple(store.counts().values()) == real() == (9, 3)
    store.db.execute("UPDATE articles SET match = 1 WHERE id = ?", [ids[1]])
    store.db.execute("UPDATE articles SET match = 0 WHERE id = ?", [ids[0]])
    store.db.execute("UPDATE articles SET match = 1 WHERE id = ?", [ids[3]])  # unchanged
    store.db.execute("DELETE FROM articles WHERE id IN (?, ?)", [ids[6], ids[7]])
    assert tuple(store.counts().values()) == real() == (7, 2)
    plan = [r[3] for r in store.db.execute("EXPLAIN QUERY PLAN " + COUNTS_SQL)]
    assert not any("articles" in d for d in plan), plan  # never a scan of the archive
    store.close()


def test_hits_read_what_a_page_shows_not_the_text(tmp_path):
    """A hit carries the columns /cari, /terbaru, the site and ``pantau search`` show; the article
    text (kilobytes per row) is not read for a page of five titles (issue 15)."""
    store = Store.open(tmp_path / "p.db")
    aid, _ = store.insert_article({"url": "https://berita.example/x", "title": "Fiverr PHK 30% staf",
                                   "text": "isi panjang " * 500, "summary": "ringkas", "source": "uji",
                                   "outlet": "Contoh", "published": "2025-10-01T10:00:00+07:00",
                                   "fetched": now_iso(), "match": True, "companies": ["Fiverr"],
                                   "jobs_cut": 250, "percent": 30.0, "evidence": "Fiverr memangkas staf"}, [])
    for hits in (search.search(store, "fiverr").hits, search.latest(store, 5)):
        hit = hits[0]
        assert "text" not in hit and "summary" not in hit
        assert (hit["id"], hit["title"], hit["url"], hit["outlet"], hit["companies"], hit["jobs_cut"],
                hit["percent"], hit["evidence"], hit["published_short"]) == \
            (aid, "Fiverr PHK 30% staf", "https://berita.example/x", "Contoh", ["Fiverr"], 250, 30.0,
             "Fiverr memangkas staf", "1 Okt 2025")
        assert "story_id" in hit and "fetched" in hit and hit["match"] is True
    store.close()


def test_short_date_does_not_keep_a_refusal(monkeypatch):
    """Formatted dates are cached, but "tanpa tanggal" for a date ahead of the clock is not: the
    same date is shown once the clock passes it."""
    from datetime import datetime, timedelta, timezone

    from crawler import dates

    soon = (datetime.now(timezone.utc) + timedelta(days=5)).replace(microsecond=0)
    assert search.short_date(soon.isoformat()) == "tanpa tanggal"
    real = dates.datetime

    class Later(real):
        @classmethod
        def now(cls, tz=None):
            return real.now(tz) + timedelta(days=10)

    monkeypatch.setattr(dates, "datetime", Later)
    assert search.short_date(soon.isoformat()) != "tanpa tanggal"
    assert search.short_date("2025-10-01T10:00:00+07:00") == search.short_date("2025-10-01T10:00:00+07:00") \
        == "1 Okt 2025"
