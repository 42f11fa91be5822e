"""Settings table, .env, redaction, `pantau config`, and the Scrapy settings derived from them."""

from __future__ import annotations

import pytest

from crawler.config import SETTINGS, ConfigError, Settings, read_dotenv, redact
from crawler.crawl import USER_AGENT, scrapy_settings
from tests.crawler.conftest import make_env, run_pantau

TOKEN = "123456789:AAH-secretSECRETsecretSECRET_xyz"


def test_env_over_dotenv_over_default(tmp_path):
    dot = tmp_path / ".env"
    dot.write_text('# comment\nexport PANTAU_DB="/x/from-dotenv.db"\nPANTAU_PRUNE_DAYS=30 # inline\n'
                   "PANTAU_LOG_LEVEL='DEBUG'\nnot a line\n")
    s = Settings(env={"PANTAU_DB": "/y/env.db", "PANTAU_CRAWL_INTERVAL": ""}, dotenv=dot)
    assert str(s.db_path) == "/y/env.db"
    assert s.get("PANTAU_PRUNE_DAYS") == "30" and s.get("PANTAU_LOG_LEVEL") == "DEBUG"
    assert s.get("PANTAU_CRAWL_INTERVAL") == "15"  # empty means default
    assert read_dotenv(tmp_path / "missing") == {}


def test_numbers_validated():
    with pytest.raises(ConfigError, match="not a number"):
        Settings(env={"PANTAU_DOWNLOAD_TIMEOUT": "abc"}, dotenv=None).number("PANTAU_DOWNLOAD_TIMEOUT")
    with pytest.raises(ConfigError, match="negative"):
        Settings(env={"PANTAU_MAX_PAGE_MB": "-1"}, dotenv=None).number("PANTAU_MAX_PAGE_MB")
    with pytest.raises(ConfigError):
        _ = Settings(env={"PANTAU_CRAWL_INTERVAL": "0"}, dotenv=None).interval_minutes


def test_secrets_never_shown():
    s = Settings(env={"TELEGRAM_BOT_TOKEN": TOKEN}, dotenv=None)
    assert TOKEN not in repr(s)
    assert all(TOKEN not in v for _, v, _ in s.redacted())
    assert s.redact(f"error at https://api.telegram.org/bot{TOKEN}/sendMessage") == \
        "error at https://api.telegram.org/bot***/sendMessage"
    assert redact("token 987654321:ABCDEFGHIJKLMNOPQRSTUVWXYZ") == "token ***"


@pytest.mark.parametrize("raw, expected", [("3", 3.0), ("60", 20.0), ("0", 1.0)])
def test_download_timeout_capped_at_20s(raw, expected):
    got = scrapy_settings(Settings(env={"PANTAU_DOWNLOAD_TIMEOUT": raw}, dotenv=None))
    assert got["DOWNLOAD_TIMEOUT"] == expected


def test_polite_scrapy_settings():
    polite = scrapy_settings(Settings(env={}, dotenv=None))
    assert polite["ROBOTSTXT_OBEY"] and polite["AUTOTHROTTLE_ENABLED"]
    assert "PantauPHK" in polite["USER_AGENT"] == USER_AGENT
    assert polite["CONCURRENT_REQUESTS_PER_DOMAIN"] <= 8
    assert polite["DOWNLOAD_TIMEOUT"] <= 20
    assert polite["DOWNLOAD_MAXSIZE"] == 5 * 1024 * 1024
    assert polite["RETRY_TIMES"] <= 2 and polite["REDIRECT_MAX_TIMES"] <= 10
    fast = scrapy_settings(Settings(env={"PANTAU_POLITE": "0", "PANTAU_MAX_PAGE_MB": "1"}, dotenv=None))
    assert not fast["AUTOTHROTTLE_ENABLED"] and fast["ROBOTSTXT_OBEY"]  # robots.txt obeyed even in benchmarks
    assert fast["DOWNLOAD_MAXSIZE"] == 1024 * 1024


def test_cli_config_redacts_token(tmp_path):
    env = make_env(tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, PANTAU_PRUNE_DAYS="45")
    proc = run_pantau("config", "-v", env=env)
    assert proc.returncode == 0, proc.stderr
    assert TOKEN not in proc.stdout + proc.stderr
    assert TOKEN.split(":")[1] not in proc.stdout
    values = {}
    for line in proc.stdout.splitlines():
        if line.strip().startswith("#"):
            continue
        name, _, value = line.partition(" ")
        values[name] = value.strip()
    assert set(values) == {s.name for s in SETTINGS}
    assert values["TELEGRAM_BOT_TOKEN"] == "***set***"
    assert "# classifier model:" in proc.stdout and "version" in proc.stdout
    assert values["PANTAU_PRUNE_DAYS"] == "45"
    assert values["PANTAU_DB"] == env["PANTAU_DB"]
    proc = run_pantau("config", env=make_env(tmp_path))
    assert "TELEGRAM_BOT_TOKEN" in proc.stdout and "(unset)" in proc.stdout
