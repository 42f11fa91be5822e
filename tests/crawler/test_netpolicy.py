"""The fetch policy (crawler/netpolicy.py) and the spider's per-response checks, as units.

The end-to-end proofs (real ``pantau crawl`` against hostile routes) are in
``test_hardening_crawl.py``; these pin the rules themselves, with a
monkeypatched resolver for DNS answers.
"""

from __future__ import annotations

import pytest

from crawler import netpolicy
from crawler.feeds import parse_feed, parse_sitemap
from crawler.sources import Source
from crawler.spider import accept_canonical, binary_reason
from tests.fakes.news_server import binary_body


@pytest.fixture
def dns(monkeypatch):
    answers: dict[str, list[str]] = {}
    monkeypatch.setattr(netpolicy, "resolve", lambda host: answers.get(host, []))
    monkeypatch.setattr(netpolicy, "_DNS_CACHE", {})
    return answers


@pytest.mark.parametrize("url", ["file:///etc/passwd", "file://localhost/etc/passwd", "data:text/html,x",
                                 "javascript:alert(1)", "mailto:a@b.id", "tel:+62", "ftp://a.id/x", "gopher://a.id/",
                                 "http://", "http://a.id:99999/", "http://a.id/\nx", " http://a.id/", "//a.id/x"])
def test_only_absolute_http_urls(url):
    assert not netpolicy.is_http_url(url)
    assert netpolicy.check_url(url, "https://a.id/rss")


@pytest.mark.parametrize("host", ["127.0.0.1", "127.5.6.7", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
                                  "0.0.0.0", "224.0.0.1", "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1",
                                  "100.64.0.1", "a.localhost"])
def test_internal_literals(host, dns):
    assert netpolicy.host_is_internal(host)
    url = f"http://[{host}]:8080/x" if ":" in host else f"http://{host}:8080/x"
    assert netpolicy.check_url(url, "https://berita.contoh.id/rss")
    assert netpolicy.check_url(url, url.rsplit("/", 1)[0] + "/rss.xml") is None  # the source's own origin


def test_dns_answers_are_checked(dns):
    dns.update({"intra.contoh.id": ["93.184.215.14", "10.0.0.7"], "publik.contoh.id": ["93.184.215.14"],
                "rebind.contoh.id": ["::ffff:169.254.169.254"]})
    assert netpolicy.check_url("https://intra.contoh.id/a", "https://publik.contoh.id/rss")
    assert netpolicy.check_url("https://rebind.contoh.id/a", "https://publik.contoh.id/rss")
    assert netpolicy.check_url("https://publik.contoh.id/a", "https://lain.contoh.id/rss") is None
    assert netpolicy.check_url("https://tidak-ada.contoh.id/a", None) is None  # unresolvable: fails on its own
    # same origin = scheme, host and port
    assert netpolicy.check_url("https://intra.contoh.id/b", "https://intra.contoh.id/rss") is None
    assert netpolicy.check_url("http://intra.contoh.id/b", "https://intra.contoh.id/rss")
    assert netpolicy.check_url("https://intra.contoh.id:8443/b", "https://intra.contoh.id/rss")
    # without a lookup only literals are judged (the middleware does the lookup off the reactor)
    assert netpolicy.check_url("https://intra.contoh.id/a", "https://publik.contoh.id/rss", lookup=False) is None


def test_registrable_domains():
    assert netpolicy.registrable_domain("https://inet.detik.com/x") == "detik.com"
    assert netpolicy.registrable_domain("news.detik.co.id") == "detik.co.id"
    assert netpolicy.same_site("https://inet.detik.com/a", "https://news.detik.com/b")
    assert not netpolicy.same_site("https://detik.com/a", "https://kompas.com/b")
    assert not netpolicy.same_site("https://a.blogspot.com/x", "https://b.blogspot.com/y")  # public suffix
    assert netpolicy.same_site("http://127.0.0.1:1/a", "http://127.0.0.1:2/b")  # IPs: same host


def test_canonical_acceptance(dns):
    src = Source("Situs", "https://www.situs.id/rss")
    page = "https://www.situs.id/berita/1"
    assert accept_canonical("https://m.situs.id/berita/1", page, src)
    assert not accept_canonical("https://www.kompas.com/real", page, src)
    assert not accept_canonical("javascript:alert(1)", page, src)
    assert accept_canonical("https://www.kompas.id/x", page, Source("K", "https://k.id/rss", domains=("kompas.id",)))
    local = Source("Lokal", "http://127.0.0.1:8000/rss")
    assert accept_canonical("http://127.0.0.1:8000/b", "http://127.0.0.1:8000/a", local)
    assert not accept_canonical("http://127.0.0.1:6379/", "http://127.0.0.1:8000/a", local)
    dns["admin.situs.id"] = ["10.0.0.9"]
    assert not accept_canonical("https://admin.situs.id/x", page, src)


@pytest.mark.parametrize("kind", ["pdf", "png", "zip"])
@pytest.mark.parametrize("ctype", [None, "text/html; charset=utf-8", "application/octet-stream"])
def test_binary_bodies_detected(kind, ctype):
    body, _ = binary_body(kind)
    assert binary_reason(body, ctype)


def test_text_bodies_pass():
    html = b"<!DOCTYPE html><html><body><p>Halo</p></body></html>"
    assert binary_reason(html, "text/html") is None
    assert binary_reason(b"\xef\xbb\xbf" + html, None) is None
    assert binary_reason(html, "application/xhtml+xml; charset=utf-8") is None
    assert binary_reason(html, "image/png")
    assert binary_reason(b"<html>\x00\x01</html>", "text/html")


def _rss(items: str) -> bytes:
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>https://s.id/</link>'
            f"<description>d</description>{items}</channel></rss>").encode()


def test_feed_guid_rules_and_bad_links():
    items = "".join(f"<item><title>B{i}</title><link>https://s.id/b/{i}</link><guid>0</guid></item>" for i in range(3))
    items += "<item><title>R</title><link>https://s.id/r</link><guid>https://s.id/</guid></item>"
    items += "<item><title>U</title><link>https://s.id/u</link><guid isPermaLink='false'>u-1</guid></item>"
    items += "<item><title>J</title><link>javascript:void(0)</link></item>"
    got = parse_feed(_rss(items), "https://s.id/rss")
    assert [e.url for e in got] == [f"https://s.id/b/{i}" for i in range(3)] + ["https://s.id/r", "https://s.id/u"]
    assert [e.guid for e in got] == [None, None, None, None, "guid:s.id:u-1"]
    assert len(got.skipped) == 1 and "javascript" in got.skipped[0]


def test_sitemap_index_newest_first_and_bad_locs():
    body = ('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            "<sitemap><loc>https://s.id/old.xml</loc><lastmod>2025-01-01</lastmod></sitemap>"
            "<sitemap><loc>javascript:x</loc></sitemap>"
            "<sitemap><loc>https://s.id/new.xml</loc><lastmod>2025-10-20T10:00:00+07:00</lastmod></sitemap>"
            "<sitemap><loc>https://s.id/undated.xml</loc></sitemap>"
            "<sitemap><loc>https://s.id/mid.xml</loc><lastmod>2025-06-01</lastmod></sitemap>"
            "</sitemapindex>").encode()
    children, skipped = parse_sitemap(body, "https://s.id/sitemap.xml")
    assert children == ["https://s.id/new.xml", "https://s.id/mid.xml", "https://s.id/old.xml",
                        "https://s.id/undated.xml"]
    assert len(skipped.skipped) == 1


def test_connect_time_resolver_refuses_rebinding():
    from crawler.config import Settings
    from crawler.crawl import scrapy_settings
    from crawler.spider import PolicyResolver

    assert scrapy_settings(Settings())["DNS_RESOLVER"] == "crawler.spider.PolicyResolver"
    PolicyResolver.allowed_internal = {"lan.contoh.id"}
    try:
        assert PolicyResolver.judge("publik.contoh.id", "93.184.215.14") is None
        assert PolicyResolver.judge("rebind.contoh.id", "127.0.0.1")      # public at check time, internal now
        assert PolicyResolver.judge("rebind.contoh.id.", "169.254.169.254")
        assert PolicyResolver.judge("lan.contoh.id", "192.168.1.5") is None  # a source's own host
        assert PolicyResolver.judge("127.0.0.1", "127.0.0.1") is None        # literals: judged by the middleware
    finally:
        PolicyResolver.allowed_internal = set()


def test_resolver_in_a_real_reactor():
    """getHostByName through Scrapy's resolver machinery: 'localhost' (not a source host) is refused."""
    import subprocess
    import sys

    code = (
        "from twisted.internet import reactor\n"
        "from crawler.spider import PolicyResolver\n"
        "r = PolicyResolver(reactor, 100, 5.0)\n"
        "out = []\n"
        "def done(v): out.append(v); reactor.stop()\n"
        "d = r.getHostByName('localhost')\n"
        "d.addCallbacks(lambda ip: done('ok ' + ip), lambda f: done('refused ' + type(f.value).__name__))\n"
        "reactor.run()\n"
        "PolicyResolver.allowed_internal = {'localhost'}\n"
        "print(out[0])\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "refused DNSLookupError", proc.stdout + proc.stderr


@pytest.mark.parametrize("host", ["2130706433", "0x7f000001", "127.1", "0", "127.0.0.1.", "localhost.", "LOCALHOST"])
def test_other_spellings_of_loopback_are_internal(host):
    """Decimal, hex and short forms go through the real resolver (getaddrinfo), as Scrapy's would."""
    netpolicy._DNS_CACHE.pop(host.lower().rstrip("."), None)
    assert netpolicy.host_is_internal(host)
    assert netpolicy.check_url(f"http://{host}:6379/", "https://berita.contoh.id/rss")


def test_userinfo_does_not_fool_the_origin():
    assert netpolicy.check_url("http://user:pw@127.0.0.1:6379/", "http://127.0.0.1:8000/rss")
    assert netpolicy.check_url("http://user@127.0.0.1:8000/a", "http://127.0.0.1:8000/rss") is None


def test_big_pages_are_trimmed_but_keep_their_metadata():
    import json

    from crawler.extract import extract
    from crawler.spider import MAX_EXTRACT_CHARS, _trim_html

    ld = json.dumps({"@type": "NewsArticle", "headline": "Judul", "datePublished": "2025-10-20T10:00:00+07:00",
                     "author": {"name": "Rina"}})
    html = (f'<html><head><script type="application/ld+json">{ld}</script><script>var x="{"a" * 800_000}";</script>'
            "<style>" + "p{}" * 50_000 + "</style></head><body><article><h1>Judul</h1>"
            + "<p>Isi berita yang cukup panjang untuk diekstrak dengan baik.</p>" * 50 + "</article></body></html>")
    trimmed = _trim_html(html)
    assert len(trimmed) <= MAX_EXTRACT_CHARS and "aaaa" not in trimmed and "p{}" not in trimmed
    ext = extract(trimmed, "http://x.test/a")
    assert ext.published == "2025-10-20T10:00:00+07:00" and ext.author == "Rina" and len(ext.text) > 2000
    small = "<html><body><p>kecil</p><script>var y=1;</script></body></html>"
    assert _trim_html(small) == small  # normal pages are left alone
