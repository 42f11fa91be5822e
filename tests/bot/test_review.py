"""Editors in the loop through the fake Bot API: review messages and their buttons, grey zone,
retraction (delete and the 48-hour fallback), corrections, /riwayat, races, refusals, kills."""

from __future__ import annotations

import asyncio
import csv
import hashlib
import io
import json
import signal
import subprocess
import time

import pytest

from bot.deliver import NO_PACING, deliver_pending
from crawler import editorial, outbox
from crawler.stories import assign_story
from crawler.store import Store
from tests.bot.conftest import (ADMIN, CHANNEL, PANTAU, RunningBot, make_env, make_settings, run_pantau,
                                subprocess_env)

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

ADMIN2 = 778
STRANGER = 4242
SUB = 5101

FIVERR = (
    "Platform pekerja lepas Fiverr memangkas sekitar 250 karyawan, kira-kira 30 persen dari seluruh staf, "
    "karena perusahaan ingin menjadi perusahaan yang mengutamakan kecerdasan buatan (AI-first).\n"
    "Sebanyak 30 karyawan di kantor Israel termasuk yang terdampak, kata manajemen dalam pernyataan resmi."
)


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "pantau.db")
    yield s
    s.close()


def settings_for(tg, tmp_path, **extra):
    return make_settings(tg, tmp_path / "pantau.db", PANTAU_ADMIN_IDS=f"{ADMIN},{ADMIN2}", **extra)


def add(store, n, outlet="detikInet", text=FIVERR, match=1, score=0.9, company="Sebanyak", jobs_cut=30,
        title=None, published="2025-10-20T10:00:00+07:00", group=True):
    record = {
        "url": f"https://{outlet.lower()}.example/fiverr-{n}", "title": title or f"Fiverr PHK karyawan {n}",
        "text": text, "outlet": outlet, "source": outlet, "published": published, "fetched": published,
        "content_hash": hashlib.sha1(f"{text}{n}".encode()).hexdigest(), "match": match, "score": score,
        "reasons": ["judul: PHK", "paragraf 1: PHK + AI"], "companies": [company] if company else [],
        "jobs_cut": jobs_cut, "percent": None, "evidence": "Fiverr memangkas sekitar 250 karyawan karena AI-first.",
    }
    article_id, _ = store.insert_article(record, [])
    if group and match:
        assign_story(store, article_id)
    return article_id


def deliver(settings, store):
    return asyncio.run(deliver_pending(settings, store, pacing=NO_PACING, backoff=(0.1,)))


def story_of(store, article_id):
    return store.db.execute("SELECT story_id FROM articles WHERE id = ?", [article_id]).fetchone()[0]


def review_messages(tg, chat):
    return [m for m in tg.messages_to(chat) if m.get("reply_markup")]


def buttons(record):
    return [(b["text"], b["callback_data"]) for row in record["reply_markup"]["inline_keyboard"] for b in row]


def answers_after(tg, n, timeout=10):
    tg.wait_for(lambda _: len(tg.callback_answers) > n, timeout)
    return tg.callback_answers[n]["text"] or ""


def wait_until(pred, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = pred()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


def published_story(tg, tmp_path, store, **extra):
    """One story alerted to the channel and a subscriber, its review sent to both admins."""
    settings = settings_for(tg, tmp_path, **extra)
    outbox.subscribe(store, SUB)
    art = add(store, 1)
    outbox.enqueue_alerts(store, settings, [art])
    report = deliver(settings, store)
    return settings, art, story_of(store, art), report


# -- review messages --------------------------------------------------------------------------------

def test_after_mode_review_message_to_each_admin_with_buttons(tg, tmp_path, store):
    settings, art, sid, report = published_story(tg, tmp_path, store)
    assert report.sent == 4  # channel, subscriber, two editors
    assert len(tg.messages_to(CHANNEL)) == 1 and len(tg.messages_to(SUB)) == 1
    for admin in (ADMIN, ADMIN2):
        [msg] = review_messages(tg, admin)
        text = msg["plain_text"]
        assert f"Tinjau peristiwa #{sid}" in text
        assert "Fiverr PHK karyawan 1" in text and "https://detikinet.example/fiverr-1" in text
        assert "Kenapa:" in text and "AI-first" in text
        assert "Skor: 0,90" in text
        assert "Perusahaan: Sebanyak" in text and "Jumlah: 30 karyawan" in text
        assert "Sudah terbit di kanal" in text
        assert buttons(msg) == [("✅ Benar", f"rv:{sid}:a"), ("❌ Bukan", f"rv:{sid}:r"),
                                ("✏️ Koreksi", f"rv:{sid}:e")]
    # once per story: a second report of the same story does not ask again
    second = add(store, 2, outlet="Kompas")
    assert story_of(store, second) == sid
    outbox.enqueue_alerts(store, settings, [second])
    deliver(settings, store)
    assert len(review_messages(tg, ADMIN)) == 1


def test_off_mode_sends_no_review(tg, tmp_path, store):
    settings, art, sid, report = published_story(tg, tmp_path, store, PANTAU_REVIEW="off")
    assert report.sent == 2
    assert tg.messages_to(ADMIN) == []


def test_before_mode_holds_alerts_until_approved(tg, tmp_path, store):
    settings, art, sid, report = published_story(tg, tmp_path, store, PANTAU_REVIEW="before")
    assert tg.messages_to(CHANNEL) == [] and tg.messages_to(SUB) == []
    [msg] = review_messages(tg, ADMIN)
    assert "Belum terbit" in msg["plain_text"]
    # held alerts stay held on another run
    deliver(settings, store)
    assert tg.messages_to(CHANNEL) == []
    with RunningBot(settings):
        n = len(tg.callback_answers)
        tg.push_callback(ADMIN, msg["message_id"], f"rv:{sid}:a", from_id=ADMIN, first_name="Budi")
        assert "Disetujui" in answers_after(tg, n)
        # the bot delivers the released alerts at once
        tg.wait_for_messages(CHANNEL, 1)
        tg.wait_for_messages(SUB, 1)
        # both review messages now show the decision, without buttons
        for admin in (ADMIN, ADMIN2):
            wait_until(lambda a=admin: "disetujui oleh Budi" in
                       (tg.message(a, review_messages(tg, a)[0]["message_id"])["text"]))
            assert "reply_markup" not in tg.message(admin, review_messages(tg, admin)[0]["message_id"])
    assert store.db.execute("SELECT review, reviewed_by FROM stories WHERE id = ?", [sid]).fetchone() == \
        ("approved", "Budi")
    assert deliver(settings, store).sent == 0  # nothing twice


def test_before_mode_dry_run_prints_review_and_keeps_it_pending(tmp_path, store, capsys):
    settings = make_settings(None, tmp_path / "pantau.db", PANTAU_REVIEW="before")
    art = add(store, 1)
    outbox.enqueue_alerts(store, settings, [art])
    deliver(settings, store)
    out = capsys.readouterr().out
    assert "--- review" in out and f"Tinjau peristiwa #{story_of(store, art)}" in out
    assert store.db.execute("SELECT status FROM alerts WHERE kind = 'review'").fetchone()[0] == "pending"


# -- retraction ---------------------------------------------------------------------------------

def test_reject_retracts_channel_message_and_cancels_pending(tg, tmp_path, store):
    settings, art, sid, _ = published_story(tg, tmp_path, store)
    [channel_msg] = tg.messages_to(CHANNEL)
    # a subscriber whose alert is still pending when the editor says ❌
    late = 6001
    outbox.subscribe(store, late)
    store.db.execute("INSERT INTO alerts (article_id, chat_id, kind, status, created) "
                     "VALUES (?, ?, 'alert', 'pending', '2025-10-20T03:00:00+00:00')", [art, str(late)])
    store.conn.commit()
    [msg] = review_messages(tg, ADMIN)
    with RunningBot(settings):
        n = len(tg.callback_answers)
        tg.push_callback(ADMIN, msg["message_id"], f"rv:{sid}:r", from_id=ADMIN, first_name="Budi")
        assert "Dicabut" in answers_after(tg, n)
        wait_until(lambda: tg.deleted)
    assert tg.deleted == [{"chat_id": CHANNEL, "message_id": channel_msg["message_id"]}]
    assert tg.message(CHANNEL, channel_msg["message_id"]) is None
    assert tg.messages_to(late) == []  # cancelled, never sent
    assert store.db.execute("SELECT status FROM alerts WHERE chat_id = ?", [str(late)]).fetchone()[0] == "cancelled"
    assert len(tg.messages_to(SUB)) == 1  # the subscriber who got it is not spammed
    assert store.db.execute("SELECT retracted FROM stories WHERE id = ?", [sid]).fetchone()[0] == 1
    assert deliver(settings, store).sent == 0 and len(tg.deleted) == 1


def test_retraction_older_than_48_hours_edits_to_dicabut_redaksi(tg, tmp_path, store):
    settings, art, sid, _ = published_story(tg, tmp_path, store)
    [channel_msg] = tg.messages_to(CHANNEL)
    tg.age_message(CHANNEL, channel_msg["message_id"], hours=49)
    editorial.retract_story(store, settings, sid, ADMIN, "Budi")
    report = deliver(settings, store)
    assert report.retracted == 1
    assert tg.deleted == []
    assert any(c["method"] == "deleteMessage" for c in tg.requests)
    now = tg.message(CHANNEL, channel_msg["message_id"])
    assert now["text"].startswith("🚫 Dicabut redaksi")
    assert "Fiverr" not in now["text"]
    assert deliver(settings, store).retracted == 0  # exactly once


# -- corrections --------------------------------------------------------------------------------

def test_koreksi_edits_channel_message_and_events_export(tg, tmp_path, store):
    settings, art, sid, _ = published_story(tg, tmp_path, store)
    [channel_msg] = tg.messages_to(CHANNEL)
    assert "Sebanyak" in channel_msg["plain_text"]
    with RunningBot(settings):
        tg.push_message(ADMIN, f"/koreksi {sid} perusahaan=Fiverr jumlah=250 persen=30 negara=Israel "
                               f"atribusi=explicit", from_id=ADMIN, first_name="Budi")
        reply = tg.wait_for(lambda sent: [m for m in sent if m["chat_key"] == ADMIN
                                          and "dikoreksi" in (m.get("plain_text") or "")])[0]
        assert "perusahaan: Sebanyak → Fiverr" in reply["plain_text"]
        assert "jumlah: 30 → 250" in reply["plain_text"]
        wait_until(lambda: "Fiverr" in tg.message(CHANNEL, channel_msg["message_id"])["text"])
    text = tg.message(CHANNEL, channel_msg["message_id"])["text"]
    assert "🏢 Fiverr · 👥 250 karyawan (30%)" in text and "Sebanyak ·" not in text
    env = make_env(None, tmp_path / "pantau.db")
    out = run_pantau("export", "--events", "--format", "csv", env=env)
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    [row] = [r for r in rows if str(r.get("id") or r.get("story_id")) == str(sid)] or rows
    assert row["company"] == "Fiverr" and row["jobs_cut"] == "250" and row["country"] == "Israel"
    # a later report of the same story does not undo the correction in the channel message
    later = add(store, 3, outlet="Kompas")
    assert story_of(store, later) == sid
    outbox.enqueue_alerts(store, settings, [later])
    deliver(settings, store)
    text = tg.message(CHANNEL, channel_msg["message_id"])["text"]
    assert "Kompas" in text and "🏢 Fiverr · 👥 250 karyawan (30%)" in text


def test_koreksi_button_replies_with_prefilled_template(tg, tmp_path, store):
    settings, art, sid, _ = published_story(tg, tmp_path, store)
    [msg] = review_messages(tg, ADMIN)
    with RunningBot(settings):
        tg.push_callback(ADMIN, msg["message_id"], f"rv:{sid}:e", from_id=ADMIN)
        reply = tg.wait_for(lambda sent: [m for m in sent if m["chat_key"] == ADMIN
                                          and "/koreksi" in (m.get("plain_text") or "")])[0]
    assert f"/koreksi {sid} perusahaan=Sebanyak jumlah=30 persen=kosong" in reply["plain_text"]
    assert editorial.existing_decision(store, f"story:{sid}") is None  # ✏️ decides nothing


def test_koreksi_bad_input_gets_usage(tg, tmp_path, store):
    settings, art, sid, _ = published_story(tg, tmp_path, store)
    with RunningBot(settings):
        for i, text in enumerate([f"/koreksi {sid} jumlah=banyak", "/koreksi abc", f"/koreksi {sid} gabung",
                                  "/koreksi 99999 jumlah=5"]):
            tg.push_message(ADMIN, text, from_id=ADMIN)
            reply = tg.wait_for(lambda sent: [m for m in sent if m["chat_key"] == ADMIN
                                              and "Cara memakai /koreksi" in (m.get("plain_text") or "")]
                                [i:i + 1])[0]
            assert reply["plain_text"].startswith("⚠️")
    assert "bukan angka" in tg.messages_to(ADMIN)[-4]["plain_text"]
    assert "tidak ditemukan" in tg.messages_to(ADMIN)[-1]["plain_text"]
    assert store.db.execute("SELECT jobs_cut FROM stories WHERE id = ?", [sid]).fetchone()[0] == 30
