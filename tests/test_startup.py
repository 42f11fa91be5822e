"""``pantau --help`` and ``pantau status`` import only what they need (issue 15).

Each command runs in a fresh interpreter exactly as the console script does
(``scheduler.main``); the test then lists the heavy libraries found in
``sys.modules``. Any of them costs tens to hundreds of milliseconds at every
cron run (sqlite-utils alone pulls in numpy when matplotlib installed it).
Wall times are reported by bench/startup.py, not asserted here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ["scrapy", "twisted", "telegram", "matplotlib", "numpy", "sklearn", "sqlite_utils", "apscheduler",
         "feedparser", "lxml", "asyncio"]

PROBE = """
import json, sys
sys.argv = ["pantau"] + json.loads(sys.argv[1])
from scheduler import main
try:
    code = main()
except SystemExit as exc:
    code = exc.code
print("RESULT " + json.dumps({"code": code, "heavy": [m for m in %r if m in sys.modules]}))
""" % (HEAVY,)


def probe(args: list[str], tmp_path: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PANTAU_", "TELEGRAM_"))}
    env.update(PANTAU_DB=str(tmp_path / "pantau.db"), PANTAU_LOG_LEVEL="WARNING", PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-c", PROBE, json.dumps(args)], env=env, capture_output=True,
                          text=True, cwd=tmp_path, timeout=60)
    lines = [x for x in proc.stdout.splitlines() if x.startswith("RESULT ")]
    assert lines, proc.stdout[-2000:] + proc.stderr[-2000:]
    return json.loads(lines[-1][7:])


@pytest.mark.parametrize("args", [["--help"], ["status"]], ids=["help", "status"])
def test_command_does_not_import_heavy_libraries(tmp_path, args):
    if args == ["status"]:
        from crawler.store import Store

        Store.open(tmp_path / "pantau.db").close()  # an existing (empty) database
    result = probe(args, tmp_path)
    assert result["heavy"] == [], result


def test_store_works_without_sqlite_utils_loaded(tmp_path):
    """Store.db answers the project's queries itself, migrations included (a new database too);
    sqlite-utils loads only when one of its extras is used."""
    code = ("import sys\nfrom crawler.store import Store\n"
            f"s = Store.open({str(tmp_path / 'p.db')!r})\n"
            "s.insert_article({'url': 'https://b.example/1', 'title': 'PHK AI', 'text': 'x', 'fetched': 'now',"
            " 'match': 1}, ['g1'])\n"
            "rows = list(s.db.query('SELECT a.id, b.id FROM articles a JOIN articles b ON a.id = b.id'))\n"
            "assert rows == [{'id': 1, 'id_2': 1}], rows\n"
            "assert 'articles' in s.db.table_names()\n"
            "assert 'sqlite_utils' not in sys.modules\n"
            "assert s.db['articles'].count == 1 and 'sqlite_utils' in sys.modules\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr[-2000:]


# Standard-library modules that cost 4-10 ms each at start-up and that these commands do not need:
# dataclasses (inspect, ast, dis), typing, shutil (bz2, lzma: argparse imports it for the terminal
# width), email (date parsing), and for --help also logging (nothing is logged).
LIGHT = {"--help": ["dataclasses", "typing", "shutil", "logging", "inspect", "email"],
         "status": ["dataclasses", "typing", "shutil", "inspect", "email"]}


@pytest.mark.parametrize("args", [["--help"], ["status"]], ids=["help", "status"])
def test_command_skips_costly_standard_modules(tmp_path, args):
    if args == ["status"]:
        from crawler.store import Store

        Store.open(tmp_path / "pantau.db").close()
    global PROBE
    saved = PROBE
    try:
        PROBE = PROBE.replace(repr(HEAVY), repr(LIGHT[args[0]]))
        result = probe(args, tmp_path)
    finally:
        PROBE = saved
    assert result["code"] in (0, 3), result  # 3: an empty database has no crawl yet
    assert result["heavy"] == [], result


def test_help_wraps_to_the_terminal_width_without_shutil(tmp_path):
    """argparse's own width rule (COLUMNS, else the terminal, else 80) is kept."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PANTAU_", "TELEGRAM_"))}
    env.update(PANTAU_DB=str(tmp_path / "pantau.db"), PYTHONPATH=str(ROOT))
    for columns, widest in (("50", 48), ("120", 118)):
        env["COLUMNS"] = columns
        out = subprocess.run([sys.executable, "-c", "import sys; sys.argv=['pantau','sources','import','--help'];"
                              "from scheduler import main; main()"], env=env, capture_output=True, text=True,
                             cwd=tmp_path, timeout=60).stdout
        assert "--allow-private" in out
        assert max(len(line) for line in out.splitlines()) <= widest
    assert max(len(line) for line in out.splitlines()) > 50  # the wide terminal is used
