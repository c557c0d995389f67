"""The morning screen: the digest, overdue first, then what falls due within a week, by owner.

Why it reads through `reads.digest` and writes through `obligations.fulfil_at`: the screen holds no logic of
its own; what `sopcli deadlines` shows and `deadlines done` records is what the screen shows and records, in
the same transaction, audited under the same command name, refused in the same Russian words.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static
from textual.worker import Worker, WorkerState

from sopcli.screen import widgets
from sopcli.screen.case import CaseScreen
from sopcli.screen.intake import new_signal
from sopcli.screen.journal import JournalScreen
from sopcli.screen.signal import SignalScreen
from sopcli.screen.widgets import Asked

#: the digest's horizon, as `sopcli deadlines` without --within
WITHIN = 7

@dataclass
class Morning:
    """What the morning screen shows: the registry's line and the terms, overdue first, then by owner and day."""

    heading: str
    rows: list[dict[str, Any]]
    today: date


#: the two readings of a past moment (issue 21), as the heading says which one is shown
READINGS = {False: "реестр, каким он был записан тогда", True: "сегодняшние записи на тот момент"}


def read_morning(as_of: datetime | None = None, known_now: bool = False) -> Morning:
    """The digest as `sopcli deadlines [--as-of … [--known-now]]` reads it: today, or a past moment in either
    reading."""
    from sopcli.commands.deadlines import registry_line
    from sopcli.services.reading.reads import digest, registry_summary
    from sopcli.services.unit_of_work import now, reading

    with reading() as r:
        at = (as_of or now()).astimezone(r.tz)
        rows = digest(r, at, WITHIN, overdue_only=False, known_now=known_now)
        heading = registry_line(registry_summary(r, at, known_now)).strip()
        shown_in_order(r, rows)
    late = sum(1 for o in rows if o["overdue"])
    past = f" ({READINGS[known_now]})" if as_of is not None else ""
    return Morning(f"{heading}\nСроки на {at:%d.%m.%Y %H:%M}{past}: просрочено {late}, "
                   f"в ближайшие {WITHIN} дн. — {len(rows) - late}", rows, at.date())


def shown_in_order(r: Any, rows: list[dict[str, Any]]) -> None:
    """The digest's terms as the table shows them (the calendar's day too): a signal's term without a case by
    its journal number, overdue first, then by owner, day and number."""
    from sopcli.services.reading.reads import signal_numbers

    numbers = signal_numbers(r, {o["signal"] for o in rows if o["signal"] and not o["case"]})
    for o in rows:
        o["number"] = numbers.get(o["signal"])
    rows.sort(key=lambda o: (not o["overdue"], o["who"], _day(o["due"]), o["id"]))


def moment_typed(typed: str) -> datetime | None:
    """The moment field: empty is today (None), else read as `--as-of` reads it, in the registry's zone."""
    from sopcli.commands._common import moment
    from sopcli.errors import InvalidInput
    from sopcli.services.unit_of_work import now, reading

    if not typed.strip():
        return None
    with reading(light=True) as r:
        at = moment(typed.strip(), r.tz, "момент")
    if at > now():
        raise InvalidInput(f"Момент в будущем: {at:%d.%m.%Y %H:%M}.")
    return at

def mark_done(obligation_id: int, typed: str) -> str:
    """`sopcli deadlines done ID --date TYPED`: the same step, transaction and audit; its answer in words."""
    from sopcli.commands._common import obligations_json
    from sopcli.render.output import full_stop, lateness
    from sopcli.services.steps import obligations
    from sopcli.services.unit_of_work import now, registry

    with registry("deadlines done") as (reg, session):
        ob = obligations.get(session, obligation_id)
        obligations.fulfil_at(session, reg, ob, typed, now())
        shown = obligations_json([ob], reg)[0]
    return full_stop(f"Обязанность [{shown['id']}] «{shown['title']}» исполнена{lateness(shown)}")


def table_lines(morning: Morning) -> Iterator[tuple[tuple[str, ...], dict[str, Any] | None]]:
    """The table's lines, made as they are shown: a section's and an owner's line (no term), then its terms."""
    heads: tuple[bool, str] | None = None
    for o in morning.rows:
        if heads is None or heads[0] != o["overdue"]:
            yield ("", "", "", "ПРОСРОЧЕНО" if o["overdue"] else "СКОРО"), None
        if heads is None or heads != (o["overdue"], o["who"]):
            yield ("", "", "", f"  {o['who']}"), None
        heads = (o["overdue"], o["who"])
        due = o["due"]
        yield ((f"{due:%d.%m.%Y %H:%M}" if isinstance(due, datetime) else f"{due:%d.%m.%Y}",
                late_words(o, morning.today), where(o), o["title"]), o)


def _day(due: date | datetime) -> date:
    return due.date() if isinstance(due, datetime) else due


def late_words(o: dict[str, Any], today: date) -> str:
    """«просрочено на 5 дн.», «сегодня», «через 3 дн.»: how the digest says it, in words."""
    days = (today - _day(o["due"])).days
    if o["overdue"]:
        return f"просрочено на {max(days, 0)} дн."
    return "сегодня" if days == 0 else f"через {-days} дн."


def where(o: dict[str, Any]) -> str:
    """«дело 5», «сигнал 7/2026», as the cron digest says it (short: the table fits 80 columns)."""
    if o.get("case"):
        return f"дело {o['case']}"
    return f"сигнал {o['number']}" if o.get("number") else "реестр"

class MorningScreen(Screen[None]):
    """The digest: overdue first, then what falls due within a week, each with its owner and lateness."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # the footer holds the everyday keys in 80 columns; the rest are listed by F1 (widgets.KEYS)
        Binding("enter", "open", "Открыть дело"),
        Binding("д", "done", "Исполнено"), Binding("l", "done", show=False),  # the same key in the Latin layout
        Binding("с", "intake", "Сигнал"), Binding("c", "intake", show=False),
        Binding("н", "find", "Найти"), Binding("y", "find", show=False),
        Binding("ж", "journal", "Журнал"), Binding("semicolon", "journal", show=False),
        Binding("к", "calendar", "Календарь"), Binding("r", "calendar", show=False),
        widgets.KEYS,
        Binding("в", "app.quit", "Выход"), Binding("d", "app.quit", show=False),
        Binding("м", "moment", "На момент", show=False), Binding("v", "moment", show=False),
        Binding("р", "reading", "Чтение прошлого", show=False), Binding("h", "reading", show=False),
        Binding("п", "letters", "Письма-напоминания", show=False), Binding("g", "letters", show=False),
        Binding("о", "reload", "Обновить", show=False), Binding("j", "reload", show=False),
    ]

    def __init__(self, as_of: datetime | None) -> None:
        super().__init__()
        self.as_of = as_of
        self.known_now = False
        self.morning: Morning | None = None
        self.lines: list[dict[str, Any] | None] = []
        self.rest: Iterator[tuple[tuple[str, ...], dict[str, Any] | None]] = iter(())

    def compose(self) -> ComposeResult:
        yield Static("Читаю реестр…", id="heading", markup=False)
        table: DataTable[str] = DataTable(id="terms", cursor_type="row", zebra_stripes=True)
        table.add_columns("Срок", "Когда", "Где", "Что сделать")
        yield table
        yield Static("", id="detail", markup=False)  # the row's whole title: the table cuts it at 80 columns
        yield Static("", id="said", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        """Read the registry in a thread: the screen is up at once, the national digest (24,000 terms, about a
        second) arrives when read."""
        as_of, known_now = self.as_of, self.known_now
        self.run_worker(lambda: read_morning(as_of, known_now), thread=True, exclusive=True, group="read")

    def action_journal(self) -> None:
        self.app.push_screen(JournalScreen((self.as_of or datetime.now()).year))

    def action_calendar(self) -> None:
        from sopcli.screen.calendar import CalendarScreen

        self.app.push_screen(CalendarScreen(self.as_of, self.known_now))

    def action_letters(self) -> None:
        from sopcli.screen.letters import Letters

        Letters(self.app, self.as_of, self.known_now).ask()

    def action_find(self) -> None:
        from sopcli.screen.find import FindScreen

        self.app.push_screen(FindScreen())

    def action_intake(self) -> None:
        new_signal(self.app, self.action_reload)

    def action_moment(self) -> None:
        shown = f"{self.as_of:%d.%m.%Y %H:%M}" if self.as_of else ""
        self.app.push_screen(Asked(["Сводка на момент (ДД.ММ.ГГГГ [ЧЧ:ММ]); пусто — на сейчас. Enter — показать, "
                                    "Esc — отмена:"], shown, "moment", lambda typed: (moment_typed(typed),)),
                             self.after_moment)

    def after_moment(self, chosen: tuple[datetime | None] | None) -> None:
        if chosen is not None:
            self.as_of = chosen[0]
            self.action_reload()

    def action_reading(self) -> None:
        """The other reading of the past moment: as written then, or today's records judged then."""
        if self.as_of is None:
            self.say("Чтение прошлого — для сводки на прошлый момент (клавиша «м»); сегодня оба чтения совпадают.")
            return
        self.known_now = not self.known_now
        self.action_reload()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.SUCCESS and isinstance(event.worker.result, Morning):
            self.fill(event.worker.result)
        elif event.state is WorkerState.ERROR:  # no registry, a server gone: the command's own words
            self.query_one("#heading", Static).update(f"Ошибка: {event.worker.error}")

    def fill(self, morning: Morning) -> None:
        """The digest's own order: «ПРОСРОЧЕНО», then «СКОРО», each by owner under the owner's name (a line of its
        own, so that the table fits 80 columns); a page at a time, the next as the cursor nears the end."""
        self.morning = morning
        table = self.query_one("#terms", DataTable)
        table.clear()
        self.query_one("#detail", Static).update("")  # the row it named may be gone (done, or another moment)
        self.lines = []
        self.rest = table_lines(morning)
        self.more()
        self.query_one("#heading", Static).update(morning.heading)
        if any(x is not None for x in self.lines):
            table.move_cursor(row=next(i for i, x in enumerate(self.lines) if x is not None))

    def more(self) -> None:
        widgets.add_page(self.query_one("#terms", DataTable), self.rest, self.lines)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if widgets.near_end(event.cursor_row, self.lines):
            self.more()
        row = self.lines[event.cursor_row] if 0 <= event.cursor_row < len(self.lines) else None
        self.query_one("#detail", Static).update(
            "" if row is None else f"[{row['id']}] {row['title']} → {row['to']} ({row['source']})")

    def chosen(self) -> dict[str, Any] | None:
        """The term under the cursor (an owner's or a section's line is none)."""
        row = self.query_one("#terms", DataTable).cursor_row
        return self.lines[row] if 0 <= row < len(self.lines) else None

    def on_data_table_row_selected(self, _event: DataTable.RowSelected) -> None:
        self.action_open()  # the table takes Enter for itself: its choice opens the row

    def action_open(self) -> None:
        row = self.chosen()
        if row is None:
            return
        if row.get("case"):
            self.app.push_screen(CaseScreen(row["case"]), self.after_case)
        elif row.get("signal"):
            self.app.push_screen(SignalScreen(row["signal"]), self.after_case)
        else:
            self.say(f"Срок [{row['id']}] — срок реестра (не дела и не сигнала): он в сводке.")

    def after_case(self, changed: bool | None) -> None:
        if changed:  # a report, a control, a closure, a check: the digest as it now stands
            self.action_reload()

    def action_done(self) -> None:
        row = self.chosen()
        if row is None:
            return
        if self.as_of is not None:
            self.say("Отметка исполнения — только в сводке на сейчас (клавиша «м», пустое поле).")
            return
        today = self.morning.today if self.morning is not None else date.today()
        self.app.push_screen(Asked([f"Исполнено: [{row['id']}] {row['title']}",
                                    "Дата исполнения (ДД.ММ.ГГГГ [ЧЧ:ММ]), Enter — записать, Esc — отмена:"],
                                   f"{today:%d.%m.%Y}", "when", lambda typed: mark_done(row["id"], typed)),
                             self.after_done)

    def after_done(self, said: str | None) -> None:
        if said:
            self.action_reload()
            self.say(said)

    def say(self, text: str) -> None:
        self.query_one("#said", Static).update(text)
