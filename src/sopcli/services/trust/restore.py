"""`sopcli restore`: a backup back into a registry, on either engine, all or nothing.

Order of work (issue 7 §2): the whole file is checked first — the manifest,
the schema revision, every member's row count and SHA-256 — before the
registry is even opened, so a corrupted, truncated or foreign file writes
nothing. Then ONE transaction: create or upgrade the schema (a fresh path just
works, no `init` first), refuse a registry that already holds rows unless
`--replace` (which empties it in the same transaction), insert every row with
its own id, move PostgreSQL's sequences past them, and record the restore in
the audit trail. The members are streamed in batches: bounded memory.

On SQLite the largest table (past `restore_side.SIDE_ROWS`) is the one exception to "checked first":
a second process reads, checks and converts it beside the others (`restore_side.py`), and its rows
enter the transaction only through files it has completed; a refusal it meets, the checksum's
included, rolls the whole transaction back like any other.
"""

from __future__ import annotations

import gc
import hashlib
import json
import zipfile
import zlib
from collections.abc import Iterator
from itertools import chain
from pathlib import Path
from typing import Any

from sopcli.errors import InvalidInput
from sopcli.progress import SILENT, Progress
from sopcli.services.trust.backup import DECODERS, FORMAT, FORMAT_VERSION, MANIFEST, Codec, _kind, tables

BAD = "Файл {name} не является резервной копией sopcli или повреждён"


def _open(path: Path) -> zipfile.ZipFile:
    if not path.is_file():
        raise InvalidInput(f"Файла резервной копии нет: {path}")
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise InvalidInput(BAD.format(name=path.name) + " (не читается как архив).") from None


def read_manifest(z: zipfile.ZipFile, name: str) -> dict[str, Any]:
    """The manifest, checked against this sopcli: same format, same schema revision, same tables and columns."""
    from sopcli import __version__
    from sopcli.services.reading.schema import SCHEMA_HEAD

    try:
        manifest = json.loads(z.read(MANIFEST))
        fmt, version, revision = manifest["format"], manifest["format_version"], manifest["schema_revision"]
        entries = {t["name"]: t for t in manifest["tables"]}
    except Exception:  # noqa: BLE001 - no manifest, not JSON, missing keys: all the same to a secretary
        raise InvalidInput(BAD.format(name=name) + " (нет описания содержимого).") from None
    if fmt != FORMAT or not isinstance(version, int):
        raise InvalidInput(BAD.format(name=name) + ".")
    if version > FORMAT_VERSION:
        raise InvalidInput(f"Резервная копия {name} записана более новой версией sopcli "
                           f"({manifest.get('sopcli_version', '?')}): восстановите её той версией.")
    if revision != SCHEMA_HEAD:
        raise InvalidInput(
            f"Резервная копия {name} — схемы реестра {revision} (sopcli {manifest.get('sopcli_version', '?')}), "
            f"а эта версия sopcli {__version__} работает со схемой {SCHEMA_HEAD}: восстановите копию программой "
            f"sopcli {manifest.get('sopcli_version', '?')}, затем обновите реестр командой `sopcli init`.")
    expected = {t.name: [c.name for c in t.columns] for t in tables()}
    if set(entries) != set(expected) or any(entries[n].get("columns") != cols for n, cols in expected.items()):
        raise InvalidInput(BAD.format(name=name) + " (состав таблиц не совпадает со схемой " f"{SCHEMA_HEAD}).")
    return manifest


# Two million rows into ten indexes thrash SQLite's default 2 MB page cache (pages spilled to the
# WAL and read back); 64 MB keeps the indexes being built in memory, well inside the 300 MB budget.
SQLITE_CACHE = "PRAGMA cache_size = -65536"
CHUNK = 1 << 20  # bytes of a member read, hashed and split at a time


def _lines(z: zipfile.ZipFile, entry: dict[str, Any], name: str) -> Iterator[list[bytes]]:
    """A member's lines in chunks, hashed and counted as they go; a mismatch at the end refuses the whole file.

    Read a megabyte at a time, not a line at a time: hashing and splitting in bulk is
    what lets a restore keep up with the engine.
    """
    digest, count, rest = hashlib.sha256(), 0, b""
    try:
        with z.open(entry["member"]) as fh:
            while chunk := fh.read(CHUNK):
                digest.update(chunk)
                lines = (rest + chunk).split(b"\n")
                rest = lines.pop()
                if lines:
                    count += len(lines)
                    yield lines
    except (KeyError, zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError):
        raise InvalidInput(BAD.format(name=name) + f" (таблица {entry['name']} не читается).") from None
    if rest:  # a last line without its newline is still a line
        count += 1
        yield [rest]
    if count != entry["rows"] or digest.hexdigest() != entry["sha256"]:
        raise InvalidInput(BAD.format(name=name) + f" (таблица {entry['name']}: контрольная сумма не сходится).")


def verify(path: Path, progress: Progress = SILENT, skip: str | None = None) -> dict[str, Any]:
    """Check the whole file without touching any registry; returns its manifest.

    `skip`: a table the side loader checks as it reads it (restore_side.py), before any of its rows is used.
    """
    with _open(path) as z:
        manifest = read_manifest(z, path.name)
        entries = [e for e in manifest["tables"] if e["name"] != skip]
        progress.stage("Проверка резервной копии", sum(e["rows"] for e in entries))
        for entry in entries:
            for lines in _lines(z, entry, path.name):
                progress.advance(len(lines))
    return manifest


def _unreadable(name: str, table: str) -> InvalidInput:
    return InvalidInput(BAD.format(name=name) + f" (таблица {table}: строка не читается).")


def _violates(name: str, table: str | None) -> InvalidInput:
    """Well-formed values that break the schema (a NULL where one is required, a repeated id, a reference to
    nothing): a forged or foreign file, refused as one line like any other, never an internal error."""
    where = f"таблица {table}: " if table else ""
    return InvalidInput(BAD.format(name=name) + f" ({where}строки нарушают ограничения схемы реестра).")


def _no_constant(word: str) -> Any:
    """JSON's NaN and Infinity: sopcli never writes them, and SQLite would store NaN as NULL without a word."""
    raise ValueError(word)


SCALARS = frozenset({str, int, float, bool, type(None)})


def _rows(z: zipfile.ZipFile, entry: dict[str, Any], name: str, width: int,
          scalars: bool = True) -> Iterator[list[list[Any]]]:
    """A member's rows as lists in the manifest's column order, parsed a chunk at a time (one `json.loads`).

    Every row a list of `width` values; `scalars`: each of them a scalar too, checked a batch at a
    time in C (COPY would otherwise store a list as an array's text). SQLite's loader needs no such
    check: sqlite3 cannot bind a list or an object, and the file is refused when it tries.
    """
    for lines in _lines(z, entry, name):
        try:
            rows = json.loads(b"[" + b",".join(lines) + b"]", parse_constant=_no_constant)
        except ValueError:
            raise _unreadable(name, entry["name"]) from None
        if len(rows) != len(lines) or set(map(type, rows)) != {list} or set(map(len, rows)) != {width} or (
                scalars and not SCALARS.issuperset(map(type, chain.from_iterable(rows)))):
            raise _unreadable(name, entry["name"])
        yield rows


def _boolean(v: Any) -> bool:
    """JSON's true/false only: both engines would take other words (`yes`, `on`, 1) for a boolean."""
    if type(v) is not bool:
        raise TypeError("not a boolean")
    return v


def _bit(v: Any) -> int:
    """A boolean as SQLite stores it, 1 or 0: sqlite3 binds an int at once, a bool only after looking for
    an adapter (see `NULL`)."""
    return 1 if _boolean(v) else 0


def _storers(table: Any, dialect: Any) -> list[tuple[int, Codec, bool]]:
    """(column, function, shared) turning the file's value into what SQLAlchemy itself would store on SQLite.

    The column type's own bind processing after the decoder, so the restored file holds the
    same text as one written by sopcli; moments in UTC and dates take a short cut through the
    C parsers (the same text, a tenth of the time: 2 million obligations carry 6 million of them).
    `shared`: a memo may give equal values one result, for the function takes text only. Not the
    booleans: JSON's `true` and `1` are equal keys in a dict, and `1` must be refused where `true` is.
    """
    from datetime import date, datetime

    out: list[tuple[int, Codec, bool]] = []
    for i, c in enumerate(table.columns):
        kind = _kind(c)
        if kind in ("plain", "float"):  # sqlite3 binds JSON's numbers and texts as they are
            continue
        if kind == "bool":  # and booleans as 1/0, but SQLite's typing would keep «yes» in their place
            out.append((i, _bit, False))
            continue
        dec = DECODERS[kind] or (lambda v: v)
        bind = c.type.dialect_impl(dialect).bind_processor(dialect) or (lambda v: v)
        full = (lambda d, b: lambda v: b(d(v)))(dec, bind)
        if kind == "moment":
            def moment(v: Any, full: Codec = full, parse: Codec = datetime.fromisoformat) -> Any:
                d = parse(v)  # not a moment: ValueError or TypeError, and the file is refused
                if (len(v) == 32 and v[10] == "T" and v[19] == "." and v[26:] == "+00:00" and v[4] == v[7] == "-"
                        and v[13] == v[16] == ":"):  # the text sopcli writes, in UTC: its slices are SQLite's text
                    return v[:10] + " " + v[11:26]
                if d.tzinfo is not None and not d.utcoffset():  # UTC written otherwise: through the datetime
                    return d.isoformat(" ", "microseconds")[:26]
                return full(v)
            out.append((i, moment, True))
        elif kind == "date":
            def day(v: Any, parse: Codec = date.fromisoformat) -> Any:
                d = parse(v)  # not a day: refused
                return v if len(v) == 10 and v[4] == v[7] == "-" else d.isoformat()
            out.append((i, day, True))
        else:
            out.append((i, full, False))
    return out


#: SQL NULL, bound as sqlite3 binds a float: SQLite stores a NaN as NULL. Binding Python's None costs the
#: sqlite3 module an adapter lookup (two failed attribute lookups, 0.8 µs a value; a bool the same): the
#: national obligations carry 10 million NULLs, a third of their load. The file itself cannot hold a NaN
#: (`_no_constant`), so every NaN bound here is a NULL of the file.
NULL = float("nan")


def _row_code(table: Any, conv: list[tuple[int, Codec, bool]]) -> Any:
    """A function making one row what sqlite3 binds fastest, compiled once per table: `f<i>` converts
    column i, `N` is NULL. Only column positions enter the code, never a name from the file."""
    converted = {i for i, _, _ in conv}
    parts = [f"f{i}(r[{i}])" if i in converted else f"(N if (v := r[{i}]) is None else v)" if c.nullable
             else f"r[{i}]" for i, c in enumerate(table.columns)]  # NOT NULL: a None is refused by SQLite
    return compile(f"lambda r: ({', '.join(parts)},)", f"<restore {table.name}>", "eval")


def _nullable(f: Codec) -> Codec:
    return lambda v: NULL if v is None else f(v)


def _load_sqlite(raw: Any, table: Any, batches: Iterator[list[list[Any]]], name: str, progress: Progress,
                 into: str | None = None) -> None:
    """SQLite: executemany on the raw connection, inside the restore's transaction; no per-row SQLAlchemy.
    (`into`: another table to fill, the side loader's scratch table.)

    Each row made by one compiled function (`_row_code`); a batch's days and moments each converted
    once (`Memo`): a batch shares many of them.
    """
    import sqlite3

    from sqlalchemy.dialects import sqlite

    from sopcli.services.reading.db import Memo

    conv = _storers(table, sqlite.dialect())
    code = _row_code(table, conv)
    cols = ", ".join(f'"{c.name}"' for c in table.columns)
    sql = f'INSERT INTO "{into or table.name}" ({cols}) VALUES ({", ".join("?" * len(table.columns))})'
    cur = raw.cursor()
    try:
        for rows in batches:
            env: dict[str, Any] = {"N": NULL}
            for i, f, shared in conv:
                if shared:
                    memo = Memo(f)
                    memo[None] = NULL
                    env[f"f{i}"] = memo.__getitem__
                else:
                    env[f"f{i}"] = _nullable(f)
            try:
                made = list(map(eval(code, env), rows))  # our own code, compiled above
            except (ValueError, TypeError, ArithmeticError):
                raise _unreadable(name, table.name) from None
            try:
                cur.executemany(sql, made)
            except (sqlite3.ProgrammingError, sqlite3.InterfaceError):  # a value sqlite3 cannot bind (a JSON object)
                raise _unreadable(name, table.name) from None
            except (sqlite3.IntegrityError, OverflowError):  # NULL where required, a repeated id, 2**70
                raise _violates(name, table.name) from None
            progress.advance(len(rows))
    finally:
        cur.close()


def _load_pg(raw: Any, table: Any, batches: Iterator[list[list[Any]]], name: str, progress: Progress) -> None:
    """PostgreSQL: COPY FROM STDIN, inside the restore's transaction; the server parses the file's text itself.

    The file's values are already PostgreSQL's text input (ISO moments and dates, numbers,
    booleans), so they go as they are; constraints apply as to any insert. But PostgreSQL's input
    takes more than sopcli writes (`infinity`, `today`, `01/02/2025`, `yes`), and psycopg cannot
    read some of it back: moments, dates and booleans are held to what the SQLite path accepts.
    """
    import psycopg

    cols = ", ".join(f'"{c.name}"' for c in table.columns)
    conv = [(i, f) for i, c in enumerate(table.columns) if (f := _pg_value(_kind(c))) is not None]
    try:
        with raw.cursor() as cur, cur.copy(f'COPY "{table.name}" ({cols}) FROM STDIN') as copy:
            for rows in batches:
                for row in rows:
                    for i, f in conv:
                        if row[i] is not None:
                            row[i] = f(row[i])
                    copy.write_row(row)
                progress.advance(len(rows))
    except (psycopg.DataError, psycopg.ProgrammingError, ValueError, TypeError):  # a value PostgreSQL refuses
        raise _unreadable(name, table.name) from None
    except psycopg.IntegrityError:  # NULL where required, a repeated id, a reference to nothing
        raise _violates(name, table.name) from None


def _pg_value(kind: str) -> Codec | None:
    """What COPY is given for a value of `kind`: the file's own text, once the C parsers have accepted it."""
    from datetime import date, datetime

    from psycopg.types.json import Jsonb

    def moment(v: Any, parse: Codec = datetime.fromisoformat) -> Any:
        parse(v)  # not a moment (`infinity`, `now`, a number): ValueError or TypeError, and the file is refused
        return v

    def day(v: Any, parse: Codec = date.fromisoformat) -> Any:
        parse(v)
        return v

    return {"moment": moment, "datetime": moment, "date": day, "bool": _boolean, "json": Jsonb,
            "bytes": DECODERS["bytes"]}.get(kind)


def _counts(conn: Any, names: list[str]) -> dict[str, int]:
    from sqlalchemy import inspect, text

    present = set(inspect(conn).get_table_names())
    return {n: conn.execute(text(f'SELECT count(*) FROM "{n}"')).scalar_one() for n in names if n in present}


def _reset_sequences(conn: Any) -> None:
    """PostgreSQL: explicit ids do not move the sequences, and the next insert would collide."""
    from sqlalchemy import text

    for table in tables():
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or pk[0].type.python_type is not int:
            continue
        seq = conn.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                           {"t": f'"{table.name}"', "c": pk[0].name}).scalar_one()
        if seq:
            conn.execute(text(f'SELECT setval(:s, COALESCE((SELECT max("{pk[0].name}") FROM "{table.name}"), 0) + 1,'
                              " false)"), {"s": seq})


def restore(db: str | None, path: Path, replace: bool, command: str = "restore",
            progress: Progress = SILENT) -> dict[str, Any]:
    """Restore `path` into the registry named by `--db`/`SOPCLI_DB` (created if missing).

    `progress` hears the check of the file, then a stage per table sized from the manifest.
    """
    from sopcli.db import make_engine, resolve_url, sqlite_path
    from sopcli.services.trust import restore_side

    path = path.expanduser().absolute()
    url = resolve_url(db)
    file = sqlite_path(url)
    with _open(path) as z:
        side = restore_side.side_entry(read_manifest(z, path.name)) if file is not None else None
    manifest = verify(path, progress, skip=side and side["name"])
    fresh = file is not None and not file.exists()
    engine = make_engine(url, create=True)
    if file is not None:
        _references_checked_once(engine)
    proc = scratch = None
    try:
        if side is not None and file is not None:  # SQLite: the largest table loads beside, in a second process
            scratch = restore_side.scratch_path(file, side["name"])
            proc = restore_side.start(path, side["name"], scratch)
        restored, before = _restore_into(engine, path, manifest, replace, command, progress,
                                         (proc, scratch, side and side["name"]))
    except BaseException:
        engine.dispose()
        restore_side.stop(proc, scratch)
        if fresh and file is not None:  # a refused restore into a new path leaves no empty registry behind
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{file}{suffix}").unlink(missing_ok=True)
        raise
    engine.dispose()
    restore_side.stop(proc, scratch)
    return {"file": str(path), "rows": restored, "replaced": before, "schema_revision": manifest["schema_revision"],
            "backup_created_at": manifest["created_at"], "backup_engine": manifest.get("engine"),
            "tables": {e["name"]: e["rows"] for e in manifest["tables"]}}


def _restore_into(engine: Any, path: Path, manifest: dict[str, Any], replace: bool, command: str,
                  progress: Progress, side: tuple[Any, Path | None, str | None] = (None, None, None),
                  ) -> tuple[int, dict[str, int]]:
    """The one transaction: the schema, the rows, the sequences and the audit record; (rows, replaced counts).

    `side`: the side loader, its scratch file and its table (restore_side.py), copied in last.
    """
    from sqlalchemy.exc import IntegrityError

    from sopcli.db import migrate, transaction
    from sopcli.services.registry import Registry, load_settings
    from sopcli.services.trust import audit

    try:
        with transaction(engine) as session, _open(path) as z:
            conn = session.connection()
            pg = conn.dialect.name == "postgresql"
            if not pg:
                conn.exec_driver_sql(SQLITE_CACHE)  # this connection only: it is disposed of at the end
            _check_target(conn)
            names = [t.name for t in tables()]
            before = {n: c for n, c in _counts(conn, names).items() if c}
            if before and not replace:
                raise InvalidInput(f"Реестр не пуст ({sum(before.values())} записей): восстановление заменит всё "
                                   "его содержимое — повторите с --replace.")
            migrate(conn, progress=progress)  # a fresh registry: its schema, revision by revision
            for table in reversed(tables()):  # the replaced rows, and what a fresh schema seeds (0007's `main`)
                conn.execute(table.delete())
            _load_rows(conn, z, path.name, manifest, pg, progress, side)
            if pg:
                _reset_sequences(conn)
            else:  # every reference of every table, in one pass (see `_references_checked_once`)
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").first()
                if broken is not None:
                    raise _violates(path.name, broken[0])
            _evidence_holds(session, path.name, manifest, progress)
            reg = Registry(engine, load_settings(session), command=command)
            restored = sum(e["rows"] for e in manifest["tables"])
            audit.record(session, reg, "restore", "registry", None, file=path.name,
                         backup_created_at=manifest["created_at"], backup_engine=manifest.get("engine"),
                         rows=restored, replaced=before)
    except IntegrityError:  # a constraint SQLite checks only at the commit
        raise _violates(path.name, None) from None
    return restored, before


def _evidence_holds(session: Any, name: str, manifest: dict[str, Any], progress: Progress) -> None:
    """Before the commit: the restored rows against the restored chain (issue 27 §2). A backup whose member was
    changed and its checksum recomputed, or whose journal was emptied, is refused here, naming the table; and
    the chain must end where the manifest, written in the same snapshot, says it ended."""
    from sopcli.services.reading.db import reader_on
    from sopcli.services.trust.audit_read import head_list
    from sopcli.services.trust.audit_read import verify as audit_verify

    progress.stage("Проверка данных по журналу аудита", None)
    r = reader_on(session)
    if "audit_heads" in manifest and head_list(r) != sorted(manifest["audit_heads"]):
        raise InvalidInput(f"Резервная копия {name} подделана или испорчена: журнал аудита кончается не там, "
                           "где указано в её описи. Ничего не записано.")
    result = audit_verify(r, full=True, siblings=False)
    if result["ok"]:
        return
    broken = next((c for c in result["chains"] if not c["ok"]), None)
    if broken is not None:
        what = f"журнал аудита нарушен (цепочка «{broken['chain']}», {broken['broken']['message']})"
    else:
        what = result["rows"]["problems"][0]["message"]
    raise InvalidInput(f"Резервная копия {name} подделана или испорчена: {what}. Ничего не записано.")


def _references_checked_once(engine: Any) -> None:
    """SQLite: the restore's connection loads with foreign keys off, and checks them all before it commits.

    Checked row by row, the national obligations' six references cost a lookup each per insert, and
    three times that with the indexes kept up (31 s against 11 s for the copy of the side loader's
    table); `PRAGMA foreign_key_check` finds every reference to nothing in a second. Set as the
    connection opens: SQLite ignores the switch inside a transaction. This engine serves the restore
    alone and is disposed of with it.
    """
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _keys_off(dbapi_conn: Any, _record: Any) -> None:  # after `make_engine`'s own listener: this one wins
        dbapi_conn.execute("PRAGMA foreign_keys = OFF")


def _load_rows(conn: Any, z: zipfile.ZipFile, name: str, manifest: dict[str, Any], pg: bool, progress: Progress,
               side: tuple[Any, Path | None, str | None]) -> None:
    """Every table's rows into the emptied schema, its indexes dropped and built again after (the side
    loader's table last, through its indexes: see `_copy_side`)."""
    entries, every = {e["name"]: e for e in manifest["tables"]}, tables()
    load = _load_pg if pg else _load_sqlite
    indexes = _drop_pg_indexes(conn) if pg else _drop_indexes(conn)
    raw = conn.connection.driver_connection  # the same connection, the same transaction
    proc, scratch, beside = side
    collecting = gc.isenabled()
    gc.disable()  # millions of short-lived lists, no cycle among them: a collection only costs (a tenth)
    try:
        for n, table in enumerate(every, 1):
            if table.name == beside:
                continue
            entry = entries[table.name]
            progress.stage(f"Восстановление: таблица {n} из {len(every)}", entry["rows"])
            scalars = pg and not any(_kind(c) == "json" for c in table.columns)
            load(raw, table, _rows(z, entry, name, len(table.columns), scalars), name, progress)
    finally:
        if collecting:
            gc.enable()
    for sql in indexes:  # built once from the loaded rows; a unique one refuses duplicates here
        conn.exec_driver_sql(sql)  # (PostgreSQL: a reference to nothing is refused here, by ADD CONSTRAINT)
    if proc is not None:  # while the side loader ends; its table's indexes, built empty, are kept up by
        # the copies: SQLite keeps them as it inserts in half the time it takes to build them afterwards
        n = next(n for n, t in enumerate(every, 1) if t.name == beside)
        progress.stage(f"Восстановление: таблица {n} из {len(every)}", entries[beside]["rows"])
        _copy_side(conn, name, every[n - 1], proc, scratch, progress)


def _copy_side(conn: Any, name: str, table: Any, proc: Any, scratch: Path | None, progress: Progress) -> None:
    """The side loader's rows into the registry, a file at a time as it completes them: one INSERT … SELECT
    each, in this transaction, the registry's types and constraints applied as to any insert."""
    from sqlalchemy.exc import IntegrityError

    from sopcli.services.trust import restore_side

    assert scratch is not None
    cols = ", ".join(f'"{c.name}"' for c in table.columns)

    def copy(k: int) -> None:
        conn.exec_driver_sql(f"ATTACH DATABASE ? AS sopcli_side{k}", (str(restore_side.part(scratch, k)),))
        try:
            conn.exec_driver_sql(f'INSERT INTO "{table.name}" ({cols}) SELECT {cols} '
                                 f"FROM sopcli_side{k}.{restore_side.SCRATCH_TABLE} ORDER BY rowid")
        except IntegrityError:  # NULL where required, a repeated id
            raise _violates(name, table.name) from None

    restore_side.finish(proc, progress, copy)


def _drop_indexes(conn: Any) -> list[str]:
    """SQLite: the schema's own indexes dropped for the load, their statements kept to build them after it.

    Two million rows inserted one by one into a table with eight indexes cost SQLite eight B-tree
    updates a row; an index built once over the loaded table is a sort. All in the restore's one
    transaction: a refused restore rolls the drop back with everything else."""
    found = conn.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                                 "ORDER BY name").all()
    for name, _ in found:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    return [sql for _, sql in found]


def _drop_pg_indexes(conn: Any) -> list[str]:
    """PostgreSQL: the plain indexes and the foreign keys dropped for the load; the statements that put them back.

    COPY into a table keeps every index up to date row by row and checks every reference with a
    trigger per row; an index built once is a sort, and a foreign key added afterwards checks all
    its rows in one join. The keys that refuse duplicates (primary, unique) stay as they are. All
    in the restore's one transaction: a refused restore rolls the drop back with everything else."""
    indexes = conn.exec_driver_sql(
        "SELECT quote_ident(ci.relname), pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "JOIN pg_class ci ON ci.oid = i.indexrelid JOIN pg_namespace n ON n.oid = ci.relnamespace "
        "WHERE n.nspname = current_schema() "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid) ORDER BY 1").all()
    keys = conn.exec_driver_sql(
        "SELECT k.conrelid::regclass::text, quote_ident(k.conname), pg_get_constraintdef(k.oid) "
        "FROM pg_constraint k WHERE k.contype = 'f' AND k.connamespace = current_schema()::regnamespace "
        "ORDER BY 1, 2").all()
    for table, name, _ in keys:
        conn.exec_driver_sql(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
    for name, _ in indexes:
        conn.exec_driver_sql(f"DROP INDEX {name}")
    return [sql for _, sql in indexes] + [f"ALTER TABLE {t} ADD CONSTRAINT {n} {d}" for t, n, d in keys]


def _check_target(conn: Any) -> None:
    """A registry of a newer sopcli cannot be restored over: its schema is not ours to downgrade."""
    from alembic.script import ScriptDirectory

    from sopcli.db import alembic_config, current_revision

    rev = current_revision(conn)
    if rev is None:
        return
    try:
        ScriptDirectory.from_config(alembic_config()).get_revision(rev)
    except Exception:  # noqa: BLE001 - alembic's "can't locate revision"
        raise InvalidInput(f"Реестр создан более новой версией sopcli (схема {rev}): восстановите копию ею.") from None
