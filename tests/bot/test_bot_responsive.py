"""The bot keeps answering while a slow /cari runs, and shows a capped count (issue 15).

The bot is the real Application polling the fake Bot API. The slow search is
the real ``crawler.search.search`` held in its database thread until the
test has seen the /bantuan reply (a stand-in for a query that takes
seconds on a large archive): if the search ran on the event loop, or the
handler blocked the update queue, /bantuan would wait behind it and the
test would time out.
"""

from __future__ import annotations

import itertools
import threading
import time

import pytest

from crawler import outbox
from crawler.search import COUNT_CAP
from crawler.store import Store
from tests.bot.conftest import RunningBot, make_settings, seed
from tests.fakes.telegram_api import FakeTelegram

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

_chats = itertools.count(41001)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    db = tmp_path_factory.mktemp("responsive") / "pantau.db"
    store = Store.open(db)
    outbox.ensure_schema(store)
    with store.write():
        for i in range(COUNT_CAP + 5):
            seed(store, title=f"Robot gudang PHK gelombang {i}", companies=["Gudang"])
        seed(store, title="Fiverr PHK karena AI", companies=["Fiverr"])
    with FakeTelegram(long_poll_cap=0.3) as tg:
        with RunningBot(make_settings(tg, db)) as bot:
            yield tg, store, bot
    store.close()


def test_bantuan_answers_while_a_slow_search_runs(world, monkeypatch):
    import bot.commands as commands

    tg, _, _ = world
    real_search = commands.search
    started, release = threading.Event(), threading.Event()
    loop_threads = []

    def slow_search(store, text, **kw):
        loop_threads.append(threading.current_thread().name)
        started.set()
        release.wait(20)  # held until /bantuan has been answered (or the test gives up)
        return real_search(store, text, **kw)

    monkeypatch.setattr(commands, "search", slow_search)
    slow_chat, other_chat = next(_chats), next(_chats)
    try:
        tg.push_message(slow_chat, "/cari fiverr")
        assert started.wait(10), "search never started"
        t0 = time.monotonic()
        tg.push_message(other_chat, "/bantuan")
        help_reply = tg.wait_for_messages(other_chat, 1, timeout=8)[0]
        help_seconds = time.monotonic() - t0
        assert tg.messages_to(slow_chat) == []  # the search is still running
    finally:
        release.set()
    assert "/cari" in help_reply["plain_text"] and help_seconds < 5
    search_reply = tg.wait_for_messages(slow_chat, 1, timeout=10)[0]
    assert "1 berita" in search_reply["plain_text"] and "Fiverr PHK karena AI" in search_reply["plain_text"]
    assert loop_threads and loop_threads[0].startswith("pantau-db")  # not the event loop's thread


def test_cari_count_is_capped(world):
    tg, _, _ = world
    chat = next(_chats)
    tg.push_message(chat, "/cari robot gudang")
    reply = tg.wait_for_messages(chat, 1, timeout=10)[0]
    assert "lebih dari 1.000 berita" in reply["plain_text"], reply["plain_text"][:200]
    buttons = reply["reply_markup"]["inline_keyboard"][0]
    assert [b["text"] for b in buttons] == ["Berikutnya ›"]
