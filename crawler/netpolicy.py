"""Which URLs the crawler may request or store (the fetch policy).

Rules:
- Only ``http`` and ``https`` URLs with a host are ever requested or stored.
  ``file:``, ``data:``, ``ftp:``, ``javascript:``, ``mailto:``, ``tel:`` and
  every other scheme are refused (Scrapy's ``file``/``data``/``ftp``/``s3``
  download handlers are switched off as well, see ``crawl.scrapy_settings``).
- A URL whose host is, or resolves to, a loopback, private, link-local,
  multicast, reserved or unspecified address ("internal") is allowed only
  when it has the same origin (scheme, host, port) as the URL of the source
  it came from. So a source an operator configured on a LAN (or the tests'
  loopback news server) still works, but a feed link, redirect or
  ``rel=canonical`` cannot point the crawler at another internal service
  (``http://127.0.0.1:6379/``, ``http://169.254.169.254/``, ``localhost``).
- DNS answers are checked, not just literal IPs: every address a host name
  resolves to must be public. Answers are cached for the process (one crawl),
  and a name that does not resolve is not internal (its request fails on its
  own). The downloader middleware ``FetchPolicyMiddleware`` runs before
  robots.txt and sees every request again after a redirect, so a 30x to an
  internal address is refused too.
- ``registrable_domain`` (public suffix list shipped with tldextract; no
  network) decides whether a canonical URL belongs to the page's site.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from urllib.parse import urlsplit

ALLOWED_SCHEMES = ("http", "https")
_DEFAULT_PORTS = {"http": 80, "https": 443}

#: host name -> True (internal) / False (public or unresolvable); per process
_DNS_CACHE: dict[str, bool] = {}
_DNS_LOCK = threading.Lock()


def resolve(host: str) -> list[str]:
    """Every address ``host`` resolves to (empty when it does not resolve). Tests may replace this."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError, ValueError):
        return []
    return [info[4][0] for info in infos]


def is_http_url(url: str | None) -> bool:
    """An absolute http(s) URL with a host (and nothing that makes it unparsable)."""
    if not url or not isinstance(url, str):
        return False
    if any(c in url for c in "\r\n\t\x00") or url != url.strip():
        return False
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return False
    return parts.scheme.lower() in ALLOWED_SCHEMES and bool(parts.hostname)


def origin(url: str) -> tuple[str, str, int] | None:
    try:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        host = (parts.hostname or "").lower()
        port = parts.port or _DEFAULT_PORTS.get(scheme)
    except ValueError:
        return None
    if not scheme or not host:
        return None
    return scheme, host, port


def same_origin(a: str, b: str | None) -> bool:
    if not b:
        return False
    oa, ob = origin(a), origin(b)
    return oa is not None and oa == ob


def is_internal_ip(value: str) -> bool:
    try:
        ip = ipaddress.ip_address(value.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_multicast or ip.is_reserved
            or ip.is_unspecified or not ip.is_global)


def host_is_internal(host: str, lookup: bool = True) -> bool:
    """True when ``host`` is an internal IP literal or (with ``lookup``) resolves to one."""
    host = (host or "").strip("[]").lower().rstrip(".")
    if not host:
        return False
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        pass
    else:
        return is_internal_ip(host)
    if host.endswith(".localhost"):  # RFC 6761; plain "localhost" goes through the resolver
        return True
    if not lookup:
        return False
    with _DNS_LOCK:
        cached = _DNS_CACHE.get(host)
    if cached is not None:
        return cached
    internal = any(is_internal_ip(a) for a in resolve(host))
    with _DNS_LOCK:
        _DNS_CACHE[host] = internal
    return internal


def is_cached(host: str) -> bool:
    """Whether ``host_is_internal(host)`` would answer without a DNS lookup."""
    host = (host or "").strip("[]").lower().rstrip(".")
    with _DNS_LOCK:
        return host in _DNS_CACHE


def check_url(url: str, source_url: str | None, lookup: bool = True) -> str | None:
    """None when the crawler may request/store ``url`` for a source at ``source_url``; else the reason."""
    if not is_http_url(url):
        scheme = url.split(":", 1)[0][:20] if isinstance(url, str) and ":" in url else ""
        return f"not an http(s) URL ({scheme or 'no scheme'})"
    if source_url and same_origin(url, source_url):
        return None
    host = urlsplit(url).hostname or ""
    if host_is_internal(host, lookup=lookup):
        return f"internal address refused ({host})"
    return None


_EXTRACTOR = None


def registrable_domain(url_or_host: str) -> str:
    """``news.detik.co.id`` → ``detik.co.id``; an IP or single label is returned whole."""
    global _EXTRACTOR
    host = url_or_host
    if "/" in url_or_host or ":" in url_or_host:
        try:
            host = urlsplit(url_or_host if "//" in url_or_host else "//" + url_or_host).hostname or ""
        except ValueError:
            return ""
    host = host.lower().rstrip(".")
    if not host:
        return ""
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    if _EXTRACTOR is None:
        import tldextract

        # the bundled list (no network), private suffixes included: a.blogspot.com and b.blogspot.com differ
        _EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True)
    ext = _EXTRACTOR(host)
    return getattr(ext, "top_domain_under_public_suffix", None) or ext.registered_domain or host


def same_site(a: str, b: str) -> bool:
    """Both URLs on the same registrable domain (or the same host for IPs/local names)."""
    da, db = registrable_domain(a), registrable_domain(b)
    return bool(da) and da == db
