"""Agencies as people call them (issue 13): every option naming an agency reads one resolver.

"ПДН", "полиция", the code `agency list` prints and the commission's own alias all name
"Орган внутренних дел (ПДН)"; an ambiguous word is refused with its candidates, an unknown one
with at most a hint — never corrected, and never an empty digest. SQLite and PostgreSQL.
"""

from __future__ import annotations

import pytest

from tests.commands.test_refusals import snapshot
from tests.conftest import PDN, ok, refused
from tests.services.files_in.test_complexes import imported  # noqa: F401 — the fixture

UII = "Уголовно-исполнительная инспекция"
CHILD = "Сидоров Пётр Ильич, 10.02.2010"



@pytest.fixture
def case(sopr):
    """A recognised case (№ 1), its programme to be drawn up."""
    ok(sopr("signal", "add", "--no-threat", "--received", "03.03.2025 10:00", "--source", "ПДН", "--child", CHILD,
            "--parent", "Сидорова Алёна Петровна", "--problem", "Безнадзорность"))
    ok(sopr("check", "1", "--concluded", "05.03.2025", "--level", "high", "--outcome", "sop"))
    ok(sopr("recognize", "1", "--date", "12.03.2025", "--resolution", "9", "--curator", "Петрова Анна Викторовна"))
    return sopr


def executor(sopr, typed: str) -> dict:
    # a talk per word typed: the same measure twice in one draft is refused (issue 29)
    return ok(sopr("plan", "add", "1", "--measure", f"Беседа ({typed})", "--executor", typed, "--due", "15.04.2025",
                   "--json")).json()


@pytest.mark.parametrize("typed", ["ПДН", "пдн", "полиция", "police", "ОВД", "Орган внутренних дел (пдн)"])
def test_the_police_by_any_of_its_names_is_stored_by_its_directory_name(case, typed):
    assert executor(case, typed)["executor"] == PDN
    shown = ok(case("plan", "add", "1", "--measure", "Ещё беседа", "--executor", typed, "--due", "16.04.2025"))
    assert PDN in shown.out


def test_the_code_agency_list_prints_is_understood(case):
    listed = ok(case("agency", "list")).out
    assert "(education)" in listed
    assert executor(case, "education")["executor"] == "Орган управления образованием"
    assert executor(case, "школа")["executor"] == "Орган управления образованием"


def test_police_is_never_corrected_to_the_probation_inspection(case):
    assert executor(case, "полиция")["executor"] == PDN
    assert executor(case, "инспекция")["executor"] == UII
    assert executor(case, "УИИ")["executor"] == UII


def test_a_typo_is_refused_with_a_hint_and_nothing_written(case, reg_env):
    before = snapshot(reg_env["SOPCLI_DB"])
    r = refused(case("plan", "add", "1", "--measure", "Беседа", "--executor", "полицыя", "--due", "15.04.2025"),
                "«полицыя»", "нет в справочнике", "Возможно: полиция (Орган внутренних дел (ПДН))")
    assert "Traceback" not in r.err
    refused(case("plan", "add", "1", "--measure", "Беседа", "--executor", "Минобороны", "--due", "15.04.2025"),
            "«Минобороны»", "sopcli agency list")
    assert snapshot(reg_env["SOPCLI_DB"]) == before


def test_an_ambiguous_word_is_refused_listing_the_candidates(case, reg_env):
    ok(case("agency", "add", "ОМВД по Кировскому району (ПДН)", "--kind", "police"))
    before = snapshot(reg_env["SOPCLI_DB"])
    refused(case("plan", "add", "1", "--measure", "Беседа", "--executor", "ПДН", "--due", "15.04.2025"),
            "нескольким органам", PDN, "ОМВД по Кировскому району (ПДН)")
    refused(case("plan", "propose", "1", "--agency", "полиция", "--date", "14.03.2025"), PDN, "Кировскому")
    assert snapshot(reg_env["SOPCLI_DB"]) == before
    # the full name still picks one
    assert executor(case, "омвд по кировскому району (пдн)")["executor"] == "ОМВД по Кировскому району (ПДН)"


def test_an_alias_added_is_understood_everywhere_and_audited(case):
    added = ok(case("agency", "alias", "add", "Инспекция ПДН", "--to", "полиция", "--json")).json()
    assert added["agency"] == PDN
    assert executor(case, "инспекция пдн")["executor"] == PDN  # the alias wins over the looser rules
    rows = ok(case("agency", "alias", "list", "--json")).json()["aliases"]
    assert [(a["alias"], a["agency"]) for a in rows] == [("Инспекция ПДН", PDN)]
    assert "также: Инспекция ПДН" in ok(case("agency", "list")).out
    trail = ok(case("audit", "list", "--entity", "agency_alias", "--json")).json()["entries"]
    assert len(trail) == 1
    ok(case("agency", "alias", "remove", "ИНСПЕКЦИЯ пдн"))
    assert ok(case("agency", "alias", "list", "--json")).json()["aliases"] == []
    assert len(ok(case("audit", "list", "--entity", "agency_alias", "--json")).json()["entries"]) == 2


def test_an_alias_that_would_collide_is_refused(case, reg_env):
    ok(case("agency", "alias", "add", "Соцзащита района", "--to", "соцзащита"))
    before = snapshot(reg_env["SOPCLI_DB"])
    refused(case("agency", "alias", "add", "соцзащита РАЙОНА", "--to", "полиция"), "уже есть", "социальной защиты")
    refused(case("agency", "alias", "add", "прокуратура", "--to", "полиция"), "уже название органа")
    refused(case("agency", "alias", "add", "Моя полиция", "--to", "полицыя"), "нет в справочнике")
    refused(case("agency", "alias", "remove", "нет такого"), "нет")
    refused(case("agency", "add", "Соцзащита района"), "сокращение")
    assert snapshot(reg_env["SOPCLI_DB"]) == before
    assert len(ok(case("agency", "alias", "list", "--json")).json()["aliases"]) == 1


def test_other_agency_options_resolve_and_name_the_agency(case):
    proposal = ok(case("plan", "propose", "1", "--agency", "пдн", "--date", "14.03.2025",
                       "--situation", "Мать не работает", "--json")).json()
    assert proposal["agency"] == PDN
    moved = ok(case("transfer", "out", "1", "--learned", "01.04.2025", "--to", "г. Казань", "--by", "школа"))
    assert "Выявивший орган: Орган управления образованием" in moved.out


def test_recognize_members_are_resolved_and_named(sopr):
    ok(sopr("signal", "add", "--no-threat", "--received", "03.03.2025 10:00", "--source", "ПДН", "--child", CHILD,
            "--problem", "Безнадзорность"))
    ok(sopr("check", "1", "--concluded", "05.03.2025", "--level", "high", "--outcome", "sop"))
    refused(sopr("recognize", "1", "--date", "12.03.2025", "--resolution", "9", "--curator",
                 "Петрова Анна Викторовна", "--member", "опкеа"), "«опкеа»")
    r = ok(sopr("recognize", "1", "--date", "12.03.2025", "--resolution", "9", "--curator",
                "Петрова Анна Викторовна", "--member", "опека", "--member", "ФСИН"))
    assert f"Участники: Орган опеки и попечительства; {UII}" in r.out


def whos(sopr, *args: str):
    return sopr("deadlines", "--as-of", "01.05.2025", "--known-now", "--within", "400", "--json", *args)


def test_who_gives_one_digest_for_every_name_of_the_agency(case):
    executor(case, PDN)
    ok(case("plan", "add", "1", "--measure", "Пособие", "--executor", "соцзащита", "--due", "15.04.2025"))
    ok(case("plan", "approve", "1", "--date", "24.03.2025", "--resolution", "12"))  # the measures' terms open
    digests = [ok(whos(case, "--who", w)).json()["obligations"] for w in ("ПДН", "полиция", "police", "пдн")]
    assert digests[0] and all(d == digests[0] for d in digests)
    assert {o["who"] for o in digests[0]} >= {PDN}
    assert all(o["who"] in (PDN, "полиция", "ПДН") for o in digests[0])
    social = ok(whos(case, "--who", "соцзащита")).json()["obligations"]
    assert "Орган социальной защиты населения" in {o["who"] for o in social}
    assert PDN not in {o["who"] for o in social}


def test_who_with_a_typo_is_refused_not_an_empty_digest(case):
    executor(case, PDN)
    refused(whos(case, "--who", "полицыя"), "«полицыя»", "Возможно")
    refused(case("deadlines", "--who", "xyz"), "«xyz»")
    # a role that is no agency is still found among who must act
    curator = ok(whos(case, "--who", "куратор")).json()["obligations"]
    # the case's curator, named (issue 28)
    assert curator and {o["who"] for o in curator} == {"куратор: Петрова А. В."}
    assert {o["owner_kind"] for o in curator} == {"curator"}


def test_completion_offers_names_and_aliases(case, reg_env):
    """The shell's Tab: the callback reads the directory through plain DB-API, never raising."""
    import os
    import subprocess
    import sys

    ok(case("agency", "alias", "add", "ОПДН", "--to", "ПДН"))
    code = ("from sopcli.services.directory.agencies import complete_agency as c; import json; "
            "print(json.dumps([c('ор'), c('опдн'), c('внутренних')], ensure_ascii=False))")
    env = {**os.environ, **reg_env}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    import json

    starting, alias, inside = json.loads(out)
    assert starting[:2] == ["Орган опеки и попечительства", "Орган социальной защиты населения"]
    assert alias == ["ОПДН"] and inside == [PDN]
    env["SOPCLI_DB"] = "/nonexistent/dir/r.db"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == [[], [], []]


def test_a_complex_measures_executor_by_a_word_of_its_name(imported):  # noqa: F811 — the 002 complex
    """`measures report --executor`: the complex spells its executors; "УМВД" names one, "России" two."""
    sopr, _doc, _src = imported
    refused(sopr("measures", "report", "9", "--executor", "России", "--date", "01.10.2020"),
            "нескольким исполнителям", "УМВД России по Смоленской области", "СУ СК России")
    done = ok(sopr("measures", "report", "9", "--executor", "умвд", "--date", "01.10.2020", "--json")).json()
    assert done["obligation"]["who"] == "УМВД России по Смоленской области"
