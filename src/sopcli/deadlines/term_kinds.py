"""The kinds of term, one row each: how the kind is typed, written back and said in Russian, and how it is counted.

`parse_term` (typed forms), `Term.code`, `Term.label` and `compute_due` all read `TERM_KINDS`, in place of
the six parallel if/elif chains they replaced: adding a kind of term is adding its member to `Kind`, a row
here and the function that counts it (compute.py). The Russian phrases of the sources are a grammar of
their own (phrases.py): a new kind a regulation writes in words is taught there too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from sopcli.deadlines import compute
from sopcli.deadlines.dates import MONTHS_GENITIVE
from sopcli.deadlines.errors import InvalidInput, shown
from sopcli.deadlines.terms import (
    Kind,
    Term,
    check_n,
    day_of_month,
    hours_phrase,
    unit_phrase,
    until_date,
    years_to_months,
)

_UNIT = r"(?P<unit>wd|d|w|m|y)"


@dataclass(frozen=True)
class TermKind:
    code: Callable[[Term], str]  # the canonical typed form; `parse_term(t.code) == t`
    label: Callable[[Term], str]  # the term in Russian, as a secretary would read it aloud
    count: compute.Count | None  # the due date from the event (compute.py); None: a term set otherwise
    words: tuple[str, ...] = ()  # typed words that are the whole term ("immediate", "now")
    typed: re.Pattern[str] | None = None  # a typed form with figures, read by `read`
    read: Callable[[re.Match[str], str], Term | None] | None = None  # (the match, the text as typed)
    unit: str = ""  # a term counted in one unit (5wd): the unit's code


def _counted(unit: str, typed: str) -> TermKind:
    """A term of n units (`typed`: the units it is typed in) counted forward from the day after the event."""
    return TermKind(lambda t: f"{t.n}{unit}", lambda t: unit_phrase(t.n, unit),
                    lambda o, t, res: compute.count_forward(o, t, res, unit),
                    typed=re.compile(rf"(?P<n>\d+)(?P<unit>{typed})"), read=_read_counted, unit=unit)


def _read_counted(m: re.Match[str], text: str) -> Term:
    n, unit = years_to_months(check_n(int(m["n"]), text), m["unit"])
    return Term(UNITS[unit], n)


def _read_before(m: re.Match[str], text: str) -> Term | None:
    n, unit = years_to_months(check_n(int(m["n"]), text), m["unit"])
    return None if m["lo"] else Term(Kind.BEFORE, n, unit)  # "-3-5d": neither a range nor a term before


def _read_range(m: re.Match[str], text: str) -> Term:
    n, unit = years_to_months(check_n(int(m["n"]), text), m["unit"])
    lo, _ = years_to_months(check_n(int(m["lo"]), text), m["unit"])
    if lo >= n:
        raise InvalidInput(f"В сроке «{shown(text)}» нижняя граница должна быть меньше верхней.")
    return Term(Kind.RANGE, n, unit, lo=lo)


def _read_every(m: re.Match[str], text: str) -> Term:
    n, unit = years_to_months(check_n(int(m[1]), text), m[2])
    if unit == "q":  # one quarter is the calendar's quarter; several are their months (ГК РФ ст. 192 п. 2)
        return Term(Kind.PERIODIC, 1, "q") if n == 1 else Term(Kind.PERIODIC, check_n(3 * n, text), "m")
    return Term(Kind.PERIODIC, n, unit)


def _read_day(kind: Kind, m: re.Match[str], text: str) -> Term:
    """`monthly:30`, `quarterly:5`: the day "до N числа" of each month, of the month after each quarter."""
    return Term(kind, day=day_of_month(int(m[1]), text))


TERM_KINDS: dict[Kind, TermKind] = {
    Kind.IMMEDIATE: TermKind(
        lambda t: "immediate",
        lambda t: "незамедлительно (в течение суток; в нерабочий день — в первый рабочий день)",
        compute.count_immediate, words=("immediate", "now")),
    Kind.ON_DAY: TermKind(lambda t: "on", lambda t: "в день события", compute.count_on_day, words=("on", "0d")),
    Kind.DAYS: _counted("d", "d"),
    Kind.WORKING_DAYS: _counted("wd", "wd"),
    Kind.WEEKS: _counted("w", "w"),
    Kind.MONTHS: _counted("m", "m|y"),  # ГК РФ ст. 192: a term in years is one in months
    Kind.BEFORE: TermKind(
        lambda t: f"-{t.n}{t.unit}", lambda t: f"не позднее чем за {unit_phrase(t.n, t.unit)} до даты",
        compute.count_before, typed=re.compile(rf"-(?:(?P<lo>\d+)-)?(?P<n>\d+){_UNIT}"), read=_read_before),
    Kind.UNTIL: TermKind(
        lambda t: f"until:{t.day:02d}.{t.month:02d}", lambda t: f"до {t.day} {MONTHS_GENITIVE[t.month - 1]}",
        compute.count_until, typed=re.compile(r"until:(\d{1,2})\.(\d{1,2})"),
        read=lambda m, text: until_date(int(m[1]), int(m[2]), text)),
    Kind.MONTHLY: TermKind(
        lambda t: f"monthly:{t.day}", lambda t: f"ежемесячно до {t.day} числа", compute.count_monthly,
        typed=re.compile(r"monthly:(\d{1,2})"), read=lambda m, text: _read_day(Kind.MONTHLY, m, text)),
    Kind.QUARTER_DAY: TermKind(
        lambda t: f"quarterly:{t.day}",
        lambda t: f"ежеквартально до {t.day} числа месяца, следующего за отчётным кварталом",
        compute.count_quarter_day,
        typed=re.compile(r"quarterly:(\d{1,2})"),
        read=lambda m, text: _read_day(Kind.QUARTER_DAY, m, text)),
    Kind.HOURS: TermKind(
        lambda t: f"{t.n}h", lambda t: f"в течение {hours_phrase(t.n)}", compute.count_hours,
        typed=re.compile(r"(\d+)h"), read=lambda m, text: Term(Kind.HOURS, check_n(int(m[1]), text))),
    Kind.PERIODIC: TermKind(
        lambda t: "quarterly" if t.unit == "q" else f"every:{t.n}{t.unit}",
        lambda t: "ежеквартально (до конца квартала)" if t.unit == "q" else f"каждые {unit_phrase(t.n, t.unit)}",
        compute.count_periodic, typed=re.compile(r"every:(\d+)(wd|d|w|m|y|q)"), read=_read_every),
    Kind.RANGE: TermKind(
        lambda t: f"{t.lo}-{t.n}{t.unit}", lambda t: f"в течение {t.lo}–{unit_phrase(t.n, t.unit)}",
        compute.count_range, typed=re.compile(rf"(?P<lo>\d+)-(?P<n>\d+){_UNIT}"), read=_read_range),
    Kind.OWN: TermKind(lambda t: "own", lambda t: "в срок, установленный мероприятием", None, words=("own",)),
    Kind.WITH: TermKind(
        lambda t: f"with:{t.ref}", lambda t: f"одновременно с {t.ref}", None,
        typed=re.compile(r"with:.+", re.S), read=lambda m, text: Term(Kind.WITH, ref=text[5:].strip())),
}
# a quarterly term is typed as a word too, and is the periodic term of one quarter
_WORDS = {w: Term(kind) for kind, k in TERM_KINDS.items() for w in k.words} | {
    w: Term(Kind.PERIODIC, 1, "q") for w in ("quarterly", "every:q", "every:1q")}
UNITS = {k.unit: kind for kind, k in TERM_KINDS.items() if k.unit}


def read_typed(text: str) -> Term | None:
    """A short typed form of CLI.md (`5wd`, `-6m`, `until:10.01`), or None if the text is none of them."""
    t = text.lower()
    if t in _WORDS:
        return _WORDS[t]
    for k in TERM_KINDS.values():
        m = k.typed.fullmatch(t) if k.typed is not None else None
        if m:
            assert k.read is not None
            return k.read(m, text)
    return None
