"""Deployment: `pantau cron` (one crontab line: env file, crawl, then send) and the systemd unit."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.fakes.news_server import NewsServer  # noqa: E402
from tests.test_scheduler import write_sources  # noqa: E402

PANTAU = Path(sys.executable).parent / "pantau"


def bare_env(tmp: Path) -> dict:
    """What cron gives a job: no PANTAU_/TELEGRAM_ variables, a bare PATH, another directory."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PANTAU_", "TELEGRAM_"))}
    env["PATH"] = "/usr/bin:/bin"
    env["PYTHONUNBUFFERED"] = "1"
    return env


def test_cron_loads_env_file_crawls_then_prints_alerts(tmp_path):
    with NewsServer() as news:
        write_sources(tmp_path / "sources.toml", [("detik", f"{news.url}/detik/rss.xml")])
        env_file = tmp_path / "pantau.env"
        env_file.write_text(
            f"PANTAU_DB={tmp_path / 'state' / 'pantau.db'}\n"
            f"PANTAU_SOURCES={tmp_path / 'sources.toml'}\n"
            f"PANTAU_FEED_PATH={tmp_path / 'feed.xml'}\n"
            "PANTAU_POLITE=0\nPANTAU_DOWNLOAD_TIMEOUT=3\n"
            "PANTAU_ALERT_MAX_AGE_HOURS=876000\n", encoding="utf-8")  # the fixture stories are from 2025
        workdir = tmp_path / "elsewhere"
        workdir.mkdir()
        proc = subprocess.run([str(PANTAU), "cron", "--env-file", str(env_file)], cwd=workdir,
                              env=bare_env(tmp_path), capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert (tmp_path / "state" / "pantau.db").exists()
    assert not (workdir / "data").exists()  # the env file's paths were used, not defaults
    assert "crawl:" in proc.stdout or "crawl:" in proc.stderr
    assert "Amazon" in proc.stdout  # no token: the flagged story is printed as an alert
    # a second run sends nothing again
    with NewsServer() as news2:
        write_sources(tmp_path / "sources.toml", [("detik", f"{news2.url}/detik/rss.xml")])
        again = subprocess.run([str(PANTAU), "cron", "--env-file", str(env_file)], cwd=workdir,
                               env=bare_env(tmp_path), capture_output=True, text=True, timeout=180)
    assert again.returncode == 0, again.stderr[-2000:]
    assert "Amazon PHK 14.000" not in again.stdout


def test_cron_with_missing_env_file_says_so(tmp_path):
    proc = subprocess.run([str(PANTAU), "cron", "--env-file", str(tmp_path / "nope.env")], cwd=tmp_path,
                          env=bare_env(tmp_path), capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0
    assert "nope.env" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "data").exists()


def test_cron_env_file_token_is_never_printed(tmp_path):
    env_file = tmp_path / "pantau.env"
    token = "123456:SECRETsecretSECRETsecret_abcdefghij"
    env_file.write_text(f"TELEGRAM_BOT_TOKEN={token}\nPANTAU_DB={tmp_path / 'p.db'}\n"
                        f"PANTAU_SOURCES={tmp_path / 'missing.toml'}\n", encoding="utf-8")
    proc = subprocess.run([str(PANTAU), "cron", "--env-file", str(env_file)], cwd=tmp_path,
                          env=bare_env(tmp_path), capture_output=True, text=True, timeout=60)
    assert token not in proc.stdout + proc.stderr
    assert "SECRET" not in proc.stdout + proc.stderr


UNIT = ROOT / "deploy" / "pantau.service"


def test_unit_uses_a_state_directory_not_a_missing_data_folder():
    text = UNIT.read_text(encoding="utf-8")
    assert "StateDirectory=pantau-phk" in text
    assert "ReadWritePaths=/opt/pantau-phk/data" not in text
    assert "PANTAU_DB=/var/lib/pantau-phk/" in text


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze not installed")
def test_systemd_analyze_verify_passes(tmp_path):
    # verify checks that ExecStart exists: point it at this checkout's real pantau
    unit = UNIT.read_text(encoding="utf-8").replace("/opt/pantau-phk/.venv/bin/pantau", str(PANTAU))
    path = tmp_path / "pantau.service"
    path.write_text(unit, encoding="utf-8")
    proc = subprocess.run(["systemd-analyze", "verify", str(path)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "pantau.service" not in proc.stderr, proc.stderr


def test_readme_cron_lines_log_both_commands_and_load_the_env():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "CRON_TZ=Asia/Jakarta" in readme
    assert "pantau cron --env-file /etc/pantau-phk.env" in readme
    assert "install -m 600" in readme
