"""One story, one alert: edit-in-place for later reports, one follow-up when a story grows."""

from __future__ import annotations

import asyncio
import hashlib

import pytest

from bot.deliver import NO_PACING, deliver_pending
from crawler import outbox
from crawler.stories import assign_story
from crawler.store import Store
from tests.bot.conftest import CHANNEL, make_settings

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

SUB = 5101

KLARNA = (
    "Perusahaan teknologi finansial asal Swedia, Klarna, memangkas sekitar 700 posisi layanan pelanggan "
    "setelah asisten AI buatannya mampu menangani dua pertiga percakapan dengan pelanggan.\n"
    "Manajemen menyebut chatbot tersebut bekerja setara dengan ratusan agen manusia, sehingga perusahaan "
    "tidak lagi merekrut untuk posisi itu dan mengurangi jumlah staf lewat PHK dan atrisi."
)


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "pantau.db")
    yield s
    s.close()


def add(store, n, outlet, text=KLARNA, jobs_cut=700, published="2025-10-20T10:00:00+07:00", title=None):
    record = {
        "url": f"https://{outlet.lower()}.example/klarna-{n}", "title": title or f"Klarna PHK {n} <AI> & \"otomasi\"",
        "text": text, "outlet": outlet, "source": outlet, "published": published, "fetched": published,
        "content_hash": hashlib.sha1(text.encode()).hexdigest(), "match": 1, "score": 0.9,
        "reasons": ["judul: PHK", "paragraf 1: PHK + AI"], "companies": ["Klarna"], "jobs_cut": jobs_cut,
        "percent": None,
    }
    article_id, _ = store.insert_article(record, [])
    assign_story(store, article_id)
    return article_id


def deliver(settings, store):
    return asyncio.run(deliver_pending(settings, store, pacing=NO_PACING, backoff=(0.1,)))


def test_later_reports_edit_the_channel_message(tg, tmp_path, store):
    settings = make_settings(tg, tmp_path / "pantau.db")
    outbox.subscribe(store, SUB)
    first = add(store, 1, "detikInet")
    outbox.enqueue_alerts(store, settings, [first])
    assert deliver(settings, store).sent == 2
    channel_msgs = tg.messages_to(CHANNEL)
    assert len(channel_msgs) == 1
    mid = channel_msgs[0]["message_id"]

    # the same story from two more outlets (a syndicated copy and a rewrite)
    second = add(store, 2, "Kompas", published="2025-10-20T15:00:00+07:00")
    third = add(store, 3, "Tempo", text=KLARNA.replace("memangkas", "mengurangi"),
                published="2025-10-21T09:00:00+07:00", title="Klarna Kurangi 700 Staf, Chatbot AI Ambil Alih")
    created = outbox.enqueue_alerts(store, settings, [second, third])
    assert created == 2  # two channel updates, nothing for the subscriber
    report = deliver(settings, store)
    assert report.sent == 0 and report.edited == 2
    assert len(tg.messages_to(CHANNEL)) == 1  # no new channel message
    assert len(tg.messages_to(SUB)) == 1  # one alert per story per chat
    current = tg.message(CHANNEL, mid)
    text = tg.edits[-1]["plain_text"]
    assert current["text"] == text and tg.edits[-1]["message_id"] == mid
    assert "Juga diberitakan:" in text and "Kompas" in text and "Tempo" in text
    assert "Klarna PHK 1 <AI> & \"otomasi\"" in text  # escaped in HTML, intact for readers
    assert len(tg.edits) == 1  # the first edit already lists both; the second is "not modified"
    # idempotent: nothing more to send or edit
    assert deliver(settings, store).edited == 0


def test_update_waits_for_the_first_alert(tg, tmp_path, store):
    settings = make_settings(tg, tmp_path / "pantau.db")
    a = add(store, 1, "detikInet")
    b = add(store, 2, "Kompas", published="2025-10-20T12:00:00+07:00")
    outbox.enqueue_alerts(store, settings, [a, b])  # both in one batch
    tg.fail_next("sendMessage", "500", 3)
    report = deliver(settings, store)
    assert report.sent == 0 and not tg.edits
    rows = {r["kind"]: r["status"] for r in store.db.query("SELECT kind, status FROM alerts")}
    assert rows == {"alert": "pending", "update": "pending"}
    report = deliver(settings, store)
    assert report.sent == 1
    # the first message already lists the second outlet, so the edit changes nothing and counts as done
    assert "Kompas" in tg.messages_to(CHANNEL)[0]["plain_text"]
    assert all(r["status"] == "sent" for r in store.db.query("SELECT status FROM alerts"))


def test_grown_story_gets_one_follow_up(tg, tmp_path, store):
    settings = make_settings(tg, tmp_path / "pantau.db")
    outbox.subscribe(store, SUB)
    vague = add(store, 1, "detikInet", text=KLARNA.replace("sekitar 700", "ratusan"), jobs_cut=None)
    outbox.enqueue_alerts(store, settings, [vague])
    deliver(settings, store)
    exact = add(store, 2, "Kompas", text=KLARNA + "\nJumlahnya mencapai 700 orang.", jobs_cut=700,
                published="2025-10-20T18:00:00+07:00")
    again = add(store, 3, "Tempo", text=KLARNA + "\nTotal 700 karyawan terdampak.", jobs_cut=700,
                published="2025-10-21T08:00:00+07:00")
    outbox.enqueue_alerts(store, settings, [exact])
    outbox.enqueue_alerts(store, settings, [again])
    deliver(settings, store)
    for chat in (CHANNEL, SUB):
        msgs = tg.messages_to(chat)
        assert len(msgs) == 2, chat  # the alert + exactly one follow-up
        follow = msgs[1]
        assert "Pembaruan" in follow["plain_text"] and "700" in follow["plain_text"]
        assert follow["params"].get("reply_parameters")
