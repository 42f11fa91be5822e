"""CNN Indonesia (``/{kanal}/{YYYYMMDDHHmmss}-{kanalId}-{id}/{slug}``; detikcom CMS)."""

from . import Outlet

OUTLET = Outlet(
    name="CNN Indonesia",
    domains=("cnnindonesia.com",),
    brands=("CNN Indonesia", "cnnindonesia.com"),
    title=("h1.mb-2", "h1.title", "div.content_detail h1"),
    body=(".detail-text", "div.detail_text", "#detikdetailtext"),
    drop=(".linksisip", ".paradetail", "[id^=div-gpt-ad]", ".newstag", ".end-of-article", "a.border",
          ".para_caption", "table.linksisip", ".embed"),
    date=(".text-cnn_grey.text-sm", "div.date"),
    author=(".text-cnn_black_light3 span",),
    drop_lines=(r"^\[gambas:", r"^baca (juga|artikel)", r"^lihat juga", r"^\s*\(\w{2,5}/\w{2,5}\)\s*$"),
)
