"""Sources file validation and OPML import/export (unit + the real CLI)."""

from __future__ import annotations

import tomllib
from xml.etree import ElementTree as ET

import pytest

from crawler.config import ConfigError
from crawler.sources import Source, export_opml, import_opml, load_sources, merge, parse_sources, to_toml
from tests.crawler.conftest import make_env, run_pantau, write_sources

ENTRIES = [
    {"name": "detik", "url": "https://rss.detik.com/index.php/inet"},
    {"name": "Kompas & \"Tekno\"", "url": "https://tekno.kompas.com/sitemap-news.xml", "type": "sitemap"},
    {"name": "listing", "url": "https://x.id/indeks?page=1&cat=2", "type": "html",
     "link_selector": "div.list > h2 a[href*='/berita/']"},
    {"name": "off", "url": "https://y.id/feed", "enabled": False},
    {"name": "gn", "url": "https://news.google.com/rss/search?q=PHK+AI&hl=id", "aggregator": True},
    {"name": "agg", "url": "https://agregator.id/rss", "aggregator": True, "language": "en", "note": "kunci lain"},
    {"name": "gn-off", "url": "https://news.google.com/rss/x", "aggregator": False},
]


def test_parse_defaults_and_extras():
    got = parse_sources({"source": [{"name": " a ", "url": " http://a.test/f ", "note": 1},
                                    {"name": "g", "url": "https://news.google.com/rss/search?q=x"}]})
    assert got[0].name == "a" and got[0].url == "http://a.test/f" and got[0].type == "rss"
    assert got[0].enabled and got[0].language == "id" and not got[0].aggregator and got[0].extra == {"note": 1}
    assert got[1].aggregator  # Google News detected from the URL


@pytest.mark.parametrize("data, words", [
    ({"source": [{"name": "a"}]}, ["#1", "'a'", "missing url"]),
    ({"source": [{"url": "http://x/"}]}, ["#1", "missing name"]),
    ({"source": [{"name": "a", "url": "http://x/1"}, {"name": "A", "url": "http://x/2"}]}, ["#2", "duplicate"]),
    ({"source": [{"name": "a", "url": "http://x/", "type": "atom"}]}, ["unknown type", "'atom'"]),
    ({"source": [{"name": "a", "url": "x.id/feed"}]}, ["not an http"]),
    ({"source": [{"name": "a", "url": "http://x/", "enabled": "yes"}]}, ["enabled"]),
    ({"source": [{"name": "a", "url": "http://x/", "link_selector": 3}]}, ["link_selector"]),
    ({"source": {"name": "a"}}, ["array"]),
])
def test_parse_errors_name_entry_and_problem(data, words):
    with pytest.raises(ConfigError) as err:
        parse_sources(data, "s.toml")
    msg = str(err.value)
    assert "\n" not in msg and msg.startswith("s.toml")
    for w in words:
        assert w in msg, (w, msg)


def test_load_errors(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_sources(tmp_path / "none.toml")
    (tmp_path / "bad.toml").write_bytes(b"[[source]\nname=1")
    with pytest.raises(ConfigError, match="TOML error"):
        load_sources(tmp_path / "bad.toml")
    (tmp_path / "latin.toml").write_bytes('name = "é"'.encode("latin-1"))
    with pytest.raises(ConfigError, match="UTF-8"):
        load_sources(tmp_path / "latin.toml")


def test_to_toml_round_trip(tmp_path):
    sources = parse_sources({"source": ENTRIES})
    again = parse_sources(tomllib.loads(to_toml(sources)))
    assert again == sources


def test_opml_round_trip_unit():
    sources = parse_sources({"source": ENTRIES})
    opml = export_opml(sources)
    root = ET.fromstring(opml.encode())
    assert root.tag == "opml" and root.get("version") == "2.0"
    assert len(root.findall(".//outline")) == len(sources)
    back = import_opml(opml.encode())
    assert [(s.name, s.url, s.type, s.link_selector, s.enabled, s.aggregator, s.language) for s in back] == \
        [(s.name, s.url, s.type, s.link_selector, s.enabled, s.aggregator, s.language) for s in sources]


def test_import_foreign_opml_nested_folders():
    opml = b"""<?xml version="1.0"?><opml version="1.0"><head/><body>
      <outline text="Tekno"><outline text="Detik Inet" xmlUrl="https://rss.detik.com/inet" type="rss"/>
        <outline text="Folder"><outline title="Tempo" text="x" xmlUrl="https://tempo.co/rss" pantauType="weird"/></outline>
      </outline><outline text="no url"/></body></opml>"""
    got = import_opml(opml)
    assert [(s.name, s.url, s.type) for s in got] == [("Detik Inet", "https://rss.detik.com/inet", "rss"),
                                                      ("Tempo", "https://tempo.co/rss", "rss")]
    with pytest.raises(ConfigError, match="not valid"):
        import_opml(b"<opml><body>")
    with pytest.raises(ConfigError, match="expected <opml>"):
        import_opml(b"<rss/>")
    with pytest.raises(ConfigError, match="not an http"):
        import_opml(b'<opml><body><outline text="a" xmlUrl="file:///etc/passwd"/></body></opml>')


def test_merge_skips_known_urls_and_renames_clashes():
    existing = parse_sources({"source": ENTRIES[:2]})
    new = [existing[0], Source("detik", "https://other.id/feed"), Source("baru", "https://b.id/f")]
    merged, added = merge(existing, new)
    assert [s.name for s in added] == ["detik (2)", "baru"]
    assert len(merged) == len(existing) + 2


def test_cli_import_export_round_trip(tmp_path):
    env = make_env(tmp_path)
    write_sources(tmp_path / "orig.toml", ENTRIES)
    env_orig = dict(env, PANTAU_SOURCES=str(tmp_path / "orig.toml"))
    proc = run_pantau("sources", "export", env=env_orig)
    assert proc.returncode == 0, proc.stderr
    (tmp_path / "out.opml").write_text(proc.stdout)
    exported = proc.stdout
    # import into a fresh (missing) sources file
    proc = run_pantau("sources", "import", str(tmp_path / "out.opml"), env=env)
    assert proc.returncode == 0, proc.stderr
    assert f"imported {len(ENTRIES)} new sources" in proc.stdout
    a = load_sources(tmp_path / "orig.toml")
    b = load_sources(tmp_path / "sources.toml")
    assert [(s.name, s.url, s.type, s.link_selector, s.enabled, s.aggregator, s.language) for s in a] == \
        [(s.name, s.url, s.type, s.link_selector, s.enabled, s.aggregator, s.language) for s in b]
    assert b[-2].extra == {}  # unknown TOML keys do not travel through OPML
    proc = run_pantau("sources", "export", env=env)
    assert proc.stdout == exported  # export → import → export is stable
    # importing again adds nothing and leaves the file untouched
    before = (tmp_path / "sources.toml").read_bytes()
    proc = run_pantau("sources", "import", str(tmp_path / "out.opml"), env=env)
    assert "imported 0 new sources" in proc.stdout
    assert (tmp_path / "sources.toml").read_bytes() == before
    proc = run_pantau("sources", "check", env=env)
    assert proc.returncode == 0 and f"{len(ENTRIES)} sources OK" in proc.stdout


def test_cli_import_bad_files(tmp_path):
    env = make_env(tmp_path)
    proc = run_pantau("sources", "import", str(tmp_path / "missing.opml"), env=env)
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1
    (tmp_path / "bad.opml").write_text("<opml><body>")
    proc = run_pantau("sources", "import", str(tmp_path / "bad.opml"), env=env)
    assert proc.returncode == 1 and len(proc.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "sources.toml").exists()


def test_import_rewrite_keeps_existing_settings(tmp_path):
    env = make_env(tmp_path)
    write_sources(tmp_path / "sources.toml", ENTRIES)
    (tmp_path / "new.opml").write_text(export_opml([Source("baru", "https://b.id/f")]))
    proc = run_pantau("sources", "import", str(tmp_path / "new.opml"), env=env)
    assert proc.returncode == 0 and "imported 1 new" in proc.stdout
    got = load_sources(tmp_path / "sources.toml")
    assert got[:-1] == parse_sources({"source": ENTRIES})
    assert [s.extra for s in got[:-1]] == [s.extra for s in parse_sources({"source": ENTRIES})]
