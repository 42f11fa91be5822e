"""Suara.com (``www.suara.com/{kanal}/YYYY/MM/DD/HHMMSS/{slug}``); ``?page=all`` merges pages."""

from . import Outlet, page_all

OUTLET = Outlet(
    name="Suara.com",
    domains=("suara.com",),
    brands=("Suara.com", "suara.com", "Suara"),
    title=(".article-image h1", "div.info h1", "h1.title"),
    body=(".article-content > p", ".article-content", "div.content-article", "article.detail-content"),
    drop=(".ten-second", ".article-read", "#next-article", "[id*=div-ad]", ".placeholder_belt",
          ".placeholder_read_body", ".wrap-pagination", ".article-tags", ".baca-juga", ".ads"),
    date=(".date-article span", "div.date-article", ".article-info .date"),
    author=(".author-trigger a", ".writer a", "div.author a"),
    drop_lines=(r"^baca juga", r"^\(suara\.com/\w+\)$"),
    single_page=page_all,
)
