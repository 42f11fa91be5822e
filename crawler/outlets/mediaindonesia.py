"""Media Indonesia (``mediaindonesia.com/{kanal}/{id}/{slug}``)."""

from . import Outlet

OUTLET = Outlet(
    name="Media Indonesia",
    domains=("mediaindonesia.com",),
    brands=("Media Indonesia", "mediaindonesia.com", "Media Indonesia.com"),
    body=("section.detail div.article", "div.article"),
    drop=("figure", ".related-news", ".dfp-ad", ".amp-flying-carpet-wrapper", ".ext-channel", ".info-author",
          "._ap_apex_ad", ".ads", "[id^=div-gpt-ad]"),
    date=("div.info span.datetime", "span.datetime"),
    author=("div.info-author a.author", "div.info .author-2"),
    drop_lines=(r"^baca juga", r"^cek berita dan artikel", r"^editor\s*:"),
)
