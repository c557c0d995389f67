"""Fuzzing the parsers (hypothesis): any text gives a value or InvalidInput — never another exception —
and the round trips hold: a formatted date parses back to itself, a term's code parses to the same term,
a forward term's due is never before its start, an `until:` due comes within the year after the start.

Fast runs here; `@pytest.mark.slow` repeats the text fuzzing with many more examples.
"""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sopcli.deadlines import Kind, compute_due
from sopcli.deadlines.dates import FIRST_YEAR, LAST_YEAR, fmt_date, fmt_moment, parse_date, parse_moment
from sopcli.deadlines.errors import InvalidInput
from sopcli.deadlines.periods import parse_periods
from sopcli.deadlines.terms import parse_term

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
SLOW = settings(max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# text near the grammar finds more than uniform noise: digits of every script, the separators, the words
PIECES = ["0", "1", "2", "9", "29", "31", "02", "12", "2024", "2100", "9999", "0001", "０", "３", "٣", "٠", "߃", "²",
          ".", "-", ":", "+", "T", " ", "  ", "\t", "\u200b", "\u202e", "\x00", "\x1b", "Z", "+03:00", "-99:99",
          "d", "wd", "w", "m", "y", "q", "-", "until:", "every:", "with:", "immediate", "on", "own", "quarterly",
          "1e9", "99999999", "в течение", "рабочих", "дней", "месяц", "года", "лет", "недели", "незамедлительно",
          "до", "января", "февраля", "за", "раз в", "каждые", "ноябрь", "IV квартал", "постоянно", "2020-2021",
          "годы", "(", ")", ",", ";", "и", "ежеквартально", "в течение года",
          "monthly:", "quarterly:", "h", "числа", "ежемесячно", "каждого месяца", "часов", "отчетным кварталом",
          "месяца, следующего за"]
grammar = st.lists(st.sampled_from(PIECES), max_size=8).map("".join)
noise = st.text(max_size=40)
texts = st.one_of(grammar, noise)
days = st.dates(min_value=date(FIRST_YEAR, 1, 1), max_value=date(LAST_YEAR, 12, 31))
calendar_days = st.dates(min_value=date(1992, 1, 1), max_value=date(2099, 6, 30))


def _value_or_refusal(fn, *args):
    try:
        return fn(*args)
    except InvalidInput as err:
        assert err.message and "\n" not in err.message
        return None


def _parsers(text: str, msk) -> None:
    term = _value_or_refusal(parse_term, text)
    if term is not None:
        assert parse_term(term.code) == term, (text, term)
    day = _value_or_refusal(parse_date, text)
    if day is not None:
        assert FIRST_YEAR <= day.year <= LAST_YEAR
    _value_or_refusal(parse_moment, text, msk)
    for span in (None, (2020, 2021)):
        periods, _unread = parse_periods(text, span)
        for p in periods:
            assert p.start <= p.end and all(p.start <= d <= p.end for d in p.dues) and p.dues, (text, p)


@FAST
@given(texts)
def test_any_text_is_a_value_or_a_refusal(msk, text):
    _parsers(text, msk)


@pytest.mark.slow
@SLOW
@given(texts)
def test_any_text_is_a_value_or_a_refusal_long_run(msk, text):
    _parsers(text, msk)


@FAST
@given(days)
def test_a_formatted_date_parses_back(d):
    assert parse_date(fmt_date(d)) == d
    assert parse_date(d.isoformat()) == d


@FAST
@given(days, st.times())
def test_a_formatted_moment_parses_back(msk, d, t):
    m = datetime.combine(d, time(t.hour, t.minute), tzinfo=msk)
    assert parse_moment(fmt_moment(m), msk) == m
    if d.year >= 1930:  # before, Moscow's offset had seconds (+02:31:19), which no one types
        assert parse_moment(m.isoformat(timespec="minutes"), msk) == m


@FAST
@given(st.integers(min_value=-10**6, max_value=10**6), st.sampled_from(["d", "wd", "w", "m", "y"]),
       st.sampled_from(["", "-"]))
def test_a_typed_term_reads_its_number_or_is_refused(n, unit, sign):
    term = _value_or_refusal(parse_term, f"{sign}{n}{unit}")
    if term is not None:
        assert (term.n >= 1 or (n, sign, term.kind) == (0, "", Kind.ON_DAY)) and parse_term(term.code) == term


@pytest.mark.parametrize(("typed", "plain"), [("３d", "3d"), ("٣d", "3d"), ("１２wd", "12wd"),
                                              ("в течение ３ дней", "3d")])
def test_digits_of_other_scripts_read_as_the_same_number(typed, plain):
    """Python reads every decimal digit (Unicode Nd) as its value: the term is the same, and its code shown
    back ([3d]) is ASCII, so the secretary sees what was understood."""
    assert parse_term(typed) == parse_term(plain)


@FAST
@given(calendar_days, st.integers(min_value=1, max_value=400), st.sampled_from(["d", "wd", "w", "m"]))
def test_a_forward_term_is_never_due_before_its_start(cal, msk, start, n, unit):
    due = _value_or_refusal(compute_due, cal, start, parse_term(f"{n}{unit}"), msk)
    if due is not None:
        assert due.due >= start


@FAST
@given(calendar_days, st.integers(min_value=1, max_value=31), st.integers(min_value=1, max_value=12))
def test_until_is_due_within_the_year_after_the_start(cal, msk, start, day, month):
    term = _value_or_refusal(parse_term, f"until:{day:02d}.{month:02d}")
    if term is None:
        return
    assert term.kind is Kind.UNTIL
    res = compute_due(cal, start, term, msk)
    assert start <= res.due and (res.due - start).days <= 366 + 4 * 366 // 365 + 14  # Feb 29 waits ≤ 4 years


@FAST
@given(st.datetimes(min_value=datetime(FIRST_YEAR, 1, 1), max_value=datetime(LAST_YEAR, 12, 31, 23, 59)),
       st.sampled_from(["Z", "+14:00", "-12:00", "+0300", ""]))
def test_moments_at_the_edges_of_the_range_never_overflow(msk, m, offset):
    text = m.strftime("%Y-%m-%dT%H:%M") + offset
    value = parse_moment(text, msk)
    assert isinstance(value, datetime)
    value.astimezone(msk)  # years 1 and 9999 overflowed here (OverflowError): now out of range
