"""`audit verify` is total (issue 17 §1): garbage in any column of the trail is a break it names, never a crash.

Someone with the database password overwrites one value of one entry (or of a
chain's head) with what sopcli never writes: text where a moment or a number
belongs, an empty string, an impossible date, broken JSON, a blob, a number
where a hash belongs — whatever the engine's types let in (SQLite's dynamic
typing lets in nearly anything; PostgreSQL only what its column types allow,
such as `infinity` or the year 10000 in a timestamp). The verdict must be a
broken chain naming that entry and that field, and exit 4 on the command line.

Cheap by construction: one small registry per engine for the whole module.
Hypothesis examples tamper inside a transaction, run the same `verify` the
command runs on that very connection, and roll back; a handful of fixed cases
commit the garbage, run the real CLI and put the value back.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sopcli.services.reading.db import Reader
from sopcli.services.trust.audit_read import FIELDS, summary_line, verify
from tests.conftest import private_env, runner, throwaway_database


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def trail(request, tmp_path_factory) -> Iterator[dict[str, Any]]:
    """A registry with a few audited writes on each engine, its entries and its intact verdict."""
    home = tmp_path_factory.mktemp("garbage")
    with _location(request.param, home) as db:
        env = {**private_env(home), "SOPCLI_DB": db}
        run = runner(env)
        for args in (("init", "--new", "--rules", "mari-el"),
                     ("signal", "add", "--no-threat", "--received", "03.03.2025 10:00", "--source", "ПДН", "--child",
                      "Сидоров Пётр Ильич, 10.02.2008", "--problem", "Безнадзорность")):
            done = run(*args)
            assert done.code == 0, done.err
        with _connect(db) as (conn, pg):
            ids = [r[0] for r in conn.execute("SELECT id FROM audit_entry ORDER BY id").fetchall()]
            intact = verify(Reader(conn, pg))
            conn.rollback()
        assert intact["ok"] and intact["checked"] == len(ids) >= 4, intact
        yield {"db": db, "pg": pg, "ids": ids, "run": run}


@contextmanager
def _location(engine: str, home) -> Iterator[str]:
    if engine == "sqlite":
        yield str(home / "registry.db")
    else:
        with throwaway_database("audit") as url:
            yield url


@contextmanager
def _connect(db: str) -> Iterator[tuple[Any, bool]]:
    """A plain DB-API connection in a transaction, as the command's reader has (sopcli.db.read_connection)."""
    if "://" in db:
        import psycopg

        conn = psycopg.connect(db.replace("postgresql+psycopg://", "postgresql://", 1))
        pg = True
    else:
        conn = sqlite3.connect(db, isolation_level=None)
        conn.execute("BEGIN")
        pg = False
    try:
        yield conn, pg
    finally:
        conn.rollback()
        conn.close()


def _refusals(pg: bool) -> tuple[type[Exception], ...]:
    if pg:
        import psycopg

        return (psycopg.errors.IntegrityError, psycopg.errors.DataError)
    return (sqlite3.IntegrityError,)


def _tamper(conn, pg: bool, table: str, column: str, value: Any, entry_id: int | None) -> bool:
    """Overwrite one value; False when the engine refuses it or keeps what was there (nothing was tampered)."""
    key, where = ("id", entry_id) if table == "audit_entry" else ("chain", "main")
    mark, shown = ("%s", f"{column}::text") if pg else ("?", column)  # psycopg cannot even load `infinity`
    before = conn.execute(f"SELECT {shown} FROM {table} WHERE {key} = {mark}", [where]).fetchone()[0]
    try:
        conn.execute(f"UPDATE {table} SET {column} = {mark} WHERE {key} = {mark}", [value, where])
    except _refusals(pg):  # NOT NULL, the unique (chain, seq), a value PostgreSQL's type refuses
        return False
    if column in ("id", "chain"):  # the row is now found under the new value: it moved
        return True
    after = conn.execute(f"SELECT {shown} FROM {table} WHERE {key} = {mark}", [where]).fetchone()[0]
    return (type(after), after) != (type(before), before)  # SQLite's affinity may turn '5' back into 5


# -- what each column can be overwritten with ----------------------------------------------
def _not_moment(s: str) -> bool:
    try:
        datetime.fromisoformat(s)
    except ValueError:
        return True
    return False


def _not_object(s: str) -> bool:
    try:
        return not isinstance(json.loads(s), dict)
    except ValueError:
        return True


_BLOB = st.binary(min_size=1, max_size=8)
_CONTROL = st.builds(lambda a, c, b: a + c + b, st.text(max_size=5), st.sampled_from("\x01\t\n\r\x1b\x7f"),
                     st.text(max_size=5))
_NUMBERS = st.integers(-(2**40), 2**40) | st.floats(allow_nan=False, allow_infinity=False)
_INTS = st.integers(-(2**31), 2**31 - 1)
_WORDS = st.text(min_size=1, max_size=8).filter(str.isalpha)  # SQLite's INTEGER affinity keeps these as text
_FRACTIONS = st.floats(-1e6, 1e6).filter(lambda f: f != int(f)) | st.just(float("inf"))
_OTHER_NAME = st.text(max_size=40).filter(lambda s: s != "main" and "\x00" not in s)
_NOT_HASH = st.text(max_size=64).filter(lambda s: len(s) != 64 or set(s) - set("0123456789abcdef"))
_IMPOSSIBLE = st.sampled_from(["x", "", "9999-99-99", "2025-02-30 10:00:00.000000", "2025-13-01 00:00:00.000000",
                               "2025-03-03 25:00:00.000000", "03.03.2025 10:00", "0000-00-00 00:00:00.000000"])


def _texts(longest: int, pg: bool) -> st.SearchStrategy:
    """What no sopcli write puts in a name-like column: empty, blank, control characters, too long, a blob."""
    garbage = st.sampled_from(["", "   "]) | _CONTROL.filter(lambda s: "\x00" not in s)
    if not pg:  # PostgreSQL's VARCHAR(n) refuses the long ones and has no blob in a text column
        garbage |= _BLOB | st.text(min_size=longest + 1, max_size=longest + 5).filter(str.strip)
    return garbage


def garbage(table: str, column: str, pg: bool) -> st.SearchStrategy | None:
    """Values of every kind the engine lets into the column that sopcli never writes there (None: none exist)."""
    by_column: dict[tuple[str, str], st.SearchStrategy | None] = {
        ("audit_entry", "id"): st.integers(10_000, 2**31 - 1),
        ("audit_entry", "chain"): _OTHER_NAME | (st.nothing() if pg else _BLOB),
        ("audit_entry", "seq"): _INTS if pg else _INTS | _BLOB | _WORDS | _FRACTIONS,
        ("audit_entry", "at"): (st.sampled_from(["infinity", "-infinity", "10000-01-01 00:00:00+00",
                                                 "0044-03-15 12:00:00+00 BC"])
                                | st.integers(10_000, 294_275).map(lambda y: f"{y}-06-01 00:00:00+00")) if pg else
        _IMPOSSIBLE | st.text().filter(_not_moment) | _NUMBERS | _BLOB,
        ("audit_entry", "entity_id"): None if pg else _BLOB | _WORDS | _FRACTIONS,
        ("audit_entry", "detail"): st.text().filter(lambda s: _not_object(s) and "\x00" not in s)
        | (st.nothing() if pg else _BLOB | _NUMBERS),
        ("audit_entry", "prev_hash"): _NOT_HASH.filter(lambda s: "\x00" not in s) | (st.nothing() if pg else
                                                                                      _BLOB | _NUMBERS),
        ("audit_entry", "hash"): _NOT_HASH.filter(lambda s: "\x00" not in s) | (st.nothing() if pg else
                                                                                 _BLOB | _NUMBERS),
        ("audit_entry", "commission"): _OTHER_NAME | (st.nothing() if pg else _BLOB),
        ("audit_head", "chain"): _OTHER_NAME | (st.nothing() if pg else _BLOB | _NUMBERS),
        ("audit_head", "last_seq"): _INTS if pg else _INTS | _BLOB | _WORDS | _FRACTIONS | st.just(""),
        ("audit_head", "last_hash"): st.text(max_size=64).filter(lambda s: "\x00" not in s)
        | (st.nothing() if pg else _BLOB | _NUMBERS),
        ("audit_head", "commission"): _OTHER_NAME | (st.nothing() if pg else _BLOB),
    }
    for column_name, longest in (("os_user", 100), ("command", 100), ("action", 40), ("entity", 40)):
        by_column[("audit_entry", column_name)] = _texts(longest, pg)
    return by_column[(table, column)]


#: The field a verdict may name for garbage in each column (its own, or the structural check it trips).
EXPECTED = {("audit_entry", "id"): {"seq"}, ("audit_entry", "chain"): {"chain"},
            ("audit_head", "chain"): {"chain", "audit_head.chain"}}
COLUMNS = [("audit_entry", c) for c in ("id", "chain", "seq", "at", "os_user", "command", "action", "entity",
                                        "entity_id", "detail", "prev_hash", "hash", "commission")] + \
          [("audit_head", c) for c in ("chain", "last_seq", "last_hash", "commission")]


def assert_named(result: dict, table: str, column: str, entry_id: int | None, moved_to: Any = None) -> dict:
    """The verdict is broken, names the entry (or the head) and the field, and renders as JSON and one line."""
    broken = [c["broken"] for c in result["chains"] if not c["ok"]]
    assert not result["ok"] and broken, result
    fields = EXPECTED.get((table, column), {column if table == "audit_entry" else f"audit_head.{column}"})
    named = [b for b in broken if b["field"] in fields]
    assert named, (column, broken)
    if table == "audit_entry" and column == "id":
        assert any(f"id {moved_to}" in b["message"] or b["id"] == moved_to or b["id"] > entry_id for b in named)
    elif table == "audit_entry" and column != "chain":
        assert [b["id"] for b in named] == [entry_id], (column, broken)
    json.dumps(result)  # what --json prints
    line = summary_line(result)
    assert "\n" not in line and line.startswith("Журнал аудита нарушен")
    return named[0]


@pytest.mark.parametrize(("table", "column"), COLUMNS, ids=[f"{t}.{c}" for t, c in COLUMNS])
def test_garbage_in_any_column_is_a_named_break(trail, table, column):
    strategy = garbage(table, column, trail["pg"])
    if strategy is None:
        pytest.skip(f"{column}: every value PostgreSQL's type lets in is one sopcli could write")
    ids = trail["ids"]

    @settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
    @given(value=strategy, pick=st.integers(1, len(ids) - 2))
    def check(value, pick):
        entry_id = ids[pick] if table == "audit_entry" else None
        with _connect(trail["db"]) as (conn, pg):
            assume(_tamper(conn, pg, table, column, value, entry_id))
            result = verify(Reader(conn, pg))
        assert_named(result, table, column, entry_id, moved_to=value)

    check()


#: Fixed cases through the real command: (engine, table, column, value).
CLI_CASES = {
    "sqlite": [("audit_entry", "at", "x"), ("audit_entry", "at", ""), ("audit_entry", "at", "9999-99-99"),
               ("audit_head", "last_seq", "x")],
    "postgresql": [("audit_entry", "at", "infinity"), ("audit_entry", "at", "10000-01-01 00:00:00+00"),
                   ("audit_head", "last_hash", "")],
}


def test_the_command_exits_4_and_names_the_entry_and_the_field(trail):
    engine = "postgresql" if trail["pg"] else "sqlite"
    entry_id = trail["ids"][2]
    for n, (table, column, value) in enumerate(CLI_CASES[engine]):
        with _connect(trail["db"]) as (conn, pg):
            key = ("id", entry_id) if table == "audit_entry" else ("chain", "main")
            mark = "%s" if pg else "?"
            shown = f"{column}::text" if pg else column
            was = conn.execute(f"SELECT {shown} FROM {table} WHERE {key[0]} = {mark}", [key[1]]).fetchone()[0]
            conn.execute(f"UPDATE {table} SET {column} = {mark} WHERE {key[0]} = {mark}", [value, key[1]])
            conn.commit()
        try:
            for json_flag in (((), ("--json",)) if n == 0 else (("--json",),)):  # each run costs a second
                r = trail["run"]("audit", "verify", *json_flag)
                assert r.code == 4, (column, value, r.err)
                assert "Traceback" not in r.err and "Внутренняя ошибка" not in r.err, r.err
                assert r.err.count("\n") == 1 and r.err.startswith("Журнал аудита нарушен"), r.err
                field = column if table == "audit_entry" else f"audit_head.{column}"
                assert f"«{FIELDS[field]}»" in r.err, r.err
                if table == "audit_entry":
                    assert f"id {entry_id} " in r.err, r.err
                else:
                    assert "голова цепочки" in r.err, r.err
                if json_flag:
                    broken = [c["broken"] for c in json.loads(r.out)["chains"] if not c["ok"]]
                    assert [(b["kind"], b["field"]) for b in broken] == [("garbage", field)], broken
        finally:
            with _connect(trail["db"]) as (conn, pg):
                conn.execute(f"UPDATE {table} SET {column} = {mark} WHERE {key[0]} = {mark}", [was, key[1]])
                conn.commit()  # the next case finds only its own break: this one was put back


def test_the_list_shows_a_forged_moment_instead_of_crashing(trail):
    """`audit list` reads the same trail: an entry whose moment is garbage is listed, marked, the rest as they were."""
    entry_id = trail["ids"][2]
    value = "infinity" if trail["pg"] else "x"
    with _connect(trail["db"]) as (conn, pg):
        mark = "%s" if pg else "?"
        shown = "at::text" if pg else "at"
        was = conn.execute(f"SELECT {shown} FROM audit_entry WHERE id = {mark}", [entry_id]).fetchone()[0]
        conn.execute(f"UPDATE audit_entry SET at = {mark} WHERE id = {mark}", [value, entry_id])
        conn.commit()
    try:
        r = trail["run"]("audit", "list")
        assert r.code == 0, r.err
        lines = {int(line.split()[0]): line for line in r.out.splitlines()[1:]}
        assert "не дата (см. audit verify)" in lines[entry_id]
        assert all("не дата" not in line for i, line in lines.items() if i != entry_id)
        listed = {e["id"]: e["at"] for e in json.loads(trail["run"]("audit", "list", "--json").out)["entries"]}
        assert listed[entry_id] is None and all(at for i, at in listed.items() if i != entry_id)
    finally:
        with _connect(trail["db"]) as (conn, pg):
            conn.execute(f"UPDATE audit_entry SET at = {mark} WHERE id = {mark}", [was, entry_id])
            conn.commit()
