"""Two steps on one family at the same moment, on PostgreSQL (READ COMMITTED, row locks).

The first step is held open in this process at the exact point of the race;
the second runs as the real CLI and is seen waiting on a lock (pg_stat_activity)
before the first commits — no sleeps, no timing. SQLite writes one transaction
at a time (BEGIN IMMEDIATE), so these races exist only on a server.
"""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

TODAY = datetime.now(ZoneInfo("Europe/Moscow")).strftime("%d.%m.%Y")


@pytest.fixture
def pg_case(sopr, db_url):
    """Case 1 on PostgreSQL, recognized, with one measure in its draft programme."""
    if "://" not in db_url:
        pytest.skip("row-lock races: PostgreSQL only (SQLite serialises writers)")
    # the school the signal comes from, in the directory (issue 28: `--source` names an agency)
    assert sopr("agency", "add", "Школа № 1", "--kind", "образование").code == 0
    assert sopr("signal", "add", "--no-threat",
                "--received", "02.11.2026 10:00", "--source", "Школа № 1", "--problem", "Пропуски",
                "--child", "Сидоров Пётр Ильич, 10.02.2012", "--parent", "Сидорова Анна Петровна").code == 0
    assert sopr("check", "1", "--concluded", "05.11.2026", "--level", "high", "--outcome", "sop").code == 0
    assert sopr("recognize", "1", "--date", "09.11.2026", "--resolution", "7-п",
                "--curator", "Петрова Анна Викторовна").code == 0
    assert sopr("plan", "add", "1", "--measure", "Беседа", "--executor", "Орган внутренних дел (ПДН)",
                "--due", "1m").code == 0
    return db_url


def _held(url: str):
    """A write transaction of this process, as `registry()` opens it."""
    from sopcli.db import make_engine, transaction
    from sopcli.services.registry import Registry, load_settings
    from sopcli.services.trust.audit import lock_chain

    engine = make_engine(url)
    tx = transaction(engine)
    session = tx.__enter__()
    reg = Registry(engine, load_settings(session), command="test")
    lock_chain(session, reg)  # registry() takes the audit chain's head first (0006): the lock order every step keeps
    return engine, tx, session, reg


def _start_waiting(env: dict[str, str], url: str, *args: str) -> subprocess.Popen:
    """`sopcli ARGS` started, returned once its connection waits for a lock this process holds."""
    from sqlalchemy import create_engine, text

    proc = subprocess.Popen([sys.executable, "-m", "sopcli", *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    watch = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        for _ in range(1200):
            with watch.connect() as conn:
                waiting = conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                                            " AND wait_event_type = 'Lock'")).scalar()
            if waiting or proc.poll() is not None:
                break
            time.sleep(0.1)
    finally:
        watch.dispose()
    assert proc.poll() is None, f"the second step did not wait: {proc.communicate()}"
    return proc


def _one(url: str, sql: str, **params: object) -> object:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        value = conn.execute(text(sql), params).scalar()
    engine.dispose()
    return value


def test_done_and_approval_fulfil_the_card_once(pg_case, reg_env, sopr):
    """`deadlines done` on the registration card while the programme is approved (which also fulfils it)."""
    from sopcli.services.steps import obligations

    engine, tx, session, reg = _held(pg_case)
    ob = obligations.find_open(session, "me.card", 1, None)
    obligations.fulfil(session, reg, ob, datetime.now(ZoneInfo("UTC")), "исх. 15")
    session.flush()
    approve = _start_waiting(reg_env, pg_case, "plan", "approve", "1", "--date", TODAY, "--resolution", "12-п")
    tx.__exit__(None, None, None)
    engine.dispose()
    _out, err = approve.communicate(timeout=120)
    assert approve.returncode == 0, err
    assert _one(pg_case, "SELECT count(*) FROM audit_entry WHERE action = 'fulfil' AND entity = 'obligation' "
                         "AND entity_id = :i", i=ob.id) == 1
    assert _one(pg_case, "SELECT note FROM obligation WHERE id = :i", i=ob.id) == "исх. 15"  # the first one kept


def test_done_on_the_control_while_the_case_closes(pg_case, reg_env, sopr):
    """The 6-month control marked done while the case is being closed: no deadlock, nothing left open."""
    from sopcli.services.steps.common import get_case
    from sopcli.services.steps.lifecycle import ClosureInput, close_case

    engine, tx, session, reg = _held(pg_case)
    get_case(session, 1)  # `close` holds the case from its first statement
    done = _start_waiting(reg_env, pg_case, "deadlines", "done", "--rule", "me.control.6m", "--case", "1",
                          "--date", TODAY)
    close_case(session, reg, 1, ClosureInput(datetime.strptime(TODAY, "%d.%m.%Y").date(), "3-п", "improved"),
               datetime.now(ZoneInfo("UTC")))
    tx.__exit__(None, None, None)
    engine.dispose()
    _out, err = done.communicate(timeout=120)
    assert (done.returncode, err.strip()) == (2, "Ошибка: Открытой обязанности me.control.6m по делу №1 нет.")
    left = [o["rule"] for o in sopr("case", "show", "1", "--json").json()["obligations"]
            if o["status"] == "open" and o["rule"] == "me.control.6m"]
    assert left == []


def test_the_first_writes_of_a_new_quarter_open_its_standing_terms_once(sopr, db_url, reg_env):
    """Two writes open the new period's standing obligations (004 §5.6 bank list, reconciliations) at once."""
    if "://" not in db_url:
        pytest.skip("row-lock races: PostgreSQL only (SQLite serialises writers)")
    from sqlalchemy import create_engine, text

    from sopcli.services.steps.standing import ensure_standing

    standing = "case_id IS NULL AND signal_id IS NULL AND complex_measure_id IS NULL"
    admin = create_engine(db_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:  # the clock cannot be moved to a new quarter: its obligations are removed instead
        expected = sorted(conn.execute(text(f"SELECT rule, recipient FROM obligation WHERE {standing}")).all())
        conn.execute(text(f"DELETE FROM obligation WHERE {standing}"))
    assert expected
    engine, tx, session, reg = _held(db_url)
    assert ensure_standing(session, reg, datetime.now(reg.tz).date())
    session.flush()
    write = _start_waiting(reg_env, db_url, "agency", "add", "Центр «Семья»")
    tx.__exit__(None, None, None)
    engine.dispose()
    _out, err = write.communicate(timeout=120)
    assert write.returncode == 0, err
    with admin.connect() as conn:
        after = sorted(conn.execute(text(f"SELECT rule, recipient FROM obligation WHERE {standing} "
                                         "AND recipient <> 'Центр «Семья»'")).all())
    admin.dispose()
    assert after == expected
