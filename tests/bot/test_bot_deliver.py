"""Outbox + delivery: enqueue rules, faults, dry run, escaping, limits, crash safety."""

from __future__ import annotations

import asyncio
import logging
import subprocess
import time
from collections import Counter

import pytest

from bot.deliver import DEFAULT_PACING, NO_PACING, deliver_pending
from bot.format import LIMIT, fmt_int, format_alert, to_plain
from crawler import outbox
from crawler.store import Store
from tests.bot.conftest import (ADMIN, CHANNEL, PANTAU, make_env, make_settings, run_pantau, seed,
                                subprocess_env)

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

SUB = 5001  # a private chat
GROUP = -100200300  # a group subscriber


@pytest.fixture
def db(tmp_path):
    return tmp_path / "pantau.db"


@pytest.fixture
def store(db):
    s = Store.open(db)
    outbox.ensure_schema(s)
    yield s
    s.close()


def deliver(settings, store, **kw):
    kw.setdefault("backoff", (0.2, 0.4))
    kw.setdefault("pacing", NO_PACING)
    return asyncio.run(deliver_pending(settings, store, **kw))


def alerts(store, **where):
    sql = "SELECT * FROM alerts"
    if where:
        sql += " WHERE " + " AND ".join(f"{k} = ?" for k in where)
    return [dict(r) for r in store.db.query(sql + " ORDER BY id", list(where.values()))]


def per_article(tg, chat):
    """How many times each alert text (by its link) reached ``chat``."""
    return Counter(r["plain_text"].rsplit("🔗 ", 1)[-1] for r in tg.messages_to(chat))


# -- enqueue -------------------------------------------------------------------------------------

def test_enqueue_channel_subscribers_keywords_idempotent(tg, db, store):
    settings = make_settings(tg, db)
    fiverr = seed(store, title="Fiverr PHK 250 karyawan, alihkan ke AI", companies=["Fiverr"])
    bank = seed(store, title="Bank digital pangkas staf karena otomatisasi", companies=["Bank Jago"])
    not_flagged = seed(store, title="Harga cabai naik", match=0)
    outbox.subscribe(store, SUB)  # everything
    outbox.subscribe(store, GROUP, keywords=["fiver"])  # word prefix, case-insensitive
    outbox.subscribe(store, 6001, keywords=["jago", "gojek"])  # matches the company of `bank`
    outbox.subscribe(store, 6002, daily=True)  # digest only: no instant alerts
    outbox.subscribe(store, 6003)
    outbox.unsubscribe(store, 6003)
    outbox.subscribe(store, 6004, keywords=["ank"])  # not at a word start: no match

    created = outbox.enqueue_alerts(store, settings, [fiverr, bank, not_flagged])
    got = {(a["article_id"], a["chat_id"]) for a in alerts(store)}
    assert got == {(fiverr, CHANNEL), (fiverr, str(SUB)), (fiverr, str(GROUP)),
                   (bank, CHANNEL), (bank, str(SUB)), (bank, "6001")}
    assert created == 6
    assert outbox.enqueue_alerts(store, settings, [fiverr, bank, not_flagged]) == 0
    assert all(a["status"] == "pending" for a in alerts(store))


def test_enqueue_without_channel(db, store):
    settings = make_settings(None, db, TELEGRAM_CHANNEL_ID="")
    art = seed(store)
    # no channel: the alert is queued for the console (printed by `pantau send`), not lost
    assert outbox.enqueue_alerts(store, settings, [art]) == 1
    assert [r["chat_id"] for r in alerts(store)] == [outbox.CONSOLE]
    outbox.subscribe(store, SUB)
    assert outbox.enqueue_alerts(store, settings, [art]) == 1


def test_console_alerts_are_printed_once_with_or_without_token(tg, db, store, capsys):
    settings = make_settings(None, db, TELEGRAM_CHANNEL_ID="")
    outbox.enqueue_alerts(store, settings, [seed(store)])
    deliver(settings, store)
    assert capsys.readouterr().out.count("→ console") == 1
    assert alerts(store)[0]["status"] == "sent"
    deliver(settings, store)
    assert "→ console" not in capsys.readouterr().out
    # with a token, console alerts are printed too, never sent to Telegram as chat "console"
    with_token = make_settings(tg, db, TELEGRAM_CHANNEL_ID="")
    outbox.enqueue_alerts(store, with_token, [seed(store)])
    deliver(with_token, store)
    assert capsys.readouterr().out.count("→ console") == 1
    assert all(r["status"] == "sent" for r in alerts(store))
    assert not tg.messages_to("console")


# -- delivery ------------------------------------------------------------------------------------

def test_delivers_once_with_message_ids(tg, db, store):
    settings = make_settings(tg, db)
    outbox.subscribe(store, SUB)
    ids = [seed(store), seed(store)]
    outbox.enqueue_alerts(store, settings, ids)
    report = deliver(settings, store, pacing=DEFAULT_PACING)
    assert (report.sent, report.failed, report.pending) == (4, 0, 0)
    assert report.summary() == "send: 4 sent, 0 failed, 0 pending"
    rows = alerts(store)
    assert all(r["status"] == "sent" and r["message_id"] for r in rows)
    assert len(tg.messages_to(CHANNEL)) == 2 and len(tg.messages_to(SUB)) == 2
    msg = tg.messages_to(SUB)[0]
    assert msg["parse_mode"] == "HTML" and "PHK karena AI" in msg["plain_text"]
    # default pacing: ≤ 1 message per second to a private chat
    t = tg.send_times(SUB)
    assert t[1] - t[0] >= 0.95
    # nothing left: a second run sends nothing
    assert deliver(settings, store).sent == 0
    assert len(tg.sent) == 4


def test_429_waits_and_delivers_once(tg, db, store):
    settings = make_settings(tg, db)
    outbox.enqueue_alerts(store, settings, [seed(store)])
    tg.fail_next("sendMessage", "429", 1, retry_after=1)
    started = time.monotonic()
    report = deliver(settings, store)
    assert report.sent == 1 and time.monotonic() - started >= 1.0
    assert len(tg.messages_to(CHANNEL)) == 1
    assert len(tg.calls("sendMessage")) == 2


def test_500_retried_then_delivered(tg, db, store):
    settings = make_settings(tg, db)
    outbox.enqueue_alerts(store, settings, [seed(store)])
    tg.fail_next("sendMessage", "500", 2)
    report = deliver(settings, store)
    assert report.sent == 1 and len(tg.messages_to(CHANNEL)) == 1
    assert len(tg.calls("sendMessage")) == 3


def test_persistent_5xx_stays_pending_then_next_run(tg, db, store):
    settings = make_settings(tg, db)
    outbox.subscribe(store, SUB)
    outbox.enqueue_alerts(store, settings, [seed(store), seed(store)])
    tg.fail_next("sendMessage", "502", 100)
    report = deliver(settings, store)
    assert report.sent == 0 and report.pending == 4 and report.stopped
    first = alerts(store)[0]
    assert first["status"] == "pending" and first["attempts"] == 1 and "Bad Gateway" in first["last_error"]
    assert len(tg.calls("sendMessage")) == 3  # 3 tries, then the run stops
    tg.clear_faults()
    report = deliver(settings, store)
    assert (report.sent, report.pending) == (4, 0)
    assert per_article(tg, CHANNEL).most_common(1)[0][1] == 1
    assert len(tg.messages_to(SUB)) == 2


def test_parse_error_resent_as_plain_text(tg, db, store):
    settings = make_settings(tg, db)
    outbox.enqueue_alerts(store, settings, [seed(store, title="A & B <PHK>")])
    tg.fail_next("sendMessage", "400", 1,
                 description="Bad Request: can't parse entities: Unsupported start tag \"x\" at byte offset 3")
    report = deliver(settings, store)
    assert report.sent == 1
    msgs = tg.messages_to(CHANNEL)
    assert len(msgs) == 1 and msgs[0]["parse_mode"] is None
    assert "A & B <PHK>" in msgs[0]["text"] and "<b>" not in msgs[0]["text"]


def test_other_400_fails_after_a_few_runs(tg, db, store):
    settings = make_settings(tg, db, TELEGRAM_CHANNEL_ID="")
    outbox.subscribe(store, SUB)
    outbox.enqueue_alerts(store, settings, [seed(store)])
    for run in range(1, outbox.MAX_ATTEMPTS + 1):
        tg.fail_next("sendMessage", "400", 1, description="Bad Request: chat not found")
        report = deliver(settings, store)
        row = [r for r in alerts(store) if r["chat_id"] == str(SUB)][0]
        assert "chat not found" in row["last_error"].lower()
        assert row["status"] == ("failed" if run == outbox.MAX_ATTEMPTS else "pending")
    assert report.failed == 1 and not tg.messages_to(SUB)


def test_403_deactivates_subscriber_and_cancels(tg, db, store):
    settings = make_settings(tg, db)
    outbox.subscribe(store, SUB)
    outbox.subscribe(store, GROUP)
    outbox.enqueue_alerts(store, settings, [seed(store), seed(store)])
    tg.block_chat(SUB)
    report = deliver(settings, store)
    assert report.deactivated == [str(SUB)] and report.sent == 4
    sub = outbox.get_subscriber(store, SUB)
    assert sub["active"] == 0 and "blocked" in sub["deactivated_reason"]
    assert {a["status"] for a in alerts(store, chat_id=str(SUB))} == {"cancelled"}
    assert len(tg.calls("sendMessage")) == 5  # one refused try, the second alert was not tried
    assert len(tg.messages_to(CHANNEL)) == 2 and len(tg.messages_to(GROUP)) == 2


def test_channel_403_notifies_admins_once_and_stays_pending(tg, db, store):
    settings = make_settings(tg, db, PANTAU_ADMIN_IDS=f"{ADMIN}, 778")
    outbox.subscribe(store, SUB)
    outbox.enqueue_alerts(store, settings, [seed(store), seed(store)])
    tg.block_chat(CHANNEL, "Forbidden: bot is not a member of the channel chat")
    report = deliver(settings, store)
    assert report.channel_error and report.sent == 2 and report.pending == 2
    assert [a["status"] for a in alerts(store, chat_id=CHANNEL)] == ["pending", "pending"]
    for admin in (ADMIN, 778):
        notes = tg.messages_to(admin)
        assert len(notes) == 1 and CHANNEL in notes[0]["plain_text"] and "kanal" in notes[0]["plain_text"]
    tg.unblock_chat(CHANNEL)
    report = deliver(settings, store)
    assert report.sent == 2 and len(tg.messages_to(CHANNEL)) == 2


def test_read_timeout_is_logged_and_not_resent(tg, db, store, caplog):
    settings = make_settings(tg, db)
    outbox.enqueue_alerts(store, settings, [seed(store), seed(store)])
    tg.fail_next("sendMessage", "timeout", 1, delay=1.5)
    with caplog.at_level(logging.WARNING, logger="pantau.deliver"):
        report = deliver(settings, store, read_timeout=0.5)
    assert report.uncertain == 1 and report.sent == 1
    assert any(CHANNEL in r.getMessage() and "may have" in r.getMessage() for r in caplog.records)
    assert tg.token not in caplog.text
    row = alerts(store)[0]
    assert row["status"] == "sent" and row["message_id"] is None and row["last_error"].startswith("uncertain:")
    assert deliver(settings, store).sent == 0
    time.sleep(1.2)  # let the delayed answer finish
    assert len(tg.messages_to(CHANNEL)) == 2
    assert max(per_article(tg, CHANNEL).values()) == 1
    assert outbox.status(store)["uncertain"] == 1


def test_dropped_connection_is_retried(tg, db, store):
    settings = make_settings(tg, db)
    outbox.enqueue_alerts(store, settings, [seed(store)])
    tg.fail_next("sendMessage", "drop", 1)
    assert deliver(settings, store).sent == 1
    assert len(tg.messages_to(CHANNEL)) == 1


# -- rendering -----------------------------------------------------------------------------------

def test_hostile_title_escaped_and_accepted(tg, db, store):
    settings = make_settings(tg, db)
    title = '<script>alert("x")</script> & PHK "AI" <b>tebal</b> \'kutip\''
    art = seed(store, title=title, companies=["A&B <Corp>"], outlet="Tempo & Co",
               url='https://x.example/a?b=1&c="2"', reasons=["<i>AI</i> & otomatisasi"],
               jobs_cut=14000, percent=12.5)
    outbox.enqueue_alerts(store, settings, [art])
    assert deliver(settings, store).sent == 1
    msg = tg.messages_to(CHANNEL)[0]
    plain = msg["plain_text"]
    assert title in plain and "A&B <Corp>" in plain and "Tempo & Co" in plain
    assert "👥 14.000 karyawan (12,5%)" in plain and "<i>AI</i> & otomatisasi" in plain
    assert "bold" in {e["type"] for e in msg["entities"]}


def test_huge_article_fits(tg, db, store):
    settings = make_settings(tg, db)
    art = seed(store, title="Judul " * 2000, text="kata " * 50000, companies=[f"Firma {i}" for i in range(200)],
               reasons=["alasan panjang " * 100] * 50, url="https://x.example/" + "a" * 5000)
    html_text = format_alert(store.article(art))
    assert len(html_text) <= LIMIT
    outbox.enqueue_alerts(store, settings, [art])
    assert deliver(settings, store).sent == 1


def test_alert_layout():
    article = {"title": "Fiverr PHK 250 karyawan", "text": "Fiverr memangkas 30% karyawan. " * 40,
               "outlet": "Kompas", "published": "2025-10-20T14:30:00+07:00", "companies": ["Fiverr"],
               "jobs_cut": 250, "percent": 30.0, "reasons": ["PHK", "AI penyebab"], "url": "https://k.example/1"}
    text = format_alert(article)
    plain = to_plain(text)
    assert "<b>Fiverr PHK 250 karyawan</b>" in text
    assert "Kompas · 🕒 20 Okt 2025 14:30 WIB" in plain
    assert "🏢 Fiverr · 👥 250 karyawan (30%)" in plain
    assert "Kenapa: PHK; AI penyebab" in plain and "https://k.example/1" in plain
    lead_line = [line for line in plain.split("\n") if line.startswith("Fiverr memangkas")][0]
    assert len(lead_line) <= 300 and lead_line.endswith("…")
    assert fmt_int(14000) == "14.000" and fmt_int(1234567) == "1.234.567"


def test_digest(tg, db, store):
    from bot.format import build_digest

    old = seed(store, title="Lama", fetched="2025-01-01T00:00:00+00:00")
    new = [seed(store, title=f"Baru <{i}> & AI", fetched="2025-10-21T00:00:00+00:00") for i in range(60)]
    text = build_digest(store, "2025-10-20T00:00:00+00:00")
    plain = to_plain(text)
    assert "Ringkasan harian PHK karena AI" in plain and "60 peristiwa PHK baru:" in plain  # 60 stories
    assert "Baru <" in plain and "> & AI" in plain and "Lama" not in plain and len(text) <= LIMIT
    assert "dan lainnya" in plain
    assert old and new
    # accepted by the strict fake as one message
    from telegram import Bot

    async def go():
        async with Bot(tg.token, base_url=tg.base_url) as bot:
            await bot.send_message(SUB, text, parse_mode="HTML")

    asyncio.run(go())
    assert "> & AI" in tg.messages_to(SUB)[0]["plain_text"]
    assert "Tidak ada berita baru" in build_digest(store, "2030-01-01T00:00:00+00:00")


def test_send_digests_once_per_day(tg, db, store):
    from datetime import datetime, timezone

    from telegram import Bot

    from bot.digest import send_digests

    now = datetime.now(timezone.utc).replace(microsecond=0)
    seed(store, title="Gojek PHK karena AI", companies=["Gojek"], fetched=now.isoformat())
    seed(store, title="Fiverr PHK karena AI", companies=["Fiverr"], fetched=now.isoformat())
    outbox.subscribe(store, GROUP, daily=True)
    outbox.subscribe(store, 6010, daily=True, keywords=["gojek"])
    outbox.subscribe(store, 6011, daily=True)
    outbox.subscribe(store, SUB)  # instant alerts only: no digest
    tg.block_chat(6011)
    settings = make_settings(tg, db)

    async def go():
        async with Bot(tg.token, base_url=tg.base_url) as bot:
            return [await send_digests(settings, store, bot), await send_digests(settings, store, bot)]

    assert asyncio.run(go()) == [2, 0]
    group_text = tg.messages_to(GROUP)[0]["plain_text"]
    assert "Gojek PHK" in group_text and "Fiverr PHK" in group_text
    kw_text = tg.messages_to(6010)[0]["plain_text"]
    assert "Gojek PHK" in kw_text and "Fiverr" not in kw_text
    assert not tg.messages_to(SUB)
    assert outbox.get_subscriber(store, 6011)["active"] == 0
    assert outbox.get_subscriber(store, GROUP)["last_digest"]


# -- CLI -----------------------------------------------------------------------------------------

def test_dry_run_without_token_prints_and_keeps_pending(db, store):
    settings = make_settings(None, db)
    outbox.subscribe(store, SUB)
    outbox.enqueue_alerts(store, settings, [seed(store, title="Gojek PHK & AI")])
    env = make_env(None, db)
    proc = run_pantau("send", env=env)
    assert proc.returncode == 0, proc.stderr
    assert "Gojek PHK & AI" in proc.stdout and CHANNEL in proc.stdout and str(SUB) in proc.stdout
    assert "send: 0 sent, 0 failed, 2 pending" in proc.stdout
    assert "<b>" not in proc.stdout
    assert {a["status"] for a in alerts(store)} == {"pending"}


def test_cli_send_and_token_never_printed(tg, db, store):
    settings = make_settings(tg, db)
    outbox.subscribe(store, SUB)
    outbox.enqueue_alerts(store, settings, [seed(store), seed(store)])
    tg.fail_next("sendMessage", "500", 1)
    env = make_env(tg, db, PANTAU_LOG_LEVEL="DEBUG")  # DEBUG: httpx logs request URLs (with the token)
    proc = run_pantau("send", env=env)
    assert proc.returncode == 0, proc.stderr
    assert "send: 4 sent, 0 failed, 0 pending" in proc.stdout
    out = proc.stdout + proc.stderr
    assert tg.token not in out and tg.token.split(":")[1] not in out
    assert "sendMessage" in proc.stderr  # DEBUG logging really ran (redacted)


def test_cli_send_rejected_token(tg, db, store):
    outbox.enqueue_alerts(store, make_settings(tg, db), [seed(store)])
    bad_token = "999999:" + "x" * 30
    tg.valid_tokens = {tg.token}
    proc = run_pantau("send", env=make_env(tg, db, TELEGRAM_BOT_TOKEN=bad_token))
    assert proc.returncode == 1 and "rejected" in proc.stderr.lower()
    assert bad_token not in proc.stdout + proc.stderr and "x" * 30 not in proc.stdout + proc.stderr
    row = alerts(store)[0]
    assert row["status"] == "pending" and row["attempts"] == 0


def test_crash_mid_send_no_duplicates(tg, db, store):
    """SIGKILL `pantau send` while Telegram holds back its answer to one message; rerun.

    The held-back message was accepted by Telegram (the fake records it before the delayed
    answer), so the rerun must not send it again; every other alert is delivered exactly once.
    """
    settings = make_settings(tg, db)
    group2 = -100999
    outbox.subscribe(store, GROUP)
    outbox.subscribe(store, group2, keywords=["khusus"])
    ids = [seed(store) for _ in range(3)] + [seed(store, title=f"Khusus {i}: PHK karena AI") for i in range(3)]
    assert outbox.enqueue_alerts(store, settings, ids) == 15
    tg.fail_next("sendMessage", "timeout", 1, chat_id=group2, delay=30)  # its 1st message is the 9th request
    env = make_env(tg, db)
    proc = subprocess.Popen([str(PANTAU), "send"], env=subprocess_env(env), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=str(db.parent))
    try:
        tg.wait_for_messages(group2, 1, timeout=30)
        time.sleep(0.3)
        assert proc.poll() is None, "send finished before it was killed"
    finally:
        proc.kill()
        out, err = proc.communicate(timeout=10)
    states = Counter(a["status"] for a in alerts(store))
    assert states["sending"] == 1 and states["sent"] == len(tg.sent) - 1 and states["pending"] >= 1
    remaining = states["pending"]

    proc2 = run_pantau("send", env=env)
    assert proc2.returncode == 0, proc2.stderr
    assert f"send: {remaining} sent, 0 failed, 0 pending (1 uncertain" in proc2.stdout
    assert "possibly delivered" in proc2.stderr and str(group2) in proc2.stderr
    assert tg.token not in out + err + proc2.stdout + proc2.stderr
    for chat, expected in ((CHANNEL, 6), (GROUP, 6), (group2, 3)):
        counts = per_article(tg, chat)
        assert len(counts) == expected and set(counts.values()) == {1}, (chat, counts)
    assert {a["status"] for a in alerts(store)} == {"sent"}
