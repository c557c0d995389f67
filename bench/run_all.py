"""Every benchmark of the registry at national scale, on SQLite and PostgreSQL, into one report.

Generates the registry of issue 3 (150,000 cases, 300,000 persons, 2.1 M obligations; `--scale` takes a
fraction of it) on each engine, then times every command as a whole process: the median of `--repeat`
runs with min, max and the peak RSS of the child. Each run goes through a fresh helper process, so its
RUSAGE_CHILDREN is that one run's `sopcli` alone. Commands built on other branches (`backup`, `restore`,
`audit verify`) are timed when `sopcli CMD --help` succeeds and listed as skipped otherwise, so the same
runner picks them up after the merge. Writes bench/REPORT.md and bench/report.json; nothing is asserted.

Run: .venv/bin/python bench/run_all.py [--scale 1.0] [--only sqlite|postgresql] [--pg URL] [--keep DIR]
     [--repeat 3] [--complex FILE]
PostgreSQL: `--pg URL` or SOPCLI_BENCH_PG names a server (any database on it, e.g. …/postgres); the runner
creates its own database there (--pg-db, default sop_bench_national) and drops it at the end unless --keep.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import bench_exports  # noqa: E402  (pandas is imported only inside its pandas_bank)
import bench_ics  # noqa: E402
import bench_registry  # noqa: E402
import bench_screen  # noqa: E402
import report_md  # noqa: E402

EXE = os.path.join(os.path.dirname(sys.executable), "sopcli")
NATIONAL_CASES = 150_000
AS_OF = "23.11.2026"  # bench_registry.AS_OF: the generated registry's "today"
QUARTER = "2026Q3"
PG_DB = "sop_bench_national"
RECONCILE_ROWS = 20_000
MB = 300  # peak memory target of every command (registry issue)

# Each run's peak RSS is the child's alone: a fresh helper per run, RUSAGE_CHILDREN read after it ends.
# Its CPU time (user + system) is reported beside the wall time: on a shared machine the wall time grows with
# the load, the CPU time much less (a PostgreSQL server's own CPU is not in it).
# With "tty" the child's stdout is a pseudo-terminal, drained as a terminal would: the secretary's view.
_HELPER = (
    "import json,os,pty,resource,subprocess,sys,time\n"
    "tty=sys.argv[1]=='tty'\n"
    "m,s=pty.openpty() if tty else (None,subprocess.DEVNULL)\n"
    "t=time.perf_counter()\n"
    "p=subprocess.Popen(sys.argv[2:],stdin=subprocess.DEVNULL,stdout=s,stderr=subprocess.PIPE)\n"
    "if tty:\n"
    " os.close(s)\n"
    " while True:\n"
    "  try:\n"
    "   if not os.read(m,1<<16): break\n"
    "  except OSError: break\n"
    "e=p.stderr.read().decode(errors='replace').strip().splitlines()\n"
    "p.wait()\n"
    "s=time.perf_counter()-t\n"
    "u=resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(json.dumps({'secs':s,'cpu':u.ru_utime+u.ru_stime,'mb':u.ru_maxrss/1024,"
    "'rc':p.returncode,'err':e[-1][:200] if e else ''}))\n"
)


@dataclass
class Bench:
    """One command to time; `prepare(i)` gives run i's argv and extra environment, `after(i)` cleans up."""

    key: str
    label: str
    argv: list[str] | None = None
    prepare: Callable[[int], tuple[list[str], dict[str, str]]] | None = None
    after: Callable[[int], None] | None = None
    needs: str | None = None  # a command from another branch: `sopcli NEEDS --help` must succeed
    target_secs: float | None = None
    target_mb: float | None = MB
    sopcli: bool = True
    tty: bool = False  # stdout a terminal (colours on), not a pipe


@dataclass
class Engine:
    name: str  # sqlite | postgresql
    url: str
    env: dict[str, str]
    work: Path
    admin: str | None = None  # PostgreSQL server URL for CREATE/DROP DATABASE
    db: str = PG_DB  # the PostgreSQL database the runner creates (and drops unless --keep)
    info: dict = field(default_factory=dict)


def timed(argv: list[str], env: dict[str, str], tty: bool = False) -> dict:
    out = subprocess.run([sys.executable, "-c", _HELPER, "tty" if tty else "pipe", *argv], env=env,
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def measure(b: Bench, env: dict[str, str], repeat: int) -> dict:
    load = os.getloadavg()  # beside each figure: the machine is shared, and a figure means little without it
    runs = []
    for i in range(repeat):
        argv, extra = b.prepare(i) if b.prepare else (b.argv or [], {})
        try:
            run_env = {k: v for k, v in {**env, **extra}.items() if not (b.tty and k == "NO_COLOR")}
            runs.append(timed([EXE, *argv] if b.sopcli else argv, run_env, b.tty))
        finally:
            if b.after:
                b.after(i)
        if runs[-1]["rc"] != 0:
            return {"status": "failed", "rc": runs[-1]["rc"], "error": runs[-1]["err"], "runs": runs, "load": load}
    secs = [r["secs"] for r in runs]
    return {"status": "ok", "median": statistics.median(secs), "min": min(secs), "max": max(secs),
            "cpu_median": statistics.median(r["cpu"] for r in runs), "peak_mb": max(r["mb"] for r in runs),
            "runs": runs, "load": load}


def available(words: list[str], env: dict[str, str]) -> bool:
    """A command exists when `sopcli WORDS --help` exits 0 (Typer exits 2 for an unknown command)."""
    return subprocess.run([EXE, *words, "--help"], env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode == 0


# --- the registries ---------------------------------------------------------------------------------------

def pg_admin(admin: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(admin.replace("postgresql+psycopg://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute(sql)


def pg_url(admin: str, database: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(admin).set(database=database).render_as_string(hide_password=False)


def count_cases(url: str) -> int | None:
    """Cases in a kept registry, or None when there is none to reuse."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import SQLAlchemyError

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM sop_case")).scalar_one()
    except SQLAlchemyError:
        return None
    finally:
        engine.dispose()


def build(eng: Engine, cases: int, keep: bool) -> None:
    """The registry of `cases` cases: reused when --keep holds one of that size, generated otherwise."""
    sqlite_file = eng.url.removeprefix("sqlite:///") if eng.name == "sqlite" else None
    exists = os.path.exists(sqlite_file) if sqlite_file else _pg_exists(eng.admin, eng.db)
    if keep and exists and count_cases(eng.url) == cases:
        t = time.perf_counter()  # a kept registry may predate a migration: `init` below must find it current
        subprocess.run([EXE, "init"], env=eng.env, check=True, stdout=subprocess.DEVNULL)
        eng.info.update(generated=False, generate_secs=None, upgrade_init_secs=time.perf_counter() - t)
    else:
        if sqlite_file:
            for suffix in ("", "-wal", "-shm"):
                Path(sqlite_file + suffix).unlink(missing_ok=True)
        else:
            pg_admin(eng.admin, f"DROP DATABASE IF EXISTS {eng.db} WITH (FORCE)")
            pg_admin(eng.admin, f"CREATE DATABASE {eng.db}")
        t = time.perf_counter()
        subprocess.run([EXE, "init", "--new", "--municipality", "г. Йошкар-Ола"], env=eng.env, check=True,
                       stdout=subprocess.DEVNULL)
        eng.info["first_init_secs"] = time.perf_counter() - t
        t = time.perf_counter()
        obligations = bench_registry.generate(eng.url, cases)
        eng.info["generate_secs"] = time.perf_counter() - t
        t = time.perf_counter()
        analyze(eng)  # a registry in use has statistics; a freshly loaded one would be planned blind
        eng.info.update(generated=True, analyze_secs=time.perf_counter() - t, obligations=obligations)
    eng.info.update(cases=cases, obligations=bench_registry.count_obligations(eng.url), size_mb=size_mb(eng))


def _pg_exists(admin: str, name: str) -> bool:
    import psycopg

    with psycopg.connect(admin.replace("postgresql+psycopg://", "postgresql://", 1)) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def analyze(eng: Engine) -> None:
    if eng.name == "sqlite":
        import sqlite3

        conn = sqlite3.connect(eng.url.removeprefix("sqlite:///"))
        conn.execute("ANALYZE")
        conn.close()
    else:
        pg_admin(eng.url, "VACUUM ANALYZE")


def size_mb(eng: Engine) -> float:
    if eng.name == "sqlite":
        path = eng.url.removeprefix("sqlite:///")
        return sum(os.path.getsize(path + s) for s in ("", "-wal") if os.path.exists(path + s)) / 2**20
    import psycopg

    with psycopg.connect(eng.url.replace("postgresql+psycopg://", "postgresql://", 1)) as conn:
        return conn.execute("SELECT pg_database_size(current_database())").fetchone()[0] / 2**20


# --- the benchmarks ---------------------------------------------------------------------------------------

def benches(eng: Engine, cases: int, seed: Path | None) -> list[Bench]:
    out = eng.work / "out"
    out.mkdir(mode=0o700, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d%H%M%S")
    listing = out / "pdn.xlsx"
    listed, eng.info["reconcile_list"] = bench_exports.agency_list(eng.url, eng.env, listing, RECONCILE_ROWS)
    digest = ["deadlines", "--overdue", "--as-of", AS_OF]
    raw = raw_query_code(eng.url)
    found = [
        # The floor under every command: Python, Typer building the command tree, no registry read.
        Bench("startup", "sopcli --help (start-up, no registry)", ["--help"]),
        Bench("digest", f"deadlines --overdue --as-of {AS_OF} (on a terminal)", digest, target_secs=1.5, tty=True),
        Bench("digest_cron", f"deadlines --overdue --as-of {AS_OF} (piped: cron)", digest, target_secs=1.5),
        Bench("digest_json", f"deadlines --overdue --as-of {AS_OF} --json", [*digest, "--json"], target_secs=1.5),
        Bench("raw_sql", "raw SQL, the same overdue rows, bare Python process", [sys.executable, "-c", raw],
              target_mb=None, sopcli=False),
        Bench("case_show", f"case show {cases // 2}", ["case", "show", str(cases // 2)], target_secs=0.4),
        Bench("signal_list", "signal list --year 2019 (a year's journal)", ["signal", "list", "--year", "2019"]),
        Bench("stats", "deadlines stats, 2025", ["deadlines", "stats", "--from", "01.01.2025", "--to", "31.12.2025",
                                                 "--as-of", AS_OF]),
        Bench("bank_all", "export bank --all", ["export", "bank", "--all", "-o", str(out / "bank_all.xlsx")],
              target_secs=15),
        Bench("bank_quarter", f"export bank --quarter {QUARTER}",
              ["export", "bank", "--quarter", QUARTER, "-o", str(out / "bank_q.xlsx")], target_secs=15),
        Bench("reconcile", f"reconcile, {listed:,}-row list",
              ["reconcile", str(listing), "--agency", bench_exports.AGENCY, "--quarter", QUARTER,
               "-o", str(out / "act.xlsx")], target_secs=3),
        Bench("remind_all", f"remind --all --as-of {AS_OF} (a letter per agency)",
              ["remind", "--all", "--as-of", AS_OF, "-o", str(remind_folder(out))], target_secs=10),
        Bench("remind_who", f"remind --who образование --as-of {AS_OF} (the busiest agency)",
              ["remind", "--who", "образование", "--as-of", AS_OF, "-o", str(out / "remind.docx")]),
    ]
    busiest, _ = bench_ics.busiest(eng.url, AS_OF)
    for (label, argv), key, target in zip(bench_ics.cases(["--who", busiest]), ("ics_busiest", "ics_all"),
                                          (bench_ics.TARGET_SECS, None), strict=True):
        found.append(Bench(key, label, [*argv, "-o", str(out / f"{key}.ics")], target_secs=target))
    if seed is not None:
        found.append(Bench("measures_import", "measures import (002 complex, 30 measures)",
                           prepare=lambda i: (["measures", "import", str(complex_copy(seed, out, f"{stamp}-{i}"))],
                                              {})))
    found.append(Bench("calendar_due", "calendar due 01.03.2027 5wd (the registry's calendar overrides)",
                       ["calendar", "due", "01.03.2027", "5wd"]))
    found.append(Bench("calendar_floor", "the calendar overrides read by the bare driver, bare Python process",
                       [sys.executable, "-c", calendar_floor_code(eng.url)], target_mb=None, sopcli=False))
    found.append(Bench("init", "init on a current registry", ["init"]))
    backup = out / "registry.zip"
    found += [
        Bench("backup", "backup (each run replaces the last: --force)", ["backup", str(backup), "--force"],
              needs="backup", target_secs=30),
        Bench("restore", "restore into an empty registry", prepare=lambda i: (["restore", str(backup)],
                                                                              restore_target(eng, i)),
              after=lambda i: drop_restore_target(eng, i), needs="restore", target_secs=60),
        Bench("audit_verify", "audit verify", ["audit", "verify"], needs="audit verify"),
    ]
    return found


def remind_folder(out: Path) -> Path:
    """`remind --all` writes into a folder that exists (a missing one is refused)."""
    folder = out / "letters"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def bare_query_code(url: str, sql: str) -> str:
    """A bare Python process that imports only the engine's driver, connects and runs `sql`: a floor."""
    if url.startswith("sqlite:///"):
        return f"import sqlite3; print(len(sqlite3.connect({url[10:]!r}).execute({sql!r}).fetchall()))"
    dsn = url.replace("postgresql+psycopg://", "postgresql://", 1)
    return f"import psycopg; print(len(psycopg.connect({dsn!r}).execute({sql!r}).fetchall()))"


def raw_query_code(url: str) -> str:
    """bench_registry's overdue query in a bare process: the floor a digest is compared with (≤ 3×)."""
    return bare_query_code(url, bench_registry.RAW_SQL)


CALENDAR_SQL = "SELECT day, working, reason FROM calendar_override WHERE removed_at IS NULL ORDER BY id"


def calendar_floor_code(url: str) -> str:
    """Start Python, import the engine's driver, connect and read the calendar overrides. On PostgreSQL
    psycopg's import alone is about --help's whole start-up, which `calendar due` no longer pays: it reads
    through libpq itself (sopcli/pg_light.py), and this floor shows what that saved."""
    return bare_query_code(url, CALENDAR_SQL)


def complex_copy(seed: Path, out: Path, tag: str) -> Path:
    """The 002 seed under a title of its own: a complex with the same title is refused as already imported."""
    text = seed.read_text(encoding="utf-8")
    marker = "Межведомственный комплекс"
    path = out / f"complex-{tag}.txt"
    path.write_text(text.replace(marker, f"{marker} (замер {tag})", 1), encoding="utf-8")
    return path


def restore_target(eng: Engine, i: int) -> dict[str, str]:
    if eng.name == "sqlite":
        return {"SOPCLI_DB": str(eng.work / f"restored-{i}.db")}
    pg_admin(eng.admin, f"DROP DATABASE IF EXISTS {eng.db}_restore WITH (FORCE)")
    pg_admin(eng.admin, f"CREATE DATABASE {eng.db}_restore")
    return {"SOPCLI_DB": pg_url(eng.admin, f"{eng.db}_restore")}


def drop_restore_target(eng: Engine, i: int) -> None:
    if eng.name == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            (eng.work / f"restored-{i}.db{suffix}").unlink(missing_ok=True)
    else:
        pg_admin(eng.admin, f"DROP DATABASE IF EXISTS {eng.db}_restore WITH (FORCE)")


def run_engine(eng: Engine, cases: int, opts: argparse.Namespace, seed: Path | None,
               previous: dict | None = None) -> dict:
    eng.info["load_start"] = os.getloadavg()
    t = time.perf_counter()
    build(eng, cases, opts.keep is not None)
    how = f"generated in {eng.info['generate_secs']:.0f} s" if eng.info["generated"] else "reused"
    print(f"[{eng.name}] registry: {eng.info['cases']:,} cases, {eng.info['obligations']:,} obligations ({how})",
          flush=True)
    results = dict(previous or {})
    for b in benches(eng, cases, seed):
        if opts.bench and b.key not in opts.bench:
            continue  # kept from the last report (--bench): measured then, with its load
        if b.needs and not available(b.needs.split(), eng.env):
            results[b.key] = {"status": "skipped", "why": f"no `sopcli {b.needs}` in this build"}
        elif b.key == "restore" and results.get("backup", {}).get("status") != "ok":
            results[b.key] = {"status": "skipped", "why": "no backup to restore"}
        else:
            results[b.key] = measure(b, eng.env, opts.repeat)
        results[b.key].update(label=b.label, target_secs=b.target_secs, target_mb=b.target_mb)
        if opts.bench:
            results[b.key]["label"] += f" (re-measured {datetime.now().astimezone():%Y-%m-%d %H:%M})"
        r = results[b.key]
        print(f"[{eng.name}] {b.label}: " + (f"{r['median']:.3f} s, {r['peak_mb']:.0f} MB" if r["status"] == "ok"
                                             else f"{r['status']} {r.get('why') or r.get('error', '')}"), flush=True)
    if results["raw_sql"]["status"] == "ok":
        for key in ("digest", "digest_cron", "digest_json"):
            if results[key]["status"] == "ok":
                eng.info[f"{key}_over_raw"] = results[key]["median"] / results["raw_sql"]["median"]
    if results["startup"]["status"] == "ok" and results.get("calendar_due", {}).get("status") == "ok":
        eng.info["calendar_over_help"] = results["calendar_due"]["median"] / results["startup"]["median"]
        if results.get("calendar_floor", {}).get("status") == "ok":
            eng.info["calendar_over_floor"] = (results["calendar_due"]["median"]
                                               / results["calendar_floor"]["median"])
    eng.info.update(load_end=os.getloadavg(), total_secs=time.perf_counter() - t)
    return {"registry": eng.info, "results": results}


def find_seed(given: str | None) -> Path | None:
    if given:
        return Path(given)
    repo = HERE.parent
    for base in (repo.parent, repo.parent.parent):  # ../shared beside the repository or its worktree folder
        found = sorted((base / "shared" / "seeds").glob("002_*.txt"))
        if found:
            return found[0]
    return None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=1.0, help="fraction of the national registry (150,000 cases)")
    ap.add_argument("--only", choices=("sqlite", "postgresql"))
    ap.add_argument("--pg", default=os.environ.get("SOPCLI_BENCH_PG"), help="PostgreSQL server URL")
    ap.add_argument("--pg-db", default=PG_DB, help="the database the runner creates on that server")
    ap.add_argument("--keep", metavar="DIR", help="keep the registries (SQLite in DIR, the PostgreSQL database) "
                                                  "and reuse them next time")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--complex", help="the 002 complex of measures as text (default: ../shared/seeds/002_*.txt)")
    ap.add_argument("--out", default=str(HERE), help="folder of REPORT.md and report.json")
    ap.add_argument("--bench", type=lambda v: set(v.split(",")), metavar="KEY,…",
                    help="re-measure these figures only (e.g. digest,digest_cron,digest_json,raw_sql); the others are "
                         "kept from report.json as they were measured, each with its load")
    opts = ap.parse_args()
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,50}", opts.pg_db):  # it goes into CREATE/DROP DATABASE as is
        ap.error("--pg-db: lower-case letters, digits and _ only")
    out = Path(opts.out)
    try:  # checked before the timings: a report that cannot be written is found out now, not after an hour
        out.mkdir(parents=True, exist_ok=True)
        probe = out / f".write-test-{os.getpid()}"
        probe.write_text("", encoding="utf-8")
        probe.unlink()
    except OSError as e:
        ap.error(f"--out {out}: cannot write there ({e.strerror})")
    cases = max(100, round(NATIONAL_CASES * opts.scale))
    engines = [e for e in ("sqlite", "postgresql") if opts.only in (None, e)]
    root = Path(opts.keep or tempfile.mkdtemp(prefix="sopcli-bench-all-"))
    root.mkdir(parents=True, exist_ok=True)
    os.chmod(root, 0o700)  # generated names only, but a registry's folder is 0700 all the same
    report = {"machine": report_md.machine(opts.pg if "postgresql" in engines else None),
              "options": {"scale": opts.scale, "cases": cases, "repeat": opts.repeat, "kept": bool(opts.keep)},
              "engines": {}, "skipped_engines": {}}
    seed = find_seed(opts.complex)
    last = {}  # --bench: the figures of the last report, kept
    if opts.bench and (out / "report.json").exists():
        kept = json.loads((out / "report.json").read_text("utf-8"))
        last = {name: e["results"] for name, e in kept.get("engines", {}).items()}
        report["machine"]["kept_from"] = kept.get("machine", {}).get("date") or kept.get("machine", {}).get("started")
    try:
        for name in engines:
            work = root / name
            work.mkdir(mode=0o700, exist_ok=True)
            env = dict(os.environ, SOPCLI_CONFIG_DIR=str(work / "cfg"), SOPCLI_CACHE_DIR=str(work / "cache"),
                       NO_COLOR="1", COLUMNS="120")
            env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed sopcli has its bytecode cached; measure that
            if name == "sqlite":
                eng = Engine(name, f"sqlite:///{work / 'registry.db'}", env, work)
            elif not opts.pg:
                report["skipped_engines"][name] = "no server: --pg URL or SOPCLI_BENCH_PG"
                continue
            else:
                eng = Engine(name, pg_url(opts.pg, opts.pg_db), env, work, admin=opts.pg, db=opts.pg_db)
            eng.env["SOPCLI_DB"] = eng.url.removeprefix("sqlite:///")
            report["engines"][name] = run_engine(eng, cases, opts, seed, last.get(name))
    finally:
        if not opts.keep:
            if opts.pg and "postgresql" in engines:
                pg_admin(opts.pg, f"DROP DATABASE IF EXISTS {opts.pg_db} WITH (FORCE)")
            shutil.rmtree(root, ignore_errors=True)
    report["machine"]["load_end"] = os.getloadavg()
    report["machine"]["finished"] = datetime.now().astimezone().isoformat(timespec="seconds")
    (out / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    old = (out / "REPORT.md").read_text("utf-8") if (out / "REPORT.md").exists() else ""
    (out / "REPORT.md").write_text(report_md.render(report) + bench_screen.kept_sections(old), encoding="utf-8")
    print(f"written: {out / 'REPORT.md'}, {out / 'report.json'}")


if __name__ == "__main__":
    main()
