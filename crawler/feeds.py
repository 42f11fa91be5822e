"""Feed, sitemap and listing-page parsing: bytes in, ``Entry`` records out.

Rules:
- RSS 0.9x/1.0/2.0 and Atom are parsed by feedparser from bytes (fetching is
  Scrapy's job). A feed with no entries whose XML is broken, or that is HTML,
  raises ``FeedError`` with a clear message, as does a broken feed whose
  recovered entries all lack a link; a broken feed that still yields usable
  entries is used (feedparser recovers what it can).
- Dates are taken from the raw strings (``published``/``updated``) through
  ``dates.to_iso``, because feedparser reads "14:30 WIB" as UTC and drops
  Indonesian month names.
- Google News style items ("Judul - Penerbit") lose the publisher suffix from
  the title and keep the publisher's name.
- Sitemaps: a ``<sitemapindex>`` yields child sitemap URLs (news ones first);
  a ``<urlset>`` yields entries with ``news:title`` and
  ``news:publication_date`` (or ``lastmod``), newest first.
- Listing pages: links matched by the source's ``link_selector`` (default:
  heuristics for article-looking URLs on the same site).
- A link that is not an absolute http(s) URL (``javascript:``, ``mailto:``,
  ``tel:``, ``data:``, ``file:``, a broken URL) skips only its own entry; the
  parsers return an ``Entries`` list whose ``skipped`` says what was skipped
  and why (the crawler records it in the source's health). The rest of the
  feed is kept.
- A GUID is an identity only when it occurs once in the feed and is not the
  site root (or the feed's own or channel URL): ``<guid>0</guid>`` on every
  item, or the homepage as GUID, must not merge different stories.
- Sitemap indexes list their children newest first (``lastmod``; news
  sitemaps first among equals); the crawler caps depth and count.
"""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass, field

import feedparser
import lxml.etree as etree
import lxml.html

from .dates import to_iso
from .netpolicy import is_http_url
from .urls import canonical_url, host_of


class FeedError(Exception):
    """The bytes are not a usable feed/sitemap; the message says why."""


@dataclass
class Entry:
    url: str
    title: str = ""
    summary: str = ""
    content: str = ""
    published: str | None = None
    author: str | None = None
    guid: str | None = None
    publisher: str | None = None
    aliases: list[str] = field(default_factory=list)


class Entries(list):
    """A list of ``Entry`` plus ``skipped``: one reason per entry left out (bad link)."""

    def __init__(self, items=(), skipped=None):
        super().__init__(items)
        self.skipped: list[str] = list(skipped or [])

    def skip(self, link: object, why: str = "not an http(s) link") -> None:
        self.skipped.append(f"{why}: {str(link)[:80]!r}")


def _is_root(url: str) -> bool:
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return bool(parts.hostname) and parts.path in ("", "/") and not parts.query


_TAGS = re.compile(r"<[^>]+>")
_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL)


def html_to_text(fragment: str) -> str:
    """Plain text from an HTML fragment (feed summary / content:encoded)."""
    if not fragment:
        return ""
    if "<" not in fragment:
        return " ".join(htmllib.unescape(fragment).split())
    try:
        doc = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return " ".join(htmllib.unescape(_TAGS.sub(" ", fragment)).split())
    for bad in doc.xpath(".//script|.//style|.//img|.//figure"):
        bad.getparent().remove(bad)
    blocks = []
    for el in doc.iter():
        if el.tag in ("p", "br", "div", "li", "h2", "h3", "h4", "blockquote"):
            el.tail = "\n" + (el.tail or "")
            if el.tag != "br":
                el.text = "\n" + (el.text or "")
    text = doc.text_content()
    for line in text.splitlines():
        line = " ".join(line.split())
        if line:
            blocks.append(line)
    return "\n".join(blocks)


def looks_like_html(body: bytes) -> bool:
    return bool(_HTML_START.match(body[:2048]))


def parse_feed(body: bytes, base_url: str, aggregator: bool = False) -> list[Entry]:
    """Entries of an RSS/Atom feed; raises FeedError if it is not a feed."""
    if not body.strip():
        raise FeedError("empty response (0 bytes)")
    if looks_like_html(body):
        raise FeedError("got an HTML page, not a feed")
    parsed = feedparser.parse(body, response_headers={"content-location": base_url})
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo") and not parsed.get("feed"):
            exc = parsed.get("bozo_exception")
            raise FeedError(f"malformed feed: {type(exc).__name__}: {exc}"[:300])
        version = parsed.get("version") or ""
        if not version and not parsed.get("feed"):
            raise FeedError("not an RSS/Atom feed")
        return []
    out = Entries()
    raw_guids = [(e.get("id") or "").strip() for e in entries]
    counts: dict[str, int] = {}
    for g in raw_guids:
        if g:
            counts[g] = counts.get(g, 0) + 1
    channel_link = (parsed.get("feed") or {}).get("link") or ""
    not_ids = {canonical_url(u) for u in (base_url, channel_link) if u}
    for e, raw_guid in zip(entries, raw_guids):
        link = e.get("link") or ""
        if not link:
            for l in e.get("links") or []:
                if l.get("href"):
                    link = l["href"]
                    break
        guid = raw_guid or None
        if guid and counts.get(guid, 0) > 1:
            guid = None  # repeated inside the feed: not an identity
        if guid and guid.startswith(("http://", "https://")):
            g = canonical_url(guid)
            if _is_root(g) or g in not_ids:
                guid = None  # the homepage (or the feed itself) identifies nothing
        if not link and guid and guid.startswith("http"):
            link = guid
        if not link:
            if raw_guid or e.get("title"):
                out.skip(raw_guid or e.get("title"), "entry without a link")
            continue
        link = link.strip()
        url = canonical_url(link, base=base_url)
        if not is_http_url(url):
            out.skip(link)
            continue
        title = " ".join(htmllib.unescape(e.get("title") or "").split())
        publisher = None
        src = e.get("source")
        if isinstance(src, dict) and src.get("title"):
            publisher = src.get("title")
        if aggregator and " - " in title:
            head, _, tail = title.rpartition(" - ")
            if head and len(tail) <= 60:
                title, publisher = head.strip(), publisher or tail.strip()
        content = ""
        for c in e.get("content") or []:
            if c.get("value") and len(c["value"]) > len(content):
                content = c["value"]
        raw_date = e.get("published") or e.get("updated") or e.get("created") or e.get("dc_date")
        published = to_iso(raw_date) if raw_date else None
        if not published:
            parsed_t = e.get("published_parsed") or e.get("updated_parsed")
            published = to_iso(parsed_t) if parsed_t else None
        aliases = [link] if link != url and is_http_url(link) else []
        guid_alias = None
        if guid and guid != link:
            if guid.startswith(("http://", "https://")):
                g = canonical_url(guid)
                guid_alias = g if is_http_url(g) else None
            else:
                guid_alias = f"guid:{host_of(url)}:{guid}"
        out.append(Entry(
            url=url, title=title, summary=html_to_text(e.get("summary") or ""),
            content=html_to_text(content), published=published,
            author=(e.get("author") or None), guid=guid_alias,
            publisher=publisher, aliases=aliases,
        ))
    if not out and parsed.get("bozo"):  # broken XML and nothing usable recovered
        exc = parsed.get("bozo_exception")
        raise FeedError(f"malformed feed (no usable entries): {type(exc).__name__}: {exc}"[:300])
    return out


_NS_SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_NS_NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def parse_sitemap(body: bytes, base_url: str) -> tuple[list[str], list[Entry]]:
    """(child sitemap URLs, entries). Raises FeedError if not a sitemap."""
    if not body.strip():
        raise FeedError("empty response (0 bytes)")
    if looks_like_html(body):
        raise FeedError("got an HTML page, not a sitemap")
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        raise FeedError(f"malformed sitemap: {exc}") from None
    if root is None:
        raise FeedError("malformed sitemap: no XML root")
    tag = etree.QName(root).localname
    if tag == "sitemapindex":
        skipped = Entries()
        children: list[tuple[str, str]] = []
        for node, url in _located(root, "sitemap", base_url, skipped):
            lastmod = _child_text(node, "lastmod")
            children.append((url, (to_iso(lastmod) if lastmod else None) or ""))
        children.sort(key=lambda c: (0 if "news" in c[0].lower() else 1))  # stable: news first among equals
        children.sort(key=lambda c: _instant(c[1]), reverse=True)           # newest first
        return [u for u, _ in children], skipped
    if tag != "urlset":
        raise FeedError(f"not a sitemap (root <{tag}>)")
    entries = Entries()
    for node, url in _located(root, "url", base_url, entries):
        title = _child_text(node, "title", _NS_NEWS) or ""
        date = _child_text(node, "publication_date", _NS_NEWS) or _child_text(node, "lastmod")
        entries.append(Entry(url=url, title=" ".join(title.split()),
                             published=to_iso(date) if date else None))
    entries.sort(key=lambda e: e.published or "", reverse=True)
    return [], entries


def _located(root, name: str, base_url: str, skipped: Entries):
    """(node, canonical http(s) URL) for each <name> child with a <loc>; a bad loc is skipped and
    counted in ``skipped``."""
    for node in root:
        if not isinstance(node.tag, str) or etree.QName(node).localname != name:
            continue
        loc = _child_text(node, "loc")
        if not loc:
            continue
        url = canonical_url(loc, base_url)
        if not is_http_url(url):
            skipped.skip(loc)
            continue
        yield node, url


def _instant(iso: str) -> float:
    from datetime import datetime

    try:
        return datetime.fromisoformat(iso).timestamp() if iso else float("-inf")
    except (ValueError, OverflowError, OSError):
        return float("-inf")


def _child_text(node, local: str, ns: str | None = None) -> str | None:
    for child in node.iter():
        if not isinstance(child.tag, str):
            continue
        q = etree.QName(child)
        if q.localname == local and (ns is None or f"{{{q.namespace}}}" == ns):
            return (child.text or "").strip() or None
    return None


_ARTICLE_PATH = re.compile(r"(/\d{4}/\d{1,2}/|/d-\d+|/\d{5,}|/(?:read|berita|news|artikel|baca)/|-\d{5,}|\.html?$)",
                           re.IGNORECASE)


def parse_listing(html: str, base_url: str, selector: str | None) -> list[Entry]:
    """Article links on a listing page, in page order, without duplicates."""
    try:
        doc = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        raise FeedError("listing page is not HTML") from None
    site = host_of(base_url)
    seen: set[str] = set()
    out = Entries()
    if selector:
        try:
            from cssselect import GenericTranslator
            nodes = doc.xpath(GenericTranslator().css_to_xpath(selector))
        except Exception as exc:
            raise FeedError(f"bad link_selector {selector!r}: {exc}") from None
        anchors = []
        for n in nodes:
            anchors.extend([n] if n.tag == "a" else n.xpath(".//a[@href]"))
    else:
        anchors = doc.xpath("//a[@href]")
    for a in anchors:
        href = (a.get("href") or "").strip()
        if not href or href.startswith("#"):
            continue
        url = canonical_url(href, base_url)
        if not is_http_url(url):
            if selector:  # a chosen link that is not a page: counted; stray page links are just ignored
                out.skip(href)
            continue
        if not selector:
            if host_of(url) != site or not _ARTICLE_PATH.search(url.split("?")[0]):
                continue
            if len(" ".join(a.text_content().split())) < 15:
                continue
        if url in seen or url.rstrip("/") == base_url.rstrip("/"):
            continue
        seen.add(url)
        out.append(Entry(url=url, title=" ".join(a.text_content().split())))
    return out
