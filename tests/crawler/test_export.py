"""Export formats over a real SQLite store (jsonl, json, csv; --flagged)."""

from __future__ import annotations

import csv
import io
import json

from crawler.export import write_export
from crawler.store import Store


def _seed(store: Store) -> None:
    for n, (title, match) in enumerate([("Fiverr PHK 30% karyawan, \"AI-first\" & <otomasi>", 1),
                                        ("Harga cabai naik", 0)]):
        store.insert_article({"url": f"https://contoh.example/{n}", "title": title, "text": "Isi berita.\nParagraf dua.",
                              "source": "contoh", "outlet": "Contoh", "published": "2025-10-20T14:30:00+07:00",
                              "fetched": "2025-10-20T08:00:00+00:00", "match": match, "score": 0.9 if match else 0.1,
                              "reasons": ["judul: PHK"] if match else [], "companies": ["Fiverr"] if match else [],
                              "jobs_cut": 250 if match else None, "percent": 30.0 if match else None}, [])


def test_all_formats_agree(tmp_path):
    store = Store.open(tmp_path / "p.db")
    _seed(store)
    out = {}
    for fmt in ("jsonl", "json", "csv"):
        buf = io.StringIO()
        assert write_export(store, buf, fmt) == 2
        out[fmt] = buf.getvalue()
    lines = [json.loads(line) for line in out["jsonl"].splitlines()]
    assert json.loads(out["json"]) == lines
    rows = list(csv.DictReader(io.StringIO(out["csv"])))
    assert [r["url"] for r in rows] == [r["url"] for r in lines]
    flagged = next(r for r in lines if r["match"])
    assert flagged["companies"] == ["Fiverr"] and flagged["jobs_cut"] == 250 and flagged["percent"] == 30.0
    assert flagged["published"] == "2025-10-20T14:30:00+07:00" and flagged["text"].startswith("Isi berita")
    buf = io.StringIO()
    assert write_export(store, buf, "json", flagged_only=True) == 1
    assert json.loads(buf.getvalue())[0]["title"].startswith("Fiverr")
    store.close()
