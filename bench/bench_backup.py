"""Benchmark of `sopcli backup` and `sopcli restore` on a registry of realistic size, beside the engine's floor.

The source is a SQLite registry (`--source`, read only: the national one is
`/tmp/bi/registry.db`, 150,000 cases, ~2,100,000 obligations) or, without it,
bench_registry.py's generated registry (`--cases`, kept with --keep). Timed, each
as a whole `sopcli` process with its peak RSS (RUSAGE_CHILDREN of a helper):

- backup of the source to a zip;
- restore of that zip into a fresh SQLite file, and with `--pg-admin URL` into a
  fresh PostgreSQL database `i17_bulk_<pid>` (created and dropped here), then a
  backup of that PostgreSQL registry.

The floor of each restore is the time the engine itself takes to bulk-load the same
rows into the same schema in one transaction: a bare `sqlite3` executemany, a bare
psycopg `COPY ... FROM STDIN`, of the rows already decoded (decoding is not timed).
The ratio restore / floor is what sopcli adds. `uptime`'s load is printed beside
every figure: the machine may be shared. Nothing is asserted (issue 17 §2 targets:
restore < 60 s on each engine, backup < 30 s, peak < 300 MB).

Run: .venv/bin/python bench/bench_backup.py [--source DB | --cases N --keep DIR] [--pg-admin URL]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_registry import bench_env, count_obligations, generate, sopcli


def load() -> str:
    return "load " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def _decoded(path: str, table: Any, storers: Callable[[Any], list]) -> Iterator[list[list[Any]]]:
    """The table's rows from the zip, converted as the engine takes them (by restore's own helpers)."""
    from sopcli.services.trust.restore import _rows

    conv = storers(table)
    with zipfile.ZipFile(path) as z:
        import json

        entry = next(e for e in json.loads(z.read("manifest.json"))["tables"] if e["name"] == table.name)
        for rows in _rows(z, entry, path, len(table.columns)):
            for row in rows:
                for i, f in conv:
                    if row[i] is not None:
                        row[i] = f(row[i])
            yield rows


def _schema(url: str) -> None:
    from sopcli.db import make_engine, migrate

    engine = make_engine(url, create=True)
    with engine.begin() as conn:
        migrate(conn)
        from sopcli.services.trust.backup import tables

        for t in reversed(tables()):
            conn.execute(t.delete())  # what the schema seeds (0007's `main`), as restore empties it
    engine.dispose()


def floor_sqlite(path: str, target: str) -> float:
    """Seconds a bare sqlite3 executemany of the decoded rows takes, one transaction, sopcli's pragmas."""
    import sqlite3

    from sqlalchemy.dialects import sqlite as dialect

    from sopcli.services.trust.backup import tables
    from sopcli.services.trust.restore import SQLITE_CACHE, _storers

    _schema(f"sqlite:///{target}")
    conn = sqlite3.connect(target, isolation_level=None)
    for p in ("journal_mode = WAL", "synchronous = NORMAL", "foreign_keys = ON"):
        conn.execute(f"PRAGMA {p}")
    conn.execute(SQLITE_CACHE)  # the cache restore gives itself: the same engine, the same memory
    spent = 0.0
    t = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("PRAGMA defer_foreign_keys = ON")
    spent += time.perf_counter() - t
    for table in tables():
        cols = ", ".join(f'"{c.name}"' for c in table.columns)
        sql = f'INSERT INTO "{table.name}" ({cols}) VALUES ({", ".join("?" * len(table.columns))})'
        for rows in _decoded(path, table, lambda tb: _storers(tb, dialect.dialect())):
            t = time.perf_counter()
            conn.executemany(sql, rows)
            spent += time.perf_counter() - t
    t = time.perf_counter()
    conn.execute("COMMIT")
    spent += time.perf_counter() - t
    conn.close()
    return spent


def floor_pg(path: str, url: str) -> float:
    """Seconds a bare psycopg COPY FROM STDIN of the same rows takes, one transaction, into an empty schema."""
    import psycopg

    from sopcli.services.trust.backup import tables

    _schema(url)
    spent = 0.0
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn, conn.cursor() as cur:
        for table in tables():
            cols = ", ".join(f'"{c.name}"' for c in table.columns)
            batches = _decoded(path, table, lambda tb: [])
            t = time.perf_counter()
            with cur.copy(f'COPY "{table.name}" ({cols}) FROM STDIN') as copy:
                spent += time.perf_counter() - t
                for rows in batches:
                    t = time.perf_counter()
                    for row in rows:
                        copy.write_row(row)
                    spent += time.perf_counter() - t
                t = time.perf_counter()
            spent += time.perf_counter() - t
        t = time.perf_counter()
        conn.commit()
        spent += time.perf_counter() - t
    return spent


def _pg_admin(admin: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(admin.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        conn.execute(sql)


def _pg_url(admin: str, name: str) -> str:
    base, _, _ = admin.rpartition("/")
    return f"{base}/{name}"


def _unlink(path: str) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(path + suffix):
            os.unlink(path + suffix)


def _source(opts: argparse.Namespace, tmp: str, env: dict[str, str]) -> str:
    if opts.source:
        print(f"registry: {opts.source} (read only), {os.path.getsize(opts.source) / 2**20:.0f} MB")
        return opts.source
    db = os.path.join(tmp, "registry.db")
    reuse = os.path.exists(db)
    subprocess.run([sys.executable, "-m", "sopcli", "init", "--new"], env=dict(env, SOPCLI_DB=db), check=True,
                   stdout=subprocess.DEVNULL)
    n = count_obligations(f"sqlite:///{db}") if reuse else generate(f"sqlite:///{db}", opts.cases)
    print(f"registry: {n:,} obligations, file {os.path.getsize(db) / 2**20:.0f} MB")
    return db


def _show(label: str, secs: float, mb: float, floor: float | None, note: str) -> None:
    f, r = (f"{floor:8.1f}", f"{secs / floor:6.1f}") if floor else (f"{'':8}", f"{'':6}")
    print(f"{label:42} {secs:7.1f} {mb:8.1f} {f} {r}  {note}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--source", metavar="DB", help="an existing SQLite registry, only read (e.g. /tmp/bi/registry.db)")
    ap.add_argument("--cases", type=int, default=150_000, help="without --source: generate this many cases")
    ap.add_argument("--keep", metavar="DIR", help="keep the generated registry in DIR and reuse it on the next run")
    ap.add_argument("--pg-admin", metavar="URL", help="PostgreSQL server URL: restore into a fresh database there")
    ap.add_argument("--no-floor", action="store_true", help="skip the engines' bare bulk loads")
    opts = ap.parse_args()
    tmp = opts.keep or tempfile.mkdtemp(prefix="sopcli-bench-backup-")
    os.makedirs(tmp, exist_ok=True)
    env = bench_env(tmp, "")
    pg_name = f"i17_bulk_{os.getpid()}"
    rows: list[tuple[str, float, float | None, float | None, str]] = []  # label, s, MB, floor, load
    try:
        db = _source(opts, tmp, env)
        out = os.path.join(tmp, "backup.zip")
        rows.append(("backup (SQLite → zip)", *sopcli(dict(env, SOPCLI_DB=db), "backup", out), None, load()))
        print(f"backup file: {os.path.getsize(out) / 2**20:.0f} MB")
        target = os.path.join(tmp, "restored.db")
        _unlink(target)
        secs, mb = sopcli(dict(env, SOPCLI_DB=target), "restore", out)
        note = load()
        _show("  (as it ends) restore → SQLite", secs, mb, None, note)  # the floor takes as long again
        _unlink(target)
        floor = None if opts.no_floor else floor_sqlite(out, target)
        _unlink(target)
        rows.append(("restore (zip → new SQLite file)", secs, mb, floor, note))
        if opts.pg_admin:
            url = _pg_url(opts.pg_admin, pg_name)
            _pg_admin(opts.pg_admin, f'CREATE DATABASE "{pg_name}"')
            secs, mb = sopcli(dict(env, SOPCLI_DB=url), "restore", out)
            note = load()
            rows.append(("backup (PostgreSQL → zip)",
                         *sopcli(dict(env, SOPCLI_DB=url), "backup", os.path.join(tmp, "backup_pg.zip")), None, load()))
            _pg_admin(opts.pg_admin, f'DROP DATABASE "{pg_name}"')
            floor = None
            if not opts.no_floor:
                _pg_admin(opts.pg_admin, f'CREATE DATABASE "{pg_name}"')
                floor = floor_pg(out, url)
            rows.insert(-1, ("restore (zip → new PostgreSQL database)", secs, mb, floor, note))
        print(f"{'what':42} {'s':>7} {'peak MB':>8} {'floor s':>8} {'ratio':>6}  load (1, 5, 15 min)")
        for row in rows:
            _show(*row)
    finally:
        if opts.pg_admin:
            _pg_admin(opts.pg_admin, f'DROP DATABASE IF EXISTS "{pg_name}"')
        if not opts.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            _unlink(os.path.join(tmp, "restored.db"))


if __name__ == "__main__":
    t = time.perf_counter()
    main()
    print(f"total {time.perf_counter() - t:.0f} s")
