"""Benchmark of the registry at realistic size: digest and case show as whole processes.

Generates on the fly (default) 150,000 cases, 300,000 persons and 2,000,000
obligations with Russian names (Faker ru_RU), then times
`sopcli deadlines --overdue --as-of …` and `sopcli case show` as processes, the
same overdue rows by one raw SQL query, and the peak memory of each process.

Run: .venv/bin/python bench/bench_registry.py [--cases 150000] [--db URL] [--runs 5] [--keep DIR]
Targets (registry issue): digest < 1.5 s and within 3× the raw query; case show
< 400 ms; peak memory < 300 MB. Nothing is asserted: figures are printed.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

AS_OF = date(2026, 11, 23)
RULES = [  # (rule, who: an owner as the step binds it, offset days from the case's recognition, source)
    ("me.check", "КДН", -10, "004 §4.6"), ("me.signal.written", "education", -12, "004 §4.4"),
    ("fed.resources", "education", -4, "001 прил. 1"),
    ("fed.proposals", "КДН", 3, "001 прил. 1"), ("me.card", "куратор", 14, "004 §5.3"),
    ("me.program", "куратор", 14, "004 §5.3"), ("fed.resolution.send", "КДН", 10, "001 §2.5.1(л)"),
    ("me.program.send", "КДН", 19, "004 §5.3"), ("plan.measure", "police", 60, "004 §5.5"),
    ("plan.measure", "social", 90, "004 §5.5"), ("plan.measure", "education", 120, "004 §5.5"),
    ("me.control.6m", "КДН", 182, "004 §5.6"), ("me.control.6m", "КДН", 365, "004 §5.6"),
    ("me.reconcile.q", "КДН", 70, "004 §5.6"),
]
ROLES = {"me.check": "КДН", "me.signal.written": "выявивший орган", "fed.resources": "органы системы профилактики",
         "fed.proposals": "КДН", "me.card": "куратор", "me.program": "куратор", "fed.resolution.send": "КДН",
         "me.program.send": "КДН", "plan.measure": "орган-исполнитель", "me.control.6m": "КДН",
         "me.reconcile.q": "КДН"}
CURATOR = "Петрова Анна Викторовна"
EXE = os.path.join(os.path.dirname(sys.executable), "sopcli")  # the installed command, as a secretary runs it


def bench_env(tmp: str, db: str) -> dict[str, str]:
    """`sopcli`'s environment for a benchmark: the registry `db`, config and cache of its own under `tmp`,
    so a run never reads or changes the user's registry."""
    return dict(os.environ, SOPCLI_DB=db, SOPCLI_CONFIG_DIR=f"{tmp}/cfg", SOPCLI_CACHE_DIR=f"{tmp}/cache")


def sopcli(env: dict[str, str], *args: str) -> tuple[float, float]:
    """Wall time and peak RSS (MB) of one whole `sopcli` process."""
    wrapper = ("import resource,subprocess,sys,time;t=time.perf_counter();"
               "subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,check=True);"
               "print(time.perf_counter()-t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024)")
    out = subprocess.run([sys.executable, "-c", wrapper, EXE, *args], env=env, capture_output=True,
                         text=True, check=True).stdout.split()
    return float(out[0]), float(out[1])


def median_run(env: dict[str, str], args: list[str], repeat: int) -> tuple[float, float]:
    """Median wall time and the highest peak RSS (MB) over `repeat` whole `sopcli` runs."""
    import statistics

    runs = [sopcli(env, *args) for _ in range(repeat)]
    return statistics.median(s for s, _ in runs), max(mb for _, mb in runs)


TABLES = ("person", "signal", "signal_person", "check_conclusion", "sop_case", "obligation")  # in foreign-key order


def generate(url: str, cases: int, seed: int = 7) -> int:
    """`cases` recognised families (a child, a parent, the signal, its check, the case and the terms of its steps)
    inserted straight into an initialised, empty registry: a realistic size in minutes instead of days of CLI runs.

    The same seed gives the same registry, so figures before and after a change compare."""
    from faker import Faker
    from sqlalchemy import create_engine, insert, text
    from sqlmodel import SQLModel

    import sopcli.models  # noqa: F401

    fake = Faker("ru_RU")
    Faker.seed(seed)
    rng = random.Random(seed)
    t = SQLModel.metadata.tables
    engine = create_engine(url)
    # written by the eve of the registry's "today": a digest --as-of AS_OF reads the registry as it was then
    now = datetime.combine(AS_OF - timedelta(days=1), datetime.min.time(), tzinfo=UTC) + timedelta(hours=18)
    names = [(fake.last_name_male(), fake.first_name_male(), fake.middle_name_male()) for _ in range(3000)]
    n_ob = 0
    with engine.connect() as conn:  # the owners as `init` seeded the directory (issue 28: bound, not typed)
        owners = {kind: (name, i) for i, name, kind in conn.execute(text("SELECT id, name, kind FROM agency"))}
    global _OWNERS
    school, school_id = owners["education"]
    _OWNERS = {"КДН": ("КДН и ЗП", "commission", None),
               "куратор": (f"куратор: Петрова А. В. ({school})", "curator", school_id),
               **{k: (n, "agency", i) for k, (n, i) in owners.items()}}
    copy = engine.dialect.name == "postgresql"
    with engine.begin() as conn:
        batch = 10_000
        for start in range(0, cases, batch):
            rows: dict[str, list[dict]] = {table: [] for table in TABLES}
            for i in range(start + 1, min(start + batch, cases) + 1):
                _family(rows, i, rng, rng.choice(names), now)
            n_ob += len(rows["obligation"])
            for table in TABLES:
                if copy:
                    _copy(conn, table, rows[table])
                else:
                    conn.execute(insert(t[table]), rows[table])
        if copy:  # explicit ids do not move the sequences: later inserts would clash
            for table in ("person", "signal", "check_conclusion", "sop_case"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                  f"(SELECT max(id) FROM {table}))"))
    seal_generated(engine)
    engine.dispose()
    return n_ob


def seal_generated(engine) -> int:
    """The generated rows enter the audit evidence as an upgraded registry's rows do (`init`'s baseline): a
    registry of realistic size is then one `audit verify` and `restore` hold row by row, as a real one."""
    from sqlalchemy import text

    from sopcli.db import transaction
    from sopcli.services.registry import Registry, load_settings
    from sopcli.services.trust.audit import seal_baseline

    with transaction(engine) as session:
        session.execute(text("UPDATE registry_setting SET value = 'pending' WHERE key = 'audit_seals'"))
        return seal_baseline(session, Registry(engine, load_settings(session), command="bench generate"))


_OWNERS: dict[str, tuple[str, str, int | None]] = {}  # RULES' owner → (who, owner kind, agency), from the directory


def _family(rows: dict[str, list[dict]], i: int, rng: random.Random, name: tuple[str, str, str],
            now: datetime) -> None:
    """Family `i`'s rows, appended to `rows` by table: recognised on a random day since 2019, 80 % of the old
    cases closed."""
    ln, fn, mn = name
    rec = date(2019, 1, 1) + timedelta(days=rng.randrange(0, (AS_OF - date(2019, 1, 1)).days))
    born = rec - timedelta(days=rng.randrange(365 * 2, 365 * 17))
    rows["person"] += [{"id": 2 * i - 1, "full_name": f"{ln} {fn} {mn}", "name_key": f"{ln} {fn} {mn}".lower(),
                        "birth_date": born},
                       {"id": 2 * i, "full_name": f"{ln}а Анна {mn[:-3]}на", "name_key": f"{ln}а".lower(),
                        "birth_date": None}]
    received = datetime.combine(rec - timedelta(days=12), datetime.min.time(), tzinfo=UTC)
    rows["signal"].append({"id": i, "year": received.year, "seq": i, "received_at": received,
                           "source": _OWNERS["education"][0], "source_kind": "agency",
                           "source_agency_id": _OWNERS["education"][2], "channel": "written",
                           "address": "ул. Ленина, 1",
                           "problem": "Ненадлежащее исполнение родительских обязанностей", "help_needed": "",
                           "threat": False, "result": "", "status": "checked", "created_at": now})
    rows["signal_person"] += [{"signal_id": i, "person_id": 2 * i - 1, "role": "child"},
                              {"signal_id": i, "person_id": 2 * i, "role": "parent"}]
    rows["check_conclusion"].append({"id": i, "signal_id": i, "concluded_on": rec - timedelta(days=3),
                                     "level": "high", "outcome": "sop", "criteria": "1,3", "family": "",
                                     "housing": "", "income": "", "support": "", "note": "", "created_at": now})
    closed = rec < AS_OF - timedelta(days=400) and rng.random() < 0.8
    rows["sop_case"].append({"id": i, "signal_id": i, "subject": "family", "recognized_on": rec,
                             "resolution_no": str(i), "curator": CURATOR, "members": "",
                             "curator_agency_id": _OWNERS["education"][2],
                             "until": None, "status": "closed" if closed else "open",
                             "closed_on": rec + timedelta(days=380) if closed else None,
                             "close_resolution": f"{i}-п" if closed else "",
                             "close_ground": "improved" if closed else "", "close_note": "", "created_at": now})
    rows["obligation"] += [_term(i, rec, closed, rule, rng, now) for rule in RULES]


def _term(i: int, rec: date, closed: bool, rule: tuple[str, str, int, str], rng: random.Random,
          now: datetime) -> dict:
    """One term of case `i`: met 98.5 % of the time once past due (a few days early or late), cancelled for
    some closed cases, open otherwise."""
    name, who, offset, source = rule
    due = rec + timedelta(days=offset)
    past = due < AS_OF
    late = rng.choice((-5, -3, -1, 0, 0, 0, 1, 2, 4, 9))  # days after the due date it was done
    done_at = datetime.combine(due + timedelta(days=late), datetime.min.time(), tzinfo=UTC)
    status = ("cancelled" if closed and rng.random() < 0.3 else
              "fulfilled" if past and rng.random() < 0.985 else "open")
    cancelled = min(now, datetime.combine(rec + timedelta(days=400), datetime.min.time(), tzinfo=UTC))
    owner, kind, agency = _OWNERS[who]
    return {"rule": name, "title": name, "who": owner, "role": ROLES[name], "owner_kind": kind, "agency_id": agency,
            "recipient": "КДН", "source": source,
            "signal_id": i, "case_id": i, "person_id": None,
            "trigger_at": datetime.combine(rec, datetime.min.time(), tzinfo=UTC), "due": due,
            "due_at": None, "target": None, "status": status,
            "fulfilled_at": done_at if status == "fulfilled" else None,
            "late_wd": max(late, 0) if status == "fulfilled" else None, "cancel_reason": "",
            "cancelled_at": cancelled if status == "cancelled" else None,
            # settled when it was marked, a day after the act (never after the eve): a registry kept over years, not
            # one whose every settlement is a single day's — that made a past day's reading scan them all
            "note": "", "created_at": now, "settled_at": {"fulfilled": min(now, done_at + timedelta(days=1)),
                                                          "cancelled": cancelled}.get(status)}


def _copy(conn, table: str, rows: list[dict]) -> None:
    """PostgreSQL COPY of one batch: generation at 3,000 cases took 2.3 s instead of 4.5 s with INSERTs.

    Only the generated columns are named, so columns added by later migrations get their server defaults.
    """
    if not rows:
        return
    cols = list(rows[0])
    cur = conn.connection.driver_connection.cursor()
    with cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as cp:
        for row in rows:
            cp.write_row([row[c] for c in cols])


def count_obligations(url: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        n = conn.execute(text("SELECT count(*) FROM obligation")).scalar_one()
    engine.dispose()
    return n


RAW_SQL = ("SELECT id, rule, title, who, recipient, due, due_at, source, case_id, signal_id FROM obligation "
           "WHERE status = 'open' AND ((due_at IS NULL AND due < '2026-11-23') OR "
           "(due_at IS NOT NULL AND due_at < '2026-11-23')) ORDER BY due, id")


def raw_process(url: str) -> float:
    """The same rows by one raw query in a bare Python process (stdlib sqlite3 or psycopg)."""
    if url.startswith("sqlite:///"):
        code = f"import sqlite3; print(len(sqlite3.connect({url[10:]!r}).execute({RAW_SQL!r}).fetchall()))"
    else:
        dsn = url.replace("postgresql+psycopg://", "postgresql://")
        code = f"import psycopg; print(len(psycopg.connect({dsn!r}).execute({RAW_SQL!r}).fetchall()))"
    times = []
    for _ in range(3):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def raw_overdue(url: str) -> tuple[float, int]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    sql = text("SELECT id, rule, title, who, recipient, due, due_at, source, case_id, signal_id FROM obligation "
               "WHERE status = 'open' AND ((due_at IS NULL AND due < :d) OR (due_at IS NOT NULL AND due_at < :m)) "
               "ORDER BY due, id")
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
        t = time.perf_counter()
        rows = conn.execute(sql, {"d": AS_OF, "m": datetime.combine(AS_OF, datetime.min.time())}).all()
        took = time.perf_counter() - t
    engine.dispose()
    return took, len(rows)


@dataclass
class Bench:
    """A generated (or kept) registry and the environment a `sopcli` process runs in against it."""

    tmp: str
    db: str
    url: str
    env: dict[str, str]
    reuse: bool
    obligations: int = 0
    generated_s: float = 0.0


def bench_args(runs: int) -> argparse.Namespace:
    """The options every registry benchmark takes: size, engine, runs, a kept registry."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=150_000)
    ap.add_argument("--db", help="PostgreSQL URL of an empty database (default: a temporary SQLite file)")
    ap.add_argument("--runs", type=int, default=runs)
    ap.add_argument("--keep", metavar="DIR", help="keep the SQLite registry in DIR and reuse it on the next run")
    return ap.parse_args()


def open_bench(opts: argparse.Namespace, prefix: str) -> Bench:
    """`sopcli init`, then the registry generated (or the kept one counted) and ANALYZEd on SQLite."""
    tmp = opts.keep or tempfile.mkdtemp(prefix=prefix)
    os.makedirs(tmp, exist_ok=True)
    db = opts.db or os.path.join(tmp, "registry.db")
    reuse = opts.keep is not None and opts.db is None and os.path.exists(db)
    url = db if "://" in db else f"sqlite:///{db}"
    b = Bench(tmp, db, url, bench_env(tmp, db), reuse)
    t = time.perf_counter()
    subprocess.run([EXE, "init", "--new"], env=b.env, check=True,
                   stdout=subprocess.DEVNULL)
    if reuse:
        print(f"init on the kept registry (migrations, if any): {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    b.obligations = count_obligations(url) if reuse else generate(url, opts.cases)
    b.generated_s = time.perf_counter() - t
    if "sqlite" in url and not reuse:
        subprocess.run([sys.executable, "-c", f"import sqlite3; sqlite3.connect({db!r}).execute('ANALYZE')"],
                       check=True)
    how = "reused" if reuse else f"generated in {b.generated_s:.0f} s"
    print(f"registry: {opts.cases:,} cases, {2 * opts.cases:,} persons, {b.obligations:,} obligations "
          f"({how}){'' if opts.db else f'; file {os.path.getsize(db) / 2**20:.0f} MB'}")
    return b


def main() -> None:
    opts = bench_args(runs=5)
    b = open_bench(opts, "sopcli-bench-reg-")
    env, url = b.env, b.url
    try:
        rows = []
        for label, args in (
            ("deadlines --overdue (now, as cron runs it)", ["deadlines", "--overdue"]),
            ("deadlines --overdue --as-of 23.11.2026",
             ["deadlines", "--overdue", "--as-of", "23.11.2026"]),
            ("deadlines --overdue --as-of 23.11.2026 --json",
             ["deadlines", "--overdue", "--as-of", "23.11.2026", "--json"]),
            ("deadlines --within 7 --as-of 23.11.2026", ["deadlines", "--within", "7", "--as-of", "23.11.2026"]),
            (f"case show {opts.cases // 2}", ["case", "show", str(opts.cases // 2)]),
            ("signal list --year 2019 (journal of a year)", ["signal", "list", "--year", "2019"]),
            ("deadlines stats (scorecard of 2025)", ["deadlines", "stats", "--from", "01.01.2025", "--to",
                                                     "31.12.2025", "--as-of", "23.11.2026"]),
        ):
            timings = [sopcli(env, *args) for _ in range(opts.runs)]
            rows.append((label, statistics.median(t for t, _ in timings), max(m for _, m in timings)))
        raw, count = raw_overdue(url)
        rows.append((f"raw SQL: the same {count:,} overdue rows (in-process, warm)", raw, float("nan")))
        raw_proc = raw_process(url)
        rows.append(("raw SQL: the same rows, bare Python process", raw_proc, float("nan")))
        print(f"{'what':58} {'median s':>9} {'peak MB':>8}")
        for label, secs, mem in rows:
            print(f"{label:58} {secs:9.3f} {mem:8.1f}")
        print(f"digest (--as-of) / raw query as processes: {rows[1][1] / raw_proc:.1f}x; "
              f"digest / warm in-process query: {rows[1][1] / raw:.0f}x (start-up of Python + SQLAlchemy)")
    finally:
        if not opts.keep:
            shutil.rmtree(b.tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
