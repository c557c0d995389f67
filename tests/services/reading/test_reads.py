"""The read-only commands: plain DB-API reads that must agree with the schema and the ORM."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import ok


def _sql(url: str, statement: str) -> None:
    engine = create_engine(url if "://" in url else f"sqlite:///{url}")
    with engine.begin() as conn:
        conn.execute(text(statement))
    engine.dispose()


def test_the_readers_schema_head_is_alembics_head():
    from importlib import resources

    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from sopcli.services.reading.schema import SCHEMA_HEAD

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("sopcli") / "migrations"))
    assert ScriptDirectory.from_config(cfg).get_current_head() == SCHEMA_HEAD


def test_a_registry_of_another_schema_version_is_refused_until_init(sopr, reg_env):
    _sql(reg_env["SOPCLI_DB"], "UPDATE alembic_version SET version_num = '0000'")
    for args in (["deadlines"], ["case", "list"], ["signal", "list"], ["signal", "add", "--no-threat", "--received",
                                                                       "10.03.2025 09:00", "--source", "Школа",
                                                                       "--child", "Орлов Иван, 01.01.2012",
                                                                       "--problem", "x"]):
        r = sopr(*args)
        assert r.code == 2 and "sopcli init" in r.err, (args, r.err)


def test_who_names_the_agency_ignoring_case_and_refuses_what_names_none(sopr):
    ok(sopr("agency", "add", "Школа № 1", "--kind", "образование"))  # the signal's source (issue 28)
    sopr("signal", "add", "--no-threat", "--received", "10.03.2025 09:00", "--source", "Школа № 1",
         "--child", "Орлов Иван Петрович, 01.01.2012", "--problem", "Пропуски")
    sopr("check", "1", "--concluded", "12.03.2025", "--level", "critical", "--outcome", "sop")

    def whos(*args: str) -> set[str]:
        r = sopr("deadlines", "--as-of", "01.04.2025", "--known-now", "--within", "400", "--json", *args)
        assert r.code == 0, r.err
        return {o["who"] for o in json.loads(r.out)["obligations"]}

    everyone = whos()
    assert len(everyone) > 1
    lower = {w for w in everyone if "опек" in w.casefold()}
    assert lower and whos("--who", "ОПЕКА") == lower and whos("--who", "guardianship") == lower
    for typed in ("%", "_", "ОПЕК"):  # not an agency's name: refused, never an empty digest (issue 13)
        r = sopr("deadlines", "--as-of", "01.04.2025", "--who", typed)
        assert r.code == 2 and f"«{typed}»" in r.err, r.err


def test_a_digest_reads_while_a_writer_holds_the_lock(sopr, reg_env):
    """A cron digest never waits for, nor blocks, the secretary's open write transaction (SQLite WAL)."""
    import sqlite3

    if "://" in reg_env["SOPCLI_DB"]:
        pytest.skip("SQLite's file lock; PostgreSQL readers never wait for writers")
    ok(sopr("agency", "add", "Школа № 1", "--kind", "образование"))
    sopr("signal", "add", "--no-threat", "--received", "10.03.2025 09:00", "--source", "Школа № 1",
         "--child", "Орлов Иван Петрович, 01.01.2012", "--problem", "Пропуски")
    writer = sqlite3.connect(reg_env["SOPCLI_DB"], isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE signal SET address = 'x'")
    try:
        r = sopr("deadlines", "--as-of", "01.04.2025", "--known-now", "--json")
        assert r.code == 0
        # the school's notices were the signal's receipt (issue 28): the commission's check is what is open
        assert {o["rule"] for o in json.loads(r.out)["obligations"]} == {"me.check"}
    finally:
        writer.rollback()
        writer.close()


@pytest.mark.parametrize("past", [False, True])
def test_the_digests_records_made_from_the_driver_rows_are_obligation_json(sopr, reg_env, past, monkeypatch):
    """`_read_json` (the digest's open rows as read, without a dict of each first; issue 32 §6) makes exactly
    what `obligation_json` makes of the same rows: kept moments (a threat's hours), days, owners, notes."""
    from datetime import UTC, date, datetime, timedelta

    from sopcli.services.reading import reads
    from sopcli.services.reading.db import Fetched, open_reader

    ok(sopr("signal", "add", "--received", "02.11.2026 09:40", "--source", "ПДН", "--child",
            "Орлов Иван Петрович, 01.03.2012", "--problem", "Не ночует дома", "--threat"))
    ok(sopr("signal", "add", "--received", "06.11.2026 16:10", "--source", "школа", "--child",
            "Белова Ольга Николаевна, 05.05.2013", "--problem", "Пропуски", "--no-threat"))
    if past:  # a moment after every write, read as a past one (no slack for «now»): as written then
        monkeypatch.setattr(reads, "NOW_SLACK", timedelta(0))
    as_of = datetime.now(UTC)
    with open_reader(reg_env["SOPCLI_DB"]) as r:
        found = reads._open_at(r, date(2028, 1, 1), "1 = 1", [], as_of, False)
        assert isinstance(found, Fetched) and len(found.raws) > 5
        judge, tz = reads.overdue_judge(r.tz, as_of), r.tz
        made = reads._read_json(found, tz, as_of, False, None, reads.LocalTime(tz))
        expected = [reads.obligation_json(o, tz, as_of, judge(o), reads.LocalTime(tz)) for o in found.dicts()]
    assert made == expected and {o["overdue"] for o in made} == {True, False}
    assert [list(o) for o in made] == [list(o) for o in expected]  # the keys in the same order: the same JSON
