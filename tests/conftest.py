"""Shared fixtures: a private config/cache per test and the real CLI as a process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]  # the repository: tests find bench/ and README.md from it
SHARED = REPO.parent / "shared"  # the seeds and design notes, beside the repository as CI places them


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> object:
        return json.loads(self.out)


def private_env(home: Path) -> dict[str, str]:
    """Environment for one isolated user under `home`: own config, cache and data folders, no colours."""
    env = dict(os.environ)
    env["SOPCLI_CONFIG_DIR"] = str(home / "config")
    env["SOPCLI_CACHE_DIR"] = str(home / "cache")
    for xdg in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        env[xdg] = str(home / xdg.lower())  # never the user's real registry
    env["NO_COLOR"] = "1"
    env["COLUMNS"] = "200"
    env.pop("SOPCLI_DB", None)
    return env


@pytest.fixture
def sop_env(tmp_path: Path) -> dict[str, str]:
    """Environment for one isolated user: own config and cache folders."""
    return private_env(tmp_path)


def runner(env: dict[str, str]):
    """`run(*args)`: `sopcli ARGS…` as a real process (python -m sopcli) in `env`, captured."""

    def run(*args: str, stdin: str | None = None) -> Result:
        proc = subprocess.run(
            [sys.executable, "-m", "sopcli", *args],
            env=env, capture_output=True, text=True, input=stdin, timeout=120,
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)

    return run


@pytest.fixture
def sop(sop_env: dict[str, str]):
    """The CLI for one isolated user (see `runner`)."""
    return runner(sop_env)


@pytest.fixture(scope="session")
def federal():
    from sopcli.deadlines import FederalData

    return FederalData.from_package()


@pytest.fixture(scope="session")
def cal(federal):
    from sopcli.deadlines import WorkCalendar

    return WorkCalendar(federal)


@pytest.fixture(scope="session")
def msk():
    from zoneinfo import ZoneInfo

    return ZoneInfo("Europe/Moscow")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path: Path):
    """A fresh empty registry location on each engine: an SQLite path or a new PG database."""
    if request.param == "sqlite":
        yield str(tmp_path / "data" / "registry.db")
        return
    admin = os.environ.get("SOPCLI_TEST_PG")
    if not admin:
        if os.environ.get("CI"):
            pytest.fail("CI must run the registry suite on PostgreSQL: SOPCLI_TEST_PG is not set")
        pytest.skip("no PostgreSQL (SOPCLI_TEST_PG); ./test.sh starts one")
    import uuid

    from sqlalchemy import create_engine, text

    name = f"sop_{uuid.uuid4().hex[:12]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield admin.rsplit("/", 1)[0] + "/" + name
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


@pytest.fixture
def reg_env(sop_env: dict[str, str], db_url: str) -> dict[str, str]:
    sop_env["SOPCLI_DB"] = db_url
    return sop_env


@pytest.fixture
def sopr(reg_env: dict[str, str]):
    """`sopcli` against an initialised registry on the parametrised engine."""
    run = runner(reg_env)
    first = run("init", "--rules", "mari-el")
    assert first.code == 0, first.err
    return run
