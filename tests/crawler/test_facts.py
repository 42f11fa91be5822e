"""Facts of an article (crawler/classify/facts.py): companies, jobs_cut, percent, country,
attribution and evidence, on the repository's own cases (tests/fixtures/facts_cases.jsonl) and
on single sentences."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.classify import classify, facts, rules
from crawler.classify.verdict import Verdict

CASES_PATH = Path(__file__).resolve().parents[1] / "fixtures" / "facts_cases.jsonl"
CASES = [json.loads(line) for line in CASES_PATH.read_text(encoding="utf-8").splitlines() if line.strip()]


def _facts(title: str, text: str) -> dict:
    """The fact fields before the final verdict (attribution is given whether or not it matches)."""
    return facts.extract(rules.evaluate(title, text))


def _norm(name: str) -> str:
    return "".join(name.casefold().split())


def test_cases_cover_every_field():
    assert len(CASES) >= 15
    for key in ("companies", "jobs_cut", "country", "attribution", "not_companies"):
        assert any(key in c for c in CASES), key
    assert {c.get("attribution") for c in CASES} >= {"explicit", "attributed", "disputed"}


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(case):
    got = _facts(case["title"], case["text"])
    names = {_norm(c) for c in got["companies"]}
    if case["companies"]:
        assert _norm(case["companies"][0]) == _norm(got["companies"][0]), got["companies"]
    for bad in case.get("not_companies", []):
        assert _norm(bad) not in names, got["companies"]
    assert got["jobs_cut"] == case["jobs_cut"]
    if "percent" in case:
        assert got["percent"] == case["percent"]
    if "country" in case:
        assert got["country"] == case["country"]
    if "attribution" in case:
        assert got["attribution"] == case["attribution"], got["evidence"]


# -- companies --------------------------------------------------------------------------------

def test_sentence_opening_words_are_not_companies():
    got = _facts("Perusahaan Ritel Tokoria PHK 70 Kasir, Diganti Mesin Swalayan Berbasis AI",
                 "Tokoria memberhentikan 70 kasir setelah memasang mesin kasir swalayan berbasis AI.\n"
                 "Sebanyak 70 kasir itu bekerja di gerai-gerai Tokoria di Bandung.\n"
                 "Termasuk di antaranya kasir yang sudah bekerja lebih dari sepuluh tahun.")
    assert got["companies"] == ["Tokoria"]


def test_person_titles_and_places_are_not_companies():
    got = _facts("Menteri Soroti PHK 90 Pekerja Gudang Lintasraya karena Robot",
                 "Menteri Ketenagakerjaan menyoroti PHK 90 pekerja gudang Lintasraya di Karawang yang diganti robot.\n"
                 "CEO Lintasraya Budi Santoso mengatakan robot kini mengerjakan pengepakan.")
    keys = {_norm(c) for c in got["companies"]}
    assert _norm("Lintasraya") in keys
    assert not keys & {_norm(x) for x in ("Menteri", "Menteri Ketenagakerjaan", "Karawang", "CEO",
                                          "CEO Lintasraya", "Budi Santoso")}


def test_known_alias_is_shown_as_the_company():
    got = _facts("BT PHK 10.000 Pegawai, Diganti AI",
                 "Perusahaan telekomunikasi BT akan mengganti 10.000 pegawai dengan AI, kata CEO BT.")
    assert got["companies"][0] == "BT Group"
    assert got["country"] == "Inggris"


# -- jobs_cut ---------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, expected", [
    ("Perusahaan itu memangkas sekitar 250 karyawan atau 30 persen dari tenaga kerjanya.", (250, 30.0)),
    ("Perusahaan itu memangkas 12 ribu karyawan.", (12000, None)),
    ("Perusahaan itu memangkas 1,2 juta pekerjaan.", (1200000, None)),
    ("Perusahaan itu memangkas 14.000 posisi.", (14000, None)),
    ("Perusahaan itu menggantikan setengah juta pekerja dengan robot.", (500000, None)),
    ("Perusahaan itu memangkas 30 persen karyawan.", (None, 30.0)),
    ("Perusahaan itu membuka 500 lowongan dan merekrut 300 insinyur baru.", (None, None)),
    ("Sebanyak 500 posisi, atau 5% dari tenaga kerjanya, akan dikurangi.", (500, 5.0)),
    ("Kebijakan ini berdampak pada 780 posisi.", (780, None)),
])
def test_numbers_in_one_sentence(sentence, expected):
    got = _facts("Gelombang PHK karena AI", sentence)
    assert (got["jobs_cut"], got["percent"]) == expected


def test_hiring_number_is_not_a_cut_even_next_to_layoff_words():
    got = _facts("Rutera Buka 500 Lowongan di Tengah PHK Teknologi",
                 "Di tengah gelombang PHK, Rutera justru membuka 500 posisi baru untuk insinyur AI.")
    assert got["jobs_cut"] is None


def test_earlier_round_and_other_company_figures_are_not_the_cut():
    got = _facts("Microsoft Umumkan PHK Baru di Tengah Investasi AI",
                 "Microsoft mengumumkan PHK baru yang menyasar tim penjualan, seiring investasi besar di AI.\n"
                 "Ini menyusul gelombang PHK sebelumnya pada Mei yang menghapus sekitar 6.000 posisi.\n"
                 "Amazon juga memangkas 14.000 posisi korporat bulan lalu.")
    assert got["jobs_cut"] is None


def test_range_takes_the_headline_figure():
    got = _facts("Sinarpay PHK hingga 300 Karyawan",
                 "Sinarpay akan memberhentikan antara 200 hingga 300 karyawan karena chatbot AI.")
    assert got["jobs_cut"] == 300


# -- country ----------------------------------------------------------------------------------

def test_outlet_name_is_not_the_country():
    got = _facts("Fiverr PHK 250 Karyawan demi AI",
                 "Jakarta, CNBC Indonesia - Fiverr memangkas 250 karyawan demi menjadi perusahaan AI-first.")
    assert got["country"] == "Israel"


def test_country_unknown_stays_none():
    got = _facts("Studio Animasi Garis PHK 30 Animator karena AI",
                 "Studio animasi Garis memberhentikan 30 animator karena AI generatif kini membuat storyboard.")
    assert got["country"] is None


# -- evidence, attribution, reasons -----------------------------------------------------------

def test_evidence_is_the_linking_sentence_trimmed_at_a_word():
    long_tail = " ".join(["dan seterusnya"] * 40)
    v = classify("Kontenesia Pangkas 90 Penulis, Beralih ke AI Generatif",
                 "Agensi konten Kontenesia memangkas 90 penulis lepas.\n"
                 "Perusahaan mengatakan PHK itu dilakukan karena artikel kini ditulis menggunakan AI generatif "
                 + long_tail + ".\nKaryawan terdampak menerima pesangon.")
    assert v.evidence is not None
    assert v.evidence.startswith("Perusahaan mengatakan PHK itu dilakukan karena")
    assert len(v.evidence) <= 200 and v.evidence.endswith("…")
    assert not v.evidence[:-1].endswith(" ")
    assert v.evidence[:-1] in ("Perusahaan mengatakan PHK itu dilakukan karena artikel kini ditulis menggunakan AI "
                               "generatif " + long_tail)


def test_no_evidence_without_a_link():
    v = classify("Pabrik Tekstil PHK 500 Pekerja karena Order Turun",
                 "Pabrik tekstil di Bandung memberhentikan 500 pekerja karena pesanan ekspor anjlok.")
    assert v.evidence is None and v.attribution is None


def test_attribution_only_for_a_match():
    v = Verdict(match=False, score=0.1, attribution="explicit")
    assert v.attribution is None
    assert Verdict(match=True, score=0.9, attribution="explicit").attribution == "explicit"


def test_reasons_have_no_repeats():
    v = Verdict(match=True, score=0.9, reasons=["judul: PHK", "AI di 2 paragraf", "judul: PHK"])
    assert v.reasons == ["judul: PHK", "AI di 2 paragraf"]


def test_verdict_dict_carries_the_new_fields():
    v = classify("Fiverr PHK 30 Persen Karyawan demi AI",
                 "Fiverr memangkas sekitar 250 karyawan atau 30 persen dari tenaga kerjanya.\n"
                 "CEO Fiverr mengatakan perusahaan akan menjadi perusahaan AI-first dengan tim yang lebih ramping "
                 "dan memanfaatkan otomatisasi.")
    d = v.to_dict()
    assert d["jobs_cut"] == 250 and d["percent"] == 30.0
    assert d["country"] == "Israel"
    assert d["attribution"] in ("explicit", "attributed", "disputed")
    assert d["evidence"]


def test_multi_word_province_and_syndication_line_are_not_companies():
    got = _facts("Pabrik Garmen di Jawa Tengah PHK 400 Pekerja Usai Pasang Mesin Jahit Otomatis",
                 "PT Rajut Sentosa Abadi memberhentikan 400 pekerja di pabriknya di Jawa Tengah setelah memasang "
                 "mesin jahit otomatis berbasis AI.\n"
                 'Artikel ini telah tayang di Kabarpabrik dengan judul "Pabrik Garmen Di Jawa Tengah Usai Pasang '
                 'Mesin Jahit Otomatis".')
    assert got["companies"] == ["PT Rajut Sentosa Abadi"]


def test_accented_capital_inside_a_name():
    got = _facts("Pabrik Rumahkan 150 Pekerja karena Robot",
                 "PT Kain Élok Nusantara merumahkan 150 pekerja setelah memasang robot pemotong kain.")
    assert got["companies"] == ["PT Kain Élok Nusantara"]


def test_part_of_a_total_and_an_equivalence():
    got = _facts("Agensi PHK Penulis karena AI",
                 "Sebanyak 90 dari 270 pegawai terkena PHK setelah konten dialihkan ke AI generatif.")
    assert got["jobs_cut"] == 90
    got = _facts("Fintech Susutkan Karyawan karena AI",
                 "Asisten AI kini menangani percakapan yang setara dengan beban kerja 700 agen, sehingga PHK dilakukan.")
    assert got["jobs_cut"] is None


def test_evidence_prefers_the_direct_link_over_a_contrast():
    v = classify("Salesforce Pangkas 4.000 Staf, Digantikan Agen AI",
                 "Salesforce memangkas sekitar 4.000 posisi dukungan pelanggan karena pekerjaan itu kini dikerjakan "
                 "agen AI.\n"
                 "Sikap ini kontras dengan pernyataan bos Salesforce sebelumnya, ketika ia menilai AI tidak akan "
                 "menggantikan pekerja ketimbang membantu mereka.")
    assert v.evidence.startswith("Salesforce memangkas sekitar 4.000 posisi")


def test_reasons_without_subsumed_or_contradicting_lines():
    v = Verdict(match=True, score=0.9, reasons=[
        "judul: PHK", "paragraf 1: PHK", "judul: AI", "judul: PHK + AI (sebab/diganti)",
        "paragraf 1: PHK + AI (sebab/strategi)", "paragraf 3: PHK", "tanpa kaitan sebab PHK-AI", "tidak terkait AI"])
    assert v.reasons == ["judul: PHK + AI (sebab/diganti)", "paragraf 1: PHK + AI (sebab/strategi)", "paragraf 3: PHK"]
    v = Verdict(match=False, score=0.2, reasons=[
        "judul: PHK", "AI di 2 paragraf", "tanpa kaitan sebab PHK-AI", "tidak terkait AI", "tidak terkait AI"])
    assert v.reasons == ["judul: PHK", "AI di 2 paragraf", "tanpa kaitan sebab PHK-AI"]


def test_dateline_lines_do_not_push_the_lead_out():
    got = _facts("Maskapai Raksasa Ini Bakal PHK 3.000 Karyawan, AI Digenjot",
                 "2 minggu lalu\nSelasa, 7 Oktober 2025 - 10:00 WIB\n"
                 "Jakarta - Jerman, Lufthansa Group, mengumumkan rencana besar untuk memangkas 3.000 pekerjaan "
                 "administrasi dengan bantuan AI.\n"
                 "Menurut rencana itu, sebagian besar pemangkasan terjadi di kantor pusat.\n"
                 "Harga tiket diperkirakan tidak berubah.\n"
                 "Lufthansa menjelaskan integrasi antarmaskapai membuat banyak pekerjaan ganda.")
    assert got["companies"][:1] == ["Lufthansa"]


def test_company_named_by_its_executive():
    got = _facts("Perusahaan Keamanan Siber Pangkas 5% Pekerja, Sebut Efisiensi AI",
                 "Dalam catatan kepada staf, direktur eksekutif Crowdstrike, George Kurtz, mengumumkan bahwa 500 "
                 "posisi akan dikurangi karena efisiensi AI.")
    assert got["companies"] == ["CrowdStrike"]
    got = _facts("Startup Pangkas 60 Staf karena AI",
                 "CEO Rutera, Budi Santoso, mengatakan 60 staf dipangkas karena pekerjaan mereka kini dikerjakan AI.")
    assert got["companies"] == ["Rutera"]


def test_work_done_by_ai_for_n_agents_is_not_a_cut():
    got = _facts("Fintech Nordpay Susutkan Karyawan 40 Persen, Asisten AI Kerjakan Tugas 700 Agen",
                 "Nordpay menyusutkan jumlah karyawannya sekitar 40 persen dalam dua tahun.\n"
                 "Asisten AI kini menangani percakapan sebanyak beban kerja 700 agen penuh waktu.")
    assert got["jobs_cut"] is None and got["percent"] == 40.0


def test_legal_prefix_kept_as_written_and_story_key_ignores_it():
    from crawler.stories import company_key

    got = _facts("Pusat Layanan Pelanggan Ganti 300 Agen dengan Voicebot",
                 "PT Suara Bening Nusantara mengganti 300 agen layanan pelanggan dengan voicebot berbasis AI.\n"
                 "Suara Bening Nusantara menyebut biaya operasional turun sepertiga.")
    assert got["companies"] == ["PT Suara Bening Nusantara"]  # as written (the labellers keep "PT")
    assert company_key("PT Suara Bening Nusantara") == company_key("Suara Bening Nusantara")


def test_trend_piece_data_sources_and_dates_are_not_companies():
    got = _facts("Lebih dari 50.000 Pekerja AS Kena PHK Akibat AI",
                 "Data firma outplacement Challenger, Gray & Christmas menunjukkan lebih dari 50.000 pekerja di AS "
                 "kena PHK akibat AI sepanjang Januari-November.\n"
                 "Diantara perusahaan yang memangkas karyawan dengan alasan AI, sektor teknologi paling banyak.")
    keys = {_norm(c) for c in got["companies"]}
    assert not keys & {_norm(x) for x in ("& Christmas", "Christmas", "Januari-November", "Diantara")}


def test_home_of_a_person_is_not_the_country_of_the_cut():
    got = _facts("Microsoft PHK 9.000 Karyawan demi Fokus AI",
                 "Microsoft memangkas 9.000 karyawan di berbagai divisi seiring investasi besar di AI.\n"
                 "Sebelumnya perusahaan merekrut tokoh AI asal Inggris, Mustafa Suleyman, untuk memimpin divisi baru.")
    assert got["country"] == "Amerika Serikat"


def test_denial_of_an_ai_link_anywhere_is_disputed():
    got = _facts("Startup Rutera PHK 120 Karyawan",
                 "Startup logistik Rutera memberhentikan 120 karyawan bulan ini.\n"
                 "Sebagian besar yang terdampak bekerja di bagian layanan pelanggan.\n"
                 "Mantan karyawan menduga pekerjaan mereka kini dikerjakan chatbot AI.\n"
                 "Karyawan yang terdampak menerima pesangon sesuai aturan.\n"
                 "Manajemen Rutera membantah PHK itu terkait penggunaan kecerdasan buatan.")
    assert got["attribution"] == "disputed"


def test_not_only_ai_is_not_a_denial():
    assert not facts._DENY_AI.search("PHK ke depan tidak hanya disebabkan oleh AI, tetapi juga daya beli.")
    assert facts._DENY_AI.search("PHK ini bukan karena AI, kata manajemen.")


def test_dated_background_cut_deep_in_the_body_is_not_the_headline():
    body = ["Google memberhentikan ratusan karyawan tim penjualan iklan seiring iklan berbasis AI.",
            "Pekerja yang terdampak ditawari posisi lain di internal perusahaan.",
            "Divisi iklan kini memakai alat AI untuk membuat materi promosi.",
            "Perusahaan belum merinci jumlah pasti karyawan yang terdampak.",
            "Pada Januari 2023, induk Google memutuskan PHK terhadap 12.000 karyawan di seluruh dunia."]
    got = _facts("Google PHK Ratusan Karyawan Tim Iklan, Tergeser AI", "\n".join(body))
    assert got["jobs_cut"] is None


@pytest.mark.parametrize("sentence, expected", [
    ("Total 2.300 karyawan terkena PHK bulan ini.", 2300),
    ("PHK 300-an karyawan dilakukan bulan lalu.", 300),
    ("Perusahaan memiliki total 5.000 karyawan dan memangkas 400 di antaranya.", 400),
])
def test_totals_that_are_the_cut(sentence, expected):
    assert _facts("Gelombang PHK karena AI", sentence)["jobs_cut"] == expected


def test_headline_verb_after_a_title_name_and_an_appositive_owner():
    got = _facts("ByteDance Pangkas Ratusan Moderator Konten di Malaysia, Diganti AI",
                 "ByteDance, induk TikTok, memangkas ratusan moderator konten di Malaysia karena moderasi kini "
                 "sebagian besar dilakukan AI.")
    assert got["companies"][0] == "ByteDance"


def test_cut_in_another_country_than_the_home():
    got = _facts("ByteDance Pangkas Ratusan Moderator Konten di Malaysia, Diganti AI",
                 "ByteDance memangkas ratusan moderator konten di Malaysia karena moderasi kini dilakukan AI.")
    assert got["country"] == "Malaysia"
    got = _facts("Google PHK 200 Karyawan di Google Cloud karena AI",
                 "Google memangkas 200 karyawan di Google Cloud karena AI.")
    assert got["country"] == "Amerika Serikat"


def test_headings_abbreviations_and_products_are_not_companies():
    got = _facts("Pembuat Game Populer PHK Ratusan Pegawai, Digantikan AI",
                 "Pembuat Candy Crush, King, memangkas ratusan pegawai karena pekerjaan mereka kini dikerjakan AI.\n"
                 "Apakah AI Benar-Benar Penyebab Utama?\n"
                 "Menurutnya, keputusan itu diambil pada 12 Okt 2025 setelah evaluasi kuartal IV.\n"
                 "Nilai pesangon mencapai USD1 juta.")
    assert got["companies"][0] == "King"
    keys = {_norm(c) for c in got["companies"]}
    assert not keys & {_norm(x) for x in ("Candy Crush", "Apakah AI Benar-Benar Penyebab Utama", "Menurutnya", "Okt",
                                          "IV", "USD1")}


def test_common_words_only_capitalised_at_a_sentence_start_are_not_companies():
    got = _facts("Gelombang PHK Teknologi: Salesforce Pangkas 4.000 Staf, Penyebab Utamanya AI",
                 "Salesforce memangkas 4.000 staf dukungan pelanggan karena agen AI.\n"
                 "Penyebab PHK itu, menurut perusahaan, adalah agen AI yang kini menjawab pertanyaan pelanggan.\n"
                 "Terbesar PHK tahun ini masih dipegang perusahaan lain.\n"
                 "Media teknologi Mashable dan PCMag melaporkan angka yang sama.")
    assert got["companies"] == ["Salesforce"]


def test_single_word_company_at_sentence_starts_with_a_cut_verb():
    got = _facts("Rutera PHK 60 Staf karena AI",
                 "Rutera memberhentikan 60 staf karena pekerjaan mereka kini dikerjakan AI.")
    assert got["companies"] == ["Rutera"]


def test_mixed_case_sub_heading_and_english_month_are_not_companies():
    got = _facts("Microsoft PHK 10.000 Karyawan, Fokus ke AI",
                 "Microsoft memangkas 10.000 karyawan seiring fokus ke AI.\n"
                 "11 October 2024 11:25\n"
                 "Strategi Cegah Potensi PHK di Indonesia\n"
                 "Pemerintah diminta menyiapkan pelatihan ulang bagi pekerja yang terdampak PHK.")
    assert got["companies"] == ["Microsoft"]


def test_well_known_examples_in_the_lead_of_a_trend_piece():
    got = _facts("Ramai PHK karena AI, Benarkah atau Sekadar Dalih?",
                 "Amazon, Salesforce, hingga Fiverr menyebut AI sebagai alasan mereka kini membutuhkan lebih sedikit "
                 "karyawan.\n"
                 "Gelombang PHK di sektor teknologi terus berlanjut sepanjang tahun, dan banyak perusahaan menunjuk AI.\n"
                 "Namun sejumlah ekonom menilai AI kerap hanya dijadikan dalih untuk memangkas biaya.")
    assert {"Amazon", "Salesforce", "Fiverr"} <= set(got["companies"])


def test_half_the_work_done_by_ai_is_not_a_share_of_the_workforce():
    got = _facts("Salesforce PHK 4.000 Staf karena AI",
                 "Salesforce merumahkan 4.000 staf dukungan pelanggan karena AI melakukan setengah pekerjaan tersebut.")
    assert (got["jobs_cut"], got["percent"]) == (4000, None)
