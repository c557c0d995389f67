"""What every screen of `sopcli screen` shares: the page size of its tables and the one question dialog.

Why a module of its own: the morning, the journal, a case and the forms all ask through `Asked`, so that a
refusal reads the same wherever it is met.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
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


def twin(key: str, latin: str, action: str, label: str) -> tuple[Binding, Binding]:
    """A Russian key shown in the Footer and its Latin-layout twin (the same key on the keyboard), hidden."""
    return Binding(key, action, label), Binding(latin, action, show=False)


#: keys as they are written on the keyboard (Textual's names are English)
KEY_NAMES = {"enter": "Enter", "escape": "Esc", "tab": "Tab", "pageup": "Стр↑", "pagedown": "Стр↓", "up": "↑",
             "down": "↓", "left": "←", "right": "→", "ctrl+c": "Ctrl+C", "ctrl+s": "Ctrl+S", "question_mark": "?"}

#: F1 on every screen: the footer has room for the everyday keys only (80 columns), this lists them all
KEYS = Binding("f1", "app.keys", "Клавиши", key_display="F1")


def key_lines(bindings: Sequence[Any]) -> list[str]:
    """Each key of a screen that has a name, the footer's and the ones it has no room for: «д — Исполнено».
    A Latin-layout twin (no name of its own) is the same key and is not listed again."""
    out: list[str] = []
    for b in bindings:
        if isinstance(b, Binding) and b.description:
            key = b.key_display or KEY_NAMES.get(b.key, b.key.upper() if b.key.startswith("f") else b.key)
            line = f"{key:>6} — {b.description}"
            if line not in out:
                out.append(line)
    return out


class KeysScreen(ModalScreen[None]):
    """The keys of the screen beneath (F1), in Russian; any key closes it."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__()
        self.lines = lines

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label("Клавиши этого экрана (любая клавиша — закрыть):")
            for line in self.lines:
                yield Label(line)

    def on_key(self, event: Any) -> None:
        event.stop()
        self.dismiss(None)


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
            result = self.answer(self.typed(event))
        except (InvalidInput, DomainError) as err:  # the command's own one line, nothing written
            self.query_one("#refusal", Label).update(f"Ошибка: {err}")
            return
        self.dismiss(result)

    def typed(self, event: Input.Submitted) -> Any:
        """What goes to `answer`: the one field's text."""
        return event.value

    def action_cancel(self) -> None:
        self.dismiss(None)


@dataclass(frozen=True)
class Field:
    """One field of a form: its id (the option it stands for), its Russian label and its value at first."""

    id: str
    label: str
    value: str = ""


class AskedMany(Asked):
    """Several questions at once, as a command with several options asks them: a field a line, ↓ or Tab to the
    next, Enter sends them all to `answer` (a dict by field id); a refusal stays on screen as in `Asked`."""

    DEFAULT_CSS = """
    AskedMany .line { width: 100%; }
    AskedMany .row { height: 1; }
    AskedMany .row Label { width: 26; }
    AskedMany .row Input { height: 1; width: 1fr; border: none; padding: 0 1; background: $boost; }
    AskedMany .row Input:focus { background: $accent 40%; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "app.focus_next", show=False), Binding("up", "app.focus_previous", show=False)]

    def __init__(self, lines: list[str], fields: Sequence[Field], answer: Callable[[dict[str, str]], Any]) -> None:
        super().__init__(lines, "", fields[0].id, answer)
        self.fields = list(fields)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            for line in self.lines:
                yield Label(line, classes="line")
            for f in self.fields:
                with Horizontal(classes="row"):
                    yield Label(f.label)
                    yield Input(value=f.value, id=f.id)
            yield Label("↓, ↑ — следующее, предыдущее поле; Enter — записать; Esc — отмена.", classes="line")
            yield Label("", id="refusal", classes="line")

    def on_mount(self) -> None:
        dialog = self.query_one("#dialog")  # wider than one question's (the app's #dialog), within 80 columns
        dialog.styles.width, dialog.styles.max_width = 78, "100%"

    def typed(self, event: Input.Submitted) -> dict[str, str]:
        return {f.id: self.query_one(f"#{f.id}", Input).value for f in self.fields}
