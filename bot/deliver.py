"""Deliver pending alerts from the outbox (``crawler.outbox``) with python-telegram-bot.

``deliver_pending(settings, store=None, bot=None)`` sends what is pending and
returns a ``DeliveryReport``; ``send_pending(settings)`` is the sync wrapper
used by ``pantau send`` (cron); the service calls the async one with its
Application's bot after each crawl.

Delivery policy
- Exactly once per (article, chat) is the goal. Each alert is *claimed*
  (pending → sending, committed) right before its request — after the
  pacing wait, so a stop (SIGTERM, the service shutting down) while an alert
  waits for its turn leaves it ``pending``, never "uncertain" — and marked ``sent`` with
  Telegram's message_id right after the answer (one commit per message). An
  error puts it back to ``pending`` with ``attempts`` + 1 and ``last_error``.
- Uncertain outcomes are never retried: a *read* timeout (Telegram may have
  accepted the message but the answer was lost) and a run killed while a
  request was in flight (a ``sending`` row whose process is gone, see
  ``crawler.outbox.recover_stale``) are recorded as ``sent`` with
  message_id NULL and ``last_error`` "uncertain: …", with a warning naming
  the chat. Rationale: a duplicate alert annoys every reader; a rare loss is
  visible in ``/status`` and the log. Connect/pool/write timeouts mean the
  request never arrived complete, so they are retried like network errors.
  Consequently a kill *between* messages loses and duplicates nothing, and a
  kill *during* a request can at worst lose that one message.
- 429 (RetryAfter): wait ``retry_after`` and retry (up to 5 times, waits up to
  ``max_retry_wait`` s); a longer wait leaves the alert pending with
  ``next_attempt_after``.
- 5xx and network errors: 3 tries with 1 s, 2 s back-off; then the alert
  stays pending and the run stops (the API is unreachable; the next run
  resumes).
- 400 "can't parse entities": resent at once as plain text (tags stripped).
  Other 400s (chat not found…): pending again; marked ``failed`` once
  ``MAX_ATTEMPTS`` runs have failed.
- 403 (blocked, kicked) for a subscriber: the subscriber is deactivated and
  its undelivered alerts are cancelled.
- The channel (TELEGRAM_CHANNEL_ID) failing with 403/400 is reported to every
  admin (PANTAU_ADMIN_IDS) once per run, its alerts stay pending and are not
  tried again in that run.
- Pacing (``Pacing``): at most 1 message/s per private chat, 20/min per group
  or channel, 30/s overall (Telegram's limits), as sliding windows.
- Stories (``crawler.stories``): a story's first report in a chat is a new
  message listing the story's other reports under "Juga diberitakan:"; a later
  report of an alerted story edits that channel message (``update``) instead
  of posting again; a story that grew gets one reply (``followup``). An
  update or follow-up waits while the story's first alert is still pending.
- Editors (``crawler.editorial``, ``bot.review``): ``review`` and ``grey`` rows go
  to the editors' chats with inline buttons; ``retract`` deletes the story's
  channel message, and where Telegram refuses (older than 48 h) edits it to
  "Dicabut redaksi"; ``correct:<n>`` edits the channel message to the corrected
  facts. Every channel rendering (alert, update, follow-up, correction) shows
  the story's human-corrected facts (``editorial.with_story_facts``). Same
  claim-before-request rule as alerts. A channel alert that was in flight
  while its story was retracted or corrected gets its ``retract`` or
  ``correct:<n>`` queued once it is sent.
- No token: dry run — the pending alerts are printed as plain text and stay
  pending (review/grey rows like alerts; retract/correct rows as one line).
- Telegram's answers feed ``crawler.health``: the token accepted or rejected
  (401) and the channel's last answer are recorded in the database; after each
  run with a bot the admins are told if health changed (``bot.health``).
- The token never reaches logs, errors or the database: every error text goes
  through ``settings.redact``.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import time
import warnings
from collections import defaultdict, deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import TextIO

from crawler import editorial, outbox
from crawler.health import record_telegram, telegram_state
from crawler.store import Store

from .app_errors import token_problem
from .format import format_alert, format_followup, format_story, to_plain

log = logging.getLogger("pantau.deliver")

RETRY_429_MAX = 5
NETWORK_TRIES = 3
DEFAULT_BACKOFF = (1.0, 2.0, 4.0)
DEFAULT_READ_TIMEOUT = 15.0
DEFAULT_MAX_RETRY_WAIT = 60.0


# -- pacing ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Pacing:
    """(messages, seconds) sliding windows; None disables that limit."""
    private: tuple[int, float] | None = (1, 1.0)
    group: tuple[int, float] | None = (20, 60.0)
    overall: tuple[int, float] | None = (30, 1.0)


DEFAULT_PACING = Pacing()
NO_PACING = Pacing(None, None, None)


def is_private(chat_id: str | int) -> bool:
    s = str(chat_id).strip()
    return s.isdigit() and int(s) > 0


class Pacer:
    def __init__(self, pacing: Pacing = DEFAULT_PACING):
        self.pacing = pacing
        self.per_chat: dict[str, deque] = defaultdict(deque)
        self.all: deque = deque()

    @staticmethod
    def _wait_for(times: deque, limit: tuple[int, float] | None, now: float) -> float:
        if not limit:
            return 0.0
        count, period = limit
        while times and times[0] <= now - period:
            times.popleft()
        if len(times) < count:
            return 0.0
        return times[0] + period - now

    async def wait(self, chat_id: str | int) -> None:
        key = str(chat_id)
        limit = self.pacing.private if is_private(key) else self.pacing.group
        while True:
            now = time.monotonic()
            delay = max(self._wait_for(self.per_chat[key], limit, now),
                        self._wait_for(self.all, self.pacing.overall, now))
            if delay <= 0:
                self.per_chat[key].append(now)
                self.all.append(now)
                return
            await asyncio.sleep(delay + 0.01)


_PACERS: dict[Pacing, Pacer] = {}


def _pacer(pacing: Pacing) -> Pacer:
    """One pacer per process and policy, so back-to-back runs in the service share the windows."""
    if pacing not in _PACERS:
        _PACERS[pacing] = Pacer(pacing)
    return _PACERS[pacing]


# -- report ---------------------------------------------------------------------------------------

@dataclass
class DeliveryReport:
    sent: int = 0
    edited: int = 0
    retracted: int = 0
    failed: int = 0
    pending: int = 0
    uncertain: int = 0
    cancelled: int = 0
    deactivated: list[str] = field(default_factory=list)
    channel_error: str | None = None
    stopped: str | None = None
    dry_run: bool = False

    def summary(self) -> str:
        text = f"send: {self.sent} sent, {self.failed} failed, {self.pending} pending"
        extras = []
        if self.edited:
            extras.append(f"{self.edited} story messages edited")
        if self.retracted:
            extras.append(f"{self.retracted} channel messages retracted")
        if self.uncertain:
            extras.append(f"{self.uncertain} uncertain (may have been delivered)")
        if self.deactivated:
            extras.append(f"{len(self.deactivated)} subscribers deactivated")
        if self.channel_error:
            extras.append(f"channel failing: {self.channel_error}")
        if self.stopped:
            extras.append(f"stopped: {self.stopped}")
        if self.dry_run:
            extras.append("dry run: TELEGRAM_BOT_TOKEN is not set")
        return text + (f" ({'; '.join(extras)})" if extras else "")


@dataclass
class _Outcome:
    kind: str  # sent | uncertain | forbidden | bad_request | unavailable | later | error
    message_id: int | None = None
    error: str | None = None
    retry_at: datetime | None = None


def _seconds(value) -> float:
    if isinstance(value, timedelta):
        return value.total_seconds()
    try:
        return float(value)
    except (TypeError, ValueError):
        return 1.0


def _retry_after(exc) -> float:
    raw = getattr(exc, "_retry_after", None)
    if raw is None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            raw = exc.retry_after
    return max(0.0, _seconds(raw))


def _maybe_delivered(exc: BaseException) -> bool:
    """A TimedOut after the request was fully sent (read timeout) may have been delivered."""
    import httpx

    seen = set()
    cause = exc.__cause__ or exc.__context__
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, (httpx.ConnectTimeout, httpx.PoolTimeout, httpx.WriteTimeout)):
            return False
        if isinstance(cause, httpx.ReadTimeout):
            return True
        cause = cause.__cause__ or cause.__context__
    return "pool timeout" not in str(exc).lower()


class _Sender:
    def __init__(self, bot, settings, pacer: Pacer, backoff, read_timeout: float, max_retry_wait: float):
        self.bot = bot
        self.settings = settings
        self.pacer = pacer
        self.backoff = tuple(backoff) or (1.0,)
        self.read_timeout = read_timeout
        self.max_retry_wait = max_retry_wait

    def redact(self, exc: BaseException | str) -> str:
        text = exc if isinstance(exc, str) else (str(exc) or type(exc).__name__)
        return self.settings.redact(" ".join(text.split()))[:300]

    async def send(self, chat_id: str, text_html: str, reply_to: int | None = None,
                   edit_id: int | None = None, claim=None, markup=None, delete_id: int | None = None) -> _Outcome:
        """Send (or edit, or with ``delete_id`` delete) one message. ``claim()`` is called once, after
        the pacing wait and right before the first request; when it returns False another deliverer
        has the alert ("taken"). A deletion Telegram refuses (older than 48 h) is "undeletable"."""
        from telegram.constants import ParseMode
        from telegram import LinkPreviewOptions
        from telegram.error import (BadRequest, ChatMigrated, Forbidden, InvalidToken, NetworkError,
                                    RetryAfter, TelegramError, TimedOut)

        from crawler.xmlsafe import xml_safe

        text_html = xml_safe(text_html)  # no control characters reach Telegram, whatever rendered them
        text, parse_mode = text_html, ParseMode.HTML
        network_failures = 0
        waits_429 = 0
        while True:
            await self.pacer.wait(chat_id)
            if claim is not None:
                if not claim():
                    return _Outcome("taken")
                claim = None
            try:
                timeouts = dict(read_timeout=self.read_timeout, write_timeout=self.read_timeout,
                                connect_timeout=min(10.0, self.read_timeout), pool_timeout=self.read_timeout)
                if delete_id is not None:
                    await self.bot.delete_message(chat_id=chat_id, message_id=delete_id, **timeouts)
                    return _Outcome("sent", message_id=delete_id)
                if edit_id is not None:
                    await self.bot.edit_message_text(
                        chat_id=chat_id, message_id=edit_id, text=text, parse_mode=parse_mode,
                        link_preview_options=LinkPreviewOptions(is_disabled=True), **timeouts)
                    return _Outcome("sent", message_id=edit_id)
                extra = {"reply_markup": markup} if markup is not None else {}
                if reply_to:
                    from telegram import ReplyParameters

                    extra["reply_parameters"] = ReplyParameters(message_id=reply_to,
                                                                allow_sending_without_reply=True)
                msg = await self.bot.send_message(
                    chat_id=chat_id, text=text, parse_mode=parse_mode,
                    link_preview_options=LinkPreviewOptions(is_disabled=True), **extra, **timeouts)
                return _Outcome("sent", message_id=msg.message_id)
            except RetryAfter as exc:
                wait = _retry_after(exc)
                if waits_429 >= RETRY_429_MAX or wait > self.max_retry_wait:
                    return _Outcome("later", error=f"429: retry after {wait:.0f} s",
                                    retry_at=datetime.now(timezone.utc) + timedelta(seconds=wait))
                waits_429 += 1
                log.info("flood limit for chat %s: waiting %.0f s", chat_id, wait)
                await asyncio.sleep(wait)
            except TimedOut as exc:
                if delete_id is not None and _maybe_delivered(exc):
                    return _Outcome("sent", message_id=delete_id)  # a deletion repeated later is harmless
                if edit_id is not None and _maybe_delivered(exc):
                    return _Outcome("sent", message_id=edit_id)  # an edit repeated later is harmless
                if _maybe_delivered(exc):
                    return _Outcome("uncertain", error=f"{outbox.UNCERTAIN} read timeout; may have been delivered")
                network_failures += 1
                if network_failures >= NETWORK_TRIES:
                    return _Outcome("unavailable", error="timeout: " + self.redact(exc))
                await asyncio.sleep(self.backoff[min(network_failures - 1, len(self.backoff) - 1)])
            except Forbidden as exc:
                return _Outcome("forbidden", error="403: " + self.redact(exc))
            except ChatMigrated as exc:
                return _Outcome("bad_request", error=f"400: group moved to chat {exc.new_chat_id}")
            except BadRequest as exc:
                message = str(exc).lower()
                if delete_id is not None:
                    if "can't be deleted" in message or "cant be deleted" in message:
                        return _Outcome("undeletable", error="400: " + self.redact(exc))
                    if "not found" in message:
                        return _Outcome("gone", error="400: " + self.redact(exc))
                    return _Outcome("bad_request", error="400: " + self.redact(exc))
                if edit_id is not None and "not modified" in message:
                    return _Outcome("sent", message_id=edit_id)
                if edit_id is not None and ("not found" in message or "can't be edited" in message):
                    return _Outcome("gone", error="400: " + self.redact(exc))
                if parse_mode is not None and ("can't parse" in message or "parse entities" in message):
                    log.warning("chat %s refused the alert HTML (%s); resending as plain text",
                                chat_id, self.redact(exc))
                    text, parse_mode = to_plain(text_html), None
                    continue
                return _Outcome("bad_request", error="400: " + self.redact(exc))
            except InvalidToken:
                raise
            except NetworkError as exc:
                network_failures += 1
                if network_failures >= NETWORK_TRIES:
                    return _Outcome("unavailable", error="network: " + self.redact(exc))
                delay = self.backoff[min(network_failures - 1, len(self.backoff) - 1)]
                log.info("sending to %s failed (%s); retrying in %.0f s", chat_id, self.redact(exc), delay)
                await asyncio.sleep(delay)
            except TelegramError as exc:
                return _Outcome("error", error=self.redact(exc))


async def _notify_admins(bot, settings, text: str) -> None:
    try:
        admins = settings.admin_ids
    except Exception:  # bad PANTAU_ADMIN_IDS must not stop delivery
        admins = set()
    if not admins:
        log.warning("no PANTAU_ADMIN_IDS set; nobody to tell that the channel is failing")
    for admin in sorted(admins):
        try:
            await bot.send_message(chat_id=admin, text=text)
        except Exception as exc:  # noqa: BLE001 - best effort
            log.warning("could not notify admin %s: %s", admin, settings.redact(str(exc)))


def _print_alert(store: Store, settings, alert: dict, out: TextIO) -> None:
    article = store.article(alert["article_id"])
    dest = alert["chat_id"] + (" (channel)" if alert["chat_id"] == (settings.channel_id or "") else "")
    kind = alert.get("kind") or outbox.KIND_ALERT
    label = kind if kind in editorial.EDITOR_KINDS else "alert"
    out.write(f"--- {label} {alert['id']} → {dest} · article {alert['article_id']}\n")
    if article is None:
        text = "(article missing)"
    elif kind in editorial.EDITOR_KINDS:
        from .review import render_editor_message

        text = to_plain(render_editor_message(store, settings, kind, article)[0])
    elif kind == editorial.KIND_RETRACT or kind.startswith(editorial.KIND_CORRECT + ":"):
        from .review import plain_note

        text = plain_note(store, alert)
    else:
        text = to_plain(format_alert(editorial.with_story_facts(store, article)))
    out.write(text + "\n\n")
    out.flush()


def _print_dry_run(store: Store, settings, out: TextIO, limit: int | None) -> int:
    """Print every pending alert; console alerts are thereby delivered, the others stay pending."""
    alerts = outbox.pending_alerts(store, limit)
    for alert in alerts:
        _print_alert(store, settings, alert, out)
        if alert["chat_id"] == outbox.CONSOLE:
            outbox.mark_sent(store, alert["id"], None, note="printed")
    return len(alerts)


async def deliver_pending(settings, store: Store | None = None, bot=None, *, limit: int | None = None,
                          pacing: Pacing = DEFAULT_PACING, backoff=DEFAULT_BACKOFF,
                          read_timeout: float = DEFAULT_READ_TIMEOUT,
                          max_retry_wait: float = DEFAULT_MAX_RETRY_WAIT,
                          out: TextIO | None = None, report: DeliveryReport | None = None) -> DeliveryReport:
    """Send pending alerts (see module docstring); ``bot`` is an initialized PTB Bot or None."""
    own_store = store is None
    if own_store:
        store = Store.open(settings.db_path)
    report = report if report is not None else DeliveryReport()
    try:
        outbox.ensure_schema(store)
        for row in outbox.recover_stale(store):
            report.uncertain += 1
            log.warning("alert %s to chat %s was being sent when its run stopped; recorded as possibly "
                        "delivered (not resent)", row["id"], row["chat_id"])
        if bot is None and not settings.token:
            report.dry_run = True
            _print_dry_run(store, settings, out or sys.stdout, limit)
        elif bot is None:
            from telegram.request import HTTPXRequest

            from .app import make_bot

            request = HTTPXRequest(connection_pool_size=4, connect_timeout=10.0, read_timeout=read_timeout,
                                   write_timeout=read_timeout, pool_timeout=read_timeout)
            own_bot = make_bot(settings, request=request)
            from telegram.error import InvalidToken

            try:
                async with own_bot:
                    record_telegram(store, "auth", True)  # getMe answered: the token is accepted
                    await _run(settings, store, own_bot, report, limit, pacing, backoff, read_timeout,
                               max_retry_wait)
                    await _tell_admins(settings, store, own_bot)
            except InvalidToken as token_exc:  # raised by getMe in initialize(); never log its text
                record_telegram(store, "auth", False, "401 Unauthorized")
                report.stopped = token_problem(token_exc)
                log.error("%s; nothing was sent", report.stopped)
        else:
            await _run(settings, store, bot, report, limit, pacing, backoff, read_timeout, max_retry_wait)
            await _tell_admins(settings, store, bot)
        report.pending = outbox.count_alerts(store, "pending")
        return report
    finally:
        if own_store:
            store.close()


async def _tell_admins(settings, store: Store, bot) -> None:
    """Health changed since the admins were last told? Tell them (``bot.health``), never failing."""
    from .health import tell_admins_on_change

    try:
        await tell_admins_on_change(settings, store, bot)
    except Exception as exc:  # noqa: BLE001 - delivery's report stands whatever happens here
        log.warning("health message not sent: %s", settings.redact(f"{type(exc).__name__}: {exc}"))


def _note_channel(store: Store, ok: bool, error: str | None = None) -> None:
    """Record the channel's last answer for ``crawler.health`` (written only when it changes)."""
    state = telegram_state(store, "channel")
    if state is None or bool(state.get("ok")) != ok or (not ok and state.get("error") != error):
        record_telegram(store, "channel", ok, error)


async def _run(settings, store: Store, bot, report: DeliveryReport, limit, pacing, backoff,
               read_timeout, max_retry_wait) -> None:
    from telegram.error import InvalidToken

    sender = _Sender(bot, settings, _pacer(pacing), backoff, read_timeout, max_retry_wait)
    channel = str(settings.channel_id) if settings.channel_id else None
    owner = outbox.new_owner()
    outbox.owner_started(owner)
    skip_chats: set[str] = set()
    try:
        for alert in outbox.pending_alerts(store, limit):
            chat = alert["chat_id"]
            if chat in skip_chats:
                continue
            if chat == outbox.CONSOLE:
                if not outbox.claim_alert(store, alert["id"], owner):
                    continue  # another deliverer took it  # no channel configured: printed, not sent to Telegram
                _print_alert(store, settings, alert, sys.stdout)
                outbox.mark_sent(store, alert["id"], None, note="printed")
                continue
            article = store.article(alert["article_id"])
            if article is None:
                if not outbox.claim_alert(store, alert["id"], owner):
                    continue
                outbox.mark_failed(store, alert["id"], "article missing")
                report.failed += 1
                continue
            kind = alert.get("kind") or outbox.KIND_ALERT
            reply_to = edit_id = delete_id = markup = None
            try:
                if kind in editorial.EDITOR_KINDS:  # to the editors, with ✅ ❌ (✏️) buttons
                    from .review import render_editor_message

                    text_html, markup = render_editor_message(store, settings, kind, article)
                elif kind == editorial.KIND_RETRACT or kind.startswith(editorial.KIND_CORRECT + ":"):
                    from .review import RETRACTED_NOTE, channel_message_id

                    mid = channel_message_id(store, alert)
                    if mid is None:
                        if not outbox.claim_alert(store, alert["id"], owner):
                            continue
                        outbox.mark_sent(store, alert["id"], None, note="no channel message to change")
                        continue
                    if kind == editorial.KIND_RETRACT:
                        text_html, delete_id = RETRACTED_NOTE, mid
                    else:
                        text_html = format_story(editorial.with_story_facts(store, article),
                                                 outbox.story_siblings(store, article.get("story_id"),
                                                                       article["id"]))
                        edit_id = mid
                elif kind == outbox.KIND_ALERT:
                    text_html = format_story(editorial.with_story_facts(store, article),
                                             outbox.story_siblings(store, article.get("story_id"), article["id"]))
                else:
                    state, first_mid = outbox.story_message(store, article.get("story_id"), chat)
                    if state in ("pending", "sending"):
                        continue  # the story's first alert is not out yet: this one waits for it
                    if first_mid is None:
                        if not outbox.claim_alert(store, alert["id"], owner):
                            continue
                        outbox.mark_sent(store, alert["id"], None,
                                         note="no story message to edit or reply to (first alert uncertain)")
                        continue
                    if kind == outbox.KIND_UPDATE:
                        first = _first_story_article(store, article.get("story_id"), chat) or article
                        text_html = format_story(editorial.with_story_facts(store, first),
                                                 outbox.story_siblings(store, article.get("story_id"), first["id"]))
                        edit_id = first_mid
                    else:
                        story = store.db.execute("SELECT jobs_cut FROM stories WHERE id = ?",
                                                 [article.get("story_id")]).fetchone()
                        text_html = format_followup(editorial.with_story_facts(store, article),
                                                    {"jobs_cut": story[0] if story else None})
                        reply_to = first_mid
            except Exception as exc:  # noqa: BLE001 - a rendering bug must not strand the alert
                outbox.mark_retry(store, alert["id"], settings.redact(f"render: {type(exc).__name__}: {exc}"))
                log.exception("cannot render alert %s", alert["id"])
                continue
            try:
                # claimed only now, after the pacing wait: a stop while waiting leaves it pending
                result = await sender.send(chat, text_html, reply_to=reply_to, edit_id=edit_id, markup=markup,
                                           delete_id=delete_id,
                                           claim=lambda: outbox.claim_alert(store, alert["id"], owner))
                if result.kind == "undeletable":  # older than 48 h: the message says it was withdrawn
                    log.info("channel message %s is too old to delete (%s); editing it to 'Dicabut redaksi'",
                             delete_id, result.error)
                    edit_id, delete_id = delete_id, None
                    result = await sender.send(chat, text_html, edit_id=edit_id)
            except InvalidToken as token_exc:
                record_telegram(store, "auth", False, "401 Unauthorized")
                outbox.mark_retry(store, alert["id"], "401: bot token rejected", undo_attempt=True)
                report.stopped = token_problem(token_exc)
                log.error("%s; nothing more is sent", report.stopped)
                return
            except BaseException:
                # cancelled or a bug: the request may be in flight → leave it claimed; recover_stale
                # resolves it as uncertain once this run is gone
                raise
            if result.kind == "taken":
                continue  # another deliverer claimed it while this one waited
            if result.kind == "sent":
                outbox.mark_sent(store, alert["id"], result.message_id)
                if chat == channel:
                    _note_channel(store, True)
                    if kind == outbox.KIND_ALERT:  # retracted while this alert was in flight: take it back
                        from .review import retract_late_alert

                        retract_late_alert(store, settings, alert, text_html)
                if kind == editorial.KIND_RETRACT:
                    report.retracted += 1
                elif edit_id is not None:
                    report.edited += 1
                else:
                    report.sent += 1
            elif result.kind == "gone":
                outbox.mark_sent(store, alert["id"], None, note=f"story message gone: {result.error}")
            elif result.kind == "uncertain":
                outbox.mark_sent(store, alert["id"], None, note=result.error)
                report.uncertain += 1
                log.warning("sending alert %s to chat %s timed out after the request was sent; it may have "
                            "been delivered, so it is not resent", alert["id"], chat)
            elif result.kind in ("forbidden", "bad_request") and chat == channel:
                outbox.mark_retry(store, alert["id"], result.error)
                _note_channel(store, False, result.error)
                skip_chats.add(chat)
                if report.channel_error is None:
                    report.channel_error = result.error
                    log.error("cannot post to channel %s: %s", chat, result.error)
                    await _notify_admins(bot, settings, (
                        f"⚠️ Pantau PHK tidak bisa mengirim peringatan ke kanal {chat}: {result.error}\n"
                        "Peringatan tetap tertunda dan dikirim ulang setelah masalahnya diperbaiki "
                        "(periksa apakah bot masih admin kanal dan TELEGRAM_CHANNEL_ID benar)."))
            elif result.kind == "forbidden":
                cancelled = outbox.deactivate(store, chat, result.error or "403")
                report.cancelled += cancelled
                report.deactivated.append(chat)
                skip_chats.add(chat)
                log.warning("subscriber %s blocked or removed the bot (%s); deactivated, %d alerts cancelled",
                            chat, result.error, cancelled)
            elif result.kind in ("bad_request", "error"):
                if outbox.alert_attempts(store, alert["id"]) >= outbox.MAX_ATTEMPTS:
                    outbox.mark_failed(store, alert["id"], result.error or "error")
                    report.failed += 1
                    log.error("alert %s to chat %s failed for good: %s", alert["id"], chat, result.error)
                else:
                    outbox.mark_retry(store, alert["id"], result.error)
                    log.warning("alert %s to chat %s not sent (%s); will retry next run",
                                alert["id"], chat, result.error)
                skip_chats.add(chat)
            elif result.kind == "later":
                outbox.mark_retry(store, alert["id"], result.error, retry_at=result.retry_at)
                skip_chats.add(chat)
                log.warning("chat %s is rate limited (%s); alert %s postponed", chat, result.error, alert["id"])
            else:  # unavailable
                outbox.mark_retry(store, alert["id"], result.error)
                report.stopped = f"Telegram unreachable ({result.error})"
                log.error("Telegram API unreachable (%s); the remaining alerts stay pending", result.error)
                return
    finally:
        outbox.owner_finished(owner)


def _first_story_article(store: Store, story_id: int | None, chat: str) -> dict | None:
    row = store.db.execute(
        "SELECT a.article_id FROM alerts a JOIN articles ar ON ar.id = a.article_id WHERE ar.story_id = ? "
        "AND a.chat_id = ? AND a.kind = ? AND a.status = 'sent' ORDER BY a.id LIMIT 1",
        [story_id, chat, outbox.KIND_ALERT]).fetchone()
    return store.article(row[0]) if row else None


def send_pending(settings, **kwargs) -> DeliveryReport:
    """Sync wrapper for the CLI / cron. SIGTERM/SIGINT stop it gracefully: the alert being paced is
    not claimed yet and stays pending; the report says it was stopped."""
    import signal

    async def main() -> DeliveryReport:
        loop = asyncio.get_running_loop()
        task = asyncio.current_task()
        stopped: list[int] = []
        report = DeliveryReport()  # filled as alerts go out, so a stop still counts what was sent

        def stop(signum: int) -> None:
            stopped.append(signum)
            task.cancel()

        for sig in (signal.SIGTERM, signal.SIGINT):
            try:
                loop.add_signal_handler(sig, stop, sig)
            except (NotImplementedError, RuntimeError, ValueError):  # not the main thread
                pass
        try:
            return await deliver_pending(settings, report=report, **kwargs)
        except asyncio.CancelledError:
            if not stopped:
                raise
            report.stopped = f"stopped by {signal.Signals(stopped[0]).name}; unsent alerts stay pending"
            store = kwargs.get("store") or Store.open(settings.db_path)
            try:
                report.pending = outbox.count_alerts(store, "pending")
            finally:
                if kwargs.get("store") is None:
                    store.close()
            return report

    return asyncio.run(main())
