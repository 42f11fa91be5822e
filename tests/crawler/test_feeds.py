"""Feed, sitemap and listing parsing against the fixture files and the manifest."""

from __future__ import annotations

from datetime import datetime

import pytest

from crawler.feeds import FeedError, html_to_text, looks_like_html, parse_feed, parse_listing, parse_sitemap
from crawler.urls import canonical_url
from tests.fakes.news_server import DEFAULT_ROOT, NewsServer

BASE = "http://news.test:8080"


def fixture_bytes(path: str) -> bytes:
    return (DEFAULT_ROOT / path.lstrip("/")).read_bytes().replace(b"{{BASE}}", BASE.encode())


def instant(value):
    return datetime.fromisoformat(value).timestamp() if value else None


@pytest.fixture(scope="module")
def faults():
    srv = NewsServer()
    srv.url = BASE  # the fault bodies only need a base URL, no socket
    return srv


def feeds_of(manifest, *types):
    return [f for f in manifest["feeds"] if f["type"] in types]


def parse_any(feed: dict):
    body = fixture_bytes(feed["path"])
    if feed["type"] in ("rss", "atom"):
        return parse_feed(body, BASE + feed["path"], aggregator=feed["path"].startswith("/gnews/"))
    if feed["type"] in ("news_sitemap", "sitemap_index"):
        children, entries = parse_sitemap(body, BASE + feed["path"])
        return children if feed["type"] == "sitemap_index" else entries
    return parse_listing(body.decode("utf-8"), BASE + feed["path"], feed.get("link_selector"))


def test_every_manifest_feed_entry_parsed_with_canonical_url(manifest):
    arts = {a["id"]: a for a in manifest["articles"]}
    for feed in manifest["feeds"]:
        got = parse_any(feed)
        urls = got if feed["type"] == "sitemap_index" else [e.url for e in got]
        expected = [canonical_url(BASE + e["link"]) for e in feed["entries"]]
        assert sorted(urls) == sorted(expected), feed["path"]
        for e in feed["entries"]:
            art = arts.get(e["article"])
            if art and e["link"].split("?")[0] == art["path"]:  # publisher link: tracking params gone
                assert canonical_url(BASE + e["link"]) == BASE + art["path"], e["link"]
        for u in urls:
            assert "utm_" not in u and "fbclid" not in u and "ref=" not in u and "oc=" not in u


def test_entry_titles_and_dates_match_manifest(manifest):
    arts = {a["id"]: a for a in manifest["articles"]}
    unresolved = {canonical_url(BASE + u["link"]): u for u in manifest["unresolved"]}
    for feed in feeds_of(manifest, "rss", "atom", "news_sitemap"):
        entries = {e.url: e for e in parse_any(feed)}
        for raw in feed["entries"]:
            entry = entries[canonical_url(BASE + raw["link"])]
            art = arts.get(raw["article"])
            if art is None:
                u = unresolved[entry.url]
                assert entry.title == u["title_without_source"] and entry.publisher == u["source"]
                assert instant(entry.published) == instant(u["published"])
                continue
            if art["duplicate_of"]:
                continue
            assert " ".join(entry.title.split()) == " ".join(art["title"].split()), (feed["path"], art["id"])
            assert instant(entry.published) == instant(art["published"]), (feed["path"], art["id"], entry.published)
            if entry.published:
                assert datetime.fromisoformat(entry.published).utcoffset() is not None


def test_guids_become_aliases(manifest):
    entries = parse_feed(fixture_bytes("/dup/rss.xml"), BASE + "/dup/rss.xml")
    guids = [e.guid for e in entries]
    assert all(g and g.startswith("guid:news.test:") for g in guids)
    assert len(set(guids)) == len(guids)
    wp = parse_feed(fixture_bytes("/wp/feed.xml"), BASE + "/wp/feed.xml")
    assert all(e.guid and e.guid.startswith(BASE + "/wp/?p=") for e in wp)  # URL GUIDs kept canonical
    enc = parse_feed(fixture_bytes("/encoding/rss.xml"), BASE + "/encoding/rss.xml")
    assert all(e.guid is None for e in enc)  # permalink GUID == link: no extra alias


def test_raw_links_with_tracking_kept_as_aliases():
    entries = parse_feed(fixture_bytes("/detik/rss.xml"), BASE + "/detik/rss.xml")
    tracked = [e for e in entries if e.aliases]
    assert tracked and all("utm_" in e.aliases[0] and "utm_" not in e.url for e in tracked)


def test_wordpress_content_encoded_kept_without_baca_juga_loss():
    entries = parse_feed(fixture_bytes("/wp/feed.xml"), BASE + "/wp/feed.xml")
    for e in entries:
        assert len(e.content) > len(e.summary) > 20
        assert "<" not in e.content and "&#8230;" not in e.summary
        assert e.author


def test_entry_without_date_stays_undated():
    entries = parse_feed(fixture_bytes("/dup/rss.xml"), BASE + "/dup/rss.xml")
    undated = [e for e in entries if "lima-cara" in e.url]
    assert undated and undated[0].published is None


def test_malformed_feed_recovers_entries(faults):
    entries = parse_feed(faults._fault_malformed(), BASE + "/fault/malformed.xml")
    assert len(entries) >= 2
    assert entries[0].published == "2025-10-21T08:00:00+07:00"
    assert "harbolnas" in entries[0].url


def test_broken_beyond_repair_raises():
    with pytest.raises(FeedError, match="malformed|not an RSS"):
        parse_feed(b"<?xml version='1.0'?><rss><channel><item><title>x & y</tit", BASE + "/x.xml")
    with pytest.raises(FeedError):
        parse_feed(b"\x00\x01\x02 binary garbage", BASE + "/x.xml")


def test_html_served_as_feed(faults):
    body = faults._fault_html_as_feed()
    assert looks_like_html(body)
    with pytest.raises(FeedError, match="HTML"):
        parse_feed(body, BASE + "/fault/html-as-feed.xml")
    with pytest.raises(FeedError, match="HTML"):
        parse_sitemap(body, BASE + "/fault/html-as-feed.xml")


def test_empty_feed_and_empty_body(faults):
    assert parse_feed(faults._fault_empty(), BASE + "/fault/empty.xml") == []
    with pytest.raises(FeedError, match="empty"):
        parse_feed(b"  \n", BASE + "/x.xml")
    with pytest.raises(FeedError, match="empty"):
        parse_sitemap(b"", BASE + "/x.xml")


def test_sitemap_index_and_news_sitemap():
    children, entries = parse_sitemap(fixture_bytes("/kompas/sitemap-index.xml"), BASE + "/kompas/sitemap-index.xml")
    assert children == [BASE + "/kompas/sitemap-news.xml"] and entries == []
    children, entries = parse_sitemap(fixture_bytes("/kompas/sitemap-news.xml"), BASE + "/kompas/sitemap-news.xml")
    assert not children
    dates = [e.published for e in entries]
    assert dates == sorted(dates, reverse=True)  # newest first
    with pytest.raises(FeedError, match="not a sitemap"):
        parse_sitemap(b"<?xml version='1.0'?><rss version='2.0'><channel/></rss>", BASE + "/x.xml")


def test_listing_without_selector_uses_heuristics(manifest):
    feed = feeds_of(manifest, "html_listing")[0]
    html = fixture_bytes(feed["path"]).decode("utf-8")
    urls = {e.url for e in parse_listing(html, BASE + feed["path"], None)}
    expected = {canonical_url(BASE + e["link"]) for e in feed["entries"]}
    assert expected <= urls
    with pytest.raises(FeedError, match="link_selector"):
        parse_listing(html, BASE + feed["path"], "a[[[")


def test_html_to_text():
    assert html_to_text("<p>Satu &amp; dua</p><p>tiga<br>empat</p><script>x()</script>") == "Satu & dua\ntiga\nempat"
    assert html_to_text("Teks &quot;biasa&quot;") == 'Teks "biasa"'
    assert html_to_text("") == ""
