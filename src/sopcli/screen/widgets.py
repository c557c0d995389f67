"""What every screen of `sopcli screen` shares: the page size of its tables and the one question dialog.

Why a module of its own: the morning, the journal, a case and the forms all ask through `Asked`, so that a
refusal reads the same wherever it is met.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import islice
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Label

#: lines added to the table at a time: the national digest's 24,000 would take seconds to add at once
PAGE = 200


def add_page(table: DataTable[Any], rest: Iterator[tuple[tuple[str, ...], Any]], kept: list[Any]) -> None:
    """The next page of a long list: `rest` gives each line's cells and what it stands for, kept in `kept`
    (row by row, for Enter)."""
    for cells, line in islice(rest, PAGE):
        table.add_row(*cells)
        kept.append(line)


def near_end(row: int, kept: list[Any]) -> bool:
    """The cursor nears the last line added: time for the next page."""
    return row >= len(kept) - PAGE // 4


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
