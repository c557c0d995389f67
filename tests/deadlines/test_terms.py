"""The term parser: typed forms of CLI.md and the phrases as the sources write them."""

import pytest

from sopcli.deadlines import InvalidInput, Kind, parse_term


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("5wd", "5wd"), ("3d", "3d"), ("2w", "2w"), ("1m", "1m"), ("6m", "6m"), ("1y", "12m"),
        ("-6m", "-6m"), ("-10d", "-10d"), ("-5wd", "-5wd"), ("until:10.01", "until:10.01"),
        ("until:1.10", "until:01.10"), ("3-5d", "3-5d"), ("every:6m", "every:6m"),
        ("quarterly", "quarterly"), ("immediate", "immediate"), ("IMMEDIATE", "immediate"),
        ("on", "on"), ("own", "own"), ("with:me.program", "with:me.program"),
    ],
)
def test_typed_forms_round_trip(text, code):
    term = parse_term(text)
    assert term.code == code
    assert parse_term(term.code) == term


@pytest.mark.parametrize(
    ("phrase", "code"),
    [
        ("незамедлительно", "immediate"),
        ("Незамедлительно", "immediate"),
        ("в течение 3 рабочих дней", "3wd"),
        ("3 рабочих дня", "3wd"),
        ("в течение 5-ти рабочих дней", "5wd"),
        ("в течение 10 -ти рабочих дней", "10wd"),
        ("не более трех рабочих дней с момента поступления информации", "3wd"),
        ("не позднее пяти рабочих дней", "5wd"),
        ("в течение трех календарных дней со дня выявления", "3d"),
        ("в течение трёх календарных дней", "3d"),
        ("в течение 10 календарных дней", "10d"),
        ("в течение семи календарных дней", "7d"),
        ("в течение 7 дней", "7d"),
        ("в 14-дневный срок", "14d"),
        ("в течение 3-5 дней", "3-5d"),
        ("в течение 3 – 5 дней", "3-5d"),
        ("в течение месячного срока", "1m"),
        ("в течение 2-х недель", "2w"),
        ("в течение двух недель", "2w"),
        ("по истечении 6-ти месяцев", "6m"),
        ("не позднее чем за шесть месяцев до истечения срока", "-6m"),
        ("не позднее чем за один месяц до выпуска", "-1m"),
        ("за месяц до выпуска", "-1m"),
        ("не позднее чем за 10 календарных дней до", "-10d"),
        ("ежегодно до 10 января года, следующего за отчетным", "until:10.01"),
        ("ежегодно в срок до 1 октября", "until:01.10"),
        ("ежеквартально", "quarterly"),
        ("каждые 3 месяца", "every:3m"),
        ("не реже одного раза в три месяца", "every:3m"),
        ("раз в полгода", "every:6m"),
        ("ежемесячно", "every:1m"),
        ("до 10.01", "until:10.01"),
        ("в день достижения 18 лет", "on"),
    ],
)
def test_russian_phrases(phrase, code):
    assert parse_term(phrase).code == code


@pytest.mark.parametrize(
    "bad",
    ["", "   ", "foo", "5x", "0wd", "-0d", "99999d", "until:31.02", "until:00.05", "5-3d",
     "every:0m", "в течение нескольких дней", "-3-5d", "with:",
     # a fraction or two terms in one phrase is never silently read as one of its numbers
     "1,5 месяцев", "в течение 2.5 рабочих дней", "10 дней и 3 рабочих", "в течение 10 дней и 3 рабочих дней"],
)
def test_unreadable_terms_are_refused_in_russian(bad):
    with pytest.raises(InvalidInput) as err:
        parse_term(bad)
    assert err.value.message[0].isupper()
    assert "\n" not in err.value.message


def test_term_labels_are_russian():
    assert parse_term("5wd").label == "5 рабочих дней"
    assert parse_term("1wd").label == "1 рабочий день"
    assert parse_term("3d").label == "3 календарных дня"
    assert parse_term("21d").label == "21 календарный день"
    assert parse_term("until:10.01").label == "до 10 января"
    assert parse_term("-6m").kind is Kind.BEFORE
