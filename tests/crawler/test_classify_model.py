"""The hybrid classifier: the shipped model file, loading, determinism, vetoes, new phrasing.

All article texts here are written for these tests (none is copied from the dev set)."""
from __future__ import annotations

import json
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest

from crawler import classify as C
from crawler.classify import model as M
from crawler.classify import rules
from tests.crawler.conftest import confident_model

ROOT = Path(__file__).resolve().parents[2]


pytestmark = pytest.mark.usefixtures("shipped_model")


def test_shipped_model_is_small_hashed_and_loads_fast():
    path = M.SHIPPED_MODEL
    assert path.exists()
    assert path.stat().st_size < 4 * 1024 * 1024
    with zipfile.ZipFile(path) as zf:
        assert sorted(zf.namelist()) == sorted([f"{h}_{k}.npy" for h in ("hybrid", "text")
                                                for k in ("idx", "w", "bias", "calib")] + ["meta.npy"])
    with np.load(path, allow_pickle=False) as z:  # no pickle anywhere
        meta = json.loads(z["meta"].tobytes().decode())
        assert z["hybrid_idx"].dtype == np.int32 and z["text_w"].dtype == np.float32
    assert meta["hashing"]["hash"] == "crc32" and "vocabulary" not in json.dumps(meta)
    t0 = time.perf_counter()
    m = M.load(path)
    assert time.perf_counter() - t0 < 1.0
    assert m.version.startswith("hybrid-")


def test_model_is_used_and_deterministic_across_processes():
    title = "Perusahaan Logistik Pangkas 1.200 Pekerja Gudang, Tugas Diambil Alih Robot"
    text = ("Sebuah perusahaan logistik memangkas 1.200 pekerja gudang setelah memasang robot penyortir.\n"
            "Manajemen menyebut pemangkasan itu dilakukan seiring otomatisasi gudang di tiga kota.")
    v1, v2 = C.classify(title, text), C.classify(title, text)
    assert v1 == v2
    assert any(r.startswith("model: ") for r in v1.reasons)
    code = ("import json,sys; from crawler.classify import classify; v=classify(sys.argv[1], sys.argv[2]); "
            "print(json.dumps(v.to_dict()))")
    outs = [subprocess.run([sys.executable, "-c", code, title, text], capture_output=True, text=True, cwd=ROOT,
                           env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"}).stdout for seed in ("1", "2")]
    assert outs[0] and outs[0] == outs[1]
    assert json.loads(outs[0])["score"] == v1.score


def test_gate_skips_the_model_for_articles_without_layoff_and_ai_terms():
    v = C.classify("Timnas Menang 2-0 di Laga Persahabatan",
                   "Timnas menang dua gol tanpa balas. Pelatih memuji lini tengah.\nLaga berikutnya digelar pekan depan.")
    assert not v.match
    assert not any(r.startswith("model: ") for r in v.reasons)


@pytest.mark.parametrize("title,text,veto", [
    ("Bank Digital Bantah Kabar PHK karena AI",
     "Bank digital itu membantah kabar PHK massal karena kecerdasan buatan.\n"
     "Manajemen menyebut kabar pemangkasan karyawan akibat AI tidak benar dan hoaks.\n"
     "Perusahaan tetap menambah pegawai tahun ini.", "bantahan"),
    ("Direktur Startup AI Dipecat Dewan Komisaris",
     "Dewan komisaris memecat direktur utama startup kecerdasan buatan itu.\n"
     "Pemecatan direktur terjadi setelah perselisihan soal strategi AI dan otomatisasi.", "pemecatan satu orang"),
    ("Survei: 41% Perusahaan Berencana Kurangi Karyawan karena AI",
     "Sebuah survei terhadap 800 pemberi kerja menunjukkan 41 persen perusahaan berencana mengurangi karyawan "
     "karena AI dalam lima tahun.\nLaporan itu memperkirakan PHK bisa terjadi bila otomatisasi meluas.",
     "survei"),
])
def test_vetoes_veto_even_when_the_model_is_confident(title, text, veto):
    M.set_model(confident_model())
    v = C.classify(title, text)
    assert not v.match, v.reasons
    assert any(r.startswith("veto: ") and veto in r for r in v.reasons), v.reasons
    # control: the same confident model flags a plain article with no veto
    ok = C.classify("Pabrik Tekstil PHK 300 Buruh", "Pabrik tekstil itu melakukan PHK terhadap 300 buruh.\n"
                    "PHK terjadi seiring pemasangan mesin otomatis dan robot jahit.")
    assert ok.match and not any(r.startswith("veto: ") for r in ok.reasons)


def test_without_a_usable_model_the_rules_decide(tmp_path, monkeypatch):
    bad = tmp_path / "broken.npz"
    bad.write_bytes(b"not a zip file")
    monkeypatch.setenv("PANTAU_MODEL", str(bad))
    M.reset()
    assert M.get_model() is None
    assert "none usable" in M.describe()
    title = "Perusahaan X PHK 500 Karyawan karena AI"
    text = ("Perusahaan X melakukan PHK terhadap 500 karyawan karena AI.\n"
            "PHK ini seiring otomatisasi layanan pelanggan dengan chatbot.")
    f = rules.evaluate(title, text)
    rm, rs = rules.rule_verdict(f)
    v = C.classify(title, text)
    assert (v.match, v.score) == (rm, rs)


# --- new phrasing (own sentences) ------------------------------------------------------------
FLAG = [
    ("Operator Telekomunikasi Akan Memangkas 40.000 Posisi Seiring Peralihan ke AI",
     "Operator telekomunikasi itu akan memangkas 40.000 posisi hingga 2030 seiring peralihan ke kecerdasan "
     "buatan.\nSekitar sepersepuluh dari posisi yang hilang akan digantikan oleh sistem AI dan otomatisasi "
     "layanan pelanggan.\nPemangkasan itu diumumkan bersamaan dengan laporan keuangan tahunan."),
    ("Aplikasi Belajar Bahasa Ganti Pekerja Kontrak dengan AI",
     "Aplikasi belajar bahasa populer itu berhenti memakai sebagian pekerja kontrak dan menggantinya dengan AI "
     "generatif.\nPara penerjemah kontrak tidak diperpanjang karena materi pelajaran kini dibuat oleh AI.\n"
     "Perusahaan menyebut strategi AI-first membuat tim lebih ramping."),
]
NOT_FLAG = [
    ("Survei: 38% Perusahaan Berencana Mengurangi Tenaga Kerja karena AI",
     "Survei terbaru terhadap ratusan eksekutif menemukan 38 persen perusahaan berencana mengurangi tenaga "
     "kerja karena AI dalam lima tahun ke depan.\nPara responden juga memperkirakan kebutuhan keterampilan "
     "digital naik.\nLaporan itu tidak menyebut perusahaan yang sudah melakukan PHK."),
    ("AI Diprediksi Ciptakan 150 Juta Pekerjaan Baru",
     "Sebuah laporan memprediksi kecerdasan buatan menciptakan 150 juta pekerjaan baru dalam satu dekade.\n"
     "Meski sebagian pekerjaan administratif berkurang, lapangan kerja baru di bidang data tumbuh lebih cepat.\n"
     "Pemerintah menyiapkan pelatihan talenta digital."),
    ("Restrukturisasi Pabrik Sepatu Bukan PHK Massal, Kata Manajemen",
     "Manajemen pabrik sepatu menegaskan restrukturisasi lini produksi bukan PHK massal.\n"
     "Tidak ada PHK karyawan meski perusahaan memasang mesin otomatis baru.\n"
     "Para pekerja dipindahkan ke lini perakitan lain."),
]


@pytest.mark.parametrize("title,text", FLAG, ids=["telco-40000-posisi", "kontrak-diganti-ai"])
def test_new_phrasing_flagged(title, text):
    v = C.classify(title, text)
    assert v.match, (v.score, v.reasons)


@pytest.mark.parametrize("title,text", NOT_FLAG, ids=["survei-berencana", "ai-ciptakan-pekerjaan", "bukan-phk-massal"])
def test_hard_negatives_not_flagged(title, text):
    v = C.classify(title, text)
    assert not v.match, (v.score, v.reasons)


def test_boilerplate_only_mentions_never_reach_the_model():
    text = ("Harga cabai di pasar induk turun menjelang akhir pekan.\nPedagang berharap pasokan tetap lancar.\n"
            "Baca juga: Raksasa Teknologi PHK 10.000 Karyawan karena AI\nTags: PHK, AI, otomatisasi\n")
    M.set_model(confident_model())
    v = C.classify("Harga Cabai Turun", text)
    assert not v.match
    assert not any(r.startswith("model: ") for r in v.reasons)


def test_model_reads_a_bounded_prefix_so_long_texts_cost_at_most_linearly():
    para = "Perusahaan itu memangkas karyawan seiring otomatisasi dan kecerdasan buatan di pabriknya. "
    base = (para * 80)[:6000]
    f1 = rules.evaluate("Judul", base)
    f2 = rules.evaluate("Judul", base + "\n" + ("Kalimat lain tentang cuaca dan lalu lintas kota. " * 600))
    i1, v1 = M.features(f1, use_rules=False)
    i2, v2 = M.features(f2, use_rules=False)
    assert np.array_equal(i1, i2) and np.array_equal(v1, v2)


def test_hiring_amid_layoffs_is_vetoed_and_voicebot_replacement_is_flagged():
    hiring = C.classify(
        "Platform Logistik Buka 400 Lowongan Insinyur AI di Tengah Gelombang PHK",
        "Platform logistik itu membuka 400 lowongan insinyur kecerdasan buatan tahun ini.\n"
        "Perekrutan dilakukan saat banyak perusahaan teknologi melakukan PHK karena otomatisasi.\n"
        "Perusahaan menyebut gelombang PHK di industri membuat talenta AI lebih mudah didapat.")
    assert not hiring.match and any("rekrutmen" in r for r in hiring.reasons), hiring.reasons
    voice = C.classify(
        "Kantor Layanan Pelanggan Ganti 250 Agen dengan Voicebot",
        "Kantor layanan pelanggan milik perusahaan asuransi itu mengganti 250 agen dengan voicebot.\n"
        "Para agen menerima pesangon setelah kontraknya tidak diperpanjang.\n"
        "Manajemen menyebut voicebot kini menangani sebagian besar panggilan.")
    assert voice.match, (voice.score, voice.reasons)


def test_civil_servants_replaced_by_robots_flagged():
    v = C.classify("Ratusan ASN Pemkot Bakal Digantikan Robot",
                   "Pemerintah kota menyebut ratusan ASN di bagian administrasi bakal digantikan robot dan sistem "
                   "otomatis mulai tahun depan.\nPekerjaan surat-menyurat akan dikerjakan mesin.\n"
                   "Pegawai yang posisinya dihapus akan dipindahkan atau pensiun dini.")
    assert v.match, (v.score, v.reasons)


# --- the decision rule: one function for the classifier and for training figures --------------
@pytest.mark.parametrize("rule_match, p, pt, expected", [
    (True, 0.06, 0.01, True),    # the rules matched and the model does not object (>= lo)
    (True, 0.03, 0.04, False),   # the rules matched but both heads say no
    (False, 0.91, 0.10, True),   # the hybrid head alone is sure
    (False, 0.20, 0.81, True),   # the text head alone is sure
    (False, 0.72, 0.70, True),   # both heads lean yes: their mean reaches avg
    (False, 0.80, 0.55, False),  # mean 0.675: below avg, neither head sure
    (False, 0.50, 0.50, False),
])
def test_decision_rule(rule_match, p, pt, expected, monkeypatch):
    c = {"lo": 0.05, "hi": 0.9, "hi_text": 0.8, "avg": 0.7}
    assert M.decide_match(rule_match, p, pt, c) is expected
    # the training figures decide the same way (a veto aside)
    from crawler.classify import train as T
    monkeypatch.setattr(rules, "vetoes", lambda f: [])
    assert T.hybrid_decide(p, pt, {"rule_match": rule_match}, c) is expected
    monkeypatch.setattr(rules, "vetoes", lambda f: ["veto: x"])
    assert T.hybrid_decide(p, pt, {"rule_match": rule_match}, c) is False


def test_an_old_model_file_without_avg_keeps_its_own_rule():
    m = M.Model(Path("old.npz"), confident_model().hybrid, confident_model().text,
                {"version": "old", "combine": {"lo": 0.05, "hi": 0.9, "hi_text": 0.8}})
    assert m.combine["avg"] > 1.0  # never reached: the mean term is off for files written before it
    assert not M.decide_match(False, 0.75, 0.75, m.combine)


def test_classify_uses_the_shipped_decision_constants():
    m = M.get_model()
    assert m is not None and m.combine == {"lo": 0.05, "hi": 0.9, "hi_text": 0.8, "avg": 0.7}
    assert "mean p>=0.7" in M.describe()
