#!/usr/bin/env bash
# Set up (if needed) and run every check: lint, format, types, sample-corpus sync, tests.
# Extra arguments go to pytest (e.g. `bash scripts/test.sh -m slow` for the long evaluations).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "== ruff";   .venv/bin/ruff check src tests scripts
echo "== format"; .venv/bin/ruff format --check src tests scripts
echo "== mypy";   .venv/bin/mypy
echo "== sample corpus"; .venv/bin/python scripts/build_sample.py --check
echo "== pytest"; .venv/bin/python -m pytest "$@"
