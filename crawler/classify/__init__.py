"""Classifier for "PHK karena AI" (AI-linked layoff) news stories.

What it flags
=============
``classify(title, text)`` returns ``Verdict.match = True`` exactly when BOTH hold:

1. **The article's main subject is job cuts.**  Layoff terms -- PHK (also
   di-PHK, ter-PHK, mem-PHK, PHK-nya), pemutusan hubungan kerja, layoff,
   memutuskan hubungan kerja, merumahkan/dirumahkan, memberhentikan/
   diberhentikan, pensiun dini, a voluntary-exit programme ("program
   pengunduran diri sukarela", "Program Mundur Sukarela"), contracts ended or not renewed (putus kontrak,
   kontraknya diputus, tidak memperpanjang kontrak -- not business contracts
   such as "kontrak kerja sama"), memangkas/dipangkas/pemangkasan, mengurangi/
   pengurangan, (me)rampingkan/perampingan, (meng)hapus/dihapus or
   (meng)hentikan followed by a worker noun (karyawan, pekerja, pegawai, staf,
   posisi, pekerjaan, peran, tenaga kerja), "efisiensi karyawan", mass firing
   (memecat/pemecatan with a quantity such as "11 ribu karyawan", "ratusan",
   "massal"), staff let go with a number ("Lepas 230 Staf", "melepas sekitar
   500 karyawan"; not "pekerja migran"), staff no longer employed, affected
   by a closure or in a disbanded division ("Tak Lagi Pekerjakan 150
   Honorer", "Tutup 42 Kantor Cabang, 600 Pegawai Terdampak", "Rampingkan
   Divisi Klaim"), or "mengganti/menggantikan N pekerja dengan robot/AI" -- appear
   in the title, or in the lead paragraphs and again later in the body.  A
   single passing mention deep in the body is not the main subject.
   Negated, feared or denied cuts do not count: "tidak ada PHK", "tanpa
   PHK", "bukan untuk mengganti karyawan", "khawatir pekerjaannya digantikan
   AI", "membantah isu PHK", "hoaks".  A denial of the cut's AI link is not a
   denial of the cut ("membantah PHK itu karena AI", "menepis spekulasi bahwa
   PHK ini berkaitan dengan AI", "X Pangkas 14.000 Posisi, Bantah PHK karena
   AI"): the cut counts, the denial itself is no AI link (rules._DENY_AI_LINK).
2. **The article links those cuts to AI or automation** (AI, kecerdasan
   buatan, AI generatif, otomatisasi/otomasi/automasi, chatbot, agen AI,
   "AI-first", machine learning, LLM, robot/robotisasi, digitalisasi) as
   cause, context or stated strategy: both kinds of term in the title, or in
   the same sentence, ideally joined by a causal/strategic connective
   (karena, akibat, gara-gara, demi, seiring, di tengah, digantikan/
   menggantikan, beralih/fokus/investasi ke AI, efisiensi, dipicu, ...), and
   AI is discussed in more than one place.  Also a link, in an article whose
   subject is job cuts: a sentence saying the work is now done by AI ("kini
   ditangani chatbot", "akan diproduksi menggunakan model AI"), or that fewer
   people are needed because of AI ("tim yang lebih ramping", "tidak lagi
   membutuhkan ... staf", "jumlah karyawan ... lebih kecil"); an anaphoric
   reason ("langkah ini ... seiring otomatisasi"); or a title naming a
   concrete cut and AI together ("X PHK 1.300 Pekerja, CEO: AI ...") followed
   by AI in the lead, unless a non-AI cause (pendanaan, impor, penjualan,
   ...) is given there.  A negated AI cause ("bukan karena otomatisasi",
   "tidak ada kaitannya dengan AI") is not a link.

Single-company stories (a company cutting staff while betting on AI) and
trend/analysis pieces whose subject is AI-driven layoffs (including sceptical
"AI-washing" pieces) are flagged.  So is a real cut whose AI link the company
denies while the piece links it to AI otherwise (analysts, unions, the
company's earlier words) -- attribution ``disputed``; a cut whose only word on
AI is the company's denial is not, unless the headline itself names the cut and
the denied AI link ("TCS PHK 12 Ribu Karyawan, Bantah Karena AI"): then the
piece is framed around AI and the link is disputed.

Not flagged: layoffs with no AI link (factories, funding-starved startups,
severance rules, labour policy; a non-AI cause given with a connective,
"karena pendanaan seret", or as the headline's first clause, "Rating
Sinetron Anjlok, Stasiun TV Pangkas 250 Kru", when no sentence links the cut
to AI, the title has no AI term and AI is in at most two paragraphs); AI news without layoffs (models, chips, data
centres, investment, regulation); AI-creates-jobs or upskilling pieces where
layoffs are not the subject; surveys about fear of AI; denials of layoff
rumours, hoaxes/deepfakes and scams aimed at laid-off workers; the firing of
one named person (an executive, a protesting employee); everything else.
AI appearing only inside a proper name (OpenAI, "Scale AI", "Microsoft AI")
is not an AI link.

Boilerplate lines ("Baca juga: ...", related-article lists, "Tags:",
"ADVERTISEMENT", "Simak Video ...", "(rns/rns)" bylines) are removed before
any counting.

A very long article is read only up to its first 10,000 characters of cleaned
body text, in whole paragraphs (rules.MAX_BODY_CHARS; see crawler.classify.rules,
"Bounded work"): what comes after cannot change the verdict or the facts, and
the cost of classifying an article stops growing there.

The function is pure and deterministic.  ``reasons`` lists which signals
fired and where (e.g. "judul: PHK", "paragraf 1: PHK + AI").
``companies`` are organisations named as cutting jobs, ``jobs_cut`` the
headline number of jobs cut (None when only vague, e.g. "ribuan"), and
``percent`` the share of the workforce cut (e.g. 30.0, "sepertiga" = 33.3).
Hybrid: rules and a trained model
=================================
The rules above score every article and explain themselves (``reasons``).  A trained model
(crawler.classify.model) reads every article that passes a cheap gate -- some layoff or
replacement word AND some AI term in the cleaned text -- with two calibrated logistic
regressions over hashed word and character n-grams: the hybrid head also sees the rules' own
signals (layoff term in the title, a sentence linking cut and AI, negation, forecast/survey,
hiring, ...), the text head sees the text only (an opinion independent of the rules).  The final
``match`` is

    no veto and ((rules match and max(p, p_text) >= lo) or p >= hi or p_text >= hi_text
                 or (p + p_text) / 2 >= avg)

(model.decide_match) with the constants stored in the model file (chosen by grouped
cross-validation: lo 0.05, hi 0.9, hi_text 0.8, avg 0.7).  ``score`` is, for a match, the
strongest opinion that flagged it (p, p_text over hi_text, the mean over avg, or the rules' score
if the rules matched); otherwise the hybrid probability p
(capped by the rules' score when vetoed); the rules' score when the model did not run.

Vetoes are the rules' reliable negatives (rules.vetoes): layoffs denied, or only negated in the
title or lead with no cut anywhere ("Ini bukan PHK massal", "tidak ada pengurangan karyawan", even
beside AI terms), the cut's AI link denied with nothing else linking it to AI, one person fired, a survey/forecast with no cut that has happened (also a title set years ahead, "Bos X: AI Bisa Kurangi 20% Staf
dalam 5 Tahun", over an article naming no concrete cut), a hiring story
told against a backdrop of layoffs ("Buka 500 Lowongan ... di Tengah Gelombang PHK"), layoff/AI
terms only in boilerplate (gate closed).  Without a usable model file the rules decide
alone.  ``reasons`` then ends with "model: 0.93 (teks 0.88)" and any "veto: ...".

Package layout
==============
``rules`` (the explainable rules, their signals and vetoes; term lists in ``lexicon.toml``),
``facts`` (companies, jobs_cut, percent), ``verdict`` (the Verdict dataclass), ``model``
(features, model file, loading, prediction), ``train`` (``pantau train``, grouped
cross-validation), ``evaluate`` (figures for bench/classify_eval.py).
"""
from __future__ import annotations

from . import facts, model, rules
from .facts import parse_percent  # noqa: F401  (module attribute used by tests and tools)
from .rules import RULES_VERSION, parse_number  # noqa: F401
from .verdict import Verdict

__all__ = ["classify", "Verdict", "RULES_VERSION"]


def decide(f: dict) -> tuple[bool, float, float | None]:
    """(match, score, hybrid probability or None) for the rules' evaluation f (which must carry
    rule_match and rule_score); appends "model: ..." and veto reasons to f["reasons"]."""
    vetoes = rules.vetoes(f)
    m = model.get_model() if f["sig"]["gate"] else None
    if m is None:
        f["reasons"].extend(vetoes)
        return bool(f["rule_match"]) and not vetoes, f["rule_score"], None
    p, pt = m.probas(f)
    c = m.combine
    f["reasons"].append(f"model: {p:.2f} (teks {pt:.2f})")
    f["reasons"].extend(vetoes)
    match = model.decide_match(f["rule_match"], p, pt, c) and not vetoes
    if match:  # the strongest of the opinions that flagged it
        mean = (p + pt) / 2
        score = round(max(p, pt if pt >= c["hi_text"] else 0.0, mean if mean >= c["avg"] else 0.0,
                          f["rule_score"] if f["rule_match"] else 0.0), 3)
    else:
        score = round(min(p, f["rule_score"]) if vetoes else p, 3)
    return match, score, p


def classifier_version() -> str:
    """RULES_VERSION plus the version of the model in use ("2025.3+hybrid-1/..."), for the
    rules_version column of stored articles."""
    m = model.get_model()
    return RULES_VERSION if m is None else f"{RULES_VERSION}+{m.version}"


def classify(title: str, text: str, summary: str | None = None) -> Verdict:
    """Classify one article; see the module docstring for exactly what is flagged."""
    f = rules.evaluate(title, text, summary)
    f["rule_match"], f["rule_score"] = rules.rule_verdict(f)
    match, score, _ = decide(f)
    return Verdict(match=match, score=score, reasons=f["reasons"], **facts.extract(f))
