"""Benchmark of the deadline engine: whole commands as processes, and the core in-process.

Run: .venv/bin/python bench/bench_engine.py [--runs 15] [--n 1000000]
     .venv/bin/python bench/bench_engine.py --floor DB [--runs 7]   (the digest beside the raw query)
Prints a table of figures; nothing is asserted (speed is measured here, never in tests).
Targets from the engine issue: `--help` < 150 ms, `calendar due` < 250 ms,
1,000,000 working-day computations < 5 s on the 2-core machine. Issue 17: the national digest,
piped and with `--json`, within 2x the raw query on each engine (`--floor`).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta


def run_process(args: list[str], env: dict[str, str], runs: int) -> tuple[float, float, float]:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - t)
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return statistics.median(times), min(times), peak_kb / 1024


DIGEST = ["deadlines", "--overdue", "--as-of", "23.11.2026"]  # bench_registry.AS_OF, as run_all times it


def digest_floor(db: str, runs: int, env: dict[str, str] | None = None) -> dict[str, dict[str, float]]:
    """The digest (piped, as cron runs it, and `--json`) beside the raw query, as whole processes.

    The three run in turn, `runs` times, so a shared machine's load falls on each alike; each figure is
    the median wall time and CPU time (user + system) of its runs, with the ratio to the raw query's,
    and the load average at the start and the end. `db`: a SQLite path or a PostgreSQL URL.
    """
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from run_all import EXE, raw_query_code, timed

    url = db if "://" in db else f"sqlite:///{db}"
    run_env = dict(env or os.environ, SOPCLI_DB=db)
    run_env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed package has its bytecode; compiling is not the digest
    kinds = {"digest_cron": [EXE, *DIGEST], "digest_json": [EXE, *DIGEST, "--json"],
             "raw_sql": [sys.executable, "-c", raw_query_code(url)]}
    for argv in kinds.values():  # once untimed: the bytecode written, the file in the page cache
        timed(argv, run_env)
    load = os.getloadavg()[0]
    got: dict[str, list[dict]] = {k: [] for k in kinds}
    for _ in range(runs):
        for key, argv in kinds.items():
            got[key].append(timed(argv, run_env))
    out = {k: {"secs": statistics.median(r["secs"] for r in v), "cpu": statistics.median(r["cpu"] for r in v)}
           for k, v in got.items()}
    for v in out.values():
        v["over_raw"] = v["secs"] / out["raw_sql"]["secs"]
        v["cpu_over_raw"] = v["cpu"] / out["raw_sql"]["cpu"]
    out["load"] = {"start": load, "end": os.getloadavg()[0]}
    return out


def print_floor(db: str, runs: int) -> None:
    got = digest_floor(db, runs)
    print(f"{'what':14} {'median s':>9} {'x raw':>6} {'cpu s':>7} {'x raw':>6}")
    for key in ("digest_cron", "digest_json", "raw_sql"):
        g = got[key]
        print(f"{key:14} {g['secs']:9.3f} {g['over_raw']:6.2f} {g['cpu']:7.3f} {g['cpu_over_raw']:6.2f}")
    print(f"load average (1 min): {got['load']['start']:.2f} at the start, {got['load']['end']:.2f} at the end; "
          f"{runs} runs each, in turn")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--floor", metavar="DB", help="time the digest beside the raw query on this registry, and stop")
    opts = ap.parse_args()
    if opts.floor:
        print_floor(opts.floor, opts.runs)
        return
    tmp = tempfile.mkdtemp(prefix="sopcli-bench-")
    env = dict(os.environ, SOPCLI_CONFIG_DIR=f"{tmp}/config", SOPCLI_CACHE_DIR=f"{tmp}/cache")
    exe = shutil.which("sopcli", path=os.path.dirname(sys.executable)) or "sopcli"
    rows = []
    try:
        t = time.perf_counter()
        subprocess.run([exe, "calendar", "due", "01.11.2024", "5wd"], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        rows.append(("calendar due, first run (builds the calendar cache)", time.perf_counter() - t, None, None))
        for label, args in (
            ("sopcli --help", [exe, "--help"]),
            ("sopcli calendar due 01.11.2024 5wd", [exe, "calendar", "due", "01.11.2024", "5wd"]),
            ("sopcli calendar due … --json --rule me.check",
             [exe, "calendar", "due", "27.12.2024 17:30", "--rule", "me.check", "--json"]),
            ("sopcli calendar show 2025", [exe, "calendar", "show", "2025"]),
            ("sopcli rules --json", [exe, "rules", "--json"]),
        ):
            med, best, peak = run_process(args, env, opts.runs)
            rows.append((label, med, best, peak))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    from zoneinfo import ZoneInfo

    from sopcli.deadlines import FederalData, Kind, Term, WorkCalendar, compute_due

    cal = WorkCalendar(FederalData.from_package())
    rng = random.Random(20241101)
    starts = [date(2020, 1, 1) + timedelta(days=rng.randrange(0, 365 * 8)) for _ in range(opts.n)]
    ns = [rng.randrange(1, 60) for _ in range(opts.n)]
    t = time.perf_counter()
    for d, n in zip(starts, ns, strict=True):
        cal.nth_working_day_after(d, n)
    core = time.perf_counter() - t
    rows.append((f"{opts.n:,} working-day due dates (nth_working_day_after)", core, None, None))
    tz = ZoneInfo("Europe/Moscow")
    k = opts.n // 10
    terms = [Term(Kind.WORKING_DAYS, n) for n in ns[:k]]
    t = time.perf_counter()
    for d, term in zip(starts[:k], terms, strict=True):
        compute_due(cal, d, term, tz)
    full = time.perf_counter() - t
    rows.append((f"{k:,} full compute_due with explanation (1 in 10)", full, None, None))
    self_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"{'what':62} {'median s':>9} {'min s':>7} {'peak MB':>8}")
    for label, med, best, peak in rows:
        print(f"{label:62} {med:9.3f} {best if best is not None else float('nan'):7.3f} "
              f"{peak if peak is not None else float('nan'):8.1f}")
    print(f"in-process peak RSS: {self_peak:.1f} MB; machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
