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
          article); ``domains`` (list of host names) other domains the
          outlet publishes under: a ``rel=canonical`` there is accepted;
          ``note`` (free text) is kept; any other key is an error with a
          "did you mean" hint (``linkselector`` → ``link_selector``).

A bad file raises ``ConfigError`` with one line naming the entry and problem.

Two sources may not share a URL: URLs are compared by ``source_key``
(lower-case scheme and host, default port and trailing slash dropped), so
``HTTPS://Detik.com/rss/`` and ``https://detik.com/rss`` are the same feed.

OPML 2.0 export/import round-trips every setting: non-default values travel
as ``pantauType``, ``pantauLinkSelector``, ``pantauEnabled``,
``pantauAggregator``, ``pantauLanguage`` and ``pantauDomains`` attributes;
foreign OPML (nested folders included) imports as RSS sources. Import rules:
at most ``MAX_OUTLINES`` feeds per file (a clear error beyond); only
http(s) URLs; an address that is (or resolves to) loopback, private,
link-local or multicast is refused unless ``allow_private`` (``pantau
sources import --allow-private``); names and URLs lose line breaks and
control characters; duplicates (by ``source_key``) are added once.

``add_to_sources_file`` writes an import: through tomlkit, so the
operator's comments and layout stay; the new text is validated (TOML and
``parse_sources``) before it replaces the file; the old file is kept as
``<file>.bak``; the replacement is atomic (temporary file, fsync, rename),
so a crash or a bad outline can never leave a broken sources file.
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
MAX_OUTLINES = 1000
# every key a [[source]] may have; anything else is a typo (error with a "did you mean" hint).
# `note` is free text for the operator.
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
    domains: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict, compare=False)


def _check_url(url: object, where: str) -> str:
    if not isinstance(url, str) or not url.strip():
        raise ConfigError(f"{where}: missing url")
    url = url.strip()
    from .netpolicy import is_http_url

    try:
        parsed = urlparse(url)
    except ValueError:
        raise ConfigError(f"{where}: url {url!r} is not a valid URL") from None
    if parsed.scheme.lower() not in ("http", "https") or not parsed.netloc:
        raise ConfigError(f"{where}: url {url!r} is not an http(s) URL")
    if not is_http_url(url) or any(c.isspace() for c in url):
        raise ConfigError(f"{where}: url {url!r} is not a valid http(s) URL (spaces, line breaks or a bad port)")
    return url


def source_key(url: str) -> str:
    """The URL as compared for duplicates: canonical form without a trailing slash."""
    from .urls import canonical_url

    key = canonical_url(url.strip())
    head, sep, query = key.partition("?")
    return head.rstrip("/") + sep + query


def _clean_text(value: str) -> str:
    """One line: line breaks, tabs and other control characters become spaces."""
    return " ".join("".join(" " if (ord(c) < 32 or 0x7f <= ord(c) < 0xa0 or c in "\u2028\u2029") else c
                            for c in value).split())


def parse_sources(data: dict, origin: str = "sources") -> list[Source]:
    entries = data.get("source", [])
    if not isinstance(entries, list):
        raise ConfigError(f"{origin}: 'source' must be an array of tables ([[source]])")
    out: list[Source] = []
    seen: dict[str, int] = {}
    seen_urls: dict[str, int] = {}
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
        ukey = source_key(url)
        if ukey in seen_urls:
            raise ConfigError(f"{where}: duplicate url {url!r} (also source #{seen_urls[ukey]})")
        seen_urls[ukey] = i
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
        domains = entry.get("domains", [])
        if isinstance(domains, str):
            domains = [domains]
        if not isinstance(domains, list) or not all(isinstance(d, str) and d.strip() and "/" not in d
                                                    for d in domains):
            raise ConfigError(f"{where}: domains must be a list of host names (e.g. [\"kompas.id\"])")
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
            domains=tuple(d.strip().lower().lstrip(".") for d in domains),
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
    import json

    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string (\n, \" escaped)


def _source_table(s: Source):
    import tomlkit

    t = tomlkit.table()
    t.add("name", s.name)
    t.add("url", s.url)
    t.add("type", s.type)
    if s.link_selector:
        t.add("link_selector", s.link_selector)
    if not s.enabled:
        t.add("enabled", False)
    if s.language != "id":
        t.add("language", s.language)
    if s.aggregator != ("news.google." in s.url):
        t.add("aggregator", s.aggregator)
    if s.domains:
        t.add("domains", list(s.domains))
    for key, value in s.extra.items():
        if isinstance(value, (bool, int, float, str)):
            t.add(key, value)
    return t


def add_to_sources_file(path: Path, added: list[Source]) -> Path | None:
    """Append ``added`` to the sources file, keeping its comments; validated, atomic, ``.bak`` kept.

    Returns the backup path (None when the file did not exist)."""
    import os
    import shutil
    import tempfile

    import tomlkit

    path = Path(path)
    old_text = path.read_text(encoding="utf-8") if path.exists() else ""
    try:
        doc = tomlkit.parse(old_text)
    except Exception as exc:  # tomlkit's own ParseError and friends
        raise ConfigError(f"{path}: TOML error: {exc}") from None
    if "source" not in doc:
        doc.append("source", tomlkit.aot())
    aot = doc["source"]
    if not isinstance(aot, tomlkit.items.AoT):
        raise ConfigError(f"{path}: 'source' must be an array of tables ([[source]])")
    for s in added:
        aot.append(_source_table(s))
    text = tomlkit.dumps(doc)
    try:  # validate exactly what will be written
        parse_sources(tomllib.loads(text), str(path))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: the import would produce invalid TOML ({exc}); file left unchanged") from None
    path.parent.mkdir(parents=True, exist_ok=True)
    backup = None
    if path.exists():
        backup = path.with_name(path.name + ".bak")
        shutil.copy2(path, backup)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if backup is not None:
            shutil.copymode(backup, tmp)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return backup


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
        if s.domains:
            lines.append("domains = [" + ", ".join(_toml_str(d) for d in s.domains) + "]")
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
        if s.domains:
            attrs["pantauDomains"] = " ".join(s.domains)
        out.append("    <outline " + " ".join(f"{k}={quoteattr(v)}" for k, v in attrs.items()) + "/>")
    out += ["  </body>", "</opml>", ""]
    return "\n".join(out)


def _xml_text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def import_opml(data: bytes, origin: str = "OPML", allow_private: bool = False,
                limit: int = MAX_OUTLINES) -> list[Source]:
    """Every outline with an xmlUrl (nested folders included) becomes a source (duplicates once)."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ConfigError(f"{origin}: not valid OPML/XML: {exc}") from None
    if root.tag != "opml":
        raise ConfigError(f"{origin}: root element is <{root.tag}>, expected <opml>")
    nodes = [(i, n) for i, n in enumerate(root.iter("outline"), start=1) if n.get("xmlUrl") or n.get("xmlurl")]
    if len(nodes) > limit:
        raise ConfigError(f"{origin}: {len(nodes)} feeds in one file; at most {limit} are imported at once "
                          f"(split the file)")
    found: list[Source] = []
    keys: set[str] = set()
    for i, node in nodes:
        raw_url = node.get("xmlUrl") or node.get("xmlurl")
        name = _clean_text(node.get("title") or node.get("text") or "") or _clean_text(raw_url)
        where = f"{origin}: outline #{i} ({name[:80]!r})"
        url = _check_url(raw_url, where)
        key = source_key(url)
        if key in keys:
            continue
        keys.add(key)
        typ = node.get("pantauType", "rss")
        if typ not in TYPES:
            typ = "rss"
        selector = node.get("pantauLinkSelector")
        found.append(Source(name=name, url=url, type=typ,
                            link_selector=_clean_text(selector) if selector else None,
                            enabled=node.get("pantauEnabled", "true") != "false",
                            language=_clean_text(node.get("pantauLanguage") or "") or "id",
                            aggregator=node.get("pantauAggregator", "news.google." in url and "true") == "true",
                            domains=tuple(d.lower() for d in (node.get("pantauDomains") or "").split()
                                          if "/" not in d)))
    if not allow_private:
        internal = _internal_hosts([s.url for s in found])
        for s in found:
            host = (urlparse(s.url).hostname or "").lower()
            if host in internal:
                raise ConfigError(f"{origin}: outline {s.name[:80]!r}: {s.url!r} is an internal address "
                                  f"({internal[host]}); refused (use --allow-private for a feed on your own network)")
    return found


def _internal_hosts(urls: list[str], budget: float = 5.0) -> dict[str, str]:
    """host -> why it is internal: literal IPs at once, names through DNS (in parallel, ``budget`` s in all)."""
    from concurrent.futures import ThreadPoolExecutor, wait

    from . import netpolicy

    out: dict[str, str] = {}
    names: set[str] = set()
    for url in urls:
        host = (urlparse(url).hostname or "").lower()
        if not host:
            continue
        if netpolicy.host_is_internal(host, lookup=False):
            out[host] = "loopback/private/link-local address"
        elif not _is_ip_literal(host):
            names.add(host)
    if names:
        pool = ThreadPoolExecutor(max_workers=min(16, len(names)))
        futures = {pool.submit(netpolicy.host_is_internal, h): h for h in names}
        done, _ = wait(futures, timeout=budget)
        pool.shutdown(wait=False, cancel_futures=True)
        for f in done:
            if f.exception() is None and f.result():
                out[futures[f]] = "resolves to a loopback/private/link-local address"
    return out


def _is_ip_literal(host: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(host.strip("[]"))
        return True
    except ValueError:
        return False


def merge(existing: list[Source], new: list[Source]) -> tuple[list[Source], list[Source]]:
    """Add sources whose URL and name are both new; returns (merged, added).

    A name clash with a different URL gets a numbered suffix.
    """
    urls = {source_key(s.url) for s in existing}
    names = {s.name.casefold() for s in existing}
    merged, added = list(existing), []
    for s in new:
        if source_key(s.url) in urls:
            continue
        name, n = s.name, 2
        while name.casefold() in names:
            name, n = f"{s.name} ({n})", n + 1
        s = Source(name=name, url=s.url, type=s.type, link_selector=s.link_selector,
                   enabled=s.enabled, language=s.language, aggregator=s.aggregator, domains=s.domains,
                   extra=s.extra)
        merged.append(s)
        added.append(s)
        urls.add(source_key(s.url))
        names.add(name.casefold())
    return merged, added
