"""SINDOnews (``{kanal}.sindonews.com/read/{id}/{sub}/{slug}-{ts}``); ``?showpage=all`` merges pages."""

from . import Outlet, with_query

OUTLET = Outlet(
    name="SINDOnews",
    domains=("sindonews.com",),
    brands=("SINDOnews", "Sindonews.com", "SINDOnews.com"),
    title=("h1.detail-title",),
    body=(".detail-desc", "#detail-desc"),
    drop=(".editor", "[id^=ads_]", ".baca-juga", "[id^=div-gpt-ad]"),
    date=(".detail-date-artikel",),
    author=(".detail-nama-redaksi a[rel=author]", ".detail-nama-redaksi a"),
    drop_lines=(r"^baca juga", r"^baca berita"),
    single_page=lambda url: with_query(url, showpage="all"),
)
