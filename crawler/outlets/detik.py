"""detik.com (all channels: news, finance, inet, hot …; detikcom CMS also runs CNN/CNBC Indonesia)."""

from . import Outlet, with_query

OUTLET = Outlet(
    name="detikcom",
    domains=("detik.com",),
    brands=("detik", "detikcom", "detiknews", "detikfinance", "detikinet", "detikhot"),
    title=("h1.detail__title", "div.content_detail h1", "div.jdl h1"),
    body=(".detail__body-text", ".itp_bodycontent", "div.detail_text", "div.text_detail", "#detikdetailtext",
          "div.text_gal"),
    drop=(".noncontent", ".linksisip", ".parallaxindetail", "[class*=ads-scrollpage]", "[id^=div-gpt-ad]",
          ".detail__body-tag", ".detail__long-nav", ".staticdetail_container", ".embed", "table.linksisip",
          ".para_caption", ".sisip_embed_sosmed"),
    date=(".detail__date", "div.content_detail div.date", "div.date"),
    author=(".detail__author", "div.author", ".detail__info .author"),
    drop_lines=(r"^\[gambas:", r"^scroll to continue", r"^simak (juga )?video", r"^\s*\(\w{2,5}/\w{2,5}\)\s*$"),
    single_page=lambda url: with_query(url, single="1"),
)
