"""kumparan (``kumparan.com/{account}/{slug}-{shortId}``)."""

from . import Outlet

OUTLET = Outlet(
    name="kumparan",
    domains=("kumparan.com",),
    brands=("kumparan", "kumparan.com", "kumparanTECH", "kumparanBISNIS", "kumparanNEWS"),
    title=('h1[data-qa-id="story-title"]',),
    body=('[data-qa-id="story-paragraph"]',),
    drop=("[id^=div-gpt-ad]",),
    date=('[data-qa-id="publish-date"]',),
    author=('[data-qa-id="author-name"]',),
    drop_lines=(r"^baca juga", r"^\s*\(\w{2,5}\)\s*$"),
)
