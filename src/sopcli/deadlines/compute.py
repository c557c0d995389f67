"""Due dates: pure functions of (calendar, event, term) → due + the reasons.

The law behind every branch is in DEADLINES.md: Civil Code arts. 190–194 and
001 §2.5 for "незамедлительно". Nothing here reads a clock or a file.
"""

from __future__ import annotations

import calendar as _stdcal
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from sopcli.deadlines.calendar import DayInfo, WorkCalendar
from sopcli.deadlines.dates import fmt_date, term_end
from sopcli.deadlines.errors import InvalidInput
from sopcli.deadlines.terms import Kind, Term

DAY = timedelta(days=1)


def add_months(d: date, n: int) -> date:
    """ГК РФ ст. 192: the same-numbered day of the month; if there is none, its last day."""
    total = d.year * 12 + d.month - 1 + n
    year, month = divmod(total, 12)
    last = _stdcal.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(d.day, last))


def coming_of_age(born: date, years: int) -> date:
    """The day a person born on `born` turns `years` (age.18 opens on it, 004 §6.3(а)).

    ГК РФ ст. 192 п. 1: a term in years ends in the same month and day of its last
    year; п. 3: in a month without that day, on the month's last day. So a child
    born on 29 February turns 18 on 28 February of a common year, not on 1 March.
    The registry and `calendar due --born` both read the age through this function.
    """
    return add_months(born, 12 * years)


def quarter_end(d: date) -> date:
    month = (d.month - 1) // 3 * 3 + 3
    return date(d.year, month, _stdcal.monthrange(d.year, month)[1])


@dataclass
class Due:
    """A computed due date and everything needed to defend it."""

    start: date | datetime
    term: Term
    due: date  # the last day of the term (it ends at 24:00 of it, art. 194)
    due_at: datetime | None = None  # set when the term ends at a moment (immediate)
    raw_end: date | None = None  # the last day before a non-working day moved it
    target: date | None = None  # RANGE: the lower bound, shown as the target
    skipped: list[DayInfo] = field(default_factory=list)  # not counted inside the term
    worked: list[DayInfo] = field(default_factory=list)  # weekend days that were working
    moved: list[DayInfo] = field(default_factory=list)  # days the end moved over (art. 193)
    occurrences: list[date] = field(default_factory=list)  # PERIODIC: the next ones
    notes: list[str] = field(default_factory=list)  # the legal steps, in Russian
    warnings: list[str] = field(default_factory=list)

    def end_moment(self, tz: tzinfo) -> datetime:
        """The moment the term runs out: a kept moment, or 24:00 of the last day."""
        return term_end(self.due, self.due_at, tz)


@dataclass(frozen=True)
class Origin:
    """What a term is counted from: the event's moment (or day), its day in the registry's zone, the calendar."""

    cal: WorkCalendar
    start: date | datetime
    day: date
    tz: tzinfo
    periods: int = 4  # a periodic term: how many occurrences to list


# a kind's counting (term_kinds.TERM_KINDS): fills the `Due` it is given
Count = Callable[[Origin, Term, Due], None]


def _local_date(start: date | datetime, tz: tzinfo) -> date:
    return start.astimezone(tz).date() if isinstance(start, datetime) else start


def _shift_forward(cal: WorkCalendar, res: Due, last: date) -> None:
    """ГК РФ ст. 193: a last day that is non-working moves to the next working day."""
    res.raw_end = last
    res.due = cal.on_or_after(last)
    if res.due != last:
        res.moved = cal.non_working_in(last, res.due - DAY)
        res.notes.append("ст. 193 ГК РФ: последний день срока нерабочий — перенос на ближайший рабочий день")


def _shift_back(cal: WorkCalendar, res: Due, last: date) -> None:
    """"Не позднее чем за …": moving later would break the term, so move earlier."""
    res.raw_end = last
    res.due = cal.on_or_before(last)
    if res.due != last:
        res.moved = cal.non_working_in(res.due + DAY, last)
        res.notes.append("день нерабочий — срок «не позднее чем за» переносится на предыдущий рабочий день")


def _plain_end(cal: WorkCalendar, start: date, n: int, unit: str, res: Due) -> date:
    """Last day of a forward term of `n` units counted from the day after `start`."""
    if unit == "wd":
        due = cal.nth_working_day_after(start, n)
        res.skipped = cal.non_working_in(start + DAY, due)
        res.worked = cal.worked_weekends_in(start + DAY, due)
        return due
    if unit == "d":
        return start + timedelta(days=n)
    if unit == "w":
        return start + timedelta(weeks=n)
    if unit == "m":
        return add_months(start, n)
    raise AssertionError(unit)


def _forward(cal: WorkCalendar, start: date, n: int, unit: str, res: Due) -> None:
    res.notes.append("ст. 191 ГК РФ: течение срока начинается на следующий день после события")
    last = _plain_end(cal, start, n, unit, res)
    if unit == "wd":
        res.due = res.raw_end = last
        res.notes.append(f"срок истекает в {n}-й рабочий день после события")
    else:
        if unit in ("w", "m"):
            res.notes.append("ст. 192 ГК РФ: срок истекает в соответствующее число последней недели/месяца")
        _shift_forward(cal, res, last)


def count_forward(o: Origin, term: Term, res: Due, unit: str) -> None:
    """n days, working days, weeks or months after the event."""
    _forward(o.cal, o.day, term.n, unit, res)


def count_range(o: Origin, term: Term, res: Due) -> None:
    _forward(o.cal, o.day, term.n, term.unit, res)
    lower = Due(o.start, term, o.day)
    _forward(o.cal, o.day, term.lo, term.unit, lower)
    res.target = lower.due
    res.notes.append("срок задан промежутком: обязанность истекает по верхней границе, нижняя — ориентир")


def count_on_day(o: Origin, term: Term, res: Due) -> None:
    res.notes.append("в день события: срок не переносится")


def count_before(o: Origin, term: Term, res: Due) -> None:
    cal, anchor = o.cal, o.day
    if term.unit == "wd":
        last, k = anchor, 0
        while k < term.n:
            last -= DAY
            k += cal.is_working(last)
    elif term.unit == "m":
        last = add_months(anchor, -term.n)
    else:
        last = anchor - timedelta(days=term.n * (7 if term.unit == "w" else 1))
    res.notes.append("дата в аргументе — опорная (например, дата освобождения); срок отсчитывается назад")
    _shift_back(cal, res, last)


def count_until(o: Origin, term: Term, res: Due) -> None:
    """«До 10 ноября» (each year): the day before; «до 29 февраля» in a common year — through 28.02, its
    last day, as «до 30 числа» in February (DEADLINES.md: a month without that day, its last day)."""
    cal, start = o.cal, o.day
    year = start.year
    while (last := _day_before(year, term.month, term.day)) < start:
        year += 1
    if term.day <= _stdcal.monthrange(year, term.month)[1]:
        res.notes.append(f"«до {(last + DAY).strftime('%d.%m.%Y')}» не включает эту дату: последний день — накануне")
    else:
        res.notes.append(f"«до {term.day:02d}.{term.month:02d}»: в {year} году такой даты нет — последний день "
                         f"срока — последний день месяца, {fmt_date(last)}")
    _shift_forward(cal, res, last)


def count_immediate(o: Origin, term: Term, res: Due) -> None:
    cal, start, tz, day = o.cal, o.start, o.tz, o.day
    if not cal.is_working(day):
        res.due = cal.on_or_after(day)
        res.skipped = cal.non_working_in(day, res.due - DAY)
        res.notes.append("001 §2.5: выявлено в нерабочий день — в первый рабочий день, следующий за ним")
        return
    if isinstance(start, datetime):
        res.due_at = start.astimezone(tz) + timedelta(hours=24)
        res.due = res.due_at.date()
        res.notes.append("001 §2.5: незамедлительно — в течение суток с момента выявления")
        if not cal.is_working(res.due):
            # 001 §2.5 moves the term only when the facts are found on a day off; found on a working
            # day, it is 24 hours, a moment, and art. 193 moves a last *day*, not an hour.
            off = cal.info(res.due)
            res.notes.append(f"сутки истекают в нерабочий день ({off.day.strftime('%d.%m.%Y')} — {off.reason}), "
                             "но срок не переносится: 001 §2.5 переносит на первый рабочий день, только если "
                             "факты выявлены в нерабочий день; выявленные в рабочий — в течение 24 часов")
    else:
        res.due = day
        res.notes.append("001 §2.5: в течение суток; время выявления не указано — до конца дня выявления")


def count_periodic(o: Origin, term: Term, res: Due) -> None:
    cal, start, periods = o.cal, o.day, o.periods
    if term.unit == "q":
        # ст. 191 ГК РФ: the term starts the day after the event, so a plan approved on 30.09 is the next
        # quarter's (due 31.12), never due on the day it was approved (issue 29 §4)
        anchors, q = [], start + DAY
        for _ in range(periods):
            end = quarter_end(q)
            anchors.append(end)
            q = end + DAY
        res.notes.append("ежеквартально: до окончания квартала, в котором начинается срок — со дня, "
                         "следующего за событием (ст. 191 ГК РФ)")
    else:
        step = term.n
        anchors = [_plain_end(cal, start, step * (k + 1), term.unit, Due(start, term, start))
                   for k in range(periods)]
        res.notes.append("периодический срок: каждое следующее наступление — отдельная обязанность")
    _shift_forward(cal, res, anchors[0])
    res.occurrences = [cal.on_or_after(a) for a in anchors]


def _day_before(year: int, month: int, day: int) -> date:
    """The last day of a term "до N числа" of this month: the day before N; a month without that day ends the
    term on its own last day ("до 30 числа" in February: through 28.02, all of it is before a 30th)."""
    if day == 1:
        return date(year, month, 1) - DAY  # "до 1 числа": through the previous month's last day
    return date(year, month, min(day - 1, _stdcal.monthrange(year, month)[1]))


def _months_from(year: int, month: int, step: int = 1) -> Iterator[tuple[int, int]]:
    while True:
        yield year, month
        year, month = year + (month + step - 1) // 12, (month + step - 1) % 12 + 1


def _fixed_days(o: Origin, res: Due, lasts: list[date], which: str) -> None:
    """The fixed day of each period (DEADLINES.md): the first last day after the event's, then art. 193."""
    first, n = lasts[0], res.term.day
    res.notes.append(f"ст. 191 ГК РФ: срок начинается на следующий день после события ({fmt_date(o.day)}) — "
                     f"{which}")
    if n > 1 and first.day != n - 1:
        res.notes.append(f"«до {n} числа»: в этом месяце нет {n}-го числа — последний день срока — "
                         f"последний день месяца, {fmt_date(first)}")
    else:
        res.notes.append(f"«до {n} числа» не включает это число: последний день — накануне, {fmt_date(first)}")
    _shift_forward(o.cal, res, first)
    res.occurrences = [o.cal.on_or_after(d) for d in lasts]


def count_monthly(o: Origin, term: Term, res: Due) -> None:
    """«Ежемесячно до N числа»: the first such last day strictly after the event's day, never a month from it."""
    lasts: list[date] = []
    for year, month in _months_from(o.day.year, o.day.month):
        last = _day_before(year, month, term.day)
        if last > o.day:
            lasts.append(last)
        if len(lasts) == o.periods:
            break
    _fixed_days(o, res, lasts, f"ближайший месяц, в котором последний день «до {term.day} числа» позже события")


def count_quarter_day(o: Origin, term: Term, res: Due) -> None:
    """«Ежеквартально до N числа месяца, следующего за отчетным кварталом»: the quarter reported is the one the
    term starts in (the day after the event, art. 191); its report is due by the N-th of the month after it."""
    first = quarter_end(o.day + DAY) + DAY  # the month after the reported quarter
    lasts: list[date] = []
    for year, month in _months_from(first.year, first.month, 3):
        lasts.append(_day_before(year, month, term.day))
        if len(lasts) == o.periods:
            break
    q = (first.month - 2) % 12 // 3 + 1
    _fixed_days(o, res, lasts, f"отчётный квартал — {q}-й квартал {(first - DAY).year} г., отчёт — до {term.day} "
                               "числа следующего за ним месяца")


def count_hours(o: Origin, term: Term, res: Due) -> None:
    """«В течение N часов»: a moment (DEADLINES.md). Art. 191 counts hours from the next full hour; a start known
    only as a date counts from the end of that day, so the term never runs out before it truly could."""
    if isinstance(o.start, datetime):
        local = o.start.astimezone(o.tz)
        begin = local.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
        res.notes.append(f"ст. 191 ГК РФ: срок в часах начинается со следующего часа после события — "
                         f"с {begin.strftime('%H:%M %d.%m.%Y')}")
    else:
        begin = datetime.combine(o.day + DAY, time(), tzinfo=o.tz)
        res.notes.append("время события не указано — часы считаются с конца дня события "
                         f"(с 00:00 {fmt_date(o.day + DAY)}), чтобы срок не истёк раньше, чем мог")
    # hours elapse in real time: counted in UTC, so a clock change (Moscow until 2011) neither adds nor takes one
    res.due_at = (begin.astimezone(UTC) + timedelta(hours=term.n)).astimezone(o.tz)
    res.due = res.due_at.date()
    res.notes.append(f"срок истекает в {res.due_at.strftime('%H:%M %d.%m.%Y')}: срок в часах — момент, "
                     "ст. 193 ГК РФ переносит последний день, а не час")


def due_on_date(cal: WorkCalendar, day: date) -> Due:
    """A term a person set as a date (a programme measure's date, a period's end): its last day.

    ГК РФ ст. 193 moves a last day that is non-working to the next working day,
    whoever set the date; the regional complex of measures (002) moves its
    periods' ends the same way, with this function.
    """
    res = Due(day, Term(Kind.OWN), day)
    res.notes.append("срок установлен датой: последний день — указанная дата")
    _shift_forward(cal, res, day)
    res.warnings = cal.warnings(range(day.year, res.due.year + 1))
    return res


def compute_due(cal: WorkCalendar, start: date | datetime, term: Term, tz: tzinfo,
                periods: int = 4) -> Due:
    """The due date of `term` for an event at `start` (a date or an aware moment)."""
    from sopcli.deadlines.term_kinds import TERM_KINDS  # the table names the functions above

    day = _local_date(start, tz)
    res = Due(start, term, day)
    count = TERM_KINDS[term.kind].count
    if count is None:
        raise InvalidInput(
            f"Срок «{term.code}» не вычисляется от даты: {term.label}."
        )
    count(Origin(cal, start, day, tz, periods), term, res)
    last = max([res.due, *res.occurrences])
    res.warnings = cal.warnings(range(min(day, res.due).year, last.year + 1))
    return res
