"""Liputan6.com (``{kanal}.liputan6.com/read/{id}/{slug}``): every page of a long article is in the same HTML."""

from . import Outlet

OUTLET = Outlet(
    name="Liputan6.com",
    domains=("liputan6.com",),
    brands=("Liputan6.com", "Liputan6"),
    title=("h1.read-page--header--title", "h1.read-page--header__title"),
    body=(".article-content-body__item-content", "div#multi-page-0"),
    drop=(".baca-juga-collections", ".article-ad", ".baca-juga", "[id^=div-gpt-ad]", ".advertisement-text",
          ".article-content-body__item-title"),
    date=("time.read-page--header--author__datetime", ".read-page--header--author__datetime"),
    author=(".read-page--header--author__name", ".read-page-box__author__name"),
    drop_lines=(r"^baca juga", r"^saksikan video pilihan", r"^simak juga video"),
)
