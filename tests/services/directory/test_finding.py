"""How a name still being typed fits a registry's name (`names.how_typed_matches`, the screen's finding): as intake
reads a whole name, or as its beginning, the last word perhaps unfinished."""

from __future__ import annotations

import pytest

from sopcli.services.directory.finding import typed_parts
from sopcli.services.directory.names import how_typed_matches

NAME = "Орлов Иван Петрович"


@pytest.mark.parametrize(("typed", "how"), [
    ("Орлов Иван Петрович", "exact"), ("ОРЛОВ иван петрович", "exact"), ("Иван Петрович Орлов", "swapped"),
    ("Орлов И. П.", "initials"), ("Орлов И.П.", "initials"), ("Орлов И.", "initials"), ("Орлов Иван", "patronymic"),
    ("о", "part"), ("орл", "part"), ("орлов", "part"), ("орлов ив", "part"), ("Орлов Иван Пет", "part"),
    ("Орлоф", "typo"), ("орлов ивн", "typo"), ("иван орлов", "swapped"),
    ("Орлов П", None), ("петр", None), ("Орлов Иван Петрович Сидоров", None), ("", None),
])
def test_a_name_being_typed(typed, how):
    assert how_typed_matches(typed, NAME) == how


def test_yo_is_ye_either_way():
    assert how_typed_matches("ёж", "Ежов Пётр Ильич") == how_typed_matches("еж", "Ёжиков Пётр Ильич") == "part"
    assert how_typed_matches("Ежиков Петр Ильич", "Ёжиков Пётр Ильич") == "ё/е"


def test_a_birth_date_in_what_is_typed():
    assert typed_parts("Орлов 01.03.2012") == ("Орлов", typed_parts("01.03.2012")[1])
    assert typed_parts("Орлов 01.03.2012")[1].isoformat() == "2012-03-01"
    assert typed_parts("Орлов 01.03.20") == ("Орлов", None)  # still being typed
    assert typed_parts("Орлов 31.02.2012") == ("Орлов", None)  # no such day
