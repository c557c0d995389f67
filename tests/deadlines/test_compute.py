"""Due dates and their explanations, computed in-process (the CLI stories check the rest)."""

from datetime import date, datetime

import pytest

from sopcli.deadlines import InvalidInput, compute_due, parse_term
from sopcli.deadlines.compute import coming_of_age, due_on_date
from sopcli.deadlines.explain import explain_lines, move_note
from sopcli.services.directory.names import age_on, birthday


def due(cal, msk, start, term):
    return compute_due(cal, start, parse_term(term), msk)


def test_issue_example_explains_the_moved_saturday_and_the_holiday(cal, msk):
    res = due(cal, msk, date(2024, 11, 1), "5wd")
    assert res.due == date(2024, 11, 8)
    assert [i.day for i in res.worked] == [date(2024, 11, 2)]
    assert [i.day for i in res.skipped] == [date(2024, 11, 3), date(2024, 11, 4)]
    assert res.skipped[1].reason == "День народного единства"
    text = "\n".join(explain_lines(res, msk))
    assert "02.11.2024 (сб) — засчитан как рабочий" in text
    assert "04.11.2024 (пн) — не засчитан: День народного единства" in text
    assert "Истекает: 08.11.2024 (пт), до 24:00" in text


def test_calendar_days_end_on_a_holiday_move_and_say_which_days(cal, msk):
    # 27.12.2024 + 3 = 30.12 (day off moved from 28.12), 31.12, 01–08.01 → 09.01.2025
    res = due(cal, msk, date(2024, 12, 27), "3d")
    assert res.raw_end == date(2024, 12, 30)
    assert res.due == date(2025, 1, 9)
    assert next(i.day for i in res.moved) == date(2024, 12, 30)
    assert len(res.moved) == 10
    assert any("193" in n for n in res.notes)


def test_immediate_on_friday_evening_keeps_the_moment(cal, msk):
    start = datetime(2024, 12, 27, 17, 30, tzinfo=msk)
    res = due(cal, msk, start, "immediate")
    assert res.due_at == datetime(2024, 12, 28, 17, 30, tzinfo=msk)
    assert res.end_moment(msk) == res.due_at


def test_immediate_on_a_holiday_is_the_end_of_the_first_working_day(cal, msk):
    res = due(cal, msk, datetime(2025, 1, 3, 10, 0, tzinfo=msk), "immediate")
    assert res.due_at is None
    assert res.due == date(2025, 1, 9)
    assert res.end_moment(msk) == datetime(2025, 1, 10, 0, 0, tzinfo=msk)


def test_immediate_in_another_offset_is_judged_in_the_registry_zone(cal, msk):
    from zoneinfo import ZoneInfo

    # 23:30 Friday in UTC is already Saturday 02:30 in Moscow: a non-working day
    start = datetime(2025, 1, 10, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert due(cal, msk, start, "immediate").due == date(2025, 1, 13)


def test_months_use_the_last_day_when_the_month_is_short(cal, msk):
    assert due(cal, msk, date(2025, 1, 31), "1m").due == date(2025, 2, 28)
    assert due(cal, msk, date(2024, 1, 31), "1m").due == date(2024, 2, 29)


def test_before_an_anchor_moves_earlier_never_later(cal, msk):
    # release 10.05.2026 − 1 month = 10.04.2026 (Fri) — a working day
    assert due(cal, msk, date(2026, 5, 10), "-1m").due == date(2026, 4, 10)
    # 12.07.2025 − 6 months = 12.01.2025 (Sun) → Fri 10.01.2025
    res = due(cal, msk, date(2025, 7, 12), "-6m")
    assert res.raw_end == date(2025, 1, 12)
    assert res.due == date(2025, 1, 10)


def test_until_excludes_the_named_day(cal, msk):
    # "до 10 января 2025": last day 09.01.2025, a working Thursday
    assert due(cal, msk, date(2024, 12, 31), "until:10.01").due == date(2025, 1, 9)
    # "до 10 января 2026": 09.01.2026 is a day off (moved from 03.01) → Mon 12.01.2026
    assert due(cal, msk, date(2025, 12, 31), "until:10.01").due == date(2026, 1, 12)


def test_range_is_due_at_the_upper_bound_with_the_lower_as_target(cal, msk):
    # 02.06.2025 + 3 = Thu 05.06 (target); + 5 = Sat 07.06 → Mon 09.06
    res = due(cal, msk, date(2025, 6, 2), "3-5d")
    assert (res.target, res.due) == (date(2025, 6, 5), date(2025, 6, 9))
    # 09.06.2025 + 3 = 12.06 Russia Day → 13.06 moved day off → weekend → 16.06; both bounds meet
    res = due(cal, msk, date(2025, 6, 9), "3-5d")
    assert (res.target, res.due) == (date(2025, 6, 16), date(2025, 6, 16))


def test_periodic_lists_the_next_occurrences(cal, msk):
    res = due(cal, msk, date(2024, 12, 27), "every:6m")
    assert res.occurrences == [date(2025, 6, 27), date(2025, 12, 29), date(2026, 6, 29),
                               date(2026, 12, 28)]
    q = due(cal, msk, date(2025, 2, 14), "quarterly")
    assert q.occurrences[:3] == [date(2025, 3, 31), date(2025, 6, 30), date(2025, 9, 30)]


def test_terms_without_a_start_rule_are_refused(cal, msk):
    with pytest.raises(InvalidInput):
        due(cal, msk, date(2025, 1, 1), "own")


def test_warning_for_a_year_the_package_does_not_cover(cal, msk, federal):
    year = federal.covered_until + 1
    res = due(cal, msk, date(year, 3, 2), "5wd")
    assert res.warnings and str(year) in res.warnings[0]


def test_a_measure_typed_as_due_on_unity_day_moves_to_the_next_working_day(cal, msk):
    res = due_on_date(cal, date(2026, 11, 4))
    assert (res.due, res.raw_end) == (date(2026, 11, 5), date(2026, 11, 4))
    assert [i.reason for i in res.moved] == ["День народного единства"]
    lines = explain_lines(res, msk)
    assert any("ст. 193 ГК РФ" in line for line in lines)
    assert move_note(res) == ("ст. 193 ГК РФ: 04.11.2026 (ср) — нерабочий день (День народного единства), "
                              "срок перенесён на 05.11.2026 (чт)")


def test_a_typed_date_on_a_working_day_stays_and_has_no_note(cal):
    res = due_on_date(cal, date(2026, 11, 5))
    assert res.due == date(2026, 11, 5) and not res.moved and move_note(res) == ""


def test_immediate_whose_day_ends_on_a_saturday_says_why_it_does_not_move(cal, msk):
    res = due(cal, msk, datetime(2026, 3, 13, 10, 0, tzinfo=msk), "immediate")  # Fri
    assert res.due == date(2026, 3, 14) and res.due_at is not None and not res.moved
    note = next(n for n in res.notes if "не переносится" in n)
    assert "14.03.2026" in note and "001 §2.5" in note


def test_born_on_29_february_turns_18_on_28_february_of_a_common_year():
    assert coming_of_age(date(2008, 2, 29), 18) == date(2026, 2, 28)
    assert coming_of_age(date(2008, 2, 29), 16) == date(2024, 2, 29)
    assert birthday(date(2008, 2, 29), 18) == date(2026, 2, 28)
    assert age_on(date(2008, 2, 29), date(2026, 2, 27)) == 17
    assert age_on(date(2008, 2, 29), date(2026, 2, 28)) == 18
