#!/usr/bin/env bash
# Install Pantau PHK with its test extra into .venv (if needed) and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/venv.sh "[test]"
set +e
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
rc=$?
set -e
if [ "$rc" -eq 5 ]; then
  echo "error: no tests ran" >&2
  exit 1
fi
exit "$rc"
