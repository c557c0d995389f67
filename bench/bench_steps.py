"""A case's whole chain of steps before and after issue 29, on a registry of national size, in one run.

Issue 29 made each step do more: a case's event looks up all the signals of the case (fulfilment across
subjects), every report emits `measure.reported`, a fulfilment asks whether any rule counts from it
(`done:RULE`), and the consent's term is ended by the approval. The promise: a secretary's step on the
national registry takes no longer than before. One run builds two registries of the same size and seed (the
base tree's and this tree's, bench_owners.build) and times the same chain of whole commands on each,
alternating before/after: signal add → check → recognize → plan add ×3 → plan approve → report (partial)
→ report (done) → consent → control → deadlines done.

Run: .venv/bin/python bench/bench_steps.py --base /path/to/base/checkout [--cases 150000] [--repeat 3]
     [--keep DIR]  (before.db / after.db reused when there)
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
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_owners import _HELPER, build  # noqa: E402  (the same registries and the same process timer)

STEPS = ("signal add", "check", "recognize", "plan add", "plan approve", "report partial", "report done",
         "consent", "control", "deadlines done")


def run(tree: Path, env: dict[str, str], argv: list[str]) -> tuple[dict, dict]:
    """(timing, the step's --json) of one whole `sopcli` process."""
    helper = _HELPER.replace("stdout=subprocess.DEVNULL", "stdout=subprocess.PIPE").replace(
        "'rc':p.returncode,", "'rc':p.returncode,'out':p.stdout.decode(),")
    out = subprocess.run([sys.executable, "-c", helper, sys.executable, "-m", "sopcli", *argv, "--json"],
                         env={**env, "PYTHONPATH": str(tree / "src")}, capture_output=True, text=True,
                         check=True).stdout
    doc = json.loads(out)
    if doc["rc"] != 0:
        raise SystemExit(f"{tree}: sopcli {' '.join(argv)} failed ({doc['rc']}): {doc['err']}")
    return doc, json.loads(doc.pop("out") or "{}")


def chain(tree: Path, env: dict[str, str], n: int) -> dict[str, list[dict]]:
    """One case from its signal to its control; `n` makes each run's child and resolutions its own."""
    took: dict[str, list[dict]] = {s: [] for s in STEPS}

    def step(name: str, *argv: str) -> dict:
        timing, doc = run(tree, env, list(argv))
        took[name].append(timing)
        return doc

    child = f"Бенчев{'а' * (n % 7)} Иван Петрович, {1 + n % 28:02d}.{1 + n // 28 % 12:02d}.2012"  # a new child
    received = f"02.11.2026 {10 + n % 8}:{n % 60:02d}"
    sig = step("signal add", "signal", "add", "--received", received, "--source", "ПДН", "--channel",
               "письменно", "--no-threat", "--child", child, "--problem", "пропуски занятий")
    sid = str(sig["signal"]["id"] if isinstance(sig.get("signal"), dict) else sig["id"])
    step("check", "check", sid, "--concluded", "05.11.2026", "--level", "высокий", "--outcome", "СОП")
    rec = step("recognize", "recognize", sid, "--date", "10.11.2026", "--resolution", f"{n}-п", "--curator",
               "Петрова А.В.")
    case = str(rec["case"]["id"] if isinstance(rec.get("case"), dict) else rec["case"])
    measures = [str(step("plan add", "plan", "add", case, "--measure", f"Мероприятие {k}", "--executor", "ПДН",
                         "--due", "30.11.2026")["measure"]) for k in range(3)]
    step("plan approve", "plan", "approve", case, "--date", "12.11.2026", "--resolution", f"{n}-а")
    step("report partial", "report", case, measures[0], "--date", "20.11.2026", "--status", "частично", "--text",
         "начато")
    step("report done", "report", case, measures[1], "--date", "25.11.2026", "--status", "выполнено", "--text",
         "сделано")
    step("consent", "consent", case, "--given", "--on", "26.11.2026", "--by", "Бенчева Мария Ивановна")
    step("control", "control", case, "--date", "30.11.2026", "--decision", "продолжить")
    left = [o for o in run(tree, env, ["case", "show", case])[1].get("obligations", []) if o["status"] == "open"]
    step("deadlines done", "deadlines", "done", str(left[0]["id"]), "--date", "01.12.2026")
    return took


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True, type=Path, help="the checkout before the change (whole repository)")
    ap.add_argument("--head", default=HERE.parent, type=Path, help="this checkout (default)")
    ap.add_argument("--cases", type=int, default=150_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--keep", type=Path, help="a folder whose before.db / after.db are reused (missing: generated)")
    ap.add_argument("--first", type=int, default=1000, help="the first chain's number (a reused registry: another)")
    opts = ap.parse_args()
    tmp = opts.keep or Path(tempfile.mkdtemp(prefix="sopcli-steps-"))
    tmp.mkdir(parents=True, exist_ok=True)
    sides = {}
    for side, tree in (("before", opts.base), ("after", opts.head)):
        url = f"sqlite:///{tmp}/{side}.db"
        env = {**os.environ, "SOPCLI_DB": url, "SOPCLI_CONFIG_DIR": f"{tmp}/{side}-cfg",
               "SOPCLI_CACHE_DIR": f"{tmp}/{side}-cache", "NO_COLOR": "1"}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        if not (tmp / f"{side}.db").exists():
            print(f"{side}: generating {opts.cases:,} cases", flush=True)
            build(tree, url, env, opts.cases)
        sides[side] = (tree, env)
    runs: dict[str, dict[str, list[dict]]] = {"before": {s: [] for s in STEPS}, "after": {s: [] for s in STEPS}}
    for i in range(opts.repeat):
        for side in (("before", "after") if i % 2 == 0 else ("after", "before")):
            tree, env = sides[side]
            for name, timings in chain(tree, env, opts.first + i).items():
                runs[side][name] += timings
    load = os.getloadavg()
    print(f"\n{opts.cases:,} cases; median of {opts.repeat} chains; load {load[0]:.2f} / {load[1]:.2f}")
    print("| step | before s | after s | after/before | before MB | after MB |\n|---|---:|---:|---:|---:|---:|")
    for name in STEPS:
        b = statistics.median(r["secs"] for r in runs["before"][name])
        a = statistics.median(r["secs"] for r in runs["after"][name])
        mb_b = max(r["mb"] for r in runs["before"][name])
        mb_a = max(r["mb"] for r in runs["after"][name])
        print(f"| {name} | {b:.3f} | {a:.3f} | {a / b:.2f}× | {mb_b:.0f} | {mb_a:.0f} |", flush=True)


if __name__ == "__main__":
    main()
