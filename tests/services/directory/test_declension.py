"""Names in the case the sentence needs; a name the dictionary is unsure of stays as written."""

from __future__ import annotations

import pytest

from sopcli.services.directory.declension import gender, inflect


@pytest.mark.parametrize(("name", "case", "expected"), [
    ("Петров Пётр Петрович", "gent", "Петрова Петра Петровича"),
    ("Петров Пётр Петрович", "datv", "Петрову Петру Петровичу"),
    ("Петров Пётр Петрович", "ablt", "Петровым Петром Петровичем"),
    ("Петров Пётр Петрович", "accs", "Петрова Петра Петровича"),
    ("Иванова Елена Викторовна", "gent", "Ивановой Елены Викторовны"),
    ("Иванова Елена Викторовна", "datv", "Ивановой Елене Викторовне"),
    ("Иванова Елена Викторовна", "ablt", "Ивановой Еленой Викторовной"),
    ("Иванова Елена Викторовна", "accs", "Иванову Елену Викторовну"),
    ("Иванова Елена Викторовна", "loct", "Ивановой Елене Викторовне"),
    ("Иванова Елена Викторовна", "дательный", "Ивановой Елене Викторовне"),
])
def test_mens_and_womens_forms(name, case, expected):
    assert inflect(name, case) == expected


@pytest.mark.parametrize(("name", "case", "expected"), [
    ("Петрова-Водкина Анна Сергеевна", "gent", "Петровой-Водкиной Анны Сергеевны"),
    ("Петрова-Водкина Анна Сергеевна", "ablt", "Петровой-Водкиной Анной Сергеевной"),
    ("Римский-Корсаков Николай Андреевич", "datv", "Римскому-Корсакову Николаю Андреевичу"),
    ("Иванова-Шевченко Ольга Ивановна", "datv", "Ивановой-Шевченко Ольге Ивановне"),
])
def test_hyphenated_surnames_decline_part_by_part(name, case, expected):
    assert inflect(name, case) == expected


@pytest.mark.parametrize(("name", "case", "expected"), [
    ("Ким Анна Сергеевна", "gent", "Ким Анны Сергеевны"),
    ("Гарсия Мария Хосеевна", "datv", "Гарсия Марии Хосеевне"),
    ("Шевченко Ольга Ивановна", "gent", "Шевченко Ольги Ивановны"),
    ("Шевченко Тарас Григорьевич", "datv", "Шевченко Тарасу Григорьевичу"),
    ("Петренко Анна Ивановна", "ablt", "Петренко Анной Ивановной"),
    ("Ковальчук Анна Ивановна", "gent", "Ковальчук Анны Ивановны"),
    ("Ковальчук Иван Иванович", "gent", "Ковальчука Ивана Ивановича"),  # a man's surname in a consonant declines
    ("Черных Анна Петровна", "datv", "Черных Анне Петровне"),
    ("Зайцева Айгуль Рашидовна", "gent", "Зайцевой Айгуль Рашидовны"),  # the first name does not decline
])
def test_indeclinable_parts_are_left_alone(name, case, expected):
    assert inflect(name, case) == expected


@pytest.mark.parametrize("name", [
    "Дюма Александр",  # no patronymic: the gender is unknown
    "Петров Пётр",
    "John Smith",
    "Джон Смит",
    "Иванова Е. В.",  # initials
    "Алиев Руслан Ахмед оглы",
    "Лев Николаевич Толстой",  # not surname–name–patronymic
    "Седых Иван Петрович",  # a surname the dictionary does not know
    "Смитсон Анна Петровна",  # a guess that cannot tell whether it declines
    "",
])
def test_a_name_the_dictionary_is_unsure_of_is_kept_as_written(name):
    for case in ("gent", "datv", "accs", "ablt", "loct"):
        assert inflect(name, case) == name


def test_spelling_is_kept_as_written():
    assert inflect("Федорова Алена Петровна", "gent") == "Федоровой Алены Петровны"  # no ё added
    assert inflect("Сидорова Алёна Петровна", "datv") == "Сидоровой Алёне Петровне"  # ё kept
    assert inflect("ПЕТРОВ ИВАН ПЕТРОВИЧ", "datv") == "ПЕТРОВУ ИВАНУ ПЕТРОВИЧУ"
    assert inflect("  Петров   Пётр Петрович ", "gent") == "Петрова Петра Петровича"


def test_gender_comes_from_the_patronymic():
    assert gender("Ковальчук Саша Ивановна") == "femn"
    assert gender("Ковальчук Саша Иванович") == "masc"
    assert gender("Ковальчук Саша") is None
    assert inflect("Ковальчук Саша Ивановна", "datv") == "Ковальчук Саше Ивановне"


def test_an_unknown_case_is_a_programming_error():
    with pytest.raises(ValueError):
        inflect("Петров Пётр Петрович", "vocative")
