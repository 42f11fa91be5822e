"""A story's facts come from its reports (issue 9): country, attribution and evidence; the first
explicit statement wins; the events export carries them."""

from __future__ import annotations

import csv
import hashlib
import io
import json

import pytest

from crawler.stories import assign_story, events, write_events
from crawler.store import Store


def _add(store: Store, n: int, text: str, published: str, attribution, evidence, country, outlet: str) -> int:
    record = {
        "url": f"https://{outlet.lower()}.example/berita/{n}", "title": "Awanmega PHK 1.200 Karyawan karena AI",
        "text": text, "source": outlet, "outlet": outlet, "published": published, "fetched": published,
        "content_hash": hashlib.sha1(text.encode()).hexdigest(), "match": 1, "score": 0.9,
        "reasons": ["judul: PHK"], "companies": ["Awanmega"], "jobs_cut": 1200,
        "attribution": attribution, "evidence": evidence, "country": country,
    }
    article_id, created = store.insert_article(record, [])
    assert created
    assign_story(store, article_id)
    return article_id


@pytest.fixture()
def store(tmp_path):
    s = Store.open(tmp_path / "p.db")
    yield s
    s.close()


def test_migration_adds_the_fact_columns_and_is_rerunnable(tmp_path):
    path = tmp_path / "m.db"
    Store.open(path).close()
    s = Store.open(path)  # running the migrations again changes nothing
    for table in ("articles", "stories"):
        cols = {r[1] for r in s.db.execute(f"PRAGMA table_info({table})").fetchall()}
        assert {"country", "attribution", "evidence"} <= cols
    s.close()


def test_first_explicit_statement_wins(store):
    _add(store, 1, "Laporan media: Awanmega memangkas 1.200 karyawan, diduga karena otomatisasi.",
         "2025-10-28T09:00:00+07:00", "attributed", "Awanmega memangkas 1.200 karyawan, diduga karena otomatisasi.",
         None, "Gerai")
    _add(store, 2, "CEO Awanmega mengatakan 1.200 posisi dipangkas karena kini ditangani agen AI.",
         "2025-10-28T12:00:00+07:00", "explicit", "CEO Awanmega mengatakan 1.200 posisi dipangkas karena AI.",
         "Singapura", "Warta")
    _add(store, 3, "Direktur Awanmega menegaskan agen AI menggantikan layanan pelanggan mereka.",
         "2025-10-28T15:00:00+07:00", "explicit", "Direktur Awanmega menegaskan agen AI menggantikan mereka.",
         "Malaysia", "Kabar")
    ev = events(store)
    assert len(ev) == 1
    assert ev[0]["attribution"] == "explicit"
    assert ev[0]["evidence"] == "CEO Awanmega mengatakan 1.200 posisi dipangkas karena AI."
    assert ev[0]["country"] == "Singapura"


def test_first_report_sets_the_facts_until_an_explicit_one(store):
    _add(store, 1, "Awanmega memangkas 1.200 karyawan, kata analis karena AI.", "2025-10-28T09:00:00+07:00",
         "attributed", "Analis menilai PHK itu karena AI.", "Singapura", "Gerai")
    _add(store, 2, "Awanmega memangkas 1.200 karyawan; pengamat menyebut AI hanya dalih.",
         "2025-10-28T10:00:00+07:00", "disputed", "Pengamat menyebut AI hanya dalih.", None, "Warta")
    ev = events(store)[0]
    assert (ev["attribution"], ev["evidence"], ev["country"]) == ("attributed", "Analis menilai PHK itu karena AI.",
                                                                   "Singapura")


def test_events_export_has_the_fact_columns(store):
    _add(store, 1, "CEO Awanmega mengatakan 1.200 posisi dipangkas karena AI.", "2025-10-28T09:00:00+07:00",
         "explicit", "CEO Awanmega mengatakan 1.200 posisi dipangkas karena AI.", "Singapura", "Gerai")
    out = io.StringIO()
    write_events(store, out, "csv")
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows[0]["attribution"] == "explicit" and rows[0]["country"] == "Singapura"
    assert rows[0]["evidence"].startswith("CEO Awanmega")
    out = io.StringIO()
    write_events(store, out, "jsonl")
    assert json.loads(out.getvalue().splitlines()[0])["evidence"].startswith("CEO Awanmega")


def test_classifier_without_a_country_is_not_overruled_by_an_outlet_name(store):
    text = "Jakarta, CNBC Indonesia - Awanmega memangkas 1.200 karyawan karena agen AI."
    _add(store, 1, text, "2025-10-28T09:00:00+07:00", "explicit", "Awanmega memangkas 1.200 karyawan karena agen AI.",
         None, "Gerai")
    assert events(store)[0]["country"] is None


def test_refresh_takes_the_facts_again_from_the_reports(store):
    from crawler.stories import refresh_facts

    a = _add(store, 1, "Awanmega memangkas 1.200 karyawan.", "2025-10-28T09:00:00+07:00", None, None, None, "Gerai")
    b = _add(store, 2, "Awanmega memangkas 1.200 karyawan; CEO menyebut AI.", "2025-10-28T10:00:00+07:00", None, None,
             None, "Warta")
    # reclassified with facts: the later report is the explicit one
    store.db.execute("UPDATE articles SET attribution = 'attributed', evidence = 'Media mengaitkannya dengan AI.' "
                     "WHERE id = ?", [a])
    store.db.execute("UPDATE articles SET attribution = 'explicit', evidence = 'CEO menyebut AI.', country = 'Singapura' "
                     "WHERE id = ?", [b])
    assert refresh_facts(store) == 1
    ev = events(store)[0]
    assert (ev["attribution"], ev["evidence"], ev["country"]) == ("explicit", "CEO menyebut AI.", "Singapura")
