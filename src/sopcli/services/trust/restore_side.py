"""The side loader: the largest table of a restore into SQLite, read, checked and converted by a second process.

Why a process (issue 17 §2): parsing the file's JSON and binding its values to sqlite3 is Python's work,
one core's, and the national obligations are two thirds of it. This process loads them into scratch
SQLite files of its own while the restore loads every other table; the restore copies each file in with
one `INSERT … SELECT` inside its one transaction, where the registry's types, constraints and keys apply
to the rows as to any insert. A scratch table has no types and no constraints: it holds each value
exactly as bound. The rows go into eight files in turn, each named on stdout once complete, so the
restore copies one while the next is loaded. What the restore's own loader would refuse (a broken
checksum, a value that is not a value) is refused here by the same functions, in the same one Russian
line, and the restore stops with it, its transaction rolled back.

The scratch files are personal data (152-ФЗ): 0600, beside the registry, removed by the restore at the
end whatever happens, and by this process itself when the restore is gone before it.
"""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from sopcli.errors import InvalidInput
from sopcli.progress import Progress

#: A table of fewer rows stays in the restore's own process: starting Python and sopcli costs a second.
SIDE_ROWS = 50_000
SCRATCH_TABLE = "side"
#: Scratch files a table is written into: SQLite attaches ten databases at most, and one attached inside
#: a transaction stays attached until it ends.
FILES = 8


def side_entry(manifest: dict[str, Any]) -> dict[str, Any] | None:
    """The manifest entry of the table worth a process of its own, if any: the largest, past `SIDE_ROWS`."""
    largest = max(manifest["tables"], key=lambda e: e["rows"], default=None)
    return largest if largest is not None and largest["rows"] >= SIDE_ROWS else None


def scratch_path(registry: Path, table: str) -> Path:
    return registry.parent / f".{registry.name}.{table}-{os.getpid()}.part"


def part(scratch: Path, k: int) -> Path:
    return scratch.with_name(f"{scratch.name}.{k}")


def start(backup: Path, table: str, scratch: Path) -> subprocess.Popen[str]:
    """Start loading `table` of `backup` into the files `part(scratch, k)`; its stdout has a line per batch
    (`+rows`) and a line per file complete (`=k`)."""
    # -P: not the current folder first on the path (a `json.py` there is not ours); a session of its own: a
    # signal to the restore's process group (a closed terminal, `timeout`) does not kill it before it cleans up
    return subprocess.Popen([sys.executable, "-P", "-m", "sopcli.services.trust.restore_side", str(backup), table,
                             str(scratch)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, encoding="utf-8", start_new_session=True)


def finish(proc: subprocess.Popen[str], progress: Progress, ready: Callable[[int], None]) -> None:
    """Follow the side loader to its end: its counts to `progress`, each complete file to `ready`; its
    refusal is raised here as it said it."""
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    for line in proc.stdout:
        if line.startswith("="):
            ready(int(line[1:]))
        else:
            progress.advance(int(line))
    proc.stdin.close()  # every file copied: the side loader may go
    said = proc.stderr.read().strip().splitlines()
    code = proc.wait()
    if code == 2 and said:
        raise InvalidInput(said[-1])
    if code:
        raise _fault(said[-1] if said else "") or RuntimeError(f"side loader exited with {code}")


#: SQLite's own words for a fault of the machine (cli.environment_fault maps them): fixed texts, no row in them.
_SQLITE_FAULTS = ("database or disk is full", "disk I/O error", "attempt to write a readonly database",
                  "unable to open database file")


def fault_line(err: BaseException) -> str:
    """What the side loader says of a fault for `_fault` to raise again in the restore: an OSError's errno, a
    known SQLite text, else the type's name only (a message could quote a row)."""
    seen: list[BaseException] = []
    e: BaseException | None = err
    while e is not None and len(seen) < 20 and not any(e is s for s in seen):
        seen.append(e)
        if isinstance(e, OSError) and e.errno is not None:
            return f"errno {e.errno}"
        if type(e).__module__ == "sqlite3" and str(e) in _SQLITE_FAULTS:
            return f"sqlite {e}"
        e = e.__cause__ or e.__context__
    return type(err).__name__


def _fault(line: str) -> BaseException | None:
    """The side loader's fault as the restore's own process would have met it: the same Russian line follows."""
    import sqlite3

    kind, _, rest = line.partition(" ")
    if kind == "errno" and rest.isdigit():
        return OSError(int(rest), os.strerror(int(rest)))
    if kind == "sqlite" and rest in _SQLITE_FAULTS:
        return sqlite3.OperationalError(rest)
    return None


def stop(proc: subprocess.Popen[str] | None, scratch: Path | None) -> None:
    """However the restore ends: the side loader ended, its scratch file removed."""
    if proc is not None:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
    if scratch is not None:
        for k in range(FILES + 1):
            for suffix in ("", "-journal", "-wal", "-shm"):
                Path(f"{part(scratch, k)}{suffix}").unlink(missing_ok=True)


class _Tell:
    """The side loader's progress: a count per batch on stdout; the restore's death ends the loading."""

    def __init__(self, out: IO[str]) -> None:
        self.out, self.parent = out, os.getppid()

    def stage(self, title: str, total: int | None = None) -> None:
        return None

    def advance(self, done: int = 1) -> None:
        if os.getppid() != self.parent:  # the restore is gone: nobody will copy these rows or remove the file
            raise SystemExit(3)
        print(f"+{done}", file=self.out, flush=True)


def load(backup: Path, name: str, scratch: Path, out: IO[str]) -> None:
    """Load table `name` of `backup` into new files `part(scratch, k)`, checked and converted as the restore
    would; a file is named on `out` once complete, the last one only after the member's checksum held."""
    import sqlite3

    from sopcli.services.trust.backup import tables
    from sopcli.services.trust.restore import _load_sqlite, _open, _rows, read_manifest

    table = {t.name: t for t in tables()}[name]
    columns = ", ".join(f'"{c.name}"' for c in table.columns)
    tell = _Tell(out)
    os.umask(0o077)
    gc.disable()  # as in the restore: short-lived lists, no cycles
    with _open(backup) as z:
        entry = {e["name"]: e for e in read_manifest(z, backup.name)["tables"]}[name]
        share = -(-entry["rows"] // FILES)
        k, held, conn = 0, 0, None
        try:
            for rows in _rows(z, entry, backup.name, len(table.columns), False):
                if conn is None:
                    part(scratch, k).unlink(missing_ok=True)  # a stale file of a killed restore, same pid
                    conn = sqlite3.connect(part(scratch, k), isolation_level=None)
                    conn.execute("PRAGMA journal_mode = OFF")  # a scratch file: removed, never recovered
                    conn.execute("PRAGMA synchronous = OFF")
                    conn.execute(f"CREATE TABLE {SCRATCH_TABLE} ({columns})")  # no types, no constraints
                    conn.execute("BEGIN")
                _load_sqlite(conn, table, iter([rows]), backup.name, tell, into=SCRATCH_TABLE)
                held += len(rows)
                if held >= share and k < FILES - 1:  # the last file takes whatever the manifest did not count
                    k, held, conn = _complete(conn, k, out)
            if conn is not None:
                _complete(conn, k, out)
        finally:
            if conn is not None:
                conn.close()


def _complete(conn: Any, k: int, out: IO[str]) -> tuple[int, int, None]:
    conn.execute("COMMIT")
    conn.close()
    print(f"={k}", file=out, flush=True)
    return k + 1, 0, None


def main(argv: list[str]) -> int:
    """Load; then, whatever happened, wait until the restore closes stdin (it has copied the complete files,
    or it has given up, or it is gone) and remove the files: the restore may still be copying a file
    this process completed before it met a refusal, and nobody else removes them after a kill."""
    backup, name, scratch = Path(argv[0]), argv[1], Path(argv[2])
    parent = os.getppid()
    code = 0
    try:
        load(backup, name, scratch, sys.stdout)
    except InvalidInput as e:
        code = 2
        _say(str(e))
    except BaseException as e:  # noqa: BLE001 - its type only: a traceback could quote a row
        code = e.code if isinstance(e, SystemExit) and isinstance(e.code, int) else 1
        _say(fault_line(e))
    try:
        if os.getppid() == parent:
            sys.stdout.flush()
            os.dup2(os.open(os.devnull, os.O_WRONLY), 1)  # the end of stdout: the restore stops reading
            sys.stdin.read()
    except BaseException:  # noqa: BLE001 - a broken pipe, a signal: the files go all the same
        pass
    stop(None, scratch)
    return code


def _say(line: str) -> None:
    try:
        print(line, file=sys.stderr, flush=True)
    except OSError:  # nobody listens any more
        pass


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
