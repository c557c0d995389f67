"""`--as-of` is the registry as it was, and `deadlines explain` defends one date, on SQLite and PostgreSQL.

"Yesterday's digest printed today is the one cron printed yesterday": what is
written later — a fulfilment, a closure cancelling terms, a new signal — does
not change a report for a past moment.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, text

from tests.conftest import ok

MSK = ZoneInfo("Europe/Moscow")


def _sql(url: str, statement: str, **params: object) -> None:
    engine = create_engine(url if "://" in url else f"sqlite:///{url}")
    with engine.begin() as conn:
        conn.execute(text(statement), params)
    engine.dispose()


def _day(days_ago: int) -> str:
    return f"{datetime.now(MSK).date() - timedelta(days=days_ago):%d.%m.%Y}"


def school(sopr) -> None:
    """The school the signals come from, in the directory (issue 28: `--source` names an agency)."""
    ok(sopr("agency", "add", "МБОУ СОШ № 5", "--kind", "образование"))


def test_a_past_digest_stats_and_case_do_not_change_after_later_writes(sopr, reg_env):
    school(sopr)
    ok(sopr("signal", "add", "--no-threat", "--received", f"{_day(6)} 10:00", "--source", "МБОУ СОШ № 5",
            "--child", "Сидоров Пётр Ильич, 10.02.2012", "--problem", "Пропуски занятий"))
    ok(sopr("check", "1", "--concluded", _day(5), "--level", "high", "--outcome", "sop"))
    case = ok(sopr("recognize", "1", "--date", _day(4), "--resolution", "7-п", "--curator", "Петрова Анна Викторовна",
                   "--json")).json()["case"]
    # all of it was written three days ago (a registry's ordinary past), yesterday's digest is a report of then
    written = datetime.now(UTC) - timedelta(days=3)
    if "://" not in reg_env["SOPCLI_DB"]:
        written = written.replace(tzinfo=None)  # SQLite keeps moments as naive UTC
    # the check's fulfilments (001 §2.5 notices done by the check) were written then too
    _sql(reg_env["SOPCLI_DB"], "UPDATE obligation SET created_at = :w, "
                               "settled_at = CASE WHEN settled_at IS NULL THEN NULL ELSE :w END", w=written)
    for table in ("signal", "check_conclusion", "sop_case"):  # the case as written then (issue 30)
        _sql(reg_env["SOPCLI_DB"], f"UPDATE {table} SET created_at = :w", w=written)
    yesterday = f"{_day(1)} 12:00"

    def reports() -> tuple[object, object, object]:
        digest = ok(sopr("deadlines", "--as-of", yesterday, "--within", "60", "--json")).json()
        stats = ok(sopr("deadlines", "stats", "--from", _day(30), "--to", _day(-60), "--as-of", yesterday,
                        "--json")).json()
        shown = ok(sopr("case", "show", str(case), "--as-of", yesterday, "--json")).json()
        return digest, stats, [(o["id"], o["status"], o["overdue"]) for o in shown["obligations"]]

    before = reports()
    # open, but for the signal's notices the check fulfilled (001 §2.5, §2.5.1 а), written then as well
    assert before[0]["obligations"] and {status for _, status, _ in before[2]} == {"open", "fulfilled"}
    text_before = ok(sopr("deadlines", "--as-of", yesterday, "--within", "60")).out

    first = before[0]["obligations"][0]
    ok(sopr("deadlines", "done", str(first["id"]), "--date", _day(2)))  # typed as done before yesterday
    assert reports() == before
    ok(sopr("close", str(case), "--date", _day(0), "--resolution", "9-п", "--ground", "eliminated"))
    assert reports() == before
    assert ok(sopr("deadlines", "--as-of", yesterday, "--within", "60")).out == text_before

    # today's view does know: the done one is gone, the closure cancelled the rest of the case
    now_digest = ok(sopr("deadlines", "--within", "60", "--json")).json()["obligations"]
    assert first["id"] not in {o["id"] for o in now_digest}
    shown = ok(sopr("case", "show", str(case), "--json")).json()["obligations"]
    assert {o["id"]: o["status"] for o in shown}[first["id"]] == "fulfilled"
    # and --known-now judges today's records at yesterday's moment (the old reading)
    known = ok(sopr("deadlines", "--as-of", yesterday, "--within", "60", "--known-now", "--json")).json()
    assert first["id"] not in {o["id"] for o in known["obligations"]}


def test_an_obligation_written_today_is_not_in_yesterdays_digest(sopr):
    school(sopr)
    sig = ok(sopr("signal", "add", "--no-threat", "--received", f"{_day(2)} 09:00", "--source", "МБОУ СОШ № 5",
                  "--child", "Орлов Иван, 01.01.2012", "--problem", "Пропуски", "--json")).json()
    ids = {o["id"] for o in sig["obligations"]}
    yesterday = ok(sopr("deadlines", "--as-of", f"{_day(1)} 12:00", "--within", "60", "--json")).json()
    assert ids and not ids & {o["id"] for o in yesterday["obligations"]}
    # written today: as the registry was written yesterday, there was no such signal yet (issue 30)
    gone = sopr("signal", "show", "1", "--as-of", f"{_day(1)} 12:00", "--json")
    assert gone.code == 2 and "ещё не было в журнале" in gone.err
    # known today, it was received two days ago: there yesterday, with the terms its receipt opened
    known = ok(sopr("signal", "show", "1", "--as-of", f"{_day(1)} 12:00", "--known-now", "--json")).json()
    assert ids <= {o["id"] for o in known["obligations"]}
    today = ok(sopr("deadlines", "--within", "60", "--json")).json()
    assert ids <= {o["id"] for o in today["obligations"]}


def _threat_signal(sopr) -> dict[str, int]:
    """Friday 30.10.2026 17:30, a threat: the 24 hours end on Saturday; 5 working days span 4 November."""
    school(sopr)
    sig = ok(sopr("signal", "add", "--received", "30.10.2026 17:30", "--source", "МБОУ СОШ № 5",
                  "--child", "Сидоров Пётр Ильич, 10.02.2012", "--problem", "Угроза", "--threat", "--json")).json()
    return {o["rule"]: o["id"] for o in sig["obligations"]}


def test_explain_an_immediate_one_fulfilled_hours_late(sopr):
    # the school learned of the threat on Friday 30.10.2026 17:30 and told the commission on Monday at 10:00:
    # its notice is the signal's receipt (issue 28), counted from the moment it detected
    school(sopr)
    sig = ok(sopr("signal", "add", "--received", "02.11.2026 10:00", "--detected", "30.10.2026 17:30", "--source",
                  "МБОУ СОШ № 5", "--child", "Сидоров Пётр Ильич, 10.02.2012", "--problem", "Угроза", "--threat",
                  "--json")).json()
    ids = {o["rule"]: o["id"] for o in sig["obligations"] + sig["fulfilled"]}
    doc = ok(sopr("deadlines", "explain", str(ids["fed.threat"]), "--json")).json()
    assert doc["rule"] == "fed.threat" and doc["source"] == "001 прил. 1"
    assert doc["anchor"]["at"] == "2026-10-30T17:30:00+03:00" and doc["anchor"]["signal"]["number"] == "1/2026"
    assert doc["term"]["code"] == "immediate" and doc["due"] == "2026-10-31T17:30:00+03:00"
    assert doc["lateness"] == {"state": "fulfilled", "late": True, "working_days": 1, "hours": 40.5}
    assert [h["action"] for h in doc["history"]] == ["open", "fulfil"]
    out = ok(sopr("deadlines", "explain", str(ids["fed.threat"]))).out
    assert "«незамедлительно»" in out and "Истекает: 31.10.2026 17:30 (сб)" in out
    assert "Исполнена с опозданием на 40,5 ч. (1 раб. дн.)" in out
    assert not any(w in out for w in ("open", "fulfil", "True", "None"))


def test_explain_a_working_days_term_over_unity_day_fulfilled_late(sopr):
    ids = _threat_signal(sopr)
    before = ok(sopr("deadlines", "explain", str(ids["me.check"]))).out
    assert "5 рабочих дней" in before and "Истекает: 09.11.2026 (пн), до 24:00" in before
    assert "04.11.2026 (ср) — не засчитан: День народного единства" in before
    assert "31.10.2026 (сб) — не засчитан" in before
    assert "Срок не истёк." in before or "Просрочена" in before

    ok(sopr("check", "1", "--concluded", "11.11.2026", "--level", "high", "--outcome", "departmental"))
    doc = ok(sopr("deadlines", "explain", str(ids["me.check"]), "--json")).json()
    assert doc["status"] == "fulfilled" and doc["lateness"]["working_days"] == 2
    assert "2026-11-04" in {d["date"] for d in doc["term"]["skipped"]}
    out = ok(sopr("deadlines", "explain", str(ids["me.check"]))).out
    assert "исполнена 11.11.2026" in out and "Исполнена с опозданием на 2 раб. дн." in out


def test_explain_of_a_missing_number_is_refused(sopr):
    r = sopr("deadlines", "explain", "999")
    assert r.code == 2 and r.out == ""
    assert r.err.strip().splitlines() == ["Ошибка: Обязанности №999 нет в реестре."]
