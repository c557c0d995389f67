"""Benchmark of the tamper-evident audit trail: `audit verify` on a large trail, and the chain's cost per step.

1. Generates a trail of N entries (default 1,000,000) with valid hash links
   after `sopcli init`, then times `sopcli audit verify --json` as a whole
   process: wall time, entries per second and peak memory (it streams, so
   memory must not grow with N).
2. The write overhead of the chain: T transactions of K entries each through
   the real `audit.record` (head locked and read, K hashes, head updated) against
   the same entries added with their chain fields precomputed (no head, no
   hashing): the difference is what the chain costs a step.

Run: .venv/bin/python bench/bench_audit.py [--entries 1000000] [--db URL] [--steps 200] [--per-step 6]
Nothing is asserted: figures are printed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta

RULES = ["me.check", "me.signal.written", "fed.threat", "plan.measure", "me.control.6m", "me.reconcile.q"]


def generate(url: str, entries: int) -> float:
    """Appends `entries` valid links to chain 'main' after what init wrote; returns the seconds it took."""
    from sqlalchemy import create_engine, insert, text

    from sopcli.models import AuditEntry
    from sopcli.services.trust.audit import entry_hash

    engine = create_engine(url)
    table = AuditEntry.__table__
    t0 = time.perf_counter()
    with engine.begin() as conn:
        seq, prev = conn.execute(text("SELECT last_seq, last_hash FROM audit_head WHERE chain = 'main'")).one()
        start = datetime(2019, 1, 1, tzinfo=UTC)
        batch: list[dict] = []
        for i in range(entries):
            seq += 1
            at = start + timedelta(seconds=17 * i, microseconds=i % 1_000_000)
            detail = json.dumps({"rule": RULES[i % len(RULES)], "due": f"2025-{1 + i % 12:02d}-14", "case": i // 20},
                                ensure_ascii=False, sort_keys=True)
            row = {"at": at, "os_user": "secretary", "command": "plan approve", "action": "open",
                   "entity": "obligation", "entity_id": i + 1, "detail": detail, "chain": "main", "seq": seq,
                   "prev_hash": prev}
            row["hash"] = prev = entry_hash(prev, "main", seq, at, row["os_user"], row["command"], row["action"],
                                            row["entity"], row["entity_id"], detail)
            batch.append(row)
            if len(batch) == 20_000:
                conn.execute(insert(table), batch)
                batch = []
        if batch:
            conn.execute(insert(table), batch)
        conn.execute(text("UPDATE audit_head SET last_seq = :s, last_hash = :h WHERE chain = 'main'"),
                     {"s": seq, "h": prev})
    engine.dispose()
    return time.perf_counter() - t0


def verify_process(env: dict[str, str]) -> tuple[float, float, float, dict]:
    """Wall time, CPU time (on a shared machine the honest figure), peak RSS (MB) and the JSON of one whole
    `sopcli audit verify --json` process."""
    wrapper = ("import resource,subprocess,sys,time;t=time.perf_counter();"
               "p=subprocess.run(sys.argv[1:],capture_output=True,text=True);"
               "sys.stderr.write(p.stdout);u=resource.getrusage(resource.RUSAGE_CHILDREN);"
               "print(time.perf_counter()-t, u.ru_utime+u.ru_stime, u.ru_maxrss/1024)")
    exe = os.path.join(os.path.dirname(sys.executable), "sopcli")
    proc = subprocess.run([sys.executable, "-c", wrapper, exe, "audit", "verify", "--json"], env=env,
                          capture_output=True, text=True, check=True)
    took, cpu, rss = proc.stdout.split()
    return float(took), float(cpu), float(rss), json.loads(proc.stderr)


def write_overhead(db: str, steps: int, per_step: int) -> dict[str, float]:
    """Median ms per transaction of `per_step` entries, wall and this process's CPU: plain inserts, then
    through the chain, alternately (a shared machine's load falls on both alike).

    One engine, `db.transaction` as every step has; the chained transaction locks and reads the head,
    hashes each entry and updates the head, as `registry()` and `audit.record` do."""
    from sopcli.db import make_engine, resolve_url, transaction
    from sopcli.models import AuditEntry
    from sopcli.services.registry import Registry, load_settings
    from sopcli.services.trust import audit

    engine = make_engine(resolve_url(db))
    with transaction(engine) as session:
        reg = Registry(engine, load_settings(session), command="bench")
    times: dict[str, list[float]] = {"plain": [], "chained": [], "plain_cpu": [], "chained_cpu": []}
    for i in range(steps):
        t, c = time.perf_counter(), time.process_time()
        with transaction(engine) as session:
            for k in range(per_step):  # the same row as record() writes, chain fields precomputed
                session.add(AuditEntry(at=datetime.now(UTC), os_user=reg.os_user, command="bench", action="open",
                                       entity="obligation", entity_id=k, detail=json.dumps({"k": k}),
                                       chain="bench-plain", seq=i * per_step + k + 1, prev_hash="0" * 64,
                                       hash="0" * 64))
        times["plain"].append(time.perf_counter() - t)
        times["plain_cpu"].append(time.process_time() - c)
        t, c = time.perf_counter(), time.process_time()
        with transaction(engine) as session:
            audit.lock_chain(session, reg)
            for k in range(per_step):
                audit.record(session, reg, "open", "obligation", k, k=k)
        times["chained"].append(time.perf_counter() - t)
        times["chained_cpu"].append(time.process_time() - c)
    engine.dispose()
    return {k: statistics.median(v) * 1000 for k, v in times.items()}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--entries", type=int, default=1_000_000)
    ap.add_argument("--db", help="PostgreSQL URL of an empty database (default: a temporary SQLite file)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--steps", type=int, default=200)
    ap.add_argument("--per-step", type=int, default=6)
    opts = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="sopcli-bench-audit-")
    db = opts.db or os.path.join(tmp, "registry.db")
    url = db if "://" in db else f"sqlite:///{db}"
    env = dict(os.environ, SOPCLI_DB=db, SOPCLI_CONFIG_DIR=f"{tmp}/cfg", SOPCLI_CACHE_DIR=f"{tmp}/cache")
    try:
        subprocess.run([os.path.join(os.path.dirname(sys.executable), "sopcli"), "init", "--new"], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        gen = generate(url, opts.entries)
        size = "" if opts.db else f"; file {os.path.getsize(db) / 2**20:.0f} MB"
        print(f"trail: {opts.entries:,} generated entries ({gen:.0f} s{size})")
        runs = [verify_process(env) for _ in range(opts.runs)]
        took, cpu = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
        doc = runs[0][3]
        assert doc["ok"], doc  # a benchmark of a broken trail would measure the wrong thing
        print(f"audit verify: {doc['checked']:,} entries in {took:.2f} s wall, {cpu:.2f} s CPU (median of "
              f"{opts.runs}) = {doc['checked'] / took:,.0f} entries/s wall, {doc['checked'] / cpu:,.0f} per CPU "
              f"second; peak RSS {max(r[2] for r in runs):.0f} MB")
        ms = write_overhead(db, opts.steps, opts.per_step)
        for clock, p, c in (("wall", ms["plain"], ms["chained"]), ("CPU", ms["plain_cpu"], ms["chained_cpu"])):
            print(f"a step of {opts.per_step} entries ({opts.steps} transactions, median {clock}): plain {p:.2f} ms, "
                  f"chained {c:.2f} ms, overhead {c - p:+.2f} ms per step ({(c - p) / opts.per_step * 1000:+.0f} µs "
                  f"per entry)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
