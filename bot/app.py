"""Build the python-telegram-bot ``Application`` for Pantau PHK.

A 404 from the Bot API is reported as "Telegram API not found (404): check
TELEGRAM_API_URL/token" and a 401 as a rejected token (``bot.app_errors``);
python-telegram-bot raises the same ``InvalidToken`` for both.

``build_application(settings)`` returns an Application with every handler,
``AIORateLimiter`` (30 msg/s overall, 20/min per group; ``max_retries=0``
because ``bot.deliver`` retries itself), TELEGRAM_API_URL as the Bot API root
and the shared ``Store`` in ``bot_data``. ``run_polling(settings)`` is
``pantau bot``. A host with its own asyncio loop (the service) does::

    app = build_application(settings)
    async with app:
        await on_startup(app)          # command menu
        await app.start()
        await app.updater.start_polling(allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False)
        ...                            # deliver_pending(settings, store, app.bot) after each crawl
        await app.updater.stop(); await app.stop()
"""

from __future__ import annotations

import logging

from telegram.ext import AIORateLimiter, Application

from crawler import outbox
from crawler.config import ConfigError
from crawler.store import Store

from .commands import register_handlers, set_command_menu

log = logging.getLogger("pantau.bot")

ALLOWED_UPDATES = ["message", "callback_query"]


async def on_startup(app: Application) -> None:
    settings = app.bot_data["settings"]
    try:
        admins = settings.admin_ids
    except ConfigError as exc:
        log.warning("%s", exc)
        admins = set()
    await set_command_menu(app.bot, admins)
    store = app.bot_data.get("store")
    if store is not None:  # getMe answered during initialize(): Telegram accepts the token
        from crawler.health import record_telegram

        record_telegram(store, "auth", True)
    log.info("bot @%s ready", app.bot.username)


post_start = on_startup  # name used by the service (scheduler.py)


async def _on_shutdown(app: Application) -> None:
    store = app.bot_data.pop("store", None)
    if store is not None and app.bot_data.pop("own_store", False):
        store.close()


def api_urls(settings) -> tuple[str, str]:
    """(base_url, base_file_url) for PTB: requests go to {TELEGRAM_API_URL}/bot{token}/{method}."""
    root = settings.api_url
    return f"{root}/bot", f"{root}/file/bot"


def make_bot(settings, request=None):
    """A plain Bot (no Application) for one-shot jobs: ``pantau send`` and ``pantau digest``."""
    from telegram import Bot

    base_url, base_file_url = api_urls(settings)
    return Bot(settings.token, base_url=base_url, base_file_url=base_file_url, request=request)


def build_application(settings, store: Store | None = None) -> Application:
    if not settings.token:
        raise ConfigError("TELEGRAM_BOT_TOKEN is not set")
    settings.admin_ids  # validate early (ConfigError on a malformed list)
    base_url, base_file_url = api_urls(settings)
    app = (Application.builder()
           .token(settings.token)
           .base_url(base_url)
           .base_file_url(base_file_url)
           .rate_limiter(AIORateLimiter(overall_max_rate=30, overall_time_period=1,
                                        group_max_rate=20, group_time_period=60, max_retries=0))
           .connect_timeout(10).read_timeout(15).write_timeout(15)
           .post_init(on_startup)
           .post_shutdown(_on_shutdown)
           .build())
    own = store is None
    if own:
        store = Store.open(settings.db_path)
    outbox.ensure_schema(store)
    app.bot_data["settings"] = settings
    app.bot_data["store"] = store
    app.bot_data["own_store"] = own
    from .review import register_review_handlers

    register_review_handlers(app)  # first: the catch-all of register_handlers answers unknown commands
    register_handlers(app)
    return app


def run_polling(settings) -> None:
    """``pantau bot``: long polling until SIGINT/SIGTERM."""
    app = build_application(settings)
    log.info("starting long polling against %s", settings.redact(settings.api_url))
    app.run_polling(allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False, close_loop=False)
