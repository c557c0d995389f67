"""Benchmark of the secretary's screen (issue 33): how long `sopcli screen` takes to show the morning and to open a
case, and its peak memory, on a registry of national size.

Each run is a fresh process that starts the app headless at 80×24 (Textual's own test driver, the same app
`sopcli screen` runs), waits until the morning's table is filled, then (second figure) presses Enter on the
first term of a case and waits for its card; the process's wall time and peak RSS are read from outside, so
interpreter start-up, the imports and the digest's read are all in the figure. `--db FILE` names a registry
(a copy: SQLite may leave its -wal beside it), otherwise bench_registry.py generates one. Nothing is asserted.
Targets (issue 33): open under 1 s; memory under 300 MB; a case's card after it as fast as `case show` (0.4 s).
Run: .venv/bin/python bench/bench_screen.py [--db FILE | --cases 150000] [--as-of 23.11.2026] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_registry

TARGET_SECS, TARGET_MB = 1.0, 300.0
CARD_SECS = 0.4  # a case's card once the morning is up: `case show`'s bar (issue 3)

CHILD = """
import asyncio, sys
from datetime import datetime
from zoneinfo import ZoneInfo
from sopcli.screen.app import SopApp
from sopcli.services.unit_of_work import state

state["db"] = sys.argv[1]
day, open_case = sys.argv[2], sys.argv[3] == "case"

async def go():
    at = datetime.strptime(day, "%d.%m.%Y").replace(hour=9, tzinfo=ZoneInfo("Europe/Moscow"))
    app = SopApp(at)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        rows = len(app.screen.morning.rows)
        if open_case:
            lines = app.screen.lines
            app.screen.query_one("#terms").move_cursor(row=next(n for n, o in enumerate(lines) if o and o["case"]))
            await pilot.press("enter")
            await app.workers.wait_for_complete()  # the case's screen: card, history, terms, programme
            await pilot.pause()
            assert "Обязанности:" in str(app.screen.query_one("#card-text").render())
        print(rows)

asyncio.run(go())
"""


def run(env: dict[str, str], db: str, day: str, what: str) -> tuple[float, float, int]:
    """(wall seconds, peak MB, rows in the morning) of one whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", CHILD, db, day, what], env=env, check=True, capture_output=True,
                          text=True)
    secs = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return secs, max(peak, before) / 1024, int(done.stdout.split()[-1])


def table(env: dict[str, str], db: str, opts: argparse.Namespace) -> list[str]:
    """The figures as a Markdown table, the load average beside each (the machine is shared)."""
    lines = ["| what | median s | min s | max s | peak MB | morning rows | load (1 min) | target | met |",
             "|---|---:|---:|---:|---:|---:|---:|---|---|"]
    morning = 0.0
    for what, label in (("morning", "the morning shown"), ("case", "the morning, then a case's card")):
        load = os.getloadavg()[0]
        runs = [run(env, db, opts.as_of, what) for _ in range(opts.repeat)]
        secs = [r[0] for r in runs]
        mb = max(r[1] for r in runs)
        # the card's own time is the case's figure less the morning's (the same process did both)
        took, bound, target = ((statistics.median(secs), TARGET_SECS, f"< {TARGET_SECS:g} s")
                               if what == "morning" else
                               (statistics.median(secs) - morning, CARD_SECS, f"the card < {CARD_SECS:g} s after it"))
        morning = statistics.median(secs)
        met = "yes" if took < bound and mb < TARGET_MB else "**no**"
        lines.append(f"| {label} | {statistics.median(secs):.2f} | {min(secs):.2f} | {max(secs):.2f} | {mb:.0f} | "
                     f"{runs[0][2]:,} | {load:.2f} | {target}, < {TARGET_MB:g} MB | {met} |")
    return lines




def _marks(engine: str) -> tuple[str, str]:
    """The comments around an engine's section of REPORT.md (hidden when the Markdown is shown)."""
    return f"<!-- bench_screen {engine} -->", f"<!-- /bench_screen {engine} -->"


def into_report(report: Path, lines: list[str], db: str) -> None:
    """The screen's section of REPORT.md, replaced whole (run_all.py writes the rest, and keeps this section)."""
    from datetime import datetime

    engine = "PostgreSQL" if "://" in db and not db.startswith("sqlite") else "SQLite"
    heading = f"### sopcli screen on {engine} (bench/bench_screen.py, {datetime.now().astimezone():%Y-%m-%d %H:%M %z})"
    text = report.read_text("utf-8") if report.exists() else ""
    mark, last = _marks(engine)
    block = "\n".join([mark, heading, "", *lines, last])
    start, end = text.find(mark), text.find(last)
    if start >= 0 and end > start:
        text = text[:start] + block + text[end + len(last):]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    report.write_text(text, "utf-8")


def kept_sections(text: str) -> str:
    """The screen's sections of an old REPORT.md: run_all.py writes the rest anew and puts these back after it."""
    out = []
    for engine in ("SQLite", "PostgreSQL"):
        mark, last = _marks(engine)
        start, end = text.find(mark), text.find(last)
        if start >= 0 and end > start:
            out.append(text[start:end + len(last)])
    return "".join(f"\n{block}\n" for block in out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", help="a registry file (a copy: nothing is written to it, but SQLite may add its -wal)")
    ap.add_argument("--cases", type=int, default=150_000)
    ap.add_argument("--as-of", default=f"{bench_registry.AS_OF:%d.%m.%Y}")  # the generated registry's "today"
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--report", help="also write the table into this REPORT.md (its «sopcli screen» section)")
    opts = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="sopcli-bench-screen-"))
    db = opts.db or str(tmp / "registry.db")
    env = bench_registry.bench_env(str(tmp), db)
    try:
        if opts.db is None:
            subprocess.run([bench_registry.EXE, "init", "--new", "--municipality", "г. Йошкар-Ола"], env=env,
                           check=True, stdout=subprocess.DEVNULL)
            bench_registry.generate(f"sqlite:///{db}", opts.cases)
        lines = table(env, db, opts)
        print("\n".join(lines))
        if opts.report:
            into_report(Path(opts.report), lines, db)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
