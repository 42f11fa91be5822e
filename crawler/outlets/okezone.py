"""Okezone (``{kanal}.okezone.com/read/YYYY/MM/DD/{section}/{id}/{slug}``); ``?page=all`` merges pages."""

from . import Outlet, page_all

OUTLET = Outlet(
    name="Okezone",
    domains=("okezone.com",),
    brands=("Okezone", "okezone.com"),
    title=("div.title h1", "div.titles h1", "div.news-title h1", "div.bg-imgnews-detail-title h1",
           "div.title-detail h1"),
    body=(".c-detail.read", "div#contentx", "div.bg-euro-body-news-hnews-content-textisi",
          "div.title-detail div.ctn-desc", "div.read"),
    drop=("#baca-juga", ".vicon", ".detads", "[id^=div-gpt-ad]", ".box-related", ".bacajuga"),
    date=("div.namerep b", "div.reporter b", ".c-detail-info .namerep b"),
    author=("div.namerep a", "div.reporter a"),
    drop_lines=(r"^baca juga", r"^\s*\(\w{2,5}\)\s*$"),
    single_page=page_all,
)
