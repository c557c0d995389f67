"""Golden cases for `sopcli calendar due` / `calendar show`, derived by hand.

Every expected date below was derived from the specification alone
(DEADLINES.md, CLI.md, RULEBOOK.md) and the official Russian production
calendar, never from the program's output. Reference facts used:

* 2024: 01–08.01, 23.02, 08.03, 29.04, 30.04, 01.05, 09.05, 10.05, 12.06,
  04.11, 30.12, 31.12 off; Saturdays 27.04, 02.11, 28.12 working.
* 2025: 01–08.01, 01.05, 02.05, 08.05, 09.05, 12.06, 13.06, 03.11, 04.11,
  31.12 off (23.02 is a Sunday, moved to 08.05 — 24.02 stays working);
  Saturday 01.11 working.
* 2026: 01–09.01, 23.02, 09.03, 01.05, 11.05, 12.06, 04.11, 31.12 off;
  no working Saturdays.
* 2027: 01–08.01, 22.02, 23.02, 08.03, 03.05, 10.05, 14.06, 04.11, 05.11,
  31.12 off; Saturday 20.02 working.

Weekdays: 01.01.2024 Mon, 01.01.2025 Wed, 01.01.2026 Thu, 01.01.2027 Fri.
"""

from __future__ import annotations

import pytest


def due_json(sop, start: str, term: str | None, *extra: str) -> dict:
    """`calendar due --json [extra] START [--] TERM`; a leading '-' needs `--`."""
    args = ["calendar", "due", "--json", *extra, start]
    if term is not None:
        if term.startswith("-"):
            args.append("--")
        args.append(term)
    res = sop(*args)
    assert res.code == 0, (res.code, res.err)
    return res.json()


# ---------------------------------------------------------------------------
# Calendar days: event + N, then art. 193 (next working day)
# ---------------------------------------------------------------------------
CALENDAR_DAYS = [
    # 27.12.2024 + 3 = 30.12 (off, moved from 28.12) → 31.12 off → 01–08.01 → Thu 09.01.2025
    ("27.12.2024", "3d", "2025-01-09"),
    # 26.12.2025 + 7 = 02.01.2026 → 03–08.01 holidays, 09.01 off (moved), 10–11 weekend → Mon 12.01.2026
    ("26.12.2025", "7d", "2026-01-12"),
    # Sun 28.04.2024 + 3 = Wed 01.05 (holiday) → Thu 02.05.2024
    ("28.04.2024", "3d", "2024-05-02"),
    # Fri 26.04.2024 + 3 = Mon 29.04 (off, moved) → 30.04 off → 01.05 → Thu 02.05.2024
    ("26.04.2024", "3d", "2024-05-02"),
    # Tue 29.04.2025 + 3 = Fri 02.05 (off, moved from 04.01) → Sat, Sun → Mon 05.05.2025
    ("29.04.2025", "3d", "2025-05-05"),
    # Mon 05.05.2025 + 3 = Thu 08.05 (off, moved from 23.02) → 09.05 → weekend → Mon 12.05.2025
    ("05.05.2025", "3d", "2025-05-12"),
    # Thu 31.10.2024 + 2 = Sat 02.11.2024, a working Saturday → due that day
    ("31.10.2024", "2d", "2024-11-02"),
    # Wed 29.10.2025 + 3 = Sat 01.11.2025, a working Saturday → due that day
    ("29.10.2025", "3d", "2025-11-01"),
    # Fri 31.10.2025 + 3 = Mon 03.11 (off) → Tue 04.11 holiday → Wed 05.11.2025
    ("31.10.2025", "3d", "2025-11-05"),
    # Fri 01.11.2024 + 3 = Mon 04.11 holiday → Tue 05.11.2024
    ("01.11.2024", "3d", "2024-11-05"),
    # Wed 25.12.2024 + 3 = Sat 28.12.2024, a working Saturday → due that day
    ("25.12.2024", "3d", "2024-12-28"),
    # Mon 01.11.2027 + 3 = Thu 04.11 holiday → Fri 05.11 off → weekend → Mon 08.11.2027
    ("01.11.2027", "3d", "2027-11-08"),
    # Wed 17.02.2027 + 3 = Sat 20.02.2027, a working Saturday → due that day
    ("17.02.2027", "3d", "2027-02-20"),
    # Fri 19.02.2027 + 3 = Mon 22.02 (off) → Tue 23.02 holiday → Wed 24.02.2027
    ("19.02.2027", "3d", "2027-02-24"),
    # Mon 28.12.2026 + 10 = Thu 07.01.2027 → 08.01 → weekend → Mon 11.01.2027
    ("28.12.2026", "10d", "2027-01-11"),
    # Sat 22.02.2025 + 2 = Mon 24.02.2025: working (23.02.2025 Sunday was moved to 08.05, not to 24.02)
    ("22.02.2025", "2d", "2025-02-24"),
]


@pytest.mark.parametrize(("start", "term", "expected"), CALENDAR_DAYS)
def test_calendar_days(sop, start, term, expected):
    assert due_json(sop, start, term)["due"] == expected


# ---------------------------------------------------------------------------
# Working days: the N-th working day after the event date
# ---------------------------------------------------------------------------
WORKING_DAYS = [
    # Fri 27.12.2024: Sat 28.12 working (1); 30.12–08.01 off; 09.01 (2); 10.01 (3) → 10.01.2025
    ("27.12.2024", "3wd", "2025-01-10"),
    # Tue 24.12.2024: 25 (1), 26 (2), 27 (3), Sat 28 (4), 09.01.2025 (5)
    ("24.12.2024", "5wd", "2025-01-09"),
    # Fri 26.04.2024: Sat 27.04 (1); 29.04–01.05 off; 02.05 (2); 03.05 (3); 06.05 (4); 07.05 (5)
    ("26.04.2024", "5wd", "2024-05-07"),
    # Wed 30.04.2025: 01–04.05 off; 05 (1), 06 (2), 07 (3); 08–11 off; 12 (4), 13 (5)
    ("30.04.2025", "5wd", "2025-05-13"),
    # Thu 31.10.2024: 01.11 (1), Sat 02.11 (2), 03 Sun, 04 holiday, 05.11 (3)
    ("31.10.2024", "3wd", "2024-11-05"),
    # Thu 30.10.2025: 31.10 (1), Sat 01.11 (2), 02 Sun, 03–04 off, 05.11 (3)
    ("30.10.2025", "3wd", "2025-11-05"),
    # Mon 29.12.2025: 30.12 (1); 31.12–11.01 off; 12 (2) … 16 (6), 19 (7), 20 (8), 21 (9), 22 (10)
    ("29.12.2025", "10wd", "2026-01-22"),
    # Wed 30.12.2026: 31.12 off, 01–08.01.2027, 09–10 weekend → Mon 11.01.2027 (1)
    ("30.12.2026", "1wd", "2027-01-11"),
    # Thu 18.02.2027: 19 (1), Sat 20.02 working (2), 21 Sun, 22–23 off, 24 (3)
    ("18.02.2027", "3wd", "2027-02-24"),
    # Thu 05.03.2026: 06 (1), 07–08 weekend, 09.03 off (08.03 was Sunday), 10 (2)
    ("05.03.2026", "2wd", "2026-03-10"),
    # event on a holiday, Sat 04.01.2025: first working day after is Thu 09.01.2025
    ("04.01.2025", "1wd", "2025-01-09"),
    # event on a working Saturday 02.11.2024: 03 Sun, 04 holiday, Tue 05.11.2024 (1)
    ("02.11.2024", "1wd", "2024-11-05"),
]


@pytest.mark.parametrize(("start", "term", "expected"), WORKING_DAYS)
def test_working_days(sop, start, term, expected):
    assert due_json(sop, start, term)["due"] == expected


# ---------------------------------------------------------------------------
# Weeks (art. 192: same weekday of the last week), then art. 193
# ---------------------------------------------------------------------------
WEEKS = [
    # Wed 18.12.2024 + 2w = Wed 01.01.2025 → holidays, 09.01.2025
    ("18.12.2024", "2w", "2025-01-09"),
    # Wed 17.04.2024 + 2w = Wed 01.05.2024 → Thu 02.05.2024
    ("17.04.2024", "2w", "2024-05-02"),
    # Tue 21.10.2025 + 2w = Tue 04.11.2025 → Wed 05.11.2025
    ("21.10.2025", "2w", "2025-11-05"),
    # Sun 20.10.2024 + 2w = Sun 03.11 → 04.11 holiday → Tue 05.11.2024
    ("20.10.2024", "2w", "2024-11-05"),
    # Sat 26.10.2024 + 1w = Sat 02.11.2024, working Saturday → due that day
    ("26.10.2024", "1w", "2024-11-02"),
    # Fri 18.12.2026 + 2w = Fri 01.01.2027 → 02–10.01 off → Mon 11.01.2027
    ("18.12.2026", "2w", "2027-01-11"),
]


@pytest.mark.parametrize(("start", "term", "expected"), WEEKS)
def test_weeks(sop, start, term, expected):
    assert due_json(sop, start, term)["due"] == expected


# ---------------------------------------------------------------------------
# Months (art. 192: same-numbered day, else the month's last day), then art. 193
# ---------------------------------------------------------------------------
MONTHS = [
    # 31.01.2025 + 1m: February 2025 has no 31st → 28.02.2025 (Fri, working)
    ("31.01.2025", "1m", "2025-02-28"),
    # 31.01.2024 + 1m: leap year → Thu 29.02.2024
    ("31.01.2024", "1m", "2024-02-29"),
    # 31.03.2025 + 1m → 30.04.2025 (Wed, working)
    ("31.03.2025", "1m", "2025-04-30"),
    # 31.03.2024 + 1m → 30.04.2024 off (moved) → 01.05 holiday → Thu 02.05.2024
    ("31.03.2024", "1m", "2024-05-02"),
    # 30.11.2024 + 1m = 30.12.2024 off → 31.12 off → New Year → 09.01.2025
    ("30.11.2024", "1m", "2025-01-09"),
    # 08.12.2025 + 1m = Thu 08.01.2026 → 09.01 off → weekend → Mon 12.01.2026
    ("08.12.2025", "1m", "2026-01-12"),
    # 09.11.2025 + 6m = Sat 09.05.2026 → Sun → Mon 11.05 off → Tue 12.05.2026
    ("09.11.2025", "6m", "2026-05-12"),
    # 31.08.2026 + 6m: February 2027 ends 28th (Sun) → Mon 01.03.2027
    ("31.08.2026", "6m", "2027-03-01"),
    # 04.10.2024 + 1m = Mon 04.11.2024 holiday → Tue 05.11.2024
    ("04.10.2024", "1m", "2024-11-05"),
    # 12.12.2025 + 6m = Fri 12.06.2026 holiday → weekend → Mon 15.06.2026
    ("12.12.2025", "6m", "2026-06-15"),
    # 27.03.2024 + 1m = Sat 27.04.2024, working Saturday → due that day
    ("27.03.2024", "1m", "2024-04-27"),
    # 29.02.2024 + 12m: no 29.02.2025 → last day of February, Fri 28.02.2025
    ("29.02.2024", "12m", "2025-02-28"),
]


@pytest.mark.parametrize(("start", "term", "expected"), MONTHS)
def test_months(sop, start, term, expected):
    assert due_json(sop, start, term)["due"] == expected


# ---------------------------------------------------------------------------
# Before an anchor: anchor − term; non-working → the PREVIOUS working day
# ---------------------------------------------------------------------------
BEFORE = [
    # 10.01.2025 − 10d = Tue 31.12.2024 off → 30.12 off → Sun 29 → Sat 28.12.2024 (working)
    ("10.01.2025", "-10d", "2024-12-28"),
    # 09.11.2026 − 6m = Sat 09.05.2026 → Fri 08.05.2026 (working)
    ("09.11.2026", "-6m", "2026-05-08"),
    # 04.12.2024 − 1m = Mon 04.11.2024 holiday → Sun 03 → Sat 02.11.2024 (working)
    ("04.12.2024", "-1m", "2024-11-02"),
    # 01.06.2025 − 1m = Thu 01.05.2025 holiday → Wed 30.04.2025
    ("01.06.2025", "-1m", "2025-04-30"),
    # 13.12.2025 − 6m = Fri 13.06.2025 off → 12.06 holiday → Wed 11.06.2025
    ("13.12.2025", "-6m", "2025-06-11"),
    # 18.01.2027 − 10d = Fri 08.01.2027 → back through 01.01, 31.12.2026 (off) → Wed 30.12.2026
    ("18.01.2027", "-10d", "2026-12-30"),
    # 31.08.2025 − 6m: February 2025 has no 31st → its last day, Fri 28.02.2025 (working)
    ("31.08.2025", "-6m", "2025-02-28"),
    # 22.03.2027 − 2w = Mon 08.03.2027 holiday → Sun, Sat → Fri 05.03.2027
    ("22.03.2027", "-2w", "2027-03-05"),
    # 31.03.2025 − 1m: no 31.02 → last day of February, Fri 28.02.2025 (working)
    ("31.03.2025", "-1m", "2025-02-28"),
]


@pytest.mark.parametrize(("anchor", "term", "expected"), BEFORE)
def test_before_anchor(sop, anchor, term, expected):
    assert due_json(sop, anchor, term)["due"] == expected


def test_before_anchor_term_as_documented_without_double_dash(sop):
    # CLI.md documents TERM with a leading '-' (`calendar due 09.11.2026 -6m`), no `--` needed
    res = sop("calendar", "due", "09.11.2026", "-6m", "--json")
    assert res.code == 0, res.err
    assert res.json()["due"] == "2026-05-08"


# ---------------------------------------------------------------------------
# until:DD.MM ("до DD.MM"): first DD.MM strictly after the start; last day is
# the day before; non-working → the next working day
# ---------------------------------------------------------------------------
UNTIL = [
    # до 10.01.2025: last day Thu 09.01.2025, working
    ("15.12.2024", "until:10.01", "2025-01-09"),
    # до 10.01.2026: last day Fri 09.01.2026 off (moved from 03.01) → weekend → Mon 12.01.2026
    ("20.12.2025", "until:10.01", "2026-01-12"),
    # start 01.01.2027 → до 10.01.2027: last day Sat 09.01 → Sun → Mon 11.01.2027
    ("01.01.2027", "until:10.01", "2027-01-11"),
    # start exactly 10.01.2025 → strictly after → 10.01.2026 → 09.01.2026 off → 12.01.2026
    ("10.01.2025", "until:10.01", "2026-01-12"),
    # до 01.10.2026: last day Wed 30.09.2026
    ("15.03.2026", "until:01.10", "2026-09-30"),
    # start 01.10.2025 → strictly after → 01.10.2026 → Wed 30.09.2026
    ("01.10.2025", "until:01.10", "2026-09-30"),
    # до 03.05.2025: last day Fri 02.05.2025 off → weekend → Mon 05.05.2025
    ("01.04.2025", "until:03.05", "2025-05-05"),
    # до 01.01.2026: last day Wed 31.12.2025 off → 01–11.01.2026 off → Mon 12.01.2026
    ("15.12.2025", "until:01.01", "2026-01-12"),
]


@pytest.mark.parametrize(("start", "term", "expected"), UNTIL)
def test_until_date(sop, start, term, expected):
    assert due_json(sop, start, term)["due"] == expected


# ---------------------------------------------------------------------------
# Range: due at the upper bound, lower bound as `target`
# ---------------------------------------------------------------------------
RANGE = [
    # Fri 02.05.2025 (off): +3 = Mon 05.05 (target), +5 = Wed 07.05 (due), both working
    ("02.05.2025", "3-5d", "2025-05-07", "2025-05-05"),
    # Sun 04.05.2025: +3 = Wed 07.05 (target); +5 = Fri 09.05 holiday → Mon 12.05.2025 (due)
    ("04.05.2025", "3-5d", "2025-05-12", "2025-05-07"),
    # Wed 30.10.2024: +3 = Sat 02.11 working (target); +5 = Mon 04.11 holiday → Tue 05.11 (due)
    ("30.10.2024", "3-5d", "2024-11-05", "2024-11-02"),
]


@pytest.mark.parametrize(("start", "term", "expected", "target"), RANGE)
def test_range(sop, start, term, expected, target):
    data = due_json(sop, start, term)
    assert data["due"] == expected
    assert data["target"] == target


def test_range_upper_bound_over_new_year(sop):
    # Fri 27.12.2024 + 5 = Wed 01.01.2025 → holidays → 09.01.2025
    assert due_json(sop, "27.12.2024", "3-5d")["due"] == "2025-01-09"


# ---------------------------------------------------------------------------
# Immediate: working day at a moment → +24 h; non-working day → end of the
# first working day after it. Zone: Europe/Moscow (+03:00).
# ---------------------------------------------------------------------------
IMMEDIATE_MOMENT = [
    # Fri 14.03.2025 10:30, working → Sat 15.03.2025 10:30 (exactly 24 h)
    ("14.03.2025 10:30", "2025-03-15T10:30:00+03:00"),
    # Sat 02.11.2024 09:00 is a working Saturday → 03.11.2024 09:00
    ("02.11.2024 09:00", "2024-11-03T09:00:00+03:00"),
    # Sat 01.11.2025 18:00 is a working Saturday → 02.11.2025 18:00
    ("01.11.2025 18:00", "2025-11-02T18:00:00+03:00"),
    # Fri 27.12.2024 15:00 before New Year, working → 28.12.2024 15:00
    ("27.12.2024 15:00", "2024-12-28T15:00:00+03:00"),
    # Sat 28.12.2024 16:00, working Saturday → Sun 29.12.2024 16:00
    ("28.12.2024 16:00", "2024-12-29T16:00:00+03:00"),
    # Tue 29.12.2026 23:30, working → 30.12.2026 23:30
    ("29.12.2026 23:30", "2026-12-30T23:30:00+03:00"),
    # Wed 30.04.2025 20:00, working; +24 h lands on the 01.05 holiday — still exactly +24 h
    ("30.04.2025 20:00", "2025-05-01T20:00:00+03:00"),
    # ISO moment accepted (CLI.md): Fri 14.03.2025 10:30 → +24 h
    ("2025-03-14T10:30", "2025-03-15T10:30:00+03:00"),
]


@pytest.mark.parametrize(("start", "expected"), IMMEDIATE_MOMENT)
def test_immediate_on_a_working_day(sop, start, expected):
    assert due_json(sop, start, "immediate")["due"] == expected


IMMEDIATE_NON_WORKING = [
    # Sat 15.03.2025 (ordinary weekend) → end of Mon 17.03.2025
    ("15.03.2025 12:00", "2025-03-17", "2025-03-18T00:00:00+03:00"),
    # Mon 30.12.2024 (off) → 31.12 off, 01–08.01 → end of Thu 09.01.2025
    ("30.12.2024 10:00", "2025-01-09", "2025-01-10T00:00:00+03:00"),
    # Wed 31.12.2025 (off) → 01–11.01.2026 off → end of Mon 12.01.2026
    ("31.12.2025 11:00", "2026-01-12", "2026-01-13T00:00:00+03:00"),
    # Tue 04.11.2025 holiday → end of Wed 05.11.2025
    ("04.11.2025 08:00", "2025-11-05", "2025-11-06T00:00:00+03:00"),
    # Sun 03.11.2024 → Mon 04.11 holiday → end of Tue 05.11.2024
    ("03.11.2024 14:00", "2024-11-05", "2024-11-06T00:00:00+03:00"),
    # Thu 31.12.2026 (off) → 01–10.01.2027 off → end of Mon 11.01.2027
    ("31.12.2026 09:00", "2027-01-11", "2027-01-12T00:00:00+03:00"),
]


@pytest.mark.parametrize(("start", "expected", "end"), IMMEDIATE_NON_WORKING)
def test_immediate_on_a_non_working_day(sop, start, expected, end):
    data = due_json(sop, start, "immediate")
    assert data["due"][:10] == expected
    assert data["due_end"] == end


# ---------------------------------------------------------------------------
# Periodic
# ---------------------------------------------------------------------------
PERIODIC_DUE = [
    # 09.11.2025 + 6m = Sat 09.05.2026 → Sun → 11.05 off → Tue 12.05.2026
    ("09.11.2025", "every:6m", "2026-05-12"),
    # 30.09.2024 + 3m = 30.12.2024 off → 31.12 → New Year → 09.01.2025
    ("30.09.2024", "every:3m", "2025-01-09"),
    # 01.10.2025 quarterly: end of Q4 31.12.2025 off (or +3m = 01.01.2026; both readings agree)
    # → 01–11.01.2026 off → Mon 12.01.2026
    ("01.10.2025", "quarterly", "2026-01-12"),
    # 01.04.2024 quarterly: end of Q2 Sun 30.06.2024 (or +3m = Mon 01.07) → Mon 01.07.2024
    ("01.04.2024", "quarterly", "2024-07-01"),
]


@pytest.mark.parametrize(("start", "term", "expected"), PERIODIC_DUE)
def test_periodic_first_due(sop, start, term, expected):
    assert due_json(sop, start, term)["due"] == expected


def test_periodic_occurrences_every_six_months(sop):
    # 15.01.2025 (Wed) + 6m, 12m, 18m: Tue 15.07.2025, Thu 15.01.2026, Wed 15.07.2026 — all working
    data = due_json(sop, "15.01.2025", "every:6m")
    assert data["due"] == "2025-07-15"
    occ = [o if isinstance(o, str) else o.get("due", o.get("date")) for o in data["occurrences"]]
    assert occ[:3] == ["2025-07-15", "2026-01-15", "2026-07-15"]


# ---------------------------------------------------------------------------
# Russian phrases as TERM
# ---------------------------------------------------------------------------
PHRASES = [
    # = 3wd from 27.12.2024 → 10.01.2025 (see WORKING_DAYS)
    ("27.12.2024", "в течение 3 рабочих дней", "2025-01-10"),
    # = 3wd from Thu 31.10.2024: 01.11, Sat 02.11, 05.11 → 05.11.2024
    ("31.10.2024", "3 рабочих дня", "2024-11-05"),
    # = 14d: 25.12.2025 + 14 = Thu 08.01.2026 → 09.01 off → weekend → 12.01.2026
    ("25.12.2025", "в 14-дневный срок", "2026-01-12"),
    # = 1m: 31.01.2025 → 28.02.2025
    ("31.01.2025", "в течение месячного срока", "2025-02-28"),
    # = 1m: 08.12.2025 → 08.01.2026 → 12.01.2026
    ("08.12.2025", "в течение месячного срока", "2026-01-12"),
    # = 10d: 30.12.2025 + 10 = Fri 09.01.2026 off → Mon 12.01.2026
    ("30.12.2025", "в течение 10 календарных дней", "2026-01-12"),
    # unspecified days = calendar days: 26.12.2025 + 7 = 02.01.2026 → 12.01.2026
    ("26.12.2025", "в течение 7 дней", "2026-01-12"),
    # = 2w: 18.12.2024 → 01.01.2025 → 09.01.2025
    ("18.12.2024", "в течение 2-х недель", "2025-01-09"),
    # = before anchor 1 month: 22.03.2027 − 1m = Mon 22.02.2027 off → Sun → Sat 20.02.2027 (working)
    ("22.03.2027", "за один месяц до выпуска", "2027-02-20"),
    # 001 §2.5.1(а) wording = 3d: Tue 03.11.2026 + 3 = Fri 06.11.2026 (working federally)
    ("03.11.2026", "в течение трех календарных дней", "2026-11-06"),
    # 004 §4.6 wording = 5wd: Tue 17.03.2026 → 18, 19, 20, 23, 24 → 24.03.2026
    ("17.03.2026", "в течение 5-ти рабочих дней", "2026-03-24"),
    # 004 §5.6 wording = 6m: 22.08.2026 → Mon 22.02.2027 off → 23.02 holiday → Wed 24.02.2027
    ("22.08.2026", "по истечении 6-ти месяцев", "2027-02-24"),
    # 000 §1 wording = until:01.10: from 01.10.2025 → до 01.10.2026 → Wed 30.09.2026
    ("01.10.2025", "ежегодно в срок до 1 октября", "2026-09-30"),
]


@pytest.mark.parametrize(("start", "phrase", "expected"), PHRASES)
def test_russian_phrases(sop, start, phrase, expected):
    assert due_json(sop, start, phrase)["due"] == expected


def test_phrase_immediately(sop):
    # "незамедлительно" on Fri 14.03.2025 10:30 (working) → +24 h
    assert due_json(sop, "14.03.2025 10:30", "незамедлительно")["due"] == "2025-03-15T10:30:00+03:00"


def test_phrase_range(sop):
    # "в течение 3-5 дней" from Sun 04.05.2025: upper 09.05 holiday → 12.05; lower 07.05
    data = due_json(sop, "04.05.2025", "в течение 3-5 дней")
    assert data["due"] == "2025-05-12"
    assert data["target"] == "2025-05-07"


# ---------------------------------------------------------------------------
# Rules from the rulebook
# ---------------------------------------------------------------------------
RULES = [
    # me.check = 5 working days (004 §4.6): Fri 26.04.2024 → 07.05.2024
    ("me.check", "26.04.2024", "2024-05-07"),
    # me.check: Wed 30.04.2025 → 13.05.2025
    ("me.check", "30.04.2025", "2025-05-13"),
    # me.close.send = 10 working days: 29.12.2025 → 22.01.2026
    ("me.close.send", "29.12.2025", "2026-01-22"),
    # fed.stat.annual = до 10 января: from 31.12.2025 → 09.01.2026 off → 12.01.2026
    ("fed.stat.annual", "31.12.2025", "2026-01-12"),
    # fed.suvu.early = not later than 10 calendar days before: 18.01.2027 → 08.01 → back to 30.12.2026
    ("fed.suvu.early", "18.01.2027", "2026-12-30"),
]


@pytest.mark.parametrize(("rule", "start", "expected"), RULES)
def test_rule_terms(sop, rule, start, expected):
    data = due_json(sop, start, None, "--rule", rule)
    assert data["due"] == expected
    rule_field = data["rule"]
    rule_id = rule_field.get("id") if isinstance(rule_field, dict) else rule_field
    assert rule_id == rule


def test_rulebook_me_check_is_five_working_days(sop):
    res = sop("rules", "--set", "mari-el", "--json")
    assert res.code == 0, res.err
    rules = {r["id"]: r for r in res.json()["rules"]}
    assert rules["me.check"]["term"] == "5wd"
    assert rules["me.check"]["source"] == "004 §4.6"
    assert "mari-el" in rules["me.check"]["sets"]


# ---------------------------------------------------------------------------
# Production calendar totals (official figures)
# ---------------------------------------------------------------------------
TOTALS = [
    (2024, 248, [17, 20, 20, 21, 20, 19, 23, 22, 21, 23, 21, 21]),
    (2025, 247, [17, 20, 21, 22, 18, 19, 23, 21, 22, 23, 19, 22]),
    (2026, 247, [15, 19, 21, 22, 19, 21, 23, 21, 22, 22, 20, 22]),
    # 2027 from the facts above: 261 weekdays − 15 weekday holidays/off + Sat 20.02 = 247
    (2027, 247, [15, 19, 22, 22, 19, 21, 22, 22, 22, 21, 20, 22]),
]


@pytest.mark.parametrize(("year", "total", "by_month"), TOTALS)
def test_yearly_working_day_totals(sop, year, total, by_month):
    res = sop("calendar", "show", str(year), "--json")
    assert res.code == 0, res.err
    data = res.json()
    assert data["year"] == year
    assert data["working_days"] == total
    assert data["working_days_by_month"] == by_month


SHOW_DAYS = [
    (2024, "2024-04-27", True),   # working Saturday
    (2024, "2024-11-02", True),   # working Saturday
    (2024, "2024-12-28", True),   # working Saturday
    (2024, "2024-12-30", False),  # moved day off
    (2025, "2025-11-01", True),   # working Saturday
    (2025, "2025-05-08", False),  # moved from Sun 23.02.2025
    (2026, "2026-01-09", False),  # moved from Sat 03.01.2026
    (2027, "2027-02-20", True),   # working Saturday (package data)
    (2027, "2027-11-05", False),  # moved day off
]


@pytest.mark.parametrize(("year", "day", "working"), SHOW_DAYS)
def test_calendar_show_lists_special_days(sop, year, day, working):
    res = sop("calendar", "show", str(year), "--json")
    assert res.code == 0, res.err
    days = {d["date"]: d for d in res.json()["days"]}
    assert day in days
    assert days[day]["working"] is working


def test_24_february_2025_is_an_ordinary_working_day(sop):
    # 23.02.2025 (Sunday) was moved to 08.05.2025, so Mon 24.02.2025 is not off
    days = {d["date"] for d in sop("calendar", "show", "2025", "--json").json()["days"]}
    assert "2025-02-24" not in days


# ---------------------------------------------------------------------------
# Region preset TA (Tatarstan): 30.08, 06.11, Ураза-байрам 20.03.2026,
# Курбан-байрам 27.05.2026 are non-working
# ---------------------------------------------------------------------------
REGION = [
    # Thu 19.03.2026 1wd: federal Fri 20.03; TA 20.03 off → weekend → Mon 23.03.2026
    ("19.03.2026", "1wd", "2026-03-20", "2026-03-23"),
    # Tue 26.05.2026 3wd: federal 27, 28, 29 → 29.05; TA 27 off: 28 (1), 29 (2), Mon 01.06 (3)
    ("26.05.2026", "3wd", "2026-05-29", "2026-06-01"),
    # Thu 29.08.2024 1wd: federal Fri 30.08; TA 30.08 off → weekend → Mon 02.09.2024
    ("29.08.2024", "1wd", "2024-08-30", "2024-09-02"),
    # Tue 05.11.2024 1wd: federal Wed 06.11; TA 06.11 off → Thu 07.11.2024
    ("05.11.2024", "1wd", "2024-11-06", "2024-11-07"),
    # Tue 03.11.2026 + 3d = Fri 06.11.2026: federal working; TA off → weekend → Mon 09.11.2026
    ("03.11.2026", "3d", "2026-11-06", "2026-11-09"),
    # Tue 17.03.2026 5wd: federal 18, 19, 20, 23, 24 → 24.03; TA skips 20.03 → 25.03.2026
    ("17.03.2026", "5wd", "2026-03-24", "2026-03-25"),
]


@pytest.mark.parametrize(("start", "term", "federal", "tatarstan"), REGION)
def test_region_tatarstan_option(sop, start, term, federal, tatarstan):
    assert due_json(sop, start, term)["due"] == federal
    assert due_json(sop, start, term, "--region", "TA")["due"] == tatarstan


def test_region_tatarstan_setting_changes_counts(sop):
    res = sop("calendar", "region", "TA")
    assert res.code == 0, res.err
    # me.check (5wd) from Tue 17.03.2026 in Tatarstan: 18, 19, 23, 24, 25 → 25.03.2026
    assert due_json(sop, "17.03.2026", None, "--rule", "me.check")["due"] == "2026-03-25"
    data = sop("calendar", "show", "2026", "--json").json()
    by_month = data["working_days_by_month"]
    # federal March 21, May 19, November 20; Tatarstan loses 20.03 (Fri), 27.05 (Wed), 06.11 (Fri)
    assert by_month[2] == 20
    assert by_month[4] == 18
    assert by_month[10] == 19
    # 30.08.2026 is a Sunday (regional days are not moved), so the year: 247 − 3 = 244
    assert data["working_days"] == 244


# ---------------------------------------------------------------------------
# Local overrides win over the package
# ---------------------------------------------------------------------------
def test_local_day_off_and_working_day(sop):
    # Tue 14.01.2025 1wd → Wed 15.01; make 15.01 off → Thu 16.01.2025
    assert due_json(sop, "14.01.2025", "1wd")["due"] == "2025-01-15"
    assert sop("calendar", "set", "15.01.2025", "--off", "--reason", "Указ главы № 1").code == 0
    assert due_json(sop, "14.01.2025", "1wd")["due"] == "2025-01-16"
    # Fri 10.01.2025 1wd → Mon 13.01; make Sat 11.01 working → 11.01.2025
    assert due_json(sop, "10.01.2025", "1wd")["due"] == "2025-01-13"
    assert sop("calendar", "set", "11.01.2025", "--work", "--reason", "Указ главы № 2").code == 0
    assert due_json(sop, "10.01.2025", "1wd")["due"] == "2025-01-11"
    # unset restores the package calendar
    assert sop("calendar", "unset", "15.01.2025", "--reason", "отмена").code == 0
    assert due_json(sop, "14.01.2025", "1wd")["due"] == "2025-01-15"


def test_iso_start_date(sop):
    # ISO date accepted: 27.12.2024 + 3 = 30.12 → … → 09.01.2025
    assert due_json(sop, "2024-12-27", "3d")["due"] == "2025-01-09"


def test_immediate_is_shown_in_the_registry_zone(sop):
    # with --tz Asia/Yekaterinburg (+05:00) the moment is read and shown in that zone:
    # Fri 14.03.2025 10:30 → 15.03.2025 10:30+05:00
    data = due_json(sop, "14.03.2025 10:30", "immediate", "--tz", "Asia/Yekaterinburg")
    assert data["due"] == "2025-03-15T10:30:00+05:00"


def test_working_day_count_reports_skipped_days_and_worked_weekends(sop):
    # 3wd from Fri 27.12.2024: Sat 28.12 counted (working Saturday); 29.12–08.01 not counted
    data = due_json(sop, "27.12.2024", "3wd")
    assert data["due"] == "2025-01-10"
    assert [d["date"] for d in data["worked_weekends"]] == ["2024-12-28"]
    skipped = [d["date"] for d in data["skipped"]]
    assert skipped[0] == "2024-12-29" and skipped[-1] == "2025-01-08" and len(skipped) == 11
    assert all(d["working"] is False for d in data["skipped"])
    assert data["explanation"] and all(isinstance(line, str) for line in data["explanation"])


def test_calendar_days_report_the_days_moved_over(sop):
    # 27.12.2024 + 3 = 30.12.2024; moved over 30.12.2024 … 08.01.2025 (10 days) to 09.01.2025
    data = due_json(sop, "27.12.2024", "3d")
    moved = [d["date"] for d in data["moved_over"]]
    assert moved[0] == "2024-12-30" and moved[-1] == "2025-01-08" and len(moved) == 10


def test_uncovered_year_is_warned_about(sop):
    # the package data ends in 2027: 10d from 27.12.2027 ends in January 2028 → warning
    assert due_json(sop, "27.12.2027", "10d")["warnings"]
    assert sop("calendar", "show", "2029", "--json").json()["warnings"]
    # …but a term fully inside covered years carries none
    assert due_json(sop, "27.12.2024", "3d")["warnings"] == []


# ---------------------------------------------------------------------------
# Presidential-decree days (preset, off by default)
# ---------------------------------------------------------------------------
DECREES = [
    # Fri 30.04.2021: 01–03.05 off; package: Tue 04.05.2021; decree 04–07.05 off, 08–10.05 off → Tue 11.05.2021
    ("30.04.2021", "1wd", "2021-05-04", "2021-05-11"),
    # Fri 29.10.2021: package: Mon 01.11.2021; decree 01–03.11, 04.11 holiday, 05.11 off, weekend → Mon 08.11.2021
    ("29.10.2021", "1wd", "2021-11-01", "2021-11-08"),
    # Tue 23.06.2020: package Wed 24.06.2020; decree (parade day) 24.06 off → Thu 25.06.2020
    ("23.06.2020", "1wd", "2020-06-24", "2020-06-25"),
]


@pytest.mark.parametrize(("start", "term", "without", "with_preset"), DECREES)
def test_decree_preset(sop, start, term, without, with_preset):
    assert due_json(sop, start, term)["due"] == without
    assert sop("calendar", "preset", "decrees", "--on").code == 0
    assert due_json(sop, start, term)["due"] == with_preset
    shown = sop("calendar", "show", start[-4:], "--json").json()
    assert shown["presets"]["decrees"]["enabled"] is True


def test_decree_preset_is_off_by_default(sop):
    shown = sop("calendar", "show", "2021", "--json").json()
    assert shown["presets"]["decrees"]["enabled"] is False


# ---------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "args",
    [
        ("calendar", "due", "31.02.2025", "3d", "--json"),   # no such date
        ("calendar", "due", "14.01.2025", "3x", "--json"),   # unknown term
        ("calendar", "due", "14.01.2025", "until:32.01", "--json"),  # bad until date
        ("calendar", "due", "14.01.2025", "until:31.02", "--json"),  # no 31 February
        ("calendar", "due", "14.01.2025", "5-3d", "--json"),  # reversed range
        ("calendar", "due", "14.01.2025", "--rule", "no.such.rule", "--json"),  # unknown rule
        ("calendar", "set", "15.01.2025", "--off"),  # no --reason
    ],
)
def test_bad_input_exit_2(sop, args):
    res = sop(*args)
    assert res.code == 2
    assert res.out == ""
    lines = res.err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Ошибка:")
    # nothing written: no local override appeared
    assert sop("calendar", "show", "2025", "--json").json()["overrides"] == []
