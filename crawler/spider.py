"""The Scrapy spider: sources → entries → article pages → stored, classified articles.

Rules:
- One request per enabled source, conditional (If-None-Match /
  If-Modified-Since from the ETag/Last-Modified stored for it); a 304 costs
  nothing more.
- Article pages are requested only for entries whose URL, aliases and GUID
  are not already stored, newest first, at most ``max_items`` per source.
- Aggregator links (Google News) are followed to the publisher; an article
  already stored under the publisher's URL is not stored again. A link that
  redirected counts as resolved even when the publisher page is on the same
  host. When the link does not redirect and stays on the aggregator's host,
  the link is kept and the publisher named from the title suffix.
- A page that cannot be fetched or extracted is stored from the feed's own
  content/summary (``extracted = 0``, ``extract_error`` says why).
- Every source ends the crawl with a recorded outcome: ok (with counts) or
  an error message; a host that timed out is not asked again in the same
  crawl (``DeadHostMiddleware``), so one dead site never stalls the rest.
"""

from __future__ import annotations

import hashlib
import logging
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

from .extract import decode_html, extract
from .feeds import Entry, FeedError, parse_feed, parse_listing, parse_sitemap
from .sources import Source
from .store import Store, now_iso
from .urls import canonical_url, host_of

log = logging.getLogger("pantau.crawl")

MAX_CHILD_SITEMAPS = 5


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


def _is_dead_host(exc) -> bool:
    return _is_timeout(exc) or isinstance(exc, (ConnectError, DNSLookupError, DownloadConnectionRefusedError)) or \
        "DNS" in type(exc).__name__


class DeadHostMiddleware:
    """Downloader middleware: after a timeout/connection failure, a host is not asked again this crawl."""

    def __init__(self):
        self.dead: dict[str, str] = {}

    @classmethod
    def from_crawler(cls, crawler):
        return cls()

    def process_request(self, request, spider=None):
        host = _netloc(request.url)
        if host in self.dead:
            raise IgnoreRequest(f"{self.dead[host]} (host skipped for the rest of this crawl)")
        return None

    def process_exception(self, request, exception, spider=None):
        if _is_dead_host(exception):
            host = _netloc(request.url)
            if host:
                self.dead.setdefault(host, "timeout: the server did not answer in time" if _is_timeout(exception)
                                     else "connection refused or failed")
        return None


class NewsSpider(scrapy.Spider):
    name = "pantau"

    def __init__(self, sources: list[Source], store: Store, max_items: int = 60, classify=None, **kw):
        super().__init__(**kw)
        self.sources = sources
        self.store = store
        self.max_items = max_items
        self.classify_fn = classify
        self.outcomes: dict[str, SourceOutcome] = {s.name: SourceOutcome(s.name) for s in sources}
        self.pages_requested = 0

    async def start(self):
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
                meta={"source": src, "top": True, "handle_httpstatus_list": [304]})

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
            if out.ok is None and out.pending <= 0:
                self._fail(src, "child sitemap failed: " + describe_failure(failure))
            return
        self._fail(src, describe_failure(failure))

    def parse_source(self, response):
        src: Source = response.meta["source"]
        out = self.outcomes[src.name]
        top = response.meta.get("top")
        if not top:
            out.pending -= 1
        if response.status == 304:
            out.ok, out.unchanged = True, True
            return
        if top:
            out.etag = _header(response, "ETag")
            out.last_modified = _header(response, "Last-Modified")
        try:
            if src.type == "rss":
                entries = parse_feed(response.body, response.url, aggregator=src.aggregator)
            elif src.type == "sitemap":
                children, entries = parse_sitemap(response.body, response.url)
                if children:
                    for child in children[:MAX_CHILD_SITEMAPS]:
                        out.pending += 1
                        yield scrapy.Request(child, callback=self.parse_source, errback=self.source_failed,
                                             meta={"source": src, "top": False}, priority=9)
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
        out.entries += len(entries)
        entries = entries[: self.max_items]
        keys = [k for e in entries for k in (e.url, e.guid, *e.aliases)]
        known = self.store.known_urls(keys)
        for entry in entries:
            ids = [k for k in (entry.url, entry.guid, *entry.aliases) if k]
            if known.intersection(ids):
                existing = self.store.article_id_for(ids)
                if existing is not None:
                    self.store.add_aliases(existing, ids)
                continue
            self.pages_requested += 1
            yield scrapy.Request(entry.url, callback=self.parse_article, errback=self.article_failed,
                                 meta={"source": src, "entry": entry})

    # -- articles -----------------------------------------------------------------
    def parse_article(self, response):
        src: Source = response.meta["source"]
        entry: Entry = response.meta["entry"]
        final_url = canonical_url(response.url)
        aliases = [entry.url, entry.guid, *entry.aliases]
        if final_url != entry.url:
            aliases.append(final_url)
        redirected = bool(response.meta.get("redirect_urls"))
        if src.aggregator and not redirected and host_of(final_url) == host_of(src.url):
            # the aggregator did not redirect (e.g. a JS interstitial): keep its link, name the publisher
            yield self._item(src, entry, entry.url, aliases, None, error="aggregator link did not resolve")
            return
        html = decode_html(response.body, _header(response, "Content-Type"))
        try:
            ext = extract(html, response.url)
        except Exception as exc:  # a page must never crash the crawl
            yield self._item(src, entry, final_url, aliases, None, error=f"extraction failed: {exc}"[:200])
            return
        url = ext.canonical if ext.canonical and host_of(ext.canonical) else final_url
        if url != final_url:
            aliases.append(final_url)
        yield self._item(src, entry, url, aliases, ext)

    def article_failed(self, failure):
        src: Source = failure.request.meta["source"]
        entry: Entry = failure.request.meta["entry"]
        return self._item(src, entry, entry.url, [entry.guid, *entry.aliases], None,
                          error=describe_failure(failure))

    def _item(self, src: Source, entry: Entry, url: str, aliases, ext, error: str | None = None):
        fallback = entry.content or entry.summary or ""
        text = ext.text if ext and len(ext.text) >= max(80, len(fallback) // 3) else fallback
        if ext and not ext.text and not error:
            error = "no article text found on the page"
        title = (ext.title if ext and ext.title else "") or entry.title
        return {
            "source": src,
            "aliases": [a for a in aliases if a and a != url],
            "record": {
                "url": url,
                "guid": entry.guid,
                "title": title or url,
                "text": text,
                "summary": entry.summary or None,
                "source": src.name,
                "outlet": entry.publisher or (ext.outlet if ext else None) or src.name,
                "author": (ext.author if ext and ext.author else None) or entry.author,
                "language": (ext.language if ext else None) or src.language,
                "published": (ext.published if ext and ext.published else None) or entry.published,
                "fetched": now_iso(),
                "extracted": 1 if ext is not None and text == ext.text and text else 0,
                "extract_error": error,
                "content_hash": hashlib.sha1(" ".join(text.split()).encode()).hexdigest() if text else None,
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


class StorePipeline:
    """Classify and store every item (in the crawl process: one writer)."""

    def process_item(self, item, spider=None):
        spider = spider or self.spider
        record = item["record"]
        if spider.classify_fn is not None:
            record.update(spider.classify_fn(record["title"], record["text"], record.get("summary")))
        article_id, created = spider.store.insert_article(record, item["aliases"])
        out = spider.outcomes[item["source"].name]
        if created:
            out.new += 1
            out.new_ids.append(article_id)
            if record.get("match"):
                out.flagged += 1
                from .stories import assign_story

                assign_story(spider.store, article_id)
        return {"id": article_id, "created": created}

    @classmethod
    def from_crawler(cls, crawler):
        obj = cls()
        obj.spider = None
        crawler.signals.connect(obj._opened, signal=scrapy.signals.spider_opened)
        return obj

    def _opened(self, spider):
        self.spider = spider
