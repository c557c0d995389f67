"""The reader: one plain DB-API connection in one snapshot, rows as dicts of Python values.

Why not the ORM: see `reads.py`. The connection comes from `sopcli.db.read_connection`
(the one module that opens the registry); the columns' conversions from `schema.py`
(held to the models by a test); the settings' merge from `sopcli.registry_settings`
(shared with the write path).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, tzinfo
from itertools import repeat
from operator import itemgetter
from typing import Any
from zoneinfo import ZoneInfo

from sopcli.errors import InvalidInput
from sopcli.services.reading.schema import SCHEMA_HEAD, converter


class Reader:
    """One connection in one snapshot; rows come back as dicts of Python values."""

    def __init__(self, conn: Any, pg: bool) -> None:
        self.conn, self.pg = conn, pg
        self.db: str | None = None  # the `--db` it was opened from: a sibling connection is opened from it
        self._settings: dict[str, str] | None = None

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        return self.fetch(sql, params).dicts()

    def fetch(self, sql: str, params: Sequence[Any] = ()) -> Fetched:
        """The rows as the driver gives them, with each column's conversion at hand: a reader that makes its own
        records (the digest's 24,000) need not make a dict of each row first."""
        if self.pg:
            sql = sql.replace("?", "%s")
        cur = self.conn.cursor()
        cur.execute(sql, [self._param(p) for p in params])
        fetched = Fetched([d[0] for d in cur.description], cur.fetchall(),
                          dict(_conversions(cur.description, self.pg)))
        cur.close()
        return fetched

    def stream(self, sql: str, params: Sequence[Any] = (), batch: int = 10_000) -> Iterator[list[Any]]:
        """Rows as lists in column order, fetched in batches: constant memory over a whole year's obligations."""
        if self.pg:
            sql = sql.replace("?", "%s")
        # PostgreSQL: a named (server-side) cursor, or psycopg would fetch the whole result on execute
        cur = self.conn.cursor(name=f"sopcli_stream_{id(self)}") if self.pg else self.conn.cursor()
        cur.execute(sql, [self._param(p) for p in params])
        while chunk := cur.fetchmany(batch):  # a batch's own memo: memory stays flat over a year
            yield from map(list, _converted(cur.description, self.pg, chunk))
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


class Fetched:
    """A query's rows as the driver gave them (`raws`, in column order) and the conversion of each column that
    needs one (`schema.converter`), by position."""

    def __init__(self, names: list[str], raws: list[Sequence[Any]], conversions: dict[int, Callable[[Any], Any]]):
        self.names, self.raws, self.conversions = names, raws, conversions
        self.at = {name: i for i, name in enumerate(names)}  # a name selected twice: its last column, as dict()

    def converted(self, name: str) -> Callable[[Any], Any]:
        """A column's values as Python's, each distinct value converted once (a `Memo`; as given when none)."""
        convert = self.conversions.get(self.at[name])
        return _same if convert is None else Memo(convert).__getitem__

    def dicts(self) -> list[dict[str, Any]]:
        """A dict a row, built without a Python loop; then each column to convert, converted in place by C calls."""
        names, raws = self.names, self.raws
        out = list(map(dict, map(zip, repeat(names), raws)))
        for i, f in self.conversions.items():
            if self.at[names[i]] != i:
                continue
            memo = Memo(f)
            column = list(map(memo.__getitem__, map(itemgetter(i), raws)))
            if memo.keys() - {None}:  # a column of NULLs only (a digest's fulfilled_at) is left as it is
                deque(map(dict.__setitem__, out, repeat(names[i]), column), maxlen=0)
        return out


def _same(value: Any) -> Any:
    return value


#: PostgreSQL types psycopg already gives as `schema.converter` would make them: timestamptz an aware
#: datetime, date a date, boolean a bool (a `timestamp` without zone, in two older tables, is still converted).
_PG_READY = frozenset({1184, 1082, 16})


class Memo(dict):
    """A column's distinct values, each converted once (NULL stays NULL); looked up by `map` in C, Python only
    for a new value. Also restore's: a batch of the national backup shares many days and moments."""

    def __init__(self, convert: Callable[[Any], Any]) -> None:
        super().__init__()
        self.convert = convert

    def __missing__(self, value: Any) -> Any:
        found = self[value] = None if value is None else self.convert(value)
        return found


def _conversions(description: Sequence[Any], pg: bool) -> list[tuple[int, Callable[[Any], Any]]]:
    """The columns to convert (`schema.converter`), by position: on PostgreSQL only those psycopg does not make
    right already."""
    return [(i, f) for i, d in enumerate(description)
            if (f := converter(d[0])) is not None and not (pg and d[1] in _PG_READY)]


def _converted(description: Sequence[Any], pg: bool, raws: list[Sequence[Any]]) -> Iterable[Sequence[Any]]:
    """The rows' driver values as Python's (`schema.converter`), in column order, a column at a time.

    SQLite gives text: each distinct text of a column is converted once per result (a digest's
    24,000 rows share a few thousand days and moments). PostgreSQL gives typed values: only a
    column whose type psycopg does not already make right is converted. Column by column, the
    lookups run inside `map` and `zip`: converting row by row in Python was a third of the
    digest's time beside its query (issue 17).
    """
    conv = _conversions(description, pg)
    if not conv or not raws:
        return raws
    columns: list[Iterable[Any]] = list(zip(*raws, strict=True))
    for i, f in conv:
        columns[i] = map(Memo(f).__getitem__, columns[i])
    return zip(*columns, strict=True)


@contextmanager
def open_reader(db: str | None, commission: str | None = None, light: bool = False) -> Iterator[Reader]:
    """A read-only snapshot of the registry named by `--db`/`SOPCLI_DB`, as `commission` on a shared one
    (`light`: see `sopcli.db.read_connection`)."""
    from sopcli.db import read_connection

    with read_connection(db, commission, light) as (conn, pg):
        reader = Reader(conn, pg)
        reader.db = db
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
