"""Republika (``{kanal}.republika.co.id/berita/{code}/{slug}``)."""

from . import Outlet

OUTLET = Outlet(
    name="Republika Online",
    domains=("republika.co.id", "republika.id"),
    brands=("Republika Online", "Republika", "REPUBLIKA.CO.ID", "Republika.co.id"),
    # div.jdl-pic is the visible headline of photo stories ("In Picture: …"), which og:title drops
    title=(".max-card__title h1", "div.jdl-pic", "div.jdl-detail h2", "div.wp-conten-detail h1"),
    body=(".article-content article", "div.teaser-pic", "div.detail-berita div.content-detail",
          "div.artikel"),
    drop=("[id^=div-gpt-ad]", "[id^=bn_]", ".picked-article", "figcaption", ".detail__media-caption",
          ".baca-juga", ".terkait"),
    date=("div.date-detail", ".max-card__date", "div.date"),
    author=(".max-card__author", "div.by"),
    drop_lines=(r"^baca juga", r"^rep\s*:", r"^red\s*:"),
)
