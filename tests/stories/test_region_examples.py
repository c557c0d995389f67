"""The regional orders shipped under examples/ (issue 29 §8), each a story through the CLI on both engines.

Dates are computed by hand from the production calendar of 2026: 04.11 (Wed) is the Day of National Unity,
31.10/01.11 and 14/15.11 are a Saturday and a Sunday, none worked.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ok, runner

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _add(run, received: str, child: str) -> dict:
    return ok(run("signal", "add", "--problem", "пропуски занятий", "--channel", "письменно", "--no-threat",
                  "--child", child, "--source", "ПДН", "--received", received, "--json")).json()


def _one(doc: dict, rule: str, key: str = "obligations") -> dict:
    [found] = [o for o in doc[key] if o["rule"] == rule]
    return found


@pytest.fixture
def sverdlovsk(reg_env):
    run = runner(reg_env)
    assert "своих правил 3" in ok(run("rules", "check", str(EXAMPLES / "sverdlovsk-188-pp.toml"))).out
    ok(run("init", "--new", "--rules", str(EXAMPLES / "sverdlovsk-188-pp.toml")))
    return run


def test_sverdlovsk_188_pp_registration_review_and_requests(sverdlovsk):
    run = sverdlovsk
    # п. 19: registered in АИС «Подросток» within one working day: received Fri 30.10 → Mon 02.11
    s1 = _add(run, "30.10.2026 16:00", "Орлов Иван Петрович, 01.01.2012")
    ais = _one(s1, "sv.ais.register")
    assert ais["due"] == "2026-11-02"
    assert "sv.review" not in {o["rule"] for o in s1["obligations"]}  # counted from the registration, not before
    # registered the same Friday: fifteen calendar days end on Sat 14.11 → Mon 16.11 (ГК ст. 193)
    done = ok(run("deadlines", "done", str(ais["id"]), "--date", "30.10.2026 17:00", "--json")).json()
    review = _one(done, "sv.review")
    assert (review["due"], review["owner_kind"]) == ("2026-11-16", "commission")
    why = ok(run("deadlines", "explain", str(review["id"]))).out
    assert "188-ПП п. 19" in why and "со дня их регистрации" in why and "14.11.2026" in why
    # the second signal is registered on Monday 02.11: its review is due Tue 17.11
    _add(run, "30.10.2026 17:30", "Белов Артём Сергеевич, 11.07.2012")
    done2 = ok(run("deadlines", "done", "--rule", "sv.ais.register", "--signal", "2", "--date", "02.11.2026",
                   "--json")).json()
    assert done2["obligation"]["late"] is False and _one(done2, "sv.review")["due"] == "2026-11-17"
    # п. 20: «при необходимости» — opened by the secretary's decision on 03.11: 05, 06, 09.11 (04.11 a holiday)
    asked = ok(run("deadlines", "open", "sv.info.request", "--signal", "2", "--date", "03.11.2026",
                   "--reason", "запросить характеристику школы", "--json")).json()
    assert _one(asked, "sv.info.request")["due"] == "2026-11-09"
    # the first signal's review is done by the commission's conclusion on 13.11, on time; the second is overdue
    # the morning after its term, and nothing else of the order is
    ok(run("check", "1", "--concluded", "13.11.2026", "--level", "высокий", "--outcome", "СОП"))
    digest = ok(run("deadlines", "--as-of", "18.11.2026 09:00", "--known-now", "--json")).json()
    late = sorted((o["rule"], o["signal"]) for o in digest["obligations"] if o["overdue"]
                  and o["rule"].startswith("sv."))
    assert late == [("sv.info.request", 2), ("sv.review", 2)]


def test_a_term_counted_from_a_duty_that_is_no_rule_is_refused(sop, tmp_path: Path):
    text = (EXAMPLES / "sverdlovsk-188-pp.toml").read_text("utf-8").replace(
        'opens = ["done:sv.ais.register"]', 'opens = ["done:sv.ais.registr"]')
    bad = tmp_path / "bad.toml"
    bad.write_text(text, "utf-8")
    r = sop("rules", "check", str(bad))
    assert r.code == 2 and "неизвестное правило sv.ais.registr" in r.err, r.err


@pytest.fixture
def perm(reg_env):
    run = runner(reg_env)
    assert "своих правил 3" in ok(run("rules", "check", str(EXAMPLES / "perm-kdn-7.toml"))).out
    ok(run("init", "--new", "--rules", str(EXAMPLES / "perm-kdn-7.toml")))
    return run


def _monthly(doc: dict, key: str = "obligations") -> list[tuple[str, str]]:
    """(the measure, due) of each monthly information term: its title names the measure."""
    return sorted((o["title"].rsplit(": ", 1)[-1], o["due"]) for o in doc[key] if o["rule"] == "pk.monthly")


def test_perm_no_7_monthly_information_by_the_30th_until_the_measure_is_done(perm):
    """«ежемесячно (до 30 числа каждого месяца)»: «до 30 числа» leaves out the 30th (DEADLINES.md, as «до 10
    января» does), so the last day is the 29th; each report on the measure is the month's information, and the
    report that it is done ends the series."""
    run = perm
    _add(run, "06.04.2026 10:00", "Орлов Иван Петрович, 01.01.2012")
    ok(run("check", "1", "--concluded", "08.04.2026", "--level", "высокий", "--outcome", "СОП"))
    ok(run("recognize", "1", "--date", "10.04.2026", "--resolution", "7-п", "--curator", "Петрова А.В."))
    talk = ok(run("plan", "add", "1", "--measure", "Беседа с семьёй", "--executor", "ПДН", "--due", "30.06.2026",
                  "--json")).json()["measure"]
    ok(run("plan", "add", "1", "--measure", "Посещение семьи", "--executor", "опека", "--due", "15.05.2026"))
    approved = ok(run("plan", "approve", "1", "--date", "28.04.2026", "--resolution", "8-п", "--json")).json()
    rules = {o["rule"] for o in approved["obligations"]}
    assert "pk.measure" in rules and "plan.measure" not in rules  # the measure's own term, cited from Perm № 7
    # approved Tue 28.04: April's information is due Wed 29.04, from each executor on each measure
    assert _monthly(approved) == [("Беседа с семьёй", "2026-04-29"), ("Посещение семьи", "2026-04-29")]
    april = ok(run("report", "1", str(talk), "--date", "29.04.2026", "--status", "частично", "--text",
                   "Беседа назначена", "--json")).json()
    assert [o["late"] for o in april["fulfilled"] if o["rule"] == "pk.monthly"] == [False]
    assert _monthly(april) == [("Беседа с семьёй", "2026-05-29")]  # May's: Friday 29.05
    may = ok(run("report", "1", str(talk), "--date", "01.06.2026", "--status", "частично", "--text",
                 "Беседа проведена, нужна вторая", "--json")).json()
    assert [o["late_working_days"] for o in may["fulfilled"] if o["rule"] == "pk.monthly"] == [1]  # Mon 01.06
    assert _monthly(may) == [("Беседа с семьёй", "2026-06-29")]
    done = ok(run("report", "1", str(talk), "--date", "22.06.2026", "--status", "выполнено", "--done-on",
                  "19.06.2026", "--text", "Вторая беседа проведена", "--json")).json()
    assert _monthly(done) == []  # July's opened by the report and cancelled by the measure done: no more months
    assert [o["cancel_reason"] for o in done["cancelled"] if o["rule"] == "pk.monthly"] == [
        "не требуется: мероприятие выполнено (отчёт)"]
    # the guardianship body never reported: April's term is overdue the morning after, and only its own
    digest = ok(run("deadlines", "--as-of", "30.04.2026 09:00", "--known-now", "--json")).json()
    assert [(o["rule"], o["title"].rsplit(": ", 1)[-1]) for o in digest["obligations"]
            if o["overdue"] and o["rule"].startswith("pk.")] == [("pk.monthly", "Посещение семьи")]
    # «дополнительно по запросу»: the request's own date, Saturday 16.05 → Monday 18.05 (ГК ст. 193)
    asked = ok(run("deadlines", "open", "pk.on-request", "--case", "1", "--date", "12.05.2026", "--due",
                   "16.05.2026", "--agency", "ПДН", "--reason", "запрос куратора", "--json")).json()
    assert [o["due"] for o in asked["obligations"]] == ["2026-05-18"]
    # February has no 30th: «до 30 числа» ends on its last day, Saturday 28.02.2026 → Monday 02.03.2026
    feb = ok(run("calendar", "due", "10.02.2026", "monthly:30", "--json")).json()
    assert feb["due"] == "2026-03-02"
