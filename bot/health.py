"""Tell the admins when Pantau PHK's health changes (``crawler.health``), once each way.

``tell_admins_on_change(settings, store, bot)`` runs after every delivery (``pantau send``, cron,
and the service after each crawl): it computes ``health(store, settings)``, and when it turned bad
since the admins were last told — or recovered after they were told it was bad — it sends each
admin (PANTAU_ADMIN_IDS) one private message and records the new state in the database (meta
``health.notified``). The state is recorded only when at least one admin got the message (or there
is no admin to tell), so a message that could not be sent is tried again on the next run.
The messages are Indonesian; the reasons are ``Problem.id`` of ``crawler.health``.
"""

from __future__ import annotations

import logging

from crawler.health import Health, health, mark_told, transition
from crawler.store import Store

from .format import esc

log = logging.getLogger("pantau.health")


def format_change(change: str, h: Health) -> str:
    if change == "recovered":
        return ("✅ <b>Pantau PHK kembali normal.</b>\nCrawl, sumber berita, dan pengiriman peringatan "
                "berjalan lagi seperti biasa.")
    lines = ["⚠️ <b>Pantau PHK sedang bermasalah</b>"]
    lines += [f"• {esc(p.id)}" for p in h.problems]
    lines += ["", "Rincian: /status. Anda akan diberi tahu sekali lagi setelah semuanya normal."]
    return "\n".join(lines)


async def tell_admins_on_change(settings, store: Store, bot) -> str | None:
    """Returns "bad" / "recovered" when the admins were told, else None."""
    from telegram.constants import ParseMode

    try:
        h = health(store, settings)
    except Exception as exc:  # noqa: BLE001 - a bad setting must not stop delivery
        log.warning("health not checked: %s", exc)
        return None
    change = transition(store, h)
    if change is None:
        return None
    try:
        admins = sorted(settings.admin_ids)
    except Exception:  # noqa: BLE001 - malformed PANTAU_ADMIN_IDS: nobody to tell
        admins = []
    if change == "bad":
        log.warning("health turned bad: %s", "; ".join(h.reasons))
    else:
        log.info("health recovered")
    told = 0
    for admin in admins:
        try:
            await bot.send_message(chat_id=admin, text=format_change(change, h), parse_mode=ParseMode.HTML)
            told += 1
        except Exception as exc:  # noqa: BLE001 - best effort; retried next run
            log.warning("could not tell admin %s about health: %s", admin,
                        settings.redact(f"{type(exc).__name__}: {exc}"))
    if told or not admins:
        mark_told(store, change)
        return change
    return None
