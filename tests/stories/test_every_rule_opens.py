"""On a fresh init every rule of a set is opened by some step: a story opens each one through the CLI.

For each packaged rule set the story drives the steps that emit every event the set's rules
listen to (events.EVENTS names the step of each), then reads the rule of every obligation
written and requires the set's whole rulebook among them. The CLI runs in-process (the same
`sopcli.cli.main` the console script calls), on SQLite, with dates in October–November 2026.
"""

from __future__ import annotations

import contextlib
import io
import os
import sqlite3
from pathlib import Path

import pytest

from sopcli.deadlines.rulebook import load_rulebook
from tests.conftest import Result, threat

SETS = ["federal", "mari-el", "smolensk", "school"]
CHILD = "Сидоров Пётр Ильич, 10.02.2009"  # 18 on 10.02.2027: age.18 is still ahead
SIBLING = "Сидорова Анна Ильинична, 05.05.2012"


def in_process(env: dict[str, str]):
    """`run(*args)`: `sopcli ARGS…` in this process, in `env`, with its exit code and captured output."""
    from sopcli.cli import main

    def run(*args: str) -> Result:
        out, err = io.StringIO(), io.StringIO()
        saved_env, saved_umask = dict(os.environ), os.umask(0o077)
        os.environ.clear()
        os.environ.update(env)
        code = 0
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                main(list(args))
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
        finally:
            os.environ.clear()
            os.environ.update(saved_env)
            os.umask(saved_umask)
        return Result(code, out.getvalue(), err.getvalue())

    return run


@pytest.fixture
def registry(sop_env: dict[str, str], tmp_path: Path):
    db = tmp_path / "data" / "registry.db"
    sop_env["SOPCLI_DB"] = str(db)
    return in_process(sop_env), db


def step(run, *args: str) -> Result:
    r = run(*args)
    assert r.code == 0, f"sopcli {' '.join(args)} → {r.code}: {r.err.strip()}"
    return r


def opened(db: Path) -> set[str]:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return {row[0] for row in conn.execute("SELECT DISTINCT rule FROM obligation")}


def complex_file(folder: Path) -> Path:
    """A 002-style interregional complex as the tests of `measures import` write it: one section, two measures."""
    lines = ["УТВЕРЖДЕН постановлением Комиссии от «12» января 2026 года № 1", "",
             "Межведомственный комплекс мер на 2026-2027 годы", "",
             "№ п/п\tНаименование мероприятия\tСроки реализации\tОтветственные исполнители",
             "I. Профилактика",
             "1.\tРейды по местам концентрации подростков\tIV квартал 2026 года\tУМВД России, Департамент образования",
             "2.\tСеминары для специалистов\tпостоянно\tКомиссия"]
    path = folder / "complex.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def signal(run, received: str, *extra: str) -> int:
    doc = step(run, "signal", "add", *threat(extra),
               "--received", received, "--source", "МБОУ СОШ № 5", "--child", CHILD,
               "--child", SIBLING, "--parent", "Сидорова Ольга Петровна", "--address", "ул. Ленина, 1",
               "--problem", "Ребёнок не посещает школу", *extra, "--json").json()
    return doc["id"]


def recognised(run, received: str, checked: str, on: str) -> int:
    """A signal checked with signs of СОП and recognised: its case."""
    sig = signal(run, received)
    step(run, "check", str(sig), "--concluded", checked, "--level", "high", "--outcome", "sop", "--criterion", "2")
    return step(run, "recognize", str(sig), "--date", on, "--resolution", f"{sig}-п", "--curator",
                "Петрова Анна Викторовна", "--json").json()["case"]


def drive(run, rule_set: str, folder: Path) -> None:
    """Every step whose event some rule of `rule_set` listens to."""
    step(run, "init", "--new", "--rules", rule_set)
    step(run, "agency", "add", "УМВД России", "--kind", "police")
    step(run, "agency", "add", "МБОУ СОШ № 5", "--kind", "образование")  # the signals' source (issue 28)

    # a signal by phone with a threat, of every kind the secretary can name
    first = signal(run, "05.10.2026 10:00", "--channel", "phone", "--threat",
                   *[a for k in ("sop-signs", "rights", "emergency", "neglected", "to-kdn") for a in ("--kind", k)])
    step(run, "check", str(first), "--concluded", "09.10.2026", "--level", "critical", "--outcome", "sop",
         "--criterion", "1")
    case = step(run, "recognize", str(first), "--date", "12.10.2026", "--resolution", "7-п", "--curator",
                "Петрова Анна Викторовна", "--member", "Прокуратура", "--json").json()["case"]
    step(run, "consent", str(case), "--given", "--on", "13.10.2026", "--by", "Сидорова Ольга Петровна")
    step(run, "plan", "add", str(case), "--measure", "Беседа с психологом", "--executor",
         "Орган управления образованием", "--due", "30.11.2026")
    step(run, "plan", "approve", str(case), "--date", "19.10.2026", "--resolution", "9-п")
    step(run, "report", str(case), "--date", "26.10.2026", "--text", "Работа ведётся")
    step(run, "control", str(case), "--date", "02.11.2026", "--decision", "continue")
    for kind, on in (("colony", "10.11.2026"), ("colony-short", "10.11.2026"), ("parole", "11.11.2026"),
                     ("suvu", "12.11.2026"), ("suvu-early", "13.11.2026")):
        step(run, "release", str(case), "--kind", kind, "--date", on)
    step(run, "transfer", "out", str(case), "--learned", "16.11.2026", "--to", "г. Волжск, ул. Садовая, 3",
         "--by", "УМВД России", "--received", "17.11.2026")
    step(run, "close", str(case), "--date", "23.11.2026", "--resolution", "12-п", "--ground",
         "left" if rule_set == "school" else "moved")  # 003 §5.1 names a pupil who moved "left"

    departmental = signal(run, "06.10.2026 11:00", "--kind", "departmental")
    step(run, "check", str(departmental), "--concluded", "12.10.2026", "--level", "medium",
         "--outcome", "departmental")
    step(run, "transfer", "in", "--learned", "14.10.2026", "--from", "КДН г. Волжска", "--child",
         "Иванов Олег Сергеевич, 03.03.2013", "--address", "ул. Мира, 5", "--problem", "Семья в СОП по прежнему месту")
    step(run, "measures", "import", str(complex_file(folder)))

    if rule_set == "mari-el":  # 004 §7: each emergency on the first signal
        for n, kind in enumerate(("guard-info", "removal-grounds", "removal", "removal-parents", "police-info",
                                  "neglected", "returned")):
            step(run, "emergency", "--signal", str(first), "--kind", kind, "--at", f"{16 + n:02d}.11.2026 09:30",
                 "--agency", "УМВД России")
    if rule_set == "smolensk":  # 000: a graduate's analysis, sending to the college, its answer
        grad = recognised(run, "02.11.2026 10:00", "06.11.2026", "10.11.2026")
        step(run, "graduates", str(grad), "--analysis", "11.11.2026", "--college", "Смоленский колледж")
        step(run, "graduates", str(grad), "--sent", "18.11.2026")
        step(run, "graduates", str(grad), "--answer", "25.11.2026")
    if rule_set == "school":  # 003: the council puts a pupil on account, then a request to close it
        rep = signal(run, "02.11.2026 10:00")
        pupil = step(run, "school", "council", str(rep), "--date", "05.11.2026", "--decision", "account",
                     "--category", "yellow.1", "--curator", "Смирнова Ольга Петровна", "--json").json()["case"]
        step(run, "school", "close-request", str(pupil), "--date", "20.11.2026")


@pytest.mark.parametrize("rule_set", SETS)
def test_every_rule_of_the_set_is_opened_by_a_step(registry, tmp_path, rule_set):
    run, db = registry
    drive(run, rule_set, tmp_path)
    wanted = {r.id for r in load_rulebook().for_set(rule_set)}
    missing = sorted(wanted - opened(db))
    assert not missing, f"{rule_set}: no step opened {', '.join(missing)}"


def test_switching_the_set_cancels_the_left_sets_terms_and_keeps_the_federal_ones(registry):
    run, db = registry
    step(run, "init", "--new", "--rules", "mari-el")
    step(run, "agency", "add", "УМВД России", "--kind", "police")
    step(run, "agency", "add", "МБОУ СОШ № 5", "--kind", "образование")  # the signals' source (issue 28)
    signal(run, "05.11.2026 10:00", "--channel", "phone", "--threat")
    with contextlib.closing(sqlite3.connect(db)) as conn:
        before = dict(conn.execute("SELECT id, rule FROM obligation WHERE status = 'open'").fetchall())
        settled = dict(conn.execute("SELECT id, rule FROM obligation WHERE status = 'fulfilled'").fetchall())
    book = load_rulebook()
    federal = {r.id for r in book.for_set("federal")}
    regional = {r.id for r in book.for_set("mari-el")} - federal
    # the call itself was the registration; the receipt was the school's informing (issue 28)
    assert sorted(settled.values()) == ["fed.inform.immediate", "fed.sop.signs", "fed.threat", "me.signal.phone"]
    assert {"me.check", "me.signal.written", "me.bank.q", "me.reconcile.q"} <= set(
        before.values()), before
    assert "fed.stat.annual" in set(before.values())

    step(run, "init", "--new", "--rules", "federal")
    with contextlib.closing(sqlite3.connect(db)) as conn:
        after = {i: (rule, status, reason) for i, rule, status, reason in conn.execute(
            "SELECT id, rule, status, cancel_reason FROM obligation")}
    for ob, rule in before.items():
        _, status, reason = after[ob]
        if rule in regional:
            assert status == "cancelled" and "набор правил сменён" in reason, (rule, status, reason)
        else:
            assert rule in federal and (status, reason) == ("open", ""), (rule, status, reason)
    assert not {rule for rule, status, _ in after.values() if status == "open"} & regional
    assert all(after[ob][1:] == ("fulfilled", "") for ob in settled)  # what was done stays done
