"""Characters XML 1.0 forbids never leave the program (issue 10, item 12).

A control character in a stored title or text (``&#1;`` in a feed, a NUL in a
page) must not break the Atom feed, the exports or Telegram messages.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

from crawler.stories import assign_story
from crawler.store import Store

from tests.bot.conftest import seed
from tests.crawler.conftest import make_env, run_pantau

FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
HOSTILE_TITLE = "Startup Kontrol\x01 PHK\x0b 400 karyawan\x1f karena AI\ufffe"


def seeded_db(tmp_path):
    db = tmp_path / "pantau.db"
    store = Store.open(db)
    try:
        article_id = seed(store, title=HOSTILE_TITLE, text="Teks\x00 dengan\x08 kontrol " * 5,
                          outlet="Outlet\x02", companies=["Kontrol\x03"])
        assign_story(store, article_id)
    finally:
        store.close()
    return db


def test_atom_feed_parses_with_control_characters_in_titles(tmp_path):
    db = seeded_db(tmp_path)
    proc = run_pantau("feed", "-o", "-", env=make_env(tmp_path, PANTAU_DB=str(db)))
    assert proc.returncode == 0, proc.stderr
    root = ET.fromstring(proc.stdout.encode("utf-8"))  # a strict XML 1.0 parser
    titles = [e.text for e in root.iter("{http://www.w3.org/2005/Atom}title")]
    assert "Startup Kontrol PHK 400 karyawan karena AI" in titles
    assert not FORBIDDEN.search(proc.stdout)


def test_exports_carry_no_forbidden_characters(tmp_path):
    db = seeded_db(tmp_path)
    env = make_env(tmp_path, PANTAU_DB=str(db))
    for fmt in ("csv", "jsonl", "json"):
        proc = run_pantau("export", "--format", fmt, env=env)
        assert proc.returncode == 0, proc.stderr
        text = proc.stdout
        if fmt == "csv":
            rows = list(csv.DictReader(io.StringIO(text)))
            assert rows[0]["title"] == "Startup Kontrol PHK 400 karyawan karena AI"
        else:
            records = [json.loads(line) for line in text.splitlines() if line.strip() not in ("[", "]")
                       and line.strip()] if fmt == "jsonl" else json.loads(text)
            text = json.dumps(records, ensure_ascii=False)
            assert records[0]["title"] == "Startup Kontrol PHK 400 karyawan karena AI"
        assert not FORBIDDEN.search(text), fmt
    proc = run_pantau("export", "--events", "--format", "csv", env=env)
    assert proc.returncode == 0 and not FORBIDDEN.search(proc.stdout), proc.stderr
