"""The end of a term, once (deadlines/dates.py): the digest, the scorecard, `explain` and `Due` agree on it."""

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from sopcli.deadlines import Kind, Term, compute_due
from sopcli.deadlines.dates import past_term, term_end

days = st.dates(min_value=date(2010, 1, 1), max_value=date(2080, 12, 31))
minutes = st.integers(min_value=-3 * 24 * 60, max_value=3 * 24 * 60)


@settings(max_examples=300, deadline=None)
@given(days, minutes)
def test_a_day_term_runs_out_at_midnight_after_its_last_day(msk, due, offset):
    """Art. 194: 23:59 of the due day is in time, 00:00 of the next is late."""
    end = term_end(due, None, msk)
    assert end == datetime(due.year, due.month, due.day, tzinfo=msk) + timedelta(days=1)
    moment = end + timedelta(minutes=offset)
    assert past_term(due, None, msk, moment) == (moment >= end)
    assert past_term(due, None, msk, moment.astimezone(UTC)) == (moment >= end)  # whatever zone it is given in


@settings(max_examples=300, deadline=None)
@given(days, minutes)
def test_a_kept_moment_is_the_end_and_only_after_it_is_late(msk, due, offset):
    kept = datetime(due.year, due.month, due.day, 15, 30, tzinfo=msk)
    assert term_end(due, kept, msk) == kept
    assert past_term(due, kept, msk, kept + timedelta(minutes=offset)) == (offset > 0)


@settings(max_examples=100, deadline=None)
@given(days, st.integers(min_value=1, max_value=60))
def test_the_end_is_the_one_a_computed_due_gives(cal, msk, start, n):
    res = compute_due(cal, start, Term(Kind.WORKING_DAYS, n), msk)
    assert term_end(res.due, res.due_at, msk) == res.end_moment(msk)
