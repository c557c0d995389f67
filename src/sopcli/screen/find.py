"""Finding («н» on the morning, F2 in the journal): a child, a parent or an agency, listed as the secretary types.

Why through `services/directory/finding`: the persons found are those intake takes for the same person (ё/е,
initials, a missing patronymic, a typo) and the agencies those `--who` names («опека», «ПДН»), read by the same
functions; the screen only lists them. Each keystroke is read in a worker thread (on a national registry some
tens of milliseconds: index ranges, never the person table); a reply to a text since changed is dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static
from textual.worker import Worker, WorkerState

from sopcli.screen import widgets
from sopcli.screen.cards import Card, read_card
from sopcli.screen.signal import SignalScreen

PROMPT = "Найти: наберите ФИО (можно с датой рождения ДД.ММ.ГГГГ) или название органа; Enter — к списку."


@dataclass
class Finding:
    """What a text typed found: the agencies, then the persons; `more`: only the first are shown."""

    typed: str
    found: list[Any]
    more: bool
    known: Any  # the agency directory, read once (finding.Directory)


def read_found(typed: str, known: Any = None) -> Finding:
    """The agencies and the persons the typed text names (services/directory/finding), in one snapshot."""
    from sopcli.services.directory import finding
    from sopcli.services.unit_of_work import reading

    with reading() as r:
        known = known or finding.directory(r)
        people, more = finding.persons(r, typed)
    return Finding(typed, [*finding.agencies_named(typed, known), *people], more, known)


def found_cells(f: Any) -> tuple[str, ...]:
    """«ребёнок | Орлов Иван Петрович | 01.03.2012 | 2 | 1»: what it is, the name, birth date, signals, cases."""
    from sopcli.services.directory.finding import KIND_WORDS

    return (KIND_WORDS[f.kind], f.name, f"{f.born:%d.%m.%Y}" if f.born else "", str(f.signals), str(f.cases))


def found_line(finding: Finding) -> str:
    """The heading: how many of each were found, or that nothing was — in words."""
    if not finding.found:
        return f"Ничего не найдено: нет ни лица, ни органа «{' '.join(finding.typed.split())[:60]}»."
    agencies = sum(1 for f in finding.found if f.kind == "agency")
    more = f", показаны первые {len(finding.found) - agencies} — уточните" if finding.more else ""
    return f"Найдено лиц: {len(finding.found) - agencies}, органов: {agencies}{more}. Enter — открыть."


@dataclass
class Listed:
    """A list opened from the finding: its heading, its columns and its lines, each with what Enter opens."""

    heading: str
    columns: tuple[str, ...]
    lines: list[tuple[tuple[str, ...], dict[str, Any]]]


def read_person(person_id: int) -> Listed:
    """The person's cases (number, status) and signals (journal number, when received, status)."""
    from sopcli.services.directory.finding import KIND_WORDS, person_file
    from sopcli.services.unit_of_work import reading
    from sopcli.vocab import CASE_STATUS_LABELS, SIGNAL_STATUS_LABELS, label_of

    with reading() as r:
        person, rows = person_file(r, person_id)
    born = f", {person.born:%d.%m.%Y}" if person.born else ""
    heading = f"{person.name}{born} — {KIND_WORDS[person.kind]}: сигналов {person.signals}, дел {person.cases}"
    lines = [((("дело" if x["kind"] == "case" else "сигнал"), x["number"],
               f"{x['at']:%d.%m.%Y %H:%M}" if x["at"] else "",
               label_of(x["status"], CASE_STATUS_LABELS if x["kind"] == "case" else SIGNAL_STATUS_LABELS)),
              {x["kind"]: x["id"]}) for x in rows]
    return Listed(heading, ("Что", "Номер", "Поступил", "Статус"), lines)


def read_agency(name: str) -> Listed:
    """The agency's open terms, as `sopcli deadlines --who` reads them, overdue first."""
    from sopcli.screen.morning import late_words, where
    from sopcli.services.directory.finding import agency_terms
    from sopcli.services.unit_of_work import now, reading

    with reading() as r:
        at = now().astimezone(r.tz)
        rows = agency_terms(r, name, at)
    late = sum(1 for o in rows if o["overdue"])
    lines = [((f"{o['due']:%d.%m.%Y %H:%M}" if isinstance(o["due"], datetime) else f"{o['due']:%d.%m.%Y}",
               late_words(o, at.date()), where(o), o["title"]), o) for o in rows]
    return Listed(f"{name}: открытых сроков {len(rows)}, просрочено {late}",
                  ("Срок", "Когда", "Где", "Что сделать"), lines)


class Listing(Screen[None]):
    """A person's signals and cases, or an agency's open terms: read in a thread, a page at a time; Enter opens
    the card."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.pop_screen", "Назад", key_display="Esc")]

    def __init__(self, read: Callable[[], Listed]) -> None:
        super().__init__()
        self.read = read
        self.items: list[dict[str, Any]] = []
        self.rest: Iterator[tuple[tuple[str, ...], dict[str, Any]]] = iter(())

    def compose(self) -> ComposeResult:
        yield Static("Читаю реестр…", id="heading", markup=False)
        yield DataTable(id="listed", cursor_type="row", zebra_stripes=True)
        yield Static("Enter — карточка дела или сигнала.", id="said", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.run_worker(self.read, thread=True, exclusive=True, group="listing")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.SUCCESS and isinstance(event.worker.result, Listed):
            listed = event.worker.result
            self.query_one("#heading", Static).update(listed.heading)
            self.query_one("#listed", DataTable).add_columns(*listed.columns)
            self.rest = iter(listed.lines)
            self.more()
        elif event.state is WorkerState.ERROR:
            self.query_one("#heading", Static).update(f"Ошибка: {event.worker.error}")

    def more(self) -> None:
        """The next page of lines (an agency of a national registry owns thousands of terms)."""
        widgets.add_page(self.query_one("#listed", DataTable), self.rest, self.items)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if widgets.near_end(event.cursor_row, self.items):
            self.more()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if not 0 <= event.cursor_row < len(self.items):
            return
        item = self.items[event.cursor_row]  # the case's card (`case show`), else the signal's screen
        if item.get("case"):
            self.app.push_screen(Card(read_card(item["case"])))
        elif item.get("signal"):
            self.app.push_screen(SignalScreen(item["signal"]))
        else:
            self.query_one("#said", Static).update("Это срок реестра, не дела и не сигнала: карточки у него нет.")


class FindScreen(Screen[None]):
    """One field: as it is typed, the children, parents and agencies it names; Enter opens one."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.pop_screen", "Назад", key_display="Esc")]

    def __init__(self, typed: str = "") -> None:
        super().__init__()
        self.typed = typed
        self.known: Any = None
        self.found: list[Any] = []

    def compose(self) -> ComposeResult:
        yield Static(PROMPT, id="heading", markup=False)
        yield Input(value=self.typed, placeholder="ФИО, дата рождения или орган", id="find")
        table: DataTable[str] = DataTable(id="found", cursor_type="row", zebra_stripes=True)
        table.add_columns("Кто", "ФИО или название", "Родился", "Сигналов", "Дел")
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#find", Input).focus()
        self.look(self.typed)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.look(event.value)

    def look(self, typed: str) -> None:
        """Read what the text names in a thread; an empty field lists nothing."""
        if not typed.strip():
            self.show(None)
            return
        known = self.known
        self.run_worker(lambda: read_found(typed, known), thread=True, exclusive=True, group="find")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        result = event.worker.result
        if event.state is WorkerState.SUCCESS and isinstance(result, Finding):
            self.known = result.known
            if result.typed == self.query_one("#find", Input).value:  # else the text has changed since
                self.show(result)
        elif event.state is WorkerState.ERROR:
            self.query_one("#heading", Static).update(f"Ошибка: {event.worker.error}")

    def show(self, finding: Finding | None) -> None:
        self.found = finding.found if finding is not None else []
        table = self.query_one("#found", DataTable)
        table.clear()
        for f in self.found:
            table.add_row(*found_cells(f))
        self.query_one("#heading", Static).update(PROMPT if finding is None else found_line(finding))

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        if self.found:
            self.query_one("#found", DataTable).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if not 0 <= event.cursor_row < len(self.found):
            return
        f = self.found[event.cursor_row]
        name = f.name
        read = (lambda: read_agency(name)) if f.kind == "agency" else (lambda: read_person(f.id))
        self.app.push_screen(Listing(read))
