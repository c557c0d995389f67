"""The export table drives the kinds, their help, the per-case forms, anonymising and the period: a kind is
one row, and the rows agree with what the command has always offered."""

from datetime import date

import pytest

from sopcli.errors import InvalidInput
from sopcli.services.papers.export_kinds import EXPORTS, LABELS, kind_of, period, refuse_unfit

OPTIONS = {"output": "x.xlsx", "quarter": None, "year": None, "whole": False, "case_id": None, "signal_id": None,
           "anonymize": False, "window": False}


def test_the_kinds_in_the_order_of_the_help():
    assert list(EXPORTS) == ["journal", "bank", "stat", "digest", "scorecard", "conclusion", "card", "program",
                             "proposals", "measures", "pupils", "ics"]
    assert {code for code, k in EXPORTS.items() if k.per_case} == {"conclusion", "card", "program", "proposals"}
    assert {code for code, k in EXPORTS.items() if k.anonymizable} == {
        "journal", "bank", "stat", "digest", "scorecard", "measures", "pupils"}


def test_every_sheet_kind_has_a_builder_and_only_the_calendar_has_none():
    for code, k in EXPORTS.items():
        assert (k.build is None) == k.calendar, code
        assert not (k.per_case and k.anonymizable), code


@pytest.mark.parametrize("typed", ["журнал", "Банк Данных", "scorecard", "календарь"])
def test_a_kind_is_typed_as_its_code_or_its_russian_word(typed):
    assert LABELS[kind_of(typed)].casefold() == typed.casefold() or kind_of(typed) == typed


def test_an_unknown_kind_is_refused_with_the_list():
    with pytest.raises(InvalidInput, match=r"журнал \(journal\); банк данных \(bank\); статистика \(stat\)"):
        kind_of("отчёт")


def test_a_per_case_kind_is_not_anonymised_and_names_the_kinds_that_are():
    with pytest.raises(InvalidInput, match="bank, digest, journal, measures, pupils, scorecard, stat с --anonymize"):
        refuse_unfit("card", **{**OPTIONS, "case_id": 1, "anonymize": True})


def test_only_the_bank_needs_a_period():
    assert period("journal", date(2025, 5, 1), None, None, False) == (date(2025, 1, 1), date(2025, 12, 31))
    with pytest.raises(InvalidInput, match="Банк данных выгружается за квартал"):
        period("bank", date(2025, 5, 1), None, None, False)
    assert period("bank", date(2025, 5, 1), "2025Q2", None, False) == (date(2025, 4, 1), date(2025, 6, 30))
