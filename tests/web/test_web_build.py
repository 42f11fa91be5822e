"""``pantau site build DIR``: the static site, its links, its safety rules, and the CLI."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from web.build import MARKER, BuildError, build_site

PANTAU = Path(sys.executable).parent / "pantau"


def local_targets(html: str) -> list[str]:
    return [u for u in re.findall(r'(?:href|src)="([^"]+)"', html) if u.startswith("/")]


def resolve(root: Path, url: str) -> Path:
    path = urlsplit(url).path.lstrip("/")
    target = root / path
    return target / "index.html" if url.endswith("/") or target.is_dir() else target


def test_static_build_writes_every_page_and_every_link_resolves(site_db, tmp_path):
    out = tmp_path / "site"
    report = build_site(site_db[0], out)
    assert report.events == 4 and (out / MARKER).exists()
    for rel in ("index.html", "peristiwa/index.html", "metodologi/index.html", "404.html", "feed.xml",
                "peristiwa.csv", "peristiwa.json", "api/events.json", "static/style.css", "static/app.js",
                *(f"peristiwa/{i}/index.html" for i in (1, 2, 3, 4)), *(f"api/events/{i}.json" for i in (1, 2, 3, 4))):
        assert (out / rel).is_file(), rel
    broken = []
    for page in out.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script>" not in html
        assert '<html lang="id">' in html
        broken += [(str(page.relative_to(out)), u) for u in local_targets(html) if not resolve(out, u).is_file()]
    assert broken == []
    home = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="/peristiwa/1/"' in home and "Cari" not in home.split("</nav>")[0]  # no search on a static host
    events = (out / "peristiwa/index.html").read_text(encoding="utf-8")
    assert "tidak bisa menyaring" in events and "<form" not in events
    rows = list(csv.DictReader((out / "peristiwa.csv").open(encoding="utf-8")))
    assert [int(r["id"]) for r in rows] == [4, 3, 2, 1]
    assert json.loads((out / "api/events/1.json").read_text())["reports"][0]["outlet"] == "Warta Tekno"


def test_static_build_paginates_and_uses_site_url(site_db, tmp_path):
    out = tmp_path / "site"
    build_site(site_db[0], out, "https://data.example.org/phk/", per_page=3)
    first = (out / "peristiwa/index.html").read_text(encoding="utf-8")
    second = (out / "peristiwa/hal/2/index.html").read_text(encoding="utf-8")
    assert 'href="/phk/peristiwa/hal/2/" rel="next"' in first and 'href="/phk/peristiwa/" rel="prev"' in second
    assert "Menampilkan 4–4 dari 4" in second
    event = (out / "peristiwa/2/index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://data.example.org/phk/peristiwa/2/">' in event
    assert 'href="/phk/static/style.css"' in event
    feed = (out / "feed.xml").read_text(encoding="utf-8")
    assert 'href="https://data.example.org/phk/feed.xml"' in feed


def test_rebuild_replaces_a_previous_build_but_never_a_foreign_folder(site_db, tmp_path):
    out = tmp_path / "site"
    build_site(site_db[0], out)
    (out / "stale.html").write_text("old")
    build_site(site_db[0], out)
    assert not (out / "stale.html").exists() and (out / "index.html").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["site"]  # no temp folders left behind
    foreign = tmp_path / "home"
    foreign.mkdir()
    (foreign / "thesis.tex").write_text("precious")
    with pytest.raises(BuildError, match="not a Pantau PHK site build"):
        build_site(site_db[0], foreign)
    assert (foreign / "thesis.tex").read_text() == "precious"


def _env(db: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PANTAU_", "TELEGRAM_"))}
    env["PANTAU_DB"] = str(db)
    return env


def test_pantau_site_build_command(site_db, tmp_path):
    out = tmp_path / "www"
    r = subprocess.run([str(PANTAU), "site", "build", str(out)], env=_env(site_db[0]), cwd=tmp_path,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(f"site built in {out}: ") and "4 events" in r.stdout
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "a.txt").write_text("x")
    bad = subprocess.run([str(PANTAU), "site", "build", str(tmp_path / "mine")], env=_env(site_db[0]),
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1 and bad.stderr.startswith("error: ") and "Traceback" not in bad.stderr
    missing = subprocess.run([str(PANTAU), "site", "build", str(tmp_path / "x")],
                             env=_env(tmp_path / "none.db"), cwd=tmp_path, capture_output=True, text=True,
                             timeout=120)
    assert missing.returncode == 1 and "does not exist" in missing.stderr
    assert not (tmp_path / "none.db").exists()


def test_a_feed_that_cannot_be_read_does_not_break_the_build_or_the_site(site_db, tmp_path, monkeypatch):
    import sqlite3

    from fastapi.testclient import TestClient

    import crawler.atom
    from web.app import create_app

    def broken(*a, **k):
        raise sqlite3.OperationalError("no such column: retracted")

    monkeypatch.setattr(crawler.atom, "build_feed", broken)
    report = build_site(site_db[0], tmp_path / "site")
    assert (tmp_path / "site" / "index.html").is_file() and not (tmp_path / "site" / "feed.xml").exists()
    assert "feed.xml not written" in report.summary()
    with TestClient(create_app(site_db[0])) as c:
        r = c.get("/feed.xml")
        assert r.status_code == 503 and "Traceback" not in r.text
        assert c.get("/").status_code == 200
