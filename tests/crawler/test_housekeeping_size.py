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
    # pruned bytes add up across runs until they are worth a VACUUM
    assert int(store.get_meta("pruned_bytes_since_vacuum") or 0) > 0
    store.close()
