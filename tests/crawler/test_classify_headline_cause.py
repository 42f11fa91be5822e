"""A headline that names a non-AI cause before the cut ("Rating Sinetron Anjlok, Stasiun TV
Pangkas 250 Kru"; "Headset VR Tak Laku, ... PHK 1.800 Pegawai").

This is the common Indonesian headline shape "<what went wrong>, <who cut how many>": the cause
clause is before the comma, with no connective ("karena", "akibat") for the rules to find. Such
a piece is about a non-AI layoff even when its body mentions the company's AI products once or
twice, so the rules' non-AI-cause veto applies (no AI in the title, AI in at most two paragraphs,
no sentence linking the cut to AI). The same headline over a body that links the cut to AI, or
with AI in the title, is not vetoed. A clause that is itself the cut ("Pecat 11 Ribu Karyawan dan
Saham Turun, ...") names no cause.

All texts here are written for these tests (none is copied from any data set)."""
from __future__ import annotations

import pytest

from crawler import classify as C
from crawler.classify import rules

pytestmark = pytest.mark.usefixtures("shipped_model")


def _vetoes(title: str, text: str) -> list[str]:
    return rules.vetoes(rules.evaluate(title, text, signals=True))

CAUSE_TITLES = [
    "Rating Sinetron Anjlok, Rumah Produksi Kilau Layar Pangkas 250 Kru",
    "Headset VR Tak Laku, Pembuat Perangkat Orbis PHK 1.800 Pegawai",
    "Pendapatan Iklan Merosot, Portal Berita Kabar Kota Rumahkan 90 Wartawan",
    "Gim Andalan Gagal di Pasar, Studio Pelangi Interaktif Berhentikan 140 Karyawan",
    "Laba Tergerus, Maskapai Sayap Timur Kurangi 600 Awak",
]
NOT_CAUSE_TITLES = [
    "Pecat 11 Ribu Karyawan dan Saham Turun, Bos Perusahaan Media Sosial Minta Maaf",
    "Kantor Turun Tangan, 300 Karyawan Diberhentikan",  # "turun tangan" is no cause clause
    "Studio Pelangi Interaktif Berhentikan 140 Karyawan",
]


@pytest.mark.parametrize("title", CAUSE_TITLES)
def test_a_cause_clause_before_the_cut_is_a_non_ai_cause(title):
    assert rules._analyse_sentence(-1, title).nonai


@pytest.mark.parametrize("title", NOT_CAUSE_TITLES)
def test_no_cause_clause(title):
    assert not rules._analyse_sentence(-1, title).nonai


def _body(ai_link: bool) -> str:
    paras = [
        "Jakarta - Pembuat perangkat Orbis memberhentikan 1.800 pegawai divisi perangkat keras. Headset "
        "realitas virtual andalannya hanya terjual sepertiga dari target sepanjang tahun.",
        "Manajemen menyebut pemangkasan itu menyasar tim produksi, logistik dan pemasaran headset.",
        "Tahun lalu Orbis memperkenalkan asisten berbasis kecerdasan buatan (AI) untuk ponsel pintarnya, "
        "dan fitur itu tetap akan dikembangkan.",
        "Pegawai yang terdampak menerima pesangon sesuai masa kerja dan bantuan mencari kerja baru.",
        "Analis menilai pasar headset memang belum matang dan harga perangkatnya terlalu mahal.",
        "Orbis akan memusatkan produksinya di satu pabrik di Vietnam mulai kuartal depan.",
    ]
    if ai_link:
        paras[1] = ("Manajemen menyebut sebagian posisi yang dihapus kini dikerjakan sistem otomatisasi "
                    "berbasis AI, sehingga 1.800 pegawai itu tidak lagi dibutuhkan.")
    return "\n".join(paras)


TITLE = "Headset VR Tak Laku, Pembuat Perangkat Orbis PHK 1.800 Pegawai"


def test_a_non_ai_cut_beside_the_firms_ai_product_is_vetoed_and_not_flagged():
    v = _vetoes(TITLE, _body(False))
    assert "veto: sebab lain disebut, tak ada kaitan PHK dengan AI" in v
    assert not C.classify(TITLE, _body(False)).match


def test_the_same_headline_over_a_cut_linked_to_ai_is_not_vetoed():
    v = _vetoes(TITLE, _body(True))
    assert not v
    assert C.classify(TITLE, _body(True)).match


def test_ai_in_the_title_keeps_the_piece_open():
    title = "Penjualan Lesu, Pembuat Perangkat Orbis Ganti 1.800 Pegawai dengan Robot AI"
    v = _vetoes(title, _body(True))
    assert not v


# --- "Lepas N Karyawan": staff let go (rules 2025.9) -------------------------------------------
LET_GO = [
    "Grup Hotel Samudra Lepas 230 Staf Reservasi, Tamu Kini Dilayani Asisten AI",
    "Bank Daerah Lestari Lepas 1.200 Pegawai Lewat Program Pensiun Dini",
    "Perusahaan itu melepas sekitar 500 karyawan pusat layanan pelanggannya tahun ini.",
    "Operator logistik itu melepas ratusan pekerja gudang setelah robot sortir dipasang.",
]
NOT_LET_GO = [
    "Menaker Melepas 200 Pekerja Migran ke Korea Selatan",
    "Bupati melepas 350 orang calon jemaah haji di pendopo kabupaten.",
    "Perusahaan melepas 10 persen sahamnya kepada investor strategis.",
    "Ratusan pekerja lepas platform ojek daring berunjuk rasa di depan kantor aplikator.",
    "Pesawat itu lepas landas membawa 180 penumpang dan enam awak kabin.",
]


@pytest.mark.parametrize("s", LET_GO)
def test_staff_let_go_is_a_layoff_term(s):
    assert rules._analyse_sentence(-1, s).lay


@pytest.mark.parametrize("s", NOT_LET_GO)
def test_other_letting_go_is_no_layoff(s):
    assert not rules._analyse_sentence(-1, s).lay


# --- a reason not given is no non-AI cause (rules 2025.9) --------------------------------------
@pytest.mark.parametrize("s", [
    "Direktur itu tidak merinci alasan klien mengurangi pesanan.",
    "Manajemen belum menjelaskan alasan penurunan penjualan tahun ini.",
    "Perusahaan enggan mengungkap alasan di balik turunnya pesanan.",
])
def test_a_reason_not_given_is_no_cause(s):
    assert not rules._analyse_sentence(1, s).nonai


@pytest.mark.parametrize("s", [
    "PHK itu dilakukan karena pesanan dari pembeli di Amerika anjlok.",
    "Perusahaan beralasan penjualan terus menurun sejak awal tahun.",
    "Direktur itu tidak menampik PHK terjadi akibat pesanan yang merosot.",
])
def test_a_reason_given_is_a_cause(s):
    assert rules._analyse_sentence(1, s).nonai


# --- "Bantah Diganti AI": the AI link denied, the cut stands (rules 2025.9) ---------------------
def test_denying_replacement_by_ai_denies_the_link_not_the_cut():
    s = rules._analyse_sentence(-1, "Studio Kelana PHK 350 Karyawan, Bantah Diganti AI, Mantan Pegawai Bilang Lain")
    assert s.lay and s.deny_ai and not s.deny


def test_denying_the_cut_itself_is_still_a_denial():
    s = rules._analyse_sentence(-1, "Studio Kelana Bantah Isu PHK Massal")
    assert not s.lay


# --- a voluntary-exit programme is a cut (rules 2025.10) -----------------------------------------
@pytest.mark.parametrize("s", [
    "Studio Gim Arunata Buka Program Mundur Sukarela demi Jadi Perusahaan AI-First",
    "Perusahaan menawarkan program pengunduran diri sukarela kepada 600 karyawan kantor pusat.",
    "Bank itu membuka skema pensiun sukarela bagi pegawai cabang.",
])
def test_a_voluntary_exit_programme_is_a_layoff_term(s):
    assert rules._analyse_sentence(-1, s).lay


@pytest.mark.parametrize("s", [
    "Ratusan relawan sukarela membantu warga korban banjir di Bekasi.",
    "Ia mengaku mundur secara sukarela dari jabatan komisaris.",
    "Warga menyumbang secara sukarela untuk pembangunan masjid.",
])
def test_other_voluntary_things_are_no_layoff(s):
    assert not rules._analyse_sentence(-1, s).lay


# --- a forecast over years with no cut in the piece (rules 2025.10) -------------------------------
def _forecast_body(cut: bool) -> str:
    paras = [
        "Jakarta - Direktur Utama PT Bank Kencana Raya Tbk, Wulan Prameswari, memperkirakan kecerdasan "
        "buatan (AI) bisa mengurangi kebutuhan staf kantor belakang hingga 20 persen dalam lima tahun.",
        "Menurut Wulan, pekerjaan rekonsiliasi dan verifikasi dokumen kini banyak dibantu AI, sehingga "
        "kebutuhan tenaga manusia di bagian itu akan menyusut pelan-pelan.",
        "Ia menegaskan bank tidak berencana melakukan PHK. Penyesuaian akan berjalan lewat pensiun alami "
        "dan pegawai yang dipindahkan ke bagian penjualan.",
        "Bank Kencana Raya saat ini mempekerjakan sekitar 9.000 orang di seluruh Indonesia.",
        "Pengamat perbankan menilai langkah serupa akan diikuti bank lain seiring adopsi AI.",
    ]
    if cut:
        paras[2] = ("Tahun ini saja bank telah memangkas 450 pegawai kantor belakang karena pekerjaan mereka "
                    "kini dikerjakan sistem AI, dan pemangkasan akan berlanjut.")
    return "\n".join(paras)


FORECAST_TITLE = "Bos Bank Kencana Raya: AI Bisa Kurangi 20% Staf dalam Lima Tahun"


def test_an_executives_forecast_over_years_with_no_cut_is_vetoed():
    v = _vetoes(FORECAST_TITLE, _forecast_body(False))
    assert "veto: prakiraan beberapa tahun ke depan, belum ada PHK" in v
    assert not C.classify(FORECAST_TITLE, _forecast_body(False)).match


def test_the_same_forecast_beside_a_real_cut_is_not_vetoed():
    v = _vetoes(FORECAST_TITLE, _forecast_body(True))
    assert "veto: prakiraan beberapa tahun ke depan, belum ada PHK" not in v


@pytest.mark.parametrize("title", [
    "P&G Akan Memangkas 7.000 Pekerjaan dalam Dua Tahun",  # a cut announced, carried out over years
    "Maskapai Nusa Bakal PHK 4.000 Karyawan hingga 2030, AI Digenjot",
])
def test_a_cut_announced_over_years_is_no_forecast(title):
    body = ("Perusahaan mengumumkan akan memangkas ribuan pekerjaan dalam program efisiensi yang "
            "diumumkan Senin. Pemangkasan 4.000 posisi itu berjalan bertahap dan sebagian tugas dialihkan ke AI.")
    v = _vetoes(title, body)
    assert "veto: prakiraan beberapa tahun ke depan, belum ada PHK" not in v
