"""Pantau PHK entry point: the ``pantau`` command and the long-running service.

``python scheduler.py`` is ``pantau run``. This module only wires the
crawler's and the bot's commands together.
"""

from __future__ import annotations

import sys

from crawler import cli as crawler_cli


def build_parser():
    parser, sub = crawler_cli.build_parser("pantau")
    crawler_cli.register(sub)
    try:
        from bot import cli as bot_cli
    except ImportError:  # pragma: no cover - bot package missing
        bot_cli = None
    if bot_cli is not None:
        bot_cli.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    return crawler_cli.dispatch(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["run"]))
