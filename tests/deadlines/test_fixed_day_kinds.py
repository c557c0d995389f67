"""Terms real regional orders write (issue 29 §2): a fixed day of each month, of the month after each quarter,
of each year, and hours — read from the typed form and from the sources' words, counted on the real production
calendar. DEADLINES.md: «до N числа» excludes N (the last day is the day before, as for «до DATE»); a month
without that day ends the term on its own last day; art. 193 moves a non-working last day forward; hours are a
moment, counted from the next full hour (art. 191).
"""

from datetime import date, datetime

import pytest

from sopcli.deadlines import InvalidInput, compute_due, parse_term, read_citation
from sopcli.deadlines.errors import RulebookError
from sopcli.deadlines.explain import explain_lines
from sopcli.deadlines.phrases import read_phrase
from sopcli.deadlines.rulebook import parse_rulebook
from sopcli.deadlines.terms import Kind, Term


def due(cal, msk, start, term):
    return compute_due(cal, start, parse_term(term), msk)


# -- typed forms and labels ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("typed", "term", "label"), [
    ("monthly:30", Term(Kind.MONTHLY, day=30), "ежемесячно до 30 числа"),
    ("monthly:1", Term(Kind.MONTHLY, day=1), "ежемесячно до 1 числа"),
    ("quarterly:5", Term(Kind.QUARTER_DAY, day=5),
     "ежеквартально до 5 числа месяца, следующего за отчётным кварталом"),
    ("24h", Term(Kind.HOURS, 24), "в течение 24 часов"),
    ("21h", Term(Kind.HOURS, 21), "в течение 21 часа"),
    ("1h", Term(Kind.HOURS, 1), "в течение 1 часа"),
])
def test_each_kind_is_typed_written_back_and_said_in_russian(typed, term, label):
    assert parse_term(typed) == term and parse_term(term.code) == term
    assert term.label == label
    assert read_phrase(label) == term  # what the registry says reads back as the same term


@pytest.mark.parametrize("bad", ["monthly:0", "monthly:32", "quarterly:0", "quarterly:40", "0h", "99999h",
                                 "monthly:", "quarterly:x"])
def test_impossible_days_and_hours_are_refused_in_russian(bad):
    with pytest.raises(InvalidInput) as err:
        parse_term(bad)
    assert err.value.message[0].isupper() and "\n" not in err.value.message


# -- the sources' words ------------------------------------------------------------------------------------
@pytest.mark.parametrize(("phrase", "code"), [
    ("ежемесячно до 30 числа", "monthly:30"),
    ("ежемесячно (до 30 числа каждого месяца)", "monthly:30"),  # Perm № 7, прил. 13 п. 3
    ("до 30 числа каждого месяца", "monthly:30"),
    ("ежемесячно в срок до 30 числа", "monthly:30"),
    ("ежемесячно до 15-го числа", "monthly:15"),
    ("ежемесячно, до 15 числа", "monthly:15"),
    ("ежеквартально до 5 числа месяца, следующего за отчетным кварталом", "quarterly:5"),
    ("ежеквартально до 5 числа месяца, следующего за отчётным кварталом", "quarterly:5"),
    ("ежеквартально до 5 числа месяца, следующего за истекшим кварталом", "quarterly:5"),
    ("до 10 ноября каждого года", "until:10.11"),  # before: «несколько разных сроков: until:10.11, every:12m»
    ("ежегодно до 10 ноября", "until:10.11"),
    ("в течение 24 часов", "24h"),  # before: «не найден срок»
    ("в течение двадцати четырех часов", "24h"),
    ("в течение 72 часов", "72h"),
    ("в 24-часовой срок", "24h"),
])
def test_the_sources_words_read_as_the_kind(phrase, code):
    assert parse_term(phrase).code == code
    assert read_citation(phrase).code == code


@pytest.mark.parametrize(("phrase", "shown"), [
    ("ежеквартально до 5 числа", "до 5 числа"),  # the 5th of which month: not guessed
    ("до 30 числа", "до 30 числа"),  # of which period
    ("не позднее 10 часов", "не позднее 10 часов"),  # a time of day, or ten hours?
])
def test_a_day_or_hours_without_their_period_are_refused_when_typed(phrase, shown):
    with pytest.raises(InvalidInput) as err:
        parse_term(phrase)
    assert shown in err.value.message


# -- a quoted sentence is read in full (issue 29 §2) ----------------------------------------------------------
def test_the_perm_sentence_reads_as_a_day_of_each_month_not_every_month_from_the_approval():
    quote = ("ответственные за выполнение мероприятий в ИП, обязаны соблюдать сроки проведения мероприятий и "
             "ежемесячно (до 30 числа каждого месяца), а также дополнительно по запросу информировать")
    assert read_citation(quote).code == "monthly:30"  # before: every:1m, the day dropped


@pytest.mark.parametrize(("quote", "words"), [
    ("ежеквартально до 5 числа представляют информацию", "до 5 числа"),
    ("в течение 3 рабочих дней со дня регистрации, далее до 5 числа", "до 5 числа"),
    ("в течение 3 рабочих дней со дня регистрации и ежегодно", "ежегодно"),
    ("в течение 3 рабочих дней, не позднее 10 часов", "часов"),
])
def test_a_quote_with_words_of_a_term_left_unread_is_refused_naming_them(quote, words):
    with pytest.raises(InvalidInput) as err:
        read_citation(quote)
    assert f"«{words}»" in err.value.message and "не прочитаны слова срока" in err.value.message


@pytest.mark.parametrize("quote", ["в течение 3 рабочих дней со дня регистрации",
                                   "в течение 3 дней из числа поступивших сведений",
                                   "в течение 10 дней после ежегодного отчета",
                                   "ежегодно до 10 января года, следующего за отчетным"])
def test_the_words_naming_the_event_stay_allowed(quote):
    read_citation(quote)


SET = '[[set]]\nid = "perm"\ntitle = "Пермь"\nextends = []\n'
RULE = """
[[rule]]
id = "pm.inform"
section = "work"
title = "Информировать о выполнении мероприятий ИП"
who = "органы системы профилактики"
to = "КДН"
term = "{term}"
written = "{written}"
source = "Пермь № 7, прил. 13 п. 3"
sets = ["perm"]
opens = ["plan.approved"]
"""


def test_a_rule_whose_written_day_disagrees_or_is_unread_is_refused_at_load():
    perm = "ежемесячно (до 30 числа каждого месяца)"
    assert parse_rulebook(SET + RULE.format(term="monthly:30", written=perm)).get("pm.inform").term.code == \
        "monthly:30"
    with pytest.raises(RulebookError) as err:  # before: accepted, the day silently dropped
        parse_rulebook(SET + RULE.format(term="every:1m", written=perm))
    assert "pm.inform" in err.value.message and "monthly:30" in err.value.message
    with pytest.raises(RulebookError) as err:
        parse_rulebook(SET + RULE.format(term="quarterly", written="ежеквартально до 5 числа"))
    assert "pm.inform" in err.value.message and "«до 5 числа»" in err.value.message


# -- counting: a day of each month -----------------------------------------------------------------------------
def test_monthly_30_is_the_29th_the_day_before_the_30th(cal, msk):
    res = due(cal, msk, date(2026, 4, 28), "monthly:30")
    assert res.due == date(2026, 4, 29)  # Wed; «до 30 числа» excludes the 30th (DEADLINES.md)
    assert res.occurrences == [date(2026, 4, 29), date(2026, 5, 29), date(2026, 6, 29), date(2026, 7, 29)]
    assert any("не включает это число" in n for n in res.notes)
    # the event on that very day: the term starts the next day, so it is the next month's (art. 191)
    assert due(cal, msk, date(2026, 4, 29), "monthly:30").due == date(2026, 5, 29)


def test_monthly_30_in_february_ends_on_its_last_day_then_art_193(cal, msk):
    res = due(cal, msk, date(2027, 1, 29), "monthly:30")
    assert (res.raw_end, res.due) == (date(2027, 2, 28), date(2027, 3, 1))  # Sun 28.02 → Mon 01.03
    assert any("нет 30-го числа" in n for n in res.notes) and any("ст. 193" in n for n in res.notes)
    assert due(cal, msk, date(2028, 2, 1), "monthly:30").due == date(2028, 2, 29)  # a leap year's 29th, Tue


def test_monthly_31_in_a_30_day_month_and_a_saturday(cal, msk):
    res = due(cal, msk, date(2026, 4, 15), "monthly:31")
    assert res.due == date(2026, 4, 30)  # April has no 31st: its last day, Thu
    assert res.occurrences[1] == date(2026, 6, 1)  # 30.05.2026 is a Saturday → Mon 01.06


def test_a_fixed_day_in_the_new_year_holidays_of_2027_moves_past_them(cal, msk):
    res = due(cal, msk, date(2026, 12, 15), "monthly:1")  # «до 1 числа»: through 31.12, a day off in 2026
    assert (res.raw_end, res.due) == (date(2026, 12, 31), date(2027, 1, 11))
    assert due(cal, msk, date(2027, 1, 1), "monthly:10").due == date(2027, 1, 11)  # Sat 09.01 → Mon 11.01


# -- a day of the month after each quarter ---------------------------------------------------------------------
def test_quarterly_5_is_due_by_the_4th_of_the_month_after_the_quarter(cal, msk):
    res = due(cal, msk, date(2026, 7, 15), "quarterly:5")
    assert (res.raw_end, res.due) == (date(2026, 10, 4), date(2026, 10, 5))  # Sun 04.10 → Mon 05.10
    assert res.occurrences == [date(2026, 10, 5), date(2027, 1, 11), date(2027, 4, 5), date(2027, 7, 5)]
    text = "\n".join(explain_lines(res, msk))
    assert "3-й квартал 2026" in text and "ст. 193" in text


def test_quarterly_5_from_a_quarters_last_day_reports_the_next_quarter(cal, msk):
    # the term starts 01.10: the fourth quarter is reported, by 04.01.2027, in the holidays → Mon 11.01.2027
    res = due(cal, msk, date(2026, 9, 30), "quarterly:5")
    assert (res.raw_end, res.due) == (date(2027, 1, 4), date(2027, 1, 11))
    # 31.12.2026: the term starts 01.01.2027, the first quarter of 2027: by Sun 04.04 → Mon 05.04.2027
    assert due(cal, msk, date(2026, 12, 31), "quarterly:5").due == date(2027, 4, 5)


# -- a day of each year, and the quarter's end (issue 29 §4) -------------------------------------------------
def test_a_day_of_each_year(cal, msk):
    assert due(cal, msk, date(2026, 3, 1), "до 10 ноября каждого года").due == date(2026, 11, 9)  # Mon
    assert due(cal, msk, date(2026, 11, 10), "ежегодно до 10 ноября").due == date(2027, 11, 9)  # Tue


def test_a_quarterly_term_from_a_quarters_last_day_is_the_next_quarters(cal, msk):
    res = due(cal, msk, date(2026, 9, 30), "quarterly")  # before: due 30.09, overdue the next morning
    assert res.raw_end == date(2026, 12, 31)
    assert res.due == date(2027, 1, 11)  # 31.12.2026 is a day off (moved from 04.01.2026), then the holidays
    assert due(cal, msk, date(2026, 9, 29), "quarterly").due == date(2026, 9, 30)


# -- hours ---------------------------------------------------------------------------------------------------
def test_hours_count_from_the_next_full_hour_and_keep_the_moment(cal, msk):
    res = due(cal, msk, datetime(2026, 12, 3, 10, 25, tzinfo=msk), "24h")
    assert res.due_at == datetime(2026, 12, 4, 11, 0, tzinfo=msk) and res.due == date(2026, 12, 4)
    assert any("ст. 191" in n and "11:00 03.12.2026" in n for n in res.notes)
    assert "Истекает: 04.12.2026 11:00" in "\n".join(explain_lines(res, msk))
    on_the_hour = due(cal, msk, datetime(2026, 12, 3, 10, 0, tzinfo=msk), "24h")
    assert on_the_hour.due_at == datetime(2026, 12, 4, 11, 0, tzinfo=msk)


def test_hours_over_a_weekend_are_not_moved_a_moment_is_not_a_day(cal, msk):
    res = due(cal, msk, datetime(2026, 12, 4, 17, 30, tzinfo=msk), "72h")  # Friday evening
    assert res.due_at == datetime(2026, 12, 7, 18, 0, tzinfo=msk) and not res.moved


def test_hours_from_a_date_alone_count_from_the_end_of_that_day_never_earlier(cal, msk):
    res = due(cal, msk, date(2026, 12, 31), "24h")
    assert res.due_at == datetime(2027, 1, 2, 0, 0, tzinfo=msk)  # 24:00 of 01.01.2027
    assert any("время события не указано" in n for n in res.notes)


def test_written_kind_never_lets_a_quote_name_another_day():
    rule = RULE.format(term="quarterly:5", written="ежемесячно до 30 числа") + 'written_kind = "monthly"\n'
    with pytest.raises(RulebookError) as err:
        parse_rulebook(SET + rule)
    assert "pm.inform" in err.value.message and "читается как monthly:30" in err.value.message


def test_hours_are_real_hours_across_a_clock_change(cal, msk):
    # Moscow put its clocks back an hour at 03:00 on 31.10.2010: 24 real hours from 10:00 30.10 (the next full
    # hour after 09:30) end at 09:00 31.10 by the clock, not at 10:00
    res = due(cal, msk, datetime(2010, 10, 30, 9, 30, tzinfo=msk), "24h")
    assert res.due_at is not None
    assert res.due_at.astimezone(msk).replace(tzinfo=None) == datetime(2010, 10, 31, 9, 0)


def test_until_29_february_in_a_common_year_runs_through_its_last_day(cal, msk):
    # as «до 30 числа» in February: all of February is before a 29th it does not have (before: 27.02)
    res = due(cal, msk, date(2026, 1, 10), "until:29.02")
    assert (res.raw_end, res.due) == (date(2026, 2, 28), date(2026, 3, 2))  # Sat 28.02 → Mon 02.03
    assert any("такой даты нет" in n for n in res.notes)
    assert due(cal, msk, date(2028, 1, 10), "until:29.02").due == date(2028, 2, 28)  # leap: the day before, Mon


def test_several_quarters_typed_are_their_months_and_read_back():
    """`every:2q` (found by the fuzzer): it read as two quarters and wrote back as «quarterly», one."""
    from sopcli.deadlines.terms import Kind, Term, parse_term

    assert parse_term("every:2q") == Term(Kind.PERIODIC, 6, "m") == parse_term(parse_term("every:2q").code)
    assert parse_term("every:1q") == Term(Kind.PERIODIC, 1, "q") == parse_term("quarterly")
