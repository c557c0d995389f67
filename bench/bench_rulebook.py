"""What the rulebook costs a command: parsing and validating it, in-process and as a whole process.

Issue 12 asks that loading and validating the rulebook (57 rules, each term and each quoted
citation read, every event checked against the steps) add under 20 ms to a command's start.
Measured four ways, each the median of `--runs`:
- `parse_rulebook` of the packaged file, in-process, from scratch: the full validation (`rules check`,
  and the first command after an install);
- `load_rulebook` as every later command loads it (the validated tables from the user's cache);
- the same with a region's own file added (`rulebook_with`);
- `sopcli calendar due … --rule me.check` (loads the rulebook) against the same command with
  the term typed (does not), as whole processes: the difference is what a user waits.
Nothing is asserted; the figures go to stdout (and `--json`).

Run: .venv/bin/python bench/bench_rulebook.py [--runs 15] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

EXE = os.path.join(os.path.dirname(sys.executable), "sopcli")
REGION = """
[[set]]
id = "bench"
title = "Свод для замера"
extends = ["mari-el"]

[[rule]]
id = "bench.check"
section = "signal"
title = "Проверить информацию"
who = "КДН"
to = "КДН"
term = "10wd"
written = "в течение 10 (десяти) рабочих дней"
source = "Постановление № 1, п. 1"
sets = ["bench"]
opens = ["signal.registered"]
fulfils = ["check.concluded"]
"""


def in_process(runs: int) -> dict[str, float]:
    from sopcli.deadlines import rulebook

    text = rulebook._packaged_text()
    rulebook.parse_rulebook(text)  # imports warmed: a command pays them anyway, for its terms and calendar
    packaged, cached, region = [], [], []
    for _ in range(runs):
        t = time.perf_counter()
        base = rulebook.parse_rulebook(text)
        packaged.append(time.perf_counter() - t)
        rulebook.load_rulebook.cache_clear()
        t = time.perf_counter()
        rulebook.load_rulebook()  # as a command loads it: validated once per installed text, then from the cache
        cached.append(time.perf_counter() - t)
        t = time.perf_counter()
        rulebook.parse_rulebook(REGION, "bench", base=base)
        region.append(time.perf_counter() - t)
    return {"full_validation_ms": statistics.median(packaged) * 1000,
            "command_load_ms": statistics.median(cached) * 1000, "region_file_ms": statistics.median(region) * 1000,
            "rules": len(base.rules)}


def process(args: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([EXE, *args], check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    out = in_process(a.runs)
    out["process_without_rulebook_ms"] = process(["calendar", "due", "01.11.2024", "5wd"], a.runs)
    out["process_with_rulebook_ms"] = process(["calendar", "due", "01.11.2024", "--rule", "me.check"], a.runs)
    out["process_added_ms"] = out["process_with_rulebook_ms"] - out["process_without_rulebook_ms"]
    out["load_average"] = os.getloadavg()[0]
    if a.json:
        print(json.dumps(out, indent=2))
        return
    for k, v in out.items():
        print(f"{k:32} {v:10.1f}")


if __name__ == "__main__":
    main()
