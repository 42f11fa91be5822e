"""No backlog flood (issue 12): only articles published within PANTAU_ALERT_MAX_AGE_HOURS are pushed.

A new installation's first crawl and a newly added source find year-old stories
(the fixture sites are dated October 2025): they are stored, flagged, grouped
into events and searchable, but no alert is queued or printed for them. A story
published today is still alerted."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

from tests.crawler.conftest import db_rows, make_env, run_pantau, write_sources

WIB = timezone(timedelta(hours=7))
TITLE = "KirimCepat PHK 300 Karyawan, Pekerjaan Administrasi Diambil Alih AI"
PARAS = [  # written for this test
    "Perusahaan rintisan logistik KirimCepat memutuskan hubungan kerja terhadap 300 karyawan pada pekan ini "
    "karena sebagian besar pekerjaan administrasi kini dikerjakan sistem kecerdasan buatan (AI).",
    "Manajemen KirimCepat menyebut PHK tersebut bagian dari efisiensi setelah perusahaan beralih ke "
    "otomatisasi berbasis AI untuk memproses pesanan dan layanan pelanggan.",
    "Karyawan yang terkena PHK akan menerima pesangon sesuai aturan, kata juru bicara perusahaan. Ia "
    "menambahkan bahwa AI kini menangani sekitar 70 persen pertanyaan pelanggan.",
    "Serikat pekerja menilai PHK karena AI ini menjadi peringatan bagi pekerja sektor logistik lainnya.",
]


def put_fresh_story(news, published: datetime) -> str:
    page = "/fresh/berita/kirimcepat-phk.html"
    news.put(page, "<!doctype html><html lang=\"id\"><head><meta charset=\"utf-8\"><title>" + TITLE
             + f"</title><meta property=\"article:published_time\" content=\"{published.isoformat()}\"></head>"
             f"<body><article><h1>{TITLE}</h1>" + "".join(f"<p>{p}</p>" for p in PARAS)
             + "</article></body></html>", content_type="text/html; charset=utf-8")
    news.put("/fresh/rss.xml", f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Kabar Segar</title><link>{news.url}/fresh/</link><description>uji</description>
<item><title>{TITLE}</title><link>{news.url}{page}</link><guid>{news.url}{page}</guid>
<pubDate>{format_datetime(published)}</pubDate><description>KirimCepat PHK 300 karyawan.</description></item>
</channel></rss>""", content_type="application/rss+xml")
    return news.url + "/fresh/rss.xml"


def test_first_crawl_and_new_source_push_only_recent_news(news, tmp_path):
    env = make_env(tmp_path)
    env.pop("PANTAU_ALERT_MAX_AGE_HOURS")  # the default: 48 hours
    fresh = put_fresh_story(news, datetime.now(WIB) - timedelta(hours=3))
    write_sources(env["PANTAU_SOURCES"], [{"name": "fresh", "url": fresh}])
    assert run_pantau("crawl", env=env).returncode == 0
    alerts = db_rows(env["PANTAU_DB"], "SELECT a.*, ar.title FROM alerts a JOIN articles ar ON ar.id = a.article_id")
    assert [a["title"] for a in alerts] == [TITLE]

    # a new source whose feed holds year-old AI-layoff stories: stored, never pushed
    write_sources(env["PANTAU_SOURCES"], [{"name": "fresh", "url": fresh},
                                          {"name": "detik", "url": news.url + "/detik/rss.xml"}])
    assert run_pantau("crawl", env=env).returncode == 0
    old = db_rows(env["PANTAU_DB"], "SELECT id, title, story_id, alert_decided FROM articles "
                                    "WHERE match = 1 AND source = 'detik'")
    assert any("Amazon" in a["title"] for a in old)
    assert all(a["alert_decided"] and a["story_id"] for a in old)  # decided (no alert) and in an event
    assert len(db_rows(env["PANTAU_DB"], "SELECT * FROM alerts")) == 1

    proc = run_pantau("send", env=env)  # no token: prints what would be sent
    assert proc.returncode == 0
    assert "KirimCepat" in proc.stdout and "Amazon" not in proc.stdout
    proc = run_pantau("search", "Amazon", env=env)
    assert "Amazon PHK 14.000" in proc.stdout  # searchable
    events = db_rows(env["PANTAU_DB"], "SELECT companies FROM stories")
    assert any("Amazon" in (e["companies"] or "") for e in events)


def test_window_is_configurable(news, tmp_path):
    env = make_env(tmp_path, PANTAU_ALERT_MAX_AGE_HOURS="2")
    write_sources(env["PANTAU_SOURCES"], [{"name": "fresh", "url": put_fresh_story(
        news, datetime.now(WIB) - timedelta(hours=3))}])
    assert run_pantau("crawl", env=env).returncode == 0
    assert db_rows(env["PANTAU_DB"], "SELECT COUNT(*) AS n FROM articles WHERE match = 1")[0]["n"] == 1
    assert db_rows(env["PANTAU_DB"], "SELECT COUNT(*) AS n FROM alerts")[0]["n"] == 0
