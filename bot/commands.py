"""Bot commands (Indonesian): /start /bantuan /cari /terbaru /langganan /berhenti /sumber
/statistik, admin-only /status and /uji, and a short hint for unknown commands.

Handlers read ``context.bot_data["settings"]`` and the shared ``Store`` from
``context.bot_data["store"]`` (see ``bot.app``). Every reply is HTML with all
user and article text escaped; /cari pages are edited in place by inline
buttons whose callback data is ``cari:<page>:<query id>`` (the query text is
kept in the ``chat_queries`` table, so buttons survive restarts).

Rules for hostile or careless input (issue 10):
- A saved /cari query belongs to the chat that searched; a callback naming
  another chat's query id is answered "kedaluwarsa", never with its results.
- ``/terbaru <n>`` takes ASCII digits only (1–10); anything else ("²", "٣",
  "-2", "lima") gets the usage line, never the generic error.
- In groups only the group's administrators (``getChatMember``: creator or
  administrator, or an anonymous admin posting as the group) may /langganan
  or /berhenti; other members are told so.
- Operator details (/status) are sent to the admin's private chat when asked
  in a group; the group only learns that they were sent.
"""

from __future__ import annotations

import asyncio
import logging
import re
import threading
from concurrent.futures import ThreadPoolExecutor

from telegram import (BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, Update)
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler, filters

from crawler import outbox
from crawler.search import MAX_QUERY, latest, search
from crawler.store import Store

from . import format as fmt

log = logging.getLogger("pantau.bot")

PER_PAGE = 5
LATEST_DEFAULT = 5
LATEST_MAX = 10
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)

PUBLIC_COMMANDS = [
    ("cari", "Cari berita PHK karena AI: /cari <kata kunci>"),
    ("terbaru", "Berita PHK karena AI terbaru"),
    ("langganan", "Atur langganan peringatan: kata kunci, harian, atau semua"),
    ("berhenti", "Berhenti berlangganan"),
    ("sumber", "Daftar sumber berita dan kesehatannya"),
    ("statistik", "Statistik per bulan dan perusahaan"),
    ("bantuan", "Cara memakai bot ini"),
]
ADMIN_COMMANDS = [
    ("status", "Status crawler dan antrean peringatan (admin)"),
    ("uji", "Uji klasifikasi sebuah teks (admin)"),
    ("koreksi", "Koreksi fakta, gabung atau pisah peristiwa (redaksi)"),
    ("riwayat", "Riwayat keputusan dan koreksi sebuah peristiwa (redaksi)"),
]

HELP = (
    "🤖 <b>Pantau PHK</b> memantau berita teknologi Indonesia dan menandai berita tentang "
    "<b>PHK karena AI</b> (pemutusan hubungan kerja yang dikaitkan dengan kecerdasan buatan/otomatisasi), "
    "lalu mengirim peringatan dalam hitungan menit.\n\n"
    "<b>Perintah</b>\n"
    "/cari &lt;kata kunci&gt; — cari berita{cari_example}\n"
    "/terbaru [jumlah] — berita terbaru (maks. 10)\n"
    "/langganan — berlangganan peringatan, atau lihat pengaturan langganan chat ini\n"
    "/langganan tambah &lt;kata&gt; / hapus &lt;kata&gt; — hanya berita yang memuat kata kunci, "
    "mis. <code>/langganan tambah bank</code>\n"
    "/langganan semua — semua berita, tanpa kata kunci\n"
    "/langganan harian — ringkasan sekali sehari, pukul {digest_hour} WIB "
    "(/langganan langsung untuk kembali)\n"
    "/berhenti — berhenti berlangganan\n"
    "/sumber — sumber berita dan kesehatannya\n"
    "/statistik — jumlah berita per bulan dan perusahaan yang paling sering disebut\n"
    "/bantuan — pesan ini\n\n"
    "Di grup, tambahkan nama bot: <code>/cari@{bot} &lt;kata kunci&gt;</code>."
)


# -- helpers --------------------------------------------------------------------------------------

def _settings(context: ContextTypes.DEFAULT_TYPE):
    return context.bot_data["settings"]


def _store(context: ContextTypes.DEFAULT_TYPE) -> Store:
    store = context.bot_data.get("store")
    if store is None:
        store = Store.open(_settings(context).db_path)
        outbox.ensure_schema(store)
        context.bot_data["store"] = store
    return store


# SQLite reads of command handlers run here, never on the event loop (a slow /cari must not keep
# the bot from answering others); each worker thread has its own connection to the same file (WAL).
_DB_THREADS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="pantau-db")
_thread_local = threading.local()


def _thread_store(path) -> Store:
    store = getattr(_thread_local, "store", None)
    if store is None or store.path != path:
        if store is not None:
            store.close()
        store = _thread_local.store = Store.open(path, migrate=False)
    return store


async def _db(context: ContextTypes.DEFAULT_TYPE, fn, *args):
    """``fn(store, *args)`` in a database worker thread; the event loop keeps serving other chats."""
    store = _store(context)
    if str(store.path) == ":memory:":  # an in-memory database has one connection: share it
        return await asyncio.to_thread(fn, store, *args)
    return await asyncio.get_running_loop().run_in_executor(
        _DB_THREADS, lambda: fn(_thread_store(store.path), *args))


def _args_text(update: Update) -> str:
    """Everything after the command word (keeps quotes and spacing)."""
    text = (update.effective_message.text or "") if update.effective_message else ""
    parts = text.split(None, 1)
    return parts[1].strip() if len(parts) > 1 else ""


async def _reply(update: Update, text: str, markup=None) -> None:
    await update.effective_message.reply_text(text, parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW,
                                              reply_markup=markup)


def _is_admin(update: Update, context) -> bool:
    user = update.effective_user
    try:
        return bool(user and user.id in _settings(context).admin_ids)
    except Exception:  # malformed PANTAU_ADMIN_IDS: nobody is admin
        return False


REFUSAL = "Maaf, perintah ini hanya untuk admin Pantau PHK."
GROUP_ADMINS_ONLY = "Maaf, di grup hanya admin grup yang bisa mengubah atau menghentikan langganan."
TERBARU_USAGE = ("Tulis /terbaru untuk 5 berita terbaru, atau /terbaru &lt;jumlah&gt; dengan angka 1–10, "
                 "misalnya <code>/terbaru 3</code>.")


async def _may_manage_subscription(update: Update, context) -> bool:
    """Private chats: yes. Groups: only the group's administrators (getChatMember) or an anonymous
    admin posting as the group; everyone else gets a refusal."""
    from telegram.constants import ChatMemberStatus
    from telegram.error import TelegramError

    chat, user, msg = update.effective_chat, update.effective_user, update.effective_message
    if chat is None or chat.type == "private":
        return True
    if msg is not None and msg.sender_chat is not None and msg.sender_chat.id == chat.id:
        return True  # an anonymous group admin
    if user is not None:
        try:
            member = await context.bot.get_chat_member(chat.id, user.id)
            if member.status in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER):
                return True
        except TelegramError as exc:
            log.warning("getChatMember failed for chat %s: %s", chat.id, type(exc).__name__)
    await _reply(update, GROUP_ADMINS_ONLY)
    return False


async def _reply_admin(update: Update, context, text: str) -> None:
    """Operator details (/status) go to the admin's private chat, never to a group's members."""
    from telegram.error import TelegramError

    chat, user = update.effective_chat, update.effective_user
    if chat is None or chat.type == "private" or user is None:
        await _reply(update, text)
        return
    try:
        await context.bot.send_message(chat_id=user.id, text=text, parse_mode=ParseMode.HTML,
                                       link_preview_options=NO_PREVIEW)
    except TelegramError:
        await _reply(update, "Status hanya dikirim lewat pesan pribadi. Buka chat pribadi dengan "
                             f"@{fmt.esc(context.bot.username or 'bot')}, kirim /start, lalu /status di sana.")
        return
    await _reply(update, "Status dikirim lewat pesan pribadi.")
UJI_EXAMPLE = "/uji Startup X PHK 200 karyawan karena AI"


def uji_input(text: str) -> tuple[str, str]:
    """/uji text → (title, body). Several lines: the first is the title, the rest the body. One
    sentence: it is both the headline and the lead (the headline without its final stop, so the
    classifier does not drop the lead as a repeated page header)."""
    text = text.strip()
    first, _, rest = text.partition("\n")
    if rest.strip():
        return first.strip()[:300], rest.strip()
    sentence = " ".join(first.split())
    title = sentence.rstrip(".!?… ")[:300]
    body = sentence if sentence[-1:] in ".!?…" else sentence + "."
    return title, body


# -- public commands ------------------------------------------------------------------------------

def search_examples(store: Store, n: int = 2) -> list[str]:
    """Hint examples for /cari: the companies with most layoff events that a search finds (none on a
    fresh archive, so no hint promises results that are not there)."""
    out: list[str] = []
    top = store.db.execute("SELECT MIN(company), COUNT(*) AS n FROM stories WHERE company IS NOT NULL "
                           "AND retracted = 0 AND company != '' GROUP BY lower(company) ORDER BY n DESC, MIN(company) LIMIT 8")
    for name, _count in top.fetchall():
        word = str(name).strip()
        if not word or len(word) > 30 or word in out:
            continue
        if search(store, word, limit=1, offset=0).total:
            out.append(word)
        if len(out) >= n:
            break
    return out


def _help_text(context, examples: list[str], admin: bool = False) -> str:
    example = f", mis. <code>/cari {fmt.esc(examples[0])}</code>" if examples else ""
    if admin:  # editors also see their commands (bot.review)
        from .review import ADMIN_HELP

        return _help_text(context, examples) + ADMIN_HELP
    return HELP.replace("{bot}", fmt.esc(context.bot.username or "bot")).replace("{cari_example}", example) \
        .replace("{digest_hour}", f"{int(_settings(context).number('PANTAU_DIGEST_HOUR')) % 24:02d}.00")


async def cmd_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _reply(update, "👋 Halo! " + _help_text(context, await _db(context, search_examples)))


async def cmd_help(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _reply(update, _help_text(context, await _db(context, search_examples), _is_admin(update, context)))


async def on_plain_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Text that is not a command, in a private chat: one line pointing to /cari."""
    msg = update.effective_message
    words = " ".join((msg.text or "").split()) if msg else ""
    if not words:
        return
    await _reply(update, f"Untuk mencari berita, ketik /cari lalu kata kuncinya, misalnya "
                         f"<code>/cari {fmt.esc(fmt.clip(words, 40))}</code>. Daftar perintah: /bantuan.")


def _search_page(store: Store, query: str, page: int, query_id: int | None = None, chat_id=None):
    result = search(store, query, limit=PER_PAGE, offset=page * PER_PAGE)
    if result.error:
        return fmt.esc(result.error), None
    if result.total and not result.hits and page > 0:  # page beyond the end (results shrank)
        page = max(0, (result.total - 1) // PER_PAGE)
        result = search(store, query, limit=PER_PAGE, offset=page * PER_PAGE)
    if not result.total:
        return fmt.format_no_results(query, search_examples(store)), None
    text = fmt.format_search(query, result.total, result.hits, page, PER_PAGE, capped=result.capped)
    pages = -(-result.total // PER_PAGE)
    if pages <= 1:
        return text, None
    if query_id is None:
        query_id = outbox.remember_query(store, query, chat_id)
    buttons = []
    if page > 0:
        buttons.append(InlineKeyboardButton("‹ Sebelumnya", callback_data=f"cari:{page - 1}:{query_id}"))
    if page + 1 < pages:
        buttons.append(InlineKeyboardButton("Berikutnya ›", callback_data=f"cari:{page + 1}:{query_id}"))
    return text, InlineKeyboardMarkup([buttons])


async def cmd_cari(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = _args_text(update)[:MAX_QUERY]
    if not query.strip():
        examples = await _db(context, search_examples)
        hint = "Tulis kata kunci setelah perintah"
        if examples:
            hint += ", misalnya:\n" + " atau ".join(f"<code>/cari {fmt.esc(e)}</code>" for e in examples)
        await _reply(update, hint + ("" if examples else "."))
        return
    text, markup = await _db(context, _search_page, query, 0, None, update.effective_chat.id)
    await _reply(update, text, markup)


async def on_search_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    cq = update.callback_query
    m = re.fullmatch(r"cari:(\d{1,4}):(\d{1,12})", cq.data or "")
    chat_id = cq.message.chat.id if cq.message is not None else "?"  # saved queries belong to their chat
    query = await _db(context, outbox.recall_query, int(m.group(2)), chat_id) if m else None
    if query is None:
        await cq.answer("Pencarian ini sudah kedaluwarsa. Ulangi dengan /cari.", show_alert=True)
        return
    text, markup = await _db(context, _search_page, query, int(m.group(1)), int(m.group(2)), chat_id)
    await cq.answer()
    try:
        await cq.edit_message_text(text, parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW,
                                   reply_markup=markup)
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise


async def cmd_terbaru(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    arg = _args_text(update).split()
    n = LATEST_DEFAULT
    if arg:
        if not re.fullmatch(r"[0-9]{1,3}", arg[0]) or int(arg[0]) == 0:  # ASCII digits only: "²" is no number
            await _reply(update, TERBARU_USAGE)
            return
        n = min(int(arg[0]), LATEST_MAX)
    await _reply(update, fmt.format_latest(await _db(context, latest, n)))


async def cmd_langganan(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if not await _may_manage_subscription(update, context):
        return
    from .subscriptions import langganan

    chat = update.effective_chat
    title = chat.title or chat.full_name or chat.username
    hour = int(_settings(context).number("PANTAU_DIGEST_HOUR"))
    await _reply(update, await _db(context, langganan, chat.id, title, _args_text(update), hour))


async def cmd_berhenti(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if not await _may_manage_subscription(update, context):
        return
    if outbox.unsubscribe(_store(context), update.effective_chat.id, reason="berhenti (/berhenti)"):
        text = "👋 Langganan dihentikan. Chat ini tidak akan menerima peringatan lagi. Aktifkan lagi dengan /langganan."
    else:
        text = "Chat ini tidak sedang berlangganan. Mulai dengan /langganan."
    await _reply(update, text)


async def cmd_sumber(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    from crawler.health import sources_overview

    await _reply(update, fmt.format_sources(await _db(context, sources_overview, _settings(context))))


async def cmd_statistik(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    from .chart import render_stats_png

    data = await _db(context, outbox.stats)
    await _reply(update, fmt.format_stats(data))
    try:
        png = await asyncio.to_thread(render_stats_png, data)
    except Exception:  # noqa: BLE001 - the text already answered; a chart bug must not break the command
        log.exception("statistics chart failed")
        return
    if png and update.effective_chat:
        await update.effective_chat.send_photo(photo=png, caption="Grafik PHK terkait AI per bulan dan "
                                                                  "perusahaan teratas")


# -- admin ----------------------------------------------------------------------------------------

async def cmd_status(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if not _is_admin(update, context):
        await _reply(update, REFUSAL)
        return
    await _reply_admin(update, context, fmt.format_status(await _db(context, _status_data, _settings(context))))


def _status_data(store: Store, settings) -> dict:
    """/status: the outbox's view plus ``crawler.health`` (the verdict `pantau status` gives)."""
    from crawler.health import backing_off, health

    data = outbox.status(store)
    data["health"] = health(store, settings)
    data["backing_off"] = backing_off(store)
    return data


async def cmd_uji(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if not _is_admin(update, context):
        await _reply(update, REFUSAL)
        return
    text = _args_text(update)[:20000]
    if not text.strip():
        await _reply(update, "Tulis teks yang ingin diuji setelah perintah: satu kalimat, atau judul di baris "
                             "pertama lalu isi berita. Misalnya:\n"
                             f"<code>{fmt.esc(UJI_EXAMPLE)}</code>")
        return
    from crawler.classify import classify

    title, body = uji_input(text)
    try:
        verdict = classify(title, body)
    except Exception as exc:  # noqa: BLE001 - show the admin what went wrong
        log.exception("classifier failed on /uji input")
        await _reply(update, f"Klasifikasi gagal: {fmt.esc(type(exc).__name__)}")
        return
    await _reply(update, fmt.format_verdict(verdict))


# -- unknown --------------------------------------------------------------------------------------

async def cmd_unknown(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    msg = update.effective_message
    if msg is None or not msg.text:
        return
    word = msg.text.split(None, 1)[0]
    target = word.split("@", 1)[1] if "@" in word else None
    me = (context.bot.username or "").lower()
    if target is not None and target.lower() != me:
        return  # a command for another bot
    if update.effective_chat.type != "private" and target is None:
        return  # in groups answer only commands addressed to us
    await _reply(update, f"Perintah {fmt.esc(fmt.clip(word, 40))} tidak dikenal. Lihat /bantuan.")


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    settings = context.bot_data.get("settings")
    err = context.error
    text = f"{type(err).__name__}: {err}"
    log.error("handler error: %s", settings.redact(text) if settings else text)
    if isinstance(update, Update) and update.effective_message and update.effective_chat:
        try:
            await update.effective_message.reply_text("Maaf, terjadi kesalahan. Coba lagi sebentar lagi.")
        except Exception:  # noqa: BLE001
            pass


_READ_ONLY = {cmd_cari, cmd_terbaru, cmd_sumber, cmd_statistik, cmd_status}


def register_handlers(app: Application) -> None:
    table = [
        (("start",), cmd_start), (("bantuan", "help"), cmd_help), (("cari",), cmd_cari),
        (("terbaru",), cmd_terbaru), (("langganan",), cmd_langganan), (("berhenti", "stop"), cmd_berhenti),
        (("sumber",), cmd_sumber), (("statistik",), cmd_statistik), (("status",), cmd_status),
        (("uji",), cmd_uji),
    ]
    for names, fn in table:
        # read-only commands run as their own tasks: a slow one never holds up the next update
        app.add_handler(CommandHandler(list(names), fn, block=fn not in _READ_ONLY))
    app.add_handler(CallbackQueryHandler(on_search_button, pattern=r"^cari:", block=False))
    app.add_handler(MessageHandler(filters.COMMAND, cmd_unknown))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE, on_plain_text))
    app.add_error_handler(on_error)


async def set_command_menu(bot, admin_ids: set[int] | None = None) -> None:
    """setMyCommands: the public menu, plus admin commands in each admin's private chat."""
    from telegram import BotCommandScopeChat

    await bot.set_my_commands([BotCommand(c, d) for c, d in PUBLIC_COMMANDS])
    for admin in sorted(admin_ids or ()):
        try:
            await bot.set_my_commands([BotCommand(c, d) for c, d in PUBLIC_COMMANDS + ADMIN_COMMANDS],
                                      scope=BotCommandScopeChat(admin))
        except Exception as exc:  # noqa: BLE001 - admin never talked to the bot yet
            log.info("admin menu not set for %s: %s", admin, type(exc).__name__)
