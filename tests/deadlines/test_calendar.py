"""The working-day calendar against the official production calendar."""

from datetime import date

import pytest

from sopcli.deadlines import DayMark, WorkCalendar
from sopcli.deadlines.regions import find_region


@pytest.mark.parametrize(
    ("day", "working", "kind"),
    [
        (date(2024, 11, 2), True, "worked-weekend"),  # Sat worked, day off moved to 30.04
        (date(2024, 4, 27), True, "worked-weekend"),
        (date(2024, 12, 28), True, "worked-weekend"),
        (date(2025, 11, 1), True, "worked-weekend"),
        (date(2024, 4, 30), False, "holiday"),
        (date(2024, 11, 4), False, "holiday"),
        (date(2024, 12, 31), False, "holiday"),
        (date(2025, 1, 8), False, "holiday"),
        (date(2025, 1, 9), True, "workday"),
        (date(2026, 1, 9), False, "holiday"),  # moved from Sat 03.01.2026
        (date(2026, 3, 9), False, "holiday"),  # 08.03.2026 is a Sunday
        (date(2024, 11, 3), False, "weekend"),
        (date(2024, 11, 5), True, "workday"),
    ],
)
def test_days_of_the_production_calendar(cal, day, working, kind):
    info = cal.info(day)
    assert (info.working, info.kind) == (working, kind)
    assert cal.is_working(day) is working


@pytest.mark.parametrize(("year", "total"), [(2024, 248), (2025, 247), (2026, 247)])
def test_working_days_per_year_match_the_official_calendar(cal, year, total):
    assert sum(cal.working_days_in_month(year, m) for m in range(1, 13)) == total


def test_working_saturday_reason_names_the_moved_day(cal):
    assert "30.04.2024" in cal.info(date(2024, 11, 2)).reason


def test_nth_working_day_crosses_years_and_matches_a_day_walk(cal):
    start = date(2024, 12, 20)
    d, k = start, 0
    while k < 40:
        d = date.fromordinal(d.toordinal() + 1)
        k += cal.is_working(d)
    assert cal.nth_working_day_after(start, 40) == d
    assert cal.working_days_between(start, d) == 40


def test_overrides_win_over_the_package(federal):
    marks = [
        DayMark(date(2024, 11, 5), False, "режим ЧС, постановление главы № 1", "override"),
        DayMark(date(2024, 11, 4), True, "дежурство комиссии", "override"),
    ]
    cal = WorkCalendar(federal, marks)
    assert not cal.is_working(date(2024, 11, 5))
    assert cal.is_working(date(2024, 11, 4))
    assert cal.info(date(2024, 11, 5)).kind == "override"
    assert cal.nth_working_day_after(date(2024, 11, 1), 2) == date(2024, 11, 4)


def test_tatarstan_has_its_own_days_off(federal):
    ta = WorkCalendar(federal, region=find_region("16"))
    plain = WorkCalendar(federal)
    for d in (date(2026, 3, 20), date(2026, 5, 27), date(2024, 8, 30), date(2025, 11, 6)):
        assert plain.is_working(d)
        assert not ta.is_working(d)
    assert "Курбан" in ta.info(date(2026, 5, 27)).reason
    assert ta.working_days_in_month(2026, 5) == plain.working_days_in_month(2026, 5) - 1


def test_bashkortostan_republic_day(federal):
    ba = WorkCalendar(federal, region=find_region("BA"))
    assert not ba.is_working(date(2024, 10, 11))
    assert ba.is_working(date(2024, 8, 30))  # Tatarstan's day, not Bashkortostan's


def test_decree_preset_is_opt_in(federal):
    off = WorkCalendar(federal)
    on = WorkCalendar(federal, presets=["decrees"])
    for d in (date(2020, 4, 15), date(2021, 5, 5), date(2021, 11, 2), date(2020, 7, 1)):
        assert off.is_working(d)
        assert not on.is_working(d)
    assert "Указ Президента" in on.info(date(2020, 4, 15)).reason


def test_years_beyond_the_decree_data_are_announced(federal, cal):
    assert cal.warnings([federal.covered_until]) == []
    (warning,) = cal.warnings([federal.covered_until + 1])
    assert str(federal.covered_until + 1) in warning and "не утверждён" in warning


def test_region_years_without_feast_dates_are_announced(federal):
    ta = WorkCalendar(federal, region=find_region("TA"))
    assert any("Ураза" in w for w in ta.warnings([2027]))
    assert not any("Ураза" in w for w in ta.warnings([2026]))


def test_federal_data_survives_json(federal):
    from sopcli.deadlines import FederalData

    again = FederalData.from_json(federal.to_json())
    assert again.holidays == federal.holidays
    assert again.working_weekends == federal.working_weekends
    assert again.covered_until == federal.covered_until
