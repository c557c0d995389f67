"""The fault suite's registry: built once per module and engine, thousands of cases, then abused.

The cases are inserted directly (like bench/bench_registry.py) because three
thousand `signal add` processes would take longer than the whole suite; the
invariants judge only what the CLI did afterwards (probe.invariants).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Result
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
        proc = subprocess.run([sys.executable, "-m", "sopcli", *args], env=self.env, capture_output=True,
                              text=True, timeout=timeout)
        return Result(proc.returncode, proc.stdout, proc.stderr)

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
        proc = subprocess.Popen([sys.executable, "-m", "sopcli", *args], env=self.env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + delay
        while proc.poll() is None and time.monotonic() < deadline:
            time.sleep(min(0.005, max(0.0, deadline - time.monotonic())))
        if proc.poll() is not None:
            return False, False, proc.returncode
        mid = self.writing(proc.pid)
        proc.send_signal(signal.SIGKILL)
        code = proc.wait()
        return code == -signal.SIGKILL, mid and code == -signal.SIGKILL, code


def _engine_url(request: pytest.FixtureRequest, folder: Path) -> tuple[str, Any, str]:
    if request.param == "sqlite":
        return str(folder / "data" / "registry.db"), None, ""
    admin_url = os.environ.get("SOPCLI_TEST_PG")
    if not admin_url:
        if os.environ.get("CI"):
            pytest.fail("CI must run the fault suite on PostgreSQL: SOPCLI_TEST_PG is not set")
        pytest.skip("no PostgreSQL (SOPCLI_TEST_PG); ./test.sh starts one")
    import psycopg

    name = f"sopf_{uuid.uuid4().hex[:12]}"
    admin = psycopg.connect(probe.pg_dsn(admin_url), autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    return admin_url.rsplit("/", 1)[0] + "/" + name, admin, name


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """An initialised registry with CASES generated cases on one engine; `.base` is its state before the suite."""
    folder = tmp_path_factory.mktemp(f"faults-{request.param}")
    url, admin, name = _engine_url(request, folder)
    env = dict(os.environ, SOPCLI_DB=url, SOPCLI_CONFIG_DIR=str(folder / "config"),
               SOPCLI_CACHE_DIR=str(folder / "cache"), NO_COLOR="1", COLUMNS="200")
    for xdg in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        env[xdg] = str(folder / xdg.lower())
    reg = Registry(request.param, url, env, folder, admin, name)
    r = reg.run("init", "--rules", "mari-el")  # the steps it kills are 004's (me.program.send, the control)
    assert r.code == 0, r.err
    generate(url if "://" in url else f"sqlite:///{url}", CASES)
    reg.base = probe.state(url)  # type: ignore[attr-defined]
    yield reg
    if admin is not None:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def generate(url: str, cases: int, seed: int = 7) -> None:
    """Recognised families with a child each, spread over 2019 – today; a few open obligations per case."""
    from faker import Faker
    from sqlalchemy import create_engine, insert, text
    from sqlmodel import SQLModel

    import sopcli.models  # noqa: F401

    fake = Faker("ru_RU")
    Faker.seed(seed)
    rng = random.Random(seed)
    t = SQLModel.metadata.tables
    engine = create_engine(url)
    now = datetime.now(UTC)
    today = now.date()
    with engine.begin() as conn:
        off = {k: conn.execute(text(f"SELECT coalesce(max(id), 0) FROM {k}")).scalar_one()
               for k in ("person", "signal", "check_conclusion", "sop_case")}
        persons, signals, links, checks, kases, obs = [], [], [], [], [], []
        for i in range(1, cases + 1):
            rec = date(2019, 1, 1) + timedelta(days=rng.randrange(0, (today - date(2019, 1, 1)).days - 20))
            born = rec - timedelta(days=rng.randrange(365 * 2, 365 * 17))
            child = f"{fake.last_name_male()} {fake.first_name_male()} {fake.middle_name_male()}"
            parent = f"{fake.last_name_female()} {fake.first_name_female()} {fake.middle_name_female()}"
            pc, pp, sid, cid = off["person"] + 2 * i - 1, off["person"] + 2 * i, off["signal"] + i, off["sop_case"] + i
            persons += [{"id": pc, "full_name": child, "name_key": child.lower(), "birth_date": born},
                        {"id": pp, "full_name": parent, "name_key": parent.lower(), "birth_date": None}]
            received = datetime.combine(rec - timedelta(days=12), datetime.min.time(), tzinfo=UTC)
            signals.append({"id": sid, "year": received.year, "seq": 100_000 + i, "received_at": received,
                            "source": "МБОУ СОШ № 1", "channel": "written", "address": fake.street_address(),
                            "problem": "Ненадлежащее исполнение родительских обязанностей", "help_needed": "",
                            "threat": False, "result": "", "status": "checked", "created_at": now})
            links += [{"signal_id": sid, "person_id": pc, "role": "child"},
                      {"signal_id": sid, "person_id": pp, "role": "parent"}]
            checks.append({"id": off["check_conclusion"] + i, "signal_id": sid, "concluded_on": rec - timedelta(days=3),
                           "level": "high", "outcome": "sop", "criteria": "1", "family": "", "housing": "",
                           "income": "", "support": "", "note": "", "created_at": now})
            closed = rec < today - timedelta(days=400) and rng.random() < 0.5
            kases.append({"id": cid, "signal_id": sid, "subject": "family", "recognized_on": rec,
                          "resolution_no": str(i), "curator": "Петрова Анна Викторовна", "members": "",
                          "until": None, "status": "closed" if closed else "open",
                          "closed_on": rec + timedelta(days=380) if closed else None, "close_resolution": "",
                          "close_ground": "improved" if closed else "", "close_note": "", "created_at": now})
            for rule, days in (("me.control.6m", 182), ("plan.measure", 60)):
                obs.append({"rule": rule, "title": rule, "who": "КДН", "recipient": "КДН", "source": "004 §5.6",
                            "signal_id": sid, "case_id": cid, "person_id": None,
                            "trigger_at": datetime.combine(rec, datetime.min.time(), tzinfo=UTC),
                            "due": rec + timedelta(days=days), "due_at": None, "target": None,
                            "status": "cancelled" if closed else "open", "fulfilled_at": None, "late_wd": None,
                            "cancel_reason": "", "note": "", "created_at": now})
        for table, values in (("person", persons), ("signal", signals), ("signal_person", links),
                              ("check_conclusion", checks), ("sop_case", kases), ("obligation", obs)):
            conn.execute(insert(t[table]), values)
        if engine.dialect.name == "postgresql":  # explicit ids do not move the sequences
            for table in ("person", "signal", "check_conclusion", "sop_case"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                  f"(SELECT max(id) FROM {table}))"))
    engine.dispose()
