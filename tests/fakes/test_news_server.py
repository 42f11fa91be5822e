"""Quick self-tests for the fake news server (stdlib urllib/socket only)."""

from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.request
from email.utils import format_datetime
from datetime import datetime, timedelta, timezone

import pytest

from .news_server import DEFAULT_ROOT, NewsServer

MANIFEST = json.loads((DEFAULT_ROOT / "manifest.json").read_text(encoding="utf-8"))
ARTICLES = {a["id"]: a for a in MANIFEST["articles"]}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_no_redirect = urllib.request.build_opener(_NoRedirect)


def fetch(url, headers=None, follow=True, timeout=5):
    """(status, headers, body) without raising on HTTP errors."""
    req = urllib.request.Request(url, headers=headers or {})
    opener = urllib.request.build_opener() if follow else _no_redirect
    try:
        with opener.open(req, timeout=timeout) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        with e:
            return e.code, e.headers, e.read()


@pytest.fixture(scope="module")
def srv():
    with NewsServer() as s:
        yield s


def test_feed_placeholder_replaced_and_content_types(srv):
    status, h, body = fetch(srv.url + "/detik/rss.xml")
    assert status == 200
    assert h["Content-Type"] == "application/rss+xml; charset=utf-8"
    text = body.decode()
    assert "{{BASE}}" not in text
    assert srv.url + "/detik/berita/" in text
    assert "utm_source=rss" in text and "+0700" in text

    assert fetch(srv.url + "/tempo/atom.xml")[1]["Content-Type"].startswith("application/atom+xml")
    assert fetch(srv.url + "/kompas/sitemap-news.xml")[1]["Content-Type"].startswith("application/xml")
    assert fetch(srv.url + "/kompas/sitemap-index.xml")[1]["Content-Type"].startswith("application/xml")
    status, h, body = fetch(srv.url + ARTICLES["k2"]["path"])  # extension-less kompas URL
    assert status == 200 and h["Content-Type"] == "text/html; charset=utf-8"
    assert b'class="read__content"' in body


def test_every_manifest_article_is_served(srv):
    for a in MANIFEST["articles"]:
        status, h, body = fetch(srv.url + a["path"])
        assert status == 200, a["path"]
        assert b"{{BASE}}" not in body
        assert (srv.url + a["canonical"]).encode() in body, a["id"]


def test_wp_directory_urls(srv):
    path = ARTICLES["w1"]["path"]
    assert path.endswith("/")
    status, h, _ = fetch(srv.url + path.rstrip("/"), follow=False)
    assert status == 301 and h["Location"] == srv.url + path
    status, _, body = fetch(srv.url + path)
    assert status == 200 and b"entry-content" in body


def test_conditional_get(srv):
    url = srv.url + "/detik/rss.xml"
    status, h, body = fetch(url)
    etag, lm = h["ETag"], h["Last-Modified"]
    assert etag.startswith('"') and lm.endswith("GMT")
    assert fetch(url, {"If-None-Match": etag})[0] == 304
    assert fetch(url, {"If-None-Match": '"nope"'})[0] == 200
    assert fetch(url, {"If-Modified-Since": lm})[0] == 304
    older = format_datetime(datetime(2025, 1, 1, tzinfo=timezone.utc), usegmt=True)
    assert fetch(url, {"If-Modified-Since": older})[0] == 200
    # If-None-Match wins over If-Modified-Since
    assert fetch(url, {"If-None-Match": '"nope"', "If-Modified-Since": lm})[0] == 200

    srv.set_last_modified("/wp/feed.xml", datetime(2025, 10, 25, 12, 0, tzinfo=timezone.utc))
    status, h, _ = fetch(srv.url + "/wp/feed.xml")
    assert h["Last-Modified"] == "Sat, 25 Oct 2025 12:00:00 GMT"


def test_put_remove_restore(srv):
    path = "/tempo/atom.xml"
    status, h0, original = fetch(srv.url + path)
    srv.put(path, original.decode().replace("</feed>", "<!-- baru --></feed>"),
            content_type="application/atom+xml; charset=utf-8")
    status, h1, body = fetch(srv.url + path)
    assert b"<!-- baru -->" in body and h1["ETag"] != h0["ETag"]
    # the old validators must not produce a 304 for the new content
    assert fetch(srv.url + path, {"If-None-Match": h0["ETag"]})[0] == 200
    assert fetch(srv.url + path, {"If-Modified-Since": h0["Last-Modified"]})[0] == 200

    srv.put("/baru/berita.html", "<html><body><a href='{{BASE}}/x'>x</a></body></html>",
            status=200, headers={"X-Test": "1"})
    status, h, body = fetch(srv.url + "/baru/berita.html")
    assert status == 200 and h["X-Test"] == "1" and h["Content-Type"].startswith("text/html")
    assert (srv.url + "/x").encode() in body

    srv.remove(path)
    assert fetch(srv.url + path)[0] == 404
    srv.restore(path)
    assert fetch(srv.url + path)[2] == original
    srv.remove("/baru/berita.html")
    assert fetch(srv.url + "/baru/berita.html")[0] == 404


def test_request_log(srv):
    srv.clear_log()
    fetch(srv.url + "/wp/feed.xml", {"User-Agent": "PantauTest/1"})
    fetch(srv.url + "/fault/404")
    recs = srv.hits("/wp/")
    assert len(recs) == 1
    r = recs[0]
    assert r.method == "GET" and r.path == "/wp/feed.xml" and r.status == 200
    assert r.headers.get("User-Agent") == "PantauTest/1"
    assert [x.status for x in srv.hits("/fault/404")] == [404]
    assert len(srv.requests) == 2


def test_robots(srv):
    status, h, body = fetch(srv.url + "/robots.txt")
    assert status == 200 and b"Disallow: /private/" in body
    assert h["Content-Type"].startswith("text/plain")
    srv.put("/robots.txt", "User-agent: *\nDisallow: /\n")
    assert fetch(srv.url + "/robots.txt")[2] == b"User-agent: *\nDisallow: /\n"
    srv.restore("/robots.txt")
    # sidecar files are not served
    assert fetch(srv.url + "/manifest.json")[0] == 404
    assert fetch(srv.url + "/redirects.txt")[0] == 404


def test_status_faults(srv):
    for code in (404, 500, 503):
        status, h, body = fetch(srv.url + f"/fault/{code}")
        assert status == code and b"<html" in body


def test_hang_times_out(srv):
    sock = socket.create_connection(("127.0.0.1", srv.port), timeout=1)
    try:
        sock.sendall(b"GET /fault/hang HTTP/1.1\r\nHost: x\r\n\r\n")
        t0 = time.monotonic()
        with pytest.raises(socket.timeout):
            sock.recv(1)
        assert time.monotonic() - t0 >= 0.9
    finally:
        sock.close()
    assert srv.hits("/fault/hang")[-1].status is None


def test_slow(srv):
    t0 = time.monotonic()
    status, _, body = fetch(srv.url + "/fault/slow?seconds=0.5")
    assert status == 200 and time.monotonic() - t0 >= 0.45


@pytest.mark.parametrize("path,has_length", [("/fault/huge", True), ("/fault/huge-nolength", False),
                                             ("/fault/huge-nolength?mode=close", False)])
def test_huge_first_megabyte(srv, path, has_length):
    req = urllib.request.Request(srv.url + path)
    with urllib.request.urlopen(req, timeout=5) as r:
        assert r.status == 200
        if has_length:
            assert r.headers["Content-Length"] == str(50 * 1024 * 1024)
        else:
            assert r.headers["Content-Length"] is None
        chunk = r.read(1024 * 1024)
        assert len(chunk) == 1024 * 1024 and chunk.startswith(b"<!DOCTYPE html>")
    # closing early must not break the server
    assert fetch(srv.url + "/robots.txt")[0] == 200


def test_redirect_loop(srv):
    status, h, _ = fetch(srv.url + "/fault/redirect-loop", follow=False)
    assert status == 302 and h["Location"] == srv.url + "/fault/redirect-loop2"
    status, h, _ = fetch(srv.url + "/fault/redirect-loop2", follow=False)
    assert status == 302 and h["Location"] == srv.url + "/fault/redirect-loop"
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(srv.url + "/fault/redirect-loop", timeout=5)


def test_broken_feeds(srv):
    status, h, body = fetch(srv.url + "/fault/html-as-feed.xml")
    assert h["Content-Type"].startswith("application/rss+xml") and body.lstrip().startswith(b"<!DOCTYPE html>")
    status, h, body = fetch(srv.url + "/fault/malformed.xml")
    assert status == 200 and body.count(b"<item>") == 3 and not body.rstrip().endswith(b"</rss>")
    assert (srv.url + "/listing/berita/").encode() in body
    status, h, body = fetch(srv.url + "/fault/empty.xml")
    assert status == 200 and b"<channel>" in body and b"<item>" not in body


def test_gnews_redirects(srv):
    feed = fetch(srv.url + "/gnews/rss.xml")[2].decode()
    gfeed = next(f for f in MANIFEST["feeds"] if f["path"] == "/gnews/rss.xml")
    for entry in gfeed["entries"]:
        assert entry["link"].replace("&", "&amp;") in feed
        status, h, body = fetch(srv.url + entry["link"], follow=False)
        if entry["article"] is None:  # JS interstitial, no redirect
            assert status == 200 and b"c-wiz" in body
        else:
            assert status == 302
            assert h["Location"] == srv.url + ARTICLES[entry["article"]]["path"]
    # the Amazon story is in both the gnews feed and the detik feed
    assert "d1" in [e["article"] for e in gfeed["entries"]]
    srv.redirect("/pendek/abc", "/detik/rss.xml", 301)
    status, h, _ = fetch(srv.url + "/pendek/abc", follow=False)
    assert status == 301 and h["Location"] == srv.url + "/detik/rss.xml"


def test_windows_1252_served_unchanged(srv):
    expected_ct = {"header": "text/html; charset=windows-1252", "none": "text/html",
                   "wrong-utf8": "text/html; charset=utf-8"}
    for a in MANIFEST["articles"]:
        if a["site"] != "encoding":
            continue
        raw = (DEFAULT_ROOT / a["file"]).read_bytes().replace(b"{{BASE}}", srv.url.encode())
        status, h, body = fetch(srv.url + a["path"])
        assert body == raw
        assert h["Content-Type"] == expected_ct[a["charset_case"]]
        with pytest.raises(UnicodeDecodeError):
            body.decode("utf-8")
        assert a["title"] in body.decode("cp1252")
        assert b"\x93" in body or b"\x96" in body


def test_stop_is_fast_with_hanging_clients():
    s = NewsServer().start()
    socks = []
    for path in ("/fault/hang", "/fault/slow?seconds=30", "/fault/huge"):
        c = socket.create_connection(("127.0.0.1", s.port), timeout=2)
        c.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        socks.append(c)
    idle = socket.create_connection(("127.0.0.1", s.port), timeout=2)  # idle keep-alive
    socks.append(idle)
    time.sleep(0.2)
    t0 = time.monotonic()
    s.stop()
    assert time.monotonic() - t0 < 1.0
    for c in socks:
        c.close()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", s.port), timeout=0.5).close()


# -- hostile routes (issue 10) ----------------------------------------------------------------

def test_hostile_routes():
    with NewsServer() as s:
        status, headers, body = fetch(s.url + "/fault/binary?kind=zip&ctype=text/html")
        assert status == 200 and body.startswith(b"PK\x03\x04") and headers["Content-Type"] == "text/html"
        status, headers, body = fetch(s.url + "/fault/binary?kind=png")
        assert body.startswith(b"\x89PNG") and headers["Content-Type"] == "image/png"
        status, _, body = fetch(s.url + "/fault/big?kb=300&n=x")
        assert status == 200 and 300 * 1024 <= len(body) < 301 * 1024 and body.endswith(b"</html>")
        status, headers, _ = fetch(s.url + "/fault/redirect?to=file:///etc/passwd&status=301", follow=False)
        assert status == 301 and headers["Location"] == "file:///etc/passwd"
        status, _, body = fetch(s.url + "/fault/sitemap-bomb/1-0.xml?fan=4")
        assert body.count(b"<sitemap>") == 4 and b"/fault/sitemap-bomb/2-3.xml?fan=4" in body


def test_put_with_delay():
    with NewsServer() as s:
        s.put("/lambat.html", "<p>x</p>", delay=0.5)
        started = time.monotonic()
        assert fetch(s.url + "/lambat.html")[0] == 200
        assert time.monotonic() - started >= 0.5
