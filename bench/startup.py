"""Start-up cost of the ``pantau`` command vs. a bare interpreter.

    .venv/bin/python bench/startup.py [--runs 15]

Runs, interleaved, ``python -c pass`` (the baseline), ``pantau --help`` and
``pantau status`` (against a fresh database in a temporary directory, no
token) as subprocesses, and reports wall-time medians and p90, the overhead
over the baseline, and which heavy libraries each command imported (target:
``--help`` and ``status`` <= 150 ms wall, none of scrapy, telegram,
matplotlib, numpy, sklearn, sqlite_utils). Figures only: nothing is asserted.

Bytecode: an installed package runs from compiled ``.pyc`` files (pip compiles
them at install; an editable install writes them on its first run), so the
commands run with bytecode caching on and one warm-up run first, whatever
``PYTHONDONTWRITEBYTECODE`` says in the calling shell.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PANTAU = Path(sys.executable).parent / "pantau"
HEAVY = ("scrapy", "telegram", "matplotlib", "numpy", "sklearn", "sqlite_utils", "twisted", "apscheduler",
         "feedparser", "lxml")

# what a command imported: run its entry point in-process and list the heavy top-level packages
PROBE = """
import sys
sys.argv = ["pantau"] + sys.argv[1:]
from scheduler import main
try:
    main()
except SystemExit:
    pass
heavy = %r
print("HEAVY:" + ",".join(sorted(m for m in heavy if m in sys.modules)), file=sys.stderr)
""" % (HEAVY,)


def timed(cmd: list[str], env: dict) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=env["_CWD"])
    return (time.perf_counter() - t) * 1000


def heavy_imports(args: list[str], env: dict) -> str:
    proc = subprocess.run([sys.executable, "-c", PROBE, *args], env=env, capture_output=True, text=True,
                          cwd=env["_CWD"])
    line = [x for x in proc.stderr.splitlines() if x.startswith("HEAVY:")]
    return (line[-1][6:] or "none") if line else "?"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="pantau-startup-") as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PANTAU_", "TELEGRAM_"))}
        env.update(PANTAU_DB=str(Path(tmp) / "pantau.db"), PANTAU_LOG_LEVEL="WARNING", _CWD=tmp,
                   PYTHONPATH=str(ROOT))
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        subprocess.run([str(PANTAU), "status"], env=env, capture_output=True, cwd=tmp)  # create the database
        subprocess.run([str(PANTAU), "--help"], env=env, capture_output=True, cwd=tmp)  # warm-up: writes .pyc
        cases = {"python -c pass": [sys.executable, "-c", "pass"],
                 "pantau --help": [str(PANTAU), "--help"],
                 "pantau status": [str(PANTAU), "status"]}
        times: dict[str, list[float]] = {k: [] for k in cases}
        for _ in range(args.runs):
            for name, cmd in cases.items():
                times[name].append(timed(cmd, env))
        base = statistics.median(times["python -c pass"])
        print(f"{'command':16} {'median ms':>10} {'p90 ms':>8} {'over baseline':>14}  heavy imports")
        for name, ts in times.items():
            med = statistics.median(ts)
            p90 = sorted(ts)[int(0.9 * (len(ts) - 1))]
            heavy = "" if name.startswith("python") else heavy_imports(cases[name][1:], env)
            print(f"{name:16} {med:>10.1f} {p90:>8.1f} {med - base:>+11.1f} ms  {heavy}")
        print(f"(target: pantau --help and pantau status <= 150 ms wall; baseline {base:.1f} ms; with .pyc)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
