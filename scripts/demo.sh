#!/usr/bin/env bash
# Set up (if needed) and run the main job: the bundled sample corpus into ./babelwire.db.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/babelwire demo "$@"
