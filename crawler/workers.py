"""Page work off the crawl's main process: extraction and classification in worker processes.

The crawl's main process fetches (Scrapy, Twisted), parses feeds and stores; a page's
extraction and its classification are pure functions of its bytes, URL and feed entry, so
they can run on another CPU core while the reactor keeps fetching (issue 15).

Rules:
- ``PANTAU_CRAWL_WORKERS`` (``crawler/config.py``): ``auto`` (default) = ``cpu_count - 1``
  worker processes when the machine has more than one CPU, none on one CPU; ``0`` = all page
  work in the crawl process (as before); ``N`` = N workers (at most ``MAX_WORKERS``).
- Same results as in the crawl process: a worker runs the same functions on the same input
  (``page_job``: decode, trim a big page, ``extract``, choose the stored text as the spider
  does, ``classify_columns``) with the same classifier model (the crawl process's model object
  is handed to each worker when it starts). A verdict computed in a worker is used only for
  exactly the title, text and summary it was computed for (``Classified.fits``); a multi-page
  article, whose text changes after extraction, is classified by the pipeline as before.
- The extractor learns a site's title suffix from its earlier pages in the same process
  (``extract._SiteParts``). So every page of one registrable domain goes to the same worker,
  and each worker takes its pages in the order they were submitted (one process per worker,
  first in, first out): each site's pages are seen in the same order as in the crawl process.
- Workers are fresh interpreters (``multiprocessing`` 'spawn' context: never a fork of the
  crawl process, which runs Twisted's threads and holds the database). A worker imports this
  module (lxml, trafilatura, the classifier) and boots in about a second, while the crawl
  fetches its feeds; it never imports Scrapy or Twisted.
- A worker classifies a page only while fewer than ``CLASSIFY_BACKLOG`` pages wait in it: when
  it falls behind, the pipeline classifies in the crawl process (the same function and model), so
  both cores stay busy whichever side is slower. Where a verdict is computed never changes it.
  256 was chosen with ``bench/crawl.py --feeds 100 --articles 5000 --rounds 3`` on two cores
  (median wall ratio to bare Scrapy: 32 → 0.47, 64 → 0.52, 128 → 0.53, 256 → 0.57; every page
  in the worker 0.45-0.52): the crawl process, which also runs Scrapy, is the slower side.
- A worker that dies (killed, out of memory, a crash in C code) loses no page: the pages
  that were waiting in it are run again one at a time in a separate quarantine worker; a page
  that kills the quarantine worker too is the culprit and fails with ``WorkerCrashed`` (the
  spider stores it from its feed summary, ``extract_error`` says why). A new worker takes the
  other pages. A page's own exception is returned as ``PageFailed`` with the message the
  crawl process would have recorded.
- A worker busy on one piece of work (a page, or the pages batched in one message) for longer than
  ``PANTAU_PAGE_TIMEOUT`` seconds (default 60) is stopped (SIGKILL) by the pool's watchdog thread:
  a pathological page must not hold the crawl until its time limit. That is then handled as a
  crash: the pages that waited in it run again one at a time in the quarantine worker, each with
  the same limit, and a page that overruns it there alone fails with ``PageTimeout`` (a
  ``WorkerCrashed``: the spider stores it from its feed entry, ``extract_error`` says why). With
  ``PANTAU_CRAWL_WORKERS=0`` there is no worker to stop: only the crawl's time limit applies.
- A worker exits by itself within a second when the crawl process dies without closing the
  pool (killed); ``PagePool.close`` ends them otherwise.
- After a worker died, the pages re-run in the quarantine worker are extracted without what the
  dead worker had learned of their site's titles (the only difference a crash can make).
- Work submitted in one turn of the crawl's event loop goes to a worker as one message
  (``run_batch``: one pipe write and one wake-up instead of one per page); each item keeps its
  own result or exception, and after a crash each is re-run alone.
- ``PagePool`` is thread-agnostic: results are settled in the caller's thread through the
  ``call_soon`` it is given (Twisted's ``reactor.callFromThread`` in the crawl, an asyncio
  loop's ``call_soon_threadsafe`` in tests), never in the executor's own threads.
"""

from __future__ import annotations

import logging
import os
import time
import zlib
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Callable

from .extract import Extracted, decode_html, extract

log = logging.getLogger("pantau.crawl")

MAX_WORKERS = 32
CLASSIFY_BACKLOG = 256        # a page is classified in its worker only while fewer pages than this wait there
MAX_TEXT_CHARS = 200_000      # article text kept
MAX_EXTRACT_CHARS = 300_000   # HTML characters handed to the extractor (after scripts/styles are dropped)
BIG_PAGE_CHARS = 100_000      # pages at least this long are trimmed (``trim_html``) before extraction


# -- the page work itself (runs in a worker, or in the crawl process when there is no pool) -------

import re  # noqa: E402

_SCRIPT_STYLE = re.compile(r"<(script|style|noscript|svg)\b[^>]*>.*?</\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL)


def _drop_script(m: re.Match) -> str:
    head = m.group(0)[:300].lower()
    if "ld+json" in head and len(m.group(0)) < 100_000:
        return m.group(0)  # JSON-LD metadata (date, author) stays
    return " "


def trim_html(html: str) -> str:
    """Scripts (except JSON-LD), styles and comments out; then at most ``MAX_EXTRACT_CHARS`` characters."""
    if len(html) > MAX_EXTRACT_CHARS:
        html = _SCRIPT_STYLE.sub(_drop_script, html)
    return html[:MAX_EXTRACT_CHARS]


def extract_page(html: str, url: str, site_names: tuple[str, ...] = ()) -> Extracted:
    """``extract`` as the crawl calls it: a big page is trimmed first."""
    return extract(html if len(html) < BIG_PAGE_CHARS else trim_html(html), url, site_names)


def article_text(ext: Extracted | None, fallback: str) -> tuple[str, str]:
    """(text stored for the article, the extracted text as kept): the page's text unless it is
    missing or much shorter than the feed's own content/summary (``fallback``)."""
    ext_text = ext.text[:MAX_TEXT_CHARS] if ext else ""
    text = ext_text if ext and len(ext_text) >= max(80, len(fallback) // 3) else fallback
    return text, ext_text


def classify_columns(title: str, text: str, summary: str | None = None) -> dict:
    """The classifier verdict as article columns."""
    from .classify import classifier_version, classify
    from .store import now_iso

    v = classify(title or "", text or "", summary)
    return {"match": 1 if v.match else 0, "score": round(float(v.score), 4), "reasons": list(v.reasons),
            "companies": list(v.companies), "jobs_cut": v.jobs_cut, "percent": v.percent,
            "country": v.country, "attribution": v.attribution, "evidence": v.evidence,
            "rules_version": classifier_version(), "classified_at": now_iso()}


@dataclass
class Classified:
    """A verdict computed next to the extraction, valid only for these exact inputs."""

    title: str
    text: str
    summary: str | None
    columns: dict

    def fits(self, record: dict) -> bool:
        return record.get("title") == self.title and record.get("text") == self.text and \
            record.get("summary") == self.summary


@dataclass
class PageFailed:
    """The extractor raised on this page: ``message`` is ``str(exception)``."""

    message: str


class WorkerCrashed(Exception):
    """The page's worker process died on it, twice (the second time alone)."""


class PageTimeout(WorkerCrashed):
    """The page kept its worker busy past the page time limit, twice (the second time alone)."""


_CLASSIFY = False  # set in each worker by ``_init_worker``


def page_job(body: bytes, content_type: str | None, url: str, site_names: tuple[str, ...] = (),
             deadline: float | None = None, entry: tuple[str, str, str | None] | None = None):
    """One article page: None after the crawl's time limit (``deadline``, a ``time.monotonic``
    value: the clock is the machine's, the same in every process), ``PageFailed`` when the
    extractor raises, else ``(Extracted, Classified or None)``. ``entry`` = (feed title, feed
    content or summary, feed summary or None): with it, and when the worker classifies, the
    verdict is computed for the title and text the spider will store."""
    if deadline is not None and time.monotonic() >= deadline:
        return None
    started = time.process_time()
    try:
        return _page_job(body, content_type, url, site_names, entry)
    finally:
        _STATS[0] += 1
        _STATS[1] += time.process_time() - started


_STATS = [0, 0.0]  # pages done in this process, CPU seconds spent on them


def _page_job(body, content_type, url, site_names, entry):
    html = decode_html(body, content_type)
    try:
        ext = extract_page(html, url, site_names)
    except Exception as exc:  # a page must never crash the crawl: the spider records the message
        return PageFailed(str(exc))
    verdict = None
    if entry is not None and _CLASSIFY and not ext.next_pages:
        entry_title, fallback, summary = entry
        title = (ext.title or "") or entry_title
        if title:
            text, _ = article_text(ext, fallback)
            verdict = Classified(title, text, summary, classify_columns(title, text, summary))
    return ext, verdict


def run_batch(calls: list[tuple[Callable, tuple]]) -> list[tuple[bool, Any]]:
    """Several calls in one message: [(True, result) or (False, exception)] in order."""
    out = []
    for fn, args in calls:
        try:
            out.append((True, fn(*args)))
        except Exception as exc:  # one call's error is its own
            out.append((False, _portable(exc)))
    return out


def _portable(exc: Exception) -> Exception:
    """The exception itself when it survives pickling, else a RuntimeError with its message."""
    import pickle

    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")


def _init_worker(classify: bool, model: Any) -> None:
    """``model``: the crawl process's model object, or the path of its file (cheaper to hand over), or None."""
    global _CLASSIFY
    _CLASSIFY = classify
    _exit_with_parent()
    if classify:
        from .classify import model as M

        if isinstance(model, str):
            try:
                model = M.load(model)
            except Exception:  # the file changed since the crawl loaded it: the crawl process classifies
                _CLASSIFY = False
                return
        M.set_model(model)


def _exit_with_parent(every: float = 0.5) -> None:
    """A worker whose crawl process died (SIGKILL by the service after the time limit, the OOM
    killer) exits too instead of waiting forever for work (it holds its own queue's write end)."""
    import threading

    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(every)
            if os.getppid() != parent:
                os._exit(0)

    threading.Thread(target=watch, name="pantau-parent-watch", daemon=True).start()


def model_handle(model: Any) -> Any:
    """What ``_init_worker`` needs to use the same model as this process: its file's path when it
    is the file the default model path loads, else the object itself (a model set by a test)."""
    if model is None:
        return None
    from .classify import model as M

    try:
        if str(model.path) == str(M.model_path()) and model.path.exists():
            return str(model.path)
    except (AttributeError, OSError):
        pass
    return model


def _ping() -> int:
    return os.getpid()


def _stats() -> tuple[int, float, float]:
    """(pages done, CPU seconds on them, CPU seconds of this worker in all)."""
    import resource

    r = resource.getrusage(resource.RUSAGE_SELF)
    return _STATS[0], _STATS[1], r.ru_utime + r.ru_stime


# -- the pool ---------------------------------------------------------------------------------------

def start_pool(n: int, classify: bool, page_timeout: float | None = None) -> PagePool | None:
    """``n`` workers started now, before Scrapy is even imported, so that they are ready when
    the first pages arrive (they boot in about a second on another core); None for ``n`` = 0.
    ``classify``: the workers classify too, with this process's model."""
    if n <= 0:
        return None
    model = None
    if classify:
        from .classify import model as M

        model = model_handle(M.get_model())
    pool = PagePool(n, None, classify=classify, model=model, page_timeout=page_timeout)
    pool.start()
    return pool


def worker_count(setting: str | None, cpus: int | None = None) -> int:
    """Worker processes for ``PANTAU_CRAWL_WORKERS`` (``auto``, or a whole number ≥ 0)."""
    raw = (setting or "auto").strip().lower()
    cpus = cpus if cpus is not None else _cpus()
    if raw == "auto":
        return min(MAX_WORKERS, cpus - 1) if cpus > 1 else 0
    return min(MAX_WORKERS, int(float(raw)))


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _context():
    import multiprocessing

    return multiprocessing.get_context("spawn")


def _processes(ex: ProcessPoolExecutor | None) -> list:
    """The worker processes of ``ex`` (its private ``_processes`` map; none once it is shut down)."""
    return list((getattr(ex, "_processes", None) or {}).values())


def _relay(outer: Future, inner: Future) -> None:
    """outer gets inner's result or exception (inner is done)."""
    exc = inner.exception()
    if exc is not None:
        outer.set_exception(exc)
    else:
        outer.set_result(inner.result())


class PagePool:
    """``n`` single-process executors; a key (registrable domain) always goes to the same one."""

    def __init__(self, n: int, call_soon: Callable[..., Any] | None, classify: bool = False, model: Any = None,
                 later: Callable[[Callable[[], Any]], Any] | None = None, page_timeout: float | None = None):
        self.n = max(1, n)
        self.page_timeout = page_timeout  # seconds; None or 0 = no watchdog
        # what the watchdog reads: per worker, the units (a page or a batch) sent and not settled, and
        # since when the oldest of them runs (a worker takes its units first in, first out)
        self.units = [0] * self.n
        self.since = [0.0] * self.n
        self.q_since: float | None = None  # when the quarantined task started (None: idle)
        self.killed: set = set()  # executors the watchdog stopped
        self.up: set = set()  # executors whose worker has answered (booted)
        self.timeouts = 0
        self._watchdog = None
        self.call_soon = call_soon
        self.later = later  # runs a function in the caller's thread after its current work: batching
        self.batches: list[list] = [[] for _ in range(self.n)]
        self.sent = [0, 0]  # work items, batches sent
        self.initargs = (classify, model)
        self.ctx = _context()
        self.executors: list[ProcessPoolExecutor | None] = [None] * self.n
        self.quarantine: ProcessPoolExecutor | None = None
        self.waiting: deque = deque()  # (outer future, fn, args) to run alone after a crash
        self.busy = False  # a quarantined task is running
        self.crashes = 0
        self.closed = False
        self.pending = [0] * self.n  # tasks submitted to each worker and not settled yet

    def _new_executor(self, on_up: Callable[[ProcessPoolExecutor], None]) -> ProcessPoolExecutor:
        """A one-process executor; ``on_up(executor)`` runs (in the executor's thread) once its worker
        has booted: the page time limit counts from then (booting takes a second or more)."""
        ex = ProcessPoolExecutor(1, mp_context=self.ctx, initializer=_init_worker, initargs=self.initargs)
        ex.submit(_ping).add_done_callback(lambda _: on_up(ex))
        return ex

    def _executor(self, i: int) -> ProcessPoolExecutor:
        ex = self.executors[i]
        if ex is None:
            ex = self.executors[i] = self._new_executor(lambda ex: self._ready(i, ex))
        return ex

    def _ready(self, i: int, ex: ProcessPoolExecutor) -> None:  # in the executor's thread
        if self.executors[i] is ex:
            self.since[i] = max(self.since[i], time.monotonic())
        self.up.add(ex)

    def bind(self, call_soon: Callable[..., Any], later: Callable[[Callable[[], Any]], Any] | None = None) -> None:
        """Settle results through ``call_soon`` (and batch through ``later``) from now on: a pool
        started before the crawl's event loop existed is bound to it before any work is submitted."""
        self.call_soon, self.later = call_soon, later

    def start(self) -> None:
        """Start every worker now (they load while the crawl fetches its feeds)."""
        for i in range(self.n):
            self._executor(i)
        if self.page_timeout and self._watchdog is None:
            import threading

            self._watchdog = threading.Thread(target=self._watch, name="pantau-page-watchdog", daemon=True)
            self._watchdog.start()

    def _watch(self) -> None:
        """Every quarter second (in its own thread): stop a worker whose oldest unit has run past the
        page time limit. A unit that finished meanwhile costs only a re-run in quarantine."""
        limit = self.page_timeout
        while not self.closed:
            time.sleep(0.25)
            now = time.monotonic()
            for i in range(self.n):
                ex = self.executors[i]
                if ex is not None and self.units[i] and now - self.since[i] > limit and ex in self.up \
                        and ex not in self.killed:
                    self._kill(ex)
            q, since = self.quarantine, self.q_since
            if q is not None and since is not None and now - since > limit and q not in self.killed:
                self._kill(q)

    def _kill(self, ex: ProcessPoolExecutor) -> None:
        self.killed.add(ex)
        self.timeouts += 1
        log.warning("a page worker spent more than %g s on one page and was stopped", self.page_timeout)
        for p in _processes(ex):
            try:
                p.kill()
            except (OSError, ValueError, AttributeError):
                pass

    def _unit_sent(self, i: int) -> None:
        if not self.units[i]:
            self.since[i] = time.monotonic()
        self.units[i] += 1

    def _unit_done(self, i: int, ex: ProcessPoolExecutor) -> None:
        if self.executors[i] is not ex:  # a unit of a worker already replaced: the count was reset
            return
        self.units[i] = max(0, self.units[i] - 1)
        self.since[i] = time.monotonic()  # the next unit, if any, starts now

    def slot(self, key: str) -> int:
        return zlib.crc32(key.encode("utf-8", "replace")) % self.n

    def backlog(self, key: str) -> int:
        """Tasks waiting in (or running in) key's worker."""
        return self.pending[self.slot(key)]

    def submit(self, key: str, fn: Callable, *args) -> Future:
        """Run ``fn(*args)`` in key's worker; the returned future is settled in the caller's thread."""
        outer: Future = Future()
        i = self.slot(key)
        self.pending[i] += 1
        outer.add_done_callback(lambda _: self._done(i))
        if self.later is None:
            self._run(outer, i, fn, args)
            return outer
        batch = self.batches[i]
        batch.append((outer, fn, args))
        if len(batch) == 1:  # the work submitted in this turn of the caller's loop goes as one message
            self.later(lambda: self._flush(i))
        return outer

    def _done(self, i: int) -> None:
        self.pending[i] -= 1

    def _flush(self, i: int) -> None:
        batch, self.batches[i] = self.batches[i], []
        if self.closed:
            for outer, _, _ in batch:
                outer.set_exception(RuntimeError("the page workers were stopped"))
            return
        if not batch:
            return
        if len(batch) == 1:
            outer, fn, args = batch[0]
            self._run(outer, i, fn, args)
            return
        calls = [(fn, args) for _, fn, args in batch]
        ex, inner = self._submit(i, run_batch, calls)
        self.sent[0] += len(batch)
        self.sent[1] += 1
        inner.add_done_callback(lambda f: self.call_soon(self._settle_batch, batch, f, i, ex))

    def _settle_batch(self, batch: list, inner: Future, i: int, ex) -> None:
        self._unit_done(i, ex)
        exc = inner.exception()
        if isinstance(exc, BrokenProcessPool):  # each item is run again alone
            self._replace(i, ex)
            self.waiting.extend(batch)
            self._next_quarantined()
            return
        if exc is not None:
            for outer, _, _ in batch:
                outer.set_exception(exc)
            return
        for (outer, _, _), (ok, value) in zip(batch, inner.result()):
            if ok:
                outer.set_result(value)
            else:
                outer.set_exception(value)

    def _run(self, outer: Future, i: int, fn, args) -> None:
        self.sent[0] += 1
        self.sent[1] += 1
        ex, inner = self._submit(i, fn, *args)
        inner.add_done_callback(lambda f: self.call_soon(self._settle, outer, f, i, ex, fn, args))

    def _submit(self, i: int, fn, *args) -> tuple[ProcessPoolExecutor, Future]:
        """``fn(*args)`` submitted to worker i: (the executor that took it, its future). A worker that
        broke before we heard of it is replaced first; the executor returned is the one whose death
        the caller must watch for (not the broken one it replaced)."""
        ex = self._executor(i)
        try:
            inner = ex.submit(fn, *args)
        except BrokenProcessPool:
            self._replace(i, ex)
            ex = self._executor(i)
            inner = ex.submit(fn, *args)
        self._unit_sent(i)
        return ex, inner

    def _replace(self, i: int, broken: ProcessPoolExecutor) -> None:
        if self.executors[i] is broken:
            self.units[i] = 0  # every unit the broken worker held fails (each settles as a crash)
            self.crashes += 1
            log.warning("an extraction worker died; its waiting pages are run again one at a time")
            self.executors[i] = None
            broken.shutdown(wait=False, cancel_futures=True)

    def _settle(self, outer: Future, inner: Future, i: int, ex, fn, args) -> None:
        self._unit_done(i, ex)
        exc = inner.exception()
        if isinstance(exc, BrokenProcessPool):
            self._replace(i, ex)
            self.waiting.append((outer, fn, args))
            self._next_quarantined()
        else:
            _relay(outer, inner)

    def _next_quarantined(self) -> None:
        if self.busy or not self.waiting:
            return
        outer, fn, args = self.waiting.popleft()
        if self.quarantine is None:
            self.quarantine = self._new_executor(self._q_up)
        self.busy = True
        q = self.quarantine
        self.q_since = time.monotonic() if q in self.up else None  # else: from when it is up
        try:
            inner = q.submit(fn, *args)
        except BrokenProcessPool as exc:  # pragma: no cover - the quarantine is replaced after each crash
            inner = Future()
            inner.set_exception(exc)
            self._quarantine_done(outer, inner, q)
            return
        inner.add_done_callback(lambda f: self.call_soon(self._quarantine_done, outer, f, q))

    def _q_up(self, q: ProcessPoolExecutor) -> None:  # in the executor's thread
        self.up.add(q)
        if self.quarantine is q and self.busy and self.q_since is None:
            self.q_since = time.monotonic()

    def _quarantine_done(self, outer: Future, inner: Future, q) -> None:
        self.busy = False
        self.q_since = None
        exc = inner.exception()
        if isinstance(exc, BrokenProcessPool):  # it died again, alone: this page kills workers
            if self.quarantine is q:
                self.quarantine = None
                q.shutdown(wait=False, cancel_futures=True)
            if q in self.killed:
                outer.set_exception(PageTimeout(f"the page kept the extraction worker busy for more than "
                                                f"{self.page_timeout:g} s (worker stopped)"))
            else:
                outer.set_exception(WorkerCrashed("the page crashed the extraction worker"))
        else:
            _relay(outer, inner)
        self._next_quarantined()

    def pids(self) -> list[int]:
        """Process ids of the live workers (tests, diagnostics)."""
        out = []
        for ex in [*self.executors, self.quarantine]:
            out.extend(p.pid for p in _processes(ex) if p.is_alive())
        return out

    def stats(self) -> tuple[int, float, float]:
        """(pages, CPU seconds on pages, CPU seconds in all) summed over the live workers; waits at most
        a second for each (called when the crawl ends, when the workers are idle)."""
        total = [0, 0.0, 0.0]
        for ex in self.executors:
            if ex is None:
                continue
            try:
                got = ex.submit(_stats).result(timeout=1)
            except Exception:  # a dead or busy worker: not counted
                continue
            total = [a + b for a, b in zip(total, got)]
        return total[0], total[1], total[2]

    def close(self) -> None:
        """Stop the workers: pending work is cancelled, a worker still busy is terminated."""
        if self.closed:
            return
        self.closed = True
        for i in range(self.n):
            self._flush(i)
        for ex in [*self.executors, self.quarantine]:
            if ex is None:
                continue
            procs = _processes(ex)
            ex.shutdown(wait=False, cancel_futures=True)
            for p in procs:
                p.join(timeout=2)
                if p.is_alive():
                    p.terminate()
                    p.join(timeout=2)
