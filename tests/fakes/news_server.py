"""A local fake news web server for end-to-end crawl tests.

``NewsServer`` serves the fixture sites in ``tests/fixtures/sites`` (RSS/Atom
feeds, news sitemaps, HTML listing pages and article pages) on
``127.0.0.1:<ephemeral port>`` from a background thread, plus a set of built-in
fault routes (``/fault/...``) that misbehave in the ways real news sites do.

Usage::

    with NewsServer() as srv:
        feed_url = srv.url + "/detik/rss.xml"
        ...
        srv.put("/detik/rss.xml", new_feed_xml)      # publish a new story
        srv.hits("/detik/berita/")                    # what the crawler fetched

Behaviour summary
-----------------
* Files under ``root`` are served by path (``/a/`` -> ``/a/index.html``). Text
  files (.xml .html .htm .txt .json and extension-less files) get the literal
  placeholder ``{{BASE}}`` replaced with ``srv.url`` at the *byte* level, so
  files stored in legacy encodings (windows-1252) are never re-encoded.
* ``root/redirects.txt``: ``<from-path> <to-path-or-url> [status]`` per line,
  loaded at start (``#`` comments allowed).  ``srv.redirect()`` adds more.
* ``root/content-types.txt``: ``<path> <content type...>`` per line, overrides
  the extension-based content type for single files (used by the encoding
  fixtures to send a missing or wrong charset).
* Every 200 response carries a strong ``ETag`` (hash of the body) and a
  ``Last-Modified`` (fixed per path, see ``set_last_modified``); conditional
  GET/HEAD answers ``304`` on ``If-None-Match`` match or, when no
  ``If-None-Match`` is sent, ``If-Modified-Since >= Last-Modified``.
* Route precedence: removed paths (404) > dynamic routes (``put``) >
  redirects > fault routes > files.  Dynamic routes and redirects are matched
  on the full path including the query string first, then on the bare path.
* ``srv.requests`` is a list of ``RequestRecord(method, path, headers, status)``
  (``path`` includes the query string; ``status`` is ``None`` for requests
  that never got an answer, e.g. ``/fault/hang``).

Hostile routes (issue 10: the crawler must refuse or survive them)
------------------------------------------------------------------
* ``/fault/binary?kind=pdf|png|zip[&ctype=text/html]``: a 64 KB binary body with
  the real magic bytes, optionally under a lying content type.
* ``/fault/big?kb=4800[&n=tag]``: a well-formed article page of ``kb`` KB.
* ``/fault/redirect?to=URL[&status=302]``: an open redirect to any URL verbatim
  (``file:``, another loopback port, ...).
* ``/fault/sitemap-bomb/<depth>-<i>.xml?fan=N``: an endless tree of sitemap
  indexes, children listed out of date order (see ``sitemap_bomb``).
"""

from __future__ import annotations

import email.utils
import hashlib
import http.server
import socket
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterable, NamedTuple
from urllib.parse import parse_qs, urlsplit

DEFAULT_ROOT = Path(__file__).resolve().parent.parent / "fixtures" / "sites"
PLACEHOLDER = b"{{BASE}}"

#: Last-Modified used for every fixture file unless changed with set_last_modified().
DEFAULT_LAST_MODIFIED = datetime(2025, 10, 20, 0, 0, 0, tzinfo=timezone.utc)

HUGE_SIZE = 50 * 1024 * 1024
HUGE_CHUNK = 64 * 1024

TEXT_EXTENSIONS = {".xml", ".html", ".htm", ".txt", ".json", ".rss", ".atom", ""}

RSS_TYPE = "application/rss+xml; charset=utf-8"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
XML_TYPE = "application/xml; charset=utf-8"
HTML_TYPE = "text/html; charset=utf-8"


class RequestRecord(NamedTuple):
    method: str
    path: str  # includes the query string
    headers: dict
    status: int | None


@dataclass
class Route:
    body: bytes
    content_type: str
    status: int = 200
    headers: dict = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (a slow page)


def guess_content_type(path: str) -> str:
    """Content type for a fixture path, chosen from the file name."""
    name = path.rsplit("/", 1)[-1].lower()
    ext = ("." + name.rsplit(".", 1)[-1]) if "." in name else ""
    if ext in (".xml", ".rss", ".atom"):
        if "sitemap" in name:
            return XML_TYPE
        if "atom" in name or ext == ".atom":
            return ATOM_TYPE
        return RSS_TYPE
    if ext in (".html", ".htm", ""):
        return HTML_TYPE
    if ext == ".txt":
        return "text/plain; charset=utf-8"
    if ext == ".json":
        return "application/json"
    if ext in (".jpg", ".jpeg"):
        return "image/jpeg"
    if ext == ".png":
        return "image/png"
    if ext == ".css":
        return "text/css"
    if ext == ".js":
        return "application/javascript"
    return "application/octet-stream"


def _http_date(dt: datetime) -> str:
    return email.utils.format_datetime(dt.astimezone(timezone.utc), usegmt=True)


def _parse_http_date(value: str) -> datetime | None:
    try:
        dt = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt


def _etag_for(body: bytes) -> str:
    return '"' + hashlib.sha1(body).hexdigest()[:20] + '"'


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "PantauFakeNews/1.0"
    timeout = 60  # idle keep-alive connections are dropped after this (and on stop())

    # -- plumbing -----------------------------------------------------------
    @property
    def news(self) -> "NewsServer":
        return self.server.news  # type: ignore[attr-defined]

    def setup(self):
        super().setup()
        self.news._track(self.connection, add=True)

    def finish(self):
        try:
            super().finish()
        except OSError:
            pass
        finally:
            self.news._track(self.connection, add=False)

    def handle(self):
        try:
            super().handle()
        except (ConnectionError, socket.timeout, TimeoutError, OSError):
            self.close_connection = True

    def log_message(self, format, *args):  # noqa: A002 - silence stderr
        pass

    def log_request(self, code="-", size="-"):
        try:
            status = int(getattr(code, "value", code))
        except (TypeError, ValueError):
            status = None
        self.news._log(self.command, self.path, dict(self.headers.items()), status)

    def do_GET(self):
        self._dispatch(head=False)

    def do_HEAD(self):
        self._dispatch(head=True)

    # -- dispatch -----------------------------------------------------------
    def _dispatch(self, head: bool):
        news = self.news
        full = self.path
        split = urlsplit(full)
        path = split.path or "/"
        query = parse_qs(split.query)

        with news._lock:
            removed = full in news._removed or path in news._removed
            route_key = full if full in news._routes else path
            route = news._routes.get(route_key)
            redirect = news._redirects.get(full) or news._redirects.get(path)

        if removed and route is None:
            return self._send_simple(404, "Not Found", head)
        if route is not None:
            if route.delay and news._stop_event.wait(route.delay):
                self.close_connection = True
                return
            return self._send_body(route_key, route.body, route.content_type, head,
                                   status=route.status, extra=route.headers)
        if redirect is not None:
            target, status = redirect
            return self._redirect(target, status, head)
        if path.startswith("/fault/"):
            return self._fault(path, query, head)
        return self._serve_file(path, head)

    # -- responses ----------------------------------------------------------
    def _send_simple(self, status: int, message: str, head: bool, extra=None):
        body = (
            "<!DOCTYPE html><html><head><title>{0} {1}</title></head>"
            "<body><h1>{0} {1}</h1><p>Pantau fake news server.</p></body></html>"
        ).format(status, message).encode()
        self._send_body(self.path, body, HTML_TYPE, head, status=status,
                        extra=extra, conditional=False)

    def _send_body(self, path, body: bytes, content_type: str, head: bool,
                   status: int = 200, extra=None, conditional: bool = True):
        etag = _etag_for(body)
        last_modified = self.news.last_modified(path)
        if conditional and status == 200 and self._not_modified(etag, last_modified):
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", _http_date(last_modified))
            self.send_header("Content-Length", "0")
            for k, v in (extra or {}).items():
                self.send_header(k, v)
            self.end_headers()
            return
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if status == 200 or conditional:
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", _http_date(last_modified))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _not_modified(self, etag: str, last_modified: datetime) -> bool:
        if self.command not in ("GET", "HEAD"):
            return False
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            tags = [t.strip() for t in inm.split(",")]
            if "*" in tags:
                return True
            # weak comparison, as RFC 9110 prescribes for If-None-Match
            return any(t.removeprefix("W/") == etag for t in tags)
        ims = self.headers.get("If-Modified-Since")
        if ims:
            dt = _parse_http_date(ims)
            if dt is not None and dt >= last_modified.replace(microsecond=0):
                return True
        return False

    def _redirect(self, target: str, status: int, head: bool):
        location = target if "://" in target else self.news.url + target
        self.send_response(status)
        self.send_header("Location", location)
        body = f'<html><body>Moved to <a href="{location}">{location}</a></body></html>'.encode()
        self.send_header("Content-Type", HTML_TYPE)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _serve_file(self, path: str, head: bool):
        news = self.news
        root = news.root
        rel = path.lstrip("/")
        target = (root / rel).resolve() if rel else root
        try:
            target.relative_to(root)
        except ValueError:
            return self._send_simple(404, "Not Found", head)
        if target.is_dir():
            if not path.endswith("/"):
                return self._redirect(path + "/", 301, head)
            target = target / "index.html"
            path = path + "index.html"
        if not target.is_file() or target.name in news.HIDDEN_FILES:
            return self._send_simple(404, "Not Found", head)
        body = target.read_bytes()
        if target.suffix.lower() in TEXT_EXTENSIONS:
            body = body.replace(PLACEHOLDER, news.url.encode("ascii"))
        ctype = news._content_types.get(path) or guess_content_type(path)
        self._send_body(path, body, ctype, head)

    # -- faults -------------------------------------------------------------
    def _fault(self, path: str, query: dict, head: bool):
        news = self.news
        name = path[len("/fault/"):]
        if name in ("404", "500", "503", "403", "429"):
            status = int(name)
            extra = {"Retry-After": "120"} if status in (503, 429) else None
            return self._send_simple(status, self.responses.get(status, ("Error",))[0], head, extra)
        if name == "hang":
            news._log(self.command, self.path, dict(self.headers.items()), None)
            news._stop_event.wait()
            self.close_connection = True
            return
        if name == "slow":
            try:
                seconds = float(query.get("seconds", ["5"])[0])
            except ValueError:
                seconds = 5.0
            if news._stop_event.wait(seconds):
                self.close_connection = True
                return
            body = (f"<html><head><title>Lambat</title></head><body><p>Halaman ini "
                    f"dijawab setelah {seconds:g} detik.</p></body></html>").encode()
            return self._send_body(path, body, HTML_TYPE, head, conditional=False)
        if name in ("huge", "huge-nolength"):
            return self._huge(with_length=(name == "huge"), head=head,
                              close_mode=query.get("mode", [""])[0] == "close")
        if name == "redirect-loop":
            return self._redirect("/fault/redirect-loop2", 302, head)
        if name == "redirect-loop2":
            return self._redirect("/fault/redirect-loop", 302, head)
        if name == "html-as-feed.xml":
            return self._send_body(path, news._fault_html_as_feed(), RSS_TYPE, head)
        if name == "malformed.xml":
            return self._send_body(path, news._fault_malformed(), RSS_TYPE, head)
        if name == "empty.xml":
            return self._send_body(path, news._fault_empty(), RSS_TYPE, head)
        # -- hostile routes (issue 10) ------------------------------------------
        if name == "binary":
            kind = query.get("kind", ["pdf"])[0]
            body, default_type = binary_body(kind)
            return self._send_body(path, body, query.get("ctype", [default_type])[0], head)
        if name == "big":
            try:
                kb = max(1, min(20_000, int(query.get("kb", ["4800"])[0])))
            except ValueError:
                kb = 4800
            return self._send_body(path, big_page(kb, query.get("n", ["0"])[0]), HTML_TYPE, head,
                                   conditional=False)
        if name == "redirect":
            target = query.get("to", ["/"])[0]
            try:
                status = int(query.get("status", ["302"])[0])
            except ValueError:
                status = 302
            self.send_response(status)
            self.send_header("Location", target)  # verbatim: any scheme, any host
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if name.startswith("sitemap-bomb/"):
            return self._send_body(path, sitemap_bomb(news.url, name[len("sitemap-bomb/"):], query), XML_TYPE,
                                   head, conditional=False)
        return self._send_simple(404, "Not Found", head)

    def _huge(self, with_length: bool, head: bool, close_mode: bool):
        stop = self.news._stop_event
        head_html = (b"<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
                     b"<title>Halaman Raksasa</title></head><body><div class=\"isi\">")
        line = (b"<p>Paragraf pengisi yang sangat panjang untuk menguji batas ukuran "
                b"unduhan crawler. PHK karena AI bukan topik halaman ini.</p>\n")
        filler = line * (HUGE_CHUNK // len(line) + 1)
        self.send_response(200)
        self.send_header("Content-Type", HTML_TYPE)
        chunked = False
        if with_length:
            self.send_header("Content-Length", str(HUGE_SIZE))
        elif close_mode:
            self.send_header("Connection", "close")
            self.close_connection = True
        else:
            self.send_header("Transfer-Encoding", "chunked")
            chunked = True
        self.end_headers()
        if head:
            return
        sent = 0
        first = True
        try:
            while sent < HUGE_SIZE and not stop.is_set():
                chunk = head_html + filler if first else filler
                first = False
                chunk = chunk[: min(HUGE_CHUNK, HUGE_SIZE - sent)]
                if chunked:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                else:
                    self.wfile.write(chunk)
                sent += len(chunk)
            if chunked and not stop.is_set():
                self.wfile.write(b"0\r\n\r\n")
            if stop.is_set():
                self.close_connection = True
        except (ConnectionError, OSError):
            self.close_connection = True  # client gave up: stop quietly


class _HTTPServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def handle_error(self, request, client_address):  # quiet on disconnects
        pass


class NewsServer:
    """Fixture news server on 127.0.0.1. See module docstring."""

    HIDDEN_FILES = {"redirects.txt", "content-types.txt", "manifest.json"}

    def __init__(self, root: str | Path | None = None, port: int = 0,
                 host: str = "127.0.0.1"):
        self.root = Path(root or DEFAULT_ROOT).resolve()
        self.host = host
        self._port = port
        self._lock = threading.RLock()
        self._routes: dict[str, Route] = {}
        self._redirects: dict[str, tuple[str, int]] = {}
        self._removed: set[str] = set()
        self._content_types: dict[str, str] = {}
        self._last_modified: dict[str, datetime] = {}
        self._requests: list[RequestRecord] = []
        self._conns: set = set()
        self._stop_event = threading.Event()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.url = ""
        self.port = 0
        self._load_sidecars()

    # -- lifecycle ----------------------------------------------------------
    def start(self) -> "NewsServer":
        if self._httpd is not None:
            return self
        self._stop_event.clear()
        httpd = _HTTPServer((self.host, self._port), _Handler)
        httpd.news = self  # type: ignore[attr-defined]
        self._httpd = httpd
        self.port = httpd.server_address[1]
        self.url = f"http://{self.host}:{self.port}"
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
            name=f"NewsServer:{self.port}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        httpd = self._httpd
        if httpd is None:
            return
        self._stop_event.set()  # releases /fault/hang, /fault/slow, /fault/huge
        httpd.shutdown()
        httpd.server_close()
        with self._lock:
            conns = list(self._conns)
            self._conns.clear()
        for conn in conns:  # drop idle keep-alive connections
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        if self._thread is not None:
            self._thread.join(timeout=1)
        self._httpd = None
        self._thread = None

    def __enter__(self) -> "NewsServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- dynamic content ----------------------------------------------------
    def put(self, path: str, body: bytes | str, content_type: str | None = None,
            status: int = 200, headers: dict | None = None,
            last_modified: datetime | None = None, delay: float = 0.0) -> None:
        """Add or replace a route. ``str`` bodies are UTF-8 encoded and get
        ``{{BASE}}`` replaced. ``delay`` seconds pass before each answer.  Last-Modified becomes ``last_modified`` or
        "now", and always strictly later than the previous value for the
        path, so If-Modified-Since revalidation sees the change."""
        if isinstance(body, str):
            body = body.replace("{{BASE}}", self.url).encode("utf-8")
        ctype = content_type or guess_content_type(urlsplit(path).path)
        with self._lock:
            self._routes[path] = Route(body, ctype, status, dict(headers or {}), delay)
            self._removed.discard(path)
            if last_modified is None:
                prev = self.last_modified(path)
                now = datetime.now(timezone.utc).replace(microsecond=0)
                last_modified = max(now, prev.replace(microsecond=0)
                                    + timedelta(seconds=1))
            self._last_modified[path] = last_modified

    def remove(self, path: str) -> None:
        """Make ``path`` answer 404 (drops a put() route or redirect and
        masks a fixture file).  ``restore(path)`` undoes it."""
        with self._lock:
            self._routes.pop(path, None)
            self._redirects.pop(path, None)
            self._removed.add(path)

    def restore(self, path: str) -> None:
        """Forget put()/remove() for ``path``: serve the fixture file again."""
        with self._lock:
            self._routes.pop(path, None)
            self._removed.discard(path)
            self._last_modified.pop(path, None)

    def redirect(self, from_path: str, to: str, status: int = 302) -> None:
        """Redirect ``from_path`` to ``to`` (a path on this server or a URL)."""
        with self._lock:
            self._redirects[from_path] = (to, status)
            self._removed.discard(from_path)

    def set_last_modified(self, path: str, when: datetime) -> None:
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        with self._lock:
            self._last_modified[path] = when

    def last_modified(self, path: str) -> datetime:
        with self._lock:
            return self._last_modified.get(path, DEFAULT_LAST_MODIFIED)

    def read_fixture(self, path: str) -> bytes:
        """Bytes of a fixture file as the server would send them."""
        body = (self.root / path.lstrip("/")).read_bytes()
        return body.replace(PLACEHOLDER, self.url.encode("ascii"))

    # -- request log ----------------------------------------------------------
    @property
    def requests(self) -> list[RequestRecord]:
        with self._lock:
            return list(self._requests)

    def hits(self, path_prefix: str = "/", method: str | None = None) -> list[RequestRecord]:
        with self._lock:
            return [r for r in self._requests
                    if r.path.startswith(path_prefix)
                    and (method is None or r.method == method)]

    def clear_log(self) -> None:
        with self._lock:
            self._requests.clear()

    # -- internals ------------------------------------------------------------
    def _log(self, method, path, headers, status) -> None:
        with self._lock:
            self._requests.append(RequestRecord(method, path, headers, status))

    def _track(self, conn, add: bool) -> None:
        with self._lock:
            if add:
                self._conns.add(conn)
            else:
                self._conns.discard(conn)

    def _load_sidecars(self) -> None:
        for line in _lines(self.root / "redirects.txt"):
            parts = line.split()
            status = int(parts[2]) if len(parts) > 2 else 302
            self._redirects[parts[0]] = (parts[1], status)
        for line in _lines(self.root / "content-types.txt"):
            path, _, ctype = line.partition(" ")
            self._content_types[path] = ctype.strip()

    def _fault_html_as_feed(self) -> bytes:
        return (
            "<!DOCTYPE html>\n<html lang=\"id\"><head><meta charset=\"utf-8\">"
            "<title>Halaman tidak ditemukan - Portal Berita</title></head><body>"
            "<header><nav><a href=\"/\">Beranda</a> <a href=\"/tekno/\">Tekno</a></nav></header>"
            "<main><h1>Maaf, RSS sedang dalam perbaikan</h1>"
            "<p>Silakan kunjungi halaman utama kami untuk membaca berita terbaru.</p>"
            f"<ul><li><a href=\"{self.url}/listing/index.html\">Indeks berita</a></li></ul>"
            "</main><footer>&copy; 2025 Portal Berita</footer></body></html>\n"
        ).encode("utf-8")

    def _fault_malformed(self) -> bytes:
        b = self.url
        return (
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<rss version=\"2.0\"><channel>\n"
            "<title>Feed Rusak & Tidak Valid</title>\n"
            f"<link>{b}/listing/index.html</link>\n"
            "<description>Feed ini sengaja dibuat rusak: ada & telanjang dan tag tak tertutup"
            "</description>\n"
            "<item>\n"
            "<title>Harbolnas 2025: Transaksi Naik & Kurir Kewalahan</title>\n"
            f"<link>{b}/listing/berita/harbolnas-2025-transaksi-naik-kurir-kewalahan.html</link>\n"
            "<pubDate>Tue, 21 Oct 2025 08:00:00 +0700</pubDate>\n"
            "<description>Lonjakan transaksi <b>belanja daring & logistik</description>\n"
            "</item>\n"
            "<item>\n"
            "<title>Pusat Layanan Pelanggan di Bandung Ganti 300 Agen dengan Voicebot</title>\n"
            f"<link>{b}/listing/berita/call-center-bandung-ganti-300-agen-voicebot.html</link>\n"
            "<pubDate>Wed, 22 Oct 2025 13:20:00 +0700</pubDate>\n"
            "<description>Perusahaan alih daya merumahkan agen <i>call center</description>\n"
            "</item>\n"
            "<item>\n"
            "<title>Item terpotong di tengah jalan\n"
            f"<link>{b}/listing/berita/tidak-pernah-ada"
        ).encode("utf-8")

    def _fault_empty(self) -> bytes:
        return (
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<rss version=\"2.0\"><channel>\n"
            "<title>Kanal Kosong</title>\n"
            f"<link>{self.url}/</link>\n"
            "<description>Belum ada berita di kanal ini.</description>\n"
            "<language>id</language>\n"
            "<lastBuildDate>Mon, 20 Oct 2025 07:00:00 +0700</lastBuildDate>\n"
            "</channel></rss>\n"
        ).encode("utf-8")


# -- hostile bodies ---------------------------------------------------------------

_MAGIC = {
    "pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nstream\n", "application/pdf"),
    "png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png"),
    "zip": (b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "application/zip"),
}


def binary_body(kind: str) -> tuple[bytes, str]:
    """A ~64 KB binary body starting with the magic bytes of ``kind`` (pdf, png, zip) and its
    usual content type. The filler mixes bytes of every value, like compressed data."""
    magic, ctype = _MAGIC.get(kind, _MAGIC["pdf"])
    filler = bytearray()
    seed = hashlib.sha256(kind.encode()).digest()
    while len(filler) < 64 * 1024:
        seed = hashlib.sha256(seed).digest()
        filler += seed
    return magic + bytes(filler), ctype


_BIG_CACHE: dict[tuple[int, str], bytes] = {}


def big_page(kb: int, tag: str = "0") -> bytes:
    """A well-formed article page of about ``kb`` kilobytes (thousands of paragraphs)."""
    key = (kb, tag)
    if key not in _BIG_CACHE:
        head = ("<!DOCTYPE html><html lang=\"id\"><head><meta charset=\"utf-8\">"
                f"<title>Laporan Panjang {tag}</title></head><body><article><h1>Laporan Panjang {tag}</h1>")
        parts = [head]
        size, i = len(head), 0
        while size < kb * 1024:
            p = (f"<p>Paragraf {i} laporan panjang {tag}: pemerintah daerah mencatat kenaikan produksi "
                 f"padi dan jagung di kabupaten ke-{i % 97}, sementara harga pupuk stabil.</p>\n")
            parts.append(p)
            size += len(p)
            i += 1
        parts.append("</article></body></html>")
        _BIG_CACHE[key] = "".join(parts).encode()
    return _BIG_CACHE[key]


def sitemap_bomb(base: str, name: str, query: dict) -> bytes:
    """``/fault/sitemap-bomb/<depth>-<i>.xml?fan=N``: a sitemap index whose N children are
    deeper sitemap indexes, for ever. Children are listed in a scrambled order; child j has
    lastmod 2025-10-(j+1), so the newest is j = N-1."""
    try:
        depth = int(name.split("-", 1)[0])
        fan = max(1, min(500, int(query.get("fan", ["20"])[0])))
    except ValueError:
        depth, fan = 0, 20
    order = sorted(range(fan), key=lambda j: hashlib.md5(f"{name}:{j}".encode()).hexdigest())
    items = "".join(
        f"<sitemap><loc>{base}/fault/sitemap-bomb/{depth + 1}-{j}.xml?fan={fan}</loc>"
        f"<lastmod>2025-{10 + j // 28:02d}-{j % 28 + 1:02d}T00:00:00+07:00</lastmod></sitemap>"
        for j in order)
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{items}</sitemapindex>').encode()


def _lines(path: Path) -> Iterable[str]:
    if not path.is_file():
        return []
    out = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip() if raw.lstrip().startswith("#") else raw.strip()
        if line:
            out.append(line)
    return out


if __name__ == "__main__":  # manual poking: python tests/fakes/news_server.py
    with NewsServer() as _srv:
        print("serving", _srv.root, "at", _srv.url)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
