"""`calendar due`, `calendar show` and `rules` on a registry never start the ORM (issue 17 §4).

Reading the calendar overrides through SQLModel cost about 0.35 s of a 0.45 s
`calendar due`; the ORM-free reader answers the same. Each command runs in a
fresh interpreter against a registry with a local override, which must show
in the answer (so the registry really was read), and must leave SQLAlchemy,
SQLModel and Alembic unimported — and psycopg too: on PostgreSQL these few rows
are read through libpq itself (`sopcli.pg_light`), whose import costs nothing
beside psycopg's 0.2 s.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import private_env, runner, throwaway_database

REASON = "Постановление администрации № 7"

PROBE = """
import json, sys
from sopcli.cli import main
try:
    main(json.loads(sys.argv[1]))
except SystemExit as stop:
    code = stop.code
heavy = [m for m in ("sqlalchemy", "sqlmodel", "alembic", "psycopg") if m in sys.modules]
sys.stderr.write("\\nPROBE " + json.dumps({"code": code, "heavy": heavy}) + "\\n")
"""


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def reg_env(request, tmp_path_factory):
    home = tmp_path_factory.mktemp("calendar")
    if request.param == "sqlite":
        yield _registry(home, str(home / "registry.db"))
        return
    with throwaway_database("cal") as url:
        yield _registry(home, url)


def _registry(home, db: str) -> dict[str, str]:
    env = {**private_env(home), "SOPCLI_DB": db}
    run = runner(env)
    for args in (("init", "--new",
                  "--rules", "mari-el"), ("calendar", "set", "05.03.2025", "--off", "--reason", REASON)):
        done = run(*args)
        assert done.code == 0, done.err
    return env


@pytest.mark.parametrize(("args", "shows"), [
    (["calendar", "due", "03.03.2025", "5wd"], "Срок истекает: 11.03.2025"),  # 05.03 is off: a day later
    (["calendar", "show", "2025", "--json"], REASON),
    (["rules"], "← реестр"),  # the registry's own set is marked: its settings were read
], ids=["due", "show", "rules"])
def test_reads_the_registry_without_the_orm(reg_env, args, shows):
    proc = subprocess.run([sys.executable, "-c", PROBE, json.dumps(args)], env=reg_env, capture_output=True,
                          text=True, timeout=120)
    probe = json.loads(proc.stderr.rsplit("PROBE ", 1)[1])
    assert probe["code"] in (0, None), proc.stderr
    assert shows in proc.stdout, proc.stdout
    assert probe["heavy"] == [], probe
