"""Before and after a move of code: `--help` start-up and the morning digest, from two source trees.

Issue 16 moved code between folders and promised that neither the start-up of `sopcli --help` nor the
digest's figures get slower. Timing the two trees one after the other would compare two moments of a shared
machine; this alternates them run by run on one registry copy, so both see the same load.

    git worktree add /tmp/before <rev>
    .venv/bin/python bench/bench_layout.py --before /tmp/before/src --db registry.db [--runs 15]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
from pathlib import Path

from bench_registry import bench_env, sopcli

AFTER = Path(__file__).resolve().parents[1] / "src"
COMMANDS = (
    ("sopcli --help", ["--help"]),
    ("deadlines --help", ["deadlines", "--help"]),
    ("deadlines --overdue --as-of 23.11.2026", ["deadlines", "--overdue", "--as-of", "23.11.2026"]),
    ("deadlines --overdue --as-of 23.11.2026 --json", ["deadlines", "--overdue", "--as-of", "23.11.2026", "--json"]),
)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", required=True, type=Path, help="the src/ folder of the tree before the change")
    ap.add_argument("--db", required=True, type=Path, help="an SQLite registry (copied; never written)")
    ap.add_argument("--runs", type=int, default=15)
    opts = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="sopcli-bench-layout-")
    try:
        db = Path(tmp) / "registry.db"
        shutil.copy(opts.db, db)
        envs = {side: dict(bench_env(tmp, str(db)), PYTHONPATH=str(src))
                for side, src in (("before", opts.before.resolve()), ("after", AFTER))}
        print(f"{'what':48} {'before s':>9} {'after s':>9} {'before MB':>10} {'after MB':>9}")
        for label, args in COMMANDS:
            got: dict[str, list[tuple[float, float]]] = {"before": [], "after": []}
            sopcli(envs["after"], *args)  # warm the file cache once
            for _ in range(opts.runs):
                for side in ("before", "after"):
                    got[side].append(sopcli(envs[side], *args))
            med = {s: statistics.median(t for t, _ in got[s]) for s in got}
            mb = {s: max(m for _, m in got[s]) for s in got}
            print(f"{label:48} {med['before']:9.3f} {med['after']:9.3f} {mb['before']:10.1f} {mb['after']:9.1f}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
