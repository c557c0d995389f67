#!/usr/bin/env bash
# Install sopcli into ./.venv on a fresh machine and show that it works.
# Usage: ./setup.sh            (add --test to install the test tools too)
set -euo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-python3}
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "Нужен Python 3.11 или новее (переменная PYTHON=...)." >&2
  exit 1
fi
[ -x .venv/bin/python ] || "$PY" -m venv .venv
extra=""
[ "${1:-}" = "--test" ] && extra="[test]"
# -qq: errors only. pip's notes about package indexes this machine lists but lacks, and setuptools'
# "Editable installation" banner, read like failures to a secretary and change nothing; a real
# failure still prints pip's ERROR lines and stops the script (set -e).
export PYTHONWARNINGS=ignore PIP_DISABLE_PIP_VERSION_CHECK=1
.venv/bin/python -m pip install -qq --upgrade pip
.venv/bin/python -m pip install -qq -e ".${extra}"
unset PYTHONWARNINGS
umask 077
echo "sopcli установлен: $(.venv/bin/sopcli --version)"
[ "${1:-}" = "--test" ] && exit 0
# A working registry: created on first run (--new: asked for here, as a script must), upgraded on later ones
# (SOPCLI_DB or --db choose where).
.venv/bin/sopcli init --new
echo "Пример: .venv/bin/sopcli deadlines --overdue"
.venv/bin/sopcli deadlines --overdue
