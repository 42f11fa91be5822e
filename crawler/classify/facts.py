"""Facts about an article: who cuts jobs, how many, where, who links the cut to AI, and the
sentence that shows it.

``extract(f)`` takes the rules' evaluation of an article (crawler.classify.rules.evaluate) and
returns the fact fields of the Verdict.  Nothing is looked for unless the article has a layoff
term (rules' L >= 1, or a cut verb such as "susutkan" in the title); evidence and attribution
also need an AI term.  Rules:

``companies`` -- organisations named as cutting jobs, the one cutting first.  A capitalised
  name scores where it is (title, lead, next to a layoff term), what surrounds it ("perusahaan
  X", "X memangkas", "karyawan X", "CEO X, Nama") and whether it is well known
  (``gazetteer.toml``: well-known companies with aliases -- "BT" is shown "BT Group").  Never a
  company: sentence openers and common words ("Sebanyak", "Termasuk"), Indonesian places
  ("Sukoharjo", "Jawa Tengah"), countries, people's titles and the people after them ("CEO",
  "Menteri Ketenagakerjaan"), outlets and datelines (a web name that is an outlet's, "Liputan6.com",
  "dikutip dari Tirto.id", or written in capitals, "TRIBUNBATAM.id"; a brand named with its web
  ending, "Lancong.id", is a company), month ranges, pronouns, a source cited with
  "menurut".  A name ending in a capitalised common word keeps it ("Warta Kini").  The name is
  the full one as first introduced: descriptor and country words before it are dropped
  ("Konglomerat Jepang Kanemori Holdings" -> "Kanemori Holdings", "Koran Inggris The Meridian
  Post" -> "The Meridian Post"), organisation words that open it are kept ("Grup Media X", "Bank
  X", "Asuransi X", "Grup Rumah Sakit X"; "Grup Lufthansa" is Lufthansa), and a short form that
  opens or ends a longer name is that name ("Kontakta" of "PT Kontakta Layan Nusantara",
  "Cakrawala" of "Grup Media Cakrawala"), but not a local unit ("Corvane Indonesia").  A name is
  shown as written, with a leading "PT" and a "Group" (as the labelled data writes them: "PT Sanken
  Indonesia", "BT Group"), without a trailing "Tbk", "(Persero)", "Inc", "Corporation" ("PT Bank
  Sagara Tbk" -> "PT Bank Sagara"); a well-known company is shown by its usual name.  A
  city or regency government, a ministry or an agency is named only when it cuts its own staff
  ("Pemerintah Kota X memberhentikan ...", "Kementerian X memangkas ...", "Pemerintah Kota X tidak lagi
  mempekerjakan 150 tenaga honorer", "90 tenaga honorer Pemerintah Kabupaten X diberhentikan").  A
  well-known media company is named only as the one cutting ("Business Insider memangkas ..."), never
  as a source ("dilansir dari Business Insider").  "Studio" opens a name like "Bank" ("Studio Ranu
  Interaktif").  Subject clues: staff of the name, then a passive cut ("40 jurnalis Harian X, koran
  ..., diberhentikan"); "PHK di X" names X (not a place); a cut verb after the name, also after an appositive
  ("X, pengelola 34 hotel, melepas ...") or a reporting verb ("X menyatakan akan memangkas"),
  "Manajemen X", an executive's title ("CEO X, Nama").
``jobs_cut`` -- the headline number of jobs cut: a number of workers in a sentence about a cut
  (the title's first, then the lead's -- the company's worldwide cut there ("Secara global, X
  memangkas 6.500 staf") before a local office's share -- then the rest; with none, a named
  company's headcount that went down in the lead ("dari 2.400 orang menjadi 1.500" -> 900, not a
  dated one), else "jumlahnya sekitar N orang" in the first paragraphs (not "karyawan yang
  jumlahnya ..."), else the title's own "N <workers>" when the lead repeats N and the title does
  not forecast, hire, train or compare).  Cut verbs include release, non-renewal and reduce before a number ("Lepas 300 Agen",
  "Tak Perpanjang 140 Petugas", "Kurangi 260 Tenaga").  "12 ribu", "1,2 juta", "14.000",
  "setengah juta" parse; "sekitar 250 karyawan atau 30 persen" gives 250 and percent 30.0;
  "90 dari 270 pegawai" gives 90; after a cut verb any noun counts ("memberhentikan 80 tutor");
  in a range the figure nearest the noun (the upper bound the headline uses).  Never a cut:
  shares ("30 persen karyawan"), hiring ("buka 500 lowongan", "merekrut 300 insinyur", "posisi
  baru"), totals ("memiliki 5.000 karyawan"), equivalences ("setara dengan 700 agen"), another
  company's cut, an earlier round or a rumour ("gelombang PHK sebelumnya", "tahun lalu",
  "dikabarkan", "setelah X melepas 4.000 pekerja pada awal tahun"), a headcount ("dengan jumlah
  pegawai sekitar 84 ribu orang, pemangkasan itu menyentuh 5.600 orang" -> 5.600).  None when only vague ("ribuan").
``percent`` -- the share of the workforce cut (30.0, "sepertiga" = 33.3, "separuh" = 50.0).
``country`` -- the country of the cut, in Indonesian: where the title or lead says the cut is
  ("karyawan di Indonesia"), else where the text says the company is based ("asal Swedia",
  "berkantor pusat di", in a sentence naming the company), else the well-known company's home,
  else Indonesia for a PT or an Indonesian place.  Outlet names ("CNBC Indonesia") are ignored.
``evidence`` -- the sentence that best links the cut to AI (cut and AI with a cause, work now
  done by AI, fewer people needed, a replacement; earlier, naming the company, without contrast
  or hypothetical), trimmed to about 200 characters at a word boundary with "…".
``attribution`` -- who makes that link: ``disputed`` when the piece argues AI is a pretext
  ("AI-washing", "kambing hitam", "dalih") in its title or lead or twice, or the company denies
  an AI link while cutting; else ``explicit`` when the company or its executive makes it (a
  statement, memo or announcement, or the company as the subject of the linking sentence);
  else ``attributed`` (media, analysts, unions).  The Verdict keeps it only for a match.
"""
from __future__ import annotations

import itertools
import re
import tomllib
from functools import lru_cache
from pathlib import Path

from ..text import TRAILING, clip
from . import rules
from .rules import (_F_AFFECTED, _F_AGGREGATE, _F_REPLACE, _FIRE, _I, _LOSE_JOB, _NUM_TOKEN,  # noqa: F401
                    _REPLACE, _WORKER, _WORKER_RE, _WS, _any_in, _Text, _has_number, _num_from_match, parse_number)


def extract(f: dict) -> dict:
    """The fact fields of the Verdict for the rules' evaluation f of an article."""
    cut = f["L"] >= 1.0 or _CUT_EXTRA.search(f["title"].text) is not None
    companies = _companies(f["title"], f["paras"], f["names"], f["L"] >= 3.0) if cut else []
    jobs_cut, percent = _numbers(f["title"], f["paras"], companies) if cut or f["L"] > 0 else (None, None)
    country = _country(f["title"], f["paras"], companies) if cut else None
    evidence, attribution = _evidence(f, companies) if cut and f["A"] > 0 else (None, None)
    return {"companies": companies, "jobs_cut": jobs_cut, "percent": percent, "country": country,
            "attribution": attribution, "evidence": evidence}


# ---------------------------------------------------------------------------
# Gazetteer (gazetteer.toml beside this file)
# ---------------------------------------------------------------------------
GAZETTEER_PATH = Path(__file__).with_name("gazetteer.toml")


def _load_gazetteer(path: Path = GAZETTEER_PATH) -> dict:
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    for key in ("company", "country", "places", "titles", "not_company"):
        if key not in data:
            raise ValueError(f"{path.name}: missing {key}")
    return data


_GAZ = _load_gazetteer()
# lower-cased name or alias -> shown name; shown name -> home country
_ALIAS: dict[str, str] = {}
_HOME: dict[str, str] = {}
for _c in _GAZ["company"]:
    for _n in [_c["name"], *_c.get("aliases", [])]:
        _ALIAS[_n.lower()] = _c["name"]
    if _c.get("country"):
        _HOME[_c["name"]] = _c["country"]
_KNOWN_RE = re.compile(r"(?<![\w-])(?:" + "|".join(sorted(
    (re.escape(n) for c in _GAZ["company"] for n in [c["name"], *c.get("aliases", [])] if len(n) > 2),
    key=len, reverse=True)) + r")(?![\w-])")
_ID_PLACES = {p.lower() for p in _GAZ["places"]}
_PLACES = _ID_PLACES | {p.lower() for p in _GAZ.get("foreign_places", [])}
_TITLES = {t.lower() for t in _GAZ["titles"]}
_NOT_COMPANY = {w.lower() for w in _GAZ["not_company"]}


def _country_re(patterns: list[str]) -> re.Pattern:
    # short forms ("AS", "RI", "UEA") only in capitals: "as" is also an English word
    alts = [f"(?-i:{p.upper()})" if len(p.replace("\\", "").replace(".", "")) <= 3 else p for p in patterns]
    return re.compile(r"(?<![\w-])(?:" + "|".join(alts) + r")(?![\w-])", _I)


_COUNTRIES = [(c["name"], _country_re(c["patterns"])) for c in _GAZ["country"]]
_COUNTRY_NAMES = {c["name"].lower(): c["name"] for c in _GAZ["country"]}


_FRACTIONS = {"sepertiga": 100 / 3, "seperempat": 25.0, "setengah": 50.0, "separuh": 50.0,
              "dua pertiga": 200 / 3, "tiga perempat": 75.0, "seperlima": 20.0, "sepersepuluh": 10.0}
_PCT = re.compile(
    r"(?<![\w.,])(\d+(?:[.,]\d+)?)\s*(?:%|persen\b)|\b(sepertiga|seperempat|setengah|separuh|dua\s+pertiga|"
    r"tiga\s+perempat|seperlima|sepersepuluh)(?:nya)?\b(?!\s*(?:juta|ribu|miliar)\b)", _I)


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
_KNOWN_SET = {k.lower(): k for k in _KNOWN if k != "Target"}  # ("target" is an Indonesian word)
_KNOWN_SET.update(_ALIAS)
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
    "mashable", "pcmag", "msn", "techradar", "futurism", "engadget", "ars technica", "venturebeat", "the register",
    "9to5mac", "9to5google", "business standard", "economic times", "the times", "daily mail", "the independent",
    "mobilegamer.biz", "voxblick", "ntvnews", "idxchannel", "idx channel", "viva", "kompas.com", "detikinet",
    # (outlets that are cited by their web name: "dikutip dari Tirto.id", "Antaranews.com")
    "tirto", "antaranews", "cnnindonesia", "cnbcindonesia", "jawapos", "medcom", "metrotvnews", "beritasatu",
    "wartaekonomi", "idntimes", "inilah", "rmol", "gatra", "hukumonline", "dailysocial", "techinasia",
    "trenasia", "kabar24", "kapanlagi", "grid",
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
               "jaringan", "media", "rintisan", "portal", "tabloid", "penerbit", "manajemen"}
# trailing capitalised words that are never the end of a name
_HARD_TAIL = ({"senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu", "januari", "februari", "maret",
               "april", "mei", "juni", "juli", "agustus", "september", "oktober", "november", "desember", "ai",
               "phk", "ceo", "cfo", "cto", "coo", "rp", "us", "usd", "wib", "as", "ri", "pt", "the", "dan", "di",
               "ke", "dari", "yang", "untuk", "pada", "dengan", "atau", "of", "&",
               # headline verbs after a name ("Salesforce Pangkas ...", "BPJS Watch Sebut ...")
               "sebut", "sambut", "ungkap", "klaim", "bantah", "umumkan", "pangkas", "rumahkan", "tawarkan",
               "buka", "ganti", "gantikan", "pecat", "beri", "minta", "ajak", "siap", "bakal", "akan",
               "kembali", "resmi", "pastikan", "tegaskan", "akui", "catat", "kena", "terancam", "ingin",
               "mulai", "tambah", "kurangi", "hapus", "setop", "stop", "rilis", "luncurkan", "baik"}
              | _TITLES | _MEDIA)
_PERSON_WORDS |= _TITLES
_CORP_SUFFIX = re.compile(
    r"\s+(?:group|grup|inc\.?|corp\.?|corporation|co\.?|ltd\.?|llc|plc|platforms|holdings|tbk\.?|sa|ag|gmbh|se|nv)$", _I)
# a capitalised word, or a brand that opens with one lower-case letter before a capital (xAI, eBay,
# eFishery), then up to five more capitalised words
_CAP_SEQ = re.compile(
    r"(?<![\w-])((?:PT\s+)?(?:[A-ZÀ-ÖØ-Þ]|[a-z](?=[A-Z]))[\w&'.-]*[\w&]?"
    r"(?:\s+(?:[A-ZÀ-ÖØ-Þ][\w&'.-]*[\w&]|&|of\b|de\b)){0,5})")
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
    r"dilaporkan\s+|berencana\s+|mengumumkan\s+|umumkan\s+|sudah\s+|lagi\s+|siap\s+|disebut\s+|"
    r"menyatakan\s+|memutuskan\s+|mengaku\s+|mengonfirmasi\s+)*"
    r"(?:(?:mem|di|ter)?-?PHK|(?:me|di)?rumahkan|(?:mem)?berhentikan|"
    r"(?:melakukan|mengumumkan|umumkan)\s+(?:PHK|pemutusan|pemangkasan|pengurangan)|memangkas|pangkas|memecat|"
    r"pecat|merumahkan|memberhentikan|mengurangi|kurangi|menghapus|hapus|melepas|lepas|ganti|mengganti|gantikan|"
    r"menggantikan|setop|stop|pulangkan|memulangkan|menghentikan|hentikan|memutus|putus|merampingkan|rampingkan|"
    r"(?:tidak|tak)\s+(?:mem)?perpanjang|(?:tidak|tak)\s+lagi\s+(?:mem)?pekerjakan|"
    r"(?:membuka|menawarkan|tawarkan)\s+(?:program\s+)?pensiun|\d)", _I)


# a passive cut after the name of the staff's employer ("40 jurnalis Harian X diberhentikan")
_PASSIVE_CUT_AFTER = re.compile(
    r"^\s*(?:,\s*)?(?:juga\s+|akan\s+|telah\s+|sudah\s+|resmi\s+|harus\s+|ikut\s+)*"
    r"(?:diberhentikan|dipecat|di-?PHK|dirumahkan|dipangkas|dilepas|kehilangan\s+pekerjaan|terkena\s+PHK|"
    r"(?:tidak|tak)\s+(?:lagi\s+)?dipekerjakan|(?:tidak|tak)\s+diperpanjang)\b", _I)
# nouns of a cut: "PHK di X" names the employer X, not a place
_CUT_NOUNS = {"phk", "pemangkasan", "pengurangan", "pemecatan", "pemberhentian", "perampingan", "restrukturisasi"}

# ---------------------------------------------------------------------------
# Numbers: jobs_cut and percent
# ---------------------------------------------------------------------------
_AFFECTED = re.compile(r"\b(?:terdampak|terkena|hilang|berdampak\s+(?:pada|terhadap))\b", _I)
# a number of workers: the rules' worker nouns plus a few job titles
_JOB_WORKER = r"(?:" + _WORKER + r"|(?:developer|engineer|moderator|pengajar|guru|perawat|sales|tenaga)(?:nya)?)"
_JOB_NUM = re.compile(
    r"(?<![\w.,])(" + _NUM_TOKEN + r"|setengah|ribuan|ratusan|puluhan|sepuluh|seratus|seribu|"
    r"satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan)(?:\s*(ribu|rb|juta))?(?:-an)?"
    r"\s+(?:(?:orang|lebih|an)\s+)?((?:\S+\s+)?)" + _JOB_WORKER + r"\b", _I)
# a word between the number and the noun that makes it not a head count ("30 persen karyawan")
_NOT_COUNT_WORD = re.compile(r"(?:persen|%|kali|tahun|bulan|hari|miliar|triliun|dolar|euro)\s*$", _I)
# hiring, not cutting: "membuka 500 lowongan/posisi baru", "merekrut 300 insinyur"
_HIRING_BEFORE = re.compile(
    r"(?:membuka|buka|dibuka|merekrut|rekrut|direkrut|menambah|tambah|mempekerjakan|menciptakan|"
    r"ciptakan|menyerap|serap|lowongan|mencari|butuh|membutuhkan|mengangkat|menerima|melatih|"
    r"pelatihan|beasiswa)\s+(?:\S+\s+){0,2}$", _I)
_EQUIVALENT_BEFORE = re.compile(r"\b(?:setara|sebanding|kerjakan|mengerjakan|dikerjakan|menangani|ditangani)\s+"
                                r"(?:dengan\s+)?(?:\S+\s+){0,3}$", _I)
# "90 dari 270 pegawai": the first number is the cut
_N_OF_M = re.compile(r"(?<![\w.,])(" + _NUM_TOKEN + r")(?:\s*(ribu|juta))?\s+dari\s+(?:total\s+|sekitar\s+)?"
                     + _NUM_TOKEN + r"(?:\s*(?:ribu|juta))?\s+(?:\S+\s+)?" + _WORKER + r"\b", _I)
_HIRING_AFTER = re.compile(r"^\s*(?:baru|tambahan)\b", _I)
# a passive cut after the number ("500 posisi ... akan dikurangi")
_CUT_PASSIVE = re.compile(
    r"\b(?:dikurangi|dipangkas|di-?phk|diberhentikan|dirumahkan|dipecat|dihapus|digantikan|diganti|"
    r"kena\s+phk|terkena\s+phk|kehilangan\s+pekerjaan)\b", _I)
# cut verbs the rules do not count as a layoff on their own
_CUT_EXTRA = re.compile(
    r"\b(?:memutus\s+hubungan\s+kerja|(?:me)?nyusutkan|disusutkan|melepas|dilepas|memangkas|pangkas|"
    r"memberhentikan|berhentikan|merumahkan|memecat|mengganti(?:kan)?|menggantinya|susutkan|"
    # release / non-renewal / reduce, when a number follows ("Lepas 300 Agen", "Tak Perpanjang 140
    # Petugas", "Kurangi 260 Tenaga Pemasar"; not "pekerja lepas", "mengurangi biaya")
    r"(?:tak|tidak)\s+(?:mem)?perpanjang(?:\s+kontrak)?|(?:tak|tidak)\s+lagi\s+(?:mem)?pekerjakan|(?:(?:me)?lepas|(?:meng)?kurangi|(?:meng)?hapus)"
    r"(?=\s+(?:sekitar\s+|hingga\s+|sebanyak\s+)?\d))\b", _I)
# a cut verb right before a number: the number counts whatever noun follows ("memberhentikan 80 tutor")
_VERB_NUM = re.compile(
    r"\b(?:PHK|mem-?PHK|memutus\s+hubungan\s+kerja|memberhentikan|memecat|merumahkan|memangkas|pangkas|"
    r"mengurangi|kurangi|menggantikan|mengganti|melepas|lepas|menghapus|hapus|(?:me)?nyusutkan|"
    r"(?:tak|tidak)\s+(?:mem)?perpanjang(?:\s+kontrak)?|(?:tak|tidak)\s+lagi\s+(?:mem)?pekerjakan)\s+"
    r"(?:(?:terhadap|sekitar|sebanyak|hingga|lebih\s+dari|kurang\s+dari|hampir|setidaknya|total)\s+)*"
    r"(" + _NUM_TOKEN + r"|setengah)(?:\s*(ribu|rb|juta))?\s+(?!persen\b|%|kali\b|tahun\b|bulan\b|hari\b|"
    r"jam\b|miliar\b|triliun\b|dolar\b|rupiah\b|euro\b|unit\b|gerai\b|toko\b|kantor\b|cabang\b)[a-z]", _I)
_CUT_RIGHT_AFTER = re.compile(r"^(?:nya)?\s+(?:yang\s+)?(?:\S+\s+){0,2}?(?:terkena\s+PHK|kena\s+PHK|di-?PHK|"
                              r"dirumahkan|diberhentikan|dipecat|terdampak)\b", _I)
# an earlier round, or a rumour: never the headline cut
_EARLIER = re.compile(
    r"\b(?:(?:gelombang\s+)?(?:PHK|pemangkasan|pemecatan)\s+(?:\S+\s+){0,2}?sebelumnya|tahun\s+lalu|"
    r"tahun\s+sebelumnya|sejak\s+awal\s+(?:tahun|\d{4})|dikabarkan|kabarnya|rumor|"
    # "putaran kedua ... setelah X melepas 4.000 pekerja pada awal tahun": the earlier round
    r"setelah\s+(?:\S+\s+){0,2}?(?:melepas|memangkas|mem-?PHK|memberhentikan|merumahkan|memecat|mengurangi)"
    r"(?=\s+(?:\S+\s+){0,3}?\d))", _I)
_DATED = re.compile(r"\bpada\s+(?:(?:januari|februari|maret|april|mei|juni|juli|agustus|september|oktober|"
                    r"november|desember)\s+)?(?:19|20)\d\d\b", _I)
# maybe another period: only when nothing better is found
_EARLIER_WEAK = re.compile(
    r"\b(?:sebelumnya|pada\s+(?:januari|februari|maret|april|mei|juni|juli|agustus|september|oktober|"
    r"november|desember)\s+\d{4}|pada\s+\d{4})\b", _I)
_GLOBAL = re.compile(r"\b(?:secara\s+global|di\s+seluruh\s+dunia)\b", _I)
_AGGREGATE = re.compile(r"\b(?:sektor|industri\s+teknologi|secara\s+keseluruhan|layoffs\.fyi|Challenger)\b", _I)


_YEAR = re.compile(r"\d{4}$")
_PCT_OTHER = re.compile(r"\b(?:pendapatan|saham|laba|harga|bunga|inflasi|tumbuh|naik|turun|"
                        r"kenaikan|penurunan|pangsa|interaksi|kode|operasi|proses|melakukan|mengerjakan|menangani|"
                        r"mengambil\s+alih)\b", _I)
_PCT_WORKER_AFTER = re.compile(r"^\s*(?:dari\s+)?(?:total\s+)?(?:\S+\s+){0,3}?" + _WORKER, _I)
_PCT_CUT_BEFORE = re.compile(r"(?:PHK|pangkas|memangkas|mengurangi|setara|sekitar|atau|memecat|"
                             r"(?:susutkan|nyusutkan|mengurangi|memangkas|pangkas)\s+(?:jumlah\s+)?(?:karyawan|pekerja|pegawai|staf|"
                             r"tenaga\s+kerja)(?:nya)?(?:\s+(?:hampir|sekitar|hingga|sebanyak))?)\s*$", _I)


def _is_cut_context(r: _Text) -> bool:
    """Firing, job-loss, replacement or "affected" term in r.text (besides _is_layoff)."""
    s, fold = r.text, r.fold
    return (("ecat" in fold and _FIRE.search(s) is not None)
            or ("kehilangan" in fold and _LOSE_JOB.search(s) is not None)
            or (bool(r.fflags & _F_REPLACE) and _REPLACE.search(s) is not None)
            or (bool(r.fflags & _F_AFFECTED) and _AFFECTED.search(s) is not None)
            or (r.lay_word and _CUT_COVERS.search(s) is not None))


# a cut and whom it covers ("pemangkasan kali ini menyasar sekitar 3.100 orang")
_CUT_COVERS = re.compile(r"\b(?:pemangkasan|pengurangan|PHK|pemutusan\s+hubungan\s+kerja|perampingan)\s+"
                         r"(?:\S+\s+){0,3}?(?:mencakup|menyasar|meliputi|mengenai|menyentuh)\b", _I)


# a headcount before a number ("jumlah pegawai sekitar 84 ribu"), unless it is what is cut
# ("mengurangi jumlah karyawan sebanyak 500 orang")
_HEADCOUNT_BEFORE = re.compile(r"\bjumlah\s+(?:karyawan|pegawai|pekerja|staf|tenaga\s+kerja)(?:nya)?\s+"
                               r"(?:sekitar\s+|sebanyak\s+|mencapai\s+|hampir\s+|lebih\s+dari\s+|kini\s+)?$", _I)
_CUT_VERB_BEFORE = re.compile(r"\b(?:mengurangi|kurangi|memangkas|pangkas|menyusutkan|susutkan|dikurangi|"
                              r"dipangkas)\s+$", _I)


def _jobs_in(s: str, fflags: int | None = None) -> list[tuple[int | None, int]]:
    """Numbers attached to worker nouns in s: list of (value or None if vague, position)."""
    out = []
    if not _has_number(s, fflags):
        return out
    for m in _JOB_NUM.finditer(s):
        if m.group(3) and _NOT_COUNT_WORD.search(m.group(3)):
            continue  # "30 persen karyawan" is a share
        if _HIRING_BEFORE.search(s[max(0, m.start() - 40):m.start()]) or _HIRING_AFTER.match(s[m.end():]):
            continue  # hiring numbers are never a cut
        if _EQUIVALENT_BEFORE.search(s[max(0, m.start() - 40):m.start()]):
            continue  # "setara dengan beban kerja 700 agen" is a comparison
        before_words = _WS.split(s[max(0, m.start() - 40):m.start()].lower().strip())[-3:]
        if ("," not in " ".join(before_words[-2:])) and any(w.strip(",;") in _TOTAL_WORDS for w in before_words[-3:]) \
                and before_words[-2:-1] not in (["lebih"], ["kurang"]) \
                and not _CUT_RIGHT_AFTER.match(s[m.end():m.end() + 40]):  # "total 2.300 karyawan terkena PHK"
            continue  # a workforce total ("memiliki total 5.000 karyawan"), not the cut
        if "jumlah" in s[max(0, m.start() - 40):m.start()].lower():
            h = _HEADCOUNT_BEFORE.search(s, max(0, m.start() - 60), m.start())
            if h and not _CUT_VERB_BEFORE.search(s, max(0, h.start() - 25), h.start()):
                continue  # the headcount ("Dengan jumlah pegawai sekitar 84 ribu orang, ..."), not the cut
        if _YEAR.match(m.group(1)) and not m.group(2) and 1990 <= int(m.group(1)) <= 2100:
            continue
        val = _num_from_match(m.group(1), m.group(2))
        if val is not None and val < 2:
            continue
        out.append((val, m.start()))
    return out


_TITLE_COUNT = re.compile(r"(?<![\w.,])(" + _NUM_TOKEN + r")(?:\s*(ribu|rb|juta))?\s+" + _JOB_WORKER + r"\b", _I)
# a title that forecasts, promises or trains: its number is not a cut that happened
_TITLE_NOT_CUT = re.compile(r"\b(?:bisa|dapat|akan|bakal|berpotensi|terancam|diprediksi|diperkirakan|proyeksi|"
                            r"prediksi|hingga\s+20\d\d|pada\s+20\d\d|latih|melatih|pelatihan|rekrut|buka|lowongan|"
                            r"janji|tuntutan|tuntut|butuh|membutuhkan|cari|mencari|serap|menyerap|tambah|"
                            r"menambah|ciptakan|menciptakan|punya|memiliki)\b", _I)


# a headcount that went down: "dari 2.400 orang menjadi sekitar 1.500"
_FROM_TO = re.compile(r"\bdari\s+(?:sekitar\s+|hampir\s+|lebih\s+dari\s+)?(" + _NUM_TOKEN + r")(?:\s*(ribu|juta))?"
                      r"(?:\s+\S+){0,2}?\s+(?:menjadi|jadi|ke)\s+(?:sekitar\s+|hanya\s+|tinggal\s+)?(" + _NUM_TOKEN
                      + r")(?:\s*(ribu|juta))?", _I)
_RISE = re.compile(r"\b(?:naik|bertambah|meningkat|menambah|tambah|tumbuh|melonjak|rekrut|merekrut)\b", _I)


def _from_to(title: _Text, paras: list[list[_Text]], companies: list[str]) -> int | None:
    """A named company's cut given as a headcount that went down in the title or the lead
    ("mengurangi staf dari 2.400 orang menjadi 1.500", "jumlah karyawan turun dari 5.000 menjadi
    3.800"): the difference.  Not a dated or earlier change, nor another company's."""
    for r in [title] + [r for p in paras[:4] for r in p]:
        s = r.text
        if "dari" not in r.low or not _has_number(s, r.fflags):
            continue
        if _DATED.search(s) or _EARLIER.search(s) or _other_company_only(s, companies):
            continue
        for m in _FROM_TO.finditer(s):
            if not rules._WORKER_RE.search(s) or _RISE.search(s[max(0, m.start() - 80):m.start()]):
                continue
            a, b = _num_from_match(m.group(1), m.group(2)), _num_from_match(m.group(3), m.group(4))
            if a and b is not None and a > b >= 1 and not (_YEAR.match(m.group(1)) and 1990 <= a <= 2100):
                return a - b
    return None


# "jumlahnya sekitar 270 orang" after a cut without a figure
_ITS_NUMBER = re.compile(r"\bjumlah(?:nya|\s+(?:itu|tersebut))\s+(?:\S+\s+){0,3}?(" + _NUM_TOKEN
                         + r")(?:\s*(ribu|juta))?\s+" + _JOB_WORKER + r"\b", _I)


def _its_number(paras: list[list[_Text]]) -> int | None:
    """The cut's number given in a later sentence of the lead ("Menurut sumber internal, jumlahnya
    sekitar 270 orang"), when no sentence about the cut states one."""
    for p in paras[:8]:
        for r in p:
            if "jumlah" in r.low and _has_number(r.text, r.fflags):
                m = _ITS_NUMBER.search(r.text)
                if m and not _EARLIER.search(r.text) and not r.text[:m.start()].rstrip().endswith("yang"):
                    # ("karyawan yang jumlahnya mencapai 800 orang" is the workforce)
                    v = _num_from_match(m.group(1), m.group(2))
                    if v and v >= 2:
                        return v
    return None


def _title_count(title: _Text, paras: list[list[_Text]]) -> int | None:
    """The title's number of workers ("Nasib 300 Agen Call Center X"), when no sentence about a
    cut gives one: a number right before a worker noun that the lead repeats, in a title that does
    not forecast, hire or train."""
    t = title.text
    if not _has_number(t, title.fflags) or _TITLE_NOT_CUT.search(t):
        return None
    lead = " ".join(r.text for p in paras[:3] for r in p)
    for m in _TITLE_COUNT.finditer(t):
        if _YEAR.match(m.group(1)) and not m.group(2):
            continue
        before = t[max(0, m.start() - 40):m.start()]
        if _EQUIVALENT_BEFORE.search(before) or _HIRING_BEFORE.search(before):
            continue  # "Asisten AI Kerjakan Tugas 700 Agen"
        v = _num_from_match(m.group(1), m.group(2))
        if v and v >= 2 and re.search(r"(?<![\w.,])" + re.escape(m.group(1)) + r"(?![\w.,]\d)", lead):
            return v
    return None


def _other_company_only(s: str, companies: list[str]) -> bool:
    """s names another company (one of the article's others, or a well-known one) but not the
    article's first company (the one cutting jobs)."""
    if not companies:
        return False
    low = s.lower()
    if _mentions(low, companies[0]):
        return False
    if any(_mentions(low, c) for c in companies[1:]):
        return True
    home = _ALIAS.get(companies[0].lower(), companies[0])
    return any(_ALIAS[m.group(0).lower()] != home for m in _KNOWN_RE.finditer(s) if m.group(0).lower() in _ALIAS)


def _mentions(low: str, company: str) -> bool:
    rx, names = _mention_re(company)
    for n in names:  # (a match spells one of the names: the regex only runs when one occurs)
        if n in low:
            return rx.search(low) is not None
    return False


# English business words that end a name whose first word is then its short form
_BIZ_TAIL = {"consulting", "advisory", "analytics", "systems", "software", "holdings", "technologies", "technology",
             "labs", "studio", "studios", "social", "capital", "partners", "services", "solutions", "networks", "tech",
             "ventures", "logistics", "airlines", "motors", "electronics", "pharma", "games", "interactive"}


@lru_cache(maxsize=4096)
def _mention_re(company: str) -> tuple[re.Pattern, tuple[str, ...]]:
    """One compiled pattern per company (its name and aliases as whole words), and those names:
    built once, not for every sentence -- it ran per cut sentence and dominated long articles
    (issue 15)."""
    names = [company.lower()] + [a for a, n in _ALIAS.items() if n == company]
    if names[0] not in _KNOWN_SET:  # a little-known company's short forms:
        words = names[0].split()
        while len(words) > 1 and words[0] in _ORG_HEAD_WORDS:
            words.pop(0)  # "sinar pagi" of "grup media sinar pagi"
        if len(words) > 1 and words != names[0].split():
            names.append(" ".join(words))
        if (len(words) == 2 and words[1] in _BIZ_TAIL and len(words[0]) >= 4 and words[0] not in _STOP_CAP
                and words[0] not in _PLACES):
            names.append(words[0])  # "corvane" of "corvane consulting"
    return re.compile("|".join(r"(?<!\w)" + re.escape(n) + r"(?!\w)" for n in names)), tuple(names)


def _numbers(title: _Text, paras: list[list[_Text]],
             companies: list[str] | None = None) -> tuple[int | None, float | None]:
    """The headline number of jobs cut and the share of the workforce cut.  Candidates are
    numbers of workers in sentences about a cut; the title's come first, then the lead's, then
    the rest.  A sentence about another company's cut, an earlier round or a rumour, and hiring
    numbers are passed over."""
    companies = companies or []
    jobs = None
    pct = None
    cands: list[tuple[float, int, int]] = []  # (priority, order, value)
    units = [(0, [title])] + [(1 + i, p) for i, p in enumerate(paras)]
    order = 0
    best = None  # the smallest candidate priority so far
    for idx, unit in units:
        # a candidate found from here on has priority >= floor and comes later, so once one with
        # priority <= floor is found the headline number is settled: only the percent is looked for
        floor = 0 if idx == 0 else (1 if idx <= 3 else 2)
        settled = best is not None and best <= floor
        if settled and pct is not None:
            break
        unit_settled = settled
        for r in unit:
            s, low = r.text, r.low
            # the company's worldwide cut in the lead beats a local office's share found before it
            # ("Sekitar 40 analis di Jakarta ... Secara global, X memangkas 6.500 staf")
            glob = 0 < idx <= 3 and ("global" in low or "seluruh dunia" in low) and _GLOBAL.search(s) is not None
            settled = unit_settled and not (glob and best is not None and best >= 1)
            if not (r.lay_word or "kehilangan" in low or "ganti" in low or "alih" in low or "terdampak" in low
                    or "lepas" in low or "perpanjang" in low or "kurangi" in low or "hapus" in low
                    or "terkena" in low or "berdampak" in low or "kena" in low or "dikurangi" in low
                    or "dipangkas" in low or "dipecat" in low or "susut" in low):
                continue
            want_pct = pct is None and ("%" in s or "persen" in low or "seper" in low or "setengah" in low
                                        or "separuh" in low or "pertiga" in low or "perempat" in low)
            if not want_pct and (settled or not _has_number(s, r.fflags)):
                continue  # nothing to count here
            if not (r.layoff or _is_cut_context(r) or _CUT_PASSIVE.search(s) or _CUT_EXTRA.search(s)
                    or ("berdampak" in low and _AFFECTED.search(s))):
                continue
            if idx > 3 and r.fflags & _F_AGGREGATE and _AGGREGATE.search(s):
                continue
            if idx > 0 and _other_company_only(s, companies):
                continue
            if idx > 0 and _EARLIER.search(s):
                continue
            earlier = idx > 0 and _EARLIER_WEAK.search(s) is not None
            if earlier and idx > 3 and _DATED.search(s):
                continue  # a dated cut deep in the body is background ("Pada Januari 2023, ... 12.000")
            found = ([(_num_from_match(m.group(1), m.group(2)), m.start(1)) for m in _N_OF_M.finditer(s)]
                     if " dari " in low and not settled else [])
            found = found or (_jobs_in(s, r.fflags) if not settled else [])
            if not settled and not any(v for v, _ in found):
                found = [(_num_from_match(m.group(1), m.group(2)), m.start(1)) for m in _VERB_NUM.finditer(s)]
            for val, pos in found:
                if val is None:
                    continue
                prio = 0 if idx == 0 else (0.5 if glob else 1 if idx <= 3 else 2)
                cands.append((prio + 3 * earlier, order, val))
                order += 1
                if best is None or prio + 3 * earlier < best:
                    best = prio + 3 * earlier
            if want_pct:
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
    else:
        # no number in a sentence about a cut: the title's number of workers is the headline one
        # ("Nasib 300 Agen Call Center X Setelah Voicebot Datang")
        jobs = ((_from_to(title, paras, companies) if companies else None) or _its_number(paras)
                or _title_count(title, paras))
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


# "Artikel ini telah tayang di detikInet dengan judul ..." (a syndicated copy's credit line)
_SYNDICATED = re.compile(r"^\s*(?:artikel|berita)\s+ini\s+(?:telah\s+|sudah\s+)?(?:tayang|terbit|dimuat)", _I)
# an executive's title before a company's name ("CEO Fiverr, Micha Kaufman")
_EXEC_TITLES = {"ceo", "cfo", "cto", "coo", "chro", "direktur", "presdir", "dirut", "pendiri", "founder",
                "co-founder", "cofounder", "bos", "eksekutif", "pimpinan"}
_MONTH_ABBR = {"jan", "feb", "mar", "apr", "jun", "jul", "agu", "agt", "ags", "sep", "sept", "okt", "nov", "des",
               "january", "february", "march", "may", "june", "july", "august", "october", "december", "monday",
               "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
# roman numerals, currency amounts, a single word ending in -nya ("Menurutnya", "Sebelumnya")
_NOT_A_NAME = re.compile(r"[IVXLC]{1,5}|(?:USD|US\$|Rp|EUR)\s?[\d.,]+|[A-Z][a-z]+nya", re.ASCII)
# "Penyebab PHK itu": PHK as a noun after a capitalised sentence opener, not "X PHK 60 staf"
_BARE_PHK_AFTER = re.compile(r"^\s*(?:\([^)]{1,40}\)\s*)?(?:,\s*)?PHK\b(?!\s+(?:\d|ribuan|ratusan|puluhan|sekitar|massal))", _I)
_ABBREV_END = {"inc.", "co.", "corp.", "ltd.", "tbk.", "bhd.", "jr.", "sr.", "st."}
_SITE = re.compile(r"\.(?:com|id|co|net|org)\b|[-–—]$", _I)


def _is_outlet_site(name: str) -> bool:
    """A news outlet's web name ("Liputan6.com", "money.kompas.com", "TRIBUNBATAM.id"): a part of it is
    a known outlet, it is a Tribun paper, or its name is written in capitals. A brand with a web
    ending ("Lancong.id", "Tiket.com") is not one."""
    parts = name.lower().strip(".,:;").split(".")
    head = name.split(".", 1)[0]
    return (any(p in _MEDIA for p in parts) or parts[0].startswith("tribun")
            or (len(head) > 1 and head.isupper()))


def _is_dateline(tok: str) -> bool:
    """An outlet's dateline token ("Bisnis.com,", "TRIBUNBATAM.id", "KOMPAS.com", "TEMPO.CO", "detik.com"):
    a web name that ends a clause or a dash, is written in capitals, or is a known outlet. A brand
    named mid-sentence with its web ending ("Lancong.id", "Tiket.com") is a name, not a dateline."""
    if not _SITE.search(tok):
        return False
    if tok[-1] in ",-–—:":
        return True
    return _is_outlet_site(tok)


@lru_cache(maxsize=4096)
def _trim_cap_seq(raw: str) -> tuple[str, ...]:
    """Tokens of a capitalised sequence without leading/trailing stop words.  A trailing
    capitalised common word stays (in prose a capital there means it is part of the name: "Warta
    Kini"); days, months, places, countries, titles and acronyms such as PHK/AI are trimmed."""
    toks = []
    for t in raw.split():
        toks.append(t)
        if t[-1] in ".,:;" and len(t) > 2 and t.lower() not in _ABBREV_END:
            break  # a sentence or clause ends inside the sequence
    while toks and (_is_dateline(toks[0]) or toks[0] in ("&", "of", "de")):
        toks.pop(0)  # a dateline ("TRENASIA.ID-", "Bisnis.com,") or a connector left over
    while toks and toks[-1].lower().strip(".,:;") in _HARD_TAIL and toks[-1].lower() not in ("bank", "group", "grup"):
        toks.pop()
    for size in (3, 2):
        if len(toks) >= size and " ".join(toks[:size]).lower().strip(".,:;") in _PLACES:
            toks = toks[size:]  # "Jawa Tengah", "Kuala Lumpur"
            break
    while toks:
        if len(toks) >= 2 and (_is_place_tail(" ".join(toks[:2]).lower().strip(".,:;"))
                               or " ".join(toks[:2]).lower() == "surat kabar"):
            toks = toks[2:]  # a two-word country or descriptor before the name ("Korea Selatan Hanbit")
        elif (_is_lead_stop(toks[0].lower().strip(".,:;")) and toks[0] != "PT"
                and not (len(toks) > 1 and toks[0].lower() in _ORG_HEAD)  # "Bank Mandiri", "Grup Media X": names
                and not (len(toks) > 2 and toks[0] == "The")):  # "The Meridian Post"
            toks.pop(0)
        else:
            break
    return tuple(toks)


@lru_cache(maxsize=4096)
def _had_title(raw: str) -> bool:
    """The sequence opens with a person's title ("Menteri Ketenagakerjaan", "CEO Budi")."""
    first = raw.split()[0].lower().strip(".,:;") if raw.split() else ""
    return first in _TITLES or first in _PERSON_WORDS


# capitalised words that open an organisation's own name ("Grup Hotel Kenanga", "Bank Pelita",
# "Asuransi Mitra Jaya", "Rumah Sakit Harapan"): kept when more capitalised words follow
_ORG_HEAD = {"grup", "group", "bank", "asuransi", "rumah", "rs", "hotel", "universitas", "koperasi", "yayasan",
             "klinik", "apotek", "perumda", "pdam", "studio"}
# head words that may stand before a shorter form of the same name ("Grup Media" Cakrawala)
_ORG_HEAD_WORDS = _ORG_HEAD | {"media", "sakit", "the", "pt", "pemerintah", "kota", "kabupaten", "provinsi"}
# names of unions, associations and regulators: their acronyms are not a company's
_NOT_EMPLOYER_HEAD = {"serikat", "konfederasi", "federasi", "asosiasi", "otoritas", "badan", "komisi", "kementerian",
                      "lembaga", "dewan", "ikatan", "persatuan", "perhimpunan", "aliansi", "gabungan", "himpunan",
                      "koalisi", "organisasi", "forum"}
_ACRONYM_DEF = re.compile(r"((?:PT[ \t]+)?[A-Z][\w&.-]*(?:[ \t]+[A-Z][\w&.-]*){1,6})[ \t]+\(([A-Z][A-Z0-9-]{1,7})\)")
_APPOSITIVE = re.compile(r"\s*,\s*[a-z][^.,;:\"“”]{3,120},\s*")
_NOT_APPOSITIVE = re.compile(r"(?:me|di|ber)\w+|(?:yang|dan|kata|ujar|tetapi|namun|sementara|sedangkan|tapi)\b")
_GOV_ORG = re.compile(r"(?:Pemerintah\s+(?:Kota|Kabupaten|Provinsi)|Pemkot|Pemkab|Pemprov|Kementerian|Badan|Dinas)\s+[A-Z]")
# "Pemerintah Kota X di Provinsi Ontario, Kanada, memberhentikan ..."
_GOV_PLACE_AFTER = re.compile(r"\s+di\s+(?:[A-Z][\w-]*\s*){1,3}(?:,\s*[A-Z][\w-]*)?,?")
# capitalised descriptors before a name, never part of it ("Konglomerat Jepang X", "Koran Inggris X")
_DESCRIPTOR = {"konglomerat", "koran", "majalah", "kelompok", "stasiun", "televisi",
               "situs", "pengelola", "pemilik", "penerbit", "pusat", "perusahaan", "raksasa", "kantor", "marketplace",
               "ritel", "distributor", "agensi", "waralaba", "pengecer", "toko"}
# a person's title that is never followed by a qualifier: "CEO Kirana Edutech, Dimas" names a company
_EXEC_ONE = {"ceo", "cfo", "cto", "coo", "chro", "pendiri", "founder", "co-founder", "cofounder", "bos", "presdir",
             "dirut"}


_LEGAL_SUFFIX = {"tbk", "persero", "inc", "corp", "corporation", "co", "ltd", "llc", "plc", "sa", "ag", "gmbh", "se",
                "nv", "bhd", "limited", "abp", "oyj", "asa", "ab", "spa", "bv", "pte", "sdn", "kk"}


def _shown_name(toks: tuple[str, ...] | list[str]) -> str:
    """How a little-known company is shown: as written (a leading "PT" and a "Group" kept), without
    a trailing "Tbk" / "(Persero)" / "Inc" ("PT Bank Sagara Tbk" is "PT Bank Sagara")."""
    words = [w for w in " ".join(toks).strip(" ,.;:-'\"").split()]
    while len(words) > 1 and words[-1].strip(".,()").lower() in _LEGAL_SUFFIX:
        words.pop()
    return " ".join(words).strip(" ,.;:-'\"")


def _is_place_tail(words: str) -> bool:
    """words (lower case) are a country or a place ("indonesia", "jawa barat")."""
    return words in _COUNTRY_NAMES or words in _PLACES or any(rx.fullmatch(words) for _, rx in _COUNTRIES)


def _core(name: str) -> str:
    """The distinctive first word of a lower-case name, after organisation words ("grup media
    cakrawala" -> "cakrawala")."""
    words = name.split()
    while len(words) > 1 and words[0] in _ORG_HEAD_WORDS:
        words.pop(0)
    return words[0] if words else ""


def _same_org(a: str, b: str) -> bool:
    """Two lower-case names are one organisation: one is a run of the other's words, or both open
    with the same distinctive word ("corvane consulting", "corvane indonesia")."""
    if f" {a} " in f" {b} " or f" {b} " in f" {a} ":
        return True
    return a not in _KNOWN_SET and b not in _KNOWN_SET and _core(a) == _core(b)


# one-word country names and adjectives ("Tiongkok", "Korea"): never the start of a name
_COUNTRY_WORDS = {p for c in _GAZ["country"] for p in c["patterns"] if p.isalpha() and len(p) > 3} | {"korea"}


def _is_lead_stop(w: str) -> bool:
    return (w in _DESCRIPTOR or w in _COUNTRY_WORDS or w in ("&", "of", "de") or w in _STOP_CAP or w in _LEAD_WORDS or w in _PLACES or w in _NOT_COMPANY or w in _TITLES
            or w in _COUNTRY_NAMES)


@lru_cache(maxsize=4096)
def _company_name(seq: str) -> tuple[str, str] | None:
    """(display name, key) for a trimmed capitalised sequence, None if it cannot be a company."""
    name = _norm_company(seq)
    key = name.lower()
    words = key.split()
    if key not in _KNOWN_SET and len(words) > 1 and words[0] in _ORG_HEAD and " ".join(words[1:]) in _KNOWN_SET:
        name = " ".join(name.split()[1:])  # "Grup Lufthansa" is Lufthansa
        key = name.lower()
    if not name or key in _STOP_CAP or (key in _MEDIA and key not in _KNOWN_SET) or len(name) < 2:
        return None  # (a well-known media company is checked where it stands: see _companies)
    if all(part in _STOP_CAP or part in _MONTH_ABBR for part in key.replace("-", " ").split()):
        return None  # "Januari-November", "Senin-Jumat", "Okt"
    if key not in _KNOWN_SET and _NOT_A_NAME.fullmatch(name):
        return None  # "IV", "USD1", "Menurutnya"
    if key not in _KNOWN_SET and (key in _PLACES or key in _NOT_COMPANY or key in _TITLES or key in _COUNTRY_NAMES
                                  or any(rx.fullmatch(name) for _, rx in _COUNTRIES)):
        return None  # a place, a country, a title or a sentence-opening word
    if key.endswith((".com", ".co", ".id", ".net")) and _is_outlet_site(name):
        return None  # a news site (dateline "Bisnis.com, JAKARTA -", "dikutip dari Tirto.id")
    if _NUMERIC.fullmatch(name):
        return None
    return name, key


def _is_heading(s: str) -> bool:
    """A short line without a final full stop, most of whose words start with a capital (a
    sub-heading: "Strategi Cegah Potensi PHK di Indonesia")."""
    if len(s) >= 100 or s.rstrip().endswith((".", ",")):
        return False
    words = [w.lstrip("\"“'(") for w in s.split()]
    words = [w for w in words if w[:1].isalpha()]
    return len(words) >= 2 and sum(w[0].isupper() for w in words) >= 0.6 * len(words)


def _longest_in(toks: list[str], body: str) -> list[str]:
    """The longest run of toks that occurs in body (or is a known company); [] if none."""
    n = len(toks)
    for size in range(n, 0, -1):
        for i in range(n - size + 1):
            cand = " ".join(toks[i:i + size])
            if cand.lower() in _KNOWN_SET or (cand in body and re.search(
                    r"(?<![\w-])" + re.escape(cand) + r"(?![\w-])", body)):
                return toks[i:i + size]
    return []


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


# where a _CAP_SEQ match can start: a capital not preceded by a word character or "-" (the
# look-behind after the letter lets the regex engine skip ahead to capitals), or the capital of a
# brand like "xAI" (one lower-case letter at the start of a word before it; the match starts there)
_CAP_START = re.compile(r"[A-ZÀ-ÖØ-Þ](?:(?<![\w-].)|(?<=(?<![\w-])[a-z].))")  # one leading class: fast scan


def _cap_seqs(s: str) -> list[re.Match]:
    """list(_CAP_SEQ.finditer(s)), faster: _CAP_SEQ is only tried where a match can start."""
    out = []
    pos = 0
    search, match = _CAP_START.search, _CAP_SEQ.match
    while (c := search(s, pos)) is not None:
        i = c.start()
        if i and s[i - 1].islower():  # "xAI": the match starts at the lower-case letter
            i -= 1
        m = match(s, i)
        if m is None:
            pos = i + 1
        else:
            out.append(m)
            pos = m.end()
    return out


def _companies(t_rec: _Text, psents: list[list[_Text]], ai_names: set[str], layoff_subject: bool = False) -> list[str]:
    """The companies named as cutting jobs, the most likely first (see the module docstring);
    ``layoff_subject``: layoffs are the article's main subject, so a well-known company named in
    its lead counts (a trend piece's examples)."""
    title = t_rec.text
    psents = [p for p in psents if not _SYNDICATED.match(p[0].text)]
    paras = [p[0].text if len(p) == 1 else " ".join([r.text for r in p]) for p in psents]
    scores: dict[str, float] = {}
    display: dict[str, str] = {}
    units = [(True, [t_rec])] + [(False, p) for p in psents]
    body_text = "\n".join(paras)
    all_text = title + "\n" + body_text
    lower_words: dict[str, bool] = {}  # key -> _is_lower_word(key, all_text)
    proper: set[str] = set()
    n_content = 0  # paragraphs of real text so far (datelines and "3 weeks ago" lines do not count)
    for pi, (is_title, unit) in enumerate(units):
        late = not is_title and n_content > 3
        if not is_title and sum(len(r.text) for r in unit) >= 60:
            n_content += 1
        for r in unit:
            if late and not r.gated:
                continue
            s = r.text
            gate = r.gated and (r.lay_word or "ganti" in r.low)
            if late and not gate:
                continue  # companies are named in the title, the lead or next to layoff terms
            s_lay = None  # layoff term in s; computed on first use
            heading = not is_title and _is_heading(s)  # a sub-heading: only well-known names count there
            for m in _cap_seqs(s):
                toks = _trim_cap_seq(m.group(1))
                gov = False
                if m.group(1).startswith(("Pem", "Kementerian ", "Badan ", "Dinas ")) and _GOV_ORG.match(m.group(1)):
                    # a city or regency government that cuts its own staff is the employer named
                    # ("Pemerintah Kota X memberhentikan 90 petugas"); otherwise it is a place or a person
                    rest = s[m.end():]
                    g = _GOV_PLACE_AFTER.match(rest)
                    r2 = rest[g.end():] if g else rest
                    if _COMPANY_VERB_AFTER.match(r2) or (
                            _PASSIVE_CUT_AFTER.match(r2) and any(
                                _WORKER_RE.fullmatch(w) for w in s[max(0, m.start() - 40):m.start()].split()[-4:])):
                        # (also "90 tenaga honorer call center Pemerintah Kabupaten X diberhentikan")
                        toks, gov = tuple(m.group(1).split()), True
                if not toks:
                    continue
                if is_title and body_text:
                    # title case makes every word capitalised: keep the longest prefix seen in the body
                    toks = _longest_in(list(toks), body_text)
                    while toks and toks[-1].lower() in _STOP_CAP and " ".join(toks).lower() not in _KNOWN_SET:
                        toks.pop()
                    # descriptor and country words before the name ("Ritel Jepang Hoshimart" -> "Hoshimart")
                    while len(toks) > 1 and " ".join(toks).lower() not in _KNOWN_SET and (
                            toks[0].lower() in _DESCRIPTOR or toks[0].lower() in _COUNTRY_WORDS
                            or toks[0].lower() in _COUNTRY_NAMES or _is_place_tail(" ".join(toks[:2]).lower())):
                        toks = toks[2:] if _is_place_tail(" ".join(toks[:2]).lower()) else toks[1:]
                    if not toks:
                        continue
                cand = _company_name(" ".join(toks))
                if cand is None:
                    continue
                name, key = cand
                if key in _ALIAS:
                    name = _ALIAS[key]
                    key = name.lower()
                elif heading:
                    continue
                titled = _had_title(m.group(1)) and not gov
                if titled and is_title:
                    # title case: a title word only makes a person of the name right after it
                    # ("Analis Ragukan Alasan Orvana" names Orvana, "CEO Budi" a person)
                    raw = m.group(1).split()
                    i = next((j for j in range(len(raw)) if raw[j:j + len(toks)] == list(toks)), 0)
                    if i > 0:
                        titled = raw[i - 1].lower().strip(".,:;") in _PERSON_WORDS
                if titled and key not in _KNOWN_SET and not (
                        (len(toks) == 1 and m.group(1).split()[0].lower() in _EXEC_TITLES
                         or (m.group(1).split()[0].lower() in _EXEC_ONE and m.group(1).split()[1:] == list(toks)))
                        and s[m.end():m.end() + 2].startswith(",")):
                    continue  # "Menteri Ketenagakerjaan", "CEO Budi Santoso": a person (not "CEO Rutera, Budi")
                if " " not in name and key not in _KNOWN_SET:
                    if key not in lower_words:
                        lower_words[key] = _is_lower_word(key, all_text)
                    if lower_words[key]:
                        continue  # an ordinary word that was capitalised (sentence start, title case)
                kept = s.find(" ".join(toks), m.start(), m.end())  # where the trimmed name is
                start = kept if kept >= 0 else m.start()
                end = start + len(" ".join(toks)) if kept >= 0 else m.end()
                before = s[max(0, start - 45):start]
                after = s[end:end + 60]
                known = key in _KNOWN_SET
                bw = before.lower().replace(",", " ").split()
                person = bool((bw and (bw[-1] in _PERSON_WORDS or (len(bw) > 1 and bw[-2] in _PERSON_WORDS
                                                                  and bw[-2] not in ("kata", "ujar", "menurut", "oleh", "dikutip"))))
                              or _PERSON_CTX_AFTER.match(after))
                exec_of = (titled or bool(bw) and (bw[-1] in _EXEC_TITLES or bw[-1] == "eksekutif")) and (
                    known or after.startswith(","))  # "direktur eksekutif Crowdstrike, George Kurtz"
                if person and not known and not exec_of:
                    continue
                w = 1.5 if exec_of else 0.0
                if known:
                    w += 1.0
                    if layoff_subject and not is_title and n_content <= 2:
                        w += 1.0
                if not _LEAD_WORDS.isdisjoint(bw[-5:]):
                    w += 1.5
                verb_after = gov or _COMPANY_VERB_AFTER.match(after) is not None
                passive = False
                if not verb_after:
                    # the cut may follow an appositive ("Grup Hotel X, pengelola 34 hotel, melepas"), a noun
                    # phrase, not a clause: "X, mengungkapkan ..., 16 Juli" is not one
                    a = _APPOSITIVE.match(s, end) if after.lstrip().startswith(",") else None
                    clause = a is not None and _NOT_APPOSITIVE.match(a.group(0).lstrip(" ,")) is not None
                    if a and not clause:
                        v = _COMPANY_VERB_AFTER.match(s[a.end():a.end() + 60])
                        verb_after = bool(v and not v.group(0)[-1].isdigit())
                    if not verb_after and not clause and bw and _WORKER_RE.fullmatch(bw[-1]):
                        # the staff of X, then a passive cut ("40 jurnalis Harian X, koran ..., diberhentikan")
                        passive = _PASSIVE_CUT_AFTER.match(s[a.end():a.end() + 60] if a else after) is not None
                if key in _MEDIA and (not verb_after or "dari" in bw[-2:] or "dilansir" in bw[-2:]):
                    continue  # a media company is named only as the one cutting ("Business Insider memangkas")
                verb_after = verb_after or passive
                if toks[0][:1].islower() and not verb_after and _LEAD_WORDS.isdisjoint(bw[-5:]):
                    continue  # a lower-case brand (xAI, eBay) only as the one cutting or after "perusahaan";
                    # elsewhere it is as likely a product ("tim iPhonex")
                if verb_after:
                    w += 2.0
                if (bw and (bw[-1] in ("phk", "di-phk") or _WORKER_RE.fullmatch(bw[-1])) or bw[-2:] == ["phk", "di"]
                        or any(x in ("karyawan", "pekerja", "pegawai", "staf", "buruh") for x in bw[-3:-1])):
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
                if (bw and bw[-1] in ("di", "ke", "dari", "kota", "kabupaten", "provinsi") and not known
                        and not (bw[-1] == "di" and len(bw) > 1 and bw[-2] in _CUT_NOUNS)):
                    w *= 0.3  # a place ("pabrik di Cikarang"), not the employer ("PHK di Harian X")
                if bw and bw[-1] in ("didanai", "didukung", "disokong", "dimodali", "investor", "investornya"):
                    continue  # the investor of the one cutting ("Startup yang Didanai SoftBank PHK ...")
                if bw and bw[-1] in ("induk", "pemilik", "milik", "mitra", "pesaing", "rival", "seperti", "pembuat"):
                    w *= 0.3  # another company named to describe or compare ("ByteDance, induk TikTok, ...")
                elif not known and "menurut" in bw[-4:]:
                    w *= 0.3  # a source ("Menurut lembaga pemantau X, ...")
                if not known and not gov and m.group(1).split()[0].lower() in _NOT_EMPLOYER_HEAD:
                    w *= 0.6  # read out of a union's or regulator's name ("Serikat Pekerja Pusat Kontak X")
                if is_title:
                    w *= 1.6
                sent_start = start == 0 or s[:start].rstrip()[-1:] in (".", "!", "?", '"', "“", "", "-", "–", "—", ":")
                if (known or exec_of or toks[0] == "PT" or not _LEAD_WORDS.isdisjoint(bw[-5:])
                        or (not sent_start and not is_title)
                        or (verb_after and (is_title or not _BARE_PHK_AFTER.match(after)))):
                    proper.add(key)  # written like a name somewhere, not just a capitalised sentence opener
                if w == 0.0:
                    # plain capitalised word: weak evidence, ignore sentence-initial words
                    w = 0.0 if sent_start else 0.15
                if len(toks) >= 3 and not known and w < 2:
                    w *= 0.5
                scores[key] = scores.get(key, 0.0) + w
                if known:
                    display[key] = _KNOWN_SET[key]
                else:  # the fullest form written ("Kanemori Holdings"), without "PT" and "Tbk"
                    shown = _shown_name(toks)
                    if key not in display or len(shown.split()) > len(display[key].split()):
                        display[key] = shown
    # a name that only ever opens a longer one ("Kontakta" of "Kontakta Layan Nusantara", "Warta"
    # of "Warta Kini") is that longer name, unless both are well-known companies
    # an acronym or ticker defined after a name ("PT Kereta Sinar Nusantara (KSN)", "... Tbk (BBSJ)")
    # is that name
    if "(" in all_text:
        for m in _ACRONYM_DEF.finditer(all_text):
            acr = m.group(2).lower()
            if acr not in scores or acr in _KNOWN_SET:
                continue
            raw = m.group(1).split()
            if any(w.lower() in _NOT_EMPLOYER_HEAD for w in raw[:2]):
                del scores[acr]  # a union's or regulator's acronym ("Serikat Pekerja Bank X (SP-BX)")
                continue
            toks = list(_trim_cap_seq(m.group(1)))
            cut_off = [w.lower() for w in raw[:len(raw) - len(toks)]] if toks and raw[-len(toks):] == toks else None
            if (cut_off is None or any(w in _NOT_EMPLOYER_HEAD for w in cut_off + [t.lower() for t in toks])
                    or any(w not in _STOP_CAP and w not in _NOT_COMPANY for w in cut_off)):
                continue  # a union or regulator ("Serikat Pekerja ... (SPPKI)"), or not the whole name
            cand = _company_name(" ".join(toks))
            if cand and cand[1] in scores and cand[1] != acr:
                scores[cand[1]] += scores.pop(acr)
                if acr in proper:
                    proper.add(cand[1])
    # a short form that ends a longer name after organisation words ("Cakrawala" of "Grup Media
    # Cakrawala", "Mitra Jaya" of "Asuransi Mitra Jaya") is the longest such name
    for k in sorted(scores, key=len):
        if k in _KNOWN_SET:
            continue
        heads = [o for o in scores if o != k and o.endswith(" " + k) and o not in _KNOWN_SET
                 and (set(o[:-len(k) - 1].split()) <= _ORG_HEAD_WORDS or o.split()[0] in _ORG_HEAD)]
        if heads:
            o = max(heads, key=len)
            scores[o] += scores.pop(k)
            if k in proper:
                proper.add(o)
            continue
        # (a local unit, "Corvane Indonesia", only when it scores on its own and is the only one)
        longer = [o for o in scores if o != k and o.startswith(k + " ") and (
            scores[o] >= 1.0 or (o in proper and not _is_place_tail(o[len(k) + 1:])))]
        if len(longer) > 1:
            longer = [o for o in longer if not _is_place_tail(o[len(k) + 1:])]
        if len(longer) == 1:
            scores[longer[0]] += scores.pop(k)
            if k in proper:
                proper.add(longer[0])
    # aliases / merge: "amazon web services" -> keep; drop names contained in a higher-scoring one
    for k in [k for k in scores if k not in proper]:
        del scores[k]  # only ever a capitalised sentence opener or a title word ("Penyebab", "Terbesar")
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    ranked = [(k, v) for k, v in ranked if v >= 2.0]
    if not ranked:
        return []
    top = ranked[0][1]
    out: list[str] = []
    for k, v in ranked:
        if v < max(2.0, top * 0.3):
            continue
        if any(k != o.lower() and (k in o.lower().split() or o.lower() in k.split() or _same_org(k, o.lower()))
               for o in out):
            continue
        out.append(display[k])
        if len(out) >= 5:
            break
    return out


# ---------------------------------------------------------------------------
# Country of the cut
# ---------------------------------------------------------------------------
_CAPS = r"([A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)"
# where the cut happens: "PHK 300 karyawan di Indonesia", "pekerjanya di Jerman"
_CUT_IN = re.compile(r"\b(?:karyawan|pekerja|pegawai|staf|posisi|pekerjaan|tenaga\s+kerja|kantor|operasional|cabang)"
                     r"(?:nya)?\s+(?:\S+\s+){0,2}?di\s+" + _CAPS)
_CUT_VERB_IN = re.compile(r"\b(?:PHK|memangkas|pangkas|memberhentikan|merumahkan|memecat|mengurangi|menghapus|"
                          r"mengganti(?:kan)?)\s+(?:\S+\s+){0,5}?di\s+" + _CAPS, _I)
# where the company is based: "asal Swedia", "berbasis di Israel", "raksasa teknologi AS"
_HQ = re.compile(r"\b(?:asal|berbasis\s+di|(?i:kantor\s+pusat)(?:nya)?\s+(?:\S+\s+){0,2}?(?:berada\s+|ada\s+)?di|berkantor\s+pusat\s+di|bermarkas(?:\s+besar)?\s+di|berpusat\s+di|"
                 r"(?:perusahaan|raksasa|startup|maskapai|bank|platform|fintech|konsultan|produsen|pabrikan|"
                 r"operator|penerbit|surat\s+kabar|media|peritel|grup|firma)(?:\s+[a-z-]+){0,2})\s+" + _CAPS)
# outlet names that carry a country ("CNBC Indonesia") say nothing about the cut
_OUTLET_COUNTRY = re.compile(r"\b(?:CNBC|CNN|Bisnis|Media|Republika|Koran|Tempo|Sindonews|Antara|VOA|BBC|Liputan6|"
                             r"Kompas|Okezone|IDN|Warta|Jurnal|Harian|Suara)\s+(?:Indonesia|News)\b|"
                             r"\bIndonesia\s+(?:Window|Business|Post)\b")


@lru_cache(maxsize=4096)
def _country_in(text: str) -> str | None:
    """The country a captured name (one or two capitalised words) starts with, if any."""
    text = text.strip(" .,;:")
    low = text.lower()
    if low in _COUNTRY_NAMES:
        return _COUNTRY_NAMES[low]
    for name, rx in _COUNTRIES:
        if rx.match(text):
            return name
    first = low.split()[0] if low.split() else ""
    if low in _ID_PLACES or first in _ID_PLACES:
        return "Indonesia"
    return None


_PT_NAME = re.compile(r"\bPT\s+[A-Z]")
_IN_PLACE = re.compile(r"\b(?:di|kota|kabupaten|provinsi)\s+" + _CAPS)


def _country(title: _Text, paras: list[list[_Text]], companies: list[str]) -> str | None:
    """The country of the cut: where the title or lead says the cut happens, else where the text
    says the company is based, else the home of a well-known company, else Indonesia when the
    company is a PT or the cut is in an Indonesian place.  None when nothing says."""
    lead = [title.text] + [r.text for p in paras[:4] for r in p]
    lead = [_OUTLET_COUNTRY.sub(" ", x) if "Indonesia" in x or "News" in x else x for x in lead]
    for s in lead:
        for m in itertools.chain(_CUT_IN.finditer(s), _CUT_VERB_IN.finditer(s)):
            c = _country_in(m.group(1))
            if c:
                return c
    for s in lead:
        if companies and not _mentions(s.lower(), companies[0]):
            continue  # "merekrut tokoh AI asal Inggris" is about someone else
        for m in _HQ.finditer(s):
            c = _country_in(m.group(1))
            if c:
                return c
    if companies and companies[0] in _HOME:
        return _HOME[companies[0]]
    for s in lead:
        if "PT" in s and _PT_NAME.search(s):
            return "Indonesia"
        for m in _IN_PLACE.finditer(s):
            if _country_in(m.group(1)) == "Indonesia":
                return "Indonesia"
    return None


# ---------------------------------------------------------------------------
# Evidence and attribution
# ---------------------------------------------------------------------------
EVIDENCE_CHARS = 200
# the piece argues AI is a pretext
_DISPUTE = re.compile(
    r"\bai[- ]?washing\b|\bkambing\s+hitam\b|\bdalih\b|\bkedok\b|\b(?:sekadar|hanya|cuma)\s+(?:alasan|dalih)\b|"
    r"\balasan\s+(?:semata|yang\s+mudah|populer)\b", _I)
# an AI link denied ("membantah PHK itu terkait AI", "bukan karena otomatisasi")
_DENY_AI = re.compile(
    r"\b(?:bukan|tidak|tak)(?!\s+(?:hanya|semata|sekadar|cuma)\b)\s+(?:\S+\s+){0,2}?(?:karena|akibat|disebabkan\s+oleh|disebabkan|gara-gara)\s+"
    r"(?:\S+\s+){0,1}?(?:ai|kecerdasan\s+buatan|otomatisasi|otomasi|robot)\b|"
    r"\b(?:tidak|tak)\s+ada\s+(?:kaitan|hubungan)(?:nya)?\s+(?:\S+\s+){0,2}?(?:ai|kecerdasan\s+buatan|otomatisasi)\b|"
    r"\b(?:membantah|menepis|menampik)\s+(?:\S+\s+){0,6}?(?:ai|kecerdasan\s+buatan|otomatisasi)\b", _I)
# the company or its executive speaking
_OWN_VOICE = re.compile(
    r"\b(?:CEO|CFO|CTO|COO|bos|pendiri|co-?founder|presiden\s+direktur|direktur|manajemen|juru\s+bicara|jubir|"
    r"pimpinan|eksekutif|chief|memo|surat\s+(?:internal|kepada)|email\s+internal|pernyataan\s+(?:resmi|tertulis)|"
    r"pengumuman|keterangan\s+resmi|laporan\s+keuangan|dokumen\s+resmi)\b|"
    r"\b(?:mengumumkan|menyatakan|mengatakan|menyebut|menulis|menjelaskan|mengungkapkan|mengakui|menegaskan|"
    r"beralasan|berdalih|menuturkan|kata|ujar|tulis)\b", _I)
# someone else linking the cut to AI
_OTHER_VOICE = re.compile(
    r"\b(?:analis|pengamat|ekonom|peneliti|pakar|akademisi|serikat|laporan(?!\s+(?:keuangan|tahunan|kinerja))|dilaporkan|"
    r"menurut\s+(?:sumber|laporan|data|media)|media|survei|studi|riset|diduga|menduga|disebut-sebut|dinilai|"
    r"menilai|dianggap|dikaitkan|spekulasi|kabarnya|dikabarkan|mantan\s+karyawan)\b", _I)
# the company as the subject of the sentence ("Perusahaan ...", "Manajemen ...", its name first)
_SUBJECT_LEAD = re.compile(r"^(?:[A-Z][\w-]*\s+){0,3}?(?:perusahaan|manajemen|bank|maskapai|startup|raksasa|"
                           r"grup|pihak\s+perusahaan)\b", _I)


_HEDGE = re.compile(r"\?|\b(?:ketimbang|daripada|jika|kalau|seandainya|mungkin|barangkali|kontras|justru|"
                    r"bukan|tidak|tak|belum)\b", _I)


# pre-filters (see rules, "Cheap pre-filters"): a literal every match of the regex contains,
# looked up in the folded text
_DISPUTE_STEMS = ("washing", "kambing", "dalih", "kedok", "alasan")
_DENY_AI_STEMS = ("karena", "akibat", "disebab", "gara-gara", "kaitan", "hubungan", "membantah", "menepis", "menampik")
_HEDGE_STEMS = ("ketimbang", "daripada", "jika", "kalau", "seandainya", "mungkin", "barangkali", "kontras", "justru",
                "bukan", "tidak", "tak", "belum")


def _may_dispute(r: _Text) -> bool:
    return _any_in(r.fold, _DISPUTE_STEMS)


def _may_deny_ai(r: _Text) -> bool:
    return _any_in(r.fold, _DENY_AI_STEMS)


def _clip(text: str, limit: int = EVIDENCE_CHARS) -> str:
    """At most ``limit`` characters, cut at a word boundary with "…" (no dangling opening quote)."""
    return clip(text, limit, trailing=TRAILING + '("“')


def _link_score(x) -> float:
    """How well a sentence (the rules' analysis x) links a cut to AI."""
    if x.deny or x.nonai or not x.ai:
        return 0.0
    if x.repl_num:
        return 5.0
    if x.lay and x.cause:
        return 5.0
    if x.subst or x.headcount:
        return 4.0
    if x.lay:
        return 3.0
    if x.anaphor and x.cause:
        return 3.5
    if x.repl:
        return 2.5
    if x.cause:
        return 1.5
    return 0.0


def _evidence(f: dict, companies: list[str]) -> tuple[str | None, str | None]:
    """(evidence, attribution): the sentence that best links the cut to AI (trimmed to about
    EVIDENCE_CHARS characters) and who makes that link -- "explicit" (the company or its
    executive), "attributed" (media, analysts, unions) or "disputed" (the piece argues AI is a
    pretext, or the company denies an AI link while cutting)."""
    names = f["names"]
    best, best_score, best_own = None, 0.0, False
    own_link = False
    disputes = 0
    lead_dispute = False
    t = f["title"]
    if (_may_dispute(t) and _DISPUTE.search(t.text)) or (_may_deny_ai(t) and _DENY_AI.search(t.text)) \
            or (t.sent or rules._analyse_sentence(-1, t.text, t)).deny_ai:
        lead_dispute = True  # (deny_ai: "X Pangkas 14.000 Posisi, Bantah PHK karena AI", see rules._DENY_AI_LINK)
    # (once lead_dispute holds, the attribution is "disputed" whatever the disputes count is, and
    # once own_link holds it cannot be "attributed": those searches are then skipped)
    for i, unit in enumerate(f["paras"][:15]):
        for r in unit:
            s = r.text
            if lead_dispute:
                pass
            elif _may_dispute(r) and _DISPUTE.search(s):
                disputes += 1
                lead_dispute = i < 3
            elif _may_deny_ai(r) and _DENY_AI.search(s):
                lead_dispute = True  # a denial weighs wherever it is
            if len(s) < 20:
                continue
            if "AI" not in s and "A.I" not in s and not rules._has_ai_word(r.low, r.flags):
                continue
            x = r.sent  # (rules._evaluate analysed every sentence with an AI term)
            if x is None:
                s2 = rules._strip_names(s, names, r)
                x = rules._analyse_sentence(i, s2, r if s2 is s else None)
            if x.deny_ai:
                lead_dispute = True
            score = _link_score(x)
            if score <= 0:
                continue
            own = not own_link and not _OTHER_VOICE.search(s) and bool(
                _OWN_VOICE.search(s) or (score >= 3.0 and (_SUBJECT_LEAD.match(s) or (
                    companies and _mentions(s[:60].lower(), companies[0])))))
            if own:
                own_link = True
            if companies and _mentions(r.low, companies[0]):
                score += 0.5
            if ("?" in s or _any_in(r.fold, _HEDGE_STEMS)) and _HEDGE.search(s):
                score -= 2.0  # a contrast, a hypothetical or a question explains less
            score -= 0.3 * min(i, 10)
            if best is None or score > best_score:
                best, best_score, best_own = s, score, own
    if best is None and _link_score(f.get("title_sent") or rules._analyse_sentence(
            -1, rules._strip_names(t.text, names))) >= 3.0:
        best = t.text
    if best is None and not disputes and not lead_dispute:
        return None, None
    if lead_dispute or disputes >= 2:
        attribution = "disputed"
    elif own_link or best_own:
        attribution = "explicit"
    else:
        attribution = "attributed"
    return (_clip(best) if best else None), attribution
