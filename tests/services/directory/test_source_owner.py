"""A signal's source and every term's owner through the one resolver (issue 28 §1, §2), as a user meets it.

At a terminal an unknown source is offered to be added (its kind asked) and an ambiguous one to be picked;
in a script both are refused with exit 2 and nothing written. A citizen's or an anonymous signal owes no
agency anything. A role the step cannot bind is said at the step, listed and bound by hand.
"""

from __future__ import annotations

import pytest

from tests.conftest import PDN, ok, refused
from tests.services.directory.test_people import _talk

CHILD = "Орлов Иван Петрович, 01.01.2012"
ADD = ["signal", "add", "--received", "10.11.2026 09:00", "--problem", "пропуски", "--channel", "письменно",
       "--no-threat", "--kind", "признаки СОП", "--child", CHILD]
SCHOOL = "МБОУ СОШ № 7"


def _signals(sopr) -> list[dict]:
    return ok(sopr("signal", "list", "--json")).json()["signals"]


def test_an_unknown_or_ambiguous_source_in_a_script_is_refused_and_nothing_is_written(sopr):
    refused(sopr(*ADD, "--source", "опкеа"), "нет в справочнике", "Возможно: опека", "sopcli agency add")
    ok(sopr("agency", "add", SCHOOL, "--kind", "образование"))
    refused(sopr(*ADD, "--source", "школа"), "подходит нескольким органам", SCHOOL, "Орган управления образованием")
    assert _signals(sopr) == []


def test_at_a_terminal_an_unknown_source_is_added_with_its_kind_and_an_ambiguous_one_picked(sopr, reg_env, db_url):
    if "://" in db_url:
        pytest.skip("the terminal is the same on both engines: SQLite suffices")
    code, seen = _talk(reg_env, [*ADD, "--source", "Школа-интернат № 3"], [
        ("Органа «Школа-интернат № 3» нет в справочнике. Добавить", "да"), ("Вид органа", "образование")])
    assert code == 0, seen
    agencies = {a["name"]: a["kind"] for a in ok(sopr("agency", "list", "--json")).json()["agencies"]}
    assert agencies["Школа-интернат № 3"] == "education"
    assert _signals(sopr)[0]["source_kind"] == "agency"

    code, seen = _talk(reg_env, [*ADD[:3], "11.11.2026 09:00", *ADD[4:], "--source", "школа"], [
        ("Номер органа", "2")])
    assert code == 0, seen
    assert "Подходят органы: 1 — Орган управления образованием; 2 — Школа-интернат № 3" in seen
    assert _signals(sopr)[1]["source"] == "Школа-интернат № 3"

    code, seen = _talk(reg_env, [*ADD[:3], "12.11.2026 09:00", *ADD[4:], "--source", "лицей"], [
        ("Органа «лицей» нет в справочнике. Добавить", "нет")])
    assert code == 2 and "нет в справочнике" in seen
    assert len(_signals(sopr)) == 2


def test_a_citizen_or_an_anonymous_caller_owes_nothing_and_the_agency_counts_from_its_detection(sopr):
    for n, source in enumerate(("гражданка Кузнецова Н. П.", "анонимно", "не назвался"), 1):
        doc = ok(sopr(*ADD[:3], f"0{n}.11.2026 09:00", *ADD[4:], "--source", source, "--json")).json()
        assert [o["rule"] for o in doc["obligations"]] == ["me.check"] and doc["fulfilled"] == [], source
        assert doc["source"]["kind"] == ("citizen" if n == 1 else "anonymous")
    refused(sopr(*ADD, "--source", "ПДН", "--detected", "10.11.2026 10:00"), "позже поступления")
    doc = ok(sopr(*ADD, "--source", "ПДН", "--detected", "09.11.2026 08:00", "--json")).json()
    informed = {o["rule"]: (o["who"], o["late"]) for o in doc["fulfilled"]}
    assert informed == {"fed.inform.immediate": (PDN, True), "fed.sop.signs": (PDN, False)}  # 25 h; 3 days


def test_a_role_the_step_cannot_bind_is_said_listed_and_bound_by_hand(sopr):
    ok(sopr("agency", "add", "Отдел опеки Заречного района", "--kind", "опека"))
    ok(sopr(*ADD, "--source", "ПДН"))
    doc = ok(sopr("emergency", "--kind", "guard-info", "--signal", "1", "--at", "10.11.2026 12:00",
                  "--json")).json()
    assert {o["rule"]: o["who"] for o in doc["obligations"]} == {"me.guard.visit": "опека", "me.guard.kdn": "опека"}
    assert any("исполнитель не определён" in w and "agency bind" in w for w in doc["warnings"])
    shown = ok(sopr("emergency", "--kind", "guard-info", "--signal", "1", "--at", "10.11.2026 13:00"))
    assert "Внимание: Срок «Выезд по месту жительства" in shown.out
    left = ok(sopr("agency", "unbound", "--json")).json()["unbound"]
    assert [(x["text"], x["terms"], x["open"]) for x in left] == [("опека", 4, 4)]
    bound = ok(sopr("agency", "bind", "опека", "--to", "Заречного", "--json")).json()
    assert bound == {"text": "опека", "to": "Отдел опеки Заречного района", "obligations": 4, "signals": 0}
    letter = ok(sopr("remind", "--who", "Отдел опеки Заречного района", "--as-of", "12.11.2026 18:00",
                     "--known-now", "--json")).json()
    assert len(letter["letters"][0]["overdue"]) == 2  # the visits, immediate; the reports to КДН not yet due
    assert ok(sopr("agency", "unbound", "--json")).json()["unbound"] == []
    audit = ok(sopr("audit", "list", "--entity", "obligation", "--json")).json()
    assert any(e["action"] == "bind" for e in audit["entries"])


def test_a_curators_terms_go_to_the_letter_of_the_agency_they_work_for(sopr):
    ok(sopr(*ADD, "--source", "ПДН"))
    ok(sopr("check", "1", "--concluded", "11.11.2026", "--level", "высокий", "--outcome", "СОП"))
    doc = ok(sopr("recognize", "1", "--date", "12.11.2026", "--resolution", "5-п", "--curator",
                  "Петрова Анна Викторовна", "--curator-agency", "опека", "--json")).json()
    curator = "куратор: Петрова А. В. (Орган опеки и попечительства)"
    assert {o["rule"]: o["who"] for o in doc["obligations"] if o["rule"] in ("me.card", "me.consent")} == {
        "me.card": curator, "me.consent": curator}
    letter = ok(sopr("remind", "--who", "опека", "--as-of", "20.11.2026 09:00", "--known-now", "--json")).json()
    assert {o["rule"] for o in letter["letters"][0]["soon"]} == {"me.card", "me.consent", "me.program"}
    digest = ok(sopr("deadlines", "--who", "куратор", "--as-of", "20.11.2026 09:00", "--known-now", "--json"))
    assert {o["who"] for o in digest.json()["obligations"]} == {curator}
