#!/usr/bin/env bash
# Install Pantau PHK into .venv (if needed) and start the main job: `pantau run`.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
.venv/bin/python -m pip install -q -e .
exec .venv/bin/pantau run "$@"
