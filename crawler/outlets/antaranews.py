"""ANTARA News (``www.antaranews.com/berita/{id}/{slug}``, regional ``{daerah}.antaranews.com``)."""

from . import Outlet, page_all

OUTLET = Outlet(
    name="ANTARA News",
    domains=("antaranews.com",),
    brands=("ANTARA News", "ANTARA", "Antaranews", "antaranews.com"),
    title=("h1.wrap__article-detail-title", "div.bjbrt h1[itemprop=headline]", "h1.post-title"),
    body=(".wrap__article-detail-content", "div#content_news", "div.post-content"),
    drop=("p.mt10", "p.date", "span.baca-juga", "p.text-muted", ".text-muted.small", ".quote_old",
          ".adsbygoogle", "[id^=div-gpt-ad]", ".baca-juga"),
    date=(".wrap__article-detail-info .text-secondary", ".text-secondary.font-weight-normal", "p.date",
          "span.article-date", "div.bjbrt p.date"),
    author=(".wrap__article-detail-content .text-muted.small", "p.text-muted"),
    drop_lines=(r"^pewarta\s*:", r"^editor\s*:", r"^copyright\s*©", r"^ⓒ\s*\d{4}"),
    single_page=page_all,
)
