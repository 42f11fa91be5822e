"""CNBC Indonesia (``/{kanal}/{YYYYMMDDHHMMSS}-{kanalId}-{id}/{slug}``; detikcom CMS)."""

from . import Outlet

OUTLET = Outlet(
    name="CNBC Indonesia",
    domains=("cnbcindonesia.com",),
    brands=("CNBC Indonesia", "cnbcindonesia.com"),
    title=("h1.detail__title", "h1.jdl", ".jdl h1"),
    body=("div.detail_text", ".detail-text", "div.detail__body-text", "div.detail__body"),
    drop=(".media-institusi", ".linksisip", ".baca-juga", "table.linksisip", "[id^=div-gpt-ad]", ".embed"),
    date=("div.detail__date", "div.date", "span.date"),
    author=("div.detail__author", "div.author"),
    drop_lines=(r"^\[gambas:", r"^baca juga", r"^saksikan video", r"^\s*\(\w{2,5}/\w{2,5}\)\s*$"),
)
