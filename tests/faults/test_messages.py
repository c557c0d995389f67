"""cli.environment_fault: the one place that names a full disk or a read-only file, without the SQL or a name."""

from __future__ import annotations

import errno
import sqlite3

import pytest

from sopcli.cli import environment_fault

CHILD = "Смирнова Мария Олеговна"


@pytest.mark.parametrize(("code", "words"), [
    (errno.ENOSPC, "не хватает места"), (errno.EDQUOT, "не хватает места"), (errno.EFBIG, "допустимый размер"),
    (errno.EROFS, "только для чтения"), (errno.EACCES, "нет прав доступа"),
    (errno.EISDIR, "папка с тем же именем"), (errno.ENAMETOOLONG, "имя файла длиннее"),
    (errno.EIO, "ошибка файловой системы (EIO)")])
def test_os_errors(code, words, tmp_path):
    err = OSError(code, "x", str(tmp_path / f"{CHILD}.xlsx"))
    msg = environment_fault(err)
    assert msg is not None and words in msg
    assert CHILD not in msg  # a refused folder is named, the file (it may carry a name) is not


def test_a_real_read_only_sqlite_write_wrapped_by_sqlalchemy_keeps_the_sql_out(tmp_path):
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import OperationalError

    path = tmp_path / "r.db"
    sqlite3.connect(path).execute("CREATE TABLE person (full_name TEXT)").connection.commit()
    engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    with pytest.raises(OperationalError) as caught, engine.begin() as conn:
        conn.execute(text("INSERT INTO person VALUES (:n)"), {"n": CHILD})
    assert CHILD in str(caught.value)  # SQLAlchemy's text carries the parameters …
    msg = environment_fault(caught.value)
    assert msg is not None and "только для чтения" in msg
    assert CHILD not in msg and "INSERT" not in msg  # … the message never does


def test_an_error_raised_while_handling_another_is_found_in_the_chain():
    try:
        try:
            raise OSError(errno.ENOSPC, "No space left on device")
        except OSError:
            raise RuntimeError("cleanup failed") from None
    except RuntimeError as err:
        assert "не хватает места" in environment_fault(err)  # hidden from the traceback, still the cause
    try:
        try:
            raise OSError(errno.EFBIG, "File too large")
        except OSError as inner:
            raise ValueError("zip") from inner
    except ValueError as err:
        assert "допустимый размер" in environment_fault(err)


def test_postgresql_disk_full_and_read_only():
    import psycopg.errors as pg

    assert "PostgreSQL не хватает места" in environment_fault(pg.DiskFull())
    assert "только чтение" in environment_fault(pg.ReadOnlySqlTransaction())
    assert environment_fault(pg.UniqueViolation()) is None  # not the environment: an ordinary internal error


def test_anything_else_is_not_the_environment():
    assert environment_fault(ValueError("boom")) is None
    assert environment_fault(OSError(errno.ENOENT, "x")) is None


def test_a_file_that_is_not_a_registry_is_refused_as_input(sop, tmp_path):
    junk = tmp_path / "notes.db"
    junk.write_text("не база данных\n" * 100, encoding="utf-8")
    for args in (["deadlines"], ["signal", "list"], ["agency", "add", "Орган"]):
        r = sop("--db", str(junk), *args)
        assert r.code == 2 and r.err.startswith("Ошибка: Это не реестр sopcli"), r.err
        assert "Traceback" not in r.err


def test_an_os_error_of_no_file_is_not_told_as_a_file_fault():
    assert environment_fault(OSError(errno.ECONNRESET, "reset")) is None  # a socket's: not a file
