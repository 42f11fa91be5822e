"""Bot edge cases (issue 10, item 18), through the real Application polling the fake Bot API.

- ``/terbaru ²`` (a Unicode digit) gets the usage message, not the generic error;
- a forged ``cari:<page>:<id>`` callback cannot show another chat's saved search;
- in groups only group administrators may /langganan or /berhenti (getChatMember);
- an admin's /status in a group is answered in private, not in the group;
- a 404 from the Bot API is reported as a wrong TELEGRAM_API_URL/token, not as a rejected token.
"""

from __future__ import annotations

import itertools
import signal
import subprocess

import pytest

from crawler import outbox
from crawler.store import Store

from tests.bot.conftest import ADMIN, PANTAU, RunningBot, make_env, make_settings, run_pantau, seed, subprocess_env
from tests.fakes.telegram_api import FakeTelegram

_chats = itertools.count(91001)
GROUP = -100777000
GROUP_ADMIN, GROUP_MEMBER = 5001, 5002


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    db = tmp_path_factory.mktemp("bot-hard") / "pantau.db"
    store = Store.open(db)
    outbox.ensure_schema(store)
    for i in range(7):
        seed(store, title=f"Rahasiaku PHK gelombang {i + 1}", companies=["Rahasiaku"],
             published=f"2025-0{i + 1}-10T10:00:00+07:00")
    with FakeTelegram(long_poll_cap=0.3) as tg:
        tg.set_chat(GROUP, type="supergroup", title="Grup Uji")
        tg.set_admins(GROUP, [GROUP_ADMIN])
        with RunningBot(make_settings(tg, db)) as bot:
            yield tg, store, bot
    store.close()


def ask(tg, text, chat=None, **kw):
    chat = chat or next(_chats)
    before = len(tg.messages_to(chat))
    tg.push_message(chat, text, **kw)
    return tg.wait_for_messages(chat, before + 1, timeout=10)[before]


@pytest.mark.parametrize("arg", ["²", "٣", "3.5", "-2", "0", "lima", "99999999999999999999"])
def test_terbaru_bad_numbers_get_usage(world, arg):
    tg, _, _ = world
    text = ask(tg, f"/terbaru {arg}")["plain_text"]
    assert "kesalahan" not in text
    assert "/terbaru" in text and "1" in text and "10" in text


def test_terbaru_plain_numbers_still_work(world):
    tg, _, _ = world
    assert ask(tg, "/terbaru 2")["plain_text"].count("Rahasiaku PHK gelombang") == 2


def test_forged_search_callback_cannot_show_another_chats_query(world):
    tg, _, _ = world
    victim, attacker = next(_chats), next(_chats)
    reply = ask(tg, "/cari rahasiaku", victim)
    data = reply["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    query_id = data.rsplit(":", 1)[1]
    mine = ask(tg, "/bantuan", attacker)
    n = len(tg.callback_answers)
    tg.push_callback(attacker, mine["message_id"], f"cari:0:{query_id}")
    tg.wait_for(lambda _: len(tg.callback_answers) > n)
    assert "kedaluwarsa" in tg.callback_answers[-1]["text"]
    assert "Rahasiaku" not in (tg.message(attacker, mine["message_id"]) or {}).get("text", "")
    # the owner's own button still works
    tg.push_callback(victim, reply["message_id"], data)
    tg.wait_for(lambda _: "hal. 2/2" in tg.message(victim, reply["message_id"])["text"])


def test_only_group_admins_manage_group_subscriptions(world):
    tg, store, _ = world
    kw = dict(chat_type="supergroup")
    refused = ask(tg, "/langganan@pantau_phk_bot", GROUP, from_id=GROUP_MEMBER, **kw)["plain_text"]
    assert "admin grup" in refused
    assert outbox.get_subscriber(store, GROUP) is None
    ok = ask(tg, "/langganan@pantau_phk_bot", GROUP, from_id=GROUP_ADMIN, **kw)["plain_text"]
    assert "aktif" in ok.lower() and outbox.get_subscriber(store, GROUP)["active"]
    refused = ask(tg, "/berhenti@pantau_phk_bot", GROUP, from_id=GROUP_MEMBER, **kw)["plain_text"]
    assert "admin grup" in refused and outbox.get_subscriber(store, GROUP)["active"]
    ask(tg, "/berhenti@pantau_phk_bot", GROUP, from_id=GROUP_ADMIN, **kw)
    assert not outbox.get_subscriber(store, GROUP)["active"]
    assert tg.calls("getChatMember")
    # a private chat needs no check
    private = next(_chats)
    assert "aktif" in ask(tg, "/langganan", private)["plain_text"].lower()


def test_admin_status_in_a_group_is_answered_in_private(world):
    tg, _, _ = world
    group = -100778000
    before_private = len(tg.messages_to(ADMIN))
    reply = ask(tg, "/status@pantau_phk_bot", group, chat_type="supergroup", from_id=ADMIN)["plain_text"]
    assert "Status Pantau PHK" not in reply and "pribadi" in reply
    private = tg.wait_for_messages(ADMIN, before_private + 1, timeout=10)[before_private]
    assert "Status Pantau PHK" in private["plain_text"]


# -- 404 from the Bot API ----------------------------------------------------------------------------

def test_404_from_bot_api_is_not_reported_as_a_rejected_token(tmp_path):
    db = tmp_path / "pantau.db"
    store = Store.open(db)
    try:
        with FakeTelegram(long_poll_cap=0.3) as tg:
            outbox.enqueue_alerts(store, make_settings(tg, db), [seed(store)])
            outbox.subscribe(store, 4343, daily=True)
            env = make_env(tg, db, TELEGRAM_API_URL=tg.url + "/wrong-prefix")  # every path answers 404
            for command in ("send", "digest", "bot"):
                proc = run_pantau(command, env=env, timeout=60)
                err = proc.stderr
                assert proc.returncode == 1, (command, proc.stdout, err)
                assert "not found (404)" in err and "TELEGRAM_API_URL" in err, (command, err)
                assert "401 Unauthorized" not in err and "rejected" not in err, (command, err)
                assert err.strip().splitlines()[-1] == "error: Telegram API not found (404): check " \
                    "TELEGRAM_API_URL/token" + ("; no digest was sent" if command == "digest" else "")
                assert "Traceback" not in err
            assert store.db.execute("SELECT status FROM alerts").fetchone()[0] == "pending"
    finally:
        store.close()
