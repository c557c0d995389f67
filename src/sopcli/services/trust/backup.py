"""`sopcli backup`: the whole registry in one engine-independent file, taken online.

Why a format of our own and not the engine's dump (issue 7 §2): a municipality
moving to the regional server restores an SQLite backup into PostgreSQL and
back, so the file holds values, not SQL: one JSON-lines member per table (a row
is a JSON array in the manifest's column order; dates `YYYY-MM-DD`, moments
ISO 8601 in UTC, booleans `true`/`false`, NULL `null`) and a manifest with the
schema revision, the row counts and a SHA-256 per member, checked before a
restore writes anything.

Consistency: every table is read inside ONE read-only snapshot
(`reading.db.open_reader`: a deferred read transaction in WAL on SQLite, so the
secretary keeps writing; `REPEATABLE READ, READ ONLY` on PostgreSQL), so the
foreign keys of the file resolve and the counts are of one moment.

The tables come from the SQLModel metadata in foreign-key order, nothing named
here: a table or column added by a migration is carried without an edit.
Memory is bounded: rows are fetched, encoded and compressed in batches.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sopcli.errors import InvalidInput
from sopcli.progress import SILENT, Progress

FORMAT = "sopcli-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
BATCH = 5_000

Codec = Callable[[Any], Any]


def tables() -> list[Any]:
    """Every registry table, parents before children; `alembic_version` is the manifest's revision."""
    from sqlmodel import SQLModel

    import sopcli.models  # noqa: F401 - registers the tables on the metadata

    return [t for t in SQLModel.metadata.sorted_tables if t.name != "alembic_version"]


def _kind(col: Any) -> str:
    """The value kind of a column, by its SQLAlchemy type (a TypeDecorator by what it stores)."""
    from sqlalchemy import JSON, Boolean, Date, DateTime, Float, LargeBinary, Numeric

    t = col.type
    t = getattr(t, "impl", t)
    if isinstance(t, DateTime):
        return "moment" if t.timezone else "datetime"
    for cls, kind in ((Date, "date"), (Boolean, "bool"), (Float, "float"), (Numeric, "decimal"),
                      (LargeBinary, "bytes"), (JSON, "json")):
        if isinstance(t, cls):
            return kind
    return "plain"  # integers and text: JSON carries them as they are


def _enc_moment(v: Any) -> str:
    """ISO 8601 in UTC with microseconds, the same text from either engine."""
    if isinstance(v, str):  # SQLite: naive UTC text as SQLModel's UTCDateTime writes it
        if len(v) == 26 and v[10] == " ":
            return f"{v[:10]}T{v[11:]}+00:00"  # the 2,000,000-row case: no datetime round trip
        v = datetime.fromisoformat(v)
    return (v.replace(tzinfo=UTC) if v.tzinfo is None else v.astimezone(UTC)).isoformat(timespec="microseconds")


def _enc_datetime(v: Any) -> str:
    return (datetime.fromisoformat(v) if isinstance(v, str) else v).isoformat()


def _enc_date(v: Any) -> str:
    return date.fromisoformat(v).isoformat() if isinstance(v, str) else v.isoformat()


ENCODERS: dict[str, Codec | None] = {
    "moment": _enc_moment, "datetime": _enc_datetime, "date": _enc_date, "bool": bool, "float": float,
    "decimal": str, "bytes": lambda v: base64.b64encode(bytes(v)).decode("ascii"),
    "json": lambda v: json.loads(v) if isinstance(v, str) else v, "plain": None,
}
IN_SQL_DONE: dict[str, Codec | None] = {**ENCODERS, "moment": None, "date": None}  # the SELECT writes these
DECODERS: dict[str, Codec | None] = {
    "moment": datetime.fromisoformat, "datetime": datetime.fromisoformat, "date": date.fromisoformat,
    "bool": None, "float": None, "decimal": Decimal, "bytes": base64.b64decode, "json": None, "plain": None,
}


def codecs(table: Any, which: dict[str, Codec | None]) -> list[tuple[int, Codec]]:
    """(column index, function) for the columns whose values need converting."""
    return [(i, f) for i, c in enumerate(table.columns) if (f := which[_kind(c)]) is not None]


def member_name(table: Any) -> str:
    return f"tables/{table.name}.jsonl"


#: The engine writes a moment's and a day's text itself, as `_enc_moment` and `_enc_date` would: converting
#: eight million moments in Python was half of the national backup (issue 17). A value the SQL cannot vouch
#: for comes marked with U+0001 and takes the Python way (`_odd`): on SQLite, text not in the shape sopcli
#: writes; on PostgreSQL, `infinity`, which is no day (`to_char` would have made it NULL).
MARK = "\x01"
_SQL_TEXT = {
    ("sqlite", "moment"): """CASE WHEN length("{c}") = 26 AND substr("{c}", 11, 1) = ' '
        THEN substr("{c}", 1, 10) || 'T' || substr("{c}", 12) || '+00:00'
        WHEN "{c}" IS NOT NULL THEN char(1) || "{c}" END""",
    ("sqlite", "date"): """CASE WHEN date("{c}") IS "{c}" AND "{c}" >= '0001-01-01' THEN "{c}"
        ELSE char(1) || "{c}" END""",
    ("postgresql", "moment"): """CASE WHEN NOT isfinite("{c}") THEN chr(1) || "{c}"::text
        ELSE to_char("{c}" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"') END""",
    ("postgresql", "date"): """CASE WHEN NOT isfinite("{c}") THEN chr(1) || "{c}"::text
        ELSE to_char("{c}", 'YYYY-MM-DD') END""",
}
_IN_SQL = {"moment", "date"}


def select_sql(table: Any, pg: bool, between: bool = False) -> str:
    """The raw rows (moments and days as text); `between`: only the ids between two parameters."""
    engine = "postgresql" if pg else "sqlite"
    cols = ", ".join(_SQL_TEXT[engine, k].format(c=c.name) if (k := _kind(c)) in _IN_SQL else f'"{c.name}"'
                     for c in table.columns)
    order = ", ".join(f'"{c.name}"' for c in table.primary_key.columns) or "1"
    where = ' WHERE "id" BETWEEN ? AND ?' if between else ""
    return f'SELECT {cols} FROM "{table.name}"{where} ORDER BY {order}'  # by key: a stable file, parents first


def _odd(table: Any, chunk: list[Any], pg: bool) -> list[Any]:
    """The rows of a batch holding a marked value, converted the Python way (or refused: `infinity`)."""
    columns = list(table.columns)
    marked = [i for i, c in enumerate(columns) if _kind(c) in _IN_SQL]
    fixes = {i: ENCODERS[_kind(columns[i])] for i in marked}
    out = []
    for raw in chunk:
        row = list(raw)
        for i in marked:
            v = row[i]
            if type(v) is str and v.startswith(MARK):
                if pg:
                    key = row[0] if columns[0].name == "id" else None
                    raise InvalidInput(f"В таблице {table.name} вместо даты стоит «{v[1:]}»"
                                       + (f" (запись id {key})" if key is not None else "")
                                       + ": такую копию нельзя восстановить, резервная копия не записана.")
                row[i] = fixes[i](v[1:])
        out.append(row)
    return out


def _chunks(reader: Any, table: Any) -> Iterator[list[Any]]:
    """A table's rows as raw driver values, in batches (a server-side cursor on PostgreSQL)."""
    conn = reader.conn
    cur = conn.cursor(name=f"sopcli_backup_{table.name}") if reader.pg else conn.cursor()
    try:
        cur.execute(select_sql(table, reader.pg))
        while chunk := cur.fetchmany(BATCH):
            yield chunk
    finally:
        cur.close()


def _line_encoder() -> Callable[[Any], str]:
    """One row to its JSON line: compact, UTF-8 as is, the C encoder built once and not once per row.

    `JSONEncoder.encode` rebuilds its C encoder on every call: on two million rows that was
    a sixth of the backup. The text is the same.
    """
    from json import encoder as je

    make = getattr(je, "c_make_encoder", None)
    if make is None:  # pragma: no cover - a Python without the C accelerator
        return json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    c = make(None, None, je.encode_basestring, None, ":", ",", False, False, True)
    return lambda row: "".join(c(row, 0))


def _dump_table(reader: Any, table: Any, out: Any, progress: Progress = SILENT) -> tuple[int, str]:
    """Write one table's member; returns (rows, SHA-256 of the member's bytes).

    Compressing and hashing a batch (zlib and hashlib let go of the GIL) runs in a second
    thread while the next batch is read; one batch waits at most: memory stays flat.
    """
    from concurrent.futures import ThreadPoolExecutor

    sql = line_sql(table, reader.pg)
    if sql is None:
        batches = _python_batches(reader, table)
    else:
        batches = _pg_lines(reader, table, sql) if reader.pg else _sqlite_lines(reader, table, sql)
    digest, count, pending = hashlib.sha256(), 0, None
    with closing(batches), ThreadPoolExecutor(1) as pool:  # closed on any failure: its threads stop first
        for data, rows in batches:
            if pending is not None:
                pending.result()
            pending = pool.submit(_write, data, digest, out)
            count += rows
            progress.advance(rows)
        if pending is not None:
            pending.result()
    return count, digest.hexdigest()


#: The engine writes a whole row's JSON line itself (issue 17: the national backup in 30 s): SQLite's
#: `json_array`, PostgreSQL's `to_json`, joined a range of ids at a time. Both escape text exactly as
#: `_line_encoder` does (`\n`, `\"`, `\u001f`; the rest of Unicode as it is: tested against it). Only for
#: the tables keyed by an integer `id` whose columns are all of the kinds below (every large table): a
#: float's or a blob's text is Python's own and stays with Python. A value not in the shape sopcli writes
#: is marked with U+0001, and the batch holding it is read again the Python way (PostgreSQL: refused).
_LINE_KINDS = {"sqlite": {"plain", "moment", "date", "bool"}, "postgresql": {"plain", "moment", "date", "bool",
                                                                              "decimal"}}
_SQLITE_VALUE = {  # each test as cheap as SQLite allows: 2 million rows of 25 columns pass through them
    # a text as it is (its affinity has made any number text); an integer, unless it is a float
    "text": '"{c}"',
    "integer": """CASE WHEN typeof("{c}") = 'real' THEN char(1) ELSE "{c}" END""",
    "moment": """CASE WHEN "{c}" GLOB '????-??-?? *' AND length("{c}") = 26
        THEN substr("{c}", 1, 10) || 'T' || substr("{c}", 12) || '+00:00' WHEN "{c}" IS NOT NULL THEN char(1) END""",
    "date": """CASE WHEN date("{c}") IS "{c}" AND "{c}" >= '0001-01-01' THEN "{c}"
        WHEN "{c}" IS NOT NULL THEN char(1) END""",
    "bool": """CASE "{c}" WHEN 1 THEN json('true') WHEN 0 THEN json('false')
        ELSE CASE WHEN "{c}" IS NOT NULL THEN char(1) END END""",
}
_PG_VALUE = {  # never NULL (`||` would make the whole line NULL): `||` costs a third of `concat_ws`
    "integer": """coalesce("{c}"::text, 'null')""",
    "text": """coalesce(to_json("{c}")::text, 'null')""",
    "decimal": """coalesce(to_json("{c}"::text)::text, 'null')""",  # as str(Decimal): the server's own text
    "bool": """CASE WHEN "{c}" THEN 'true' WHEN NOT "{c}" THEN 'false' ELSE 'null' END""",
    "moment": """CASE WHEN "{c}" IS NULL THEN 'null' WHEN NOT isfinite("{c}") THEN to_json(chr(1) || "{c}"::text)::text
        ELSE '"' || to_char("{c}" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"') || '"' END""",
    "date": """CASE WHEN "{c}" IS NULL THEN 'null' WHEN NOT isfinite("{c}") THEN to_json(chr(1) || "{c}"::text)::text
        ELSE '"' || to_char("{c}", 'YYYY-MM-DD') || '"' END""",
}


def line_sql(table: Any, pg: bool) -> str | None:
    """The query whose rows are the table's JSON lines (PostgreSQL: the lines of ids `{low}` to `{high}` joined
    in one value, and their count), or None: the table goes the Python way."""
    pk = list(table.primary_key.columns)
    kinds = [_kind(c) for c in table.columns]
    if len(pk) != 1 or pk[0].name != "id" or not set(kinds) <= _LINE_KINDS["postgresql" if pg else "sqlite"]:
        return None
    if pg:  # a template: `_pg_range` fills in the ids
        values = " || ',' || ".join(_PG_VALUE[_plain_kind(c, k)].format(c=c.name)
                                    for c, k in zip(table.columns, kinds, strict=True))
        values = values.replace("{", "{{").replace("}", "}}")
        return (f"""SELECT convert_to(string_agg(line, E'\\n' ORDER BY "id") || E'\\n', 'UTF8'), count(*) FROM """
                f"""(SELECT "id", '[' || {values} || ']' AS line FROM "{table.name}" """
                """WHERE "id" >= {low} AND "id" < {high}) AS lines""")
    values = ", ".join(_SQLITE_VALUE[_plain_kind(c, k)].format(c=c.name)
                       for c, k in zip(table.columns, kinds, strict=True))
    return f'SELECT "id", json_array({values}) FROM "{table.name}" ORDER BY "id"'


def _plain_kind(col: Any, kind: str) -> str:
    """A plain column told apart: an integer is written as it is, a text must be escaped."""
    from sqlalchemy import Integer

    return kind if kind != "plain" else "integer" if isinstance(col.type, Integer) else "text"


#: What the lines need of SQLite: JSON functions (built in from 3.38, usually compiled in before), and
#: `json()`'s value staying JSON through a CASE. An SQLite without them backs up the Python way.
_PROBE = "SELECT json_array(CASE 1 WHEN 1 THEN json('true') END, 'a\"')"


def _sqlite_can(conn: Any) -> bool:
    try:
        return conn.execute(_PROBE).fetchone()[0] in ('[true,"a\\""]', b'[true,"a\\""]')
    except Exception:  # noqa: BLE001 - "no such function": the Python way
        return False


def _sqlite_lines(reader: Any, table: Any, sql: str) -> Iterator[tuple[bytes, int]]:
    """SQLite's lines as UTF-8 bytes (no decoding and encoding again in Python); a marked batch the Python way,
    and a batch whose text is not UTF-8 too (SQLite stores any bytes: Python's way refuses them, as before).

    The bytes text factory is on only while a batch is fetched, never while the generator waits: a caller
    that reads or writes on the same connection between two batches (`audit verify` reads the seals beside
    the lines, `init` writes them) gets text as text."""
    if not _sqlite_can(reader.conn):
        yield from _python_batches(reader, table)
        return
    conn = reader.conn
    cur = conn.cursor()
    try:
        cur.execute(sql)
        while True:
            factory, conn.text_factory = conn.text_factory, bytes
            try:
                chunk = cur.fetchmany(BATCH)
            finally:
                conn.text_factory = factory
            if not chunk:
                return
            data = b"\n".join([r[1] for r in chunk]) + b"\n"
            if b"\\u0001" in data or (not data.isascii() and not _utf8(data)):  # the same rows read raw
                data = _python_rows(reader, table, (chunk[0][0], chunk[-1][0]))
            yield data, len(chunk)
    finally:
        cur.close()


#: Ids one query covers. Two connections in one snapshot take the ranges in turn (`sibling_connection`): the
#: server's JSON is most of the national backup, and one backend would leave the other core idle.
RANGE = 20_000


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _pg_lines(reader: Any, table: Any, sql: str, siblings: bool = True) -> Iterator[tuple[bytes, int]]:
    """PostgreSQL's lines, a range of ids at a time, in order; two ranges read at once when a second
    connection can be had (not for one range, nor past `max_connections`: then one does it, slower).
    `siblings` False: a write transaction's own reader (its rows are not in any snapshot a second
    connection could import)."""
    from contextlib import ExitStack

    from sopcli.db import sibling_connection

    cur = reader.conn.cursor()
    cur.execute(f'SELECT min("id"), max("id") FROM "{table.name}"')
    low, high = cur.fetchone()
    cur.close()
    if low is None:
        return
    ranges = [(a, min(a + RANGE, high + 1)) for a in range(low, high + 1, RANGE)]
    with ExitStack() as stack:
        conns = [reader.conn]
        if len(ranges) > 1 and siblings:
            try:
                conns.append(stack.enter_context(sibling_connection(reader.db, reader.conn)))
            except Exception:  # noqa: BLE001 - no second connection: the first reads every range
                pass
        yield from _in_turn(conns, table, sql, ranges)


def _pg_range(conn: Any, table: Any, sql: str, ids: tuple[int, int]) -> tuple[bytes, int]:
    """One range's lines, joined by the server into one UTF-8 value: no Python work per row at all."""
    with conn.cursor() as cur:
        cur.execute(sql.format(low=int(ids[0]), high=int(ids[1])), binary=True)
        data, rows = cur.fetchone()
    if not rows:
        return b"", 0
    data = bytes(data)
    if b"\\u0001" in data:  # `infinity` marked, or a text holding U+0001: refused only for the former
        _odd(table, [json.loads(line) for line in data.splitlines() if b"\\u0001" in line], True)
    return data, rows


def _in_turn(conns: list[Any], table: Any, sql: str, ranges: list[tuple[int, int]]) -> Iterator[tuple[bytes, int]]:
    """The ranges' lines in order, connection k reading ranges k, k+n, …: each waits with one range read
    ahead at most, so memory stays flat. A failure on either side stops both and is raised here."""
    import queue
    import threading

    stop = threading.Event()
    queues: list[queue.Queue[Any]] = [queue.Queue(1) for _ in conns]

    def hand(k: int, item: Any) -> bool:
        while not stop.is_set():
            try:
                queues[k].put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def work(k: int) -> None:
        try:
            for ids in ranges[k::len(conns)]:
                if not hand(k, _pg_range(conns[k], table, sql, ids)):
                    return
        except BaseException as e:  # noqa: BLE001 - carried to the reading thread and raised there
            hand(k, e)

    threads = [threading.Thread(target=work, args=(k,), daemon=True) for k in range(len(conns))]
    for t in threads:
        t.start()
    try:
        for n in range(len(ranges)):
            item = queues[n % len(conns)].get()
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        for t in threads:
            t.join()


def _python_batches(reader: Any, table: Any) -> Iterator[tuple[bytes, int]]:
    encoders = codecs(table, IN_SQL_DONE), _line_encoder()
    for chunk in _chunks(reader, table):
        yield _python_encode(reader, table, chunk, *encoders), len(chunk)


def _python_rows(reader: Any, table: Any, ids: tuple[int, int]) -> bytes:
    """The rows `ids[0]`..`ids[1]` (a batch of the line query) read raw and encoded the Python way."""
    cur = reader.conn.cursor()
    try:
        cur.execute(select_sql(table, reader.pg, between=True), ids)
        return _python_encode(reader, table, cur.fetchall(), codecs(table, IN_SQL_DONE), _line_encoder())
    finally:
        cur.close()


def _python_encode(reader: Any, table: Any, chunk: list[Any], enc: list[tuple[int, Codec]],
                   line: Callable[[Any], str]) -> bytes:
    data = _encode(chunk, enc, line)
    if "\\u0001" in data:  # a marked value, or a text holding U+0001: this batch the careful way
        data = _encode(_odd(table, chunk, reader.pg), enc, line)
    return data.encode("utf-8")


def _encode(chunk: list[Any], enc: list[tuple[int, Codec]], line: Callable[[Any], str]) -> str:
    """A batch's JSON lines; only the columns the SQL did not write convert in Python (bytes, JSON, …)."""
    lines = []
    for raw in chunk:
        if enc:
            raw = list(raw)
            for i, f in enc:
                if raw[i] is not None:
                    raw[i] = f(raw[i])
        lines.append(line(raw))
    return "\n".join(lines) + "\n"


def _write(data: bytes, digest: Any, out: Any) -> None:
    digest.update(data)
    out.write(data)


def _target(path: Path, force: bool) -> Path:
    """The file as `export -o` takes one (issue 32 §3): a `.zip` in a folder that is there and writable; an
    existing file only with `force`, and never one that is not a backup (the registry itself, a document)."""
    from sopcli.files import output_target

    target = output_target(path, ".zip", "резервной копии")
    if target.is_dir():
        raise InvalidInput(f"Укажите файл резервной копии, а не папку: {target}")
    if target.exists():
        try:
            with zipfile.ZipFile(target) as z:
                json.loads(z.read(MANIFEST))["format"]
        except Exception:  # noqa: BLE001 - any reason it is not our backup
            raise InvalidInput(f"Файл {target.name} уже есть и не является резервной копией sopcli: "
                               "укажите другое имя.") from None
        if not force:
            raise InvalidInput(f"Копия {target.name} уже есть: укажите другое имя или --force, чтобы заменить её.")
    return target


def write_backup(db: str | None, path: Path, progress: Progress = SILENT, force: bool = False) -> dict[str, Any]:
    """Write the backup of the registry named by `--db`/`SOPCLI_DB` to `path` (0600, temp + rename).

    `progress` hears a stage per table, its rows counted in the snapshot first (only when
    somebody listens: a count of two million rows is not free).
    """
    from sopcli import __version__
    from sopcli.services.reading.db import open_reader
    from sopcli.services.trust.audit_read import head_list

    target = _target(path, force)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")  # 0600
    os.close(fd)
    try:
        with open_reader(db) as reader, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
            revision = reader.rows("SELECT version_num FROM alembic_version")[0]["version_num"]
            heads = head_list(reader)  # the manifest bound to the chains' ends
            started = datetime.now(UTC)
            local = started.astimezone(reader.tz)  # the registry's own clock, as every moment it prints
            entries, every = [], tables()
            for n, table in enumerate(every, 1):
                total = None
                if progress is not SILENT:
                    total = reader.rows(f'SELECT count(*) AS n FROM "{table.name}"')[0]["n"]
                progress.stage(f"Резервная копия: таблица {n} из {len(every)}", total)
                with z.open(member_name(table), "w", force_zip64=True) as out:
                    count, sha = _dump_table(reader, table, out, progress)
                entries.append({"name": table.name, "member": member_name(table),
                                "columns": [c.name for c in table.columns], "rows": count, "sha256": sha})
            manifest = {"format": FORMAT, "format_version": FORMAT_VERSION, "sopcli_version": __version__,
                        "schema_revision": revision, "created_at": started.isoformat(),
                        "engine": "postgresql" if reader.pg else "sqlite", "audit_heads": heads, "tables": entries}
            z.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return {"file": str(target), "size": target.stat().st_size, "created_local": f"{local:%d.%m.%Y %H:%M:%S}",
            **manifest}
