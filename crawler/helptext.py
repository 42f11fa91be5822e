"""Descriptions and examples for every ``pantau`` subcommand, in one table.

``crawler.cli.build_parser`` installs ``HelpfulSubParsers``: whichever module
registers a subcommand, its ``--help`` gets a description (the short help
when none was given) and the examples below, so ``pantau X --help`` always
shows how X is used. Add a row when you add a command.
"""

from __future__ import annotations

import argparse
import os
import sys

EXAMPLES: dict[str, list[str]] = {
    "run": ["pantau run", "PANTAU_CRAWL_INTERVAL=5 pantau run"],
    "cron": ["pantau cron --env-file /etc/pantau-phk.env",
             "*/15 * * * * cd /opt/pantau-phk && .venv/bin/pantau cron --env-file /etc/pantau-phk.env "
             ">> /var/lib/pantau-phk/cron.log 2>&1"],
    "crawl": ["pantau crawl", "pantau crawl -v", "pantau crawl --source detikInet --force"],
    "sources": ["pantau sources", "pantau sources check", "pantau sources import feeds.opml",
                "pantau sources export > sources.opml"],
    "export": ["pantau export --format csv --flagged > flagged.csv", "pantau export --events --format json"],
    "search": ["pantau search Fiverr", 'pantau search "PHK AI"'],
    "classify": ["pantau classify articles.jsonl",
                 'echo \'{"id": "1", "title": "Fiverr PHK 30% karyawan demi AI", "text": "..."}\' | pantau classify'],
    "reclassify": ["pantau reclassify"],
    "status": ["pantau status", "pantau status || echo 'Pantau PHK needs attention'"],
    "housekeeping": ["pantau housekeeping"],
    "feed": ["pantau feed", "pantau feed -o - | head"],
    "config": ["pantau config", "pantau config -v"],
    "send": ["pantau send", "pantau send --limit 5"],
    "digest": ["pantau digest"],
    "bot": ["pantau bot"],
    "train": ["pantau train", "pantau train --data labels.jsonl -o data/model.npz"],
    "web": ["pantau web", "pantau web --host 0.0.0.0 --port 8080"],
    "site": ["pantau site build public/"],
    "labels": ["pantau labels export > labels.jsonl", "pantau labels export --facts > facts.jsonl"],
    "audit": ["pantau audit"],
}


def epilog(name: str) -> str:
    lines = EXAMPLES.get(name) or [f"pantau {name}"]
    return "examples:\n" + "\n".join(f"  {line}" for line in lines)


def _columns() -> int:
    """What ``shutil.get_terminal_size().columns`` answers (COLUMNS, else the terminal, else 80),
    without importing ``shutil`` (and with it bz2, lzma, fnmatch: ~5 ms of every start-up, issue 15)."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


_FORMATTERS: dict[type, type] = {}


def formatter(base: type = argparse.HelpFormatter) -> type:
    """``base`` (an argparse help formatter) told the width up front, as argparse would compute it."""
    if base not in _FORMATTERS:
        def __init__(self, prog, indent_increment=2, max_help_position=24, width=None):
            base.__init__(self, prog, indent_increment, max_help_position,
                          _columns() - 2 if width is None else width)

        _FORMATTERS[base] = type(base.__name__, (base,), {"__init__": __init__})
    return _FORMATTERS[base]


class HelpfulSubParsers(argparse._SubParsersAction):
    """``add_parser`` that fills in a description and an examples epilog."""

    def add_parser(self, name, **kwargs):
        if not kwargs.get("description"):
            short = kwargs.get("help") or name
            kwargs["description"] = short[:1].upper() + short[1:] + ("" if short.endswith(".") else ".")
        if not kwargs.get("epilog"):
            kwargs["epilog"] = epilog(name)
        kwargs["formatter_class"] = formatter(kwargs.get("formatter_class", argparse.RawDescriptionHelpFormatter))
        parser = super().add_parser(name, **kwargs)
        parser.register("action", "parsers", _SubSubParsers)  # e.g. `pantau sources import`
        return parser


class _SubSubParsers(argparse._SubParsersAction):
    """A subcommand's own subcommands: the same width-aware formatter, no examples table."""

    def add_parser(self, name, **kwargs):
        kwargs["formatter_class"] = formatter(kwargs.get("formatter_class", argparse.HelpFormatter))
        return super().add_parser(name, **kwargs)


def package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pantau-phk")
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "unknown"
