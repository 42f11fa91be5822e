"""The new facts (country, attribution, evidence) reach the article export and `pantau classify`."""

from __future__ import annotations

import csv
import io
import json
import subprocess

from crawler.crawl import classify_columns
from crawler.export import write_export
from crawler.store import Store
from tests.crawler.conftest import PANTAU

TITLE = "Fiverr PHK 30 Persen Karyawan demi Menjadi Perusahaan AI-First"
TEXT = ("Jakarta - Platform pekerja lepas Fiverr memangkas sekitar 250 karyawan atau 30 persen dari tenaga kerjanya.\n"
        "CEO Fiverr mengatakan perusahaan akan menjadi perusahaan AI-first dengan tim yang lebih ramping dan "
        "memanfaatkan otomatisasi di layanan pelanggan.\n"
        "Karyawan yang terdampak PHK menerima pesangon.")


def test_classify_columns_and_export_carry_the_facts(tmp_path):
    cols = classify_columns(TITLE, TEXT)
    assert cols["match"] == 1
    assert cols["country"] == "Israel" and cols["attribution"] == "explicit" and cols["evidence"]
    store = Store.open(tmp_path / "p.db")
    record = {"url": "https://contoh.example/fiverr", "title": TITLE, "text": TEXT, "fetched": "2025-10-21T09:00:00+07:00",
              **cols}
    store.insert_article(record, [])
    out = io.StringIO()
    write_export(store, out, "jsonl")
    rec = json.loads(out.getvalue().splitlines()[0])
    assert (rec["country"], rec["attribution"]) == ("Israel", "explicit")
    assert rec["evidence"] == cols["evidence"]
    out = io.StringIO()
    write_export(store, out, "csv")
    row = next(csv.DictReader(io.StringIO(out.getvalue())))
    assert row["attribution"] == "explicit" and row["evidence"] == cols["evidence"]
    store.close()


def test_pantau_classify_prints_the_facts(pantau_env):
    line = json.dumps({"id": "x1", "title": TITLE, "text": TEXT})
    proc = subprocess.run([str(PANTAU), "classify"], input=line + "\n", env=pantau_env, capture_output=True,
                          text=True, timeout=90)
    assert proc.returncode == 0, proc.stderr
    rec = json.loads(proc.stdout.splitlines()[0])
    assert rec["id"] == "x1" and rec["jobs_cut"] == 250 and rec["percent"] == 30.0
    assert rec["country"] == "Israel" and rec["attribution"] == "explicit"
    assert rec["evidence"] and len(rec["evidence"]) <= 200
