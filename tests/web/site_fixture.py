"""The tracker website tests' fixture database.

``site_db`` is a real SQLite file built through the project's own store
(``Store.open`` migrations, ``insert_article``, ``stories.assign_story``)
from articles written for these tests. One title carries a ``<script>``
payload; ``attribution``/``evidence`` columns are added to stories and
articles when the schema does not have them yet (so the tests cover both the
current and the coming schema), and set per story.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from crawler.stories import assign_story  # noqa: E402
from crawler.store import Store  # noqa: E402

XSS = '<script>alert("x")</script>'

# (key, url, outlet, published, title, text, companies, jobs_cut, percent)
ARTICLES = [
    ("nusa1", "https://berita.example/tekno/nusantara-robot", "Warta Tekno", "2026-01-14T09:30:00+07:00",
     f"Nusantara Logistik PHK 1.200 Karyawan Gudang, Diganti Robot Pintar {XSS}",
     "Perusahaan logistik Nusantara Logistik yang berbasis di Indonesia memutus hubungan kerja 1.200 karyawan "
     "gudang. Direktur utama menyebut sistem robot dan kecerdasan buatan kini menangani penyortiran paket. "
     "PHK ini berlaku mulai bulan depan.", ["Nusantara Logistik"], 1200, 15.0),
    ("nusa2", "https://kabar.example/bisnis/nusantara-logistik-phk", "Kabar Bisnis", "2026-01-14T15:05:00+07:00",
     "Gudang Nusantara Logistik Beralih ke Robot, 1.200 Pekerja Dirumahkan",
     "Sebanyak 1.200 pekerja gudang Nusantara Logistik dirumahkan setelah perusahaan memasang robot penyortir "
     "berbasis AI. Serikat pekerja menilai otomatisasi dilakukan terlalu cepat.", ["Nusantara Logistik"], 1200,
     15.0),
    ("awan", "https://berita.example/global/awanbiru-ai-first", "Warta Tekno", "2026-02-03T10:00:00+07:00",
     "AwanBiru Pangkas 30% Staf demi Strategi AI-First",
     "Perusahaan perangkat lunak AwanBiru yang berbasis di Amerika Serikat memangkas 30 persen stafnya atau "
     "sekitar 4.000 karyawan. CEO AwanBiru mengatakan perusahaan kini berfokus pada agen AI.", ["AwanBiru"], 4000,
     30.0),
    ("kilat", "https://kabar.example/global/kilatpay-layanan-pelanggan", "Kabar Bisnis",
     "2026-03-20T08:15:00+07:00",
     "KilatPay Ganti 500 Staf Layanan Pelanggan dengan Chatbot",
     "KilatPay, perusahaan pembayaran asal Singapura, memberhentikan 500 staf layanan pelanggan. Analis menilai "
     "chatbot AI menggantikan pekerjaan mereka, meski perusahaan menyebut alasan efisiensi.", ["KilatPay"], 500,
     None),
    ("tren", "https://opini.example/analisis/ai-washing", "Opini Kita", "2026-03-22T19:45:00+07:00",
     "Analisis: Benarkah AI Jadi Alasan Gelombang PHK Teknologi?",
     "Sejumlah ekonom menilai AI sering dijadikan dalih untuk PHK yang sebenarnya didorong biaya. Tren PHK "
     "karena AI perlu dibaca hati-hati.", [], None, None),
]
ATTRIBUTION = {"nusa1": ("explicit", "Direktur utama menyebut sistem robot dan kecerdasan buatan kini menangani "
                                      "penyortiran paket."),
               "awan": ("explicit", "CEO AwanBiru mengatakan perusahaan kini berfokus pada agen AI."),
               "kilat": ("attributed", "Analis menilai chatbot AI menggantikan pekerjaan mereka."),
               "tren": ("disputed", "Sejumlah ekonom menilai AI sering dijadikan dalih untuk PHK.")}
UNFLAGGED = ("https://berita.example/olahraga/final", "Warta Tekno", "2026-03-01T20:00:00+07:00",
             "Final Liga Futsal Berlangsung Seru", "Pertandingan final futsal berakhir imbang. Tidak ada PHK.")


def _record(url, outlet, published, title, text, companies, jobs_cut, percent, match=True) -> dict:
    return {"url": url, "title": title, "text": text, "source": outlet, "outlet": outlet,
            "published": published, "fetched": published, "extracted": 1,
            "content_hash": hashlib.sha256(text.encode()).hexdigest(), "match": match,
            "score": 0.9 if match else 0.0, "reasons": ["judul: PHK"] if match else [],
            "companies": companies, "jobs_cut": jobs_cut, "percent": percent, "rules_version": "test"}


def build_site_db(path: Path, extended: bool = True) -> dict[str, int]:
    """Write the fixture database; returns story ids by article key."""
    store = Store.open(path)
    try:
        if extended:
            for table in ("stories", "articles"):
                cols = {r[1] for r in store.db.execute(f"PRAGMA table_info({table})").fetchall()}
                for col in ("attribution", "evidence"):
                    if col not in cols:
                        store.db.execute(f"ALTER TABLE {table} ADD COLUMN {col} TEXT")
        ids: dict[str, int] = {}
        for key, *fields in ARTICLES:
            aid, _ = store.insert_article(_record(*fields), [])
            ids[key] = assign_story(store, aid)
        store.insert_article(_record(*UNFLAGGED, [], None, None, match=False), [])
        if extended:
            with store.write():
                for key, (attr, evidence) in ATTRIBUTION.items():
                    store.db.execute("UPDATE stories SET attribution = ?, evidence = ? WHERE id = ?",
                                     [attr, evidence, ids[key]])
        with store.write():
            store.db.execute("INSERT INTO sources (name, url, type, last_success, consecutive_failures, "
                             "articles_found) VALUES ('Warta Tekno', 'https://berita.example/rss', 'rss', "
                             "'2026-03-23T01:00:00+00:00', 0, 40), ('Kabar Bisnis', 'https://kabar.example/rss', "
                             "'rss', NULL, 3, 12)")
            store.db.execute("INSERT INTO crawls (started, finished, status) VALUES "
                             "('2026-03-23T01:00:00+00:00', '2026-03-23T01:01:00+00:00', 'ok')")
        return ids
    finally:
        store.close()
