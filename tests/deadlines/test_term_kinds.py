"""The term-kind table drives parsing, the canonical code, the Russian label and the counting: every kind has
its row, and each row's typed form reads back as the term it wrote."""

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from sopcli.deadlines.compute import compute_due
from sopcli.deadlines.errors import InvalidInput
from sopcli.deadlines.term_kinds import TERM_KINDS, UNITS
from sopcli.deadlines.terms import Kind, Term, parse_term

SAMPLES = {
    Kind.IMMEDIATE: Term(Kind.IMMEDIATE), Kind.ON_DAY: Term(Kind.ON_DAY), Kind.DAYS: Term(Kind.DAYS, 3),
    Kind.WORKING_DAYS: Term(Kind.WORKING_DAYS, 5), Kind.WEEKS: Term(Kind.WEEKS, 2), Kind.MONTHS: Term(Kind.MONTHS, 1),
    Kind.BEFORE: Term(Kind.BEFORE, 6, "m"), Kind.UNTIL: Term(Kind.UNTIL, day=10, month=1),
    Kind.PERIODIC: Term(Kind.PERIODIC, 6, "m"), Kind.RANGE: Term(Kind.RANGE, 5, "d", lo=3),
    Kind.OWN: Term(Kind.OWN), Kind.WITH: Term(Kind.WITH, ref="me.card"),
    Kind.MONTHLY: Term(Kind.MONTHLY, day=30), Kind.QUARTER_DAY: Term(Kind.QUARTER_DAY, day=5),
    Kind.HOURS: Term(Kind.HOURS, 24),
}


def test_every_kind_has_its_row():
    assert set(TERM_KINDS) == set(Kind) == set(SAMPLES)
    assert UNITS == {"d": Kind.DAYS, "wd": Kind.WORKING_DAYS, "w": Kind.WEEKS, "m": Kind.MONTHS}


@pytest.mark.parametrize("kind", list(Kind))
def test_each_rows_code_reads_back_and_its_label_is_russian(kind):
    term = SAMPLES[kind]
    assert parse_term(term.code) == term
    assert term.label and not term.label.isascii()


@pytest.mark.parametrize("kind", list(Kind))
def test_a_kind_without_counting_is_refused_by_name(cal, kind):
    term = SAMPLES[kind]
    if TERM_KINDS[kind].count is not None:
        assert compute_due(cal, date(2025, 3, 3), term, ZoneInfo("Europe/Moscow")).notes
        return
    with pytest.raises(InvalidInput, match="не вычисляется от даты"):
        compute_due(cal, date(2025, 3, 3), term, ZoneInfo("Europe/Moscow"))
