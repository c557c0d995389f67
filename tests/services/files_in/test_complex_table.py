"""The regional complex of measures (002) read from its table as written: 30 measures in 5 sections."""

from __future__ import annotations

import pytest

from sopcli.deadlines.periods import parse_periods
from sopcli.services.files_in.complex_table import read_text_table, split_executors
from tests.conftest import SHARED

SEED = SHARED / "seeds" / "002_4b7cf8c93ee536d7.txt"
OMSU = "органы местного самоуправления муниципальных районов, городских округов Смоленской области"


def test_executors_as_tables_write_them():
    assert split_executors("<p>Главное управление спорта</p> <p>Департамент по культуре</p>") == [
        "Главное управление спорта", "Департамент по культуре"]
    assert split_executors(OMSU) == [OMSU]  # a comma before a lower-case word is inside the name
    assert split_executors("УМВД России, УФССП России") == ["УМВД России", "УФССП России"]
    assert split_executors("Департамент по образованию органы местного\nсамоуправления") == [
        "Департамент по образованию", "органы местного самоуправления"]
    assert split_executors("Комиссия (по предложениям, поступившим от Департамента)") == [
        "Комиссия (по предложениям, поступившим от Департамента)"]


@pytest.mark.skipif(not SEED.exists(), reason="../shared/seeds is beside the repository in CI")
def test_the_002_complex():
    c = read_text_table(SEED.read_text("utf-8"))
    assert c.span == (2020, 2021) and "Межведомственный комплекс" in c.title
    assert [m.number for m in c.measures] == [str(i) for i in range(1, 31)]
    assert len(c.sections) == 5
    per = [sum(m.section == s for m in c.measures) for s in c.sections]
    assert per == [11, 8, 2, 6, 3]
    first, second, ninth = c.measures[0], c.measures[1], c.measures[8]
    assert first.executors == [OMSU] and first.period == "ноябрь 2020 года"
    assert "(подпрограммы «Комплексные меры" in second.text  # continued on the next line of the table
    assert ninth.executors == ["УМВД России по Смоленской области", "СУ СК России по Смоленской области",
                               "УФССП России по Смоленской области"]
    assert all(m.executors for m in c.measures)
    for m in c.measures:
        periods, unread = parse_periods(m.period, c.span)
        assert periods and not unread, (m.number, m.period)


def test_agencies_with_mvd_inside_their_names_and_lines_in_lower_case():
    assert split_executors("ГУ МВД России по Смоленской области") == ["ГУ МВД России по Смоленской области"]
    assert split_executors("МО МВД России «Рославльский»") == ["МО МВД России «Рославльский»"]
    assert split_executors("Департамент образования\nобразовательные организации\nмедицинские организации") == [
        "Департамент образования", "образовательные организации", "медицинские организации"]
    assert split_executors("УМВД России\nУМВД России") == ["УМВД России"]


def test_rows_tables_sub_numbers_extra_columns_and_refusals():
    from sopcli.errors import InvalidInput
    from sopcli.services.files_in.complex_table import read_rows_table

    head = ["№", "Наименование мероприятия", "Сроки реализации", "Исполнители", "Ожидаемый результат"]
    rows = [["Комплекс мер на 2025-2026 годы"], head, ["I. Раздел", "I. Раздел", "I. Раздел", "I. Раздел", ""],
            ["1.1.", "Рейды", "постоянно", "УМВД России", "снижение"], ["1.2", "Лекции", "2025 год", "Комиссия", "x"]]
    c = read_rows_table(rows, None)
    assert [(m.number, m.executors) for m in c.measures] == [("1.1", ["УМВД России"]), ("1.2", ["Комиссия"])]
    assert c.span == (2025, 2026) and c.title == "Комплекс мер на 2025-2026 годы"
    with pytest.raises(InvalidInput) as err:
        read_rows_table([head, ["1", "Рейды", "постоянно", "", ""]], None)
    assert "Строка 2, столбец «Исполнители»: пусто" in err.value.message
