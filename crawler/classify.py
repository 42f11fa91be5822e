"""Rule-based classifier for "PHK karena AI" (AI-linked layoff) news stories.

What it flags
=============
``classify(title, text)`` returns ``Verdict.match = True`` exactly when BOTH hold:

1. **The article's main subject is job cuts.**  Layoff terms -- PHK (also
   di-PHK, ter-PHK, mem-PHK, PHK-nya), pemutusan hubungan kerja, layoff,
   merumahkan/dirumahkan, memberhentikan/diberhentikan, pensiun dini,
   memangkas/dipangkas/pemangkasan or mengurangi/pengurangan followed by a
   worker noun (karyawan, pekerja, pegawai, staf, posisi, pekerjaan, peran,
   tenaga kerja), "efisiensi karyawan", mass firing (memecat/pemecatan with a
   quantity such as "11 ribu karyawan", "ratusan", "massal"), or
   "mengganti/menggantikan N pekerja dengan robot/AI" -- appear in the title,
   or in the lead paragraphs and again later in the body.  A single passing
   mention deep in the body is not the main subject.
2. **The article links those cuts to AI or automation** (AI, kecerdasan
   buatan, AI generatif, otomatisasi/otomasi/automasi, chatbot, agen AI,
   "AI-first", machine learning, LLM, robot/robotisasi, digitalisasi) as
   cause, context or stated strategy: both kinds of term in the title, or in
   the same sentence, ideally joined by a causal/strategic connective
   (karena, akibat, gara-gara, demi, seiring, di tengah, digantikan/
   menggantikan, beralih/fokus/investasi ke AI, efisiensi, dipicu, ...), and
   AI is discussed in more than one place.

Single-company stories (a company cutting staff while betting on AI) and
trend/analysis pieces whose subject is AI-driven layoffs (including sceptical
"AI-washing" pieces) are flagged.

Not flagged: layoffs with no AI link (factories, funding-starved startups,
severance rules, labour policy); AI news without layoffs (models, chips, data
centres, investment, regulation); AI-creates-jobs or upskilling pieces where
layoffs are not the subject; surveys about fear of AI; the firing of one
named person (an executive, a protesting employee); everything else.
AI appearing only inside a proper name (OpenAI, "Scale AI", "Microsoft AI")
is not an AI link.

Boilerplate lines ("Baca juga: ...", related-article lists, "Tags:",
"ADVERTISEMENT", "Simak Video ...", "(rns/rns)" bylines) are removed before
any counting.

The function is pure and deterministic.  ``reasons`` lists which signals
fired and where (e.g. "judul: PHK", "paragraf 1: PHK + AI").
``companies`` are organisations named as cutting jobs, ``jobs_cut`` the
headline number of jobs cut (None when only vague, e.g. "ribuan"), and
``percent`` the share of the workforce cut (e.g. 30.0, "sepertiga" = 33.3).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["classify", "Verdict", "RULES_VERSION"]

RULES_VERSION = "2025.2"


@dataclass(frozen=True)
class Verdict:
    match: bool
    score: float
    reasons: list = field(default_factory=list)
    companies: list = field(default_factory=list)
    jobs_cut: int | None = None
    percent: float | None = None

    def to_dict(self) -> dict:
        return {
            "match": self.match,
            "score": self.score,
            "reasons": list(self.reasons),
            "companies": list(self.companies),
            "jobs_cut": self.jobs_cut,
            "percent": self.percent,
        }


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
# Term lexicons
# ---------------------------------------------------------------------------
_WORKER = (r"(?:karyawan|pekerja|pegawai|staf|staff|buruh|tenaga\s+kerja|posisi|pekerjaan|peran|"
           r"personel|jabatan|orang|jiwa|kru|tenaga\s+manusia|sdm|jurnalis|wartawan|editor|insinyur|teknisi|"
           r"programmer|pengembang|operator|agen|kontraktor|seniman|ilustrator|penerjemah|penulis|kasir|"
           r"pengemudi|awak|manajer|analis|desainer)(?:-\w+)?(?:nya)?")
_WORKER_RE = re.compile(r"\b" + _WORKER + r"\b", _I)

_LAY_CORE = re.compile(  # applied to lower-cased text; literal-first alternation keeps it fast
    r"phk|pemutusan\s+hubungan|lay-?off|rumahkan\b|hentikan\s+kontrak|memutus\s+kontrak|pensiun\s+dini|"
    r"berhentikan\b|pemberhentian|efisiensi\s+(?:karyawan|pegawai|tenaga\s+kerja|sdm)\b|"
    r"(?:pekerjaan|posisi|peran)\s+(?:yang\s+)?(?:hilang|dihapus|dipangkas)\b|"
    r"(?:pemangkasan|pengurangan\s+tenaga\s+kerja|pemecatan)\s+(?:besar-besaran\s+|massal\s+)?(?:ini|tersebut)\b|"
    r"(?:pemangkasan|pemecatan)\s+(?:besar-besaran|massal)\b")
_LAY_VERB = re.compile(
    r"\b(?:memangkas|pangkas|dipangkas|terpangkas|pemangkasan|potong|memotong|pemotongan|"
    r"mengurangi|pengurangan|dikurangi|merampingkan|perampingan|menghapus|pulangkan|memulangkan)\b", _I)
_WORKER_AFTER = re.compile(r"\s+(?:\S+\s+){0,5}?" + _WORKER + r"\b", _I)


class _LayoffMatcher:
    """Layoff terms; the verb + worker-noun part is checked in two cheap steps."""

    @staticmethod
    def search(s: str):
        m = _LAY_CORE.search(s.lower())
        if m:
            return m
        for v in _LAY_VERB.finditer(s):
            w = _WORKER_AFTER.match(s, v.end())
            if w:
                return w
        return None


_LAYOFF_STRONG = _LayoffMatcher()
# firing verbs: only count as a *mass* layoff with a quantity nearby
_FIRE = re.compile(r"\b(?:pecat|memecat|dipecat|pemecatan|terpecat)(?:nya)?\b", _I)
_MASS = re.compile(
    r"(?:\bmassal\b|\bbesar-besaran\b|\bribuan\b|\bratusan\b|\bpuluhan\s+ribu\b|"
    r"\b\d{1,3}(?:\.\d{3})+\b|\b\d+(?:,\d+)?\s*(?:ribu|juta|rb)\b|\b\d+\s*(?:%|persen)|\b[1-9]\d{2,}\b)", _I)
_LOSE_JOB = re.compile(
    r"\bkehilangan\s+(?:\S+\s+){0,2}?(?:pekerjaan|pekerjaannya|mata\s+pencaharian|sumber\s+nafkah)\b", _I)

_AI_UPPER = re.compile(r"\bA\.?I\b(?!\s*[-–]?\s*(?:Research|Officer))")
_AI_LOW = re.compile(
    r"kecerdasan\s+(?:buatan|artifisial)|artificial\s+intelligence|artifisial\s+inteligen|gen-?ai\b|"
    r"generatif|generative|otomatisasi|otomatiskan|otomatisasikan|otomasi\b|automasi|automation|"
    r"chat-?bot|chatgpt|machine\s+learning|pembelajaran\s+mesin|llm\b|large\s+language\s+model|robot|"
    r"digitalisasi|revolusi\s+industri\s+4\.0|algoritma|"
    r"(?:sistem|mesin|serba|gudang|kasir|proses|lini)\s+(?:otomatis|robotik)\b")


class _AIMatcher:
    @staticmethod
    def search(s: str):
        if ("AI" in s or "A.I" in s):
            m = _AI_UPPER.search(s)
            if m:
                return m
        return _AI_LOW.search(s.lower())


_AI = _AIMatcher()
_AI_CI_FIX = _AI

# causal / strategic connectives; applied to lower-cased text (literal-first alternation for speed)
_CAUSE_LOW = re.compile(
    r"karena|akibat|gara-gara|imbas| demi\b|seiring|sejalan|di tengah|"
    r"gantikan|diganti|mengganti|\bganti\b|pengganti|tergantikan|"
    r"beralih|alihkan|dialihkan|fokus|investasi|menginvestasikan|"
    r"efisien|dorongan|didorong|mendorong|dipicu|memicu|\bpicu\b|menyebabkan|sebabkan|penyebab|"
    r"disebabkan|dikaitkan|terkait dengan|alasan|mengandalkan|adopsi|mengadopsi|pengadopsian|"
    r"ambil alih|diambil alih|strategi|biang kerok|kambing hitam|mengutamakan|"
    r"memprioritaskan|berbasis ai|ai-first|otomatisasi|robotisasi|dengan bantuan|digenjot|menggenjot|faktor|"
    r"(?:dibuat|dikerjakan|ditulis|dihasilkan|ditangani|diproduksi|digarap) (?:oleh )?(?:ai|robot|mesin)\b")
_CAUSE_WEAK_LOW = re.compile(
    r"\busai\b|setelah|pasca|dampak|transformasi|integrasi|mengintegrasikan|pemanfaatan|memanfaatkan|"
    r"prioritas|restrukturisasi|perkembangan|kemajuan| era\b")


class _LowSearch:
    def __init__(self, pat: re.Pattern):
        self.pat = pat

    def search(self, s: str):
        return self.pat.search(re.sub(r"\s+", " ", s.lower()))


_CAUSE = _LowSearch(_CAUSE_LOW)
_CAUSE_WEAK = _LowSearch(_CAUSE_WEAK_LOW)

_NONAI_CAUSE = re.compile(
    r"\b(?:karena|akibat|imbas|gara-gara|dampak|alasan|beralasan|setelah|usai)\s+(?:\S+\s+){0,2}?"
    r"(?:pendanaan|dana|ekonomi|resesi|penjualan|permintaan|order|pesanan|kerugian|rugi|pailit|bangkrut|"
    r"harga|suku\s+bunga|pandemi|covid|tarif|utang|protes|investasi\s+dari|akuisisi|merger)", _I)
_AI_FIRM = re.compile(
    r"\b(?:startup|perusahaan\s+rintisan|perusahaan|raksasa|pengembang|pembuat|laboratorium|lab|firma|unicorn)"
    r"\s+(?:teknologi\s+)?(?:AI|kecerdasan\s+(?:buatan|artifisial))(?:\s*\(AI\))?(?![-\w]|\s*(?:generatif|untuk|yang|dalam|di\b))", _I)

_REPLACE_NUM = re.compile(
    r"\b(?:ganti|gantikan|mengganti|menggantikan|digantikan|diganti|mendigitalisasi|mengambil\s+alih|ambil\s+alih)\b"
    r"[^.\n]{0,40}?(?:\d[\d.,]*\s*(?:ribu|juta)?|ribuan|ratusan(?:\s+ribu)?|setengah\s+juta)\s+"
    r"(?:\S+\s+){0,2}?" + _WORKER +
    r"|(?:\d[\d.,]*\s*(?:ribu|juta)?|ribuan|ratusan(?:\s+ribu)?)\s+(?:\S+\s+){0,1}?" + _WORKER +
    r"\b[^.\n]{0,40}?\b(?:digantikan|diganti|tergantikan)\b", _I)
_ANAPHOR = re.compile(
    r"\b(?:langkah|keputusan|kebijakan|pemangkasan|pengurangan|restrukturisasi|phk|pemecatan|"
    r"pemutusan\s+hubungan\s+kerja|gelombang\s+phk|gelombang\s+efisiensi|efisiensi)\s+(?:ini|tersebut|itu|terbaru)\b"
    r"|\bkeputusan\s+(?-i:[A-Z])\w+", _I)
_CONCRETE_WORKER = re.compile(r"\b(?:buruh|pekerja|karyawan|pegawai|staf|tenaga\s+kerja|tenaga\s+manusia)(?:nya)?\b", _I)
_REPLACE = re.compile(
    r"\b(?:ganti|gantikan|mengganti|menggantikan|digantikan|diganti|mengambil\s+alih|diambil\s+alih)\b", _I)

# negatives
_NEG_INDIVIDUAL = re.compile(
    r"(?:\b(?:CEO|co-?founder|pendiri|direktur|eksekutif|bos|presiden|ketua|chief)\b[^.\n]{0,50}?"
    r"\b(?:dipecat|memecat|pecat|pemecatan|diberhentikan|dicopot|didepak|dilengserkan)\b"
    r"|\b(?:dipecat|memecat|pecat|pemecatan|mencopot|pencopotan)\s+(?:sang\s+)?(?:CEO|co-?founder|pendiri|direktur|bos)\b"
    r"|\b(?:seorang|dua|tiga|empat)\s+(?:karyawan|pegawai|insinyur|teknisi|staf)\b)", _I)
_NEG_PROTEST = re.compile(r"\b(?:protes|memprotes|demonstran|unjuk\s+rasa|pro-palestina|ancam\s+(?:resign|mundur|berhenti))\b", _I)
_NEG_CREATE = re.compile(
    r"(?:menciptakan|ciptakan|penciptaan|serap|menyerap|membuka)\s+(?:\S+\s+){0,4}?(?:lapangan\s+kerja|lowongan|pekerjaan\s+baru)"
    r"|lapangan\s+kerja\s+baru|talenta\s+digital|beasiswa|pelatihan\s+(?:\S+\s+){0,2}?talenta", _I)
_NEG_SURVEY = re.compile(r"\b(?:survei|survey|responden|jajak\s+pendapat)\b", _I)

_SENT_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[\"“A-Z0-9])")
_PARA_SPLIT = re.compile(r"\n+")

# ---------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------
_WORDNUM = {
    "satu": 1, "se": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7,
    "delapan": 8, "sembilan": 9, "sepuluh": 10, "sebelas": 11, "seratus": 100, "seribu": 1000,
}
_FRACTIONS = {"sepertiga": 100 / 3, "seperempat": 25.0, "setengah": 50.0, "separuh": 50.0,
              "dua pertiga": 200 / 3, "tiga perempat": 75.0, "seperlima": 20.0, "sepersepuluh": 10.0}
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


_PCT = re.compile(
    r"(?<![\w.,])(\d+(?:[.,]\d+)?)\s*(?:%|persen\b)|\b(sepertiga|seperempat|setengah|separuh|dua\s+pertiga|"
    r"tiga\s+perempat|seperlima|sepersepuluh)(?:nya)?\b", _I)


def parse_percent(s: str) -> float | None:
    """'30%' -> 30.0, '30 persen' -> 30.0, 'sepertiga' -> 33.3, '12,5%' -> 12.5."""
    m = _PCT.search(s)
    if not m:
        return None
    return _pct_from_match(m)


def _pct_from_match(m: re.Match) -> float:
    if m.group(1):
        return float(m.group(1).replace(",", "."))
    return round(_FRACTIONS[re.sub(r"\s+", " ", m.group(2).lower())], 1)


_JOB_NUM = re.compile(
    r"(?<![\w.,])(" + _NUM_TOKEN + r"|setengah|ribuan|ratusan|puluhan|sepuluh|seratus|seribu|"
    r"satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan)(?:\s*(ribu|rb|juta))?"
    r"\s+(?:(?:orang|lebih|an)\s+)?(?:\S+\s+)?" + _WORKER + r"\b", _I)
_TOTAL_CTX = re.compile(
    r"(?:memiliki|mempekerjakan|total|dari\s+total|jumlah\s+karyawan\s+(?:total|sebanyak)|berjumlah|"
    r"merekrut|rekrut|menambah|mencapai\s+total|melatih|pelatihan|dari|menjadi|sebelumnya|"
    r"tenaga\s+kerjanya\s+menjadi|hampir\s+dua\s+kali|sebanyak\s+total)\s+(?:[^\s,;]+\s+){0,2}$", _I)
_TOTAL_WORDS = {"memiliki", "mempekerjakan", "total", "berjumlah", "merekrut", "rekrut", "menambah",
                "melatih", "pelatihan", "dari", "menjadi", "sebelumnya", "populasi"}
_NUM_BEFORE_NOUN_NOT_JOBS = re.compile(r"(?:tahun|bulan|minggu|hari|persen|%|kali|miliar|triliun)\s*$", _I)

# ---------------------------------------------------------------------------
# Companies
# ---------------------------------------------------------------------------
_KNOWN = (
    "Amazon", "AWS", "Amazon Web Services", "Microsoft", "Google", "Alphabet", "Meta", "Facebook", "Apple",
    "IBM", "Salesforce", "Fiverr", "Klarna", "Duolingo", "Accenture", "Lufthansa", "Dropbox",
    "Intel", "Cisco", "Oracle", "SAP", "Dell", "HP", "Intuit", "PayPal", "Workday", "Chegg",
    "Shopify", "Spotify", "Twitter", "Tesla", "Netflix", "Zoom", "Canva", "UPS", "Walmart",
    "BT Group", "Bumble", "Indeed", "Glassdoor", "Recruit", "Microsoft", "TikTok", "ByteDance",
    "Crowdstrike", "CrowdStrike", "Atlassian", "Autodesk", "Unity", "Grab", "GoTo", "Gojek",
    "Tokopedia", "Shopee", "Bukalapak", "Ruangguru", "Traveloka", "Telkom", "Indosat", "XL Axiata",
    "Commonwealth Bank", "DBS", "HSBC", "Goldman Sachs", "JPMorgan", "Citigroup", "Citi",
    "Wells Fargo", "Bank of America", "Standard Chartered", "Infosys", "TCS", "Wipro", "Cognizant",
    "Capgemini", "Deloitte", "PwC", "KPMG", "EY", "McKinsey", "Nike", "Target", "Starbucks",
    "Verizon", "AT&T", "Nokia", "Ericsson", "Siemens", "Bosch", "Volkswagen", "Ford", "GM",
    "General Motors", "Samsung", "Sony", "Panasonic", "Baidu", "Alibaba", "Tencent", "JD.com",
    "Xiaomi", "Foxconn", "Ola", "Paytm", "Byju's", "OpenAI", "Anthropic", "xAI", "Scale AI",
    "Chegg", "Pinterest", "Snap", "Lyft", "Uber", "Airbnb", "Wayfair", "eBay", "Yahoo", "Zillow",
    "Block", "Coinbase", "Stripe", "Cruise", "Rivian", "Lucid", "Peloton", "Turnitin", "Synopsys",
    "Microchip", "Micron", "Qualcomm", "Nvidia", "NVIDIA", "AMD", "HP Inc", "Hewlett Packard Enterprise",
    "HPE", "Kyndryl", "DXC", "Ocado", "BT", "Telstra", "Optus", "Vodafone", "Deutsche Bank",
    "UBS", "Morgan Stanley", "Bloomberg", "CNN", "Business Insider", "BuzzFeed", "Dukaan",
)
_KNOWN_SET = {k.lower(): k for k in _KNOWN}
_MEDIA = {
    "cnbc", "cnn", "reuters", "bloomberg", "axios", "techcrunch", "fortune", "the verge", "verge",
    "engadget", "viva", "kompas", "detik", "detikinet", "tempo", "antara", "kontan", "liputan6",
    "tribunnews", "suara", "okezone", "republika", "katadata", "bisnis", "cnbc indonesia",
    "cnn indonesia", "the new york times", "new york times", "wall street journal",
    "the wall street journal", "financial times", "business insider", "abc news", "ap news",
    "associated press", "fox business", "the guardian", "guardian", "bbc", "mint", "sky news",
    "the sky news", "ny post", "idn times", "jpnn", "merdeka", "sindonews", "inews", "kumparan",
    "idx channel", "investor daily", "bloomberg technoz", "cnbc internasional", "the information",
    "electrek", "wired", "forbes", "yonhap", "afp", "ap", "nikkei", "the economist", "economist",
    "investing", "marketwatch", "yahoo finance", "cnet", "zdnet", "gizmodo", "the logan bartlett show",
}
_STOP_CAP = {
    "jakarta", "indonesia", "ri", "as", "amerika", "amerika serikat", "ceo", "cfo", "cto", "phk", "ai",
    "pemutusan", "hubungan", "kerja", "senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu",
    "januari", "februari", "maret", "april", "mei", "juni", "juli", "agustus", "september",
    "oktober", "november", "desember", "perusahaan", "raksasa", "teknologi", "namun", "menurut",
    "dalam", "pada", "saat", "dengan", "selain", "sementara", "sebelumnya", "kini", "ia", "mereka",
    "kami", "langkah", "hal", "ini", "itu", "baca", "juga", "dilansir", "melansir", "dikutip",
    "seperti", "bahkan", "meski", "meskipun", "sejak", "setelah", "sebelum", "kabar", "berdasarkan",
    "laporan", "data", "sejumlah", "beberapa", "para", "salah", "di", "dan", "atau", "untuk", "yang",
    "karyawan", "pekerja", "china", "jepang", "jerman", "eropa", "inggris", "india", "singapura",
    "silicon valley", "seattle", "san francisco", "new york", "washington", "london", "tokyo",
    "chief", "officer", "pihak", "juru", "bicara", "kepala", "wakil", "direktur", "presiden",
    "menteri", "gelombang", "badai", "tren", "efisiensi", "kecerdasan", "buatan", "artificial",
    "intelligence", "generative", "kuartal", "tahun", "fakta", "alasan", "ancaman", "daftar",
    "berikut", "simak", "editor", "foto", "ilustrasi", "sumber", "istimewa", "dok", "redaksi",
    "head", "line", "jadi", "akan", "bakal", "kembali", "lagi", "lakukan", "akhirnya", "terkait",
    "diketahui", "perusahaan teknologi", "maskapai", "startup", "bank", "pt", "tbk", "group", "grup",
    "inc", "corp", "ltd", "the", "a", "an", "of", "unit", "divisi", "tim", "bos", "pendiri", "artinya",
    "contohnya", "misalnya", "adapun", "kemudian", "lalu", "tapi", "tetapi", "sedangkan", "sehingga",
    "oleh", "nah", "pasalnya", "sebab", "sebagai", "dari", "ke", "agar", "jika", "kalau", "ketika",
    "jumlah", "total", "sekitar", "hampir", "lebih", "rencana", "strategi", "pengumuman", "keputusan",
    "program", "sebuah", "seorang", "setiap", "semua", "banyak", "kebijakan", "dampak", "perubahan",
    "global", "dunia", "internasional", "nasional", "pemerintah", "kemnaker", "kemenaker", "tenaga",
    "bukan", "tak", "tidak", "belum", "sudah", "telah", "masih", "pun", "hanya", "dunia kerja",
    "machine", "learning", "llm", "chatgpt", "gemini", "copilot", "robot", "agentforce", "hr",
    "sdm", "it", "us", "usd", "rp", "wib", "lay", "layoff", "layoffs", "big", "tech", "ai-first",
    "challenger", "gray", "christmas",
}
_PERSON_WORDS = {"ceo", "cfo", "cto", "coo", "pendiri", "co-founder", "cofounder", "bos", "presiden", "direktur",
                 "kepala", "jubir", "analis", "ekonom", "pengamat", "profesor", "peneliti", "menteri", "ketua",
                 "wakil", "kata", "ujar", "ungkap", "menurut", "dikutip", "oleh", "bapak", "ibu", "pak", "bu",
                 "mr", "mr.", "ms", "ms.", "sang", "manajer", "eksekutif", "insinyur", "officer", "bicara"}
_LEAD_WORDS = {"perusahaan", "raksasa", "startup", "platform", "maskapai", "bank", "konsultan", "firma", "grup",
               "group", "produsen", "pabrikan", "induk", "e-commerce", "fintech", "unicorn", "decacorn", "emiten",
               "operator", "pengembang", "penyedia", "layanan", "pt", "studio", "pabrik", "aplikasi", "peritel",
               "jaringan", "media", "rintisan"}
_CORP_SUFFIX = re.compile(
    r"\s+(?:group|grup|inc\.?|corp\.?|corporation|co\.?|ltd\.?|llc|plc|platforms|holdings|tbk\.?|sa|ag|gmbh|se|nv)$", _I)
_CAP_SEQ = re.compile(
    r"(?<![\w-])((?:PT\s+)?[A-Z][\w&'.-]*[\w&]?(?:\s+(?:[A-Z][\w&'.-]*[\w&]|&|of|de)){0,3})")
_PERSON_CTX_BEFORE = re.compile(
    r"(?:CEO|CFO|CTO|COO|pendiri|co-?founder|bos|presiden|direktur|kepala|juru\s+bicara|jubir|analis|"
    r"ekonom|pengamat|profesor|peneliti|menteri|ketua|wakil|kata|ujar|ungkap|menurut|dikutip|oleh|"
    r"Bapak|Ibu|Pak|Bu|Mr\.?|Ms\.?|sang|manajer|eksekutif|insinyur|Chief\s+\w+\s+Officer)"
    r"(?:\s+\w+){0,1}\s*,?\s*$")
_PERSON_CTX_AFTER = re.compile(r"^\s*(?:,\s*(?:CEO|pendiri|seorang|juru)|mengatakan\b|mengungkapkan\b|menjelaskan\b|"
                               r"menyebut\b|menegaskan\b|menambahkan\b)")
_COMPANY_LEAD = re.compile(
    r"(?:perusahaan|raksasa|startup|platform|maskapai|bank|konsultan|firma|grup|group|produsen|pabrikan|"
    r"induk|e-commerce|fintech|unicorn|decacorn|emiten|operator|pengembang|penyedia|layanan|pt|studio|pabrik|"
    r"aplikasi|produsen|peritel|jaringan|media|bank\s+digital)"
    r"(?:\s+\S+){0,4}?\s*,?\s*$", _I)
_COMPANY_VERB_AFTER = re.compile(
    r"^\s*(?:\([^)]{1,40}\)\s*)?(?:,\s*)?(?:juga\s+|akan\s+|bakal\s+|kembali\s+|resmi\s+|telah\s+|dikabarkan\s+|"
    r"dilaporkan\s+|berencana\s+|mengumumkan\s+|umumkan\s+|sudah\s+|lagi\s+|siap\s+|disebut\s+)*"
    r"(?:(?:mem|di|ter)?-?PHK|(?:me|di)?rumahkan|(?:mem)?berhentikan|melakukan\s+(?:PHK|pemutusan|pemangkasan|pengurangan)|memangkas|pangkas|memecat|"
    r"pecat|merumahkan|memberhentikan|mengurangi|menghapus|ganti|mengganti|gantikan|menggantikan|"
    r"setop|stop|pulangkan|memulangkan|\d)", _I)


@dataclass
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


def _clean(text: str) -> list[str]:
    paras: list[str] = []
    in_related = False
    for raw in _PARA_SPLIT.split(text or ""):
        line = raw.strip()
        if not line:
            continue
        if _RELATED_HEADER.match(line):
            in_related = True
            continue
        if in_related:
            # related-article lists: short lines without sentence punctuation
            if len(line) < 140 and not re.search(r"[.!?\"”]\s*$", line):
                continue
            in_related = False
        if _BOILER_LINE.match(line):
            continue
        low = line.lower()
        if "baca" in low or "lihat juga" in low or "simak" in low:
            line = _INLINE_BOILER.sub("", line)
        line = _BYLINE.sub("", line).strip()
        if len(line) < 3:
            continue
        paras.append(line)
    return paras


_NAME_AI = re.compile(r"(?<![.!?]\s)(?<=\s)([A-Z][a-zA-Z]+)\s+AI\b(?!-)")
_GENERIC_BEFORE_AI = {"Agen", "Teknologi", "Era", "Model", "Platform", "Fitur", "Sistem", "Perusahaan",
                      "Investasi", "Penggunaan", "Alat", "Tren", "Dampak", "Ancaman", "Gara-gara",
                      "Karena", "Akibat", "Dengan", "Oleh", "Pakai", "Soal", "Berbasis", "Adopsi",
                      "Kecerdasan", "Generatif", "Dan", "Atau", "Ke", "Di", "Unit", "Tim", "Divisi",
                      "Fokus", "Alasan", "Picu", "Tunjuk", "Lewat", "Demi", "Gantikan", "Diganti"}


_OPENAI = re.compile(r"\bOpen\s?AI\b|\bxAI\b")


def _ai_names(paras: list[str]) -> set[str]:
    names = set()
    for p in paras:
        if "AI" not in p:
            continue
        for m in _NAME_AI.finditer(p):
            w = m.group(1)
            if w not in _GENERIC_BEFORE_AI:
                names.add(w + " AI")
    return names


def _strip_names(s: str, names: set[str]) -> str:
    if "AI" in s:
        s = _OPENAI.sub("OPENAI_NAME", s)
    else:
        if "kecerdasan" not in s.lower():
            return s
    s = _AI_FIRM.sub("perusahaan NAME_X", s)
    for n in names:
        s = s.replace(n, "NAME_X")
    return s


_DIGIT_OR_VAGUE = re.compile(r"\d|ribu|ratus|puluh|juta|belas|sepuluh|seratus|seribu|setengah", _I)


def _is_mass(s: str) -> bool:
    if not _DIGIT_OR_VAGUE.search(s):
        return bool(re.search(r"\b(?:massal|besar-besaran)\b", s, _I))
    if re.search(r"\b(?:massal|besar-besaran)\b", s, _I):
        return True
    for m in _JOB_NUM.finditer(s):
        v = _num_from_match(m.group(1), m.group(2))
        if v is None or v >= 10:
            return True
    return False


# cheap substring gates (stems survive meN-/peN- nasal assimilation: memangkas, memotong, mengurangi, memecat)
_LAY_GATE = ("phk", "pemutusan", "layoff", "lay-off", "rumahkan", "pensiun", "berhenti", "angkas", "otong",
             "ngurang", "kurangi", "ramping", "hapus", "pulangkan", "efisiensi", "hilang", "ecat", "kontrak")
_AI_GATE = ("kecerdasan", "artificial", "artifisial", "generati", "otoma", "automa", "chatbot", "chat-bot",
            "chatgpt", "machine learning", "pembelajaran mesin", "llm", "language model", "robot",
            "digitalisasi", "revolusi industri", "algoritma", "gen-ai", "genai")
_NONAI_GATE = ("karena", "akibat", "imbas", "gara", "dampak", "alasan", "setelah", "usai")


_LAY_GATE_RE = re.compile("|".join(re.escape(g) for g in _LAY_GATE))
_AI_GATE_RE = re.compile("|".join(re.escape(g) for g in _AI_GATE))
_NONAI_GATE_RE = re.compile("|".join(_NONAI_GATE))


def _has_lay_word(low: str) -> bool:
    return _LAY_GATE_RE.search(low) is not None


def _analyse_sentence(para: int, s: str) -> _Sent:
    low = s.lower()
    lay = _has_lay_word(low) and bool(_LAYOFF_STRONG.search(s))
    weak = False
    if not lay and ("ecat" in low or "kehilangan" in low):
        fm = "ecat" in low and _FIRE.search(s)
        lj = "kehilangan" in low and _LOSE_JOB.search(s)
        if (fm or lj) and _is_mass(s) and not _NEG_INDIVIDUAL.search(s):
            lay = True
        elif fm or lj:
            weak = True
    ai = ("AI" in s or "A.I" in s or _AI_GATE_RE.search(low) is not None) and bool(_AI.search(s) or _AI_CI_FIX.search(s))
    repl_num = repl = repl_conc = anaphor = False
    cause: float = 0
    if ai:
        if "ganti" in low or "alih" in low or "digitalisasi" in low:
            repl_num = bool(_REPLACE_NUM.search(s))
            repl = bool(_REPLACE.search(s) and _WORKER_RE.search(s))
            repl_conc = bool(repl and _CONCRETE_WORKER.search(s) and "?" not in s)
        anaphor = bool(_ANAPHOR.search(s))
    if lay or ai or weak:
        if _NONAI_GATE_RE.search(low) and _NONAI_CAUSE.search(s):
            cause = 0
        else:
            cause = bool(_CAUSE.search(s)) or (0.5 if _CAUSE_WEAK.search(s) else 0)
    return _Sent(para, s, lay or repl_num or repl_conc, weak, ai, cause, repl_num, repl, anaphor)


def _split_sents(p: str) -> list[str]:
    return [x for x in _SENT_SPLIT.split(p) if x]


def _label(kind_l: bool, kind_a: bool) -> str:
    if kind_l and kind_a:
        return "PHK + AI"
    return "PHK" if kind_l else "AI"


def _evaluate(title: str, text: str, summary: str | None = None) -> dict:
    title = (title or "").strip()
    text = text or ""
    if summary and len(text.strip()) < 200:
        text = (summary.strip() + "\n" + text).strip()
    paras = _clean(text)
    # drop paragraphs that just repeat the title (page headers)
    tl = title.lower()
    if tl:
        paras = [p for p in paras if p.strip().lower() != tl]
    names = _ai_names(paras)
    t_clean = _strip_names(title, names)
    paras_c = [_strip_names(p, names) for p in paras]

    reasons: list[str] = []
    tS = _analyse_sentence(-1, t_clean)
    t_question = "?" in t_clean
    sents: list[_Sent] = []
    raw_sents: list[list[str]] = []
    for i, p in enumerate(paras):
        rs = _split_sents(p)
        pl = p.lower()
        lay_gate = _has_lay_word(pl) or "kehilangan" in pl or "ganti" in pl or "alih" in pl
        if not lay_gate:
            rs_marked = [(x, False) for x in rs]
        else:
            rs_marked = [(x, True) for x in rs]
        raw_sents.append(rs_marked)
        if not lay_gate and "AI" not in p and "A.I" not in p and not _AI_GATE_RE.search(pl):
            continue  # nothing to find in this paragraph
        for s in rs:
            sents.append(_analyse_sentence(i, _strip_names(s, names)))

    n_par = max(len(paras_c), 1)
    lead_n = min(3, n_par)
    lay_paras = sorted({s.para for s in sents if s.lay})
    ai_paras = sorted({s.para for s in sents if s.ai})
    co = [s for s in sents if s.lay and s.ai]
    co_cause = [s for s in co if s.cause or s.repl_num]
    has_layoff_subject = tS.lay or len(lay_paras) >= 2
    ana = [s for s in sents if not s.lay and s.anaphor and s.ai and s.cause] if has_layoff_subject else []
    ai_cause = [s for s in sents if s.ai and s.cause and not s.lay]
    repl_any = [s for s in sents if s.repl]
    lead_lay = [p for p in lay_paras if p < lead_n]
    lead_ai = [p for p in ai_paras if p < lead_n]
    adj = 0
    for a, b in zip(sents, sents[1:]):
        if a.para == b.para and ((a.lay and b.ai and b.cause) or (b.lay and a.ai and a.cause)):
            adj += 1

    # --- layoff-as-subject score
    L = 0.0
    if tS.lay:
        L += 2.5
        reasons.append("judul: PHK")
    elif tS.lay_weak:
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
    A += strong_co + 1.0 * min(len(ana), 2) + 0.25 * min(len(co) - len(co_cause), 3)
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
    if _NEG_INDIVIDUAL.search(head) and not _is_mass(t_clean):
        N += 2.0
        reasons.append("negatif: pemecatan individu")
    if _NEG_PROTEST.search(head):
        N += 1.5
        reasons.append("negatif: protes/ancam mundur")
    if _NEG_CREATE.search(head) and not tS.lay:
        N += 1.5
        reasons.append("negatif: penciptaan lapangan kerja")
    if _NEG_SURVEY.search(t_clean) or (_NEG_SURVEY.search(head) and not tS.lay):
        N += 1.5
        reasons.append("negatif: survei")
    causal = links >= 1 or weak_links >= 2
    if not causal:
        reasons.append("tanpa kaitan sebab PHK-AI")
    single = len(ai_paras) <= 1 and not tS.ai and not any(s.repl_num for s in co)
    if single:
        reasons.append("AI hanya disebut sekali")
    return dict(title=title, paras=raw_sents, names=names, L=L, A=A, N=N, reasons=reasons,
                causal=causal and not single)


def classify(title: str, text: str, summary: str | None = None) -> Verdict:
    """Classify one article; see the module docstring for exactly what is flagged."""
    f = _evaluate(title, text, summary)
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
    companies = _companies(f["title"], f["paras"], f["names"]) if L >= 2.0 else []
    jobs_cut, percent = _numbers(f["title"], f["paras"])
    return Verdict(match=match, score=score, reasons=reasons, companies=companies,
                   jobs_cut=jobs_cut, percent=percent)


# ---------------------------------------------------------------------------
# Numbers: jobs_cut and percent
# ---------------------------------------------------------------------------
_AFFECTED = re.compile(r"\b(?:terdampak|terkena|hilang)\b", _I)
_AGGREGATE = re.compile(r"\b(?:sektor|industri\s+teknologi|secara\s+keseluruhan|layoffs\.fyi|Challenger)\b", _I)


def _jobs_in(s: str) -> list[tuple[int | None, int]]:
    """Numbers attached to worker nouns in s: list of (value or None if vague, position)."""
    out = []
    if not _DIGIT_OR_VAGUE.search(s):
        return out
    for m in _JOB_NUM.finditer(s):
        before_words = re.split(r"\s+", s[max(0, m.start() - 40):m.start()].lower().strip())[-3:]
        if ("," not in " ".join(before_words[-2:])) and any(w.strip(",;") in _TOTAL_WORDS for w in before_words[-3:]):
            continue
        if re.match(r"\d{4}$", m.group(1)) and not m.group(2) and 1990 <= int(m.group(1)) <= 2100:
            continue
        val = _num_from_match(m.group(1), m.group(2))
        if val is not None and val < 2:
            continue
        out.append((val, m.start()))
    return out


def _numbers(title: str, paras: list[list[str]]) -> tuple[int | None, float | None]:
    jobs = None
    pct = None
    cands: list[tuple[int, int]] = []  # (priority, value)
    units = [(0, [(title, True)])] + [(1 + i, p) for i, p in enumerate(paras)]
    order = 0
    for idx, unit in units:
        for s, gated in unit:
            if not gated:
                continue
            low = s.lower()
            if not (_has_lay_word(low) or "kehilangan" in low or "ganti" in low
                    or "alih" in low or "terdampak" in low or "terkena" in low):
                continue
            is_lay = bool(_LAYOFF_STRONG.search(s) or _FIRE.search(s) or _LOSE_JOB.search(s)
                          or _REPLACE.search(s) or _AFFECTED.search(s))
            if is_lay and idx > 3 and _AGGREGATE.search(s):
                continue
            if not is_lay:
                continue
            for val, pos in _jobs_in(s):
                if val is None:
                    continue
                prio = 0 if idx == 0 else (1 if idx <= 3 else 2)
                cands.append((prio, order, val))
                order += 1
            if pct is None and ("%" in s or "persen" in low or "seper" in low or "setengah" in low
                                or "separuh" in low or "pertiga" in low or "perempat" in low):
                for m in _PCT.finditer(s):
                    after = s[m.end():m.end() + 50]
                    before = s[max(0, m.start() - 40):m.start()]
                    if re.search(r"\b(?:pendapatan|saham|laba|harga|bunga|inflasi|tumbuh|naik|turun|"
                                 r"kenaikan|penurunan|pangsa|interaksi|kode|operasi|proses)\b", before + " " + after[:25], _I):
                        continue
                    if re.search(r"^\s*(?:dari\s+)?(?:total\s+)?(?:\S+\s+){0,3}?" + _WORKER, after, _I) or \
                            re.search(r"(?:PHK|pangkas|memangkas|mengurangi|setara|sekitar|atau|memecat)\s*$", before, _I):
                        pct = _pct_from_match(m)
                        break
    if cands:
        cands.sort(key=lambda c: (c[0], c[1]))
        jobs = cands[0][2]
    return jobs, pct


# ---------------------------------------------------------------------------
# Companies
# ---------------------------------------------------------------------------
def _norm_company(n: str) -> str:
    n = n.strip(" ,.;:-'\"")
    n = re.sub(r"^PT\s+", "", n)
    prev = None
    while prev != n:
        prev = n
        n = _CORP_SUFFIX.sub("", n)
    return n.strip()


def _companies(title: str, psents: list[list[str]], ai_names: set[str]) -> list[str]:
    paras = [" ".join(x for x, _ in p) for p in psents]
    scores: dict[str, float] = {}
    display: dict[str, str] = {}
    units = [(True, [(title, True)])] + [(False, p) for p in psents]
    body_text = "\n".join(paras)
    lower_words = set(re.findall(r"(?<![\w-])[a-z][a-z-]+", title + "\n" + body_text))
    for pi, (is_title, unit) in enumerate(units):
        for s, pgate in unit:
            if not is_title and pi > 3 and not pgate:
                continue
            low = s.lower()
            gate = pgate and (_has_lay_word(low) or "ganti" in low)
            if not is_title and pi > 3 and not gate:
                continue  # companies are named in the title, the lead or next to layoff terms
            s_lay = gate and bool(_LAYOFF_STRONG.search(s) or _FIRE.search(s) or _REPLACE.search(s))
            for m in _CAP_SEQ.finditer(s):
                raw = m.group(1)
                # trim trailing stop words from the sequence
                toks = raw.split()
                while toks and toks[-1].lower().strip(".,") in _STOP_CAP and toks[-1].lower() not in ("bank", "group", "grup"):
                    toks.pop()
                while toks and toks[0].lower().strip(".,") in _STOP_CAP and toks[0] != "PT":
                    toks.pop(0)
                if not toks:
                    continue
                if is_title and body_text:
                    # title case makes every word capitalised: keep the longest prefix seen in the body
                    while toks and " ".join(toks) not in body_text and " ".join(toks).lower() not in _KNOWN_SET:
                        toks.pop()
                    if not toks:
                        continue
                name = _norm_company(" ".join(toks))
                key = name.lower()
                if not name or key in _STOP_CAP or key in _MEDIA or len(name) < 2:
                    continue
                if re.fullmatch(r"[\d.,%]+", name):
                    continue
                if " " not in name and key in lower_words and key not in _KNOWN_SET:
                    continue  # an ordinary word that was capitalised (sentence start, title case)
                before = s[max(0, m.start() - 45):m.start()]
                after = s[m.end():m.end() + 60]
                sent_start = m.start() == 0 or s[:m.start()].rstrip()[-1:] in (".", "!", "?", '"', "“", "")
                known = key in _KNOWN_SET
                bw = before.lower().replace(",", " ").split()
                person = bool((bw and (bw[-1] in _PERSON_WORDS or (len(bw) > 1 and bw[-2] in _PERSON_WORDS
                                                                  and bw[-2] not in ("kata", "ujar", "menurut", "oleh", "dikutip"))))
                              or _PERSON_CTX_AFTER.match(after))
                if person and not known:
                    continue
                w = 0.0
                if known:
                    w += 1.0
                if any(w in _LEAD_WORDS for w in bw[-5:]):
                    w += 1.5
                if _COMPANY_VERB_AFTER.match(after):
                    w += 2.0
                if bw and bw[-1] in ("karyawan", "pekerja", "pegawai", "staf", "phk", "di-phk") or bw[-2:] == ["phk", "di"]:
                    w += 1.0
                if s_lay:
                    w += 0.7
                if is_title:
                    w *= 1.6
                if w == 0.0:
                    # plain capitalised word: weak evidence, ignore sentence-initial words
                    w = 0.0 if sent_start else 0.15
                if len(toks) >= 3 and not known and w < 2:
                    w *= 0.5
                scores[key] = scores.get(key, 0.0) + w
                if key not in display or (known and display[key] != _KNOWN_SET[key]):
                    display[key] = _KNOWN_SET.get(key, name)
    # aliases / merge: "amazon web services" -> keep; drop names contained in a higher-scoring one
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    ranked = [(k, v) for k, v in ranked if v >= 2.0]
    if not ranked:
        return []
    top = ranked[0][1]
    out: list[str] = []
    for k, v in ranked:
        if v < max(2.0, top * 0.3):
            continue
        if any(k != o.lower() and (k in o.lower().split() or o.lower() in k.split()) for o in out):
            continue
        out.append(display[k])
        if len(out) >= 5:
            break
    return out
