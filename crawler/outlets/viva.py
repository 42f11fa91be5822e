"""VIVA (``www.viva.co.id/{kanal}/{sub}/{id}-{slug}``); long articles split over ``?page=N``."""

from . import Outlet

OUTLET = Outlet(
    name="VIVA",
    domains=("viva.co.id",),
    brands=("VIVA", "VIVA.co.id", "viva.co.id", "VIVAnews"),
    title=("h1.main-content-title", "div.leading-title h1", "h1.title-big"),
    body=(".main-content-detail p", ".main-content-detail", "div#article-detail-content", "div.article-detail-body",
          "span[itemprop=description]"),
    drop=(".recommended-article", ".ads", "blockquote", ".baca-juga", ".column-big-bottom"),
    date=(".main-content-date", "div.date"),
    author=(".main-content-author a", ".author-name"),
    drop_lines=(r"^baca juga", r"^viva\.co\.id\s*[–-]\s*$"),
)
