"""The Scrapy spider: sources → entries → article pages → stored, classified articles.

Rules:
- One request per enabled source, conditional (If-None-Match /
  If-Modified-Since from the ETag/Last-Modified stored for it); a 304 costs
  nothing more.
- Article pages are requested only for entries whose URL, aliases and GUID
  are not already stored, newest first, at most ``max_items`` per source.
- Fetch policy (``crawler/netpolicy.py``): only http(s) URLs are requested
  or stored; a link, redirect or canonical URL on a loopback, private,
  link-local or multicast address (DNS answers included) is followed only
  when it has the same origin as its source's URL. ``FetchPolicyMiddleware``
  sees every request, redirects included, before robots.txt and the network;
  ``PolicyResolver`` re-checks the address at connect time (DNS rebinding).
  An entry whose link is bad or refused is skipped and counted in the
  source's health (``skipped_entries``, ``skip_reason``); the rest is kept.
- ``rel=canonical`` is accepted only on the page's registrable domain (or a
  domain the source declares in ``domains``) and only if the fetch policy
  allows it; otherwise the page is stored under the URL it was fetched
  from. The outlet is the source's name (for aggregators: the publisher the
  feed names), never the page's ``og:site_name``.
- Aggregator links (Google News) are followed to the publisher; an article
  already stored under the publisher's URL is not stored again. A link that
  redirected counts as resolved even when the publisher page is on the same
  host. When the link does not redirect and stays on the aggregator's host,
  the link is kept and the publisher named from the title suffix.
- Bodies that are not HTML (content type, or magic bytes: PDF, PNG, ZIP,
  JPEG, GIF, gzip, office files…, or NUL bytes) are never extracted: the
  feed's summary is stored instead. With worker processes
  (``PANTAU_CRAWL_WORKERS``, ``crawler/workers.py``) pages are decoded,
  extracted and classified there, and feeds and sitemaps parsed there, while
  this process fetches and stores: the same results, on another CPU core; a
  page or feed that kills its worker is recorded as failed (``extract_error``
  / the source's error), never lost with the others. Without workers, big
  pages (and any page while one is being extracted) are extracted in a
  worker thread, at most ``EXTRACT_THREADS`` (one) at a time: trafilatura is
  not thread-safe, so ``extract`` holds a process-wide lock, and the reactor
  never waits on it. Either way at most ``MAX_EXTRACT_CHARS`` of HTML
  (scripts and styles removed first) reach the extractor, so a few huge pages cannot starve the
  downloader; after the crawl's time limit nothing more is extracted (the
  summary is stored).
- A page that cannot be fetched or extracted is stored from the feed's own
  content/summary (``extracted = 0``, ``extract_error`` says why). When the
  failure was transient (timeout, connection failure, HTTP 5xx/429, a host
  skipped this crawl, the time limit) the article is marked ``refetch = 1``
  and fetched again on the next crawls, at most ``MAX_FETCH_ATTEMPTS``
  times in all; when the text arrives it replaces the summary and the
  article is re-classified (a newly flagged article is grouped into a story
  and alerted like a new one).
- A crawl cut short (time limit, shutdown) keeps no ETag/Last-Modified for
  a source whose article pages were not all answered: the next crawl reads
  its feed in full and requests the entries left over (a 304 would lose
  them).
- Articles are written in batches (``StorePipeline``): at most
  ``BATCH_ITEMS`` items or ``BATCH_SECONDS`` per transaction, each item in
  its own savepoint, everything committed when the spider closes.
- Sitemap indexes are followed newest child first, at most
  ``MAX_SITEMAP_DEPTH`` levels below the source and ``MAX_CHILD_SITEMAPS``
  child sitemaps per source per crawl.
- Every source ends the crawl with a recorded outcome: ok (with counts) or
  an error message. A host is "dead" for the rest of the crawl after a
  connection failure (refused, DNS, reset before an answer), or after
  ``DEAD_AFTER_TIMEOUTS`` timeouts in a row with no answer in between — one
  slow page never blanks the rest of its site (``DeadHostMiddleware``).
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import time
from dataclasses import dataclass, field

import scrapy
from scrapy.exceptions import IgnoreRequest

try:  # Scrapy ≥ 2.14 wraps Twisted's download errors in its own classes
    from scrapy.exceptions import DownloadCancelledError, DownloadConnectionRefusedError, DownloadTimeoutError
except ImportError:  # pragma: no cover
    DownloadCancelledError = DownloadConnectionRefusedError = DownloadTimeoutError = ()  # type: ignore
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import (ConnectError, ConnectionLost, DNSLookupError, TCPTimedOutError,
                                    TimeoutError as TxTimeoutError)

from . import netpolicy
from .extract import decode_html, extract
from .feeds import Entries, Entry, FeedError, parse_feed, parse_listing, parse_sitemap
from .sources import Source
from .store import Store, now_iso, rollback_quietly
from .urls import canonical_url, host_of
from .workers import (CLASSIFY_BACKLOG, MAX_EXTRACT_CHARS, MAX_TEXT_CHARS, Classified, PageFailed,  # noqa: F401
                      WorkerCrashed, article_text, page_job)
from .workers import trim_html as _trim_html  # noqa: F401  (tests and bench/bigpages.py use it from here)

log = logging.getLogger("pantau.crawl")

MAX_CHILD_SITEMAPS = 10   # child sitemaps per source per crawl
MAX_SITEMAP_DEPTH = 2     # levels of sitemap indexes below the source's own URL
MAX_FETCH_ATTEMPTS = 3    # page fetches per article in all (first crawl + retries)
DEAD_AFTER_TIMEOUTS = 3   # timeouts in a row (no answer between) before a host is skipped
EXTRACT_THREADS = 1  # extraction holds a process-wide lock (crawler.extract): more threads would only wait
THREAD_PARSE_BYTES = 256 * 1024  # feeds/sitemaps larger than this are parsed in a worker thread
BATCH_ITEMS = 50        # articles per write transaction at most (StorePipeline)
BATCH_SECONDS = 0.5     # a write transaction is committed at least this often


@dataclass
class SourceOutcome:
    name: str
    ok: bool | None = None
    error: str | None = None
    unchanged: bool = False
    entries: int = 0
    new: int = 0
    flagged: int = 0
    etag: str | None = None
    last_modified: str | None = None
    pending: int = 0  # child sitemap requests still out
    new_ids: list[int] = field(default_factory=list)
    skipped: int = 0  # entries left out: bad or refused links
    skip_reason: str | None = None
    sitemaps: int = 0  # child sitemaps requested
    seen_sitemaps: set = field(default_factory=set)
    refetched: int = 0  # summary-only articles whose text arrived this crawl
    pages: int = 0  # article pages requested for new entries
    answered: int = 0  # of those, answered (stored or failed) before the crawl ended

    def skip(self, reason: str, n: int = 1) -> None:
        self.skipped += n
        if self.skip_reason is None:
            self.skip_reason = reason[:200]


class PolicyRefused(IgnoreRequest):
    """The fetch policy refused this URL (scheme or internal address)."""

    def __init__(self, url: str, reason: str):
        super().__init__(f"refused by the fetch policy: {reason}")
        self.url = url
        self.reason = reason


class HostSkipped(IgnoreRequest):
    """The host failed earlier in this crawl."""


def describe_failure(failure) -> str:
    """A short, human-readable reason for a failed request."""
    exc = failure.value
    if isinstance(exc, HttpError):
        return f"HTTP {exc.response.status}"
    if _is_timeout(exc):
        return "timeout: the server did not answer in time"
    if isinstance(exc, DNSLookupError) or "DNS" in type(exc).__name__:
        return "DNS lookup failed"
    if isinstance(exc, (ConnectError, DownloadConnectionRefusedError)):
        return "connection refused or failed"
    msg = str(exc)
    if isinstance(exc, DownloadCancelledError) or "Cancelled" in type(exc).__name__ or \
            "maxsize" in msg.lower() or "larger than" in msg.lower():
        return f"download cancelled (page larger than the size cap?): {msg[:150]}"
    if isinstance(exc, ConnectionLost):
        return "connection lost"
    if isinstance(exc, IgnoreRequest):
        return (msg or "request dropped")[:200]
    return f"{type(exc).__name__}: {msg[:200]}"


def _is_timeout(exc) -> bool:
    return isinstance(exc, (TxTimeoutError, TCPTimedOutError, DownloadTimeoutError)) or \
        type(exc).__name__ in ("TimeoutError", "ResponseNeverReceived", "DownloadTimeoutError")


def _is_connection_failure(exc) -> bool:
    return isinstance(exc, (ConnectError, DNSLookupError, DownloadConnectionRefusedError)) or \
        "DNS" in type(exc).__name__ or "ConnectionRefused" in type(exc).__name__


def _is_transient(exc) -> bool:
    """A failure worth another try on a later crawl."""
    if isinstance(exc, HttpError):
        return exc.response.status >= 500 or exc.response.status in (408, 429)
    if isinstance(exc, HostSkipped):
        return True
    if isinstance(exc, IgnoreRequest):
        return False  # robots.txt, fetch policy
    return _is_timeout(exc) or _is_connection_failure(exc) or isinstance(exc, ConnectionLost) or \
        type(exc).__name__ in ("ResponseDataLossError", "DownloadFailedError", "ConnectionDone")


class FetchPolicyMiddleware:
    """Downloader middleware: every request (redirects included) must pass ``netpolicy.check_url``."""

    @classmethod
    def from_crawler(cls, crawler):
        return cls()

    async def process_request(self, request, spider=None):
        url = request.url
        src = request.meta.get("source")
        if src is None and request.meta.get("dont_obey_robotstxt") and request.url.endswith("/robots.txt"):
            # Scrapy's robots.txt request for a host whose page request already passed; a redirect
            # of it is held to the robots.txt URL's own origin like any other redirect
            first = (request.meta.get("redirect_urls") or [url])[0]
            reason = netpolicy.check_url(url, first) if url != first else \
                (None if netpolicy.is_http_url(url) else "not an http(s) URL")
            if reason:
                raise PolicyRefused(url, reason)
            return None
        # a request the spider derives from a page (e.g. page 2 of an article) is judged against that page
        source_url = src.url if src is not None else request.meta.get("page_of")
        reason = netpolicy.check_url(url, source_url, lookup=False)
        if reason is None and not netpolicy.same_origin(url, source_url):
            host = host_of(url)
            if host and not _is_ip(host):  # a DNS lookup: off the reactor thread
                from scrapy.utils.defer import maybe_deferred_to_future
                from twisted.internet.threads import deferToThread

                internal = await maybe_deferred_to_future(deferToThread(netpolicy.host_is_internal, host))
                if internal:
                    reason = f"internal address refused ({host})"
        if reason:
            log.info("refused %s: %s", url[:200], reason)
            raise PolicyRefused(url, reason)
        return None


try:
    from scrapy.resolver import CachingThreadedResolver as _BaseResolver
except ImportError:  # pragma: no cover
    _BaseResolver = object  # type: ignore


class PolicyResolver(_BaseResolver):
    """Scrapy's DNS resolver with the fetch policy applied at connect time (``DNS_RESOLVER``).

    ``FetchPolicyMiddleware`` judged the name before the request; this re-checks the address
    the connection will really use, so a name that answers with a public address first and an
    internal one later (DNS rebinding) is refused too. Names of the sources themselves may
    resolve to internal addresses (a source on the operator's LAN)."""

    allowed_internal: set[str] = set()

    @classmethod
    def judge(cls, name: str, address: str) -> str | None:
        host = (name or "").lower().rstrip(".")
        if _is_ip(host) or host in cls.allowed_internal or not netpolicy.is_internal_ip(address):
            return None
        return f"{name} resolved to the internal address {address}: refused by the fetch policy"

    def getHostByName(self, name, timeout=()):  # noqa: N802 - Twisted's name
        d = super().getHostByName(name, timeout)

        def check(address):
            reason = self.judge(name, address)
            if reason:
                raise DNSLookupError(reason)
            return address

        return d.addCallback(check)


def _is_ip(host: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(host.strip("[]"))
        return True
    except ValueError:
        return False


class DeadHostMiddleware:
    """Downloader middleware: a host that cannot be reached is not asked again this crawl.

    Connection failures (refused, DNS, reset) kill a host at once; timeouts only after
    ``DEAD_AFTER_TIMEOUTS`` in a row with no answer from that host in between."""

    def __init__(self):
        self.dead: dict[str, str] = {}
        self.timeouts: dict[str, int] = {}

    @classmethod
    def from_crawler(cls, crawler):
        return cls()

    def process_request(self, request, spider=None):
        host = _netloc(request.url)
        if host in self.dead:
            raise HostSkipped(f"{self.dead[host]} (host skipped for the rest of this crawl)")
        return None

    def process_response(self, request, response, spider=None):
        self.timeouts.pop(_netloc(request.url), None)
        return response

    def process_exception(self, request, exception, spider=None):
        host = _netloc(request.url)
        if not host:
            return None
        if _is_connection_failure(exception):
            self.dead.setdefault(host, "connection refused or failed")
        elif _is_timeout(exception):
            n = self.timeouts.get(host, 0) + 1
            self.timeouts[host] = n
            if n >= DEAD_AFTER_TIMEOUTS:
                self.dead.setdefault(host, f"timeout: the server did not answer in time ({n} times in a row)")
        return None


# -- binary bodies ------------------------------------------------------------------

_MAGIC = (
    (b"%PDF-", "PDF"), (b"\x89PNG", "PNG"), (b"PK\x03\x04", "ZIP"), (b"PK\x05\x06", "ZIP"),
    (b"GIF87a", "GIF"), (b"GIF89a", "GIF"), (b"\xff\xd8\xff", "JPEG"), (b"\x1f\x8b", "gzip"),
    (b"BZh", "bzip2"), (b"7z\xbc\xaf\x27\x1c", "7z"), (b"Rar!", "RAR"), (b"\xd0\xcf\x11\xe0", "Office"),
    (b"%!PS", "PostScript"), (b"\x7fELF", "ELF"), (b"OggS", "Ogg"), (b"ID3", "MP3"), (b"fLaC", "FLAC"),
    (b"wOFF", "WOFF"), (b"wOF2", "WOFF2"), (b"\x00\x00\x01\x00", "ICO"), (b"\xfd7zXZ", "xz"),
)
_TEXT_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "text/xml", "application/xml")


def binary_reason(body: bytes, content_type: str | None) -> str | None:
    """Why ``body`` is not an HTML page we may extract text from (None: it is text)."""
    head = body[:16].lstrip(b"\xef\xbb\xbf")
    if body[4:12] in (b"ftypisom", b"ftypmp42") or (head.startswith(b"RIFF") and body[8:12] in (b"WEBP", b"WAVE", b"AVI ")):
        return "binary body (media file), not an HTML page"
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return f"binary body ({name}), not an HTML page"
    ctype = (content_type or "").split(";")[0].strip().lower()
    if ctype and ctype not in _TEXT_TYPES:
        return f"not an HTML page (Content-Type {ctype[:60]})"
    if b"\x00" in body[:8192]:
        return "binary body (NUL bytes), not an HTML page"
    return None


def accept_canonical(canonical: str | None, page_url: str, src: Source) -> bool:
    """May ``canonical`` replace ``page_url`` as the article's identity?"""
    if not canonical or not netpolicy.is_http_url(canonical):
        return False
    if canonical != page_url:
        domain = netpolicy.registrable_domain(canonical)
        host = host_of(canonical)
        declared = any(host == d or host.endswith("." + d) or domain == d for d in src.domains)
        if not (netpolicy.same_site(canonical, page_url) or declared):
            return False
    return netpolicy.check_url(canonical, src.url) is None


class NewsSpider(scrapy.Spider):
    name = "pantau"

    def __init__(self, sources: list[Source], store: Store, max_items: int = 60, classify=None,
                 time_limit: float | None = None, pool=None, **kw):
        super().__init__(**kw)
        self.pool = pool  # a PagePool started by the caller (crawl.py) for the page work; None = here
        self.pool_pages = self.pool_verdicts = 0  # pages extracted / verdicts used from the workers
        self._pool_waiting: set = set()  # Deferreds of work in the workers
        self._pool_cut = None  # the reactor's timer for the time limit
        self.sources = sources
        self.store = store
        self.max_items = max_items
        self.classify_fn = classify
        self.outcomes: dict[str, SourceOutcome] = {s.name: SourceOutcome(s.name) for s in sources}
        self.pages_requested = 0
        PolicyResolver.allowed_internal = {host_of(s.url).rstrip(".") for s in sources}
        self.deadline = time.monotonic() + time_limit if time_limit else None
        self._extract_sem = None

    def closed(self, reason: str) -> None:
        """A crawl cut short (time limit, shutdown) forgets the ETag/Last-Modified of every source whose
        pages were not all answered: otherwise the next crawl would get "304 Not Modified" and never
        request the pages left over (issue 15: 1,525 of 5,000 articles lost that way)."""
        if self._pool_cut is not None and self._pool_cut.active():
            self._pool_cut.cancel()
        if self.pool is not None:
            done, page_cpu, cpu = self.pool.stats()
            self.pool.close()
            log.info("page workers: %d process%s, %d pages extracted, %d classified there, %d worker crash%s; "
                     "%.1f s CPU on pages, %.1f s in all; %d items in %d messages", self.pool.n,
                     "" if self.pool.n == 1 else "es", self.pool_pages, self.pool_verdicts, self.pool.crashes,
                     "" if self.pool.crashes == 1 else "es", page_cpu, cpu, *self.pool.sent)
        if reason == "finished":
            return
        for out in self.outcomes.values():
            if out.answered < out.pages:
                out.etag = out.last_modified = None
                out.unchanged = False
                log.info("source %s: %d of %d pages not answered before the crawl ended (%s); "
                         "its feed is read in full next time", out.name, out.pages - out.answered, out.pages, reason)

    def _past_deadline(self) -> bool:
        return self.deadline is not None and time.monotonic() >= self.deadline

    def _bind_pool(self) -> None:
        """The caller's worker processes for the page work (``crawler.workers``, started by crawl.py
        while Scrapy was set up) settle their results on the reactor from now on."""
        from twisted.internet import reactor

        if self.pool is not None:
            self.pool.bind(reactor.callFromThread, later=lambda fn: reactor.callLater(0, fn))

    async def start(self):
        self._bind_pool()
        for src in self.sources:
            state = self.store.source_state(src.name) or {}
            headers = {}
            if state.get("etag"):
                headers["If-None-Match"] = state["etag"]
            if state.get("last_modified"):
                headers["If-Modified-Since"] = state["last_modified"]
            yield scrapy.Request(
                src.url, callback=self.parse_source, errback=self.source_failed, headers=headers,
                dont_filter=True, priority=10,
                meta={"source": src, "top": True, "depth_sm": 0, "handle_httpstatus_list": [304]})

    # -- sources ----------------------------------------------------------------
    def _fail(self, src: Source, message: str) -> None:
        out = self.outcomes[src.name]
        if out.ok is not True:
            out.ok, out.error = False, message
        log.warning("source %s failed: %s", src.name, message)

    def source_failed(self, failure):
        src: Source = failure.request.meta["source"]
        out = self.outcomes[src.name]
        if not failure.request.meta.get("top"):
            out.pending -= 1
            if isinstance(failure.value, PolicyRefused):
                out.skip(f"child sitemap {failure.value.reason}")
            if out.ok is None and out.pending <= 0:
                self._fail(src, "child sitemap failed: " + describe_failure(failure))
            return
        self._fail(src, describe_failure(failure))

    async def _parse_body(self, fn, *args):
        """Run a feed/sitemap parser: in a worker process when there are workers (``FeedError`` comes
        back as such; a body that kills the worker, or the time limit, raises ``FeedError`` too), else
        here, big bodies in a worker thread (the reactor keeps downloading)."""
        if self.pool is not None:
            try:
                result = await self._in_pool(netpolicy.registrable_domain(args[1]) or host_of(args[1]), fn, *args)
            except WorkerCrashed:
                raise FeedError("the feed crashed the parser (worker process died on it twice)") from None
            if result is None:
                raise FeedError("crawl time limit reached before the feed was parsed")
            return result
        if len(args[0]) <= THREAD_PARSE_BYTES:
            return fn(*args)
        from scrapy.utils.defer import maybe_deferred_to_future
        from twisted.internet.threads import deferToThread

        return await maybe_deferred_to_future(deferToThread(fn, *args))

    async def parse_source(self, response):
        src: Source = response.meta["source"]
        out = self.outcomes[src.name]
        top = response.meta.get("top")
        depth = response.meta.get("depth_sm", 0)
        if not top:
            out.pending -= 1
        if top:  # summary-only articles of this source whose page failed transiently: try again
            for req in self._refetches(src):
                yield req
        if response.status == 304:
            out.ok, out.unchanged = True, True
            return
        if top:
            out.etag = _header(response, "ETag")
            out.last_modified = _header(response, "Last-Modified")
        try:
            if src.type == "rss":
                entries = await self._parse_body(parse_feed, response.body, response.url, src.aggregator)
            elif src.type == "sitemap":
                children, entries = await self._parse_body(parse_sitemap, response.body, response.url)
                if getattr(entries, "skipped", None):
                    out.skip(entries.skipped[0], len(entries.skipped))
                if children:
                    for req in self._child_sitemaps(src, out, children, depth):
                        yield req
                    if out.ok is None and out.pending <= 0:
                        self._fail(src, f"no article sitemap within {MAX_SITEMAP_DEPTH} levels of the sitemap index"
                                        f" (or {MAX_CHILD_SITEMAPS} child sitemaps)")
                    return
            else:
                entries = parse_listing(decode_html(response.body, _header(response, "Content-Type")),
                                        response.url, src.link_selector)
        except FeedError as exc:
            if top or out.pending <= 0:
                self._fail(src, str(exc))
            return
        out.ok = True
        out.error = None
        if src.type != "sitemap" and getattr(entries, "skipped", None):
            out.skip(entries.skipped[0], len(entries.skipped))
        usable = Entries()
        for entry in entries:
            reason = netpolicy.check_url(entry.url, src.url, lookup=False)  # DNS: FetchPolicyMiddleware
            if reason:
                out.skip(f"{reason}: {entry.url[:80]!r}")
                continue
            usable.append(entry)
        out.entries += len(usable)
        entries = usable[: self.max_items]
        keys = [k for e in entries for k in (e.url, e.guid, *e.aliases)]
        known = self.store.known_urls(keys)
        for entry in entries:
            ids = [k for k in (entry.url, entry.guid, *entry.aliases) if k]
            if known.intersection(ids):
                existing = self.store.article_id_for(ids)
                if existing is not None:
                    self.store.add_aliases(existing, ids)
                continue
            req = self._request(entry.url, self.parse_article, self.article_failed, {"source": src, "entry": entry})
            if req is None:
                out.skip(f"unusable link: {entry.url[:80]!r}")
                continue
            self.pages_requested += 1
            out.pages += 1
            yield req

    def _child_sitemaps(self, src: Source, out: SourceOutcome, children: list[str], depth: int):
        if depth >= MAX_SITEMAP_DEPTH:
            out.skip(f"sitemap index nested deeper than {MAX_SITEMAP_DEPTH} levels: not followed", len(children))
            return
        for child in children:
            if child in out.seen_sitemaps:
                continue
            if out.sitemaps >= MAX_CHILD_SITEMAPS:
                out.skip(f"more than {MAX_CHILD_SITEMAPS} child sitemaps: older ones not followed")
                continue
            req = self._request(child, self.parse_source, self.source_failed,
                                {"source": src, "top": False, "depth_sm": depth + 1}, priority=9)
            if req is None:
                out.skip(f"unusable sitemap link: {child[:80]!r}")
                continue
            out.seen_sitemaps.add(child)
            out.sitemaps += 1
            out.pending += 1
            yield req

    @staticmethod
    def _request(url, callback, errback, meta, priority: int = 0):
        try:
            return scrapy.Request(url, callback=callback, errback=errback, meta=meta, priority=priority)
        except (ValueError, TypeError):
            return None

    def _refetches(self, src: Source):
        """Requests for this source's summary-only articles still worth a try (newest first, bounded)."""
        try:
            rows = self.store.db.execute(
                "SELECT id, url, guid, title, summary FROM articles WHERE source = ? AND refetch = 1 "
                "AND fetch_attempts < ? ORDER BY id DESC LIMIT ?",
                [src.name, MAX_FETCH_ATTEMPTS, self.max_items]).fetchall()
        except Exception:  # an older schema: no retries
            return
        for article_id, url, guid, title, summary in rows:
            entry = Entry(url=url, title=title or "", summary=summary or "", guid=guid)
            req = self._request(url, self.parse_article, self.article_failed,
                                {"source": src, "entry": entry, "refetch_id": article_id})
            if req is not None and netpolicy.check_url(url, src.url, lookup=False) is None:
                yield req

    # -- articles -----------------------------------------------------------------
    async def parse_article(self, response):
        src: Source = response.meta["source"]
        entry: Entry = response.meta["entry"]
        refetch_id = response.meta.get("refetch_id")
        if refetch_id is None:
            self.outcomes[src.name].answered += 1
        final_url = canonical_url(response.url)
        aliases = [entry.url, entry.guid, *entry.aliases]
        if final_url != entry.url:
            aliases.append(final_url)
        redirected = bool(response.meta.get("redirect_urls"))
        if src.aggregator and not redirected and host_of(final_url) == host_of(src.url):
            # the aggregator did not redirect (e.g. a JS interstitial): keep its link, name the publisher
            yield self._item(src, entry, entry.url, aliases, None, error="aggregator link did not resolve",
                             refetch_id=refetch_id)
            return
        ctype = _header(response, "Content-Type")
        binary = binary_reason(response.body, ctype)
        if binary:
            yield self._item(src, entry, final_url, aliases, None, error=binary, refetch_id=refetch_id)
            return
        verdict = None
        try:
            if self.pool is not None:
                ext, verdict = await self._page(response.body, ctype, response.url, (src.name,),
                                                (entry.title, entry.content or entry.summary or "", entry.summary or None))
            else:
                ext = await self._extract(decode_html(response.body, ctype), response.url, (src.name,))
        except Exception as exc:  # a page must never crash the crawl
            yield self._item(src, entry, final_url, aliases, None, error=f"extraction failed: {exc}"[:200],
                             refetch_id=refetch_id)
            return
        if ext is None:
            yield self._item(src, entry, final_url, aliases, None, refetch_id=refetch_id, transient=True,
                             error="crawl time limit reached before the page was extracted")
            return
        if ext.next_pages:  # multi-page article (extraction's part: crawler.extract.next_page_urls/join_pages)
            await self._follow_pages(ext, response)
        url = ext.canonical if await self._canonical_ok(ext.canonical, final_url, src) else final_url
        if url != final_url:
            aliases.append(final_url)
        item = self._item(src, entry, url, aliases, ext, refetch_id=refetch_id)
        if verdict is not None and not ext.next_pages:
            item["verdict"] = verdict  # used by the pipeline only if it fits the record (Classified.fits)
        yield item

    # --- multi-page articles: begin (owned by the extraction work; keep this block self-contained) ---
    async def _follow_pages(self, ext, response) -> None:
        """Fetch the single-page form or pages 2… (at most ``extract.MAX_PAGES`` in all, same host only)
        and put the joined text in ``ext.text``. A page that fails is skipped; page 1 is never lost."""
        from .extract import MAX_PAGES, join_pages

        texts, single = [], False
        for next_url in ext.next_pages[: MAX_PAGES - 1]:
            if host_of(next_url) != host_of(response.url) or self._past_deadline():
                break
            try:
                more = await self.crawler.engine.download_async(
                    scrapy.Request(next_url, dont_filter=True, meta={"page_of": response.url}))
            except Exception as exc:  # a later page that cannot be fetched leaves what we have
                log.info("page %s of %s not fetched: %s", next_url, response.url, exc)
                break
            ctype = _header(more, "Content-Type")
            if more.status != 200 or binary_reason(more.body, ctype):
                break
            try:
                if self.pool is not None:
                    page, _ = await self._page(more.body, ctype, more.url)
                else:
                    page = await self._extract(decode_html(more.body, ctype), more.url)
            except Exception:  # a page must never crash the crawl
                page = None
            if page is None or not page.text:
                break
            texts.append(page.text)
            single = single or len(ext.next_pages) == 1 and "page=2" not in next_url
        if texts:
            ext.text = join_pages(ext.text, texts, single_page=single)
    # --- multi-page articles: end ---

    @staticmethod
    async def _canonical_ok(canonical, page_url: str, src: Source) -> bool:
        """``accept_canonical``; a DNS lookup it needs (a host not seen yet) runs off the reactor thread."""
        host = host_of(canonical) if canonical else ""
        if host and not _is_ip(host) and not netpolicy.is_cached(host) and netpolicy.is_http_url(canonical):
            from scrapy.utils.defer import maybe_deferred_to_future
            from twisted.internet.threads import deferToThread

            await maybe_deferred_to_future(deferToThread(netpolicy.host_is_internal, host))  # fills the cache
        return accept_canonical(canonical, page_url, src)

    async def _page(self, body: bytes, ctype: str | None, url: str, site_names: tuple[str, ...] = (),
                    entry: tuple | None = None):
        """``workers.page_job`` in the page's worker process: (Extracted or None, Classified or None).

        None (and no verdict) after the crawl's time limit, also for a page still waiting in a
        worker then; a page the extractor fails on, or that crashes its worker, raises."""
        if self._past_deadline():
            return None, None
        key = netpolicy.registrable_domain(url) or host_of(url)
        if entry is not None and self.pool.backlog(key) >= CLASSIFY_BACKLOG:
            entry = None  # the worker is behind: this page is classified here, by the pipeline
        self.pool_pages += 1
        result = await self._in_pool(key, page_job, body, ctype, url, site_names, self.deadline, entry)
        if result is None:
            return None, None
        if isinstance(result, PageFailed):
            raise RuntimeError(result.message)
        return result

    async def _in_pool(self, key: str, fn, *args):
        """``fn(*args)`` in key's worker process, awaited on the reactor (which keeps fetching);
        None when the crawl's time limit comes first. The function's exception is raised here."""
        from scrapy.utils.defer import maybe_deferred_to_future
        from twisted.internet import reactor
        from twisted.internet.defer import Deferred

        if self._past_deadline():
            return None
        d = Deferred()
        fut = self.pool.submit(key, fn, *args)
        waiting = self._pool_waiting
        waiting.add(d)

        def settle(f) -> None:  # in the reactor thread (PagePool's call_soon)
            waiting.discard(d)
            if d.called:  # cut by the time limit
                return
            exc = f.exception()
            if exc is not None:
                d.errback(exc)
            else:
                d.callback(f.result())

        if self.deadline is not None and self._pool_cut is None:  # one timer for all: the time limit
            self._pool_cut = reactor.callLater(max(0.0, self.deadline - time.monotonic()), self._cut_pool)
        fut.add_done_callback(settle)
        return await maybe_deferred_to_future(d)

    def _cut_pool(self) -> None:
        """The time limit: work still waiting in the workers is given up (the summary is stored)."""
        waiting, self._pool_waiting = self._pool_waiting, set()
        for d in waiting:
            if not d.called:
                d.callback(None)

    async def _extract(self, html: str, url: str, site_names: tuple[str, ...] = ()):
        """``extract``: small pages here, big ones (and any page while the thread is busy) in the worker thread
        (EXTRACT_THREADS); None after the time limit."""
        sem = self._extract_sem
        if len(html) < 100_000 and (sem is None or sem.tokens == sem.limit):  # no thread holds the extractor
            return extract(html, url, site_names) if not self._past_deadline() else None
        from scrapy.utils.defer import maybe_deferred_to_future
        from twisted.internet.defer import DeferredSemaphore
        from twisted.internet.threads import deferToThread

        if self._extract_sem is None:
            self._extract_sem = DeferredSemaphore(EXTRACT_THREADS)
        await maybe_deferred_to_future(self._extract_sem.acquire())
        try:
            if self._past_deadline():
                return None
            return await maybe_deferred_to_future(
                deferToThread(lambda: extract(_trim_html(html), url, site_names)))
        finally:
            self._extract_sem.release()

    def article_failed(self, failure):
        src: Source = failure.request.meta["source"]
        entry: Entry = failure.request.meta["entry"]
        refetch_id = failure.request.meta.get("refetch_id")
        if refetch_id is None:
            self.outcomes[src.name].answered += 1
        exc = failure.value
        if isinstance(exc, PolicyRefused) and exc.url == failure.request.url and \
                not failure.request.meta.get("redirect_urls"):
            # the entry's own link is refused (e.g. a name resolving to an internal address): skip it
            self.outcomes[src.name].skip(f"{exc.reason}: {entry.url[:80]!r}")
            return None
        return self._item(src, entry, entry.url, [entry.guid, *entry.aliases], None,
                          error=describe_failure(failure), refetch_id=refetch_id, transient=_is_transient(exc))

    def _item(self, src: Source, entry: Entry, url: str, aliases, ext, error: str | None = None,
              refetch_id: int | None = None, transient: bool = False):
        fallback = entry.content or entry.summary or ""
        text, ext_text = article_text(ext, fallback)
        if ext and not ext_text and not error:
            error = "no article text found on the page"
        title = (ext.title if ext and ext.title else "") or entry.title
        if src.aggregator:
            outlet = entry.publisher or src.name
        else:
            outlet = src.name
        extracted = 1 if ext is not None and text == ext_text and text else 0
        return {
            "source": src,
            "aliases": [a for a in aliases if a and a != url and netpolicy.is_http_url(a) or
                        (a and a.startswith("guid:"))],
            "refetch_id": refetch_id,
            "record": {
                "url": url,
                "guid": entry.guid,
                "title": title or url,
                "text": text,
                "summary": entry.summary or None,
                "source": src.name,
                "outlet": outlet,
                "author": (ext.author if ext and ext.author else None) or entry.author,
                "language": (ext.language if ext else None) or src.language,
                "published": (ext.published if ext and ext.published else None) or entry.published,
                "fetched": now_iso(),
                "extracted": extracted,
                "extract_error": error,
                "content_hash": hashlib.sha1(" ".join(text.split()).encode()).hexdigest() if text else None,
                "refetch": 1 if (transient and not extracted) else 0,
            },
        }


def _netloc(url: str) -> str:
    from urllib.parse import urlsplit

    try:
        return urlsplit(url).netloc.lower()
    except ValueError:
        return ""


def _header(response, name: str) -> str | None:
    value = response.headers.get(name)
    if value is None:
        return None
    return value.decode("latin-1", "replace") if isinstance(value, bytes) else str(value)


def _verdict(item: dict, record: dict, spider) -> dict:
    """The verdict columns for ``record``: the one a worker computed next to the extraction when it
    is for exactly this title, text and summary (``workers.Classified``), else the spider's classifier."""
    pre = item.get("verdict")
    if isinstance(pre, Classified) and pre.fits(record):
        spider.pool_verdicts += 1
        return dict(pre.columns, classified_at=now_iso())
    return spider.classify_fn(record["title"], record["text"], record.get("summary"))


class StorePipeline:
    """Classify and store every item (in the crawl process: one writer).

    Items are written in batches (issue 15: a commit per article cost ~1 ms of the crawl's
    time): one ``BEGIN IMMEDIATE`` transaction holds at most ``BATCH_ITEMS`` items and is
    committed when full, when it is ``BATCH_SECONDS`` old (a timer commits an idle one, so the
    write lock is never held longer than that plus one item) and when the spider closes. Each
    item is written inside its own savepoint: an item that fails leaves nothing behind, as a
    transaction of its own did. A failed commit is a storage failure like a failed item."""

    def process_item(self, item, spider=None):
        spider = spider or self.spider
        store = spider.store
        if not store.conn.in_transaction:
            store.conn.execute("BEGIN IMMEDIATE")
            self._batch_started, self._batch_items = time.monotonic(), 0
        store.conn.execute("SAVEPOINT pantau_item")
        try:
            result = self._store_item(item, spider)
            store.conn.execute("RELEASE pantau_item")
        except BaseException:
            if store.conn.in_transaction:  # SQLite may have rolled back already (disk full)
                try:
                    store.conn.execute("ROLLBACK TO pantau_item")
                    store.conn.execute("RELEASE pantau_item")
                except sqlite3.Error:
                    pass
            raise
        self._batch_items += 1
        if self._batch_items >= BATCH_ITEMS or time.monotonic() - self._batch_started >= BATCH_SECONDS:
            self.commit(store)
        return result

    @staticmethod
    def commit(store: Store) -> None:
        """Commit the open batch (a failed commit rolls it back and raises)."""
        if not store.conn.in_transaction:
            return
        try:
            store.conn.execute("COMMIT")
        except BaseException:
            rollback_quietly(store.conn)
            raise

    def _commit_or_report(self) -> None:
        """Commit outside ``process_item`` (timer, spider closed); a failure is reported as an item error."""
        spider = self.spider
        if spider is None:
            return
        try:
            self.commit(spider.store)
        except (sqlite3.Error, OSError) as exc:
            from twisted.python.failure import Failure

            self.crawler.signals.send_catch_log(scrapy.signals.item_error, item=None, response=None,
                                                spider=spider, failure=Failure(exc))

    def _tick(self) -> None:
        spider = self.spider
        if spider is not None and spider.store.conn.in_transaction and \
                time.monotonic() - self._batch_started >= BATCH_SECONDS:
            self._commit_or_report()

    def close_spider(self, spider=None) -> None:
        if self._timer is not None and self._timer.running:
            self._timer.stop()
        self._commit_or_report()

    def _store_item(self, item, spider):
        record = item["record"]
        out = spider.outcomes[item["source"].name]
        if not netpolicy.is_http_url(record["url"]):  # belt and braces: never store another scheme
            out.skip(f"not an http(s) URL: {record['url'][:80]!r}")
            return {"id": None, "created": False}
        if item.get("refetch_id"):
            return self._refetched(spider, out, item, record)
        if spider.classify_fn is not None:
            record.update(_verdict(item, record, spider))
        article_id, created = spider.store.insert_article(record, item["aliases"])
        if created:
            out.new += 1
            out.new_ids.append(article_id)
            if record.get("match"):
                out.flagged += 1
                from .stories import assign_story

                assign_story(spider.store, article_id)
        return {"id": article_id, "created": created}

    @staticmethod
    def _refetched(spider, out: SourceOutcome, item: dict, record: dict) -> dict:
        """A summary-only article fetched again: keep trying (bounded) or take the text and re-classify."""
        article_id, aliases = item["refetch_id"], item["aliases"]
        store = spider.store
        if not record["extracted"]:
            with store.write():
                store.db.execute(
                    "UPDATE articles SET fetch_attempts = fetch_attempts + 1, extract_error = ?, "
                    "refetch = CASE WHEN ? AND fetch_attempts + 1 < ? THEN 1 ELSE 0 END WHERE id = ?",
                    [record["extract_error"], record["refetch"], MAX_FETCH_ATTEMPTS, article_id])
            return {"id": article_id, "created": False}
        cols = {"text": record["text"], "title": record["title"], "extracted": 1, "extract_error": None,
                "content_hash": record["content_hash"], "refetch": 0}
        if spider.classify_fn is not None:
            cols.update(_verdict(item, record, spider))
        for key in ("reasons", "companies"):
            if isinstance(cols.get(key), (list, tuple)):
                import json

                cols[key] = json.dumps(list(cols[key]), ensure_ascii=False)
        was = store.db.execute("SELECT match FROM articles WHERE id = ?", [article_id]).fetchone()
        with store.write():
            store.db.execute(
                f"UPDATE articles SET {', '.join(f'{k} = ?' for k in cols)}, fetch_attempts = fetch_attempts + 1, "
                "author = COALESCE(author, ?), published = COALESCE(published, ?) WHERE id = ?",
                [*cols.values(), record.get("author"), record.get("published"), article_id])
            store.add_aliases(article_id, [record["url"], *aliases])
        out.refetched += 1
        if cols.get("match") and was is not None and not was[0]:
            from .stories import assign_story

            assign_story(store, article_id)
            out.new_ids.append(article_id)
        return {"id": article_id, "created": False}

    @classmethod
    def from_crawler(cls, crawler):
        obj = cls()
        obj.spider = None
        obj.crawler = crawler
        obj._timer = None
        obj._batch_started, obj._batch_items = time.monotonic(), 0
        crawler.signals.connect(obj._opened, signal=scrapy.signals.spider_opened)
        return obj

    def _opened(self, spider):
        from twisted.internet.task import LoopingCall

        self.spider = spider
        self._timer = LoopingCall(self._tick)
        self._timer.start(BATCH_SECONDS / 2, now=False)
