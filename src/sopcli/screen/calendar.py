"""The calendar screen («к» on the morning): a month of the registry's production calendar, each day with the
number of open terms due on it; Enter lists that day's terms as the morning lists its own.

Why the registry's own calendar (`calendar_store.read_settings`, `calendar_source.build_calendar`): it is the one
the deadline arithmetic counts working days by, region, presets and the registry's overrides included, so a day
marked off here is a day `calendar due` skips. The counts come from the digest's reader (`reads.due_counts`, one
GROUP BY over the due dates of open terms, not a row into Python when read now; `reads.digest` lists a day).

A past moment (the morning's «м»): the month shown is that moment's month, the cursor on its day, and the counts
and the day's list are the registry at that moment in the morning's reading (as written then, or today's records
judged then), as `deadlines --as-of … [--known-now]` reads it.

Marks are letters and signs beside the day, not colour alone (NO_COLOR): «*» a holiday, «+» a day off moved onto a
weekday, «р» a weekend made working, «п» the registry's own override; the chosen day is in brackets.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState

from sopcli.deadlines.calendar import DayInfo
from sopcli.screen.morning import READINGS, Morning, MorningScreen

#: the columns, Monday first as the Russian calendar is printed
WEEKDAYS = ("Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс")
#: a day's mark and its words in the legend
MARKS = {"*": "праздник", "+": "перенесённый выходной", "р": "рабочий выходной", "п": "поправка реестра"}
LEGEND = ("\nОбозначения: " + ", ".join(f"{k} {v}" for k, v in list(MARKS.items())[:3]) + ",\n"
          + ", ".join(f"{k} {v}" for k, v in list(MARKS.items())[3:])
          + "; (N) — открытых сроков в этот день; [ ] — выбранный день.\nСтрелки — другой день.\n")


@dataclass
class Month:
    """A month as the screen shows it: each day's calendar entry and its count of open terms."""

    first: date
    days: list[DayInfo]  # one a day, as `calendar show` reads them
    counts: dict[date, int]
    at: datetime


def read_month(first: date, as_of: datetime | None, known_now: bool = False) -> Month:
    """The month of `first` in the registry's calendar, with the open terms due each day at `as_of` (now if
    None) in the given reading."""
    from sopcli.calendar_source import build_calendar
    from sopcli.services.calendar_store import read_settings
    from sopcli.services.reading.reads import due_counts
    from sopcli.services.unit_of_work import now, reading

    last = first.replace(day=monthrange(first.year, first.month)[1])
    with reading() as r:
        at = (as_of or now()).astimezone(r.tz)
        cal = build_calendar(read_settings(r))
        counts = due_counts(r, first, last, at, known_now)
    return Month(first, [cal.info(first + timedelta(days=n)) for n in range(last.day)], counts, at)


def read_day(day: date, as_of: datetime | None, known_now: bool = False) -> Morning:
    """The terms open at `as_of` and due on `day`, read and ordered as the morning's digest (`reads.digest`)."""
    from sopcli.deadlines.dates import fmt_day
    from sopcli.screen.morning import shown_in_order
    from sopcli.services.reading.reads import digest
    from sopcli.services.unit_of_work import now, reading

    with reading() as r:
        at = (as_of or now()).astimezone(r.tz)
        rows = digest(r, at, (day - at.date()).days, overdue_only=False, known_now=known_now, since=day)
        shown_in_order(r, rows)
    past = f"; на {at:%d.%m.%Y %H:%M} ({READINGS[known_now]})" if as_of is not None else ""
    return Morning(f"Сроки на {fmt_day(day)}: открытых {len(rows)}{past}", rows, at.date())


def mark(info: DayInfo) -> str:
    """The day's mark (`MARKS`), or none for an ordinary working day or weekend."""
    if info.kind == "override":
        return "п"
    if info.working:
        return "р" if info.day.weekday() >= 5 else ""
    if info.kind in ("holiday", "region") and "перенес" not in info.reason and "(выходной)" not in info.reason:
        return "*"
    return "" if info.kind == "weekend" else "+"


def grid(month: Month, chosen: date) -> Text:
    """The month, a week a line, each day in ten columns: «[ 4*  (3)]» (the chosen day in brackets)."""
    out = Text("".join(f" {w:^8} " for w in WEEKDAYS) + "\n")
    lead = month.first.weekday()
    out.append("          " * lead)
    for info in month.days:
        n = month.counts.get(info.day, 0)
        cell = f"{info.day.day:>2}{mark(info) or ' '}{f'({n})' if n else '':>5}"
        style = "reverse" if info.day == chosen else "bold" if not info.working else ""
        out.append("[" if info.day == chosen else " ")
        out.append(cell, style=style)
        out.append("]" if info.day == chosen else " ")
        if info.day.weekday() == 6:
            out.append("\n")
    return out


def day_line(month: Month, chosen: date) -> str:
    """The chosen day in words: working or not, why, and its count."""
    from sopcli.deadlines.dates import fmt_day

    info = month.days[chosen.day - 1]
    why = "" if info.kind in ("workday", "weekend") else f" — {info.reason}"
    n = month.counts.get(chosen, 0)
    return (f"{fmt_day(chosen)}: {'рабочий' if info.working else 'нерабочий'} день{why}; открытых сроков: {n}"
            + (" (Enter — список)" if n else ""))


class CalendarScreen(Screen[None]):
    """The registry's production calendar by month, each day with its count of open terms."""

    DEFAULT_CSS = "#grid, #legend { height: auto; padding: 0 1; }"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move(-1)", show=False), Binding("right", "move(1)", show=False),
        Binding("up", "move(-7)", show=False), Binding("down", "move(7)", show=False),
        Binding("pageup", "month(-1)", "Прошлый месяц", key_display="Стр↑"),
        Binding("pagedown", "month(1)", "Следующий месяц", key_display="Стр↓"),
        Binding("enter", "open", "Сроки дня"),
        Binding("escape", "app.pop_screen", "Назад", key_display="Esc"),
    ]

    def __init__(self, as_of: datetime | None, known_now: bool = False) -> None:
        super().__init__()
        self.as_of, self.known_now = as_of, known_now
        self.chosen = (as_of or datetime.now()).date()  # the moment's day (its zone's), or today here
        self.month: Month | None = None

    def compose(self) -> ComposeResult:
        yield Static("Читаю календарь…", id="heading", markup=False)
        yield Static("", id="grid")
        yield Static(LEGEND, id="legend", markup=False)
        yield Static("", id="said", markup=False)
        yield Footer()

    def on_screen_resume(self) -> None:
        self.reload()  # the first time, and back from a day's list where a term may have been marked done

    def reload(self) -> None:
        first, as_of, known_now = self.chosen.replace(day=1), self.as_of, self.known_now
        self.run_worker(lambda: read_month(first, as_of, known_now), thread=True, exclusive=True, group="month")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.SUCCESS and isinstance(event.worker.result, Month):
            self.month = event.worker.result
            self.show()
        elif event.state is WorkerState.ERROR:
            self.query_one("#heading", Static).update(f"Ошибка: {event.worker.error}")

    def show(self) -> None:
        month = self.month
        if month is None or (month.first.year, month.first.month) != (self.chosen.year, self.chosen.month):
            return  # the month is being read
        from sopcli.deadlines.periods import MONTHS

        past = f"; сроки на {month.at:%d.%m.%Y %H:%M} ({READINGS[self.known_now]})" if self.as_of else ""
        self.query_one("#heading", Static).update(
            f"Производственный календарь: {MONTHS[month.first.month - 1]} {month.first.year}; открытых сроков "
            f"в месяце: {sum(month.counts.values())}{past}")
        self.query_one("#grid", Static).update(grid(month, self.chosen))
        self.query_one("#said", Static).update(day_line(month, self.chosen))

    def go(self, day: date) -> None:
        """The cursor to `day`: shown at once within the month, else the other month read first."""
        same = (day.year, day.month) == (self.chosen.year, self.chosen.month)
        self.chosen = day
        if same:
            self.show()
        else:
            self.query_one("#heading", Static).update("Читаю календарь…")
            self.reload()

    def action_move(self, step: int) -> None:
        self.go(self.chosen + timedelta(days=step))

    def action_month(self, step: int) -> None:
        """The same day of the other month (or its last day, 31.01 → 28.02)."""
        index = self.chosen.year * 12 + self.chosen.month - 1 + step
        year, month = divmod(index, 12)
        self.go(date(year, month + 1, min(self.chosen.day, monthrange(year, month + 1)[1])))

    def action_open(self) -> None:
        if self.month is not None:
            self.app.push_screen(DayScreen(self.chosen, self.as_of, self.known_now))


class DayScreen(MorningScreen, inherit_bindings=False):
    """A day's open terms, shown as the morning shows its own (owner lines, lateness, where); Enter opens the
    case or signal card and «д» marks a term done through the same step as the morning."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Открыть дело"),
        Binding("д", "done", "Исполнено"), Binding("l", "done", show=False),
        Binding("escape", "app.pop_screen", "Назад", key_display="Esc"),
    ]

    def __init__(self, day: date, as_of: datetime | None, known_now: bool) -> None:
        super().__init__(as_of)
        self.day, self.known_now = day, known_now

    def action_reload(self) -> None:
        day, as_of, known_now = self.day, self.as_of, self.known_now
        self.run_worker(lambda: read_day(day, as_of, known_now), thread=True, exclusive=True, group="read")
