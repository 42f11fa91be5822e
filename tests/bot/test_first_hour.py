"""The first hour (issue 12), bot side: honest health through `pantau send`/`status`/`run` and
/status, /sumber for users, the digest by story, subscriptions people can manage, /uji with one
sentence, /cari hints that find something, and a pointer for plain text.

Everything goes through the real PTB stack against the loopback FakeTelegram, or the real
``pantau`` console script."""

from __future__ import annotations

import itertools
import re
import sqlite3
import time
from datetime import datetime, timedelta, timezone

import pytest

from crawler import outbox
from crawler.health import META_AUTH, record_telegram, telegram_state
from crawler.store import Store
from crawler.stories import assign_story
from tests.bot.conftest import ADMIN, CHANNEL, PANTAU, RunningBot, make_env, make_settings, run_pantau, seed
from tests.fakes.telegram_api import FakeTelegram

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

_chats = itertools.count(31001)
WIB = timezone(timedelta(hours=7))


def _iso(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).replace(microsecond=0).isoformat()


def fresh_crawl(store: Store, ok: int = 5, failed: int = 0, minutes_ago: float = 1) -> None:
    done = datetime.now(timezone.utc) - timedelta(minutes=minutes_ago)
    with store.write():
        store.db.execute("INSERT INTO crawls (started, finished, status, sources_ok, sources_failed) "
                         "VALUES (?, ?, 'ok', ?, ?)", [_iso(done - timedelta(seconds=20)), _iso(done), ok, failed])


def ask(tg, text, chat=None, **kw):
    chat = chat or next(_chats)
    before = len(tg.messages_to(chat))
    tg.push_message(chat, text, **kw)
    return tg.wait_for_messages(chat, before + 1, timeout=10)[before]


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "pantau.db")
    outbox.ensure_schema(s)
    yield s
    s.close()


@pytest.fixture
def bot(tg, store):
    with RunningBot(make_settings(tg, store.path)) as running:
        yield tg, store, running


# -- honest health: Telegram's answers, admins told once each way --------------------------------

def test_rejected_token_is_reported_as_rejected_and_fails_status(tmp_path, store):
    with FakeTelegram(valid_tokens={"999:another-token_xxxxxxxxxxxxxxxxxx"}) as tg:
        fresh_crawl(store)
        env = make_env(tg, store.path)
        proc = run_pantau("send", env=env)
        assert proc.returncode == 1
        assert "rejected the bot token" in proc.stderr and "not set" not in proc.stderr
        assert tg.token not in proc.stdout + proc.stderr
        assert telegram_state(store, "auth")["ok"] is False
        proc = run_pantau("status", env=env)
        assert proc.returncode == 5, proc.stdout
        assert re.search(r"status: NOT OK — Telegram rejected the bot token \(401 Unauthorized\) at "
                         r"\d{2}:\d{2} WIB", proc.stdout), proc.stdout
        proc = run_pantau("digest", env=env)
        assert proc.returncode == 1 and "rejected the bot token (401 Unauthorized); no digest was sent" in proc.stderr
        # the token fixed: the next send records it and status is OK again
        tg.valid_tokens.add(tg.token)
        assert run_pantau("send", env=env).returncode == 0
        assert telegram_state(store, "auth")["ok"] is True
        assert run_pantau("status", env=env).returncode == 0


def test_channel_403_fails_status_and_admins_are_told_once_each_way(tg, store):
    fresh_crawl(store)
    env = make_env(tg, store.path)
    tg.block_chat(CHANNEL, "Forbidden: bot is not a member of the channel chat")
    outbox.enqueue_alerts(store, make_settings(tg, store.path), [seed(store)])

    def health_messages():
        return [m["plain_text"] for m in tg.messages_to(ADMIN) if "Pantau PHK" in m["plain_text"]
                and ("bermasalah" in m["plain_text"] or "kembali normal" in m["plain_text"])]

    assert run_pantau("send", env=env).returncode == 0
    told = health_messages()
    assert len(told) == 1 and "sedang bermasalah" in told[0]
    assert f"kanal {CHANNEL} menolak peringatan terakhir (403" in told[0]
    proc = run_pantau("status", env=env)
    assert proc.returncode == 5 and f"the channel {CHANNEL} refused the last alert (403" in proc.stdout

    assert run_pantau("send", env=env).returncode == 0  # still failing: nothing new for the admins
    assert len(health_messages()) == 1

    tg.unblock_chat(CHANNEL)
    assert run_pantau("send", env=env).returncode == 0
    told = health_messages()
    assert len(told) == 2 and "kembali normal" in told[1]
    assert run_pantau("status", env=env).returncode == 0
    assert run_pantau("send", env=env).returncode == 0
    assert len(health_messages()) == 2


def test_alerts_not_draining_fail_status_with_exit_6(tg, store):
    fresh_crawl(store)
    env = make_env(tg, store.path, PANTAU_HEALTH_MAX_PENDING_MINUTES="30")
    outbox.enqueue_alerts(store, make_settings(tg, store.path), [seed(store)])
    with store.write():
        store.db.execute("UPDATE alerts SET created = ?", [_iso(datetime.now(timezone.utc) - timedelta(hours=2))])
    proc = run_pantau("status", env=env)
    assert proc.returncode == 6
    assert re.search(r"1 alerts pending longer than 30 min \(oldest since (?:\d{1,2} [A-Z][a-z]{2} )?\d{2}:\d{2} WIB\)", proc.stdout)
    with store.write():  # delivered after all, but another alert was given up on
        store.db.execute("UPDATE alerts SET status = 'sent'")
    outbox.enqueue_alerts(store, make_settings(tg, store.path), [seed(store)])
    with store.write():
        store.db.execute("UPDATE alerts SET status = 'failed', last_error = '400: chat not found' "
                         "WHERE status = 'pending'")
    proc = run_pantau("status", env=env)
    assert proc.returncode == 6 and "1 alerts failed for good in the last 24 h" in proc.stdout
    # without a token nothing is sent (dry run): pending alerts are no fault
    dry = make_env(None, store.path, PANTAU_HEALTH_MAX_PENDING_MINUTES="30")
    assert run_pantau("status", env=dry).returncode == 0


def test_service_says_a_rejected_token_is_rejected_at_start(tmp_path):
    import subprocess

    from tests.test_scheduler import start_service, stop_service, wait_for

    with FakeTelegram(valid_tokens=set()) as tg:
        (tmp_path / "sources.toml").write_text("", encoding="utf-8")
        env = make_env(tg, tmp_path / "pantau.db", PANTAU_SOURCES=str(tmp_path / "sources.toml"),
                       PANTAU_CRAWL_INTERVAL="60")
        full = {k: v for k, v in __import__("os").environ.items() if not k.startswith(("PANTAU_", "TELEGRAM_"))}
        full.update(env)
        proc, out, err = start_service(tmp_path, full)
        try:
            wait_for(lambda: "rejected" in err.read_text(errors="replace"), 30, "the rejection", proc, err)
        finally:
            stop_service(proc)
        log = err.read_text(errors="replace")
        assert "Telegram rejected TELEGRAM_BOT_TOKEN (401 Unauthorized)" in log
        assert "is not set" not in log and "no TELEGRAM_BOT_TOKEN" not in log
        assert tg.token not in log
        con = sqlite3.connect(tmp_path / "pantau.db")
        value = con.execute("SELECT value FROM meta WHERE key = ?", [META_AUTH]).fetchone()[0]
        assert '"ok": false' in value


def test_status_command_shows_health_and_all_sources_failed(bot):
    tg, store, _ = bot
    fresh_crawl(store, ok=0, failed=12)
    with store.write():
        store.db.execute("INSERT INTO sources (name, url, type, last_attempt, consecutive_failures, last_error, "
                         "last_error_at, next_attempt_after) VALUES ('detik', 'https://d.example/rss', 'rss', ?, 2, "
                         "'DNS lookup failed', ?, ?)", [_iso(datetime.now(timezone.utc))] * 2
                         + [_iso(datetime.now(timezone.utc) + timedelta(minutes=30))])
    text = ask(tg, "/status", ADMIN)["plain_text"]
    assert "❌ Bermasalah" in text
    assert "semua sumber gagal — periksa koneksi internet/DNS (0 dari 12 menjawab)" in text
    assert re.search(r"crawl berikutnya (?:\d{1,2} [A-Z][a-z]{2} )?\d{2}\.\d{2} WIB", text)
    assert "detik: gagal 2× — DNS lookup failed" in text  # details for admins
    assert re.search(r"detik: sampai (?:\d{1,2} [A-Z][a-z]{2} )?\d{2}\.\d{2} WIB", text)
    # /sumber for everyone: short states, no error text
    text = ask(tg, "/sumber")["plain_text"]
    assert re.search(r"⚠️ detik — tidak bisa dihubungi sejak (?:\d{1,2} [A-Z][a-z]{2} )?\d{2}\.\d{2} WIB", text)
    assert "DNS lookup" not in text
    assert re.search(r"Saat ini tidak ada sumber yang bisa dihubungi; dicoba lagi sekitar pukul (?:\d{1,2} [A-Z][a-z]{2} )?\d{2}\.\d{2} WIB",
                     text)
    fresh_crawl(store, ok=11, failed=1, minutes_ago=0)  # the network is back
    text = ask(tg, "/status", ADMIN)["plain_text"]
    assert "✅ Sehat" in text and "Telegram: token diterima" in text  # recorded when the bot started
    assert "Saat ini tidak ada sumber" not in ask(tg, "/sumber")["plain_text"]


def test_failing_since_is_the_start_of_the_failure_run(store):
    with store.write():
        store.db.execute("INSERT INTO sources (name, url, type, consecutive_failures) VALUES ('a', 'u', 'rss', 0)")
    for n, stamp in enumerate(["2026-01-01T01:00:00+00:00", "2026-01-01T02:00:00+00:00"], start=1):
        with store.write():
            store.db.execute("UPDATE sources SET consecutive_failures = ?, last_error_at = ? WHERE name = 'a'",
                             [n, stamp])
    assert store.source_state("a")["failing_since"] == "2026-01-01T01:00:00+00:00"
    with store.write():
        store.db.execute("UPDATE sources SET consecutive_failures = 0 WHERE name = 'a'")
    assert store.source_state("a")["failing_since"] is None


# -- the digest lists stories, and only recent ones ----------------------------------------------

def test_digest_one_line_per_story_and_no_old_news(tg, store):
    now = datetime.now(timezone.utc)
    text = ("Amazon memangkas 14.000 karyawan korporat karena beralih ke kecerdasan buatan. " * 4)
    first = seed(store, title="Amazon PHK 14.000 Karyawan demi AI", companies=["Amazon"], jobs_cut=14000,
                 text=text, outlet="Detik", published=_iso(now - timedelta(hours=5)), fetched=_iso(now))
    second = seed(store, title="Amazon Pangkas 14.000 Pegawai, Dana ke AI", companies=["Amazon"],
                  jobs_cut=14000, text=text, outlet="Kompas", published=_iso(now - timedelta(hours=4)),
                  fetched=_iso(now))
    old = seed(store, title="Startup Lama PHK karena AI", companies=["Lama"], outlet="Tempo",
               published="2025-10-01T10:00:00+07:00", fetched=_iso(now))
    for a in (first, second, old):
        assign_story(store, a)
    outbox.subscribe(store, 5005, keywords=[], daily=True)
    proc = run_pantau("digest", env=make_env(tg, store.path, PANTAU_ALERT_MAX_AGE_HOURS="48"))
    assert proc.returncode == 0, proc.stderr
    msg = tg.messages_to(5005)[-1]["plain_text"]
    assert "1 peristiwa PHK baru (dari 2 berita):" in msg
    assert len(re.findall(r"^\d+\. .*Amazon", msg, re.M)) == 1 and "Juga diberitakan: Detik" in msg
    assert "Lama" not in msg


# -- subscriptions -------------------------------------------------------------------------------

def test_langganan_shows_and_changes_settings_step_by_step(bot):
    tg, store, _ = bot
    chat = next(_chats)
    text = ask(tg, "/langganan", chat)["plain_text"]
    assert "Langganan aktif: chat ini akan menerima setiap peringatan" in text
    text = ask(tg, "/langganan", chat)["plain_text"]  # again: only shows the settings
    assert "Langganan chat ini" in text and "semua berita PHK karena AI (tanpa kata kunci)" in text
    assert "setiap peringatan langsung dikirim" in text and "/langganan tambah" in text
    assert "/langganan harian — ringkasan sekali sehari, pukul 07.00 WIB" in text

    text = ask(tg, "/langganan tambah bank fintech", chat)["plain_text"]
    assert "Kata kunci ditambahkan: bank, fintech." in text
    text = ask(tg, "/langganan tambah bank gojek", chat)["plain_text"]
    assert "Kata kunci ditambahkan: gojek." in text and "Sudah ada: bank." in text
    assert outbox.get_subscriber(store, chat)["keywords"] == ["bank", "fintech", "gojek"]

    text = ask(tg, "/langganan hapus bank tokopedia", chat)["plain_text"]
    assert "Kata kunci dihapus: bank." in text and "Tidak ada di daftar: tokopedia." in text
    assert "hanya yang memuat kata kunci fintech, gojek" in text

    text = ask(tg, "/langganan harian", chat)["plain_text"]
    assert "ringkasan harian setiap hari pukul 07.00 WIB" in text
    sub = outbox.get_subscriber(store, chat)
    assert sub["daily"] == 1 and sub["keywords"] == ["fintech", "gojek"]  # keywords kept

    text = ask(tg, "/langganan ai robot", chat)["plain_text"]  # replacing is said, with the old list
    assert "Kata kunci diganti: fintech, gojek → ai, robot." in text
    assert outbox.get_subscriber(store, chat)["keywords"] == ["ai", "robot"]

    text = ask(tg, "/langganan langsung", chat)["plain_text"]
    assert "setiap peringatan langsung" in text and outbox.get_subscriber(store, chat)["daily"] == 0
    text = ask(tg, "/langganan hapus ai robot", chat)["plain_text"]
    assert "Tidak ada kata kunci lagi, jadi chat ini menerima semua berita PHK karena AI." in text
    ask(tg, "/langganan tambah bank", chat)
    text = ask(tg, "/langganan semua", chat)["plain_text"]
    assert "Kata kunci dikosongkan" in text and outbox.get_subscriber(store, chat)["keywords"] == []


def test_langganan_harian_says_the_configured_hour(tg, store):
    with RunningBot(make_settings(tg, store.path, PANTAU_DIGEST_HOUR="18")):
        text = ask(tg, "/langganan harian")["plain_text"]
        assert "setiap hari pukul 18.00 WIB" in text
        assert "pukul 18.00 WIB" in ask(tg, "/bantuan")["plain_text"]


# -- /uji ------------------------------------------------------------------------------------------

def test_uji_example_from_its_own_hint_answers_yes_with_evidence(bot):
    tg, _, _ = bot
    hint = ask(tg, "/uji", ADMIN)["plain_text"]
    example = re.search(r"(/uji .+)$", hint, re.M).group(1)
    text = ask(tg, example, ADMIN)["plain_text"]
    assert "✅ YA — PHK karena AI" in text
    assert "Kalimat bukti: “Startup X PHK 200 karyawan karena AI" in text
    assert "Jumlah PHK: 200" in text and "Kenapa:" in text
    # the channel alert explains itself with the same word
    from bot.format import format_alert

    assert "<i>Kenapa:</i>" in format_alert({"title": "x", "reasons": ["judul: PHK + AI"], "url": "https://a.b/c"})


# -- /cari hints and plain text --------------------------------------------------------------------

def test_cari_hints_absent_on_fresh_archive_and_real_when_events_exist(bot):
    tg, store, _ = bot
    text = ask(tg, "/cari")["plain_text"]
    assert text == "Tulis kata kunci setelah perintah."
    help_text = ask(tg, "/bantuan")["plain_text"]
    assert "/cari <kata kunci> — cari berita\n" in help_text and "/cari@pantau_phk_bot <kata kunci>" in help_text
    assert "misalnya" not in ask(tg, "/cari zzz")["plain_text"]

    for i in range(3):
        assign_story(store, seed(store, title=f"Klarna PHK gelombang {i}", companies=["Klarna"],
                                 published=f"2025-0{i + 1}-10T10:00:00+07:00"))
    assign_story(store, seed(store, title="Tokoku PHK karena AI", companies=["Tokoku"]))
    text = ask(tg, "/cari")["plain_text"]
    examples = re.findall(r"/cari (\w+)", text)
    assert examples[0] == "Klarna" and set(examples) == {"Klarna", "Tokoku"}
    for word in examples:  # every example shown finds something
        assert "Tidak ada berita" not in ask(tg, f"/cari {word}")["plain_text"]
    assert "/cari Klarna" in ask(tg, "/bantuan")["plain_text"]
    assert "misalnya: Klarna, Tokoku." in ask(tg, "/cari zzz")["plain_text"]


def test_plain_text_in_private_chat_points_to_cari(bot):
    tg, _, _ = bot
    reply = ask(tg, "phk gojek")["plain_text"]
    assert reply == ("Untuk mencari berita, ketik /cari lalu kata kuncinya, misalnya /cari phk gojek. "
                     "Daftar perintah: /bantuan.")
    group = -100987
    tg.push_message(group, "halo semua", chat_type="supergroup")
    ask(tg, "/bantuan@pantau_phk_bot", group)
    assert len(tg.messages_to(group)) == 1  # groups: plain talk is not answered


def test_service_tells_admins_once_when_sources_fail_and_once_when_they_recover(tmp_path):
    from tests.fakes.news_server import NewsServer
    from tests.test_scheduler import EMPTY_RSS, service_env, start_service, stop_service, wait_for, write_sources

    def told(tg):
        return [m["plain_text"] for m in tg.messages_to(ADMIN)
                if "sedang bermasalah" in m["plain_text"] or "kembali normal" in m["plain_text"]]

    with NewsServer() as news, FakeTelegram(long_poll_cap=0.5) as tg:
        news.put("/satu/rss.xml", "oops", content_type="text/plain", status=500)
        news.put("/dua/rss.xml", "oops", content_type="text/plain", status=500)
        write_sources(tmp_path / "sources.toml", [("satu", f"{news.url}/satu/rss.xml"),
                                                  ("dua", f"{news.url}/dua/rss.xml")])
        env = service_env(tmp_path, PANTAU_CRAWL_INTERVAL="0.05", TELEGRAM_BOT_TOKEN=tg.token,
                          TELEGRAM_API_URL=tg.url, TELEGRAM_CHANNEL_ID=CHANNEL, PANTAU_ADMIN_IDS=str(ADMIN))
        proc, out, err = start_service(tmp_path, env)
        try:
            wait_for(lambda: told(tg), 60, "the admins told", proc, err)
            first = told(tg)[0]
            assert "semua sumber gagal — periksa koneksi internet/DNS (0 dari 2 menjawab)" in first
            ticks = len(news.hits("/satu/rss.xml"))
            wait_for(lambda: len(news.hits("/satu/rss.xml")) >= ticks + 2 or None, 40, "two more crawls", proc, err)
            assert len(told(tg)) == 1  # still failing: told once
            news.put("/satu/rss.xml", EMPTY_RSS.replace("{{BASE}}", news.url),
                     content_type="application/rss+xml; charset=utf-8")
            wait_for(lambda: len(told(tg)) >= 2, 120, "the recovery message (after the back-off)", proc, err)
        finally:
            stop_service(proc)
        messages = told(tg)
        assert len(messages) == 2 and "kembali normal" in messages[1]
        log = err.read_text(errors="replace")
        assert "crawl: 0 sources ok, 2 failed" in log  # the summary line is logged, then its note
        assert "all sources failed — check the internet connection/DNS; next crawl at about" in log
