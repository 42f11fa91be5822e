"""Article extraction against every fixture page in the manifest (no network)."""

from __future__ import annotations

from datetime import datetime

import pytest

from crawler.extract import clean_text, decode_html, extract
from tests.fakes.news_server import DEFAULT_ROOT, guess_content_type

BASE = "http://news.test:8080"
CONTENT_TYPES = dict(line.split(" ", 1) for line in (DEFAULT_ROOT / "content-types.txt").read_text().splitlines()
                     if line.strip() and not line.startswith("#"))


def page(art: dict) -> tuple[str, str]:
    raw = (DEFAULT_ROOT / art["file"]).read_bytes().replace(b"{{BASE}}", BASE.encode())
    ctype = CONTENT_TYPES.get(art["path"], guess_content_type(art["path"])).strip()
    return decode_html(raw, ctype), ctype


def instant(value):
    return datetime.fromisoformat(value).timestamp() if value else None


@pytest.fixture(scope="module")
def extracted(manifest):
    out = {}
    for art in manifest["articles"]:
        html, _ = page(art)
        out[art["id"]] = extract(html, BASE + art["path"])
    return out


def test_titles(manifest, extracted):
    for art in manifest["articles"]:
        assert extracted[art["id"]].title == " ".join(art["title"].split()), art["id"]


def test_published_is_aware_iso_and_right(manifest, extracted):
    for art in manifest["articles"]:
        got = extracted[art["id"]].published
        assert instant(got) == instant(art["published"]), (art["id"], got)
        if got:
            assert datetime.fromisoformat(got).utcoffset() is not None


def test_authors(manifest, extracted):
    for art in manifest["articles"]:
        assert extracted[art["id"]].author == art["author"], art["id"]


def test_canonical_links(manifest, extracted):
    for art in manifest["articles"]:
        canon = extracted[art["id"]].canonical
        assert canon in (None, BASE + art["canonical"]), art["id"]
        if art["canonical"] != art["path"]:
            assert canon == BASE + art["canonical"], art["id"]


def test_language_and_outlet(manifest, extracted):
    for art in manifest["articles"]:
        ext = extracted[art["id"]]
        assert ext.language in ("id", None), art["id"]  # None: the crawler uses the source's language
        assert ext.outlet, art["id"]


def test_text_is_the_story_only(manifest, extracted):
    for art in manifest["articles"]:
        text = extracted[art["id"]].text
        assert len(text) > 300, art["id"]
        assert "\ufffd" not in text
        low = text.lower()
        for marker in ("baca juga", "pilihan editor", "advertisement", "scroll to continue", "terpopuler",
                       "berita terkait", "komentar", "bagikan:", "login"):
            assert marker not in low, (art["id"], marker)
        first_line = text.splitlines()[0]
        assert first_line != art["title"]  # leading copy of the title dropped


def test_charsets(manifest):
    for art in manifest["articles"]:
        if art["site"] != "encoding":
            continue
        html, ctype = page(art)
        raw = (DEFAULT_ROOT / art["file"]).read_bytes().replace(b"{{BASE}}", BASE.encode())
        assert html == raw.decode(art["encoding"]), (art["id"], ctype)
        assert "\ufffd" not in html


@pytest.mark.parametrize("body, ctype, expected", [
    ("Kafé “Robot” – ok".encode("utf-8"), "text/html", "Kafé “Robot” – ok"),
    ("Kafé “Robot” – ok".encode("cp1252"), "text/html; charset=utf-8", "Kafé “Robot” – ok"),
    ("Kafé “Robot” – ok".encode("cp1252"), None, "Kafé “Robot” – ok"),
    (b'<meta charset="windows-1252">' + "é".encode("cp1252"), None, '<meta charset="windows-1252">é'),
    ("é".encode("utf-8"), "text/html; charset=bogus-charset", "é"),
    (b"\xef\xbb\xbfBOM \xc3\xa9", "text/html; charset=iso-8859-1", "BOM é"),
    (b"\x81\x8d\x8f\x90\x9d", None, None),  # undefined in cp1252: never raises
])
def test_decode_html(body, ctype, expected):
    got = decode_html(body, ctype)
    if expected is not None:
        assert got == expected
    assert isinstance(got, str)


def test_visible_indonesian_date_and_byline_without_metadata():
    html = """<html lang="id"><head><title>Judul Berita Uji</title></head><body>
    <nav><a href="/">Beranda</a></nav>
    <article><h1>Judul Berita Uji</h1><div class="byline">Oleh: Siti Aminah - KabarUji</div>
    <div class="tanggal">Senin, 20 Okt 2025 14:30 WITA</div>
    <p>Paragraf pertama berita ini cukup panjang untuk dianggap sebagai isi artikel yang sebenarnya oleh ekstraktor.</p>
    <p>Baca juga: Berita lain yang tidak relevan sama sekali</p>
    <p>Paragraf kedua juga cukup panjang sehingga teks utama artikel lebih dari dua ratus karakter panjangnya.</p>
    </article><aside class="sidebar"><p>Terpopuler: lima berita yang paling banyak dibaca hari ini di situs kami.</p></aside>
    </body></html>"""
    ext = extract(html, "http://x.test/a.html")
    assert ext.published == "2025-10-20T14:30:00+08:00"
    assert ext.author == "Siti Aminah"
    assert ext.title == "Judul Berita Uji"
    assert "Paragraf pertama" in ext.text and "Paragraf kedua" in ext.text
    assert "Baca juga" not in ext.text and "Terpopuler" not in ext.text
    ext = extract(html.replace(" WITA", ""), "http://x.test/a.html")
    assert ext.published == "2025-10-20T14:30:00+07:00"  # no zone on an Indonesian site = WIB


@pytest.mark.parametrize("html", ["", "   ", "<html>", "<<<>>>", "\x00\x01", "<p>tanpa body</p>" * 3,
                                  '<script type="application/ld+json">{bad json</script>'])
def test_bad_markup_never_raises(html):
    ext = extract(html, "http://x.test/")
    assert isinstance(ext.text, str)


def test_clean_text():
    text = "Judul\nBaca juga: lain\n  isi   satu \nADVERTISEMENT\nPilihan Editor: x\nisi dua\n(ang/set)\nTags: a, b"
    assert clean_text(text, "Judul") == "isi satu\nisi dua"
