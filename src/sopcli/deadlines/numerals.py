"""Russian cardinal numerals, in the cases the regulations write terms in.

A term in words is read whole ("тридцати пяти" is 35, "трехсот шестидесяти
пяти" is 365) or not at all: a reader that knew only single words used to take
the last word of a compound and misread the term (35 → 5).
"""

from __future__ import annotations

# value → every case form (nominative, genitive, dative, instrumental, prepositional), ё folded to е.
_UNITS = {
    1: "один одна одно одну одного одной одному одним одном одною",
    2: "два две двух двум двумя",
    3: "три трех трем тремя",
    4: "четыре четырех четырем четырьмя",
    5: "пять пяти пятью", 6: "шесть шести шестью", 7: "семь семи семью",
    8: "восемь восьми восемью восьмью", 9: "девять девяти девятью",
}
_TEENS = {
    10: "десять десяти десятью", 11: "одиннадцать одиннадцати одиннадцатью",
    12: "двенадцать двенадцати двенадцатью", 13: "тринадцать тринадцати тринадцатью",
    14: "четырнадцать четырнадцати четырнадцатью", 15: "пятнадцать пятнадцати пятнадцатью",
    16: "шестнадцать шестнадцати шестнадцатью", 17: "семнадцать семнадцати семнадцатью",
    18: "восемнадцать восемнадцати восемнадцатью", 19: "девятнадцать девятнадцати девятнадцатью",
}
_TENS = {
    20: "двадцать двадцати двадцатью", 30: "тридцать тридцати тридцатью", 40: "сорок сорока",
    50: "пятьдесят пятидесяти пятьюдесятью", 60: "шестьдесят шестидесяти шестьюдесятью",
    70: "семьдесят семидесяти семьюдесятью", 80: "восемьдесят восьмидесяти восемьюдесятью восьмьюдесятью",
    90: "девяносто девяноста",
}
_HUNDREDS = {
    100: "сто ста", 200: "двести двухсот двумстам двумястами двухстах",
    300: "триста трехсот тремстам тремястами трехстах",
    400: "четыреста четырехсот четыремстам четырьмястами четырехстах",
    500: "пятьсот пятисот пятистам пятьюстами пятистах", 600: "шестьсот шестисот шестистам шестьюстами шестистах",
    700: "семьсот семисот семистам семьюстами семистах",
    800: "восемьсот восьмисот восьмистам восемьюстами восьмистах",
    900: "девятьсот девятисот девятистам девятьюстами девятистах",
}
# rank: a compound numeral goes from the larger rank to the smaller, each rank at most once;
# teens take the places of both tens and units ("сто пятнадцать", never "двадцать пятнадцать").
HUNDRED, TEN, TEEN, UNIT = 3, 2, 1, 0
WORDS: dict[str, tuple[int, int]] = {
    form: (value, rank)
    for table, rank in ((_UNITS, UNIT), (_TEENS, TEEN), (_TENS, TEN), (_HUNDREDS, HUNDRED))
    for value, forms in table.items()
    for form in forms.split()
}
# the first half of a compound adjective: "трехдневный", "двухнедельный", "тридцатидневный", "одномесячный"
STEMS: dict[str, int] = {
    "одно": 1, "двух": 2, "трех": 3, "четырех": 4, "пяти": 5, "шести": 6, "семи": 7, "восьми": 8, "девяти": 9,
    **{forms.split()[1]: v for v, forms in _TEENS.items()},
    **{forms.split()[1]: v for v, forms in _TENS.items() if v != 40}, "сорока": 40, "девяноста": 90,
    "сто": 100,
}


def read_words(words: list[str]) -> tuple[int, int] | None:
    """(value, words used) of the longest numeral at the start of `words`, or None.

    "сто двадцати" is 120 and "тридцати пяти" is 35; "пяти тридцати" stops after
    "пяти", so the caller sees a word it did not expect instead of a wrong sum.
    """
    total, used, last_rank = 0, 0, 4
    for word in words:
        found = WORDS.get(word)
        if found is None:
            break
        value, rank = found
        if rank >= last_rank or (last_rank == TEN and rank == TEEN):
            break
        total += value
        used += 1
        last_rank = UNIT if rank == TEEN else rank  # after a teen no unit may follow
    return (total, used) if used else None


def read_stem(stem: str) -> int | None:
    """The number in the first half of a compound adjective ("тридцатипяти" → 35), or None."""
    if stem in STEMS:
        return STEMS[stem]
    for k in range(len(stem) - 1, 0, -1):
        head, tail = stem[:k], stem[k:]
        if head in STEMS and tail in STEMS and STEMS[head] in range(20, 100, 10) and STEMS[tail] < 10:
            return STEMS[head] + STEMS[tail]
    return None
