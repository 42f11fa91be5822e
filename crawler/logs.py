"""Logging for every entry point: one handler, secrets scrubbed, noisy libraries quiet.

Rules: records go to stderr as ``time level name: message``; every message
passes through ``config.redact`` (the bot token — raw, percent-encoded or
JSON-escaped — any ``/bot<token>/`` URL path and anything shaped like a token
become ``***``), exception tracebacks included. Redaction happens when a
record is *created* (a LogRecord factory), so every handler — ours, one a
library adds to httpx, telegram or the root logger — only ever sees redacted
text; the handler's filter redacts again as a second line of defence. A token
that had copy-paste junk around it (cleaned by ``Settings.token``) is
reported once per process, without its value; records from Scrapy, Twisted,
httpx, telegram, apscheduler and other libraries below WARNING are dropped
unless PANTAU_LOG_LEVEL is DEBUG, and so is python-telegram-bot's "Invalid
token" error (it says "rejected" for a 404 too; ``pantau bot`` prints the real
cause in one line); Scrapy's per-request download errors (robots.txt,
retries, size cap) are dropped too, because the crawler records one clear
error per source.
"""

from __future__ import annotations

import logging
import sys

from .config import Settings, redact

_NOISY = ("scrapy", "twisted", "py.warnings", "trafilatura", "htmldate", "asyncio", "httpx", "httpcore",
          "telegram", "apscheduler", "filelock", "charset_normalizer", "urllib3", "matplotlib", "PIL")


_PER_REQUEST = ("scrapy.downloadermiddlewares.", "scrapy.core.downloader.")


class RedactingFilter(logging.Filter):
    def __init__(self, secrets: list[str], debug: bool):
        super().__init__()
        self.secrets = secrets
        self.debug = debug

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.debug and record.levelno < logging.WARNING and record.name.split(".")[0] in _NOISY:
            return False
        if not self.debug and record.name.startswith(_PER_REQUEST) and record.levelno < logging.CRITICAL:
            return False  # download errors are recorded once per source by the crawler instead
        if not self.debug and record.name.startswith("telegram.ext") and "Invalid token" in str(record.msg):
            return False  # PTB says "rejected" for 401 and 404 alike; the command prints the real cause
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not kill logging
            message = str(record.msg)
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            message += f" ({type(exc).__name__}: {exc})"
            record.exc_info = None
            record.exc_text = None
        record.msg = redact(message, self.secrets)
        record.args = None
        return True


_HANDLER: logging.Handler | None = None
_SECRETS: list[str] = []
_BASE_FACTORY = logging.getLogRecordFactory()
_JUNK_REPORTED = False


def _redacting_factory(*args, **kwargs) -> logging.LogRecord:
    record = _BASE_FACTORY(*args, **kwargs)
    if _SECRETS:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not kill logging
            message = str(record.msg)
        record.msg = redact(message, _SECRETS)
        record.args = None
    return record


def setup_logging(settings: Settings | None = None, default: str = "WARNING") -> None:
    """Install (once) the stderr handler with redaction; safe to call again."""
    global _HANDLER, _SECRETS, _JUNK_REPORTED
    settings = settings or Settings()
    _SECRETS = settings.secrets()
    if logging.getLogRecordFactory() is not _redacting_factory:
        logging.setLogRecordFactory(_redacting_factory)
    level_name = (settings.get("PANTAU_LOG_LEVEL") or default).upper()
    debug = level_name == "DEBUG"
    level = getattr(logging, level_name, logging.INFO) if level_name != "INFO" or default == "INFO" else logging.INFO
    root = logging.getLogger()
    if _HANDLER is not None:
        root.removeHandler(_HANDLER)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%Y-%m-%d %H:%M:%S"))
    handler.setLevel(level)
    handler.addFilter(RedactingFilter(settings.secrets(), debug))
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if debug else level)
    _HANDLER = handler
    if settings.token_had_junk and not _JUNK_REPORTED:
        _JUNK_REPORTED = True
        logging.getLogger("pantau.config").warning(
            "TELEGRAM_BOT_TOKEN had whitespace or invisible characters (copy-paste?); they were removed")
