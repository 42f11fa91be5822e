"""A crawl killed halfway loses no alerts (issue 10, item 5).

Real ``pantau crawl`` subprocesses against the local news server, SIGKILLed
while storing articles, then rerun; ``pantau send`` delivers through the real
python-telegram-bot stack to the loopback fake Bot API.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

from tests.crawler.conftest import PANTAU, db_rows, make_env, run_pantau, write_sources
from tests.fakes.telegram_api import FakeTelegram

NAMES = ["Lintasnusa", "Kirimcepat", "Gudangraya", "Paketindo", "Sortirku", "Antarkilat", "Logistara",
         "Kurirnesia", "Bongkarmuat", "Ekspedia", "Rakitmesin", "Tokotani", "Layanpintar", "Bantuhalo",
         "Kasirmaju", "Tagihbayar", "Rekamdata", "Arsipku", "Hitungpajak", "Terjemahin"]


def published(i: int) -> datetime:
    """Recent (alerts are only pushed for fresh news), one story a minute apart."""
    return (datetime.now(timezone.utc) - timedelta(hours=2, minutes=i)).replace(microsecond=0)


def story_title(i: int) -> str:
    return f"Startup {NAMES[i]} PHK {100 + 37 * i} Karyawan, Pekerjaan Kini Dikerjakan AI"


def story_page(i: int) -> str:
    n, cut, t = NAMES[i], 100 + 37 * i, story_title(i)
    return f"""<!doctype html><html lang="id"><head><meta charset="utf-8"><title>{t}</title>
<meta property="og:title" content="{t}">
<meta property="article:published_time" content="{published(i).isoformat()}"></head>
<body><article><h1>{t}</h1><div class="isi">
<p>Jakarta - Perusahaan rintisan {n} melakukan pemutusan hubungan kerja (PHK) terhadap {cut} karyawan pekan ini.
Manajemen {n} menyebut keputusan itu diambil setelah pekerjaan mereka beralih ke sistem kecerdasan buatan (AI).</p>
<p>Direktur {n} mengatakan AI kini mampu mengerjakan tugas para karyawan itu lebih cepat, sehingga perusahaan
memangkas {cut} posisi. Karyawan yang terkena PHK dijanjikan pesangon sesuai aturan.</p>
<p>Serikat pekerja menilai {n} terlalu cepat mengganti pekerja dengan AI tanpa program pelatihan ulang.</p>
</div></article></body></html>"""


def story_feed(count: int) -> str:
    items = "".join(
        f"<item><title>{story_title(i)}</title><link>{{{{BASE}}}}/kill/berita-{i}.html</link>"
        f"<guid isPermaLink=\"false\">kill-{i}</guid><pubDate>{format_datetime(published(i))}</pubDate>"
        f"<description>{NAMES[i]} memangkas karyawan karena AI.</description></item>" for i in range(count))
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Kabar Kill</title>'
            f"<link>{{{{BASE}}}}/kill/</link><description>uji</description>{items}</channel></rss>")


def count_articles(db) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def test_crawl_killed_halfway_then_rerun_alerts_every_story_exactly_once(news, tmp_path):
    for i in range(len(NAMES)):
        news.put(f"/kill/berita-{i}.html", story_page(i))
    news.put("/kill/rss.xml", story_feed(len(NAMES)), content_type="application/rss+xml; charset=utf-8")
    write_sources(tmp_path / "sources.toml", [{"name": "kill", "url": news.url + "/kill/rss.xml"}])
    db = tmp_path / "pantau.db"
    with FakeTelegram(long_poll_cap=0.3) as tg:
        env = make_env(tmp_path, PANTAU_POLITE="1", TELEGRAM_CHANNEL_ID="@pantauphk")
        # polite crawling stores one article about every half second: SIGKILL after a few
        proc = subprocess.Popen([str(PANTAU), "crawl"], env=env, cwd=tmp_path, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while count_articles(db) < 3 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert proc.poll() is None, "the crawl finished before it could be killed"
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        stored = count_articles(db)
        assert 3 <= stored < len(NAMES), stored
        assert db_rows(db, "SELECT status FROM crawls") == [{"status": "running"}]

        rerun = run_pantau("crawl", env=make_env(tmp_path, TELEGRAM_CHANNEL_ID="@pantauphk"))
        assert rerun.returncode == 0, rerun.stderr
        statuses = [r["status"] for r in db_rows(db, "SELECT status FROM crawls ORDER BY id")]
        assert statuses == ["killed", "ok"], statuses
        assert db_rows(db, "SELECT COUNT(*) AS n FROM articles WHERE match = 1")[0]["n"] == len(NAMES)

        send_env = make_env(tmp_path, TELEGRAM_CHANNEL_ID="@pantauphk", TELEGRAM_BOT_TOKEN=tg.token,
                            TELEGRAM_API_URL=tg.url)
        sent = run_pantau("send", env=send_env)
        assert sent.returncode == 0, sent.stderr
        again = run_pantau("crawl", env=send_env)  # nothing new: nothing queued again
        assert again.returncode == 0, again.stderr
        run_pantau("send", env=send_env)
        texts = [m.get("text") or "" for m in tg.messages_to("@pantauphk")]
        per_story = Counter(name for name in NAMES for t in texts if f"Startup {name} PHK" in t)
        assert per_story == Counter({name: 1 for name in NAMES}), (per_story, sent.stdout)
        assert len(texts) == len(NAMES)
