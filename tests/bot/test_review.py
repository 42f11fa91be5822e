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


def env_for(tg, tmp_path, **extra):
    return make_env(tg, tmp_path / "pantau.db", **{"PANTAU_ADMIN_IDS": f"{ADMIN},{ADMIN2}", "PANTAU_REVIEW": "after",
                                                   **extra})


def settings_for(tg, tmp_path, **extra):
    return make_settings(tg, tmp_path / "pantau.db", **{"PANTAU_ADMIN_IDS": f"{ADMIN},{ADMIN2}",
                                                        "PANTAU_REVIEW": "after", **extra})


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
    settings = settings_for(None, tmp_path, PANTAU_REVIEW="before")
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
        wait_until(lambda: "🏢 Fiverr ·" in tg.message(CHANNEL, channel_msg["message_id"])["text"])
    text = tg.message(CHANNEL, channel_msg["message_id"])["text"]
    assert "🏢 Fiverr · 👥 250 karyawan (30%)" in text and "Sebanyak ·" not in text
    env = env_for(None, tmp_path)
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


# -- grey zone ------------------------------------------------------------------------------------

def test_grey_zone_approval_publishes_a_normal_alert(tg, tmp_path, store):
    settings = settings_for(tg, tmp_path, PANTAU_GREY_MIN="0.4")
    near = add(store, 1, match=0, score=0.55, title="Fiverr rampingkan tim, otomatisasi disebut")
    far = add(store, 2, match=0, score=0.1, title="Fiverr luncurkan fitur baru")
    outbox.enqueue_undecided(store, settings)
    deliver(settings, store)
    assert tg.messages_to(CHANNEL) == []
    [msg] = review_messages(tg, ADMIN)
    assert msg["plain_text"].startswith("🤔 Mungkin relevan?")
    assert f"Artikel #{near}" in msg["plain_text"] and "0,55" in msg["plain_text"]
    assert buttons(msg) == [("✅ Benar", f"gz:{near}:a"), ("❌ Bukan", f"gz:{near}:r")]
    assert not [m for m in tg.messages_to(ADMIN) if f"#{far}" in m["plain_text"]]
    with RunningBot(settings):
        n = len(tg.callback_answers)
        tg.push_callback(ADMIN, msg["message_id"], f"gz:{near}:a", from_id=ADMIN, first_name="Sari")
        assert "Diterbitkan" in answers_after(tg, n)
        [alert] = tg.wait_for_messages(CHANNEL, 1)
        wait_until(lambda: "diterbitkan sebagai peringatan oleh Sari" in
                   tg.message(ADMIN2, review_messages(tg, ADMIN2)[0]["message_id"])["text"])
    assert alert["plain_text"].startswith("🚨 PHK karena AI")
    assert "Fiverr rampingkan tim" in alert["plain_text"]
    assert store.db.execute("SELECT label, match FROM articles WHERE id = ?", [near]).fetchone() == (1, 1)
    # the editor's ✅ was the review: no second review message for the new story
    assert len(review_messages(tg, ADMIN)) == 1
    assert deliver(settings, store).sent == 0


def test_grey_zone_reject_labels_without_publishing(tg, tmp_path, store):
    settings = settings_for(tg, tmp_path)
    near = add(store, 1, match=0, score=0.5)
    outbox.enqueue_undecided(store, settings)
    deliver(settings, store)
    [msg] = review_messages(tg, ADMIN)
    with RunningBot(settings):
        n = len(tg.callback_answers)
        tg.push_callback(ADMIN, msg["message_id"], f"gz:{near}:r", from_id=ADMIN, first_name="Sari")
        assert "bukan PHK karena AI" in answers_after(tg, n)
        wait_until(lambda: "ditandai bukan PHK karena AI oleh Sari" in tg.message(ADMIN, msg["message_id"])["text"])
    assert store.db.execute("SELECT label, match FROM articles WHERE id = ?", [near]).fetchone() == (0, 0)
    assert tg.messages_to(CHANNEL) == []


# -- concurrency, refusals, forgeries -------------------------------------------------------------

def test_two_admins_racing_first_decision_wins(tg, tmp_path, store):
    settings, art, sid, _ = published_story(tg, tmp_path, store)
    [m1], [m2] = review_messages(tg, ADMIN), review_messages(tg, ADMIN2)
    with RunningBot(settings):
        n = len(tg.callback_answers)
        tg.push_callback(ADMIN, m1["message_id"], f"rv:{sid}:a", from_id=ADMIN, first_name="Budi")
        tg.push_callback(ADMIN2, m2["message_id"], f"rv:{sid}:r", from_id=ADMIN2, first_name="Sari")
        tg.wait_for(lambda _: len(tg.callback_answers) >= n + 2)
        first, second = (a["text"] or "" for a in tg.callback_answers[n:n + 2])
        assert "Disetujui" in first
        assert second.startswith("Sudah ditinjau oleh Budi (✅ Benar")
        wait_until(lambda: "disetujui oleh Budi" in tg.message(ADMIN2, m2["message_id"])["text"])
    assert tg.deleted == []  # Sari's ❌ changed nothing
    assert store.db.execute("SELECT retracted, review FROM stories WHERE id = ?", [sid]).fetchone() == (0, "approved")
    assert [r["action"] for r in editorial.audit_rows(store, sid)] == ["approve"]


def test_non_admin_is_refused_button_and_koreksi(tg, tmp_path, store):
    group = -100555
    settings, art, sid, _ = published_story(tg, tmp_path, store, PANTAU_REVIEW_CHAT=str(group))
    assert tg.messages_to(ADMIN) == []
    [msg] = review_messages(tg, group)  # the review chat gets it once
    with RunningBot(settings):
        n = len(tg.callback_answers)
        tg.push_callback(group, msg["message_id"], f"rv:{sid}:r", from_id=STRANGER)
        assert answers_after(tg, n) == "Hanya redaksi yang bisa meninjau."
        tg.push_message(group, f"/koreksi {sid} jumlah=5", from_id=STRANGER)
        tg.push_message(STRANGER, f"/riwayat {sid}", from_id=STRANGER)
        refusals = tg.wait_for(lambda sent: [m for m in sent if "hanya untuk redaksi" in (m.get("plain_text") or "")]
                               if len([m for m in sent if "hanya untuk redaksi" in (m.get("plain_text") or "")]) >= 2
                               else None)
        assert {r["chat_key"] for r in refusals} == {group, STRANGER}
        # an admin in the review chat may decide
        tg.push_callback(group, msg["message_id"], f"rv:{sid}:r", from_id=ADMIN2, first_name="Sari")
        assert "Dicabut" in answers_after(tg, n + 1)
        wait_until(lambda: tg.deleted)
    assert store.db.execute("SELECT jobs_cut FROM stories WHERE id = ?", [sid]).fetchone()[0] == 30
    assert [(r["action"], r["user_name"]) for r in editorial.audit_rows(store, sid)] == [("retract", "Sari")]


def test_forged_callback_cannot_touch_another_story(tg, tmp_path, store):
    settings = settings_for(tg, tmp_path)
    a = add(store, 1, company="Fiverr", title="Fiverr PHK 250 karyawan")
    b = add(store, 2, company="Klarna", title="Klarna PHK 700 agen layanan", text="Klarna memangkas 700 agen "
            "layanan pelanggan setelah asisten AI menangani dua pertiga percakapan. " * 3)
    sa, sb = story_of(store, a), story_of(store, b)
    assert sa != sb
    outbox.enqueue_alerts(store, settings, [a, b])
    deliver(settings, store)
    msg_a = [m for m in review_messages(tg, ADMIN) if f"#{sa}" in m["plain_text"]][0]
    with RunningBot(settings):
        n = len(tg.callback_answers)
        # admin's own review message of story A, with data naming story B
        tg.push_callback(ADMIN, msg_a["message_id"], f"rv:{sb}:r", from_id=ADMIN)
        assert answers_after(tg, n) == "Tombol ini tidak berlaku untuk pesan ini."
        # a grey-zone callback on a story's review message, and a review callback on a channel message
        tg.push_callback(ADMIN, msg_a["message_id"], f"gz:{b}:a", from_id=ADMIN)
        assert answers_after(tg, n + 1) == "Tombol ini tidak berlaku untuk pesan ini."
        channel_mid = tg.messages_to(CHANNEL)[0]["message_id"]
        tg.push_callback(CHANNEL, channel_mid, f"rv:{sa}:r", from_id=ADMIN)
        assert answers_after(tg, n + 2) == "Tombol ini tidak berlaku untuk pesan ini."
        tg.push_callback(ADMIN, msg_a["message_id"], "rv:abc:r", from_id=ADMIN)
        assert answers_after(tg, n + 3) == "Tombol ini tidak berlaku untuk pesan ini."
    assert tg.deleted == []
    assert store.db.execute("SELECT COUNT(*) FROM decisions").fetchone()[0] == 0
    assert store.db.execute("SELECT SUM(retracted) FROM stories").fetchone()[0] == 0


# -- audit trail ----------------------------------------------------------------------------------

def test_riwayat_shows_who_when_and_before_after(tg, tmp_path, store):
    settings, art, sid, _ = published_story(tg, tmp_path, store)
    [msg] = review_messages(tg, ADMIN)
    with RunningBot(settings):
        n = len(tg.callback_answers)
        tg.push_callback(ADMIN, msg["message_id"], f"rv:{sid}:a", from_id=ADMIN, first_name="Budi")
        answers_after(tg, n)
        tg.push_message(ADMIN2, f"/koreksi {sid} perusahaan=Fiverr jumlah=250", from_id=ADMIN2, first_name="Sari")
        tg.wait_for(lambda sent: [m for m in sent if "dikoreksi" in (m.get("plain_text") or "")])
        tg.push_message(ADMIN, f"/riwayat {sid}", from_id=ADMIN)
        reply = tg.wait_for(lambda sent: [m for m in sent if "Riwayat peristiwa" in (m.get("plain_text") or "")])[0]
        tg.push_message(ADMIN, "/riwayat 424242", from_id=ADMIN)
        missing = tg.wait_for(lambda sent: [m for m in sent if "424242" in (m.get("plain_text") or "")])[0]
        tg.push_message(ADMIN, "/riwayat", from_id=ADMIN)
        usage = tg.wait_for(lambda sent: [m for m in sent if "misalnya /riwayat 12" in (m.get("plain_text") or "")])
    lines = reply["plain_text"].splitlines()
    approve = [line for line in lines if "Budi" in line]
    correct = [line for line in lines if "Sari" in line]
    assert approve and "menyetujui" in approve[0] and "WIB" in approve[0]
    assert correct and "mengoreksi" in correct[0]
    assert "perusahaan: Sebanyak → Fiverr" in correct[0] and "jumlah: 30 → 250" in correct[0]
    assert lines.index(approve[0]) < lines.index(correct[0])
    assert "tidak ditemukan" in missing["plain_text"]
    assert usage


def test_bantuan_lists_editor_commands_for_admins_only(tg, tmp_path, store):
    settings = settings_for(tg, tmp_path)
    with RunningBot(settings):
        tg.push_message(ADMIN, "/bantuan", from_id=ADMIN)
        tg.push_message(STRANGER, "/bantuan", from_id=STRANGER)
        tg.wait_for_messages(ADMIN, 1)
        tg.wait_for_messages(STRANGER, 1)
    assert "/koreksi" in tg.messages_to(ADMIN)[0]["plain_text"]
    assert "/riwayat" in tg.messages_to(ADMIN)[0]["plain_text"]
    assert "/koreksi" not in tg.messages_to(STRANGER)[0]["plain_text"]


# -- a kill between the press and its effects ----------------------------------------------------

def test_killed_bot_after_press_loses_nothing_and_send_retracts_once(tg, tmp_path, store):
    settings, art, sid, _ = published_story(tg, tmp_path, store)
    [channel_msg] = tg.messages_to(CHANNEL)
    [msg] = review_messages(tg, ADMIN)
    env = env_for(tg, tmp_path)
    # the bot decides, then hangs on answering the press: killed there, before any delivery
    tg.fail_next("answerCallbackQuery", "timeout", delay=30)
    proc = subprocess.Popen([str(PANTAU), "bot"], env=subprocess_env(env), cwd=str(tmp_path),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        tg.push_callback(ADMIN, msg["message_id"], f"rv:{sid}:r", from_id=ADMIN, first_name="Budi")
        tg.wait_for_request("answerCallbackQuery", 1, timeout=40)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
    assert tg.deleted == [] and not tg.calls("deleteMessage")
    # the decision and every effect were committed together
    assert editorial.existing_decision(store, f"story:{sid}").decision == "reject"
    assert store.db.execute("SELECT retracted FROM stories WHERE id = ?", [sid]).fetchone()[0] == 1
    assert store.db.execute("SELECT status FROM alerts WHERE kind = 'retract'").fetchone()[0] == "pending"
    for _ in range(2):
        out = run_pantau("send", env=env)
        assert out.returncode == 0, out.stderr
    assert tg.deleted == [{"chat_id": CHANNEL, "message_id": channel_msg["message_id"]}]
    assert len(tg.calls("deleteMessage")) == 1
    assert len(tg.messages_to(SUB)) == 1


def test_koreksi_gabung_and_pisah(tg, tmp_path, store):
    settings = settings_for(tg, tmp_path)
    a = add(store, 1, company="Fiverr", title="Fiverr PHK 250 karyawan")
    b = add(store, 2, outlet="Kompas", company="Fiverr Israel", title="Perusahaan lepas pangkas staf demi AI",
            text="Sebuah platform kerja lepas memangkas staf di Tel Aviv setelah beralih ke AI. " * 3,
            published="2025-10-22T09:00:00+07:00")
    sa, sb = story_of(store, a), story_of(store, b)
    assert sa != sb
    outbox.enqueue_alerts(store, settings, [a, b])
    deliver(settings, store)
    first_mid = [m for m in tg.messages_to(CHANNEL) if "Fiverr PHK 250" in m["plain_text"]][0]["message_id"]
    with RunningBot(settings):
        tg.push_message(ADMIN, f"/koreksi {sa} gabung {sb}", from_id=ADMIN, first_name="Budi")
        merged = tg.wait_for(lambda sent: [m for m in sent if "digabung" in (m.get("plain_text") or "")])[0]
        assert f"Peristiwa #{sb} digabung ke #{sa} (1 berita dipindah)" in merged["plain_text"]
        # the story's channel message now lists the merged report
        wait_until(lambda: "Juga diberitakan" in tg.message(CHANNEL, first_mid)["text"])
        assert "Kompas" in tg.message(CHANNEL, first_mid)["text"]
        tg.push_message(ADMIN, f"/koreksi {sa} pisah {b}", from_id=ADMIN, first_name="Budi")
        split = tg.wait_for(lambda sent: [m for m in sent if "dipisah" in (m.get("plain_text") or "")])[0]
        assert "Pesan kanal peristiwa ini diperbarui" in split["plain_text"]
        # the split report leaves the story's channel message again
        wait_until(lambda: "Juga diberitakan" not in tg.message(CHANNEL, first_mid)["text"])
        tg.push_message(ADMIN, f"/koreksi {sa} pisah {a}", from_id=ADMIN)
        lonely = tg.wait_for(lambda sent: [m for m in sent if "hanya punya satu berita" in (m.get("plain_text") or "")])
    new_id = story_of(store, b)
    assert new_id != sa
    assert f"Artikel #{b} dipisah dari peristiwa #{sa} menjadi peristiwa #{new_id}" in split["plain_text"]
    assert lonely
    assert store.db.execute("SELECT COUNT(*) FROM stories WHERE retracted = 0").fetchone()[0] == 2  # merged, then split again (the merged one is a hidden tombstone)
    actions = [r["action"] for r in editorial.audit_rows(store, sa)]
    assert actions == ["merge", "split"]


def test_merged_story_id_reused_by_sqlite_does_not_inherit_its_decision(tg, tmp_path, store):
    settings = settings_for(tg, tmp_path)
    a = add(store, 1, company="Fiverr", title="Fiverr PHK 250 karyawan")
    b = add(store, 2, company="Klarna", title="Klarna PHK 700 agen", text="Klarna memangkas 700 agen. " * 5)
    sa, sb = story_of(store, a), story_of(store, b)
    editorial.approve_story(store, settings, sb, ADMIN, "Budi")
    editorial.merge_stories(store, sa, sb, ADMIN, "Budi")
    c = add(store, 3, company="Gojek", title="Gojek PHK 300 karyawan", text="Gojek memangkas 300 staf. " * 5)
    sc = story_of(store, c)
    assert editorial.existing_decision(store, f"story:{sc}") is None
    assert editorial.approve_story(store, settings, sc, ADMIN2, "Sari").won


def test_before_mode_reject_cancels_held_alerts_and_deletes_nothing(tg, tmp_path, store):
    settings, art, sid, _ = published_story(tg, tmp_path, store, PANTAU_REVIEW="before")
    [msg] = review_messages(tg, ADMIN)
    with RunningBot(settings):
        n = len(tg.callback_answers)
        tg.push_callback(ADMIN, msg["message_id"], f"rv:{sid}:r", from_id=ADMIN, first_name="Budi")
        answers_after(tg, n)
        wait_until(lambda: "dicabut oleh Budi" in tg.message(ADMIN, msg["message_id"])["text"])
    assert tg.messages_to(CHANNEL) == [] and tg.messages_to(SUB) == [] and not tg.calls("deleteMessage")
    assert store.db.execute("SELECT COUNT(*) FROM alerts WHERE status = 'held'").fetchone()[0] == 0
    assert deliver(settings, store).sent == 0


def test_before_mode_timeout_publishes_high_scores_and_tells_a_late_editor(tg, tmp_path, store):
    from datetime import datetime, timedelta, timezone

    settings = settings_for(tg, tmp_path, PANTAU_REVIEW="before", PANTAU_REVIEW_TIMEOUT="6",
                            PANTAU_REVIEW_AUTO_SCORE="0.8")
    hi = add(store, 1, score=0.93, company="Fiverr", title="Fiverr PHK 250 karyawan")
    lo = add(store, 2, score=0.6, company="Klarna", title="Klarna PHK 700 agen", text="Klarna memangkas agen. " * 5)
    outbox.enqueue_alerts(store, settings, [hi, lo])
    deliver(settings, store)
    assert tg.messages_to(CHANNEL) == []
    later = datetime.now(timezone.utc) + timedelta(hours=7)
    assert editorial.expire_held(store, settings, now=later) == (1, 1)
    deliver(settings, store)
    [alert] = tg.messages_to(CHANNEL)
    assert "Fiverr PHK 250" in alert["plain_text"]
    msg = [m for m in review_messages(tg, ADMIN) if f"#{story_of(store, hi)}" in m["plain_text"]][0]
    with RunningBot(settings):
        n = len(tg.callback_answers)
        tg.push_callback(ADMIN, msg["message_id"], f"rv:{story_of(store, hi)}:r", from_id=ADMIN)
        assert answers_after(tg, n).startswith("Sudah diputuskan otomatis karena tidak ditinjau tepat waktu (terbit")
        wait_until(lambda: "terbit otomatis" in tg.message(ADMIN, msg["message_id"])["text"])
    assert tg.deleted == []
    assert [r["action"] for r in editorial.audit_rows(store, story_of(store, lo))] == ["drop_timeout"]


def test_dry_run_prints_retraction_and_correction_as_one_line(tmp_path, store, capsys):
    settings = settings_for(None, tmp_path)
    art = add(store, 1)
    outbox.enqueue_alerts(store, settings, [art])
    store.db.execute("UPDATE alerts SET status = 'sent', message_id = 5 WHERE kind = 'alert'")
    store.conn.commit()
    sid = story_of(store, art)
    editorial.correct_story(store, settings, sid, {"jobs_cut": 250}, ADMIN, "Budi")
    deliver(settings, store)
    out = capsys.readouterr().out
    assert f"(correction: the channel message of story #{sid} is edited to the corrected facts and reports)" in out
    editorial.retract_story(store, settings, sid, ADMIN, "Budi")  # cancels the pending correction
    deliver(settings, store)
    out = capsys.readouterr().out
    assert "(correction:" not in out
    assert f"(retraction: the channel message of story #{sid} is deleted or marked 'Dicabut redaksi')" in out
    assert store.db.execute("SELECT status FROM alerts WHERE kind = 'retract'").fetchone()[0] == "pending"


@pytest.mark.parametrize("decision", ["retract", "correct"])
def test_decision_while_the_channel_alert_is_in_flight_follows_it(tg, tmp_path, store, decision):
    import threading

    settings = settings_for(tg, tmp_path, PANTAU_REVIEW="off")
    art = add(store, 1)
    sid = story_of(store, art)
    outbox.enqueue_alerts(store, settings, [art])
    tg.fail_next("sendMessage", "timeout", chat_id=CHANNEL, delay=1.0)  # delivered, answered late
    def run():
        own = Store.open(tmp_path / "pantau.db")
        try:
            deliver(settings, own)
        finally:
            own.close()

    worker = threading.Thread(target=run)
    worker.start()
    tg.wait_for_request("sendMessage", 1)
    if decision == "retract":
        editorial.retract_story(store, settings, sid, ADMIN, "Budi")
    else:
        editorial.correct_story(store, settings, sid, {"company": "Fiverr", "jobs_cut": 250}, ADMIN, "Budi")
    worker.join(20)
    [channel_msg] = tg.messages_to(CHANNEL)
    assert "Sebanyak ·" in channel_msg["plain_text"]  # rendered before the decision
    assert store.db.execute("SELECT status FROM alerts WHERE kind LIKE ?", [decision + "%"]).fetchone()[0] == \
        "pending"
    deliver(settings, store)
    if decision == "retract":
        assert tg.deleted == [{"chat_id": CHANNEL, "message_id": channel_msg["message_id"]}]
    else:
        assert "🏢 Fiverr · 👥 250 karyawan" in tg.message(CHANNEL, channel_msg["message_id"])["text"]
    assert deliver(settings, store).sent == 0 and len(tg.edits) == (decision == "correct")


def test_correction_survives_reclassify_refreshing_story_facts(tg, tmp_path, store):
    from crawler.stories import events, refresh_facts

    settings = settings_for(tg, tmp_path)
    art = add(store, 1)
    store.db.execute("UPDATE articles SET country = 'Indonesia', attribution = 'attributed' WHERE id = ?", [art])
    store.conn.commit()
    sid = story_of(store, art)
    editorial.correct_story(store, settings, sid, {"country": "Israel", "attribution": "explicit"}, ADMIN, "Budi")
    refresh_facts(store)  # what `pantau reclassify` does after re-running the classifier
    [event] = [e for e in events(store) if e["id"] == sid]
    assert (event["country"], event["attribution"]) == ("Israel", "explicit")


def test_review_chat_named_by_username(tg, tmp_path, store):
    settings, art, sid, _ = published_story(tg, tmp_path, store, PANTAU_REVIEW_CHAT="@RuangRedaksi")
    [msg] = review_messages(tg, "@RuangRedaksi")
    with RunningBot(settings):
        n = len(tg.callback_answers)
        tg.push_callback("@RuangRedaksi", msg["message_id"], f"rv:{sid}:a", from_id=ADMIN, first_name="Budi")
        assert "Disetujui" in answers_after(tg, n)
        wait_until(lambda: "disetujui oleh Budi" in tg.message("@RuangRedaksi", msg["message_id"])["text"])
