"""Issue 27 part 3: an alias cannot take a word from another agency.

An exact alias wins over every looser rule of the resolver, so «ПДН» given to a school once turned
`deadlines --who "Орган внутренних дел (ПДН)"` empty, put the police's terms into the school's
reminder letter and recorded the school for `emergency --agency полиция`. Such an alias is now
refused; one an older registry holds is marked by `agency alias list` and told once by `init`.
SQLite and PostgreSQL, through the CLI.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.commands.test_refusals import snapshot
from tests.conftest import PDN, ok, refused

SCHOOL = "МБОУ СОШ № 5"
CHILD = "Сидоров Пётр Ильич, 10.02.2010"
AS_OF = ("--as-of", "01.05.2025")


@pytest.fixture
def school(sopr):
    """The mari-el registry with a school of its own in the directory (kind «иной», as `agency add` leaves it)."""
    ok(sopr("agency", "add", SCHOOL))
    return sopr


@pytest.mark.parametrize(("alias", "taken"), [
    ("ПДН", PDN), ("пдн", PDN), ("полиция", PDN), ("police", PDN), ("ОВД", PDN), ("Внутренних дел", PDN),
    ("школа", "Орган управления образованием"), ("больница", "Орган управления здравоохранением"),
    ("Орган", "Орган опеки и попечительства"), ("комиссия", "КДН и ЗП"), ("УИИ", "Уголовно-исполнительная инспекция"),
])
def test_an_alias_that_names_another_agency_is_refused_naming_it(school, reg_env, alias, taken):
    before = snapshot(reg_env["SOPCLI_DB"])
    r = refused(school("agency", "alias", "add", alias, "--to", SCHOOL), f"Сокращение «{alias}» уже называет «{taken}»",
                f"для «{SCHOOL}»")
    assert "Traceback" not in r.err and r.out == ""
    assert snapshot(reg_env["SOPCLI_DB"]) == before


@pytest.mark.parametrize("alias", ["1", "5", "а", "№ 5", "5а"])
def test_a_number_or_a_single_letter_is_refused(school, alias):
    refused(school("agency", "alias", "add", alias, "--to", SCHOOL), "слишком короткое")


def test_another_alias_and_a_kind_word_without_an_agency_are_refused(school):
    ok(school("agency", "alias", "add", "Инспекция ПДН", "--to", "полиция"))
    refused(school("agency", "alias", "add", "инспекция пдн", "--to", SCHOOL), "уже есть")
    ok(school("agency", "alias", "add", "Пятая школа", "--to", SCHOOL))  # the school's own words, no agency's
    # a kind's word with no other agency of that kind: still the kind's («иной» is the word of `other`)
    refused(school("agency", "alias", "add", "иной", "--to", "полиция"), "слово вида органа «иной»")


def test_the_agencys_own_words_are_fine(school):
    for alias, to in (("ПДН", "полиция"), ("СОШ № 5", SCHOOL), ("полиция района", "полиция")):
        added = ok(school("agency", "alias", "add", alias, "--to", to, "--json")).json()
        assert added["agency"] == (PDN if to == "полиция" else SCHOOL)
    listed = ok(school("agency", "alias", "list", "--json")).json()["aliases"]
    assert all(a["problem"] is None for a in listed) and len(listed) == 3
    assert "ВНИМАНИЕ" not in ok(school("agency", "alias", "list")).out


def _police_terms(sopr) -> None:
    """Case № 1 with a measure for the police, its terms open by 01.05.2025."""
    ok(sopr("signal", "add", "--no-threat", "--received", "03.03.2025 10:00", "--source", "ПДН", "--child", CHILD,
            "--problem", "Безнадзорность"))
    ok(sopr("check", "1", "--concluded", "05.03.2025", "--level", "high", "--outcome", "sop"))
    ok(sopr("recognize", "1", "--date", "12.03.2025", "--resolution", "9", "--curator", "Петрова Анна Викторовна"))
    ok(sopr("plan", "add", "1", "--measure", "Беседа", "--executor", "ПДН", "--due", "15.04.2025"))
    ok(sopr("plan", "approve", "1", "--date", "24.03.2025", "--resolution", "12"))


def test_after_a_refused_takeover_every_police_word_still_finds_the_police(school, tmp_path: Path):
    _police_terms(school)
    for alias in ("ПДН", "полиция", "1"):
        refused(school("agency", "alias", "add", alias, "--to", SCHOOL))
    digest = ok(school("deadlines", *AS_OF, "--known-now", "--within", "400", "--json", "--who", PDN)).json()
    assert digest["obligations"] and PDN in {o["who"] for o in digest["obligations"]}
    letter = tmp_path / "letter.docx"
    r = ok(school("remind", "--who", "ПДН", *AS_OF, "--known-now", "--within", "400", "-o", str(letter)))
    assert r.out.startswith(f"Напоминание: {PDN}")
    em = ok(school("emergency", "--signal", "1", "--kind", "removal", "--at", "27.03.2025 18:00",
                   "--agency", "полиция"))
    assert PDN in em.out and SCHOOL not in em.out
    assert f"({PDN})" in ok(school("case", "show", "1")).out


def _old_alias(db: str, alias: str, agency: str) -> None:
    """An alias as an older registry let it in: written by SQL, past the refusal."""
    from sopcli.vocab import fold

    url = db if "://" in db else f"sqlite:///{db}"
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            agency_id = conn.execute(text("SELECT id FROM agency WHERE name = :n"), {"n": agency}).scalar_one()
            conn.execute(text("INSERT INTO agency_alias (agency_id, alias, alias_key, commission) "
                              "VALUES (:a, :alias, :key, 'main')"),
                         {"a": agency_id, "alias": alias, "key": fold(alias)})
    finally:
        engine.dispose()


def test_an_old_takeover_is_marked_by_the_list_and_told_once_by_init(school, reg_env):
    _old_alias(reg_env["SOPCLI_DB"], "ПДН", SCHOOL)
    _old_alias(reg_env["SOPCLI_DB"], "1", PDN)
    ok(school("agency", "alias", "add", "Пятая школа", "--to", SCHOOL))
    rows = {a["alias"]: a for a in ok(school("agency", "alias", "list", "--json")).json()["aliases"]}
    assert rows["Пятая школа"]["problem"] is None
    assert rows["ПДН"]["agency"] == SCHOOL and f"уже называет «{PDN}»" in rows["ПДН"]["problem"]
    assert rows["1"]["problem"].startswith("слишком короткое")
    shown = ok(school("agency", "alias", "list")).out.splitlines()
    assert [line for line in shown if "ВНИМАНИЕ" in line and line.startswith("ПДН")] == [
        f"ПДН: {SCHOOL} — ВНИМАНИЕ: сокращение уже называет «{PDN}» (общее название его вида); удалите: "
        "sopcli agency alias remove \"ПДН\""]
    first = ok(school("init", "--new"))
    told = [line for line in first.out.splitlines() if "отнимают слово" in line]
    assert told == ["Сокращения отнимают слово у другого органа (теперь такие не принимаются): "
                    f"«1» ({PDN}); «ПДН» ({SCHOOL}) — проверьте: sopcli agency alias list"]
    assert "отнимают слово" not in ok(school("init", "--new")).out
    assert ok(school("init", "--new", "--json")).json()["aliases_taking_words"] == []
    ok(school("agency", "alias", "remove", "ПДН"))
    ok(school("agency", "alias", "remove", "1"))
    assert [a["problem"] for a in ok(school("agency", "alias", "list", "--json")).json()["aliases"]] == [None]
