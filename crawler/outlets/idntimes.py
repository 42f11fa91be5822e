"""IDN Times (``www.idntimes.com/{category}/{sub}/{slug}-{code}-{code}``)."""

from . import Outlet

OUTLET = Outlet(
    name="IDN Times",
    domains=("idntimes.com",),
    brands=("IDN Times", "idntimes.com"),
    title=("h1.title-text",),
    body=("#article-description", "div.article-content"),
    drop=(".baca-juga", ".ads", "[id^=div-gpt-ad]", "figure", ".read-more-box"),
    date=("time.date", "[data-cy=ds-card-article-pubdate]"),
    author=("a.author-name", "div.author-name"),
    drop_lines=(r"^baca juga", r"^baca artikel selengkapnya"),
)
