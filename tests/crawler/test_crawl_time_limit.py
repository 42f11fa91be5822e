"""A crawl cut by its time limit loses no article: what it could not fetch is stored on a later pass.

Issue 15: the benchmark's 100 × 5,000 crawl stored only 3,475 articles under load. The crawl had hit
``PANTAU_CRAWL_TIMEOUT``; the feeds had been read, so their ETag/Last-Modified were saved, and the next
crawl got "304 Not Modified" and never asked for the pages left over. Real ``pantau crawl`` runs against
the loopback news server; the slow pages are served with a delay.
"""

from __future__ import annotations

import pytest

from tests.crawler.conftest import db_rows, make_env, run_pantau, write_sources
from tests.crawler.test_hardening_crawl import page, rss
from tests.fakes.news_server import NewsServer

N = 100


@pytest.fixture
def slow_site():
    with NewsServer() as srv:
        for i in range(N):
            srv.put(f"/tl/{i}.html", page(f"Berita lambat nomor {i} tentang ekonomi digital"), delay=2.0)
        srv.put("/tl/rss.xml", rss([{"link": f"{srv.url}/tl/{i}.html", "guid": f"tl-{i}"} for i in range(N)]))
        yield srv


def test_articles_left_by_the_time_limit_are_stored_by_the_next_crawl(slow_site, tmp_path):
    srv = slow_site
    env = make_env(tmp_path, PANTAU_CRAWL_TIMEOUT="3", PANTAU_DOWNLOAD_TIMEOUT="15",
                   PANTAU_MAX_ITEMS_PER_SOURCE=str(N))
    write_sources(env["PANTAU_SOURCES"], [{"name": "lambat", "url": srv.url + "/tl/rss.xml"}])
    first = run_pantau("crawl", env=env, timeout=120)
    assert first.returncode == 0, first.stderr
    stored = db_rows(env["PANTAU_DB"], "SELECT url, refetch FROM articles")
    assert len(stored) < N, "the time limit did not cut the crawl: the test proves nothing"

    for i in range(N):  # the site is fast again; the feed itself is unchanged
        srv.put(f"/tl/{i}.html", page(f"Berita lambat nomor {i} tentang ekonomi digital"))
    srv.clear_log()
    second = run_pantau("crawl", env={**env, "PANTAU_CRAWL_TIMEOUT": "90"}, timeout=120)
    assert second.returncode == 0, second.stderr
    rows = db_rows(env["PANTAU_DB"], "SELECT url, extracted FROM articles")
    assert sorted(r["url"] for r in rows) == sorted(f"{srv.url}/tl/{i}.html" for i in range(N))
    assert all(r["extracted"] == 1 for r in rows)
    # nothing already stored with its text is fetched again (summary-only ones are: ``refetch``)
    fetched = {r.path for r in srv.hits("/tl/") if r.path.endswith(".html")}
    assert not fetched & {r["url"][len(srv.url):] for r in stored if not r["refetch"]}


def test_feed_validators_are_kept_when_every_page_was_answered(tmp_path):
    """The fix must not cost the cheap re-crawl: a crawl that finished its pages saves the ETag."""
    with NewsServer() as srv:
        for i in range(5):
            srv.put(f"/ok/{i}.html", page(f"Berita cepat nomor {i} tentang ekonomi digital"))
        srv.put("/ok/rss.xml", rss([{"link": f"{srv.url}/ok/{i}.html"} for i in range(5)]))
        env = make_env(tmp_path)
        write_sources(env["PANTAU_SOURCES"], [{"name": "cepat", "url": srv.url + "/ok/rss.xml"}])
        assert run_pantau("crawl", env=env).returncode == 0
        srv.clear_log()
        assert run_pantau("crawl", env=env).returncode == 0
        feed = [r for r in srv.requests if r.path == "/ok/rss.xml"]
        assert [r.status for r in feed] == [304]
        assert not [r for r in srv.requests if r.path.endswith(".html")]
