"""Article pages → title, main text, published time, author, outlet, language.

Rules:
- Bytes are decoded by ``decode_html``: a declared charset (HTTP header, then
  ``<meta charset>``) is trusted only if the bytes really decode with it;
  UTF-8 is tried next, then windows-1252. Nothing raises on bad bytes.
- Main text comes from trafilatura (fast mode; comments, tables and links off), after
  dropping obvious page furniture (nav, aside, footer, forms, scripts,
  elements whose class/id says related/terkait/komentar/iklan/share/tags…).
  Lines that are boilerplate — "Baca juga:", "Pilihan Editor:", "Simak juga", "ADVERTISEMENT",
  "Tags:", "SCROLL TO CONTINUE" — are removed from the text, and a first line
  equal to the title is dropped. Paragraphs are joined with "\n".
- Metadata prefers machine-readable fields: ``<link rel=canonical>``,
  ``og:title``, JSON-LD NewsArticle, ``article:published_time`` and similar
  meta, ``<time datetime>``; then a visible Indonesian date string
  ("Senin, 20 Okt 2025 14:30 WIB"). Times without a zone are WIB. Without an
  author in the metadata, a printed byline (class/itemprop author, penulis,
  byline, reporter; "Oleh …" stripped) is used; without ``og:site_name`` or
  a JSON-LD publisher, the outlet is the site name after the headline in
  ``<title>`` ("Judul :: Koran Daerah").
"""

from __future__ import annotations

import json
import re
import warnings
from dataclasses import dataclass

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
    r"advertisement|scroll\s+to\s+continue|tags?\s*:|topik\s*:|editor\s*:|penulis\s*:|"
    r"ikuti\s+(?:berita|kami|update)|dapatkan\s+update|follow\s+(?:us|kami)|"
    r"download\s+aplikasi|klik\s+di\s*sini|copyright|hak\s+cipta|\(\w{2,5}/\w{2,5}\)\s*$)",
    re.IGNORECASE)
_NOISE_ATTR = re.compile(
    r"(related|terkait|baca-?juga|bacajuga|pilihan-?editor|komentar|comment|iklan|\bads?\b|advert|banner|share|sosmed|"
    r"social|tags?\b|topik|sidebar|terpopuler|populer|rekomendasi|newsletter|breadcrumb|footer|nav|menu|"
    r"promo|widget|inline-?link|box-?berita|list-?berita)", re.IGNORECASE)


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


def _meta(doc, *names: str) -> str | None:
    for name in names:
        for attr in ("property", "name", "itemprop"):
            found = doc.xpath(f'//meta[@{attr}="{name}"]/@content')
            for value in found:
                if value and value.strip():
                    return value.strip()
    return None


def _json_ld(doc) -> dict:
    """The first NewsArticle/Article-like JSON-LD object (merged with @graph)."""
    for script in doc.xpath('//script[@type="application/ld+json"]/text()'):
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
        names = [n for n in (_ld_author(v) for v in value) if n]
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


def clean_text(text: str, title: str = "") -> str:
    """Drop boilerplate lines and a leading copy of the title; normalise spaces."""
    out: list[str] = []
    title_key = " ".join(title.split()).casefold()
    for line in text.splitlines():
        line = " ".join(line.split())
        if not line:
            continue
        if _BOILERPLATE_LINE.match(line):
            continue
        if not out and title_key and line.casefold() == title_key:
            continue
        out.append(line)
    return "\n".join(out)


def _strip_noise(doc) -> None:
    for el in doc.xpath("//script|//style|//noscript|//nav|//aside|//footer|//form|//iframe|//header"):
        parent = el.getparent()
        if parent is not None:
            parent.remove(el)
    for el in doc.xpath("//*[@class or @id]"):
        if el.tag in ("html", "body", "article", "main"):
            continue
        marker = f"{el.get('class', '')} {el.get('id', '')}"
        if _NOISE_ATTR.search(marker) and not el.xpath(".//h1|.//article|.//main"):
            parent = el.getparent()
            if parent is not None:
                parent.remove(el)


_BYLINE_ATTR = re.compile(r"(?:^|[\s_-])(author|penulis|byline|reporter|wartawan)(?:$|[\s_-])", re.IGNORECASE)
_BYLINE_PREFIX = re.compile(r"^(?:oleh|by|penulis|reporter|wartawan|editor)\s*:?\s*", re.IGNORECASE)


def _visible_byline(doc) -> str | None:
    """A printed byline ("Oleh <span class=penulis>Nama</span>") when no metadata names the author."""
    for el in doc.xpath('//body//*[@class or @itemprop or @rel]'):
        marker = f"{el.get('class', '')} {el.get('itemprop', '')} {el.get('rel', '')}"
        if not _BYLINE_ATTR.search(marker) or el.xpath(".//p|.//h1|.//h2"):
            continue
        name = _BYLINE_PREFIX.sub("", " ".join(el.text_content().split()))
        name = re.split(r"\s+[-–|]\s+", name)[0].strip(" ,:")
        if 2 <= len(name) <= 60 and len(name.split()) <= 6 and not re.search(r"\d{4}|http", name):
            return name
    return None


def extract(html: str, url: str) -> Extracted:
    """Extract an article from decoded HTML. Never raises on bad markup."""
    result = Extracted()
    try:
        doc = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return result
    ld = _json_ld(doc)
    canon = doc.xpath('//link[translate(@rel,"CANONICAL","canonical")="canonical"]/@href')
    if canon and canon[0].strip():
        result.canonical = canonical_url(canon[0].strip(), base=url)
    title = (_meta(doc, "og:title", "twitter:title") or (ld.get("headline") if isinstance(ld.get("headline"), str) else None))
    if not title:
        h1 = doc.xpath("//h1")
        title = h1[0].text_content().strip() if h1 else None
    if not title:
        t = doc.xpath("//title")
        title = t[0].text_content().strip() if t else ""
    result.title = _TITLE_SUFFIX.sub("", " ".join((title or "").split()))
    published = (ld.get("datePublished") or _meta(doc, "article:published_time", "og:published_time",
                                                        "datePublished", "pubdate", "publishdate",
                                                        "dtk:publishdate", "content_PublishedDate",
                                                        "publish-date", "date"))
    if not published:
        times = doc.xpath("//time/@datetime")
        published = times[0] if times else None
    result.published = to_iso(published) if published else None
    result.author = (_ld_author(ld.get("author")) or _meta(doc, "author", "article:author", "dtk:author",
                                                           "content_author"))
    if result.author and result.author.startswith("http"):
        result.author = None
    if not result.author:
        result.author = _visible_byline(doc)
    result.outlet = _meta(doc, "og:site_name") or (
        _ld_author(ld.get("publisher")) if ld.get("publisher") else None)
    if not result.outlet:  # "<title>Judul :: Koran Daerah</title>": the site name after the headline
        t = doc.xpath("//title")
        full = " ".join(t[0].text_content().split()) if t else ""
        if result.title and full.startswith(result.title):
            rest = full[len(result.title):].strip()
            m = re.match(r"^(?:::|\||-|–|—|·)\s*(.{2,60})$", rest)
            if m:
                result.outlet = m.group(1).strip()
    lang = doc.xpath("/html/@lang")
    result.language = (lang[0].split("-")[0].lower() if lang and lang[0].strip() else None) or _meta(doc, "og:locale")
    if result.language and "_" in result.language:
        result.language = result.language.split("_")[0].lower()
    result.description = _meta(doc, "description", "og:description")

    if not result.published:
        body_text = " ".join(doc.xpath("//body//text()[not(ancestor::script)]"))[:20000]
        m = _VISIBLE_DATE.search(body_text)
        if m:
            result.published = to_iso(m.group(1))

    _strip_noise(doc)
    text = ""
    try:
        import trafilatura
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            text = trafilatura.extract(doc, url=url, include_comments=False, include_tables=False,
                                       include_links=False, favor_precision=False, deduplicate=False,
                                       fast=True) or ""
    except Exception:  # trafilatura can fail on odd trees; fall back to paragraphs
        text = ""
    if len(text) < 200:
        paras = [p.text_content() for p in doc.xpath("//article//p|//main//p")] or \
                [p.text_content() for p in doc.xpath("//p")]
        fallback = "\n".join(p for p in paras if len(p.split()) >= 5)
        if len(fallback) > len(text):
            text = fallback
    result.text = clean_text(text, result.title)
    return result
