"""Benchmark of intake matching: is the child of a new signal already known, on 150,000 cases?

Generates on the fly (bench_registry.generate: 150,000 cases, 300,000 persons with
Russian names, 2,000,000 obligations), then times
  - the matching step alone (services/directory/intake.find_known, in-process, warm), for a
    name typed exactly, with a typo, in another word order, and one nobody has;
  - the digest's reminder query (children without a birth date in open work);
  - a whole `sopcli signal add` as a process, and its peak memory.

Run: .venv/bin/python bench/bench_intake.py [--cases 150000] [--db URL] [--runs 7] [--keep DIR]
Target (issue 13): matching < 100 ms on 150,000 cases. Nothing is asserted: figures are printed.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_registry import bench_args, open_bench, sopcli


def probes(url: str) -> list[tuple[str, str, object]]:
    """Names to look for, taken from the generated registry: (label, typed name, birth date)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        name, born = conn.execute(text("SELECT full_name, birth_date FROM person WHERE id = 2001")).one()
    engine.dispose()
    if isinstance(born, str):
        from datetime import date

        born = date.fromisoformat(born)
    surname, first, middle = name.split()
    return [("exact", name, born), ("typo in the patronymic", f"{surname} {first} {middle[:-2]}{middle[-1]}", born),
            ("another word order", f"{first} {middle} {surname}", born),
            ("nobody (no such surname)", "Щукинзон Ярополк Евстафьевич", born)]


def time_matching(url: str, runs: int) -> list[tuple[str, float, int]]:
    from sqlalchemy import create_engine
    from sqlmodel import Session

    from sopcli.services.directory.intake import Typed, _candidates, find_known
    from sopcli.services.directory.names import name_words

    engine = create_engine(url)
    out = []
    with Session(engine) as session:
        for label, name, born in probes(url):
            people = [Typed("child", name, born)]
            find_known(session, people)  # warm: the first query pays for opening the file
            times = []
            for _ in range(runs):
                t = time.perf_counter()
                found = find_known(session, people)
                times.append(time.perf_counter() - t)
            candidates = len(_candidates(session, name_words(name)))
            out.append((f"match: {label} ({len(found)} known, {candidates:,} candidates)",
                        statistics.median(times), candidates))
    engine.dispose()
    return out


def time_reminders(url: str, runs: int) -> tuple[float, int]:
    from sqlalchemy import create_engine
    from sqlmodel import Session

    from sopcli.services.directory.persons import without_birth_date
    from sopcli.services.reading.db import reader_on

    engine = create_engine(url)
    with Session(engine) as session:
        r = reader_on(session)
        rows = without_birth_date(r)
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            rows = without_birth_date(r)
            times.append(time.perf_counter() - t)
    engine.dispose()
    return statistics.median(times), len(rows)


def main() -> None:
    opts = bench_args(runs=7)
    b = open_bench(opts, "sopcli-bench-intake-")
    env, url, tmp = b.env, b.url, b.tmp
    try:
        rows = [(label, secs, float("nan")) for label, secs, _ in time_matching(url, opts.runs)]
        secs, count = time_reminders(url, opts.runs)
        rows.append((f"digest reminder: children without a birth date ({count})", secs, float("nan")))
        name, born = probes(url)[0][1:]
        adds = []
        base = datetime(2026, 1, 1) + timedelta(minutes=int(time.time()) % 400_000)  # a kept registry: new moments
        for k in range(opts.runs):  # a new moment each time: the same child at the same moment is a duplicate
            at = base + timedelta(minutes=k)
            adds.append(sopcli(env, "signal", "add", "--no-threat", "--received", f"{at:%d.%m.%Y %H:%M}", "--source",
                               "Школа", "--child", f"{name}, {born:%d.%m.%Y}", "--problem", "Пропуски"))
        rows.append(("signal add (whole process, a known child)", statistics.median(t for t, _ in adds),
                     max(m for _, m in adds)))
        rows.append(("deadlines --overdue (whole process, with the reminder)",
                     *(lambda ts: (statistics.median(t for t, _ in ts), max(m for _, m in ts)))(
                         [sopcli(env, "deadlines", "--overdue") for _ in range(3)])))
        print(f"{'what':62} {'median ms':>10} {'peak MB':>8}")
        for label, secs, mem in rows:
            print(f"{label:62} {secs * 1000:10.1f} {mem:8.1f}")
    finally:
        if not opts.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
