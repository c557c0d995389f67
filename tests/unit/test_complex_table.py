"""The regional complex of measures (002) read from its table as written: 30 measures in 5 sections."""

from __future__ import annotations

from pathlib import Path

import pytest

from sopcli.deadlines.periods import parse_periods
from sopcli.services.complex_table import read_text_table, split_executors

SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "002_4b7cf8c93ee536d7.txt"
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
