"""Benchmark of `export ics`: the busiest agency's calendar and the commission's whole one, national scale.

Runs on a copy of a registry (the national one of bench_registry.py, 150,000 cases: `--db` names it and it is
copied first, since the first export writes the registry's calendar id) or generates one (`--cases`).
Times as whole processes, with peak memory:
  * `export ics --who <busiest>`: the agency with the most terms due in the default window
    (today − 30 … today + 90 at --as-of);
  * `export ics` without --who: every agency's terms (the commission's own calendar).
Targets (issue 15): the busiest agency under 5 s, peak memory under 300 MB.
Run: .venv/bin/python bench/bench_ics.py [--db /tmp/bi/registry.db | --cases 150000] [--keep DIR] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_registry

AS_OF = "23.11.2026"  # bench_registry.AS_OF: the generated registry's "today"
TARGET_SECS, TARGET_MB = 5.0, 300


def window(as_of: str) -> tuple[date, date]:
    today = datetime.strptime(as_of, "%d.%m.%Y").date()
    return today - timedelta(days=30), today + timedelta(days=90)


def busiest(url: str, as_of: str = AS_OF) -> tuple[str, int]:
    """The `who` with the most obligations due in the default window, and how many."""
    from sqlalchemy import create_engine, text

    lo, hi = window(as_of)
    engine = create_engine(url)
    with engine.connect() as conn:
        found = conn.execute(text("SELECT who, count(*) AS n FROM obligation WHERE due >= :lo AND due <= :hi "
                                  "GROUP BY who ORDER BY n DESC, who LIMIT 1"), {"lo": lo, "hi": hi}).first()
    engine.dispose()
    return (found[0], found[1]) if found else ("КДН", 0)


def cases(args: list[str], as_of: str = AS_OF) -> list[tuple[str, list[str]]]:
    """(label, argv after `sopcli`) of the two exports; `args` adds `--who` for the busiest."""
    return [(f"export ics --who {args[1]!r} (busiest agency)", ["export", "ics", "--as-of", as_of, *args]),
            ("export ics (every agency)", ["export", "ics", "--as-of", as_of])]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", help="an SQLite registry to copy (e.g. /tmp/bi/registry.db)")
    ap.add_argument("--cases", type=int, default=150_000)
    ap.add_argument("--keep", metavar="DIR")
    ap.add_argument("--repeat", type=int, default=3)
    opts = ap.parse_args()
    tmp = opts.keep or tempfile.mkdtemp(prefix="sopcli-bench-ics-")
    os.makedirs(tmp, exist_ok=True)
    db = os.path.join(tmp, "registry.db")
    env = bench_registry.bench_env(tmp, db)
    exe = bench_registry.EXE
    out = Path(tmp) / "out"
    out.mkdir(exist_ok=True)
    try:
        if not os.path.exists(db):
            if opts.db:
                with sqlite3.connect(opts.db) as src, sqlite3.connect(db) as dst:
                    src.backup(dst)  # a consistent copy, WAL included
            else:
                subprocess.run([exe, "init", "--new", "--municipality", "г. Йошкар-Ола"], env=env, check=True,
                               stdout=subprocess.DEVNULL)
                bench_registry.generate(f"sqlite:///{db}", opts.cases)
        # current schema, calendar id
        subprocess.run([exe, "init", "--new"], env=env, check=True, stdout=subprocess.DEVNULL)
        who, n = busiest(f"sqlite:///{db}")
        print(f"registry: {db}; busiest in the window: {who!r} ({n:,} terms)")
        for label, argv in cases(["--who", who]):
            secs, mb = bench_registry.median_run(env, [*argv, "-o", str(out / "calendar.ics")], opts.repeat)
            size = (out / "calendar.ics").stat().st_size / 2**20
            verdict = "" if "busiest" not in label else (
                " OK" if secs < TARGET_SECS and mb < TARGET_MB else f" over target ({TARGET_SECS} s, {TARGET_MB} MB)")
            print(f"{label}: {secs:.2f} s (median of {opts.repeat}), peak {mb:.0f} MB, file {size:.1f} MB{verdict}")
    finally:
        if not opts.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
