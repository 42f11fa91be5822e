"""Published times: timezone-aware ISO 8601 from whatever the site wrote.

Rules:
- ISO 8601 and RFC 822 with an offset are kept as written (offset included).
- Indonesian display formats are understood: day names (Senin … Minggu,
  "Jum'at"), full and short month names (Januari/Jan … Desember/Des,
  Agu/Ags, Okt, Mei), "14.30" or "14:30", "|", "-" and "," separators, and
  the zones WIB (+07:00), WITA (+08:00) and WIT (+09:00).
- A time with no zone on an Indonesian site is WIB (+07:00).
- Nothing parseable → ``None`` (never "now": an undated entry stays undated).
- A date outside [1990-01-01, now + 2 days] is unknown (``None``): typos,
  placeholders like 9999-12-31 or 0001-01-01 and clock garbage. This holds
  when a page is parsed (the crawler then falls back to the feed's date, then
  the fetch time) and when a stored date is read back through ``parse_date``
  (alerts, /terbaru, /cari, search, digest), so a bad date that reached the
  database can never crash a reader (Python cannot shift year 9999 −12:00
  to WIB).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

WIB = timezone(timedelta(hours=7), "WIB")
_ZONES = {"WIB": 7, "WITA": 8, "WIT": 9, "UTC": 0, "GMT": 0, "Z": 0}

_MONTHS = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "agustus": 8, "agu": 8, "ags": 8, "agt": 8, "aug": 8, "august": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nov": 11, "nop": 11,
    "desember": 12, "des": 12, "dec": 12, "december": 12,
}
MONTHS_SHORT = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
_DAYS = r"(?:senin|selasa|rabu|kamis|jum'?at|sabtu|minggu|ahad|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun)"

# "Senin, 20 Okt 2025 14:30 WIB", "24 Juli 2026 | 11.32 WIB", "24 Jul 2026, 16:36"
_TEXT_DATE = re.compile(
    r"(?:" + _DAYS + r"\s*,?\s*)?(\d{1,2})\s+([A-Za-z]{3,9})\.?\s+(\d{4})"
    r"(?:\s*[,|\-–]?\s*(?:pukul\s+)?(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?"
    r"\s*(WIB|WITA|WIT|UTC|GMT)?", re.IGNORECASE)
# "03/07/2025, 13:44 WIB", "2025/07/03 08:43:53", "2025-07-03 08:43"
_NUM_DATE = re.compile(
    r"(\d{1,4})[/\-.](\d{1,2})[/\-.](\d{2,4})(?:\s*,?\s*(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?\s*(WIB|WITA|WIT|UTC|GMT)?",
    re.IGNORECASE)
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")


def _tz(name: str | None, default: timezone = WIB) -> timezone:
    if not name:
        return default
    hours = _ZONES[name.upper()]
    return WIB if hours == 7 else timezone(timedelta(hours=hours))


def _build(y: int, mo: int, d: int, h: int, mi: int, s: int, tz: timezone) -> datetime | None:
    try:
        return datetime(y, mo, d, h, mi, s, tzinfo=tz)
    except ValueError:
        return None


EARLIEST = datetime(1990, 1, 1, tzinfo=timezone.utc)
FUTURE_SLACK = timedelta(days=2)


def plausible(dt: datetime | None) -> datetime | None:
    """``dt`` if it lies in [1990-01-01, now + 2 days] (and can be shifted to any zone), else None."""
    if dt is None:
        return None
    try:
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=WIB)
        utc = dt.astimezone(timezone.utc)
        if not (EARLIEST <= utc <= datetime.now(timezone.utc) + FUTURE_SLACK):
            return None
        dt.astimezone(timezone(timedelta(hours=14)))  # every display zone must work too
        dt.astimezone(timezone(timedelta(hours=-12)))
    except (OverflowError, ValueError, OSError):
        return None
    return dt


def parse_date(value: object, default_tz: timezone = WIB) -> datetime | None:
    """Parse one date string (or datetime / struct_time) into an aware datetime; None when unknown
    or outside the plausible range (see the module rules)."""
    try:
        return plausible(_parse(value, default_tz))
    except (OverflowError, ValueError):
        return None


def _parse(value: object, default_tz: timezone = WIB) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=default_tz)
    if hasattr(value, "tm_year"):  # time.struct_time from feedparser (UTC)
        try:
            return datetime(*value[:6], tzinfo=timezone.utc)  # type: ignore[index]
        except (TypeError, ValueError):
            return None
    text = " ".join(str(value).split())
    if not text or len(text) > 200:
        return None
    # ISO 8601
    if _ISO.match(text):
        try:
            dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
            return dt if dt.tzinfo else dt.replace(tzinfo=default_tz)
        except ValueError:
            pass
    # RFC 822 (feeds); a zone name like WIB is not understood by email.utils
    m_zone = re.search(r"\b(WIB|WITA|WIT)\s*$", text, re.IGNORECASE)
    if not m_zone:
        try:
            from email.utils import parsedate_to_datetime  # lazily: ~15 ms of every start-up (issue 15)

            dt = parsedate_to_datetime(text)
            written = re.search(r"\b\d{1,2}\s+[A-Za-z]{3,9}\.?\s+(\d{4})\b", text)
            if dt is not None and written and int(written.group(1)) != dt.year:
                return None  # email.utils reads year 0001 as 2001
            if dt is not None:
                return dt if dt.tzinfo else dt.replace(tzinfo=default_tz)
        except (TypeError, ValueError, IndexError):
            pass
    m = _TEXT_DATE.search(text)
    if m and m.group(2).lower() in _MONTHS:
        d, mon, y, h, mi, s, zone = m.groups()
        return _build(int(y), _MONTHS[mon.lower()], int(d), int(h or 0), int(mi or 0), int(s or 0),
                      _tz(zone, default_tz))
    m = _NUM_DATE.search(text)
    if m:
        a, b, c, h, mi, s, zone = m.groups()
        if len(a) == 4:
            y, mo, d = int(a), int(b), int(c)
        elif len(c) == 4:
            d, mo, y = int(a), int(b), int(c)  # Indonesian order: day/month/year
        else:
            y, mo, d = None, None, None
        if y:
            dt = _build(y, mo, d, int(h or 0), int(mi or 0), int(s or 0), _tz(zone, default_tz))
            if dt:
                return dt
    return _dateparser(text, default_tz)


def _dateparser(text: str, default_tz: timezone) -> datetime | None:
    try:
        import dateparser
    except ImportError:  # pragma: no cover
        return None
    try:
        dt = dateparser.parse(text, languages=["id", "en"], settings={
            "RETURN_AS_TIMEZONE_AWARE": False, "PREFER_DAY_OF_MONTH": "first",
            "REQUIRE_PARTS": ["day", "month", "year"]})
    except Exception:  # dateparser raises odd errors on odd input
        return None
    if dt is None:
        return None
    dt = (dt if dt.tzinfo else dt.replace(tzinfo=default_tz)).replace(microsecond=0)
    if dt > datetime.now(timezone.utc) + timedelta(hours=12):
        return None  # "besok" and typos: a published time is never in the future
    return dt


def to_iso(value: object, default_tz: timezone = WIB) -> str | None:
    dt = parse_date(value, default_tz)
    return dt.isoformat() if dt else None


def format_wib(iso: str | None) -> str:
    """'20 Okt 2025 14:30 WIB' for display in alerts."""
    dt = parse_date(iso) if iso else None
    if not dt:
        return "waktu tidak diketahui"
    dt = dt.astimezone(WIB)
    return f"{dt.day} {MONTHS_SHORT[dt.month - 1]} {dt.year} {dt:%H:%M} WIB"
