"""`sopcli screen`: the morning digest, a case's card and the marking of a term done, in one terminal app.

Why a Textual app and not more commands: the secretary's morning is one question after another (what is
overdue, whose, what is in case 12, mark it done), each a command to remember. The app holds no logic of its
own: it reads through the same readers as `deadlines` and `case show` (services/reading) and writes through
the same step as `deadlines done` (`obligations.fulfil_at`), in the same transaction, audited under the same
command name, refused in the same Russian words.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice
from typing import Any, ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Input, Label, Static
from textual.worker import Worker, WorkerState

#: the digest's horizon, as `sopcli deadlines` without --within
WITHIN = 7
#: lines added to the table at a time: the national digest's 24,000 would take seconds to add at once
PAGE = 200


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
    from sopcli.services.reading.reads import digest, registry_summary, signal_numbers
    from sopcli.services.unit_of_work import now, reading

    with reading() as r:
        at = (as_of or now()).astimezone(r.tz)
        rows = digest(r, at, WITHIN, overdue_only=False, known_now=known_now)
        heading = registry_line(registry_summary(r, at, known_now)).strip()
        numbers = signal_numbers(r, {o["signal"] for o in rows if o["signal"] and not o["case"]})
    for o in rows:  # a term of a signal without a case: shown by its journal number
        o["number"] = numbers.get(o["signal"])
    rows.sort(key=lambda o: (not o["overdue"], o["who"], _day(o["due"]), o["id"]))
    late = sum(1 for o in rows if o["overdue"])
    past = f" ({READINGS[known_now]})" if as_of is not None else ""
    return Morning(f"{heading}\nСроки на {at:%d.%m.%Y %H:%M}{past}: просрочено {late}, "
                   f"в ближайшие {WITHIN} дн. — {len(rows) - late}", rows, at.date())


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


def read_card(case_id: int) -> list[str]:
    """The case's card, the lines `sopcli case show` prints."""
    from sopcli.commands.case import card_lines
    from sopcli.services.reading.reads import case_doc
    from sopcli.services.steps.case_details import details
    from sopcli.services.unit_of_work import now, reading

    with reading() as r:
        doc = {**case_doc(r, case_id, now()), "details": details(r, case_id)}
    return card_lines(doc)


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


class Asked(ModalScreen[Any]):
    """One question, asked as the command asks it at a terminal: the answer goes through `answer`, the command's own
    step or reading; its refusal (one line, nothing written) stays on screen, and Esc leaves with None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Отмена", key_display="Esc")]

    def __init__(self, lines: list[str], value: str, field: str, answer: Callable[[str], Any]) -> None:
        super().__init__()
        self.lines, self.value, self.field, self.answer = lines, value, field, answer

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            for line in self.lines:
                yield Label(line)
            yield Input(value=self.value, id=self.field)
            yield Label("", id="refusal")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        from sopcli.deadlines.errors import DomainError
        from sopcli.errors import InvalidInput

        try:
            result = self.answer(event.value)
        except (InvalidInput, DomainError) as err:  # the command's own one line, nothing written
            self.query_one("#refusal", Label).update(f"Ошибка: {err}")
            return
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)


class Card(Screen[None]):
    """A case's or a signal's card: the lines `case show` or `signal show` prints, scrolled."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.pop_screen", "Назад", key_display="Esc")]

    def __init__(self, lines: list[str]) -> None:
        super().__init__()
        self.lines = lines

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("\n".join(self.lines), id="card", markup=False)
        yield Footer()


def read_journal(year: int) -> list[dict[str, Any]]:
    """The year's journal as `sopcli signal list --year` prints it, each line with the folded words it is found by."""
    from sopcli.services.reading.reads import journal_brief
    from sopcli.services.unit_of_work import reading
    from sopcli.vocab import SIGNAL_STATUS_LABELS, fold, label_of

    with reading() as r:
        rows = journal_brief(r, year)
    for s in rows:
        s["status_text"] = label_of(s["status"], SIGNAL_STATUS_LABELS)
        s["children_text"] = ", ".join(s["children"])
        s["words"] = fold(f"{s['number']} {s['source']} {s['children_text']} {s['status_text']}")
    return rows


def matching(rows: list[dict[str, Any]], typed: str) -> list[dict[str, Any]]:
    """The lines holding every typed word (case and ё/е folded, in any order): «орлов 1/2026», «пдн иван»."""
    from sopcli.vocab import fold

    words = fold(typed).split()
    return [s for s in rows if all(w in s["words"] for w in words)]


def read_signal_card(signal_id: int) -> list[str]:
    """The signal's card, the lines `sopcli signal show` prints."""
    from sopcli.commands.signal import card_lines
    from sopcli.services.reading.reads import signal_doc
    from sopcli.services.steps.check_form import read_form
    from sopcli.services.unit_of_work import now, reading

    with reading() as r:
        doc = {**signal_doc(r, signal_id, now()), "check_form": read_form(r, signal_id)}
    return card_lines(doc)


class JournalScreen(Screen[None]):
    """The year's signals, filtered as the secretary types: a number, a name, a source, in any order."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Назад", key_display="Esc"),
        # the field takes every letter: the years go by the page keys, named as on the key
        Binding("pageup", "year(-1)", "Прошлый год", key_display="Стр↑"),
        Binding("pagedown", "year(1)", "Следующий год", key_display="Стр↓"),
    ]

    def __init__(self, year: int) -> None:
        super().__init__()
        self.year = year
        self.rows: list[dict[str, Any]] = []
        self.shown: list[dict[str, Any]] = []

    def compose(self) -> ComposeResult:
        yield Static(f"Журнал {self.year} года: читаю…", id="heading", markup=False)
        yield Input(placeholder="Найти: номер, ФИО, источник (Enter — к списку)", id="find")
        table: DataTable[str] = DataTable(id="signals", cursor_type="row", zebra_stripes=True)
        table.add_columns("№", "Поступил", "Дети", "Источник", "Статус")
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.action_year(0)

    def action_year(self, step: int) -> None:
        self.year += step
        year = self.year
        self.query_one("#heading", Static).update(f"Журнал {year} года: читаю…")
        self.run_worker(lambda: read_journal(year), thread=True, exclusive=True, group="journal")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.SUCCESS and isinstance(event.worker.result, list):
            self.rows = event.worker.result
            self.show(self.query_one("#find", Input).value)
        elif event.state is WorkerState.ERROR:
            self.query_one("#heading", Static).update(f"Ошибка: {event.worker.error}")

    def on_input_changed(self, event: Input.Changed) -> None:
        self.show(event.value)

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        self.query_one("#signals", DataTable).focus()

    def show(self, typed: str) -> None:
        """The lines that match, the newest first; the first page only (a year is 19,000 signals nationally)."""
        self.shown = matching(self.rows, typed)[::-1]
        table = self.query_one("#signals", DataTable)
        table.clear()
        for s in self.shown[:PAGE]:
            table.add_row(s["number"], f"{s['received_at']:%d.%m.%Y %H:%M}", s["children_text"], s["source"],
                          s["status_text"])
        more = f", показаны первые {PAGE}" if len(self.shown) > PAGE else ""
        self.query_one("#heading", Static).update(
            f"Журнал {self.year} года: сигналов {len(self.rows)}, найдено {len(self.shown)}{more}")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if 0 <= event.cursor_row < len(self.shown):
            self.app.push_screen(Card(read_signal_card(self.shown[event.cursor_row]["id"])))


class MorningScreen(Screen[None]):
    """The digest: overdue first, then what falls due within a week, each with its owner and lateness."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Открыть дело"),
        Binding("д", "done", "Исполнено"), Binding("l", "done", show=False),  # the same key in the Latin layout
        Binding("о", "reload", "Обновить"), Binding("j", "reload", show=False),
        Binding("м", "moment", "На момент"), Binding("v", "moment", show=False),
        Binding("ж", "journal", "Журнал"), Binding("semicolon", "journal", show=False),
        Binding("р", "reading", "Чтение"), Binding("h", "reading", show=False),
        Binding("в", "app.quit", "Выход"), Binding("d", "app.quit", show=False),
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
        self.lines = []
        self.rest = table_lines(morning)
        self.more()
        self.query_one("#heading", Static).update(morning.heading)
        if any(x is not None for x in self.lines):
            table.move_cursor(row=next(i for i, x in enumerate(self.lines) if x is not None))

    def more(self) -> None:
        table = self.query_one("#terms", DataTable)
        for cells, line in islice(self.rest, PAGE):
            table.add_row(*cells)
            self.lines.append(line)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row >= len(self.lines) - PAGE // 4:
            self.more()

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
            self.app.push_screen(Card(read_card(row["case"])))
        elif row.get("signal"):
            self.app.push_screen(Card(read_signal_card(row["signal"])))
        else:
            self.say(f"Срок [{row['id']}] — срок реестра (не дела и не сигнала): он в сводке.")

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


class SopApp(App[None]):
    """The secretary's screen; 80×24 and NO_COLOR work (Textual honours NO_COLOR itself)."""

    TITLE = "sopcli — сроки СОП"
    ENABLE_COMMAND_PALETTE = False  # its words are English
    CSS = """
    #heading { height: auto; padding: 0 1; text-style: bold; }
    #said { height: auto; padding: 0 1; }
    #dialog { width: 70; height: auto; border: heavy $accent; padding: 1 2; background: $surface; }
    Asked { align: center middle; }
    #refusal { color: $error; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+c", "quit", "Выход", show=False)]

    def __init__(self, as_of: datetime | None = None) -> None:
        super().__init__()
        self.as_of = as_of

    def on_mount(self) -> None:
        self.push_screen(MorningScreen(self.as_of))
