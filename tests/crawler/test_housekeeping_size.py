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
