"""A read-only PostgreSQL client of a few libpq calls, for the commands shorter than psycopg's own import.

Why (issue 17 §4): `calendar due` on a registry reads a handful of rows, and importing psycopg alone
takes 0.2 s (its C extension, asyncio, importlib.metadata): twice `sopcli --help`. libpq is what
psycopg drives, so the connection string, the authentication, TLS and the environment (PGPASSWORD,
~/.pgpass, PGSSLMODE…) are the same; this module only asks libpq for rows as text and types the few
kinds the readers use. It loads the libpq psycopg's wheel carries (the same library psycopg uses),
else the system's; when neither loads, `connect` returns None and the caller takes psycopg.

Only for reading, in one REPEATABLE READ READ ONLY transaction, and only as the login itself (a
commission's role goes through psycopg, `tenancy.enter`). The cursor is the little of DB-API the
reader uses: `execute` with `%s` placeholders, `description`, `fetchone`, `fetchall`, `close`.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

_OK_COMMAND, _OK_TUPLES = 1, 2
_SQLSTATE = ord("C")


class Error(Exception):
    """A refusal from libpq or the server; `sqlstate` as psycopg's errors carry it."""

    def __init__(self, message: str, sqlstate: str | None = None) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


class OperationalError(Error):
    """The server could not be reached or refused the login: named as psycopg names it (cli.py reports both)."""


_lib: Any = None


def _libpq() -> Any:
    global _lib
    if _lib is None:
        _lib = _load() or False
    return _lib


def _load() -> Any:
    import glob
    import os
    from importlib.util import find_spec

    names = []
    spec = find_spec("psycopg_binary")  # finds the package without importing it
    if spec is not None and spec.submodule_search_locations:
        site = os.path.dirname(next(iter(spec.submodule_search_locations)))
        names += sorted(glob.glob(os.path.join(site, "psycopg_binary.libs", "libpq*.so*")))
    names += ["libpq.so.5", "libpq.5.dylib"]
    for name in names:
        try:
            lib = ctypes.CDLL(name)
        except OSError:
            continue
        _declare(lib)
        return lib
    return None


def _declare(lib: Any) -> None:
    p, i, s = ctypes.c_void_p, ctypes.c_int, ctypes.c_char_p
    for name, res, args in (
            ("PQconnectdb", p, [s]), ("PQstatus", i, [p]), ("PQerrorMessage", s, [p]), ("PQfinish", None, [p]),
            ("PQexecParams", p, [p, s, i, p, ctypes.POINTER(s), p, p, i]), ("PQresultStatus", i, [p]),
            ("PQresultErrorField", s, [p, i]), ("PQresultErrorMessage", s, [p]), ("PQntuples", i, [p]),
            ("PQnfields", i, [p]), ("PQfname", s, [p, i]), ("PQftype", ctypes.c_uint, [p, i]),
            ("PQgetisnull", i, [p, i, i]), ("PQgetvalue", s, [p, i, i]), ("PQclear", None, [p])):
        f = getattr(lib, name)
        f.restype, f.argtypes = res, args


#: Types by OID, as psycopg gives them (moments in ISO DateStyle: `2025-01-01 10:00:00.5+03`); any other
#: value stays text.
_TYPES: dict[int, Callable[[str], Any]] = {
    16: lambda v: v == "t", 20: int, 21: int, 23: int, 26: int, 700: float, 701: float, 1700: Decimal,
    1082: date.fromisoformat, 1114: datetime.fromisoformat, 1184: datetime.fromisoformat,
}


def connect(url: str) -> Connection | None:
    """A read-only snapshot on `url` (a libpq URI), or None when no libpq can be loaded here."""
    lib = _libpq()
    if not lib:
        return None
    conn = lib.PQconnectdb(url.encode())  # the user's own `options`, PGOPTIONS… kept, as psycopg keeps them
    if lib.PQstatus(conn) != 0:
        message = (lib.PQerrorMessage(conn) or b"").decode("utf-8", "replace").strip()
        lib.PQfinish(conn)
        raise OperationalError(message)
    out = Connection(lib, conn)
    try:
        for sql in ("SET client_encoding TO 'UTF8'", "SET DateStyle TO ISO",
                    "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"):
            out.run(sql)
    except BaseException:
        out.close()
        raise
    return out


class Connection:
    def __init__(self, lib: Any, conn: Any) -> None:
        self.lib, self.conn = lib, conn

    def run(self, sql: str, params: Sequence[Any] = ()) -> tuple[list[tuple[str, int]], list[tuple[Any, ...]]]:
        """One statement: (description, rows)."""
        lib = self.lib
        n = sql.count("%s")
        for k in range(1, n + 1):
            sql = sql.replace("%s", f"${k}", 1)
        values = (ctypes.c_char_p * max(len(params), 1))(*[None if v is None else _text(v) for v in params])
        res = lib.PQexecParams(self.conn, sql.encode(), len(params), None, values, None, None, 0)
        try:
            status = lib.PQresultStatus(res)
            if status not in (_OK_COMMAND, _OK_TUPLES):
                state = lib.PQresultErrorField(res, _SQLSTATE)
                message = (lib.PQresultErrorMessage(res) or lib.PQerrorMessage(self.conn) or b"").decode(
                    "utf-8", "replace").strip()
                raise Error(message, state.decode() if state else None)
            fields = [(lib.PQfname(res, c).decode(), lib.PQftype(res, c)) for c in range(lib.PQnfields(res))]
            typed = [_TYPES.get(oid) for _, oid in fields]
            rows = []
            for r in range(lib.PQntuples(res)):
                row = []
                for c, f in enumerate(typed):
                    if lib.PQgetisnull(res, r, c):
                        row.append(None)
                        continue
                    v = lib.PQgetvalue(res, r, c).decode("utf-8")
                    row.append(f(v) if f is not None else v)
                rows.append(tuple(row))
            return fields, rows
        finally:
            lib.PQclear(res)

    def cursor(self) -> Cursor:
        return Cursor(self)

    def rollback(self) -> None:
        if self.conn is not None:
            self.run("ROLLBACK")

    def close(self) -> None:
        if self.conn is not None:
            self.lib.PQfinish(self.conn)
            self.conn = None


class Cursor:
    def __init__(self, conn: Connection) -> None:
        self.conn, self.description, self._rows = conn, None, []

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        self.description, self._rows = self.conn.run(sql, params)
        return self

    def fetchall(self) -> list[tuple[Any, ...]]:
        rows, self._rows = self._rows, []
        return rows

    def fetchone(self) -> tuple[Any, ...] | None:
        return self._rows.pop(0) if self._rows else None

    def close(self) -> None:
        self._rows = []


def _text(v: Any) -> bytes:
    if isinstance(v, bool):
        return b"t" if v else b"f"
    if isinstance(v, (date, datetime)):
        return v.isoformat().encode()
    return str(v).encode()
