"""Story grouping: syndicated copies, write-ups of one event, separate events by one company."""

from __future__ import annotations

import hashlib
import io
import json

import pytest

from crawler.atom import build_feed
from crawler.stories import assign_story, company_key, events, similarity, shingles, write_events
from crawler.store import Store

AMAZON_OKT = (
    "Raksasa teknologi Amazon memutuskan hubungan kerja sekitar 14.000 karyawan korporat pada pekan ini. "
    "Manajemen menyebut pemangkasan itu bagian dari upaya merampingkan organisasi sembari menggelontorkan "
    "investasi besar-besaran ke kecerdasan buatan generatif.\n"
    "Dalam memo internal, pimpinan perusahaan menulis bahwa AI memungkinkan tim bekerja lebih ramping, "
    "sehingga lapisan manajemen dikurangi. Karyawan terdampak mendapat waktu 90 hari untuk mencari posisi lain.\n"
    "Analis menilai langkah Amazon menjadi sinyal bagi perusahaan teknologi lain yang tengah mengejar efisiensi."
)
AMAZON_OKT_REWRITE = (
    "Amazon kembali melakukan PHK. Kali ini perusahaan milik Jeff Bezos itu memangkas 14.000 posisi di level "
    "korporat, menurut pernyataan resmi yang dirilis Selasa waktu setempat.\n"
    "Perusahaan beralasan dana yang dihemat akan dialihkan untuk pengembangan AI, termasuk pusat data baru. "
    "Pekerja yang terkena PHK dijanjikan pesangon dan bantuan penempatan kerja."
)
AMAZON_JAN = (
    "Amazon mengumumkan gelombang PHK baru yang menyasar sekitar 16.000 karyawan korporat. Pengumuman ini "
    "datang tiga bulan setelah pemangkasan sebelumnya, dan lagi-lagi dikaitkan dengan otomatisasi berbasis AI.\n"
    "Sejumlah divisi, termasuk sumber daya manusia dan periklanan, disebut paling terdampak."
)
TREND = (
    "Gelombang PHK yang dikaitkan dengan kecerdasan buatan terus meluas. Sejumlah analis mempertanyakan apakah "
    "AI benar-benar penyebabnya atau hanya dalih efisiensi yang populer disebut AI-washing.\n"
    "Data pelacak PHK global menunjukkan ribuan posisi hilang sepanjang tahun."
)


def _add(store: Store, n: int, title: str, text: str, published: str, companies, jobs_cut, outlet: str,
         percent=None) -> int:
    record = {
        "url": f"https://{outlet.lower().replace(' ', '')}.example/berita/{n}", "title": title, "text": text,
        "source": outlet, "outlet": outlet, "published": published, "fetched": published,
        "content_hash": hashlib.sha1(" ".join(text.split()).encode()).hexdigest(),
        "match": 1, "score": 0.9, "reasons": ["judul: PHK"], "companies": companies, "jobs_cut": jobs_cut,
        "percent": percent,
    }
    article_id, created = store.insert_article(record, [])
    assert created
    assign_story(store, article_id)
    return article_id


@pytest.fixture()
def store(tmp_path):
    s = Store.open(tmp_path / "p.db")
    yield s
    s.close()


def _story(store, article_id):
    return store.db.execute("SELECT story_id FROM articles WHERE id = ?", [article_id]).fetchone()[0]


def test_syndicated_copies_join_one_story(store):
    a = _add(store, 1, "Amazon PHK 14.000 Karyawan demi AI", AMAZON_OKT, "2025-10-28T14:30:00+07:00",
             ["Amazon"], 14000, "detikInet")
    # the same text on another site, company not recognised there
    b = _add(store, 2, "Amazon PHK 14.000 Karyawan demi AI", AMAZON_OKT, "2025-10-28T16:00:00+07:00",
             [], None, "Sindikasi")
    # near-identical copy with an extra line
    c = _add(store, 3, "Amazon PHK 14 Ribu Karyawan", AMAZON_OKT + "\nBaca berita lainnya di kanal kami.",
             "2025-10-29T08:00:00+07:00", [], None, "Portal Tiga")
    assert _story(store, a) == _story(store, b) == _story(store, c)
    ev = events(store)
    assert len(ev) == 1
    assert ev[0]["articles"] == 3 and ev[0]["jobs_cut"] == 14000
    assert ev[0]["outlets"] == ["detikInet", "Sindikasi", "Portal Tiga"]


def test_two_write_ups_of_one_event_join(store):
    a = _add(store, 1, "Amazon PHK 14.000 Karyawan demi AI", AMAZON_OKT, "2025-10-28T14:30:00+07:00",
             ["Amazon"], 14000, "detikInet")
    b = _add(store, 2, "Amazon Pangkas 14 Ribu Posisi Korporat", AMAZON_OKT_REWRITE, "2025-10-29T10:00:00+07:00",
             ["Amazon.com Inc"], 14000, "Kompas Tekno")
    assert _story(store, a) == _story(store, b)
    assert similarity(shingles(AMAZON_OKT), shingles(AMAZON_OKT_REWRITE)) < 0.6  # joined by event, not text


def test_two_events_by_one_company_stay_apart(store):
    a = _add(store, 1, "Amazon PHK 14.000 Karyawan demi AI", AMAZON_OKT, "2025-10-28T14:30:00+07:00",
             ["Amazon"], 14000, "detikInet")
    b = _add(store, 2, "Amazon PHK Lagi, 16.000 Karyawan Terdampak", AMAZON_JAN, "2026-01-28T09:00:00+07:00",
             ["Amazon"], 16000, "detikInet")
    # a different figure in the same week is a different round too
    c = _add(store, 3, "Amazon PHK 16.000 Karyawan", AMAZON_JAN, "2025-10-30T09:00:00+07:00",
             ["Amazon"], 16000, "Portal Lain")
    assert len({_story(store, a), _story(store, b), _story(store, c)}) == 3


def test_unknown_figure_then_known_marks_growth(store):
    a = _add(store, 1, "Amazon PHK Ribuan Karyawan", AMAZON_OKT_REWRITE.replace("14.000", "ribuan"),
             "2025-10-28T09:00:00+07:00", ["Amazon"], None, "Portal Satu")
    sid = _story(store, a)
    assert store.db.execute("SELECT grown, jobs_cut FROM stories WHERE id = ?", [sid]).fetchone() == (0, None)
    b = _add(store, 2, "Amazon PHK 14.000 Karyawan demi AI", AMAZON_OKT, "2025-10-28T14:30:00+07:00",
             ["Amazon"], 14000, "detikInet")
    assert _story(store, b) == sid
    assert store.db.execute("SELECT grown, jobs_cut FROM stories WHERE id = ?", [sid]).fetchone() == (1, 14000)


def test_trend_pieces_group_by_title_only_when_close(store):
    a = _add(store, 1, "Ramai PHK karena AI, Benarkah atau Sekadar AI-Washing?", TREND,
             "2025-10-25T12:00:00+07:00", [], None, "Tempo")
    b = _add(store, 2, "Gelombang PHK Global dan Peran AI di Baliknya", TREND.replace("meluas", "bertambah") +
             "\nPara ekonom menyarankan pemerintah menyiapkan program pelatihan ulang.",
             "2025-10-26T12:00:00+07:00", [], None, "Portal Dua")
    c = _add(store, 3, "Pabrik Sepatu Tutup, Ratusan Buruh Kehilangan Pekerjaan", "Teks lain sama sekali. " * 20,
             "2025-10-26T12:00:00+07:00", [], None, "Portal Tiga")
    assert _story(store, a) == _story(store, b)  # near-identical text
    assert _story(store, c) != _story(store, a)


def test_company_key_ignores_legal_suffixes():
    assert company_key("Amazon.com Inc") == company_key("amazon.com") == company_key("Amazon") == "amazon"
    assert company_key("PT GoTo Gojek Tokopedia Tbk") == "goto gojek tokopedia"


def test_events_export_and_atom_feed(store):
    _add(store, 1, "Fiverr PHK 30% Karyawan <AI-first> & \"efisiensi\"", AMAZON_OKT.replace("Amazon", "Fiverr"),
         "2025-09-16T10:00:00+07:00", ["Fiverr"], 250, "Tempo", percent=30.0)
    buf = io.StringIO()
    assert write_events(store, buf, "csv") == 1
    assert "Fiverr" in buf.getvalue() and "250" in buf.getvalue()
    buf = io.StringIO()
    write_events(store, buf, "json")
    data = json.loads(buf.getvalue())
    assert data[0]["company"] == "Fiverr" and data[0]["percent"] == 30.0 and data[0]["links"]
    import feedparser

    feed = feedparser.parse(build_feed(store).encode())
    assert not feed.bozo
    assert feed.entries[0].title.startswith("Fiverr PHK 30% Karyawan <AI-first>")
    assert "250" in feed.entries[0].summary
