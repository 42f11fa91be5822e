"""/langganan: what a chat receives, changed one step at a time (replies in Indonesian, HTML).

A subscription has two independent parts — *which* alerts (keywords; none = all) and *how*
(every alert right away, or one daily digest at PANTAU_DIGEST_HOUR WIB):

- ``/langganan`` shows the chat's settings; a chat that is not subscribed is subscribed to
  every alert first (and told so).
- ``/langganan tambah kata…`` / ``/langganan hapus kata…`` add or remove keywords; removing
  the last one means every alert again (said so).
- ``/langganan semua`` clears the keywords (every alert), keeping the delivery mode.
- ``/langganan harian`` switches to the daily digest ("setiap hari pukul 07.00 WIB");
  ``/langganan langsung`` back to every alert right away. Both keep the keywords;
  ``/langganan harian kata…`` also replaces them.
- ``/langganan kata…`` replaces all keywords; the reply says so and names the previous ones —
  a replacement is never silent.

``langganan(store, chat_id, title, args, digest_hour)`` does the change and returns the reply;
it runs in a database worker thread (``bot.commands._db``). Group-admin checks live in
``bot.commands``.
"""

from __future__ import annotations

from crawler import outbox
from crawler.store import Store

from .format import esc

ADD = {"tambah", "tambahkan", "+"}
REMOVE = {"hapus", "buang", "-"}
ALL = {"semua"}
DAILY = {"harian"}
INSTANT = {"langsung"}


def hour_text(hour: int) -> str:
    return f"{int(hour) % 24:02d}.00 WIB"


def _kw_list(words: list[str]) -> str:
    return ", ".join(f"<code>{esc(w)}</code>" for w in words)


def describe(sub: dict | None, digest_hour: int) -> str:
    """The chat's settings, one fact a line."""
    if not sub or not sub.get("active"):
        return "Chat ini tidak sedang berlangganan. Mulai dengan /langganan."
    kws = sub.get("keywords") or []
    which = f"hanya yang memuat kata kunci {_kw_list(kws)}" if kws else "semua berita PHK karena AI (tanpa kata kunci)"
    how = (f"ringkasan harian, setiap hari pukul {hour_text(digest_hour)}" if sub.get("daily")
           else "setiap peringatan langsung dikirim")
    return f"📬 <b>Langganan chat ini</b>\nBerita: {which}\nPengiriman: {how}"


def how_to(digest_hour: int) -> str:
    return ("Ubah dengan:\n"
            "/langganan tambah &lt;kata&gt; — tambah kata kunci\n"
            "/langganan hapus &lt;kata&gt; — hapus kata kunci\n"
            "/langganan semua — semua berita, tanpa kata kunci\n"
            f"/langganan harian — ringkasan sekali sehari, pukul {hour_text(digest_hour)}\n"
            "/langganan langsung — setiap peringatan langsung\n"
            "/berhenti — berhenti berlangganan")


def langganan(store: Store, chat_id: int | str, title: str | None, args: str, digest_hour: int) -> str:
    words = outbox.parse_keywords(args)
    sub = outbox.get_subscriber(store, chat_id)
    active = bool(sub and sub.get("active"))
    keywords = list(sub["keywords"]) if active else []
    daily = bool(sub["daily"]) if active else False

    def save(kws: list[str], is_daily: bool) -> dict:
        return outbox.subscribe(store, chat_id, title=title, keywords=kws, daily=is_daily)

    if not words:
        if active:
            return describe(sub, digest_hour) + "\n\n" + how_to(digest_hour)
        new = save([], False)
        return ("✅ Langganan aktif: chat ini akan menerima setiap peringatan PHK karena AI.\n\n"
                + describe(new, digest_hour) + "\n\n" + how_to(digest_hour))

    verb, rest = words[0], words[1:]
    if verb in ADD or verb in REMOVE:
        if not rest:
            example = "bank" if verb in ADD else (keywords[0] if keywords else "bank")
            return f"Tulis kata kuncinya juga, misalnya <code>/langganan {esc(verb)} {esc(example)}</code>."
        if verb in ADD:
            added = [w for w in rest if w not in keywords]
            room = outbox.MAX_KEYWORDS - len(keywords)
            kept, dropped = added[:room], added[room:]
            new = save(keywords + kept, daily)
            lines = []
            if kept:
                lines.append(f"✅ Kata kunci ditambahkan: {_kw_list(kept)}.")
            already = [w for w in rest if w not in added]
            if already:
                lines.append(f"Sudah ada: {_kw_list(already)}.")
            if dropped:
                lines.append(f"Tidak ditambahkan (maksimal {outbox.MAX_KEYWORDS} kata kunci): {_kw_list(dropped)}.")
            if not active:
                lines.append("Langganan chat ini kini aktif.")
            return "\n".join(lines) + "\n\n" + describe(new, digest_hour)
        if not active:
            return "Chat ini tidak sedang berlangganan, jadi tidak ada kata kunci yang bisa dihapus. Mulai dengan /langganan."
        gone = [w for w in rest if w in keywords]
        missing = [w for w in rest if w not in keywords]
        remaining = [k for k in keywords if k not in gone]
        new = save(remaining, daily) if gone else sub
        lines = []
        if gone:
            lines.append(f"🗑 Kata kunci dihapus: {_kw_list(gone)}.")
        if missing:
            lines.append(f"Tidak ada di daftar: {_kw_list(missing)}.")
        if gone and not remaining:
            lines.append("Tidak ada kata kunci lagi, jadi chat ini menerima semua berita PHK karena AI.")
        return "\n".join(lines) + "\n\n" + describe(new, digest_hour)
    if verb in ALL and not rest:
        new = save([], daily)
        head = ("✅ Kata kunci dikosongkan: chat ini menerima semua berita PHK karena AI." if keywords else
                "✅ Chat ini menerima semua berita PHK karena AI.")
        return head + "\n\n" + describe(new, digest_hour)
    if verb in INSTANT and not rest:
        new = save(keywords, False)
        return "✅ Chat ini menerima setiap peringatan langsung saat berita terbit.\n\n" + describe(new, digest_hour)
    if verb in DAILY:
        replaced = bool(rest) and rest != keywords
        new = save(rest if rest else keywords, True)
        text = (f"✅ Chat ini menerima <b>ringkasan harian</b> setiap hari pukul {hour_text(digest_hour)}, "
                "bukan peringatan satu per satu.")
        if replaced:
            text += "\n" + _replaced_line(keywords, rest)
        return text + "\n\n" + describe(new, digest_hour)
    # anything else: the words are the new keyword list (replacing the old one, said explicitly)
    new = save(words, daily)
    text = "✅ " + _replaced_line(keywords, words) if active else \
        f"✅ Langganan aktif, hanya untuk berita yang memuat {_kw_list(words)}."
    return (text + "\nUntuk menambah tanpa mengganti: <code>/langganan tambah &lt;kata&gt;</code>.\n\n"
            + describe(new, digest_hour))


def _replaced_line(before: list[str], after: list[str]) -> str:
    if not before:
        return f"Sekarang hanya berita yang memuat {_kw_list(after)} (sebelumnya: semua berita)."
    return f"Kata kunci diganti: {_kw_list(before)} → {_kw_list(after)}."
