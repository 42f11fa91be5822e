"""Bot commands through the real Application (polling FakeTelegram)."""

from __future__ import annotations

import itertools
import signal
import subprocess

import pytest

from crawler import outbox
from crawler.store import Store
from tests.bot.conftest import (ADMIN, PANTAU, RunningBot, make_env, make_settings, run_pantau, seed,
                                subprocess_env)
from tests.fakes.telegram_api import FakeTelegram

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

_chats = itertools.count(20001)
N_FIVERR = 12


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    db = tmp_path_factory.mktemp("bot") / "pantau.db"
    store = Store.open(db)
    outbox.ensure_schema(store)
    for i in range(N_FIVERR):
        seed(store, title=f"Fiverr PHK gelombang {i + 1}", companies=["Fiverr"],
             published=f"2025-{(i % 9) + 1:02d}-10T10:00:00+07:00")
    seed(store, title='Bank <Jago> & "AI": 14000 staf', companies=["Bank Jago"], jobs_cut=14000,
         published="2025-11-01T09:00:00+07:00")
    seed(store, title="Fiverr hanya gosip", match=0)
    store.db.execute("INSERT INTO sources (name, url, type, last_attempt, last_success, consecutive_failures) "
                     "VALUES ('kompas', 'https://k.example/rss', 'rss', '2025-10-20T07:00:00+00:00', "
                     "'2025-10-20T07:00:00+00:00', 0)")
    store.db.execute("INSERT INTO sources (name, url, type, last_attempt, last_success, consecutive_failures, "
                     "last_error) VALUES ('detik', 'https://d.example/rss', 'rss', '2025-10-20T07:00:00+00:00', "
                     "'2025-10-18T07:00:00+00:00', 3, 'HTTP 503 <bad>')")
    store.db.execute("INSERT INTO crawls (started, finished, status, sources_ok, sources_failed, new_articles, "
                     "flagged, seconds) VALUES ('2025-10-20T07:00:00+00:00', '2025-10-20T07:01:00+00:00', 'ok', "
                     "5, 1, 20, 2, 61.5)")
    with FakeTelegram(long_poll_cap=0.3) as tg:
        with RunningBot(make_settings(tg, db)) as bot:
            yield tg, store, bot
    store.close()


def ask(tg, text, chat=None, **kw):
    chat = chat or next(_chats)
    before = len(tg.messages_to(chat))
    tg.push_message(chat, text, **kw)
    msgs = tg.wait_for_messages(chat, before + 1, timeout=10)
    return msgs[before]


def test_menu_set_at_startup(world):
    tg, _, _ = world
    names = [c["command"] for c in tg.commands]
    assert {"cari", "terbaru", "langganan", "berhenti", "sumber", "statistik", "bantuan"} <= set(names)
    assert "status" not in names  # admin commands only in the admins' own menu


@pytest.mark.parametrize("cmd", ["/start", "/bantuan"])
def test_start_and_help(world, cmd):
    tg, _, _ = world
    reply = ask(tg, cmd)
    assert "PHK karena AI" in reply["plain_text"] and "/cari" in reply["plain_text"]
    assert reply["parse_mode"] == "HTML"


def test_cari_pagination_with_buttons(world):
    tg, store, _ = world
    chat = next(_chats)
    reply = ask(tg, "/cari fiverr", chat)
    text = reply["plain_text"]
    assert f"{N_FIVERR} berita" in text and "hal. 1/3" in text
    assert text.count("Fiverr PHK gelombang") == 5 and "gosip" not in text
    assert "Berita Contoh ·" in text
    buttons = reply["reply_markup"]["inline_keyboard"][0]
    assert [b["text"] for b in buttons] == ["Berikutnya ›"]
    data = buttons[0]["callback_data"]
    assert data.startswith("cari:1:") and len(data.encode()) <= 64
    # newest first
    assert text.index("gelombang 9") < text.index("gelombang 8")

    tg.push_callback(chat, reply["message_id"], data)
    tg.wait_for(lambda sent: [e for e in sent if e["method"] == "editMessageText" and e["chat_key"] == chat])
    page2 = tg.message(chat, reply["message_id"])
    assert "hal. 2/3" in page2["text"]
    assert [b["text"] for b in page2["reply_markup"]["inline_keyboard"][0]] == ["‹ Sebelumnya", "Berikutnya ›"]
    tg.wait_for(lambda _: tg.callback_answers)

    # last page, and the button still works for a query stored in the DB (survives restarts)
    qid = int(data.rsplit(":", 1)[1])
    assert outbox.recall_query(store, qid) == "fiverr"
    tg.push_callback(chat, reply["message_id"], f"cari:2:{qid}")
    tg.wait_for(lambda _: "hal. 3/3" in (tg.message(chat, reply["message_id"])["text"]))
    last = tg.message(chat, reply["message_id"])
    assert last["text"].count("Fiverr PHK gelombang") == 2
    assert [b["text"] for b in last["reply_markup"]["inline_keyboard"][0]] == ["‹ Sebelumnya"]

    # an unknown query id is answered, not crashed on
    n = len(tg.callback_answers)
    tg.push_callback(chat, reply["message_id"], "cari:0:999999")
    tg.wait_for(lambda _: len(tg.callback_answers) > n)
    assert "kedaluwarsa" in tg.callback_answers[-1]["text"]


@pytest.mark.parametrize("query, expect", [
    ("", "Tulis kata kunci"),
    ('"', "Kata kunci kosong"),
    ("AND OR (", "Tidak ada berita"),
    ("* ^ : ) (", "Kata kunci kosong"),
    ("NEAR * ^ : )", "Tidak ada berita"),
    ("<script>", "Tidak ada berita PHK karena AI untuk “<script>”"),
    ("<b>jago</b>", "1 berita"),
    ("🤖 PHK 🔥", "berita"),
    ('fiverr" OR "x', "Tidak ada berita"),
    ("x" * 1000, "Tidak ada berita"),
    ("zzzyyyxxx", "Coba kata kunci lain"),
])
def test_cari_weird_inputs(world, query, expect):
    tg, _, _ = world
    reply = ask(tg, f"/cari {query}".rstrip())
    assert expect in reply["plain_text"]
    assert len(reply["plain_text"]) <= 4096


def test_cari_escapes_html_in_results(world):
    tg, _, _ = world
    reply = ask(tg, "/cari jago")
    assert 'Bank <Jago> & "AI": 14000 staf' in reply["plain_text"]
    assert "🏢 Bank Jago · 👥 14.000 karyawan" in reply["plain_text"]


@pytest.mark.parametrize("arg, n", [("", 5), ("3", 3), ("50", 10)])  # bad numbers: test_bot_commands_hardening
def test_terbaru(world, arg, n):
    tg, _, _ = world
    reply = ask(tg, f"/terbaru {arg}".strip())
    text = reply["plain_text"]
    assert f"{n} berita PHK karena AI terbaru" in text
    assert text.count("\n   Berita Contoh ·") == n
    assert text.split("\n")[2].startswith("1. Bank <Jago>")  # newest first


def test_langganan_berhenti_and_keyword_filter(world):
    tg, store, _ = world
    settings = make_settings(None, store.path, TELEGRAM_CHANNEL_ID="")
    every, filtered, daily = next(_chats), next(_chats), -100777
    assert "setiap peringatan" in ask(tg, "/langganan", every)["plain_text"]
    reply = ask(tg, "/langganan Jago, <gojek>", filtered)
    assert "jago" in reply["plain_text"] and "gojek" in reply["plain_text"]
    tg.set_admins(daily, [1000])  # in groups only group admins may subscribe (1000: the default sender)
    reply = ask(tg, "/langganan@pantau_phk_bot harian", daily, chat_type="supergroup", title="Serikat <Buruh>")
    assert "ringkasan harian" in reply["plain_text"]
    sub = outbox.get_subscriber(store, daily)
    assert sub["daily"] == 1 and sub["title"] == "Serikat <Buruh>"
    assert outbox.get_subscriber(store, filtered)["keywords"] == ["jago", "gojek"]

    # companies no other test of this module searches for (the world is shared)
    fiverr = seed(store, title="Warung Kopi lagi", companies=["Warung Kopi"])
    jago = seed(store, title="Jagoan Bank otomatisasi", companies=["Jagoan Bank"], text="Jago. " * 20)
    outbox.enqueue_alerts(store, settings, [fiverr, jago])
    rows = {(r["article_id"], r["chat_id"]) for r in store.db.query(
        "SELECT article_id, chat_id FROM alerts WHERE article_id IN (?, ?)", [fiverr, jago])}
    # no TELEGRAM_CHANNEL_ID: the channel's copy goes to the console destination (`pantau send` prints it)
    assert rows == {(fiverr, str(every)), (jago, str(every)), (jago, str(filtered)),
                    (fiverr, outbox.CONSOLE), (jago, outbox.CONSOLE)}

    assert "dihentikan" in ask(tg, "/berhenti", every)["plain_text"]
    assert outbox.get_subscriber(store, every)["active"] == 0
    assert {r["status"] for r in store.db.query("SELECT status FROM alerts WHERE chat_id = ?", [str(every)])} \
        == {"cancelled"}
    assert "tidak sedang berlangganan" in ask(tg, "/berhenti", every)["plain_text"]
    store.db.execute("DELETE FROM alerts")
    store.db.execute("DELETE FROM article_urls WHERE article_id IN (?, ?)", [fiverr, jago])
    store.db.execute("DELETE FROM articles WHERE id IN (?, ?)", [fiverr, jago])


def test_sumber(world):
    tg, _, _ = world
    text = ask(tg, "/sumber")["plain_text"]
    assert "2 sumber berita, 1 normal" in text
    assert "✅ kompas — normal" in text
    # users get a short state with its time in WIB, never the raw error (that is for /status)
    assert "⚠️ detik — tidak bisa dihubungi sejak 20 Okt 14.00 WIB" in text
    assert "503" not in text and "<bad>" not in text


def test_statistik(world):
    tg, _, _ = world
    text = ask(tg, "/statistik")["plain_text"]
    assert "Statistik PHK karena AI" in text and "Total berita:" in text
    assert "November 2025: 1" in text and "Januari 2025: 2" in text
    assert "Fiverr:" in text and "Bank Jago: 1" in text


def test_status_admin_and_refusal(world):
    tg, _, _ = world
    text = ask(tg, "/status", ADMIN)["plain_text"]
    assert "Status Pantau PHK" in text and "Crawl terakhir: 20 Okt 2025 14:00 WIB — ok" in text
    assert "Peringatan:" in text and "detik: gagal 3×" in text
    assert "hanya untuk admin" in ask(tg, "/status")["plain_text"]
    # in a group the sender's user id decides; an admin gets the status in private (issue 10 item 18)
    assert "pesan pribadi" in ask(tg, "/status@pantau_phk_bot", -100555, chat_type="supergroup",
                                  from_id=ADMIN)["plain_text"]
    assert "hanya untuk admin" in ask(tg, "/status@pantau_phk_bot", -100555, from_id=4242)["plain_text"]


def test_uji_admin_and_refusal(world):
    tg, _, _ = world
    text = ask(tg, "/uji Startup Fiverr melakukan PHK terhadap 250 karyawan karena digantikan AI. "
                   "Perusahaan memangkas 30% karyawan dan beralih ke kecerdasan buatan.", ADMIN)["plain_text"]
    assert "Hasil klasifikasi" in text and "Skor:" in text and "Jumlah PHK: 250 (30%)" in text
    assert "Kenapa:" in text and "Kalimat bukti: “" in text
    assert "Tulis teks" in ask(tg, "/uji", ADMIN)["plain_text"]
    assert "hanya untuk admin" in ask(tg, "/uji PHK karena AI")["plain_text"]


def test_unknown_command_and_groups(world):
    tg, _, _ = world
    assert "/bantuan" in ask(tg, "/halo")["plain_text"]
    group = -100444
    reply = ask(tg, "/cari@pantau_phk_bot fiverr", group, chat_type="supergroup")
    assert f"{N_FIVERR} berita" in reply["plain_text"]
    assert "/bantuan" in ask(tg, "/halo@pantau_phk_bot", group)["plain_text"]
    # commands for other bots, and unknown bare commands in groups, are ignored
    before = len(tg.messages_to(group))
    tg.push_message(group, "/cari@other_bot fiverr")
    tg.push_message(group, "/halo")
    ask(tg, "/bantuan@pantau_phk_bot", group)
    assert len(tg.messages_to(group)) == before + 1


# -- `pantau bot` as a process ---------------------------------------------------------------------

def test_pantau_bot_without_token(tmp_path):
    proc = run_pantau("bot", env=make_env(None, tmp_path / "p.db"))
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == ["error: TELEGRAM_BOT_TOKEN is not set"]


def test_pantau_bot_process_answers_and_never_prints_token(tmp_path):
    db = tmp_path / "p.db"
    with FakeTelegram(long_poll_cap=0.3) as tg:
        env = make_env(tg, db, PANTAU_LOG_LEVEL="DEBUG")
        proc = subprocess.Popen([str(PANTAU), "bot"], env=subprocess_env(env), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, cwd=str(tmp_path))
        try:
            tg.wait_for_request("setMyCommands", timeout=20)
            tg.push_message(31337, "/terbaru")
            msgs = tg.wait_for_messages(31337, 1, timeout=15)
            assert "Belum ada berita" in msgs[0]["plain_text"]
            getupdates = tg.calls("getUpdates")[-1]["params"]
            assert set(getupdates.get("allowed_updates") or []) == {"message", "callback_query"}
        finally:
            proc.send_signal(signal.SIGINT)
            try:
                out, err = proc.communicate(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                out, err = proc.communicate()
        assert proc.returncode == 0, err
        assert tg.token not in out + err and tg.token.split(":")[1] not in out + err
        assert "getUpdates" in err  # DEBUG output was produced (and redacted)


def test_statistik_sends_chart(world):
    tg, _, _ = world
    chat = 8801
    before = len(tg.photos)
    tg.push_message(chat, "/statistik")
    tg.wait_for(lambda sent: [r for r in sent if r["method"] == "sendPhoto" and str(r["chat_id"]) == str(chat)],
                timeout=20)
    photo = tg.photos[before:][-1]
    assert photo["photo_bytes"].startswith(b"\x89PNG\r\n\x1a\n") and len(photo["photo_bytes"]) > 5000
    assert "Grafik" in photo["caption"]
