"""The service (`pantau run` / scheduler.py): wiring, ticks, cron beside it, shutdown."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.fakes.news_server import NewsServer  # noqa: E402

PANTAU = Path(sys.executable).parent / "pantau"

EMPTY_RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Kabar Baru</title><link>{{BASE}}/baru/</link>
<description>Kanal uji</description></channel></rss>"""

NEW_RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Kabar Baru</title><link>{{BASE}}/baru/</link>
<description>Kanal uji</description>
<item><title>Startup Logistik Lintasnusa PHK 350 Karyawan, Gudang Kini Dikelola Robot AI</title>
<link>{{BASE}}/baru/lintasnusa-phk.html?utm_source=rss</link><guid isPermaLink="false">baru-1</guid>
<pubDate>Tue, 28 Oct 2025 10:00:00 +0700</pubDate>
<description>Lintasnusa merumahkan 350 karyawan gudang setelah otomatisasi berbasis AI.</description></item>
</channel></rss>"""

NEW_PAGE = """<!doctype html><html lang="id"><head><meta charset="utf-8">
<title>Startup Logistik Lintasnusa PHK 350 Karyawan, Gudang Kini Dikelola Robot AI</title>
<meta property="og:title" content="Startup Logistik Lintasnusa PHK 350 Karyawan, Gudang Kini Dikelola Robot AI">
<meta property="og:site_name" content="Kabar Baru">
<meta property="article:published_time" content="2025-10-28T10:00:00+07:00">
<meta name="author" content="Rina Pratiwi"></head>
<body><nav><a href="/">Beranda</a> <a href="/tekno">Tekno</a></nav>
<article><h1>Startup Logistik Lintasnusa PHK 350 Karyawan, Gudang Kini Dikelola Robot AI</h1>
<div class="isi">
<p>Jakarta - Perusahaan rintisan logistik Lintasnusa melakukan pemutusan hubungan kerja (PHK) terhadap 350 karyawan
gudang pekan ini. Manajemen menyebut keputusan itu diambil setelah pusat distribusi mereka beralih ke sistem
otomatisasi berbasis kecerdasan buatan (AI) dan robot pemilah paket.</p>
<p>Baca juga: Harga Ponsel Lipat Turun Jelang Akhir Tahun</p>
<p>Direktur operasional Lintasnusa mengatakan robot AI kini mampu memilah paket tiga kali lebih cepat, sehingga
perusahaan memangkas posisi penyortir manual. Karyawan yang terkena PHK dijanjikan pesangon sesuai aturan.</p>
<p>Serikat pekerja menilai perusahaan terlalu cepat mengganti pekerja dengan AI tanpa program pelatihan ulang.
Mereka meminta Kementerian Ketenagakerjaan turun tangan memeriksa proses PHK tersebut.</p>
<p>Pengamat ketenagakerjaan menyebut gelombang otomatisasi gudang akan memicu PHK serupa di industri logistik
jika tidak diimbangi pelatihan keterampilan baru bagi para pekerja.</p>
</div></article><footer>Hak cipta Kabar Baru</footer></body></html>"""


def write_sources(path: Path, entries: list[tuple[str, str]]) -> None:
    lines = []
    for name, url in entries:
        lines += ["[[source]]", f'name = "{name}"', f'url = "{url}"', ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def service_env(tmp: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PANTAU_", "TELEGRAM_"))}
    env.update(PANTAU_DB=str(tmp / "pantau.db"), PANTAU_SOURCES=str(tmp / "sources.toml"),
               PANTAU_POLITE="0", PANTAU_DOWNLOAD_TIMEOUT="3", PANTAU_FEED_PATH=str(tmp / "feed.xml"),
               PANTAU_ALERT_MAX_AGE_HOURS="876000",  # the fixture stories are from 2025
               PYTHONUNBUFFERED="1")
    env.update({k: str(v) for k, v in extra.items()})
    return env


def wait_for(predicate, timeout: float, what: str, proc=None, log=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        if proc is not None and proc.poll() is not None:
            break
        time.sleep(0.2)
    extra = log.read_text(errors="replace")[-3000:] if log is not None and log.exists() else ""
    raise AssertionError(f"timed out waiting for {what}\n{extra}")


def start_service(tmp: Path, env: dict, argv=None):
    out = tmp / "service.out"
    err = tmp / "service.err"
    proc = subprocess.Popen(argv or [str(PANTAU), "run"], env=env, cwd=tmp, stdout=out.open("wb"),
                            stderr=err.open("wb"), stdin=subprocess.DEVNULL)
    return proc, out, err


def stop_service(proc, sig=signal.SIGTERM) -> tuple[int, float]:
    t0 = time.monotonic()
    proc.send_signal(sig)
    try:
        rc = proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        raise AssertionError("service did not stop within 15 s")
    return rc, time.monotonic() - t0


def test_scheduler_wiring(tmp_path, monkeypatch):
    """The jobs and their triggers: crawl every interval (first at start), digest 07:00 WIB, housekeeping."""
    import asyncio

    from apscheduler.triggers.cron import CronTrigger
    from apscheduler.triggers.interval import IntervalTrigger

    import scheduler
    from crawler.config import Settings

    settings = Settings(env={"PANTAU_DB": str(tmp_path / "p.db"), "PANTAU_CRAWL_INTERVAL": "0.25"}, dotenv=None)

    async def build():
        service = scheduler.Service(settings)
        sched = service.build_scheduler()
        sched.start(paused=True)
        jobs = {job.id: job for job in sched.get_jobs()}
        sched.shutdown(wait=False)
        service.store.close()
        return jobs

    jobs = asyncio.run(build())
    # crawls run on a monotonic clock (Service.crawl_loop, tests/test_scheduler_clock.py), not as a job
    assert set(jobs) == {"digest", "housekeeping"}
    assert not any(isinstance(job.trigger, IntervalTrigger) for job in jobs.values())
    digest = jobs["digest"]
    assert isinstance(digest.trigger, CronTrigger)
    fields = {f.name: str(f) for f in digest.trigger.fields}
    assert fields["hour"] == "7" and fields["minute"] == "0"
    assert str(digest.trigger.timezone) in ("WIB", "UTC+07:00") or digest.trigger.timezone.utcoffset(None).total_seconds() == 7 * 3600
    assert isinstance(jobs["housekeeping"].trigger, CronTrigger)


def test_service_without_token_prints_alerts_on_ticks_and_stops_on_sigterm(tmp_path):
    with NewsServer() as news:
        news.put("/baru/rss.xml", EMPTY_RSS, content_type="application/rss+xml; charset=utf-8")
        write_sources(tmp_path / "sources.toml", [("detik", f"{news.url}/detik/rss.xml"),
                                                  ("Kabar Baru", f"{news.url}/baru/rss.xml")])
        env = service_env(tmp_path, PANTAU_CRAWL_INTERVAL="0.05")  # 3 s
        proc, out, err = start_service(tmp_path, env)
        try:
            # first crawl at start: flagged fixture stories are printed as alerts
            wait_for(lambda: "Amazon" in out.read_text(errors="replace"), 60, "first alerts", proc, err)
            first = out.read_text(errors="replace")
            assert "Lintasnusa" not in first
            # a story published later is printed on a later tick, once
            news.put("/baru/lintasnusa-phk.html", NEW_PAGE, content_type="text/html; charset=utf-8")
            news.put("/baru/rss.xml", NEW_RSS, content_type="application/rss+xml; charset=utf-8")
            wait_for(lambda: "Lintasnusa" in out.read_text(errors="replace"), 60, "new story alert", proc, err)
            # let another tick pass: nothing is printed twice
            crawls_before = len(news.hits("/detik/rss.xml"))
            wait_for(lambda: len(news.hits("/detik/rss.xml")) > crawls_before, 30, "another tick", proc, err)
            time.sleep(1.0)
        finally:
            rc, took = stop_service(proc)
        text = out.read_text(errors="replace")
        assert rc == 0, err.read_text(errors="replace")[-2000:]
        assert took < 10
        assert text.count("Lintasnusa PHK 350 Karyawan") == 1
        assert text.count("Amazon PHK 14.000") <= 1
        log = err.read_text(errors="replace")
        assert "crawl:" in log  # one log line per crawl
        assert (tmp_path / "feed.xml").exists()  # Atom feed kept current


def test_cron_crawl_beside_running_service_exits_zero_without_touching_anything(tmp_path):
    with NewsServer() as news, NewsServer() as slow:
        write_sources(tmp_path / "sources.toml", [("detik", f"{news.url}/detik/rss.xml"),
                                                  ("lambat", f"{slow.url}/fault/slow?seconds=8")])
        env = service_env(tmp_path, PANTAU_CRAWL_INTERVAL="10", PANTAU_DOWNLOAD_TIMEOUT="15")
        proc, out, err = start_service(tmp_path, env)
        try:
            from crawler.crawl import is_crawl_running

            wait_for(lambda: is_crawl_running(tmp_path / "pantau.db"), 30, "service crawl in progress", proc, err)
            time.sleep(1.0)
            cron = subprocess.run([str(PANTAU), "crawl"], env=env, cwd=tmp_path, capture_output=True,
                                  text=True, timeout=60)
            assert cron.returncode == 0, cron.stderr
            assert "already running" in cron.stdout
            assert is_crawl_running(tmp_path / "pantau.db")  # the service's crawl was still on
            assert len(slow.hits("/fault/slow")) <= 1  # the cron run fetched nothing
        finally:
            rc, took = stop_service(proc)
        assert rc == 0
        assert took < 10  # SIGTERM during a crawl still stops quickly
        # after the service stopped, a cron crawl works and finds nothing new twice
        done = subprocess.run([str(PANTAU), "crawl"], env=dict(env, PANTAU_DOWNLOAD_TIMEOUT="3"), cwd=tmp_path,
                              capture_output=True, text=True, timeout=90)
        assert done.returncode == 0 and done.stdout.startswith("crawl:")
        import sqlite3

        con = sqlite3.connect(tmp_path / "pantau.db")
        dupes = con.execute("SELECT url, COUNT(*) FROM articles GROUP BY url HAVING COUNT(*) > 1").fetchall()
        assert dupes == []


def test_python_scheduler_py_is_pantau_run(tmp_path):
    with NewsServer() as news:
        write_sources(tmp_path / "sources.toml", [("detik", f"{news.url}/detik/rss.xml")])
        env = service_env(tmp_path, PANTAU_CRAWL_INTERVAL="5")
        proc, out, err = start_service(tmp_path, env, [sys.executable, str(ROOT / "scheduler.py")])
        try:
            wait_for(lambda: "Amazon" in out.read_text(errors="replace"), 60, "alerts", proc, err)
        finally:
            rc, took = stop_service(proc, signal.SIGINT)
        assert rc == 0 and took < 10


def test_status_exits_nonzero_when_stale(tmp_path):
    env = service_env(tmp_path)
    write_sources(tmp_path / "sources.toml", [("x", "http://127.0.0.1:9/rss.xml")])
    r = subprocess.run([str(PANTAU), "status"], env=env, cwd=tmp_path, capture_output=True, text=True)
    assert r.returncode == 1 and "does not exist" in r.stderr  # a read-only command creates no database
    subprocess.run([str(PANTAU), "housekeeping"], env=env, cwd=tmp_path, capture_output=True, text=True)
    r = subprocess.run([str(PANTAU), "status"], env=env, cwd=tmp_path, capture_output=True, text=True)
    assert r.returncode == 3 and "last crawl: never" in r.stdout
    with NewsServer() as news:
        write_sources(tmp_path / "sources.toml", [("detik", f"{news.url}/detik/rss.xml")])
        subprocess.run([str(PANTAU), "crawl"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=90)
    r = subprocess.run([str(PANTAU), "status"], env=env, cwd=tmp_path, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout
    assert "pending alerts:" in r.stdout and "flagged" in r.stdout
    # three intervals later the same crawl is stale
    r = subprocess.run([str(PANTAU), "status"], env=dict(env, PANTAU_CRAWL_INTERVAL="0.001"), cwd=tmp_path,
                       capture_output=True, text=True)
    assert r.returncode != 0 and "NOT OK" in r.stdout


def test_service_with_token_alerts_answers_and_alerts_later_story(tmp_path):
    from tests.fakes.telegram_api import FakeTelegram

    with NewsServer() as news, FakeTelegram(long_poll_cap=0.5) as tg:
        news.put("/baru/rss.xml", EMPTY_RSS, content_type="application/rss+xml; charset=utf-8")
        write_sources(tmp_path / "sources.toml", [("detik", f"{news.url}/detik/rss.xml"),
                                                  ("Kabar Baru", f"{news.url}/baru/rss.xml")])
        env = service_env(tmp_path, PANTAU_CRAWL_INTERVAL="0.05", TELEGRAM_BOT_TOKEN=tg.token,
                          TELEGRAM_API_URL=tg.url, TELEGRAM_CHANNEL_ID="@pantauphk", PANTAU_ADMIN_IDS="777")
        proc, out, err = start_service(tmp_path, env)
        try:
            # crawl → alert in the channel
            tg.wait_for(lambda sent: [m for m in sent if m["chat_id"] == "@pantauphk"], timeout=60)
            assert tg.commands, "command menu set at start"
            # a user asks for the latest stories and gets an answer from the same process
            tg.push_message(4242, "/terbaru")
            reply = tg.wait_for_messages(4242, 1, timeout=20)[0]
            assert "Amazon" in reply["plain_text"]
            # a story published later is alerted on a later tick
            news.put("/baru/lintasnusa-phk.html", NEW_PAGE, content_type="text/html; charset=utf-8")
            news.put("/baru/rss.xml", NEW_RSS, content_type="application/rss+xml; charset=utf-8")
            tg.wait_for(lambda sent: [m for m in sent if m["chat_id"] == "@pantauphk"
                                      and "Lintasnusa" in m["plain_text"]], timeout=60)
            ticks = len(news.hits("/baru/rss.xml"))
            wait_for(lambda: len(news.hits("/baru/rss.xml")) > ticks + 1, 30, "two more ticks", proc, err)
        finally:
            rc, took = stop_service(proc)
        assert rc == 0 and took < 10
        channel = [m for m in tg.sent if m["chat_id"] == "@pantauphk" and m["method"] == "sendMessage"]
        links = [m["plain_text"].rsplit("🔗 ", 1)[-1] for m in channel]
        assert len(links) == len(set(links)), "an alert was sent twice"
        assert sum("Lintasnusa" in m["plain_text"] for m in channel) == 1
        log = err.read_text(errors="replace") + out.read_text(errors="replace")
        assert tg.token not in log and tg.token.split(":")[1] not in log
        assert "send:" in log  # one line per delivery batch
        import sqlite3

        con = sqlite3.connect(tmp_path / "pantau.db")
        assert con.execute("SELECT COUNT(*) FROM alerts WHERE status = 'pending'").fetchone()[0] == 0
