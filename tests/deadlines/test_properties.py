"""Invariants of the engine for any date and term (hypothesis)."""

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from sopcli.deadlines import Kind, Term, compute_due
from sopcli.deadlines.compute import add_months

days = st.dates(min_value=date(2010, 1, 1), max_value=date(2080, 12, 31))
small = st.integers(min_value=1, max_value=120)
units = st.sampled_from(["d", "wd", "w", "m"])
KINDS = {"d": Kind.DAYS, "wd": Kind.WORKING_DAYS, "w": Kind.WEEKS, "m": Kind.MONTHS}


@settings(max_examples=300, deadline=None)
@given(days, small, units)
def test_a_date_due_is_a_working_day(cal, msk, start, n, unit):
    res = compute_due(cal, start, Term(KINDS[unit], n), msk)
    assert cal.is_working(res.due)
    assert res.due > start


@settings(max_examples=300, deadline=None)
@given(days, small)
def test_one_more_working_day_is_later(cal, msk, start, n):
    a = compute_due(cal, start, Term(Kind.WORKING_DAYS, n), msk).due
    b = compute_due(cal, start, Term(Kind.WORKING_DAYS, n + 1), msk).due
    assert b > a
    assert cal.working_days_between(start, a) == n


@settings(max_examples=300, deadline=None)
@given(days, small)
def test_calendar_days_never_end_before_start_plus_n(cal, msk, start, n):
    res = compute_due(cal, start, Term(Kind.DAYS, n), msk)
    assert res.due >= start + timedelta(days=n)
    # and no working day is skipped on the way: every day moved over is non-working
    assert all(not i.working for i in res.moved)


@settings(max_examples=300, deadline=None)
@given(days, small, st.sampled_from(["d", "wd", "w", "m"]))
def test_before_an_anchor_never_ends_after_it(cal, msk, anchor, n, unit):
    res = compute_due(cal, anchor, Term(Kind.BEFORE, n, unit), msk)
    assert res.due < anchor
    assert cal.is_working(res.due)


@settings(max_examples=200, deadline=None)
@given(days, st.integers(min_value=0, max_value=23), st.integers(min_value=0, max_value=59))
def test_immediate_is_at_most_a_day_on_working_days(cal, msk, day, hh, mm):
    start = datetime.combine(day, time(hh, mm), tzinfo=msk)
    res = compute_due(cal, start, Term(Kind.IMMEDIATE), msk)
    if cal.is_working(day):
        assert res.end_moment(msk) - start == timedelta(hours=24)
    else:
        assert res.due > day and cal.is_working(res.due)
        assert all(not cal.is_working(day + timedelta(k)) for k in range((res.due - day).days))


@given(days, st.integers(min_value=-240, max_value=240))
def test_add_months_keeps_the_day_or_takes_the_month_end(start, n):
    d = add_months(start, n)
    assert (d.year * 12 + d.month) - (start.year * 12 + start.month) == n
    assert d.day == start.day or (d.day < start.day and (d + timedelta(days=1)).day == 1)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=60))
def test_any_typed_text_is_a_term_or_a_russian_refusal(text):
    from sopcli.deadlines import InvalidInput, parse_term

    try:
        term = parse_term(text)
    except InvalidInput as err:
        assert err.message and "\n" not in err.message
    else:
        assert parse_term(term.code) == term


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(max_size=30), st.from_regex(r"\d{1,2}\.\d{1,2}\.\d{4}( \d{1,2}:\d{2})?", fullmatch=True)))
def test_any_typed_text_is_a_date_or_a_russian_refusal(msk, text):
    from sopcli.deadlines import InvalidInput, parse_moment

    try:
        parse_moment(text, msk)
    except InvalidInput as err:
        assert err.message and "\n" not in err.message


@settings(max_examples=300, deadline=None)
@given(days, st.integers(min_value=1, max_value=31), st.sampled_from([Kind.MONTHLY, Kind.QUARTER_DAY]))
def test_a_fixed_day_of_the_period_is_after_the_event_before_the_day_and_a_working_day(cal, msk, start, n, kind):
    res = compute_due(cal, start, Term(kind, day=n), msk)
    last = res.raw_end
    assert last is not None and last > start and cal.is_working(res.due) and res.due >= last
    nxt = last + timedelta(days=1)  # «до N числа» excludes N: the last day is the day before it, or a month's end
    assert nxt.day == n or nxt.day == 1
    if kind is Kind.MONTHLY:  # the first such day after the event: within a month and a bit of it
        assert (last - start).days <= 31
    else:  # the report of the quarter the term starts in, in the month after it
        assert (nxt.month - 1) % 3 == 0 or nxt.day == 1
        assert (last - start).days <= 92 + 31


@settings(max_examples=200, deadline=None)
@given(days, st.integers(min_value=0, max_value=23), st.integers(min_value=0, max_value=59),
       st.integers(min_value=1, max_value=240))
def test_hours_end_n_hours_after_the_next_full_hour(cal, msk, day, hh, mm, n):
    start = datetime.combine(day, time(hh, mm), tzinfo=msk)
    res = compute_due(cal, start, Term(Kind.HOURS, n), msk)
    assert res.due_at is not None
    elapsed = res.end_moment(msk).astimezone(UTC) - start.astimezone(UTC)  # real hours, whatever the clock did
    assert timedelta(hours=n) < elapsed <= timedelta(hours=n + 1)
    from_date = compute_due(cal, day, Term(Kind.HOURS, n), msk)
    assert from_date.end_moment(msk) >= res.end_moment(msk)  # a date alone never ends it earlier
