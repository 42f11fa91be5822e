"""Bot-side ``pantau`` commands: ``send`` (deliver pending alerts, for cron), ``digest`` (the daily
digest, for cron) and ``bot`` (long polling).

Exit codes: 0 done (a dry run without a token included); 1 configuration or
database error, or the token was rejected (one line on stderr).
"""

from __future__ import annotations

import sys

from crawler.config import ConfigError, Settings
from crawler.store import DatabaseError

from .app_errors import token_problem


def cmd_send(args) -> int:
    from .deliver import send_pending

    settings = Settings()
    try:
        report = send_pending(settings, limit=args.limit)
    except (ConfigError, DatabaseError, KeyboardInterrupt):
        raise
    except Exception as exc:  # noqa: BLE001 - one redacted line, never a traceback with URLs
        print(f"error: send failed: {settings.redact(f'{type(exc).__name__}: {exc}')}", file=sys.stderr)
        return 1
    print(report.summary())
    if report.stopped and "token" in report.stopped:
        print(f"error: {report.stopped}", file=sys.stderr)
        return 1
    return 0


def cmd_bot(args) -> int:
    settings = Settings()
    if not settings.token:
        raise ConfigError("TELEGRAM_BOT_TOKEN is not set")
    from telegram.error import InvalidToken

    from .app import run_polling

    try:
        run_polling(settings)
    except InvalidToken as exc:
        _record_rejected(settings)
        raise ConfigError(token_problem(exc)) from None
    except (ConfigError, DatabaseError, KeyboardInterrupt):
        raise
    except Exception as exc:  # noqa: BLE001 - one redacted line, never a traceback with URLs
        print(f"error: bot stopped: {settings.redact(f'{type(exc).__name__}: {exc}')}", file=sys.stderr)
        return 1
    return 0


def _record_rejected(settings) -> None:
    """Keep Telegram's 401 in the database, so `pantau status` and /status report it."""
    from crawler.health import record_telegram
    from crawler.store import Store

    try:
        store = Store.open(settings.db_path)
    except DatabaseError:
        return
    try:
        record_telegram(store, "auth", False, "401 Unauthorized")
    finally:
        store.close()


def cmd_digest(args) -> int:
    import asyncio

    from crawler.store import Store

    from .digest import send_digests

    settings = Settings()
    if not settings.token:
        raise ConfigError("TELEGRAM_BOT_TOKEN is not set (the digest is sent through Telegram)")

    async def run() -> int:
        from .app import make_bot

        store = Store.open(settings.db_path)
        try:
            async with make_bot(settings) as bot:
                return await send_digests(settings, store, bot)
        finally:
            store.close()

    from telegram.error import InvalidToken

    try:
        n = asyncio.run(run())
    except InvalidToken as exc:
        _record_rejected(settings)
        raise ConfigError(token_problem(exc) + "; no digest was sent") from None
    except (ConfigError, DatabaseError, KeyboardInterrupt):
        raise
    except Exception as exc:  # noqa: BLE001 - one redacted line
        print(f"error: digest failed: {settings.redact(f'{type(exc).__name__}: {exc}')}", file=sys.stderr)
        return 1
    print(f"digest: sent to {n} chats")
    return 0


def register(sub) -> None:
    p = sub.add_parser("send", help="send pending Telegram alerts and exit (prints them without a token)")
    p.add_argument("--limit", type=int, default=None, help="send at most this many alerts")
    p.set_defaults(func=cmd_send)

    p = sub.add_parser("digest", help="send the daily digest now to chats that chose /langganan harian")
    p.set_defaults(func=cmd_digest)

    p = sub.add_parser("bot", help="run the Telegram bot (long polling) until stopped")
    p.set_defaults(func=cmd_bot, log_default="INFO")
