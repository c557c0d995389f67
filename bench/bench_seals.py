"""Benchmark of the row seals (issue 27 §2): `audit verify` full and `--quick`, and the sealing itself.

A registry of `--cases` recognised families is generated on the fly (bench_registry's generator, which seals
its rows as `init`'s baseline does after an upgrade); then each whole command is timed as a secretary runs it,
with its peak memory: `audit verify` (every row against its seal), `audit verify --quick` (chain, seals and
counts), and one `signal add` (the cost of sealing a step's rows at its commit).

Run: .venv/bin/python bench/bench_seals.py [--cases 150000] [--db URL] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))

from bench_registry import EXE, bench_env, count_obligations, generate, median_run


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cases", type=int, default=150_000, help="families (150,000: the national registry)")
    p.add_argument("--db", help="a registry URL to use (default: a new SQLite file)")
    p.add_argument("--repeat", type=int, default=3)
    opts = p.parse_args()
    import subprocess

    tmp = tempfile.mkdtemp(prefix="sopcli-bench-seals-")
    db = opts.db or f"{tmp}/registry.db"
    env = bench_env(tmp, db)
    subprocess.run([EXE, "init", "--new"], env=env, check=True, stdout=subprocess.DEVNULL)
    url = db if "://" in db else f"sqlite:///{db}"
    t = time.perf_counter()
    generate(url, opts.cases)
    took = time.perf_counter() - t
    print(f"registry: {opts.cases:,} cases, {count_obligations(url):,} obligations; generated and sealed in "
          f"{took:.1f} s", flush=True)
    for args in (["audit", "verify"], ["audit", "verify", "--quick"]):
        wall, mb = median_run(env, args, opts.repeat)
        print(f"{' '.join(args):<22} {wall:8.2f} s  {mb:7.1f} MB peak  (median of {opts.repeat})", flush=True)
    step = ["signal", "add", "--received", "01.12.2026 10:00", "--source", "школа", "--child", "Бенчев Иван",
            "--problem", "пропуски", "--no-threat"]
    wall, mb = median_run(env, step, opts.repeat)
    print(f"{'signal add':<22} {wall:8.2f} s  {mb:7.1f} MB peak  (median of {opts.repeat}; its rows sealed)")
    print(f"load average: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
