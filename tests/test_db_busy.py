"""A busy registry: the secretary is told, Ctrl-C is honoured at once, a long wait ends in one line.

Another program holds the write lock for real (SQLite's BEGIN IMMEDIATE on the same file; on
PostgreSQL the audit chain's head row, which every write step locks first).
"""

from __future__ import annotations

import os
import pty
import select
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

# every option given: at a terminal `signal add` would otherwise ask the channel, the threat and the kind
STEP = ("signal", "add", "--received", "02.11.2026 10:00", "--source", "школа № 5",
        "--child", "Петров Иван Сергеевич, 01.02.2015", "--problem", "пропуски занятий",
        "--channel", "письменно", "--no-threat", "--kind", "признаки СОП")


def _journal(sopr) -> list:
    res = sopr("signal", "list", "--json")
    assert res.code == 0, res.err
    return res.json()["signals"]


def _hold(url: str):
    """The write lock taken by "another command": a connection of our own, kept open."""
    if "://" not in url:
        conn = sqlite3.connect(url, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        return conn
    import psycopg

    conn = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))
    conn.execute("SELECT 1 FROM audit_head FOR UPDATE")
    return conn


SCHOOL = ("agency", "add", "Школа № 5", "--kind", "образование")  # the signal's source, in the directory (issue 28)


def test_a_long_wait_ends_in_one_russian_line_and_nothing_written(sopr, reg_env, db_url):
    assert sopr(*SCHOOL).code == 0
    assert sopr(*STEP[:7], "Сидоров Олег Петрович, 03.04.2014", *STEP[8:]).code == 0  # the audit head exists
    before = _journal(sopr)
    holder = _hold(db_url)
    try:
        reg_env["SOPCLI_BUSY_TIMEOUT"] = "2"
        start = time.monotonic()
        res = sopr(*STEP)
        waited = time.monotonic() - start
    finally:
        holder.rollback()
        holder.close()
    assert res.code == 1, res.err
    assert res.err.strip().splitlines() == [
        "Ошибка: реестр занят другой командой дольше 2 с: ничего не записано. Повторите позже; "
        "если реестр держит зависшая программа, закройте её."]
    assert "Error" not in res.err and "OperationalError" not in res.err
    assert waited >= 2
    assert _journal(sopr) == before
    del reg_env["SOPCLI_BUSY_TIMEOUT"]
    assert sopr(*STEP).code == 0  # once the other program lets go, the step goes through


def _read_all(fd: int, until: str, seconds: float) -> str:
    out, end = b"", time.monotonic() + seconds
    while time.monotonic() < end and until not in out.decode(errors="replace"):
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                out += os.read(fd, 4096)
            except OSError:
                break
    return out.decode(errors="replace")


def test_at_a_terminal_the_wait_is_announced_and_ctrl_c_ends_it_at_once(tmp_path, sop_env):
    """SQLite only: the announcement is SQLite's loop; PostgreSQL waits inside the server."""
    db = str(tmp_path / "r.db")
    env = dict(sop_env, SOPCLI_DB=db, SOPCLI_BUSY_TIMEOUT="60")
    made = subprocess.run([sys.executable, "-m", "sopcli", "init", "--new"], env=env, capture_output=True)
    assert made.returncode == 0
    assert subprocess.run([sys.executable, "-m", "sopcli", *SCHOOL], env=env, capture_output=True).returncode == 0
    holder = _hold(db)
    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen([sys.executable, "-m", "sopcli", *STEP], env=env,
                                stdin=slave, stdout=slave, stderr=slave)
        shown = _read_all(master, "жду", 30)
        assert "Реестр занят другой командой, жду…" in shown
        start = time.monotonic()
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=10)
        stopped = time.monotonic() - start
        shown += _read_all(master, "Прервано", 5)
    finally:
        holder.rollback()
        holder.close()
        os.close(slave)
        os.close(master)
    assert code == 130
    assert stopped < 5  # at once, not after the 60 s wait
    assert "Прервано: незавершённая запись отменена." in shown
    assert "Traceback" not in shown
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM signal").fetchone()[0] == 0
    conn.close()


@pytest.mark.parametrize("value", ["abc", "2 минуты"])
def test_a_bad_wait_setting_is_refused(sop, sop_env, tmp_path, value):
    sop_env["SOPCLI_DB"] = str(tmp_path / "r.db")
    assert sop("init", "--new").code == 0
    assert sop(*SCHOOL).code == 0
    sop_env["SOPCLI_BUSY_TIMEOUT"] = value
    res = sop(*STEP)
    assert res.code == 2
    assert res.err.strip() == "Ошибка: SOPCLI_BUSY_TIMEOUT: ожидается число секунд."
