"""The fault suite's registry: built once per module and engine, thousands of cases, then abused.

The cases are inserted directly by bench/bench_registry.py's generator at a small
scale, because three thousand `signal add` processes would take longer than the
whole suite; the invariants judge only what the CLI did afterwards (probe.invariants).
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests import forkserver
from tests.conftest import Result, bench_script, pg_admin, private_env, throwaway_database
from tests.faults import probe

CASES = int(os.environ.get("SOPCLI_FAULT_CASES", "3000"))


@dataclass
class Registry:
    engine: str
    url: str  # an SQLite path or a PostgreSQL URL
    env: dict[str, str]
    folder: Path
    admin: Any = None  # PostgreSQL: a connection to the server's own database, for pg_stat_activity
    dbname: str = ""

    def run(self, *args: str, timeout: float = 300) -> Result:
        return Result(*forkserver.run(args, self.env, timeout=timeout))

    def timed(self, *args: str) -> tuple[Result, float]:
        t = time.monotonic()
        r = self.run(*args)
        return r, time.monotonic() - t

    def writing(self, pid: int) -> bool:
        """Did the process hold the registry's write transaction a moment ago?"""
        if self.engine == "sqlite":
            return probe.sqlite_writer(self.url, pid)
        return probe.pg_writers(self.admin, self.dbname) > 0

    def kill_during(self, args: list[str], delay: float) -> tuple[bool, bool, int]:
        """Start `sopcli ARGS`, SIGKILL it after `delay` s: (killed, held the write transaction, exit code)."""
        proc = forkserver.Process(args, self.env)
        deadline = time.monotonic() + delay
        while proc.poll() is None and time.monotonic() < deadline:
            time.sleep(min(0.005, max(0.0, deadline - time.monotonic())))
        if proc.poll() is not None:
            return False, False, proc.returncode
        mid = self.writing(proc.pid)
        proc.send_signal(signal.SIGKILL)
        code = proc.wait()
        return code == -signal.SIGKILL, mid and code == -signal.SIGKILL, code


def generate(url: str, cases: int) -> None:
    """Recognised families with a child and a parent each, spread over 2019 – 2026, with the terms of their steps
    (most past ones met, later ones open): the benchmark's registry, small."""
    bench_script("bench_registry").generate(url, cases)


@contextmanager
def _engine_url(engine: str, folder: Path) -> Iterator[tuple[str, Any, str]]:
    """The registry's location; on PostgreSQL also a connection to the server for pg_stat_activity."""
    if engine == "sqlite":
        yield str(folder / "data" / "registry.db"), None, ""
        return
    import psycopg

    with throwaway_database("sopf", suite="fault") as url:
        admin = psycopg.connect(probe.pg_dsn(pg_admin("fault")), autocommit=True)
        try:
            yield url, admin, url.rsplit("/", 1)[1]
        finally:
            admin.close()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """An initialised registry with CASES generated cases on one engine; `.base` is its state before the suite."""
    folder = tmp_path_factory.mktemp(f"faults-{request.param}")
    with _engine_url(request.param, folder) as (url, admin, name):
        env = dict(private_env(folder), SOPCLI_DB=url)
        reg = Registry(request.param, url, env, folder, admin, name)
        r = reg.run("init", "--new",
                    "--rules", "mari-el")  # the steps it kills are 004's (me.program.send, the control)
        assert r.code == 0, r.err
        generate(url if "://" in url else f"sqlite:///{url}", CASES)
        reg.base = probe.state(url)  # type: ignore[attr-defined]
        yield reg
