"""Editors in the loop: review, retraction, corrections, audit and labels (database only).

No Telegram code lives here: ``bot.review`` renders the messages and handles
the buttons; ``crawler.outbox`` queues, ``bot.deliver`` sends.

Rules
- Editors are the admins (PANTAU_ADMIN_IDS). Review messages go to each
  admin's private chat, or to PANTAU_REVIEW_CHAT when set.
- PANTAU_REVIEW (``after`` by default): a new story's first report queues a
  ``review`` message for the editors beside its alerts. ``after``: the
  channel and subscribers get the story at once; ❌ retracts it. ``before``:
  the story's alerts wait as ``held`` (never sent) until ✅ releases them;
  a held story older than PANTAU_REVIEW_TIMEOUT hours is published when its
  score is at least PANTAU_REVIEW_AUTO_SCORE and dropped otherwise (both
  logged in the audit trail as the user "otomatis"). ``off``: no review.
- Grey zone: an article the classifier did not flag whose score is at least
  PANTAU_GREY_MIN (and below the flag) is sent to the editors as "Mungkin
  relevan?" once. ✅ labels it relevant and publishes it as a normal alert;
  ❌ labels it not relevant.
- A decision is made once: the first editor's press wins (one row in
  ``decisions`` per target, INSERT in a BEGIN IMMEDIATE transaction); the
  second editor is told who decided. The decision and all its effects
  (labels, released or cancelled alerts, the queued retraction) commit in the
  same transaction, so a kill between a press and its effects loses nothing.
- ❌ on a story retracts it everywhere: ``stories.retracted`` = 1 (off the
  events table, exports, Atom feed, /statistik and the website), its
  articles get label 0 (and so ``match`` 0: off search, /terbaru, digest),
  alerts not yet sent are cancelled, and one ``retract`` message is queued
  for the channel message (deleted, or edited to "Dicabut redaksi" where
  Telegram refuses). Subscribers who already got it get nothing more.
  Later reports of a retracted story join it silently (not flagged).
- A human label always wins over the classifier: a trigger skips any
  update that would give a labelled article a ``match`` other than its
  label, whatever code path re-classifies the article.
- Corrections (/koreksi) set a story's facts and lock them: later reports
  never overwrite a locked field (``stories.locked`` holds field → value and
  is re-applied after every grouping update). The channel message is edited
  (a ``correct:<n>`` outbox row). ``gabung`` moves another story's reports
  into this one (the other story stays only as a hidden tombstone, so its
  id is never reused); ``pisah`` moves one report
  out into a story of its own.
- Every decision and correction is in ``audit`` (who, when, before → after).
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from .store import Store, now_iso

log = logging.getLogger("pantau.editorial")

KIND_REVIEW = "review"     # to the editors: a new story, with ✅ ❌ ✏️
KIND_GREY = "grey"         # to the editors: "Mungkin relevan?" for an unflagged near miss
KIND_RETRACT = "retract"   # to the channel: delete (or edit) the story's message
KIND_CORRECT = "correct"   # to the channel: edit the story's message after a correction (kind "correct:<n>")
EDITOR_KINDS = (KIND_REVIEW, KIND_GREY)
HELD = "held"
AUTO_USER = "otomatis"

# /koreksi field names (Indonesian, as typed) → stories columns
FIELDS = {"perusahaan": "company", "jumlah": "jobs_cut", "persen": "percent", "negara": "country",
          "atribusi": "attribution"}
ATTRIBUTIONS = ("explicit", "attributed", "disputed")


class EditorialError(ValueError):
    """A request that cannot be done; the message is Indonesian and shown to the editor."""


# -- schema -------------------------------------------------------------------------------------

def migrate(db) -> None:
    """Migration 011_editorial (re-runnable)."""
    cols = {r[1] for r in db.execute("PRAGMA table_info(stories)").fetchall()}
    for name, decl in (("retracted", "INTEGER NOT NULL DEFAULT 0"), ("review", "TEXT"),
                       ("reviewed_by", "TEXT"), ("reviewed_at", "TEXT"), ("locked", "TEXT"),
                       ("score", "REAL")):
        if name not in cols:
            db.execute(f"ALTER TABLE stories ADD COLUMN {name} {decl}")
    cols = {r[1] for r in db.execute("PRAGMA table_info(articles)").fetchall()}
    for name, decl in (("label", "INTEGER"), ("label_by", "TEXT"), ("label_at", "TEXT")):
        if name not in cols:
            db.execute(f"ALTER TABLE articles ADD COLUMN {name} {decl}")
    db.execute("""CREATE TABLE IF NOT EXISTS decisions (
        target TEXT PRIMARY KEY, decision TEXT NOT NULL, user_id TEXT, user_name TEXT, at TEXT NOT NULL)""")
    db.execute("""CREATE TABLE IF NOT EXISTS audit (
        id INTEGER PRIMARY KEY, at TEXT NOT NULL, user_id TEXT, user_name TEXT, action TEXT NOT NULL,
        story_id INTEGER, article_id INTEGER, before TEXT, after TEXT)""")
    db.execute("CREATE INDEX IF NOT EXISTS idx_audit_story ON audit(story_id, id)")
    db.execute("CREATE INDEX IF NOT EXISTS idx_articles_labelled ON articles(label_at) WHERE label IS NOT NULL")
    db.execute("CREATE INDEX IF NOT EXISTS idx_articles_grey ON articles(score) WHERE match = 0")
    # the label wins: an update that would give a labelled article another verdict is skipped
    # (BEFORE + RAISE(IGNORE): no nested update, so the FTS triggers on `match` stay consistent)
    db.execute("DROP TRIGGER IF EXISTS articles_label_wins")
    db.execute("""CREATE TRIGGER articles_label_wins BEFORE UPDATE OF match ON articles
        WHEN NEW.label IS NOT NULL AND NEW.match IS NOT NEW.label
        BEGIN SELECT RAISE(IGNORE); END""")


# -- settings -----------------------------------------------------------------------------------

def mode(settings) -> str:
    value = (settings.get("PANTAU_REVIEW") or "after").strip().lower() if settings is not None else "off"
    return value if value in ("after", "before", "off") else "after"


def reviewer_chats(settings) -> list[str]:
    if settings is None:
        return []
    chat = settings.get("PANTAU_REVIEW_CHAT")
    if chat:
        return [str(chat).strip()]
    try:
        return [str(i) for i in sorted(settings.admin_ids)]
    except Exception:  # noqa: BLE001 - a malformed list is reported elsewhere
        return []


def _float(settings, name: str, default: float) -> float:
    try:
        return float(settings.get(name) or default)
    except (TypeError, ValueError):
        return default


# -- queueing (called by crawler.outbox.enqueue_alerts) -------------------------------------------

def story_state(store: Store, story_id: int | None) -> dict | None:
    if not story_id:
        return None
    row = store.db.execute("SELECT retracted, review FROM stories WHERE id = ?", [story_id]).fetchone()
    return {"retracted": row[0], "review": row[1]} if row else None


def absorb_if_retracted(store: Store, art: dict) -> bool:
    """A flagged report of a retracted story joins it silently: labelled 0 (so never alerted,
    searchable only as unflagged). Inside the caller's write."""
    state = story_state(store, art.get("story_id"))
    if not state or not state["retracted"]:
        return False
    _label(store, "id = ?", [art["id"]], 0, AUTO_USER)
    return True


def alert_status(store: Store, settings, art: dict, chat: str) -> str | None:
    """Status for a new alert row: 'pending', 'held' (before-mode, not approved yet) or None
    (the story was retracted: nothing is queued)."""
    state = story_state(store, art.get("story_id"))
    if state and state["retracted"]:
        return None
    if mode(settings) == "before" and not (state and state["review"] == "approved"):
        return HELD
    return "pending"


def queue_review(store: Store, settings, art: dict, now: str) -> int:
    """Queue the story's review message for the editors (once per story); inside the caller's write."""
    if mode(settings) == "off" or not art.get("story_id"):
        return 0
    state = story_state(store, art["story_id"])
    if not state or state["retracted"] or state["review"]:
        return 0
    exists = store.db.execute(
        "SELECT 1 FROM alerts a JOIN articles ar ON ar.id = a.article_id WHERE ar.story_id = ? AND a.kind = ? "
        "LIMIT 1", [art["story_id"], KIND_REVIEW]).fetchone()
    if exists:
        return 0
    n = 0
    for chat in reviewer_chats(settings):
        cur = store.db.execute("INSERT OR IGNORE INTO alerts (article_id, chat_id, kind, status, created) "
                               "VALUES (?, ?, ?, 'pending', ?)", [art["id"], chat, KIND_REVIEW, now])
        n += cur.rowcount or 0
    store.db.execute("UPDATE stories SET score = MAX(COALESCE(score, 0), ?) WHERE id = ?",
                     [art.get("score") or 0, art["story_id"]])
    return n


def queue_grey(store: Store, settings, max_age_hours: float | None = None, limit: int = 50) -> int:
    """Queue "Mungkin relevan?" for unflagged near misses not asked about yet; returns rows queued."""
    if settings is None or mode(settings) == "off":
        return 0
    chats = reviewer_chats(settings)
    if not chats:
        return 0
    low = _float(settings, "PANTAU_GREY_MIN", 0.35)
    since = None
    if max_age_hours:
        since = (datetime.now(timezone.utc) - timedelta(hours=max_age_hours)).replace(microsecond=0).isoformat()
    rows = store.db.execute(
        "SELECT a.id FROM articles a WHERE a.match = 0 AND a.score >= ? AND a.label IS NULL "
        "AND (? IS NULL OR COALESCE(a.published, a.fetched) >= ?) "
        "AND NOT EXISTS (SELECT 1 FROM alerts x WHERE x.article_id = a.id AND x.kind = ?) "
        "ORDER BY a.id DESC LIMIT ?", [low, since, since, KIND_GREY, limit]).fetchall()
    if not rows:
        return 0
    n = 0
    now = now_iso()
    with store.write():
        for (article_id,) in rows:
            for chat in chats:
                cur = store.db.execute("INSERT OR IGNORE INTO alerts (article_id, chat_id, kind, status, created) "
                                       "VALUES (?, ?, ?, 'pending', ?)", [article_id, chat, KIND_GREY, now])
                n += cur.rowcount or 0
    return n


# -- decisions ----------------------------------------------------------------------------------

@dataclass
class Decision:
    won: bool
    decision: str
    user_name: str
    at: str
    effects: str = ""


def _user(user_id, user_name) -> tuple[str, str]:
    return str(user_id) if user_id is not None else "", (user_name or str(user_id or "?"))[:64]


def _audit(store: Store, action: str, user_id, user_name, story_id=None, article_id=None,
           before=None, after=None) -> int:
    uid, name = _user(user_id, user_name)
    return store.db.execute(
        "INSERT INTO audit (at, user_id, user_name, action, story_id, article_id, before, after) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [now_iso(), uid, name, action, story_id, article_id,
         json.dumps(before, ensure_ascii=False) if before is not None else None,
         json.dumps(after, ensure_ascii=False) if after is not None else None]).lastrowid


def _claim(store: Store, target: str, decision: str, user_id, user_name) -> Decision:
    uid, name = _user(user_id, user_name)
    at = now_iso()
    cur = store.db.execute("INSERT OR IGNORE INTO decisions (target, decision, user_id, user_name, at) "
                           "VALUES (?, ?, ?, ?, ?)", [target, decision, uid, name, at])
    if cur.rowcount:
        return Decision(True, decision, name, at)
    row = store.db.execute("SELECT decision, user_name, at FROM decisions WHERE target = ?", [target]).fetchone()
    return Decision(False, row[0], row[1], row[2])


def existing_decision(store: Store, target: str) -> Decision | None:
    row = store.db.execute("SELECT decision, user_name, at FROM decisions WHERE target = ?", [target]).fetchone()
    return Decision(False, row[0], row[1], row[2]) if row else None


def _label(store: Store, where: str, params: list, label: int, user_name: str) -> None:
    store.db.execute(f"UPDATE articles SET label = ?, label_by = ?, label_at = ? WHERE {where}",
                     [label, user_name, now_iso(), *params])
    store.db.execute(f"UPDATE articles SET match = ? WHERE {where}", [label, *params])


def _story(store: Store, story_id: int) -> dict:
    rows = list(store.db.query("SELECT * FROM stories WHERE id = ?", [story_id]))
    if not rows:
        raise EditorialError(f"Peristiwa #{story_id} tidak ditemukan.")
    return rows[0]


def _channel_message(store: Store, settings, story_id: int) -> tuple[int, int] | None:
    """(article_id, message_id) of the story's sent channel alert, if any."""
    channel = str(settings.channel_id) if settings is not None and settings.channel_id else None
    if not channel:
        return None
    row = store.db.execute(
        "SELECT a.article_id, a.message_id FROM alerts a JOIN articles ar ON ar.id = a.article_id "
        "WHERE ar.story_id = ? AND a.chat_id = ? AND a.kind = 'alert' AND a.status = 'sent' "
        "AND a.message_id IS NOT NULL ORDER BY a.id LIMIT 1", [story_id, channel]).fetchone()
    return (row[0], row[1]) if row else None


def approve_story(store: Store, settings, story_id: int, user_id, user_name) -> Decision:
    with store.write():
        _story(store, story_id)
        d = _claim(store, f"story:{story_id}", "approve", user_id, user_name)
        if not d.won:
            return d
        store.db.execute("UPDATE stories SET review = 'approved', reviewed_by = ?, reviewed_at = ? WHERE id = ?",
                         [d.user_name, d.at, story_id])
        _label(store, "story_id = ?", [story_id], 1, d.user_name)
        released = store.db.execute(
            "UPDATE alerts SET status = 'pending' WHERE status = ? AND article_id IN "
            "(SELECT id FROM articles WHERE story_id = ?)", [HELD, story_id]).rowcount
        _audit(store, "approve", user_id, user_name, story_id=story_id, after={"released": released})
        d.effects = f"{released} peringatan dilepas" if released else ""
        return d


def retract_story(store: Store, settings, story_id: int, user_id, user_name, action: str = "retract") -> Decision:
    with store.write():
        story = _story(store, story_id)
        d = _claim(store, f"story:{story_id}", "reject", user_id, user_name)
        if not d.won:
            return d
        _retract(store, settings, story, user_id, user_name, action)
        return d


def _retract(store: Store, settings, story: dict, user_id, user_name, action: str) -> None:
    story_id = story["id"]
    store.db.execute("UPDATE stories SET retracted = 1, review = 'rejected', reviewed_by = ?, reviewed_at = ? "
                     "WHERE id = ?", [_user(user_id, user_name)[1], now_iso(), story_id])
    _label(store, "story_id = ?", [story_id], 0, _user(user_id, user_name)[1])
    cancelled = store.db.execute(
        "UPDATE alerts SET status = 'cancelled', last_error = 'dicabut redaksi' WHERE status IN ('pending', ?) "
        "AND kind NOT IN (?, ?) AND article_id IN (SELECT id FROM articles WHERE story_id = ?)",
        [HELD, KIND_REVIEW, KIND_GREY, story_id]).rowcount
    msg = _channel_message(store, settings, story_id)
    if msg:
        store.db.execute("INSERT OR IGNORE INTO alerts (article_id, chat_id, kind, status, created) "
                         "VALUES (?, ?, ?, 'pending', ?)", [msg[0], str(settings.channel_id), KIND_RETRACT,
                                                            now_iso()])
    _audit(store, action, user_id, user_name, story_id=story_id,
           before={"retracted": 0}, after={"retracted": 1, "alerts_cancelled": cancelled,
                                           "channel_message": "dicabut" if msg else None})


def decide_grey(store: Store, settings, article_id: int, approve: bool, user_id, user_name) -> Decision:
    from .stories import assign_story

    with store.write():
        row = store.db.execute("SELECT id FROM articles WHERE id = ?", [article_id]).fetchone()
        if not row:
            raise EditorialError(f"Artikel #{article_id} tidak ditemukan.")
        d = _claim(store, f"article:{article_id}", "approve" if approve else "reject", user_id, user_name)
        if not d.won:
            return d
        _label(store, "id = ?", [article_id], 1 if approve else 0, d.user_name)
        if approve:  # an editor's yes is a publication decision: no second review in before-mode
            store.db.execute("UPDATE articles SET alert_decided = NULL WHERE id = ?", [article_id])
        _audit(store, "grey_approve" if approve else "grey_reject", user_id, user_name, article_id=article_id,
               after={"label": 1 if approve else 0})
    if approve:
        story_id = assign_story(store, article_id)
        if story_id:
            with store.write():
                store.db.execute("UPDATE stories SET review = 'approved', reviewed_by = ?, reviewed_at = ? "
                                 "WHERE id = ? AND review IS NULL", [d.user_name, d.at, story_id])
                store.db.execute("INSERT OR IGNORE INTO decisions (target, decision, user_id, user_name, at) "
                                 "VALUES (?, 'approve', ?, ?, ?)", [f"story:{story_id}", *_user(user_id, user_name),
                                                                     d.at])
        from .outbox import enqueue_alerts

        enqueue_alerts(store, settings, [article_id])
    return d


def expire_held(store: Store, settings, now: datetime | None = None) -> tuple[int, int]:
    """Before-mode: publish or drop stories held longer than PANTAU_REVIEW_TIMEOUT; (published, dropped)."""
    if settings is None:
        return 0, 0
    hours = _float(settings, "PANTAU_REVIEW_TIMEOUT", 12)
    auto = _float(settings, "PANTAU_REVIEW_AUTO_SCORE", 0.9)
    cutoff = ((now or datetime.now(timezone.utc)) - timedelta(hours=hours)).replace(microsecond=0).isoformat()
    rows = store.db.execute(
        "SELECT DISTINCT ar.story_id FROM alerts a JOIN articles ar ON ar.id = a.article_id "
        "WHERE a.status = ? AND a.created <= ? AND ar.story_id IS NOT NULL", [HELD, cutoff]).fetchall()
    published = dropped = 0
    for (story_id,) in rows:
        with store.write():
            story = _story(store, story_id)
            score = story.get("score")
            if score is None:
                score = store.db.execute("SELECT MAX(score) FROM articles WHERE story_id = ?", [story_id]).fetchone()[0]
            if (score or 0) >= auto:
                d = _claim(store, f"story:{story_id}", "approve", None, AUTO_USER)
                if not d.won:
                    continue
                store.db.execute("UPDATE stories SET review = 'approved', reviewed_by = ?, reviewed_at = ? "
                                 "WHERE id = ?", [AUTO_USER, d.at, story_id])
                n = store.db.execute("UPDATE alerts SET status = 'pending' WHERE status = ? AND article_id IN "
                                     "(SELECT id FROM articles WHERE story_id = ?)", [HELD, story_id]).rowcount
                _audit(store, "publish_timeout", None, AUTO_USER, story_id=story_id,
                       after={"score": score, "released": n})
                log.info("story %s published after the review timeout (score %.2f ≥ %.2f)", story_id, score, auto)
                published += 1
            else:
                d = _claim(store, f"story:{story_id}", "drop", None, AUTO_USER)
                if not d.won:
                    continue
                n = store.db.execute("UPDATE alerts SET status = 'cancelled', last_error = 'tidak ditinjau' "
                                     "WHERE status = ? AND article_id IN (SELECT id FROM articles WHERE story_id = ?)",
                                     [HELD, story_id]).rowcount
                store.db.execute("UPDATE stories SET review = 'dropped', reviewed_by = ?, reviewed_at = ? "
                                 "WHERE id = ?", [AUTO_USER, d.at, story_id])
                _audit(store, "drop_timeout", None, AUTO_USER, story_id=story_id,
                       after={"score": score, "cancelled": n})
                log.info("story %s dropped after the review timeout (score %.2f < %.2f)", story_id, score or 0, auto)
                dropped += 1
    return published, dropped


# -- corrections --------------------------------------------------------------------------------

_NUM = re.compile(r"^\d[\d.,]*$")


def parse_number(text: str, percent: bool = False) -> float | int:
    t = text.strip().rstrip("%")
    if not _NUM.match(t):
        raise EditorialError(f"'{text}' bukan angka.")
    if percent:
        return float(t.replace(",", "."))
    t = t.replace(".", "").replace(",", "")
    return int(t)


def parse_correction(args: list[str]) -> dict:
    """``perusahaan=Fiverr jumlah=250 persen=30 negara=Israel atribusi=explicit`` → {column: value}.
    Values may contain spaces: "perusahaan=Bank Sentosa Jaya jumlah=40"."""
    text = " ".join(args)
    parts = re.split(r"\s*\b(" + "|".join(FIELDS) + r")\s*=\s*", " " + text)
    if len(parts) < 3 or parts[0].strip():
        raise EditorialError("Format: /koreksi <id> perusahaan=… jumlah=… persen=… negara=… atribusi=…")
    out: dict = {}
    for key, raw in zip(parts[1::2], parts[2::2]):
        value = raw.strip()
        col = FIELDS[key]
        if value in ("", "-", "kosong"):
            out[col] = None
        elif col == "jobs_cut":
            out[col] = parse_number(value)
        elif col == "percent":
            out[col] = parse_number(value, percent=True)
            if not 0 < out[col] <= 100:
                raise EditorialError("persen harus di antara 0 dan 100.")
        elif col == "attribution":
            if value.lower() not in ATTRIBUTIONS:
                raise EditorialError("atribusi harus explicit, attributed atau disputed.")
            out[col] = value.lower()
        else:
            out[col] = value[:120]
    return out


def correct_story(store: Store, settings, story_id: int, changes: dict, user_id, user_name) -> dict:
    """Set and lock facts; queue the channel edit. Returns {"before": …, "after": …}."""
    if not changes:
        raise EditorialError("Tidak ada yang dikoreksi.")
    with store.write():
        story = _story(store, story_id)
        if story.get("retracted"):
            raise EditorialError(f"Peristiwa #{story_id} sudah dicabut.")
        before = {c: story.get(c) for c in changes}
        locked = json.loads(story.get("locked") or "{}")
        locked.update(changes)
        sets = dict(changes)
        if "company" in changes:
            from .stories import company_key

            sets["company_key"] = company_key(changes["company"]) if changes["company"] else None
            companies = json.loads(story.get("companies") or "[]")
            if changes["company"]:  # the editor names the company: a wrong name ("Sebanyak") goes away
                companies = [changes["company"]]
            sets["companies"] = json.dumps(companies, ensure_ascii=False)
            locked["companies"] = sets["companies"]
            locked["company_key"] = sets["company_key"]
        sets["locked"] = json.dumps(locked, ensure_ascii=False)
        sets["updated"] = now_iso()
        store.db.execute(f"UPDATE stories SET {', '.join(f'{c} = ?' for c in sets)} WHERE id = ?",
                         [*sets.values(), story_id])
        audit_id = _audit(store, "correct", user_id, user_name, story_id=story_id, before=before, after=changes)
        msg = _channel_message(store, settings, story_id)
        if msg:
            store.db.execute("INSERT OR IGNORE INTO alerts (article_id, chat_id, kind, status, created) "
                             "VALUES (?, ?, ?, 'pending', ?)",
                             [msg[0], str(settings.channel_id), f"{KIND_CORRECT}:{audit_id}", now_iso()])
    return {"before": before, "after": changes}


def reapply_locks(store: Store, story_id: int) -> None:
    """Called after grouping changed a story: human-corrected fields win again (inside the write)."""
    row = store.db.execute("SELECT locked FROM stories WHERE id = ?", [story_id]).fetchone()
    if not row or not row[0]:
        return
    locked = json.loads(row[0])
    allowed = {"company", "company_key", "companies", "jobs_cut", "percent", "country", "attribution"}
    sets = {k: v for k, v in locked.items() if k in allowed}
    if sets:
        store.db.execute(f"UPDATE stories SET {', '.join(f'{c} = ?' for c in sets)}, grown = 0 WHERE id = ?",
                         [*sets.values(), story_id])


def merge_stories(store: Store, story_id: int, other_id: int, user_id, user_name) -> dict:
    if story_id == other_id:
        raise EditorialError("Tidak bisa menggabungkan peristiwa dengan dirinya sendiri.")
    with store.write():
        story, other = _story(store, story_id), _story(store, other_id)
        moved = [r[0] for r in store.db.execute("SELECT id FROM articles WHERE story_id = ?", [other_id])]
        store.db.execute("UPDATE articles SET story_id = ? WHERE story_id = ?", [story_id, other_id])
        store.db.execute(
            "UPDATE stories SET article_count = (SELECT COUNT(*) FROM articles WHERE story_id = ?), "
            "first_reported = MIN(first_reported, ?), last_reported = MAX(last_reported, ?), updated = ? WHERE id = ?",
            [story_id, other["first_reported"], other["last_reported"], now_iso(), story_id])
        # the merged story stays as a tombstone (never shown: retracted = 1, review 'merged'; never a
        # grouping candidate: no company key, title or dates in any window), so its id is never given
        # to a new story and its audit trail and decision stay its own
        store.db.execute("UPDATE stories SET retracted = 1, review = 'merged', company_key = NULL, title = NULL, "
                         "article_count = 0, first_reported = '0000', last_reported = '0000', updated = ? "
                         "WHERE id = ?", [now_iso(), other_id])
        _audit(store, "merge", user_id, user_name, story_id=story_id,
               before={"stories": [story_id, other_id], "other": {k: other.get(k) for k in
                                                                  ("company", "jobs_cut", "title")}},
               after={"story": story_id, "articles_moved": moved})
        _audit(store, "merged_into", user_id, user_name, story_id=other_id, after={"story": story_id})
    return {"moved": moved}


def split_article(store: Store, story_id: int, article_id: int, user_id, user_name) -> int:
    with store.write():
        _story(store, story_id)
        rows = list(store.db.query("SELECT * FROM articles WHERE id = ? AND story_id = ?", [article_id, story_id]))
        if not rows:
            raise EditorialError(f"Artikel #{article_id} bukan bagian dari peristiwa #{story_id}.")
        n = store.db.execute("SELECT COUNT(*) FROM articles WHERE story_id = ?", [story_id]).fetchone()[0]
        if n < 2:
            raise EditorialError(f"Peristiwa #{story_id} hanya punya satu berita; tidak ada yang dipisah.")
        art = rows[0]
        from .stories import company_key

        companies = json.loads(art.get("companies") or "[]")
        when = art.get("published") or art.get("fetched")
        stamp = now_iso()
        new_id = store.db.execute(
            "INSERT INTO stories (company, company_key, companies, jobs_cut, percent, country, title, first_reported, "
            "last_reported, article_count, grown, created, updated, review, reviewed_by, reviewed_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 0, ?, ?, 'approved', ?, ?)",
            [companies[0] if companies else None, company_key(companies[0]) if companies else None,
             json.dumps(companies, ensure_ascii=False), art.get("jobs_cut"), art.get("percent"), art.get("country"),
             art.get("title"), when, when, stamp, stamp, _user(user_id, user_name)[1], stamp]).lastrowid
        store.db.execute("UPDATE articles SET story_id = ? WHERE id = ?", [new_id, article_id])
        store.db.execute("UPDATE stories SET article_count = article_count - 1, updated = ? WHERE id = ?",
                         [stamp, story_id])
        _audit(store, "split", user_id, user_name, story_id=story_id, article_id=article_id,
               before={"story": story_id}, after={"story": new_id})
        _audit(store, "split_from", user_id, user_name, story_id=new_id, article_id=article_id,
               after={"from": story_id})
    return new_id


# -- reading ------------------------------------------------------------------------------------

AUDIT_SQL = "SELECT * FROM audit WHERE (? IS NULL OR story_id = ?) ORDER BY id"


def audit_rows(store: Store, story_id: int | None = None) -> list[dict]:
    rows = [dict(r) for r in store.db.query(AUDIT_SQL, [story_id, story_id])]
    for r in rows:
        for k in ("before", "after"):
            r[k] = json.loads(r[k]) if r.get(k) else None
    return rows


def labels_export(store: Store, facts: bool = False) -> list[dict]:
    """Editors' labels in the dev-set JSON Lines format; ``facts`` = corrected facts as regression cases."""
    if facts:
        out = []
        for s in store.db.query("SELECT * FROM stories WHERE locked IS NOT NULL ORDER BY id"):
            locked = json.loads(s["locked"] or "{}")
            first = list(store.db.query("SELECT id, url, title, text FROM articles WHERE story_id = ? "
                                        "ORDER BY COALESCE(published, fetched), id LIMIT 1", [s["id"]]))
            if not first:
                continue
            a = first[0]
            row = {"id": f"story-{s['id']}", "url": a["url"], "title": a["title"], "text": a["text"] or "",
                   "label": 1, "event": f"story-{s['id']}"}
            row["companies"] = json.loads(locked["companies"]) if "companies" in locked else \
                json.loads(s["companies"] or "[]")
            for col, key in (("jobs_cut", "jobs_cut"), ("percent", "percent"), ("country", "country"),
                             ("attribution", "attribution")):
                row[key] = locked.get(col, s.get(col))
            out.append(row)
        return out
    rows = store.db.query(
        "SELECT id, url, title, text, summary, label, companies, jobs_cut, story_id, label_by, label_at "
        "FROM articles WHERE label IS NOT NULL ORDER BY label_at, id")
    out = []
    for r in rows:
        out.append({"id": f"label-{r['id']}", "url": r["url"], "title": r["title"],
                    "text": r["text"] or r["summary"] or "", "label": int(r["label"]),
                    "category": "editor", "companies": json.loads(r["companies"] or "[]") if r["label"] else [],
                    "jobs_cut": r["jobs_cut"] if r["label"] else None,
                    "event": f"story-{r['story_id']}" if r["story_id"] else f"article-{r['id']}",
                    "labelled_by": r["label_by"], "labelled_at": r["label_at"]})
    return out


def with_story_facts(store: Store, article: dict) -> dict:
    """The article as alerts show it: a story's human-corrected facts replace the article's own."""
    story_id = article.get("story_id")
    if not story_id:
        return article
    row = store.db.execute("SELECT locked FROM stories WHERE id = ?", [story_id]).fetchone()
    if not row or not row[0]:
        return article
    locked = json.loads(row[0])
    out = dict(article)
    if "companies" in locked:
        out["companies"] = locked["companies"]
    for col in ("jobs_cut", "percent", "country", "attribution"):
        if col in locked:
            out[col] = locked[col]
    return out
