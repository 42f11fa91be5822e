"""Merdeka.com (multi-page articles come merged in one page)."""

from . import Outlet

OUTLET = Outlet(
    name="Merdeka.com",
    domains=("merdeka.com",),
    brands=("Merdeka.com", "merdeka.com", "Merdeka"),
    title=("h1.articles-header__title", "div.mdk-dt-headline h1", "div.mdk-body-detail h1"),
    body=(".articles-content__body > p", ".articles-content__body", "div.mdk-body-paragraph", "div#mdk-body-paragraph",
          "div.mdk-body-detail"),
    drop=(".tags-articles__list", ".baca-juga", ".ads", "[id^=div-gpt-ad]", ".mdk-tag-cont", ".video-embed"),
    date=(".articles-header__date", "span.date-post", "div.date-post"),
    author=(".articles-header__author", "div.reporter a", "span.reporter a"),
    drop_lines=(r"^baca juga", r"^\[\w+\]$"),
)
