"""Terms of real regional orders through the CLI (issue 29 §2, §4): a day of each month, of the month after each
quarter, hours, a monthly standing term — in a region's own file — and periodic terms that keep their period.

Dates by hand on the production calendar. «До N числа» excludes N (DEADLINES.md: the last day is the day before,
as for «до DATE»); the issue's example (30.04, 30.05 → 01.06) read it inclusively.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from tests.conftest import PDN, ok, refused

PUPIL = "Котов Илья Андреевич, 02.02.2012"
CHILD = "Орлов Иван Петрович, 01.01.2012"

REGION = '''[[set]]
id = "perm"
title = "Пермский край: КДН и ЗП, постановление от 14.07.2014 № 7, поверх 001"
extends = ["federal"]

[[rule]]
id = "pm.ip.inform"
section = "work"
title = "Информировать КДН о выполнении мероприятий ИП"
who = "КДН"
to = "КДН"
term = "monthly:30"
written = "ежемесячно (до 30 числа каждого месяца)"
source = "Пермь № 7, прил. 13 п. 3"
sets = ["perm"]
opens = ["plan.approved"]

[[rule]]
id = "pm.case.report"
section = "work"
title = "Информация о ходе работы по делу"
who = "КДН"
to = "КДН субъекта"
term = "quarterly:5"
written = "ежеквартально до 5 числа месяца, следующего за отчетным кварталом"
source = "пример: квартальный отчёт"
sets = ["perm"]
opens = ["case.recognized"]

[[rule]]
id = "pm.case.year"
section = "work"
title = "Годовой отчёт о работе по делу"
who = "КДН"
to = "КДН субъекта"
term = "until:10.11"
written = "до 10 ноября каждого года"
source = "пример: день года"
sets = ["perm"]
opens = ["case.recognized"]

[[rule]]
id = "pm.signal.ais"
section = "signal"
title = "Внести сигнал в АИС"
who = "КДН"
to = "КДН"
term = "24h"
written = "в течение 24 часов с момента поступления"
source = "пример: часы"
sets = ["perm"]
opens = ["signal.registered"]

[[rule]]
id = "pm.month.bank"
section = "work"
title = "Сведения банка данных за месяц"
who = "КДН"
to = "КДН субъекта"
term = "monthly:30"
written = "ежемесячно до 30 числа"
source = "пример: ежемесячно"
sets = ["perm"]
standing = "month"

[[rule]]
id = "pm.month.agency"
section = "work"
title = "Информация органа за месяц"
who = "органы системы профилактики"
to = "КДН"
term = "monthly:10"
written = "до 10 числа каждого месяца"
source = "пример: каждый орган"
sets = ["perm"]
standing = "month"
each = "agency"
'''


def dues(doc: dict) -> dict[str, str]:
    return {o["rule"]: o["due"] for o in doc["obligations"]}


def test_a_region_file_with_fixed_days_hours_and_a_monthly_standing_term(sop, reg_env, tmp_path: Path):
    own = tmp_path / "perm.toml"
    own.write_text(REGION, "utf-8")
    assert "своих правил 6" in ok(sop("rules", "check", str(own))).out
    # the same file with the day left unread in a quote: refused by rule and words, as a typed term is
    bad = tmp_path / "bad.toml"
    bad.write_text(REGION.replace('term = "monthly:30"\nwritten = "ежемесячно до 30 числа"',
                                  'term = "quarterly"\nwritten = "ежеквартально до 30 числа"'), "utf-8")
    refused(sop("rules", "check", str(bad)), "pm.month.bank", "«до 30 числа»")

    init = ok(sop("init", "--new", "--rules", str(own), "--json")).json()
    today = date.today()
    month = [o for o in init["standing_opened"] if o["rule"].startswith("pm.month")]
    assert {o["rule"] for o in month} == {"pm.month.bank", "pm.month.agency"}
    assert sum(o["rule"] == "pm.month.agency" for o in month) > 1  # one per agency of the directory
    for o in month:  # this month's (or, its day gone by, the next month's) — never born overdue
        assert today <= date.fromisoformat(o["due"]) <= today + timedelta(days=62)
    again = ok(sop("agency", "list"))  # a write step later in the month opens nothing twice
    assert again.code == 0
    listed = ok(sop("deadlines", "--as-of", today.strftime("%d.%m.%Y"), "--known-now", "--within", "100",
                    "--json")).json()
    bank = [o for o in listed["obligations"] if o["rule"] == "pm.month.bank"]
    assert len(bank) == 1

    # 24 hours from 10:25 Thursday 02.07.2026: from 11:00 (art. 191), a moment
    sig = ok(sop("signal", "add", "--problem", "пропуски", "--channel", "письменно", "--no-threat", "--child", CHILD,
                 "--received", "02.07.2026 10:25", "--source", "ПДН", "--json")).json()
    assert dues(sig)["pm.signal.ais"] == "2026-07-03T11:00:00+03:00"
    ok(sop("check", "1", "--concluded", "03.07.2026", "--level", "высокий", "--outcome", "СОП"))
    rec = ok(sop("recognize", "1", "--date", "06.07.2026", "--resolution", "7-п", "--curator", "Петрова А.В.",
                 "--json")).json()
    assert dues(rec)["pm.case.report"] == "2026-10-05"  # the third quarter: by Sun 04.10 → Mon 05.10
    assert dues(rec)["pm.case.year"] == "2026-11-09"  # «до 10 ноября»: through Mon 09.11
    ok(sop("plan", "add", "1", "--measure", "Беседа с семьёй", "--executor", PDN, "--due", "20.07.2026"))
    approved = ok(sop("plan", "approve", "1", "--date", "10.07.2026", "--resolution", "8-п", "--json")).json()
    assert dues(approved)["pm.ip.inform"] == "2026-07-29"  # «до 30 числа»: through the 29th, Wed
    # done within its month, the next month's term opens: 29.08.2026 is a Saturday → Mon 31.08
    done = ok(sop("deadlines", "done", "--rule", "pm.ip.inform", "--case", "1", "--date", "20.07.2026",
                  "--json")).json()
    assert dues(done) == {"pm.ip.inform": "2026-08-31"}
    done = ok(sop("deadlines", "done", "--rule", "pm.case.report", "--case", "1", "--date", "02.10.2026",
                  "--json")).json()
    assert dues(done) == {"pm.case.report": "2027-01-11"}  # the fourth quarter's: 04.01.2027 in the holidays
    done = ok(sop("deadlines", "done", "--rule", "pm.case.year", "--case", "1", "--date", "05.11.2026",
                  "--json")).json()
    assert dues(done) == {"pm.case.year": "2027-11-09"}  # the next year's, Tue

    explained = ok(sop("calendar", "due", "06.07.2026", "quarterly:5"))
    assert explained.out.splitlines()[0] == "Срок истекает: 05.10.2026 (пн), до 24:00"


def test_a_school_plan_approved_on_a_quarters_last_day_is_updated_in_the_next_quarter(sop, reg_env):
    """003 §4.6 «ежеквартально актуализируются»: approved 30.09 → the fourth quarter's update, not due that day;
    done within a quarter → the next quarter's, never the same one again (issue 29 §4)."""
    ok(sop("init", "--new", "--rules", "school"))
    ok(sop("signal", "add", "--no-threat", "--received", "15.09.2025 10:00", "--source", "Классный руководитель 7 «Б»",
           "--child", PUPIL, "--problem", "Пропуски, конфликты"))
    c = ok(sop("school", "council", "1", "--date", "17.09.2025", "--decision", "account", "--category", "yellow.1",
               "--curator", "Смирнова Ольга Петровна", "--json")).json()
    case = str(c["case"])
    ok(sop("plan", "add", case, "--measure", "Беседа с психологом", "--executor", "Орган управления образованием",
           "--due", "30.10.2025"))
    approved = ok(sop("plan", "approve", case, "--date", "30.09.2025", "--resolution", "Совет 3", "--json")).json()
    # the fourth quarter ends 31.12.2025, a day off (moved from 05.01), then the holidays → Mon 12.01.2026;
    # before: due 30.09.2025, overdue the next morning
    assert dues(approved)["sc.plan.update"] == "2026-01-12"
    digest = ok(sop("deadlines", "--as-of", "01.10.2025 09:00", "--known-now", "--overdue", "--json")).json()
    assert "sc.plan.update" not in [o["rule"] for o in digest["obligations"]]

    def done(on: str) -> dict:
        return ok(sop("deadlines", "done", "--rule", "sc.plan.update", "--case", case, "--date", on,
                      "--json")).json()

    assert dues(done("20.12.2025")) == {"sc.plan.update": "2026-03-31"}  # the first quarter of 2026, not 31.12
    assert dues(done("20.03.2026")) == {"sc.plan.update": "2026-06-30"}  # before: 31.03 again
    # the second quarter's update marked done only in October: the third quarter's opens all the same, already
    # overdue — it was owed too, and the note says why it was born so
    late = done("05.10.2026")
    assert dues(late) == {"sc.plan.update": "2026-09-30"}
    assert late["obligation"]["late"] and late["obligations"][0]["overdue"]
    assert late["obligations"][0]["note"].startswith("срок истёк до записи: предыдущий период отмечен исполненным")
    shown = ok(sop("case", "show", case, "--json")).json()
    updates = [(o["status"], o["due"]) for o in shown["obligations"] if o["rule"] == "sc.plan.update"]
    assert updates == [("fulfilled", "2026-01-12"), ("fulfilled", "2026-03-31"), ("fulfilled", "2026-06-30"),
                       ("open", "2026-09-30")]
    # each next update counts from its quarter's first day, not from the day the last one was done
    starts = [o["trigger_at"][:10] for o in shown["obligations"] if o["rule"] == "sc.plan.update"]
    assert starts == ["2025-09-30", "2026-01-01", "2026-04-01", "2026-07-01"]

    # the same answer without a registry, for the issue's own date
    out = ok(sop("calendar", "due", "30.09.2026", "quarterly")).out
    assert out.splitlines()[0] == "Срок истекает: 11.01.2027 (пн), до 24:00"  # 31.12.2026 is a day off too
    assert "последний день по счёту: 31.12.2026 (чт)" in out
