"""Text that leaves the program holds only characters XML 1.0 allows.

Rule: everywhere text leaves Pantau PHK — the Atom feed, ``pantau export``
(articles and events, every format) and Telegram messages — characters that
XML 1.0 forbids are removed: C0 controls other than tab, line feed and
carriage return, lone surrogates, U+FFFE and U+FFFF. They carry no meaning in
news text, and one of them (``&#1;`` in a feed title) would otherwise make
the whole Atom feed unreadable. Stored text is left as collected.
"""

from __future__ import annotations

import re

_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text):
    """``text`` without XML-1.0-forbidden characters; non-strings are returned unchanged."""
    if isinstance(text, str) and _FORBIDDEN.search(text):
        return _FORBIDDEN.sub("", text)
    return text


def xml_safe_value(value):
    """``xml_safe`` applied through lists, tuples and dicts (export records)."""
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, (list, tuple)):
        return [xml_safe_value(v) for v in value]
    if isinstance(value, dict):
        return {k: xml_safe_value(v) for k, v in value.items()}
    return value
