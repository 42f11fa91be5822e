"""Facts about a flagged article: the companies cutting jobs, the headline number of jobs cut and
the share of the workforce cut.

``extract(f)`` takes the rules' evaluation of an article (crawler.classify.rules.evaluate) and
returns the fact fields of the Verdict: ``companies`` are organisations named as cutting jobs,
``jobs_cut`` the headline number of jobs cut (None when only vague, e.g. "ribuan"), and
``percent`` the share of the workforce cut (e.g. 30.0, "sepertiga" = 33.3).  Companies are only
looked for when layoffs are at least a secondary subject (L >= 2).
"""
from __future__ import annotations

import re
from functools import lru_cache

from .rules import (_F_AFFECTED, _F_AGGREGATE, _F_REPLACE, _FIRE, _I, _JOB_NUM, _LOSE_JOB, _NUM_TOKEN,  # noqa: F401
                    _REPLACE, _WORKER, _WS, _Text, _has_number, _num_from_match, parse_number)


def extract(f: dict) -> dict:
    """The fact fields of the Verdict for the rules' evaluation f of an article."""
    companies = _companies(f["title"], f["paras"], f["names"]) if f["L"] >= 2.0 else []
    jobs_cut, percent = _numbers(f["title"], f["paras"])
    return {"companies": companies, "jobs_cut": jobs_cut, "percent": percent}


_FRACTIONS = {"sepertiga": 100 / 3, "seperempat": 25.0, "setengah": 50.0, "separuh": 50.0,
              "dua pertiga": 200 / 3, "tiga perempat": 75.0, "seperlima": 20.0, "sepersepuluh": 10.0}
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
    "challenger", "gray", "christmas", "klien", "portal", "tabloid", "manajemen", "serikat",
}
_PERSON_WORDS = {"ceo", "cfo", "cto", "coo", "pendiri", "co-founder", "cofounder", "bos", "presiden", "direktur",
                 "kepala", "jubir", "analis", "ekonom", "pengamat", "profesor", "peneliti", "menteri", "ketua",
                 "wakil", "kata", "ujar", "ungkap", "menurut", "dikutip", "oleh", "bapak", "ibu", "pak", "bu",
                 "mr", "mr.", "ms", "ms.", "sang", "manajer", "eksekutif", "insinyur", "officer", "bicara"}
_LEAD_WORDS = {"perusahaan", "raksasa", "startup", "platform", "maskapai", "bank", "konsultan", "firma", "grup",
               "group", "produsen", "pabrikan", "induk", "e-commerce", "fintech", "unicorn", "decacorn", "emiten",
               "operator", "pengembang", "penyedia", "layanan", "pt", "studio", "pabrik", "aplikasi", "peritel",
               "jaringan", "media", "rintisan", "portal", "tabloid", "penerbit"}
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
    r"setop|stop|pulangkan|memulangkan|menghentikan|hentikan|memutus|putus|merampingkan|rampingkan|"
    r"(?:tidak|tak)\s+(?:mem)?perpanjang|(?:membuka|menawarkan|tawarkan)\s+(?:program\s+)?pensiun|\d)", _I)


# ---------------------------------------------------------------------------
# Numbers: jobs_cut and percent
# ---------------------------------------------------------------------------
_AFFECTED = re.compile(r"\b(?:terdampak|terkena|hilang)\b", _I)
_AGGREGATE = re.compile(r"\b(?:sektor|industri\s+teknologi|secara\s+keseluruhan|layoffs\.fyi|Challenger)\b", _I)


_YEAR = re.compile(r"\d{4}$")
_PCT_OTHER = re.compile(r"\b(?:pendapatan|saham|laba|harga|bunga|inflasi|tumbuh|naik|turun|"
                        r"kenaikan|penurunan|pangsa|interaksi|kode|operasi|proses)\b", _I)
_PCT_WORKER_AFTER = re.compile(r"^\s*(?:dari\s+)?(?:total\s+)?(?:\S+\s+){0,3}?" + _WORKER, _I)
_PCT_CUT_BEFORE = re.compile(r"(?:PHK|pangkas|memangkas|mengurangi|setara|sekitar|atau|memecat)\s*$", _I)


def _is_cut_context(r: _Text) -> bool:
    """Firing, job-loss, replacement or "affected" term in r.text (besides _is_layoff)."""
    s, fold = r.text, r.fold
    return (("ecat" in fold and _FIRE.search(s) is not None)
            or ("kehilangan" in fold and _LOSE_JOB.search(s) is not None)
            or (bool(r.fflags & _F_REPLACE) and _REPLACE.search(s) is not None)
            or (bool(r.fflags & _F_AFFECTED) and _AFFECTED.search(s) is not None))


def _jobs_in(s: str, fflags: int | None = None) -> list[tuple[int | None, int]]:
    """Numbers attached to worker nouns in s: list of (value or None if vague, position)."""
    out = []
    if not _has_number(s, fflags):
        return out
    for m in _JOB_NUM.finditer(s):
        before_words = _WS.split(s[max(0, m.start() - 40):m.start()].lower().strip())[-3:]
        if ("," not in " ".join(before_words[-2:])) and any(w.strip(",;") in _TOTAL_WORDS for w in before_words[-3:]) \
                and before_words[-2:-1] not in (["lebih"], ["kurang"]):  # "lebih dari 100" is not a total
            continue
        if _YEAR.match(m.group(1)) and not m.group(2) and 1990 <= int(m.group(1)) <= 2100:
            continue
        val = _num_from_match(m.group(1), m.group(2))
        if val is not None and val < 2:
            continue
        out.append((val, m.start()))
    return out


def _numbers(title: _Text, paras: list[list[_Text]]) -> tuple[int | None, float | None]:
    jobs = None
    pct = None
    cands: list[tuple[int, int]] = []  # (priority, value)
    units = [(0, [title])] + [(1 + i, p) for i, p in enumerate(paras)]
    order = 0
    for idx, unit in units:
        for r in unit:
            if not r.gated:
                continue
            s, low = r.text, r.low
            if not (r.lay_word or "kehilangan" in low or "ganti" in low
                    or "alih" in low or "terdampak" in low or "terkena" in low):
                continue
            if not (r.layoff or _is_cut_context(r)):
                continue
            if idx > 3 and r.fflags & _F_AGGREGATE and _AGGREGATE.search(s):
                continue
            for val, pos in _jobs_in(s, r.fflags):
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
                    if _PCT_OTHER.search(before + " " + after[:25]):
                        continue
                    if _PCT_WORKER_AFTER.search(after) or _PCT_CUT_BEFORE.search(before):
                        pct = _pct_from_match(m)
                        break
    if cands:
        cands.sort(key=lambda c: (c[0], c[1]))
        jobs = cands[0][2]
    return jobs, pct


# ---------------------------------------------------------------------------
# Companies
# ---------------------------------------------------------------------------
_PT = re.compile(r"^PT\s+")
_NUMERIC = re.compile(r"[\d.,%]+")
_LOWER_WORD_FULL = re.compile(r"[a-z][a-z-]+")


@lru_cache(maxsize=4096)
def _norm_company(n: str) -> str:
    n = n.strip(" ,.;:-'\"")
    n = _PT.sub("", n)
    prev = None
    while prev != n:
        prev = n
        n = _CORP_SUFFIX.sub("", n)
    return n.strip()


@lru_cache(maxsize=4096)
def _trim_cap_seq(raw: str) -> tuple[str, ...]:
    """Tokens of a capitalised sequence without leading/trailing stop words."""
    toks = raw.split()
    while toks and toks[-1].lower().strip(".,") in _STOP_CAP and toks[-1].lower() not in ("bank", "group", "grup"):
        toks.pop()
    while (toks and toks[0].lower().strip(".,") in _STOP_CAP and toks[0] != "PT"
           and not (len(toks) > 1 and toks[0] == "Bank")):  # "Bank Mandiri" is a name
        toks.pop(0)
    return tuple(toks)


@lru_cache(maxsize=4096)
def _company_name(seq: str) -> tuple[str, str] | None:
    """(display name, key) for a trimmed capitalised sequence, None if it cannot be a company."""
    name = _norm_company(seq)
    key = name.lower()
    if not name or key in _STOP_CAP or key in _MEDIA or len(name) < 2:
        return None
    if key.endswith((".com", ".co", ".id", ".net")):
        return None  # a news site (dateline "Bisnis.com, JAKARTA -")
    if _NUMERIC.fullmatch(name):
        return None
    return name, key


def _is_lower_word(key: str, text: str) -> bool:
    """key occurs in text as a whole lower-case word, i.e. key in set(_LOWER_WORD.findall(text)):
    a maximal run of [a-z-] starting with [a-z], not preceded by a word character or "-"."""
    if not _LOWER_WORD_FULL.fullmatch(key):
        return False
    n = len(key)
    i = text.find(key)
    while i >= 0:
        prev = text[i - 1] if i else ""
        nxt = text[i + n:i + n + 1]
        if not (prev and (prev.isalnum() or prev in "_-")) and not (nxt and ("a" <= nxt <= "z" or nxt == "-")):
            return True
        i = text.find(key, i + 1)
    return False


def _companies(t_rec: _Text, psents: list[list[_Text]], ai_names: set[str]) -> list[str]:
    title = t_rec.text
    paras = [p[0].text if len(p) == 1 else " ".join([r.text for r in p]) for p in psents]
    scores: dict[str, float] = {}
    display: dict[str, str] = {}
    units = [(True, [t_rec])] + [(False, p) for p in psents]
    body_text = "\n".join(paras)
    all_text = title + "\n" + body_text
    lower_words: dict[str, bool] = {}  # key -> _is_lower_word(key, all_text)
    for pi, (is_title, unit) in enumerate(units):
        late = not is_title and pi > 3
        for r in unit:
            if late and not r.gated:
                continue
            s = r.text
            gate = r.gated and (r.lay_word or "ganti" in r.low)
            if late and not gate:
                continue  # companies are named in the title, the lead or next to layoff terms
            s_lay = None  # layoff term in s; computed on first use
            for m in _CAP_SEQ.finditer(s):
                toks = _trim_cap_seq(m.group(1))
                if not toks:
                    continue
                if is_title and body_text:
                    # title case makes every word capitalised: keep the longest prefix seen in the body
                    toks = list(toks)
                    while toks and " ".join(toks) not in body_text and " ".join(toks).lower() not in _KNOWN_SET:
                        toks.pop()
                    if not toks:
                        continue
                cand = _company_name(" ".join(toks))
                if cand is None:
                    continue
                name, key = cand
                if " " not in name and key not in _KNOWN_SET:
                    if key not in lower_words:
                        lower_words[key] = _is_lower_word(key, all_text)
                    if lower_words[key]:
                        continue  # an ordinary word that was capitalised (sentence start, title case)
                start = m.start()
                before = s[max(0, start - 45):start]
                after = s[m.end():m.end() + 60]
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
                if not _LEAD_WORDS.isdisjoint(bw[-5:]):
                    w += 1.5
                if _COMPANY_VERB_AFTER.match(after):
                    w += 2.0
                if bw and bw[-1] in ("karyawan", "pekerja", "pegawai", "staf", "phk", "di-phk") or bw[-2:] == ["phk", "di"]:
                    w += 1.0
                if gate and s_lay is None:
                    fold = r.fold
                    s_lay = (r.layoff
                             or ("ecat" in fold and _FIRE.search(s) is not None)
                             or (bool(r.fflags & _F_REPLACE) and _REPLACE.search(s) is not None))
                if gate and s_lay:
                    w += 0.7
                if toks[0] == "PT":
                    w += 2.0
                if bw and bw[-1] in ("di", "ke", "dari", "kota", "kabupaten", "provinsi") and not known:
                    w *= 0.3  # a place ("pabrik di Cikarang")
                if is_title:
                    w *= 1.6
                if w == 0.0:
                    # plain capitalised word: weak evidence, ignore sentence-initial words
                    sent_start = start == 0 or s[:start].rstrip()[-1:] in (".", "!", "?", '"', "“", "", "-", "–", "—")
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
