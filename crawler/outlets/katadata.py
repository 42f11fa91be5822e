"""Katadata (``katadata.co.id/{kanal}/{sub}/{hex id}/{slug}``). Selectors unverified against live pages."""

from . import Outlet

OUTLET = Outlet(
    name="Katadata",
    domains=("katadata.co.id",),
    brands=("Katadata", "Katadata.co.id", "katadata.co.id"),
    title=("h1.detail-title", "div.detail-title h1"),
    body=("div.detail-body", "div.textArticle", "article.detail-main"),
    drop=(".detail-related", ".baca-juga", ".ads", "[id^=div-gpt-ad]", "figure"),
    date=("div.detail-date", "span.detail-date"),
    author=("div.detail-author a", "span.detail-author"),
    drop_lines=(r"^baca juga", r"^ikuti kami di google news"),
)
