"""A case's card, the lines `case show` prints (a signal's has a screen of its own: screen/signal.py).

Why the commands' own `card_lines`: the screen shows what the command prints, word for word, so that the
secretary never learns two readings of one case.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static


def read_card(case_id: int) -> list[str]:
    """The case's card, the lines `sopcli case show` prints."""
    from sopcli.commands.case import card_lines
    from sopcli.services.unit_of_work import reading

    with reading() as r:
        doc = card_doc(r, case_id)
    return card_lines(doc)


def card_doc(r: Any, case_id: int) -> dict[str, Any]:
    """The case as `case show --json` reads it now, with its card's details (App. 3)."""
    from sopcli.services.reading.reads import case_doc
    from sopcli.services.steps.case_details import details
    from sopcli.services.unit_of_work import now

    return {**case_doc(r, case_id, now()), "details": details(r, case_id)}


class Card(Screen[None]):
    """A case's card (the lines `case show` prints) or any lines a step printed, scrolled."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.pop_screen", "Назад", key_display="Esc")]

    def __init__(self, lines: list[str]) -> None:
        super().__init__()
        self.lines = lines

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("\n".join(self.lines), id="card", markup=False)
        yield Footer()
