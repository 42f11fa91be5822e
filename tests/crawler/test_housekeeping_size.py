"""Housekeeping keeps the database file bounded: pruned text is given back to the disk."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from crawler.housekeeping import housekeeping
from crawler.store import Store


def _fill(store: Store, n: int, days_ago: float, tag: str) -> None:
    when = (datetime.now(timezone.utc) - timedelta(days=days_ago)).replace(microsecond=0).isoformat()
    body = " ".join(f"kalimat {tag} nomor {i} tentang berita ekonomi dan olahraga hari ini." for i in range(120))
    for i in range(n):
        store.insert_article({"url": f"https://berita.example/{tag}-{i}", "title": f"Berita {tag} {i}",
                              "text": body, "outlet": "Contoh", "source": "contoh", "published": when,
                              "fetched": when, "match": 0, "score": 0.0, "reasons": [], "companies": [],
                              "jobs_cut": None, "percent": None}, [])


def test_pruned_text_is_given_back_to_the_disk(tmp_path):
    path = tmp_path / "pantau.db"
    store = Store.open(path)
    _fill(store, 400, 120, "lama")
    _fill(store, 100, 1, "baru")
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = path.stat().st_size
    report = housekeeping(store, prune_days=90)
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    after = path.stat().st_size
    store.close()
    assert report.pruned == 400
    assert report.vacuumed
    assert after < before * 0.5, (before, after)


def test_no_vacuum_when_little_was_pruned(tmp_path):
    store = Store.open(tmp_path / "pantau.db")
    _fill(store, 200, 1, "baru")
    _fill(store, 5, 120, "lama")
    report = housekeeping(store, prune_days=90)
    assert report.pruned == 5 and not report.vacuumed
    assert report.freed_bytes > 5 * 5000
    store.close()


def _article(tag: str, i: int, when: str, body: str, match: int = 0) -> dict:
    return {"url": f"https://berita.example/{tag}-{i}", "title": f"Berita {tag} nomor {i}", "text": body,
            "summary": body[:200], "outlet": "Contoh", "source": "contoh", "published": when, "fetched": when,
            "match": match, "score": 0.9 if match else 0.0, "reasons": [], "companies": [], "jobs_cut": None,
            "percent": None}


def _in_use(store: Store, path) -> tuple[int, int]:
    """(file bytes, bytes in use = file minus free pages) after a checkpoint."""
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = store.db.execute("PRAGMA page_size").fetchone()[0]
    free = store.db.execute("PRAGMA freelist_count").fetchone()[0]
    size = path.stat().st_size
    return size, size - free * page


def test_file_stops_growing_once_pruning_starts(tmp_path):
    """Days of crawling with daily housekeeping: once articles start reaching the prune age, the
    space their text held is reused by the next days' articles, without a VACUUM; a day then
    adds only the remainder of the articles pruned (title, URLs, verdict), not their text."""
    path = tmp_path / "pantau.db"
    store = Store.open(path)
    start = datetime.now(timezone.utc) - timedelta(days=40)
    per_day, prune_days = 40, 10
    sizes = []
    for day in range(36):
        when = (start + timedelta(days=day)).replace(microsecond=0).isoformat()
        with store.write():
            for i in range(per_day):
                n = day * per_day + i
                body = " ".join(f"Paragraf {k} artikel {n} tentang harga beras dan buruh pabrik di kota {n % 17} "
                                f"pada hari ke-{day} menurut pejabat setempat." for k in range(30))
                store.insert_article(_article("hari", n, when, body), [f"guid-{n}"])
        report = housekeeping(store, prune_days, now=start + timedelta(days=day + 1))
        assert not report.vacuumed, day  # the space is reused, not given back by rewriting the file
        sizes.append(_in_use(store, path))
    store.close()
    full = (sizes[prune_days - 1][1] - sizes[1][1]) / (prune_days - 2)  # a day before pruning starts
    after = (sizes[-1][1] - sizes[prune_days + 5][1]) / (len(sizes) - 1 - prune_days - 5)
    file_after = (sizes[-1][0] - sizes[prune_days + 5][0]) / (len(sizes) - 1 - prune_days - 5)
    assert after < 0.35 * full, (full, after)
    assert file_after < 0.35 * full, (full, file_after)


def test_a_pruned_article_keeps_everything_but_its_text(tmp_path):
    path = tmp_path / "pantau.db"
    store = Store.open(path)
    old = (datetime.now(timezone.utc) - timedelta(days=120)).replace(microsecond=0).isoformat()
    body = " ".join(f"kalimat lama {i} tentang pabrik sepatu dan gudang beras." for i in range(80))
    ids = [store.insert_article(_article("lama", i, old, body), [f"guid-lama-{i}", f"https://feed.example/{i}"])[0]
           for i in range(30)]
    flagged, _ = store.insert_article(_article("flag", 0, old, body.replace("lama", "baru"), match=1), [])
    grey = ids[3]
    with store.write():
        store.db.execute("INSERT INTO alerts (article_id, chat_id, kind, status, created) "
                         "VALUES (?, 'editors', 'grey', 'sent', ?)", [grey, old])
        store.db.execute("UPDATE articles SET story_id = NULL, country = 'ID', label_by = 'ed' WHERE id = ?", [grey])
    before = store.article(grey)
    counts = store.counts()
    report = housekeeping(store, prune_days=90)
    assert report.pruned == 30
    after = store.article(grey)
    assert after["text"] == "" and after["summary"] is None
    assert {k: v for k, v in after.items() if k not in ("text", "summary")} == \
        {k: v for k, v in before.items() if k not in ("text", "summary")}
    assert store.counts() == counts
    assert store.db.execute("SELECT COUNT(*) FROM article_urls WHERE article_id = ?", [grey]).fetchone()[0] == 3
    assert store.db.execute("SELECT COUNT(*) FROM alerts WHERE article_id = ?", [grey]).fetchone()[0] == 1
    assert store.db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    fts = store.db.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", ["sepatu"]).fetchall()
    assert [r[0] for r in fts] == [flagged]  # the pruned text is no longer indexed, the kept one is
    titles = store.db.execute("SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH 'lama'").fetchone()[0]
    assert titles == 30  # titles stay searchable
    store.db.execute("INSERT INTO articles_fts(articles_fts) VALUES('integrity-check')")
    assert store.article(flagged)["text"].startswith("kalimat")
    assert housekeeping(store, prune_days=90).pruned == 0  # re-runnable
    store.close()


def test_what_a_pruned_article_keeps_is_stored_once(tmp_path):
    """After pruning, an article's remainder is its row, its URL aliases and their index entries.
    Every alias (feed link, canonical URL, GUID) is kept — it is how the crawler knows the story —
    but it is stored once: in the key of the alias table, not in a table and again in an index."""
    path = tmp_path / "pantau.db"
    store = Store.open(path)
    old = (datetime.now(timezone.utc) - timedelta(days=120)).replace(microsecond=0).isoformat()
    alias_bytes = 0
    with store.write():
        for i in range(400):
            url = f"https://portal{i % 7}.example/ekonomi/2025/06/01/harga-beras-naik-lagi-di-pasar-induk-{i}"
            aliases = [url + "?utm_source=rss&utm_medium=feed", f"portal{i % 7}-{i}"]
            alias_bytes += sum(len(u) for u in [url, *aliases])
            store.insert_article(_article("lama", i, old, "isi berita " * 300) | {"url": url}, aliases)
    assert housekeeping(store, prune_days=90).pruned == 400
    store.db.execute("VACUUM")
    used = store.db.execute("SELECT SUM(pgsize - unused) FROM dbstat WHERE name = 'article_urls' "
                            "OR name LIKE 'sqlite_autoindex_article_urls%'").fetchone()[0]
    store.close()
    assert used < 1.4 * alias_bytes, (used, alias_bytes)


def test_alias_table_migration_keeps_every_alias(tmp_path):
    from crawler.store import MIGRATIONS, now_iso

    path = tmp_path / "old.db"
    store = Store.open(path, migrate=False)
    store.db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied TEXT)")
    for name, fn in MIGRATIONS:  # an archive from before migration 015
        if name == "015_article_urls_without_rowid":
            break
        with store.write():
            fn(store.db)
            store.db.execute("INSERT INTO _migrations VALUES (?, ?)", [name, now_iso()])
    when = now_iso()
    a, _ = store.insert_article(_article("x", 1, when, "isi"), ["guid-1", "https://feed.example/1"])
    b, _ = store.insert_article(_article("x", 2, when, "isi"), ["guid-2"])
    store.close()
    store = Store.open(path)
    sql = store.db.execute("SELECT sql FROM sqlite_master WHERE name = 'article_urls'").fetchone()[0]
    assert "WITHOUT ROWID" in sql.upper()
    assert store.known_urls(["guid-1", "https://feed.example/1", "guid-2", "https://berita.example/x-2",
                             "lain"]) == {"guid-1", "https://feed.example/1", "guid-2", "https://berita.example/x-2"}
    assert store.article_id_for(["https://feed.example/1"]) == a
    assert store.insert_article(_article("x", 9, when, "isi") | {"url": "https://lain.example/"}, ["guid-2"]) \
        == (b, False)  # a known alias is still recognised
    dict(MIGRATIONS)["015_article_urls_without_rowid"](store.db)  # re-running changes nothing
    with store.write():
        store.db.execute("DELETE FROM articles WHERE id = ?", [a])
    assert store.db.execute("SELECT COUNT(*) FROM article_urls WHERE article_id = ?", [a]).fetchone()[0] == 0
    assert store.db.execute("PRAGMA foreign_key_check").fetchall() == []
    store.close()


def test_search_indexes_are_merged(tmp_path):
    """Both full-text indexes — the archive's and /cari's flagged one — end a run in one segment."""
    store = Store.open(tmp_path / "pantau.db")
    when = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    for i in range(40):  # one transaction each, as a crawl stores them: one FTS segment each
        store.insert_article(_article("baru", i, when, f"isi berita {i} tentang PHK", match=i % 2), [])
    segments = {name: store.db.execute(f"SELECT COUNT(DISTINCT segid) FROM {name}_idx").fetchone()[0]
                for name in ("articles_fts", "flagged_fts")}
    assert min(segments.values()) > 1, segments
    housekeeping(store, prune_days=90)
    for name in ("articles_fts", "flagged_fts"):
        assert store.db.execute(f"SELECT COUNT(DISTINCT segid) FROM {name}_idx").fetchone()[0] == 1, name
    store.close()
