"""Story assignment compares a bounded set of candidates, however busy the window (issue 15).

A syndicated near-copy must still join the story of the article it copies
when the window holds well over a hundred other stories, while the full
shingle comparison runs for at most ``MAX_NEAR`` members (the candidates
are found through the ``story_sketch`` index, not by comparing every
member of the window). Texts are generated here from a word list.
"""

from __future__ import annotations

import hashlib
import random

import pytest

from crawler import stories
from crawler.store import MIGRATIONS, Store, now_iso

WORDS = ("perusahaan karyawan pemutusan hubungan kerja kecerdasan buatan otomatisasi efisiensi investasi pusat data "
         "layanan pelanggan teknologi digital startup pendanaan pasar saham laporan kuartal analis pekerja divisi "
         "korporat strategi pertumbuhan penjualan produk pengguna aplikasi platform regulasi pemerintah").split()


def text(rng: random.Random, n: int = 180) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def add(store: Store, i: int, body: str, company: str, when: str) -> int:
    aid, _ = store.insert_article({
        "url": f"https://portal.example/{i}", "title": f"{company} PHK karyawan {i}", "text": body,
        "source": "uji", "published": when, "fetched": when, "match": 1, "companies": [company],
        "content_hash": hashlib.sha1(body.encode()).hexdigest(), "jobs_cut": 100 + i}, [])
    return aid


@pytest.fixture()
def busy_window(tmp_path):
    store = Store.open(tmp_path / "p.db")
    rng = random.Random(5)
    bodies = []
    for i in range(150):  # 150 stories of different companies within one window
        body = text(rng)
        bodies.append(body)
        stories.assign_story(store, add(store, i, body, f"Perusahaan{i}", f"2025-10-10T{i % 24:02d}:00:00+00:00"))
    yield store, bodies
    store.close()


def test_near_copy_found_with_bounded_comparisons(busy_window, monkeypatch):
    store, bodies = busy_window
    calls = []
    real = stories.similarity
    monkeypatch.setattr(stories, "similarity", lambda a, b: calls.append(1) or real(a, b))
    original = store.db.execute("SELECT id, story_id FROM articles WHERE url = 'https://portal.example/3'").fetchone()
    copy = bodies[3] + " Baca juga berita lainnya di portal kami."  # a syndicated copy with a footer
    new = add(store, 1000, copy, "Kantor Berita", "2025-10-11T08:00:00+00:00")  # its company was misread
    assert stories.assign_story(store, new) == original[1]
    assert 0 < len(calls) <= stories.MAX_NEAR

    calls.clear()
    other = add(store, 1001, text(random.Random(99)), "Lain", "2025-10-11T09:00:00+00:00")
    assert stories.assign_story(store, other) not in {r[0] for r in store.db.execute("SELECT id FROM stories")} - {
        store.db.execute("SELECT story_id FROM articles WHERE id = ?", [other]).fetchone()[0]}
    assert len(calls) <= stories.MAX_NEAR  # an unrelated text is compared with (almost) nothing


def test_sketch_migration_fills_existing_groups(tmp_path):
    path = tmp_path / "p.db"
    store = Store.open(path)
    rng = random.Random(1)
    body = text(rng)
    a = add(store, 1, body, "Fiverr", "2025-10-10T08:00:00+00:00")
    stories.assign_story(store, a)
    store.db.execute("DELETE FROM story_sketch")
    store.db.execute("DELETE FROM _migrations WHERE name IN ('009_story_sketch', '012_story_sketch_by_story')")
    store.db.execute("DROP TABLE story_sketch")
    store.close()
    store = Store.open(path)  # the migrations run again on an archive grouped before they existed
    assert store.db.execute("SELECT COUNT(*) FROM story_sketch WHERE article_id = ?", [a]).fetchone()[0] == 8
    b = add(store, 2, body + " Sumber: kantor berita.", "Lainnya", "2025-10-10T09:00:00+00:00")
    assert stories.assign_story(store, b) == store.db.execute(
        "SELECT story_id FROM articles WHERE id = ?", [a]).fetchone()[0]
    assert "009_story_sketch" in {n for n, _ in MIGRATIONS} and now_iso()
    store.close()
