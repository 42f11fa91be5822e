"""Daily digest for subscribers who chose ``/langganan harian``.

``send_digests(settings, store, bot)`` sends each active daily subscriber one
message (``bot.format.build_digest``) with the flagged stories fetched since
its previous digest (first time: the last 24 h), filtered by its keywords,
one line per story, only articles published within PANTAU_ALERT_MAX_AGE_HOURS
(no backlog of year-old stories), and records ``last_digest``. A chat that
got a digest less than 20 hours ago
is skipped, so a restart or a second call the same day sends nothing twice.
403 deactivates the subscriber (as for alerts); other errors leave
``last_digest`` unchanged so the next day's digest covers the gap.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone

from crawler import outbox
from crawler.dates import parse_date
from crawler.store import Store

from .format import build_digest

log = logging.getLogger("pantau.digest")

MIN_GAP = timedelta(hours=20)


async def send_digests(settings, store: Store, bot, now: datetime | None = None) -> int:
    """Returns the number of digests sent."""
    from telegram.constants import ParseMode
    from telegram import LinkPreviewOptions
    from telegram.error import Forbidden, TelegramError

    now = now or datetime.now(timezone.utc)
    sent = 0
    for sub in outbox.list_subscribers(store):
        if not sub["daily"]:
            continue
        last = parse_date(sub.get("last_digest")) if sub.get("last_digest") else None
        if last and now - last < MIN_GAP:
            continue
        since = last or (now - timedelta(hours=24))
        text = build_digest(store, since, keywords=sub["keywords"], cutoff=outbox.alert_cutoff(settings, now))
        try:
            await bot.send_message(chat_id=sub["chat_id"], text=text, parse_mode=ParseMode.HTML,
                                   link_preview_options=LinkPreviewOptions(is_disabled=True))
        except Forbidden as exc:
            outbox.deactivate(store, sub["chat_id"], "403: " + settings.redact(str(exc)))
            log.warning("digest subscriber %s blocked the bot; deactivated", sub["chat_id"])
            continue
        except TelegramError as exc:
            log.warning("digest to %s not sent: %s", sub["chat_id"], settings.redact(f"{type(exc).__name__}: {exc}"))
            continue
        with store.write():
            store.db.execute("UPDATE subscribers SET last_digest = ? WHERE chat_id = ?",
                             [now.astimezone(timezone.utc).replace(microsecond=0).isoformat(), sub["chat_id"]])
        sent += 1
    return sent


__all__ = ["send_digests"]
