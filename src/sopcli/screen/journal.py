"""The journal screen: the signals of a year, filtered as the secretary types.

Why the whole year is read at once and filtered in memory: a national year is about 19,000 lines, read in a
worker thread in well under a second, and each typed letter must narrow the list without a query.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static
from textual.worker import Worker, WorkerState

from sopcli.screen import widgets
from sopcli.screen.intake import new_signal
from sopcli.screen.signal import SignalScreen


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


class JournalScreen(Screen[None]):
    """The year's signals, filtered as the secretary types: a number, a name, a source, in any order."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Назад", key_display="Esc"),
        # the field takes every letter: the years go by the page keys, named as on the key
        Binding("pageup", "year(-1)", "Прошлый год", key_display="Стр↑"),
        Binding("pagedown", "year(1)", "Следующий год", key_display="Стр↓"),
        Binding("f2", "find", "Найти лицо", key_display="F2"),  # the finding, with what the field holds
        # «с» from the list only (Enter or Tab from the field): in the field it is a letter of the name sought
        Binding("с", "intake", "Новый сигнал"), Binding("c", "intake", show=False),
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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The new signal's key is offered from the list only: the find field takes «с» as a letter."""
        return None if action == "intake" and isinstance(self.focused, Input) else True

    def action_intake(self) -> None:
        new_signal(self.app, lambda: self.action_year(0))

    def action_year(self, step: int) -> None:
        self.year += step
        year = self.year
        self.query_one("#heading", Static).update(f"Журнал {year} года: читаю…")
        self.run_worker(lambda: read_journal(year), thread=True, exclusive=True, group="journal")

    def action_find(self) -> None:
        from sopcli.screen.find import FindScreen

        self.app.push_screen(FindScreen(self.query_one("#find", Input).value))

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
        for s in self.shown[:widgets.PAGE]:
            table.add_row(s["number"], f"{s['received_at']:%d.%m.%Y %H:%M}", s["children_text"], s["source"],
                          s["status_text"])
        more = f", показаны первые {widgets.PAGE}" if len(self.shown) > widgets.PAGE else ""
        self.query_one("#heading", Static).update(
            f"Журнал {self.year} года: сигналов {len(self.rows)}, найдено {len(self.shown)}{more}")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if 0 <= event.cursor_row < len(self.shown):
            self.app.push_screen(SignalScreen(self.shown[event.cursor_row]["id"]), self.after_signal)

    def after_signal(self, changed: bool | None) -> None:
        if changed:  # checked, recognised, attached: its status in the list as it now stands
            self.action_year(0)
