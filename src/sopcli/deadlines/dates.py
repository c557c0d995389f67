"""Parsing and printing of dates and moments as a Russian secretary types them.

CLI.md: dates are `ДД.ММ.ГГГГ` or ISO `YYYY-MM-DD`; moments add ` ЧЧ:ММ` (or an
ISO `T`). A moment without an offset is read in the registry's time zone.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, tzinfo

from sopcli.deadlines.errors import InvalidInput, shown

WEEKDAYS_SHORT = ("пн", "вт", "ср", "чт", "пт", "сб", "вс")
MONTHS_GENITIVE = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)

_RU_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")
_OFFSET = re.compile(r"(Z|[+-]\d{2}:?\d{2})$")
# No registry date lies outside these years: a child born before 1900 or a step after 2100 is a typo, and
# datetime overflows (OverflowError, not a message) a few days away from years 1 and 9999.
FIRST_YEAR, LAST_YEAR = 1900, 2100


def _make_date(year: int, month: int, day: int, text: str) -> date:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidInput(f"Год в дате «{shown(text)}» вне допустимых {FIRST_YEAR}–{LAST_YEAR}.")
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidInput(f"Такой даты нет в календаре: «{shown(text)}».") from None


def _split_date(text: str) -> tuple[date, str]:
    """Read a leading date and return it with the rest of the text."""
    for pattern, order in ((_RU_DATE, "dmy"), (_ISO_DATE, "ymd")):
        m = pattern.match(text)
        if m:
            a, b, c = (int(g) for g in m.groups())
            y, mo, d = (c, b, a) if order == "dmy" else (a, b, c)
            return _make_date(y, mo, d, text), text[m.end():]
    raise InvalidInput(
        f"Не удалось прочитать дату «{shown(text)}»: ожидается ДД.ММ.ГГГГ или ГГГГ-ММ-ДД."
    )


def parse_date(text: str | None, what: str = "дата") -> date:
    """A calendar date; anything after it (a time, garbage) is refused."""
    text = (text or "").strip()
    if not text:
        raise InvalidInput(f"Не указана {what}: ожидается ДД.ММ.ГГГГ или ГГГГ-ММ-ДД.")
    day, rest = _split_date(text)
    if rest.strip():
        raise InvalidInput(f"Лишние символы после даты: «{shown(text)}» (ожидается только дата).")
    return day


def parse_moment(text: str | None, tz: tzinfo, what: str = "момент") -> date | datetime:
    """A date, or a date with a time; a time makes an aware datetime in `tz`.

    A bare date stays a `date`: the caller decides what an unknown time of day
    means for its term (DEADLINES.md, "immediate").
    """
    text = (text or "").strip()
    if not text:
        raise InvalidInput(f"Не указан {what}: ожидается ДД.ММ.ГГГГ [ЧЧ:ММ].")
    day, rest = _split_date(text)
    rest = rest.strip()
    if not rest:
        return day
    if rest[0] in "Tt":
        rest = rest[1:]
    offset = _OFFSET.search(rest)
    zone: tzinfo = tz
    if offset:
        raw = offset.group(1)
        rest = rest[: offset.start()]
        try:
            zone = datetime.strptime("+0000" if raw == "Z" else raw.replace(":", ""), "%z").tzinfo  # type: ignore[assignment]
        except ValueError:
            raise InvalidInput(f"Неверное смещение часового пояса в «{shown(text)}».") from None
    m = _TIME.fullmatch(rest.strip())
    if not m:
        raise InvalidInput(f"Не удалось прочитать время в «{shown(text)}»: ожидается ЧЧ:ММ.")
    hh, mm, ss = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
    if hh > 23 or mm > 59 or ss > 59:
        raise InvalidInput(f"Такого времени нет: «{shown(text)}».")
    return datetime.combine(day, time(hh, mm, ss), tzinfo=zone)


def fmt_date(d: date) -> str:
    return d.strftime("%d.%m.%Y")


def fmt_day(d: date) -> str:
    """`08.11.2024 (пт)` — the weekday matters to every reader of a due date."""
    return f"{fmt_date(d)} ({WEEKDAYS_SHORT[d.weekday()]})"


def fmt_moment(m: datetime, tz: tzinfo | None = None) -> str:
    if tz is not None:
        m = m.astimezone(tz)
    return m.strftime("%d.%m.%Y %H:%M")


# -- when a term has run out ---------------------------------------------------------------------------
# When a term has run out, in one place: the digest's overdue, the scorecard's late, `explain`'s lateness.
#
# ГК РФ ст. 194: a term in days ends at 24:00 of its last day, in the registry's
# zone; an immediate term keeps its moment (`due_at`) and ends there. Every
# reader of an obligation asks the same two questions — when does it end, and
# was a given moment past it — so they are answered here, once, from the stored
# `due` and `due_at`; the reads, the export and the explanation only call them.

def term_end(due: date, due_at: datetime | None, tz: tzinfo) -> datetime:
    """The moment the term runs out: the kept moment, or 24:00 of the due day in `tz` (art. 194)."""
    if due_at is not None:
        return due_at
    return datetime.combine(due + timedelta(days=1), time(0), tzinfo=tz)


def past_term(due: date, due_at: datetime | None, tz: tzinfo, moment: datetime) -> bool:
    """`moment` came after the term: past the kept moment, else on a later day than the due day.

    A date-only term is judged by the day, so a fulfilment at 23:59 of the due day is on
    time; an immediate notice is judged by the hour, so one hours late is late though it
    is 0 working days late.
    """
    if due_at is not None:
        return moment > due_at
    return moment.astimezone(tz).date() > due
