#!/usr/bin/env bash
# Install everything the tests need (from nothing) and run the whole suite.
set -euo pipefail
cd "$(dirname "$0")"
./setup.sh --test >/dev/null
.venv/bin/ruff check src tests bench
.venv/bin/python -m pytest "$@"
