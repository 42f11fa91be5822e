"""Telegram's refusals as one operator line (no ``telegram`` import: cheap for every command).

python-telegram-bot raises the same ``InvalidToken`` for HTTP 401 and 404.
Rule: a 404 means the Bot API URL is wrong (TELEGRAM_API_URL, or a token so
malformed that the path does not exist) and is reported as
"Telegram API not found (404): check TELEGRAM_API_URL/token"; only a 401 is
"Telegram rejected the bot token". The exception's own text is never shown
(it can contain the request URL).
"""

from __future__ import annotations

NOT_FOUND_404 = "Telegram API not found (404): check TELEGRAM_API_URL/token"
REJECTED_401 = "Telegram rejected the bot token (401 Unauthorized)"


def token_problem(exc: BaseException) -> str:
    """The operator's line for an ``InvalidToken`` (401 or 404). ``Bot.initialize`` re-raises the
    API's error as "The token … was rejected", so the whole cause chain is read."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        text = str(cause).lower()
        if "not found" in text or "(404)" in text:
            return NOT_FOUND_404
        cause = cause.__cause__ or cause.__context__
    return REJECTED_401
