"""Extraction is never run by two threads of one process at once.

trafilatura keeps process-wide state (its shared lxml parser, its cleaning trees): two threads
extracting at once can corrupt the heap and kill the crawl with SIGABRT/SIGSEGV (seen in CI:
"malloc_consolidate(): unaligned fastbin chunk detected" while the crawl process extracted two
big hostile pages in its threads; trafilatura issues #840 and #925 report the same). So
``crawler.extract.extract`` holds one lock for the whole of its work, and the spider without
worker processes extracts in one thread at most."""

from __future__ import annotations

import threading
import time

import pytest

from crawler import extract as extract_mod

ARTICLE = ("<html><head><title>Perusahaan Teknologi Pangkas Karyawan</title></head><body><article>" +
           "<p>Perusahaan teknologi itu memangkas ratusan karyawan layanan pelanggan dan menggantinya "
           "dengan agen kecerdasan buatan, kata juru bicaranya pada Senin.</p>" * 40 + "</article></body></html>")


@pytest.fixture
def probe(monkeypatch):
    """Wrap trafilatura's entry points: count how many threads are inside them at once."""
    import trafilatura
    import trafilatura.core

    state = {"inside": {}, "most": 0, "calls": 0}  # inside: thread id -> call depth (extract calls bare_extraction)
    lock = threading.Lock()

    def wrap(fn):
        def inner(*a, **kw):
            me = threading.get_ident()
            with lock:
                state["inside"][me] = state["inside"].get(me, 0) + 1
                state["calls"] += 1
                state["most"] = max(state["most"], len(state["inside"]))
            try:
                time.sleep(0.02)  # long enough that threads started together would overlap
                return fn(*a, **kw)
            finally:
                with lock:
                    state["inside"][me] -= 1
                    if not state["inside"][me]:
                        del state["inside"][me]
        return inner

    monkeypatch.setattr(trafilatura, "extract", wrap(trafilatura.extract))
    monkeypatch.setattr(trafilatura.core, "bare_extraction", wrap(trafilatura.core.bare_extraction))
    return state


def test_threads_never_extract_at_once(probe):
    results, errors = [], []
    start = threading.Barrier(4)

    def run(i):
        try:
            start.wait()
            for _ in range(3):
                results.append(extract_mod.extract(ARTICLE, f"https://uji.example/berita/{i}"))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert probe["calls"] >= 12  # trafilatura really ran for every page
    assert probe["most"] == 1  # one thread inside trafilatura at a time
    assert len(results) == 12 and all("agen kecerdasan buatan" in r.text for r in results)

