"""Shared fixtures for the crawler tests.

- ``news`` / ``news2``: module-scoped fixture news servers (two different
  host:port pairs; the crawler skips a host for the rest of a crawl after a
  timeout, so a hanging source goes on ``news2``).
- ``manifest``: ground truth of the fixture sites.
- ``pantau_env(tmp_path)``: environment for a subprocess crawl (PANTAU_DB,
  PANTAU_SOURCES, PANTAU_POLITE=0, PANTAU_DOWNLOAD_TIMEOUT=3).
- ``run_pantau(*args, env=…, timeout=…)``: the real ``pantau`` console script.
- ``write_sources(path, entries)``: a sources TOML file from dicts.
- ``shipped_model``: the classifier uses the shipped model, whatever .env or PANTAU_* says on
  the machine running the tests (reset before and after).
- ``confident_model()``: a model sure that every article is an AI-layoff story (only the rules'
  vetoes can stop it).
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.fakes.news_server import DEFAULT_ROOT, NewsServer  # noqa: E402

PANTAU = Path(sys.executable).parent / "pantau"
MANIFEST_PATH = DEFAULT_ROOT / "manifest.json"


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)  # JSON strings are valid TOML basic strings


def write_sources(path: Path | str, entries: list[dict]) -> Path:
    """Write ``entries`` as ``[[source]]`` tables to ``path``."""
    lines: list[str] = []
    for entry in entries:
        lines.append("[[source]]")
        for key, value in entry.items():
            lines.append(f"{key} = {_toml_value(value)}")
        lines.append("")
    path = Path(path)
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def make_env(tmp: Path, **extra: str) -> dict[str, str]:
    """A clean environment for one pantau subprocess rooted in ``tmp``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PANTAU_", "TELEGRAM_"))}
    env.update({
        "PANTAU_DB": str(tmp / "pantau.db"),
        "PANTAU_SOURCES": str(tmp / "sources.toml"),
        "PANTAU_POLITE": "0",
        "PANTAU_DOWNLOAD_TIMEOUT": "3",
        "PANTAU_LOG_LEVEL": "WARNING",
        "PANTAU_ALERT_MAX_AGE_HOURS": "876000",  # fixture stories are from 2025: alert them (tests/crawler/test_backlog.py)
        "PANTAU_TMP": str(tmp),  # also the working directory (no stray .env)
    })
    env.update(extra)
    return env


def run_pantau(*args: str, env: dict[str, str], timeout: float = 90,
               cwd: Path | str | None = None) -> subprocess.CompletedProcess:
    """Run the installed ``pantau`` console script; text output captured."""
    assert PANTAU.exists(), f"console script not found at {PANTAU}"
    return subprocess.run([str(PANTAU), *args], env=env, capture_output=True, text=True,
                          timeout=timeout, cwd=str(cwd or env.get("PANTAU_TMP") or ROOT))


def db_rows(db_path: Path | str, sql: str, params=()) -> list[dict]:
    conn = sqlite3.connect(str(db_path))
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


@pytest.fixture(scope="session")
def manifest() -> dict:
    return json.loads(MANIFEST_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def news():
    with NewsServer() as srv:
        yield srv


@pytest.fixture(scope="module")
def news2():
    with NewsServer() as srv:
        yield srv


@pytest.fixture
def pantau_env(tmp_path) -> dict[str, str]:
    return make_env(tmp_path)


@pytest.fixture
def shipped_model(monkeypatch, tmp_path):
    from crawler.classify import model as M

    monkeypatch.setenv("PANTAU_DB", str(tmp_path / "nodata" / "pantau.db"))
    monkeypatch.delenv("PANTAU_MODEL", raising=False)
    M.reset()
    yield
    M.reset()


def confident_model():
    import numpy as np

    from crawler.classify import model as M

    sure = M.Head(np.zeros(M.N_TOTAL, dtype=np.float32), 20.0, (1.0, 0.0))
    return M.Model(Path("confident.npz"), sure, sure, {"version": "test"})
