#!/usr/bin/env bash
# Install everything the tests need (from nothing), start a throw-away
# PostgreSQL for the registry suite, LibreOffice for the papers, and run the whole suite.
set -euo pipefail
cd "$(dirname "$0")"
./setup.sh --test >/dev/null
. tests/pg.sh
start_pg
. tests/office.sh
install_office
.venv/bin/ruff check src tests bench scripts
# Bytecode for every module now: CI sets PYTHONDONTWRITEBYTECODE, so otherwise each of the suite's
# thousands of `python -m sopcli` processes would compile sopcli from source again.
.venv/bin/python -m compileall -q src >/dev/null
# --durations: the slowest tests in every CI log, where a suite that grows is seen first.
.venv/bin/python -m pytest -n 2 --dist loadfile --durations=40 "$@"
