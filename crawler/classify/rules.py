"""The explainable rules of the "PHK karena AI" classifier (see the package docstring for what
is flagged).

``evaluate(title, text, summary)`` scores an article on two axes -- layoffs as the main subject
(``L``) and a link between those layoffs and AI (``A``) -- minus negative signals (``N``:
single-person firing, protests, job creation, surveys, hoaxes, denials of the layoffs; a denial of
the cut's AI link is masked out of its sentence and leaves the cut standing), and lists in
``reasons`` which signals fired and where ("judul: PHK", "paragraf 1: PHK + AI").
``rule_verdict(f)`` turns that into the rules' own score and match.  ``signals(f)`` exposes the
same evidence as named numbers for the trained model (crawler.classify.model).

The plain term lists (layoff and AI stems, connectives, negators, ...) live in lexicon.toml
beside this file and are loaded once at import; the regular expressions below encode the
grammar around them.

Speed: most regex searches are skipped when a literal stem that every match
must contain is absent (see "Cheap pre-filters"; which stems a sentence
contains is looked up word by word in a bounded cache), and per-sentence
facts are computed once and shared by the scoring, number, company and
evidence passes.  These shortcuts never change a result.

Bounded work (the one rule that can): a very long article is read only up to
``MAX_BODY_CHARS`` (10,000) characters of cleaned body text, in whole
paragraphs (the paragraph that crosses the limit is read whole).  Only that
part is split into sentences and analysed, by the rules and by crawler.classify.facts
(companies, jobs_cut, percent, country, evidence); AI-company names ("Scale AI")
are collected from it too.  Beyond it paragraphs are only counted, up to the 30
that the ``n_paras`` signal counts, and nothing else is read.  So the cost of
an article grows with its length up to the limit and stays flat after it.  A
news article states its subject, the cut and its link to AI long before that:
99% of a real Indonesian news stream is under 8 KB, and on the longer ones
(22 real articles of 9-30 KB) the verdicts and facts are the same as with the
whole text read.  The model reads a bounded prefix of its own (crawler.classify.model).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache, reduce
from itertools import repeat
from operator import or_

from .lexicon import LEX

RULES_VERSION = "2025.10"
# Bounded work (see the module docstring): the body is read sentence by sentence (by the rules and
# by facts) only up to this many characters of cleaned text -- whole paragraphs, the one that
# crosses the limit included.
MAX_BODY_CHARS = 10_000
_N_PARAS_MAX = 30  # the n_paras signal counts paragraphs up to this many

# ---------------------------------------------------------------------------
# Boilerplate
# ---------------------------------------------------------------------------
_I = re.IGNORECASE
_BOILER_LINE = re.compile(
    r"^\s*(?:[-•*|]\s*)?(?:baca\s+(?:juga|pula|selengkapnya)|lihat\s+juga|simak\s+(?:juga|video|berita)|"
    r"tonton\s+juga|tags?\s*:|topik\s*:|advertisement|scroll\s+to\s+continue|"
    r"read\s+entire\s+article|editor\s*:|penulis\s*:|reporter\s*:|sumber\s*:|"
    r"foto\s*:|video\s*:|ikuti\s+(?:kami|berita)|dapatkan\s+update|follow\s+us|"
    r"copyright|hak\s+cipta|©)", _I)
_INLINE_BOILER = re.compile(
    r"(?:baca\s+(?:juga|pula)|lihat\s+juga|simak\s+(?:juga|video))\s*:?.*$", _I)
_RELATED_HEADER = re.compile(
    r"^\s*(?:artikel|berita)\s+(?:terkait|lainnya|terpopuler|pilihan)|^\s*(?:terpopuler|rekomendasi|"
    r"populer|trending|baca\s+juga)\s*:?\s*$", _I)
_BYLINE = re.compile(r"\(\s*[a-z]{2,5}\s*/\s*[a-z]{2,5}\s*\)\s*$", _I)

# ---------------------------------------------------------------------------
# Cheap pre-filters
# ---------------------------------------------------------------------------
# Most regex searches below cannot succeed unless some literal stem occurs in the text, and
# checking for stems is much cheaper than a regex scan.  A pre-filter must never reject a text its
# regex would match, so each stem tuple lists, for every alternative of its regex, a literal that
# alternative must contain.  For case-insensitive (re.I) regexes the stems are looked up in
# _fold(s): s.lower() is not quite enough, as re.I also lets "ı" (dotless i) match "i", "ſ" (long s)
# match "s", and "İ".lower() is two characters.

# layoff / AI / non-AI-cause words (stems survive meN-/peN- nasal assimilation: memangkas,
# memotong, mengurangi, memecat); looked up in s.lower()
_LAY_GATE = LEX["layoff_stems"]
_AI_WORDS = LEX["ai_stems"]
_AI_PHRASES = LEX["ai_phrases"]
_AI_GATE = _AI_WORDS + _AI_PHRASES
_NONAI_GATE = LEX["non_ai_connective_stems"]
# pre-filters for single regexes (see the regex for the alternatives)
_LAY_VERB_STEMS = ("ngurang", "angkas", "otong", "ramping", "hapus", "kurangi", "ulangkan", "hentikan")
_AI_LOW_WORDS = ("robot", "otomatisasi", "otomatiskan", "generatif", "generative", "chatgpt", "chatbot",
                 "chat-bot", "voicebot", "digitalisasi", "algoritma", "automasi", "automation")  # _AI_LOW words needing no regex
_AI_LOW_PHRASES = ("kecerdasan buatan", "kecerdasan artifisial", "artificial intelligence", "akal imitasi")  # ditto
_AI_LOW_STEMS = ("kecerdasan", "imitasi", "robot", "otoma", "chatgpt", "genai", "chatbot", "revolusi", "generati",
                 "artificial", "machine", "digitalisasi", "llm", "algoritma", "pembelajaran", "artifisial",
                 "automa", "chat-bot", "large", "gen-ai", "voicebot")
_ANAPHOR_STEMS = ("phk", "efisiensi", "langkah", "keputusan", "pemecatan", "pengurangan", "pemangkasan",
                  "kebijakan", "pemutusan", "restrukturisasi")
_REPLACE_STEMS = ("ganti", "ambil")
_REPLACE_NUM_STEMS = ("ganti", "ambil", "digitalisasi")
_ANAPHOR_DET_STEMS = ("ini", "itu", "tersebut", "terbaru", "keputusan")
_LAY_CORE_WORDS = ("phk", "layoff", "lay-off", "pemberhentian")  # _LAY_CORE words needing no regex
_NONAI_NOUN_STEMS = LEX["non_ai_cause_stems"]
# "<what went wrong>, <the cut>" headlines: a cause clause before the first comma/colon/semicolon
# ("Rating Sinetron Anjlok, ..."), unless that clause is the cut itself or an idiom ("turun tangan")
_HEADLINE_CAUSE = re.compile(
    r"^(?P<clause>[^,:;]{0,70}?\b(?:" + "|".join(sorted((re.escape(w).replace(r"\ ", r"\s+")
                                                         for w in LEX["non_ai_headline_cause_words"]),
                                                        key=len, reverse=True))
    + r")\b(?!\s+tangan)[^,:;]{0,40})[,:;]\s*\S", re.I)
_HEADLINE_CAUSE_NOT = re.compile(
    r"\b(?:phk|pecat|dipecat|memecat|pangkas|memangkas|rumahkan|merumahkan|berhentikan|memberhentikan|"
    r"kurangi|mengurangi|karyawan|pegawai|pekerja|buruh|staf)\b", re.I)
_AFFECTED_STEMS = ("terdampak", "terkena", "hilang")
_AGGREGATE_STEMS = ("sektor", "industri", "keseluruhan", "layoffs", "challenger")
_AI_FIRM_STEMS = ("perusahaan", "startup", "pengembang", "raksasa", "lab", "firma", "unicorn", "pembuat")
_VAGUE_NUM_STEMS = ("ribu", "juta", "ratus", "setengah", "puluh", "belas")  # see _has_number
_NEG_INDIVIDUAL_STEMS = ("ecat", "berhentikan", "copot", "depak", "lengser")
_NEG_INDIVIDUAL_COUNT = ("seorang", "dua", "tiga", "empat")
_NEG_INDIVIDUAL_NOUNS = ("karyawan", "pegawai", "insinyur", "teknisi", "staf")
_NEG_PROTEST_STEMS = ("protes", "demonstran", "unjuk", "pro-palestina", "ancam")
_NEG_CREATE_STEMS = LEX["job_creation_stems"]
_NEG_SURVEY_STEMS = LEX["survey_stems"]
# Causal / strategic connectives, matched in the lower-cased sentence with whitespace runs squashed
# to one space (see _squash): plain words and phrases (a term containing a listed term, e.g.
# tergantikan, menginvestasikan, disebabkan, mengadopsi, diambil alih, is implied by it), plus
# _CAUSE_RE for the terms that need word boundaries.
_CAUSE_WORDS = LEX["cause_words"]
_CAUSE_PHRASES = LEX["cause_phrases"]
_CAUSE_DONE_BY = ("dibuat", "dikerjakan", "ditulis", "dihasilkan", "ditangani", "diproduksi", "digarap",
                  "dilakukan", "diproses", "diserahkan", "dilayani", "diambil")
_CAUSE_RE_STEMS = ("demi", "ganti", "picu") + _CAUSE_DONE_BY
_CAUSE_WEAK_WORDS = LEX["weak_cause_words"]
_CAUSE_WEAK_RE_STEMS = ("usai", "era")
# negation / denial / fear (see _NEG_LAY, _DENIAL, _NEG_AI), work-done-by-AI (_SUBST), fewer people
# needed (_HEADCOUNT), fakes (_NEG_FAKE)
_NEG_STEMS = LEX["negator_stems"]
_DENIAL_STEMS = LEX["denial_stems"]
_NEG_ALL_STEMS = _NEG_STEMS + _DENIAL_STEMS + ("kait", "hubung")
_FEAR_WORDS = LEX["fear_words"]
_FAKE_STEMS = LEX["fake_stems"]
_SUBST_STEMS = ("dibuat", "dikerjakan", "ditulis", "dihasilkan", "ditangani", "diproduksi", "digarap", "diproses",
                "diserahkan", "dilayani", "diambil", "dilakukan", "diganti")
_HEADCOUNT_STEMS = ("ramping", "kecil", "butuh", "sedikit", "berkurang", "menyusut", "menurun", "turun")


def _any_in(text: str, stems: tuple[str, ...]) -> bool:
    for t in stems:
        if t in text:
            return True
    return False


_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})


def _fold(s: str, low: str) -> str:
    """s lower-cased so that every letter re.I would match to an ASCII letter becomes that letter
    (low must be s.lower(); it is returned as is in the usual case)."""
    if low.isascii() or not ("\u0130" in s or "\u0131" in s or "\u017f" in s):
        return low
    return s.translate(_FOLD).lower()


# Sentences are checked against most of the word groups above.  None of those stems contains
# whitespace, so a text contains one iff one of its whitespace-separated words does; _flags
# answers all groups at once as a bit mask, OR-ing per-word masks that are cached (news text
# reuses a modest vocabulary), i.e. one split and a dict lookup per word instead of ~150
# substring scans per sentence.
(_F_LAY, _F_LAY_CORE, _F_AI, _F_AI_PHRASE, _F_AI_LOW, _F_AI_LOW_WORD, _F_NONAI, _F_CAUSE, _F_CAUSE_RE,
 _F_WEAK, _F_WEAK_RE, _F_LAY_VERB, _F_ANAPHOR, _F_ANAPHOR_DET, _F_AFFECTED, _F_AGGREGATE, _F_AI_FIRM,
 _F_VAGUE, _F_NONAI_NOUN, _F_REPLACE, _F_REPLACE_NUM, _F_DIGIT, _F_NEG, _F_SUBST, _F_HEADCOUNT, _F_FAKE,
 _F_FEAR) = (1 << i for i in range(27))
_FLAG_GROUPS = (
    (_F_LAY, _LAY_GATE), (_F_LAY_CORE, _LAY_CORE_WORDS), (_F_AI, _AI_WORDS),
    (_F_AI_PHRASE, tuple(p.split()[0] for p in _AI_PHRASES)), (_F_AI_LOW, _AI_LOW_STEMS),
    (_F_AI_LOW_WORD, _AI_LOW_WORDS), (_F_NONAI, _NONAI_GATE), (_F_CAUSE, _CAUSE_WORDS),
    (_F_CAUSE_RE, _CAUSE_RE_STEMS), (_F_WEAK, _CAUSE_WEAK_WORDS), (_F_WEAK_RE, _CAUSE_WEAK_RE_STEMS),
    (_F_LAY_VERB, _LAY_VERB_STEMS), (_F_ANAPHOR, _ANAPHOR_STEMS), (_F_ANAPHOR_DET, _ANAPHOR_DET_STEMS),
    (_F_AFFECTED, _AFFECTED_STEMS), (_F_AGGREGATE, _AGGREGATE_STEMS), (_F_AI_FIRM, _AI_FIRM_STEMS),
    (_F_VAGUE, _VAGUE_NUM_STEMS), (_F_NONAI_NOUN, _NONAI_NOUN_STEMS), (_F_REPLACE, _REPLACE_STEMS),
    (_F_REPLACE_NUM, _REPLACE_NUM_STEMS), (_F_DIGIT, tuple("0123456789")), (_F_NEG, _NEG_ALL_STEMS),
    (_F_SUBST, _SUBST_STEMS), (_F_HEADCOUNT, _HEADCOUNT_STEMS), (_F_FAKE, _FAKE_STEMS), (_F_FEAR, _FEAR_WORDS),
)
assert not any(c.isspace() for _, stems in _FLAG_GROUPS for t in stems for c in t)
_WORD_FLAGS: dict[str, int] = {}
_UNKNOWN = repeat(-1)
_WORD_FLAGS_MAX = 200_000  # bounds memory (~20 MB); words beyond it are just not cached




def _stem_index() -> tuple[dict[str, int], re.Pattern]:
    """For a word not yet cached: every stem with the bits of the groups it belongs to -- and of
    the stems inside it, which occur wherever it does -- and a pattern that finds, at each position
    of a word, the longest stem starting there (a shorter one starting there is inside it)."""
    bits: dict[str, int] = {}
    for bit, stems in _FLAG_GROUPS:
        for t in stems:
            bits[t] = bits.get(t, 0) | bit
    implied = {s: reduce(or_, (b for t, b in bits.items() if t in s)) for s in bits}
    longest_first = sorted(bits, key=len, reverse=True)
    return implied, re.compile("(?=(" + "|".join(map(re.escape, longest_first)) + "))")


_STEM_BITS, _STEMS_AT = _stem_index()


def _word_flags(w: str) -> int:
    f = 0
    for m in _STEMS_AT.finditer(w):
        f |= _STEM_BITS[m.group(1)]
    if len(_WORD_FLAGS) < _WORD_FLAGS_MAX:
        _WORD_FLAGS[w] = f
    return f


def _flags(low: str) -> int:
    """Bit mask of the _FLAG_GROUPS with a stem in low (a lower-cased or folded text)."""
    words = low.split()
    f = reduce(or_, map(_WORD_FLAGS.get, words, _UNKNOWN), 0)  # -1 if a word is not cached yet
    if f < 0:
        f = 0
        for w in words:
            b = _WORD_FLAGS.get(w)
            f |= _word_flags(w) if b is None else b
    return f


def _has_ai_low(low: str, flags: int) -> bool:
    """_AI_LOW.search(low) is not None (flags = _flags(low))."""
    return bool(flags & _F_AI_LOW_WORD) or _any_in(low, _AI_LOW_PHRASES) or _AI_LOW.search(low) is not None


def _has_ai_word(low: str, flags: int) -> bool:
    """_AI_GATE stem in low (flags = _flags(low))."""
    return bool(flags & _F_AI) or bool(flags & _F_AI_PHRASE) and _any_in(low, _AI_PHRASES)


_DIGIT = re.compile(r"\d")

# ---------------------------------------------------------------------------
# Term lexicons
# ---------------------------------------------------------------------------
_WORKER = (r"(?:karyawan|pekerja|pegawai|staf|staff|buruh|tenaga\s+kerja|posisi|pekerjaan|peran|"
           r"personel|jabatan|orang|jiwa|kru|tenaga\s+manusia|sdm|jurnalis|wartawan|editor|insinyur|teknisi|"
           r"programmer|pengembang|operator|agen|kontraktor|seniman|ilustrator|penerjemah|penulis|kasir|"
           r"pengemudi|awak|manajer|analis|desainer|pns|asn|aparatur|honorer|teller)(?:-\w+)?(?:nya)?")
_WORKER_RE = re.compile(r"\b" + _WORKER + r"\b", _I)

_LAY_CORE = re.compile(  # applied to lower-cased text; literal-first alternation keeps it fast
    r"phk|pemutusan\s+hubungan|lay-?off|laid\s+off|rumahkan\b|hentikan\s+kontrak|memutus\s+kontrak|pensiun\s+dini|"
    r"berhentikan\b|pemberhentian|efisiensi\s+(?:karyawan|pegawai|tenaga\s+kerja|sdm)\b|"
    r"(?:pekerjaan|posisi|peran)\s+(?:yang\s+)?(?:hilang|dihapus|dipangkas)\b|"
    r"(?:pemangkasan|pengurangan\s+tenaga\s+kerja|pemecatan)\s+(?:besar-besaran\s+|massal\s+)?(?:ini|tersebut)\b|"
    r"(?:pemangkasan|pemecatan)\s+(?:besar-besaran|massal)\b|"
    r"(?:program|skema|paket|tawaran)\s+(?:pensiun\s+dini\s+(?:dan|serta)\s+)?"
    r"(?:pengunduran\s+diri|mundur|pemisahan|resign|pensiun)\s+(?:secara\s+)?sukarela\b|"
    r"voluntary\s+(?:separation|redundancy|resignation|exit)")
# memutuskan hubungan kerja; contracts ended or not renewed -- not business contracts ("kontrak kerja sama", "kontrak pengadaan");
# only tried on text containing "kontrak" or "hubungan"
_NOT_BIZ = r"(?!\s+(?:kerja\s*sama|kerjasama|pengadaan|proyek|tender|sponsor|vendor|bisnis|dengan))"
_LAY_CONTRACT = re.compile(
    r"(?:memutuskan|diputus(?:kan)?)\s+hubungan\s+kerja"
    r"|(?:putus|diputus|pemutusan|memutuskan)\s+kontrak" + _NOT_BIZ +
    r"|kontrak" + _NOT_BIZ + r"(?:nya)?\s+(?:\S+\s+){0,5}?(?:(?:tidak|tak)\s+(?:akan\s+)?diperpanjang|diputus|"
    r"dihentikan|diakhiri)\b"
    r"|(?:tidak|tak)\s+(?:akan\s+)?(?:lagi\s+)?(?:mem)?perpanjang(?:kan)?\s+(?:\S+\s+){0,4}?kontrak" + _NOT_BIZ +
    r"|(?:tidak|tak)\s+(?:akan\s+)?(?:lagi\s+)?diperpanjang\s+kontrak(?:nya|\s+kerjanya)\b")  # "agen ... tidak diperpanjang kontraknya"
_LAY_VERB = re.compile(
    r"\b(?:memangkas|pangkas|dipangkas|terpangkas|pemangkasan|potong|memotong|pemotongan|"
    r"mengurangi|kurangi|pengurangan|dikurangi|merampingkan|rampingkan|dirampingkan|perampingan|menghapus|hapus|"
    r"dihapus|penghapusan|pulangkan|memulangkan|menghentikan|hentikan|dihentikan)\b", _I)
_WORKER_AFTER = re.compile(r"\s+(?:\S+\s+){0,5}?" + _WORKER + r"\b", _I)
# cuts named indirectly (tried only where their stem is, see _is_layoff): staff no longer employed
# ("tidak lagi mempekerjakan 150 tenaga honorer", "500 Kasir Tak Lagi Dipekerjakan"), the staff
# affected by a closure ("Tutup 42 Kantor Cabang, 600 Pegawai Terdampak", "penutupan itu berdampak
# pada sekitar 600 pegawai"), a division slimmed or disbanded ("Rampingkan Divisi Klaim"), staff let
# go ("Lepas 230 Staf", 2025.9)
_NO_LONGER_EMPLOYED = re.compile(r"\b(?:tidak|tak)\s+(?:akan\s+)?lagi\s+(?:mem|di)?pekerjakan\b", _I)
_CLOSURE = re.compile(r"\b(?:tutup|menutup|ditutup|penutupan)\b", _I)
_CLOSURE_AFFECTED = re.compile(
    r"\d[\d.,]*\s*(?:ribu\s+|rb\s+)?(?:\S+\s+){0,1}?" + _WORKER + r"\s+(?:yang\s+)?(?:ikut\s+)?terdampak\b"
    r"|\b(?:berdampak|berimbas)\s+(?:pada|terhadap|kepada)\s+(?:sekitar\s+|lebih\s+dari\s+|hampir\s+|total\s+)?"
    r"\d[\d.,]*\s*(?:ribu\s+|rb\s+)?(?:\S+\s+){0,1}?" + _WORKER + r"\b", _I)
_LET_GO = re.compile(  # "Lepas 230 Staf", "melepas sekitar 500 karyawan" (not "pekerja migran", "orang calon jemaah")
    r"\b(?:me|di)?lepas(?:kan)?\s+(?:sekitar\s+|sebanyak\s+|hingga\s+|lebih\s+dari\s+|hampir\s+)?"
    r"(?:\d[\d.,]*\s*(?:ribu\s+|rb\s+|juta\s+)?|ratusan\s+|ribuan\s+|puluhan\s+(?:ribu\s+)?)"
    r"(?:karyawan|pekerja|pegawai|staf|staff|buruh|tenaga\s+kerja|awak|kru|personel|agen|kasir|teller|honorer|"
    r"wartawan|jurnalis)(?:nya)?\b(?!\s+(?:migran|magang))", _I)
_DISBAND_UNIT = re.compile(
    r"\b(?:merampingkan|rampingkan|dirampingkan|perampingan|membubarkan|bubarkan|dibubarkan|pembubaran)\s+"
    r"(?:\S+\s+){0,2}?(?:divisi|tim|departemen|unit\s+kerja|bagian)\b", _I)



def _is_layoff(r: "_Text") -> bool:
    """Strong layoff term in r.text; the verb + worker-noun part is checked in two cheap steps."""
    if r.lay_word and (r.flags & _F_LAY_CORE or _LAY_CORE.search(r.low)):
        return True  # (every _LAY_CORE match contains a _LAY_GATE stem)
    if ("kontrak" in r.low or "hubungan" in r.low) and _LAY_CONTRACT.search(r.low):
        return True
    low = r.low
    if "pekerjakan" in low and _NO_LONGER_EMPLOYED.search(low) and _WORKER_RE.search(low):
        return True
    if "dampak" in low and _CLOSURE.search(low) and _CLOSURE_AFFECTED.search(low):
        return True
    if ("ramping" in low or "bubar" in low) and _DISBAND_UNIT.search(low):
        return True
    if "lepas" in low and _LET_GO.search(low):
        return True
    if not r.fflags & _F_LAY_VERB:
        return False
    s = r.text
    for v in _LAY_VERB.finditer(s):
        if _WORKER_AFTER.match(s, v.end()):
            return True
    return False


# firing verbs: only count as a *mass* layoff with a quantity nearby
_FIRE = re.compile(r"\b(?:pecat|memecat|dipecat|pemecatan|terpecat)(?:nya)?\b", _I)
_MASS = re.compile(
    r"(?:\bmassal\b|\bbesar-besaran\b|\bribuan\b|\bratusan\b|\bpuluhan\s+ribu\b|"
    r"\b\d{1,3}(?:\.\d{3})+\b|\b\d+(?:,\d+)?\s*(?:ribu|juta|rb)\b|\b\d+\s*(?:%|persen)|\b[1-9]\d{2,}\b)", _I)
_LOSE_JOB = re.compile(
    r"\bkehilangan\s+(?:\S+\s+){0,2}?(?:pekerjaan|pekerjaannya|mata\s+pencaharian|sumber\s+nafkah)\b", _I)

_AI_UPPER = re.compile(r"\bA\.?I\b(?!\s*[-–]?\s*(?:Research|Officer))")
_AI_LOW = re.compile(
    r"kecerdasan\s+(?:buatan|artifisial)|akal\s+imitasi|artificial\s+intelligence|artifisial\s+inteligen|gen-?ai\b|"
    r"generatif|generative|otomatisasi|otomatiskan|otomatisasikan|otomasi\b|automasi|automation|"
    r"chat-?bot|voicebot|chatgpt|machine\s+learning|pembelajaran\s+mesin|llm\b|large\s+language\s+model|robot|"
    r"digitalisasi|revolusi\s+industri\s+4\.0|algoritma|"
    r"(?:sistem|mesin|serba|gudang|kasir|proses|lini|kini|sekarang|menjadi)\s+(?:otomatis|robotik)\b")

# causal connectives: see _CAUSE_WORDS
_CAUSE_RE = re.compile(
    r" demi\b|\bganti\b|\bpicu\b|"
    r"(?:dibuat|dikerjakan|ditulis|dihasilkan|ditangani|diproduksi|digarap|diproses|diserahkan|dilayani|"
    r"diambil alih) (?:oleh |ke |kepada )?(?:ai|robot|mesin|chatbot|kecerdasan buatan|akal imitasi|agen ai|sistem otomatis)\b")
# work now done by AI ("kini ditangani chatbot", "akan diproduksi menggunakan model AI"): a sentence that
# says the work of the people cut is taken over by AI/automation
_SUBST = re.compile(  # the definition; _has_subst finds the same matches faster
    r"\b(?:kini|sekarang|sepenuhnya|akan|mulai|telah|sudah)\s+(?:\S+\s+){0,2}?"
    r"(?:dibuat|dikerjakan|ditulis|dihasilkan|ditangani|diproduksi|digarap|diproses|diserahkan|dilayani|"
    r"diambil\s+alih|dilakukan|diganti(?:kan)?)\s+(?:\S+\s+){0,3}?"
    r"(?:ai|robot\w*|mesin|chatbot|kecerdasan\s+buatan|akal\s+imitasi|sistem|agen|asisten|model|otomatis)\b", _I)
_SUBST_VERB_AT = re.compile(  # _SUBST from its verb on
    r"(?:dibuat|dikerjakan|ditulis|dihasilkan|ditangani|diproduksi|digarap|diproses|diserahkan|dilayani|"
    r"diambil\s+alih|dilakukan|diganti(?:kan)?)\s+(?:\S+\s+){0,3}?"
    r"(?:ai|robot\w*|mesin|chatbot|kecerdasan\s+buatan|akal\s+imitasi|sistem|agen|asisten|model|otomatis)\b", _I)
_SUBST_BEFORE = re.compile(r"\b(?:kini|sekarang|sepenuhnya|akan|mulai|telah|sudah)\s+(?:\S+\s+){0,2}?$", _I)
_SUBST_VERBS = ("dibuat", "dikerjakan", "ditulis", "dihasilkan", "ditangani", "diproduksi", "digarap", "diproses",
                "diserahkan", "dilayani", "diambil", "dilakukan", "diganti")


def _has_subst(s: str, fold: str) -> bool:
    """_SUBST.search(s) is not None, trying the verb part only where a verb is (found in
    fold = _fold(s), aligned with s) and then the words before it."""
    for t in _SUBST_VERBS:
        i = fold.find(t)
        while i >= 0:
            if (i == 0 or not fold[i - 1].isalnum()) and _SUBST_VERB_AT.match(s, i) \
                    and _SUBST_BEFORE.search(s, max(0, i - 60), i):
                return True
            i = fold.find(t, i + 1)
    return False
# fewer people needed ("tim yang lebih ramping", "tidak lagi membutuhkan ... staf", "jumlah karyawan ... lebih
# kecil"): said next to AI in an article about job cuts, it links the cuts to AI
_HEADCOUNT = re.compile(
    r"\b(?:tim|organisasi|perusahaan)\s+(?:yang\s+)?(?:jauh\s+)?lebih\s+(?:ramping|kecil)\b"
    r"|\b(?:tidak|tak)\s+lagi\s+(?:mem)?butuh(?:kan)?\s+(?:\S+\s+){0,3}?"
    r"(?:staf|karyawan|pekerja|pegawai|tenaga|orang|manusia|agen)"
    r"|\blebih\s+sedikit\s+(?:orang|karyawan|pekerja|pegawai|staf|kepala|tenaga)"
    r"|\bjumlah\s+(?:karyawan|pegawai|pekerja|staf|tenaga\s+kerja)\s+(?:\S+\s+){0,5}?"
    r"(?:lebih\s+(?:kecil|sedikit)|berkurang|menyusut)"
    r"|\bkebutuhan\s+(?:akan\s+)?(?:tenaga\s+kerja|karyawan|pekerja|pegawai|staf|tenaga\s+manusia)\s+"
    r"(?:\S+\s+){0,2}?(?:berkurang|turun|menurun|menyusut)"
    r"|\bmengurangi\s+kebutuhan\s+(?:akan\s+)?(?:tenaga|karyawan|pekerja|pegawai|staf)", _I)
# negated, feared and denied layoffs are not layoffs: "tidak ada PHK", "bukan untuk mengganti karyawan",
# "khawatir pekerjaannya digantikan AI", "membantah isu PHK"; "bukan karena otomatisasi" is not an AI link
_NEG_LAY = re.compile(
    r"\b(?:tidak|tak|bukan|tanpa|belum|enggan|(?:mem)?bantah|menepis|tepis|ketimbang|alih-alih)\s+"
    r"(?:(?:ada|akan|berencana|berniat|melakukan|untuk|pernah|perlu|terjadi|berujung|pada|sampai|hingga|"
    r"memicu|menyebabkan|mengakibatkan|rencana|isu|kabar|rumor|adanya|soal|ingin)\s+){0,3}"
    r"(?:(?:mem|di|ter)?-?phk(?!\s+(?:pertama|yang\s+pertama|kali|satu-satunya|hanya|sekadar|semata))\S*"
    r"|pemutusan\s+hubungan\s+kerja|(?:pengurangan|pemangkasan|mengurangi|memangkas)\s+(?:\S+\s+){0,2}?"
    r"(?:karyawan|pegawai|pekerja|tenaga\s+kerja|staf|sdm)"
    r"|(?:meng)?ganti(?:kan)?\s+(?:\S+\s+){0,2}?(?:karyawan|pegawai|pekerja|manusia|mereka|staf)"
    r"|merumahkan|memecat|pecat|memberhentikan|dirumahkan|diberhentikan|dipecat)"
    r"|\b(?:khawatir|kekhawatiran|cemas|kecemasan|takut|ketakutan|was-was)(?:\s+[^\s,.;:]+){0,4}?\s+"
    r"(?:terkena\s+|akan\s+)?(?:(?:mem|di|ter)?-?phk\S*|kehilangan|digantikan|gantikan|menggantikan|diganti|"
    r"tergantikan|tergusur|dipecat|dirumahkan)", _I)
_DENIAL = re.compile(r"\b(?:membantah|bantah|dibantah|menepis|ditepis|hoaks|hoax|tidak\s+benar|keliru|"
                     r"kabar\s+bohong)\b", _I)
# a denial of the AI link, not of the cut: "membantah PHK itu karena AI", "menepis spekulasi bahwa PHK ini
# berkaitan dengan implementasi AI", "Bantah Terkait AI" -- the object is the cut's cause, never a rumour of a cut
# or its existence ("membantah isu/kabar PHK karena AI", "membantah melakukan PHK karena AI" stay denials)
_DENY_AI_LINK = re.compile(
    r"\b(?:membantah|bantah|dibantah|menepis|tepis|ditepis)\s+"
    r"(?:(?:spekulasi|anggapan|tudingan|tuduhan|dugaan|klaim|penilaian)\s+)?(?:bahwa\s+)?"
    r"(?P<obj>(?:(?!(?:isu|kabar|rumor|desas-desus|hoaks|hoax|adanya|ada|melakukan|akan|rencana|berencana|"
    r"bakal)\b)\S+\s+){0,4}?)"
    r"(?:karena|akibat|disebabkan(?:\s+oleh)?|dipicu(?:\s+oleh)?|gara-gara|imbas|terkait(?:\s+dengan)?|"
    r"(?:ber)?kaitan(?:nya)?\s+dengan|berhubungan\s+dengan|didorong\s+oleh|"
    r"(?:di|ter)gantikan(?:\s+(?:oleh|dengan))?|diganti(?:\s+(?:oleh|dengan))?)\s+(?:\S+\s+){0,2}?"
    r"(?:ai|a\.i|kecerdasan\s+(?:buatan|artifisial)|artificial\s+intelligence|otomatisasi|otomasi|automasi|"
    r"robot\w*|chatbot)\b", _I)
# ... whose object is a cut already named ("PHK itu", "pemangkasan tersebut", "langkah ini")
_DENY_AI_REF = re.compile(
    r"\b(?:phk|pemangkasan|pengurangan|pemecatan|pemutusan\s+hubungan\s+kerja|langkah|keputusan|kebijakan|"
    r"restrukturisasi|efisiensi)(?:\s+\S+)?\s+(?:ini|itu|tersebut)\b", _I)


def _mask_ai_link_denial(s: str) -> str | None:
    """s with its denial of an AI link masked out, when the sentence denies the cut's AI cause and
    not the cut: the denial's object is a cut already named ("membantah PHK itu karena AI"), or the
    sentence still names a cut without the denial ("X Pangkas 14.000 Posisi, Bantah PHK karena AI").
    None otherwise (no such denial, or a bare "membantah PHK karena AI": a denial of the layoffs)."""
    m = _DENY_AI_LINK.search(s)
    if m is None:
        return None
    rest = s[:m.start()] + " " + s[m.end():]
    if _DENY_AI_REF.search(m.group("obj")):
        return rest
    r = _Text(rest)
    return rest if r.lay_word and r.layoff else None


_AI_TERM_ = r"(?:(?:penggunaan|adopsi|penerapan)\s+)?(?:ai|kecerdasan\s+buatan|otomatisasi|otomasi|robot\w*|mesin)\b"
_NEG_AI = re.compile(
    r"(?:\bbukan\s+(?:(?:karena|akibat|disebabkan|oleh|soal|faktor|semata|hanya)\s+){0,2}"
    r"|\b(?:tidak|tak|bukan)\s+(?:ada\s+)?(?:terkait|berkaitan|kaitannya|hubungannya|berhubungan|disebabkan|"
    r"karena|akibat)\s+(?:dengan\s+|oleh\s+)?)" + _AI_TERM_ + r"(?:\s+(?:atau|dan|maupun)\s+" + _AI_TERM_ + r")*", _I)
_KORBAN_AI = re.compile(r"\b(?:jadi|menjadi)\s+korban\s+(?:\S+\s+){0,2}?"
                        r"(?:AI|kecerdasan\s+buatan|otomatisasi|robot\w*)", _I)
_NEG_FAKE = re.compile(r"\b(?:deepfake|hoaks|hoax|palsu|penipuan|penipu|modus\s+penipuan)\b", _I)

_CAUSE_WEAK_RE = re.compile(r"\busai\b| era\b")
_WS = re.compile(r"\s+")


def _squash(low: str) -> str:
    """low with every whitespace run replaced by one space (same as _WS.sub(" ", low))."""
    if low[:1].isspace() or low[-1:].isspace():
        return _WS.sub(" ", low)
    return " ".join(low.split())  # str.split() and \s agree on what whitespace is


def _cause(low: str, flags: int) -> float:
    """Causal connective in the lower-cased sentence low (flags = _flags(low)):
    True if strong, 0.5 if weak, else 0."""
    if flags & _F_CAUSE:
        return True
    n = _squash(low)  # same words as low, so same flags
    if _any_in(n, _CAUSE_PHRASES) or flags & _F_CAUSE_RE and _CAUSE_RE.search(n):
        return True
    if flags & _F_WEAK or flags & _F_WEAK_RE and _CAUSE_WEAK_RE.search(n):
        return 0.5
    return 0

_NONAI_CAUSE = re.compile(
    r"\b(?:karena|akibat|imbas|gara-gara|dampak|alasan|beralasan|setelah|usai|disebabkan|dipicu)\s+(?:\S+\s+){0,3}?"
    r"(?:pendanaan|dana|ekonomi|resesi|penjualan|permintaan|order|pesanan|kerugian|rugi|pailit|bangkrut|"
    r"harga|suku\s+bunga|pandemi|covid|tarif|utang|protes|investasi\s+dari|akuisisi|merger|"
    r"(?:banjir\s+)?impor|investor|gagal|kehabisan|modal|relokasi|persaingan|lesu|sepi)", _I)
_REASON_NOT_GIVEN = re.compile(r"\b(?:tidak|tak|belum|enggan|menolak)\s+(?:\S+\s+)?$", _I)  # "tidak merinci alasan ..."


def _nonai_cause(s: str) -> bool:
    """A non-AI cause given in s (_NONAI_CAUSE), not a reason left unsaid ("tidak merinci alasan
    klien mengurangi pesanan", "belum menjelaskan alasan penurunan penjualan")."""
    for m in _NONAI_CAUSE.finditer(s):
        if m.group(0)[:6].lower() != "alasan" or not _REASON_NOT_GIVEN.search(s, max(0, m.start() - 40), m.start()):
            return True
    return False


_AI_FIRM = re.compile(
    r"\b(?:startup|perusahaan\s+rintisan|perusahaan|raksasa|pengembang|pembuat|laboratorium|lab|firma|unicorn)"
    r"\s+(?:teknologi\s+|chip\s+|cip\s+|riset\s+|keamanan\s+)?(?:AI|kecerdasan\s+(?:buatan|artifisial))(?:\s*\(AI\))?(?![-\w]|\s*(?:generatif|untuk|yang|dalam|di\b))", _I)

_REPLACE_NUM = re.compile(
    r"\b(?:ganti|gantikan|mengganti|menggantikan|digantikan|diganti|mendigitalisasi|mengambil\s+alih|ambil\s+alih)\b"
    r"[^.\n]{0,40}?(?:\d[\d.,]*\s*(?:ribu|juta)?|ribuan|ratusan(?:\s+ribu)?|setengah\s+juta)\s+"
    r"(?:\S+\s+){0,2}?" + _WORKER +
    r"|(?:\d[\d.,]*\s*(?:ribu|juta)?|ribuan|ratusan(?:\s+ribu)?)\s+(?:\S+\s+){0,1}?" + _WORKER +
    r"\b[^.\n]{0,40}?\b(?:digantikan|diganti|tergantikan)\b", _I)
_ANAPHOR = re.compile(
    r"\b(?:langkah|keputusan|kebijakan|pemangkasan|pengurangan|restrukturisasi|phk|pemecatan|"
    r"pemutusan\s+hubungan\s+kerja|gelombang\s+phk|gelombang\s+efisiensi|efisiensi)(?:\s+\w+)?\s+(?:ini|tersebut|itu|terbaru)\b"
    r"|\bkeputusan\s+(?-i:[A-Z])\w+", _I)
_CONCRETE_WORKER = re.compile(r"\b(?:buruh|pekerja|karyawan|pegawai|staf|tenaga\s+kerja|tenaga\s+manusia)(?:nya)?\b", _I)
_REPLACE = re.compile(
    r"\b(?:ganti|gantikan|mengganti|menggantikan|digantikan|diganti|mengambil\s+alih|diambil\s+alih)\b", _I)

# negatives
_NEG_INDIVIDUAL = re.compile(
    r"(?:\b(?:CEO|CTO|CFO|COO|CMO|CIO|CPO|co-?founder|pendiri|direktur|eksekutif|bos|presiden|ketua|chief)\b[^.\n]{0,50}?"
    r"\b(?:dipecat|pemecatan|diberhentikan|dicopot|didepak|dilengserkan)\b"
    r"|\b(?:dipecat|memecat|pecat|pemecatan|mencopot|pencopotan|memberhentikan|pemberhentian)\s+(?:sang\s+)?"
    r"(?:CEO|CTO|CFO|COO|CMO|CIO|CPO|chief|co-?founder|pendiri|direktur|bos)\b"
    r"|\b(?:seorang|dua|tiga|empat)\s+(?:karyawan|pegawai|insinyur|teknisi|staf)\b)", _I)
_NEG_PROTEST = re.compile(r"\b(?:protes|memprotes|demonstran|unjuk\s+rasa|pro-palestina|ancam\s+(?:resign|mundur|berhenti))\b", _I)
_NEG_CREATE = re.compile(
    r"(?:menciptakan|ciptakan|penciptaan|serap|menyerap|membuka)\s+(?:\S+\s+){0,4}?(?:lapangan\s+kerja|lowongan|pekerjaan\s+baru)"
    r"|lapangan\s+kerja\s+baru|talenta\s+digital|beasiswa|pelatihan\s+(?:\S+\s+){0,2}?talenta", _I)
_NEG_SURVEY = re.compile(r"\b(?:survei|survey|responden|jajak\s+pendapat)\b", _I)

_SENT_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[\"“A-Z0-9])")
_SENT_BREAK = re.compile(r"[.!?]\s")  # a _SENT_SPLIT match needs this; much cheaper to look for
_LIST_LINE_END = re.compile(r"[.!?\"”]\s*$")

# ---------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------
_WORDNUM = {
    "satu": 1, "se": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7,
    "delapan": 8, "sembilan": 9, "sepuluh": 10, "sebelas": 11, "seratus": 100, "seribu": 1000,
}
_NUM_TOKEN = (r"(?:\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?|\d+(?:\.\d+)?)")
_NUM_EXPR = re.compile(
    r"(?<![\w.,])(" + _NUM_TOKEN + r"|satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|"
    r"seratus|seribu|setengah|ribuan|ratusan|puluhan|belasan)"
    r"(?:\s*(ribu|rb|juta|jt|miliar)\b)?", _I)


def parse_number(s: str) -> int | None:
    """Parse an Indonesian number phrase: '14.000' -> 14000, '1,5 juta' -> 1500000,
    '11 ribu' -> 11000, 'setengah juta' -> 500000, vague 'ribuan' -> None."""
    s = s.strip().lower()
    m = _NUM_EXPR.match(s)
    if not m:
        return None
    return _num_from_match(m.group(1), m.group(2))


def _num_from_match(base: str, mult: str | None) -> int | None:
    b = base.lower()
    if b in ("ribuan", "ratusan", "puluhan", "belasan"):
        return None
    if b == "setengah":
        val = 0.5
    elif b in _WORDNUM:
        val = float(_WORDNUM[b])
    else:
        if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", b):
            val = float(b.replace(".", "").replace(",", "."))
        elif "," in b:
            val = float(b.replace(",", "."))
        elif re.fullmatch(r"\d+\.\d{1,2}", b) and mult:
            val = float(b)  # "1.5 juta"
        else:
            try:
                val = float(b.replace(".", ""))
            except ValueError:
                return None
    if mult:
        mm = mult.lower()
        if mm in ("ribu", "rb"):
            val *= 1_000
        elif mm in ("juta", "jt"):
            val *= 1_000_000
        elif mm == "miliar":
            val *= 1_000_000_000
    elif b == "setengah":
        return None
    return int(round(val))


_JOB_NUM = re.compile(
    r"(?<![\w.,])(" + _NUM_TOKEN + r"|setengah|ribuan|ratusan|puluhan|sepuluh|seratus|seribu|"
    r"satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan)(?:\s*(ribu|rb|juta))?"
    r"\s+(?:(?:orang|lebih|an)\s+)?(?:\S+\s+)?" + _WORKER + r"\b", _I)

@dataclass(slots=True)
class _Sent:
    para: int
    text: str
    lay: bool
    lay_weak: bool
    ai: bool
    cause: float
    repl_num: bool
    repl: bool
    anaphor: bool = False
    headcount: bool = False  # "fewer people needed" next to AI (see _HEADCOUNT)
    subst: bool = False  # "the work is now done by AI" (see _SUBST)
    deny: bool = False  # a layoff term in a denial ("membantah", "hoaks", "tidak benar")
    nonai: bool = False  # a non-AI cause ("karena pendanaan", "akibat banjir impor")
    negated: bool = False  # a negator/denial was masked out of the sentence (signal for the model only)
    neg_lay: bool = False  # a layoff term negated or denied ("bukan PHK massal", "tidak ada pengurangan karyawan")
    deny_ai: bool = False  # the cut's AI link denied, not the cut ("membantah PHK itu karena AI"; _DENY_AI_LINK)


class _Text:
    """A sentence (or title/paragraph) with the facts about it that _analyse_sentence, _numbers
    and _companies need, each computed at most once.
    ``gated``: its paragraph has a layoff/replacement word (only then can it give numbers);
    ``low``: text.lower(); ``flags``: _flags(low); ``lay_word``: a _LAY_GATE stem occurs.
    ``fold``, ``fflags`` (_flags(fold)) and ``layoff`` (_is_layoff) are filled in on first use;
    ``sent``: _evaluate's analysis of it (_analyse_sentence of its text with the AI names
    stripped), kept so that facts._evidence does not analyse the sentence again (None: not analysed)."""
    __slots__ = ("text", "gated", "low", "flags", "lay_word", "_fold", "_fflags", "_layoff", "sent")

    def __init__(self, text: str, gated: bool = True, low: str | None = None, flags: int | None = None):
        self.text = text
        self.gated = gated
        self.low = text.lower() if low is None else low
        self.flags = _flags(self.low) if flags is None else flags
        self.lay_word = bool(self.flags & _F_LAY)
        self._fold = self._fflags = self._layoff = self.sent = None

    @property
    def fold(self) -> str:
        if self._fold is None:
            self._fold = _fold(self.text, self.low)
        return self._fold

    @property
    def fflags(self) -> int:
        if self._fflags is None:
            fold = self.fold
            self._fflags = self.flags if fold is self.low else _flags(fold)
        return self._fflags

    @property
    def layoff(self) -> bool:
        if self._layoff is None:
            self._layoff = _is_layoff(self)
        return self._layoff


def _clean(text: str, title_low: str = "", limit: int | None = None) -> list[str]:
    """The paragraphs of text without boilerplate and without lines that just repeat the title
    (title_low: the title lower-cased; page headers).  With a limit (see MAX_BODY_CHARS), cleaning
    stops once the paragraphs kept total at least limit characters and number at least
    _N_PARAS_MAX (all that the n_paras signal counts)."""
    paras: list[str] = []
    in_related = False
    read = 0
    n_title = len(title_low)
    for raw in (text or "").split("\n"):
        if limit is not None and read >= limit and len(paras) >= _N_PARAS_MAX:
            break
        line = raw.strip()
        if not line:
            continue
        # (every _RELATED_HEADER alternative starts with one of these letters)
        if line[0] in "aAbBpPrRtT" and _RELATED_HEADER.match(line):
            in_related = True
            continue
        if in_related:
            # related-article lists: short lines without sentence punctuation
            if len(line) < 140 and not _LIST_LINE_END.search(line):
                continue
            in_related = False
        if _BOILER_LINE.match(line):
            continue
        low = line.lower()
        if "baca" in low or "lihat juga" in low or "simak" in low:
            line = _INLINE_BOILER.sub("", line)
        if ")" in line:
            line = _BYLINE.sub("", line)
        line = line.strip()
        if len(line) < 3:
            continue
        if n_title and len(line) <= n_title and line.lower() == title_low:
            continue  # (lower() never shortens a text)
        paras.append(line)
        read += len(line)
    return paras


# "Name AI" (Scale AI, Microsoft AI): the definition; _name_ai_words finds the same matches faster
_NAME_AI = re.compile(r"(?<![.!?]\s)(?<=\s)([A-Z][a-zA-Z]+)\s+AI\b(?!-)")
_GENERIC_BEFORE_AI = frozenset(LEX["generic_before_ai"])


_OPENAI = re.compile(r"\bOpen\s?AI\b|\bxAI\b")


_NAME_AI_BODY = re.compile(r"([A-Z][a-zA-Z]+)\s+AI\b(?!-)")  # _NAME_AI without its look-behinds


def _name_ai_words(p: str) -> list[str]:
    """group(1) of each _NAME_AI.finditer(p) match.  Same result, but much faster: a pattern that
    starts with [A-Z] lets the regex engine skip ahead, and the look-behinds are checked here."""
    words = []
    pos = 0
    while (m := _NAME_AI_BODY.search(p, pos)) is not None:
        i = m.start()
        if i >= 1 and p[i - 1].isspace() and not (i >= 2 and p[i - 2] in ".!?"):
            words.append(m.group(1))
            pos = m.end()
        else:
            pos = i + 1  # as a failed match of _NAME_AI at i
    return words


def _ai_names(paras: list[str]) -> set[str]:
    names = set()
    for p in paras:
        if "AI" not in p:
            continue
        for w in _name_ai_words(p):
            if w not in _GENERIC_BEFORE_AI:
                names.add(w + " AI")
    return names


def _sub_ai_firms(s: str, fold: str) -> str:
    """_AI_FIRM.sub("perusahaan NAME_X", s), trying the regex only where a match can start: at
    the _AI_FIRM_STEMS in fold (= _fold(s), which is aligned character by character with s)."""
    starts = []
    for t in _AI_FIRM_STEMS:
        i = fold.find(t)
        while i >= 0:
            starts.append(i)
            i = fold.find(t, i + 1)
    if not starts:
        return s
    starts.sort()
    parts = []
    end = 0  # end of the previous match
    for i in starts:
        if i >= end and (m := _AI_FIRM.match(s, i)) is not None:
            parts += (s[end:i], "perusahaan NAME_X")
            end = m.end()
    if not parts:
        return s
    parts.append(s[end:])
    return "".join(parts)


def _strip_names(s: str, names: set[str], rec: _Text | None = None) -> str:
    """Replace AI-company names (OpenAI, "startup AI", names from _ai_names) so that their "AI"
    is not counted as an AI term.  Returns s itself when there is nothing to replace.
    rec, when given, is the _Text of s."""
    if "AI" in s:
        if "Open" in s or "xAI" in s:
            s = _OPENAI.sub("OPENAI_NAME", s)
    elif "kecerdasan" not in (s.lower() if rec is None else rec.low):
        return s
    if rec is not None and s is rec.text:
        if rec.fflags & _F_AI_FIRM:
            s = _sub_ai_firms(s, rec.fold)
    else:
        s = _sub_ai_firms(s, _fold(s, s.lower()))
    for n in names:
        s = s.replace(n, "NAME_X")
    return s


def _has_number(s: str, fflags: int | None = None) -> bool:
    """A digit or a number word (ribu, ratus, puluh, juta, belas, setengah; re.I) in s
    (fflags: _flags of _fold(s), if known)."""
    if fflags is None:
        return _DIGIT.search(s) is not None or _any_in(_fold(s, s.lower()), _VAGUE_NUM_STEMS)
    if fflags & (_F_DIGIT | _F_VAGUE):
        return True
    return not s.isascii() and _DIGIT.search(s) is not None  # \d also matches non-ASCII digits


_MASSAL = re.compile(r"\b(?:massal|besar-besaran)\b", _I)


_PERCENT_SIGN = re.compile(r"(\d)\s?%")


def _is_mass(s: str) -> bool:
    if "%" in s:  # "PHK 21% Karyawan" is "PHK 21 persen karyawan"
        s = _PERCENT_SIGN.sub(r"\1 persen", s)
    fold = _fold(s, s.lower())
    if ("massal" in fold or "besar-besaran" in fold) and _MASSAL.search(s):
        return True
    if not _has_number(s):
        return False
    for m in _JOB_NUM.finditer(s):
        v = _num_from_match(m.group(1), m.group(2))
        if v is None or v >= 10:
            return True
    return False


def _sized(title: str) -> bool:
    """The title gives the cut a size: many workers or a share ("PHK 1.300 Pekerja", "Pangkas 30%")."""
    return _is_mass(title) or "%" in title or "persen" in title.lower()


def _heads(pattern: str) -> tuple[str, ...]:
    """The words the alternatives of the first "(?:a|b\\s+c|...)" group in pattern start with: every
    match of a pattern "\\b(?:...)..." starts with one of them."""
    inner = pattern[pattern.index("(?:") + 3:]
    inner = inner[:inner.index(")")]
    heads = set()
    for alt in inner.split("|"):
        m = re.match(r"[a-z]+", alt)
        if m is None or alt[m.end():m.end() + 1] in ("?", "*", "+", "{"):
            raise ValueError(f"no literal head in {alt!r}")
        heads.add(m.group())
    # (a head that starts with another head occurs only where that one does)
    return tuple(sorted(h for h in heads if not any(h != o and h.startswith(o) for o in heads)))


_REPLACE_HEADS = _heads(_REPLACE.pattern)
_WORKER_HEADS = _heads(_WORKER_RE.pattern)
_CONCRETE_HEADS = _heads(_CONCRETE_WORKER.pattern)


def _search_at(pat: re.Pattern, s: str, fold: str, heads: tuple[str, ...]) -> bool:
    """pat.search(s) is not None, pat tried only where one of heads occurs in fold (= _fold(s),
    aligned character by character with s): every match of pat starts with one of them."""
    match = pat.match
    for t in heads:
        if t in fold:
            i = fold.find(t)
            while i >= 0:
                if match(s, i):
                    return True
                i = fold.find(t, i + 1)
    return False


_NEG_LAY_STARTS = ("tidak", "tak", "bukan", "tanpa", "belum", "enggan", "bantah", "membantah", "menepis", "tepis",
                   "ketimbang", "alih-alih",
                   "khawatir", "kekhawatiran", "cemas", "kecemasan", "takut", "ketakutan", "was-was")
_NEG_AI_STARTS = ("bukan", "tidak", "tak")


def _mask(s: str, fold: str, pat: re.Pattern, starts: tuple[str, ...]) -> str:
    """pat.sub(" ", s), trying pat only where a match can start: at the words in starts, found in
    fold (= _fold(s), aligned character by character with s).  Returns s itself if nothing matched."""
    spans = []
    for t in starts:
        i = fold.find(t)
        while i >= 0:
            m = pat.match(s, i)
            if m is not None:
                spans.append((i, m.end()))
            i = fold.find(t, i + 1)
    if not spans:
        return s
    spans.sort()
    parts = []
    end = 0
    for i, j in spans:
        if i >= end:
            parts += (s[end:i], " ")
            end = j
    parts.append(s[end:])
    return "".join(parts)


def _analyse_sentence(para: int, s: str, rec: _Text | None = None, deny: bool | None = None) -> _Sent:
    """Signals in one sentence; rec, when given, is the _Text of s.  Negated, feared and denied
    layoffs ("tidak ada PHK", "khawatir digantikan AI", "membantah isu PHK") and negated AI causes
    ("bukan karena otomatisasi") do not count: when a sentence with a layoff or AI-cause signal has a
    negator, they are masked out and the sentence analysed again (deny is then not None: whether the
    sentence was a denial)."""
    if rec is None:
        rec = _Text(s)
    low = rec.low
    flags = rec.flags
    lay = rec.lay_word and rec.layoff and not deny
    weak = False
    if not lay and ("ecat" in low or "kehilangan" in low):
        fm = "ecat" in low and _FIRE.search(s)
        lj = "kehilangan" in low and _LOSE_JOB.search(s)
        if (fm or lj) and _is_mass(s) and not _NEG_INDIVIDUAL.search(s):
            lay = True
        elif fm or lj:
            weak = True
    if "AI" in s or "A.I" in s:
        ai = _AI_UPPER.search(s) is not None or bool(flags & _F_AI_LOW) and _has_ai_low(low, flags)
    else:
        ai = _has_ai_word(low, flags) and _has_ai_low(low, flags)
    repl_num = repl = repl_conc = anaphor = headcount = subst = nonai = False
    cause: float = 0
    # cause, replacement and anaphora only ever count together with AI, so skip them otherwise
    if ai:
        fflags = rec.fflags
        if "ganti" in low or "alih" in low or "digitalisasi" in low:
            repl_num = (bool(fflags & _F_REPLACE_NUM) and _has_number(s, fflags)
                        and _REPLACE_NUM.search(s) is not None)
            fold = rec.fold
            repl = bool(fflags & _F_REPLACE and _search_at(_REPLACE, s, fold, _REPLACE_HEADS)
                        and _search_at(_WORKER_RE, s, fold, _WORKER_HEADS))
            repl_conc = bool(repl and _search_at(_CONCRETE_WORKER, s, fold, _CONCRETE_HEADS) and "?" not in s)
        anaphor = (bool(fflags & _F_ANAPHOR) and bool(fflags & _F_ANAPHOR_DET)
                   and _ANAPHOR.search(s) is not None)
        headcount = (bool(flags & _F_HEADCOUNT) and ("lebih" in low or "lagi" in low or "jumlah" in low
                     or "kebutuhan" in low) and _HEADCOUNT.search(s) is not None)
        subst = bool(flags & _F_SUBST) and _has_subst(s, rec.fold)
        if flags & _F_NONAI and fflags & _F_NONAI_NOUN and _nonai_cause(s):
            cause = 0
            nonai = True
        elif deny:
            cause = 0
        else:
            cause = 1 if subst else _cause(low, flags)
    elif para < 3 and flags & _F_NONAI and rec.fflags & _F_NONAI_NOUN and _nonai_cause(s):
        nonai = True  # (only the title's and the lead's are used)
    elif para == -1 and lay and _headline_cause(s):
        nonai = True  # "Rating Sinetron Anjlok, Stasiun TV Pangkas 250 Kru"
    if deny:
        repl_num = repl_conc = False
    lay = lay or repl_num or repl_conc
    if deny is None and (lay or ai and cause) and rec.flags & _F_NEG:
        deny = lay and _any_in(low, _DENIAL_STEMS) and _DENIAL.search(s) is not None
        if deny and (rest := _mask_ai_link_denial(s)) is not None:
            # the AI link denied, not the cut: the rest of the sentence is analysed as it stands
            res = _analyse_sentence(para, rest, _Text(rest, rec.gated))
            res.negated = res.deny_ai = True  # (res.neg_lay only if the rest negates a cut: the cut was not denied)
            return res
        s2 = _mask(s, rec.fold, _NEG_LAY, _NEG_LAY_STARTS) if lay else s
        if ai:
            s2 = _mask(s2, rec.fold if s2 is s else _fold(s2, s2.lower()), _NEG_AI, _NEG_AI_STARTS)
        if deny or s2 != s:
            res = _analyse_sentence(para, s2, _Text(s2, rec.gated), deny)
            res.negated = True
            res.neg_lay = lay and not res.lay
            return res
    return _Sent(para, s, lay, weak, ai, cause, repl_num, repl, anaphor, headcount, subst, bool(deny), nonai)


# AI taking over the work ("AI akan mengambil alih banyak pekerjaan administrasi", "robot menggantikan
# peran kasir"), not negated: in an article whose subject is job cuts, a link like _SUBST
_TAKEOVER = re.compile(
    r"\b(?:mengambil\s+alih|ambil\s+alih|menggantikan|gantikan|mengganti)\s+(?:\S+\s+){0,3}?"
    r"(?:pekerjaan|tugas|peran|posisi|fungsi|karyawan|pekerja|pegawai|staf)", _I)


def _headline_cause(title: str) -> bool:
    """A headline of the shape "<what went wrong>, <the cut>": the clause before its first comma,
    colon or semicolon says what went wrong (lexicon ``non_ai_headline_cause_words``) and names no
    cut itself."""
    m = _HEADLINE_CAUSE.search(title)
    return m is not None and _HEADLINE_CAUSE_NOT.search(m["clause"]) is None


def _is_takeover(s: str) -> bool:
    low = s.lower()
    return _TAKEOVER.search(s) is not None and not _any_in(low, _NEG_STEMS) and "?" not in s


# _SENT_SPLIT's matches are the whitespace runs (group 1) of this pattern's: it starts with the
# punctuation instead of a look-behind, so the regex engine can skip ahead to it
_SENT_END = re.compile(r"[.!?](\s+)(?=[\"“A-Z0-9])")


def _split_sents(p: str) -> list[str]:
    """[x for x in _SENT_SPLIT.split(p) if x], faster."""
    if not _SENT_BREAK.search(p):
        return [p]
    out = []
    start = 0
    for m in _SENT_END.finditer(p):
        if m.start(1) > start:
            out.append(p[start:m.start(1)])
        start = m.end(1)
    if start < len(p):
        out.append(p[start:])
    return out


def _label(kind_l: bool, kind_a: bool) -> str:
    if kind_l and kind_a:
        return "PHK + AI"
    return "PHK" if kind_l else "AI"


def _evaluate(title: str, text: str, summary: str | None = None, signals: bool = False) -> dict:
    """The rules' evaluation of one article (see the module docstring).  ``sig`` holds the named
    signals for the model -- computed only when the gate is open (a layoff and an AI term), as
    only then is the model consulted, unless ``signals`` (training needs them for every row)."""
    title = (title or "").strip()
    text = text or ""
    if summary and len(text.strip()) < 200:
        text = (summary.strip() + "\n" + text).strip()
    paras = _clean(text, title.lower(), MAX_BODY_CHARS)  # (without page headers repeating the title)
    names = _ai_names(paras)
    t_clean = _strip_names(title, names)
    paras_c = [_strip_names(p, names) for p in paras[:2]]  # only the lead is used (negatives)

    reasons: list[str] = []
    t_rec = _Text(title)
    tS = _analyse_sentence(-1, t_clean, t_rec if t_clean is title else None)
    if t_clean is title:
        t_rec.sent = tS
    t_question = "?" in t_clean
    sents: list[_Sent] = []
    raw_sents: list[list[_Text]] = []
    read = 0  # characters of body read so far (see MAX_BODY_CHARS)
    for i, p in enumerate(paras):
        if read >= MAX_BODY_CHARS:
            break  # the rest of a very long article is not read sentence by sentence
        read += len(p)
        rs = _split_sents(p)
        pl = p.lower()
        if len(rs) == 1:  # the sentence is the paragraph
            recs = [_Text(p, low=pl)]
            pflags = recs[0].flags
        else:  # the paragraph's words are its sentences' words
            recs = [_Text(x) for x in rs]
            pflags = 0
            for r in recs:
                pflags |= r.flags
        lay_gate = bool(pflags & _F_LAY) or "kehilangan" in pl or "ganti" in pl or "alih" in pl
        for r in recs:
            r.gated = lay_gate
        raw_sents.append(recs)
        if not lay_gate and "AI" not in p and "A.I" not in p and not _has_ai_word(pl, pflags):
            continue  # nothing to find in this paragraph
        for r in recs:
            s = _strip_names(r.text, names, r)
            r.sent = _analyse_sentence(i, s, r if s is r.text else None)
            sents.append(r.sent)

    n_par = max(len(paras), 1)
    lead_n = min(3, n_par)
    lay_paras = sorted({s.para for s in sents if s.lay})
    ai_paras = sorted({s.para for s in sents if s.ai})
    co = [s for s in sents if s.lay and s.ai]
    co_cause = [s for s in co if s.cause or s.repl_num]
    has_layoff_subject = tS.lay or len(lay_paras) >= 2
    ana = [s for s in sents if not s.lay and s.ai and ((s.anaphor and s.cause) or s.headcount or s.subst
                                                      or (s.repl and _is_takeover(s.text)))
           ] if has_layoff_subject else []
    ai_cause = [s for s in sents if s.ai and s.cause and not s.lay]
    repl_any = [s for s in sents if s.repl]
    lead_lay = [p for p in lay_paras if p < lead_n]
    lead_ai = [p for p in ai_paras if p < lead_n]
    adj = 0
    for a, b in zip(sents, sents[1:]):
        if a.para == b.para and ((a.lay and b.ai and b.cause >= 1) or (b.lay and a.ai and a.cause >= 1)):
            adj += 1

    # --- layoff-as-subject score
    L = 0.0
    if tS.lay:
        L += 2.5
        reasons.append("judul: PHK")
    elif tS.lay_weak or _KORBAN_AI.search(t_clean):
        L += 0.8
    L += 0.6 * min(len(lay_paras), 5)
    if lead_lay:
        L += 1.0
        reasons.append(f"paragraf {lead_lay[0] + 1}: PHK")
    # --- AI-link score
    A = 0.0
    title_link = False
    if tS.ai:
        A += 0.7
        reasons.append("judul: AI")
        if tS.lay and (tS.cause or tS.repl_num or tS.repl):
            A += 2.3
            reasons.append("judul: PHK + AI (sebab/diganti)")
            title_link = True
        elif tS.lay and not t_question:
            A += 0.8
    strong_co = sum(2.0 if s.repl_num else (1.2 if s.cause >= 1 else 0.6) for s in co_cause[:4])
    links = int(title_link) + sum(1 for s in co_cause if s.repl_num or s.cause >= 1) + len(ana) + adj
    weak_links = sum(1 for s in co_cause if not (s.repl_num or s.cause >= 1))
    A += strong_co + sum(2.0 if s.subst else (1.5 if s.headcount else 1.0) for s in ana[:2])
    A += 0.25 * min(len(co) - len(co_cause), 3)
    A += 0.25 * min(len(ai_cause), 4)
    A += 0.4 * min(adj, 3)
    A += 0.2 * min(len(ai_paras), 5)
    A += 0.3 * min(len(repl_any), 3)
    if lead_ai:
        A += 0.4
    for s in (co_cause + ana)[:2]:
        kind = "diganti" if s.repl_num else ("sebab/strategi" if s.cause else "")
        reasons.append(f"paragraf {s.para + 1}: PHK + AI" + (f" ({kind})" if kind else ""))
    if ai_paras and not co_cause:
        reasons.append(f"AI di {len(ai_paras)} paragraf")

    # --- negatives
    N = 0.0
    head = t_clean + "\n" + "\n".join(paras_c[:2])
    hf = _fold(head, head.lower())
    if (_any_in(hf, _NEG_INDIVIDUAL_STEMS)
            or (_any_in(hf, _NEG_INDIVIDUAL_NOUNS) and _any_in(hf, _NEG_INDIVIDUAL_COUNT))) \
            and _NEG_INDIVIDUAL.search(head) and not _is_mass(t_clean):
        N += 2.0
        reasons.append("negatif: pemecatan individu")
    if _any_in(hf, _NEG_PROTEST_STEMS) and _NEG_PROTEST.search(head):
        N += 1.5
        reasons.append("negatif: protes/ancam mundur")
    if not tS.lay and _any_in(hf, _NEG_CREATE_STEMS) and _NEG_CREATE.search(head):
        N += 1.5
        reasons.append("negatif: penciptaan lapangan kerja")
    if _any_in(hf, _NEG_SURVEY_STEMS) and (_NEG_SURVEY.search(t_clean) or (
            _NEG_SURVEY.search(head) and not tS.lay and bool(_flags(hf) & _F_FEAR))):
        N += 1.5
        reasons.append("negatif: survei")
    if _any_in(hf, _FAKE_STEMS) and _NEG_FAKE.search(head):
        N += 1.5
        reasons.append("negatif: hoaks/penipuan")
    # a title that names a concrete cut and AI together ("X PHK 1.300 Pekerja, CEO: AI Mengubah Segalanya"),
    # followed by AI in the lead, is a link unless something argues against it
    if (not title_link and tS.lay and tS.ai and not t_question and N == 0 and not tS.nonai
            and any(s.ai for s in sents if s.para < 2) and not any(s.nonai for s in sents if s.para < 3)
            and _sized(t_clean)):
        links += 1
        A += 1.0
        reasons.append("judul: PHK + AI")
    # a title that names a concrete cut and denies its AI link ("TCS PHK 12 Ribu Karyawan, Bantah Karena
    # AI"): the piece is framed around AI, the link is disputed (the denial is no veto, see vetoes())
    if (not title_link and tS.lay and tS.deny_ai and not tS.deny and not t_question
            and _sized(t_clean)):
        links += 1
        A += 1.0
        reasons.append("judul: PHK, kaitan AI dibantah (diperdebatkan)")
    if tS.deny:
        N += 2.5
        reasons.append("negatif: bantahan")
    causal = links >= 1 or weak_links >= 2
    if not causal:
        reasons.append("tanpa kaitan sebab PHK-AI")
    # (one AI mention is no link, unless it says the cut staff's work is now done by AI: "layanan
    # kini dilayani asisten virtual berbasis AI" in a piece about a cut)
    single = (len(ai_paras) <= 1 and not tS.ai and not any(s.repl_num for s in co)
              and not any(s.subst for s in ana))
    if single:
        reasons.append("AI hanya disebut sekali")
    tl_low = t_rec.low
    gate_lay = (bool(t_rec.flags & _F_LAY) or "kehilangan" in tl_low or "ganti" in tl_low or "alih" in tl_low
                or any(recs[0].gated for recs in raw_sents if recs))
    gate = gate_lay and (tS.ai or bool(ai_paras) or tS.deny_ai)
    sig = _signals(tS, t_clean, t_question, sents, paras, lay_paras, ai_paras, co, co_cause, ana, adj,
                   lead_lay, lead_ai, links, weak_links, title_link, single) if gate or signals else {}
    sig["gate"] = float(gate)
    # (for the vetoes only, not a model feature) the title is set years ahead ("AI Bisa Kurangi 20% Staf
    # dalam 5 Tahun")
    sig["t_future"] = float(gate and _is_future(t_clean))
    # (for the vetoes only, not a model feature) a layoff negated or denied in the lead ("Ini bukan PHK massal")
    sig["lead_neg_lay"] = float(any(s.neg_lay for s in sents if s.para < lead_n))
    # (ditto) the cut's AI link denied ("menepis spekulasi bahwa PHK ini berkaitan dengan AI")
    sig["deny_ai"] = float(tS.deny_ai or any(s.deny_ai for s in sents))
    sig["t_deny_ai"] = float(tS.deny_ai)
    return dict(title=t_rec, paras=raw_sents, names=names, L=L, A=A, N=N, reasons=reasons,
                causal=causal and not single, sig=sig, clean_title=title, clean_paras=paras, title_sent=tS)


# ---------------------------------------------------------------------------
# Signals for the trained model (crawler.classify.model); they never change the rules' verdict
# ---------------------------------------------------------------------------
def _word_re(words: tuple[str, ...]) -> re.Pattern:
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
                      + r")(?![\w-])", _I)


class _Words:
    """_word_re(words), searched fast: ``in_(s)`` is ``pattern.search(s) is not None``, but the
    pattern is only tried where one of the words occurs in _fold(s) (aligned character by
    character with s; a match at i spells one of the words there), instead of at every position."""
    __slots__ = ("pattern", "words")

    def __init__(self, words) -> None:
        self.pattern = _word_re(tuple(words))
        self.words = tuple(sorted({w.lower() for w in words}))

    def in_(self, s: str, fold: str | None = None) -> bool:
        if fold is None:
            fold = _fold(s, s.lower())
        return _search_at(self.pattern, s, fold, self.words)


_FORECAST = _Words(LEX["forecast_words"])
_HIRING = _Words(LEX["hiring_words"])
_GENERIC_SUBJECT = _Words(LEX["generic_subject_words"])
_SURVEY_WORDS = _Words(LEX["survey_words"])
_FUTURE_MODAL = _Words(LEX["future_modal_words"])
# a horizon of years ("dalam lima tahun", "pada 2030", "hingga 2028", "10 tahun lagi", "beberapa tahun ke depan")
_HORIZON = re.compile(
    r"\b(?:dalam\s+(?:\S+\s+){1,2}tahun|(?:pada|hingga|sampai|menjelang|jelang)\s+(?:tahun\s+)?20\d\d|"
    r"\S+\s+tahun\s+(?:lagi|ke\s+depan|mendatang)|masa\s+depan|jangka\s+panjang)\b", _I)


def _is_future(title: str) -> bool:
    """A title set years ahead: a future/conditional word and a horizon of years."""
    return bool(title) and _HORIZON.search(title) is not None and _FUTURE_MODAL.in_(title)
# a hiring story told against a backdrop of layoffs: "X Buka 500 Lowongan ... di Tengah Gelombang PHK"
_HIRING_AMID = re.compile(
    r"\b(?:buka|membuka|rekrut|merekrut|rekrutmen|perekrutan|lowongan|mempekerjakan|hiring)\b"
    r"[^.?!]*?\b(?:di\s+tengah|saat|meski(?:pun)?|ketika|kala|walau(?:pun)?)\s+(?:\S+\s+){0,2}?"
    r"(?:phk|layoff|pemangkasan|pemecatan)", _I)
_PCT_OF = re.compile(r"\d+(?:[.,]\d+)?\s*(?:%|persen)\s+(?:dari\s+)?(?:perusahaan|pemberi\s+kerja|responden|"
                     r"pekerja|karyawan|CEO|eksekutif|pekerjaan)", _I)


def _has_pct_of(s: str, fold: str | None = None) -> bool:
    """_PCT_OF.search(s) is not None (every match has "%" or "persen", re.I); fold = _fold(s) if known."""
    if "%" not in s and "persen" not in (_fold(s, s.lower()) if fold is None else fold):
        return False
    return _PCT_OF.search(s) is not None


def _is_forecast(s: str) -> bool:
    """A forecast/survey word or "N% of <workers/firms>" in s."""
    fold = _fold(s, s.lower())
    return _FORECAST.in_(s, fold) or _has_pct_of(s, fold)


def _signals(tS: _Sent, t_clean: str, t_question: bool, sents: list[_Sent], paras: list[str],
             lay_paras: list[int], ai_paras: list[int], co: list[_Sent], co_cause: list[_Sent],
             ana: list[_Sent], adj: int, lead_lay: list[int], lead_ai: list[int], links: int,
             weak_links: int, title_link: bool, single: bool) -> dict[str, float]:
    """Named numeric signals of one article (see _evaluate) for the trained model."""
    lay = [s for s in sents if s.lay]
    lay_fc = [s for s in lay if _is_forecast(s.text)]  # (co is a part of lay)
    fc_ids = {id(s) for s in lay_fc}
    co_fc = [s for s in co if id(s) in fc_ids]
    concrete = [s for s in lay if id(s) not in fc_ids and _has_number(s.text)]
    lead = paras[:3]
    t_fc = _is_forecast(t_clean)
    return {
        "t_lay": float(tS.lay), "t_lay_weak": float(tS.lay_weak), "t_ai": float(tS.ai), "t_cause": float(tS.cause),
        "t_link": float(title_link), "t_question": float(t_question), "t_negated": float(tS.negated),
        "t_deny": float(tS.deny), "t_nonai": float(tS.nonai), "t_forecast": float(t_fc),
        "t_hiring": float(_HIRING.in_(t_clean)), "t_generic": float(_GENERIC_SUBJECT.in_(t_clean)),
        "t_mass": float(_is_mass(t_clean)),
        "t_survey": float(_SURVEY_WORDS.in_(t_clean) or _has_pct_of(t_clean)),
        "t_hiring_amid": float(bool(_HIRING_AMID.search(t_clean))),
        "n_lay_paras": min(len(lay_paras), 8) / 8, "n_ai_paras": min(len(ai_paras), 8) / 8,
        "n_co": min(len(co), 5) / 5, "n_co_cause": min(len(co_cause), 5) / 5, "n_ana": min(len(ana), 3) / 3,
        "n_adj": min(adj, 3) / 3, "lead_lay": float(bool(lead_lay)), "lead_ai": float(bool(lead_ai)),
        "links": min(links, 5) / 5, "weak_links": min(weak_links, 5) / 5, "single": float(single),
        "co_forecast_share": len(co_fc) / len(co) if co else 0.0,
        "lay_forecast_share": len(lay_fc) / len(lay) if lay else 0.0,
        "n_concrete_cut": min(len(concrete), 4) / 4,
        "n_negated": min(sum(s.negated for s in sents), 4) / 4,
        "n_deny": min(sum(s.deny or s.deny_ai for s in sents), 3) / 3,  # (denials of the cut or of its AI link)
        "n_nonai": min(sum(s.nonai for s in sents), 3) / 3,
        "n_hiring": min(sum(1 for p in lead if _HIRING.in_(p)), 3) / 3,
        "n_subst": min(sum(s.subst for s in sents), 3) / 3, "n_headcount": min(sum(s.headcount for s in sents), 3) / 3,
        "n_repl": min(sum(s.repl or s.repl_num for s in sents), 3) / 3,
        "n_paras": min(len(paras), _N_PARAS_MAX) / _N_PARAS_MAX,
    }




evaluate = _evaluate


def rule_verdict(f: dict) -> tuple[bool, float]:
    """The rules' own (match, score) for the evaluation f; appends the rules' verdict reasons
    ("PHK bukan pokok berita", "tidak terkait AI") to f["reasons"]."""
    L, A, N, reasons = f["L"], f["A"], f["N"], f["reasons"]
    main_layoff = L >= 3.0
    ai_link = A >= 2.4 and f["causal"]
    raw = 0.5 * min(L, 6.0) / 6.0 + 0.5 * min(A, 5.0) / 5.0 - 0.12 * N
    score = round(max(0.0, min(1.0, raw)), 3)
    match = main_layoff and ai_link and score >= 0.6
    if not main_layoff:
        reasons.append("PHK bukan pokok berita")
    if not ai_link:
        reasons.append("tidak terkait AI")
    return match, score


# ---------------------------------------------------------------------------
# Vetoes: reliable reasons why an article is NOT an AI-layoff story, whatever the model says
# ---------------------------------------------------------------------------
def vetoes(f: dict) -> list[str]:
    """Veto reasons for the evaluation f (empty list: no veto).  Each is a reason the rules are
    reliable about: layoffs denied in the title ("Bantah Isu PHK karena AI"; a denial of the cut's
    AI link, "Bantah PHK itu karena AI", is not one), layoffs only negated or denied in the title or
    lead with no cut in the article ("Ini bukan PHK massal", "bukan pemutusan hubungan kerja",
    "tidak ada pengurangan karyawan"; also a title saying "Bukan PHK Massal" over a lead that denies
    the layoffs, unless the title's denial is of the AI link), the cut's AI link denied with no
    sentence linking the cut to AI and no AI in the title (a title naming a cut and denying its AI
    link, "TCS PHK 12 Ribu Karyawan, Bantah Karena AI", frames the piece around AI: disputed, no
    veto), a non-AI cause given ("PHK 200 Karyawan karena Pendanaan Seret") when no sentence links the
    cut to AI, the title has no AI term and AI appears in at most two paragraphs, the firing of one
    person (CEO/CTO/CFO/... dipecat, memberhentikan sang direktur), a forecast or survey with no cut
    that has happened, a title set years ahead ("Bos X: AI Bisa Kurangi 20% Staf dalam 5 Tahun",
    lexicon future_modal_words and a horizon of years) over an article with no concrete cut, a
    hiring story amid layoffs, AI or layoffs appearing only in boilerplate (then
    the pre-filter gate is closed)."""
    sig, reasons = f["sig"], f["reasons"]
    if not sig["gate"]:  # (the rules cannot match either: they need a layoff and an AI term)
        return ["veto: tidak ada istilah PHK dan AI di isi berita"]
    out = []
    if sig["t_deny"] or "negatif: bantahan" in reasons:
        out.append("veto: bantahan PHK")
    if ((sig["t_negated"] or sig["lead_neg_lay"]) and not sig["t_lay"] and sig["n_lay_paras"] == 0) \
            or (sig["t_negated"] and sig["lead_neg_lay"] and not sig["t_deny_ai"]):
        out.append("veto: PHK disangkal")
    if sig["deny_ai"] and sig["links"] == 0 and sig["weak_links"] < 0.4 and not sig["t_ai"]:
        out.append("veto: kaitan AI dibantah, tak ada yang mengaitkan PHK dengan AI")
    if (sig["t_nonai"] or sig["n_nonai"]) and not sig["t_ai"] and sig["n_ai_paras"] <= 0.25 \
            and "tanpa kaitan sebab PHK-AI" in reasons:
        out.append("veto: sebab lain disebut, tak ada kaitan PHK dengan AI")
    if "negatif: pemecatan individu" in reasons and not sig["t_mass"]:
        out.append("veto: pemecatan satu orang")
    if sig["t_hiring_amid"]:
        out.append("veto: rekrutmen di tengah PHK, bukan PHK")
    if sig["t_survey"] and sig["n_concrete_cut"] == 0 and sig["lay_forecast_share"] >= 0.5 and not sig["t_mass"]:
        out.append("veto: survei/prakiraan, belum ada PHK")
    if sig["t_future"] and sig["n_concrete_cut"] == 0:
        out.append("veto: prakiraan beberapa tahun ke depan, belum ada PHK")
    return out
