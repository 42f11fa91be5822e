#!/usr/bin/env bash
# Install Pantau PHK into .venv (if needed) and start the main job: `pantau run`.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/venv.sh
exec .venv/bin/pantau run "$@"
