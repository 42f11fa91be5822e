"""Delivery hardening (issue 10): graceful stop, junk-padded tokens, 404 vs 401, control characters.

Real ``pantau`` subprocesses and the real python-telegram-bot stack against the
loopback fake Bot API (tests/fakes/telegram_api.py); real SQLite files.
"""

from __future__ import annotations

import signal
import subprocess
import time
from collections import Counter

import pytest

from crawler import outbox
from crawler.store import Store

from tests.bot.conftest import CHANNEL, PANTAU, make_env, make_settings, run_pantau, seed, subprocess_env


@pytest.fixture
def db(tmp_path):
    return tmp_path / "pantau.db"


@pytest.fixture
def store(db):
    s = Store.open(db)
    yield s
    s.close()


def recent(**fields) -> dict:
    """Seed fields for fresh news (alerts are only pushed for recent articles)."""
    from datetime import datetime, timedelta, timezone

    when = (datetime.now(timezone.utc) - timedelta(hours=1)).replace(microsecond=0).isoformat()
    return {"published": when, "fetched": when, **fields}


def statuses(store) -> Counter:
    return Counter(r[0] for r in store.db.execute("SELECT status FROM alerts").fetchall())


# -- item 6: a graceful stop during the pacing wait leaves unsent alerts pending ----------------------

def test_sigterm_during_pacing_wait_leaves_unsent_alerts_pending(tg, db, store):
    """22 channel alerts: 20 go out, the 21st waits for the 20/min channel window; SIGTERM then."""
    settings = make_settings(tg, db)
    ids = [seed(store, **recent(title=f"Perusahaan Nomor{i} PHK {100 + i} karyawan karena AI",
                                companies=[f"Nomor{i}"])) for i in range(22)]
    outbox.enqueue_alerts(store, settings, ids)
    env = subprocess_env(make_env(tg, db))
    proc = subprocess.Popen([str(PANTAU), "send"], env=env, cwd=str(db.parent), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        tg.wait_for_messages(CHANNEL, 20, timeout=30)
        time.sleep(1.0)  # the 21st alert is now waiting for the channel's window
        assert proc.poll() is None
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert len(tg.messages_to(CHANNEL)) == 20
    assert statuses(store) == Counter({"sent": 20, "pending": 2}), (out, err)
    assert "send: 20 sent" in out and "2 pending" in out and "stopped by SIGTERM" in out, out
    assert "Traceback" not in err
    uncertain = store.db.execute("SELECT COUNT(*) FROM alerts WHERE last_error LIKE 'uncertain:%'").fetchone()[0]
    assert uncertain == 0

    again = run_pantau("send", env=make_env(tg, db))  # a new process: the two are sent now, once
    assert again.returncode == 0, again.stderr
    texts = [m["text"] for m in tg.messages_to(CHANNEL)]
    assert len(texts) == 22
    assert all(sum(f"Nomor{i} PHK" in t for t in texts) == 1 for i in range(22))
    assert statuses(store) == Counter({"sent": 22})


# -- item 3: a token with copy-paste junk is cleaned on load and never logged, in any encoding ---------

JUNK = {"nbsp": "\u00a0", "zero-width": "\u200b", "newline": "\n", "bom+space": "\ufeff "}


def leaked_forms(token: str, junk: str) -> list[str]:
    from urllib.parse import quote, quote_plus

    padded = token + junk
    return [token, token.split(":")[1], quote(token, safe=""), quote(padded, safe=""), quote(padded),
            quote_plus(padded), padded]


def assert_no_token(text: str, token: str, junk: str) -> None:
    for form in leaked_forms(token, junk):
        assert form not in text, f"token leaked as {form!r}"


@pytest.mark.parametrize("junk", list(JUNK.values()), ids=list(JUNK))
def test_junk_padded_token_works_and_never_leaks_send_digest(tg, db, store, junk):
    settings = make_settings(tg, db)
    outbox.subscribe(store, 4242, daily=True)
    outbox.enqueue_alerts(store, settings, [seed(store, **recent())])
    env = make_env(tg, db, PANTAU_LOG_LEVEL="DEBUG", TELEGRAM_BOT_TOKEN=tg.token + junk)
    for command in ("send", "digest"):
        proc = run_pantau(command, env=env)
        out = proc.stdout + proc.stderr
        assert proc.returncode == 0, out[-2000:]
        assert_no_token(out, tg.token, junk)
        assert "/bot***/" in proc.stderr  # DEBUG request lines were logged, with the path redacted
        assert proc.stderr.count("TELEGRAM_BOT_TOKEN had") == 1  # said once, without the value
    assert tg.tokens_seen == {tg.token}  # the cleaned token reached Telegram
    assert len(tg.messages_to(CHANNEL)) == 1 and len(tg.messages_to(4242)) == 1


def test_junk_padded_token_never_leaks_from_pantau_bot(tg, db):
    junk = "\u00a0\u200b"
    env = make_env(tg, db, PANTAU_LOG_LEVEL="DEBUG", TELEGRAM_BOT_TOKEN="\u200b" + tg.token + junk)
    proc = subprocess.Popen([str(PANTAU), "bot"], env=subprocess_env(env), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=str(db.parent))
    try:
        tg.wait_for_request("getUpdates", timeout=20)
        tg.push_message(31337, "/bantuan")
        tg.wait_for_messages(31337, 1, timeout=15)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            out, err = proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
    assert_no_token(out + err, tg.token, junk)
    assert "getUpdates" in err and "/bot***/" in err
    assert tg.tokens_seen == {tg.token}


# -- item 12: no XML-forbidden characters in Telegram messages -----------------------------------------

def test_telegram_messages_carry_no_forbidden_characters(tg, db, store):
    import re

    settings = make_settings(tg, db)
    article = seed(store, **recent(title="Startup Kontrol\x01 PHK\x0b 400 karyawan karena AI\ufffe",
                                   text="Teks\x00 dengan\x08 kontrol " * 5, outlet="Outlet\x02",
                                   companies=["Kontrol\x03"]))
    outbox.enqueue_alerts(store, settings, [article])
    proc = run_pantau("send", env=make_env(tg, db))
    assert proc.returncode == 0, proc.stderr
    (msg,) = tg.messages_to(CHANNEL)
    assert "Startup Kontrol PHK 400 karyawan karena AI" in msg["text"]
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", msg["text"])
