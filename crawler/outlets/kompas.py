"""Kompas.com (``{kanal}.kompas.com/read/YYYY/MM/DD/{id}/{slug}``); ``?page=all`` is the single-page form."""

from . import Outlet, page_all

OUTLET = Outlet(
    name="Kompas.com",
    domains=("kompas.com",),
    brands=("Kompas.com", "KOMPAS.com", "Kompas", "KompasTekno", "Kompas Cyber Media"),
    title=("h1.read__title", "div.kcm-read-top h2", "div.kcm-read-content-top h2", "div.baca-content h1"),
    body=(".read__content", "div.kcm-read-text", "span.kcmread1114", "div.content-text div.div-read"),
    drop=(".ads-on-body", ".inner-link-baca-juga", ".read__related", ".kompasidRec", ".video-embed",
          ".ads-partner-wrap", "[id^=div-gpt-ad]", ".read__bacajuga"),
    date=(".read__time", "div.kcm-date", "div.read__date"),
    author=("#penulis a", ".read__credit__item a", ".credit-title-name", "div.read__author"),
    drop_lines=(r"^kanal whatsapp", r"^dapatkan update berita", r"^simak breaking news", r"^berikan komentar"),
    single_page=page_all,
)
