"""The registry on a past day (issue 30): the two readings of a past moment against the digest of now.

Issue 30 made `--as-of T` exact (rows written by T, settlements undone and dates put back from the audit
trail) and `--as-of T --known-now` judge today's records by their own moments. The promise: the digest as
of a past moment on the national registry stays within 2× the digest of now. One registry is generated
(bench_registry: written on the eve of its "today", 23.11.2026), then whole commands are timed, each the
median of `--repeat` runs, with their peak memory.

Run: .venv/bin/python bench/bench_past.py [--cases 150000] [--repeat 3] [--keep DIR]
Prints a table; nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_owners import build, timed  # noqa: E402  (the same generator and process timer)

COMMANDS = {
    "deadlines (now)": ["deadlines"],
    "deadlines --json (now)": ["deadlines", "--json"],
    "deadlines --as-of 23.11 (as written)": ["deadlines", "--as-of", "23.11.2026 09:00"],
    "deadlines --as-of 23.11 --known-now": ["deadlines", "--as-of", "23.11.2026 09:00", "--known-now"],
    "deadlines --as-of 23.11 --json": ["deadlines", "--as-of", "23.11.2026 09:00", "--json"],
    "deadlines --as-of 01.09 (as written)": ["deadlines", "--as-of", "01.09.2026 09:00"],
    "deadlines --as-of 01.09 --known-now": ["deadlines", "--as-of", "01.09.2026 09:00", "--known-now"],
    "deadlines stats 2026 --as-of 23.11 --known-now": ["deadlines", "stats", "--from", "01.01.2026", "--to",
                                                      "23.11.2026", "--as-of", "23.11.2026 09:00", "--known-now"],
    "case list --json (now)": ["case", "list", "--json"],
    "case list --as-of 01.09 --json": ["case", "list", "--as-of", "01.09.2026 09:00", "--json"],
    "signal list --as-of 01.09 --known-now --json": ["signal", "list", "--as-of", "01.09.2026 09:00",
                                                     "--known-now", "--json"],
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=150_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--keep", type=Path, help="a folder whose registry.db is reused (missing: generated)")
    opts = ap.parse_args()
    tmp = opts.keep or Path(tempfile.mkdtemp(prefix="sopcli-past-"))
    tmp.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{tmp}/registry.db"
    env = {**os.environ, "SOPCLI_DB": url, "SOPCLI_CONFIG_DIR": f"{tmp}/cfg", "SOPCLI_CACHE_DIR": f"{tmp}/cache",
           "NO_COLOR": "1"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if not (tmp / "registry.db").exists():
        print(f"generating {opts.cases:,} cases", flush=True)
        build(HERE.parent, url, env, opts.cases)
    load = os.getloadavg()
    print(f"\n{opts.cases:,} cases; median of {opts.repeat}; load at start {load[0]:.2f} / {load[1]:.2f}")
    print("| command | s | × now | MB |\n|---|---:|---:|---:|")
    base = {}
    for label, argv in COMMANDS.items():
        runs = [timed(HERE.parent, env, argv) for _ in range(opts.repeat)]
        secs = statistics.median(r["secs"] for r in runs)
        kind = "json" if "--json" in argv else "text"
        if "(now)" in label and argv[0] == "deadlines":
            base[kind] = secs
        ratio = f"{secs / base[kind]:.2f}×" if argv[0] == "deadlines" and kind in base and "stats" not in argv else ""
        print(f"| {label} | {secs:.3f} | {ratio} | {max(r['mb'] for r in runs):.0f} |", flush=True)


if __name__ == "__main__":
    main()
