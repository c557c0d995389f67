"""The digest of two source trees, byte for byte: main's and this branch's, on one generated registry.

Run: .venv/bin/python bench/digest_compare.py --base /work/main/src [--db URL] [--scale 0.05]
Generates a registry of `--scale` × the national size (bench_registry: 150,000 cases), on SQLite by default or in
the empty PostgreSQL database `--db`, then runs `sopcli deadlines` from each tree (PYTHONPATH) piped, with
`--json`, and on a terminal (a pty, colours on), with `--overdue` and without, and compares the bytes.
Prints one line per case; exits 1 if any differ. Nothing is timed here (see bench_engine.py --floor).
"""

from __future__ import annotations

import argparse
import os
import pty
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import bench_registry  # noqa: E402
import schemas  # noqa: E402

AS_OF = "23.11.2026"  # bench_registry.AS_OF
CASES = {
    "overdue, piped": ["deadlines", "--overdue", "--as-of", AS_OF],
    "overdue, --json": ["deadlines", "--overdue", "--as-of", AS_OF, "--json"],
    "overdue and soon, piped": ["deadlines", "--within", "30", "--as-of", AS_OF],
    "overdue and soon, --json": ["deadlines", "--within", "30", "--as-of", AS_OF, "--json"],
    "one agency, --json": ["deadlines", "--who", "КДН", "--as-of", AS_OF, "--json"],
    # the rows read as they are, not rebuilt as they were (reads.read_as_now); a real "now" would differ in its time
    "as now (--known-now), --json": ["deadlines", "--within", "3", "--as-of", AS_OF, "--known-now", "--json"],
}


def run(src: str, env: dict[str, str], argv: list[str], tty: bool = False) -> bytes:
    """The command's stdout from the tree `src`: through a pipe, or read off a pseudo-terminal as a terminal would."""
    run_env = {**env, "PYTHONPATH": src}
    cmd = [sys.executable, "-m", "sopcli", *argv]
    if not tty:
        return subprocess.run(cmd, env=run_env, check=True, capture_output=True).stdout
    run_env.pop("NO_COLOR", None)
    primary, secondary = pty.openpty()
    proc = subprocess.Popen(cmd, env=run_env, stdin=subprocess.DEVNULL, stdout=secondary, stderr=subprocess.PIPE)
    os.close(secondary)
    out = bytearray()
    while True:
        try:
            chunk = os.read(primary, 1 << 16)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    proc.wait()
    os.close(primary)
    if proc.returncode != 0:
        raise subprocess.CalledProcessError(proc.returncode, cmd)
    return bytes(out)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True, help="the source tree to compare with (its src/ folder)")
    ap.add_argument("--head", default=str(HERE.parent / "src"), help="this tree's src/ (default)")
    ap.add_argument("--db", help="an empty PostgreSQL database (URL); default: a temporary SQLite file")
    ap.add_argument("--scale", type=float, default=0.05)
    opts = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="sopcli-digest-compare-")
    url = opts.db or f"sqlite:///{tmp}/registry.db"
    env = {**os.environ, "SOPCLI_DB": url, "SOPCLI_CONFIG_DIR": f"{tmp}/config", "SOPCLI_CACHE_DIR": f"{tmp}/cache",
           "NO_COLOR": "1"}
    subprocess.run([sys.executable, "-m", "sopcli", "init", "--new", "--municipality", "г. Йошкар-Ола"],
                   env={**env, "PYTHONPATH": opts.head}, check=True, stdout=subprocess.DEVNULL)
    obligations = bench_registry.generate(url, max(int(bench_registry_cases() * opts.scale), 1))
    print(f"registry: {obligations:,} obligations ({url.split('://')[0]})")
    base_env = env
    head = schemas.schema_head(sys.executable, opts.base)
    if head != schemas.schema_head(sys.executable, opts.head):  # the base reads the same rows at its own schema
        if opts.db:
            raise SystemExit("--db with builds of two schemas: compare them on SQLite (the default)")
        copy = Path(tmp) / f"registry-{head}.db"
        schemas.sqlite_copy_at(Path(tmp) / "registry.db", copy, head)
        base_env = {**env, "SOPCLI_DB": f"sqlite:///{copy}"}
    cases = [(name, argv, False) for name, argv in CASES.items()]
    cases.append(("overdue, on a terminal", CASES["overdue, piped"], True))
    differ = 0
    for name, argv, tty in cases:
        a, b = run(opts.base, base_env, argv, tty), run(opts.head, env, argv, tty)
        same = a == b
        differ += not same
        print(f"{'same' if same else 'DIFFER':6}  {len(b):>11,} bytes  {name}")
    return 1 if differ else 0


def bench_registry_cases() -> int:
    return 150_000  # the national registry (issue 3), as run_all.NATIONAL_CASES


if __name__ == "__main__":
    sys.exit(main())
