#!/usr/bin/env bash
# Install Pantau PHK with its test extra into .venv (if needed) and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
# The website's browser test drives Debian's chromium (Playwright with executable_path; no browser download).
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's chromium for the browser test" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "note: chromium is not installed (apt-get install chromium as root); the browser test will be skipped" >&2
  fi
fi
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
