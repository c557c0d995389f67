"""Benchmark of `sopcli backup` and `sopcli restore` on a registry of realistic size.

Generates (or reuses with --keep) bench_registry.py's registry — 150,000 cases,
300,000 persons, ~2,000,000 obligations — then times a backup as a whole
process and a restore of it into a fresh SQLite file (and, with --pg URL of an
empty database, into PostgreSQL), with each process's peak memory: both must
stay bounded however large the registry (issue 7 §2). Nothing is asserted.

Run: .venv/bin/python bench/bench_backup.py [--cases 150000] [--keep DIR] [--pg URL]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_registry import EXE, bench_env, count_obligations, generate, sopcli


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=150_000)
    ap.add_argument("--keep", metavar="DIR", help="keep the SQLite registry in DIR and reuse it on the next run")
    ap.add_argument("--pg", metavar="URL", help="also restore into this empty PostgreSQL database")
    opts = ap.parse_args()
    tmp = opts.keep or tempfile.mkdtemp(prefix="sopcli-bench-backup-")
    os.makedirs(tmp, exist_ok=True)
    db = os.path.join(tmp, "registry.db")
    reuse = os.path.exists(db)
    env = bench_env(tmp, db)
    exe = EXE
    try:
        subprocess.run([exe, "init"], env=env, check=True, stdout=subprocess.DEVNULL)
        n = count_obligations(f"sqlite:///{db}") if reuse else generate(f"sqlite:///{db}", opts.cases)
        print(f"registry: {n:,} obligations, file {os.path.getsize(db) / 2**20:.0f} MB")
        out = os.path.join(tmp, "backup.zip")
        rows = [("backup (SQLite → zip)", *sopcli(env, "backup", out))]
        print(f"backup file: {os.path.getsize(out) / 2**20:.0f} MB")
        target = os.path.join(tmp, "restored.db")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(target + suffix):
                os.unlink(target + suffix)
        rows.append(("restore (zip → new SQLite file)", *sopcli(dict(env, SOPCLI_DB=target), "restore", out)))
        if opts.pg:
            rows.append(("restore (zip → PostgreSQL)", *sopcli(dict(env, SOPCLI_DB=opts.pg), "restore", out)))
            rows.append(("backup (PostgreSQL → zip)",
                         *sopcli(dict(env, SOPCLI_DB=opts.pg), "backup", os.path.join(tmp, "backup_pg.zip"))))
        print(f"{'what':40} {'s':>8} {'peak MB':>8}")
        for label, secs, mem in rows:
            print(f"{label:40} {secs:8.1f} {mem:8.1f}")
    finally:
        if not opts.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        elif os.path.exists(os.path.join(tmp, "restored.db")):
            os.unlink(os.path.join(tmp, "restored.db"))


if __name__ == "__main__":
    t = time.perf_counter()
    main()
    print(f"total {time.perf_counter() - t:.0f} s")
