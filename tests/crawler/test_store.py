"""SQLite store: migrations re-runnable, FTS in sync, URL aliases."""

from __future__ import annotations

import sqlite3

import pytest

from crawler.store import MIGRATIONS, DatabaseError, Store, decode_article, now_iso


def record(url: str, **kw) -> dict:
    base = {"url": url, "title": "Judul " + url.rsplit("/", 1)[-1], "text": "isi berita tentang robot",
            "source": "uji", "fetched": now_iso()}
    base.update(kw)
    return base


def fts_count(store: Store, query: str) -> int:
    return store.db.execute("SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH ?", [query]).fetchone()[0]


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "p.db")
    yield s
    s.close()


def test_migrations_rerunnable(tmp_path):
    path = tmp_path / "p.db"
    s = Store.open(path)
    applied = [r[0] for r in s.db.execute("SELECT name FROM _migrations ORDER BY name")]
    assert applied == sorted(n for n, _ in MIGRATIONS)
    schema = sorted(s.db.execute("SELECT type, name, sql FROM sqlite_master").fetchall(), key=str)
    s.close()
    s = Store.open(path)
    assert s.migrate() == []
    for _, fn in MIGRATIONS:  # each migration is idempotent on its own, too
        fn(s.db)
    assert sorted(s.db.execute("SELECT type, name, sql FROM sqlite_master").fetchall(), key=str) == schema
    s.close()


def test_fts_follows_insert_update_delete(store):
    aid, created = store.insert_article(record("http://a.test/1", text="Perusahaan pangkas karyawan"), [])
    assert created
    assert fts_count(store, "pangkas") == 1
    with store.write():
        store.db.execute("UPDATE articles SET text = 'teks baru tanpa kata itu' WHERE id = ?", [aid])
    assert fts_count(store, "pangkas") == 0 and fts_count(store, "baru") == 1
    with store.write():
        store.db.execute("DELETE FROM articles WHERE id = ?", [aid])
    assert fts_count(store, "baru") == 0
    assert store.db.execute("SELECT COUNT(*) FROM articles_fts").fetchone()[0] == 0


def test_fts_diacritics_folded(store):
    store.insert_article(record("http://a.test/k", title="Kafé Robot", text="René"), [])
    assert fts_count(store, "kafe") == 1 and fts_count(store, "rene") == 1


def test_aliases_dedupe(store):
    aid, created = store.insert_article(record("http://a.test/x"), ["http://a.test/x?utm_source=rss", "guid:a.test:7"])
    assert created
    assert store.known_urls(["guid:a.test:7", "http://nope"]) == {"guid:a.test:7"}
    again, created = store.insert_article(record("http://other.test/y"), ["guid:a.test:7"])
    assert (again, created) == (aid, False)
    assert store.article_id_for(["http://other.test/y"]) == aid  # new alias recorded
    assert store.counts() == {"articles": 1, "flagged": 0}


def test_lists_round_trip(store):
    aid, _ = store.insert_article(record("http://a.test/z", match=True, reasons=["phk", "ai"], companies=["Amazon"]), [])
    art = store.article(aid)
    assert art["match"] is True and art["reasons"] == ["phk", "ai"] and art["companies"] == ["Amazon"]
    assert decode_article({"reasons": None, "companies": "not json"}) == {"reasons": [], "companies": ["not json"]}


def test_write_rolls_back(store):
    with pytest.raises(RuntimeError):
        with store.write():
            store.db.execute("INSERT INTO meta (key, value) VALUES ('k', 'v')")
            raise RuntimeError("boom")
    assert store.get_meta("k") is None


def test_sync_sources_keeps_etag_only_for_same_url(store):
    from crawler.sources import Source

    store.sync_sources([Source("a", "http://a.test/feed")])
    with store.write():
        store.db.execute("UPDATE sources SET etag = 'x', last_modified = 'y' WHERE name = 'a'")
    store.sync_sources([Source("a", "http://a.test/feed")])
    assert store.source_state("a")["etag"] == "x"
    store.sync_sources([Source("a", "http://a.test/other")])
    state = store.source_state("a")
    assert state["etag"] is None and state["last_modified"] is None and state["url"] == "http://a.test/other"


def test_corrupt_or_unreachable_database(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"garbage" * 1000)
    with pytest.raises(DatabaseError) as err:
        Store.open(bad)
    assert "\n" not in str(err.value)
    blocker = tmp_path / "f"
    blocker.write_text("")
    with pytest.raises(DatabaseError):
        Store.open(blocker / "x" / "p.db")


def test_two_connections_share_the_file(tmp_path):
    a, b = Store.open(tmp_path / "p.db"), Store.open(tmp_path / "p.db")
    a.insert_article(record("http://a.test/1"), [])
    assert b.counts()["articles"] == 1
    assert a.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    a.close()
    b.close()
    assert sqlite3.connect(tmp_path / "p.db").execute("PRAGMA integrity_check").fetchone()[0] == "ok"
