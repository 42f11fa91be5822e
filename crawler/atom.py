"""``pantau feed``: an Atom 1.0 feed of flagged stories for any feed reader.

One entry per story (the newest 50 by last report), linking to its first
article; the entry lists every outlet that reported it. The file is written
atomically (temp file + rename), so a reader never sees half a feed. The
service rewrites it after each crawl. Every text goes through ``escape``,
which also drops characters XML 1.0 forbids (``crawler.xmlsafe``), so one
control character in a title cannot make the feed unreadable.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path
from xml.sax.saxutils import escape as _escape

from .config import Settings
from .stories import story_articles
from .store import Store
from .xmlsafe import xml_safe

FEED_ID = "tag:pantau-phk,2026:stories"


def escape(text, entities=None) -> str:
    """XML-escape after removing characters XML 1.0 forbids (``crawler.xmlsafe``)."""
    return _escape(xml_safe(text or ""), entities or {})


def _fmt_number(n: int | None) -> str:
    return f"{n:,}".replace(",", ".") if n is not None else ""


def build_feed(store: Store, limit: int = 50, self_url: str | None = None) -> str:
    stories = list(store.db.query("SELECT * FROM stories WHERE retracted = 0 ORDER BY last_reported DESC, id DESC LIMIT ?", [limit]))
    updated = stories[0]["last_reported"] if stories else datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="id">',
           "  <title>Pantau PHK: PHK terkait AI</title>",
           "  <subtitle>Berita PHK yang dikaitkan dengan kecerdasan buatan dan otomatisasi</subtitle>",
           f"  <id>{FEED_ID}</id>",
           f"  <updated>{escape(updated)}</updated>",
           "  <generator>Pantau PHK</generator>"]
    if self_url:
        out.append(f'  <link rel="self" href="{escape(self_url, {chr(34): "&quot;"})}"/>')
    for s in stories:
        arts = story_articles(store, s["id"])
        if not arts:
            continue
        first = arts[0]
        facts = []
        if s["company"]:
            facts.append(f"Perusahaan: {s['company']}")
        if s["jobs_cut"]:
            facts.append(f"PHK: {_fmt_number(s['jobs_cut'])} karyawan"
                         + (f" ({s['percent']:g}%)" if s["percent"] else ""))
        elif s["percent"]:
            facts.append(f"PHK: {s['percent']:g}% karyawan")
        if s["country"]:
            facts.append(f"Negara: {s['country']}")
        items = "".join(
            f'<li><a href="{escape(a["url"], {chr(34): "&quot;"})}">{escape(a["outlet"] or a["source"] or "")}</a>: '
            f"{escape(a['title'] or '')}</li>" for a in arts)
        html = (f"<p>{escape(' · '.join(facts))}</p>" if facts else "") + f"<p>Diberitakan oleh:</p><ul>{items}</ul>"
        out += ["  <entry>",
                f"    <id>{FEED_ID}:{s['id']}</id>",
                f"    <title>{escape(s['title'] or first['title'] or '')}</title>",
                f'    <link href="{escape(first["url"], {chr(34): "&quot;"})}"/>',
                f"    <published>{escape(s['first_reported'])}</published>",
                f"    <updated>{escape(s['last_reported'])}</updated>",
                f"    <author><name>{escape(first['outlet'] or first['source'] or 'Pantau PHK')}</name></author>",
                f'    <content type="html">{escape(html)}</content>',
                "  </entry>"]
    out.append("</feed>")
    return "\n".join(out) + "\n"


def write_feed(store: Store, settings: Settings, path: Path | None = None) -> Path:
    path = Path(path or settings.get("PANTAU_FEED_PATH") or "data/pantau-phk.xml")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    tmp.write_text(build_feed(store), encoding="utf-8")
    tmp.replace(path)
    return path
