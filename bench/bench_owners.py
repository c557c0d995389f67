"""The digest, the letters and the timeliness table before and after the owners of issue 28, in one run.

Issue 28 bound every term to an owner (an agency id, the commission, a curator) and made the views group by
it; the promise was that the morning digest, `remind --all` and `export scorecard` on the national registry
are no slower than before. One run here builds two registries of the same size and seed — one by the base
tree (its own `init` and generator, the schema it knows) and one by this tree — and times the same commands
on each, alternating before/after so a change of the machine's load falls on both alike.

Run: .venv/bin/python bench/bench_owners.py --base /path/to/base/checkout [--cases 150000] [--repeat 3]
     [--db-before URL --db-after URL]   (two empty PostgreSQL databases; default: SQLite files)
The base checkout is a whole repository (its `src/` and `bench/`), e.g. `git worktree add /tmp/base 9996707`.
Prints a table (median wall seconds and peak RSS of each whole process); nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
AS_OF = "23.11.2026"  # bench_registry.AS_OF: the generated registry's "today"
COMMANDS = {
    "deadlines --overdue (piped: cron)": ["deadlines", "--overdue", "--as-of", AS_OF],
    "deadlines --json (overdue and 7 days)": ["deadlines", "--as-of", AS_OF, "--json"],
    # the same rows before and after: the police owned its measures under either
    "deadlines --who ПДН --json": ["deadlines", "--who", "ПДН", "--as-of", AS_OF, "--json"],
    # more rows after: the school now owns its signals' terms and its curator's (before: «МБОУ СОШ», «куратор»)
    "deadlines --who образование --json": ["deadlines", "--who", "образование", "--as-of", AS_OF, "--json"],
    "remind --all (letters to a folder)": ["remind", "--all", "--as-of", AS_OF, "-o", "{out}"],
    "deadlines stats, 2025": ["deadlines", "stats", "--from", "01.01.2025", "--to", "31.12.2025", "--as-of", AS_OF],
    "export scorecard --year 2025": ["export", "scorecard", "--year", "2025", "--as-of", AS_OF, "-o",
                                     "{out}/scorecard.xlsx"],
}
_HELPER = (
    "import json,resource,subprocess,sys,time\n"
    "t=time.perf_counter()\n"
    "p=subprocess.run(sys.argv[1:],stdin=subprocess.DEVNULL,stdout=subprocess.DEVNULL,stderr=subprocess.PIPE)\n"
    "s=time.perf_counter()-t\n"
    "u=resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(json.dumps({'secs':s,'mb':u.ru_maxrss/1024,'rc':p.returncode,'err':p.stderr.decode()[-300:]}))\n"
)


def build(tree: Path, url: str, env: dict[str, str], cases: int) -> float:
    """`init` and the generator of `tree`, as that tree's sopcli would have them; returns the seconds taken."""
    run_env = {**env, "PYTHONPATH": str(tree / "src")}
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "sopcli", "init", "--new", "--municipality", "г. Йошкар-Ола"], env=run_env,
                   check=True, stdout=subprocess.DEVNULL)
    code = (f"import sys; sys.path.insert(0, {str(tree / 'bench')!r}); import bench_registry; "
            f"print(bench_registry.generate({url!r}, {cases}))")
    out = subprocess.run([sys.executable, "-c", code], env=run_env, check=True, capture_output=True, text=True)
    if url.startswith("sqlite"):
        path = url.removeprefix("sqlite:///")
        subprocess.run([sys.executable, "-c", f"import sqlite3; sqlite3.connect({path!r}).execute('ANALYZE')"],
                       check=True)
    print(f"  {tree}: {int(out.stdout.split()[-1]):,} obligations in {time.perf_counter() - t:.0f} s", flush=True)
    return time.perf_counter() - t


def timed(tree: Path, env: dict[str, str], argv: list[str]) -> dict:
    run_env = {**env, "PYTHONPATH": str(tree / "src")}
    out = subprocess.run([sys.executable, "-c", _HELPER, sys.executable, "-m", "sopcli", *argv], env=run_env,
                         capture_output=True, text=True, check=True).stdout
    doc = json.loads(out)
    if doc["rc"] not in (0, 3, 4):
        raise SystemExit(f"{tree}: sopcli {' '.join(argv)} failed ({doc['rc']}): {doc['err']}")
    return doc


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True, type=Path, help="the checkout before the change (whole repository)")
    ap.add_argument("--head", default=HERE.parent, type=Path, help="this checkout (default)")
    ap.add_argument("--cases", type=int, default=150_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--db-before")
    ap.add_argument("--db-after")
    ap.add_argument("--upgrade", action="store_true", help="then time this tree's `init` on the base registry")
    ap.add_argument("--keep", type=Path, help="a folder whose before.db / after.db are reused (missing: generated)")
    opts = ap.parse_args()
    tmp = opts.keep or Path(tempfile.mkdtemp(prefix="sopcli-owners-"))
    tmp.mkdir(parents=True, exist_ok=True)
    sides = {}
    for side, tree, db in (("before", opts.base, opts.db_before), ("after", opts.head, opts.db_after)):
        url = db or f"sqlite:///{tmp}/{side}.db"
        env = {**os.environ, "SOPCLI_DB": url, "SOPCLI_CONFIG_DIR": f"{tmp}/{side}-cfg",
               "SOPCLI_CACHE_DIR": f"{tmp}/{side}-cache", "NO_COLOR": "1"}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        if db or not (tmp / f"{side}.db").exists():
            print(f"{side}: generating {opts.cases:,} cases", flush=True)
            build(tree, url, env, opts.cases)
        sides[side] = (tree, env)
    load = os.getloadavg()
    print(f"\n{opts.cases:,} cases; median of {opts.repeat}; load at start {load[0]:.2f} / {load[1]:.2f}")
    print("| command | before s | after s | after/before | before MB | after MB |\n|---|---:|---:|---:|---:|---:|")
    for label, argv in COMMANDS.items():
        runs: dict[str, list[dict]] = {"before": [], "after": []}
        for i in range(opts.repeat):
            for side in (("before", "after") if i % 2 == 0 else ("after", "before")):
                tree, env = sides[side]
                out = tmp / f"{side}-out-{i}"
                out.mkdir(exist_ok=True)
                runs[side].append(timed(tree, env, [a.replace("{out}", str(out)) for a in argv]))
        b = statistics.median(r["secs"] for r in runs["before"])
        a = statistics.median(r["secs"] for r in runs["after"])
        mb_b, mb_a = max(r["mb"] for r in runs["before"]), max(r["mb"] for r in runs["after"])
        print(f"| {label} | {b:.3f} | {a:.3f} | {a / b:.2f}× | {mb_b:.0f} | {mb_a:.0f} |", flush=True)
    load = os.getloadavg()
    print(f"load at end {load[0]:.2f} / {load[1]:.2f}")
    if opts.upgrade:  # the base registry upgraded by this tree: reseal (0014's columns) and bind the old texts
        tree, env = sides["before"]
        run = timed(opts.head, env, ["init", "--new"])
        verify = timed(opts.head, env, ["audit", "verify"])
        print(f"upgrade of the base registry by `init`: {run['secs']:.1f} s, {run['mb']:.0f} MB; "
              f"then audit verify: {verify['secs']:.1f} s (exit {verify['rc']})")


if __name__ == "__main__":
    main()
