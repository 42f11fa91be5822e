"""Kontan (``{kanal}.kontan.co.id/news/{slug}``). Selectors unverified against live pages."""

from . import Outlet

OUTLET = Outlet(
    name="Kontan",
    domains=("kontan.co.id",),
    brands=("Kontan", "Kontan.co.id", "KONTAN.CO.ID"),
    title=("h1.detail-desk", "div.detail-desk h1", "h1.title"),
    body=("div.tmpt-desk-kon", "div#release-content", "div.ctn"),
    drop=(".track-bacajuga-inside", ".baca-juga", ".ads", "[id^=div-gpt-ad]", "figure"),
    date=("div.fs14.ff-opensans.font-gray", "span.date"),
    author=("div.detail-author a", "span.author"),
    drop_lines=(r"^baca juga", r"^cek berita dan artikel", r"^reporter\s*:", r"^editor\s*:"),
)
