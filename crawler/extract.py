"""Article pages → title, main text, published time, author, outlet, language.

Rules:
- Bytes are decoded by ``decode_html``: a declared charset (HTTP header, then
  ``<meta charset>``) is trusted only if the bytes really decode with it;
  UTF-8 is tried next, then windows-1252. A declared Latin-1/windows-1252
  over bytes that are valid non-ASCII UTF-8 is a mis-declaration: UTF-8
  wins. Nothing raises on bad bytes.
- The outlet is recognised by domain (page URL, canonical, ``og:url``),
  ``og:site_name``, or the site most of the page's absolute links point to
  (a page fetched through a mirror; ``crawler.outlets``: one small data
  module per publisher). Unknown outlets get the generic path only.
- Title: the headline only. Candidates in order: the outlet's headline
  selector, ``og:title``, ``twitter:title``, JSON-LD ``headline``, the
  article ``<h1>``, ``<title>``. Site-name prefixes/suffixes are stripped
  when they are joined by a separator (" - ", " | ", " : ", "::", "»", a
  leading "Name.com: ") and name the site: ``og:site_name``, the JSON-LD
  publisher, the part ``<title>`` adds after ``og:title``, a segment repeated
  at the end of three or more titles of the same host in this process,
  or a known outlet name ("… - Kompas.com", "… | Republika Online", "KapanLagi.com: …",
  "… - ANTARA News Otomotif", "… | Tempo Gaya"). A segment is never
  stripped when less than two words would remain.
- Text: trafilatura (precision mode, full algorithm) on the untouched page is
  the baseline. The outlet's body selector text (after dropping its noise
  elements) replaces it only when it agrees with it: most of its words are
  in trafilatura's text and it covers most of trafilatura's paragraph-length
  lines — so a stale selector never makes the text worse. (Trafilatura's
  fast mode is asked first; the full run happens only if the selector text
  does not agree with the fast result; and without a selector, on a page
  whose paragraphs are most of its text, the fast run is tried first and
  its text used when it proves the full run would return the same:
  ``_trafilatura_fast``.) JSON-LD
  ``articleBody`` is used when it is longer and covers the chosen text. If
  precision mode finds (almost) nothing, trafilatura's default mode runs.
- Cleanup only removes boilerplate lines: "Baca juga", "Simak juga video",
  "ADVERTISEMENT", "SCROLL TO CONTINUE WITH CONTENT", "Pilihan Editor:",
  tags, copyright lines, the outlet's own drop lines; a first line equal to
  the title is dropped. Paragraphs are joined with "\n".
- Dates: JSON-LD/meta (``article:published_time``…), then the outlet's date
  element in its own format ("Kompas.com - 03/07/2025, 13:44 WIB",
  "Jumat, 24 Juli 2026 12:40 WIB"; WIB/WITA/WIT honoured by
  ``crawler.dates``), then ``<time datetime>``, then a visible Indonesian
  date string. Times without a zone are WIB.
- Authors: the outlet's byline element, then JSON-LD/meta, then a printed
  byline; "Penulis:", "Editor:", "Reporter:", "Pewarta:", "Oleh" labels and
  " - detikInet"-style desks are removed; an author that is just the
  outlet's name ("Liputan6.com", "Kompas Cyber Media") is no author.
- Without ``og:site_name`` or a JSON-LD publisher, the outlet is the site
  name after the headline in ``<title>`` ("Judul :: Koran Daerah"), else the
  known outlet's name.
- Multi-page articles: ``next_page_urls(html, url)`` lists the follow-up
  pages to fetch — the outlet's single-page form (``?page=all``) when it
  has one, else the page's own numbered pages (``?page=N``, "Halaman
  selanjutnya") — only when the page shows pagination, always on the page's
  own host and path, at most ``MAX_PAGES`` pages in all. ``join_pages``
  merges their texts without repeating lines.
- One thread of a process extracts at a time (``extract`` holds a lock):
  trafilatura is not safe to run in two threads at once.
"""

from __future__ import annotations

import copy
import json
import re
import threading
import warnings
from dataclasses import dataclass, field
from html import unescape as html_unescape

import lxml.html
from lxml import etree

from .dates import to_iso
from .urls import canonical_url

_CHARSET_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_CHARSET_HDR = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", re.IGNORECASE)

_BOILERPLATE_LINE = re.compile(
    r"^\s*(?:baca\s+juga|simak\s+juga|lihat\s+juga|cek\s+juga|baca\s+selengkapnya|baca\s+berita\s+lainnya|"
    r"pilihan\s+editor\s*:|rekomendasi\s*:|"
    r"simak\s+video|saksikan\s+(?:juga\s+)?video|tonton\s+juga|berita\s+terkait|artikel\s+terkait|"
    r"advertisement|scroll\s+to\s+continue|scroll\s+ke\s+bawah\s+untuk\s+melanjutkan|\[gambas:|"
    r"tags?\s*:|topik\s*:|editor\s*:|penulis\s*:|"
    r"ikuti\s+(?:berita|kami|update)|dapatkan\s+update|follow\s+(?:us|kami)|"
    r"download\s+aplikasi|klik\s+di\s*sini|copyright|hak\s+cipta|\(\w{2,5}/\w{2,5}\)\s*$)",
    re.IGNORECASE)
_LEGACY_SINGLE_BYTE = {"iso-8859-1", "latin-1", "latin1", "iso8859-1", "windows-1252", "cp1252", "us-ascii", "ascii"}


def _is_utf8(body: bytes) -> bool:
    """Bytes with non-ASCII characters that are valid UTF-8 (never the case for real Latin-1 text)."""
    if body.isascii():
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """Decode page bytes; never raises."""
    candidates: list[str] = []
    if content_type:
        m = _CHARSET_HDR.search(content_type)
        if m:
            candidates.append(m.group(1))
    m = _CHARSET_META.search(body[:4096])
    if m:
        candidates.append(m.group(1).decode("ascii", "ignore"))
    if any(c.lower().replace("_", "-") in _LEGACY_SINGLE_BYTE for c in candidates) and _is_utf8(body):
        candidates.insert(0, "utf-8")  # "charset=iso-8859-1" over UTF-8 bytes: a common mis-declaration
    if body.startswith(b"\xef\xbb\xbf"):
        candidates.insert(0, "utf-8-sig")
    candidates += ["utf-8", "windows-1252"]
    for enc in candidates:
        try:
            return body.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
    return body.decode("utf-8", errors="replace")


@dataclass
class Extracted:
    title: str = ""
    text: str = ""
    published: str | None = None
    author: str | None = None
    outlet: str | None = None
    language: str | None = None
    canonical: str | None = None
    description: str | None = None
    next_pages: list[str] = field(default_factory=list)  # follow-up pages of a multi-page article


# Per-page XPath expressions, compiled once per thread (a string expression is compiled on every
# call; compiled evaluators are kept per thread like the CSS selectors: pages may be extracted in threads)
_XPATHS = {
    "teaser": "//*[contains(translate(@id, 'T', 't'), 'teaser') or contains(translate(@class, 'T', 't'), 'teaser')]",
    "page_text": "//text()[not(ancestor::script or ancestor::style or ancestor::fencedframe)]",
    "ld_json": '//script[@type="application/ld+json"]/text()',
    "hrefs": "//a/@href",
    "canonical": '//link[translate(@rel,"CANONICAL","canonical")="canonical"]/@href',
    "title": "//title",
    "h1": "//article//h1|//main//h1|//h1",
    "time": "//time/@datetime",
    "lang": "/html/@lang",
    "p_text": "//p//text()",
    "page_links": "//a[contains(@href, 'page=') or contains(@href, 'halaman=') or contains(., 'elanjutnya') "
                  "or contains(., 'ELANJUTNYA')]|//link[@rel='next'][@href]",
}
_XPATH_LOCAL = threading.local()


def _xp(name: str, doc) -> list:
    compiled = getattr(_XPATH_LOCAL, "cache", None)
    if compiled is None:
        compiled = _XPATH_LOCAL.cache = {}
    fn = compiled.get(name)
    if fn is None:
        fn = compiled[name] = etree.XPath(_XPATHS[name])
    return fn(doc)


_META_CACHE = threading.local()  # per thread: the last document's <meta> index (pages may be extracted in threads)


def _meta(doc, *names: str) -> str | None:
    cached = getattr(_META_CACHE, "entry", None)
    if cached is not None and cached[0] is doc:
        index = cached[1]
    else:
        index = {}
        for el in doc.iter("meta"):
            content = el.get("content")
            if not content or not content.strip():
                continue
            for attr in ("property", "name", "itemprop"):
                key = el.get(attr)
                if key:
                    index.setdefault((attr, key), content.strip())
        _META_CACHE.entry = (doc, index)
    for name in names:
        for attr in ("property", "name", "itemprop"):
            value = index.get((attr, name))
            if value:
                return value
    return None


def _json_ld(doc) -> dict:
    """The first NewsArticle/Article-like JSON-LD object (merged with @graph)."""
    for script in _xp("ld_json", doc):
        try:
            data = json.loads(script.strip())
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if not isinstance(item, dict):
                continue
            if "@graph" in item and isinstance(item["@graph"], list):
                stack.extend(item["@graph"])
            kind = item.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if any(isinstance(k, str) and k.endswith("Article") or k == "ReportageNewsArticle" for k in kinds):
                return item
    return {}


def _ld_author(value) -> str | None:
    if isinstance(value, list):
        names = list(dict.fromkeys(n for n in (_ld_author(v) for v in value) if n))  # Tempo lists a person twice
        return ", ".join(names) if names else None
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


_TITLE_SUFFIX = re.compile(r"\s*[-|–]?\s*Halaman\s+(?:all|\d+)$", re.IGNORECASE)

_VISIBLE_DATE = re.compile(
    r"((?:(?:Senin|Selasa|Rabu|Kamis|Jum'?at|Sabtu|Minggu)\s*,\s*)?\d{1,2}\s+[A-Za-z]{3,9}\.?\s+\d{4}"
    r"\s*[,|\-–]?\s*(?:pukul\s+)?\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:WIB|WITA|WIT)?|"
    r"\d{1,2}/\d{1,2}/\d{4}\s*,?\s*\d{1,2}[:.]\d{2}\s*(?:WIB|WITA|WIT)?)")


def clean_text(text: str, title: str = "", drop: re.Pattern | None = None) -> str:
    """Drop boilerplate lines (and the outlet's ``drop`` lines) and a leading copy of the title; normalise spaces."""
    out: list[str] = []
    title_key = " ".join(title.split()).casefold()
    for line in text.splitlines():
        line = " ".join(line.split())
        if not line:
            continue
        if _BOILERPLATE_LINE.match(line) or (drop is not None and drop.search(line)):
            continue
        if not out and title_key and line.casefold() == title_key:
            continue
        out.append(line)
    return "\n".join(out)


_BYLINE_ATTR = re.compile(r"(?:^|[\s_-])(author|penulis|byline|reporter|wartawan)(?:$|[\s_-])", re.IGNORECASE)
_BYLINE_PREFIX = re.compile(r"^(?:oleh|by|penulis|reporter|wartawan|editor)\s*:?\s*", re.IGNORECASE)


def _visible_byline(doc) -> str | None:
    """A printed byline ("Oleh <span class=penulis>Nama</span>") when no metadata names the author."""
    for el in doc.xpath('//body//*[@class or @itemprop or @rel]'):
        marker = f"{el.get('class', '')} {el.get('itemprop', '')} {el.get('rel', '')}"
        if not _BYLINE_ATTR.search(marker) or el.xpath(".//p|.//h1|.//h2"):
            continue
        if el.xpath("ancestor::figure|ancestor::*[contains(@class, 'photo') or contains(@class, 'caption')]"):
            continue  # a photo credit, not the story's author
        name = _BYLINE_PREFIX.sub("", " ".join(el.text_content().split()))
        name = re.split(r"\s+[-–|]\s+", name)[0].strip(" ,:")
        if 2 <= len(name) <= 60 and len(name.split()) <= 6 and not re.search(r"\d{4}|http|@", name):
            return name
    return None


_LABELS = ("penulis", "penulis:", "reporter", "reporter:", "pewarta", "pewarta:", "oleh", "oleh:")


def _labelled_byline(doc) -> str | None:
    """"<td>Penulis</td><td>: Nama</td>", "<span>Reporter:</span> Nama": the name right after a label."""
    found = doc.xpath("//body//*[string-length(normalize-space(text())) < 12]"
                      "[translate(normalize-space(text()), 'PENULISRTWAOH:', 'penulisrtwaoh:') = 'penulis' or "
                      "translate(normalize-space(text()), 'PENULISRTWAOH:', 'penulisrtwaoh:') = 'penulis:' or "
                      "translate(normalize-space(text()), 'PENULISRTWAOH:', 'penulisrtwaoh:') = 'reporter' or "
                      "translate(normalize-space(text()), 'PENULISRTWAOH:', 'penulisrtwaoh:') = 'reporter:' or "
                      "translate(normalize-space(text()), 'PENULISRTWAOH:', 'penulisrtwaoh:') = 'pewarta:']")
    for el in found[:5]:
        if len(el) and el.text_content().strip().lower() not in _LABELS:
            candidates = [el[0].text_content()]
        else:
            nxt = el.getnext()
            candidates = [el.tail or "", nxt.text_content() if nxt is not None else ""]
        for value in candidates:
            name = " ".join(value.split()).lstrip(":").strip()
            if 2 <= len(name) <= 60 and len(name.split()) <= 6 and not re.search(r"\d{4}|http|@", name):
                return name
    return None


_SEP_SUFFIX = re.compile(r"^(.*?\S)\s+(?:-|\||–|—|::|:|»|·|~)\s+([^|]+?)$|^(.*?\S)\s*\|\s*([^|]+?)$")
_SEP_PREFIX = re.compile(r"^([^:|]{2,40}?)(?:\s*(?::|\||::|»)\s+|\s+(?:-|–|—)\s+)(.+)$")
_AUTHOR_LABEL = re.compile(r"^(?:penulis|editor|reporter|pewarta|oleh|by|laporan\s+wartawan(?:\s+\S+)?|"
                           r"kontributor|redaktur|fotografer)\s*:?\s*", re.IGNORECASE)
_DESK_SUFFIX = re.compile(r"\s+[-–|]\s+(?:detik\w*|cnn\s*indonesia|cnbc\s*indonesia|tribun\w*|kompas\.com)$",
                          re.IGNORECASE)
_TOKEN = re.compile(r"\w+", re.UNICODE)
_PAGE_LINK_TEXT = re.compile(r"^\s*(?:halaman\s+)?(?:selanjutnya|berikutnya|next)\b|^\s*\d{1,2}\s*$|^\s*»\s*$",
                             re.IGNORECASE)
MAX_PAGES = 5  # an article is at most this many pages (the first one included)

_SKIP_TAGS = {"script", "style", "noscript", "iframe", "form", "button", "select", "svg", "figure", "figcaption",
              "video", "audio", "object", "embed", "template", "input", "textarea", "nav", "aside", "footer"}
_BLOCK_TAGS = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "blockquote", "section",
               "article", "table", "tr", "dd", "dt", "dl", "pre", "hr", "header", "main", "center", "address"}


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", (text or "").lower())


def _words(text: str) -> list[str]:
    return _TOKEN.findall((text or "").lower())


def _text_of(el) -> str:
    """Visible text of an element with block elements on their own lines (captions and widgets skipped)."""
    parts: list[str] = []

    def walk(node, top: bool = False) -> None:
        tag = node.tag if isinstance(node.tag, str) else None
        if tag is not None and tag.lower() not in _SKIP_TAGS:
            block = tag.lower() in _BLOCK_TAGS
            if block:
                parts.append("\n")
            if node.text:
                parts.append(node.text)
            for child in node:
                walk(child)
            if block:
                parts.append("\n")
        if not top and node.tail:
            parts.append(node.tail)

    walk(el, top=True)
    return "".join(parts)


_CSS_LOCAL = threading.local()  # compiled selectors per thread (lxml XPath evaluators are not shared)


def _css(doc, selector: str) -> list:
    cache = getattr(_CSS_LOCAL, "cache", None)
    if cache is None:
        cache = _CSS_LOCAL.cache = {}
    compiled = cache.get(selector)
    if compiled is None:
        try:
            from lxml.cssselect import CSSSelector

            compiled = CSSSelector(selector, translator="html")
        except Exception:  # a selector lxml cannot compile
            compiled = False
        cache[selector] = compiled
    if compiled is False:
        return []
    try:
        return compiled(doc)
    except Exception:  # odd trees
        return []


def _first_text(doc, selectors) -> str | None:
    for sel in selectors:
        for el in _css(doc, sel):
            text = " ".join(el.text_content().split())
            if text:
                return text
    return None


def _outlet_body(doc, outlet, title: str) -> str:
    """The outlet's body selector text (first selector that yields text), its noise dropped."""
    pattern = outlet.line_pattern()
    for sel in outlet.body:
        found = _css(doc, sel)
        if not found:
            continue
        found_ids = {id(el) for el in found}
        tops = [el for el in found if not any(id(a) in found_ids for a in el.iterancestors())]
        if len(tops) > 1:  # paragraph-level selectors: skip paragraphs inside dropped boxes ("Ringkasan", "Baca juga")
            dropped = {id(j) for drop_sel in outlet.drop for j in _css(doc, drop_sel)}
            tops = [el for el in tops if id(el) not in dropped and
                    not any(id(a) in dropped for a in el.iterancestors())]
        chunks = []
        for el in tops:
            el = copy.deepcopy(el)
            el.tail = None
            for drop_sel in outlet.drop:
                for junk in _css(el, drop_sel):
                    parent = junk.getparent()
                    if parent is not None:
                        _remove_keep_tail(junk)
            chunks.append(_text_of(el))
        text = clean_text("\n".join(chunks), title, pattern)
        if len(text) >= 40:
            return text
    return ""


def _remove_keep_tail(el) -> None:
    parent = el.getparent()
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _outlet_from_links(doc):
    """The outlet most of the page's absolute links point to (a saved or mirrored page without
    canonical/og:url still links to its own site): at least 10 links and 40% of them."""
    from collections import Counter
    from urllib.parse import urlsplit

    from .outlets import outlet_for

    hosts: Counter = Counter()
    for href in _xp("hrefs", doc)[:800]:
        if href.startswith(("http://", "https://", "//")):
            try:
                host = urlsplit(href if not href.startswith("//") else "http:" + href).hostname
            except ValueError:
                continue
            if host:
                hosts[host.lower()] += 1
    total = sum(hosts.values())
    if total < 10:
        return None
    by_outlet: Counter = Counter()
    found = {}
    for host, n in hosts.items():
        outlet = outlet_for("http://" + host + "/")
        if outlet is not None:
            by_outlet[outlet.name] += n
            found[outlet.name] = outlet
    if not by_outlet:
        return None
    name, n = by_outlet.most_common(1)[0]
    return found[name] if n >= 0.4 * total else None


def _prune_foreign_lines(candidate: str, baseline: str) -> str:
    """Selector text without short, unpunctuated lines trafilatura did not see (related-article titles,
    widget labels left inside the body container); sentences and lines trafilatura also has stay."""
    base_set = set(_words(baseline))
    out = []
    for line in candidate.splitlines():
        words = _words(line)
        if words and len(words) < 10 and not re.search(r"[.!?\"”:)]\s*$", line):
            inside = sum(1 for w in words if w in base_set) / len(words)
            if inside < 0.5:
                continue
        out.append(line)
    return "\n".join(out)


def _agrees(candidate: str, baseline: str) -> bool:
    """Whether selector text ``candidate`` is the article that trafilatura's ``baseline`` found (or better)."""
    cand = _words(candidate)
    if len(cand) < 8:
        return False
    base_set = set(_words(baseline))
    if not base_set:
        return len(cand) >= 40
    inside = sum(1 for w in cand if w in base_set) / len(cand)
    if inside < 0.6:
        return False
    cand_set = set(cand)
    para = [w for line in baseline.splitlines() if len(line.split()) >= 15 for w in _words(line)]
    if para:
        covered = sum(1 for w in para if w in cand_set) / len(para)
        if covered < 0.5:
            return False
    return True


_TRAF_OPTIONS: dict = {}  # (precision, fast) -> trafilatura Extractor template (its config is read once)


def _traf_options(url: str, precision: bool, fast: bool):
    """trafilatura's options for one page: a copy of a template built once per mode (building one
    reads trafilatura's config file through configparser: ~1 ms per call otherwise)."""
    template = _TRAF_OPTIONS.get((precision, fast))
    if template is None:
        from trafilatura.settings import Extractor

        template = _TRAF_OPTIONS[(precision, fast)] = Extractor(
            output_format="txt", fast=fast, precision=precision, comments=False, links=False, tables=False,
            dedup=False)
    options = copy.copy(template)
    options.url = url
    options.source = url and url.encode("utf-8", "replace").decode("utf-8")
    return options


def _trafilatura(doc, url: str, precision: bool, fast: bool = False) -> str:
    try:
        import trafilatura
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return trafilatura.extract(doc, options=_traf_options(url, precision, fast)) or ""
    except Exception:  # trafilatura can fail on odd trees
        return ""


def _page_text_len(doc) -> int:
    """Characters of the page's text (scripts and styles left out), spaces collapsed: no generic
    extractor (readability included) can return more."""
    return len(" ".join(" ".join(_xp("page_text", doc)).split()))


def _trafilatura_fast(doc, url: str, page_chars: int | None = None, teasers: bool | None = None) -> tuple[str, str | None]:
    """trafilatura in precision mode, fast run: ``(fast text, full text or None)``.

    The second value is the text the full run (``_trafilatura(doc, url, True)``) returns, when the
    fast run proves it is the same; None when it does not. The full run differs only by comparing
    with readability/justext afterwards (trafilatura 2.x ``compare_extraction``, precision focus,
    comments off) and by keeping teaser blocks in its last-resort recovery. That comparison keeps
    trafilatura's own result when (1) the result has at least ``min_extracted_size`` characters,
    paragraph text, no more tables than paragraphs and none of the "unclean" elements that call
    justext, and (2) readability cannot return more than twice its length: readability's text is
    part of the page's text, so a page with at most twice the result's characters is enough. A page
    with teaser blocks is never proven (the recovery differs; ``teasers=False``: the HTML has none). ``tests/crawler/test_extract_speed.py``
    checks the proof against the full run on every fixture page, so a trafilatura upgrade that
    changes these rules is caught."""
    try:
        from trafilatura.core import bare_extraction, determine_returnstring
        from trafilatura.external import SANITIZED_XPATH
    except ImportError:  # another trafilatura: no proof, the caller runs the full algorithm
        return _trafilatura(doc, url, precision=True, fast=True), None
    options = _traf_options(url, True, True)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            document = bare_extraction(doc, options=options)
            if document is None or document.body is None:
                return "", None
            text = determine_returnstring(document, options) or ""
            raw = document.raw_text or ""
            body = document.body
            if len(raw) < options.min_extracted_size or body.xpath(SANITIZED_XPATH) or \
                    not body.xpath(".//p//text()") or len(body.findall(".//table")) > len(body.findall(".//p")):
                return text, None
            if teasers is not False and _xp("teaser", doc):
                return text, None
            if (page_chars if page_chars is not None else _page_text_len(doc)) > 2 * len(raw):
                return text, None
            return text, text
    except Exception:  # trafilatura can fail on odd trees
        return "", None


def site_names(doc, ld: dict, outlet=None) -> set[str]:
    """Keys (lower-case alphanumerics) of the names this page's site goes by."""
    names = set()
    for value in (_meta(doc, "og:site_name", "application-name", "twitter:site"),
                  _ld_author(ld.get("publisher")) if ld.get("publisher") else None):
        if value:
            names.add(_key(value.lstrip("@")))
    if outlet is not None:
        names |= outlet.keys()
    t = _xp("title", doc)
    full = " ".join(t[0].text_content().split()) if t else ""
    og = " ".join((_meta(doc, "og:title") or "").split())
    if og and full.startswith(og) and len(full) > len(og):
        m = re.match(r"^\s*(?:-|\||–|—|::|:|»|·)\s*(.{2,60})$", full[len(og):])
        if m:
            names.add(_key(m.group(1)))
    return {n for n in names if len(n) >= 3}


def _is_site(segment: str, names: set[str], strict: bool) -> bool:
    if len(segment.split()) > 5:
        return False
    k = _key(segment)
    if not k:
        return False
    if k in names:
        return True
    word_keys = [_key(w) for w in segment.split()]
    from .outlets import brand_keys

    # a page's own names count as a prefix only when long enough to be a name ("detikfinance …"),
    # so a source called "tekno" never strips "Teknologi Baru"
    for brand in [n for n in names if len(n) >= 8] + brand_keys():
        if len(brand) < 4:
            continue
        if strict:
            if k in (brand, brand + "com", brand + "coid", brand + "id", brand + "news"):
                return True
        elif k.startswith(brand) or any(w.startswith(brand) for w in word_keys):
            return True
    return False


class _SiteParts:
    """Title segments repeated across one site's pages ("… | Koran Kita" on every page) are its name.

    Per process and bounded: the last ``MAX_SITES`` hosts, ``MAX_TITLES`` titles each. A segment seen at
    the end of ``MIN_PAGES`` different titles of one host counts as that site's name (prefixes are not
    learned: "FOTO: …", "VIDEO: …" repeat on many pages and belong to the headline)."""

    MAX_SITES, MAX_TITLES, MIN_PAGES = 200, 50, 3

    def __init__(self):
        from collections import OrderedDict

        self.sites: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def learn(self, url: str, title: str, doc) -> set[str]:
        from .urls import host_of

        host = host_of(url)
        t = _xp("title", doc)
        full = " ".join(t[0].text_content().split()) if t else ""
        seen = {" ".join(title.split()), full}
        segments = set()
        for text in seen:
            parts = re.split(r"\s+(?:-|\||–|—|::|:|»|·)\s+|\s*\|\s*", text)
            if len(parts) >= 2:  # suffixes only: "FOTO: …" / "VIDEO: …" prefixes repeat too but are headline
                segments.add(_key(parts[-1]))
        segments = {k for k in segments if 3 <= len(k) <= 40}
        if not host:
            return set()
        with self.lock:
            titles = self.sites.setdefault(host, {})
            self.sites.move_to_end(host)
            while len(self.sites) > self.MAX_SITES:
                self.sites.popitem(last=False)
            key = _key(full or title)
            if key and key not in titles and len(titles) < self.MAX_TITLES:
                titles[key] = segments
            counts: dict[str, int] = {}
            for segs in titles.values():
                for k in segs:
                    counts[k] = counts.get(k, 0) + 1
        return {k for k in segments if counts.get(k, 0) >= self.MIN_PAGES}


_SITE_PARTS = _SiteParts()


def clean_title(title: str, names: set[str] = frozenset()) -> str:
    """The headline without site-name prefixes/suffixes ("… - Kompas.com", "KapanLagi.com: …")."""
    title = _TITLE_SUFFIX.sub("", " ".join((title or "").split()))
    for _ in range(4):
        m = _SEP_SUFFIX.match(title)
        if m:
            head, tail = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
            if len(head.split()) >= 2 and _is_site(tail, names, strict=False):
                title = _TITLE_SUFFIX.sub("", head.strip())
                continue
        m = _SEP_PREFIX.match(title)
        if m and len(m.group(2).split()) >= 2 and _is_site(m.group(1), names, strict=True):
            title = m.group(2).strip()
            # "KapanLagi.com: Musik - Judul": a one- or two-word channel right after the site name goes too
            m = re.match(r"^(\w+(?:\s\w+)?)\s+[-–—|]\s+(.+)$", title)
            if m and len(m.group(2).split()) >= 4:
                title = m.group(2).strip()
            continue
        break
    return title


def clean_author(value: str | None, names: set[str] = frozenset()) -> str | None:
    """A person's name from a byline: labels, desks and outlet names removed."""
    if not value:
        return None
    text = " ".join(value.split())
    m = re.search(r"(?:penulis|reporter|pewarta)\s*:\s*(.+?)(?:\s*[|,]?\s*(?:editor|redaktur|penyunting)\s*:|$)",
                  text, re.IGNORECASE)
    if m:
        text = m.group(1)
    text = _AUTHOR_LABEL.sub("", text)
    text = _DESK_SUFFIX.sub("", text)
    text = re.split(r"\s+[-–|]\s+", text)[0].strip(" ,:;-")
    if not text or text.startswith("http") or len(text) > 80:
        return None
    people = [p.strip() for p in text.split(",") if p.strip() and not _is_outlet_name(p, names)]
    return ", ".join(people) or None  # "Dinda Anggraeni, CNBC Indonesia" → "Dinda Anggraeni"


def _is_outlet_name(text: str, names: set[str]) -> bool:
    k = _key(text)
    return k in names or any(k.startswith(n) for n in names if len(n) >= 5)


def _pagination(doc, url: str, canonical: str | None) -> list[int]:
    """Page numbers (≥ 2) the page links to for this same article (same path, ``?page=N`` or ``/N``)."""
    from urllib.parse import parse_qs, urljoin, urlsplit

    paths = set()
    for u in (url, canonical, _meta(doc, "og:url")):
        if u:
            try:
                paths.add(urlsplit(u).path.rstrip("/"))
            except ValueError:
                pass
    paths.discard("")
    numbers: set[int] = set()
    hrefs = _xp("page_links", doc)
    for a in hrefs[:500]:
        href = a.get("href", "")
        if "page" not in href and "halaman" not in href and not re.search(r"/\d{1,2}/?$", href):
            continue
        try:
            parts = urlsplit(urljoin(url, href))
        except ValueError:
            continue
        path = parts.path.rstrip("/")
        n = None
        if path in paths:
            q = parse_qs(parts.query)
            for key in ("page", "halaman"):
                if key in q and q[key][0].isdigit():
                    n = int(q[key][0])
        else:
            m = re.match(r"^(.*)/(\d{1,2})$", path)
            if m and m.group(1) in paths:
                text = a.text_content() if a.tag == "a" else "next"
                if _PAGE_LINK_TEXT.match(text or "") or a.tag == "link":
                    n = int(m.group(2))
        if n is not None and 2 <= n <= 50:
            numbers.add(n)
    return sorted(numbers)


def _page_urls(doc, url: str, canonical: str | None, outlet) -> list[str]:
    from urllib.parse import parse_qs, urlsplit

    from .outlets import with_query

    try:
        query = parse_qs(urlsplit(url).query)
    except ValueError:
        return []
    if any(v and not v[0].isdigit() for k, v in query.items() if k in ("page", "showpage", "single")) or \
            any(v and v[0].isdigit() and v[0] != "1" for k, v in query.items() if k == "page"):
        return []  # already a single-page form or a follow-up page
    numbers = _pagination(doc, url, canonical)
    if not numbers:
        return []
    if outlet is not None and outlet.single_page is not None:
        single = outlet.single_page(url)
        if single and single != url:
            return [single]
    return [with_query(url, page=str(n)) for n in numbers[: MAX_PAGES - 1]]


def next_page_urls(html: str, url: str) -> list[str]:
    """Follow-up URLs of a multi-page article (single-page form, else pages 2…), on the page's own host."""
    try:
        doc = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return []
    from .outlets import outlet_for

    canon = _xp("canonical", doc)
    canonical = canon[0].strip() if canon else None
    outlet = outlet_for(url, canonical, _meta(doc, "og:url"), site_name=_meta(doc, "og:site_name"))
    return _page_urls(doc, url, canonical, outlet)


def join_pages(first: str, others: list[str], single_page: bool = False) -> str:
    """One text from an article's pages: the single-page form if it holds more, else pages appended
    without repeating lines."""
    if single_page:
        best = max([first, *others], key=lambda t: len(_words(t)))
        return best
    seen = set(first.splitlines())
    out = [first] if first else []
    for text in others:
        new = [line for line in text.splitlines() if line not in seen]
        seen.update(new)
        if new:
            out.append("\n".join(new))
    return "\n".join(out)


_EXTRACT_LOCK = threading.Lock()  # one extraction at a time per process: see ``extract``


def extract(html: str, url: str, site_names_hint: tuple[str, ...] = ()) -> Extracted:
    """Extract an article from decoded HTML. Never raises on bad markup.

    ``site_names_hint``: names the site is known by elsewhere (e.g. the source's name in sources.toml),
    stripped from titles like ``og:site_name``.

    One thread of a process extracts at a time: trafilatura keeps process-wide state (a shared lxml
    parser, cleaning trees), and two threads inside it at once can corrupt the heap and kill the
    process (a crawl died of SIGABRT so; trafilatura issues #840, #925)."""
    with _EXTRACT_LOCK:
        return _extract(html, url, site_names_hint)


def _extract(html: str, url: str, site_names_hint: tuple[str, ...]) -> Extracted:
    from .outlets import outlet_for

    result = Extracted()
    try:
        doc = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return result
    ld = _json_ld(doc)
    canon = _xp("canonical", doc)
    canonical_raw = canon[0].strip() if canon and canon[0].strip() else None
    if canonical_raw:
        result.canonical = canonical_url(canonical_raw, base=url)
    og_site = _meta(doc, "og:site_name")
    outlet = outlet_for(url, canonical_raw, _meta(doc, "og:url"), site_name=og_site) or _outlet_from_links(doc)
    names = site_names(doc, ld, outlet)

    # -- title -------------------------------------------------------------------------------
    ld_headline = ld.get("headline") if isinstance(ld.get("headline"), str) else None
    og_title = _meta(doc, "og:title", "twitter:title")
    title = None
    if outlet is not None and outlet.title:
        title = _first_text(doc, outlet.title)
        ref = og_title or ld_headline
        if title and (len(title) > 300 or (ref and not _same_story(title, ref))):
            title = None
    title = title or og_title or ld_headline
    if not title:
        for h1 in _xp("h1", doc):
            text = " ".join(h1.text_content().split())
            if len(text.split()) >= 3:
                title = text
                break
    if not title:
        t = _xp("title", doc)
        title = t[0].text_content().strip() if t else ""
    names |= _SITE_PARTS.learn(result.canonical or url, title or "", doc)
    names |= {_key(n) for n in site_names_hint if len(_key(n)) >= 3}
    result.title = clean_title(title or "", names)

    # -- date ----------------------------------------------------------------------------------
    published = (ld.get("datePublished") or _meta(doc, "article:published_time", "og:published_time",
                                                        "datePublished", "pubdate", "publishdate",
                                                        "dtk:publishdate", "content_PublishedDate",
                                                        "publish-date", "date"))
    if isinstance(published, str):
        published = re.sub(r"^(\d{4}-\d{2}-\d{2})\s+T", r"\1T", published.strip())  # "2016-02-23 T16:00:20Z"
    result.published = to_iso(published) if isinstance(published, str) and published else None
    if not result.published and outlet is not None and outlet.date:
        for sel in outlet.date:
            for el in _css(doc, sel):
                value = " ".join((el.get("datetime") or el.text_content() or "").split())
                value = re.sub(r"(\d{4})\s*/\s*(\d{1,2}[:.]\d{2})", r"\1 \2", value)  # "28 Oktober 2025 / 14:30 WIB"
                result.published = to_iso(value) if value else None
                if result.published:
                    break
            if result.published:
                break
    if not result.published:
        times = _xp("time", doc)
        result.published = to_iso(times[0]) if times else None

    # -- author -------------------------------------------------------------------------------
    author_names = set(names)
    if outlet is not None:
        author_names.add(_key(outlet.name))
    author = None
    if outlet is not None and outlet.author:
        author = clean_author(_first_text(doc, outlet.author), author_names)
    if not author:
        author = clean_author(_ld_author(ld.get("author")), author_names)
    if not author:
        author = clean_author(_meta(doc, "author", "article:author", "dtk:author", "content_author"), author_names)
    if not author:
        author = clean_author(_labelled_byline(doc), author_names)
    if not author:
        author = clean_author(_visible_byline(doc), author_names)
    result.author = author

    # -- outlet, language, description ------------------------------------------------------------
    result.outlet = og_site or (_ld_author(ld.get("publisher")) if ld.get("publisher") else None)
    if not result.outlet:  # "<title>Judul :: Koran Daerah</title>": the site name after the headline
        t = _xp("title", doc)
        full = " ".join(t[0].text_content().split()) if t else ""
        if result.title and full.startswith(result.title):
            rest = full[len(result.title):].strip()
            m = re.match(r"^(?:::|\||-|–|—|·)\s*(.{2,60})$", rest)
            if m:
                result.outlet = m.group(1).strip()
    if not result.outlet and outlet is not None:
        result.outlet = outlet.name
    lang = _xp("lang", doc)
    result.language = (lang[0].split("-")[0].lower() if lang and lang[0].strip() else None) or _meta(doc, "og:locale")
    if result.language and "_" in result.language:
        result.language = result.language.split("_")[0].lower()
    result.description = _meta(doc, "description", "og:description")

    if not result.published:
        body_text = " ".join(doc.xpath("//body//text()[not(ancestor::script)]"))[:20000]
        m = _VISIBLE_DATE.search(body_text)
        if m:
            result.published = to_iso(m.group(1))

    # -- multi-page ---------------------------------------------------------------------------------
    result.next_pages = _page_urls(doc, url, canonical_raw, outlet)

    # -- text -----------------------------------------------------------------------------------------
    pattern = outlet.line_pattern() if outlet is not None else None
    selected = _outlet_body(doc, outlet, result.title) if outlet is not None and outlet.body else ""
    ld_body = ld.get("articleBody") if isinstance(ld.get("articleBody"), str) else ""
    if ld_body and "<" in ld_body:
        ld_body = " ".join(lxml.html.fragment_fromstring(ld_body, create_parent="div").itertext()) \
            if ld_body.strip() else ""
    ld_body = clean_text(html_unescape(ld_body), result.title, pattern) if ld_body else ""
    text = ""
    full = None  # trafilatura's full run, when the fast run proved it (see _trafilatura_fast)
    page_chars = None
    if not selected:  # try the fast run only where the proof can hold: the paragraphs are most of the page
        page_chars = _page_text_len(doc)
        para_chars = sum(len(t) for t in _xp("p_text", doc))
    if selected or page_chars <= 2 * para_chars:
        quick, full = _trafilatura_fast(doc, url, page_chars, teasers=None if "easer" in html else False)
        if selected:  # a quick baseline first: if the selector text agrees with it, no full run is needed
            quick = clean_text(quick, result.title, pattern)
            if _agrees(selected, quick):
                text = _prune_foreign_lines(selected, quick)
    if not text:
        base = clean_text(full if full is not None else _trafilatura(doc, url, precision=True), result.title, pattern)
        if len(_words(base)) < 30 and not selected:
            default = clean_text(_trafilatura(doc, url, precision=False), result.title, pattern)
            if len(default) > len(base):
                base = default
        text = _prune_foreign_lines(selected, base) if selected and _agrees(selected, base) else base
    if ld_body and len(_words(ld_body)) > 1.05 * len(_words(text)) and _covers(ld_body, text):
        text = ld_body
    if len(text) < 200:
        paras = [p.text_content() for p in doc.xpath("//article//p|//main//p")] or \
                [p.text_content() for p in doc.xpath("//p")]
        fallback = clean_text("\n".join(p for p in paras if len(p.split()) >= 5), result.title, pattern)
        if len(fallback) > len(text) and not selected:
            text = fallback
    result.text = text
    return result


def _same_story(a: str, b: str) -> bool:
    wa, wb = set(_words(a)), set(_words(b))
    return bool(wa and wb) and len(wa & wb) / min(len(wa), len(wb)) >= 0.6


def _covers(longer: str, shorter: str) -> bool:
    """Whether most words of ``shorter`` are in ``longer``."""
    ws = _words(shorter)
    if not ws:
        return True
    wl = set(_words(longer))
    return sum(1 for w in ws if w in wl) / len(ws) >= 0.8
