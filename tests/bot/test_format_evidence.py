"""The alert's "Kenapa:" line quotes the evidence sentence (issue 9) and says who links the cut to AI."""

from __future__ import annotations

from bot.format import LIMIT, format_alert, to_plain

BASE = {"title": "Kontenesia Pangkas 90 Penulis, Beralih ke AI", "url": "https://contoh.example/k",
        "outlet": "Kabar", "published": "2025-10-27T15:10:00+07:00",
        "reasons": ["judul: PHK", "paragraf 1: PHK + AI (sebab/strategi)"]}


def test_kenapa_quotes_the_evidence_sentence():
    art = dict(BASE, evidence="Perusahaan mengatakan PHK dilakukan karena artikel kini ditulis AI <generatif>.",
               attribution="explicit")
    html = format_alert(art)
    plain = to_plain(html)
    assert "Kenapa: “Perusahaan mengatakan PHK dilakukan karena artikel kini ditulis AI <generatif>.”" in plain
    assert "&lt;generatif&gt;" in html  # escaped
    assert "Kaitan dengan AI: diakui perusahaan" in plain
    assert "paragraf 1" not in plain  # the debugging reasons give way to the sentence


def test_attribution_wording():
    for attribution, words in (("attributed", "menurut media atau pengamat"),
                               ("disputed", "diperdebatkan — AI disebut hanya dalih")):
        plain = to_plain(format_alert(dict(BASE, evidence="Analis menilai PHK itu karena AI.", attribution=attribution)))
        assert f"Kaitan dengan AI: {words}" in plain


def test_without_evidence_the_reasons_remain():
    plain = to_plain(format_alert(dict(BASE)))
    assert "Kenapa: paragraf 1: PHK + AI (sebab/strategi); judul: PHK" in plain
    assert "Kaitan dengan AI" not in plain


def test_long_evidence_stays_within_the_limit():
    art = dict(BASE, evidence="kata " * 2000, attribution="explicit", title="judul " * 2000)
    assert len(format_alert(art)) <= LIMIT
