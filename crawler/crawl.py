"""One crawl pass: lock, pick due sources, run the spider, record health.

Rules:
- Only one crawl runs at a time per database (a file lock beside the DB). A
  second one says so and returns ``status="locked"``; it changes nothing.
- A source that failed ``n`` times in a row (n ≥ 2) is skipped until
  ``interval × 2^(n-2)`` minutes (at most 6 h) have passed; one success
  resets it. ``--source NAME`` ignores the back-off.
- Each source's outcome is written back: last success / last error and its
  time, consecutive failures, articles found, ETag/Last-Modified.
- A crawl killed at any point loses no alerts: each flagged article's alert
  decision is stamped with its alert rows (``crawler.outbox``), and every
  crawl queues the undecided ones at its start and its end. A crawl row left
  ``running`` by a dead process is marked ``killed`` by the next crawl (which
  holds the lock, so no other crawl can be running).
- A storage failure fails the crawl: the first article the pipeline cannot
  write (disk full, damaged file) stops the spider, the crawl row is marked
  ``error`` (when the disk still allows it) and ``pantau crawl`` exits 1 with
  one line naming the database. Scrapy never logs an item (``QuietLogFormatter``).
- Extraction and classification run in worker processes when
  ``PANTAU_CRAWL_WORKERS`` allows (``crawler/workers.py``); the stored rows
  are the same either way.
- Scrapy runs in this process, once: the service runs each crawl as a
  subprocess (``python -m crawler crawl``) because Twisted's reactor cannot
  be restarted.
"""

from __future__ import annotations

import fcntl
import logging
import os
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from .config import ConfigError, Settings
from .sources import Source, load_sources
from .store import DatabaseError, Store, db_error_message, now_iso
from .workers import classify_columns  # noqa: F401  (runs in the page workers too; imported from here by others)

log = logging.getLogger("pantau.crawl")

USER_AGENT = "PantauPHK/0.1 (+https://github.com/pantau-phk/pantau-phk; Indonesian news monitor; respects robots.txt)"
MAX_BACKOFF_MINUTES = 360


@dataclass
class CrawlResult:
    status: str = "ok"  # ok | locked | empty
    sources_ok: int = 0
    sources_failed: int = 0
    sources_skipped: int = 0
    new_articles: int = 0
    flagged: int = 0
    seconds: float = 0.0
    new_ids: list[int] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)

    def summary(self) -> str:
        if self.status == "locked":
            return "crawl: another crawl is already running; nothing done"
        if self.status == "interrupted":
            return (f"crawl interrupted: {self.sources_ok} sources ok, {self.sources_failed} failed, "
                    f"{self.sources_skipped} not finished; {self.new_articles} new articles "
                    f"({self.flagged} flagged) in {self.seconds:.1f} s")
        parts = f"crawl: {self.sources_ok} sources ok, {self.sources_failed} failed"
        if self.sources_skipped:
            parts += f", {self.sources_skipped} backing off"
        return parts + f"; {self.new_articles} new articles ({self.flagged} flagged) in {self.seconds:.1f} s"


class CrawlLocked(Exception):
    pass


def _quiet_formatter_base():
    from scrapy.logformatter import LogFormatter

    return LogFormatter


class QuietLogFormatter(_quiet_formatter_base()):
    """Scrapy's item errors and drops without the item: an article is never dumped into the log
    (``_run_spider`` reports a failed item in one line instead)."""

    def item_error(self, item, exception, response, spider=None):
        return {"level": logging.DEBUG, "msg": "item not processed", "args": {}}

    def dropped(self, item, exception, response, spider=None):
        return {"level": logging.DEBUG, "msg": "item dropped: %(exception)s", "args": {"exception": exception}}


@contextmanager
def crawl_lock(db_path: Path):
    """Exclusive, non-blocking file lock for one crawl on this database."""
    path = Path(str(db_path) + ".crawl.lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise CrawlLocked() from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        yield
    finally:
        os.close(fd)  # closing releases the lock


def is_crawl_running(db_path: Path) -> bool:
    try:
        with crawl_lock(db_path):
            return False
    except CrawlLocked:
        return True


def _due(state: dict | None, now: datetime) -> bool:
    if not state or not state.get("next_attempt_after"):
        return True
    try:
        return datetime.fromisoformat(state["next_attempt_after"]) <= now
    except ValueError:
        return True


def scrapy_settings(settings: Settings) -> dict:
    polite = (settings.get("PANTAU_POLITE") or "1") not in ("0", "false", "no", "off")
    timeout = min(20.0, max(1.0, settings.number("PANTAU_DOWNLOAD_TIMEOUT")))
    max_bytes = int(settings.number("PANTAU_MAX_PAGE_MB") * 1024 * 1024)
    level = (settings.get("PANTAU_LOG_LEVEL") or "INFO").upper()
    return {
        "USER_AGENT": USER_AGENT,
        "ROBOTSTXT_OBEY": True,
        "ROBOTSTXT_USER_AGENT": "PantauPHK",
        "AUTOTHROTTLE_ENABLED": polite,
        "AUTOTHROTTLE_START_DELAY": 0.5,
        "AUTOTHROTTLE_MAX_DELAY": 10.0,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": 2.0,
        "DOWNLOAD_DELAY": 0.25 if polite else 0,
        "CONCURRENT_REQUESTS": 16 if polite else 32,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 4 if polite else 16,
        # Scrapy starts this many worker tasks for *every* callback's output (default 100); ours
        # yield one item or a feed's requests, so 100 tasks per page were pure overhead (issue 15)
        "CONCURRENT_ITEMS": 4,
        "DOWNLOAD_TIMEOUT": timeout,
        "DNS_TIMEOUT": min(10, timeout),
        "DOWNLOAD_MAXSIZE": max_bytes,
        "DOWNLOAD_WARNSIZE": 0,
        "RETRY_ENABLED": True,
        "RETRY_TIMES": 1,
        "RETRY_HTTP_CODES": [500, 502, 503, 504, 522, 524, 408, 429],
        # a timeout is not retried: a silent server would otherwise hold a slot for 2 × the timeout
        "RETRY_EXCEPTIONS": ["scrapy.exceptions.DownloadFailedError", "scrapy.exceptions.ResponseDataLossError",
                             "twisted.internet.error.ConnectionDone", "twisted.internet.error.ConnectionLost",
                             "twisted.internet.error.ConnectError"],
        "REDIRECT_MAX_TIMES": 5,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "CLOSESPIDER_TIMEOUT": settings.number("PANTAU_CRAWL_TIMEOUT"),
        "LOG_LEVEL": "DEBUG" if level == "DEBUG" else "CRITICAL",
        "LOG_ENABLED": level == "DEBUG",
        "LOG_INSTALL_ROOT_HANDLER": False,
        "ITEM_PIPELINES": {"crawler.spider.StorePipeline": 100},
        "LOG_FORMATTER": "crawler.crawl.QuietLogFormatter",
        "DOWNLOADER_MIDDLEWARES": {"crawler.spider.FetchPolicyMiddleware": 40,  # before robots.txt and offsite
                                   "crawler.spider.DeadHostMiddleware": 560},
        # only http(s) is ever requested (netpolicy): no file:, data:, ftp:, s3: handlers at all
        "DOWNLOAD_HANDLERS": {"file": None, "data": None, "ftp": None, "s3": None},
        "DNS_RESOLVER": "crawler.spider.PolicyResolver",  # the fetch policy again at connect time
        "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
        "HTTPERROR_ALLOWED_CODES": [],
        "MEMUSAGE_ENABLED": False,
    }


def run_crawl(settings: Settings, only: str | None = None, force: bool = False, store: Store | None = None) -> CrawlResult:
    """Run one crawl pass (blocking). Raises ConfigError for a bad sources file."""
    sources = load_sources(settings.sources_path)
    if only:
        chosen = [s for s in sources if s.name.casefold() == only.casefold()]
        if not chosen:
            raise ConfigError(f"no source named {only!r} in {settings.sources_path}")
        force = True
    else:
        chosen = [s for s in sources if s.enabled]
    own_store = store is None
    store = store or Store.open(settings.db_path)
    try:
        with crawl_lock(settings.db_path):
            return _crawl_locked(settings, store, chosen, force)
    except CrawlLocked:
        return CrawlResult(status="locked")
    finally:
        if own_store:
            store.close()


def _crawl_locked(settings: Settings, store: Store, chosen: list[Source], force: bool) -> CrawlResult:
    started = time.monotonic()
    result = CrawlResult()
    store.sync_sources(chosen)
    now = datetime.now(timezone.utc)
    interval = settings.interval_minutes
    due: list[Source] = []
    for s in chosen:
        if force or _due(store.source_state(s.name), now):
            due.append(s)
        else:
            result.sources_skipped += 1
    with store.write():
        # we hold the crawl lock, so a row still 'running' belongs to a crawl whose process died
        store.db.execute("UPDATE crawls SET status = 'killed', finished = COALESCE(finished, ?), "
                         "error = COALESCE(error, 'the crawl process stopped before finishing (killed)') "
                         "WHERE status = 'running'", [now_iso()])
        crawl_id = store.db.execute("INSERT INTO crawls (started, status) VALUES (?, 'running')", [now_iso()]).lastrowid
    from .outbox import enqueue_undecided

    enqueue_undecided(store, settings)  # alerts of articles stored by a killed crawl
    outcomes, reason = {}, "finished"
    storage: list[BaseException] = []  # articles the pipeline could not write (disk full, damaged file)
    try:
        if due:
            outcomes, reason = _run_spider(settings, store, due, storage)
        if storage:
            raise DatabaseError(f"crawl failed, {len(storage)} article(s) not stored: "
                                f"{db_error_message(storage[0], store.path)}")
    except BaseException as exc:
        error = (f"{len(storage)} article(s) not stored: {storage[0]} (check free disk space and permissions)"
                 if storage else f"{type(exc).__name__}: {exc}")
        try:
            with store.write():
                store.db.execute("UPDATE crawls SET finished = ?, status = 'error', error = ?, seconds = ? "
                                 "WHERE id = ?", [now_iso(), error[:300], time.monotonic() - started, crawl_id])
        except sqlite3.Error:
            pass  # the disk is still full: the next crawl marks this row 'killed'
        raise
    interrupted = reason == "shutdown"  # SIGTERM/Ctrl-C: unanswered sources are not blamed
    _record_outcomes(store, due, outcomes, interval, result, blame_unanswered=not interrupted)
    enqueue_undecided(store, settings)  # this crawl's flagged articles (and any left undecided)
    result.seconds = time.monotonic() - started
    result.status = "interrupted" if interrupted else "ok"
    with store.write():
        store.db.execute(
            f"UPDATE crawls SET finished = ?, status = '{result.status}', sources_ok = ?, sources_failed = ?, sources_skipped = ?, "
            "new_articles = ?, flagged = ?, seconds = ? WHERE id = ?",
            [now_iso(), result.sources_ok, result.sources_failed, result.sources_skipped, result.new_articles,
             result.flagged, round(result.seconds, 2), crawl_id])
    return result


def _record_outcomes(store: Store, due: list[Source], outcomes: dict, interval: float, result: CrawlResult,
                     blame_unanswered: bool = True) -> None:
    now = datetime.now(timezone.utc)
    stamp = now.replace(microsecond=0).isoformat()
    with store.write():
        for s in due:
            out = outcomes.get(s.name)
            state = store.source_state(s.name) or {}
            if out is not None and out.ok:
                result.sources_ok += 1
                store.db.execute(
                    "UPDATE sources SET last_attempt = ?, last_success = ?, consecutive_failures = 0, "
                    "next_attempt_after = NULL, articles_found = articles_found + ?, last_new = ?, "
                    "skipped_entries = ?, skip_reason = ?, "
                    "etag = COALESCE(?, CASE WHEN ? THEN etag END), "
                    "last_modified = COALESCE(?, CASE WHEN ? THEN last_modified END) WHERE name = ?",
                    [stamp, stamp, out.new, out.new, out.skipped, out.skip_reason, out.etag, out.unchanged,
                     out.last_modified, out.unchanged, s.name])
            elif not blame_unanswered and (out is None or out.ok is None):
                result.sources_skipped += 1
            else:
                error = (out.error if out is not None and out.error else
                         "no answer before the crawl ended (crawl time limit)")
                result.sources_failed += 1
                result.failures[s.name] = error
                failures = int(state.get("consecutive_failures") or 0) + 1
                wait = None
                if failures >= 2:
                    minutes = min(MAX_BACKOFF_MINUTES, interval * 2 ** (failures - 2))
                    wait = (now + timedelta(minutes=minutes)).replace(microsecond=0).isoformat()
                store.db.execute(
                    "UPDATE sources SET last_attempt = ?, last_error = ?, last_error_at = ?, "
                    "consecutive_failures = ?, next_attempt_after = ?, last_new = ?, "
                    "skipped_entries = ?, skip_reason = ? WHERE name = ?",
                    [stamp, error, stamp, failures, wait, out.new if out else 0,
                     out.skipped if out else 0, out.skip_reason if out else None, s.name])
            if out is not None:
                result.new_articles += out.new
                result.flagged += out.flagged
                result.new_ids.extend(out.new_ids)


def _run_spider(settings: Settings, store: Store, due: list[Source], storage: list | None = None) -> dict:
    from .workers import start_pool, worker_count

    classify = _classifier()
    # the page workers boot (about a second, on another core) while Scrapy is imported and set up
    pool = start_pool(worker_count(settings.get("PANTAU_CRAWL_WORKERS")), classify is classify_columns,
                      page_timeout=settings.number("PANTAU_PAGE_TIMEOUT"))
    try:
        return _run_scrapy(settings, store, due, storage, classify, pool)
    finally:
        if pool is not None:
            pool.close()  # the spider closed it already, unless the crawl failed before that


def _run_scrapy(settings: Settings, store: Store, due: list[Source], storage: list | None, classify, pool) -> dict:
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess

    from .spider import NewsSpider

    import warnings

    warnings.filterwarnings("ignore", module="scrapy")
    process = CrawlerProcess(scrapy_settings(settings))
    crawler = process.create_crawler(NewsSpider)
    max_items = int(settings.number("PANTAU_MAX_ITEMS_PER_SOURCE"))
    process.crawl(crawler, sources=due, store=store, max_items=max_items, classify=classify,
                  time_limit=settings.number("PANTAU_CRAWL_TIMEOUT"), pool=pool)
    storage = storage if storage is not None else []

    def item_error(item, response, spider, failure):
        exc = failure.value
        if isinstance(exc, (sqlite3.Error, OSError)):  # a storage failure: nothing more can be stored
            storage.append(exc)
            if len(storage) == 1:  # reported once, by the caller, in one line
                from scrapy.utils.defer import deferred_from_coro

                deferred_from_coro(crawler.engine.close_spider_async(reason="storage_error"))
        else:  # a bug on one item: one line, never the item itself
            log.error("an article could not be processed: %s: %s", type(exc).__name__, str(exc)[:200])

    crawler.signals.connect(item_error, signal=signals.item_error)
    import gc

    # the libraries' objects (Scrapy, lxml, trafilatura, the classifier) live as long as the process:
    # the collector need not rescan them during the crawl, and a page's many short-lived objects
    # need not trigger a collection every 700 allocations (issue 15; restored afterwards)
    try:
        import trafilatura  # noqa: F401  (the extractor's library: loaded before the heap is frozen)
    except ImportError:
        pass
    thresholds = gc.get_threshold()
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)
    try:
        process.start(install_signal_handlers=True)
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
    if store.conn.in_transaction:  # the pipeline commits its last batch when the spider closes; never leave one open
        from .spider import StorePipeline

        try:
            StorePipeline.commit(store)
        except (sqlite3.Error, OSError) as exc:
            storage.append(exc)
    spider = crawler.spider
    reason = (crawler.stats.get_value("finish_reason") if crawler.stats else None) or "finished"
    return (spider.outcomes if spider is not None else {}), reason


def _classifier():
    try:
        from . import classify as _  # noqa: F401
    except ImportError:  # classifier not installed yet: store unclassified
        return None
    return classify_columns
