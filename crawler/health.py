"""One answer to "is Pantau PHK working?": ``health(store, settings) -> Health``.

``pantau status``, the bot's /status and the admin messages all read this one
function, so they can never disagree. Health is OK exactly when all hold:

1. **Crawling is fresh** (exit code 3): the last crawl that ran to its end
   (status ``ok``) finished at most three crawl intervals ago; the reason
   names how the latest one ended when it failed (``error``, ``killed``). A
   crawl row dated in the future (a clock that jumped back, a copied
   database) is stale, not fresh.
2. **Sources answer** (exit code 4): in the last crawl that tried any source,
   at least ``PANTAU_HEALTH_MIN_SOURCES_OK`` sources answered — a count
   ("1", the default) or a share ("50%"). When none answered the reason says
   "all sources failed — check the internet connection/DNS".
3. **Telegram accepts the bot** (exit code 5): the last answer Telegram gave
   to this token was not "rejected" (401 / InvalidToken), and the channel did
   not refuse the last alert (403/400). ``record_telegram`` stores those
   answers (meta keys ``telegram.auth`` and ``telegram.channel``) whenever
   ``pantau send``, ``pantau bot``, ``pantau digest`` or the service talk to
   Telegram.
4. **The outbox drains** (exit code 6): no alert has been pending longer
   than ``PANTAU_HEALTH_MAX_PENDING_MINUTES`` (default 60), and none queued in
   the last 24 hours was given up on (``failed``). Without a token (dry run)
   alerts are printed, not sent, so this check does not apply.

When several fail, the exit code is the first failing check's in the order
above; every reason is listed. Times in ``facts`` are ISO 8601 with their
offset (machine output); ``wib()`` / ``wib_id()`` format them for people
("09:12 WIB" / "09.12 WIB").

``transition(store, health)`` remembers the last state told to the admins
(meta ``health.notified``) and returns "bad" or "recovered" only when it
changes, so the admins hear once when health turns bad and once when it
recovers (``bot.health`` sends the message).
"""

from __future__ import annotations

import json
from collections import namedtuple
from datetime import datetime, timedelta, timezone

from .config import ConfigError
from .dates import WIB
from .store import Store, now_iso

EXIT_OK = 0
EXIT_STALE = 3
EXIT_SOURCES = 4
EXIT_TELEGRAM = 5
EXIT_OUTBOX = 6

META_AUTH = "telegram.auth"
META_CHANNEL = "telegram.channel"
META_NOTIFIED = "health.notified"

ALL_FAILED_EN = "all sources failed — check the internet connection/DNS"
ALL_FAILED_ID = "semua sumber gagal — periksa koneksi internet/DNS"


# code: exit code; en: one line for the command line and logs; id: the same in Indonesian for the bot.
# Plain classes, not dataclasses: ``dataclasses`` costs ~8 ms of `pantau status`'s start-up (issue 15).
Problem = namedtuple("Problem", "code en id")


class Health:
    def __init__(self, ok: bool, problems: list[Problem] | None = None, facts: dict | None = None):
        self.ok = ok
        self.problems = [] if problems is None else problems
        self.facts = {} if facts is None else facts

    def __repr__(self) -> str:
        return f"Health(ok={self.ok!r}, problems={self.problems!r}, facts={self.facts!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Health) and (self.ok, self.problems, self.facts) == (
            other.ok, other.problems, other.facts)

    @property
    def reasons(self) -> list[str]:
        return [p.en for p in self.problems]

    @property
    def exit_code(self) -> int:
        return self.problems[0].code if self.problems else EXIT_OK

    def line(self) -> str:
        """``status: OK`` or ``status: NOT OK — reason; reason`` (one line)."""
        return "status: OK" if self.ok else "status: NOT OK — " + "; ".join(self.reasons)


# -- time formatting --------------------------------------------------------------------------

def _parse(iso: str | None) -> datetime | None:
    if not iso:
        return None
    try:
        dt = datetime.fromisoformat(str(iso))
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def wib(iso: str | datetime | None, now: datetime | None = None) -> str:
    """'09:12 WIB' today, else '2 Dec 09:12 WIB' (command line)."""
    dt = iso if isinstance(iso, datetime) else _parse(iso)
    if dt is None:
        return "-"
    dt = dt.astimezone(WIB)
    today = (now or datetime.now(timezone.utc)).astimezone(WIB).date()
    return f"{dt:%H:%M} WIB" if dt.date() == today else f"{dt.day} {dt:%b %H:%M} WIB"


def wib_id(iso: str | datetime | None, now: datetime | None = None) -> str:
    """'09.12 WIB' today, else '2 Des 09.12 WIB' (Indonesian, for the bot)."""
    from .dates import MONTHS_SHORT

    dt = iso if isinstance(iso, datetime) else _parse(iso)
    if dt is None:
        return "-"
    dt = dt.astimezone(WIB)
    today = (now or datetime.now(timezone.utc)).astimezone(WIB).date()
    clock = f"{dt:%H.%M} WIB"
    return clock if dt.date() == today else f"{dt.day} {MONTHS_SHORT[dt.month - 1]} {clock}"


def iso(dt: datetime | None) -> str | None:
    return dt.astimezone(timezone.utc).replace(microsecond=0).isoformat() if dt else None


# -- recorded Telegram answers ------------------------------------------------------------------

def record_telegram(store: Store, what: str, ok: bool, error: str | None = None) -> None:
    """Store Telegram's last answer: ``what`` is "auth" (the token) or "channel" (posting to
    TELEGRAM_CHANNEL_ID). ``error`` must already be redacted (it is stored)."""
    key = META_AUTH if what == "auth" else META_CHANNEL
    store.set_meta(key, json.dumps({"ok": bool(ok), "at": now_iso(), "error": (error or "")[:200] or None}))


def telegram_state(store: Store, what: str) -> dict | None:
    raw = store.get_meta(META_AUTH if what == "auth" else META_CHANNEL)
    try:
        data = json.loads(raw) if raw else None
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


# -- settings -----------------------------------------------------------------------------------

def min_sources_ok(settings, total: int) -> int:
    """PANTAU_HEALTH_MIN_SOURCES_OK as a number of sources out of ``total`` (at least 1)."""
    raw = str(settings.get("PANTAU_HEALTH_MIN_SOURCES_OK") or "1").strip()
    try:
        if raw.endswith("%"):
            share = float(raw[:-1])
            if not 0 <= share <= 100:
                raise ValueError
            need = -(-share * total // 100)  # ceiling
        else:
            need = int(raw)
            if need < 0:
                raise ValueError
    except ValueError:
        raise ConfigError(f"PANTAU_HEALTH_MIN_SOURCES_OK={raw!r} must be a number of sources (e.g. 1) "
                          "or a share (e.g. 50%)") from None
    return max(1, min(int(need), max(total, 1)))


def next_crawl(store: Store, settings, now: datetime | None = None) -> datetime | None:
    """When the next scheduled crawl should start: the last crawl's start plus one interval
    (never in the past)."""
    now = now or datetime.now(timezone.utc)
    row = store.db.execute("SELECT started FROM crawls ORDER BY id DESC LIMIT 1").fetchone()
    start = _parse(row[0]) if row else None
    if start is None or start > now:
        return None
    nxt = start + timedelta(minutes=settings.interval_minutes)
    return nxt if nxt > now else now


def backing_off(store: Store, now: datetime | None = None) -> list[dict]:
    """Sources skipped by back-off right now: name, failures, until (ISO), last_error."""
    now_s = iso(now or datetime.now(timezone.utc))
    return [dict(r) for r in store.db.query(
        "SELECT name, consecutive_failures AS failures, next_attempt_after AS until, last_error FROM sources "
        "WHERE next_attempt_after IS NOT NULL AND next_attempt_after > ? ORDER BY next_attempt_after, name",
        [now_s])]


# -- the check ------------------------------------------------------------------------------------

def health(store: Store, settings, now: datetime | None = None) -> Health:
    now = now or datetime.now(timezone.utc)
    interval = settings.interval_minutes
    problems: list[Problem] = []
    facts: dict = {"checked": iso(now), "interval_minutes": interval}

    # 1. crawl freshness
    limit = 3 * interval
    last = store.db.execute(  # the last crawl that ran to its end ('ok'), not one that failed
        "SELECT started, finished, status FROM crawls WHERE status = 'ok' ORDER BY id DESC LIMIT 1").fetchone()
    latest = store.db.execute("SELECT status, error FROM crawls WHERE status != 'running' "
                              "ORDER BY id DESC LIMIT 1").fetchone()
    facts["crawl_limit_minutes"] = limit
    facts["latest_crawl_status"] = latest[0] if latest else None
    why_en = why_id = ""
    if latest is not None and latest[0] != "ok":
        err = " ".join(str(latest[1] or "").split())[:100]
        why_en = f"; the latest crawl ended '{latest[0]}'" + (f": {err}" if err else "")
        why_id = f"; crawl terakhir berakhir '{latest[0]}'" + (f": {err}" if err else "")
    if last is None:
        facts["last_crawl_finished"] = None
        problems.append(Problem(EXIT_STALE, "no crawl has finished yet" + why_en,
                                "belum ada crawl yang selesai" + why_id))
    else:
        finished = _parse(last[1] or last[0])
        facts["last_crawl_finished"] = iso(finished)
        facts["last_crawl_status"] = last[2]
        age = (now - finished).total_seconds() / 60 if finished else None
        facts["crawl_age_minutes"] = round(age, 1) if age is not None else None
        if finished is None:
            problems.append(Problem(EXIT_STALE, "the last crawl has no readable time",
                                    "waktu crawl terakhir tidak terbaca"))
        elif age < -5:  # more than a few minutes of clock skew: a crawl from the future is not fresh
            problems.append(Problem(
                EXIT_STALE, f"the last crawl is dated in the future ({wib(finished, now)}): check the clock",
                f"crawl terakhir bertanggal di masa depan ({wib_id(finished, now)}): periksa jam server"))
        elif age > limit:
            problems.append(Problem(
                EXIT_STALE, f"no crawl finished in the last {limit:g} min (last: {wib(finished, now)}, "
                f"{age:.0f} min ago){why_en}",
                f"tidak ada crawl selesai dalam {limit:g} menit terakhir (terakhir {wib_id(finished, now)}){why_id}"))
    if latest is not None and latest[0] == "error" and last is not None and not any(
            p.code == EXIT_STALE for p in problems):
        # a crawl that failed (e.g. could not store its articles: disk full) is never OK, however
        # recent the last success (issue 10 item 10)
        problems.append(Problem(EXIT_STALE, "the latest crawl failed" + why_en[len("; the latest crawl ended 'error'"):],
                                "crawl terakhir gagal" + why_id[len("; crawl terakhir berakhir 'error'"):]))
    nxt = next_crawl(store, settings, now)
    facts["next_crawl"] = iso(nxt)

    # 2. sources answering (the last crawl that tried any source; back-off skips try none)
    tried = store.db.execute(
        "SELECT sources_ok, sources_failed, sources_skipped FROM crawls WHERE status != 'running' "
        "AND sources_ok + sources_failed > 0 ORDER BY id DESC LIMIT 1").fetchone()
    if tried is not None:
        ok_n, failed_n = int(tried[0]), int(tried[1])
        total = ok_n + failed_n
        need = min_sources_ok(settings, total)
        facts.update(sources_ok=ok_n, sources_failed=failed_n, sources_needed=need)
        if ok_n == 0:
            when_en = f"; next crawl {wib(nxt, now)}" if nxt else ""
            when_id = f"; crawl berikutnya {wib_id(nxt, now)}" if nxt else ""
            problems.append(Problem(EXIT_SOURCES, f"{ALL_FAILED_EN} (0 of {total} answered){when_en}",
                                    f"{ALL_FAILED_ID} (0 dari {total} menjawab){when_id}"))
        elif ok_n < need:
            problems.append(Problem(
                EXIT_SOURCES, f"only {ok_n} of {total} sources answered in the last crawl (need {need})",
                f"hanya {ok_n} dari {total} sumber menjawab pada crawl terakhir (minimal {need})"))

    # 3. Telegram: token and channel
    token = settings.token
    auth = telegram_state(store, "auth")
    channel = telegram_state(store, "channel")
    facts["telegram"] = "not configured (dry run)" if not token else (
        "unknown" if auth is None else ("ok" if auth.get("ok") else "token rejected"))
    facts["telegram_checked"] = auth.get("at") if auth else None
    if token and auth is not None and not auth.get("ok"):
        problems.append(Problem(
            EXIT_TELEGRAM, f"Telegram rejected the bot token (401 Unauthorized) at {wib(auth.get('at'), now)}: "
            "get a new token from @BotFather",
            f"Telegram menolak token bot (401) pada {wib_id(auth.get('at'), now)}"))
    if token and settings.channel_id and channel is not None:
        facts["channel"] = "ok" if channel.get("ok") else channel.get("error")
        if not channel.get("ok"):
            problems.append(Problem(
                EXIT_TELEGRAM, f"the channel {settings.channel_id} refused the last alert "
                f"({channel.get('error') or 'error'}) at {wib(channel.get('at'), now)}",
                f"kanal {settings.channel_id} menolak peringatan terakhir ({channel.get('error') or 'galat'}) "
                f"pada {wib_id(channel.get('at'), now)}"))

    # 4. the outbox drains
    max_wait = settings.number("PANTAU_HEALTH_MAX_PENDING_MINUTES")
    row = store.db.execute("SELECT COUNT(*), MIN(created) FROM alerts WHERE status IN ('pending', 'sending')"
                           ).fetchone() if _has_alerts(store) else (0, None)
    facts["pending_alerts"] = int(row[0] or 0)
    oldest = _parse(row[1])
    facts["oldest_pending"] = iso(oldest)
    if token and oldest is not None and (now - oldest).total_seconds() / 60 > max_wait:
        late = store.db.execute("SELECT COUNT(*) FROM alerts WHERE status IN ('pending', 'sending') "
                                "AND created < ?", [iso(now - timedelta(minutes=max_wait))]).fetchone()[0]
        problems.append(Problem(
            EXIT_OUTBOX, f"{late} alerts pending longer than {max_wait:g} min (oldest since {wib(oldest, now)})",
            f"{late} peringatan tertunda lebih dari {max_wait:g} menit (tertua sejak {wib_id(oldest, now)})"))

    if token and _has_alerts(store):  # alerts given up on (after MAX_ATTEMPTS runs) in the last day
        failed = store.db.execute("SELECT COUNT(*) FROM alerts WHERE status = 'failed' AND created >= ?",
                                  [iso(now - timedelta(hours=24))]).fetchone()[0]
        facts["failed_alerts_24h"] = failed
        if failed:
            problems.append(Problem(
                EXIT_OUTBOX, f"{failed} alerts failed for good in the last 24 h",
                f"{failed} peringatan gagal terkirim dalam 24 jam terakhir"))

    order = [EXIT_STALE, EXIT_SOURCES, EXIT_TELEGRAM, EXIT_OUTBOX]
    problems.sort(key=lambda p: order.index(p.code))
    return Health(ok=not problems, problems=problems, facts=facts)


def _has_alerts(store: Store) -> bool:
    return store.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'alerts'").fetchone() is not None


# -- admin notification state ----------------------------------------------------------------

def transition(store: Store, h: Health) -> str | None:
    """"bad" when health turned bad since the admins were last told, "recovered" when it turned
    good again, else None. The caller marks it told with ``mark_told`` once the message went out."""
    told = store.get_meta(META_NOTIFIED) or "ok"
    if not h.ok and h.facts.get("last_crawl_finished") is None and told != "bad":
        return None  # a new installation that has not crawled yet is not a fault to report
    if not h.ok and told != "bad":
        return "bad"
    if h.ok and told == "bad":
        return "recovered"
    return None


def mark_told(store: Store, state: str) -> None:
    store.set_meta(META_NOTIFIED, "bad" if state == "bad" else "ok")


# -- after a crawl ----------------------------------------------------------------------------

def crawl_notes(result, store: Store, settings, verbose: bool = False, now: datetime | None = None) -> list[str]:
    """Lines `pantau crawl` prints after its summary: every source failing (with the next crawl's
    time), and with ``verbose`` the sources skipped by back-off ("until HH:MM WIB") and --force."""
    now = now or datetime.now(timezone.utc)
    lines: list[str] = []
    if getattr(result, "status", "ok") not in ("ok", "interrupted"):
        return lines
    nxt = next_crawl(store, settings, now)
    when = f"next crawl at about {wib(nxt, now)} (every {settings.interval_minutes:g} min)" if nxt else ""
    waiting = backing_off(store, now)
    if result.sources_failed and not result.sources_ok:
        lines.append(f"{ALL_FAILED_EN}" + (f"; {when}" if when else ""))
    elif not result.sources_ok and not result.sources_failed and waiting:
        first = wib(waiting[0]["until"], now)
        lines.append(f"every source is backing off after failures; the first is tried again at {first} "
                     "(`pantau crawl --force` tries them all now)")
    if verbose and waiting:  # indented like the failures `-v` lists above
        for w in waiting:
            err = " ".join(str(w.get("last_error") or "").split())[:80]
            lines.append(f"  {w['name']}: backing off until {wib(w['until'], now)} after {w['failures']} "
                         "failures" + (f" ({err})" if err else ""))
        lines.append(f"  ({len(waiting)} backing off: `pantau crawl --force` tries them now)")
    return lines


def sources_overview(store: Store, settings, now: datetime | None = None) -> dict:
    """What /sumber shows: every source row, whether the last crawl that tried any source got no
    answer at all, and the next crawl's time (ISO 8601)."""
    now = now or datetime.now(timezone.utc)
    tried = store.db.execute("SELECT sources_ok FROM crawls WHERE status != 'running' "
                             "AND sources_ok + sources_failed > 0 ORDER BY id DESC LIMIT 1").fetchone()
    nxt = next_crawl(store, settings, now)
    return {"rows": store.sources_table(), "all_failed": bool(tried is not None and tried[0] == 0),
            "next_crawl": iso(nxt), "now": iso(now)}
