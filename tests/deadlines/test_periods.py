"""Periods of a regional complex of measures (002) as written, and what is left for a person."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from sopcli.deadlines.periods import parse_periods, span_of

SPAN = (2020, 2021)
SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "002_4b7cf8c93ee536d7.txt"


@pytest.mark.parametrize(("text", "dues"), [
    ("ноябрь 2020 года", ["2020-11-30"]),
    ("в феврале 2021 года", ["2021-02-28"]),
    ("IV квартал 2020 года", ["2020-12-31"]),
    ("I квартал 2021 года", ["2021-03-31"]),
    ("III квартал 2021 года", ["2021-09-30"]),
    ("в течение 2021 года", ["2021-12-31"]),
    ("2021 год", ["2021-12-31"]),
    ("2020 -2021 годы", ["2020-12-31", "2021-12-31"]),
    ("IV квартал 2020 года, в течение 2021 года", ["2020-12-31", "2021-12-31"]),
    ("в течение года (по отдельному графику)", ["2020-12-31", "2021-12-31"]),
    ("постоянно", ["2020-03-31", "2020-06-30", "2020-09-30", "2020-12-31", "2021-03-31", "2021-06-30",
                   "2021-09-30", "2021-12-31"]),
])
def test_periods_as_written(text, dues):
    periods, unread = parse_periods(text, SPAN)
    assert unread == []
    assert [d.isoformat() for p in periods for d in p.dues] == dues


def test_notes_are_kept_and_the_unreadable_is_returned_not_guessed():
    periods, unread = parse_periods("в течение года (по отдельному графику)", SPAN)
    assert periods[0].note == "по отдельному графику" and periods[0].every == "year"
    assert parse_periods("по мере необходимости", SPAN) == ([], ["по мере необходимости"])
    assert parse_periods("постоянно", None) == ([], ["постоянно"])  # no span: which years?
    assert parse_periods("13 квартал 2020 года", SPAN)[1] == ["13 квартал 2020 года"]
    periods, unread = parse_periods("ноябрь 2020 года; когда-нибудь", SPAN)
    assert [p.end for p in periods] == [date(2020, 11, 30)] and unread == ["когда-нибудь"]


def test_span_of_a_title():
    assert span_of("Межведомственный комплекс … на 2020-2021 годы") == (2020, 2021)
    assert span_of("План на 2022 год") == (2022, 2022)
    assert span_of("План мероприятий") is None


@pytest.mark.skipif(not SEED.exists(), reason="../shared/seeds is beside the repository in CI")
def test_every_period_of_the_002_complex_reads():
    text = SEED.read_text("utf-8")
    span = span_of(text[:2000])
    assert span == (2020, 2021)
    cells = [line.split("\t")[2] for line in text.splitlines()
             if re.match(r"^\d+\.\t", line) and len(line.split("\t")) > 2]
    assert len(cells) == 30
    for cell in cells:
        periods, unread = parse_periods(cell, span)
        assert periods and not unread, cell


@pytest.mark.parametrize("text", ["ноябрь 0000 года", "ноябрь 0202", "IV квартал 2202 года", "2020-9999 годы",
                                  "в течение 2030 года"])
def test_impossible_or_far_years_are_left_for_a_person(text):
    assert parse_periods(text, SPAN)[0] == []


def test_a_bracket_with_its_own_date_is_not_swallowed():
    periods, unread = parse_periods("IV квартал 2020 года (до 15 ноября)", SPAN)
    assert unread == ["(до 15 ноября)"] and periods  # the quarter is read, the bracket is shown
