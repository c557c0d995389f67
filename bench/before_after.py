"""Issue 32 §6: the four speed figures of two builds, taken in one run, alternating, on the same registries.

run_all.py times one build; a figure taken an hour later on a shared machine says little beside it. This
runs the commands of issue 32 §6 — reconcile of the 20,000-row list, the digest on a terminal and with
--json against the raw query, case show, signal list --year 2019 — from the build before (`--before`, a
worktree with its own .venv) and this one, one after the other, round after round, on the registries
`run_all.py --keep DIR` left (generated if missing, as run_all generates them; when the builds' schemas
differ, the build before reads a copy taken down to its own by the migrations' downgrade). Each figure is the median
of `--repeat` rounds with its CPU time and the load average when it was taken. Writes
bench/BEFORE_AFTER.md and bench/before_after.json; nothing is asserted.

Run: .venv/bin/python bench/before_after.py --before ../wt-before --keep DIR [--pg URL] [--repeat 3]
     [--only sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import bench_exports  # noqa: E402
import report_md  # noqa: E402
import run_all  # noqa: E402
import schemas  # noqa: E402

DIGEST = ["deadlines", "--overdue", "--as-of", run_all.AS_OF]
#: (key, label, target as text, bound in seconds or as a ratio to the raw query)
FIGURES = [
    ("reconcile", f"reconcile, {run_all.RECONCILE_ROWS:,}-row list", "< 3 s", 3.0),
    ("digest", "digest on a terminal / raw SQL", "≤ 2×", 2.0),
    ("digest_json", "digest --json / raw SQL", "≤ 2×", 2.0),
    ("case_show", "case show (the middle case)", "< 0.4 s", 0.4),
    ("signal_list", "signal list --year 2019", "< 1 s", 1.0),
]
RATIOS = {"digest", "digest_json"}


def commands(work: Path, cases: int) -> dict[str, tuple[list[str], bool]]:
    """Each figure's sopcli arguments and whether its stdout is a terminal (run_all's benches, the same words)."""
    listing = work / "out" / "pdn.xlsx"
    return {
        "reconcile": (["reconcile", str(listing), "--agency", bench_exports.AGENCY, "--quarter", run_all.QUARTER,
                       "-o", str(work / "out" / "act.xlsx")], False),
        "digest": (DIGEST, True),
        "digest_json": ([*DIGEST, "--json"], False),
        "case_show": (["case", "show", str(cases // 2)], False),
        "signal_list": (["signal", "list", "--year", "2019"], False),
    }


def run(exe: str, argv: list[str], env: dict[str, str], tty: bool) -> dict:
    """One whole process through run_all's helper: wall, CPU, peak RSS; the load average beside it."""
    load = os.getloadavg()[0]
    got = run_all.timed([exe, *argv], {k: v for k, v in env.items() if not (tty and k == "NO_COLOR")}, tty)
    if got["rc"] != 0:
        raise SystemExit(f"{exe} {' '.join(argv)}: exit {got['rc']}: {got['err']}")
    return {"secs": got["secs"], "cpu": got["cpu"], "load": load}


def older_copy(eng: run_all.Engine, head: str) -> dict[str, str]:
    """The environment of a build that reads the kept registry at its older schema `head` (bench/schemas.py)."""
    env = dict(eng.env)
    if eng.name == "sqlite":
        copy = eng.work / f"registry-{head}.db"
        schemas.sqlite_copy_at(Path(eng.url.removeprefix("sqlite:///")), copy, head)
        env["SOPCLI_DB"] = str(copy)
    else:
        env["SOPCLI_DB"] = schemas.pg_copy_at(eng.admin, eng.db, head)
    return env


def engine_rounds(eng: run_all.Engine, cases: int, builds: dict[str, tuple[str, dict[str, str]]],
                  repeat: int) -> dict:
    """`repeat` rounds; in each, every figure from each build in turn (and the raw query before the digests)."""
    work = eng.work
    (work / "out").mkdir(mode=0o700, exist_ok=True)
    listed, _ = bench_exports.agency_list(eng.url, eng.env, work / "out" / "pdn.xlsx", run_all.RECONCILE_ROWS)
    raw = [sys.executable, "-c", run_all.raw_query_code(eng.url)]
    runs: dict[str, dict[str, list[dict]]] = {}
    for i in range(repeat):
        for key, (argv, tty) in commands(work, cases).items():
            if key in RATIOS:
                runs.setdefault("raw_sql", {}).setdefault("raw", []).append(run(raw[0], raw[1:], eng.env, False))
            for name, (exe, env) in (builds.items() if i % 2 == 0 else reversed(builds.items())):
                runs.setdefault(key, {}).setdefault(name, []).append(run(exe, argv, env, tty))
            print(f"[{eng.name}] round {i + 1}: {key} done", flush=True)
    return {"reconcile_rows": listed, "runs": runs}


def median(rs: list[dict], field: str) -> float:
    return statistics.median(r[field] for r in rs)


def figures(result: dict) -> list[dict]:
    """Each figure per build: seconds (or the ratio of medians to the raw query's), CPU, load, met."""
    runs, rows = result["runs"], []
    raw = median(runs["raw_sql"]["raw"], "secs") if "raw_sql" in runs else None
    for key, label, target, bound in FIGURES:
        for build, rs in runs.get(key, {}).items():
            secs = median(rs, "secs")
            value = secs / raw if key in RATIOS and raw else secs
            rows.append({"key": key, "label": label, "build": build, "value": value, "secs": secs,
                         "cpu": median(rs, "cpu"), "load": median(rs, "load"), "target": target,
                         "met": value < bound if key not in RATIOS else value <= bound, "ratio": key in RATIOS})
    return rows


def render(report: dict) -> str:
    m = report["machine"]
    out = ["# Issue 32 §6: before and after, one run",
           "",
           f"Written by `bench/before_after.py`: the build before (`{report['before_commit']}`) and after "
           f"(`{m['commit']}`) timed one after the other, {report['repeat']} rounds, on the same kept "
           f"registries ({report['cases']:,} cases); medians, CPU time of the process (user + system), load "
           "average (1 min) when each was taken. A ratio is the digest's median over the raw query's, the raw "
           "query timed in the same rounds. The machine is shared (2 cores): read each figure with its load.",
           "",
           f"- {m['started']} – {report['finished']}; {m['cores']} cores, {m['cpu']}; Python {m['python']}, "
           f"SQLite {m['sqlite']}, PostgreSQL {m['postgresql'] or '—'}",
           f"- load average (1/5/15 min): at start {report_md._load(m['load_start'])}, "
           f"at end {report_md._load(report['load_end'])}",
           ""]
    for name, eng in report["engines"].items():
        out += [f"## {report_md.ENGINE_TITLES[name]}", "",
                "| figure | before | after | CPU s before → after | load (1 min) | target | met after |",
                "|---|---:|---:|---:|---:|---|---|"]
        rows = figures(eng)
        raw = eng["runs"].get("raw_sql", {}).get("raw")
        heads = eng.get("schemas", {})
        if len(set(heads.values())) > 1:
            out[-2:-2] = [f"The build before reads a copy of the registry taken down to its schema "
                          f"{heads['before']} by the migrations' own downgrade (the same rows); the build after "
                          f"reads it at {heads['after']}.", ""]
        for key, label, target, _ in FIGURES:
            pair = {r["build"]: r for r in rows if r["key"] == key}
            if not pair:
                continue
            b, a = pair["before"], pair["after"]
            shown = (lambda r: f"{r['value']:.2f}×") if a["ratio"] else (lambda r: f"{r['value']:.3f} s")
            out.append(f"| {label} | {shown(b)} | {shown(a)} | {b['cpu']:.2f} → {a['cpu']:.2f} | "
                       f"{b['load']:.2f} / {a['load']:.2f} | {target} | {'yes' if a['met'] else '**no**'} |")
        if raw:
            out.append(f"| raw SQL, the same overdue rows (the ratios' base) | {median(raw, 'secs'):.3f} s | | "
                       f"{median(raw, 'cpu'):.2f} | {median(raw, 'load'):.2f} | — | |")
        out.append("")
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", required=True, help="the build before: a worktree with its own .venv")
    ap.add_argument("--keep", required=True, metavar="DIR", help="run_all.py --keep's folder (registries reused)")
    ap.add_argument("--pg", default=os.environ.get("SOPCLI_BENCH_PG"), help="PostgreSQL server URL")
    ap.add_argument("--pg-db", default=run_all.PG_DB)
    ap.add_argument("--only", choices=("sqlite", "postgresql"))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--out", default=str(HERE))
    opts = ap.parse_args()
    before = Path(opts.before).resolve()
    builds = {"before": str(before / ".venv" / "bin" / "sopcli"), "after": run_all.EXE}
    cases = max(100, round(run_all.NATIONAL_CASES * opts.scale))
    report = {"machine": report_md.machine(opts.pg), "repeat": opts.repeat, "cases": cases, "engines": {},
              "before_commit": report_md._git("-C", str(before), "rev-parse", "--short", "HEAD")}
    for name in (e for e in ("sqlite", "postgresql") if opts.only in (None, e)):
        if name == "postgresql" and not opts.pg:
            continue
        work = Path(opts.keep) / name
        work.mkdir(parents=True, exist_ok=True, mode=0o700)
        env = dict(os.environ, SOPCLI_CONFIG_DIR=str(work / "cfg"), SOPCLI_CACHE_DIR=str(work / "cache"),
                   NO_COLOR="1", COLUMNS="120")
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        eng = (run_all.Engine(name, f"sqlite:///{work / 'registry.db'}", env, work) if name == "sqlite" else
               run_all.Engine(name, run_all.pg_url(opts.pg, opts.pg_db), env, work, admin=opts.pg, db=opts.pg_db))
        eng.env["SOPCLI_DB"] = eng.url.removeprefix("sqlite:///")
        run_all.build(eng, cases, keep=True)
        heads = {b: schemas.schema_head(str(Path(exe).with_name("python"))) for b, exe in builds.items()}
        older = {b: older_copy(eng, h) for b, h in heads.items() if h != heads["after"]}
        report["engines"][name] = engine_rounds(
            eng, cases, {b: (exe, older.get(b, eng.env)) for b, exe in builds.items()}, opts.repeat)
        report["engines"][name]["schemas"] = heads
    report["load_end"] = os.getloadavg()
    report["finished"] = datetime.now().astimezone().isoformat(timespec="seconds")
    out = Path(opts.out)
    (out / "before_after.json").write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (out / "BEFORE_AFTER.md").write_text(render(report) + "\n", encoding="utf-8")
    print(f"written: {out / 'BEFORE_AFTER.md'}")


if __name__ == "__main__":
    main()
