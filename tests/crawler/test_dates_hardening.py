"""Extreme dates are unknown dates (issue 10, item 11).

Policy: a date outside [1990-01-01, now + 2 days] is treated as unknown —
when parsed (the article falls back to the feed date, then the fetch time)
and when read back (an already-stored bad date never crashes /terbaru,
/cari, ``pantau search``, ``pantau digest`` or ``pantau send``).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from crawler import outbox
from crawler.dates import format_wib, parse_date, to_iso
from crawler.store import Store

from tests.crawler.conftest import db_rows, make_env, run_pantau, write_sources

EXTREME = ["9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+14:00", "1989-12-31T23:00:00+00:00",
           "Fri, 31 Dec 9999 23:59:59 -1200", "31 Desember 9999 23:59 WIB", "1 Jan 1900"]


@pytest.mark.parametrize("value", EXTREME)
def test_dates_outside_the_plausible_range_are_unknown(value):
    assert parse_date(value) is None
    assert to_iso(value) is None
    assert format_wib(value) == "waktu tidak diketahui"


def test_range_edges():
    now = datetime.now(timezone.utc)
    assert parse_date((now + timedelta(days=1)).isoformat()) is not None
    assert parse_date((now + timedelta(days=3)).isoformat()) is None
    assert parse_date("1990-01-02T00:00:00+07:00") is not None
    assert parse_date(datetime(9999, 12, 31, tzinfo=timezone(timedelta(hours=-12)))) is None


PAGE = """<!doctype html><html lang="id"><head><meta charset="utf-8"><title>{title}</title>
<meta property="og:title" content="{title}">
<meta property="article:published_time" content="{date}"></head>
<body><article><h1>{title}</h1><div class="isi"><p>Jakarta - Perusahaan rintisan {co} melakukan pemutusan hubungan
kerja (PHK) terhadap 210 karyawan pekan ini setelah pekerjaan mereka diambil alih kecerdasan buatan (AI).</p>
<p>Manajemen {co} menyebut sistem AI kini mengerjakan tugas para karyawan itu, sehingga 210 posisi dipangkas.</p>
<p>Serikat pekerja menilai {co} terlalu cepat mengganti pekerja dengan AI.</p></div></article></body></html>"""


def test_crawl_replaces_extreme_page_dates_with_feed_date_then_fetch_time(news, tmp_path):
    news.put("/tgl/a.html", PAGE.format(title="Startup Waktuku PHK 210 Karyawan karena AI", co="Waktuku",
                                        date="9999-12-31T23:59:59-12:00"))
    news.put("/tgl/b.html", PAGE.format(title="Startup Kuno PHK 210 Karyawan karena AI", co="Kuno",
                                        date="0001-01-01T00:00:00+14:00"))
    news.put("/tgl/rss.xml", """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>
<title>Tanggal</title><link>{{BASE}}/tgl/</link><description>uji</description>
<item><title>Startup Waktuku PHK 210 Karyawan karena AI</title><link>{{BASE}}/tgl/a.html</link>
<pubDate>Tue, 28 Oct 2025 10:00:00 +0700</pubDate></item>
<item><title>Startup Kuno PHK 210 Karyawan karena AI</title><link>{{BASE}}/tgl/b.html</link>
<pubDate>Sat, 01 Jan 0001 00:00:00 +1400</pubDate></item>
</channel></rss>""", content_type="application/rss+xml; charset=utf-8")
    write_sources(tmp_path / "sources.toml", [{"name": "tgl", "url": news.url + "/tgl/rss.xml"}])
    env = make_env(tmp_path)
    proc = run_pantau("crawl", env=env)
    assert proc.returncode == 0, proc.stderr
    rows = {r["url"].rsplit("/", 1)[1]: r for r in db_rows(tmp_path / "pantau.db",
                                                         "SELECT url, published, fetched FROM articles")}
    assert parse_date(rows["a.html"]["published"]) == parse_date("2025-10-28T10:00:00+07:00")
    assert rows["b.html"]["published"] in (None, rows["b.html"]["fetched"])
    for command in (["search", "PHK"], ["export", "--format", "csv"], ["feed", "-o", "-"]):
        out = run_pantau(*command, env=env)
        assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr


def test_stored_extreme_dates_do_not_break_readers(tmp_path):
    """Dates stored before the parse-time rule (or written by hand) are read back as unknown."""
    from tests.bot.conftest import RunningBot, make_settings, seed
    from tests.fakes.telegram_api import FakeTelegram

    db = tmp_path / "pantau.db"
    store = Store.open(db)
    recent = (datetime.now(timezone.utc) - timedelta(hours=2)).replace(microsecond=0).isoformat()
    ids = [seed(store, title=f"Startup Tahun{i} PHK 300 karyawan karena AI", companies=[f"Tahun{i}"],
                published=bad, fetched=recent)
           for i, bad in enumerate(["9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+14:00"])]
    try:
        env = make_env(tmp_path, PANTAU_DB=str(db))
        proc = run_pantau("search", "Tahun0", env=env)
        assert proc.returncode == 0 and "Tahun0" in proc.stdout, proc.stderr
        with FakeTelegram(long_poll_cap=0.3) as tg:
            settings = make_settings(tg, db)
            outbox.subscribe(store, 5151, daily=True)
            outbox.enqueue_alerts(store, settings, ids)
            tg_env = make_env(tmp_path, PANTAU_DB=str(db), TELEGRAM_BOT_TOKEN=tg.token,
                              TELEGRAM_API_URL=tg.url, TELEGRAM_CHANNEL_ID="@pantauphk")
            for command in ("send", "digest"):
                proc = run_pantau(command, env=tg_env)
                assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
            assert len(tg.messages_to("@pantauphk")) == 2
            assert "Tahun0" in tg.messages_to(5151)[0]["text"]
            with RunningBot(settings):
                for command in ("/terbaru", "/cari Tahun"):
                    tg.push_message(6161, command)
                    reply = tg.wait_for_messages(6161, 1, timeout=10)[-1]["text"]
                    assert "Tahun0" in reply and "kesalahan" not in reply, reply
                    tg.clear()
    finally:
        store.close()


def test_stored_extreme_dates_are_cleared_on_upgrade(tmp_path):
    """Migration 013_implausible_dates: dates stored before the rule become unknown (NULL), so they
    neither crash readers nor sort first in /terbaru for ever."""
    from crawler.search import latest
    from crawler.stories import assign_story

    from tests.bot.conftest import seed

    db = tmp_path / "pantau.db"
    store = Store.open(db)
    recent = (datetime.now(timezone.utc) - timedelta(hours=3)).replace(microsecond=0).isoformat()
    good = seed(store, title="Startup Baik PHK 100 karyawan karena AI", companies=["Baik"], published=recent)
    bad = seed(store, title="Startup Buruk PHK 100 karyawan karena AI", companies=["Buruk"], published=recent,
               fetched=recent)
    assign_story(store, bad)
    store.db.execute("UPDATE articles SET published = '9999-12-31T23:59:59-12:00' WHERE id = ?", [bad])
    store.db.execute("UPDATE stories SET first_reported = '9999-12-31T23:59:59-12:00', "
                     "last_reported = '9999-12-31T23:59:59-12:00'")
    store.db.execute("DELETE FROM _migrations WHERE name = '013_implausible_dates'")  # an older database
    store.close()
    store = Store.open(db)
    try:
        assert store.article(bad)["published"] is None
        assert store.article(good)["published"] == recent
        first, last = store.db.execute("SELECT first_reported, last_reported FROM stories").fetchone()
        assert parse_date(first) is not None and parse_date(last) is not None
        assert [hit["id"] for hit in latest(store, 2)][0] in (good, bad)
        assert all(parse_date(hit["published"] or hit["fetched"]) for hit in latest(store, 2))
    finally:
        store.close()
