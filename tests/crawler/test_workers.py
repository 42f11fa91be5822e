"""Page work in worker processes (``crawler/workers.py``, ``PANTAU_CRAWL_WORKERS``).

Real crawls of the local news server with the pool on and off must store the same rows and
verdicts; a worker killed in the middle of a crawl, or a page that kills its worker, loses no
other article; the setting is declared and checked.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from crawler.config import ConfigError, Settings
from crawler.workers import PagePool, WorkerCrashed, page_job, worker_count
from tests.crawler.conftest import PANTAU, db_rows, make_env, write_sources
from tests.fakes.news_server import NewsServer

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"

COLUMNS = ("url", "guid", "title", "text", "summary", "source", "outlet", "author", "language", "published",
           "extracted", "extract_error", "content_hash", "match", "score", "reasons", "companies", "jobs_cut",
           "percent", "country", "attribution", "evidence", "rules_version", "refetch", "fetch_attempts")

SITES = [  # the fixture news sites (tests/fixtures/sites), as tests/crawler/test_crawl.py crawls them
    {"name": "detik", "url": "/detik/rss.xml"},
    {"name": "tempo", "url": "/tempo/atom.xml"},
    {"name": "wp", "url": "/wp/feed.xml"},
    {"name": "kompas", "url": "/kompas/sitemap-index.xml", "type": "sitemap"},
    {"name": "listing", "url": "/listing/index.html", "type": "html", "link_selector": ".daftar-berita h2.judul a"},
    {"name": "enc", "url": "/encoding/rss.xml"},
    {"name": "halaman", "url": "/uji/halaman.xml"},  # the outlet pages + hostile pages (put below)
]


def _nested(depth: int) -> str:
    return ("<html><head><title>Halaman Bersarang Sangat Dalam Sekali</title></head><body>" + "<div>" * depth +
            "<p>Teks yang tersembunyi jauh di dalam halaman bersarang.</p>" + "</div>" * depth + "</body></html>")


HOSTILE = {  # path -> body: pages that must end as recorded state, never as a crash
    "/uji/bersarang.html": _nested(20_000),
    "/uji/sampah.html": "<html><body>" + "\ufffd<<>>&&#x110000;<p" * 5000 + "</body></html>",
    "/uji/kosong.html": "",
    "/uji/atribut.html": "<html><body><p " + " ".join(f"a{i}='{i}'" for i in range(20_000)) + ">x</p></body></html>",
}


def _feed(items: list[tuple[str, str]]) -> str:
    import html

    entries = "".join(f"<item><title>{html.escape(t)}</title><link>{{{{BASE}}}}{html.escape(p)}</link>"
                      f"<guid isPermaLink=\"false\">{html.escape(t)}</guid>"
                      f"<pubDate>Mon, 20 Oct 2025 {i // 60 % 24:02d}:{i % 60:02d}:00 +0700</pubDate>"  # a set order
                      f"<description>Ringkasan {html.escape(t)} dari umpan berita uji.</description></item>"
                      for i, (t, p) in enumerate(items))
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Uji</title>'
            "<link>{{BASE}}/uji/</link><description>x</description>" + entries + "</channel></rss>")


def _serve_test_pages(srv: NewsServer) -> None:
    items = []
    for page in sorted(PAGES.glob("*.html")):
        srv.put(f"/uji/p/{page.name}", page.read_text(encoding="utf-8"))
        items.append((f"Halaman {page.stem}", f"/uji/p/{page.name}"))
    for path, body in HOSTILE.items():
        srv.put(path, body, content_type="text/html; charset=utf-8")
        items.append((f"Halaman {path}", path))
    items += [("Halaman besar", "/fault/big?kb=700&n=w"), ("Halaman PDF", "/fault/binary?kind=pdf&ctype=text/html"),
              ("Halaman hilang", "/fault/404?uji=1")]
    srv.put("/uji/halaman.xml", _feed(items))


def _crawl(srv: NewsServer, tmp: Path, workers: str, **extra) -> subprocess.CompletedProcess:
    tmp.mkdir(parents=True, exist_ok=True)
    write_sources(tmp / "sources.toml", [dict(s, url=srv.url + s["url"]) for s in SITES])
    # a generous download timeout: a page that times out on a busy machine would differ for that reason alone
    env = make_env(tmp, PANTAU_CRAWL_WORKERS=workers, PANTAU_LOG_LEVEL="INFO", PANTAU_DOWNLOAD_TIMEOUT="20", **extra)
    proc = subprocess.run([str(PANTAU), "crawl"], env=env, capture_output=True, text=True, timeout=180, cwd=tmp)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc


def _articles(db: Path) -> dict[str, dict]:
    return {r["url"]: r for r in db_rows(db, f"SELECT {', '.join(COLUMNS)} FROM articles")}


@pytest.fixture(scope="module")
def both(news, tmp_path_factory):
    """The same sites crawled in the crawl process (0) and with one worker process (1)."""
    _serve_test_pages(news)
    tmp = tmp_path_factory.mktemp("workers")
    here = _crawl(news, tmp / "here", "0")
    pool = _crawl(news, tmp / "pool", "1")
    return tmp / "here" / "pantau.db", tmp / "pool" / "pantau.db", here, pool


def test_pool_stores_the_same_articles_and_verdicts(both):
    here_db, pool_db, here, pool = both
    a, b = _articles(here_db), _articles(pool_db)
    assert len(a) >= 30 and sum(r["match"] for r in a.values()) >= 3  # a real crawl, positives included
    assert sorted(a) == sorted(b)
    for url in a:
        assert a[url] == b[url], url
    assert "page workers: 1 process" in pool.stderr and "page workers" not in here.stderr
    classified = int(pool.stderr.split(" classified there")[0].rsplit(" ", 1)[-1])
    assert classified >= 5  # verdicts really came from the worker (more when it keeps up: CLASSIFY_BACKLOG)


def test_worker_verdicts_equal_the_crawl_process_verdicts():
    """Every outlet page extracted and classified in a worker gives what this process gives."""
    from crawler.workers import article_text, classify_columns, extract_page

    pages = sorted(PAGES.glob("*.html"))
    jobs = [("a", page_job, p.read_bytes(), "text/html; charset=utf-8", f"https://uji.example/{p.name}", (),
             None, (p.stem, "Ringkasan dari umpan.", None)) for p in pages]
    results, _ = _run_jobs(jobs, classify=True)
    flagged = 0
    for page, (ext, verdict) in zip(pages, results):
        here = extract_page(page.read_text(encoding="utf-8"), f"https://uji.example/{page.name}")
        assert ext == here
        if here.next_pages:  # a multi-page article: its text changes, the pipeline classifies it
            assert verdict is None
            continue
        text, _ = article_text(here, "Ringkasan dari umpan.")
        cols = classify_columns(here.title or page.stem, text, None)
        assert (verdict.title, verdict.text) == (here.title or page.stem, text)
        assert {k: v for k, v in verdict.columns.items() if k != "classified_at"} == \
            {k: v for k, v in cols.items() if k != "classified_at"}
        flagged += cols["match"]
    assert flagged >= 3


def test_hostile_pages_are_recorded_state(both):
    here_db, pool_db, *_ = both
    rows = _articles(pool_db)
    for path in [*HOSTILE, "/fault/big", "/fault/binary", "/fault/404"]:
        hits = [r for u, r in rows.items() if path in u]
        assert len(hits) == 1, path
        assert hits[0]["text"], path  # the page's text or the feed's summary, never nothing


def test_pool_keeps_stories_and_alert_order(both):
    """The same stories, each alerted once, and alerts queued in the outbox's order (oldest article
    first, ties in storing order). Which article of a story is stored first depends on which page
    answers first, in the crawl process as much as with workers: that choice is not compared."""
    here_db, pool_db, *_ = both

    def stories(db) -> dict[int, frozenset]:
        groups: dict[int, set] = {}
        for r in db_rows(db, "SELECT url, story_id FROM articles WHERE story_id IS NOT NULL"):
            groups.setdefault(r["story_id"], set()).add(r["url"])
        return {k: frozenset(v) for k, v in groups.items()}

    alerts = ("SELECT a.story_id, COALESCE(a.published, a.fetched) AS at, a.id AS article_id, l.chat_id, l.kind "
              "FROM alerts l JOIN articles a ON a.id = l.article_id ORDER BY l.id")
    alerted = []
    for db in (here_db, pool_db):
        rows, groups = db_rows(db, alerts), stories(db)
        assert rows and rows == sorted(rows, key=lambda r: (r["at"], r["article_id"]))
        firsts = [(groups[r["story_id"]], r["chat_id"]) for r in rows if r["kind"] == "alert"]
        assert len(firsts) == len(set(firsts))  # one alert per story and chat
        alerted.append(set(firsts))
    assert sorted(map(sorted, stories(here_db).values())) == sorted(map(sorted, stories(pool_db).values()))
    assert alerted[0] == alerted[1]


# -- a worker that dies --------------------------------------------------------------------------

def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmd = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid and b"spawn_main" in cmd:
            out.append(int(entry.name))
    return out


def test_worker_killed_mid_crawl_loses_no_article(tmp_path):
    """SIGKILL the worker while pages wait in it (the kernel's OOM killer does that): every page is
    still extracted, in a fresh worker, and the crawl says a worker died."""
    site = tmp_path / "site"
    items = []
    pages = sorted(PAGES.glob("*.html"))
    for i in range(120):
        page = pages[i % len(pages)]
        (site / "p").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(page, site / "p" / f"{i}-{page.name}")
        items.append((f"Berita {i}", f"/p/{i}-{page.name}"))
    (site / "rss.xml").write_text(_feed(items), encoding="utf-8")
    with NewsServer(root=site) as srv:
        write_sources(tmp_path / "sources.toml", [{"name": "uji", "url": srv.url + "/rss.xml"}])
        env = make_env(tmp_path, PANTAU_CRAWL_WORKERS="1", PANTAU_LOG_LEVEL="INFO", PANTAU_MAX_ITEMS_PER_SOURCE="200")
        proc = subprocess.Popen([str(PANTAU), "crawl"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, cwd=tmp_path)
        killed = []

        def killer():
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and proc.poll() is None:
                served = len(srv.hits("/p/"))
                workers = _children(proc.pid)
                if served >= 10 and workers:
                    for pid in workers:
                        os.kill(pid, signal.SIGKILL)
                        killed.append(pid)
                    return
                time.sleep(0.005)

        t = threading.Thread(target=killer)
        t.start()
        out, err = proc.communicate(timeout=180)
        t.join()
    assert proc.returncode == 0, err[-2000:]
    assert killed, "the worker was not found"
    assert "an extraction worker died" in err
    rows = db_rows(tmp_path / "pantau.db", "SELECT url, extracted, extract_error, text FROM articles")
    assert len(rows) == 120
    assert all(r["extracted"] == 1 and r["extract_error"] is None for r in rows), \
        [r for r in rows if not r["extracted"]][:3]


def _gone(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except OSError:
        return True


def test_workers_exit_when_the_crawl_process_is_killed(tmp_path):
    """The service SIGKILLs a crawl that overran its time limit: its worker must not live on."""
    site = tmp_path / "site"
    (site / "p").mkdir(parents=True)
    pages = sorted(PAGES.glob("*.html"))
    for i in range(200):
        shutil.copyfile(pages[i % len(pages)], site / "p" / f"{i}.html")
    (site / "rss.xml").write_text(_feed([(f"Berita {i}", f"/p/{i}.html") for i in range(200)]), encoding="utf-8")
    with NewsServer(root=site) as srv:
        write_sources(tmp_path / "sources.toml", [{"name": "uji", "url": srv.url + "/rss.xml"}])
        env = make_env(tmp_path, PANTAU_CRAWL_WORKERS="1", PANTAU_MAX_ITEMS_PER_SOURCE="200")
        proc = subprocess.Popen([str(PANTAU), "crawl"], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, cwd=tmp_path)
        try:
            deadline = time.monotonic() + 60
            workers: list[int] = []
            while time.monotonic() < deadline and proc.poll() is None and not workers:
                if len(srv.hits("/p/")) >= 5:
                    workers = _children(proc.pid)
                time.sleep(0.005)
            assert workers, "no worker seen"
            proc.kill()
            proc.wait()
        finally:
            if proc.poll() is None:
                proc.kill()
    until = time.monotonic() + 10
    while time.monotonic() < until and not all(_gone(pid) for pid in workers):
        time.sleep(0.1)
    left = [pid for pid in workers if not _gone(pid)]
    for pid in left:  # do not leave it behind even when the test fails
        os.kill(pid, signal.SIGKILL)
    assert not left


# -- the pool itself --------------------------------------------------------------------------------

def job_square(x: int) -> int:
    return x * x


def job_fail(x: int) -> int:
    raise ValueError("kaput")


def job_crash(x: int) -> int:
    os._exit(3)  # a worker dying in C code looks the same to the pool


def job_modules() -> list[str]:
    page = (PAGES / "kompas.html").read_bytes()
    page_job(page, "text/html; charset=utf-8", "https://tekno.kompas.com/read/x", ("Kompas",))
    return sorted({m.split(".")[0] for m in sys.modules} & {"scrapy", "twisted"})


def _run_jobs(jobs: list[tuple], n: int = 1, classify: bool = False, batches: bool = False) -> list:
    async def main():
        loop = asyncio.get_running_loop()
        model = None
        if classify:
            from crawler.classify import model as M
            from crawler.workers import model_handle

            model = model_handle(M.get_model())
        pool = PagePool(n, loop.call_soon_threadsafe, classify=classify, model=model,
                        later=loop.call_soon if batches else None)
        try:
            futures = [asyncio.wrap_future(pool.submit(key, fn, *args), loop=loop) for key, fn, *args in jobs]
            return await asyncio.gather(*futures, return_exceptions=True), pool.crashes
        finally:
            pool.close()

    return asyncio.run(main())


@pytest.mark.parametrize("batches", [False, True], ids=["one-by-one", "batched"])
def test_a_page_that_kills_its_worker_fails_alone(batches):
    jobs = [("a", job_square, i) for i in range(6)] + [("a", job_crash, 0)] + \
           [("a", job_square, i) for i in range(6, 12)] + [("a", job_fail, 0)]
    results, crashes = _run_jobs(jobs, batches=batches)
    assert crashes >= 1
    assert isinstance(results[6], WorkerCrashed)
    assert results[:6] + results[7:13] == [i * i for i in range(12)]
    assert isinstance(results[13], ValueError) and "kaput" in str(results[13])  # its own error, nobody else's


def test_the_worker_imports_neither_scrapy_nor_twisted():
    (results, _) = _run_jobs([("a", job_modules)])
    assert results == [[]]


def test_worker_count_setting():
    assert worker_count("auto", cpus=1) == 0
    assert worker_count("auto", cpus=2) == 1
    assert worker_count("AUTO", cpus=8) == 7
    assert worker_count("0", cpus=8) == 0
    assert worker_count("3", cpus=1) == 3
    assert worker_count(None, cpus=4) == 3
    assert Settings(env={}, dotenv=None).get("PANTAU_CRAWL_WORKERS") == "auto"
    for good in ("auto", "0", "2"):
        Settings(env={"PANTAU_CRAWL_WORKERS": good}, dotenv=None).validate()
    for bad in ("banyak", "-1", "1.5", "99"):
        with pytest.raises(ConfigError, match="PANTAU_CRAWL_WORKERS"):
            Settings(env={"PANTAU_CRAWL_WORKERS": bad}, dotenv=None).validate()


@pytest.mark.parametrize("batches", [False, True], ids=["one-by-one", "batched"])
def test_a_fresh_worker_that_dies_after_a_dead_one_is_replaced_too(batches):
    """A page is submitted to a worker that died between two pages (the OOM killer): it goes to a
    fresh worker. When that fresh worker dies on it too, the pool notices at once (two crashes, the
    dead worker replaced), not only when the next page finds it broken."""
    async def main():
        loop = asyncio.get_running_loop()
        pool = PagePool(1, loop.call_soon_threadsafe, later=loop.call_soon if batches else None)
        try:
            first = await asyncio.wrap_future(pool.submit("a", job_square, 2), loop=loop)
            dead = pool.executors[0]
            os.kill(pool.pids()[0], signal.SIGKILL)
            for _ in range(200):  # until the executor itself knows its worker is gone
                if getattr(dead, "_broken", False):
                    break
                await asyncio.sleep(0.05)
            (crashed,) = await asyncio.gather(asyncio.wrap_future(pool.submit("a", job_crash, 0), loop=loop),
                                              return_exceptions=True)
            current = pool.executors[0]
            crashes, broken = pool.crashes, current is not None and getattr(current, "_broken", False)
            after = await asyncio.wrap_future(pool.submit("a", job_square, 4), loop=loop)
            return first, crashed, crashes, broken, after
        finally:
            pool.close()

    first, crashed, crashes, broken, after = asyncio.run(main())
    assert first == 4 and after == 16
    assert isinstance(crashed, WorkerCrashed)
    assert crashes == 2, crashes
    assert not broken, "the dead fresh worker was kept"


# -- a page that hangs its worker ------------------------------------------------------------------

def job_hang(x: int) -> int:
    time.sleep(600)  # an extractor stuck on a pathological page (a regex or a parser that never ends)
    return x


@pytest.mark.parametrize("batches", [False, True], ids=["one-by-one", "batched"])
def test_a_page_that_hangs_its_worker_fails_alone_after_the_page_time_limit(batches):
    """PANTAU_PAGE_TIMEOUT: a worker busy on one piece of work for longer than the limit is stopped;
    the pages that waited in it run again one at a time (each with the limit), and the page that
    hangs again fails alone with PageTimeout, long before the crawl's own time limit."""
    from crawler.workers import PageTimeout

    async def main():
        loop = asyncio.get_running_loop()
        pool = PagePool(1, loop.call_soon_threadsafe, later=loop.call_soon if batches else None, page_timeout=1.0)
        pool.start()
        try:
            jobs = [("a", job_square, 2), ("a", job_hang, 0), ("a", job_square, 3), ("a", job_fail, 0)]
            started = time.monotonic()
            futures = [asyncio.wrap_future(pool.submit(key, fn, *args), loop=loop) for key, fn, *args in jobs]
            results = await asyncio.wait_for(asyncio.gather(*futures, return_exceptions=True), timeout=60)
            elapsed = time.monotonic() - started
            after = await asyncio.wrap_future(pool.submit("a", job_square, 5), loop=loop)
            return results, elapsed, after, pool.timeouts
        finally:
            pool.close()

    results, elapsed, after, timeouts = asyncio.run(main())
    assert results[0] == 4 and results[2] == 9 and after == 25
    assert isinstance(results[1], PageTimeout) and isinstance(results[1], WorkerCrashed)
    assert "1 s" in str(results[1])
    assert isinstance(results[3], ValueError)
    assert timeouts >= 1
    assert elapsed < 30, elapsed


def test_page_timeout_setting():
    assert Settings(env={}, dotenv=None).get("PANTAU_PAGE_TIMEOUT") == "60"
    Settings(env={"PANTAU_PAGE_TIMEOUT": "5"}, dotenv=None).validate()
    for bad in ("0", "-1", "abc"):
        with pytest.raises(ConfigError):
            Settings(env={"PANTAU_PAGE_TIMEOUT": bad}, dotenv=None).validate()
