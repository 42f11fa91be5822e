"""The command line as a new operator meets it: --version, --help everywhere, no empty databases
created by read-only commands, settings validated with one clear line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.crawler.conftest import make_env, run_pantau  # noqa: E402


def test_version(tmp_path):
    from importlib.metadata import version

    proc = run_pantau("--version", env=make_env(tmp_path))
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"pantau {version('pantau-phk')}"


def _subcommands() -> list[str]:
    import scheduler

    parser = scheduler.build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sorted(sub.choices)


def test_every_subcommand_has_a_description_and_examples():
    import scheduler

    parser = scheduler.build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert {"run", "crawl", "send", "status", "search", "export", "cron"} <= set(sub.choices)
    for name, p in sub.choices.items():
        text = p.format_help()
        assert p.description, f"pantau {name} --help has no description"
        assert "example" in text.lower() and f"pantau {name}" in text, f"pantau {name} --help has no example"


def test_top_level_help_lists_commands_with_help(tmp_path):
    proc = run_pantau("--help", env=make_env(tmp_path))
    assert proc.returncode == 0
    for name in ("run", "crawl", "send", "status", "search", "cron"):
        assert f"    {name}" in proc.stdout


@pytest.mark.parametrize("args", [["status"], ["search", "Fiverr"], ["export"], ["sources"], ["sources", "list"],
                                  ["feed", "-o", "-"]])
def test_read_only_commands_do_not_create_a_database(tmp_path, args):
    env = make_env(tmp_path, PANTAU_DB=str(tmp_path / "nowhere" / "pantau.db"))
    (tmp_path / "sources.toml").write_text('[[source]]\nname = "a"\nurl = "https://a.example/rss"\n')
    proc = run_pantau(*args, env=env)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "does not exist" in proc.stderr and "nowhere" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "nowhere").exists()


@pytest.mark.parametrize("name,value,words", [
    ("PANTAU_DIGEST_HOUR", "25", "0 and 23"),
    ("PANTAU_DIGEST_HOUR", "7.5", "whole number"),
    ("PANTAU_PRUNE_DAYS", "0", "at least 1"),
    ("PANTAU_MAX_ITEMS_PER_SOURCE", "lots", "whole number"),
    ("PANTAU_POLITE", "yes", "one of 0, 1"),
    ("PANTAU_LOG_LEVEL", "LOUD", "DEBUG"),
    ("PANTAU_CRAWL_TIMEOUT", "0", "greater than 0"),
])
def test_bad_settings_are_errors_with_one_line(tmp_path, name, value, words):
    (tmp_path / "sources.toml").write_text('[[source]]\nname = "a"\nurl = "https://a.example/rss"\n')
    proc = run_pantau("sources", "check", env=make_env(tmp_path, **{name: value}))
    assert proc.returncode == 1
    assert name in proc.stderr and words in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr


def test_settings_validate_accepts_defaults():
    from crawler.config import Settings

    Settings(env={}, dotenv=None).validate()
    Settings(env={"PANTAU_DIGEST_HOUR": "0", "PANTAU_LOG_LEVEL": "debug"}, dotenv=None).validate()
