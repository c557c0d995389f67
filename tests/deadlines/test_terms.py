"""The term parser: typed forms of CLI.md and the phrases as the sources write them."""

import pytest

from sopcli.deadlines import InvalidInput, Kind, parse_term, read_citation


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
        ("не позднее пяти рабочих дней", "5wd"),
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
        ("не позднее чем за 10 календарных дней до", "-10d"),
        ("ежегодно в срок до 1 октября", "until:01.10"),
        ("ежеквартально", "quarterly"),
        ("каждые 3 месяца", "every:3m"),
        ("не реже одного раза в три месяца", "every:3m"),
        ("раз в полгода", "every:6m"),
        ("ежемесячно", "every:1m"),
        ("до 10.01", "until:10.01"),
        ("в день достижения 18 лет", "on"),
        ("не более трех рабочих дней", "3wd"),
        ("не позднее чем за шесть месяцев до", "-6m"),
        ("за месяц до", "-1m"),
        ("ежегодно до 10 января", "until:10.01"),
        # numbers in words are read whole, in every case the regulations use
        ("в течение тридцати пяти дней", "35d"),
        ("ста двадцати календарных дней", "120d"),
        ("в течение трехсот шестидесяти пяти дней", "365d"),
        ("в течение двадцати одного рабочего дня", "21wd"),
        ("тремя рабочими днями", "3wd"),
        ("в течение трёх рабочих дней", "3wd"),
        ("в тридцатидневный срок", "30d"),
        # the drafting style "N (прописью)"
        ("10 (десяти) рабочих дней", "10wd"),
        ("3 (трех) календарных дней", "3d"),
        ("в течение 30 (тридцати) дней", "30d"),
        # ГК РФ ст. 192: полгода — по правилам месяцев, полмесяца — 15 дней
        ("в течение полугода", "6m"),
        ("в течение полумесяца", "15d"),
    ],
)
def test_russian_phrases(phrase, code):
    assert parse_term(phrase).code == code


@pytest.mark.parametrize(
    ("phrase", "shown"),
    [
        ("ежеквартально до 15 числа", "до 15 числа"),  # of which month? was read as a quarter, the day dropped
        ("не более трех рабочих дней с момента поступления информации", "с момента поступления информации"),
        ("примерно 5 дней", "примерно"),
        ("в течение 10 дней и 3 рабочих дней", "и 3 рабочих дней"),
        ("в течение пяти тридцати дней", "в течение пяти"),
    ],
)
def test_a_phrase_read_in_part_is_refused_naming_what_was_not_understood(phrase, shown):
    with pytest.raises(InvalidInput) as err:
        parse_term(phrase)
    assert f"не понято «{shown}»" in err.value.message


def test_thirty_five_in_words_is_not_five():
    assert parse_term("в течение тридцати пяти календарных дней").n == 35


def test_figures_and_words_that_disagree_are_refused():
    with pytest.raises(InvalidInput) as err:
        parse_term("10 (девяти) рабочих дней")
    assert "расходятся" in err.value.message and "\n" not in err.value.message


@pytest.mark.parametrize("phrase", ["полтора месяца", "в течение полутора месяцев", "полторы недели",
                                    "1,5 месяца", "два с половиной месяца"])
def test_fractions_are_refused_with_a_hint(phrase):
    with pytest.raises(InvalidInput) as err:
        parse_term(phrase)
    assert "Дробный срок" in err.value.message and "45d" in err.value.message


@pytest.mark.parametrize(
    ("quote", "code"),
    [
        ("в течение трех календарных дней со дня выявления признаков социально опасного положения", "3d"),
        ("не более трех рабочих дней с момента поступления информации", "3wd"),
        ("в срок не позднее, чем за шесть месяцев до истечения срока лишения свободы", "-6m"),
        ("не позднее чем за один месяц до выпуска", "-1m"),
        ("ежегодно до 10 января года, следующего за отчетным", "until:10.01"),
        ("с последующей передачей такой информации в письменном виде в течение 3 рабочих дней", "3wd"),
        ("в день достижения 18 лет", "on"),
        ("незамедлительно при выявлении чрезвычайных ситуаций", "immediate"),
    ],
)
def test_a_quoted_sentence_yields_its_one_term(quote, code):
    assert read_citation(quote).code == code


@pytest.mark.parametrize("quote", ["со дня выявления признаков", "в течение 3 дней, а затем в течение 5 рабочих дней"])
def test_a_quote_with_no_term_or_two_different_is_refused(quote):
    with pytest.raises(InvalidInput):
        read_citation(quote)


def test_a_quote_repeating_the_same_term_is_read():
    assert read_citation("в течение 3 рабочих дней, то есть не позднее трех рабочих дней").code == "3wd"


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
