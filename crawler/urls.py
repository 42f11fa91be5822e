"""One canonical URL per article.

Rules: lower-case scheme and host, drop the fragment, drop default ports,
remove tracking parameters (``utm_*``, ``fbclid``, ``gclid``, ``ref`` and
friends, listed in ``TRACKING_PARAMS``), keep the other parameters in their order,
and drop a trailing ``?``. Paths are left as the site wrote them (servers
may be case- and slash-sensitive). ``rel=canonical`` and GUIDs are applied
by the crawler on top of this. Only http(s) URLs are normalised; anything
else is returned unchanged, and ``netpolicy.is_http_url`` keeps it out of
requests and the database.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid",
    "mc_cid", "mc_eid", "_ga", "_gl", "ref_src", "ref_url", "oc", "ved", "usg", "cmpid",
    "source", "src", "from", "tag_from", "ref", "_ref", "rss", "xtor", "spm", "share", "ito",
    "amp", "s_cid", "cx_testId", "cx_testVariant",
})
_TRACKING_PREFIXES = ("utm_", "utm-", "pk_", "mtm_", "hsa_", "_hs")


def _is_tracking(key: str) -> bool:
    k = key.lower()
    return k in TRACKING_PARAMS or k.startswith(_TRACKING_PREFIXES)


def canonical_url(url: str, base: str | None = None) -> str:
    """Normalise ``url`` (resolved against ``base`` when relative)."""
    if not url:
        return url
    url = url.strip()
    if base:
        try:
            url = urljoin(base, url)
        except ValueError:  # e.g. "http://[::1": left as is, refused by netpolicy.is_http_url
            return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        return url  # never "normalised" into something fetchable (file:///x must not become file://x)
    try:
        host = (parts.hostname or "").lower()
        port = parts.port if parts.port else None
    except ValueError:  # bad port or bracketed host
        return url
    if not host:
        return url
    if (scheme == "http" and port == 80) or (scheme == "https" and port == 443):
        port = None
    netloc = host + (f":{port}" if port else "")
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    path = parts.path or "/"
    return urlunsplit((scheme, netloc, path, urlencode(query, doseq=True), ""))


def host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


_WWW = re.compile(r"^(www|m|amp)\d*\.")


def outlet_from_host(host: str) -> str:
    """A readable outlet name from a host: inet.detik.com → inet.detik.com."""
    return _WWW.sub("", host)
