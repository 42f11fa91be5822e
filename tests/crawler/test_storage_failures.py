"""Storage failures are not hidden (issue 10, item 10).

- A write failure (disk full) fails the crawl: exit 1, one line naming the
  database, the crawl not reported OK, and never the whole article in the log.
  The full disk is real: the crawl subprocess runs with RLIMIT_FSIZE just
  above the database's size (SIGXFSZ ignored, so writes fail with EFBIG like
  on a full disk), which needs no root and no mount.
- A corrupt database (pages overwritten in a real file) gives one line naming
  the file and the ``sqlite3 <file> .recover`` advice from every command that
  reads it — no traceback, and "cannot rollback" never hides the real error.
"""

from __future__ import annotations

import resource
import signal
import sqlite3
import subprocess

import pytest

from crawler.store import Store

from tests.bot.conftest import seed
from tests.crawler.conftest import PANTAU, make_env, run_pantau, write_sources

MARKER = "Kalimat penanda unik artikel ini"


def page(i: int) -> str:
    body = " ".join(f"{MARKER} nomor {i}, paragraf {k}: perusahaan Isi{i} memangkas 300 karyawan karena AI."
                    for k in range(60))
    return (f"<!doctype html><html lang='id'><head><meta charset='utf-8'><title>Startup Isi{i} PHK 300 karyawan "
            f"karena AI</title></head><body><article><h1>Startup Isi{i} PHK 300 karyawan karena AI</h1>"
            f"<div class='isi'><p>{body}</p></div></article></body></html>")


def limited(max_bytes: int):
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))
    return apply


def test_full_disk_fails_the_crawl_in_one_line(news, tmp_path):
    for i in range(30):
        news.put(f"/penuh/{i}.html", page(i))
    items = "".join(f"<item><title>Startup Isi{i} PHK 300 karyawan karena AI</title>"
                    f"<link>{{{{BASE}}}}/penuh/{i}.html</link></item>" for i in range(30))
    news.put("/penuh/rss.xml", f'<?xml version="1.0"?><rss version="2.0"><channel><title>Penuh</title>'
                               f"<link>{{{{BASE}}}}/penuh/</link><description>d</description>{items}</channel></rss>",
             content_type="application/rss+xml; charset=utf-8")
    write_sources(tmp_path / "sources.toml", [{"name": "penuh", "url": news.url + "/penuh/rss.xml"}])
    env = make_env(tmp_path)
    db = tmp_path / "pantau.db"
    Store.open(db).close()  # schema in place; the crawl can then write only a little more
    conn = sqlite3.connect(db)
    from datetime import datetime, timedelta, timezone

    ago = [(datetime.now(timezone.utc) - timedelta(minutes=m)).replace(microsecond=0).isoformat() for m in (5, 4)]
    conn.execute("INSERT INTO crawls (started, finished, status, sources_ok) VALUES (?, ?, 'ok', 1)",
                 ago)  # healthy until now
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    room = db.stat().st_size + 96 * 1024
    proc = subprocess.run([str(PANTAU), "crawl"], env=env, cwd=tmp_path, capture_output=True, text=True,
                          timeout=120, preexec_fn=limited(room))
    assert proc.returncode == 1, (proc.stdout, proc.stderr)
    err_lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert err_lines and err_lines[-1].startswith("error: ") and str(db) in err_lines[-1], proc.stderr
    assert "crawl: 1 sources ok" not in proc.stdout
    assert MARKER not in proc.stdout + proc.stderr  # the article is never logged
    assert "Traceback" not in proc.stderr and len(err_lines) <= 2, proc.stderr

    status = run_pantau("status", env=env)  # no size limit now; an OK crawl 4 minutes ago is not enough
    assert status.returncode != 0, status.stdout
    assert "failed" in status.stdout and "disk" in status.stdout, status.stdout


# -- corrupt database ------------------------------------------------------------------------------------

def corrupt(db, keep_first_page: bool = True) -> None:
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(db.read_bytes())
    start = page_size if keep_first_page else 0
    for offset in range(start, len(data), page_size):
        data[offset:offset + page_size] = bytes([0xA5]) * page_size
    db.write_bytes(bytes(data))


@pytest.fixture
def corrupt_db(tmp_path):
    db = tmp_path / "pantau.db"
    store = Store.open(db)
    for i in range(40):
        seed(store, title=f"Startup Rusak{i} PHK 100 karyawan karena AI", companies=[f"Rusak{i}"])
    store.db.execute("INSERT INTO crawls (started, finished, status) VALUES (?, ?, 'ok')",
                     ["2026-01-01T00:00:00+00:00", "2026-01-01T00:01:00+00:00"])
    store.close()
    corrupt(db)
    return db


COMMANDS = [("search", "PHK"), ("export", "--format", "jsonl"), ("housekeeping",), ("reclassify",),
            ("feed", "-o", "-"), ("status",), ("sources",)]


@pytest.mark.parametrize("command", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_corrupt_database_one_line_with_recover_advice(corrupt_db, tmp_path, command):
    write_sources(tmp_path / "sources.toml", [{"name": "x", "url": "http://127.0.0.1:9/rss"}])
    proc = run_pantau(*command, env=make_env(tmp_path))
    err = proc.stderr.strip()
    assert proc.returncode == 1, (proc.stdout, err)
    assert "Traceback" not in err and "cannot rollback" not in err
    assert len(err.splitlines()) == 1, err
    assert str(corrupt_db) in err and f"sqlite3 {corrupt_db} .recover" in err, err


def test_unreadable_header_one_line_with_recover_advice(tmp_path):
    db = tmp_path / "pantau.db"
    store = Store.open(db)
    seed(store)
    store.close()
    corrupt(db, keep_first_page=False)
    proc = run_pantau("search", "PHK", env=make_env(tmp_path))
    err = proc.stderr.strip()
    assert proc.returncode == 1 and len(err.splitlines()) == 1, err
    assert str(db) in err and ".recover" in err


@pytest.mark.parametrize("command", [("send",), ("digest",)], ids=["send", "digest"])
def test_corrupt_database_one_line_from_telegram_commands(corrupt_db, tmp_path, command):
    env = make_env(tmp_path, TELEGRAM_BOT_TOKEN="123456789:TEST-fake_token_ABCdef",
                   TELEGRAM_API_URL="http://127.0.0.1:9")  # never reached: the database fails first
    proc = run_pantau(*command, env=env)
    err = proc.stderr.strip()
    assert proc.returncode == 1, (proc.stdout, err)
    assert "Traceback" not in err and len(err.splitlines()) == 1, err
    assert f"sqlite3 {corrupt_db} .recover" in err, err
