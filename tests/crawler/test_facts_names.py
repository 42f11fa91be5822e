"""Company names and numbers in cases the fact extractor used to miss (issue 9 "Better facts";
crawler/classify/facts.py): a media company that cuts its own newsroom, a newspaper named after
"PHK di", a city government that no longer employs its honorary staff, a company named only as
the subject of a shrinking headcount, a studio whose name opens with "Studio".  Every sentence is
written for these tests (none is taken from a fixture or the dev set)."""

from __future__ import annotations

import pytest

from crawler.classify import facts, rules


def _facts(title: str, text: str) -> dict:
    return facts.extract(rules.evaluate(title, text))


def _norm(name: str) -> str:
    return "".join(name.casefold().split())


def _names(f: dict) -> list[str]:
    return [_norm(c) for c in f["companies"]]


def test_a_known_media_company_cutting_its_own_staff_is_named():
    f = _facts("Business Insider PHK 21% Karyawan, Bos: Kami All In ke AI",
               "Jakarta - Media digital asal Amerika Serikat, Business Insider, memangkas sekitar 21 persen "
               "karyawannya. Pemimpin perusahaan menyebut seluruh redaksi akan memakai AI.\n"
               "Serikat pekerja Business Insider mengecam langkah tersebut.")
    assert _names(f)[:1] == ["businessinsider"], f["companies"]


def test_a_media_outlet_quoted_as_a_source_is_not_the_company():
    f = _facts("Amazon PHK 14.000 Karyawan Korporat demi AI",
               "Jakarta, CNN Indonesia -- Amazon memangkas 14.000 posisi korporat, seperti dilansir Business "
               "Insider. Perusahaan menyebut AI membuat organisasi bisa lebih ramping.\n"
               "Menurut laporan Business Insider, karyawan terdampak diberi waktu 90 hari.")
    assert _names(f) == ["amazon"], f["companies"]


def test_a_newspaper_after_phk_di_is_the_company():
    f = _facts("Serikat Jurnalis Sebut PHK di Harian Suara Lembayung Terkait Konten AI",
               "Medan - Sebanyak 40 jurnalis Harian Suara Lembayung, koran yang terbit sejak 1985, diberhentikan "
               "bulan ini.\n"
               "Serikat jurnalis menyebut redaksi Suara Lembayung kini memuat berita pendek yang ditulis AI.\n"
               "Pemimpin redaksi Suara Lembayung menyebut PHK itu soal biaya cetak.")
    assert _names(f)[:1] == ["hariansuaralembayung"], f["companies"]
    assert f["jobs_cut"] == 40


def test_a_city_government_that_no_longer_employs_its_staff_is_named():
    f = _facts("Pemkot Tirtamaya Tak Lagi Pekerjakan 130 Honorer Loket",
               "Tirtamaya - Pemerintah Kota Tirtamaya tidak lagi mempekerjakan 130 tenaga honorer yang bertugas "
               "di loket pelayanan. Kontrak mereka tidak diperbarui.\n"
               "Layanan perizinan kini dilayani anjungan mandiri dan asisten virtual berbasis AI.")
    assert _names(f)[:1] == ["pemerintahkotatirtamaya"], f["companies"]
    assert f["jobs_cut"] == 130


def test_a_company_whose_headcount_shrank_is_named_with_the_drop():
    f = _facts("Karyawan Klarna Menyusut Jadi 3.800 Orang, AI Ambil Alih",
               "Jakarta - Perusahaan fintech Klarna mengurangi jumlah karyawannya dari sekitar 5.000 orang "
               "menjadi 3.800 orang dalam setahun terakhir. Klarna tidak merekrut pengganti bagi karyawan yang "
               "keluar.\n"
               "Klarna mengaitkan strategi itu dengan asisten layanan pelanggan berbasis AI.")
    assert _names(f)[:1] == ["klarna"], f["companies"]
    assert f["jobs_cut"] == 1200


def test_a_studio_keeps_studio_in_its_name():
    f = _facts("Studio Gim Bandung PHK 45 Ilustrator, Eks Karyawan: Kami Diganti Gambar AI",
               "Bandung - Studio pengembang gim asal Bandung, Studio Langit Biru, memberhentikan 45 ilustrator "
               "dan animator pada akhir bulan lalu.\n"
               "Manajemen Studio Langit Biru mengakui ada pengurangan tim dan kini memakai AI generatif.")
    assert _names(f)[:1] == ["studiolangitbiru"], f["companies"]


def test_a_regency_government_whose_honorary_staff_are_dismissed_is_named():
    f = _facts("90 Honorer Call Center Pemkab Wanareja Diberhentikan, Diganti Chatbot",
               "Wanareja - Sebanyak 90 tenaga honorer call center Pemerintah Kabupaten Wanareja diberhentikan "
               "mulai bulan ini. Layanan aduan warga kini dijawab chatbot berbasis AI.\n"
               "DPRD meminta pemkab menyalurkan mereka ke dinas lain.")
    assert _names(f)[:1] == ["pemerintahkabupatenwanareja"], f["companies"]
    assert f["jobs_cut"] == 90


def test_an_earlier_round_after_setelah_is_not_the_headline_cut():
    f = _facts("Rantaiweb Pangkas 6 Persen Karyawan, Fokus ke AI",
               "Jakarta - Perusahaan perangkat lunak Rantaiweb kembali mengurangi jumlah pegawainya. Dalam "
               "dokumen kepada regulator, perusahaan menyebut pemangkasan kali ini menyasar sekitar 3.100 "
               "orang.\n"
               "Ini merupakan putaran kedua tahun ini setelah Rantaiweb melepas sekitar 2.000 pekerja pada awal "
               "tahun. Manajemen menyebut dana akan dialihkan ke pengembangan AI.")
    assert f["jobs_cut"] == 3100


def test_the_headcount_before_the_cut_is_not_the_cut():
    f = _facts("Rantaiweb Pangkas 7 Persen Karyawan, Fokus ke AI",
               "Jakarta - Perusahaan perangkat lunak Rantaiweb akan merumahkan sekitar 7 persen dari total "
               "karyawannya.\n"
               "Dengan jumlah pegawai sekitar 84 ribu orang, pemangkasan itu diperkirakan menyentuh kurang lebih "
               "5.600 orang. Manajemen menyebut dana akan dialihkan ke pengembangan AI.")
    assert f["jobs_cut"] == 5600
    f = _facts("Rantaiweb Kurangi Karyawan demi AI",
               "Jakarta - Rantaiweb mengurangi jumlah karyawan sebanyak 500 orang tahun ini karena beralih ke AI.")
    assert f["jobs_cut"] == 500


def test_an_investor_named_to_describe_a_start_up_is_not_the_company():
    f = _facts("Startup yang Didanai SoftBank PHK 150 Karyawan, Ganti Tim Layanan dengan AI",
               "Jakarta - Perusahaan rintisan logistik Kirim Cepat, yang didanai SoftBank, memberhentikan 150 "
               "karyawan layanan pelanggan. Perusahaan kini memakai chatbot AI untuk menjawab keluhan.\n"
               "Kirim Cepat menyebut langkah itu bagian dari efisiensi.")
    assert _names(f)[:1] == ["kirimcepat"], f["companies"]


# --- names that open with a lower-case letter (wave 5) ---------------------------------------------
@pytest.mark.parametrize("name,title,text", [
    ("zRobo", "zRobo PHK 300 Anotator Data, Beralih ke AI Tutor Spesialis",
     "Jakarta - Perusahaan rintisan kecerdasan buatan zRobo memberhentikan sekitar 300 anotator data lewat "
     "surel. zRobo menyebut pekerjaan itu kini ditangani model AI dan tutor spesialis.\n"
     "Para anotator zRobo mengaku kaget karena akses kerja mereka langsung dicabut."),
    ("eGrosa", "eGrosa Pangkas 120 Karyawan Gudang demi Otomatisasi",
     "Jakarta - Platform grosir daring eGrosa memangkas 120 karyawan gudang setelah memasang robot sortir.\n"
     "Manajemen eGrosa menyebut otomatisasi membuat gudang bisa berjalan dengan tim yang lebih kecil."),
], ids=["xAI-like", "eFishery-like"])
def test_a_name_opening_with_a_lower_case_letter_is_found(name, title, text):
    f = _facts(title, text)
    assert _names(f)[:1] == [_norm(name)], f["companies"]


def test_a_lower_case_product_name_is_not_the_company():
    f = _facts("Buah Apel Corp PHK 200 Staf Tim iPhonex, Fokus ke AI",
               "Jakarta - Buah Apel Corp memangkas 200 staf yang menggarap ponsel iPhonex. Perusahaan "
               "mengalihkan dana ke pengembangan AI.\n"
               "Sebagian tugas tim iPhonex kini dikerjakan alat AI.")
    assert "iphonex" not in _names(f), f["companies"]
    assert _names(f)[:1] == ["buahapel"], f["companies"]  # "Corp" is dropped


# --- names with a web ending, and contracts not renewed in the passive (wave 6) ----------------------
@pytest.mark.parametrize("name", ["Lancong.id", "Tiketria.com", "Jalanin.co.id"])
def test_a_name_with_a_web_ending_is_found(name):
    f = _facts(f"Pakai AI Generatif, {name} PHK 150 Karyawan Layanan Pelanggan",
               f"Jakarta - Platform perjalanan daring {name} memberhentikan 150 karyawan layanan pelanggan. "
               "Pekerjaan mereka kini ditangani sistem berbasis AI generatif.\n"
               f"CEO {name}, Reza Halim, mengatakan keputusan itu berat.")
    assert _names(f)[:1] == [_norm(name)], f["companies"]
    assert f["jobs_cut"] == 150


@pytest.mark.parametrize("dateline", ["TRIBUNMEDAN.id, MEDAN -", "Bisnis.com, JAKARTA —", "KOMPAS.com -",
                                      "TEMPO.CO, Jakarta -"])
def test_an_outlets_dateline_is_not_the_company(dateline):
    f = _facts("Perusahaan Logistik Pangkas 200 Pekerja Gudang, Robot Ambil Alih",
               f"{dateline} PT Kirim Lekas Nusantara memangkas 200 pekerja gudang setelah robot sortir "
               "berbasis AI dipasang di Cikarang.\nManajemen menyebut robot itu bekerja tanpa henti.")
    assert _names(f)[:1] == ["ptkirimlekasnusantara"], f["companies"]


def test_staff_whose_contracts_are_not_renewed_in_the_passive_are_the_cut():
    f = _facts("Ratusan Agen Call Center di Medan Tak Diperpanjang Kontraknya, Serikat Soroti Voicebot",
               "MEDAN - Sekitar 280 agen layanan pelanggan di perusahaan alih daya PT Sinar Kontak Prima "
               "tidak diperpanjang kontraknya per akhir bulan ini.\n"
               "Serikat pekerja menuding keputusan itu terkait voicebot berbasis kecerdasan buatan (AI) yang "
               "kini melayani sebagian besar panggilan pelanggan.")
    assert _names(f)[:1] == ["ptsinarkontakprima"], f["companies"]
    assert f["jobs_cut"] == 280


@pytest.mark.parametrize("site", ["Liputan6.com", "Tirto.id", "money.kompas.com", "Katadata.co.id"])
def test_an_outlet_cited_by_its_web_name_is_not_the_company(site):
    f = _facts("Perusahaan Logistik Pangkas 200 Pekerja Gudang, Robot Ambil Alih",
               f"Jakarta - Seperti dilaporkan {site}, PT Kirim Lekas Nusantara memangkas 200 pekerja gudang "
               "setelah robot sortir berbasis AI dipasang.\n"
               f"Kepada {site}, manajemen menyebut robot itu bekerja tanpa henti.")
    assert _names(f)[:1] == ["ptkirimlekasnusantara"], f["companies"]
    assert _norm(site) not in _names(f)
