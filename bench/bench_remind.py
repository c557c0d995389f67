"""Benchmark of the reminder letters: `remind --all -o DIR` and `remind --who` the busiest agency.

Times each as a whole process (the median of --repeat runs, with the peak RSS of the child) on a
registry of national size: `--db FILE` names one (copy /tmp/bi/registry.db first: SQLite may leave its
-wal beside it), otherwise bench_registry.py generates one. The busiest agency is the one whose letter
carries the most rows in the `--all` run. Nothing is asserted.
Targets (issue 15): `remind --all` under 10 s; peak memory under 300 MB.
Run: .venv/bin/python bench/bench_remind.py [--db FILE | --cases 150000] [--as-of 23.11.2026] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_registry
from bench_registry import median_run

TARGET_SECS, TARGET_MB = 10.0, 300.0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", help="a registry file (a copy: nothing is written to it, but SQLite may add its -wal)")
    ap.add_argument("--cases", type=int, default=150_000)
    ap.add_argument("--as-of", default=f"{bench_registry.AS_OF:%d.%m.%Y}")  # the generated registry's "today"
    ap.add_argument("--repeat", type=int, default=3)
    opts = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="sopcli-bench-remind-"))
    db = opts.db or str(tmp / "registry.db")
    env = bench_registry.bench_env(str(tmp), db)
    exe = bench_registry.EXE
    out = tmp / "letters"
    out.mkdir()
    try:
        if opts.db is None:
            subprocess.run([exe, "init", "--new", "--municipality", "г. Йошкар-Ола"], env=env, check=True,
                           stdout=subprocess.DEVNULL)
            bench_registry.generate(f"sqlite:///{db}", opts.cases)
        every = ["remind", "--all", "--as-of", opts.as_of, "-o", str(out)]
        done = json.loads(subprocess.run([exe, *every, "--json"], env=env, check=True, capture_output=True,
                                         text=True).stdout)
        busiest = max(done["letters"], key=lambda x: x["overdue"] + x["soon"])
        rows = sum(x["overdue"] + x["soon"] for x in done["letters"])
        results = [(f"remind --all ({len(done['letters'])} letters, {rows:,} rows)",
                    *median_run(env, every, opts.repeat)),
                   (f"remind --who «{busiest['agency']}» ({busiest['overdue'] + busiest['soon']:,} rows)",
                    *median_run(env, ["remind", "--who", busiest["agency"], "--as-of", opts.as_of,
                                 "-o", str(tmp / "busiest.docx")], opts.repeat))]
        print("| command | median s | peak MB | target |\n|---|---|---|---|")
        for label, secs, mb in results:
            ok = "ok" if secs < TARGET_SECS and mb < TARGET_MB else "MISSED"
            print(f"| {label} | {secs:.2f} | {mb:.0f} | < {TARGET_SECS:g} s, < {TARGET_MB:g} MB: {ok} |")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
