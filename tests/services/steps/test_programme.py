"""Recognition → proposals → programme → reports → control → correction → move → closure, through the CLI.

Every date below is derived by hand from the production calendar (2025: 8 March
a Saturday and a holiday; 2026: 23 February a Monday holiday) and the terms of
004 §5.3–§5.6 and 001 §2.5.1; the suite runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import pytest

from tests.commands.test_refusals import snapshot
from tests.conftest import EDU, PDN, SOCIAL, ok

CHILD = "Сидоров Пётр Ильич, 10.02.2010"


def by_rule(obligations: list[dict]) -> dict[str, list]:
    out: dict[str, list] = {}
    for o in obligations:
        out.setdefault(o["rule"], []).append(o["due"])
    return out


def digest(sopr, as_of: str, *extra: str) -> list[dict]:
    r = sopr("deadlines", "--as-of", as_of, "--known-now", "--json", *extra)
    assert r.code == 0, r.err
    return r.json()["obligations"]


@pytest.fixture
def recognised(sopr):
    ok(sopr("signal", "add", "--no-threat", "--received", "03.03.2025 10:00", "--source", "ПДН", "--child", CHILD,
            "--parent", "Сидорова Алёна Петровна", "--problem", "Безнадзорность"))
    chk = ok(sopr("check", "1", "--concluded", "05.03.2025", "--level", "high", "--outcome", "sop", "--json")).json()
    assert by_rule(chk["obligations"]) == {"fed.resources": ["2025-03-10"],  # 08.03 Sat and a holiday
                                           "fed.sop.to.kdn": ["2025-03-10"],  # 001 App. 1, the same 3 days
                                           "fed.proposals": ["2025-03-17"]}  # 15.03 Sat
    rec = ok(sopr("recognize", "1", "--date", "12.03.2025", "--resolution", "9", "--curator",
                  "Петрова Анна Викторовна", "--json")).json()
    assert by_rule(rec["obligations"])["me.program"] == ["2025-03-26"]  # 14 days
    return sopr


def test_programme_reports_control_correction_move_and_closure(recognised, reg_env):
    sopr = recognised
    ok(sopr("plan", "propose", "1", "--agency", PDN, "--date", "14.03.2025", "--situation", "Мать не работает",
            "--measure", "Профилактическая беседа; апрель"))
    ok(sopr("plan", "add", "1", "--measure", "Профилактическая беседа", "--executor", PDN, "--due", "15.04.2025"))
    ok(sopr("plan", "add", "1", "--measure", "Оформление пособия", "--executor", SOCIAL, "--due", "1m"))
    ok(sopr("plan", "add", "1", "--measure", "Летний лагерь", "--executor", EDU, "--due", "01.06.2025-31.08.2025"))
    ok(sopr("plan", "edit", "1", "--goal", "Вывести семью из СОП", "--potential", "initial=low,main=medium",
            "--reaction", "initial=passive", "--patronage", "periodic"))
    draft = ok(sopr("plan", "show", "1", "--json")).json()
    assert draft["status"] == "draft" and [m["due"] for m in draft["measures"]] == [
        "2025-04-15", None, "2025-08-31"]  # the term gets its date at approval

    approved = ok(sopr("plan", "approve", "1", "--date", "24.03.2025", "--resolution", "12", "--json")).json()
    assert [(o["rule"], o["late"]) for o in approved["fulfilled"]] == [("me.card", False), ("me.program", False)]
    assert by_rule(approved["obligations"]) == {
        # 1m from Mon 24.03 → Thu 24.04; the camp's period ends Sun 31.08 → Mon 01.09 (art. 193)
        "plan.measure": ["2025-04-15", "2025-04-24", "2025-09-01"],
        "me.program.send": ["2025-03-31"],  # 3-5 days: 29.03 is a Saturday → Mon 31.03
    }
    send = next(o for o in approved["obligations"] if o["rule"] == "me.program.send")
    assert send["target"] == "2025-03-27"  # the range's lower bound
    whos = {o["who"] for o in approved["obligations"] if o["rule"] == "plan.measure"}
    assert whos == {PDN, SOCIAL, EDU}
    plan = ok(sopr("plan", "show", "1", "--json")).json()
    ids = [m["id"] for m in plan["measures"]]
    assert plan["potential"] == "initial=low,main=medium" and plan["resolution"] == "12"

    # reports: the police late by three working days; social security only partly
    late = ok(sopr("report", "1", str(ids[0]), "--date", "18.04.2025", "--status", "done", "--text", "Беседа",
                   "--json")).json()
    assert (late["fulfilled"][0]["late"], late["fulfilled"][0]["late_working_days"]) == (True, 3)
    ok(sopr("report", "1", str(ids[1]), "--date", "22.04.2025", "--status", "partial", "--text", "Документы"))
    ok(sopr("report", "1", "--date", "30.04.2025", "--text", "Семья идёт на контакт"))  # the curator's summary

    as_of_may = digest(sopr, "05.05.2025", "--overdue", "--case", "1")
    measures_late = [(o["who"], o["due"]) for o in as_of_may if o["rule"] == "plan.measure"]
    assert measures_late == [(SOCIAL, "2025-04-24")]  # partial keeps it open, and now it is late
    assert not [o for o in digest(sopr, "05.05.2025", "--overdue", "--who", "пдн") if o["rule"] == "plan.measure"]

    # the 6-month control, three days late (12.09 Fri → 15.09 Mon); the next from that day
    ctl = ok(sopr("control", "1", "--date", "15.09.2025", "--decision", "correct", "--json")).json()
    assert [(o["rule"], o["late_working_days"]) for o in ctl["fulfilled"]] == [("me.control.6m", 1)]
    assert by_rule(ctl["obligations"]) == {"me.control.6m": ["2026-03-16"]}  # 15.03.2026 is a Sunday

    # the correction is version 2: done measures stay in version 1, the rest are carried and edited
    v2 = ok(sopr("plan", "show", "1", "--version", "2", "--json")).json()
    assert [m["title"] for m in v2["measures"]] == ["Оформление пособия", "Летний лагерь"]
    ok(sopr("plan", "remove", "1", "1"))
    ok(sopr("plan", "add", "1", "--measure", "Оформление пособия", "--executor", SOCIAL,
            "--due", "в течение 10 рабочих дней"))
    v2a = ok(sopr("plan", "approve", "1", "--date", "22.09.2025", "--resolution", "31", "--json")).json()
    # the re-dated measure's old obligation is cancelled; the camp, same executor and date, continues as it was
    assert [(o["who"], o["due"]) for o in v2a["cancelled"]] == [(SOCIAL, "2025-04-24")]
    assert "версия 2" in v2a["cancelled"][0]["cancel_reason"]
    assert by_rule(v2a["obligations"])["plan.measure"] == ["2025-10-06"]  # 10 working days from Mon 22.09
    camp = ok(sopr("plan", "show", "1", "--json")).json()["measures"][0]
    # the period ends on Sun 31.08.2025: art. 193 moves the obligation to Mon 01.09, and the note says why
    assert (camp["title"], camp["obligation"]["due"], camp["obligation"]["trigger_at"][:10]) == (
        "Летний лагерь", "2025-09-01", "2025-03-24")
    assert "ст. 193 ГК РФ: 31.08.2025 (вс)" in camp["obligation"]["note"]
    versions = ok(sopr("plan", "show", "1", "--json")).json()["versions"]
    assert [(v["version"], v["status"]) for v in versions] == [(1, "superseded"), (2, "approved")]
    old = ok(sopr("plan", "show", "1", "--version", "1", "--json")).json()
    assert old["measures"][0]["status"] == "done" and old["measures"][0]["reports"][0]["text"] == "Беседа"

    # the family moves: the school learned of it on Mon 01.12.2025
    mv = ok(sopr("transfer", "out", "1", "--learned", "01.12.2025", "--to", "г. Казань", "--by", EDU,
                 "--json")).json()
    assert by_rule(mv["obligations"]) == {"fed.move.detected": ["2025-12-04"], "fed.move.forward": ["2025-12-08"]}
    assert next(o["who"] for o in mv["obligations"] if o["rule"] == "fed.move.detected") == EDU
    assert "индивидуальная программа (версия 2" in mv["documents"]
    late_dec = {o["rule"] for o in digest(sopr, "09.12.2025", "--overdue", "--case", "1")}
    assert {"fed.move.detected", "fed.move.forward"} <= late_dec
    fwd = next(o for o in mv["obligations"] if o["rule"] == "fed.move.forward")
    ok(sopr("deadlines", "done", str(fwd["id"]), "--date", "05.12.2025"))

    closed = ok(sopr("transfer", "confirm", "1", "--date", "15.12.2025", "--resolution", "40", "--json")).json()
    assert by_rule(closed["obligations"]) == {"me.close.send": ["2025-12-29"]}  # 10 working days
    cancelled = {o["rule"] for o in closed["cancelled"]}
    assert {"me.control.6m", "age.18", "fed.move.detected"} <= cancelled
    case = ok(sopr("case", "show", "1", "--json")).json()
    assert case["status"] == "closed" and case["close_ground"] == "moved"
    events = [e["event"] for e in case["timeline"]]
    assert any(e.startswith("программа, версия 2") for e in events)
    assert any(e.startswith("выявлен переезд") for e in events)
    assert events[-1].startswith("прекращение: переезд")

    # the scorecard for 2025, as of the end of the year
    stats = ok(sopr("deadlines", "stats", "--from", "01.01.2025", "--to", "31.12.2025", "--as-of", "31.12.2025",
                    "--known-now", "--json")).json()["agencies"]
    per = {a["who"]: a for a in stats}
    # the police's report late (3 wd); its two notices of the signal it sent (001 §2.5, §2.5.1(а)) on time: the
    # signal's receipt is their fulfilment (issue 28); its resources for the plan (due 10.03) came with its
    # proposals on 14.03: late 4 wd (11–14.03) (issue 29: App. 5 received is the body's own act)
    assert (per[PDN]["late"], per[PDN]["on_time"], per[PDN]["median_late_working_days"]) == (2, 2, 3.5)
    # education never reported the camp nor the move: both lapsed when the case closed
    assert (per[EDU]["lapsed"], per[EDU]["due"]) == (2, 2)
    # the programme and its card, approved before their term; the curator is named (issue 28)
    assert per["куратор: Петрова А. В."]["on_time"] == 2

    # a closed case takes no transfer
    before = snapshot(reg_env["SOPCLI_DB"])
    again = sopr("transfer", "out", "1", "--learned", "16.12.2025", "--to", "г. Уфа")
    assert again.code == 2 and "закрыто" in again.err
    assert snapshot(reg_env["SOPCLI_DB"]) == before


def test_refusals_of_the_programme(recognised, reg_env):
    sopr = recognised
    ok(sopr("signal", "add", "--no-threat", "--received", "04.03.2025 10:00", "--source", "Школа", "--child",
            "Котов Илья Андреевич, 02.02.2013", "--problem", "Пропуски"))
    ok(sopr("check", "2", "--concluded", "05.03.2025", "--level", "medium", "--outcome", "sop"))
    ok(sopr("recognize", "2", "--date", "12.03.2025", "--resolution", "10", "--curator", "Петрова Анна"))
    ok(sopr("plan", "add", "2", "--measure", "Беседа", "--executor", PDN, "--due", "15.04.2025"))
    ok(sopr("plan", "approve", "2", "--date", "24.03.2025", "--resolution", "13"))
    other = ok(sopr("plan", "show", "2", "--json")).json()["measures"][0]["id"]
    ok(sopr("plan", "add", "1", "--measure", "Беседа", "--executor", PDN, "--due", "15.04.2025"))
    draft = ok(sopr("plan", "show", "1", "--json")).json()["measures"][0]["id"]
    cases = [
        (["plan", "add", "1", "--measure", "x", "--executor", PDN, "--due", "01.03.2025"], "раньше постановления"),
        (["plan", "add", "1", "--measure", "x", "--executor", "соцзашита", "--due", "01.04.2025"],
         f"Возможно: соцзащита ({SOCIAL})"),  # a hint, never a correction (issue 13)
        (["plan", "add", "1", "--measure", "x", "--executor", PDN, "--due", "ежемесячно"], "не считается"),
        (["plan", "add", "1", "--measure", "x", "--executor", PDN, "--due", "когда-нибудь"], "укажите дату"),
        (["plan", "add", "1", "--measure", "x", "--executor", PDN, "--due", "01.05.2025-01.04.2025"], "позже"),
        (["report", "1", str(other), "--date", "10.04.2025", "--status", "done"], "относится к делу №2"),
        (["report", "1", str(draft), "--date", "10.04.2025", "--status", "done"], "ещё не утверждена"),
        (["report", "2", str(other), "--date", "10.04.2025", "--status", "maybe"], "выполнено (done)"),
        (["report", "2", str(other), "--date", "20.03.2025", "--status", "done"], "раньше утверждения"),
        (["plan", "approve", "1", "--date", "10.03.2025", "--resolution", "1"], "раньше постановления"),
        (["plan", "edit", "1", "--potential", "initial=huge"], "потенциал"),
        (["control", "1", "--date", "15.09.2025", "--decision", "maybe"], "continue"),
        (["release", "1", "--kind", "hospital", "--date", "01.06.2026"], "colony"),
        (["transfer", "confirm", "1", "--date", "15.12.2025", "--resolution", "1"], "переезд не отмечен"),
        (["graduates", "1", "--analysis", "25.09.2025", "--college", "Колледж"], "smolensk"),
        (["close", "1", "--date", "20.09.2025", "--resolution", "5", "--ground", "improved", "--outcome", "great"],
         "прил. 4"),
    ]
    for args, fragment in cases:
        before = snapshot(reg_env["SOPCLI_DB"])
        r = sopr(*args)
        assert r.code == 2, (args, r.out, r.err)
        lines = r.err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Ошибка: ") and fragment in lines[0], (args, r.err)
        assert snapshot(reg_env["SOPCLI_DB"]) == before, args


def test_arrival_and_releases(recognised):
    sopr = recognised
    arrived = ok(sopr("transfer", "in", "--learned", "02.02.2026 11:00", "--from", "КДН г. Чебоксары",
                      "--child", "Ленин Олег Ильич, 05.05.2012", "--json")).json()
    assert by_rule(arrived["obligations"]) == {"me.check": ["2026-02-09"], "fed.arrival": ["2026-02-05"],
                                               "fed.inform.immediate": ["2026-02-03T11:00:00+03:00"]}
    shown = ok(sopr("signal", "show", str(arrived["id"]), "--json")).json()
    assert shown["source"] == "прибытие из: КДН г. Чебоксары"

    colony = ok(sopr("release", "1", "--kind", "colony", "--date", "15.06.2026", "--json")).json()
    assert by_rule(colony["obligations"]) == {"fed.colony.release": ["2025-12-15"]}  # six months back, a Monday
    suvu = ok(sopr("release", "1", "--kind", "suvu", "--date", "01.09.2026", "--json")).json()
    assert by_rule(suvu["obligations"]) == {"fed.suvu.release": ["2026-07-31"]}  # 01.08 Sat → the Friday before
    parole = ok(sopr("release", "1", "--kind", "parole", "--date", "10.11.2025", "--json")).json()
    assert by_rule(parole["obligations"]) == {"fed.colony.parole": ["2025-11-20"]}
    # the release date corrected: the notice counted from the old date is cancelled, the new one opened
    moved = ok(sopr("release", "1", "--kind", "colony", "--date", "15.08.2026", "--json")).json()
    assert by_rule(moved["obligations"]) == {"fed.colony.release": ["2026-02-13"]}  # 15.02 Sun → Fri before
    assert [o["due"] for o in moved["cancelled"]] == ["2025-12-15"]
    notice = moved["obligations"][0]
    done = ok(sopr("deadlines", "done", str(notice["id"]), "--date", "01.12.2025", "--json")).json()  # months early
    assert done["obligation"]["late"] is False  # a notice counted back is done before its anchor


def test_graduates_on_the_smolensk_rule_set(sop, reg_env):
    ok(sop("init", "--new", "--rules", "smolensk"))
    ok(sop("signal", "add", "--no-threat", "--received", "03.03.2025 10:00", "--source", "Школа", "--child", CHILD,
           "--problem", "Пропуски"))
    ok(sop("check", "1", "--concluded", "05.03.2025", "--level", "high", "--outcome", "sop"))
    ok(sop("recognize", "1", "--date", "12.03.2025", "--resolution", "9", "--curator", "Петрова Анна"))
    an = ok(sop("graduates", "1", "--analysis", "25.09.2025", "--college", "Смоленский колледж", "--json")).json()
    assert by_rule(an["obligations"]) == {"sm.grads.send": ["2025-10-09"]}  # 2 weeks
    sent = ok(sop("graduates", "1", "--sent", "06.10.2025", "--json")).json()
    assert [o["rule"] for o in sent["fulfilled"]] == ["sm.grads.send"]
    college = sent["obligations"][0]
    assert (college["rule"], college["due"], college["who"]) == ("sm.grads.college", "2025-11-06",
                                                                 "Смоленский колледж")
    late = digest(sop, "07.11.2025", "--overdue")
    assert [o["rule"] for o in late if o["rule"].startswith("sm.")] == ["sm.grads.college"]
    ans = ok(sop("graduates", "1", "--answer", "10.11.2025", "--json")).json()
    assert ans["fulfilled"][0]["late_working_days"] == 2  # 07 and 10 November
