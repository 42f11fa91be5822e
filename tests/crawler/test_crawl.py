"""End-to-end: the real ``pantau`` console script against the local fixture news server.

One module-scoped crawl (three passes: first, unchanged re-crawl, back-off)
is shared by most assertions; everything is checked against
``tests/fixtures/sites/manifest.json``, never against hard-coded results.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
import time
from datetime import datetime
from urllib.parse import urlsplit

import lxml.html
import pytest

from crawler.urls import canonical_url

from tests.crawler.conftest import db_rows, make_env, run_pantau, write_sources

SUMMARY = re.compile(r"^crawl: (\d+) sources ok, (\d+) failed(?:, (\d+) backing off)?; "
                     r"(\d+) new articles \((\d+) flagged\) in [\d.]+ s$")
ISO_OFFSET = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?[+-]\d{2}:\d{2}$")

GOOD = {  # name -> (path, extra keys)
    "detik": ("/detik/rss.xml", {}),
    "tempo": ("/tempo/atom.xml", {}),
    "wp": ("/wp/feed.xml", {}),
    "kompas": ("/kompas/sitemap-index.xml", {"type": "sitemap"}),
    "listing": ("/listing/index.html", {"type": "html", "link_selector": ".daftar-berita h2.judul a"}),
    "dup": ("/dup/rss.xml", {}),
    "gnews": ("/gnews/rss.xml", {"aggregator": True}),
    "enc": ("/encoding/rss.xml", {}),
    "malformed": ("/fault/malformed.xml", {}),   # broken XML that still yields entries
    "empty": ("/fault/empty.xml", {}),           # valid feed, no items
    "fallback": ("/extra/fallback.xml", {}),      # entries whose pages fail (put below)
}
BAD = {  # name -> (path, words expected in the recorded error)
    "htmlfeed": ("/fault/html-as-feed.xml", ("html",)),
    "e404": ("/fault/404", ("404",)),
    "e500": ("/fault/500", ("500",)),
    "loop": ("/fault/redirect-loop", ("redirect",)),
    "hugefeed": ("/fault/huge", ("large", "size")),
    "hugefeed2": ("/fault/huge-nolength", ("large", "size", "cancel")),
}
HANG = "/fault/hang"

FALLBACK_ITEMS = [  # (link path, summary) — pages that cannot be fetched
    ("/fault/huge?story=1", "Ringkasan cadangan satu: halaman artikel ini terlalu besar untuk diunduh crawler."),
    ("/fault/404?story=2", "Ringkasan cadangan dua: halaman artikel ini sudah dihapus dari server penerbit."),
    ("/private/draf-berita.html", "Ringkasan cadangan tiga: halaman ini dilarang oleh robots.txt situsnya."),
]


def fallback_feed() -> str:
    items = []
    for i, (path, summary) in enumerate(FALLBACK_ITEMS, start=1):
        date = "" if i == 2 else f"<pubDate>Mon, 2{i} Oct 2025 10:00:00 +0700</pubDate>"  # one undated entry
        items.append(f"<item><title>Cadangan {i}</title><link>{{{{BASE}}}}{path.replace('&', '&amp;')}</link>"
                     f"{date}<description>{summary}</description></item>")
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Cadangan</title>'
            "<link>{{BASE}}/extra/</link><description>x</description>" + "".join(items) + "</channel></rss>")


def instant(value: str | None):
    return datetime.fromisoformat(value).timestamp() if value else None


def norm(text: str) -> str:
    return " ".join((text or "").split())


@pytest.fixture(scope="module")
def crawl(news, news2, tmp_path_factory):
    """Three crawl passes over every fixture source; logs and DB kept for the assertions."""
    tmp = tmp_path_factory.mktemp("crawl")
    env = make_env(tmp)
    news.put("/extra/fallback.xml", fallback_feed())
    entries = [{"name": n, "url": news.url + p, **extra} for n, (p, extra) in GOOD.items()]
    entries += [{"name": n, "url": news.url + p} for n, (p, _) in BAD.items()]
    entries.append({"name": "hang", "url": news2.url + HANG})
    write_sources(env["PANTAU_SOURCES"], entries)
    runs = []
    for _ in range(3):
        news.clear_log()
        news2.clear_log()
        started = time.monotonic()
        proc = run_pantau("crawl", "-v", env=env, timeout=120)
        runs.append({"proc": proc, "seconds": time.monotonic() - started,
                     "requests": news.requests, "requests2": news2.requests,
                     "articles": db_rows(env["PANTAU_DB"], "SELECT * FROM articles"),
                     "sources": {r["name"]: r for r in db_rows(env["PANTAU_DB"], "SELECT * FROM sources")}})
    return {"env": env, "db": env["PANTAU_DB"], "runs": runs, "base": news.url, "base2": news2.url}


@pytest.fixture(scope="module")
def first(crawl):
    return crawl["runs"][0]


@pytest.fixture(scope="module")
def by_url(first):
    return {a["url"]: a for a in first["articles"]}


def unique_articles(manifest):
    return [a for a in manifest["articles"] if not a["duplicate_of"]]


# -- the pass itself ---------------------------------------------------------------

def test_each_pass_exits_zero_with_one_summary_line(crawl):
    for run in crawl["runs"]:
        proc = run["proc"]
        assert proc.returncode == 0, proc.stderr
        lines = proc.stdout.splitlines()
        assert SUMMARY.match(lines[0]), lines[0]
        assert all(line.startswith("  ") for line in lines[1:]), proc.stdout  # -v: failures only


def test_first_pass_counts(first, manifest):
    m = SUMMARY.match(first["proc"].stdout.splitlines()[0])
    ok, failed, new = int(m.group(1)), int(m.group(2)), int(m.group(4))
    assert ok == len(GOOD)
    assert failed == len(BAD) + 1
    assert new == len(first["articles"])
    expected = len(unique_articles(manifest)) + len(manifest["unresolved"]) + len(FALLBACK_ITEMS)
    assert len(first["articles"]) == expected


def test_hanging_source_does_not_stall_the_crawl(first, crawl):
    assert first["seconds"] < 60
    assert any(r.path == HANG for r in first["requests2"])
    assert "timeout" in first["sources"]["hang"]["last_error"].lower()


# -- one canonical URL per article ------------------------------------------------------

def test_every_story_stored_once_under_its_canonical_url(first, by_url, manifest, crawl):
    base = crawl["base"]
    for art in unique_articles(manifest):
        url = base + art["canonical"]
        assert url in by_url, f"{art['id']} missing ({url})"
    urls = [a["url"] for a in first["articles"]]
    assert len(urls) == len(set(urls))
    for art in manifest["articles"]:
        if art["duplicate_of"]:
            assert base + art["path"] not in by_url, f"duplicate {art['id']} stored under its own URL"
    for a in first["articles"]:
        assert not re.search(r"[?&](utm_|fbclid|gclid|ref=|oc=)", a["url"]), a["url"]


def test_duplicates_map_to_the_same_article(crawl, manifest):
    base = crawl["base"]
    by_id = {a["id"]: a for a in manifest["articles"]}
    aliases = {r["url"]: r["article_id"] for r in db_rows(crawl["db"], "SELECT * FROM article_urls")}
    for feed in manifest["feeds"]:
        for entry in feed["entries"]:
            art = by_id.get(entry["article"])
            if not art or not entry["link"].startswith("/"):
                continue
            target = by_id[art["duplicate_of"]] if art["duplicate_of"] else art
            raw = canonical_url(base + entry["link"])
            if raw in aliases:
                assert aliases[raw] == aliases[base + target["canonical"]], entry["link"]


def test_metadata_matches_manifest(by_url, manifest, crawl):
    base = crawl["base"]
    by_id = {a["id"]: a for a in manifest["articles"]}
    for art in unique_articles(manifest):
        row = by_url[base + art["canonical"]]
        titles = {norm(art["title"])} | {norm(x["title"]) for x in manifest["articles"] if x["duplicate_of"] == art["id"]}
        assert norm(row["title"]) in titles, art["id"]
        assert instant(row["published"]) == instant(art["published"]), (art["id"], row["published"])
        if row["published"]:
            assert ISO_OFFSET.match(row["published"]), row["published"]
        authors = {art["author"]} | {x["author"] for x in manifest["articles"] if x["duplicate_of"] == art["id"]}
        assert row["author"] in authors, (art["id"], row["author"])
        assert row["extracted"] == 1 and len(row["text"]) > 300, (art["id"], row["extract_error"])
        assert row["language"] == "id"
        assert row["outlet"]
    assert by_id  # manifest is not empty


def test_aggregator_links_resolve_to_publisher(first, by_url, manifest, crawl):
    base = crawl["base"]
    gnews_links = {base + r["from"] for r in manifest["redirects"] if r["from"].startswith("/gnews/")}
    for row in first["articles"]:
        assert row["url"] not in gnews_links, "resolved aggregator link stored under the aggregator URL"
    for red in manifest["redirects"]:
        if red["from"].startswith("/gnews/"):
            assert base + red["to"] in by_url, red["to"]


def test_unresolvable_aggregator_link_kept_with_publisher(by_url, manifest, crawl):
    for u in manifest["unresolved"]:
        url = canonical_url(crawl["base"] + u["link"])
        row = by_url[url]
        assert norm(row["title"]) == norm(u["title_without_source"])
        assert row["outlet"] == u["source"]
        assert instant(row["published"]) == instant(u["published"])
        assert row["source"] == "gnews"


# -- extraction quality -------------------------------------------------------------------

def _furniture(html: str) -> list[str]:
    """Texts of links that are not article prose: menus, related lists, "Baca juga" lines."""
    doc = lxml.html.document_fromstring(html)
    out = []
    for a in doc.xpath("//body//a"):
        text = norm(a.text_content())
        if len(text) < 25:
            continue
        p = next((x for x in a.iterancestors() if x.tag == "p"), None)
        if p is None:
            out.append(text)
            continue
        before = norm(p.text_content()).split(text)[0]
        if before and len(before) <= 30 and before.rstrip().endswith(":"):  # "Baca juga: <a>", "Pilihan Editor: <a>"
            out.append(text)
    return out


def test_text_has_no_page_furniture(by_url, manifest, crawl, news):
    base = crawl["base"]
    titles = {a["id"]: norm(a["title"]) for a in manifest["articles"]}
    for art in unique_articles(manifest):
        if art["site"] == "encoding":
            continue  # legacy bytes; covered by the charset test
        row = by_url[base + art["canonical"]]
        text = row["text"]
        low = text.lower()
        for marker in ("baca juga", "advertisement", "scroll to continue", "berita terkait", "komentar"):
            assert marker not in low, (art["id"], marker)
        related = {aid: t for aid, t in titles.items() if aid != art["id"]
                   and art["id"] != (next((x["duplicate_of"] for x in manifest["articles"] if x["id"] == aid), None))
                   and aid != (art.get("duplicate_of") or "")}
        for aid, title in related.items():
            assert title not in norm(text), (art["id"], "mentions related article", aid)
        page = news.read_fixture(art["file"]).decode("utf-8", "replace")
        for link_text in _furniture(page):
            if link_text == norm(art["title"]):
                continue
            assert link_text not in norm(text), (art["id"], link_text)


def test_charsets_decoded_right(by_url, manifest, crawl, news):
    base = crawl["base"]
    for art in manifest["articles"]:
        if art["site"] != "encoding":
            continue
        row = by_url[base + art["canonical"]]
        assert "\ufffd" not in row["text"] and "\ufffd" not in row["title"], art["id"]
        assert norm(row["title"]) == norm(art["title"])
        raw = news.read_fixture(art["file"]).decode(art["encoding"])
        doc = lxml.html.document_fromstring(raw)
        expected = set("".join(p.text_content() for p in doc.xpath("//p"))) & set("“”‘’éÉèáóíúñüçà–—")
        assert expected, f"fixture {art['id']} has no special characters?"
        got = set(row["text"]) | set(row["title"])
        assert expected <= got, (art["id"], expected - got)
        assert "Ã" not in row["text"] and "â€" not in row["text"]  # no mojibake


def test_unfetchable_pages_fall_back_to_feed_summary(by_url, crawl):
    base = crawl["base"]
    for path, summary in FALLBACK_ITEMS:
        row = by_url[canonical_url(base + path)]
        assert row["extracted"] == 0
        assert norm(row["text"]) == norm(summary)
        assert row["extract_error"]
    huge = by_url[canonical_url(base + FALLBACK_ITEMS[0][0])]
    assert re.search(r"large|size|cancel", huge["extract_error"], re.I)
    undated = by_url[canonical_url(base + FALLBACK_ITEMS[1][0])]
    assert undated["published"] is None  # never "now"


# -- politeness --------------------------------------------------------------------------

def test_robots_txt_obeyed_and_user_agent_honest(crawl, manifest):
    for run in crawl["runs"]:
        for rec in run["requests"] + run["requests2"]:
            assert not rec.path.startswith("/private/"), rec.path
            ua = {k.lower(): v for k, v in rec.headers.items()}.get("user-agent", "")
            assert "PantauPHK" in ua, (rec.path, ua)
    for path in manifest["robots_disallowed"]:
        assert path.startswith("/private/")
    assert any(r.path == "/robots.txt" for r in crawl["runs"][0]["requests"])


def test_article_pages_fetched_once(first, manifest):
    pages = {a["path"] for a in manifest["articles"]}
    counts: dict[str, int] = {}
    for rec in first["requests"]:
        path = rec.path.split("?")[0]
        if path in pages:
            counts[path] = counts.get(path, 0) + 1
    assert set(counts) == pages
    assert max(counts.values()) == 1, {p: n for p, n in counts.items() if n > 1}


def test_retries_bounded(first):
    hits = [r for r in first["requests"] if r.path == "/fault/500"]
    assert 1 <= len(hits) <= 3
    loop = [r for r in first["requests"] if r.path.startswith("/fault/redirect-loop")]
    assert len(loop) <= 12


# -- conditional GET / re-crawl --------------------------------------------------------------

def test_unchanged_recrawl_costs_one_304_per_feed(crawl):
    second = crawl["runs"][1]
    m = SUMMARY.match(second["proc"].stdout.splitlines()[0])
    assert int(m.group(4)) == 0
    assert len(second["articles"]) == len(crawl["runs"][0]["articles"])
    base_paths = {p for p, _ in GOOD.values()}
    fault_paths = {p for p, _ in BAD.values()} | {"/fault/redirect-loop2"}
    for rec in second["requests"]:
        assert rec.path in base_paths | fault_paths | {"/robots.txt"}, f"unexpected request {rec.path}"
    for path in base_paths:
        hits = [r for r in second["requests"] if r.path == path]
        assert len(hits) == 1, (path, len(hits))
        assert hits[0].status == 304, (path, hits[0].status)
        headers = {k.lower() for k in hits[0].headers}
        assert "if-none-match" in headers or "if-modified-since" in headers
    assert sum(1 for r in second["requests"] if r.path == "/robots.txt") == 1


def test_changed_feed_fetches_only_new_entries(news, tmp_path):
    """A feed that changes after the first crawl: new entry fetched, old ones not."""
    env = make_env(tmp_path)
    base = news.url
    feed = news.read_fixture("/wp/feed.xml").decode()
    news.put("/extra/changing.xml", feed)
    write_sources(env["PANTAU_SOURCES"], [{"name": "changing", "url": base + "/extra/changing.xml"}])
    assert run_pantau("crawl", env=env).returncode == 0
    # the feed gains a tracking-param duplicate of an old entry and one new item
    first_link = re.search(r"<item>.*?<link>([^<]+)</link>", feed, re.S).group(1)
    new_item = (f"<item><title>Baru</title><link>{base}/tempo/read/nimbus-cloud-bangun-pusat-data-ai-rp-25-triliun"
                f"-di-batam.html?utm_source=rss</link><pubDate>Sat, 25 Oct 2025 10:00:00 +0700</pubDate>"
                f"<description>Baru.</description></item>"
                f"<item><title>Dup</title><link>{first_link}?utm_medium=feed&amp;gclid=z</link></item>")
    news.put("/extra/changing.xml", feed.replace("<item>", new_item + "<item>", 1))
    news.clear_log()
    proc = run_pantau("crawl", env=env)
    assert proc.returncode == 0
    assert SUMMARY.match(proc.stdout.strip()).group(4) == "1"
    paths = [r.path for r in news.requests]
    assert paths.count("/extra/changing.xml") == 1
    assert [p for p in paths if p not in ("/robots.txt", "/extra/changing.xml")] == \
        ["/tempo/read/nimbus-cloud-bangun-pusat-data-ai-rp-25-triliun-di-batam.html"]


# -- source health and back-off ------------------------------------------------------------------

def test_source_health_recorded(first, manifest):
    src = first["sources"]
    for name in GOOD:
        row = src[name]
        assert row["last_success"] and row["consecutive_failures"] == 0, (name, row["last_error"])
    for name, (_, words) in BAD.items():
        row = src[name]
        assert row["consecutive_failures"] == 1 and row["last_success"] is None
        assert any(w in row["last_error"].lower() for w in words), (name, row["last_error"])
        assert row["last_error_at"]
    total = sum(r["articles_found"] for r in src.values())
    assert total == len(first["articles"])
    assert src["empty"]["articles_found"] == 0
    assert src["detik"]["articles_found"] >= 1


def test_failing_sources_back_off(crawl):
    second, third = crawl["runs"][1], crawl["runs"][2]
    failing = set(BAD) | {"hang"}
    for name in failing:
        assert second["sources"][name]["consecutive_failures"] == 2
        assert second["sources"][name]["next_attempt_after"]
    m = SUMMARY.match(third["proc"].stdout.splitlines()[0])
    assert int(m.group(3) or 0) == len(failing)
    paths = {r.path for r in third["requests"]} | {r.path for r in third["requests2"]}
    for name, (path, _) in BAD.items():
        assert path not in paths, f"{name} should be backing off"
    assert HANG not in paths


def test_backoff_schedule_and_recovery(news, tmp_path):
    env = make_env(tmp_path, PANTAU_CRAWL_INTERVAL="15")
    news.put("/extra/flaky.xml", "oops", content_type="text/plain", status=500)
    write_sources(env["PANTAU_SOURCES"], [{"name": "flaky", "url": news.url + "/extra/flaky.xml"}])
    db = env["PANTAU_DB"]
    expected_minutes = {1: None, 2: 15, 3: 30}
    for n in (1, 2, 3):
        if n == 3:  # pretend the back-off time has passed
            conn = sqlite3.connect(db)
            conn.execute("UPDATE sources SET next_attempt_after = '2000-01-01T00:00:00+00:00'")
            conn.commit()
            conn.close()
        proc = run_pantau("crawl", env=env)
        assert proc.returncode == 0
        row = db_rows(db, "SELECT * FROM sources WHERE name = 'flaky'")[0]
        assert row["consecutive_failures"] == n
        if expected_minutes[n] is None:
            assert row["next_attempt_after"] is None
        else:
            wait = (datetime.fromisoformat(row["next_attempt_after"])
                    - datetime.fromisoformat(row["last_attempt"])).total_seconds() / 60
            assert abs(wait - expected_minutes[n]) < 0.1, (n, wait)
    news.clear_log()
    proc = run_pantau("crawl", env=env)  # still backing off: not requested
    assert "1 backing off" in proc.stdout
    assert not news.hits("/extra/flaky.xml")
    news.put("/extra/flaky.xml", news.read_fixture("/detik/rss.xml").decode())
    proc = run_pantau("crawl", "--source", "flaky", env=env)  # --source ignores back-off
    assert proc.returncode == 0 and SUMMARY.match(proc.stdout.strip()).group(1) == "1"
    row = db_rows(db, "SELECT * FROM sources WHERE name = 'flaky'")[0]
    assert row["consecutive_failures"] == 0 and row["next_attempt_after"] is None and row["last_success"]
    assert row["articles_found"] > 0


def test_sources_command_prints_health_table(crawl):
    proc = run_pantau("sources", env=crawl["env"])
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].split()[:3] == ["SOURCE", "TYPE", "STATUS"]
    rows = {line.split()[0]: line for line in lines[1:]}
    for name in GOOD:
        assert rows[name].split()[2] == "ok", rows[name]
    for name in list(BAD) + ["hang"]:
        assert rows[name].split()[2] == "failing", rows[name]
        assert rows[name].split()[3] == "2"
    assert "timeout" in rows["hang"].lower()


# -- storage and export ---------------------------------------------------------------------------

def test_fts_in_sync(crawl, manifest):
    n = db_rows(crawl["db"], "SELECT COUNT(*) AS n FROM articles")[0]["n"]
    assert db_rows(crawl["db"], "SELECT COUNT(*) AS n FROM articles_fts")[0]["n"] == n
    art = manifest["articles"][0]
    word = max(re.findall(r"\w+", art["title"]), key=len)
    hits = db_rows(crawl["db"], "SELECT a.url FROM articles_fts f JOIN articles a ON a.id = f.rowid "
                                "WHERE articles_fts MATCH ?", [word])
    assert crawl["base"] + art["canonical"] in {h["url"] for h in hits}


REQUIRED = {"url", "title", "source", "published", "fetched", "author", "text",
            "match", "score", "reasons", "companies", "jobs_cut", "percent"}


def test_export_jsonl_and_csv(crawl, manifest):
    rows = db_rows(crawl["db"], "SELECT url, match FROM articles")
    proc = run_pantau("export", "--format", "jsonl", env=crawl["env"])
    assert proc.returncode == 0, proc.stderr
    recs = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(recs) == len(rows)
    assert {r["url"] for r in recs} == {r["url"] for r in rows}
    for r in recs:
        assert REQUIRED <= set(r), REQUIRED - set(r)
        if r["published"]:
            assert ISO_OFFSET.match(r["published"]), r["published"]
        assert ISO_OFFSET.match(r["fetched"])
        assert isinstance(r["reasons"], list) and isinstance(r["companies"], list)
    proc = run_pantau("export", "--format", "csv", env=crawl["env"])
    assert proc.returncode == 0, proc.stderr
    table = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert len(table) == len(rows) and REQUIRED <= set(table[0])
    assert {r["url"] for r in table} == {r["url"] for r in rows}
    proc = run_pantau("export", "--format", "jsonl", "--flagged", env=crawl["env"])
    flagged = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(flagged) == sum(r["match"] for r in rows)
    assert all(r["match"] for r in flagged)


def test_positives_get_flagged(crawl, manifest):
    # classifier quality is tested elsewhere: only "something positive is flagged"
    positives = {crawl["base"] + a["canonical"] for a in unique_articles(manifest) if a["label"] == 1}
    flagged = {r["url"] for r in db_rows(crawl["db"], "SELECT url FROM articles WHERE match = 1")}
    assert flagged & positives


# -- single source, default settings, errors --------------------------------------------------------

def test_source_option_crawls_only_that_source(news, tmp_path, manifest):
    env = make_env(tmp_path)
    write_sources(env["PANTAU_SOURCES"], [{"name": "tempo", "url": news.url + "/tempo/atom.xml"},
                                          {"name": "wp", "url": news.url + "/wp/feed.xml"}])
    news.clear_log()
    proc = run_pantau("crawl", "--source", "tempo", env=env)
    assert proc.returncode == 0, proc.stderr
    assert not news.hits("/wp/")
    urls = {r["url"] for r in db_rows(env["PANTAU_DB"], "SELECT url FROM articles")}
    assert urls == {news.url + a["canonical"] for a in manifest["articles"] if a["site"] == "tempo"}
    proc = run_pantau("crawl", "--source", "nope", env=env)
    assert proc.returncode != 0 and len(proc.stderr.strip().splitlines()) == 1 and "nope" in proc.stderr


def test_default_settings_hanging_source_under_a_minute(news, news2, tmp_path):
    env = make_env(tmp_path)
    del env["PANTAU_DOWNLOAD_TIMEOUT"]
    env["PANTAU_POLITE"] = "1"
    write_sources(env["PANTAU_SOURCES"], [{"name": "hang", "url": news2.url + HANG},
                                          {"name": "enc", "url": news.url + "/encoding/rss.xml"}])
    started = time.monotonic()
    proc = run_pantau("crawl", "-v", env=env, timeout=120)
    elapsed = time.monotonic() - started
    assert proc.returncode == 0, proc.stderr
    assert elapsed < 60, elapsed
    assert SUMMARY.match(proc.stdout.splitlines()[0]).group(2) == "1"
    assert "hang" in proc.stdout and "timeout" in proc.stdout.lower()
    assert db_rows(env["PANTAU_DB"], "SELECT COUNT(*) AS n FROM articles")[0]["n"] == 3


@pytest.mark.parametrize("body, words", [
    ('[[source]]\nname = "a"\nurl = "http://x/"\n[[source]\n', ["toml"]),
    ('[[source]]\nname = "a"\n', ["'a'", "missing url"]),
    ('[[source]]\nname = "a"\nurl = "http://x/1"\n[[source]]\nname = "a"\nurl = "http://x/2"\n',
     ["#2", "duplicate", "'a'"]),
    ('[[source]]\nname = "a"\nurl = "http://x/"\ntype = "json"\n', ["'a'", "unknown type", "json"]),
    ('[[source]]\nname = "a"\nurl = "ftp://x/"\n', ["'a'", "ftp"]),
])
def test_bad_sources_file_one_line_error(tmp_path, body, words):
    env = make_env(tmp_path)
    (tmp_path / "sources.toml").write_text(body)
    proc = run_pantau("crawl", env=env)
    assert proc.returncode != 0
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    for w in words:
        assert w.lower() in lines[0].lower(), (w, lines[0])


def test_missing_sources_file(tmp_path):
    env = make_env(tmp_path)
    proc = run_pantau("crawl", env=env)
    assert proc.returncode != 0 and len(proc.stderr.strip().splitlines()) == 1
    assert "not found" in proc.stderr


@pytest.mark.parametrize("kind", ["corrupt", "unwritable"])
def test_bad_database_one_line_error(tmp_path, kind, news):
    env = make_env(tmp_path)
    write_sources(env["PANTAU_SOURCES"], [{"name": "wp", "url": news.url + "/wp/feed.xml"}])
    if kind == "corrupt":
        (tmp_path / "pantau.db").write_bytes(b"this is not a database" * 200)
    else:
        blocker = tmp_path / "file"
        blocker.write_text("x")
        env["PANTAU_DB"] = str(blocker / "sub" / "pantau.db")  # parent is a file
    proc = run_pantau("crawl", env=env)
    assert proc.returncode != 0
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "database" in lines[0].lower()
    assert "Traceback" not in proc.stderr
