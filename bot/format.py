"""Telegram texts (HTML parse mode): alerts, digests, search results and command replies.

Rules: every dynamic value goes through ``esc`` (``html.escape`` with quotes);
only the tags Telegram accepts are produced (b, i, a, code); every text is at
most ``LIMIT`` characters (4096 is Telegram's limit for the parsed text; we
keep the HTML itself under it, which is stricter). Numbers use Indonesian
separators (14.000; 12,5%). ``to_plain`` turns any of these texts into plain
text (the fallback when Telegram refuses the HTML, and the dry-run output).
"""

from __future__ import annotations

import html
import re
from datetime import datetime, timezone

from crawler.dates import format_wib, parse_date, WIB
from crawler.search import short_date
from crawler.text import clip  # noqa: F401 - also used as fmt.clip by the bot's other modules

LIMIT = 4096
LEAD_CHARS = 300
TITLE_CHARS = 300
MONTHS_LONG = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
               "Oktober", "November", "Desember"]


def esc(value: object) -> str:
    """HTML-escaped, without characters XML 1.0 forbids (``crawler.xmlsafe``)."""
    from crawler.xmlsafe import xml_safe

    return html.escape(xml_safe("" if value is None else str(value)), quote=True)


def fmt_int(n: int | float | None) -> str:
    """14000 → '14.000'."""
    if n is None:
        return "?"
    return f"{int(round(n)):,}".replace(",", ".")


def fmt_percent(p: float | None) -> str:
    if p is None:
        return ""
    text = f"{p:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"




def lead(article: dict, limit: int = LEAD_CHARS) -> str:
    text = article.get("summary") or article.get("text") or ""
    title = (article.get("title") or "").strip()
    body = " ".join(text.split())
    if title and body.startswith(title):
        body = body[len(title):].lstrip(" .:-–")
    return clip(body, limit)


def _list(value) -> list:
    if value is None:
        return []
    if isinstance(value, str):
        import json
        try:
            value = json.loads(value)
        except ValueError:
            return [value]
    return list(value) if isinstance(value, (list, tuple)) else [value]


def facts_line(article: dict) -> str:
    """'🏢 Fiverr · 👥 250 karyawan (30%)' (HTML-escaped); '' when nothing is known."""
    parts = []
    companies = [str(c) for c in _list(article.get("companies")) if str(c).strip()]
    if companies:
        shown = ", ".join(clip(c, 60) for c in companies[:4])
        if len(companies) > 4:
            shown += f" +{len(companies) - 4}"
        parts.append("🏢 " + esc(shown))
    jobs, pct = article.get("jobs_cut"), article.get("percent")
    if jobs:
        people = f"👥 {fmt_int(jobs)} karyawan"
        if pct:
            people += f" ({fmt_percent(pct)})"
        parts.append(people)
    elif pct:
        parts.append(f"👥 {fmt_percent(pct)} karyawan")
    return " · ".join(parts)


ATTRIBUTION_WORDS = {
    "explicit": "diakui perusahaan",
    "attributed": "menurut media atau pengamat",
    "disputed": "diperdebatkan — AI disebut hanya dalih",
}


def reasons_line(article: dict, limit: int = 200) -> str:
    """*Kenapa:* the classifier's evidence sentence in quotes, and who links the cut to AI; for
    articles without one (classified before it existed), the reasons that link layoffs to AI."""
    evidence = " ".join(str(article.get("evidence") or "").split())
    if evidence:
        line = "<i>Kenapa:</i> “" + esc(clip(evidence, limit)) + "”"
        who = ATTRIBUTION_WORDS.get(str(article.get("attribution") or ""))
        if who:
            line += f"\n🔎 Kaitan dengan AI: {esc(who)}"
        return line
    reasons = [str(r) for r in _list(article.get("reasons")) if str(r).strip()]
    if not reasons:
        return ""
    # the reasons that tie layoffs to AI ("paragraf 1: PHK + AI …") explain the alert best
    linked = [r for r in reasons if "+" in r]
    ordered = linked + [r for r in reasons if r not in linked]
    return "<i>Kenapa:</i> " + esc(clip("; ".join(ordered[:3]), limit))


def format_alert(article: dict) -> str:
    """The alert message for one flagged article (HTML, ≤ 4096 characters)."""
    outlet = article.get("outlet") or article.get("source") or "?"
    when = format_wib(article.get("published") or article.get("fetched"))
    url = str(article.get("url") or "")

    def build(title_chars: int, lead_chars: int, url_chars: int) -> str:
        lines = ["🚨 <b>PHK karena AI</b>", "",
                 f"<b>{esc(clip(article.get('title') or '(tanpa judul)', title_chars))}</b>",
                 f"📰 {esc(clip(outlet, 80))} · 🕒 {esc(when)}"]
        facts = facts_line(article)
        if facts:
            lines.append(facts)
        body = lead(article, lead_chars) if lead_chars else ""
        if body:
            lines += ["", esc(body)]
        why = reasons_line(article)
        if why:
            lines += ["", why]
        if url:
            lines += ["", f"🔗 {esc(url[:url_chars])}"]
        return "\n".join(lines)

    text = build(TITLE_CHARS, LEAD_CHARS, 2000)
    if len(text) > LIMIT:
        text = build(150, 150, 1000)
    if len(text) > LIMIT:
        text = build(100, 0, 300)
    return text[:LIMIT]


def _also_line(sib: dict) -> str:
    name = esc(clip(sib.get("outlet") or sib.get("source") or "?", 60))
    url = str(sib.get("url") or "")
    if url.startswith(("http://", "https://")) and len(url) < 1500:
        return f'• <a href="{esc(url)}">{name}</a>: {esc(clip(sib.get("title") or "", 120))}'
    return f"• {name}: {esc(clip(sib.get('title') or '', 120))}"


def format_story(article: dict, siblings: list[dict] | None = None) -> str:
    """An alert plus the story's other reports under "Juga diberitakan:" (≤ 4096 characters).

    ``article`` is the story's first alerted article; ``siblings`` the later
    reports by other outlets (the channel message is edited as they arrive).
    """
    base = format_alert(article)
    siblings = [s for s in (siblings or []) if s.get("id") != article.get("id")]
    if not siblings:
        return base
    lines = [_also_line(s) for s in siblings]
    while lines:
        text = base + "\n\n<b>Juga diberitakan:</b>\n" + "\n".join(lines)
        if len(text) <= LIMIT:
            return text
        lines.pop()
    return base


def format_followup(article: dict, story: dict | None = None) -> str:
    """A one-time follow-up when a story grows (a job-cut figure became known)."""
    cut = (story or {}).get("jobs_cut") or article.get("jobs_cut")
    head = "📈 <b>Pembaruan</b>"
    if cut:
        head += f": kini {esc(fmt_int(cut))} karyawan terdampak"
    body = format_alert(article).replace("🚨 <b>PHK karena AI</b>", head, 1)
    return body[:LIMIT] if len(body) <= LIMIT else format_alert(article)


_TAG = re.compile(r"<[^>]*>")


def to_plain(text_html: str) -> str:
    """Strip tags and unescape entities (the plain-text fallback)."""
    return html.unescape(_TAG.sub("", text_html))[:LIMIT]


def fit(lines: list[str], limit: int = LIMIT, more: str = "…") -> str:
    """Join lines, dropping trailing ones (replaced by ``more``) to stay under ``limit``."""
    out: list[str] = []
    size = 0
    for i, line in enumerate(lines):
        if size + len(line) + 1 > limit - len(more) - 2:
            out.append(more)
            break
        out.append(line)
        size += len(line) + 1
    return "\n".join(out)


# -- lists ----------------------------------------------------------------------------------

def hit_lines(n: int, hit: dict) -> list[str]:
    title = esc(clip(hit.get("title") or "(tanpa judul)", 200))
    url = hit.get("url") or ""
    head = f'{n}. <a href="{esc(url)}">{title}</a>' if url.startswith(("http://", "https://")) else f"{n}. {title}"
    when = hit.get("published_short") or short_date(hit.get("published") or hit.get("fetched"))
    sub = f"   <i>{esc(hit.get('outlet') or hit.get('source') or '?')} · {esc(when)}</i>"
    facts = facts_line(hit)
    return [head, sub + (f"\n   {facts}" if facts else "")]


def format_search(query: str, total: int, hits: list[dict], page: int, per_page: int,
                  capped: bool = False) -> str:
    """``capped``: more than ``total`` articles match (the count stopped there): "lebih dari 1.000"."""
    pages = max(1, -(-total // per_page))
    count = f"lebih dari {fmt_int(total)}" if capped else fmt_int(total)
    head = (f"🔎 <b>{count} berita</b> untuk “{esc(clip(query, 80))}” "
            f"(hal. {page + 1}/{pages}{'+' if capped else ''}):")
    lines = [head, ""]
    for i, hit in enumerate(hits, start=page * per_page + 1):
        lines += hit_lines(i, hit)
    return fit(lines)


def format_no_results(query: str, examples: list[str] | None = None) -> str:
    """``examples``: words that do find something (``bot.commands.search_examples``); none → no hint."""
    text = f"🔎 Tidak ada berita PHK karena AI untuk “{esc(clip(query, 80))}”.\nCoba kata kunci lain"
    if examples:
        return text + ", misalnya: " + ", ".join(f"<code>{esc(e)}</code>" for e in examples) + "."
    return text + "."


def format_latest(rows: list[dict]) -> str:
    if not rows:
        return "Belum ada berita PHK karena AI yang tercatat. Coba lagi nanti."
    lines = [f"🆕 <b>{len(rows)} berita PHK karena AI terbaru</b>", ""]
    for i, row in enumerate(rows, start=1):
        lines += hit_lines(i, row)
    return fit(lines)


DIGEST_SQL = ("SELECT * FROM articles INDEXED BY idx_flagged_fetched WHERE match = 1 AND fetched >= ? "
              "ORDER BY COALESCE(published, fetched) DESC, id DESC")
"""The digest's articles: flagged, fetched since ? (the partial index reads only those)."""


def build_digest(store, since: str | datetime, keywords: list[str] | None = None,
                 cutoff: datetime | None = None) -> str:
    """Daily digest (HTML): flagged stories fetched since ``since`` (ISO or datetime),
    optionally only those matching ``keywords`` (same rule as alert subscriptions) and published
    after ``cutoff`` (``crawler.outbox.alert_cutoff``: no year-old stories). One line per story
    (``crawler.stories``), newest first, with the other outlets that reported it."""
    if isinstance(since, datetime):
        since_dt = since if since.tzinfo else since.replace(tzinfo=timezone.utc)
    else:  # an internal timestamp (not a page's date): taken as written, even in the future
        try:
            since_dt = datetime.fromisoformat(since)
            since_dt = since_dt if since_dt.tzinfo else since_dt.replace(tzinfo=timezone.utc)
        except (TypeError, ValueError):
            since_dt = parse_date(since) or datetime.fromtimestamp(0, timezone.utc)
    since_iso = since_dt.astimezone(timezone.utc).replace(microsecond=0).isoformat()
    from crawler.store import decode_article

    rows = [decode_article(r) for r in store.db.query(DIGEST_SQL, [since_iso])]
    if keywords:
        from crawler.outbox import keywords_match

        rows = [r for r in rows if keywords_match(keywords, r)]
    if cutoff is not None:
        from crawler.outbox import is_recent

        rows = [r for r in rows if is_recent(r, cutoff)]
    stories: dict[object, list[dict]] = {}
    for row in rows:  # newest first: each story is shown by its newest report
        stories.setdefault(row.get("story_id") or ("article", row["id"]), []).append(row)
    day = datetime.now(WIB)
    head = f"🗞 <b>Ringkasan harian PHK karena AI</b> — {day.day} {MONTHS_LONG[day.month - 1]} {day.year}"
    if not stories:
        return head + "\n\nTidak ada berita baru sejak ringkasan terakhir."
    count = f"{len(stories)} peristiwa PHK baru"
    if len(rows) > len(stories):
        count += f" (dari {len(rows)} berita)"
    lines = [head, count + ":", ""]
    for i, group in enumerate(stories.values(), start=1):
        row = group[0]
        row.setdefault("published_short", short_date(row.get("published") or row.get("fetched")))
        item = hit_lines(i, row)
        others = list(dict.fromkeys(str(r.get("outlet") or r.get("source") or "?") for r in group[1:]))
        others = [o for o in others if o != (row.get("outlet") or row.get("source"))]
        if others:
            shown = ", ".join(clip(o, 40) for o in others[:3]) + (f" +{len(others) - 3}" if len(others) > 3 else "")
            item[-1] += f"\n   <i>Juga diberitakan: {esc(shown)}</i>"
        lines += item
    return fit(lines, more=f"… dan lainnya (/terbaru)")


def month_label(ym: str) -> str:
    try:
        y, m = ym.split("-")
        return f"{MONTHS_LONG[int(m) - 1]} {y}"
    except (ValueError, IndexError):
        return ym


def format_stats(data: dict) -> str:
    lines = ["📊 <b>Statistik PHK karena AI</b>",
             f"Total berita: <b>{fmt_int(data.get('articles', data['total']))}</b> "
             f"tentang <b>{fmt_int(data['total'])}</b> peristiwa PHK"]
    if data.get("jobs_cut_total"):
        lines.append(f"Karyawan terdampak (jumlah yang disebut, tiap peristiwa sekali): "
                     f"{fmt_int(data['jobs_cut_total'])}")
    if not data["total"]:
        lines.append("\nBelum ada data.")
        return "\n".join(lines)
    lines += ["", "<b>Per bulan</b>"]
    lines += [f"• {esc(month_label(m))}: {fmt_int(n)}" for m, n in data["by_month"]]
    if data["top_companies"]:
        lines += ["", "<b>Perusahaan paling sering disebut</b>"]
        lines += [f"• {esc(clip(name, 60))}: {fmt_int(n)}" for name, n in data["top_companies"]]
    return fit(lines)


def when_short(iso: str | None) -> str:
    return format_wib(iso) if iso else "belum pernah"


def format_sources(view: dict | list[dict]) -> str:
    """/sumber for everyone: a short Indonesian state per source ("normal", "tidak bisa dihubungi
    sejak 09.12 WIB"), never raw error text (that stays in /status and ``pantau sources``).
    ``view`` is ``crawler.health.sources_overview`` (or just the source rows)."""
    from crawler.health import wib_id

    view = {"rows": view} if isinstance(view, list) else view
    rows = view.get("rows") or []
    if not rows:
        return "Belum ada sumber yang tercatat. Sumber muncul di sini setelah crawl pertama."
    ok = sum(1 for r in rows if r.get("last_success") and not r.get("consecutive_failures"))
    lines = [f"📡 <b>{len(rows)} sumber berita</b>, {ok} normal"]
    if view.get("all_failed"):
        nxt = view.get("next_crawl")
        lines.append("⚠️ Saat ini tidak ada sumber yang bisa dihubungi"
                     + (f"; dicoba lagi sekitar pukul {esc(wib_id(nxt))}." if nxt else "."))
    lines.append("")
    for r in rows:
        name = esc(clip(r.get("name") or "?", 60))
        if r.get("consecutive_failures"):
            since = r.get("failing_since") or r.get("last_error_at") or r.get("last_attempt")
            lines.append(f"⚠️ {name} — tidak bisa dihubungi" + (f" sejak {esc(wib_id(since))}" if since else ""))
        elif r.get("last_success"):
            lines.append(f"✅ {name} — normal")
        else:
            lines.append(f"⏳ {name} — belum pernah diambil")
    return fit(lines)


def format_status(data: dict) -> str:
    """/status for admins: ``crawler.health`` first (the same verdict as ``pantau status``), then
    the details (errors included)."""
    from crawler.health import wib_id

    lines = ["🛠 <b>Status Pantau PHK</b>"]
    health = data.get("health")
    if health is not None:
        if health.ok:
            lines.append("✅ Sehat: crawl berjalan, sumber menjawab, peringatan terkirim.")
        else:
            lines.append("❌ <b>Bermasalah</b>")
            lines += [f"• {esc(p.id)}" for p in health.problems]
        facts = health.facts
        if facts.get("next_crawl") and not any("crawl berikutnya" in p.id for p in health.problems):
            lines.append(f"Crawl berikutnya: sekitar {esc(wib_id(facts['next_crawl']))}")
        telegram = {"ok": "token diterima", "token rejected": "token DITOLAK (401)",
                    "unknown": "belum dicek"}.get(facts.get("telegram"), "tidak dipakai (tanpa token)")
        channel = facts.get("channel")
        lines.append(f"Telegram: {telegram}" + (f"; kanal: {esc('normal' if channel == 'ok' else channel)}"
                                                 if channel else ""))
        lines.append("")
    crawl = data.get("last_crawl")
    if crawl:
        lines.append(f"Crawl terakhir: {esc(when_short(crawl.get('started')))} — {esc(crawl.get('status'))}, "
                     f"{crawl.get('sources_ok') or 0} sumber ok, {crawl.get('sources_failed') or 0} gagal, "
                     f"{crawl.get('new_articles') or 0} artikel baru ({crawl.get('flagged') or 0} ditandai)"
                     + (f", {crawl['seconds']:.0f} dtk" if crawl.get("seconds") else ""))
        if crawl.get("error"):
            lines.append(f"Galat crawl: {esc(clip(crawl['error'], 200))}")
    else:
        lines.append("Crawl terakhir: belum pernah")
    arts = data.get("articles") or {}
    lines.append(f"Artikel: {fmt_int(arts.get('articles', 0))} ({fmt_int(arts.get('flagged', 0))} PHK karena AI)")
    lines.append(f"Peringatan: {data['pending']} tertunda, {data['failed']} gagal, {data['sent']} terkirim"
                 + (f" ({data['uncertain']} tidak pasti)" if data.get("uncertain") else ""))
    lines.append(f"Pelanggan aktif: {data['subscribers']} ({data['daily_subscribers']} harian)")
    failing = data.get("failing_sources") or []
    if failing:
        lines.append(f"Sumber bermasalah ({len(failing)} dari {data.get('sources_total', '?')}):")
        for s in failing[:20]:
            lines.append(f"• {esc(s['name'])}: gagal {s['consecutive_failures']}× — "
                         f"{esc(clip(s.get('last_error') or '', 80))}")
    else:
        lines.append("Sumber bermasalah: tidak ada")
    waiting = data.get("backing_off") or []
    if waiting:
        lines.append(f"Ditunda (back-off), {len(waiting)} sumber:")
        lines += [f"• {esc(w['name'])}: sampai {esc(wib_id(w['until']))}" for w in waiting[:20]]
    return fit(lines)


def format_verdict(verdict) -> str:
    """/uji's answer: the verdict, *Kenapa* (the same word and reasons as the channel alert), the
    evidence sentence, the facts, then every reason."""
    d = verdict.to_dict() if hasattr(verdict, "to_dict") else dict(verdict)
    mark = "✅ YA — PHK karena AI" if d.get("match") else "❌ TIDAK"
    lines = [f"🧪 <b>Hasil klasifikasi</b>: {mark}",
             f"Skor: {esc(format(d.get('score') or 0, '.2f')).replace('.', ',')}"]
    if d.get("evidence"):
        lines.append(f"Kalimat bukti: “{esc(clip(str(d['evidence']), 300))}”")
    companies = d.get("companies") or []
    lines.append("Perusahaan: " + (esc(", ".join(map(str, companies))) if companies else "-"))
    lines.append("Jumlah PHK: " + (fmt_int(d["jobs_cut"]) if d.get("jobs_cut") is not None else "-")
                 + (f" ({fmt_percent(d['percent'])})" if d.get("percent") is not None else ""))
    if d.get("country"):
        lines.append(f"Negara: {esc(d['country'])}")
    reasons = [str(r) for r in d.get("reasons") or [] if str(r).strip()]
    linked = [r for r in reasons if "+" in r]  # the channel alert's order: links to AI first
    ordered = linked + [r for r in reasons if r not in linked]
    lines.append("<i>Kenapa:</i>" if ordered else "<i>Kenapa:</i> -")
    lines += [f"• {esc(clip(r, 300))}" for r in ordered[:15]]
    return fit(lines)


def render_plain(article: dict) -> str:
    """The alert as plain text (dry runs, logs)."""
    return to_plain(format_alert(article))
