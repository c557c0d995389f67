"""Reconciliation matching as a pure function: the order of trust and the ambiguous cases."""

from __future__ import annotations

from datetime import date

from sopcli.services.files_in.reconcile_list import Person, how_names_match, match, norm, same_address

TWINS_BORN = date(2012, 5, 5)


def person(name: str, born: date | None = TWINS_BORN, address: str = "", row: int = 0) -> Person:
    return Person(name, born, address, row=row, case=row, tokens=tuple(norm(name).split()))


def test_a_stronger_pair_is_never_taken_by_a_weaker_one():
    ours = [person("Иванов Иван Игоревич", row=1), person("Иванов Илья Игоревич", row=2)]
    theirs = [person("Иванов И. И.", row=10), person("Иванов Иван Игоревич", row=11)]
    res = match(theirs, ours)
    pairs = {m["agency"]["row"]: (m["registry"]["row"], m["how"]) for m in res.matched}
    assert pairs == {11: (1, "exact"), 10: (2, "initials")}  # the only one left fits the initials


def test_ambiguous_initials_are_left_for_a_person():
    ours = [person("Иванов Иван Игоревич", row=1), person("Иванов Илья Игоревич", row=2)]
    res = match([person("Иванов И. И.", row=10)], ours)
    assert res.matched == [] and [p["row"] for p in res.only_agency] == [10]
    assert sorted(p["row"] for p in res.only_registry) == [1, 2]


def test_how_names_match():
    ours = person("Сёмина Алёна Игоревна")
    assert how_names_match(person("Семина Алена Игоревна"), ours) == "ё/е"
    assert how_names_match(person("СЁМИНА АЛЁНА ИГОРЕВНА"), ours) == "exact"
    assert how_names_match(person("Алёна Игоревна Сёмина"), ours) == "swapped"
    assert how_names_match(person("Сёмина А.И."), ours) == "initials"
    assert how_names_match(person("Сёмина Алёна Игорвна"), ours) == "typo"
    assert how_names_match(person("Сёмина Алёна Игорвна Ивановна"), ours) is None
    assert how_names_match(person("Сомина Алина Игоревна"), ours) is None  # two words wrong: not a typo


def test_same_person_other_birth_date_is_a_difference():
    res = match([person("Орлов Иван Петрович", date(2012, 1, 2))], [person("Орлов Иван Петрович", date(2012, 1, 1))])
    assert [f["field"] for m in res.mismatched for f in m["fields"]] == ["birth_date"]


def test_addresses():
    assert same_address("г. Йошкар-Ола, ул. Мира, д. 1", "Мира 1")
    assert same_address("ул. Мира, 1", "улица Мира, дом 1")
    assert not same_address("ул. Кирова, 13", "ул. Кирова, 15")


def test_a_missing_patronymic_is_paired_with_the_same_birth_date():
    """«Белова Ольга» is «Белова Ольга Николаевна» born the same day (issue 32 §4); intake reads it the same way."""
    ours = person("Белова Ольга Николаевна", row=1)
    assert how_names_match(person("Белова Ольга"), ours) == "patronymic"
    assert how_names_match(ours, person("Белова Ольга")) == "patronymic"  # either side may lack it
    assert how_names_match(person("Белова Ольга Ивановна"), ours) is None  # another patronymic: another person
    assert how_names_match(person("Белова Анна"), ours) is None
    res = match([person("Белова Ольга", row=10)], [ours, person("Белова Ольга Николаевна", date(2013, 1, 1), row=2)])
    assert [(m["agency"]["row"], m["registry"]["row"], m["how"]) for m in res.matched] == [(10, 1, "patronymic")]
