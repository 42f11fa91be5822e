"""Tests of the fake Telegram Bot API, driven through python-telegram-bot's real HTTP stack."""

from __future__ import annotations

import asyncio
import json
import threading
import time
import urllib.request

import pytest
import telegram
from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter, TimedOut
from telegram.request import HTTPXRequest

from .telegram_api import FakeTelegram, HtmlParseError, parse_telegram_html

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(256)) * 4


@pytest.fixture
def tg():
    with FakeTelegram() as server:
        yield server


def run_bot(tg: FakeTelegram, coro_fn, *, read_timeout: float = 5.0, token: str | None = None):
    """Run ``await coro_fn(bot)`` with an initialized real telegram.Bot."""

    async def main():
        bot = telegram.Bot(
            token or tg.token,
            base_url=tg.base_url,
            base_file_url=tg.base_file_url,
            request=HTTPXRequest(read_timeout=read_timeout, connect_timeout=2),
        )
        async with bot:
            return await coro_fn(bot)

    return asyncio.run(main())


def test_get_me_and_url(tg):
    assert tg.url.startswith("http://127.0.0.1:")

    async def go(bot):
        return await bot.get_me()

    me = run_bot(tg, go)
    assert me.id == 1234 and me.username == "pantau_phk_bot" and me.is_bot
    assert tg.calls("getMe")


def test_custom_bot_username_and_raw_get():
    with FakeTelegram(bot_username="other_bot", bot_id=99) as server:
        with urllib.request.urlopen(f"{server.url}/bot{server.token}/getMe") as r:
            body = json.load(r)
    assert body == {"ok": True, "result": body["result"]}
    assert body["result"]["username"] == "other_bot" and body["result"]["id"] == 99


def test_invalid_token_is_unauthorized(tg):
    req = urllib.request.Request(f"{tg.url}/botnot-a-token/getMe", method="POST")
    with pytest.raises(urllib.error.HTTPError) as ei:
        urllib.request.urlopen(req)
    assert ei.value.code == 401
    assert json.load(ei.value) == {"ok": False, "error_code": 401, "description": "Unauthorized"}

    async def go(bot):
        await bot.get_me()

    with pytest.raises(InvalidToken):
        run_bot(tg, go, token="abc")


def test_json_body_is_accepted(tg):
    data = json.dumps({"chat_id": 7, "text": "<i>x</i>", "parse_mode": "HTML"}).encode()
    req = urllib.request.Request(f"{tg.url}/bot{tg.token}/sendMessage", data=data,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        res = json.load(r)["result"]
    assert res["text"] == "x" and res["entities"][0]["type"] == "italic"
    assert tg.messages_to(7)[0]["text"] == "<i>x</i>"


def test_send_message_html_recorded(tg):
    kb = InlineKeyboardMarkup([[InlineKeyboardButton("Detail", callback_data="d:1")]])

    async def go(bot):
        a = await bot.send_message(42, "<b>PHK</b> &amp; AI &lt;3 <a href=\"https://x.id/a?b=1&amp;c=2\">link</a>",
                                   parse_mode="HTML", reply_markup=kb)
        b = await bot.send_message(42, "second")
        c = await bot.send_message("@pantau_channel", "to channel")
        return a, b, c

    a, b, c = run_bot(tg, go)
    assert (a.message_id, b.message_id) == (1, 2)
    assert a.text == "PHK & AI <3 link"
    types = [e.type for e in a.entities]
    assert "bold" in types and "text_link" in types
    assert a.entities[-1].url == "https://x.id/a?b=1&c=2"
    assert a.reply_markup.inline_keyboard[0][0].callback_data == "d:1"
    msgs = tg.messages_to(42)
    assert [m["message_id"] for m in msgs] == [1, 2]
    assert msgs[0]["parse_mode"] == "HTML"
    assert msgs[0]["chat_id"] == 42
    assert msgs[0]["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "d:1"
    assert msgs[0]["plain_text"] == "PHK & AI <3 link"
    ch = tg.messages_to("@pantau_channel")
    assert len(ch) == 1 and ch[0]["chat_id"] == "@pantau_channel"
    assert c.chat.type == "channel" and c.message_id == 1
    assert tg.requests[-1]["method"] == "sendMessage"
    assert tg.max_in_window(42, 60) == 2


@pytest.mark.parametrize(
    "html, fragment",
    [
        ("hello <foo>x</foo>", 'Unsupported start tag "foo" at byte offset 6'),
        ("<b>bold <i>x</b></i>", 'Unmatched end tag at byte offset 12, expected "</i>", found "</b>"'),
        ("<b>never closed", 'Can\'t find end tag corresponding to start tag "b"'),
        ("x </b>", "Unexpected end tag at byte offset 2"),
        ("<span>s</span>", 'Tag "span" must have class "tg-spoiler"'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("Tom & Jerry", 'Unescaped "&" at byte offset 4'),
        ("a &nbsp; b", 'Unescaped "&"'),
        ("5 > 3", 'Unescaped ">" at byte offset 2'),
        ("<b", "Unclosed start tag at byte offset 0"),
    ],
)
def test_invalid_html_is_bad_request(tg, html, fragment):
    async def go(bot):
        await bot.send_message(1, html, parse_mode="HTML")

    with pytest.raises(BadRequest) as ei:
        run_bot(tg, go)
    # PTB strips "Bad Request: " and str.capitalize()s the rest -> compare case-insensitively
    assert "can't parse entities: " + fragment.lower() in str(ei.value).lower()
    assert tg.sent == []


def test_html_parser_details():
    text, ents = parse_telegram_html(
        '<b>a<i>😀b</i></b> <pre><code class="language-python">x=1</code></pre>'
        '<tg-spoiler>s</tg-spoiler><span class="tg-spoiler">t</span>&#x41;&#65;&quot;')
    assert text == 'a😀b x=1stAA"'
    by_type = {e["type"]: e for e in ents}
    assert by_type["bold"] == {"type": "bold", "offset": 0, "length": 4}  # UTF-16 units
    assert by_type["italic"] == {"type": "italic", "offset": 1, "length": 3}
    assert by_type["pre"]["language"] == "python"
    assert sum(e["type"] == "spoiler" for e in ents) == 2
    # byte offsets are UTF-8 byte offsets like Telegram's
    with pytest.raises(HtmlParseError, match="byte offset 6"):
        parse_telegram_html("é😀<x>")
    # lenient (real-Telegram) mode keeps bare & and > as text
    assert parse_telegram_html("Tom & Jerry > 3", strict=False)[0] == "Tom & Jerry > 3"


def test_html_lenient_server_mode():
    with FakeTelegram(strict_html=False) as server:
        async def go(bot):
            return await bot.send_message(1, "R&D > x", parse_mode="HTML")

        assert run_bot(server, go).text == "R&D > x"


def test_too_long_and_empty(tg):
    async def go_long(bot):
        await bot.send_message(1, "x" * 4097)

    async def go_ok(bot):
        # 4096 chars after entity parsing is fine even though the raw text is longer
        return await bot.send_message(1, "<b>" + "&amp;" * 4096 + "</b>", parse_mode="HTML")

    async def go_html_long(bot):
        await bot.send_message(1, "<b>" + "y" * 4097 + "</b>", parse_mode="HTML")

    async def go_empty(bot):
        await bot.send_message(1, "<b> </b>", parse_mode="HTML")

    with pytest.raises(BadRequest, match="(?i)message is too long"):
        run_bot(tg, go_long)
    with pytest.raises(BadRequest, match="(?i)too long"):
        run_bot(tg, go_html_long)
    with pytest.raises(BadRequest, match="(?i)text is empty"):
        run_bot(tg, go_empty)
    assert len(run_bot(tg, go_ok).text) == 4096
    assert len(tg.sent) == 1


def test_429_retry_after(tg):
    tg.fail_next("sendMessage", "429", retry_after=7)

    async def go(bot):
        with pytest.raises(RetryAfter) as ei:
            await bot.send_message(5, "a")
        ra = ei.value.retry_after
        ok = await bot.send_message(5, "b")  # fault consumed
        return ra, ok

    ra, ok = run_bot(tg, go)
    assert ra in (7, __import__("datetime").timedelta(seconds=7))
    assert ok.message_id == 1
    assert [m["text"] for m in tg.messages_to(5)] == ["b"]


def test_403_fault_and_block_chat(tg):
    tg.fail_next("sendMessage", "403", chat_id=9)
    tg.block_chat(10)

    async def go(bot):
        await bot.send_message(8, "unaffected")  # fault is bound to chat 9
        with pytest.raises(Forbidden, match="(?i)blocked"):
            await bot.send_message(9, "x")
        await bot.send_message(9, "now ok")
        for _ in range(2):
            with pytest.raises(Forbidden, match="(?i)bot was blocked by the user"):
                await bot.send_message(10, "never")
        tg.unblock_chat(10)
        await bot.send_message(10, "after unblock")

    run_bot(tg, go)
    assert [m["text"] for m in tg.messages_to(9)] == ["now ok"]
    assert [m["text"] for m in tg.messages_to(10)] == ["after unblock"]


def test_5xx_and_drop_raise_network_error(tg):
    tg.fail_next("sendMessage", "502")
    tg.fail_next("sendMessage", "500")
    tg.fail_next("sendMessage", "drop")

    async def go(bot):
        for _ in range(3):
            with pytest.raises(NetworkError):
                await bot.send_message(3, "x")
        return await bot.send_message(3, "y")

    assert run_bot(tg, go).text == "y"
    assert [m["text"] for m in tg.messages_to(3)] == ["y"]
    assert len(tg.calls("sendMessage")) == 4


def test_timeout_fault_delivers_but_client_times_out(tg):
    tg.fail_next("sendMessage", "timeout", delay=1.5)

    async def go(bot):
        t0 = time.monotonic()
        with pytest.raises(TimedOut):
            await bot.send_message(77, "<b>delivered</b>", parse_mode="HTML")
        return time.monotonic() - t0

    elapsed = run_bot(tg, go, read_timeout=0.5)
    assert elapsed < 1.4
    msgs = tg.messages_to(77)
    assert len(msgs) == 1 and msgs[0]["plain_text"] == "delivered"
    assert msgs[0]["fault"] == "timeout"


def test_edit_message_text(tg):
    kb = InlineKeyboardMarkup([[InlineKeyboardButton("Next", callback_data="p:2")]])

    async def go(bot):
        m = await bot.send_message(11, "page 1", reply_markup=kb)
        e = await bot.edit_message_text("<i>page 2</i>", chat_id=11, message_id=m.message_id,
                                        parse_mode="HTML", reply_markup=kb)
        with pytest.raises(BadRequest, match="(?i)not modified"):
            await bot.edit_message_text("<i>page 2</i>", chat_id=11, message_id=m.message_id,
                                        parse_mode="HTML", reply_markup=kb)
        with pytest.raises(BadRequest, match="(?i)message to edit not found"):
            await bot.edit_message_text("zzz", chat_id=11, message_id=999)
        with pytest.raises(BadRequest, match="(?i)can't parse entities"):
            await bot.edit_message_text("<p>x</p>", chat_id=11, message_id=m.message_id,
                                        parse_mode="HTML")
        return m, e

    m, e = run_bot(tg, go)
    assert e.message_id == m.message_id and e.text == "page 2" and e.edit_date is not None
    assert len(tg.edits) == 1 and tg.edits[0]["text"] == "<i>page 2</i>"
    assert tg.message(11, m.message_id)["text"] == "page 2"
    assert len(tg.messages_to(11)) == 1
    assert len(tg.messages_to(11, include_edits=True)) == 2


def test_send_photo_multipart(tg):
    async def go(bot):
        return await bot.send_photo(20, PNG, caption="<b>Grafik</b> PHK", parse_mode="HTML",
                                    filename="chart.png")

    m = run_bot(tg, go)
    assert m.photo and m.caption == "Grafik PHK"
    p = tg.photos[0]
    assert p["photo_bytes"] == PNG and p["photo_bytes"].startswith(b"\x89PNG")
    assert p["chat_id"] == 20 and p["caption"] == "<b>Grafik</b> PHK"
    assert p["filename"] == "chart.png"
    assert tg.messages_to(20)[0]["method"] == "sendPhoto"


def test_misc_methods(tg):
    async def go(bot):
        await bot.delete_webhook(drop_pending_updates=True)
        await bot.set_my_commands([BotCommand("start", "Mulai"), BotCommand("top", "Top PHK")])
        cmds = await bot.get_my_commands()
        await bot.send_chat_action(5, "typing")
        chat = await bot.get_chat(-1001234)
        private = await bot.get_chat(5)
        res = await bot.do_api_request("someFutureMethod", api_kwargs={"x": 1})
        return cmds, chat, private, res

    cmds, chat, private, res = run_bot(tg, go)
    assert [c.command for c in cmds] == ["start", "top"]
    assert [c["command"] for c in tg.commands] == ["start", "top"]
    assert chat.type == "supergroup" and private.type == "private"
    assert res is True
    assert tg.unknown_calls[0]["method"] == "someFutureMethod"
    assert tg.actions[0]["action"] == "typing"
    assert tg.webhook_deleted == 1


def test_get_updates_with_commands(tg):
    u1 = tg.push_message(100, "/start@pantau_phk_bot hello", username="budi")
    u2 = tg.push_message(-100555, "/top 5", from_id=321, chat_type="supergroup")
    u3 = tg.push_message(100, "just text")

    async def go(bot):
        first = await bot.get_updates(timeout=0)
        confirmed = await bot.get_updates(offset=first[-1].update_id + 1, timeout=0)
        return first, confirmed

    first, confirmed = run_bot(tg, go)
    assert [u.update_id for u in first] == [u1, u2, u3]
    m0 = first[0].message
    assert m0.chat.id == 100 and m0.from_user.username == "budi"
    assert m0.entities[0].type == "bot_command"
    assert (m0.entities[0].offset, m0.entities[0].length) == (0, len("/start@pantau_phk_bot"))
    m1 = first[1].message
    assert m1.chat.type == "supergroup" and m1.from_user.id == 321
    assert m1.entities[0].length == 4
    assert first[2].message.entities == ()
    assert confirmed == ()
    assert tg.pending_updates == []


def test_long_poll_waits_then_returns_new_update(tg):
    def later():
        time.sleep(0.3)
        tg.push_message(1, "/help")

    async def go(bot):
        t0 = time.monotonic()
        empty = await bot.get_updates(timeout=5)  # capped at ~1 s by the fake
        waited = time.monotonic() - t0
        threading.Thread(target=later, daemon=True).start()
        t1 = time.monotonic()
        got = await bot.get_updates(timeout=5)
        return empty, waited, got, time.monotonic() - t1

    empty, waited, got, t = run_bot(tg, go)
    assert empty == () and 0.8 < waited < 2.0
    assert len(got) == 1 and got[0].message.text == "/help" and t < 0.9


def test_push_callback_and_answer(tg):
    kb = InlineKeyboardMarkup([[InlineKeyboardButton("Lihat", callback_data="art:9")]])

    async def send(bot):
        return await bot.send_message(55, "artikel", reply_markup=kb)

    sent = run_bot(tg, send)
    uid = tg.push_callback(55, sent.message_id, "art:9", from_id=55)

    async def go(bot):
        ups = await bot.get_updates(timeout=0)
        cq = ups[0].callback_query
        ok = await bot.answer_callback_query(cq.id, text="ok")
        with pytest.raises(BadRequest, match="(?i)query is too old"):
            await bot.answer_callback_query("nope")
        return ups, cq, ok

    ups, cq, ok = run_bot(tg, go)
    assert ups[0].update_id == uid
    assert cq.data == "art:9" and cq.from_user.id == 55
    assert cq.message.message_id == sent.message_id and cq.message.text == "artikel"
    assert cq.message.reply_markup.inline_keyboard[0][0].callback_data == "art:9"
    assert ok is True and tg.callback_answers[0]["text"] == "ok"


def test_wait_helpers(tg):
    def later():
        time.sleep(0.2)

        async def go(bot):
            await bot.send_message(3, "one")
            await bot.send_message(3, "two")

        run_bot(tg, go)

    threading.Thread(target=later, daemon=True).start()
    msgs = tg.wait_for_messages(3, 2, timeout=5)
    assert [m["text"] for m in msgs] == ["one", "two"]
    assert tg.wait_for(lambda sent: [m for m in sent if m["text"] == "two"], timeout=1)
    with pytest.raises(TimeoutError):
        tg.wait_for_messages(4, 1, timeout=0.2)


def test_enforce_limits_private():
    with FakeTelegram(enforce_limits=True) as server:
        async def go(bot):
            await bot.send_message(1, "a")
            with pytest.raises(RetryAfter):
                await bot.send_message(1, "b")
            await bot.send_message(2, "other chat ok")

        run_bot(server, go)
        assert server.max_in_window(1, 1.0) == 1


def test_stop_is_fast_during_long_poll():
    server = FakeTelegram(long_poll_cap=30).start()
    url = f"{server.url}/bot{server.token}/getUpdates?timeout=30"
    t = threading.Thread(target=lambda: _swallow(lambda: urllib.request.urlopen(url, timeout=5)),
                         daemon=True)
    t.start()
    server.wait_for_request("getUpdates", timeout=2)
    time.sleep(0.1)
    t0 = time.monotonic()
    server.stop()
    assert time.monotonic() - t0 < 1.0
    t.join(2)
    assert not t.is_alive()


def _swallow(fn):
    try:
        fn()
    except Exception:
        pass


def test_application_polling_end_to_end(tg):
    """Example wiring: a real PTB Application long-polling the fake."""
    from telegram.ext import Application, CallbackQueryHandler, CommandHandler

    async def start(update, context):
        await update.effective_message.reply_html(
            "<b>Halo</b>", reply_markup=InlineKeyboardMarkup(
                [[InlineKeyboardButton("Top", callback_data="top")]]))

    async def on_cb(update, context):
        await update.callback_query.answer()
        await update.callback_query.edit_message_text("Top PHK")

    async def main():
        app = (Application.builder().token(tg.token).base_url(tg.base_url)
               .base_file_url(tg.base_file_url).build())
        app.add_handler(CommandHandler("start", start))
        app.add_handler(CallbackQueryHandler(on_cb))
        async with app:
            await app.start()
            await app.updater.start_polling(poll_interval=0, timeout=1)
            tg.push_message(500, "/start")
            [msg] = await asyncio.to_thread(tg.wait_for_messages, 500, 1, 5)
            tg.push_callback(500, msg["message_id"], "top")
            await asyncio.to_thread(tg.wait_for, lambda s: [r for r in s if r["method"] == "editMessageText"], 5)
            await app.updater.stop()
            await app.stop()
        return msg

    msg = asyncio.run(main())
    assert msg["text"] == "<b>Halo</b>" and msg["parse_mode"] == "HTML"
    assert tg.edits[0]["plain_text"] == "Top PHK"
    assert len(tg.callback_answers) == 1
    assert tg.pending_updates == []  # all updates confirmed by the final getUpdates
