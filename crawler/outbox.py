"""The alert outbox and subscribers: database-only logic shared by the crawler and the bot.

No Telegram code lives here (the crawler must not import ``telegram``); the bot's
``bot.deliver`` does the sending and calls back into these functions.

Rules:
- Every flagged article gets exactly one alert *decision*: ``enqueue_alerts``
  writes its alert rows (or none, when no chat wants it) and stamps
  ``articles.alert_decided`` in the same transaction. ``enqueue_undecided``
  decides every flagged article that has no decision yet; each crawl calls it
  at its start and end, so articles stored by a crawl that was killed
  (SIGKILL, the service's time limit) are alerted by the next one, once.
- No backlog flood: only articles published within PANTAU_ALERT_MAX_AGE_HOURS
  (default 48; ``is_recent``) get alerts. An older flagged article (the first
  crawl of a new installation, a newly added source, a late-found archive
  page) is decided without alert rows: it is stored, grouped into its story
  and searchable, never pushed. The digest uses the same window.
- ``enqueue_alerts`` creates ``pending`` rows in ``alerts`` for flagged
  articles and their destinations: the channel (TELEGRAM_CHANNEL_ID, if set)
  (or, when it is unset, the ``console`` destination that ``pantau send``
  prints and marks sent, so a dry run never loses the alerts it promised)
  and every active, non-daily subscriber whose keyword filter matches. One
  story (``crawler.stories``) gets one ``alert`` per chat; later reports
  become an ``update`` (channel message edited) or nothing, and a grown story
  one ``followup``. No keywords =
  every alert; keywords = any of them found (case-insensitive, at the start of
  a word) in the title, text or companies. ``INSERT OR IGNORE`` on
  UNIQUE(article_id, chat_id, kind) makes it idempotent.
- Alert life cycle: ``pending`` → ``sending`` (claimed by one deliverer, in a
  ``BEGIN IMMEDIATE`` transaction, attempts + 1) → ``sent`` (with Telegram's
  message_id) | ``pending`` again (error recorded, retried next run) |
  ``failed`` (gave up) | ``cancelled`` (subscriber left or blocked the bot).
- A claim names its owner (host, pid, run). A ``sending`` row whose owner
  process is gone (killed mid-send) or that is older than ``STALE_CLAIM``
  is *uncertain*: the request may have reached Telegram. Policy: it is
  marked ``sent`` with ``message_id`` NULL and ``last_error`` starting with
  ``uncertain:`` — never resent, because a duplicate alert is worse than the
  rare lost one; ``status()`` counts them so an operator can check.
- ``chat_queries`` keeps /cari queries under a short numeric id so the
  inline ‹ › buttons (callback data ≤ 64 bytes) still work after a restart.
  A saved query belongs to the chat that searched: ``recall_query`` with a
  chat id finds only that chat's queries, so a forged ``cari:0:<n>``
  callback cannot reveal what others searched for.
"""

from __future__ import annotations

import json
import os
import re
import socket
import uuid
from datetime import datetime, timedelta, timezone
from typing import Iterable

from . import editorial
from .store import Store, now_iso

KIND_ALERT = "alert"        # a new message: the first report of a story in a chat
KIND_UPDATE = "update"      # channel only: edit the story's message to list another outlet
KIND_FOLLOWUP = "followup"  # once per story and chat: the story grew (a job-cut figure appeared)
CONSOLE = "console"         # destination when TELEGRAM_CHANNEL_ID is unset: `pantau send` prints it
STALE_CLAIM = timedelta(minutes=15)
MAX_ATTEMPTS = 3  # runs that may end in a non-retryable error before an alert is marked failed
UNCERTAIN = "uncertain:"
MAX_KEYWORDS = 10


# -- schema --------------------------------------------------------------------------------



def ensure_schema(store: Store) -> None:
    """Apply migrations registered after the store was opened (cheap when up to date)."""
    store.migrate()


# -- keywords ----------------------------------------------------------------------------------

_KW_SPLIT = re.compile(r"[,;\s]+")


def parse_keywords(text: str | Iterable[str] | None) -> list[str]:
    """Words from user input: lower-cased, deduplicated, at most 10 of at most 40 chars."""
    if text is None:
        return []
    raw = text if isinstance(text, str) else " ".join(text)
    out: list[str] = []
    for part in _KW_SPLIT.split(raw):
        word = part.strip().strip("\"'“”‘’()[]{}<>.!?").lower()[:40]
        if word and word not in out:
            out.append(word)
    return out[:MAX_KEYWORDS]


def keywords_match(keywords: list[str] | None, article: dict) -> bool:
    if not keywords:
        return True
    companies = article.get("companies") or []
    if isinstance(companies, str):
        try:
            companies = json.loads(companies)
        except ValueError:
            companies = [companies]
    haystack = " ".join([article.get("title") or "", article.get("text") or "",
                         " ".join(str(c) for c in companies)])
    for kw in keywords:
        if re.search(r"(?<!\w)" + re.escape(kw), haystack, re.IGNORECASE):
            return True
    return False


def _load_keywords(value: str | None) -> list[str]:
    if not value:
        return []
    try:
        data = json.loads(value)
        return [str(k) for k in data] if isinstance(data, list) else parse_keywords(str(data))
    except ValueError:
        return parse_keywords(value)


# -- subscribers -------------------------------------------------------------------------------

def subscribe(store: Store, chat_id: int | str, title: str | None = None,
              keywords: list[str] | None = None, daily: bool = False) -> dict:
    """Create or re-activate a subscription (replacing its keywords and mode)."""
    kw = json.dumps(list(keywords), ensure_ascii=False) if keywords else None
    now = now_iso()
    with store.write():
        store.db.execute(
            "INSERT INTO subscribers (chat_id, title, active, keywords, daily, created, updated) "
            "VALUES (?, ?, 1, ?, ?, ?, ?) ON CONFLICT(chat_id) DO UPDATE SET "
            "title = COALESCE(excluded.title, subscribers.title), active = 1, keywords = excluded.keywords, "
            "daily = excluded.daily, updated = excluded.updated, deactivated_reason = NULL",
            [str(chat_id), title, kw, 1 if daily else 0, now, now])
    return get_subscriber(store, chat_id)  # type: ignore[return-value]


def get_subscriber(store: Store, chat_id: int | str) -> dict | None:
    rows = list(store.db.query("SELECT * FROM subscribers WHERE chat_id = ?", [str(chat_id)]))
    if not rows:
        return None
    row = dict(rows[0])
    row["keywords"] = _load_keywords(row.get("keywords"))
    return row


def list_subscribers(store: Store, active_only: bool = True) -> list[dict]:
    sql = "SELECT * FROM subscribers" + (" WHERE active = 1" if active_only else "") + " ORDER BY created"
    out = []
    for row in store.db.query(sql):
        row = dict(row)
        row["keywords"] = _load_keywords(row.get("keywords"))
        out.append(row)
    return out


def deactivate(store: Store, chat_id: int | str, reason: str) -> int:
    """Set a subscriber inactive and cancel its undelivered alerts; returns alerts cancelled."""
    now = now_iso()
    with store.write():
        store.db.execute("UPDATE subscribers SET active = 0, deactivated_reason = ?, updated = ? "
                         "WHERE chat_id = ?", [reason[:300], now, str(chat_id)])
        cur = store.db.execute(
            "UPDATE alerts SET status = 'cancelled', last_error = ?, claimed_by = NULL "
            "WHERE chat_id = ? AND status IN ('pending', 'sending')", [reason[:300], str(chat_id)])
        return cur.rowcount or 0


def unsubscribe(store: Store, chat_id: int | str, reason: str = "berhenti") -> bool:
    """/berhenti: returns True if the chat had an active subscription."""
    sub = get_subscriber(store, chat_id)
    if not sub or not sub["active"]:
        return False
    deactivate(store, chat_id, reason)
    return True


# -- enqueue ----------------------------------------------------------------------------------

def enqueue_alerts(store: Store, settings, article_ids: Iterable[int]) -> int:
    """Pending alerts for newly flagged articles, one story at a time; returns rows created.

    Per destination chat (the channel and every matching subscriber):
    - the first article of a story gets an ``alert`` (a new message);
    - a later article of a story already alerted to that chat gets, in the
      channel only, an ``update`` (the channel message is edited to list it
      under "Juga diberitakan:"); subscribers get nothing more;
    - when the story has grown (its job-cut figure became known after the
      first alert), one ``followup`` per story and chat (a reply message).
    """
    ensure_schema(store)
    ids = sorted({int(i) for i in article_ids if i is not None})
    if not ids:
        return 0
    channel = None
    if settings is not None:
        channel = str(settings.channel_id) if settings.channel_id else CONSOLE
    subscribers = [s for s in list_subscribers(store) if not s["daily"]]
    cutoff = alert_cutoff(settings)
    created = 0
    now = now_iso()
    with store.write():
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            marks = ",".join("?" * len(chunk))
            rows = list(store.db.query(
                f"SELECT id, title, text, companies, story_id, jobs_cut, published, fetched, score FROM articles "
                f"WHERE match = 1 AND id IN ({marks}) ORDER BY COALESCE(published, fetched), id", chunk))
            for art in rows:
                if editorial.absorb_if_retracted(store, art):  # a retracted story's later report: silent
                    store.db.execute("UPDATE articles SET alert_decided = ? WHERE id = ?", [now, art["id"]])
                    continue
                if not is_recent(art, cutoff):  # old news: stored and searchable, never pushed
                    store.db.execute("UPDATE articles SET alert_decided = ? WHERE id = ?", [now, art["id"]])
                    continue
                targets: list[str] = [channel] if channel else []
                targets += [s["chat_id"] for s in subscribers if keywords_match(s["keywords"], art)]
                for chat in dict.fromkeys(targets):
                    kind = _kind_for(store, art, chat, chat == channel and chat != CONSOLE)
                    status = editorial.alert_status(store, settings, art, chat) if kind else None
                    if kind is None or status is None:
                        continue
                    cur = store.db.execute(
                        "INSERT OR IGNORE INTO alerts (article_id, chat_id, kind, status, created) "
                        "VALUES (?, ?, ?, ?, ?)", [art["id"], chat, kind, status, now])
                    created += cur.rowcount or 0
                created += editorial.queue_review(store, settings, art, now)
                store.db.execute("UPDATE articles SET alert_decided = ? WHERE id = ?", [now, art["id"]])
    return created


def alert_cutoff(settings, now: datetime | None = None) -> datetime:
    """Articles published before this are too old to push (PANTAU_ALERT_MAX_AGE_HOURS, default 48)."""
    hours = settings.number("PANTAU_ALERT_MAX_AGE_HOURS") if settings is not None else 48.0
    return (now or datetime.now(timezone.utc)) - timedelta(hours=hours)


def is_recent(article: dict, cutoff: datetime) -> bool:
    """Published (else fetched) at or after ``cutoff``; an article with no readable date is recent."""
    from .dates import parse_date

    when = parse_date(article.get("published")) or parse_date(article.get("fetched"))
    return when is None or when >= cutoff


def enqueue_undecided(store: Store, settings) -> int:
    """Queue alerts for every flagged article whose alerts were never decided; returns rows created.

    This is what makes a killed crawl lose no alerts: articles it stored (and
    maybe did not group into a story yet) are grouped and queued by the next
    crawl, however the previous one ended. Each decision is committed together
    with its alert rows, so nothing is queued twice."""
    ensure_schema(store)
    ids = [r[0] for r in store.db.execute(
        "SELECT id FROM articles WHERE match = 1 AND alert_decided IS NULL ORDER BY id").fetchall()]
    created = 0
    if ids:
        from .stories import assign_story

        for article_id in ids:
            assign_story(store, article_id)  # no-op for articles already in a story
        created = enqueue_alerts(store, settings, ids)
    if settings is not None:  # the editors' part: near misses to ask about, held stories timing out
        editorial.queue_grey(store, settings, max_age_hours=settings.number("PANTAU_ALERT_MAX_AGE_HOURS"))
        editorial.expire_held(store, settings)
    return created


def _kind_for(store: Store, art: dict, chat: str, is_channel: bool) -> str | None:
    story = art.get("story_id")
    if not story:
        return KIND_ALERT
    first = store.db.execute(
        "SELECT a.id, a.status FROM alerts a JOIN articles ar ON ar.id = a.article_id "
        "WHERE ar.story_id = ? AND a.chat_id = ? AND a.kind = ? AND a.status NOT IN ('cancelled', 'failed') "
        "ORDER BY a.id LIMIT 1", [story, chat, KIND_ALERT]).fetchone()
    if first is None:
        return KIND_ALERT
    grown = store.db.execute("SELECT grown FROM stories WHERE id = ?", [story]).fetchone()
    if grown and grown[0] and art.get("jobs_cut"):
        already = store.db.execute(
            "SELECT 1 FROM alerts a JOIN articles ar ON ar.id = a.article_id WHERE ar.story_id = ? "
            "AND a.chat_id = ? AND a.kind = ?", [story, chat, KIND_FOLLOWUP]).fetchone()
        if not already:
            return KIND_FOLLOWUP
    return KIND_UPDATE if is_channel else None


def story_message(store: Store, story_id: int | None, chat_id: str) -> tuple[str, int | None]:
    """The first alert of a story in a chat: (status, message_id), or ('none', None)."""
    if not story_id:
        return "none", None
    row = store.db.execute(
        "SELECT a.status, a.message_id FROM alerts a JOIN articles ar ON ar.id = a.article_id "
        "WHERE ar.story_id = ? AND a.chat_id = ? AND a.kind = ? AND a.status NOT IN ('cancelled', 'failed') "
        "ORDER BY a.id LIMIT 1", [story_id, chat_id, KIND_ALERT]).fetchone()
    return (row[0], row[1]) if row else ("none", None)


def story_siblings(store: Store, story_id: int | None, exclude: int | None = None, limit: int = 12) -> list[dict]:
    """Other articles of a story (oldest first) for the "Juga diberitakan" list."""
    if not story_id:
        return []
    return [dict(r) for r in store.db.query(
        "SELECT id, url, title, outlet, source, published FROM articles WHERE story_id = ? AND id != ? "
        "ORDER BY COALESCE(published, fetched), id LIMIT ?", [story_id, exclude or 0, limit])]


# -- delivery bookkeeping (used by bot.deliver) ---------------------------------------------------

def new_owner() -> str:
    """Claim owner id for one delivery run: host:pid:run."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


_ACTIVE_OWNERS: set[str] = set()


def owner_started(owner: str) -> None:
    _ACTIVE_OWNERS.add(owner)


def owner_finished(owner: str) -> None:
    _ACTIVE_OWNERS.discard(owner)


def _owner_alive(owner: str | None) -> bool:
    if not owner:
        return False
    parts = owner.split(":")
    if len(parts) != 3:
        return True  # unknown shape: rely on the age limit
    host, pid_s, _ = parts
    if host != socket.gethostname():
        return True  # another machine: only the age limit can tell
    try:
        pid = int(pid_s)
    except ValueError:
        return False
    if pid == os.getpid():
        return owner in _ACTIVE_OWNERS
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def pending_alerts(store: Store, limit: int | None = None, now: str | None = None) -> list[dict]:
    """Pending alerts due now, oldest first."""
    ensure_schema(store)
    now = now or now_iso()
    sql = ("SELECT * FROM alerts WHERE status = 'pending' "
           "AND (next_attempt_after IS NULL OR next_attempt_after <= ?) ORDER BY id")
    params: list = [now]
    if limit:
        sql += " LIMIT ?"
        params.append(int(limit))
    return [dict(r) for r in store.db.query(sql, params)]


def count_alerts(store: Store, status: str = "pending") -> int:
    return store.db.execute("SELECT COUNT(*) FROM alerts WHERE status = ?", [status]).fetchone()[0]


def claim_alert(store: Store, alert_id: int, owner: str) -> bool:
    """pending → sending for this owner (attempts + 1); False if someone else has it."""
    with store.write():
        cur = store.db.execute(
            "UPDATE alerts SET status = 'sending', claimed_by = ?, claimed_at = ?, attempts = attempts + 1 "
            "WHERE id = ? AND status = 'pending'", [owner, now_iso(), alert_id])
        return (cur.rowcount or 0) == 1


def mark_sent(store: Store, alert_id: int, message_id: int | None, note: str | None = None) -> None:
    with store.write():
        store.db.execute(
            "UPDATE alerts SET status = 'sent', message_id = ?, sent_at = ?, last_error = ?, "
            "claimed_by = NULL, next_attempt_after = NULL WHERE id = ?",
            [message_id, now_iso(), note, alert_id])


def mark_failed(store: Store, alert_id: int, error: str) -> None:
    with store.write():
        store.db.execute("UPDATE alerts SET status = 'failed', last_error = ?, claimed_by = NULL WHERE id = ?",
                         [error[:500], alert_id])


def mark_retry(store: Store, alert_id: int, error: str | None, retry_at: datetime | None = None,
               undo_attempt: bool = False) -> None:
    """Back to pending (error kept); optionally not before ``retry_at``."""
    after = retry_at.astimezone(timezone.utc).replace(microsecond=0).isoformat() if retry_at else None
    with store.write():
        store.db.execute(
            "UPDATE alerts SET status = 'pending', last_error = COALESCE(?, last_error), claimed_by = NULL, "
            "next_attempt_after = ?, attempts = MAX(0, attempts - ?) WHERE id = ?",
            [error[:500] if error else None, after, 1 if undo_attempt else 0, alert_id])


def alert_attempts(store: Store, alert_id: int) -> int:
    row = store.db.execute("SELECT attempts FROM alerts WHERE id = ?", [alert_id]).fetchone()
    return row[0] if row else 0


def recover_stale(store: Store, now: datetime | None = None) -> list[dict]:
    """Resolve ``sending`` rows whose deliverer died: marked sent as *uncertain* (not resent)."""
    ensure_schema(store)
    now = now or datetime.now(timezone.utc)
    limit = (now - STALE_CLAIM).replace(microsecond=0).isoformat()
    rows = [dict(r) for r in store.db.query("SELECT * FROM alerts WHERE status = 'sending'")]
    stale = [r for r in rows if (r.get("claimed_at") or "") < limit or not _owner_alive(r.get("claimed_by"))]
    for r in stale:
        with store.write():
            store.db.execute(
                "UPDATE alerts SET status = 'sent', sent_at = ?, claimed_by = NULL, last_error = ? "
                "WHERE id = ? AND status = 'sending'",
                [now_iso(), f"{UNCERTAIN} deliverer stopped mid-send; may have been delivered", r["id"]])
    return stale


# -- /cari query ids ------------------------------------------------------------------------------

def remember_query(store: Store, text: str, chat_id: int | str | None = None) -> int:
    """The id of ``text`` saved for ``chat_id`` (created on first use)."""
    ensure_schema(store)
    text = (text or "")[:200]
    chat = "" if chat_id is None else str(chat_id)
    with store.write():
        store.db.execute("INSERT OR IGNORE INTO chat_queries (chat_id, query, created) VALUES (?, ?, ?)",
                         [chat, text, now_iso()])
        return store.db.execute("SELECT id FROM chat_queries WHERE chat_id = ? AND query = ?",
                                [chat, text]).fetchone()[0]


def recall_query(store: Store, query_id: int, chat_id: int | str | None = None) -> str | None:
    """A saved query; with ``chat_id`` only when that chat saved it (None: any chat, for tools)."""
    ensure_schema(store)
    if chat_id is None:
        row = store.db.execute("SELECT query FROM chat_queries WHERE id = ?", [query_id]).fetchone()
    else:
        row = store.db.execute("SELECT query FROM chat_queries WHERE id = ? AND chat_id = ?",
                               [query_id, str(chat_id)]).fetchone()
    return row[0] if row else None


# -- statistics / status ---------------------------------------------------------------------------

STATS_EVENTS_SQL = (
    "SELECT substr(first_reported, 1, 7) AS m, jobs_cut, companies FROM stories WHERE retracted = 0 "
    "UNION ALL SELECT substr(COALESCE(published, fetched), 1, 7), jobs_cut, companies "
    "FROM articles INDEXED BY idx_flagged_ungrouped WHERE match = 1 AND story_id IS NULL")
"""/statistik events: every story, plus flagged articles not grouped yet (a partial index
holds exactly those, so the archive is never scanned)."""


def stats(store: Store, months: int = 12, top: int = 10) -> dict:
    """Layoff events (stories; a flagged article not grouped yet counts as its own event).

    Returns total events, flagged articles, per month (newest first) the number
    of events and the jobs cut they report, the companies with most events,
    and the total jobs cut (each event counted once, not once per outlet).
    """
    ensure_schema(store)
    rows = store.db.execute(STATS_EVENTS_SQL).fetchall()
    per_month: dict[str, list[int]] = {}
    companies: dict[str, list] = {}
    jobs_total = 0
    for month, cut, names_json in rows:
        if month:
            entry = per_month.setdefault(month, [0, 0])
            entry[0] += 1
            entry[1] += int(cut or 0)
        jobs_total += int(cut or 0)
        try:
            names = json.loads(names_json) if names_json else []
        except ValueError:
            names = []
        if not isinstance(names, list):
            continue
        for name in {str(n).strip() for n in names if str(n).strip()}:
            item = companies.setdefault(name.lower(), [name, 0, 0])
            item[1] += 1
            item[2] += int(cut or 0)
    months_sorted = sorted(per_month.items(), reverse=True)[:months]
    top_companies = sorted(((n, c) for n, c, _ in companies.values()), key=lambda x: (-x[1], x[0].lower()))[:top]
    articles = store.db.execute("SELECT COUNT(*) FROM articles WHERE match = 1").fetchone()[0]
    return {"total": len(rows), "articles": articles,
            "by_month": [(m, v[0]) for m, v in months_sorted],
            "jobs_by_month": [(m, v[1]) for m, v in months_sorted],
            "top_companies": top_companies,
            "top_companies_jobs": sorted(((n, j) for n, _, j in companies.values() if j),
                                         key=lambda x: (-x[1], x[0].lower()))[:top],
            "jobs_cut_total": jobs_total}


def status(store: Store) -> dict:
    """Operational view for /status: last crawl, alert queue, failing sources, subscribers."""
    ensure_schema(store)
    crawl = list(store.db.query("SELECT * FROM crawls ORDER BY id DESC LIMIT 1"))
    counts = {r[0]: r[1] for r in store.db.execute("SELECT status, COUNT(*) FROM alerts GROUP BY status")}
    uncertain = store.db.execute(
        "SELECT COUNT(*) FROM alerts WHERE status = 'sent' AND last_error LIKE ?", [UNCERTAIN + "%"]).fetchone()[0]
    failing = [dict(r) for r in store.db.query(
        "SELECT name, consecutive_failures, last_error, last_success FROM sources "
        "WHERE consecutive_failures > 0 ORDER BY consecutive_failures DESC, name")]
    subs = store.db.execute("SELECT COUNT(*), COALESCE(SUM(daily), 0) FROM subscribers WHERE active = 1").fetchone()
    return {
        "last_crawl": dict(crawl[0]) if crawl else None,
        "pending": counts.get("pending", 0) + counts.get("sending", 0),
        "failed": counts.get("failed", 0),
        "sent": counts.get("sent", 0),
        "uncertain": uncertain,
        "failing_sources": failing,
        "sources_total": store.db.execute("SELECT COUNT(*) FROM sources").fetchone()[0],
        "subscribers": subs[0],
        "daily_subscribers": subs[1],
        "articles": store.counts(),
    }
