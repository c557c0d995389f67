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


def select_sql(table: Any, pg: bool) -> str:
    engine = "postgresql" if pg else "sqlite"
    cols = ", ".join(_SQL_TEXT[engine, k].format(c=c.name) if (k := _kind(c)) in _IN_SQL else f'"{c.name}"'
                     for c in table.columns)
    order = ", ".join(f'"{c.name}"' for c in table.primary_key.columns) or "1"
    return f'SELECT {cols} FROM "{table.name}" ORDER BY {order}'  # by key: a stable file, parents first


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
    thread while the next batch is encoded; one batch waits at most: memory stays flat.
    """
    from concurrent.futures import ThreadPoolExecutor

    enc = codecs(table, IN_SQL_DONE)
    line = _line_encoder()
    digest, count, pending = hashlib.sha256(), 0, None
    with ThreadPoolExecutor(1) as pool:
        for chunk in _chunks(reader, table):
            data = _encode(chunk, enc, line)
            if "\\u0001" in data:  # a marked value, or a text holding U+0001: this batch the careful way
                data = _encode(_odd(table, chunk, reader.pg), enc, line)
            data = data.encode("utf-8")
            if pending is not None:
                pending.result()
            pending = pool.submit(_write, data, digest, out)
            count += len(chunk)
            progress.advance(len(chunk))
        if pending is not None:
            pending.result()
    return count, digest.hexdigest()


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


def _target(path: Path) -> Path:
    """Never overwrite something that is not a backup (the registry itself, a document)."""
    target = path.expanduser().absolute()
    if target.is_dir():
        raise InvalidInput(f"Укажите файл резервной копии, а не папку: {target}")
    if target.exists():
        try:
            with zipfile.ZipFile(target) as z:
                json.loads(z.read(MANIFEST))["format"]
        except Exception:  # noqa: BLE001 - any reason it is not our backup
            raise InvalidInput(f"Файл {target.name} уже есть и не является резервной копией sopcli: "
                               "укажите другое имя.") from None
    if not target.parent.is_dir():
        from sopcli.files import private_dir

        private_dir(target.parent)  # a new folder for personal data is 0700 (152-ФЗ)
    return target


def write_backup(db: str | None, path: Path, progress: Progress = SILENT) -> dict[str, Any]:
    """Write the backup of the registry named by `--db`/`SOPCLI_DB` to `path` (0600, temp + rename).

    `progress` hears a stage per table, its rows counted in the snapshot first (only when
    somebody listens: a count of two million rows is not free).
    """
    from sopcli import __version__
    from sopcli.services.reading.db import open_reader

    target = _target(path)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")  # 0600
    os.close(fd)
    try:
        with open_reader(db) as reader, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
            revision = reader.rows("SELECT version_num FROM alembic_version")[0]["version_num"]
            started = datetime.now(UTC)
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
                        "engine": "postgresql" if reader.pg else "sqlite", "tables": entries}
            z.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return {"file": str(target), "size": target.stat().st_size, **manifest}
