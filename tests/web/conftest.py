"""Fixtures for the tracker website tests: ``site_db`` (a real SQLite file built by
``tests.web.site_fixture.build_site_db``) and ``client`` (the app in-process)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.web.site_fixture import build_site_db  # noqa: E402


@pytest.fixture(scope="session")
def site_db(tmp_path_factory) -> tuple[Path, dict[str, int]]:
    path = tmp_path_factory.mktemp("webdb") / "pantau.db"
    ids = build_site_db(path)
    return path, ids


@pytest.fixture(scope="session")
def client(site_db):
    from fastapi.testclient import TestClient

    from web.app import create_app

    with TestClient(create_app(site_db[0], "https://phk.example.id")) as c:
        yield c
