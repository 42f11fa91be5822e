"""Honest health through the real ``pantau`` command (issue 12): ``pantau status`` exit codes and
reasons, ``pantau crawl`` when every source fails, and back-off listed with ``-v``."""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import datetime, timedelta, timezone

from tests.crawler.conftest import db_rows, make_env, run_pantau, write_sources

ISO_OFFSET = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$")
# a time is shown "HH:MM WIB" today and "D Mon HH:MM WIB" on another day (WIB): a test running
# around midnight WIB (17:00 UTC) sees a date too
HHMM_WIB = r"(?:\d{1,2} [A-Z][a-z]{2} )?\d{2}:\d{2} WIB"


def _iso(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).replace(microsecond=0).isoformat()


def _crawl_row(db: str, *, ok: int, failed: int, finished: datetime, skipped: int = 0) -> None:
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO crawls (started, finished, status, sources_ok, sources_failed, sources_skipped) "
                 "VALUES (?, ?, 'ok', ?, ?, ?)", [_iso(finished - timedelta(seconds=30)), _iso(finished),
                                                  ok, failed, skipped])
    conn.commit()
    conn.close()


def _fresh_db(tmp_path, **extra):
    env = make_env(tmp_path, **extra)
    write_sources(env["PANTAU_SOURCES"], [{"name": "a", "url": "http://127.0.0.1:9/a.xml"}])
    assert run_pantau("housekeeping", env=env).returncode == 0  # creates and migrates the database
    return env


def test_status_ok_only_when_a_recent_crawl_had_answering_sources(tmp_path):
    env = _fresh_db(tmp_path)
    now = datetime.now(timezone.utc)
    _crawl_row(env["PANTAU_DB"], ok=37, failed=1, finished=now - timedelta(minutes=2))
    proc = run_pantau("status", env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "status: OK"

    _crawl_row(env["PANTAU_DB"], ok=0, failed=38, finished=now - timedelta(minutes=1))
    proc = run_pantau("status", env=env)
    assert proc.returncode == 4
    last = proc.stdout.strip().splitlines()[-1]
    assert last.startswith("status: NOT OK — all sources failed — check the internet connection/DNS (0 of 38")
    assert re.search(r"next crawl " + HHMM_WIB, last), last


def test_status_share_of_sources_is_configurable(tmp_path):
    env = _fresh_db(tmp_path, PANTAU_HEALTH_MIN_SOURCES_OK="50%")
    _crawl_row(env["PANTAU_DB"], ok=3, failed=7, finished=datetime.now(timezone.utc))
    proc = run_pantau("status", env=env)
    assert proc.returncode == 4
    assert "only 3 of 10 sources answered in the last crawl (need 5)" in proc.stdout
    env["PANTAU_HEALTH_MIN_SOURCES_OK"] = "3"
    assert run_pantau("status", env=env).returncode == 0
    env["PANTAU_HEALTH_MIN_SOURCES_OK"] = "lots"
    proc = run_pantau("status", env=env)
    assert proc.returncode == 1 and "PANTAU_HEALTH_MIN_SOURCES_OK" in proc.stderr


def test_status_stale_and_future_crawls_exit_3(tmp_path):
    env = _fresh_db(tmp_path, PANTAU_CRAWL_INTERVAL="15")
    proc = run_pantau("status", env=env)
    assert proc.returncode == 3 and "no crawl has finished yet" in proc.stdout
    _crawl_row(env["PANTAU_DB"], ok=5, failed=0, finished=datetime.now(timezone.utc) - timedelta(minutes=50))
    proc = run_pantau("status", env=env)
    assert proc.returncode == 3
    assert "no crawl finished in the last 45 min" in proc.stdout.splitlines()[-1]
    conn = sqlite3.connect(env["PANTAU_DB"])  # a crawl that then failed is named in the reason
    conn.execute("INSERT INTO crawls (started, finished, status, error) VALUES (?, ?, 'error', 'OSError: disk full')",
                 [_iso(datetime.now(timezone.utc))] * 2)
    conn.commit()
    conn.close()
    proc = run_pantau("status", env=env)
    assert proc.returncode == 3
    assert "the latest crawl ended 'error': OSError: disk full" in proc.stdout.splitlines()[-1]
    _crawl_row(env["PANTAU_DB"], ok=5, failed=0, finished=datetime.now(timezone.utc) + timedelta(days=2))
    proc = run_pantau("status", env=env)
    assert proc.returncode == 3
    assert "dated in the future" in proc.stdout.splitlines()[-1]


def test_status_json_facts_carry_iso_offsets(tmp_path):
    env = _fresh_db(tmp_path)
    _crawl_row(env["PANTAU_DB"], ok=0, failed=2, finished=datetime.now(timezone.utc))
    proc = run_pantau("status", "--json", env=env)
    assert proc.returncode == 4
    data = json.loads(proc.stdout)
    assert data["ok"] is False and data["exit_code"] == 4
    assert data["reasons"][0].startswith("all sources failed")
    for key in ("checked", "last_crawl_finished", "next_crawl"):
        assert ISO_OFFSET.match(data["facts"][key]), (key, data["facts"][key])
    assert data["facts"]["sources_ok"] == 0 and data["facts"]["sources_failed"] == 2


def test_crawl_with_every_source_failing_says_so_and_lists_back_off(tmp_path, news):
    env = make_env(tmp_path, PANTAU_CRAWL_INTERVAL="15")
    write_sources(env["PANTAU_SOURCES"], [{"name": "satu", "url": news.url + "/fault/404"},
                                          {"name": "dua", "url": news.url + "/fault/500"}])
    proc = run_pantau("crawl", env=env)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert lines[0].startswith("crawl: 0 sources ok, 2 failed")
    assert re.fullmatch(r"all sources failed — check the internet connection/DNS; next crawl at about "
                        + HHMM_WIB + r" \(every 15 min\)", lines[1]), lines
    assert len(lines) == 2

    run_pantau("crawl", env=env)  # second failure in a row: both back off for one interval
    proc = run_pantau("crawl", "-v", env=env)
    lines = proc.stdout.strip().splitlines()
    assert "2 backing off" in lines[0]
    assert any("every source is backing off" in line and "--force" in line for line in lines), lines
    for name in ("satu", "dua"):
        assert any(re.match(rf"  {name}: backing off until {HHMM_WIB} after 2 failures", line)
                   for line in lines), lines
    assert lines[-1] == "  (2 backing off: `pantau crawl --force` tries them now)"
    until = db_rows(env["PANTAU_DB"], "SELECT next_attempt_after FROM sources WHERE name = 'satu'")[0]
    shown = re.search(rf"satu: backing off until ({HHMM_WIB})", proc.stdout).group(1)
    wib = datetime.fromisoformat(until["next_attempt_after"]).astimezone(timezone(timedelta(hours=7)))
    assert shown.endswith(f"{wib:%H:%M} WIB")


def test_sources_table_times_carry_their_offset(tmp_path):
    env = _fresh_db(tmp_path)
    conn = sqlite3.connect(env["PANTAU_DB"])
    conn.execute("INSERT OR REPLACE INTO sources (name, url, type, last_attempt, last_success, consecutive_failures) "
                 "VALUES ('a', 'http://127.0.0.1:9/a.xml', 'rss', '2026-01-01T01:00:00+00:00', "
                 "'2026-01-01T01:00:00+00:00', 0)")
    conn.commit()
    conn.close()
    proc = run_pantau("sources", env=env)
    assert proc.returncode == 0, proc.stderr
    row = [line for line in proc.stdout.splitlines() if line.startswith("a ")][0]
    assert "2026-01-01T01:00:00+00:00" in row.split()
