"""Issue 10, crawler/input items: hostile feeds replayed through the real ``pantau crawl``.

Every test here publishes hostile content on the loopback news server
(``tests/fakes/news_server.py``), runs the real console script in a
subprocess and checks the SQLite file it wrote.
"""

from __future__ import annotations

import re
import time
from html import escape
from urllib.parse import urlsplit

import pytest

from tests.crawler.conftest import db_rows, make_env, run_pantau, write_sources

SUMMARY = re.compile(r"^crawl: (\d+) sources ok, (\d+) failed(?:, (\d+) backing off)?; "
                     r"(\d+) new articles \((\d+) flagged\) in [\d.]+ s$")

LAYOFF = ("PT Contoh Digital melakukan PHK terhadap 300 karyawan karena perusahaan menggantikan pekerjaan "
          "layanan pelanggan dengan kecerdasan buatan (AI). Manajemen menyebut otomatisasi berbasis AI membuat "
          "tim dukungan tidak lagi dibutuhkan, sehingga pemutusan hubungan kerja tidak terhindarkan.")


def page(title: str, body: str = "", canonical: str | None = None, site_name: str | None = None) -> str:
    """A small, well-formed article page."""
    body = body or (f"{title}. " + "Isi berita ini ditulis untuk pengujian crawler dan cukup panjang. " * 8)
    head = f"<title>{escape(title)}</title>"
    if canonical:
        head += f'<link rel="canonical" href="{escape(canonical)}">'
    if site_name:
        head += f'<meta property="og:site_name" content="{escape(site_name)}">'
    paras = "".join(f"<p>{escape(p)}</p>" for p in re.split(r"(?<=\.) ", body) if p)
    return (f'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">{head}</head>'
            f"<body><article><h1>{escape(title)}</h1>{paras}</article></body></html>")


def rss(items: list[dict], link: str = "{{BASE}}/") -> str:
    out = []
    for i, it in enumerate(items):
        guid = f"<guid>{escape(it['guid'])}</guid>" if "guid" in it else ""
        out.append(f"<item><title>{escape(it.get('title', f'Berita {i}'))}</title>"
                   f"<link>{escape(it['link'])}</link>{guid}"
                   f"<pubDate>Mon, 20 Oct 2025 {10 + i % 10:02d}:00:00 +0700</pubDate>"
                   f"<description>{escape(it.get('summary', f'Ringkasan berita nomor {i} dari feed.'))}"
                   f"</description></item>")
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Uji</title>'
            f"<link>{link}</link><description>x</description>" + "".join(out) + "</channel></rss>")


def crawl(env: dict, sources: list[dict], *args: str, timeout: float = 120):
    write_sources(env["PANTAU_SOURCES"], sources)
    proc = run_pantau("crawl", "-v", *args, env=env, timeout=timeout)
    assert proc.returncode == 0, proc.stderr
    assert SUMMARY.match(proc.stdout.splitlines()[0]), proc.stdout
    return proc


def articles(env) -> list[dict]:
    return db_rows(env["PANTAU_DB"], "SELECT * FROM articles ORDER BY id")


def source_row(env, name: str) -> dict:
    return db_rows(env["PANTAU_DB"], "SELECT * FROM sources WHERE name = ?", [name])[0]


# -- 1. local files and internal services ------------------------------------------------------

def test_ssrf_links_and_redirects_never_fetched_or_stored(news, news2, tmp_path):
    env = make_env(tmp_path)
    p = "/h1"
    secret = "RAHASIA-LAYANAN-INTERNAL-42"
    news2.put("/secret.html", page("Rahasia internal", f"{secret}. " + LAYOFF))
    news2.clear_log()
    internal = f"{news2.url}/secret.html"
    news.put(f"{p}/ok.html", page("Berita sah", LAYOFF))
    news.put(f"{p}/to-internal", "", status=302, headers={"Location": internal})
    items = [
        {"link": "file://localhost/etc/passwd"},
        {"link": "file:///etc/passwd"},
        {"link": "data:text/html,<p>" + escape(LAYOFF) + "</p>"},
        {"link": internal},                                                 # another loopback port
        {"link": f"http://localhost:{news.port}{p}/ok.html?via=dns"},       # a name resolving to loopback
        {"link": f"http://[::ffff:127.0.0.1]:{news2.port}/secret.html"},   # IPv4-mapped IPv6
        {"link": f"{news.url}{p}/to-internal"},                             # same origin, redirects inside
        {"link": f"{news.url}/fault/redirect?to=file:///etc/passwd"},
        {"link": f"{news.url}/fault/redirect?to={internal}"},
        {"link": f"{news.url}{p}/ok.html", "title": "Berita sah"},
    ]
    news.put(f"{p}/rss.xml", rss(items))
    crawl(env, [{"name": "h1", "url": news.url + f"{p}/rss.xml"}])
    assert news2.hits("/") == [], "an internal service on another port was requested"
    rows = articles(env)
    urls = [r["url"] for r in rows] + [r["url"] for r in db_rows(env["PANTAU_DB"], "SELECT url FROM article_urls")]
    for u in urls:
        if u.startswith("guid:"):
            continue
        assert u.startswith(("http://", "https://")), u
        parts = urlsplit(u)
        assert parts.port != news2.port and parts.hostname == "127.0.0.1", u
    for r in rows:
        assert "root:" not in r["text"] and secret not in r["text"], r["url"]
    assert f"{news.url}{p}/ok.html" in {r["url"] for r in rows}
    health = source_row(env, "h1")
    assert health["last_error"] is None and health["consecutive_failures"] == 0
    assert health["skipped_entries"] == 6, health["skip_reason"]  # 3 schemes, 2 internal IPs, 1 DNS name
    feed = run_pantau("feed", "-o", "-", env=env)
    assert "data:" not in feed.stdout and "file:" not in feed.stdout


def test_robots_and_meta_refresh_redirects_held_to_the_policy(news2, tmp_path):
    from tests.fakes.news_server import NewsServer

    env = make_env(tmp_path)
    news2.clear_log()
    with NewsServer() as srv:
        srv.redirect("/robots.txt", f"{news2.url}/robots.txt")
        srv.put("/r/refresh.html", f'<html><head><meta http-equiv="refresh" content="0;url={news2.url}/secret.html">'
                                   "</head><body>Pindah</body></html>")
        srv.put("/r/ok.html", page("Berita robots"))
        srv.put("/r/rss.xml", rss([{"link": srv.url + "/r/refresh.html"}, {"link": srv.url + "/r/ok.html"}]))
        crawl(env, [{"name": "r", "url": srv.url + "/r/rss.xml"}])
        assert news2.hits("/") == [], [h.path for h in news2.hits("/")]
        assert srv.url + "/r/ok.html" in {r["url"] for r in articles(env)}


def test_internal_canonical_refused(news, news2, tmp_path):
    env = make_env(tmp_path)
    news.put("/h1c/a.html", page("Kanonik internal", LAYOFF, canonical=f"{news2.url}/admin"))
    news.put("/h1c/rss.xml", rss([{"link": news.url + "/h1c/a.html"}]))
    crawl(env, [{"name": "h1c", "url": news.url + "/h1c/rss.xml"}])
    assert [r["url"] for r in articles(env)] == [news.url + "/h1c/a.html"]
    assert not db_rows(env["PANTAU_DB"], "SELECT * FROM article_urls WHERE url LIKE ?", [f"%:{news2.port}/%"])


# -- 2. canonical spoofing -------------------------------------------------------------------------

def test_canonical_on_another_outlet_is_ignored(news, tmp_path):
    env = make_env(tmp_path)
    real = "https://www.kompas.com/tekno/read/2025/10/20/real-story"
    news.put("/h2/spoof.html", page("Cerita palsu", LAYOFF, canonical=real, site_name="Kompas.com"))
    news.put("/h2/rss.xml", rss([{"link": news.url + "/h2/spoof.html"}]))
    crawl(env, [{"name": "Situs Kecil", "url": news.url + "/h2/rss.xml"}])
    rows = articles(env)
    assert [r["url"] for r in rows] == [news.url + "/h2/spoof.html"]
    assert rows[0]["outlet"] == "Situs Kecil"
    assert not db_rows(env["PANTAU_DB"], "SELECT * FROM article_urls WHERE url LIKE '%kompas%'")


def test_canonical_on_a_declared_domain_is_accepted(news, tmp_path):
    env = make_env(tmp_path)
    real = "https://www.kompas.id/baca/2025/10/20/cerita-asli"
    news.put("/h2b/a.html", page("Cerita cermin", LAYOFF, canonical=real))
    news.put("/h2b/rss.xml", rss([{"link": news.url + "/h2b/a.html"}]))
    crawl(env, [{"name": "Kompas", "url": news.url + "/h2b/rss.xml", "domains": ["kompas.id"]}])
    assert [r["url"] for r in articles(env)] == [real]


# -- 7. bad links skip one entry, not the feed -------------------------------------------------------

@pytest.mark.parametrize("bad", ["javascript:alert(1)", "mailto:redaksi@contoh.id", "tel:+62215551234",
                                 "http://[::1", "ftp://files.contoh.id/berita.html"])
def test_bad_link_in_a_feed_skips_only_that_entry(news, tmp_path, bad):
    env = make_env(tmp_path)
    key = abs(hash(bad)) % 10 ** 8
    items = []
    for i in range(5):
        if i == 2:
            items.append({"link": bad})
            continue
        path = f"/h7/{key}/{i}.html"
        news.put(path, page(f"Berita tujuh {i}"))
        items.append({"link": news.url + path})
    news.put(f"/h7/{key}/rss.xml", rss(items))
    proc = crawl(env, [{"name": "h7", "url": news.url + f"/h7/{key}/rss.xml"}])
    assert len(articles(env)) == 4, proc.stdout
    row = source_row(env, "h7")
    assert row["consecutive_failures"] == 0 and row["last_success"]
    assert row["skipped_entries"] == 1 and row["skip_reason"]
    table = run_pantau("sources", env=env).stdout.splitlines()
    header, line = table[0].split(), table[1].split()
    assert line[2] == "ok" and line[header.index("SKIPPED")] == "1" and "skipped" in table[1]


def test_bad_loc_in_sitemap_and_listing(news, tmp_path):
    env = make_env(tmp_path)
    locs = []
    for i in range(5):
        path = f"/h7s/berita/2025/10/{i}.html"
        news.put(path, page(f"Berita peta situs {i}"))
        locs.append("javascript:void(0)" if i == 2 else news.url + path)
    news.put("/h7s/sitemap.xml", '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             + "".join(f"<url><loc>{escape(u)}</loc><lastmod>2025-10-2{i}T10:00:00+07:00</lastmod></url>"
                       for i, u in enumerate(locs)) + "</urlset>")
    links = "".join(f'<h2><a href="{escape(u)}">Judul berita daftar nomor {i} yang panjang</a></h2>'
                    for i, u in enumerate(locs[:2] + ["tel:+6221555", "mailto:a@b.id"] + locs[3:]))
    news.put("/h7s/index.html", f"<html><body><div class='daftar'>{links}</div></body></html>")
    crawl(env, [{"name": "peta", "url": news.url + "/h7s/sitemap.xml", "type": "sitemap"},
                {"name": "daftar", "url": news.url + "/h7s/index.html", "type": "html",
                 "link_selector": ".daftar h2 a"}])
    assert len(articles(env)) == 4
    assert source_row(env, "peta")["skipped_entries"] == 1
    assert source_row(env, "daftar")["skipped_entries"] == 2
    assert source_row(env, "daftar")["consecutive_failures"] == 0


# -- 8. shared GUIDs are not identities ---------------------------------------------------------------

@pytest.mark.parametrize("guid", ["0", "ROOT"])
def test_repeated_or_root_guid_keeps_every_article(news, tmp_path, guid):
    env = make_env(tmp_path)
    g = news.url + "/" if guid == "ROOT" else guid
    items = []
    for i in range(5):
        path = f"/h8/{guid}/{i}.html"
        news.put(path, page(f"Berita guid {guid} {i}"))
        items.append({"link": news.url + path, "guid": g})
    news.put(f"/h8/{guid}/rss.xml", rss(items))
    src = [{"name": "h8", "url": news.url + f"/h8/{guid}/rss.xml"}]
    crawl(env, src)
    assert len(articles(env)) == 5
    news.clear_log()
    crawl(env, src, "--force")  # a re-crawl fetches nothing again
    assert len(articles(env)) == 5
    assert not [r for r in news.hits(f"/h8/{guid}/") if r.path.endswith(".html")]


def test_single_root_guid_is_not_an_identity(news, tmp_path):
    """Even one item whose GUID is the homepage must not alias the homepage to it."""
    env = make_env(tmp_path)
    news.put("/h8b/a.html", page("Satu-satunya"))
    news.put("/h8b/rss.xml", rss([{"link": news.url + "/h8b/a.html", "guid": news.url + "/"}]))
    crawl(env, [{"name": "h8b", "url": news.url + "/h8b/rss.xml"}])
    assert not db_rows(env["PANTAU_DB"], "SELECT * FROM article_urls WHERE url = ?", [news.url + "/"])


# -- 16. binary bodies -------------------------------------------------------------------------------------

def test_binary_bodies_are_not_stored_as_text(news, tmp_path):
    env = make_env(tmp_path)
    cases = [("pdf", None), ("png", "text/html; charset=utf-8"), ("zip", "application/octet-stream"),
             ("pdf", "text/plain")]
    items = []
    for i, (kind, ctype) in enumerate(cases):
        link = f"{news.url}/fault/binary?kind={kind}&n={i}" + (f"&ctype={ctype}" if ctype else "")
        items.append({"link": link, "summary": f"Ringkasan cadangan berkas {kind} nomor {i}."})
    news.put("/h16/ok.html", page("Halaman biasa"))
    items.append({"link": news.url + "/h16/ok.html"})
    news.put("/h16/rss.xml", rss(items))
    crawl(env, [{"name": "h16", "url": news.url + "/h16/rss.xml"}])
    rows = {r["url"]: r for r in articles(env)}
    assert len(rows) == 5
    for r in rows.values():
        if "/fault/binary" not in r["url"]:
            assert r["extracted"] == 1
            continue
        assert r["text"].startswith("Ringkasan cadangan berkas"), r["text"][:80]
        assert r["extracted"] == 0 and re.search(r"binary|not an? (html|text)", r["extract_error"], re.I)
        assert not re.search(r"[\x00-\x08\x0e-\x1f\ufffd]", r["text"] + r["title"])


# -- 9. one slow page does not blank its site; summary-only articles are retried ---------------------------

def test_one_slow_page_does_not_blank_the_site_and_is_retried(tmp_path):
    from tests.fakes.news_server import NewsServer

    env = make_env(tmp_path, PANTAU_DOWNLOAD_TIMEOUT="2", TELEGRAM_CHANNEL_ID="@uji")
    with NewsServer() as srv:  # its own host:port: nothing else marks it dead
        items = []
        for i in range(40):
            path = f"/h9/{i}.html"
            if i in (0, 20):
                srv.put(path, page(f"Halaman lambat {i}"), delay=30)
                items.append({"link": srv.url + path, "title": f"Halaman lambat {i}",
                              "summary": f"Ringkasan halaman lambat {i}."})
            else:
                srv.put(path, page(f"Berita sembilan {i}"), delay=1.0)
                items.append({"link": srv.url + path})
        srv.put("/h9/rss.xml", rss(items))
        src = [{"name": "h9", "url": srv.url + "/h9/rss.xml"}]
        crawl(env, src)
        rows = {r["url"]: r for r in articles(env)}
        assert len(rows) == 40
        slow = {srv.url + "/h9/0.html", srv.url + "/h9/20.html"}
        for url, r in rows.items():
            if url in slow:
                assert r["extracted"] == 0 and "timeout" in r["extract_error"] and r["refetch"] == 1
            else:
                assert r["extracted"] == 1, (url, r["extract_error"])
        # the text arrives on the next crawl: stored, re-classified, grouped and alerted
        srv.put("/h9/0.html", page("PHK karena AI di PT Contoh Digital", LAYOFF))
        crawl(env, src, "--force")
        r = db_rows(env["PANTAU_DB"], "SELECT * FROM articles WHERE url = ?", [srv.url + "/h9/0.html"])[0]
        assert r["extracted"] == 1 and r["refetch"] == 0 and r["fetch_attempts"] == 2
        assert LAYOFF[:40] in r["text"]
        assert r["match"] == 1 and r["story_id"]
        assert db_rows(env["PANTAU_DB"], "SELECT * FROM alerts WHERE article_id = ?", [r["id"]])
        # a page that never answers is tried at most 3 times in all
        for _ in range(3):
            crawl(env, src, "--force")
        r20 = db_rows(env["PANTAU_DB"], "SELECT * FROM articles WHERE url = ?", [srv.url + "/h9/20.html"])[0]
        assert r20["fetch_attempts"] == 3 and r20["refetch"] == 0
        assert len([h for h in srv.hits("/h9/20.html")]) <= 3


# -- 14. sitemap index bombs ------------------------------------------------------------------------------------

@pytest.mark.parametrize("fan", [3, 30])
def test_sitemap_index_depth_and_count_capped_newest_first(news, tmp_path, fan):
    from crawler.spider import MAX_CHILD_SITEMAPS, MAX_SITEMAP_DEPTH

    env = make_env(tmp_path, PANTAU_CRAWL_TIMEOUT="30")
    news.clear_log()
    started = time.monotonic()
    crawl(env, [{"name": "bom", "url": news.url + f"/fault/sitemap-bomb/0-0.xml?fan={fan}", "type": "sitemap"}])
    assert time.monotonic() - started < 25
    hits = [r.path.split("?")[0].rsplit("/", 1)[-1] for r in news.hits("/fault/sitemap-bomb/")]
    levels = [(int(h.split("-")[0]), int(h.split("-")[1].split(".")[0])) for h in hits]
    assert len(hits) <= 1 + MAX_CHILD_SITEMAPS, len(hits)
    assert max(d for d, _ in levels) <= MAX_SITEMAP_DEPTH
    first = [j for d, j in levels if d == 1]
    assert sorted(first, reverse=True) == list(range(fan - 1, fan - 1 - len(first), -1))  # the newest ones
    row = source_row(env, "bom")
    assert row["last_error"] and row["skipped_entries"] > 0


# -- 15. oversized pages -----------------------------------------------------------------------------------------

def test_huge_pages_do_not_starve_the_crawl(news, news2, tmp_path):
    limit = 15
    env = make_env(tmp_path, PANTAU_CRAWL_TIMEOUT=str(limit), PANTAU_DOWNLOAD_TIMEOUT="5")
    news.put("/h15/rss.xml", rss([{"link": f"{news.url}/fault/big?kb=4800&n={i}",
                                   "summary": f"Ringkasan laporan panjang {i}."} for i in range(6)]))
    small = []
    for i in range(10):
        news2.put(f"/h15/{i}.html", page(f"Berita kecil {i}"))
        small.append({"link": f"{news2.url}/h15/{i}.html"})
    news2.put("/h15/rss.xml", rss(small))
    started = time.monotonic()
    crawl(env, [{"name": "besar", "url": news.url + "/h15/rss.xml"},
                {"name": "kecil", "url": news2.url + "/h15/rss.xml"}], timeout=180)
    elapsed = time.monotonic() - started
    assert elapsed < limit + 8, elapsed
    rows = articles(env)
    kecil = [r for r in rows if r["source"] == "kecil"]
    assert len(kecil) == 10 and all(r["extracted"] == 1 for r in kecil)
    besar = [r for r in rows if r["source"] == "besar"]
    assert len(besar) == 6
    for r in besar:
        assert len(r["text"]) <= 200_000
