"""Terms as typed at the terminal and as written in the regulations.

One `Term` value describes every kind of DEADLINES.md; `parse_term` reads both
the short typed forms of CLI.md (`5wd`, `-6m`, `until:10.01`, `monthly:30`,
`quarterly:5`, `24h`) and the Russian phrases of the sources ("в течение 5-ти
рабочих дней", "в 14-дневный срок", "ежемесячно (до 30 числа каждого месяца)").
A phrase that cannot be read is refused, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sopcli.deadlines.errors import InvalidInput, shown
from sopcli.vocab import plural


class Kind(StrEnum):
    """Each kind's typed form, words and counting are its row of term_kinds.TERM_KINDS."""

    IMMEDIATE = "immediate"
    ON_DAY = "on-day"  # the event's own day (age.18: on the birthday)
    DAYS = "days"  # calendar days
    WORKING_DAYS = "working-days"
    WEEKS = "weeks"
    MONTHS = "months"
    BEFORE = "before"  # not later than N units before an anchor
    UNTIL = "until"  # "до DD.MM": a day of each year
    MONTHLY = "monthly"  # "ежемесячно до N числа": a fixed day of each month
    QUARTER_DAY = "quarter-day"  # "ежеквартально до N числа месяца, следующего за отчетным кварталом"
    HOURS = "hours"  # "в течение 24 часов": a moment, like IMMEDIATE
    PERIODIC = "periodic"  # every N units / each quarter
    RANGE = "range"  # "3-5 дней": due at the upper bound
    OWN = "own"  # the measure's own date (plan.measure)
    WITH = "with"  # no own term: due together with another rule (me.card)


MAX_N = 3660  # ten years of days: anything longer is a typo, not a term


@dataclass(frozen=True)
class Term:
    kind: Kind
    n: int = 0
    unit: str = ""  # for BEFORE / PERIODIC / RANGE: d, wd, w, m, q
    lo: int = 0  # RANGE lower bound
    day: int = 0  # UNTIL, MONTHLY, QUARTER_DAY: the day "до N числа" names
    month: int = 0  # UNTIL
    ref: str = ""  # WITH: the rule id

    # the table reads `Term`: imported when first asked, not before this module is
    @property
    def code(self) -> str:
        """The canonical typed form; `parse_term(t.code) == t`."""
        from sopcli.deadlines.term_kinds import TERM_KINDS

        return TERM_KINDS[self.kind].code(self)

    @property
    def label(self) -> str:
        """The term in Russian, as a secretary would read it aloud."""
        from sopcli.deadlines.term_kinds import TERM_KINDS

        return TERM_KINDS[self.kind].label(self)


#: Terms on the calendar's grid: each period's own fixed day (a quarter's end, a day of the month or year), not
#: a gap counted from the last fulfilment (every:6m). Done, one opens the next period's term (DEADLINES.md).
GRID = frozenset({Kind.UNTIL, Kind.MONTHLY, Kind.QUARTER_DAY})


def on_grid(term: Term) -> bool:
    return term.kind in GRID or (term.kind is Kind.PERIODIC and term.unit == "q")


def repeats(term: Term) -> bool:
    """A term whose fulfilment opens its next occurrence: periodic ones and the fixed days of each period."""
    return term.kind is Kind.PERIODIC or term.kind in GRID


def unit_phrase(n: int, unit: str) -> str:
    words = {
        "d": ("календарный день", "календарных дня", "календарных дней"),
        "wd": ("рабочий день", "рабочих дня", "рабочих дней"),
        "w": ("неделя", "недели", "недель"),
        "m": ("месяц", "месяца", "месяцев"),
        "q": ("квартал", "квартала", "кварталов"),
    }[unit]
    return f"{n} {plural(n, *words)}"


# -- typed forms (their patterns are the rows of term_kinds.TERM_KINDS) ---------------------
def check_n(n: int, text: str) -> int:
    if n < 1 or n > MAX_N:
        raise InvalidInput(f"Недопустимая длительность срока «{shown(text)}»: ожидается от 1 до {MAX_N}.")
    return n


def years_to_months(n: int, unit: str) -> tuple[int, str]:
    # ГК РФ ст. 192: a term in years ends in the same month and day of the last year.
    if unit == "y" and n > 100:
        raise InvalidInput(f"Срок в {n} лет недопустим: не более 100 лет.")
    return (n * 12, "m") if unit == "y" else (n, unit)


def until_date(day: int, month: int, text: str) -> Term:
    if not 1 <= month <= 12 or not 1 <= day <= (29 if month == 2 else 30 if month in (4, 6, 9, 11) else 31):
        raise InvalidInput(f"Такой даты нет в календаре: «{shown(text)}».")
    return Term(Kind.UNTIL, day=day, month=month)


def day_of_month(day: int, text: str) -> int:
    if not 1 <= day <= 31:
        raise InvalidInput(f"Такого числа месяца нет: «{shown(text)}» — ожидается от 1 до 31.")
    return day


def hours_phrase(n: int) -> str:
    """«24 часов» after «в течение»: the genitive, singular after 1, 21, 31…"""
    return f"{n} {'часа' if n % 10 == 1 and n % 100 != 11 else 'часов'}"


def parse_term(text: str | None) -> Term:
    """Read a typed term in full; an unreadable one is refused with a Russian message.

    Strict by design: a word left over is named and refused, never dropped — the
    loose reading this replaced turned "ежемесячно до 15 числа" into one month.
    A sentence quoted from a regulation is read with `phrases.read_citation`.
    """
    raw = (text or "").strip()
    if not raw:
        raise InvalidInput("Не указан срок: например 5wd, 3d, 2w, 1m, -6m, until:10.01, monthly:30, 24h, immediate.")
    # imported here: the table and the grammar read `Term`, so they cannot be imported before this module is
    from sopcli.deadlines.phrases import read_phrase
    from sopcli.deadlines.term_kinds import read_typed

    term = read_typed(raw) or read_phrase(raw)
    if term is None:
        raise InvalidInput(
            f"Не удалось прочитать срок «{shown(raw)}»: ожидается, например, 5wd, 3d, 2w, 1m, -6m, "
            "until:10.01, monthly:30, quarterly:5, 24h, 3-5d, every:6m, immediate "
            "или фраза вроде «в течение 3 рабочих дней»."
        )
    return term
