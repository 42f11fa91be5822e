"""Per-outlet extraction data: one small module per publisher, chosen by domain.

Rules:
- Each module in this package defines ``OUTLET = Outlet(...)``: the outlet's
  registrable domains, the brand names it decorates titles with, and CSS
  selectors (title, body, date, author, elements to drop inside the body)
  plus regexes of boilerplate lines. Selectors are listed newest layout
  first; older layouts stay because old pages are still crawled. Code is
  added only where data cannot say it (e.g. ``single_page``).
- ``outlet_for(*urls, site_name=...)`` picks the outlet from the first URL
  whose host ends with one of its domains (the page URL, then its canonical
  and ``og:url`` — a page served from a mirror or test server is still
  recognised by its canonical), else from ``og:site_name``. No match → None
  and the generic extractor is used alone.
- Selectors are hints, not trust: ``crawler.extract`` only uses an outlet's
  body text when it agrees with the generic extraction (see there).
- ``brand_keys()`` is every known outlet name, lower-cased alphanumerics
  only ("kompas", "liputan6", "mediaindonesia"): used to strip site names
  from titles.
- Multi-page: ``single_page`` maps an article URL to the outlet's one-page
  form (``?page=all``) when the outlet has one; otherwise the crawler follows
  the page's own numbered pages (bounded, see ``crawler.extract.next_page_urls``).
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import threading
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit


@dataclass(frozen=True)
class Outlet:
    name: str
    domains: tuple[str, ...]
    brands: tuple[str, ...] = ()
    title: tuple[str, ...] = ()
    body: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()
    date: tuple[str, ...] = ()
    author: tuple[str, ...] = ()
    drop_lines: tuple[str, ...] = ()
    single_page: Callable[[str], str | None] | None = None
    _line_re: list = field(default_factory=list, compare=False, repr=False)
    _keys: list = field(default_factory=list, compare=False, repr=False)  # keys(), computed once

    def line_pattern(self) -> re.Pattern | None:
        if not self.drop_lines:
            return None
        if not self._line_re:
            self._line_re.append(re.compile("|".join(f"(?:{p})" for p in self.drop_lines), re.IGNORECASE))
        return self._line_re[0]

    def keys(self) -> set[str]:
        if not self._keys:
            out = {_key(b) for b in self.brands} | {_key(d.split(".")[0]) for d in self.domains}
            self._keys.append(frozenset(k for k in out if len(k) >= 4))
        return set(self._keys[0])


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", (text or "").lower())


def with_query(url: str, **params: str) -> str:
    """``url`` with query parameters set (others kept)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    query += list(params.items())
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def page_all(url: str) -> str | None:
    """The ``?page=all`` single-page form (kompas, tribunnews, okezone, suara, antara)."""
    return with_query(url, page="all")


_OUTLETS: list[Outlet] = []
_LOCK = threading.Lock()  # pages may be extracted in worker threads: the registry is built once, whole


def all_outlets() -> list[Outlet]:
    if not _OUTLETS:
        with _LOCK:
            if not _OUTLETS:
                found = []
                for mod in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
                    module = importlib.import_module(f"{__name__}.{mod.name}")
                    outlet = getattr(module, "OUTLET", None)
                    if isinstance(outlet, Outlet):
                        found.append(outlet)
                _OUTLETS.extend(found)  # one step: no thread sees a partial registry
    return _OUTLETS


def _host(url: str | None) -> str:
    try:
        return (urlsplit(url or "").hostname or "").lower().rstrip(".")
    except ValueError:
        return ""


_BY_DOMAIN: dict[str, int] = {}  # domain -> index of the first outlet (registry order) that lists it


def _domain_index() -> dict[str, int]:
    if not _BY_DOMAIN:
        index: dict[str, int] = {}
        for i, outlet in enumerate(all_outlets()):
            for d in outlet.domains:
                index.setdefault(d, i)
        with _LOCK:
            if not _BY_DOMAIN:
                _BY_DOMAIN.update(index)  # one step: no thread sees a partial index
    return _BY_DOMAIN


def outlet_for(*urls: str | None, site_name: str | None = None) -> Outlet | None:
    """The outlet of a page, from its URLs (page, canonical, og:url) or its ``og:site_name``."""
    outlets = all_outlets()
    by_domain = _domain_index()
    for url in urls:
        host = _host(url)
        if not host:
            continue
        # the host itself and each parent domain ("a.b.kompas.com" → "b.kompas.com", "kompas.com", "com");
        # the first outlet in registry order that lists any of them, as a scan of the registry would find
        labels = host.split(".")
        found = [by_domain[d] for d in (".".join(labels[i:]) for i in range(len(labels))) if d in by_domain]
        if found:
            return outlets[min(found)]
    key = _key(site_name or "")
    if key:
        for outlet in outlets:
            if any(key == k or key.startswith(k) for k in outlet.keys()):
                return outlet
    return None


_BRAND_KEYS: list[str] = []


def brand_keys() -> list[str]:
    if not _BRAND_KEYS:
        keys = set()
        for outlet in all_outlets():
            keys |= outlet.keys()
        with _LOCK:
            if not _BRAND_KEYS:
                _BRAND_KEYS.extend(sorted(keys, key=len, reverse=True))
    return _BRAND_KEYS
