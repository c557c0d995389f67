"""The machine a benchmark ran on, and bench/REPORT.md from run_all.py's figures."""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path

# Figures of the earlier issues (CHANGELOG), on SQLite with the same generated registry.
EARLIER = {
    "digest": "0.57 s (issue 3)",
    "case_show": "0.13 s (issue 3)",
    "signal_list": "0.8 s (issue 3)",
    "bank_all": "8 s, 49 MB (issue 5)",
}
ENGINE_TITLES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def machine(pg: str | None) -> dict:
    info = {
        "started": datetime.now().astimezone().isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "cpu": _cpu_model(),
        "ram_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "load_start": os.getloadavg(),
        "os": platform.platform(),
        "python": sys.version.split()[0],
        "sqlite": sqlite3.sqlite_version,
        "postgresql": _pg_version(pg) if pg else None,
        "commit": _git("rev-parse", "--short", "HEAD"),
        "uncommitted": bool(_git("status", "--porcelain", "--untracked-files=no")),
    }
    try:
        import sqlalchemy

        info["sqlalchemy"] = sqlalchemy.__version__
        import psycopg

        info["psycopg"] = psycopg.__version__
    except ImportError:
        pass
    return info


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def _pg_version(url: str) -> str:
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://", 1)) as conn:
        return conn.execute("SHOW server_version").fetchone()[0]


def _git(*args: str) -> str:
    repo = Path(__file__).resolve().parent.parent
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else ""


def _load(t: list[float] | tuple[float, ...]) -> str:
    return " / ".join(f"{x:.2f}" for x in t)


def _target(r: dict) -> tuple[str, str]:
    """The target where known, and whether the median and peak met it."""
    parts, met = [], True
    if r.get("target_secs") is not None:
        parts.append(f"< {r['target_secs']:g} s")
        met = met and r.get("median", 0) < r["target_secs"]
    if r.get("target_mb") is not None:
        parts.append(f"< {r['target_mb']:g} MB")
        met = met and r.get("peak_mb", 0) < r["target_mb"]
    if not parts or r["status"] != "ok":
        return ", ".join(parts) or "—", ""
    return ", ".join(parts), "yes" if met else "**no**"


def render(rep: dict) -> str:
    m = rep["machine"]
    o = rep["options"]
    lines = [
        "# sopcli benchmarks: the national registry on SQLite and PostgreSQL",
        "",
        "Written by `bench/run_all.py` (raw figures: `bench/report.json`). Every command is a whole process;"
        f" median of {o['repeat']} runs with min and max; peak RSS of the child process.",
        "",
        "## Machine",
        "",
        f"- date: {m['started']} – {m.get('finished', '')}"
        + (f" (the figures marked «re-measured»; the others from the run started {m['kept_from']})"
           if m.get("kept_from") else ""),
        f"- commit: `{m['commit']}`{' (with uncommitted changes)' if m['uncommitted'] else ''}",
        f"- CPU: {m['cores']} cores, {m['cpu']}; RAM {m['ram_gb']} GB; {m['os']}",
        f"- load average (1/5/15 min): at start {_load(m['load_start'])}, at end {_load(m['load_end'])}",
        f"- Python {m['python']}, SQLite {m['sqlite']}, PostgreSQL {m['postgresql'] or '—'},"
        f" SQLAlchemy {m.get('sqlalchemy', '?')}, psycopg {m.get('psycopg', '?')}",
        f"- scale {o['scale']:g}: {o['cases']:,} cases{' (--keep: registries kept for reuse)' if o['kept'] else ''}",
        "",
        "How: each run is a fresh helper process that starts `sopcli` and reads its RUSAGE_CHILDREN, so the peak"
        " RSS and the CPU time (user + system) are that one process's; the CPU time of a PostgreSQL server is"
        " not in it. Output goes to /dev/null (a pipe, as under cron), except the digest"
        " \"on a terminal\", whose stdout is a pseudo-terminal read to the end, colours on. The bytecode cache"
        " is on (PYTHONDONTWRITEBYTECODE is unset for the children), as in an installed sopcli. The registries"
        " are ANALYZEd after generation. The machine is shared: compare figures only with the load average"
        " beside them.",
        "",
    ]
    for name, why in rep.get("skipped_engines", {}).items():
        lines += [f"**{ENGINE_TITLES[name]}: not run** — {why}.", ""]
    for name, eng in rep["engines"].items():
        lines += _engine(name, eng)
    return "\n".join(lines) + "\n"


def _engine(name: str, eng: dict) -> list[str]:
    g = eng["registry"]
    made = (f"generated in {g['generate_secs']:.0f} s (+ ANALYZE {g['analyze_secs']:.0f} s; first `init` "
            f"{g['first_init_secs']:.1f} s)" if g["generated"] else "reused (--keep)")
    lines = [
        f"## {ENGINE_TITLES[name]}",
        "",
        f"Registry: {g['cases']:,} cases, {2 * g['cases']:,} persons, {g['obligations']:,} obligations, "
        f"{g['size_mb']:.0f} MB; {made}. Load average at start {_load(g['load_start'])}, "
        f"at end {_load(g['load_end'])}; {g['total_secs'] / 60:.0f} min in all.",
        "",
        "| command | median s | min s | max s | CPU s | peak RSS MB | load (1 min) | target | met | earlier (SQLite) |",
        "|---|---:|---:|---:|---:|---:|---:|---|---|---|",
    ]
    for key, r in eng["results"].items():
        target, met = _target(r)
        earlier = EARLIER.get(key, "") if name == "sqlite" else ""
        load = f"{r['load'][0]:.2f}" if r.get("load") else ""
        if r["status"] == "ok":
            cpu = f"{r['cpu_median']:.2f}" if "cpu_median" in r else ""
            lines.append(f"| {r['label']} | {r['median']:.3f} | {r['min']:.3f} | {r['max']:.3f} | {cpu} | "
                         f"{r['peak_mb']:.0f} | {load} | {target} | {met} | {earlier} |")
        else:
            why = r.get("why") or f"exit {r.get('rc')}: {r.get('error', '')}"
            lines.append(f"| {r['label']} | {r['status']} | | | | | {load} | {target} | | {why} |")
    lines += _ratios(g, name)
    lines += ["", f"Reconcile list: {g.get('reconcile_list', '')}.", ""]
    return lines


RATIOS = [  # (key, what is compared, the bound, engines): issue 17 holds the digest within 2× its raw query
    ("digest_over_raw", "digest on a terminal / raw SQL (both as processes)", 2.0, ("sqlite", "postgresql")),
    ("digest_cron_over_raw", "digest piped (cron) / raw SQL", 2.0, ("sqlite", "postgresql")),
    ("digest_json_over_raw", "digest --json / raw SQL", 2.0, ("sqlite", "postgresql")),
    ("calendar_over_help", "calendar due on a registry / sopcli --help", 1.5, ("sqlite", "postgresql")),
    # PostgreSQL only: there the driver's import and connection are most of the floor (sqlite3's are nothing)
    ("calendar_over_floor", "calendar due on a registry / the bare driver's read of the overrides", 1.5,
     ("postgresql",)),
]


def _ratios(g: dict, name: str) -> list[str]:
    lines = []
    for key, label, bound, engines in RATIOS:
        ratio = g.get(key) if name in engines else None
        if ratio is not None:
            met = "yes" if ratio <= bound else "**no**"
            lines.append(f"| {label} | {ratio:.2f}× | | | | | | ≤ {bound:g}× | {met} | |")
    return lines


if __name__ == "__main__":  # re-render REPORT.md from report.json: python bench/report_md.py [DIR]
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent)
    figures = json.loads((folder / "report.json").read_text("utf-8"))
    (folder / "REPORT.md").write_text(render(figures), encoding="utf-8")
