"""Bisnis.com (``{kanal}.bisnis.com/read/YYYYMMDD/{section}/{id}/{slug}``). Selectors unverified against live pages."""

from . import Outlet

OUTLET = Outlet(
    name="Bisnis.com",
    domains=("bisnis.com",),
    brands=("Bisnis.com", "Bisnis", "Bisnis Indonesia"),
    title=("h1.detailsTitleCaption", "h1.title-only"),
    body=("article.detailsContent", "div.detailsContent", "div.col-custom.left"),
    drop=(".baca-juga-box", ".bacajuga", ".ads", "[id^=div-gpt-ad]", "figure"),
    date=("div.detailsAttributeDates", "div.new-description span"),
    author=("div.detailsAuthor a", "span.author a"),
    drop_lines=(r"^baca juga", r"^simak berita dan artikel", r"^editor\s*:"),
)
