"""Extraction through a real crawl: the outlet fixture pages served by the local news server behind an RSS
feed, crawled with ``pantau crawl``; what is stored is what is checked (title, text, author, date), and
multi-page articles are fetched (single-page form or numbered pages, bounded) and joined."""

from __future__ import annotations

import html as htmllib
import json
import shutil
from pathlib import Path

import pytest

from crawler.extract import MAX_PAGES
from tests.crawler.conftest import db_rows, make_env, run_pantau, write_sources
from tests.fakes.news_server import NewsServer

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
EXPECTED = json.loads((PAGES / "expected.json").read_text(encoding="utf-8"))
EXTRA = "Halaman kedua berisi tanggapan pemerintah daerah dan rencana pelatihan ulang bagi para pekerja terdampak."
PAGE_TEXT = ["Paragraf halaman pertama menjelaskan bahwa perusahaan percetakan mengurangi operator mesin cetak.",
             "Paragraf halaman kedua memuat tanggapan serikat pekerja tentang besaran pesangon yang ditawarkan.",
             "Paragraf halaman ketiga berisi rencana dinas tenaga kerja untuk memediasi kedua belah pihak."]


def numbered_page(n: int, total: int) -> str:
    links = "".join(f'<a href="/multi/berita/9/judul?page={i}">{i}</a> ' for i in range(1, total + 1))
    filler = "Kalimat pengisi agar paragraf cukup panjang untuk dianggap isi berita oleh ekstraktor."
    body = PAGE_TEXT[n - 1] if n <= len(PAGE_TEXT) else f"Paragraf halaman ke-{n} dari artikel yang panjang."
    return f"""<html lang="id"><head><title>Percetakan Kurangi Operator Mesin Cetak</title>
    <meta property="og:title" content="Percetakan Kurangi Operator Mesin Cetak"></head><body>
    <article><h1>Percetakan Kurangi Operator Mesin Cetak</h1><p>{body} {filler}</p><p>{filler} {filler}</p>
    <div class="pagination">{links}</div></article></body></html>"""


def feed(items: list[tuple[str, str]]) -> str:
    entries = "".join(f"<item><title>{htmllib.escape(t)}</title><link>{{{{BASE}}}}{path}</link>"
                      f"<guid isPermaLink=\"false\">{htmllib.escape(t)}</guid></item>" for t, path in items)
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Uji</title>'
            "<link>{{BASE}}/</link><description>x</description>" + entries + "</channel></rss>")


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("extract-crawl")
    site = tmp / "site"
    (site / "p").mkdir(parents=True)
    for name in EXPECTED:
        shutil.copyfile(PAGES / f"{name}.html", site / "p" / f"{name}.html")
    items = [(name, f"/p/{name}.html") for name in EXPECTED]
    items += [("multi", "/multi/berita/9/judul"), ("long", "/long/berita/9/judul")]
    (site / "rss.xml").write_text(feed(items), encoding="utf-8")
    with NewsServer(root=site) as srv:
        # kompas's single-page form holds one more paragraph than page 1
        single = (PAGES / "kompas.html").read_text(encoding="utf-8").replace(
            "<p>Dapatkan update", f"<p>{EXTRA}</p><p>Dapatkan update")
        srv.put("/p/kompas.html?page=all", single)
        srv.put("/multi/berita/9/judul", numbered_page(1, 3))
        for i in (2, 3):
            srv.put(f"/multi/berita/9/judul?page={i}", numbered_page(i, 3))
        srv.put("/long/berita/9/judul", numbered_page(1, 12).replace("/multi/", "/long/"))
        for i in range(2, 13):
            srv.put(f"/long/berita/9/judul?page={i}", numbered_page(i, 12).replace("/multi/", "/long/"))
        write_sources(tmp / "sources.toml", [{"name": "uji", "url": srv.url + "/rss.xml"}])
        env = make_env(tmp, PANTAU_MAX_ITEMS_PER_SOURCE="100")
        proc = run_pantau("crawl", env=env, timeout=180)
        hits = [r.path for r in srv.requests]
    rows = db_rows(tmp / "pantau.db", "SELECT guid, title, text, author, published FROM articles")
    by_guid = {(r["guid"] or "").rsplit(":", 1)[-1]: r for r in rows}
    return {"proc": proc, "rows": by_guid, "hits": hits}


def test_crawl_ran(crawled):
    assert crawled["proc"].returncode == 0, crawled["proc"].stderr[-2000:]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_stored_article_is_the_extracted_one(crawled, name):
    row = crawled["rows"][name]
    want = EXPECTED[name]
    assert row["title"] == want["title"]
    assert row["author"] == want["author"]
    assert row["published"] == want["published"]
    if name == "kompas":
        assert row["text"] == want["text"] + "\n" + EXTRA  # the ?page=all form was fetched and used
    else:
        assert row["text"] == want["text"]


def test_single_page_form_fetched_once(crawled):
    assert crawled["hits"].count("/p/kompas.html?page=all") == 1
    assert crawled["hits"].count("/p/tribunnews.html?page=all") == 1
    assert not any("page=" in h for h in crawled["hits"] if h.startswith("/p/detik"))


def test_numbered_pages_followed_and_joined(crawled):
    text = crawled["rows"]["multi"]["text"]
    positions = [text.find(p) for p in PAGE_TEXT]
    assert all(pos >= 0 for pos in positions) and positions == sorted(positions), text
    filler = "Kalimat pengisi agar paragraf cukup panjang untuk dianggap isi berita oleh ekstraktor."
    assert text.count(f"{filler} {filler}") == 1  # a line repeated on every page is kept once


def test_numbered_pages_are_bounded(crawled):
    followed = [h for h in crawled["hits"] if h.startswith("/long/") and "page=" in h]
    assert len(followed) == MAX_PAGES - 1
    text = crawled["rows"]["long"]["text"]
    assert f"halaman ke-{MAX_PAGES}" in text and f"halaman ke-{MAX_PAGES + 1} " not in text
