"""Story grouping never merges different companies' cuts (issue 9).

A report joins a company story only when both name the same company as the one
cutting jobs (the first company of each); a name both merely mention (a junk
capitalised word, a rival cited for comparison) is not enough.
"""

from __future__ import annotations

import hashlib

import pytest

from crawler.stories import assign_story, events
from crawler.store import Store

HIRING = (
    "Perusahaan logistik digital Lintasraya membuka lowongan bagi ratusan insinyur pembelajaran mesin. "
    "Sebanyak itu posisi baru disebut akan diisi sebelum akhir tahun, di tengah gelombang PHK di sektor "
    "teknologi yang dikaitkan dengan otomatisasi."
)
AGENCY = (
    "Agensi periklanan Rekacipta memberhentikan 90 penulis naskah dan desainer setelah alur kerja kreatifnya "
    "beralih ke model AI generatif. Sebanyak sepertiga tim kreatif terdampak keputusan tersebut, kata manajemen."
)
CLOUD = (
    "Penyedia komputasi awan Awanmega memangkas 1.200 karyawan layanan pelanggan dan menggantinya dengan agen "
    "AI. Langkah ini menyusul pemangkasan serupa oleh Lintasraya tahun lalu."
)
CLOUD_FOLLOWUP = (
    "PT Awanmega Tbk memastikan 1.200 pegawai bagian layanan pelanggan terkena PHK karena pekerjaan mereka "
    "kini ditangani chatbot. Serikat pekerja meminta pesangon dibayar penuh."
)


def _add(store: Store, n: int, title: str, text: str, published: str, companies, jobs_cut, outlet: str) -> int:
    record = {
        "url": f"https://{outlet.lower()}.example/berita/{n}", "title": title, "text": text,
        "source": outlet, "outlet": outlet, "published": published, "fetched": published,
        "content_hash": hashlib.sha1(" ".join(text.split()).encode()).hexdigest(),
        "match": 1, "score": 0.9, "reasons": ["judul: PHK"], "companies": companies, "jobs_cut": jobs_cut,
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


def test_shared_secondary_name_does_not_merge_two_companies(store):
    # both extractions carried a junk second "company"; one side has no figure (figures "agree")
    a = _add(store, 1, "Lintasraya Buka Lowongan Insinyur AI di Tengah Gelombang PHK", HIRING,
             "2025-10-27T08:00:00+07:00", ["Lintasraya", "Sebanyak"], None, "Gerai")
    b = _add(store, 2, "Agensi Rekacipta Berhentikan 90 Pekerja Kreatif, Beralih ke AI", AGENCY,
             "2025-10-27T15:10:00+07:00", ["Rekacipta", "Sebanyak"], 90, "Warta")
    assert _story(store, a) != _story(store, b)
    assert sorted(e["company"] for e in events(store)) == ["Lintasraya", "Rekacipta"]


def test_company_cited_for_comparison_does_not_merge(store):
    a = _add(store, 1, "Lintasraya PHK Staf Gudang", HIRING, "2025-10-27T08:00:00+07:00",
             ["Lintasraya"], None, "Gerai")
    b = _add(store, 2, "Awanmega Pangkas 1.200 Karyawan, Diganti Agen AI", CLOUD, "2025-10-28T09:00:00+07:00",
             ["Awanmega", "Lintasraya"], 1200, "Warta")
    assert _story(store, a) != _story(store, b)


def test_same_company_written_differently_still_merges(store):
    a = _add(store, 1, "Awanmega Pangkas 1.200 Karyawan, Diganti Agen AI", CLOUD, "2025-10-28T09:00:00+07:00",
             ["Awanmega", "Lintasraya"], 1200, "Warta")
    b = _add(store, 2, "Awanmega PHK 1.200 Pegawai Layanan Pelanggan", CLOUD_FOLLOWUP,
             "2025-10-28T17:00:00+07:00", ["PT Awanmega Tbk"], 1200, "Kabar")
    assert _story(store, a) == _story(store, b)
    assert len(events(store)) == 1


def test_roundup_order_of_the_same_pair_still_merges(store):
    a = _add(store, 1, "Awanmega dan Induknya PHK Ribuan Staf", CLOUD, "2025-10-28T09:00:00+07:00",
             ["Awanmega", "Awanmega Holdings"], None, "Warta")
    b = _add(store, 2, "Induk Awanmega Umumkan PHK", CLOUD_FOLLOWUP, "2025-10-28T12:00:00+07:00",
             ["Awanmega Holdings", "Awanmega"], None, "Kabar")
    assert _story(store, a) == _story(store, b)
