"""Tests for crawler.classify (table-driven over tests/fixtures/classify_cases.jsonl)."""
from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest

from crawler.classify import RULES_VERSION, Verdict, classify
from crawler import classify as mod

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "classify_cases.jsonl"
CASES = [json.loads(line) for line in FIXTURES.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_fixture_table_is_large_and_covers_all_categories():
    assert len(CASES) >= 70
    cats = {c["category"] for c in CASES}
    assert {"pos_company", "pos_trend", "neg_ai_not_layoff", "neg_layoff_not_ai", "neg_other",
            "neg_other_tech", "neg_ai_jobs_positive"} <= cats
    for c in CASES:
        assert set(c) >= {"id", "title", "text", "label", "category", "companies", "jobs_cut", "percent"}


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_label(case):
    v = classify(case["title"], case["text"])
    assert v.match == bool(case["label"]), (v.score, v.reasons)


POS_COMPANY = [c for c in CASES if c["category"] == "pos_company"]


def _company(name: str) -> str:
    """A company name compared case-insensitively and without the legal prefix "PT" (the
    classifier shows "PT X" when the article writes it)."""
    return re.sub(r"^pt\s+", "", name.lower())


@pytest.mark.parametrize("case", POS_COMPANY, ids=[c["id"] for c in POS_COMPANY])
def test_company_fields(case):
    v = classify(case["title"], case["text"])
    if case["companies"]:
        got = {_company(c) for c in v.companies}
        assert any(_company(e) in got for e in case["companies"]), v.companies
    assert v.jobs_cut == case["jobs_cut"]
    if case["percent"] is not None:
        assert v.percent == pytest.approx(case["percent"], abs=0.05)


# --- numbers ---------------------------------------------------------------
@pytest.mark.parametrize("text,expected", [
    ("14.000", 14000), ("1,5 juta", 1_500_000), ("11 ribu", 11000), ("600 ribu", 600000),
    ("2.700", 2700), ("setengah juta", 500_000), ("ribuan", None), ("ratusan", None), ("528", 528),
])
def test_parse_number(text, expected):
    assert mod.parse_number(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("30%", 30.0), ("30 persen", 30.0), ("sepertiga", 33.3), ("12,5%", 12.5), ("seperempat", 25.0),
])
def test_parse_percent(text, expected):
    assert mod.parse_percent(text) == pytest.approx(expected)


def test_numbers_in_article():
    v = classify("Perusahaan X PHK 1,5 Juta Pekerja karena Otomatisasi",
                 "Perusahaan X melakukan PHK terhadap 1,5 juta pekerja karena otomatisasi pabrik dan robot.\n"
                 "PHK itu disebut sebagai dampak adopsi AI di seluruh lini produksi.\n"
                 "Serikat pekerja memprotes pemutusan hubungan kerja tersebut.")
    assert v.jobs_cut == 1_500_000


def test_vague_number_gives_none_and_fraction_percent():
    v = classify("Startup Ini PHK Ribuan Karyawan, Beralih ke AI",
                 "Startup itu melakukan PHK terhadap ribuan karyawan atau sepertiga tenaga kerjanya.\n"
                 "Perusahaan beralih ke kecerdasan buatan untuk layanan pelanggan.\n"
                 "PHK ini dilakukan demi efisiensi seiring adopsi AI.")
    assert v.match
    assert v.jobs_cut is None
    assert v.percent == pytest.approx(33.3)


def test_reduplication_and_affixes():
    v = classify("Karyawan-karyawan Di-PHK, Posisi Mereka Digantikan AI",
                 "Ramai-ramai perusahaan mem-PHK karyawan-karyawan di bagian administrasi karena AI.\n"
                 "Sebanyak 300 pegawai diberhentikan setelah chatbot AI diterapkan.\n"
                 "PHK-nya disebut akibat otomatisasi.")
    assert v.match
    assert v.jobs_cut == 300


# --- boilerplate & passing mentions ----------------------------------------
UNRELATED = ("Kereta cepat mencatat rekor jumlah penumpang selama libur panjang.\n"
             "Operator menambah jadwal perjalanan untuk mengantisipasi lonjakan.\n"
             "Penumpang diminta membeli tiket lebih awal melalui aplikasi.\n")


def test_boilerplate_ignored():
    text = UNRELATED + "Baca juga: Amazon PHK karena AI\nBaca Juga: Ribuan Karyawan Di-PHK karena Kecerdasan Buatan\n" \
        "Tags: PHK, AI, otomatisasi\nADVERTISEMENT\nSimak Video \"PHK karena AI\"\n(rns/rns)"
    v = classify("Rekor Penumpang Kereta Cepat", text)
    assert not v.match
    assert v.jobs_cut is None


def test_same_text_in_body_does_flag():
    # control: the words that were ignored as boilerplate do count in real paragraphs
    text = ("Amazon melakukan PHK terhadap 14.000 karyawan karena AI.\n"
            "PHK tersebut disebut bagian dari strategi efisiensi seiring investasi kecerdasan buatan.\n"
            "Karyawan yang terkena PHK mendapat pesangon.")
    v = classify("Amazon PHK 14.000 Karyawan karena AI", text)
    assert v.match
    assert "Amazon" in v.companies
    assert v.jobs_cut == 14000


def test_single_passing_mention_not_flagged():
    text = UNRELATED + "Pengelola juga menambah petugas kebersihan di stasiun.\n" \
        "Di luar negeri, ada perusahaan yang melakukan PHK karena AI.\n" \
        "Tarif kereta tidak berubah selama musim liburan."
    v = classify("Kereta Cepat Tambah Jadwal Saat Libur Panjang", text)
    assert not v.match


def test_individual_firing_not_flagged():
    v = classify("CEO Startup AI Dipecat Dewan Direksi",
                 "Dewan direksi sebuah perusahaan kecerdasan buatan memecat CEO-nya.\n"
                 "Pemecatan CEO itu terjadi setelah perselisihan soal strategi AI.\n"
                 "Investor terkejut dengan keputusan dewan.")
    assert not v.match


# --- contract ---------------------------------------------------------------
def test_determinism_and_verdict_contract():
    c = CASES[0]
    a = classify(c["title"], c["text"])
    b = classify(c["title"], c["text"])
    assert a == b
    assert isinstance(a, Verdict)
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.match = False  # type: ignore[misc]
    d = a.to_dict()
    assert set(d) == {"match", "score", "reasons", "companies", "jobs_cut", "percent",
                      "country", "attribution", "evidence"}
    assert 0.0 <= a.score <= 1.0
    assert isinstance(RULES_VERSION, str) and RULES_VERSION
    assert set(mod.__all__) == {"classify", "Verdict", "RULES_VERSION"}


def test_empty_inputs():
    v = classify("", "")
    assert v.match is False and v.jobs_cut is None and v.companies == []
    v = classify(None, None)  # type: ignore[arg-type]
    assert v.match is False


def test_summary_used_when_text_empty():
    title = "Perusahaan Asuransi PHK 500 Karyawan, Klaim Kini Diproses AI"
    summary = ("Perusahaan asuransi itu melakukan PHK terhadap 500 karyawan karena klaim kini diproses AI.\n"
               "PHK tersebut bagian dari strategi otomatisasi dan efisiensi berbasis kecerdasan buatan.")
    without = classify(title, "")
    with_summary = classify(title, "", summary=summary)
    assert with_summary.score > without.score
    assert with_summary.match
    assert with_summary.jobs_cut == 500


# --- blind holdout ----------------------------------------------------------
# tests/fixtures/classify_holdout.jsonl: ~90 articles written without looking at the rules, about
# events that are not in the dev set (see bench/classify_eval.py for the aggregate figures).
HOLDOUT_FILE = Path(__file__).resolve().parent.parent / "fixtures" / "classify_holdout.jsonl"
HOLDOUT = [json.loads(line) for line in HOLDOUT_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]

# Known misses that could not be fixed without hurting the dev set: {id: fields}, where a field is
# "label", "companies" or "jobs_cut".  Keep this list short and documented.
HOLDOUT_KNOWN_MISSES: dict[str, set[str]] = {
    # "Warta Kini": a name ending in a common word ("kini" = now) is cut to "Warta", because trailing
    # stop words are trimmed from capitalised runs ("Microsoft Kini ..." in titles); keeping them
    # would add junk names elsewhere.
    "h027": {"companies"},
}


def test_holdout_is_large_and_balanced():
    assert len(HOLDOUT) >= 80
    pos = sum(c["label"] for c in HOLDOUT)
    assert 0.3 <= pos / len(HOLDOUT) <= 0.5
    assert sum(c["category"] == "neg_hard" for c in HOLDOUT) >= 15


@pytest.mark.parametrize("case", HOLDOUT, ids=[c["id"] for c in HOLDOUT])
def test_holdout_label(case):
    if "label" in HOLDOUT_KNOWN_MISSES.get(case["id"], ()):
        pytest.xfail("documented known miss")
    v = classify(case["title"], case["text"])
    assert v.match == bool(case["label"]), (v.score, v.reasons)


HOLDOUT_COMPANY = [c for c in HOLDOUT if c["category"] == "pos_company"]


@pytest.mark.parametrize("case", HOLDOUT_COMPANY, ids=[c["id"] for c in HOLDOUT_COMPANY])
def test_holdout_company_fields(case):
    misses = HOLDOUT_KNOWN_MISSES.get(case["id"], set())
    v = classify(case["title"], case["text"])
    if case["companies"] and "companies" not in misses:
        got = {_company(c) for c in v.companies}
        assert any(_company(e) in got for e in case["companies"]), v.companies
    if "jobs_cut" not in misses:
        assert v.jobs_cut == case["jobs_cut"]
