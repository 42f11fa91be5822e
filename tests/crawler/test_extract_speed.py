"""Extraction shortcuts (issue 15) change no result.

``crawler.extract._trafilatura_fast`` skips trafilatura's full run (its readability/justext
comparison) when the fast run proves the full run would return the same text. These tests hold the
proof against the real full run on every fixture page and on pages built to break it, so a
trafilatura upgrade that changes the rules the proof relies on fails here.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import lxml.html
import pytest

from crawler import extract as E

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PAGES = sorted(FIXTURES.rglob("*.html"))

WORDS = ("pemerintah mengumumkan kebijakan baru untuk pekerja digital di jakarta dan bandung "
         "setelah perusahaan teknologi melaporkan pertumbuhan layanan aplikasi").split()


def sentence(i: int, n: int = 16) -> str:
    words = [WORDS[(i * 7 + k * 3) % len(WORDS)] for k in range(n)]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def article(paras: int = 6, extra: str = "", article_class: str = "isi", words: int = 16) -> str:
    body = "".join(f"<p>{sentence(i, words)} {sentence(i + 1, words)}</p>" for i in range(paras))
    return (f'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>Judul uji</title></head><body>'
            f'<nav><a href="/">Beranda</a> <a href="/x">Ekonomi</a></nav>'
            f'<article class="{article_class}"><h1>Judul uji coba berita</h1>{body}</article>{extra}'
            f"<footer>Hak cipta 2025</footer></body></html>")


def _full(doc, url):
    return E._trafilatura(doc, url, precision=True)


@pytest.mark.parametrize("path", PAGES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_proof_matches_the_full_run_on_fixture_pages(path):
    html = path.read_text("utf-8", "replace")
    url = "http://127.0.0.1:8000/" + str(path.relative_to(FIXTURES))
    fast, proved = E._trafilatura_fast(lxml.html.document_fromstring(html), url)
    assert fast == E._trafilatura(lxml.html.document_fromstring(html), url, precision=True, fast=True)
    if proved is not None:
        assert proved == _full(lxml.html.document_fromstring(html), url)


def test_the_proof_holds_on_a_plain_article_and_saves_the_full_run(monkeypatch):
    html = article()
    fast, proved = E._trafilatura_fast(lxml.html.document_fromstring(html), "http://x.test/a.html")
    assert proved is not None and proved == _full(lxml.html.document_fromstring(html), "http://x.test/a.html")
    calls = []
    real = E._trafilatura
    monkeypatch.setattr(E, "_trafilatura", lambda *a, **k: calls.append(k) or real(*a, **k))
    assert sentence(0)[:40] in E.extract(html, "http://x.test/a.html").text
    assert calls == []  # no full run


@pytest.mark.parametrize("html", [
    # much more page text than article text: readability might find more
    article(extra="<section>" + "".join(f"<div>{sentence(i, 30)}</div>" for i in range(40)) + "</section>"),
    # a teaser block: the full run's last-resort recovery differs
    article(extra=f'<div class="teaser-box"><p>{sentence(3)}</p></div>'),
    # too short for the proof
    article(paras=1, words=6),
], ids=["long-page", "teaser", "short"])
def test_no_proof_where_the_full_run_could_differ(html):
    _, proved = E._trafilatura_fast(lxml.html.document_fromstring(html), "http://x.test/a.html")
    assert proved is None


@pytest.mark.parametrize("path", PAGES[:25], ids=lambda p: str(p.relative_to(FIXTURES)))
def test_extract_gives_the_same_result_with_and_without_the_shortcut(path, monkeypatch):
    html = path.read_text("utf-8", "replace")
    url = "http://127.0.0.1:8000/" + str(path.relative_to(FIXTURES))
    fast_path = dataclasses.asdict(E.extract(html, url))
    real = E._trafilatura_fast
    monkeypatch.setattr(E, "_trafilatura_fast", lambda *a, **k: (real(*a, **k)[0], None))
    assert dataclasses.asdict(E.extract(html, url)) == fast_path
