"""The reader: one plain DB-API connection in one snapshot, rows as dicts of Python values.

Why not the ORM: see `reads.py`. The connection comes from `sopcli.db.read_connection`
(the one module that opens the registry); the columns' conversions from `schema.py`
(held to the models by a test); the settings' merge from `sopcli.registry_settings`
(shared with the write path).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from sopcli.errors import InvalidInput
from sopcli.services.reading.schema import SCHEMA_HEAD, converter


class Reader:
    """One connection in one snapshot; rows come back as dicts of Python values."""

    def __init__(self, conn: Any, pg: bool) -> None:
        self.conn, self.pg = conn, pg
        self._settings: dict[str, str] | None = None

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        if self.pg:
            sql = sql.replace("?", "%s")
        cur = self.conn.cursor()
        cur.execute(sql, [self._param(p) for p in params])
        names = [d[0] for d in cur.description]
        convert = _converting(cur.description, self.pg)
        out = [dict(zip(names, convert(raw), strict=True)) for raw in cur.fetchall()]
        cur.close()
        return out

    def stream(self, sql: str, params: Sequence[Any] = (), batch: int = 10_000) -> Iterator[list[Any]]:
        """Rows as lists in column order, fetched in batches: constant memory over a whole year's obligations."""
        if self.pg:
            sql = sql.replace("?", "%s")
        # PostgreSQL: a named (server-side) cursor, or psycopg would fetch the whole result on execute
        cur = self.conn.cursor(name=f"sopcli_stream_{id(self)}") if self.pg else self.conn.cursor()
        cur.execute(sql, [self._param(p) for p in params])
        while chunk := cur.fetchmany(batch):
            convert = _converting(cur.description, self.pg)  # a batch's own memo: memory stays flat over a year
            for raw in chunk:
                yield convert(raw)
        cur.close()

    def _param(self, p: Any) -> Any:
        """SQLite keeps moments as naive UTC text; PostgreSQL takes aware datetimes."""
        if isinstance(p, datetime) and not self.pg:
            return p.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
        if isinstance(p, date) and not self.pg:
            return p.isoformat()
        return p

    def check_schema(self) -> None:
        from sopcli.db import NOT_A_DATABASE, NOT_CREATED, OTHER_VERSION

        try:
            found = self.rows("SELECT version_num FROM alembic_version")
        except Exception as err:  # any driver's "no such table", and only that (below)
            # only a missing table means "not created": a file that cannot be opened (a read-only folder
            # without its -wal/-shm) or a failing disk is the environment's fault, reported as such (cli.py)
            if "file is not a database" in str(err).lower():
                raise InvalidInput(NOT_A_DATABASE) from None
            if "no such table" not in str(err).lower() and getattr(err, "sqlstate", None) != "42P01":
                raise
            found = []
        if not found:
            raise InvalidInput(NOT_CREATED)
        if found[0]["version_num"] != SCHEMA_HEAD:
            raise InvalidInput(OTHER_VERSION)

    @property
    def settings(self) -> dict[str, str]:
        if self._settings is None:
            from sopcli.registry_settings import merge
            from sopcli.tenancy import acting

            stored = {r["key"]: r["value"] for r in self.rows("SELECT key, value FROM registry_setting")}
            who = acting(self.conn, self.pg)
            self._settings = merge(stored, self.commission_name(who) if who.scoped else "")
        return self._settings

    def commission_name(self, who: Any) -> str:
        """A commission's own name; the region's role reads as «регион (сводно)»."""
        if who.region:
            return "регион (сводно)"
        found = self.rows("SELECT name FROM commission WHERE code = ?", [who.commission])
        return found[0]["name"] if found else ""

    @property
    def tz(self) -> tzinfo:
        return ZoneInfo(self.settings["tz"])


#: PostgreSQL types psycopg already gives as `schema.converter` would make them: timestamptz an aware
#: datetime, date a date, boolean a bool (a `timestamp` without zone, in two older tables, is still converted).
_PG_READY = frozenset({1184, 1082, 16})


def _converting(description: Sequence[Any], pg: bool) -> Callable[[Sequence[Any]], list[Any]]:
    """A row's driver values as Python's (`schema.converter`), in column order.

    SQLite gives text: each distinct text is converted once per result (a digest's 24,000 rows
    share a few thousand days and moments; parsing each anew was a fifth of its time, issue 17).
    PostgreSQL gives typed values: only a column whose type psycopg does not already make right
    is converted, as it comes.
    """
    conv = [(i, f, {}) for i, d in enumerate(description)
            if (f := converter(d[0])) is not None and not (pg and d[1] in _PG_READY)]
    if not conv:
        return list
    if pg:
        def typed(raw: Sequence[Any]) -> list[Any]:
            row = list(raw)
            for i, f, _ in conv:
                if row[i] is not None:
                    row[i] = f(row[i])
            return row

        return typed

    def parsed(raw: Sequence[Any]) -> list[Any]:
        row = list(raw)
        for i, f, seen in conv:
            v = row[i]
            if v is not None:
                found = seen.get(v)
                if found is None:
                    found = seen[v] = f(v)
                row[i] = found
        return row

    return parsed


@contextmanager
def open_reader(db: str | None, commission: str | None = None) -> Iterator[Reader]:
    """A read-only snapshot of the registry named by `--db`/`SOPCLI_DB`, as `commission` on a shared one."""
    from sopcli.db import read_connection

    with read_connection(db, commission) as (conn, pg):
        reader = Reader(conn, pg)
        reader.check_schema()
        yield reader


def reader_on(session: Any) -> Reader:
    """The same queries on a write session's own connection (sees its uncommitted rows)."""
    conn = session.connection()
    return Reader(conn.connection.driver_connection, conn.dialect.name == "postgresql")


def placeholders(ids: Sequence[int]) -> str:
    return ", ".join("?" * len(ids))


def chunks(ids: list[int], size: int = 900) -> Iterator[list[int]]:
    """SQLite caps bound parameters; a year's journal is fetched in slices."""
    for i in range(0, len(ids), size):
        yield ids[i:i + size]
