"""No false overdue (issue 29 §1, first part): a term whose reason is gone is cancelled with that reason, an
emergency's duties do not open twice, a step repeated on one day opens nothing new, a measure typed twice is
refused. Each through the CLI on both engines; a false overdue teaches the secretary to ignore the digest.
"""

from __future__ import annotations

from tests.conftest import PDN, ok, refused

CHILD = "Орлов Иван Петрович, 01.01.2012"
ADD = ["signal", "add", "--problem", "пропуски", "--channel", "письменно", "--no-threat", "--child", CHILD]


def _digest(sopr, at: str) -> list[tuple[str, bool]]:
    doc = ok(sopr("deadlines", "--as-of", at, "--known-now", "--within", "30", "--json")).json()
    return [(o["rule"], o["overdue"]) for o in doc["obligations"]]


def test_a_check_that_finds_nothing_cancels_what_the_signal_kind_opened(sopr):
    doc = ok(sopr(*ADD, "--received", "02.11.2026 10:00", "--source", "ПДН", "--kind", "ведомственный учёт",
                  "--kind", "направление в КДН", "--json")).json()
    opened = {o["rule"]: o["who"] for o in doc["obligations"]}
    assert opened == {"fed.dept.register": PDN, "fed.sop.to.kdn": PDN, "me.check": "КДН и ЗП"}
    chk = ok(sopr("check", "1", "--concluded", "05.11.2026", "--level", "низкий", "--outcome", "не подтвердилось",
                  "--json")).json()
    assert {o["rule"]: o["cancel_reason"] for o in chk["cancelled"]} == {
        "fed.dept.register": "не требуется: проверка: сведения не подтвердились",
        "fed.sop.to.kdn": "не требуется: проверка: сведения не подтвердились"}
    assert _digest(sopr, "07.12.2026 09:00") == []  # before: both overdue for good
    stats = ok(sopr("deadlines", "stats", "--from", "01.11.2026", "--to", "30.11.2026", "--as-of",
                    "07.12.2026 09:00", "--known-now", "--json")).json()
    police = next(a for a in stats["agencies"] if a["who"] == PDN)
    assert (police["lapsed"], police["overdue"]) == (0, 0)  # cancelled before their terms ran out (3 and 10 days)


def test_a_critical_check_does_not_open_again_the_emergency_duties_already_done(sopr):
    ok(sopr(*ADD, "--received", "02.11.2026 10:00", "--source", "ПДН"))
    em = ok(sopr("emergency", "--kind", "guard-info", "--signal", "1", "--at", "02.11.2026 12:00", "--agency",
                 "опека", "--json")).json()
    for o in em["obligations"]:
        ok(sopr("deadlines", "done", str(o["id"]), "--date", "02.11.2026 15:00"))
    chk = ok(sopr("check", "1", "--concluded", "04.11.2026", "--level", "критический", "--outcome", "СОП",
                  "--json")).json()
    assert not {"me.guard.visit", "me.guard.kdn"} & {o["rule"] for o in chk["obligations"]}
    assert not any(rule.startswith("me.guard") for rule, _late in _digest(sopr, "20.11.2026 09:00"))
    letter = ok(sopr("remind", "--who", "опека", "--as-of", "20.11.2026 09:00", "--known-now", "--json")).json()
    assert letter["letters"][0]["overdue"] == []


def test_a_control_twice_on_one_day_and_a_measure_typed_twice_are_refused(sopr):
    ok(sopr(*ADD, "--received", "02.11.2026 10:00", "--source", "ПДН"))
    ok(sopr("check", "1", "--concluded", "03.11.2026", "--level", "высокий", "--outcome", "СОП"))
    ok(sopr("recognize", "1", "--date", "05.11.2026", "--resolution", "7-п", "--curator", "Петрова А.В."))
    measure = ["plan", "add", "1", "--measure", "Беседа с семьёй", "--executor", "ПДН", "--due", "20.11.2026"]
    ok(sopr(*measure))
    refused(sopr(*measure), "уже есть в проекте программы: № 1")
    ok(sopr(*measure[:-1], "27.11.2026"))  # the same talk a week later is another measure
    approved = ok(sopr("plan", "approve", "1", "--date", "10.11.2026", "--resolution", "8-п", "--json")).json()
    assert sum(o["rule"] == "plan.measure" for o in approved["obligations"]) == 2
    ok(sopr("control", "1", "--date", "01.12.2026", "--decision", "продолжить"))
    refused(sopr("control", "1", "--date", "01.12.2026", "--decision", "продолжить"), "уже записан")
    case = ok(sopr("case", "show", "1", "--json")).json()
    controls = [o for o in case["obligations"] if o["rule"] == "me.control.6m"]
    assert [(o["status"], o["due"]) for o in controls] == [("fulfilled", "2027-05-05"), ("open", "2027-06-01")]


def test_proposals_received_are_the_commissions_request_done_and_only_their_authors_resources(sopr):
    """001 App. 1: the commission asks for proposals (fed.proposals) and each body tells it its resources
    (fed.resources); App. 5 received from a body is both — for that body only."""
    ok(sopr(*ADD, "--received", "02.11.2026 10:00", "--source", "ПДН"))
    chk = ok(sopr("check", "1", "--concluded", "03.11.2026", "--level", "высокий", "--outcome", "СОП",
                  "--json")).json()
    assert {o["rule"]: o["who"] for o in chk["obligations"]} == {
        "fed.sop.to.kdn": PDN, "fed.resources": PDN, "fed.proposals": "КДН и ЗП"}
    ok(sopr("recognize", "1", "--date", "05.11.2026", "--resolution", "7-п", "--curator", "Петрова А.В."))
    guard = ok(sopr("plan", "propose", "1", "--agency", "опека", "--date", "06.11.2026", "--measure",
                    "Обследование условий; ноябрь", "--json")).json()
    assert [(o["rule"], o["late"]) for o in guard["fulfilled"]] == [("fed.proposals", False)]
    police = ok(sopr("plan", "propose", "1", "--agency", "ПДН", "--date", "07.11.2026", "--measure",
                     "Беседа; ноябрь", "--json")).json()
    assert [(o["rule"], o["who"], o["late"]) for o in police["fulfilled"]] == [("fed.resources", PDN, True)]
    assert ("fed.proposals", True) not in _digest(sopr, "20.11.2026 09:00")


def test_a_consent_given_after_the_programme_was_approved_is_late(sopr):
    """004 §4.7: the consent comes when individual work is organised, before the programme. Its term used to stay
    at the programme's own due date, so a consent two days after the approval was «в срок»."""
    ok(sopr(*ADD, "--received", "02.11.2026 10:00", "--source", "ПДН"))
    ok(sopr("check", "1", "--concluded", "03.11.2026", "--level", "высокий", "--outcome", "СОП"))
    ok(sopr("recognize", "1", "--date", "05.11.2026", "--resolution", "7-п", "--curator", "Петрова А.В."))
    ok(sopr("plan", "add", "1", "--measure", "Беседа с семьёй", "--executor", "ПДН", "--due", "20.11.2026"))
    approved = ok(sopr("plan", "approve", "1", "--date", "10.11.2026", "--resolution", "8-п", "--json")).json()
    assert any("Согласие" in w for w in approved["warnings"])
    assert ("me.consent", False) in _digest(sopr, "10.11.2026 18:00")  # due the approval day: not yet overdue
    assert ("me.consent", True) in _digest(sopr, "11.11.2026 09:00")  # before: «в срок» until 04.12
    done = ok(sopr("consent", "1", "--given", "--on", "12.11.2026", "--by", "Орлова М. И.", "--json")).json()
    consent = next(o for o in done["fulfilled"] if o["rule"] == "me.consent")
    assert (consent["due"], consent["late_working_days"]) == ("2026-11-10", 2)
    why = ok(sopr("deadlines", "explain", str(consent["id"]))).out
    assert "программа утверждена" in why and "10.11.2026" in why


def test_a_consent_given_before_the_approval_keeps_its_term(sopr):
    ok(sopr(*ADD, "--received", "02.11.2026 10:00", "--source", "ПДН"))
    ok(sopr("check", "1", "--concluded", "03.11.2026", "--level", "высокий", "--outcome", "СОП"))
    ok(sopr("recognize", "1", "--date", "05.11.2026", "--resolution", "7-п", "--curator", "Петрова А.В."))
    done = ok(sopr("consent", "1", "--given", "--on", "09.11.2026", "--by", "Орлова М. И.", "--json")).json()
    consent = next(o for o in done["fulfilled"] if o["rule"] == "me.consent")
    assert consent["late_working_days"] == 0 and consent["due"] != "2026-11-10"
    ok(sopr("plan", "add", "1", "--measure", "Беседа с семьёй", "--executor", "ПДН", "--due", "20.11.2026"))
    approved = ok(sopr("plan", "approve", "1", "--date", "10.11.2026", "--resolution", "8-п", "--json")).json()
    assert not any("Согласие" in w for w in approved["warnings"])
