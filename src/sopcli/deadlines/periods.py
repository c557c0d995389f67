"""Periods as regional plans of measures write them (002): "ноябрь 2020 года", "IV квартал 2020 года,
в течение 2021 года", "2020-2021 годы", "постоянно", "в течение года (по отдельному графику)".

Each readable fragment becomes the dates an executor owes a report by (the
period's last day; a span of years or "постоянно" becomes a report each year or
quarter of the complex's span). What cannot be read is returned as it was
written, for the user to decide — never guessed.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date

MONTHS = ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
          "ноябрь", "декабрь")
_LOCATIVE = ("январе", "феврале", "марте", "апреле", "мае", "июне", "июле", "августе", "сентябре", "октябре",
             "ноябре", "декабре")
_MONTH = {**{m: i for i, m in enumerate(MONTHS, 1)}, **{m: i for i, m in enumerate(_LOCATIVE, 1)}}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


@dataclass(frozen=True)
class Period:
    text: str  # the fragment as written
    kind: str  # month | quarter | year | years | during-year | permanent
    start: date
    end: date
    every: str = ""  # "" (one report at the end) | "year" | "quarter"
    note: str = ""  # what the brackets said ("по отдельному графику")
    dues: tuple[date, ...] = field(default=())


def _quarter_end(year: int, q: int) -> date:
    month = 3 * q
    return date(year, month, calendar.monthrange(year, month)[1])


def _ends(start: date, end: date, every: str) -> tuple[date, ...]:
    if every == "year":
        return tuple(date(y, 12, 31) for y in range(start.year, end.year + 1))
    if every == "quarter":
        out = []
        for y in range(start.year, end.year + 1):
            for q in range(1, 5):
                d = _quarter_end(y, q)
                if start <= d <= end:
                    out.append(d)
        return tuple(out)
    return (end,)


def _clean(text: str) -> str:
    t = text.lower().replace("ё", "е").replace("–", "-").replace("—", "-")
    t = re.sub(r"\s*-\s*", "-", t)
    return " ".join(t.split())


def span_of(title: str) -> tuple[int, int] | None:
    """The complex's years from its title: "… на 2020-2021 годы" or "… на 2021 год"."""
    t = _clean(title)
    m = re.search(r"на (\d{4})-(\d{4}) год", t) or re.search(r"на (\d{4}) год", t)
    if not m:
        return None
    first = int(m[1])
    last = int(m[2]) if m.lastindex and m.lastindex > 1 else first
    return (first, last) if first <= last else None


def approved_on(title: str) -> date | None:
    """The complex's approval date from its heading ("от «30» июля 2020 года"): no report falls before it."""
    from sopcli.deadlines.dates import MONTHS_GENITIVE

    t = _clean(title).replace("«", "").replace("»", "")
    m = re.search(r"от (\d{1,2}) (" + "|".join(MONTHS_GENITIVE) + r") (\d{4})", t)
    if not m:
        return None
    try:
        return date(int(m[3]), MONTHS_GENITIVE.index(m[2]) + 1, int(m[1]))
    except ValueError:
        return None


def parse_periods(text: str, span: tuple[int, int] | None = None) -> tuple[list[Period], list[str]]:
    """(periods, unread fragments) of one cell."""
    notes = [" ".join(n.split()) for n in re.findall(r"\(([^)]*)\)", text)]
    body = re.sub(r"\([^)]*\)", " ", text)
    note = "; ".join(notes)
    periods: list[Period] = []
    # a bracket with its own date or term ("до 15 ноября") changes the period: a person decides
    unread: list[str] = [f"({n})" for n in notes
                         if re.search(r"\d|\bдо\b|\bне позднее\b|" + "|".join(m[:-1] for m in MONTHS), _clean(n))]
    for raw in re.split(r"[,;]|\bи\b", body):
        fragment = " ".join(raw.split()).strip(" .")
        if not fragment:
            continue
        try:
            p = _one(fragment, span, note)
        except ValueError:  # a day or year no calendar has
            p = None
        if p is not None and not _plausible(p, span):
            p = None
        if p is None:
            unread.append(fragment)
        else:
            periods.append(p)
    if not periods and not unread and note:
        unread.append(note)
    return periods, unread


def _plausible(p: Period, span: tuple[int, int] | None) -> bool:
    """Years a registry can hold, and within a year of the complex's own span when it has one."""
    if not (1991 <= p.start.year and p.end.year <= 2100) or p.end.year - p.start.year > 10:
        return False
    return span is None or (span[0] - 1 <= p.start.year and p.end.year <= span[1] + 1)


def _one(fragment: str, span: tuple[int, int] | None, note: str) -> Period | None:
    t = _clean(fragment)
    m = re.fullmatch(r"(?:в )?(" + "|".join(_MONTH) + r") (\d{4})(?: года?)?", t)
    if m:
        month, year = _MONTH[m[1]], int(m[2])
        last = date(year, month, calendar.monthrange(year, month)[1])
        return Period(fragment, "month", date(year, month, 1), last, note=note, dues=(last,))
    m = re.fullmatch(r"(?:в )?(iv|iii|ii|i|[1-4])(?:-?й)? квартал[а-я]* (\d{4})(?: года?)?", t)
    if m:
        q = _ROMAN.get(m[1]) or int(m[1])
        year = int(m[2])
        last = _quarter_end(year, q)
        return Period(fragment, "quarter", date(year, 3 * q - 2, 1), last, note=note, dues=(last,))
    m = re.fullmatch(r"(?:в течение )?(\d{4})(?: год[а-я]*)?", t)
    if m and 1991 <= int(m[1]) <= 2100:
        year = int(m[1])
        return Period(fragment, "year", date(year, 1, 1), date(year, 12, 31), note=note, dues=(date(year, 12, 31),))
    m = re.fullmatch(r"(?:в течение )?(\d{4})-(\d{4})(?: год[а-я]*| гг)?", t)
    if m and int(m[1]) < int(m[2]):
        start, end = date(int(m[1]), 1, 1), date(int(m[2]), 12, 31)
        return Period(fragment, "years", start, end, "year", note, _ends(start, end, "year"))
    if span is not None and re.fullmatch(r"(?:в течение|ежегодно в течение) (?:всего )?(?:периода|года)", t):
        start, end = date(span[0], 1, 1), date(span[1], 12, 31)
        return Period(fragment, "during-year", start, end, "year", note, _ends(start, end, "year"))
    if span is not None and re.fullmatch(r"постоянно|ежеквартально", t):
        start, end = date(span[0], 1, 1), date(span[1], 12, 31)
        return Period(fragment, "permanent", start, end, "quarter", note, _ends(start, end, "quarter"))
    return None
