"""Long articles (issue 15): the classifier's bounded-work rule and its fast paths.

The rule (crawler.classify.rules, "Bounded work"): the body is read sentence by sentence only up
to rules.MAX_BODY_CHARS characters of cleaned text, in whole paragraphs; beyond that paragraphs
are only counted (up to the 30 the n_paras signal counts).  Cost per KB is measured by
bench/classify_long.py (a ratio against a bare regex pass), not here.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from crawler.classify import classify, facts, rules

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "classify_cases.jsonl"
CASES = {c["id"]: c for c in map(json.loads, FIXTURES.read_text(encoding="utf-8").splitlines()) if c}
FACTS = ("match", "companies", "jobs_cut", "percent", "country", "attribution", "evidence")

# unrelated news paragraphs (no layoff, no AI term)
PADDING = [
    "Pertandingan sepak bola antara tim tuan rumah dan tim tamu berakhir imbang tanpa gol di stadion "
    "kota. Pelatih kedua tim mengaku puas dengan permainan anak asuhnya.",
    "Hujan deras mengguyur sejumlah wilayah sejak sore hari sehingga beberapa ruas jalan tergenang air. "
    "Petugas dinas perhubungan mengatur lalu lintas di persimpangan utama.",
    "Pemerintah daerah menyiapkan pasar murah menjelang hari raya agar harga bahan pokok tetap terjangkau. "
    "Warga mulai mengantre sejak pagi untuk membeli beras dan minyak goreng.",
    "Festival kuliner tahunan kembali digelar di alun-alun dengan puluhan pedagang dari berbagai daerah. "
    "Pengunjung dapat mencicipi makanan khas sambil menikmati pertunjukan musik.",
]
# an AI-linked cut, strong enough to be read as one wherever it stands
AI_CUT = ("Perusahaan itu juga memangkas 500 karyawan lagi karena pekerjaan mereka kini dikerjakan oleh "
          "kecerdasan buatan (AI). Manajemen menyebut otomatisasi membuat tim jauh lebih ramping, dan "
          "PHK karena AI ini akan berlanjut seiring investasi ke AI.")


def padded(text: str, chars: int) -> str:
    parts = [text]
    i = 0
    while sum(len(p) + 1 for p in parts) < chars:
        parts.append(PADDING[i % len(PADDING)])
        i += 1
    return "\n".join(parts)


def analysed_chars(f: dict) -> int:
    """Characters of the paragraphs read sentence by sentence (f["paras"], in clean_paras order)."""
    read = f["clean_paras"][:len(f["paras"])]
    assert [" ".join(r.text for r in unit) for unit in f["paras"]] == [" ".join(rules._split_sents(p)) for p in read]
    return sum(map(len, read))


@pytest.mark.parametrize("cid", ["p01", "p02", "p03", "n01", "n05", "n10"])
@pytest.mark.parametrize("kb", [30, 100])
def test_unrelated_padding_does_not_change_the_verdict_or_the_facts(cid, kb):
    case = CASES[cid]
    short = classify(case["title"], case["text"]).to_dict()
    long = classify(case["title"], padded(case["text"], kb * 1024)).to_dict()
    assert {f: long[f] for f in FACTS} == {f: short[f] for f in FACTS}


def test_only_the_first_max_body_chars_are_read(monkeypatch):
    """An AI-linked cut after the limit is not read: a layoff story without AI stays unflagged and
    keeps its facts -- while with the limit lifted the same tail is read (the test can fail)."""
    case = next(c for c in CASES.values() if c["category"] == "neg_layoff_not_ai")
    body = padded(case["text"], rules.MAX_BODY_CHARS + 2000)
    with_tail = body + "\n" + AI_CUT
    assert classify(case["title"], with_tail).to_dict() == classify(case["title"], body).to_dict()
    assert classify(case["title"], with_tail).match is False
    monkeypatch.setattr(rules, "MAX_BODY_CHARS", 10 ** 9)
    lifted = rules.evaluate(case["title"], with_tail)
    assert lifted["A"] > rules.evaluate(case["title"], body)["A"]


def test_the_part_read_is_bounded_and_whole_paragraphs():
    case = CASES["p01"]
    for kb in (12, 30, 100, 300):
        f = rules.evaluate(case["title"], padded(case["text"], kb * 1024))
        longest = max(len(p) for p in f["clean_paras"])
        assert rules.MAX_BODY_CHARS <= analysed_chars(f) < rules.MAX_BODY_CHARS + longest
        assert len(f["clean_paras"]) <= len(f["paras"]) + rules._N_PARAS_MAX
    # a short article is read whole
    f = rules.evaluate(case["title"], case["text"])
    assert len(f["paras"]) == len(f["clean_paras"]) >= 3


def test_paragraphs_past_the_limit_are_still_counted_for_n_paras():
    case = CASES["p01"]
    big = " ".join([PADDING[0]] * 8)  # ~1.3 KB paragraphs: the limit is reached after 8 of them
    head = case["text"] + "\n" + "\n".join([big] * 8)
    few = rules.evaluate(case["title"], head, signals=True)
    assert few["sig"]["n_paras"] < 1.0
    many = rules.evaluate(case["title"], head + "\n" + "\n".join(PADDING * 8), signals=True)
    assert analysed_chars(many) == analysed_chars(few)  # the short paragraphs after the limit are not read
    assert many["sig"]["n_paras"] == 1.0  # ... but counted (30 or more paragraphs)


def test_a_page_header_repeating_the_title_is_dropped_anywhere():
    case = CASES["p01"]
    text = case["title"].upper() + "\n" + case["text"] + "\n" + case["title"]
    f = rules.evaluate(case["title"], text)
    assert case["title"].lower() not in [p.lower() for p in f["clean_paras"]]
    assert classify(case["title"], text).to_dict() == classify(case["title"], case["text"]).to_dict()


# --- fast paths that must give what the plain regex gives ----------------------------------------
TRICKY = [
    "", "dapat", "Dapat.", "xdapat", "dapat-", "-dapat", "tidak dapat dipastikan", "BISA JADI", "bisa_",
    "Survei terbaru", "ſurvei (long s)", "İSurvei", "survei\u0130", "menurut WEF,", "wef-nya",
    "pada 2030 nanti", "pada  2030", "PADA 2030", "lowongan baru dibuka", "Buka-bukaan soal gaji",
    "para CEO mengatakan", "perusahaan-perusahaan besar", "30% karyawan", "30 PERSEN pekerja",
    "30 persen dari perusahaan", "12,5 % responden", "laporan, riset, studi", "mungkin",
    "kemungkinan besar", "\u212aemungkinan (kelvin sign)",
]


@pytest.mark.parametrize("words", [rules._FORECAST, rules._HIRING, rules._GENERIC_SUBJECT, rules._SURVEY_WORDS])
def test_word_search_equals_the_regex(words):
    texts = TRICKY + [c["title"] for c in CASES.values()] + [c["text"] for c in CASES.values()]
    for s in texts:
        assert words.in_(s) == (words.pattern.search(s) is not None), s


def test_forecast_and_share_checks_equal_the_regexes():
    texts = TRICKY + [c["title"] for c in CASES.values()] + [
        s for c in CASES.values() for p in c["text"].split("\n") for s in rules._split_sents(p)]
    for s in texts:
        assert rules._has_pct_of(s) == (rules._PCT_OF.search(s) is not None), s
        assert rules._is_forecast(s) == bool(rules._FORECAST.pattern.search(s) or rules._PCT_OF.search(s)), s


def test_company_mention_check_equals_the_regex():
    names = ["Klarna", "Amazon", "BT Group", "Fiverr", "PT Kontakta Layan Nusantara"]
    texts = ["klarna memangkas", "amazon.com", "amazonia", "bt group dan bt", "xfiverr", "fiverr-nya",
             "aws dan amazon web services", "", "pt kontakta layan nusantara"]
    for name in names:
        rx = re.compile("|".join(r"(?<!\w)" + re.escape(n) + r"(?!\w)" for n in facts._mention_re(name)[1]))
        for low in texts:
            assert facts._mentions(low, name) == (rx.search(low) is not None), (name, low)


def test_sentence_split_equals_the_regex_split():
    texts = TRICKY + [c["text"] for c in CASES.values()] + [
        "A. B", "a.  B", "x.\tY", "?! Z", "a. b", ". A", "a.", "a. ", "a .B", "x.  \n  Y z. 9", "“Hi.” Ok. “Yes”",
        "a.\u00a0B", "Tiga. Empat! Lima? 6. \"Tujuh\""]
    for p in texts + [p for c in CASES.values() for p in c["text"].split("\n")]:
        if rules._SENT_BREAK.search(p):
            assert rules._split_sents(p) == [x for x in rules._SENT_SPLIT.split(p) if x], p


def test_capitalised_sequences_equal_the_regex():
    texts = TRICKY + [c["title"] for c in CASES.values()] + [
        s for c in CASES.values() for p in c["text"].split("\n") for s in rules._split_sents(p)] + [
        "PT  Kontakta Layan", "X-Men", "-Amazon", "kata Amazon", "ÉCOLE Polytechnique", "a.B C", "PT", "P T"]
    for s in texts:
        assert [(m.span(), m.group(1)) for m in facts._cap_seqs(s)] == \
            [(m.span(), m.group(1)) for m in facts._CAP_SEQ.finditer(s)], s


@pytest.mark.parametrize("name", ["REPLACE", "WORKER", "CONCRETE"])
def test_search_from_the_heads_equals_the_regex(name):
    pat, heads = {"REPLACE": (rules._REPLACE, rules._REPLACE_HEADS), "WORKER": (rules._WORKER_RE, rules._WORKER_HEADS),
                  "CONCRETE": (rules._CONCRETE_WORKER, rules._CONCRETE_HEADS)}[name]
    texts = TRICKY + [c["title"] for c in CASES.values()] + [
        s for c in CASES.values() for p in c["text"].split("\n") for s in rules._split_sents(p)] + [
        "İkaryawan", "ſtaf", "STAFF-nya", "x-karyawan", "karyawanx", "Mengganti", "diambil  alih", "-ganti",
        "tenaga kerja", "TENAGA\tMANUSIA", "digantikan", "pekerjaannya"]
    for s in texts:
        assert rules._search_at(pat, s, rules._fold(s, s.lower()), heads) == (pat.search(s) is not None), s
