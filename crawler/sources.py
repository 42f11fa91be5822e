"""The sources file (``seeds/sources.toml``): load, validate, OPML in and out.

Format: an array of ``[[source]]`` tables. Keys:

``name``  (required, unique) shown to users;
``url``   (required, http/https);
``type``  ``rss`` (RSS 0.9x/1.0/2.0 and Atom; the default), ``sitemap`` (news
          sitemap or sitemap index) or ``html`` (a listing page);
``link_selector`` (html only) CSS selector of article links;
``enabled`` (default true); ``language`` (default ``id``);
``aggregator`` (default false; true for Google News searches: their links
          are resolved to the publisher and never duplicate a publisher's own
          article); ``note`` (free text) is kept; any other key is an error
          with a "did you mean" hint (``linkselector`` → ``link_selector``).

A bad file raises ``ConfigError`` with one line naming the entry and problem.

OPML 2.0 export/import round-trips every setting: non-default values travel
as ``pantauType``, ``pantauLinkSelector``, ``pantauEnabled``,
``pantauAggregator`` and ``pantauLanguage`` attributes; foreign OPML (nested
folders included) imports as RSS sources. ``to_toml`` (used when an import
rewrites the sources file) keeps language, aggregator and unknown scalar
keys; comments in the file are not kept.
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse
from xml.etree import ElementTree as ET
from xml.sax.saxutils import quoteattr

from .config import ConfigError

TYPES = ("rss", "sitemap", "html")
# every key a [[source]] may have; anything else is a typo (error with a "did you mean" hint).
# `note` is free text for the operator. (`domains` is read by the fetch policy.)
KNOWN_KEYS = frozenset({"name", "url", "type", "link_selector", "enabled", "language", "aggregator",
                        "domains", "note"})


@dataclass(frozen=True)
class Source:
    name: str
    url: str
    type: str = "rss"
    link_selector: str | None = None
    enabled: bool = True
    language: str = "id"
    aggregator: bool = False
    extra: dict = field(default_factory=dict, compare=False)


def _check_url(url: object, where: str) -> str:
    if not isinstance(url, str) or not url.strip():
        raise ConfigError(f"{where}: missing url")
    url = url.strip()
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ConfigError(f"{where}: url {url!r} is not an http(s) URL")
    return url


def parse_sources(data: dict, origin: str = "sources") -> list[Source]:
    entries = data.get("source", [])
    if not isinstance(entries, list):
        raise ConfigError(f"{origin}: 'source' must be an array of tables ([[source]])")
    out: list[Source] = []
    seen: dict[str, int] = {}
    for i, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise ConfigError(f"{origin}: source #{i}: not a table")
        name = entry.get("name")
        where = f"{origin}: source #{i}" + (f" ({name!r})" if isinstance(name, str) and name else "")
        if not isinstance(name, str) or not name.strip():
            raise ConfigError(f"{where}: missing name")
        name = name.strip()
        key = name.casefold()
        if key in seen:
            raise ConfigError(f"{where}: duplicate name {name!r} (also source #{seen[key]})")
        seen[key] = i
        url = _check_url(entry.get("url"), where)
        typ = entry.get("type", "rss")
        if typ not in TYPES:
            raise ConfigError(f"{where}: unknown type {typ!r} (expected one of {', '.join(TYPES)})")
        selector = entry.get("link_selector")
        if selector is not None and not isinstance(selector, str):
            raise ConfigError(f"{where}: link_selector must be a string")
        enabled = entry.get("enabled", True)
        if not isinstance(enabled, bool):
            raise ConfigError(f"{where}: enabled must be true or false")
        aggregator = entry.get("aggregator", "news.google." in url)
        for key in entry:
            if key not in KNOWN_KEYS:
                close = difflib.get_close_matches(str(key), sorted(KNOWN_KEYS), n=1, cutoff=0.6)
                hint = (f"did you mean {close[0]!r}?" if close
                        else f"known keys: {', '.join(sorted(KNOWN_KEYS))}")
                raise ConfigError(f"{where}: unknown key {key!r} ({hint})")
        known = KNOWN_KEYS - {"note"}  # `note` travels in `extra` (kept when the file is rewritten)
        out.append(Source(
            name=name, url=url, type=typ, link_selector=selector, enabled=enabled,
            language=str(entry.get("language", "id")), aggregator=bool(aggregator),
            extra={k: v for k, v in entry.items() if k not in known},
        ))
    return out


def load_sources(path: Path) -> list[Source]:
    """Read and validate the sources file (all entries, enabled or not)."""
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{path}: sources file not found") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read sources file: {exc.strerror}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: TOML error: {exc}") from None
    return parse_sources(data, str(path))


# -- OPML -----------------------------------------------------------------

def _toml_str(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_toml(sources: list[Source]) -> str:
    lines: list[str] = []
    for s in sources:
        lines.append("[[source]]")
        lines.append(f"name = {_toml_str(s.name)}")
        lines.append(f"url = {_toml_str(s.url)}")
        lines.append(f"type = {_toml_str(s.type)}")
        if s.link_selector:
            lines.append(f"link_selector = {_toml_str(s.link_selector)}")
        if not s.enabled:
            lines.append("enabled = false")
        if s.language != "id":
            lines.append(f"language = {_toml_str(s.language)}")
        if s.aggregator != ("news.google." in s.url):
            lines.append(f"aggregator = {'true' if s.aggregator else 'false'}")
        for key, value in s.extra.items():  # unknown keys survive a rewrite (scalars only)
            if isinstance(value, bool):
                lines.append(f"{key} = {'true' if value else 'false'}")
            elif isinstance(value, (int, float)):
                lines.append(f"{key} = {value!r}")
            elif isinstance(value, str):
                lines.append(f"{key} = {_toml_str(value)}")
        lines.append("")
    return "\n".join(lines)


def export_opml(sources: list[Source], title: str = "Pantau PHK sources") -> str:
    """OPML 2.0 with one outline per source (feeds as type="rss")."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>', '<opml version="2.0">',
           f"  <head><title>{_xml_text(title)}</title></head>", "  <body>"]
    for s in sources:
        attrs = {"text": s.name, "title": s.name, "type": "rss", "xmlUrl": s.url}
        if s.type != "rss":
            attrs["pantauType"] = s.type
        if s.link_selector:
            attrs["pantauLinkSelector"] = s.link_selector
        if not s.enabled:
            attrs["pantauEnabled"] = "false"
        if s.aggregator != ("news.google." in s.url):
            attrs["pantauAggregator"] = "true" if s.aggregator else "false"
        if s.language != "id":
            attrs["pantauLanguage"] = s.language
        out.append("    <outline " + " ".join(f"{k}={quoteattr(v)}" for k, v in attrs.items()) + "/>")
    out += ["  </body>", "</opml>", ""]
    return "\n".join(out)


def _xml_text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def import_opml(data: bytes, origin: str = "OPML") -> list[Source]:
    """Every outline with an xmlUrl (nested folders included) becomes a source."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ConfigError(f"{origin}: not valid OPML/XML: {exc}") from None
    if root.tag != "opml":
        raise ConfigError(f"{origin}: root element is <{root.tag}>, expected <opml>")
    found: list[Source] = []
    for i, node in enumerate(root.iter("outline"), start=1):
        url = node.get("xmlUrl") or node.get("xmlurl")
        if not url:
            continue
        name = (node.get("title") or node.get("text") or url).strip()
        where = f"{origin}: outline #{i} ({name!r})"
        url = _check_url(url, where)
        typ = node.get("pantauType", "rss")
        if typ not in TYPES:
            typ = "rss"
        found.append(Source(name=name, url=url, type=typ,
                            link_selector=node.get("pantauLinkSelector"),
                            enabled=node.get("pantauEnabled", "true") != "false",
                            language=node.get("pantauLanguage") or "id",
                            aggregator=node.get("pantauAggregator", "news.google." in url and "true") == "true"))
    return found


def merge(existing: list[Source], new: list[Source]) -> tuple[list[Source], list[Source]]:
    """Add sources whose URL and name are both new; returns (merged, added).

    A name clash with a different URL gets a numbered suffix.
    """
    urls = {s.url for s in existing}
    names = {s.name.casefold() for s in existing}
    merged, added = list(existing), []
    for s in new:
        if s.url in urls:
            continue
        name, n = s.name, 2
        while name.casefold() in names:
            name, n = f"{s.name} ({n})", n + 1
        s = Source(name=name, url=s.url, type=s.type, link_selector=s.link_selector,
                   enabled=s.enabled, language=s.language, aggregator=s.aggregator, extra=s.extra)
        merged.append(s)
        added.append(s)
        urls.add(s.url)
        names.add(name.casefold())
    return merged, added
