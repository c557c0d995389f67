"""Properties of the Russian term reader (hypothesis): no term is misread.

Every term shown to a secretary (`Term.label`) reads back as itself; every
number 1–365 reads as itself in figures, in words and in the "N (прописью)"
form; a word added after a complete term is refused, never ignored.
All kinds are covered by the label round trip — none is excluded: the kinds
without a number (immediate, on-day, own, with:, quarterly) read their label
as a fixed phrase.
"""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sopcli.deadlines import InvalidInput, Kind, Term, parse_term
from sopcli.deadlines.phrases import normalize
from sopcli.deadlines.terms import MAX_N

MANY = settings(max_examples=400, deadline=None)

sizes = st.integers(min_value=1, max_value=MAX_N)
units = st.sampled_from(["d", "wd", "w", "m"])
KINDS = {"d": Kind.DAYS, "wd": Kind.WORKING_DAYS, "w": Kind.WEEKS, "m": Kind.MONTHS}
MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


@st.composite
def ranges(draw: st.DrawFn) -> Term:
    n = draw(st.integers(min_value=2, max_value=MAX_N))
    return Term(Kind.RANGE, n, draw(units), lo=draw(st.integers(min_value=1, max_value=n - 1)))


@st.composite
def untils(draw: st.DrawFn) -> Term:
    month = draw(st.integers(min_value=1, max_value=12))
    return Term(Kind.UNTIL, day=draw(st.integers(min_value=1, max_value=MONTH_DAYS[month - 1])), month=month)


terms = st.one_of(
    st.builds(lambda u, n: Term(KINDS[u], n), units, sizes),
    st.builds(lambda u, n: Term(Kind.BEFORE, n, u), units, sizes),
    st.builds(lambda u, n: Term(Kind.PERIODIC, n, u), units, sizes),
    ranges(), untils(),
    st.sampled_from([Term(Kind.IMMEDIATE), Term(Kind.ON_DAY), Term(Kind.OWN), Term(Kind.PERIODIC, 1, "q")]),
    st.from_regex(r"[a-z]{1,4}(\.[a-z0-9]{1,6}){0,3}", fullmatch=True).map(lambda ref: Term(Kind.WITH, ref=ref)),
)


@MANY
@given(terms)
def test_a_term_shown_in_russian_reads_back_as_itself(term):
    assert parse_term(term.label) == term
    assert parse_term(term.code) == term


# -- numbers in words, written here independently of the reader's own tables --------------------------------------
_UNITS = {  # nominative, genitive, dative, instrumental
    1: ("один", "одного", "одному", "одним"), 2: ("два", "двух", "двум", "двумя"),
    3: ("три", "трёх", "трем", "тремя"), 4: ("четыре", "четырех", "четырём", "четырьмя"),
    5: ("пять", "пяти", "пяти", "пятью"), 6: ("шесть", "шести", "шести", "шестью"),
    7: ("семь", "семи", "семи", "семью"), 8: ("восемь", "восьми", "восьми", "восемью"),
    9: ("девять", "девяти", "девяти", "девятью"),
}
_TEEN_STEMS = ["десят", "одиннадцат", "двенадцат", "тринадцат", "четырнадцат", "пятнадцат", "шестнадцат",
               "семнадцат", "восемнадцат", "девятнадцат"]
_TENS = {
    2: ("двадцать", "двадцати", "двадцати", "двадцатью"), 3: ("тридцать", "тридцати", "тридцати", "тридцатью"),
    4: ("сорок", "сорока", "сорока", "сорока"), 5: ("пятьдесят", "пятидесяти", "пятидесяти", "пятьюдесятью"),
    6: ("шестьдесят", "шестидесяти", "шестидесяти", "шестьюдесятью"),
    7: ("семьдесят", "семидесяти", "семидесяти", "семьюдесятью"),
    8: ("восемьдесят", "восьмидесяти", "восьмидесяти", "восемьюдесятью"),
    9: ("девяносто", "девяноста", "девяноста", "девяноста"),
}
_HUNDREDS = {1: ("сто", "ста", "ста", "ста"), 2: ("двести", "двухсот", "двумстам", "двумястами"),
             3: ("триста", "трехсот", "трёмстам", "тремястами")}
CASES = range(4)


def in_words(n: int, case: int) -> str:
    words = []
    hundreds, rest = divmod(n, 100)
    if hundreds:
        words.append(_HUNDREDS[hundreds][case])
    if 10 <= rest < 20:
        stem = _TEEN_STEMS[rest - 10]
        words.append(stem + ("ь", "и", "и", "ью")[case])
    else:
        tens, ones = divmod(rest, 10)
        if tens:
            words.append(_TENS[tens][case])
        if ones:
            words.append(_UNITS[ones][case])
    return " ".join(words)


UNIT_WORDS = {"d": ["дней", "календарных дней", "суток"], "wd": ["рабочих дней", "рабочими днями"],
              "w": ["недель", "неделями"], "m": ["месяцев", "месяцами"]}
numbers = st.integers(min_value=1, max_value=365)


@st.composite
def unit_words(draw: st.DrawFn) -> tuple[str, str]:
    unit = draw(units)
    return unit, draw(st.sampled_from(UNIT_WORDS[unit]))


@MANY
@given(numbers, unit_words(), st.sampled_from(CASES), st.sampled_from(["", "в течение ", "не более "]))
def test_every_number_reads_as_itself_in_figures_words_and_both(n, unit, case, prefix):
    code, word = unit
    expected = Term(KINDS[code], n)
    assert parse_term(f"{prefix}{n} {word}") == expected
    assert parse_term(f"{prefix}{in_words(n, case)} {word}") == expected
    assert parse_term(f"{prefix}{n} ({in_words(n, case)}) {word}") == expected


@MANY
@given(numbers, st.integers(min_value=1, max_value=365), unit_words(), st.sampled_from(CASES))
def test_figures_and_words_that_disagree_are_never_read(n, m, unit, case):
    assume(n != m)
    try:
        parse_term(f"{n} ({in_words(m, case)}) {unit[1]}")
    except InvalidInput as err:
        assert "\n" not in err.message
    else:
        raise AssertionError(f"{n} ({in_words(m, case)}) read as a term")


# -- a word added after a complete term is refused -----------------------------------------------------------
CONTINUATIONS = {"срок", "срока", "сроку", "сроком", "сроке", "даты", "опорной", "события", "достижения", "выпуска",
                 "освобождения", "выбытия", "истечения", "окончания"}  # the anchors the sources name after «до»
phrases = st.one_of(
    terms.map(lambda t: t.label),
    st.builds(lambda n, u, c: f"в течение {in_words(n, c)} {u[1]}", numbers, unit_words(), st.sampled_from(CASES)),
    st.builds(lambda n, u, c: f"{n} ({in_words(n, c)}) {u[1]}", numbers, unit_words(), st.sampled_from(CASES)),
    st.sampled_from(["незамедлительно", "ежеквартально", "ежемесячно", "в 14-дневный срок",
                     "в течение 5-ти рабочих дней", "не позднее чем за шесть месяцев до", "ежегодно до 10 января",
                     "раз в полгода", "в течение месяца"]),
)
extra = st.text(alphabet=st.sampled_from("абвгдежзийклмнопрстуфхцчшщъыьэюяabcxyz0123456789 ()-:!?№/"),
                min_size=1, max_size=15)


@MANY
@given(phrases, extra)
def test_text_after_a_complete_term_is_refused_never_ignored(phrase, tail):
    text = f"{phrase} {tail}"
    words = normalize(tail).split()
    assume(normalize(text) != normalize(phrase) and words and words[0] not in CONTINUATIONS)
    try:
        term = parse_term(text)
    except InvalidInput as err:
        assert "\n" not in err.message
    else:
        raise AssertionError(f"«{text}» read as {term.code}: «{tail}» was ignored")


@MANY
@given(st.lists(st.sampled_from(["в течение", "не позднее", "чем", "за", "до", "3", "трех", "тридцати", "пяти",
                                 "рабочих", "календарных", "дней", "дня", "недель", "месяца", "года", "каждые",
                                 "раз в", "незамедлительно", "ежемесячно", "(", ")", "-", "10", "января",
                                 "полгода", "14-дневный", "срок", "одного"]), max_size=7).map(" ".join))
def test_any_phrase_accepted_reads_the_same_from_its_label(text):
    try:
        term = parse_term(text)
    except InvalidInput as err:
        assert "\n" not in err.message
    else:
        assert parse_term(term.label) == term, (text, term.label)
