#!/usr/bin/env bash
# Install everything the tests need (from nothing), start a throw-away
# PostgreSQL for the registry suite, and run the whole suite.
set -euo pipefail
cd "$(dirname "$0")"
./setup.sh --test >/dev/null
. tests/pg.sh
start_pg
.venv/bin/ruff check src tests bench scripts
.venv/bin/python -m pytest -n 2 --dist loadfile "$@"
