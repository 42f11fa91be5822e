"""``python -m crawler COMMAND``: the crawler's commands alone (used for crawl subprocesses)."""

import sys

from .cli import main

sys.exit(main())
