"""The backup's lines written by the engine itself (SQLite's `json_array`, PostgreSQL's `to_json` over two
connections in one snapshot) are byte for byte the lines Python writes from the same rows (issue 17 §2).

A scratch table of every kind the fast path takes, filled with what hypothesis finds awkward: quotes,
backslashes, control characters, U+0001 (the backup's own mark), letters outside the BMP, the first and
last days of the calendar, integers at the edges of 64 bits; and, on SQLite, values sopcli never writes
(a float in an integer column, a moment with an offset, a word in a boolean), which must take the Python
way and come out the same. The ids are sparse, so PostgreSQL splits the table over both connections.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    MetaData,
    Table,
    Text,
    create_engine,
    insert,
)

from sopcli.services.reading.db import Reader
from sopcli.services.trust import backup

META = MetaData()
SCRATCH = Table("scratch", META, Column("id", Integer, primary_key=True), Column("word", Text),
                Column("n", BigInteger), Column("flag", Boolean), Column("at", DateTime(timezone=True)),
                Column("day", Date), Column("other", Text))

WORDS = st.text(st.characters(blacklist_categories=("Cs",), min_codepoint=1), max_size=12)
ROW = st.fixed_dictionaries({
    "word": st.none() | WORDS | st.sampled_from(["\x01", '"', "\\", "\\u0001", "Пётр «Ёж»\n\t", "😀"]),
    "n": st.none() | st.integers(-2**63, 2**63 - 1),
    "flag": st.none() | st.booleans(),
    "at": st.none() | st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)),
    "day": st.none() | st.dates(),
    "other": st.none() | WORDS,
})
ROWS = st.dictionaries(st.integers(1, 3 * backup.RANGE + 7), ROW, max_size=25)


def _url(db: str) -> str:
    return db if "://" in db else f"sqlite:///{db}"


def _fill(db: str, rows: dict[int, dict]) -> None:
    """The rows as SQLAlchemy stores them: on SQLite a moment is naive UTC text, as sopcli's models write it."""
    engine = create_engine(_url(db))
    pg = engine.dialect.name == "postgresql"
    try:
        with engine.begin() as conn:
            conn.execute(SCRATCH.delete())
            if rows:
                conn.execute(insert(SCRATCH), [
                    {"id": i, **r, "at": r["at"] and (r["at"].replace(tzinfo=UTC) if pg else r["at"])}
                    for i, r in rows.items()])
    finally:
        engine.dispose()


def _reader(db: str) -> Reader:
    if "://" in db:
        import psycopg

        conn = psycopg.connect(db.replace("postgresql+psycopg://", "postgresql://", 1))
        conn.read_only, conn.isolation_level = True, psycopg.IsolationLevel.REPEATABLE_READ
        reader = Reader(conn, True)
    else:
        conn = sqlite3.connect(db, isolation_level=None)
        conn.execute("BEGIN")
        reader = Reader(conn, False)
    reader.db = db
    return reader


def _both(db: str) -> tuple[bytes, bytes, int]:
    """(the engine's lines, Python's lines, rows) read in one snapshot."""
    reader = _reader(db)
    try:
        sql = backup.line_sql(SCRATCH, reader.pg)
        assert sql is not None  # every column is of a kind the engine writes
        lines = backup._pg_lines if reader.pg else backup._sqlite_lines
        fast = list(lines(reader, SCRATCH, sql))
        slow = list(backup._python_batches(reader, SCRATCH))
    finally:
        reader.conn.rollback()
        reader.conn.close()
    return b"".join(d for d, _ in fast), b"".join(d for d, _ in slow), sum(n for _, n in fast)


@pytest.fixture
def scratch(db_url: str) -> str:
    if "://" not in db_url:
        Path(db_url).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(_url(db_url))
    META.create_all(engine)
    engine.dispose()
    return db_url


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=ROWS)
def test_the_engines_lines_are_pythons_byte_for_byte(scratch, rows):
    _fill(scratch, rows)
    fast, slow, count = _both(scratch)
    assert fast == slow
    assert count == len(rows) == fast.count(b"\n")


def test_values_sopcli_never_writes_take_the_python_way_on_sqlite(tmp_path):
    """A float in an integer column, a moment with an offset, a word where a boolean goes, a day and a moment
    of another shape: the engine marks them, and their batch is read again raw and written as Python would."""
    db = str(tmp_path / "odd.db")
    engine = create_engine(_url(db))
    META.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(SCRATCH), [{"id": i, "word": f"слово {i}", "n": i} for i in range(1, 12_001)])
        for sql in ("UPDATE scratch SET n = 0.30000000000000004 WHERE id = 3",
                    "UPDATE scratch SET at = '2025-03-01T10:00:00+03:00' WHERE id = 7000",
                    "UPDATE scratch SET at = '2025-03-01 10:00:00' WHERE id = 7001",
                    "UPDATE scratch SET flag = 'yes' WHERE id = 11000",
                    "UPDATE scratch SET flag = 1, day = '2025-03-01', at = '2025-03-01 07:00:00.000001' "
                    "WHERE id = 11001"):
            conn.exec_driver_sql(sql)
    engine.dispose()
    fast, slow, count = _both(db)
    assert fast == slow and count == 12_000
    lines = fast.decode().splitlines()
    assert lines[2].startswith('[3,"слово 3",0.30000000000000004,')  # Python's float, not SQLite's 15 digits
    assert '"2025-03-01T07:00:00.000000+00:00"' in lines[6999]  # the offset moved to UTC
    assert '"2025-03-01T10:00:00.000000+00:00"' in lines[7000]
    assert lines[10999].split(",")[3] == "true" and lines[11000] == (
        '[11001,"слово 11001",11001,true,"2025-03-01T07:00:00.000001+00:00","2025-03-01",null]')


def test_the_second_connection_reads_the_same_moment_as_the_same_role(pg_db):
    """What commits after the backup's snapshot is invisible to both of its connections; a role it read as
    (a commission's, under row-level security) is the sibling's role too."""
    import psycopg

    from sopcli.db import sibling_connection

    plain = pg_db.replace("postgresql+psycopg://", "postgresql://", 1)
    role = "sib_" + pg_db.rsplit("/", 1)[1]  # dropped with the database (tests/conftest.throwaway_database)
    with psycopg.connect(plain, autocommit=True) as admin:
        admin.execute("CREATE TABLE t (id int PRIMARY KEY)")
        admin.execute("INSERT INTO t VALUES (1)")
        admin.execute(f'CREATE ROLE "{role}"')
        admin.execute(f'GRANT "{role}" TO current_user')
        admin.execute(f'GRANT SELECT ON t TO "{role}"')
        reader = psycopg.connect(plain)
        reader.execute(f'SET ROLE "{role}"')
        reader.commit()
        reader.read_only, reader.isolation_level = True, psycopg.IsolationLevel.REPEATABLE_READ
        try:
            assert reader.execute("SELECT count(*) FROM t").fetchone() == (1,)
            admin.execute("INSERT INTO t VALUES (2)")  # committed after the snapshot
            with sibling_connection(pg_db, reader) as other:
                assert other.execute("SELECT count(*), current_user FROM t").fetchone() == (1, role)
                assert other.execute("SELECT current_setting('transaction_read_only')").fetchone() == ("on",)
            assert admin.execute("SELECT count(*) FROM t").fetchone() == (2,)
        finally:
            reader.rollback()
            reader.close()
