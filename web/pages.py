"""Page contexts and downloads, shared by the live site and the static build.

Each ``*_page`` function takes a ``Reader`` and ``Urls`` and returns
``(template name, context)``; the caller renders it with ``render.environment()``.
Downloads (CSV/JSON of an events view, CSV of search hits) stream rows in
the view's order. CSV cells that a spreadsheet would run as a formula
(leading ``= + - @``, tab or CR in a text field) get a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterator

from .queries import ATTRIBUTIONS, EventFilter, Reader, as_json, classifier_rules, evaluation
from .render import Urls, num, today_wib

EVENT_FIELDS = ["id", "first_reported", "company", "companies", "jobs_cut", "percent", "country", "attribution",
                "evidence", "last_reported", "article_count", "outlets", "links", "title", "url"]
ARTICLE_FIELDS = ["id", "published", "outlet", "title", "url", "story_id", "companies", "jobs_cut", "evidence"]
SITE_DESCRIPTION = ("Pelacak publik PHK yang dikaitkan dengan AI dan otomatisasi, seperti diberitakan media "
                    "Indonesia: tabel peristiwa, sumber, data terbuka.")


def page_links(page: int, pages: int) -> list[int | None]:
    """Page numbers to link: first, last and a window around ``page``; None marks a gap."""
    wanted = sorted({1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)})
    out: list[int | None] = []
    for p in wanted:
        if out and p - (out[-1] or 0) > 1:
            out.append(None)
        out.append(p)
    return out


def base_context(reader: Reader, urls: Urls, nav: str, title: str, description: str = SITE_DESCRIPTION,
                 canonical: str | None = None) -> dict:
    return {"urls": urls, "nav": nav, "title": title, "description": description, "canonical": canonical,
            "updated": reader.last_crawl(), "attributions": ATTRIBUTIONS, "today": today_wib()}


def home_page(reader: Reader, urls: Urls, canonical: str | None = None) -> tuple[str, dict]:
    counters = reader.counters()
    ctx = base_context(reader, urls, "home", "PHK terkait AI di media Indonesia",
                       f"{num(counters['events'])} peristiwa PHK terkait AI, {num(counters['jobs'])} karyawan "
                       f"terdampak menurut pemberitaan media Indonesia.", canonical)
    ctx.update(counters=counters, latest=reader.latest(8), months=reader.monthly(),
               companies=reader.top_companies(10))
    return "home.html", ctx


def events_page(reader: Reader, urls: Urls, f: EventFilter, canonical: str | None = None,
                page_rows: tuple[list[dict], int] | None = None) -> tuple[str, dict]:
    """The events table page; ``page_rows`` = (this page's rows, total) when the caller has them."""
    rows, total = page_rows if page_rows is not None else reader.events(f)
    pages = max(1, math.ceil(total / f.per))
    title = "Peristiwa" + (" (hasil saringan)" if f.filtered else "") + (f" — halaman {f.hal}" if f.hal > 1 else "")
    ctx = base_context(reader, urls, "events", title,
                       f"Tabel {num(total)} peristiwa PHK terkait AI: tanggal, perusahaan, jumlah, negara, "
                       f"atribusi dan sumber.", canonical)
    ctx.update(f=f, rows=rows, total=total, page=f.hal, pages=pages, page_links=page_links(f.hal, pages),
               first_n=(f.hal - 1) * f.per + 1 if rows else 0, last_n=(f.hal - 1) * f.per + len(rows),
               countries=reader.countries())
    return "events.html", ctx


def event_page(reader: Reader, urls: Urls, ev: dict, permalink: str) -> tuple[str, dict]:
    facts = [ev.get("company") or "Tren"]
    if ev.get("jobs_cut"):
        facts.append(f"{num(ev['jobs_cut'])} karyawan")
    facts.append(f"{len(ev['reports'])} berita")
    description = " · ".join(facts) + (f". {ev['evidence']}" if ev.get("evidence") else "")
    ctx = base_context(reader, urls, "events", ev["title"] or ev.get("company") or f"Peristiwa #{ev['id']}",
                       description[:300], permalink if permalink.startswith("http") else None)
    ctx.update(e=ev, permalink=permalink, og_type="article")
    return "event.html", ctx


def search_page(reader: Reader, urls: Urls, q: str, page: int, per: int = 20) -> tuple[str, dict]:
    result = reader.search(q, page, per) if q else {"total": 0, "hits": [], "error": None}
    ctx = base_context(reader, urls, "search", f"Cari: {q}" if q else "Cari berita")
    ctx.update(q=q, result=result, page=page, per=per, pages=max(1, math.ceil(result["total"] / per)))
    return "search.html", ctx


def method_page(reader: Reader, urls: Urls, canonical: str | None = None) -> tuple[str, dict]:
    ctx = base_context(reader, urls, "method", "Metodologi",
                       "Apa yang dihitung Pantau PHK, akurasi pengklasifikasi, sumber yang dipantau, cara mengutip "
                       "dan lisensi data.", canonical)
    try:
        from crawler.config import Settings

        settings = Settings()
    except Exception:  # a bad setting elsewhere must not take the page down
        settings = None
    ctx.update(rules=classifier_rules(), evaluation=evaluation(settings=settings), sources=reader.sources(),
               last_crawl=reader.last_crawl())
    return "method.html", ctx


# -- downloads ------------------------------------------------------------------------------

def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    text = str(value)
    if text and text[0] in "=+-@\t\r" and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def _event_record(ev: dict, permalink) -> dict:
    rec = as_json(ev)
    rec["url"] = permalink(ev["id"])
    return rec


def events_csv(reader: Reader, f: EventFilter, permalink) -> Iterator[str]:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(EVENT_FIELDS)
    yield buf.getvalue()
    for ev in reader.iter_events(f):
        buf.seek(0)
        buf.truncate()
        rec = _event_record(ev, permalink)
        writer.writerow([_cell(rec.get(k)) for k in EVENT_FIELDS])
        yield buf.getvalue()


def events_json(reader: Reader, f: EventFilter, permalink) -> Iterator[str]:
    yield "["
    first = True
    for ev in reader.iter_events(f):
        yield ("\n" if first else ",\n") + json.dumps(_event_record(ev, permalink), ensure_ascii=False)
        first = False
    yield "\n]\n"


def articles_csv(hits: list[dict]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(ARTICLE_FIELDS)
    for h in hits:
        writer.writerow([_cell(h.get(k)) for k in ARTICLE_FIELDS])
    return buf.getvalue()
