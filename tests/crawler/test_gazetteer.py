"""The gazetteer of the fact extractor (crawler/classify/gazetteer.toml, issue 9 "Better facts"):
an editor's file, so its rules are checked here -- it loads, every company name is unique, no alias
belongs to two companies, no name or alias is an ordinary Indonesian word, a place, a title or a
sentence opener, every country is one of its [[country]] names -- and a well-known company named
in an invented headline and lead is the company found, with its home country."""

from __future__ import annotations

import tomllib
from collections import defaultdict

import pytest

from crawler.classify import classify, facts

# Ordinary Indonesian words (and first names, plate codes) that must never be a company's name or
# alias: a known name is taken for a company wherever it is capitalised (a sentence start, a
# headline in title case).  Companies with such names are listed by an unambiguous long form.
COMMON_WORDS = {
    "ada", "apa", "bukan", "target", "dana", "pintu", "ajaib", "bibit", "timah", "bata", "kilat",
    "garuda", "matahari", "merpati", "cakap", "kargo", "temu", "genting", "mandiri", "pos", "air",
    "bank", "bisa", "baru", "jaya", "raya", "maju", "bumi", "surya", "sinar", "cahaya", "lestari",
    "sentosa", "makmur", "sejahtera", "abadi", "utama", "nusantara", "negara", "rakyat", "karya",
    "jasa", "pelita", "harapan", "mulia", "sukses", "merdeka", "bintang", "kopi", "gula", "semen",
    "pupuk", "listrik", "gas", "minyak", "kereta", "kapal", "pesawat", "toko", "pasar", "warung",
    "rumah", "kantor", "pabrik", "media", "berita", "kabar", "suara", "data", "info", "tim", "unit",
    "grup", "total", "global", "dunia", "resmi", "tahun", "orang", "kerja", "usaha", "modal",
    "saham", "bursa", "emas", "batu", "bara", "sawit", "karet", "kakao", "beras", "ikan", "timur",
    "barat", "utara", "selatan", "tengah", "kota", "desa", "buka", "tutup", "lepas", "pangkas",
    "ganti", "naik", "turun", "cepat", "besar", "kecil", "hero", "link", "line", "visa", "delta",
    "sega", "lego", "mega", "agro", "lion", "wings", "bird", "flip",
    # first names and codes that are written alone
    "aldi", "adira", "okta", "didi", "sarinah", "kt", "ntt", "sk", "bp", "ea",
}


def _gazetteer() -> dict:
    return facts._load_gazetteer(facts.GAZETTEER_PATH)


def _forms(company: dict) -> list[str]:
    return [company["name"], *company.get("aliases", [])]


def test_gazetteer_loads_with_every_section_and_well_formed_companies():
    data = _gazetteer()
    assert len(data["company"]) >= 300
    for c in data["company"]:
        assert set(c) <= {"name", "aliases", "country"}, c
        assert isinstance(c["name"], str) and c["name"].strip() == c["name"] and len(c["name"]) >= 2, c
        assert all(isinstance(a, str) and a.strip() == a and len(a) >= 2 for a in c.get("aliases", [])), c
        # (spellings that differ only in case are kept: "ABN AMRO" -- the check for another company's
        # name in a sentence is case-sensitive)
        assert len(set(_forms(c))) == len(_forms(c)), f"repeated alias in {c['name']}"


def test_company_names_are_unique():
    seen: dict[str, int] = defaultdict(int)
    for c in _gazetteer()["company"]:
        seen[c["name"].lower()] += 1
    assert [n for n, k in seen.items() if k > 1] == []


def test_no_alias_belongs_to_two_companies():
    owners: dict[str, set[str]] = defaultdict(set)
    for c in _gazetteer()["company"]:
        for form in _forms(c):
            owners[form.lower()].add(c["name"])
    assert {f: o for f, o in owners.items() if len(o) > 1} == {}


def test_no_name_or_alias_is_a_common_word():
    bad = [(c["name"], f) for c in _gazetteer()["company"] for f in _forms(c) if f.lower() in COMMON_WORDS]
    assert bad == []


def test_no_name_or_alias_is_a_place_title_or_sentence_opener():
    data = _gazetteer()
    never = {w.lower() for key in ("places", "foreign_places", "titles", "not_company") for w in data.get(key, [])}
    never |= {c["name"].lower() for c in data["country"]}
    bad = [(c["name"], f) for c in data["company"] for f in _forms(c) if f.lower() in never]
    assert bad == []


def test_every_country_is_a_known_country():
    data = _gazetteer()
    countries = {c["name"] for c in data["country"]}
    assert [(c["name"], c.get("country")) for c in data["company"] if c.get("country") not in countries] == []


# names the extractor cannot see whatever the gazetteer says (see the file's header): a lower-case
# first letter, a ".com" ending, an outlet's name
_NOT_FOUND = {"eBay", "JD.com", "Business Insider"}


def test_a_known_company_in_a_headline_and_lead_is_found_with_its_home_country():
    misses = []
    for c in _gazetteer()["company"]:
        name = c["name"]
        if name in _NOT_FOUND:
            continue
        v = classify(f"{name} PHK 1.200 Karyawan, Tugasnya Dialihkan ke AI",
                     f"{name} memangkas 1.200 karyawan dan menggantikan sebagian pekerjaan mereka dengan "
                     "kecerdasan buatan (AI). Manajemen menyebut langkah itu bagian dari efisiensi.\n"
                     "Perusahaan menyatakan AI kini mengerjakan tugas layanan pelanggan yang sebelumnya "
                     "ditangani staf.")
        if v.companies[:1] != [name] or v.country != c.get("country"):
            misses.append((name, v.companies, v.country))
    assert misses == []


@pytest.mark.parametrize("written, shown, country", [
    ("PT Bank Rakyat Indonesia (Persero) Tbk", "BRI", "Indonesia"),
    ("PT Telekomunikasi Indonesia (Persero) Tbk", "Telkom", "Indonesia"),
    ("PT Sumber Alfaria Trijaya Tbk", "Alfamart", "Indonesia"),
    ("PT Kereta Api Indonesia (Persero)", "KAI", "Indonesia"),
    ("Perum Damri", "Damri", "Indonesia"),
    ("Tata Consultancy Services", "TCS", "India"),
    ("Commonwealth Bank of Australia", "Commonwealth Bank", "Australia"),
    ("Cisco Systems", "Cisco", "Amerika Serikat"),
])
def test_a_legal_name_is_shown_by_the_usual_name(written, shown, country):
    v = classify(f"{written} Pangkas 300 Pegawai, Layanan Kini Ditangani AI",
                 f"{written} memangkas 300 pegawai setelah layanan pelanggan dialihkan ke chatbot berbasis "
                 "kecerdasan buatan (AI). Perusahaan menyebut langkah itu bagian dari efisiensi.")
    assert (v.companies[:1], v.country) == ([shown], country)


def test_an_indonesian_factory_of_a_foreign_brand_stays_indonesian():
    # a known parent must not take over a local unit's cut (why Yamaha, Toyota ... are left out)
    v = classify("Pabrik Tutup, PT Yamaha Indonesia PHK 400 Buruh",
                 "PT Yamaha Indonesia memutus hubungan kerja 400 buruh pabrik di Bekasi karena mesin otomatis "
                 "berbasis AI mengambil alih lini perakitan. Manajemen PT Yamaha Indonesia menyebut efisiensi.")
    assert v.companies[:1] == ["PT Yamaha Indonesia"] and v.country == "Indonesia"
