"""Rendering shared by the live site (``web.app``) and the static build (``web.build``).

Rules:
- One Jinja2 environment with autoescaping on for every template: titles,
  texts and parameters are always escaped; nothing is marked safe except
  markup built here from numbers.
- ``Urls`` is the only place that knows the URL scheme. The live site uses
  query strings (filters, sort, pages); a static build has one file per page
  (``peristiwa/12/index.html`` for ``/peristiwa/12/``) and no server-side
  filtering, so its templates hide the filter form and the search page.
- Dates are shown in WIB, numbers the Indonesian way (14.000; 12,5%).
- Pages reference only their own CSS and JS files (no inline script, no
  external font, CDN or image), so a strict CSP holds and the site works
  air-gapped.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape

from crawler.dates import MONTHS_SHORT, WIB, parse_date

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
MONTHS_LONG = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
               "Oktober", "November", "Desember"]
LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.id"


def num(n) -> str:
    if n is None or n == "":
        return "—"
    return f"{int(n):,}".replace(",", ".")


def pct(p) -> str:
    if p is None or p == "":
        return "—"
    text = f"{float(p):.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"


def _dt(iso):
    if not iso:
        return None
    dt = None
    if isinstance(iso, str):
        try:  # the stored form (ISO 8601 with offset) without the general parser
            dt = datetime.fromisoformat(iso)
        except ValueError:
            dt = None
        if dt is None or dt.tzinfo is None:
            dt = parse_date(iso)
    else:
        dt = iso
    return dt.astimezone(WIB) if dt else None


def date_wib(iso) -> str:
    dt = _dt(iso)
    return f"{dt.day} {MONTHS_SHORT[dt.month - 1]} {dt.year}" if dt else "tanpa tanggal"


def datetime_wib(iso) -> str:
    dt = _dt(iso)
    return f"{dt.day} {MONTHS_SHORT[dt.month - 1]} {dt.year}, {dt:%H.%M} WIB" if dt else "tanpa tanggal"


def iso_wib(iso) -> str:
    dt = _dt(iso)
    return dt.isoformat() if dt else ""


def safe_url(url) -> str:
    """An article link only if it is http(s); anything else (javascript:, data:, file:) becomes '#'."""
    text = str(url or "").strip()
    return text if text.lower().startswith(("http://", "https://")) else "#"


def month_label(key: str, long: bool = False) -> str:
    y, m = int(key[:4]), int(key[5:])
    return f"{(MONTHS_LONG if long else MONTHS_SHORT)[m - 1]} {y}"


class Urls:
    """Links for the live site (``static=False``) or a static build (``static=True``)."""

    def __init__(self, static: bool = False, base: str = "/"):
        self.is_static = static
        self.base = base if base.endswith("/") else base + "/"

    def _page(self, path: str) -> str:
        return self.base + (path + "/" if self.is_static and path else path)

    def home(self) -> str:
        return self.base

    def events(self, params: dict | None = None, page: int = 1) -> str:
        if self.is_static:
            return self.base + ("peristiwa/" if page <= 1 else f"peristiwa/hal/{page}/")
        return self.base + "peristiwa" + (("?" + urlencode(params)) if params else "")

    def event(self, story_id: int) -> str:
        return self._page(f"peristiwa/{int(story_id)}")

    def search(self, q: str | None = None, page: int = 1) -> str | None:
        if self.is_static:
            return None
        params = {k: v for k, v in (("q", q), ("hal", page if page > 1 else None)) if v}
        return self.base + "cari" + (("?" + urlencode(params)) if params else "")

    def method(self) -> str:
        return self._page("metodologi")

    def feed(self) -> str:
        return self.base + "feed.xml"

    def download(self, fmt: str, params: dict | None = None) -> str:
        params = {k: v for k, v in (params or {}).items() if k not in ("hal", "per")}
        if self.is_static:
            return self.base + f"peristiwa.{fmt}"
        return self.base + f"peristiwa.{fmt}" + (("?" + urlencode(params)) if params else "")

    def api_events(self) -> str:
        return self.base + ("api/events.json" if self.is_static else "api/events")

    def api_event(self, story_id: int) -> str:
        return self.base + (f"api/events/{int(story_id)}.json" if self.is_static else f"api/events/{int(story_id)}")

    def openapi(self) -> str | None:
        return None if self.is_static else self.base + "openapi.json"

    def static(self, name: str) -> str:
        return self.base + "static/" + name


def chart(months: list[dict], key: str, width: int = 600, height: int = 260) -> dict:
    """Bar geometry of one monthly series for the inline SVG (empty months are zero-height bars)."""
    pad_l, pad_b, pad_t = 70, 36, 16
    n = max(1, len(months))
    top = max([m[key] for m in months] + [1])
    inner_w, inner_h = width - pad_l - 8, height - pad_b - pad_t
    step = inner_w / n
    bar_w = max(2.0, step * 0.7)
    every = max(1, (n + 3) // 4)
    bars = []
    for i, m in enumerate(months):
        h = round(inner_h * m[key] / top, 1)
        bars.append({"x": round(pad_l + i * step + (step - bar_w) / 2, 1), "y": round(pad_t + inner_h - h, 1),
                     "w": round(bar_w, 1), "h": h, "value": m[key], "month": m["month"],
                     "label": month_label(m["month"]) if (n - 1 - i) % every == 0 else "",
                     "lx": round(pad_l + i * step + step / 2, 1), "anchor": "middle"})
    if bars and n > 1:  # the newest month's label ends at the chart's right edge instead of running past it
        bars[-1].update(lx=width - 8, anchor="end")
    return {"width": width, "height": height, "bars": bars, "top": top, "base_y": pad_t + inner_h,
            "pad_l": pad_l, "top_y": pad_t, "label_y": height - 10}


def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(num=num, pct=pct, date_wib=date_wib, datetime_wib=datetime_wib, iso_wib=iso_wib,
                       month_label=month_label, safe_url=safe_url)
    env.globals.update(LICENCE=LICENCE, LICENCE_URL=LICENCE_URL, chart=chart)
    return env


def today_wib() -> str:
    return date_wib(datetime.now(timezone.utc).isoformat())
