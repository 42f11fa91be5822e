"""``pantau site build DIR``: the whole tracker as static files, with the live site's templates.

Output (for a static host; ``/peristiwa/12/`` is ``peristiwa/12/index.html``):
``index.html``, ``peristiwa/index.html`` and ``peristiwa/hal/N/index.html``
(50 rows a page, newest first), ``peristiwa/<id>/index.html`` per event,
``metodologi/index.html``, ``404.html``, ``feed.xml``, ``peristiwa.csv`` and
``peristiwa.json`` (every event), ``api/events.json`` and
``api/events/<id>.json``, and ``static/``.

Rules:
- The database is read-only here too (``web.queries.Reader``).
- The site is written into a fresh sibling folder and swapped in by rename,
  so a web server never serves half a build. A non-empty ``DIR`` that is not
  a previous build (no ``.pantau-site`` marker file) is refused, never
  deleted.
- Static pages cannot filter or search; their templates say so and link the
  full CSV/JSON instead.
- ``PANTAU_SITE_URL`` (optional) makes canonical/Open Graph links absolute;
  its path is the site's base path (``https://x.id/phk/`` → ``/phk/…``).
"""

from __future__ import annotations

import json
import math
import os
import shutil
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from crawler.store import Store

from .pages import event_page, events_csv, events_json, events_page, home_page, method_page
from .queries import PER_PAGE, EventFilter, Reader, as_json
from .render import STATIC, Urls, environment

MARKER = ".pantau-site"


class BuildError(Exception):
    """The output folder cannot be used; the message is one line."""


@dataclass
class BuildReport:
    path: Path
    pages: int = 0
    events: int = 0
    files: int = 0
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"site built in {self.path}: {self.pages} pages, {self.events} events, {self.files} files "
                f"in {self.seconds:.1f} s" + "".join(f"\nwarning: {w}" for w in self.warnings))


def _check_target(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise BuildError(f"{out} exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise BuildError(f"{out} is not empty and is not a Pantau PHK site build (no {MARKER}); "
                         "choose an empty or new folder")


def build_site(db_path: Path | str, out: Path | str, site_url: str | None = None,
               per_page: int = PER_PAGE) -> BuildReport:
    out = Path(out).absolute()
    _check_target(out)
    started = time.monotonic()
    origin, base = "", "/"
    if site_url:
        parts = urlsplit(site_url)
        origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
        base = (parts.path or "/").rstrip("/") + "/"
    urls = Urls(static=True, base=base)
    env = environment()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.build-{os.getpid()}")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    report = BuildReport(out)

    def write(rel: str, text: str) -> None:
        path = tmp / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        report.files += 1

    def render(rel: str, template: str, ctx: dict) -> None:
        write(rel, env.get_template(template).render(**ctx))
        report.pages += 1

    def absolute(path: str) -> str | None:
        return origin + path if origin else None

    def permalink(story_id: int) -> str:
        return (origin or "") + urls.event(story_id)

    try:
        with Reader(db_path) as r:
            render("index.html", *home_page(r, urls, absolute(urls.home())))
            render("metodologi/index.html", *method_page(r, urls, absolute(urls.method())))
            f = EventFilter(per=per_page)
            everything = list(r.iter_events(f))  # one sorted pass; the table pages are slices of it
            pages = max(1, math.ceil(len(everything) / f.per))
            for n in range(1, pages + 1):
                page_f = EventFilter(hal=n, per=per_page)
                rel = "peristiwa/index.html" if n == 1 else f"peristiwa/hal/{n}/index.html"
                rows = everything[(n - 1) * per_page:n * per_page]
                render(rel, *events_page(r, urls, page_f, absolute(urls.events(page=n)),
                                         page_rows=(rows, len(everything))))
            api_items = []
            for ev in r.iter_event_details(f):
                render(f"peristiwa/{ev['id']}/index.html", *event_page(r, urls, ev, permalink(ev["id"])))
                record = {**as_json(ev), "url": permalink(ev["id"])}
                write(f"api/events/{ev['id']}.json", json.dumps(record, ensure_ascii=False, indent=1))
                summary = {k: v for k, v in record.items() if k not in ("reports", "corrections")}
                api_items.append(summary)
                report.events += 1
            write("api/events.json", json.dumps({"total": len(api_items), "items": api_items},
                                                ensure_ascii=False))
            write("peristiwa.csv", "".join(events_csv(r, f, permalink)))
            write("peristiwa.json", "".join(events_json(r, f, permalink)))
            from crawler.atom import build_feed

            try:
                write("feed.xml", build_feed(Store(r.conn, r.path),
                                             self_url=(origin + base + "feed.xml") if origin else None))
            except sqlite3.Error as exc:  # e.g. a database not yet migrated to what the feed reads
                report.warnings.append(f"feed.xml not written: {exc}")
            html = env.get_template("error.html").render(
                urls=urls, nav="", title="Halaman tidak ditemukan", description="", canonical=None,
                heading="Halaman tidak ditemukan", message="Alamat ini tidak ada di Pantau PHK.",
                attributions={}, updated=None)
            write("404.html", html)
        shutil.copytree(STATIC, tmp / "static")
        report.files += sum(1 for p in STATIC.iterdir() if p.is_file())
        (tmp / MARKER).write_text("built by `pantau site build`; this folder is replaced on every build\n",
                                  encoding="utf-8")
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    # swap in: old build aside, new build in place, old build removed
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    if out.exists():
        out.rename(old)
    tmp.rename(out)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)
    report.seconds = time.monotonic() - started
    return report
