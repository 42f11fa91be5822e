"""Tempo (``www.tempo.co/{rubrik}/{slug}-{id}``, older ``{kanal}.tempo.co/read/{id}/{slug}``)."""

from . import Outlet

OUTLET = Outlet(
    name="Tempo",
    domains=("tempo.co", "tempo.com"),
    brands=("Tempo", "Tempo.co", "TEMPO.CO", "Tempo Gaya", "Tempo Bisnis", "Tempo Nasional"),
    title=("div.artikel h1", "h1.judul-artikel", "article h1.title", "div.news-detail h2 a"),
    body=("div#content-wrapper", "div.detail-konten", "div.detail-in", "div.artikel", "div.p-artikel",
          "div.news-detail article"),
    drop=(".bacajuga", ".baca-juga", ".ads", "[id^=div-gpt-ad]", ".iklan", "figure"),
    date=("p.date", "span.date", "div.date", "h4.date"),
    author=("span[itemprop=author]", "div.block-avatar p.title a", "address a"),
    drop_lines=(r"^pilihan editor\s*:", r"^scroll ke bawah untuk melanjutkan", r"^baca berita dengan sedikit iklan",
                r"^baca juga"),
)
