"""Settings: one declared table, read from the environment (and `.env`).

Every setting Pantau PHK understands is a row of ``SETTINGS``: its name (the
environment variable), default, help text and whether it is secret. Values
come from the process environment first, then from a ``.env`` file in the
working directory (``KEY=value`` lines, ``#`` comments, optional quotes).
Secret values are never printed: ``Settings.redacted()`` and ``repr()`` hide
them, and ``redact(text)`` scrubs them out of any message before it is logged
or stored — raw, percent-encoded or JSON-escaped, and any ``/bot<token>/``
URL path segment. The bot token is cleaned on load: whitespace, NBSP,
zero-width and other invisible characters pasted with it are removed
(``Settings.token``; logging says once that it happened, never the value).
"""

from __future__ import annotations

import os
import re
from collections import namedtuple
from pathlib import Path


class ConfigError(Exception):
    """A setting or the sources file is unusable; the message is one line."""


# One row of the settings table: name, default (None = unset), help text, secret (redacted everywhere).
# A named tuple rather than a dataclass: ``dataclasses`` costs ~10 ms of every command's start-up (issue 15).
Setting = namedtuple("Setting", "name default help secret", defaults=(False,))


SETTINGS: tuple[Setting, ...] = (
    Setting("PANTAU_DB", "data/pantau.db", "SQLite file (created with its folder)"),
    Setting("PANTAU_SOURCES", "seeds/sources.toml", "sources file (TOML)"),
    Setting("PANTAU_CRAWL_INTERVAL", "15",
            "minutes between crawls in the service; fractions allowed (0.25 = 15 s)"),
    Setting("PANTAU_CRAWL_TIMEOUT", "240",
            "seconds one crawl may take before it is stopped (the service kills it later)"),
    Setting("PANTAU_DOWNLOAD_TIMEOUT", "15", "seconds per HTTP request (at most 20)"),
    Setting("PANTAU_MAX_PAGE_MB", "5", "largest page or feed downloaded, in MB"),
    Setting("PANTAU_POLITE", "1", "1 = AutoThrottle and per-domain delays on; 0 = off (benchmarks)"),
    Setting("PANTAU_CRAWL_WORKERS", "auto", "processes that extract and classify pages during a crawl: auto = "
            "one per CPU but one (none on a single CPU), 0 = all in the crawl process"),
    Setting("PANTAU_PAGE_TIMEOUT", "60", "seconds a page worker may spend on one page (extraction and "
            "classification) before it is stopped; the page is then stored from its feed entry"),
    Setting("PANTAU_MAX_ITEMS_PER_SOURCE", "60", "newest entries considered per source per crawl"),
    Setting("PANTAU_PRUNE_DAYS", "90", "days after which unflagged article text is pruned"),
    Setting("PANTAU_FORGET_AFTER_DAYS", "365",
            "days after which an unflagged, unlabelled article in no story and never alerted is deleted "
            "entirely (its URLs stay known, so it is never fetched or alerted again); 0 = never"),
    Setting("PANTAU_DIGEST_HOUR", "7", "hour (WIB) of the daily digest"),
    Setting("PANTAU_ALERT_MAX_AGE_HOURS", "48",
            "alerts and the digest cover only articles published within this many hours; older ones "
            "are stored and searchable, never pushed (no backlog flood from a new install or source)"),
    Setting("PANTAU_HEALTH_MIN_SOURCES_OK", "1",
            "`pantau status` is OK only if this many sources (e.g. 1) or this share (e.g. 50%) answered "
            "in the last crawl"),
    Setting("PANTAU_HEALTH_MAX_PENDING_MINUTES", "60",
            "`pantau status` is not OK when an alert has been pending longer than this"),
    Setting("PANTAU_FEED_PATH", "data/pantau-phk.xml", "Atom feed of flagged stories written by `pantau feed`"),
    Setting("PANTAU_LOG_LEVEL", "INFO", "log level (DEBUG, INFO, WARNING)"),
    Setting("PANTAU_WEB_PORT", None, "`pantau run` also serves the tracker website on this port when set"),
    Setting("PANTAU_WEB_HOST", "127.0.0.1", "address the tracker website listens on (`pantau web`, `pantau run`)"),
    Setting("PANTAU_SITE_DIR", None, "`pantau run` rebuilds the static tracker site in this folder after each crawl"),
    Setting("PANTAU_SITE_URL", None, "public root URL of the site (for canonical and Open Graph links), e.g. https://phk.example.id"),
    Setting("PANTAU_MODEL", None, "classifier model file (.npz from `pantau train`); default: model.npz "
            "next to PANTAU_DB if present, else the model shipped with the package"),
    Setting("PANTAU_REVIEW", "after", "editorial review of new stories: after (publish at once, editors may "
            "retract), before (publish only after an editor's ✅), off"),
    Setting("PANTAU_REVIEW_CHAT", None, "chat that receives review messages (default: each admin in private)"),
    Setting("PANTAU_REVIEW_TIMEOUT", "12", "before-mode: hours a story waits for review before the automatic decision"),
    Setting("PANTAU_REVIEW_AUTO_SCORE", "0.9", "before-mode: an unreviewed story at least this score is published "
            "after the timeout, others are dropped"),
    Setting("PANTAU_GREY_MIN", "0.35", "unflagged articles scoring at least this are sent to the editors as "
            "'Mungkin relevan?' (the grey zone); 1 = off"),
    Setting("TELEGRAM_BOT_TOKEN", None, "Telegram bot token; without it alerts are printed (dry run)", secret=True),
    Setting("TELEGRAM_CHANNEL_ID", None, "channel/group that receives every alert (@name or -100…)"),
    Setting("TELEGRAM_API_URL", "https://api.telegram.org",
            "Bot API server root; requests go to {root}/bot{token}/{method}"),
    Setting("PANTAU_ADMIN_IDS", None, "comma-separated Telegram user ids allowed admin commands"),
)

_BY_NAME = {s.name: s for s in SETTINGS}

# What a valid value of a setting is: ("int", low, high) whole numbers in a range (None = open),
# ("num", low, None) numbers greater than `low`, ("choice", values) one of the values
# (case-insensitive). ``Settings.validate()`` checks them before any command runs.
CHECKS: dict[str, tuple] = {
    "PANTAU_CRAWL_INTERVAL": ("num", 0, None),
    "PANTAU_CRAWL_TIMEOUT": ("num", 0, None),
    "PANTAU_DOWNLOAD_TIMEOUT": ("num", 0, None),
    "PANTAU_MAX_PAGE_MB": ("num", 0, None),
    "PANTAU_POLITE": ("choice", ("0", "1")),
    "PANTAU_CRAWL_WORKERS": ("int", 0, 32, "auto"),
    "PANTAU_PAGE_TIMEOUT": ("num", 0, None),
    "PANTAU_MAX_ITEMS_PER_SOURCE": ("int", 1, None),
    "PANTAU_PRUNE_DAYS": ("int", 1, None),
    "PANTAU_FORGET_AFTER_DAYS": ("int", 0, None),
    "PANTAU_DIGEST_HOUR": ("int", 0, 23),
    "PANTAU_LOG_LEVEL": ("choice", ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")),
    "PANTAU_ALERT_MAX_AGE_HOURS": ("num", 0, None),
    "PANTAU_HEALTH_MAX_PENDING_MINUTES": ("num", 0, None),
    "PANTAU_WEB_PORT": ("int", 1, 65535),
    "PANTAU_REVIEW": ("choice", ("after", "before", "off")),
    "PANTAU_REVIEW_TIMEOUT": ("num", 0, None),
    "PANTAU_REVIEW_AUTO_SCORE": ("num", -1, None),
    "PANTAU_GREY_MIN": ("num", -1, None),
}


def check_value(name: str, raw: str | None) -> None:
    """Raise ConfigError (one line naming the setting) when ``raw`` is not valid for ``name``."""
    rule = CHECKS.get(name)
    if rule is None or raw is None:
        return
    kind = rule[0]
    if len(rule) > 3 and str(raw).strip().lower() == rule[3]:  # a word allowed besides the number ("auto")
        return
    if kind == "choice":
        if str(raw).strip().upper() not in {c.upper() for c in rule[1]}:
            raise ConfigError(f"{name}={raw!r} must be one of {', '.join(rule[1])}")
        return
    try:
        value = float(str(raw).strip())
    except ValueError:
        what = "a whole number" if kind == "int" else "a number"
        raise ConfigError(f"{name}={raw!r} is not {what}") from None
    if kind == "int":
        low, high = rule[1], rule[2]
        if not value.is_integer():
            raise ConfigError(f"{name}={raw!r} must be a whole number")
        if high is not None and low is not None and not low <= value <= high:
            raise ConfigError(f"{name}={raw!r} must be between {low} and {high}")
        if low is not None and value < low:
            raise ConfigError(f"{name}={raw!r} must be at least {low}")
    elif value <= rule[1]:
        raise ConfigError(f"{name}={raw!r} must be greater than {rule[1]}")
_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$")


def read_dotenv(path: Path) -> dict[str, str]:
    """Parse a ``.env`` file; missing file → empty dict."""
    values: dict[str, str] = {}
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return values
    for line in lines:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = _LINE.match(line)
        if not m:
            continue
        key, val = m.group(1), m.group(2)
        if len(val) >= 2 and val[0] == val[-1] and val[0] in "'\"":
            val = val[1:-1]
        elif " #" in val:
            val = val.split(" #", 1)[0].rstrip()
        values[key] = val
    return values


class Settings:
    """Effective settings: environment over ``.env`` over defaults."""

    def __init__(self, env: dict[str, str] | None = None, dotenv: Path | None = Path(".env")):
        base = read_dotenv(dotenv) if dotenv else {}
        base.update(os.environ if env is None else env)
        self._values: dict[str, str | None] = {}
        for s in SETTINGS:
            raw = base.get(s.name)
            self._values[s.name] = raw if raw not in (None, "") else s.default

    def get(self, name: str) -> str | None:
        return self._values[_BY_NAME[name].name]

    def validate(self) -> "Settings":
        """Check every declared setting (``CHECKS``); the first bad one raises ConfigError."""
        for name, value in self._values.items():
            check_value(name, value)
        return self

    def __getitem__(self, name: str) -> str | None:
        return self.get(name)

    # typed accessors -------------------------------------------------
    def number(self, name: str) -> float:
        raw = self.get(name)
        try:
            value = float(raw)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise ConfigError(f"{name}={raw!r} is not a number") from None
        if value < 0:
            raise ConfigError(f"{name}={raw!r} must not be negative")
        return value

    @property
    def db_path(self) -> Path:
        return Path(self.get("PANTAU_DB") or "data/pantau.db")

    @property
    def sources_path(self) -> Path:
        return Path(self.get("PANTAU_SOURCES") or "seeds/sources.toml")

    @property
    def interval_minutes(self) -> float:
        value = self.number("PANTAU_CRAWL_INTERVAL")
        if value <= 0:
            raise ConfigError("PANTAU_CRAWL_INTERVAL must be greater than 0")
        return value

    @property
    def token(self) -> str | None:
        """The bot token without copy-paste junk (whitespace, NBSP, zero-width and other invisible
        characters anywhere in it); see ``token_had_junk``."""
        return clean_token(self.get("TELEGRAM_BOT_TOKEN"))

    @property
    def token_had_junk(self) -> bool:
        raw = self.get("TELEGRAM_BOT_TOKEN")
        return bool(raw) and clean_token(raw) != raw

    @property
    def channel_id(self) -> str | None:
        return self.get("TELEGRAM_CHANNEL_ID")

    @property
    def api_url(self) -> str:
        return (self.get("TELEGRAM_API_URL") or "https://api.telegram.org").rstrip("/")

    @property
    def admin_ids(self) -> set[int]:
        raw = self.get("PANTAU_ADMIN_IDS") or ""
        ids: set[int] = set()
        for part in re.split(r"[,\s]+", raw.strip()):
            if not part:
                continue
            try:
                ids.add(int(part))
            except ValueError:
                raise ConfigError(f"PANTAU_ADMIN_IDS: {part!r} is not a Telegram user id") from None
        return ids

    # secrets -----------------------------------------------------------
    def secrets(self) -> list[str]:
        """Every secret as configured and as cleaned (``redact`` adds the encoded forms)."""
        values = [v for s in SETTINGS if s.secret and (v := self._values.get(s.name))]
        token = self.token
        return values + ([token] if token and token not in values else [])

    def redact(self, text: str) -> str:
        """Remove every secret value (and bot-token shapes) from ``text``."""
        return redact(text, self.secrets())

    def redacted(self) -> list[tuple[str, str, str]]:
        """(name, shown value, help) for every setting, secrets hidden."""
        rows = []
        for s in SETTINGS:
            value = self._values.get(s.name)
            if value is None:
                shown = "(unset)"
            elif s.secret:
                shown = "***set***"
            else:
                shown = value
            rows.append((s.name, shown, s.help))
        return rows

    def __repr__(self) -> str:  # never leak secrets through repr
        return "Settings(" + ", ".join(f"{n}={v!r}" for n, v, _ in self.redacted()) + ")"


_TOKEN_SHAPE = re.compile(r"(?<![A-Za-z0-9])\d{5,}:[A-Za-z0-9_-]{20,}(?![A-Za-z0-9_-])")
# the Bot API path segment: /bot<token>/method and /file/bot<token>/path, whatever the token holds
_BOT_PATH = re.compile(r"(/bot)(?!\*\*\*/)[^/\s\"'<>]+(?=/)")
_INVISIBLE = "\u00a0\u200b\u200c\u200d\u2060\ufeff"


def clean_token(value: str | None) -> str | None:
    """A token as pasted → the token: no whitespace or invisible (format) characters anywhere."""
    import unicodedata

    if value is None:
        return None
    cleaned = "".join(ch for ch in value if not (ch.isspace() or ch in _INVISIBLE
                                                 or unicodedata.category(ch) in ("Cf", "Cc", "Zs")))
    return cleaned or None


def secret_forms(secret: str) -> list[str]:
    """A secret as it may appear in logs: raw, percent-encoded (URL path and form), JSON-escaped."""
    import json
    from urllib.parse import quote, quote_plus

    forms = {secret, quote(secret, safe=""), quote(secret), quote(secret, safe=":"), quote_plus(secret),
             json.dumps(secret)[1:-1], secret.encode("unicode_escape").decode("ascii", "replace")}
    return sorted((f for f in forms if f), key=len, reverse=True)


def redact(text: str, secrets: list[str] | tuple[str, ...] = ()) -> str:
    """Replace secrets (in every encoded form), the ``/bot<token>`` path segment and anything shaped
    like a bot token with ``***``."""
    if not text:
        return text
    for secret in secrets:
        if secret:
            for form in secret_forms(secret):
                text = text.replace(form, "***")
    text = _BOT_PATH.sub(r"\1***", text)
    return _TOKEN_SHAPE.sub("***", text)
