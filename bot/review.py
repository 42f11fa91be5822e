"""Editors in the loop, the Telegram half: review messages, their buttons, /koreksi and /riwayat.

The database half is ``crawler.editorial`` (decisions, retraction, corrections,
audit); ``bot.deliver`` sends what this module renders.

Rules
- Review messages (outbox kind ``review``) show the story id, title, link,
  the evidence sentence ("Kenapa:"), the score, the story's facts and what the
  review mode means, with the buttons ✅ Benar / ❌ Bukan / ✏️ Koreksi. Their
  callback data names the story: ``rv:<story id>:a|r|e``. Grey-zone messages
  (kind ``grey``, "Mungkin relevan?") carry ``gz:<article id>:a|r``.
- A press counts only when (1) the presser is an admin (PANTAU_ADMIN_IDS;
  others are told "Hanya redaksi yang bisa meninjau.") and (2) the pressed
  message IS the review/grey message of that story/article, as recorded in
  the outbox (same chat, same message_id, same target). A forged callback
  naming another story is refused and changes nothing.
- The first decision wins (``crawler.editorial``); a later press, by anyone,
  is answered "Sudah ditinjau oleh <nama> …". After a decision every review
  message of the target is edited to show the decision and who made it,
  without buttons. Effects (released or cancelled alerts, the retraction of
  the channel message) are committed with the decision; the bot then starts
  a delivery run at once, and ``pantau send`` / the service deliver whatever
  a killed bot left pending — exactly once, like alerts.
- ✏️ answers with a /koreksi line prefilled with the current facts, to copy,
  edit and send. /koreksi, /riwayat are for admins only.
- Database work runs in worker threads (``bot.commands._db``), never on the
  event loop.
"""

from __future__ import annotations

import logging
import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from crawler import editorial
from crawler.dates import format_wib
from crawler.editorial import EditorialError
from crawler.store import Store

from . import format as fmt

log = logging.getLogger("pantau.review")

CB_STORY = re.compile(r"rv:(\d{1,12}):([are])")
CB_GREY = re.compile(r"gz:(\d{1,12}):([ar])")

NOT_EDITOR = "Hanya redaksi yang bisa meninjau."
FORGED = "Tombol ini tidak berlaku untuk pesan ini."
ONLY_EDITORS_CMD = "Maaf, perintah ini hanya untuk redaksi (admin Pantau PHK)."
RETRACTED_NOTE = ("🚫 <b>Dicabut redaksi</b>\n"
                  "Peringatan ini ditarik karena ternyata bukan berita PHK karena AI.")
KOREKSI_USAGE = (
    "Cara memakai /koreksi:\n"
    "<code>/koreksi &lt;id&gt; perusahaan=Fiverr jumlah=250 persen=30 negara=Israel atribusi=explicit</code>\n"
    "— isi hanya kolom yang salah; <code>kosong</code> mengosongkan kolom; atribusi: explicit, "
    "attributed atau disputed.\n"
    "<code>/koreksi &lt;id&gt; gabung &lt;id2&gt;</code> — gabungkan peristiwa &lt;id2&gt; ke &lt;id&gt;\n"
    "<code>/koreksi &lt;id&gt; pisah &lt;id artikel&gt;</code> — pisahkan satu berita menjadi peristiwa sendiri\n"
    "&lt;id&gt; adalah nomor peristiwa di pesan tinjauan (Peristiwa #12) dan di "
    "<code>pantau export --events</code>.")
RIWAYAT_USAGE = "Tulis nomor peristiwanya, misalnya <code>/riwayat 12</code>."
ADMIN_HELP = (
    "\n\n<b>Untuk redaksi (admin)</b>\n"
    "✅ Benar / ❌ Bukan / ✏️ Koreksi di pesan tinjauan — setujui, cabut, atau koreksi peristiwa\n"
    "/koreksi &lt;id&gt; perusahaan=… jumlah=… persen=… negara=… atribusi=… — koreksi fakta; "
    "juga <code>gabung &lt;id2&gt;</code> dan <code>pisah &lt;id artikel&gt;</code>\n"
    "/riwayat &lt;id&gt; — siapa memutuskan atau mengoreksi apa, kapan\n"
    "/status — kesehatan crawler dan antrean; /uji &lt;teks&gt; — uji klasifikasi")

FIELD_WORDS = {v: k for k, v in editorial.FIELDS.items()}  # stories column → /koreksi word
ATTRIBUTION_WORDS = fmt.ATTRIBUTION_WORDS


# -- rendering (also used by bot.deliver) ---------------------------------------------------------

def _num(value, digits: int = 2) -> str:
    return "-" if value is None else f"{float(value):.{digits}f}".replace(".", ",")


def _story_row(store: Store, story_id) -> dict | None:
    if not story_id:
        return None
    rows = list(store.db.query("SELECT * FROM stories WHERE id = ?", [story_id]))
    return dict(rows[0]) if rows else None


def _story_facts(story: dict | None, article: dict) -> dict:
    """The facts an editor reviews: the story's (corrected) facts, else the article's."""
    facts = {}
    companies = fmt._list((story or {}).get("companies")) or fmt._list(article.get("companies"))
    facts["company"] = (story or {}).get("company") or (companies[0] if companies else None)
    facts["companies"] = companies
    for col in ("jobs_cut", "percent", "country", "attribution"):
        value = (story or {}).get(col)
        facts[col] = value if value is not None else article.get(col)
    return facts


def facts_lines(facts: dict) -> list[str]:
    companies = [str(c) for c in facts.get("companies") or [] if str(c).strip()]
    company = ", ".join(fmt.clip(c, 60) for c in companies[:4]) if companies else (facts.get("company") or "-")
    jobs = fmt.fmt_int(facts["jobs_cut"]) if facts.get("jobs_cut") is not None else "-"
    pct = fmt.fmt_percent(facts["percent"]) if facts.get("percent") is not None else "-"
    attribution = facts.get("attribution")
    who = ATTRIBUTION_WORDS.get(str(attribution or ""))
    return [f"🏢 Perusahaan: {fmt.esc(company)}",
            f"👥 Jumlah: {jobs} karyawan · Persen: {pct}",
            f"🌍 Negara: {fmt.esc(facts.get('country') or '-')}",
            f"🔎 Atribusi: {fmt.esc(attribution or '-')}" + (f" ({fmt.esc(who)})" if who else "")]


def _mode_note(settings) -> str:
    mode = editorial.mode(settings)
    if mode == "before":
        hours = settings.get("PANTAU_REVIEW_TIMEOUT") or "12"
        auto = _num(settings.get("PANTAU_REVIEW_AUTO_SCORE") or 0.9)
        return (f"<i>Belum terbit. Kanal dan pelanggan menerimanya setelah ✅ Benar ditekan. Tanpa tinjauan dalam "
                f"{fmt.esc(hours)} jam, peristiwa ini terbit otomatis bila skornya minimal {auto}; "
                f"selain itu dibuang.</i>")
    return ("<i>Sudah terbit di kanal. ❌ Bukan: cabut dari kanal, daftar peristiwa, ekspor, feed, "
            "dan statistik.</i>")


def _article_head(article: dict) -> list[str]:
    outlet = article.get("outlet") or article.get("source") or "?"
    lines = [f"<b>{fmt.esc(fmt.clip(article.get('title') or '(tanpa judul)', 300))}</b>",
             f"📰 {fmt.esc(fmt.clip(outlet, 80))} · 🕒 {fmt.esc(format_wib(article.get('published') or article.get('fetched')))}"]
    url = str(article.get("url") or "")
    if url:
        lines.append(f"🔗 {fmt.esc(url[:1500])}")
    return lines


def _why(article: dict) -> str:
    why = fmt.reasons_line(dict(article, attribution=None))
    return why or "<i>Kenapa:</i> -"


def review_text(store: Store, settings, article: dict) -> str:
    """The editors' message for a new story (HTML)."""
    story = _story_row(store, article.get("story_id"))
    sid = article.get("story_id")
    lines = [f"📝 <b>Tinjau peristiwa #{sid}</b>", ""] + _article_head(article)
    lines += ["", _why(article), f"📈 Skor: {_num(article.get('score'))}", ""]
    lines += facts_lines(_story_facts(story, article))
    if story and (story.get("article_count") or 0) > 1:
        lines.append(f"🗂 {story['article_count']} berita dalam peristiwa ini")
    lines += ["", _mode_note(settings)]
    return fmt.fit(lines)


def grey_text(store: Store, settings, article: dict) -> str:
    """"Mungkin relevan?" for an unflagged near miss (HTML)."""
    lines = ["🤔 <b>Mungkin relevan?</b>",
             f"Artikel #{article['id']} tidak ditandai sebagai PHK karena AI, tetapi skornya "
             f"{_num(article.get('score'))} — dekat ambang.", ""] + _article_head(article)
    body = fmt.lead(article, 300)
    if body:
        lines += ["", fmt.esc(body)]
    lines += ["", _why(article), "",
              "<i>✅ Benar: terbitkan sebagai peringatan biasa. ❌ Bukan: tandai bukan PHK karena AI. "
              "Keduanya dicatat sebagai label untuk melatih pengklasifikasi.</i>"]
    return fmt.fit(lines)


def story_keyboard(story_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton("✅ Benar", callback_data=f"rv:{story_id}:a"),
                                  InlineKeyboardButton("❌ Bukan", callback_data=f"rv:{story_id}:r"),
                                  InlineKeyboardButton("✏️ Koreksi", callback_data=f"rv:{story_id}:e")]])


def grey_keyboard(article_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton("✅ Benar", callback_data=f"gz:{article_id}:a"),
                                  InlineKeyboardButton("❌ Bukan", callback_data=f"gz:{article_id}:r")]])


def render_editor_message(store: Store, settings, kind: str, article: dict):
    """(html, keyboard) for an outbox row of kind ``review`` or ``grey``; with the decision footer
    and no keyboard when the target was decided already."""
    if kind == editorial.KIND_GREY:
        target, text, keyboard = f"article:{article['id']}", grey_text(store, settings, article), \
            grey_keyboard(article["id"])
    else:
        target, text, keyboard = f"story:{article.get('story_id')}", review_text(store, settings, article), \
            story_keyboard(article.get("story_id"))
    decided = editorial.existing_decision(store, target)
    if decided is not None:
        return text + "\n\n" + decision_line(kind, decided), None
    return text, keyboard


def decision_line(kind: str, d) -> str:
    who, when = fmt.esc(d.user_name), fmt.esc(format_wib(d.at))
    if kind == editorial.KIND_GREY:
        if d.decision == "approve":
            return f"✅ <b>Benar</b> — diterbitkan sebagai peringatan oleh {who}, {when}"
        return f"❌ <b>Bukan</b> — ditandai bukan PHK karena AI oleh {who}, {when}"
    if d.decision == "approve" and d.user_name == editorial.AUTO_USER:
        return f"⏱ <b>Tidak ditinjau</b> — terbit otomatis, {when}"
    if d.decision == "approve":
        return f"✅ <b>Benar</b> — disetujui oleh {who}, {when}"
    if d.decision == "drop":
        return f"⏱ <b>Tidak ditinjau</b> — dibuang otomatis, {when}"
    return f"❌ <b>Bukan</b> — dicabut oleh {who}, {when}"


def decision_word(d) -> str:
    return {"approve": "✅ Benar", "reject": "❌ Bukan", "drop": "dibuang otomatis"}.get(d.decision, d.decision)


def channel_message_id(store: Store, alert: dict) -> int | None:
    """The channel message a ``retract``/``correct:<n>`` row acts on: the sent ``alert`` of the same
    article in the same chat."""
    row = store.db.execute(
        "SELECT message_id FROM alerts WHERE article_id = ? AND chat_id = ? AND kind = 'alert' "
        "AND status = 'sent' AND message_id IS NOT NULL ORDER BY id LIMIT 1",
        [alert["article_id"], alert["chat_id"]]).fetchone()
    return row[0] if row else None


def retract_late_alert(store: Store, settings, alert: dict, sent_html: str | None = None) -> str | None:
    """A channel alert that was in flight when an editor decided (the decision found no sent
    message to act on): queue its ``retract`` when the story was retracted, or its
    ``correct:<n>`` when a correction came after it was rendered (``sent_html`` differs from the
    story as it is now). Returns the kind queued, or None."""
    from crawler.store import now_iso

    from .format import format_story
    from crawler.outbox import story_siblings

    with store.write():
        row = store.db.execute("SELECT s.id, s.retracted, s.locked FROM articles a JOIN stories s "
                               "ON s.id = a.story_id WHERE a.id = ?", [alert["article_id"]]).fetchone()
        if not row:
            return None
        story_id, retracted, locked = row
        kind = None
        if retracted:
            kind = editorial.KIND_RETRACT
        elif locked and sent_html is not None:
            article = store.article(alert["article_id"])
            now = format_story(editorial.with_story_facts(store, article),
                               story_siblings(store, story_id, article["id"]))
            last = store.db.execute("SELECT MAX(id) FROM audit WHERE story_id = ? AND action = 'correct'",
                                    [story_id]).fetchone()[0]
            if now != sent_html and last:
                kind = f"{editorial.KIND_CORRECT}:{last}"
        if kind is None:
            return None
        cur = store.db.execute("INSERT OR IGNORE INTO alerts (article_id, chat_id, kind, status, created) "
                               "VALUES (?, ?, ?, 'pending', ?)", [alert["article_id"], alert["chat_id"], kind,
                                                                  now_iso()])
    if not cur.rowcount:
        return None
    log.warning("story of article %s was %s while its channel alert was being sent; the message follows",
                alert["article_id"], "retracted" if kind == editorial.KIND_RETRACT else "corrected")
    return kind


def plain_note(store: Store, alert: dict) -> str:
    """Dry run: one line for a retraction or correction row."""
    article = store.article(alert["article_id"]) or {}
    sid = article.get("story_id")
    if alert["kind"] == editorial.KIND_RETRACT:
        return f"(retraction: the channel message of story #{sid} is deleted or marked 'Dicabut redaksi')"
    return f"(correction: the channel message of story #{sid} is edited to the corrected facts and reports)"


# -- bindings and decisions (worker threads) -----------------------------------------------------

def bound(store: Store, kind: str, chat_id, message_id: int, target: int, chat_username: str | None = None) -> bool:
    """Is (chat, message) the review/grey message of this story/article, as the outbox sent it?
    (PANTAU_REVIEW_CHAT may name the chat by its @username.)"""
    names = [str(chat_id)] + ([f"@{chat_username}"] if chat_username else [])
    row = store.db.execute(
        "SELECT a.article_id, ar.story_id FROM alerts a LEFT JOIN articles ar ON ar.id = a.article_id "
        f"WHERE a.kind = ? AND a.chat_id COLLATE NOCASE IN ({', '.join('?' * len(names))}) "
        "AND a.message_id = ? AND a.status = 'sent'",
        [kind, *names, int(message_id)]).fetchall()
    for article_id, story_id in row:
        if (kind == editorial.KIND_GREY and article_id == target) or \
                (kind == editorial.KIND_REVIEW and story_id == target):
            return True
    return False


def _decide(store: Store, settings, kind: str, target: int, action: str, user_id, user_name):
    if kind == editorial.KIND_GREY:
        return editorial.decide_grey(store, settings, target, action == "a", user_id, user_name)
    if action == "a":
        return editorial.approve_story(store, settings, target, user_id, user_name)
    return editorial.retract_story(store, settings, target, user_id, user_name)


def _editor_messages(store: Store, settings, kind: str, target: int) -> list[tuple[str, int, str]]:
    """Every sent review/grey message of a target with its re-rendered text (decision footer)."""
    if kind == editorial.KIND_GREY:
        sql = ("SELECT chat_id, message_id, article_id FROM alerts WHERE kind = ? AND article_id = ? "
               "AND status = 'sent' AND message_id IS NOT NULL")
    else:
        sql = ("SELECT a.chat_id, a.message_id, a.article_id FROM alerts a JOIN articles ar ON ar.id = a.article_id "
               "WHERE a.kind = ? AND ar.story_id = ? AND a.status = 'sent' AND a.message_id IS NOT NULL")
    out = []
    for chat, mid, article_id in store.db.execute(sql, [kind, target]).fetchall():
        article = store.article(article_id)
        if article:
            out.append((chat, mid, render_editor_message(store, settings, kind, article)[0]))
    return out


def correction_template(store: Store, story_id: int) -> str:
    story = _story_row(store, story_id)
    if story is None:
        raise EditorialError(f"Peristiwa #{story_id} tidak ditemukan.")
    if story.get("retracted"):
        raise EditorialError(f"Peristiwa #{story_id} sudah dicabut; tidak ada yang perlu dikoreksi.")
    facts = _story_facts(story, {})
    parts = [f"/koreksi {story_id}"]
    values = {"company": facts.get("company"), "jobs_cut": facts.get("jobs_cut"),
              "percent": facts.get("percent"), "country": facts.get("country"),
              "attribution": facts.get("attribution")}
    for col, value in values.items():
        if value is None or value == "":
            shown = "kosong"
        elif col == "jobs_cut":
            shown = str(int(value))
        elif col == "percent":
            shown = f"{float(value):g}"
        else:
            shown = str(value)
        parts.append(f"{FIELD_WORDS[col]}={shown}")
    return ("✏️ Salin baris ini, ubah yang salah, lalu kirim:\n<code>" + fmt.esc(" ".join(parts)) + "</code>\n"
            "Kolom yang dikoreksi tidak akan ditimpa oleh berita berikutnya.")


# -- Telegram handlers ---------------------------------------------------------------------------

def _admin(context, user) -> bool:
    try:
        return bool(user and user.id in context.bot_data["settings"].admin_ids)
    except Exception:  # noqa: BLE001 - a malformed list: nobody is an editor
        return False


def _name(user) -> str:
    if user is None:
        return "?"
    return (user.full_name or (f"@{user.username}" if user.username else str(user.id)))[:64]


async def _db(context, fn, *args):
    from .commands import _db as run

    return await run(context, fn, *args)


def _deliver_soon(context) -> None:
    """Start a delivery run now (released alerts, the retraction, the channel edit)."""
    from .commands import _store
    from .deliver import deliver_pending

    settings = context.bot_data["settings"]

    async def run() -> None:
        try:
            report = await deliver_pending(settings, store=_store(context), bot=context.bot)
            log.info("after an editor's decision: %s", report.summary())
        except Exception as exc:  # noqa: BLE001 - pantau send / the service deliver it later
            log.warning("delivery after an editor's decision failed: %s",
                        settings.redact(f"{type(exc).__name__}: {exc}"))

    if context.application.running:  # shutting down: pantau send / the next start delivers it
        context.application.create_task(run())


async def _edit_quietly(bot, chat_id, message_id: int, text: str) -> None:
    try:
        await bot.edit_message_text(chat_id=chat_id, message_id=message_id, text=text, parse_mode=ParseMode.HTML,
                                    reply_markup=None, link_preview_options=fmt_no_preview())
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            log.info("review message %s in chat %s not edited: %s", message_id, chat_id, exc)
    except TelegramError as exc:
        log.info("review message %s in chat %s not edited: %s", message_id, chat_id, type(exc).__name__)


def fmt_no_preview():
    from telegram import LinkPreviewOptions

    return LinkPreviewOptions(is_disabled=True)


async def on_review_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    cq = update.callback_query
    data = cq.data or ""
    m = CB_STORY.fullmatch(data)
    kind = editorial.KIND_REVIEW
    if m is None:
        m = CB_GREY.fullmatch(data)
        kind = editorial.KIND_GREY
    if m is None:
        await cq.answer(FORGED, show_alert=True)
        return
    user = cq.from_user
    if not _admin(context, user):
        await cq.answer(NOT_EDITOR, show_alert=True)
        return
    target, action = int(m.group(1)), m.group(2)
    msg = cq.message
    if msg is None or not await _db(context, bound, kind, msg.chat.id, msg.message_id, target, msg.chat.username):
        log.warning("refused a review button %r from %s: not the review message of that target", data, user.id)
        await cq.answer(FORGED, show_alert=True)
        return
    settings = context.bot_data["settings"]
    if action == "e":
        try:
            template = await _db(context, correction_template, target)
        except EditorialError as exc:
            await cq.answer(str(exc), show_alert=True)
            return
        await cq.answer()
        await msg.reply_text(template, parse_mode=ParseMode.HTML)
        return
    try:
        d = await _db(context, _decide, settings, kind, target, action, user.id, _name(user))
    except EditorialError as exc:
        await cq.answer(str(exc), show_alert=True)
        return
    if d.won:
        done = {("review", "a"): "Disetujui. Terima kasih!",
                ("review", "r"): "Dicabut dari kanal dan semua daftar.",
                ("grey", "a"): "Diterbitkan sebagai peringatan.",
                ("grey", "r"): "Ditandai bukan PHK karena AI."}[(kind, action)]
        await cq.answer(done)
        _deliver_soon(context)
    elif d.user_name == editorial.AUTO_USER:  # the before-mode timeout decided
        await cq.answer(f"Sudah diputuskan otomatis karena tidak ditinjau tepat waktu "
                        f"({'terbit' if d.decision == 'approve' else 'dibuang'}, {format_wib(d.at)}).",
                        show_alert=True)
    else:
        await cq.answer(f"Sudah ditinjau oleh {d.user_name} ({decision_word(d)}, "
                        f"{format_wib(d.at)}).", show_alert=True)
    for chat, mid, text in await _db(context, _editor_messages, settings, kind, target):
        await _edit_quietly(context.bot, chat, mid, text)


# -- commands -------------------------------------------------------------------------------------

async def _reply(update: Update, text: str) -> None:
    await update.effective_message.reply_text(text, parse_mode=ParseMode.HTML, link_preview_options=fmt_no_preview())


def _args(update: Update) -> str:
    text = (update.effective_message.text or "") if update.effective_message else ""
    parts = text.split(None, 1)
    return parts[1].strip() if len(parts) > 1 else ""


def _value(col: str, value) -> str:
    if value is None or value == "":
        return "kosong"
    if col == "jobs_cut":
        return fmt.fmt_int(value)
    if col == "percent":
        return fmt.fmt_percent(value)
    return str(value)


def _changes_text(before: dict | None, after: dict | None) -> str:
    before, after = before or {}, after or {}
    parts = []
    for col, new in after.items():
        if col not in FIELD_WORDS:
            continue
        parts.append(f"{FIELD_WORDS[col]}: {_value(col, before.get(col))} → {_value(col, new)}")
    return "; ".join(parts)


def _queue_channel_refresh(store: Store, settings, story_id: int, moved: list[int]) -> bool:
    """After ``gabung``: an ``update`` row so the story's channel message lists the moved reports
    under "Juga diberitakan" (inside the caller's write). The other story's own channel message,
    if any, stays as it is."""
    if not moved or editorial._channel_message(store, settings, story_id) is None:
        return False
    from crawler.store import now_iso

    for article_id in moved:
        cur = store.db.execute("INSERT OR IGNORE INTO alerts (article_id, chat_id, kind, status, created) "
                               "VALUES (?, ?, 'update', 'pending', ?)", [article_id, str(settings.channel_id),
                                                                        now_iso()])
        if cur.rowcount:
            return True
    return False


def _queue_channel_reedit(store: Store, settings, story_id: int, action: str) -> bool:
    """After ``pisah``: re-render the story's channel message (a ``correct:<audit id>`` row, which
    the deliverer renders from the story as it is now: the split report leaves "Juga diberitakan")."""
    msg = editorial._channel_message(store, settings, story_id)
    last = store.db.execute("SELECT MAX(id) FROM audit WHERE story_id = ? AND action = ?",
                            [story_id, action]).fetchone()[0]
    if msg is None or not last:
        return False
    from crawler.store import now_iso

    cur = store.db.execute("INSERT OR IGNORE INTO alerts (article_id, chat_id, kind, status, created) "
                           "VALUES (?, ?, ?, 'pending', ?)", [msg[0], str(settings.channel_id),
                                                              f"{editorial.KIND_CORRECT}:{last}", now_iso()])
    return bool(cur.rowcount)


def _koreksi(store: Store, settings, text: str, user_id, user_name) -> str:
    m = re.fullmatch(r"#?(\d{1,12})(?:\s+(.*))?", text, re.S)
    if not m or not (m.group(2) or "").strip():
        raise EditorialError("Tulis nomor peristiwa dan koreksinya.")
    story_id, rest = int(m.group(1)), m.group(2).strip()
    words = rest.split()
    verb = words[0].lower()
    if verb in ("gabung", "pisah"):
        if verb == "gabung" and len(words) == 2 and re.fullmatch(r"#?\d{1,12}", words[1]):
            for sid in (story_id, int(words[1].lstrip("#"))):
                if (_story_row(store, sid) or {}).get("retracted"):
                    raise EditorialError(f"Peristiwa #{sid} sudah dicabut; peristiwa yang dicabut tidak digabung.")
        if len(words) != 2 or not re.fullmatch(r"#?\d{1,12}", words[1]):
            raise EditorialError(f"Setelah '{verb}' tulis satu nomor "
                                 f"{'peristiwa' if verb == 'gabung' else 'artikel'}.")
        other = int(words[1].lstrip("#"))
        if verb == "gabung":
            with store.write():  # the merge and the channel refresh commit together
                result = editorial.merge_stories(store, story_id, other, user_id, user_name)
                refreshed = _queue_channel_refresh(store, settings, story_id, result["moved"])
            return (f"🔗 Peristiwa #{other} digabung ke #{story_id} "
                    f"({len(result['moved'])} berita dipindah)."
                    + (" Pesan kanal peristiwa ini diperbarui." if refreshed else "")
                    + f" Lihat /riwayat {story_id}.")
        with store.write():  # the split and the channel refresh commit together
            new_id = editorial.split_article(store, story_id, other, user_id, user_name)
            refreshed = _queue_channel_reedit(store, settings, story_id, "split")
        return (f"✂️ Artikel #{other} dipisah dari peristiwa #{story_id} menjadi peristiwa #{new_id}."
                + (" Pesan kanal peristiwa ini diperbarui." if refreshed else ""))
    changes = editorial.parse_correction([rest])
    result = editorial.correct_story(store, settings, story_id, changes, user_id, user_name)
    channel = editorial._channel_message(store, settings, story_id)
    return (f"✏️ Peristiwa #{story_id} dikoreksi: {fmt.esc(_changes_text(result['before'], result['after']))}.\n"
            + ("Pesan di kanal sedang diperbarui. " if channel else "")
            + "Berita berikutnya tentang peristiwa ini tidak akan menimpa koreksi ini.")


async def cmd_koreksi(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if not _admin(context, update.effective_user):
        await _reply(update, ONLY_EDITORS_CMD)
        return
    text = _args(update)
    if not text:
        await _reply(update, KOREKSI_USAGE)
        return
    user = update.effective_user
    try:
        answer = await _db(context, _koreksi, context.bot_data["settings"], text, user.id, _name(user))
    except EditorialError as exc:
        await _reply(update, f"⚠️ {fmt.esc(str(exc))}\n\n{KOREKSI_USAGE}")
        return
    await _reply(update, answer)
    _deliver_soon(context)


ACTION_WORDS = {
    "approve": "✅ menyetujui (Benar)",
    "retract": "❌ mencabut (Bukan)",
    "correct": "✏️ mengoreksi",
    "publish_timeout": "⏱ terbit otomatis (tidak ditinjau)",
    "drop_timeout": "⏱ dibuang otomatis (tidak ditinjau)",
    "grey_approve": "✅ menerbitkan berita “mungkin relevan”",
    "grey_reject": "❌ menolak berita “mungkin relevan”",
}


def audit_line(row: dict) -> str:
    """One /riwayat line: when (WIB), who, what, before → after."""
    action = row.get("action") or "?"
    before, after = row.get("before") or {}, row.get("after") or {}
    if action == "merge":
        what = (f"🔗 menggabungkan peristiwa #{(before.get('stories') or ['?', '?'])[-1]} ke peristiwa ini "
                f"({len(after.get('articles_moved') or [])} berita)")
    elif action == "merged_into":
        what = f"🔗 menggabungkan peristiwa ini ke peristiwa #{after.get('story')}"
    elif action == "split":
        what = f"✂️ memisahkan artikel #{row.get('article_id')} menjadi peristiwa #{after.get('story')}"
    elif action == "split_from":
        what = f"✂️ memisahkan artikel #{row.get('article_id')} dari peristiwa #{after.get('from')} menjadi peristiwa ini"
    else:
        what = ACTION_WORDS.get(action, action)
    if action == "correct":
        detail = _changes_text(before, after)
    elif action == "retract":
        n = after.get("alerts_cancelled")
        detail = "tampil → dicabut" + (f"; {n} peringatan tertunda dibatalkan" if n else "")
    elif action == "approve":
        n = after.get("released")
        detail = f"{n} peringatan dilepas" if n else ""
    elif action in ("publish_timeout", "drop_timeout"):
        detail = f"skor {_num(after.get('score'))}"
    else:
        detail = ""
    return (f"• {fmt.esc(format_wib(row.get('at')))} — <b>{fmt.esc(row.get('user_name') or '?')}</b>: "
            f"{fmt.esc(what)}" + (f" — {fmt.esc(detail)}" if detail else ""))


def _riwayat(store: Store, story_id: int) -> str:
    rows = editorial.audit_rows(store, story_id)
    story = _story_row(store, story_id)
    if story is not None and story.get("created"):  # SQLite may reuse a merged story's id: not its past
        rows = [r for r in rows if (r.get("at") or "") >= story["created"]]
    if not rows:
        if story is None:
            return f"Peristiwa #{story_id} tidak ditemukan."
        return f"Belum ada keputusan atau koreksi untuk peristiwa #{story_id}."
    title = f" — {fmt.esc(fmt.clip(story.get('title') or '', 80))}" if story else " (sudah tidak ada)"
    state = ""
    if story is not None:
        state = " · <i>dicabut</i>" if story.get("retracted") else ""
    lines = [f"🗒 <b>Riwayat peristiwa #{story_id}</b>{title}{state}", ""]
    lines += [audit_line(r) for r in rows]
    return fmt.fit(lines)


async def cmd_riwayat(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if not _admin(context, update.effective_user):
        await _reply(update, ONLY_EDITORS_CMD)
        return
    m = re.fullmatch(r"#?(\d{1,12})", _args(update))
    if not m:
        await _reply(update, RIWAYAT_USAGE)
        return
    await _reply(update, await _db(context, _riwayat, int(m.group(1))))


def register_review_handlers(app: Application) -> None:
    """Register before ``bot.commands.register_handlers`` (its catch-all answers unknown commands)."""
    app.add_handler(CommandHandler("koreksi", cmd_koreksi))
    app.add_handler(CommandHandler("riwayat", cmd_riwayat))
    app.add_handler(CallbackQueryHandler(on_review_button, pattern=r"^(rv|gz):"))
