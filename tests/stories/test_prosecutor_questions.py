"""A prosecutor's questions (issue 30 §4): what was open and overdue on a past day, in both readings.

A registry is built through the CLI in four sittings. Each sitting's writes are moved to the moment it was
written (20.11 18:00, 24.11 18:00, 26.11 18:00; the last is today), as a registry kept over several days
would have them: every write moment — rows' `created_at`, `settled_at` and the audit trail's `at`. The story
(federal rules, 001; the production calendar of November 2026, and a day off the commission adds on 27.11):

- sitting 1: signal 1 received 16.11 (ПДН), checked 17.11 (СОП): the police owes `fed.sop.to.kdn` and
  `fed.resources` (3 days → Fri 20.11), the commission `fed.proposals` (10 days → Fri 27.11); recognized
  19.11: `fed.resolution.send` (10 days → Sun 29.11 → Mon 30.11). Signal 2 received 19.11.
- sitting 2: `fed.sop.to.kdn` of signal 1 marked done on 23.11 (late 1); 27.11 set a day off:
  `fed.proposals` moves to Mon 30.11.
- sitting 3: signal 2 checked 26.11 (СОП) — the day after the first asked moment: its police terms are
  due Sun 29.11 → 30.11, its proposals Sun 06.12 → 07.12.
- today: signal 3 entered with its receipt on 24.11 and its check on 24.11 (back-dated): 3 days → 27.11, a
  day off now → 30.11; proposals 04.12. `fed.resources` of signal 1 marked done on 30.11; case 1 closed
  on 04.12 (52-п), which cancels its proposals and the resolution's sending; 07.12 set a day off: signal 2's
  proposals move to 08.12.

Asked: 25.11 12:00, 27.11 12:00 and 03.12 12:00, each within 7 days, as written then and as known today.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, inspect, text

from tests.conftest import ok, runner

POLICE, KDN = "Орган внутренних дел (ПДН)", "КДН и ЗП"
SITTINGS = [datetime(2026, 11, 20, 15, 0, tzinfo=UTC), datetime(2026, 11, 24, 15, 0, tzinfo=UTC),
            datetime(2026, 11, 26, 15, 0, tzinfo=UTC)]  # 18:00 in Moscow


def _engine(url: str):
    return create_engine(url if "://" in url else f"sqlite:///{url}")


def _written_at(url: str, since: datetime, moment: datetime) -> None:
    """Every write since `since` moved to `moment`: the sitting's own clock."""
    engine = _engine(url)
    sqlite = engine.dialect.name == "sqlite"
    at, after = (moment.replace(tzinfo=None), since.replace(tzinfo=None)) if sqlite else (moment, since)
    with engine.begin() as conn:
        for table in inspect(conn).get_table_names():
            columns = {c["name"] for c in inspect(conn).get_columns(table)}
            for column in ({"created_at", "settled_at"} & columns) | ({"at"} if table == "audit_entry" else set()):
                conn.execute(text(f'UPDATE "{table}" SET {column} = :at WHERE {column} > :after'),
                             {"at": at, "after": after})
    engine.dispose()


def _signal(run, received: str, child: str) -> None:
    ok(run("signal", "add", "--received", received, "--source", "ПДН", "--channel", "письменно", "--no-threat",
           "--child", child, "--problem", "не посещает школу"))


@pytest.fixture(scope="module")
def story(tmp_path_factory, request):
    """Built once per engine: the questions below only read."""
    from tests.conftest import private_env, throwaway_database

    home = tmp_path_factory.mktemp("prosecutor")
    env = private_env(home)
    with (throwaway_database() if request.param == "postgresql" else _sqlite(home)) as url:
        env["SOPCLI_DB"] = url
        run = runner(env)
        ok(run("init", "--new", "--municipality", "г. Йошкар-Олы"))
        printed = _sittings(run, url)
        yield run, printed


def _sqlite(home):
    from contextlib import nullcontext

    return nullcontext(str(home / "data" / "registry.db"))


def _sittings(run, url: str) -> dict[str, tuple[str, str]]:
    """The story; returns what the morning of 25.11 printed as written then, before anything was written after it."""
    since = datetime.now(UTC)
    _signal(run, "16.11.2026 10:00", "Орлов Иван Петрович, 01.01.2012")
    ok(run("check", "1", "--concluded", "17.11.2026", "--level", "высокий", "--outcome", "СОП"))
    ok(run("recognize", "1", "--date", "19.11.2026", "--resolution", "41-п", "--curator", "Петрова А. В."))
    _signal(run, "19.11.2026 11:00", "Белов Артём Сергеевич, 11.07.2012")
    _written_at(url, since, SITTINGS[0])

    since = datetime.now(UTC)
    ok(run("deadlines", "done", "--rule", "fed.sop.to.kdn", "--signal", "1", "--date", "23.11.2026"))
    ok(run("calendar", "set", "27.11.2026", "--off", "--reason", "решение главы: день города"))
    _written_at(url, since, SITTINGS[1])
    printed = {"json": ok(run("deadlines", "--as-of", ASKED[0], "--json")).out,
               "text": ok(run("deadlines", "--as-of", ASKED[0])).out,
               "case": ok(run("case", "show", "1", "--as-of", ASKED[0], "--json")).out}

    since = datetime.now(UTC)
    ok(run("check", "2", "--concluded", "26.11.2026", "--level", "высокий", "--outcome", "СОП"))
    _written_at(url, since, SITTINGS[2])

    _signal(run, "24.11.2026 09:00", "Носов Глеб Андреевич, 01.09.2013")  # entered today, received then
    ok(run("check", "3", "--concluded", "24.11.2026", "--level", "высокий", "--outcome", "СОП"))
    ok(run("deadlines", "done", "--rule", "fed.resources", "--signal", "1", "--date", "30.11.2026"))
    ok(run("close", "1", "--date", "04.12.2026", "--resolution", "52-п", "--ground", "eliminated"))
    # a day off declared today moves signal 2's proposals from 07.12 to 08.12 — not in what 03.12 had written
    ok(run("calendar", "set", "07.12.2026", "--off", "--reason", "решение главы: перенос дня"))
    return printed


ASKED = ["25.11.2026 12:00", "27.11.2026 12:00", "03.12.2026 12:00"]
#: (rule, signal, due, overdue) of the digest within 7 days, worked out by hand from the story above
WRITTEN = {
    # by 25.11 12:00 sittings 1 and 2 were written: signal 1's resources overdue since 20.11; its proposals
    # on the moved date; the resolution's sending; signal 2 not yet checked
    ASKED[0]: [("fed.resources", 1, "2026-11-20", True), ("fed.proposals", 1, "2026-11-30", False),
               ("fed.resolution.send", 1, "2026-11-30", False)],
    # sitting 3 too: signal 2's police terms; its proposals (07.12) beyond 04.12
    ASKED[1]: [("fed.resources", 1, "2026-11-20", True), ("fed.proposals", 1, "2026-11-30", False),
               ("fed.resolution.send", 1, "2026-11-30", False), ("fed.sop.to.kdn", 2, "2026-11-30", False),
               ("fed.resources", 2, "2026-11-30", False)],
    # today's writes (signal 3, the done mark of 30.11, the closure, the day off on 07.12) were not written by
    # 03.12: signal 2's proposals fall on 07.12, by the calendar of then
    ASKED[2]: [("fed.resources", 1, "2026-11-20", True), ("fed.proposals", 1, "2026-11-30", True),
               ("fed.resolution.send", 1, "2026-11-30", True), ("fed.sop.to.kdn", 2, "2026-11-30", True),
               ("fed.resources", 2, "2026-11-30", True), ("fed.proposals", 2, "2026-12-07", False)],
}
KNOWN = {
    # signal 2's check (26.11) had not happened; signal 3 (received and checked 24.11) had: its police terms
    # fall on 30.11 (27.11 is a day off), its proposals on 04.12, beyond 02.12
    ASKED[0]: [("fed.resources", 1, "2026-11-20", True), ("fed.proposals", 1, "2026-11-30", False),
               ("fed.resolution.send", 1, "2026-11-30", False), ("fed.sop.to.kdn", 3, "2026-11-30", False),
               ("fed.resources", 3, "2026-11-30", False)],
    ASKED[1]: [("fed.resources", 1, "2026-11-20", True), ("fed.proposals", 1, "2026-11-30", False),
               ("fed.resolution.send", 1, "2026-11-30", False), ("fed.sop.to.kdn", 2, "2026-11-30", False),
               ("fed.resources", 2, "2026-11-30", False), ("fed.sop.to.kdn", 3, "2026-11-30", False),
               ("fed.resources", 3, "2026-11-30", False), ("fed.proposals", 3, "2026-12-04", False)],
    # signal 1's resources were done on 30.11; the closure on 04.12 had not happened: its terms still open
    ASKED[2]: [("fed.proposals", 1, "2026-11-30", True), ("fed.resolution.send", 1, "2026-11-30", True),
               ("fed.sop.to.kdn", 2, "2026-11-30", True), ("fed.resources", 2, "2026-11-30", True),
               ("fed.sop.to.kdn", 3, "2026-11-30", True), ("fed.resources", 3, "2026-11-30", True),
               ("fed.proposals", 3, "2026-12-04", False), ("fed.proposals", 2, "2026-12-08", False)],
}


def _digest(run, at: str, *known: str) -> list[tuple[str, int, str, bool]]:
    doc = ok(run("deadlines", "--as-of", at, *known, "--json")).json()
    return [(o["rule"], o["signal"], o["due"], o["overdue"]) for o in doc["obligations"]]


@pytest.mark.parametrize("story", ["sqlite", "postgresql"], indirect=True)
@pytest.mark.parametrize("at", ASKED)
def test_the_digest_of_a_past_day_in_both_readings_is_the_hand_computed_one(story, at):
    run, _ = story
    assert _digest(run, at) == WRITTEN[at]
    assert _digest(run, at, "--known-now") == KNOWN[at]
    # the case's own: signal 1's terms, all settled or cancelled by today, were open then
    assert _digest(run, at, "--known-now", "--case", "1") == [o for o in KNOWN[at] if o[1] == 1]
    text = ok(run("deadlines", "--as-of", at, "--known-now", "--case", "1")).out
    assert "просрочено 0" not in text.splitlines()[0] or not any(o[3] for o in KNOWN[at] if o[1] == 1)


@pytest.mark.parametrize("story", ["sqlite", "postgresql"], indirect=True)
def test_what_was_printed_on_a_past_morning_is_printed_again_byte_for_byte(story):
    run, printed = story
    assert ok(run("deadlines", "--as-of", ASKED[0], "--json")).out == printed["json"]
    assert ok(run("deadlines", "--as-of", ASKED[0])).out == printed["text"]
    assert ok(run("case", "show", "1", "--as-of", ASKED[0], "--json")).out == printed["case"]


@pytest.mark.parametrize("story", ["sqlite", "postgresql"], indirect=True)
def test_the_case_on_a_past_day_is_open_with_only_what_had_happened(story):
    run, _ = story
    for known in ((), ("--known-now",)):
        doc = ok(run("case", "show", "1", "--as-of", ASKED[2], *known, "--json")).json()
        assert (doc["status"], doc["closed_on"], doc["close_resolution"]) == ("open", None, None), known
        assert [t["date"] for t in doc["timeline"]] == ["2026-11-16", "2026-11-17", "2026-11-19"], known
        states = {o["rule"]: o["status"] for o in doc["obligations"]}
        assert states["fed.sop.to.kdn"] == "fulfilled" and states["fed.proposals"] == "open", known
        # done on 30.11 (today's mark): known today it was done by 03.12; as written by then, it was not
        assert states["fed.resources"] == ("fulfilled" if known else "open"), known
        text = ok(run("case", "show", "1", "--as-of", ASKED[2], *known)).out
        assert "закрыто" not in text and "52-п" not in text, known
    now = ok(run("case", "show", "1", "--json")).json()
    assert (now["status"], now["close_resolution"]) == ("closed", "52-п")
    listed = ok(run("case", "list")).out
    assert "закрыто 04.12.2026 пост. № 52-п" in listed and "признано 19.11.2026 пост. № 41-п" in listed


@pytest.mark.parametrize("story", ["sqlite", "postgresql"], indirect=True)
def test_the_history_of_a_past_day_holds_what_had_happened_and_who_wrote_it(story):
    run, _ = story
    whole = ok(run("case", "history", "1", "--json")).json()["events"]
    assert [e["kind"] for e in whole] == ["signal", "check", "recognition", "closure"]
    assert [e["recorded_at"][:16] for e in whole[:3]] == ["2026-11-20T18:00"] * 3  # the first sitting
    for known in ((), ("--known-now",)):
        cut = ok(run("case", "history", "1", "--as-of", ASKED[2], *known, "--json")).json()["events"]
        assert [e["kind"] for e in cut] == ["signal", "check", "recognition"], known
    assert ok(run("case", "history", "1", "--as-of", "18.11.2026 12:00", "--known-now", "--json")).json()[
        "events"] == whole[:2]


@pytest.mark.parametrize("story", ["sqlite", "postgresql"], indirect=True)
def test_the_lists_of_a_past_day_hold_what_was_there(story):
    run, _ = story
    # as written by 25.11: case 1 open; signals 1 and 2, only the first checked — signal 3 was entered today
    cases = ok(run("case", "list", "--as-of", ASKED[0], "--json")).json()["cases"]
    assert [(c["id"], c["status"], c["closed_on"]) for c in cases] == [(1, "open", None)]
    journal = ok(run("signal", "list", "--as-of", ASKED[0], "--json")).json()["signals"]
    assert [(s["number"], s["status"]) for s in journal] == [("1/2026", "checked"), ("2/2026", "registered")]
    # known today: signal 3 was received and checked on 24.11
    journal = ok(run("signal", "list", "--as-of", ASKED[0], "--known-now", "--json")).json()["signals"]
    assert [(s["number"], s["status"]) for s in journal] == [
        ("1/2026", "checked"), ("2/2026", "registered"), ("3/2026", "checked")]
    assert "закрыто" not in ok(run("case", "list", "--as-of", ASKED[2], "--known-now")).out
    assert ok(run("case", "list", "--status", "закрыто", "--as-of", ASKED[2], "--json")).json()["cases"] == []
    assert [c["id"] for c in ok(run("case", "list", "--status", "закрыто", "--json")).json()["cases"]] == [1]
