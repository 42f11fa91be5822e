"""The crawl writes articles in batches (issue 15) without weakening what a commit per article gave.

- An item that fails leaves nothing behind (its own savepoint); the others of its batch are stored.
- The write lock is never held for long: another process can write while a crawl runs.
- Everything is committed when the crawl ends.
"""

from __future__ import annotations

import sqlite3
import subprocess
import time

import pytest

from crawler.sources import Source
from crawler.spider import BATCH_ITEMS, NewsSpider, StorePipeline
from crawler.store import Store, now_iso
from tests.crawler.conftest import PANTAU, db_rows, make_env, write_sources
from tests.crawler.test_hardening_crawl import page, rss
from tests.fakes.news_server import NewsServer


def item(src: Source, i: int) -> dict:
    url = f"http://127.0.0.1:9/b/{i}.html"
    return {"source": src, "aliases": [url + "?utm_source=rss"], "refetch_id": None,
            "record": {"url": url, "guid": None, "title": f"Berita nomor {i}", "text": f"Isi berita nomor {i}. " * 20,
                       "summary": None, "source": src.name, "outlet": src.name, "author": None, "language": "id",
                       "published": None, "fetched": now_iso(), "extracted": 1, "extract_error": None,
                       "content_hash": f"h{i}", "refetch": 0}}


class _Signals:
    def connect(self, *a, **k):
        pass


class _Crawler:
    signals = _Signals()


@pytest.fixture
def pipeline(tmp_path):
    store = Store.open(tmp_path / "b.db")
    src = Source(name="batch", url="http://127.0.0.1:9/rss.xml")
    store.sync_sources([src])
    spider = NewsSpider(sources=[src], store=store)
    pipe = StorePipeline.from_crawler(_Crawler())
    pipe.spider = spider
    yield pipe, spider, store, src
    store.close()


def test_a_failing_item_leaves_nothing_and_its_batch_is_kept(pipeline, monkeypatch):
    pipe, spider, store, src = pipeline
    real = Store.add_aliases

    def add_aliases(self, article_id, urls):  # fails after the article row was inserted
        if any("/b/3.html" in u for u in urls):
            raise ValueError("boom")
        return real(self, article_id, urls)

    monkeypatch.setattr(Store, "add_aliases", add_aliases)
    for i in range(6):
        if i == 3:
            with pytest.raises(ValueError):
                pipe.process_item(item(src, i), spider)
        else:
            pipe.process_item(item(src, i), spider)
    assert store.conn.in_transaction  # a batch is open
    other = sqlite3.connect(store.path)
    assert other.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 0  # not visible before the commit
    pipe.close_spider(spider)
    assert not store.conn.in_transaction
    urls = sorted(r[0] for r in other.execute("SELECT url FROM articles"))
    assert urls == sorted(f"http://127.0.0.1:9/b/{i}.html" for i in (0, 1, 2, 4, 5))
    assert other.execute("SELECT COUNT(*) FROM articles_fts").fetchone()[0] == 5
    other.close()


def test_a_full_batch_is_committed(pipeline):
    pipe, spider, store, src = pipeline
    for i in range(BATCH_ITEMS):
        pipe.process_item(item(src, i), spider)
    assert not store.conn.in_transaction
    other = sqlite3.connect(store.path)
    assert other.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == BATCH_ITEMS
    other.close()


def test_another_process_can_write_while_a_crawl_runs(tmp_path):
    n = 60
    with NewsServer() as srv:
        for i in range(n):
            srv.put(f"/lk/{i}.html", page(f"Berita kunci nomor {i} tentang ekonomi digital"), delay=1.0)
        srv.put("/lk/rss.xml", rss([{"link": f"{srv.url}/lk/{i}.html"} for i in range(n)]))
        env = make_env(tmp_path, PANTAU_MAX_ITEMS_PER_SOURCE=str(n))
        write_sources(env["PANTAU_SOURCES"], [{"name": "kunci", "url": srv.url + "/lk/rss.xml"}])
        db = tmp_path / "pantau.db"
        Store.open(db).close()
        proc = subprocess.Popen([str(PANTAU), "crawl"], env=env, cwd=tmp_path, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        writes, waits = 0, []
        try:
            while proc.poll() is None:
                conn = sqlite3.connect(db, timeout=3)  # a writer that gives up after 3 s
                started = time.monotonic()
                conn.execute("BEGIN IMMEDIATE")
                waits.append(time.monotonic() - started)
                conn.execute("INSERT INTO meta (key, value) VALUES ('probe', ?) "
                             "ON CONFLICT(key) DO UPDATE SET value = excluded.value", [str(writes)])
                conn.execute("COMMIT")
                conn.close()
                writes += 1
                time.sleep(0.05)
        finally:
            out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert writes >= 5 and max(waits) < 2.0, (writes, max(waits))
        assert len(db_rows(db, "SELECT id FROM articles")) == n
