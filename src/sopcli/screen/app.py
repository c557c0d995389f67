"""`sopcli screen`: the secretary's screens over the commands' own steps.

Why a Textual app and not more commands: the secretary's morning is one question after another (what is
overdue, whose, what is in case 12, mark it done), each a command to remember. The app holds no logic of its
own: it reads through the same readers as `deadlines` and `case show` (services/reading) and writes through
the same step as `deadlines done` (`obligations.fulfil_at`), in the same transaction, audited under the same
command name, refused in the same Russian words.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType

from sopcli.screen.morning import MorningScreen


class SopApp(App[None]):
    """The secretary's screen; 80×24 and NO_COLOR work (Textual honours NO_COLOR itself)."""

    TITLE = "sopcli — сроки СОП"
    ENABLE_COMMAND_PALETTE = False  # its words are English
    CSS = """
    #heading { height: auto; padding: 0 1; text-style: bold; }
    #said, #detail { height: auto; padding: 0 1; }
    #dialog { width: 70; height: auto; border: heavy $accent; padding: 1 2; background: $surface; }
    Asked, KeysScreen { align: center middle; }
    #dialog Label { width: 100%; }
    #refusal { color: $error; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+c", "quit", "Выход", show=False),
                                             Binding("f1", "keys", "Клавиши", key_display="F1", show=False),
                                             Binding("question_mark", "keys", show=False)]

    def __init__(self, as_of: datetime | None = None) -> None:
        super().__init__()
        self.as_of = as_of

    def on_mount(self) -> None:
        self.push_screen(MorningScreen(self.as_of))

    def action_keys(self) -> None:
        """F1 (or ?): every key of the screen shown, with the ones its footer has no room for."""
        from sopcli.screen.widgets import KeysScreen, key_lines

        if isinstance(self.screen, KeysScreen):
            return
        self.push_screen(KeysScreen(key_lines([*type(self.screen).BINDINGS, *self.BINDINGS])))
