"""Shared fixtures: a private config/cache per test and the real CLI as a process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> object:
        return json.loads(self.out)


@pytest.fixture
def sop_env(tmp_path: Path) -> dict[str, str]:
    """Environment for one isolated user: own config and cache folders."""
    env = dict(os.environ)
    env["SOPCLI_CONFIG_DIR"] = str(tmp_path / "config")
    env["SOPCLI_CACHE_DIR"] = str(tmp_path / "cache")
    env["NO_COLOR"] = "1"
    env["COLUMNS"] = "200"
    env.pop("SOPCLI_DB", None)
    return env


@pytest.fixture
def sop(sop_env: dict[str, str]):
    """Run `sopcli ARGS…` as a real process (python -m sopcli) and capture it."""

    def run(*args: str, stdin: str | None = None) -> Result:
        proc = subprocess.run(
            [sys.executable, "-m", "sopcli", *args],
            env=sop_env, capture_output=True, text=True, input=stdin, timeout=60,
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)

    return run


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
