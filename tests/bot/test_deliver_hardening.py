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


def statuses(store) -> Counter:
    return Counter(r[0] for r in store.db.execute("SELECT status FROM alerts").fetchall())


# -- item 6: a graceful stop during the pacing wait leaves unsent alerts pending ----------------------

def test_sigterm_during_pacing_wait_leaves_unsent_alerts_pending(tg, db, store):
    """22 channel alerts: 20 go out, the 21st waits for the 20/min channel window; SIGTERM then."""
    settings = make_settings(tg, db)
    ids = [seed(store, title=f"Perusahaan Nomor{i} PHK {100 + i} karyawan karena AI", companies=[f"Nomor{i}"])
           for i in range(22)]
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
    assert "Traceback" not in err
    uncertain = store.db.execute("SELECT COUNT(*) FROM alerts WHERE last_error LIKE 'uncertain:%'").fetchone()[0]
    assert uncertain == 0

    again = run_pantau("send", env=make_env(tg, db))  # a new process: the two are sent now, once
    assert again.returncode == 0, again.stderr
    texts = [m["text"] for m in tg.messages_to(CHANNEL)]
    assert len(texts) == 22
    assert all(sum(f"Nomor{i} PHK" in t for t in texts) == 1 for i in range(22))
    assert statuses(store) == Counter({"sent": 22})
