"""Tribunnews (``www.tribunnews.com/{section}/...``, regional ``{zone}.tribunnews.com``); ``?page=all``."""

from . import Outlet, page_all

OUTLET = Outlet(
    name="Tribunnews.com",
    domains=("tribunnews.com",),
    brands=("Tribunnews.com", "Tribunnews", "TRIBUNNEWS.COM", "Tribun", "Tribunnews Wiki"),
    title=("h1#arttitle", "h1.f50", "div#article h1"),
    body=("div.side-article.txt-article p", "div.side-article.txt-article", "div#article_con", "div.txt-article"),
    drop=("blockquote.summary-article", "p.baca", "div.ads-placeholder", "figure", ".ads-on-body", ".baca",
          "div.pagingArt", "div.paging", "[id^=div-gpt-ad]"),
    date=("time[datetime]", "time.grey"),
    author=("#penulis a", "div#penulis", "div.credit a"),
    drop_lines=(r"^baca( juga)?\s*:", r"^ringkasan berita\s*:", r"^(artikel ini telah tayang|sebagian artikel ini)",
                r"^halaman selanjutnya"),
    single_page=page_all,
)
