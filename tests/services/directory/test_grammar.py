"""The grammar of the papers a secretary signs (issue 31 §4), one rule a test: plain functions, no terminal."""

from __future__ import annotations

import pytest

from sopcli.registry_settings import merge, municipality_genitive
from sopcli.services.directory.declension import (
    by_number,
    inflect,
    lower_first,
    official,
    proper_case,
    sentence,
    with_initials,
)
from sopcli.services.directory.declension import municipality_genitive as declined


@pytest.mark.parametrize(("name", "case", "expected"), [
    ("Кравец Олег Петрович", "gent", "Кравеца Олега Петровича"),  # not the noun's «Кравца»
    ("Кравец Олег Петрович", "datv", "Кравецу Олегу Петровичу"),
    ("Кравец Олег Петрович", "ablt", "Кравецем Олегом Петровичем"),
    ("Швец Иван Петрович", "gent", "Швеца Ивана Петровича"),
    ("Кравец-Швец Олег Петрович", "gent", "Кравеца-Швеца Олега Петровича"),  # each part of a hyphenated one
    ("Кравец Светлана Олеговна", "gent", "Кравец Светланы Олеговны"),  # a woman's Кравец does not decline
    ("Черных Иван Олегович", "gent", "Черных Ивана Олеговича"),
    ("Шевченко Пётр Ильич", "datv", "Шевченко Петру Ильичу"),
])
def test_surnames_keep_their_letters(name, case, expected):
    assert inflect(name, case) == expected


@pytest.mark.parametrize(("name", "case", "expected"), [
    ("Иванова Е.В.", "accs", "Иванову Е. В."),  # «Назначить куратором случая Иванову Е. В.»
    ("Иванова Е.В.", "datv", "Ивановой Е. В."),
    ("Иванов Е.В.", "accs", "Иванова Е. В."),
    ("Иванов Е. В.", "ablt", "Ивановым Е. В."),
    ("Е.В. Сергеева", "gent", "Е. В. Сергеевой"),
    ("Петрова-Водкина А.Б.", "datv", "Петровой-Водкиной А. Б."),
    ("Зорина А.Б.", "accs", "Зорину А. Б."),
    ("Никольская А.Б.", "accs", "Никольскую А. Б."),
    ("Никольский А.Б.", "datv", "Никольскому А. Б."),
    ("Ковальчук А.А.", "datv", "Ковальчук А. А."),  # the ending does not tell a man from a woman: kept
    ("Черных Е.В.", "accs", "Черных Е. В."),
])
def test_officials_with_initials_are_declined_by_the_surnames_ending(name, case, expected):
    assert with_initials(name, case) == expected
    assert official(name, case) == expected


def test_a_full_name_goes_through_the_dictionary_and_anything_else_is_kept():
    assert official("Иванова Елена Викторовна", "accs") == "Иванову Елену Викторовну"
    assert official("Отдел опеки", "accs") == "Отдел опеки"
    assert with_initials("Иванова Елена Викторовна", "accs") is None
    with pytest.raises(ValueError):
        with_initials("Иванова Е.В.", "vocative")


@pytest.mark.parametrize(("typed", "genitive"), [
    ("городской округ «Город Йошкар-Ола»", "городского округа «Город Йошкар-Ола»"),  # the quoted name as it is
    ("Городской округ \"Город Йошкар-Ола\"", "Городского округа \"Город Йошкар-Ола\""),
    ("Медведевский муниципальный район", "Медведевского муниципального района"),
    ("муниципальное образование «Город Волжск»", "муниципального образования «Город Волжск»"),
    ("сельское поселение «Шойбулак»", "сельского поселения «Шойбулак»"),
    ("г. Йошкар-Ола", "г. Йошкар-Олы"),
    ("Республика Марий Эл", "Республики Марий Эл"),  # a region's shared registry
    ("Московская область", "Московской области"),
    ("город Смоленск", "города Смоленска"),
    ("город Казань", None),  # a soft sign: a town or a man's name? not guessed
    ("Йошкар-Ола", None),  # no «город», «округ», «район»: not guessed
    ("городского округа «Город Йошкар-Ола»", None),  # already the genitive
])
def test_the_municipality_in_the_genitive(typed, genitive):
    assert declined(typed) == genitive


def test_the_secretarys_own_genitive_wins():
    typed = {"municipality": "городской округ «Город Йошкар-Ола»"}
    assert municipality_genitive(merge(typed)) == ("городского округа «Город Йошкар-Ола»", "declined")
    given = {**typed, "municipality_genitive": "городского округа «Город Йошкар-Ола» Республики Марий Эл"}
    assert municipality_genitive(merge(given)) == (given["municipality_genitive"], "given")
    assert municipality_genitive(merge({"municipality": "Йошкар-Ола"})) == ("Йошкар-Ола", "as-typed")
    # a commission of a shared registry signs with its own name: the registry's genitive is not its own
    assert municipality_genitive(merge(given, "Медведевский муниципальный район"))[0] == \
        "Медведевского муниципального района"


def test_number_and_gender_agree_with_the_people_named():
    forms = ("находящимся", "находящейся", "находящимися")
    assert by_number(1, "masc", forms) == "находящимся"  # «О признании несовершеннолетнего находящимся»
    assert by_number(1, "femn", forms) == "находящейся"
    assert by_number(2, "femn", forms) == "находящимися"
    assert by_number(1, None, forms) == "находящимся(-ейся)"  # no patronymic: both, for the pen


def test_positions_keep_the_commissions_capitals():
    assert proper_case("председатель кдн и зп") == "Председатель КДН и ЗП"
    assert proper_case("Ответственный секретарь КДНиЗП") == "Ответственный секретарь КДНиЗП"
    assert lower_first("Ответственный секретарь КДН и ЗП") == "ответственный секретарь КДН и ЗП"
    assert lower_first("ПДН ОМВД") == "ПДН ОМВД"


def test_one_full_stop():
    assert sentence("Черных Анна Олеговна, 12.04.2012 г. р.") == "Черных Анна Олеговна, 12.04.2012 г. р."
    assert sentence("Черных Анна Олеговна") == "Черных Анна Олеговна."
