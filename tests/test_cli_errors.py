"""An unexpected fault (exit 1) says nothing about anyone: driver errors quote the row, tracebacks quote
frames, so only the error's type is printed and `--debug` alone shows more. On SQLite and PostgreSQL,
with faults made by the database itself: a constraint, a trigger, a corrupted row."""

from __future__ import annotations

from sqlalchemy import create_engine, text

from tests.commands.test_refusals import snapshot

FIRST = "Сидоров Пётр Ильич, 10.02.2010"
SECOND = "Сидоров Пётр Ильич, 11.03.2011"  # the same name, another child: a new person row
ADDRESS = "ул. Вишнёвая, д. 7, кв. 3"
SECRETS = ("Сидоров", "Пётр", "Ильич", "сидоров петр", "10.02.2010", "2010-02-10", "11.03.2011", "2011-03-11",
           "Вишнёвая", "Вишневая", "Анна")


def _exec(db: str, *sql: str) -> None:
    engine = create_engine(db if "://" in db else f"sqlite:///{db}")
    with engine.begin() as conn:
        for s in sql:
            conn.execute(text(s))
    engine.dispose()


def quiet(r) -> None:
    """Exit 1, one short line, none of the secrets, no traceback."""
    assert r.code == 1, (r.code, r.err)
    both = r.out + r.err
    assert [s for s in SECRETS if s.lower() in both.lower()] == [], both
    assert "Traceback" not in both and "DETAIL" not in both and "parameters" not in both
    assert r.err.startswith("Внутренняя ошибка (") and r.err.count("\n") == 1


def school(run) -> None:
    """The school the signals come from, in the directory (issue 28: `--source` names an agency)."""
    assert run("agency", "add", "Школа № 1", "--kind", "образование").code == 0


def add(run, child: str):
    return run("signal", "add", "--no-threat",
               "--received", "10.03.2025 09:00", "--source", "Школа № 1", "--child", child,
               "--parent", "Сидорова Анна Петровна", "--address", ADDRESS, "--problem", "Пропуски")


def test_a_constraint_that_quotes_the_row(sopr, reg_env):
    school(sopr)
    db = reg_env["SOPCLI_DB"]
    assert add(sopr, FIRST).code == 0
    # a unique name: the driver's message carries the name, and SQLAlchemy adds every parameter
    _exec(db, "CREATE UNIQUE INDEX test_one_name ON person (full_name)")
    before = snapshot(db)
    quiet(add(sopr, SECOND))
    assert snapshot(db) == before
    loud = sopr("--debug", *["signal", "add", "--no-threat", "--received", "10.03.2025 09:00", "--source", "Школа № 1",
                             "--child", SECOND, "--problem", "Пропуски"])
    assert loud.code == 1 and "Traceback" in loud.err and "Сидоров" in loud.err  # the detail is really there
    assert snapshot(db) == before


def test_a_trigger_or_a_corrupted_row(sopr, reg_env, tmp_path):
    school(sopr)
    db = reg_env["SOPCLI_DB"]
    assert add(sopr, FIRST).code == 0
    if "://" in db:  # PostgreSQL: a trigger that fails the write with the row's values, and a NOTICE first
        _exec(db, """CREATE FUNCTION test_refuse() RETURNS trigger AS $$ BEGIN
                       RAISE NOTICE 'адрес %', NEW.address;
                       RAISE EXCEPTION 'отказ: % / %', NEW.address, NEW.problem; END $$ LANGUAGE plpgsql""",
              "CREATE TRIGGER test_refuse BEFORE UPDATE OR INSERT ON signal FOR EACH ROW "
              "EXECUTE FUNCTION test_refuse()")
        before = snapshot(db)
        quiet(add(sopr, SECOND))
        assert snapshot(db) == before
        return
    # SQLite keeps what it is given: a birth date that is not a date breaks every read of it
    _exec(db, "UPDATE person SET birth_date = 'Сидоров-10.02.2010' WHERE full_name LIKE 'Сидоров %'")
    out = tmp_path / "j.xlsx"
    for args in (("signal", "show", "1"), ("export", "journal", "--year", "2025", "-o", str(out))):
        quiet(sopr(*args))
    assert list(tmp_path.glob("*.xlsx*")) == [] and list(tmp_path.glob(".sopcli-*")) == []
