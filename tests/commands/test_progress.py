"""Progress on long work (issue 17 §3): bars on a terminal, nothing under cron or in a pipe.

Each long command runs twice on the same registry, copied back between the runs: once with stderr a
pseudo-terminal, as a secretary at a console sees it, and once with stderr a pipe, as cron runs it.
The terminal shows the stage's Russian title and its count; the pipe gets not one byte on stderr,
and stdout is the same in both. The services are also given a recording `Progress`: the totals they
announce must be the work they do.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import text

from sopcli.db import alembic_config, make_engine, pending_revisions, upgrade
from tests.conftest import drain, ok, private_env, runner, throwaway_database

POLICE = "Орган внутренних дел (ПДН)"
BANK = [  # (child with birth date, recognised on): a municipal bank of App. 8
    ("Орлов Иван Петрович, 01.01.2012", "03.02.2025"),
    ("Сёмина Алёна Игоревна, 02.02.2013", "04.02.2025"),
    ("Петров Пётр Сергеевич, 03.03.2011", "05.02.2025"),
]
AGENCY = [("Орлов Иван Петрович", "01.01.2012"), ("Семина Алена Игоревна", "02.02.2013"),
          ("Новиков Артём Денисович", "07.07.2012"), ("Лебедев Максим Олегович", "08.08.2011")]
COMPLEX = "\n".join([
    "Межведомственный комплекс мер на 2025-2026 годы",
    "№ п/п\tНаименование мероприятия\tСрок исполнения\tИсполнители",
    "I. Профилактика безнадзорности",
    "1.\tРейды по местам отдыха молодёжи\tежеквартально\tУМВД России",
    "2.\tЛетний отдых детей\tиюнь 2025 года\tДепартамент образования",
    "3.\tСеминар для специалистов\tдекабрь 2025 года\tКомиссия по делам несовершеннолетних",
])
ENGLISH = re.compile(r"\b(ETA|eta|remaining|elapsed|Working|it/s)\b")
CONTROL = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\r")


@dataclass
class Run:
    code: int
    out: str
    err: str


def on_terminal(env: dict[str, str], cwd: Path, *args: str) -> Run:
    """`sopcli ARGS` with stderr a pseudo-terminal (read to the end) and stdout a pipe."""
    master, slave = os.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "sopcli", *args], env={**env, "TERM": "xterm"}, cwd=cwd,
                            stdout=subprocess.PIPE, stderr=slave, stdin=subprocess.DEVNULL)
    os.close(slave)
    shown = drain(master)
    out = proc.stdout.read().decode() if proc.stdout else ""
    proc.wait(timeout=120)
    os.close(master)
    return Run(proc.returncode, out, shown.decode())


def piped(env: dict[str, str], cwd: Path, *args: str) -> Run:
    """`sopcli ARGS` as cron runs it: stdout and stderr pipes."""
    proc = subprocess.run([sys.executable, "-m", "sopcli", *args], env={**env, "TERM": "xterm"}, cwd=cwd,
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    return Run(proc.returncode, proc.stdout, proc.stderr)


def fresh_copy(base: Path, target: Path) -> None:
    """The registry as it was before the first run: the second run must meet the same data."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copy(base, target)


def both_ways(env: dict[str, str], base: Path, work: Path, *args: str, leftovers: tuple[str, ...] = ()) -> str:
    """Run on a terminal and in a pipe, each on a fresh copy of `base`; checks the pipe and returns the bar."""
    db = work / "registry.db"
    env = {**env, "SOPCLI_DB": str(db)}
    shown = []
    for run in (on_terminal, piped):
        fresh_copy(base, db)
        for name in leftovers:  # an act written by the first run would refuse the second
            (work / name).unlink(missing_ok=True)
        shown.append(run(env, work, *args))
    terminal, pipe = shown
    assert terminal.code == 0 and pipe.code == 0, (terminal.err, pipe.err)
    assert pipe.err == "", pipe.err  # cron mails stderr: not a byte of it
    assert terminal.out == pipe.out and terminal.out.strip()
    assert "\x1b[" not in terminal.out  # the bars never reach stdout
    bar = CONTROL.sub(" ", terminal.err)
    assert not ENGLISH.search(bar), bar
    return bar


def count(bar: str, title: str) -> tuple[int, int | None]:
    """The last `done/total` shown beside `title` on the terminal (`done` alone: a total not known ahead)."""
    found = re.findall(rf"{title}\s\D*?(\d+)(?:/(\d+))?", bar)
    assert found, bar
    done, total = found[-1]
    return int(done), int(total) if total else None


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> tuple[dict[str, str], Path, Path]:
    """An SQLite registry with the commission `main`, the files the commands read, and an environment."""
    home = tmp_path_factory.mktemp("progress")
    env = private_env(home)
    db = home / "base.db"
    run = runner({**env, "SOPCLI_DB": str(db)})
    ok(run("init", "--new", "--municipality", "г. Волжск"))
    bank = home / "bank.csv"
    lines = ["Наименование муниципалитета;ФИО несовершеннолетнего, дата рождения;ФИО родителей;Адрес;"
             "Причина постановки на учет;Дата постановки на учет;Дата снятия с учета;Причина снятия с учета"]
    lines += [f"г. Волжск;{child};;ул. Мира, {n};пропуски занятий;{on};;" for n, (child, on) in enumerate(BANK, 1)]
    bank.write_text("\n".join(lines) + "\n", "utf-8")
    (home / "police.csv").write_text("ФИО;Дата рождения\n" + "".join(f"{n};{b}\n" for n, b in AGENCY), "utf-8")
    (home / "complex.txt").write_text(COMPLEX + "\n", "utf-8")
    return env, db, home


def test_import_bank_counts_the_rows_on_a_terminal_and_is_silent_in_a_pipe(base, tmp_path):
    env, db, home = base
    bar = both_ways(env, db, tmp_path, "import", "bank", str(home / "bank.csv"), "--commission", "main")
    assert count(bar, "Слияние с реестром") == (len(BANK), len(BANK))


@pytest.fixture(scope="module")
def with_cases(base) -> Path:
    """The registry after the bank's import: three open cases recognised in 2025Q1."""
    env, db, home = base
    copy = home / "with_cases.db"
    shutil.copy(db, copy)
    ok(runner({**env, "SOPCLI_DB": str(copy)})("import", "bank", str(home / "bank.csv"), "--commission", "main"))
    return copy


def test_reconcile_counts_the_act_on_a_terminal_and_is_silent_in_a_pipe(base, with_cases, tmp_path):
    env, _, home = base
    work = tmp_path / "work"
    work.mkdir()
    bar = both_ways(env, with_cases, work, "reconcile", str(home / "police.csv"), "--agency", POLICE,
                    "--quarter", "2025Q1", "-o", "act.xlsx", leftovers=("act.xlsx",))
    # the act's rows: 9 totals, 2 only in the agency's list, 1 only in the registry, 2 matched
    assert count(bar, "Запись акта сверки") == (14, 14)


def test_export_counts_the_rows_on_a_terminal_and_only_its_line_in_a_pipe(base, with_cases, tmp_path):
    """`export` says where the file went on stderr, as before the bars: that one line, and no bar, in a pipe."""
    env = {**base[0], "SOPCLI_DB": str(with_cases)}
    args = ("export", "bank", "--all", "-o", "bank.xlsx")
    terminal = on_terminal(env, tmp_path, *args)
    (tmp_path / "bank.xlsx").unlink()
    pipe = piped(env, tmp_path, *args)
    assert terminal.code == 0 and pipe.code == 0, (terminal.err, pipe.err)
    bar = CONTROL.sub(" ", terminal.err)
    assert count(bar, "Выгрузка") == (len(BANK), None)  # the sheets are streamed: a count, no total
    assert "/?" not in bar and "осталось" not in bar  # nothing promised that is not known
    assert pipe.err == f"Выгружено: {tmp_path / 'bank.xlsx'} (строк: {len(BANK)}).\n"
    assert terminal.out == pipe.out == ""


def test_measures_import_counts_the_measures_on_a_terminal_and_is_silent_in_a_pipe(base, tmp_path):
    env, db, home = base
    bar = both_ways(env, db, tmp_path, "measures", "import", str(home / "complex.txt"))
    assert count(bar, "Импорт мероприятий комплекса") == (3, 3)


def older_registry(url: str, revision: str) -> int:
    """A registry left at `revision` by an older sopcli; the number of revisions `init` must apply to it."""
    engine = make_engine(url, create=True)
    try:
        upgrade(engine, revision)
        with engine.connect() as conn:
            return len(pending_revisions(conn))
    finally:
        engine.dispose()


def test_init_on_an_older_registry_counts_the_revisions_on_a_terminal(base, tmp_path):
    env, _, _ = base
    old = tmp_path / "old.db"
    pending = older_registry(f"sqlite:///{old}", "0005")
    assert pending >= 5  # 0006 … head: a new migration only adds to it
    bar = both_ways(env, old, tmp_path, "init", "--new")
    assert count(bar, "Обновление схемы реестра") == (pending, pending)


def test_init_on_an_older_postgresql_registry_counts_the_revisions(tmp_path):
    env = private_env(tmp_path)
    with throwaway_database() as first, throwaway_database() as second:
        pending = older_registry(first, "0005")
        assert older_registry(second, "0005") == pending
        terminal = on_terminal({**env, "SOPCLI_DB": first}, tmp_path, "init", "--new")
        pipe = piped({**env, "SOPCLI_DB": second}, tmp_path, "init", "--new")
    assert terminal.code == 0 and pipe.code == 0, (terminal.err, pipe.err)
    assert count(CONTROL.sub(" ", terminal.err), "Обновление схемы реестра") == (pending, pending)
    assert pipe.err == ""
    name = first.rsplit("/", 1)[1], second.rsplit("/", 1)[1]
    assert terminal.out.replace(name[0], "DB") == pipe.out.replace(name[1], "DB")


# -- the services, heard by a recording Progress ------------------------------------------------------
@dataclass
class Heard:
    """Every stage a service announced, with the steps it reported in it."""

    stages: list[list] = field(default_factory=list)  # [title, total, done]

    def stage(self, title: str, total: int | None = None) -> None:
        self.stages.append([title, total, 0])

    def advance(self, done: int = 1) -> None:
        self.stages[-1][2] += done

    def totals(self) -> dict[str, tuple[int | None, int]]:
        return {title: (total, done) for title, total, done in self.stages}


def test_the_upgrade_announces_the_revisions_it_applies(tmp_path):
    from alembic.script import ScriptDirectory

    every = [s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()]
    engine = make_engine(f"sqlite:///{tmp_path / 'r.db'}", create=True)
    try:
        upgrade(engine, "0003")
        heard = Heard()
        upgrade(engine, progress=heard)
        again = Heard()
        upgrade(engine, progress=again)
        with engine.connect() as conn:
            at = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    finally:
        engine.dispose()
    assert heard.stages == [["Обновление схемы реестра", len(every) - 3, len(every) - 3]]
    assert at == every[0]  # walk_revisions starts at the head
    assert again.stages == []  # nothing to apply, nothing shown


def test_the_files_in_services_announce_the_rows_they_handle(base):
    from sopcli.services.files_in import reconcile_list as rc
    from sopcli.services.files_in.bank_import import read_bank

    _, _, home = base
    heard = Heard()
    rows = read_bank(home / "bank.csv", heard)
    assert len(rows) == len(BANK)
    assert heard.totals() == {"Чтение банка данных": (len(BANK), len(BANK))}

    heard = Heard()
    table = rc.read_rows(home / "police.csv")
    header, cols = rc.find_header(table, {})
    theirs, _ = rc.agency_people(table, header, cols, heard)
    ours = [rc.Person("Орлов Иван Петрович", None, row=1, case=1)]
    rc.match(theirs, ours, heard)
    assert heard.totals() == {"Чтение списка органа": (len(AGENCY), len(AGENCY)),
                              "Сопоставление со списком органа": (len(AGENCY), len(AGENCY))}
