"""Terms as typed at the terminal and as written in the regulations.

One `Term` value describes every kind of DEADLINES.md; `parse_term` reads both
the short typed forms of CLI.md (`5wd`, `-6m`, `until:10.01`) and the Russian
phrases of the sources ("в течение 5-ти рабочих дней", "в 14-дневный срок").
A phrase that cannot be read is refused, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from sopcli.deadlines.dates import MONTHS_GENITIVE
from sopcli.deadlines.errors import InvalidInput, shown


class Kind(StrEnum):
    IMMEDIATE = "immediate"
    ON_DAY = "on-day"  # the event's own day (age.18: on the birthday)
    DAYS = "days"  # calendar days
    WORKING_DAYS = "working-days"
    WEEKS = "weeks"
    MONTHS = "months"
    BEFORE = "before"  # not later than N units before an anchor
    UNTIL = "until"  # "до DD.MM"
    PERIODIC = "periodic"  # every N units / each quarter
    RANGE = "range"  # "3-5 дней": due at the upper bound
    OWN = "own"  # the measure's own date (plan.measure)
    WITH = "with"  # no own term: due together with another rule (me.card)


UNITS = {"d": Kind.DAYS, "wd": Kind.WORKING_DAYS, "w": Kind.WEEKS, "m": Kind.MONTHS}
MAX_N = 3660  # ten years of days: anything longer is a typo, not a term


@dataclass(frozen=True)
class Term:
    kind: Kind
    n: int = 0
    unit: str = ""  # for BEFORE / PERIODIC / RANGE: d, wd, w, m, q
    lo: int = 0  # RANGE lower bound
    day: int = 0  # UNTIL
    month: int = 0  # UNTIL
    ref: str = ""  # WITH: the rule id

    @property
    def code(self) -> str:
        """The canonical typed form; `parse_term(t.code) == t`."""
        k = self.kind
        if k is Kind.IMMEDIATE:
            return "immediate"
        if k is Kind.ON_DAY:
            return "on"
        if k is Kind.OWN:
            return "own"
        if k is Kind.WITH:
            return f"with:{self.ref}"
        if k is Kind.UNTIL:
            return f"until:{self.day:02d}.{self.month:02d}"
        if k is Kind.BEFORE:
            return f"-{self.n}{self.unit}"
        if k is Kind.RANGE:
            return f"{self.lo}-{self.n}{self.unit}"
        if k is Kind.PERIODIC:
            return "quarterly" if self.unit == "q" else f"every:{self.n}{self.unit}"
        unit = {v: u for u, v in UNITS.items()}[k]
        return f"{self.n}{unit}"

    @property
    def label(self) -> str:
        """The term in Russian, as a secretary would read it aloud."""
        k = self.kind
        if k is Kind.IMMEDIATE:
            return "незамедлительно (в течение суток; в нерабочий день — в первый рабочий день)"
        if k is Kind.ON_DAY:
            return "в день события"
        if k is Kind.OWN:
            return "в срок, установленный мероприятием"
        if k is Kind.WITH:
            return f"одновременно с {self.ref}"
        if k is Kind.UNTIL:
            return f"до {self.day} {MONTHS_GENITIVE[self.month - 1]}"
        if k is Kind.BEFORE:
            return f"не позднее чем за {unit_phrase(self.n, self.unit)} до даты"
        if k is Kind.RANGE:
            return f"в течение {self.lo}–{unit_phrase(self.n, self.unit)}"
        if k is Kind.PERIODIC:
            return "ежеквартально (до конца квартала)" if self.unit == "q" else (
                f"каждые {unit_phrase(self.n, self.unit)}")
        unit = {v: u for u, v in UNITS.items()}[k]
        return unit_phrase(self.n, unit)


def _plural(n: int, one: str, few: str, many: str) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def unit_phrase(n: int, unit: str) -> str:
    words = {
        "d": ("календарный день", "календарных дня", "календарных дней"),
        "wd": ("рабочий день", "рабочих дня", "рабочих дней"),
        "w": ("неделя", "недели", "недель"),
        "m": ("месяц", "месяца", "месяцев"),
        "q": ("квартал", "квартала", "кварталов"),
    }[unit]
    return f"{n} {_plural(n, *words)}"


# -- typed forms --------------------------------------------------------------
_TYPED = re.compile(r"(?P<neg>-)?(?:(?P<lo>\d+)-)?(?P<n>\d+)(?P<unit>wd|d|w|m|y)")
_UNTIL = re.compile(r"until:(\d{1,2})\.(\d{1,2})")
_EVERY = re.compile(r"every:(\d+)(wd|d|w|m|y|q)")


def check_n(n: int, text: str) -> int:
    if n < 1 or n > MAX_N:
        raise InvalidInput(f"Недопустимая длительность срока «{shown(text)}»: ожидается от 1 до {MAX_N}.")
    return n


def _typed(text: str) -> Term | None:
    t = text.lower()
    if t in ("immediate", "now"):
        return Term(Kind.IMMEDIATE)
    if t in ("on", "0d"):
        return Term(Kind.ON_DAY)
    if t == "own":
        return Term(Kind.OWN)
    if t in ("quarterly", "every:q", "every:1q"):
        return Term(Kind.PERIODIC, 1, "q")
    if t.startswith("with:") and len(t) > 5:
        return Term(Kind.WITH, ref=text[5:].strip())
    m = _UNTIL.fullmatch(t)
    if m:
        return until_date(int(m[1]), int(m[2]), text)
    m = _EVERY.fullmatch(t)
    if m:
        n, unit = years_to_months(check_n(int(m[1]), text), m[2])
        return Term(Kind.PERIODIC, n, unit)
    m = _TYPED.fullmatch(t)
    if not m:
        return None
    n, unit = years_to_months(check_n(int(m["n"]), text), m["unit"])
    if m["neg"] and m["lo"]:
        return None
    if m["neg"]:
        return Term(Kind.BEFORE, n, unit)
    if m["lo"]:
        lo, _ = years_to_months(check_n(int(m["lo"]), text), m["unit"])
        if lo >= n:
            raise InvalidInput(f"В сроке «{shown(text)}» нижняя граница должна быть меньше верхней.")
        return Term(Kind.RANGE, n, unit, lo=lo)
    return Term(UNITS[unit], n)


def years_to_months(n: int, unit: str) -> tuple[int, str]:
    # ГК РФ ст. 192: a term in years ends in the same month and day of the last year.
    if unit == "y" and n > 100:
        raise InvalidInput(f"Срок в {n} лет недопустим: не более 100 лет.")
    return (n * 12, "m") if unit == "y" else (n, unit)


def until_date(day: int, month: int, text: str) -> Term:
    if not 1 <= month <= 12 or not 1 <= day <= (29 if month == 2 else 30 if month in (4, 6, 9, 11) else 31):
        raise InvalidInput(f"Такой даты нет в календаре: «{shown(text)}».")
    return Term(Kind.UNTIL, day=day, month=month)


def parse_term(text: str | None) -> Term:
    """Read a typed term in full; an unreadable one is refused with a Russian message.

    Strict by design: a word left over is named and refused, never dropped — the
    loose reading this replaced turned "ежемесячно до 15 числа" into one month.
    A sentence quoted from a regulation is read with `phrases.read_citation`.
    """
    raw = (text or "").strip()
    if not raw:
        raise InvalidInput("Не указан срок: например 5wd, 3d, 2w, 1m, -6m, until:10.01, immediate.")
    # imported here: the grammar reads `Term`, so it cannot be imported before this module is
    from sopcli.deadlines.phrases import read_phrase

    term = _typed(raw) or read_phrase(raw)
    if term is None:
        raise InvalidInput(
            f"Не удалось прочитать срок «{shown(raw)}»: ожидается, например, 5wd, 3d, 2w, 1m, -6m, "
            "until:10.01, 3-5d, every:6m, immediate или фраза вроде «в течение 3 рабочих дней»."
        )
    return term
