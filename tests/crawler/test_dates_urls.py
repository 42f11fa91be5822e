"""Published-time parsing and URL canonicalisation."""

from __future__ import annotations

import time
from datetime import datetime, timezone

import pytest

from crawler.dates import format_wib, parse_date, to_iso
from crawler.urls import canonical_url, host_of, outlet_from_host


@pytest.mark.parametrize("raw, expected", [
    ("Senin, 20 Okt 2025 14:30 WIB", "2025-10-20T14:30:00+07:00"),
    ("Senin, 20 Oktober 2025 14:30 WITA", "2025-10-20T14:30:00+08:00"),
    ("Senin, 20 Okt 2025 | 14.30 WIT", "2025-10-20T14:30:00+09:00"),
    ("Jum'at, 24 Okt 2025 11:20 WIB", "2025-10-24T11:20:00+07:00"),
    ("Jumat, 24 Oktober 2025 - 11:20", "2025-10-24T11:20:00+07:00"),
    ("24 Juli 2026 | 11.32 WIB", "2026-07-24T11:32:00+07:00"),
    ("24 Jul 2026, 16:36", "2026-07-24T16:36:00+07:00"),
    ("Kamis, 14 Agu 2025 08:05 WIB", "2025-08-14T08:05:00+07:00"),
    ("Rabu, 7 Mei 2025 pukul 09.00 WIB", "2025-05-07T09:00:00+07:00"),
    ("1 Des 2025 23:59", "2025-12-01T23:59:00+07:00"),
    ("03/07/2025, 13:44 WIB", "2025-07-03T13:44:00+07:00"),
    ("2025/10/28 14:30:00", "2025-10-28T14:30:00+07:00"),
    ("2025-10-28 14:30", "2025-10-28T14:30:00+07:00"),
    ("2025-10-28T14:30:00+07:00", "2025-10-28T14:30:00+07:00"),
    ("2025-10-28T07:30:00Z", "2025-10-28T07:30:00+00:00"),
    ("2025-10-28T14:30:00", "2025-10-28T14:30:00+07:00"),
    ("Tue, 28 Oct 2025 07:30:00 GMT", "2025-10-28T07:30:00+00:00"),
    ("Tue, 28 Oct 2025 14:30:00 +0700", "2025-10-28T14:30:00+07:00"),
    ("Tue, 28 Oct 2025 14:30:00 WIB", "2025-10-28T14:30:00+07:00"),
])
def test_to_iso(raw, expected):
    assert to_iso(raw) == expected


@pytest.mark.parametrize("raw", [None, "", "kemarin sore", "besok", "32 Okt 2025 10:00", "Senin", "x" * 300,
                                 "2025-13-45"])
def test_unparseable_is_none_never_now(raw):
    assert to_iso(raw) is None


def test_struct_time_is_utc():
    st = time.strptime("2025-10-28 07:30:00", "%Y-%m-%d %H:%M:%S")
    assert parse_date(st) == datetime(2025, 10, 28, 7, 30, tzinfo=timezone.utc)


def test_every_result_is_aware():
    for raw in ("20 Okt 2025", "2025-10-20", "20/10/2025", "Oct 20, 2025 10:00"):
        dt = parse_date(raw)
        assert dt is not None and dt.utcoffset() is not None, raw


def test_format_wib():
    assert format_wib("2025-10-20T07:30:00+00:00") == "20 Okt 2025 14:30 WIB"
    assert format_wib(None) == "waktu tidak diketahui"


@pytest.mark.parametrize("raw, expected", [
    ("HTTP://Example.COM:80/a/B.html?utm_source=rss&utm_medium=feed", "http://example.com/a/B.html"),
    ("https://x.id:443/a?id=5&fbclid=IwAR2&gclid=z#top", "https://x.id/a?id=5"),
    ("https://x.id/a?ref=sindikasi&page=2", "https://x.id/a?page=2"),
    ("https://x.id/a?b=2&a=1&utm_campaign=x", "https://x.id/a?b=2&a=1"),
    ("https://x.id/a?", "https://x.id/a"),
    ("https://x.id", "https://x.id/"),
    ("https://news.google.com/rss/articles/CBMi?oc=5", "https://news.google.com/rss/articles/CBMi"),
    ("https://x.id:8080/A/", "https://x.id:8080/A/"),
    ("https://x.id/a?q=&mc_cid=1&_ga=2", "https://x.id/a?q="),
])
def test_canonical_url(raw, expected):
    assert canonical_url(raw) == expected


def test_canonical_url_relative_and_odd():
    assert canonical_url("/berita/a.html?utm_source=x", base="http://h.test/feed.xml") == "http://h.test/berita/a.html"
    assert canonical_url("") == ""
    assert canonical_url("not a url") == "not a url"
    assert canonical_url("http://[::1") == "http://[::1"  # invalid: returned as is, never raises
    assert canonical_url(canonical_url("https://x.id/a?utm_source=1&b=2")) == "https://x.id/a?b=2"  # idempotent


def test_host_helpers():
    assert host_of("https://WWW.Detik.com/x") == "www.detik.com"
    assert host_of("::") == ""
    assert outlet_from_host("www.tempo.co") == "tempo.co"
    assert outlet_from_host("m.kompas.com") == "kompas.com"
