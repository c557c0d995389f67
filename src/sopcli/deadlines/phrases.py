"""Terms written in Russian: a small grammar read word by word, never by a loose search.

Two readers share it. `read_phrase` is what a person typed as a term: it must
be read in full, and a word it does not understand ("ежемесячно до 15
числа") is refused by name — before, such a word was dropped and the rest
misread. `read_citation` finds the one term inside a sentence quoted from a
regulation, where the words around it name the event ("со дня выявления…").
"""

from __future__ import annotations

import re
from collections.abc import Callable

from sopcli.deadlines.dates import MONTHS_GENITIVE
from sopcli.deadlines.errors import InvalidInput, shown
from sopcli.deadlines.term_kinds import UNITS
from sopcli.deadlines.terms import Kind, Term, check_n, day_of_month, until_date, years_to_months

_TOKEN = re.compile(r"\d{1,2}\.\d{1,2}(?![\d.])|\d+-?[а-я]+|\d+|[а-я]+|\S")
_SUFFIX = re.compile(r"(\d+)(?:-?(?:х|ти|ми|и|ух|ех|го|ого|ой|му|ому|м|мя|ью|ю))?")
_FRACTION = re.compile(
    r"\bполтор|\bполутор|\bс половиной|\d\s*[,./]\s*\d+\s*(?:рабоч|календ|дн|день|сут|недел|месяц|мес|год|лет|час)"
)


# -- numerals ------------------------------------------------------------------------------------------
# Russian cardinal numerals, in the cases the regulations write terms in.
#
# A term in words is read whole ("тридцати пяти" is 35, "трехсот шестидесяти
# пяти" is 365) or not at all: a reader that knew only single words used to take
# the last word of a compound and misread the term (35 → 5).
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


DAY_WORDS = {"день", "дня", "дней", "дню", "дням", "днем", "днями", "днях", "сутки", "суток", "суткам", "сутками"}
_UNIT_WORDS = {
    "w": {"неделя", "недели", "недель", "неделю", "неделям", "неделями", "неделях", "неделе", "неделей"},
    "m": {"месяц", "месяца", "месяцев", "месяцу", "месяцам", "месяцем", "месяцами", "месяцах", "месяце"},
    "y": {"год", "года", "лет", "годам", "годами", "годах", "году", "годом", "годе", "годов"},
    "q": {"квартал", "квартала", "кварталов", "кварталам", "кварталами", "кварталах"},
    "h": {"час", "часа", "часов", "часам", "часами", "часах"},  # ГК РФ ст. 191: hours, a moment (24h)
}
_ANCHORS = (("истечения", "срока", "лишения", "свободы"), ("истечения", "срока"), ("окончания", "срока"),
            ("опорной", "даты"), ("даты",), ("события",), ("выпуска",), ("освобождения",), ("выбытия",))
# a unit with no number: only after "в течение", "за … до", "раз в" — elsewhere "года" is just a word
_BARE = {"месяц": (1, "m"), "месяца": (1, "m"), "неделю": (1, "w"), "недели": (1, "w"), "год": (1, "y"),
         "года": (1, "y"),
         "полгода": (6, "m"), "полугода": (6, "m"),  # ГК РФ ст. 192 п. 2: полгода — по правилам месяцев
         "полмесяца": (15, "d"), "полумесяца": (15, "d"),  # ГК РФ ст. 192 п. 3: полмесяца — 15 дней
         "часа": (1, "h")}  # "в течение часа"
_PREFIXES = [("в", "течение"), ("в", "течении"), ("в", "пределах"), ("по", "истечении"), ("в", "срок"),
             ("не", "позднее"), ("не", "более"), ("не", "свыше"), ("чем",), (",",), ("срок",), ("в",)]
_DURING = {("в", "течение"), ("в", "течении"), ("в", "пределах"), ("по", "истечении")}
_ADJ = re.compile(r"(\d+-?|[а-я]*?)(дневн|недельн|месячн|годичн|часов)(?:ый|ого|ому|ым|ом|ая|ой|ую|ое|ые|ых|ыми)")
_SROK = {"срок", "срока", "сроку", "сроком", "сроке"}
_EACH = {"каждый", "каждые", "каждую", "каждое", "каждых", "каждого"}
_EACH_BARE = {"квартал": (1, "q"), "месяц": (1, "m"), "неделю": (1, "w"), "год": (1, "y"), "полгода": (6, "m"),
              "полугодие": (6, "m"), "квартала": (1, "q"), "месяца": (1, "m"), "недели": (1, "w"),
              "года": (1, "y"), "полугода": (6, "m")}
_ADVERBS = {"ежеквартально": (1, "q"), "ежемесячно": (1, "m"), "еженедельно": (1, "w"), "ежедневно": (1, "d")}

Found = tuple[Term, int]  # the term and the index of the first token after it


def normalize(text: str) -> str:
    t = text.lower().replace("ё", "е").replace("\u00a0", " ")
    t = re.sub(r"[‐‑‒–—―−]", "-", t)
    t = re.sub(r"\s+", " ", t).strip(" .,;")
    return re.sub(r"(\d)\s*-\s*(х|ти|ми|и)\b", r"\1-\2", t)  # "10 -ти" as OCR leaves it


class _Reader:
    def __init__(self, text: str) -> None:
        self.raw = text
        self.text = normalize(text)
        found = list(_TOKEN.finditer(self.text))
        self.toks = [m[0] for m in found]
        self.spans = [m.span() for m in found]

    def tok(self, i: int) -> str:
        return self.toks[i] if i < len(self.toks) else ""

    def seq(self, i: int, *words: str) -> int | None:
        """The index after `words` if they stand at `i`."""
        return i + len(words) if tuple(self.toks[i:i + len(words)]) == words else None

    def piece(self, i: int, j: int) -> str:
        return self.text[self.spans[i][0]:self.spans[j - 1][1]]

    # -- numbers and units -----------------------------------------------------------
    def number(self, i: int) -> tuple[int, int] | None:
        m = _SUFFIX.fullmatch(self.tok(i))
        if m is None:
            words = read_words(self.toks[i:])
            return (words[0], i + words[1]) if words else None
        value, j = int(m[1]), i + 1
        words = read_words(self.toks[j + 1:]) if self.tok(j) == "(" else None
        if words and self.tok(j + 1 + words[1]) == ")":  # "10 (десяти)": the drafting style of the sources
            if words[0] != value:
                raise InvalidInput(f"В сроке «{shown(self.raw)}» число цифрами ({value}) и прописью "
                                   f"(«{self.piece(j + 1, j + 1 + words[1])}» — {words[0]}) расходятся: уточните.")
            j += words[1] + 2
        return value, j

    def unit(self, i: int) -> tuple[str, int] | None:
        t = self.tok(i)
        if t.startswith(("рабоч", "календарн")) and self.tok(i + 1) in DAY_WORDS:
            return ("wd" if t.startswith("рабоч") else "d"), i + 2
        if t in DAY_WORDS:
            return "d", i + 1
        code = next((c for c, words in _UNIT_WORDS.items() if t in words), None)
        return (code, i + 1) if code else None

    def amount(self, i: int, bare: dict[str, tuple[int, str]] | None = None) -> tuple[int, str, int] | None:
        """(n, unit, next): "3 рабочих дней", "тридцати пяти дней", or a unit alone where `bare` allows it."""
        if bare and self.tok(i) in bare:
            n, unit = bare[self.tok(i)]
            return n, unit, i + 1
        num = self.number(i)
        if num is None:
            return None
        unit = self.unit(num[1])
        return (num[0], unit[0], unit[1]) if unit else None

    def counted(self, text_n: int, unit: str) -> Term | None:
        if unit == "q":  # "в течение квартала": a calendar quarter or three months? Not guessed.
            return None
        if unit == "h":
            return Term(Kind.HOURS, check_n(text_n, self.raw))
        n, unit = years_to_months(check_n(text_n, self.raw), unit)
        return Term(UNITS[unit], n)

    # -- the grammar -------------------------------------------------------------------
    def prefixes(self, i: int) -> tuple[int, bool]:
        during = False
        while True:
            for words in _PREFIXES:
                j = self.seq(i, *words)
                if j is not None:
                    during = during or words in _DURING
                    i = j
                    break
            else:
                return i, during

    def immediate(self, i: int) -> Found | None:
        if self.tok(i) in ("незамедлительно", "немедленно"):
            return Term(Kind.IMMEDIATE), i + 1
        j = self.seq(i, "в", "течение", "суток")
        return (Term(Kind.IMMEDIATE), j) if j else None

    def on_day(self, i: int) -> Found | None:
        j = self.seq(i, "в", "день") or self.seq(i, "в", "тот", "же", "день")
        if j is None:
            return None
        if self.tok(j) == "события":
            return Term(Kind.ON_DAY), j + 1
        age = self.number(j + 1) if self.tok(j) == "достижения" else None
        if age and self.tok(age[1]) in ("лет", "года"):  # 004 §6.3(а): "в день достижения 18 лет"
            return Term(Kind.ON_DAY), age[1] + 1
        return Term(Kind.ON_DAY), j

    def periodic(self, i: int) -> Found | None:
        if self.tok(i) in _ADVERBS:
            n, unit = _ADVERBS[self.tok(i)]
            return self.every(n, unit), i + 1
        j = self.seq(i, "не", "реже") or i
        if self.tok(j) in _EACH:
            j += 1
        else:
            j = self.seq(j, "одного") or self.seq(j, "один") or self.seq(j, "1") or j
            j = self.seq(j, "раза", "в") or self.seq(j, "раз", "в")
            if j is None:
                return None
        found = self.amount(j, _EACH_BARE)
        if found is None:
            return None
        n, unit, end = found
        return (self.every(n, unit), end) if unit != "h" else None

    def every(self, n: int, unit: str) -> Term:
        if unit == "q":  # ГК РФ ст. 192 п. 2: квартал — три месяца, отсчёт с начала года
            return Term(Kind.PERIODIC, 1, "q") if n == 1 else Term(Kind.PERIODIC, check_n(3 * n, self.raw), "m")
        n, unit = years_to_months(check_n(n, self.raw), unit)
        return Term(Kind.PERIODIC, n, unit)

    def until(self, i: int) -> Found | None:
        j = self.seq(i, "ежегодно") or i
        j = self.seq(j, "в", "срок") or j
        j = self.seq(j, "до")
        if j is None:
            return None
        date = re.fullmatch(r"(\d{1,2})\.(\d{1,2})", self.tok(j))
        if date:
            found = until_date(int(date[1]), int(date[2]), self.raw), j + 1
        elif re.fullmatch(r"\d{1,2}", self.tok(j)) and self.tok(j + 1) in MONTHS_GENITIVE:
            found = until_date(int(self.tok(j)), MONTHS_GENITIVE.index(self.tok(j + 1)) + 1, self.raw), j + 2
        else:
            return None
        # "до 10 ноября каждого года": the same day of each year, not a second term every 12 months
        return found[0], self.seq(found[1], "каждого", "года") or found[1]

    def fixed_day(self, i: int) -> Found | None:
        """«ежемесячно (до 30 числа каждого месяца)», «ежеквартально до 5 числа месяца, следующего за отчетным
        кварталом»: a fixed day of each period (monthly:30, quarterly:5). The period must be named: «до 5 числа»
        alone, or «ежеквартально до 5 числа» (of which month?), is not read, and so refused."""
        lead = self.tok(i) if self.tok(i) in ("ежемесячно", "ежеквартально") else ""
        j = (self.seq(i + 1, ",") or i + 1) if lead else i
        bracket = self.tok(j) == "("
        j += bracket
        j = self.seq(j, "в", "срок") or j
        j = self.seq(j, "до")
        day = _SUFFIX.fullmatch(self.tok(j)) if j is not None else None
        if j is None or day is None or self.tok(j + 1) != "числа":
            return None
        period, j = self.period_of_day(j + 2)
        if bracket:
            if self.tok(j) != ")":
                return None
            j += 1
        kind = {("ежемесячно", ""): Kind.MONTHLY, ("ежемесячно", "m"): Kind.MONTHLY, ("", "m"): Kind.MONTHLY,
                ("ежеквартально", "q"): Kind.QUARTER_DAY, ("", "q"): Kind.QUARTER_DAY}.get((lead, period))
        return (Term(kind, day=day_of_month(int(day[1]), self.raw)), j) if kind else None

    def period_of_day(self, j: int) -> tuple[str, int]:
        """("m", next) after «каждого месяца», ("q", next) after «месяца, следующего за отчетным кварталом»."""
        month = self.seq(j, "каждого", "месяца")
        if month is not None:
            return "m", month
        k = self.seq(j, "месяца")
        k = (self.seq(k, ",") or k) if k is not None else None
        k = self.seq(k, "следующего", "за") if k is not None else None
        if k is not None and self.tok(k) in ("отчетным", "истекшим") and self.tok(k + 1) == "кварталом":
            return "q", k + 2
        return "", j

    def before(self, i: int) -> Found | None:
        j, _ = self.prefixes(i)
        j = self.seq(j, "за")
        found = self.amount(j, _BARE) if j is not None else None
        if found is None or self.tok(found[2]) != "до":
            return None
        n, unit, end = found
        if unit in ("q", "h"):
            return None
        n, unit = years_to_months(check_n(n, self.raw), unit)
        end += 1
        # the anchors the sources name (001 §2.5.1 и, к): the date itself comes as the start, never from the words
        for anchor in _ANCHORS:
            found_end = self.seq(end, *anchor)
            if found_end is not None:
                end = found_end
                break
        return Term(Kind.BEFORE, n, unit), end

    def duration(self, i: int) -> Found | None:
        j, during = self.prefixes(i)
        rng = self.range(j)
        if rng:
            return rng
        adj = _ADJ.fullmatch(self.tok(j))
        if adj:
            stem = adj[1].rstrip("-")
            n = int(stem) if stem.isdecimal() else (read_stem(stem) if stem else None)
            if n is None and not stem and adj[2] not in ("дневн", "часов"):
                n = 1  # "месячный срок", "недельный срок"
            if n is None:
                return None
            unit = {"дневн": "d", "недельн": "w", "месячн": "m", "годичн": "y", "часов": "h"}[adj[2]]
            end = j + 1 + (self.tok(j + 1) in _SROK)
            term = self.counted(n, unit)
            return (term, end) if term else None
        found = self.amount(j, _BARE if during else None)
        if found is None or (found[1] == "h" and not during):  # "не позднее 10 часов" may be a time of day
            return None
        term = self.counted(found[0], found[1])
        return (term, found[2]) if term else None

    def range(self, i: int) -> Found | None:
        j = self.seq(i, "от") or i
        lo = self.number(j)
        if lo is None:
            return None
        sep = self.seq(lo[1], "-") or (self.seq(lo[1], "до") if j != i else None)
        hi = self.number(sep) if sep is not None else None
        unit = self.unit(hi[1]) if hi else None
        if hi is None or unit is None or unit[0] in ("q", "h"):
            return None
        n, code = years_to_months(check_n(hi[0], self.raw), unit[0])
        low, _ = years_to_months(check_n(lo[0], self.raw), unit[0])
        if low >= n:
            raise InvalidInput(f"В сроке «{shown(self.raw)}» нижняя граница должна быть меньше верхней.")
        return Term(Kind.RANGE, n, code, lo=low), unit[1]

    def term_at(self, i: int) -> Found | None:
        """The longest term that starts at token `i`."""
        readers: list[Callable[[int], Found | None]] = [
            self.immediate, self.on_day, self.periodic, self.until, self.fixed_day, self.before, self.duration]
        found = [f for f in (read(i) for read in readers) if f is not None]
        return max(found, key=lambda f: f[1]) if found else None

    def scan(self) -> list[tuple[int, int, Term]]:
        """Every term in the text, left to right, each read as long as it goes."""
        out, i = [], 0
        while i < len(self.toks):
            found = self.term_at(i)
            if found is None:
                i += 1
                continue
            out.append((i, found[1], found[0]))
            i = found[1]
        return out


def _refuse_fraction(text: str) -> None:
    if _FRACTION.search(normalize(text)):
        raise InvalidInput(f"Дробный срок «{shown(text)}» не считается: укажите целое число дней или месяцев, "
                           "например 45d («45 календарных дней») или 18m.")


def _fixed(text: str) -> Term | None:
    """The labels `Term.label` writes for kinds without a number read back as those kinds."""
    with_ = re.fullmatch(r"одновременно с ([\w.\-]+)", text.strip())
    if with_:
        return Term(Kind.WITH, ref=with_[1])
    for term in (Term(Kind.IMMEDIATE), Term(Kind.OWN), Term(Kind.PERIODIC, 1, "q")):
        if normalize(text) == normalize(term.label):
            return term
    return None


def read_phrase(text: str) -> Term | None:
    """A term typed in Russian, read in full; None when no term is in it at all."""
    _refuse_fraction(text)
    fixed = _fixed(text)
    if fixed is not None:
        return fixed
    reader = _Reader(text)
    found = reader.scan()
    if not found:
        return None
    start, end, term = found[0]
    if (start, end) == (0, len(reader.toks)):
        return term
    n = len(reader.toks)
    rest = " … ".join(reader.piece(a, b) for a, b in ((0, start), (end, n)) if a < b)
    raise InvalidInput(f"Срок «{shown(text)}» прочитан не целиком: не понято «{shown(rest, 40)}» — "
                       "запишите только срок, например «в течение 3 рабочих дней».")


# words of a term left over in a quoted sentence: a day of the month, a period, hours (issue 29 §2). The words
# naming the event («со дня регистрации», «из числа») are not among them.
_TERM_WORDS = re.compile(
    r"(?:\bдо\s+)?(?:\d+(?:-?[а-я]+)?|[а-я]+(?:ого|его))\s+числ[аоу]\b"
    r"|\bеже(?:месячно|квартально|годно|недельно|дневно)\b"  # the adverbs; «ежегодного отчета» names an event
    r"|\bкажд(?:ого|ый|ые|ую|ое|ых)\s+(?:месяц|квартал|год|недел|полугод)\w*"
    r"|\bчас(?:а|ов|ам|ами|ах)?\b")


def _refuse_unread(phrase: str, reader: _Reader, found: list[tuple[int, int, Term]]) -> None:
    """A word of a term the grammar did not read (a day, «ежемесячно») refuses the quote: before, «до 30 числа»
    was dropped and «ежемесячно» read alone as every:1m."""
    text = reader.text
    for start, end, _ in found:  # what was read is blanked out: a word of a term may not reach across it
        a, b = reader.spans[start][0], reader.spans[end - 1][1]
        text = text[:a] + "|" * (b - a) + text[b:]
    words = [m[0] for m in _TERM_WORDS.finditer(text)]
    if words:
        raise InvalidInput(f"В цитате «{shown(phrase)}» не прочитаны слова срока: «{shown('», «'.join(words), 60)}» — "
                           "цитата должна читаться как срок целиком (например monthly:30, quarterly:5, until:10.11, "
                           "24h).")


def read_citation(phrase: str) -> Term:
    """The one term inside a sentence quoted from a regulation (the rulebook's `written`).

    The words around the term name the event and are not read; a quote with no
    term, or with two that disagree, is refused rather than read as one of them.
    """
    _refuse_fraction(phrase)
    fixed = _fixed(phrase)
    if fixed is not None:
        return fixed
    reader = _Reader(phrase)
    found = reader.scan()
    _refuse_unread(phrase, reader, found)
    terms = list(dict.fromkeys(term for _, _, term in found))
    if not terms:
        raise InvalidInput(f"В цитате «{shown(phrase)}» не найден срок.")
    if len(terms) > 1:
        raise InvalidInput(f"В цитате «{shown(phrase)}» несколько разных сроков: "
                           f"{', '.join(t.code for t in terms)}.")
    return terms[0]
