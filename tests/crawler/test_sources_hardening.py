"""Issue 10 items 4 and 13: hostile OPML/sources input, and an import that keeps the operator's file."""

from __future__ import annotations

import tomllib
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pytest

from crawler import netpolicy
from crawler.config import ConfigError
from crawler.sources import MAX_OUTLINES, import_opml, load_sources, merge, parse_sources
from tests.crawler.conftest import make_env, run_pantau, write_sources

SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "sources.toml"


def opml(*outlines: tuple[str, str]) -> bytes:
    body = "".join(f"<outline text={quoteattr(name)} xmlUrl={quoteattr(url)}/>" for name, url in outlines)
    return f'<?xml version="1.0"?><opml version="2.0"><head/><body>{body}</body></opml>'.encode()


def raw_opml(body: str) -> bytes:
    return f'<?xml version="1.0"?><opml version="2.0"><head/><body>{body}</body></opml>'.encode()


# -- 4. caps, schemes, internal addresses, duplicates -------------------------------------------

def test_outline_count_is_capped():
    many = opml(*[(f"f{i}", f"https://f{i}.contoh.id/rss") for i in range(MAX_OUTLINES + 1)])
    with pytest.raises(ConfigError) as err:
        import_opml(many, "big.opml")
    assert str(err.value).startswith("big.opml") and str(MAX_OUTLINES) in str(err.value)
    assert len(import_opml(opml(*[(f"f{i}", f"https://f{i}.contoh.id/rss") for i in range(MAX_OUTLINES)]))) \
        == MAX_OUTLINES


def test_cli_huge_opml_refused_and_file_untouched(tmp_path):
    env = make_env(tmp_path)
    write_sources(tmp_path / "sources.toml", [{"name": "a", "url": "https://a.contoh.id/rss"}])
    before = (tmp_path / "sources.toml").read_bytes()
    (tmp_path / "huge.opml").write_bytes(opml(*[(f"f{i}", f"https://f{i}.contoh.id/") for i in range(200_000)]))
    proc = run_pantau("sources", "import", str(tmp_path / "huge.opml"), env=env)
    assert proc.returncode == 1 and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert "200000" in proc.stderr and "1000" in proc.stderr
    assert (tmp_path / "sources.toml").read_bytes() == before


@pytest.mark.parametrize("url", ["file:///etc/passwd", "javascript:alert(1)", "ftp://contoh.id/rss",
                                 "data:text/xml,<rss/>", "https://contoh.id:99999/rss"])
def test_non_http_outline_refused(url):
    with pytest.raises(ConfigError, match="not a"):
        import_opml(opml(("x", url)))


@pytest.mark.parametrize("url", ["http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:6379/",
                                 "http://[::1]:8080/rss", "http://10.0.0.5/rss", "http://192.168.1.1/feed",
                                 "http://localhost:9200/", "http://[::ffff:169.254.169.254]/"])
def test_internal_outline_refused_unless_allowed(url):
    with pytest.raises(ConfigError, match="internal address.*--allow-private"):
        import_opml(opml(("good", "https://contoh.id/rss"), ("bad", url)))
    got = import_opml(opml(("bad", url)), allow_private=True)
    assert [s.url for s in got] == [url]


def test_internal_outline_found_through_dns(monkeypatch):
    answers = {"intranet.contoh.id": ["10.1.2.3"], "berita.contoh.id": ["93.184.215.14", "192.168.0.9"],
               "publik.contoh.id": ["93.184.215.14"]}
    monkeypatch.setattr(netpolicy, "resolve", lambda host: answers.get(host, []))
    monkeypatch.setattr(netpolicy, "_DNS_CACHE", {})
    for host in ("intranet.contoh.id", "berita.contoh.id"):  # one internal answer is enough
        with pytest.raises(ConfigError, match="resolves to"):
            import_opml(opml(("x", f"https://{host}/rss")))
    assert len(import_opml(opml(("x", "https://publik.contoh.id/rss")))) == 1
    assert netpolicy.check_url("https://intranet.contoh.id/a", "https://publik.contoh.id/rss")
    assert netpolicy.check_url("https://intranet.contoh.id/a", "https://intranet.contoh.id/rss") is None


def test_duplicates_normalised():
    got = import_opml(opml(("a", "HTTPS://Detik.COM/rss/"), ("b", "https://detik.com/rss"),
                           ("c", "https://detik.com:443/rss"), ("d", "https://detik.com/rss?x=1")))
    assert [s.name for s in got] == ["a", "d"]
    existing = parse_sources({"source": [{"name": "detik", "url": "https://detik.com/rss"}]})
    merged, added = merge(existing, got)
    assert [s.name for s in added] == ["d"]
    with pytest.raises(ConfigError, match="#2.*duplicate url"):
        parse_sources({"source": [{"name": "a", "url": "https://detik.com/rss"},
                                  {"name": "b", "url": "https://DETIK.com/rss/"}]})


# -- 13. the import rewrite keeps comments, is validated and atomic -----------------------------------

def _comments(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.lstrip().startswith("#") or " # " in line]


def test_import_keeps_comments_and_a_backup(tmp_path):
    env = make_env(tmp_path)
    original = SEEDS.read_text(encoding="utf-8")
    (tmp_path / "sources.toml").write_text(original, encoding="utf-8")
    (tmp_path / "new.opml").write_bytes(opml(("Baru Satu", "https://baru.contoh.id/rss"),
                                             ("detikInet lagi", "https://INET.detik.com/rss/")))
    proc = run_pantau("sources", "import", str(tmp_path / "new.opml"), env=env)
    assert proc.returncode == 0, proc.stderr
    assert "imported 1 new sources (1 already present)" in proc.stdout
    text = (tmp_path / "sources.toml").read_text(encoding="utf-8")
    assert len(_comments(original)) > 50
    assert _comments(text) == _comments(original)
    assert text.startswith(original.rstrip("\n"))
    assert (tmp_path / "sources.toml.bak").read_text(encoding="utf-8") == original
    got = load_sources(tmp_path / "sources.toml")
    assert got[-1].name == "Baru Satu" and len(got) == len(load_sources(SEEDS)) + 1
    assert not list(tmp_path.glob("*.tmp"))


def test_newlines_in_outline_cannot_break_the_file(tmp_path):
    env = make_env(tmp_path)
    write_sources(tmp_path / "sources.toml", [{"name": "a", "url": "https://a.contoh.id/rss"}])
    body = ('<outline text="Nama&#10;[[source]]&#10;name = &quot;x&quot;" xmlUrl="https://b.contoh.id/rss"/>'
            '<outline text="Tanda \\ &quot;kutip&quot; &#13;&#9;tab" xmlUrl="https://c.contoh.id/rss"/>')
    (tmp_path / "nl.opml").write_bytes(raw_opml(body))
    proc = run_pantau("sources", "import", str(tmp_path / "nl.opml"), env=env)
    assert proc.returncode == 0, proc.stderr
    got = load_sources(tmp_path / "sources.toml")
    assert [s.name for s in got] == ["a", 'Nama [[source]] name = "x"', 'Tanda \\ "kutip" tab']
    assert run_pantau("sources", "check", env=env).returncode == 0
    # a newline inside the URL: refused with one line, the file stays as it was
    before = (tmp_path / "sources.toml").read_bytes()
    (tmp_path / "nl2.opml").write_bytes(raw_opml('<outline text="d" xmlUrl="https://d.contoh.id/&#10;rss"/>'))
    proc = run_pantau("sources", "import", str(tmp_path / "nl2.opml"), env=env)
    assert proc.returncode == 1 and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert (tmp_path / "sources.toml").read_bytes() == before
    tomllib.loads(before.decode())


def test_cli_allow_private(tmp_path):
    env = make_env(tmp_path)
    (tmp_path / "lan.opml").write_bytes(opml(("lan", "http://192.168.1.20:8080/rss")))
    proc = run_pantau("sources", "import", str(tmp_path / "lan.opml"), env=env)
    assert proc.returncode == 1 and "--allow-private" in proc.stderr
    assert not (tmp_path / "sources.toml").exists()
    proc = run_pantau("sources", "import", "--allow-private", str(tmp_path / "lan.opml"), env=env)
    assert proc.returncode == 0, proc.stderr
    assert [s.url for s in load_sources(tmp_path / "sources.toml")] == ["http://192.168.1.20:8080/rss"]
