"""KapanLagi.com (showbiz): og:title carries a "KapanLagi.com: " prefix, the h1 is the headline."""

from . import Outlet

OUTLET = Outlet(
    name="KapanLagi.com",
    domains=("kapanlagi.com",),
    brands=("KapanLagi.com", "KapanLagi", "Kapanlagi.com"),
    title=("h1.entertainment-newsdetail-title-new", "div#newsdetail-right-new h1", "h1.header-title"),
    body=("div.entertainment-detail-news", "div.v7-music-detail-news", "div.body-paragraph"),
    # the old layout keeps the story as text and <p> directly in the container; every <div> inside is a widget
    drop=("div", "style", "h2", "a[target=_blank]", ".box-related", ".lihat-juga"),
    date=("span.date-post", "div.newsdetail-schedule-new"),
    author=("span.vcard", "div.newsdetail-author"),
    drop_lines=(r"^baca juga", r"^simak (lifestyle|berita) populer"),
)
