"""`sopcli.pg_light`: the few libpq calls `calendar due` reads PostgreSQL with give what psycopg gives.

Against a real server: the same values and types for every kind the readers meet (a NULL, a boolean, a
day, a moment with its offset, integers, a numeric, Cyrillic text), parameters bound as text, one
read-only snapshot, and a server's refusal carried with its SQLSTATE, as the reader's schema check needs.
"""

from __future__ import annotations

import psycopg
import pytest

from sopcli import pg_light

QUERY = ("SELECT NULL::int AS nothing, true AS yes, false AS no, DATE '2025-03-08' AS day, "
         "TIMESTAMPTZ '2025-03-08 10:15:30.123456+03' AS moment, 42 AS small, 9007199254740993::bigint AS big, "
         "12.5::numeric AS area, 'Пётр «Ёж»' AS word, %s::text AS given, %s::int + 1 AS plus, %s::date AS d")
PARAMS = ["Ёлка\n«x»", 41, "2025-01-02"]


@pytest.fixture
def plain(pg_db):
    return pg_db.replace("postgresql+psycopg://", "postgresql://", 1)


def test_values_and_types_are_psycopgs(plain):
    light = pg_light.connect(plain)
    assert light is not None, "libpq did not load: psycopg's wheel carries one"
    try:
        cur = light.cursor().execute(QUERY, PARAMS)
        got, names = cur.fetchall(), [d[0] for d in cur.description]
    finally:
        light.rollback()
        light.close()
    with psycopg.connect(plain) as conn:
        cur = conn.execute(QUERY, PARAMS)
        want, expected = cur.fetchall(), [d.name for d in cur.description]
    assert names == expected
    assert got == want
    assert [type(v) for v in got[0]] == [type(v) for v in want[0]]


def test_a_read_only_snapshot_and_a_refusal_with_its_sqlstate(plain):
    with psycopg.connect(plain, autocommit=True) as admin:
        admin.execute("CREATE TABLE t (id int)")
        admin.execute("INSERT INTO t VALUES (1)")
        light = pg_light.connect(plain)
        try:
            assert light.cursor().execute("SELECT count(*) FROM t").fetchone() == (1,)
            admin.execute("INSERT INTO t VALUES (2)")  # committed after the snapshot: not seen
            assert light.cursor().execute("SELECT count(*) FROM t").fetchone() == (1,)
            with pytest.raises(pg_light.Error) as refused:
                light.cursor().execute("INSERT INTO t VALUES (3)")
            assert refused.value.sqlstate == "25006"  # read-only transaction
        finally:
            light.rollback()
            light.close()
        light = pg_light.connect(plain)
        try:
            with pytest.raises(pg_light.Error) as missing:
                light.cursor().execute("SELECT version_num FROM alembic_version")
            assert missing.value.sqlstate == "42P01"
        finally:
            light.rollback()
            light.close()
    with pytest.raises(pg_light.Error):
        pg_light.connect(plain.rsplit("/", 1)[0] + "/no_such_database_here")
