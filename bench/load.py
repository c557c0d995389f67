"""Load test (issue 7 §3): writers and digest readers at once on one registry, then a check of what was written.

Each writer is a long-lived process that runs the real CLI in-process —
`sopcli.cli.main(argv)`, the console entry point itself, with its error
handling, one fresh engine and transaction per step, stdout/stderr captured —
so the figures measure the registry and its locks, not Python start-up
(8 interpreter spawns per step on 2 cores would measure the spawns). `--debug`
is passed so that an unexpected fault reaches the harness as an exception whose
kind (locked, deadlock, serialization, unique…) is counted; the user would see
the same exit 1.

Writers mix their own pipelines (signal → check → recognize → plan add/approve →
report → deadlines done → close) with steps on shared items of the base, where
several writers act on the same signal or case at once: one must win, the
others get exit 2, never a crash or a double write. Every write carries a
marker `[load-RUN-wN-K]` in a text field, so `load_check.py` can prove from the
registry that each success is there exactly once and each refusal left nothing.

Run: .venv/bin/python bench/load.py [--db PATH_OR_URL] [--writers 8] [--readers 2] [--seconds 120]
     [--base 150] [--report FILE.json]
Nothing is asserted here; the report holds the figures and the checker's violations.
"""

from __future__ import annotations

import argparse
import io
import json
import multiprocessing as mp
import os
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))

SURNAMES = ["Иванов", "Петров", "Сидоров", "Кузнецов", "Смирнов", "Попов", "Волков", "Морозов", "Лебедев", "Козлов"]
NAMES = ["Пётр", "Иван", "Алексей", "Дмитрий", "Сергей", "Никита", "Егор", "Артём"]
PATRONYMICS = ["Ильич", "Сергеевич", "Андреевич", "Олегович", "Павлович", "Юрьевич"]
EXECUTORS = ["Орган внутренних дел (ПДН)", "Орган социальной защиты населения", "Орган управления образованием"]
SCHOOL = "МБОУ СОШ № 5"  # every signal's source: an agency of the directory (issue 28), added after `init`
LEVELS = ["low", "medium", "high", "critical"]
TZ = ZoneInfo("Europe/Moscow")  # the registry's default zone (registry_settings.DEFAULTS)
SHARE = 3  # attempts one writer makes on a shared item before moving on: the others race it meanwhile


def today_str() -> str:
    return datetime.now(TZ).strftime("%d.%m.%Y")


def classify(err: BaseException) -> str:
    """The kind of an unexpected fault, never its text: SQL parameters may carry a child's name (152-ФЗ)."""
    text = f"{type(err).__name__} {err}".lower()
    for needle, kind in (("database is locked", "locked"), ("deadlock", "deadlock"),
                         ("could not serialize", "serialization"), ("unique", "unique"),
                         ("duplicate key", "unique"), ("lock timeout", "lock-timeout")):
        if needle in text:
            return kind
    return type(err).__name__


class Cli:
    """`sopcli ARGS…` in this process through the real entry point; (code, stdout, stderr, kind, ms)."""

    def __init__(self, db: str) -> None:
        import typer

        from sopcli import cli

        # Typer rebuilds the click command tree from the signatures on every call (~0.3 s, more than a
        # step); a process builds it once, so a long-lived worker builds it once too. `main` is untouched.
        if isinstance(cli.app, typer.Typer):
            cli.app = typer.main.get_command(cli.app)
        self.db, self.main = db, cli.main

    def __call__(self, *args: str) -> tuple[int, str, str, str, float]:
        out, err, kind = io.StringIO(), io.StringIO(), ""
        t0 = time.perf_counter()
        with redirect_stdout(out), redirect_stderr(err):
            try:
                self.main(["--db", self.db, "--debug", *args])
                code = 0
            except SystemExit as stop:
                code = stop.code if isinstance(stop.code, int) else 1
            except Exception as fault:  # noqa: BLE001 - what the user would see as exit 1, counted by kind
                code, kind = 1, classify(fault)
        return code, out.getvalue(), err.getvalue(), kind, (time.perf_counter() - t0) * 1000


def child_args(rng: random.Random) -> list[str]:
    born = datetime.now(TZ).date() - timedelta(days=rng.randrange(365 * 3, 365 * 16))
    child = f"{rng.choice(SURNAMES)} {rng.choice(NAMES)} {rng.choice(PATRONYMICS)}, {born:%d.%m.%Y}"
    return ["--child", child, "--parent", f"{rng.choice(SURNAMES)}а Анна Петровна"]


class Actor:
    """One writer's steps; every write is logged and carries its own marker."""

    def __init__(self, cli: Cli, run: str, idx: int, log: io.TextIOBase, seed: int, role: str = "writer") -> None:
        self.cli, self.run, self.idx, self.log, self.role = cli, run, idx, log, role
        self.rng, self.n, self.t0 = random.Random(seed), 0, time.time()

    def step(self, cmd: str, scope: str, *args: str) -> tuple[int, dict]:
        self.n += 1
        marker = f"[load-{self.run}-w{self.idx}-{self.n}]"
        argv = [a.replace("{m}", marker) for a in args]
        code, out, err, kind, ms = self.cli(*argv)
        doc: dict = {}
        if code == 0 and "--json" in argv:
            doc = json.loads(out)
        if code != 0 and self.role == "base":
            raise SystemExit(f"building the base: {cmd} failed ({code}): {err.strip() or kind}")
        self.log.write(json.dumps({"role": self.role, "w": self.idx, "cmd": cmd, "scope": scope, "marker": marker,
                                   "code": code, "ms": round(ms, 2), "at": round(time.time() - self.t0, 3),
                                   "kind": kind, "msg": err.strip().splitlines()[0] if err.strip() else ""},
                                  ensure_ascii=False) + "\n")
        return code, doc

    def signal(self, scope: str, days_back: int = 0) -> int | None:
        received = datetime.now(TZ) - timedelta(days=days_back, minutes=self.rng.randrange(1, 600))
        code, doc = self.step("signal add", scope, "signal", "add", "--no-threat",
                              "--received", f"{received:%d.%m.%Y %H:%M}",
                              "--source", SCHOOL, "--problem", "Не посещает школу {m}",
                              *child_args(self.rng), "--json")
        return doc.get("id") if code == 0 else None

    def check(self, scope: str, signal: int, outcome: str = "sop") -> int:
        return self.step("check", scope, "check", str(signal), "--concluded", today_str(), "--level",
                         self.rng.choice(LEVELS), "--outcome", outcome, "--criterion", "1", "--note", "{m}")[0]

    def recognize(self, scope: str, signal: int) -> int | None:
        code, doc = self.step("recognize", scope, "recognize", str(signal), "--date", today_str(),
                              "--resolution", "{m}", "--curator", "Петрова Анна Викторовна", "--json")
        return doc.get("case") if code == 0 else None

    def plan_add(self, scope: str, case: int) -> int | None:
        code, doc = self.step("plan add", scope, "plan", "add", str(case), "--measure", "Беседа {m}",
                              "--executor", self.rng.choice(EXECUTORS), "--due", "1m", "--json")
        return doc.get("measure") if code == 0 else None

    def approve(self, scope: str, case: int) -> int:
        return self.step("plan approve", scope, "plan", "approve", str(case), "--date", today_str(),
                         "--resolution", "{m}")[0]

    def report(self, scope: str, case: int, measure: int) -> int:
        return self.step("report", scope, "report", str(case), str(measure), "--date", today_str(),
                         "--status", "done", "--text", "Проведено {m}")[0]

    def done(self, scope: str, rule: str, case: int) -> int:
        return self.step("deadlines done", scope, "deadlines", "done", "--rule", rule, "--case", str(case),
                         "--date", today_str(), "--note", "{m}")[0]

    def close(self, scope: str, case: int) -> int:
        return self.step("close", scope, "close", str(case), "--date", today_str(), "--resolution", "{m}",
                         "--ground", "improved", "--outcome", "partial")[0]


def advance_own(a: Actor, items: list[dict]) -> None:
    """The writer's own families, each one step further: nobody else touches them, so a refusal is a bug."""
    active = [it for it in items if it["stage"] != "done"]
    if len(active) < 3:
        sig = a.signal("own")
        items.append({"stage": "signal" if sig else "done", "signal": sig})
        return
    it = a.rng.choice(active)
    it["stage"] = _own_step(a, it)


def _own_step(a: Actor, it: dict) -> str:
    """Family `it` one step further; its next stage ("done" when a step was refused or the case is closed)."""
    stage, nxt = it["stage"], "done"
    if stage == "signal":
        sop = a.rng.random() < 0.85
        if a.check("own", it["signal"], "sop" if sop else "not-confirmed") == 0 and sop:
            nxt = "checked"
    elif stage == "checked":
        it["case"] = a.recognize("own", it["signal"])
        nxt = "case" if it["case"] else "done"
    elif stage in ("case", "drafted") and (stage == "case" or a.rng.random() < 0.4):
        m = a.plan_add("own", it["case"])
        it.setdefault("measure", m)
        nxt = "drafted" if m else "done"
    elif stage == "drafted":
        nxt = "approved" if a.approve("own", it["case"]) == 0 else "done"
    elif stage == "approved":
        nxt = "reported" if a.report("own", it["case"], it["measure"]) == 0 else "done"
    elif stage == "reported":
        nxt = "sent" if a.done("own", "fed.resolution.send", it["case"]) == 0 else "done"
    elif stage == "sent":
        a.close("own", it["case"])
    return nxt


def shared_step(a: Actor, pools: dict, seen: dict) -> bool:
    """A step on an item the other writers are racing for; False when every pool is used up."""
    open_pools = [k for k in pools if seen[k][0] < len(pools[k])]
    if not open_pools:
        return False
    kind = a.rng.choice(open_pools)
    pos, tries = seen[kind]
    item = pools[kind][pos]
    seen[kind] = (pos + 1, 0) if tries + 1 >= SHARE else (pos, tries + 1)
    if kind == "check":
        a.check("shared", item)
    elif kind == "recognize":
        a.recognize("shared", item)
    elif kind == "draft":
        case = item["case"]
        pick = a.rng.randrange(4)
        [lambda: a.approve("shared", case), lambda: a.done("shared", "me.card", case),
         lambda: a.plan_add("shared", case), lambda: a.done("shared", "fed.resolution.send", case)][pick]()
    else:
        case = item["case"]
        pick = a.rng.randrange(4)
        [lambda: a.report("shared", case, item["measure"]), lambda: a.done("shared", "me.control.6m", case),
         lambda: a.close("shared", case), lambda: a.done("shared", "fed.resolution.send", case)][pick]()
    return True


def warm_up(cli: Cli, ready) -> None:
    """Import and build everything a step needs before the clock starts (a refused write and a digest)."""
    cli("check", str(2**31 - 1), "--concluded", today_str(), "--level", "low", "--outcome", "sop")
    cli("deadlines", "--overdue", "--json")
    ready.put(os.getpid())


def writer(idx: int, db: str, run: str, pools: dict, log_path: str, go, ready, stop_at_box) -> None:
    os.environ["NO_COLOR"] = "1"
    cli = Cli(db)
    warm_up(cli, ready)
    with open(log_path, "w", encoding="utf-8") as log:
        a = Actor(cli, run, idx, log, seed=idx * 7919)
        go.wait()
        stop_at = stop_at_box.value
        items: list[dict] = []
        seen = {k: (0, 0) for k in pools}
        while time.time() < stop_at:
            if a.rng.random() < 0.5 or not shared_step(a, pools, seen):
                advance_own(a, items)


def reader(idx: int, db: str, log_path: str, go, ready, stop_at_box) -> None:
    os.environ["NO_COLOR"] = "1"
    cli = Cli(db)
    warm_up(cli, ready)
    with open(log_path, "w", encoding="utf-8") as log:
        go.wait()
        stop_at, n, t0 = stop_at_box.value, 0, time.time()
        while time.time() < stop_at:
            n += 1
            as_json = n % 2 == 0
            code, out, err, kind, ms = cli("deadlines", "--overdue", *(["--json"] if as_json else []))
            rows = -1
            if code == 0 and as_json:
                rows = len(json.loads(out)["obligations"])
            log.write(json.dumps({"role": "reader", "r": idx, "cmd": "deadlines --overdue" + " --json" * as_json,
                                  "code": code, "ms": round(ms, 2), "at": round(time.time() - t0, 3), "kind": kind,
                                  "rows": rows, "msg": err.strip().splitlines()[0] if err.strip() else ""},
                                 ensure_ascii=False) + "\n")


def build_base(cli: Cli, run: str, base: int, log: io.TextIOBase) -> dict:
    """A registry with history: unchecked, checked and recognized families, draft and approved programmes,
    and old signals whose terms ran out, so the digests have work."""
    a = Actor(cli, run, 0, log, seed=1, role="base")
    share = max(base // 6, 2)
    pools: dict = {"check": [], "recognize": [], "draft": [], "work": []}
    for _ in range(base - 4 * share):
        a.signal("base", days_back=a.rng.randrange(10, 200))
    for _ in range(share):
        pools["check"].append(a.signal("base", days_back=a.rng.randrange(1, 60)))
        s = a.signal("base", days_back=a.rng.randrange(1, 60))
        a.check("base", s)
        pools["recognize"].append(s)
        for pool in ("draft", "work"):
            s = a.signal("base", days_back=a.rng.randrange(1, 60))
            a.check("base", s)
            case = a.recognize("base", s)
            m = a.plan_add("base", case)
            if pool == "work":
                a.approve("base", case)
            pools[pool].append({"case": case, "measure": m})
    return pools


def pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    return round(values[min(len(values) - 1, int(q * len(values)))], 1)


def figures(rs: list[dict], seconds: float) -> dict:
    """Attempts and outcomes of a set of steps, and their rate and latencies over the load's `seconds`."""
    ms = [r["ms"] for r in rs]
    return {"attempts": len(rs), "ok": sum(r["code"] == 0 for r in rs),
            "refused": sum(r["code"] == 2 for r in rs), "failed": sum(r["code"] not in (0, 2) for r in rs),
            "per_s": round(len(rs) / seconds, 2), "p50_ms": pct(ms, 0.5), "p95_ms": pct(ms, 0.95),
            "max_ms": round(max(ms), 1) if ms else 0.0,
            "mean_ms": round(statistics.fmean(ms), 1) if ms else 0.0}


def _errors(rows: list[dict]) -> dict[str, int]:
    """Steps that failed (neither done nor refused), counted by kind: a lock timeout, a crash, an exit code."""
    errors: dict[str, int] = {}
    for r in rows:
        if r["code"] not in (0, 2):
            errors[r["kind"] or f"exit {r['code']}"] = errors.get(r["kind"] or f"exit {r['code']}", 0) + 1
    return errors


def _refusals(writes: list[dict]) -> dict[str, int]:
    """Refused writes counted by scope, command and message, numbers blanked so alike refusals count as one."""
    refusals: dict[str, int] = {}
    for r in writes:
        if r["code"] == 2:
            msg = r["msg"].removeprefix("Ошибка: ")
            key = f"{r['scope']} {r['cmd']}: {re.sub(r'[0-9]+', 'N', msg)[:70]}"
            refusals[key] = refusals.get(key, 0) + 1
    return refusals


def summarise(rows: list[dict], seconds: float) -> dict:
    rows = [r for r in rows if r["role"] != "base"]  # building the base is not the load
    by: dict[str, list[dict]] = {}
    for r in rows:
        by.setdefault(r["cmd"], []).append(r)
    writes = [r for r in rows if r["role"] == "writer"]
    reads = [r for r in rows if r["role"] == "reader"]
    slowest = max(writes, key=lambda r: r["ms"]) if writes else None
    return {"writes": figures(writes, seconds), "reads": figures(reads, seconds),
            "by_command": {k: figures(v, seconds) for k, v in sorted(by.items())},
            "shared": figures([r for r in writes if r["scope"] == "shared"], seconds),
            "own": figures([r for r in writes if r["scope"] == "own"], seconds),
            "slowest": {k: slowest[k] for k in ("cmd", "scope", "code", "ms", "at")} if slowest else None,
            "digests_printed": sum(r["code"] == 0 for r in reads), "errors": _errors(rows),
            "refusals": _refusals(writes)}


def _args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", help="SQLite path or PostgreSQL URL (default: a new SQLite file in a temporary folder)")
    ap.add_argument("--writers", type=int, default=8)
    ap.add_argument("--readers", type=int, default=2)
    ap.add_argument("--seconds", type=float, default=120)
    ap.add_argument("--base", type=int, default=150, help="signals in the registry before the load starts")
    ap.add_argument("--report", help="write the figures and the check as JSON here")
    ap.add_argument("--work", help="folder for the step logs (and the default registry); default: a new temporary one")
    return ap.parse_args()


@dataclass
class Load:
    """What the load itself left, apart from the logs: its length, the workers and the machine's load average."""

    elapsed: float
    procs: list
    hung: list[int]
    loads: list[float]


def _load(args: argparse.Namespace, db: str, run: str, pools: dict, work: Path) -> Load:
    """The writers and readers started in their own processes, warmed up, let go at once for `args.seconds`."""
    ctx = mp.get_context("spawn")
    go, ready, stop_box = ctx.Event(), ctx.Queue(), ctx.Value("d", 0.0)
    procs = [ctx.Process(target=writer, args=(i, db, run, pools, str(work / f"w{i}.jsonl"), go, ready, stop_box))
             for i in range(1, args.writers + 1)]
    procs += [ctx.Process(target=reader, args=(i, db, str(work / f"r{i}.jsonl"), go, ready, stop_box))
              for i in range(1, args.readers + 1)]
    for p in procs:
        p.start()
    for _ in procs:
        ready.get(timeout=600)
    loads = [os.getloadavg()[0]]
    stop_box.value = time.time() + args.seconds
    go.set()
    started = time.time()
    while time.time() < stop_box.value:
        time.sleep(min(5.0, max(stop_box.value - time.time(), 0.1)))
        loads.append(os.getloadavg()[0])
    for p in procs:
        p.join(timeout=300)
    elapsed = time.time() - started
    hung = [p.pid for p in procs if p.is_alive()]
    for p in procs:
        if p.is_alive():
            p.kill()
    return Load(elapsed, procs, hung, loads)


def main() -> None:
    args = _args()
    os.umask(0o077)  # logs and the registry are personal data in form (152-ФЗ)
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="sopcli-load-"))
    work.mkdir(parents=True, exist_ok=True, mode=0o700)
    db = args.db or str(work / "registry.db")
    run = uuid.uuid4().hex[:6]
    cli = Cli(db)
    code, _, err, kind, _ = cli("init", "--new")
    if code != 0:
        sys.exit(f"init failed: {err.strip() or kind}")
    code, _, err, kind, _ = cli("agency", "add", SCHOOL, "--kind", "образование")
    if code not in (0, 2):  # 2: a registry built before already has it (a source's text is the directory's name)
        sys.exit(f"agency add failed: {err.strip() or kind}")
    t = time.perf_counter()
    with open(work / "base.jsonl", "w", encoding="utf-8") as log:
        pools = build_base(cli, run, args.base, log)
    base_s = time.perf_counter() - t
    load = _load(args, db, run, pools, work)
    rows = [json.loads(line) for f in sorted(work.glob("*.jsonl")) for line in f.read_text("utf-8").splitlines()]
    from load_check import check

    loads = load.loads
    report = {"db": "postgresql" if "://" in db else "sqlite", "writers": args.writers, "readers": args.readers,
              "seconds": round(load.elapsed, 1), "base_signals": args.base, "base_build_s": round(base_s, 1),
              "invocation": "in-process sopcli.cli.main per step, one long-lived process per writer/reader",
              "loadavg": {"start": round(loads[0], 2), "max": round(max(loads), 2),
                          "mean": round(statistics.fmean(loads), 2), "end": round(os.getloadavg()[0], 2)},
              "hung_workers": load.hung,
              "exit_codes": sorted({p.exitcode for p in load.procs if p.exitcode is not None}),
              **summarise(rows, load.elapsed), "check": check(db, run, rows)}
    report["logs"] = str(work)
    text = json.dumps(report, ensure_ascii=False, indent=2)
    if args.report:
        Path(args.report).write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
