"""A signal's screen: its card, the lines `signal show` prints, and the steps on it — the check, the recognition,
the attachment to an open case.

Why every step is the command's own: a check, a recognition and an attachment go through `record_check`,
`record_recognize` and `record_attach`, the very functions `sopcli check`, `recognize` and `signal attach` call
after asking, in the same transaction, audited under the same command name, refused in the same words; the
answers are read by the command's own `check_answers`, `recognize_answers` and `attach_answers`, with the form's
empty field refused as a script's missing option is (`required`). The screen adds only where to type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState

from sopcli.screen import widgets
from sopcli.screen.widgets import AskedMany, Field, twin


@dataclass
class SignalView:
    """What the signal's screen shows, read at once in a worker thread: `signal show`'s doc and lines, and the
    moment read (in the registry's zone: the forms' dates start from it)."""

    signal_id: int
    doc: dict[str, Any]
    card: list[str]
    at: datetime
    open_cases: list[int]  # its children's open cases: the ones it may be attached to

    @property
    def case(self) -> int | None:
        """The case the signal opened or was attached to: Enter opens it."""
        return self.doc["case"] or self.doc["attached_to"]


def read_signal(signal_id: int) -> SignalView:
    """The signal as `sopcli signal show` reads it, now."""
    from sopcli.commands.signal import card_lines
    from sopcli.services.reading.reads import signal_doc
    from sopcli.services.steps.check_form import read_form
    from sopcli.services.unit_of_work import now, reading

    with reading() as r:
        at = now().astimezone(r.tz)
        doc = {**signal_doc(r, signal_id, at), "check_form": read_form(r, signal_id)}
        cases = children_cases(r, doc)
    return SignalView(signal_id, doc, card_lines(doc), at, cases)


def children_cases(r: Any, doc: dict[str, Any]) -> list[int]:
    """The open cases of the signal's children (`person show`'s reading), offered in the attachment's form."""
    from sopcli.services.directory.persons import signals_of

    children = [p["person_id"] for p in doc["persons"] if p["role"] == "child"]
    rows = signals_of(r, children, children_only=True) if children else []
    return sorted({s["case_id"] for s in rows if s["case_id"] is not None and s["case_status"] == "open"})


def _said(doc: dict[str, Any], line: str) -> str:
    from sopcli.commands._common import step_lines

    return "\n".join(step_lines(doc, line))


def _ref(view: SignalView) -> Any:
    """The signal by its journal number, as the secretary types it: the command's lines name it so."""
    from sopcli.commands._options import signal_ref

    return signal_ref(view.doc["number"])


def check_typed(view: SignalView, typed: dict[str, str]) -> str:
    """`sopcli check SIGNAL --concluded … --level … --outcome …`, the fields asked as the terminal asks them."""
    from sopcli.commands._common import required
    from sopcli.commands.steps import check_answers, record_check

    answers = check_answers(typed["concluded"].strip(), typed["level"].strip(), typed["outcome"].strip(), required)
    return _said(*record_check(_ref(view), *answers))


def members(typed: str) -> list[str]:
    """Several agencies in one field, as several `--member`: separated by commas or «;»."""
    return [part.strip() for part in re.split(r"[,;]", typed) if part.strip()]


def recognize_typed(view: SignalView, typed: dict[str, str]) -> str:
    """`sopcli recognize SIGNAL --date … --resolution … --curator … --member … [--until …]`; the case opened is
    offered (Enter)."""
    from sopcli.commands._common import required
    from sopcli.commands.steps import recognize_answers, record_recognize

    date_, resolution, curator = recognize_answers(typed["date"].strip(), typed["resolution"].strip(),
                                                   typed["curator"].strip(), required)
    doc, line = record_recognize(_ref(view), date_, resolution, curator, members(typed["members"]),
                                 typed["until"].strip() or None)
    return f"{_said(doc, line)}\nEnter — открыть дело № {doc['case']}."


def attach_typed(view: SignalView, typed: dict[str, str]) -> str:
    """`sopcli signal attach SIGNAL --to-case N --date МОМЕНТ`."""
    from sopcli.commands._common import required
    from sopcli.commands.signal import attach_answers, record_attach

    case, date_ = attach_answers(typed["case"].strip(), typed["date"].strip(), required)
    return _said(*record_attach(_ref(view), case, date_))


class SignalScreen(Screen[bool]):
    """One signal: its card scrolled, and the steps on it by key, each asked in one form; Enter opens its case.
    Left with whether a step was recorded (the screen beneath then reads itself again)."""

    DEFAULT_CSS = """
    SignalScreen VerticalScroll { height: 1fr; padding: 0 1; }
    SignalScreen #said { max-height: 8; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Назад", key_display="Esc"),
        # each Russian key with its Latin-layout twin: the same key, whichever layout is on
        *twin("п", "g", "check", "Проверка"), *twin("с", "c", "recognize", "Признание"),
        *twin("т", "n", "attach", "К делу"), Binding("enter", "case", "Дело", key_display="Enter"), widgets.KEYS,
    ]

    def __init__(self, signal_id: int) -> None:
        super().__init__()
        self.signal_id = signal_id
        self.view: SignalView | None = None
        self.changed = False

    def compose(self) -> ComposeResult:
        yield Static(f"Сигнал (id {self.signal_id}): читаю…", id="heading", markup=False)
        with VerticalScroll():
            yield Static("", id="card", markup=False)
        yield Static("", id="said", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Read the signal again in a thread: after each step the screen shows what was written."""
        signal_id = self.signal_id
        self.run_worker(lambda: read_signal(signal_id), thread=True, exclusive=True, group="signal")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.SUCCESS and isinstance(event.worker.result, SignalView):
            self.view = event.worker.result
            self.query_one("#heading", Static).update(self.view.card[0])
            self.query_one("#card", Static).update("\n".join(self.view.card[1:]))
        elif event.state is WorkerState.ERROR:  # a signal not in the registry, a server gone: the command's words
            self.query_one("#heading", Static).update(f"Ошибка: {event.worker.error}")

    def action_back(self) -> None:
        self.dismiss(self.changed)

    def action_check(self) -> None:
        from sopcli.vocab import LEVEL_LABELS, OUTCOME_LABELS

        if self.view is not None:
            self.ask([f"Заключение проверки сигнала № {self.view.doc['number']} (sopcli check).",
                      "Уровень опасности: " + ", ".join(LEVEL_LABELS.values()) + ".",
                      "Итог: " + ", ".join(OUTCOME_LABELS.values()) + "."],
                     [Field("concluded", "Дата заключения", f"{self.view.at:%d.%m.%Y}"),
                      Field("level", "Уровень опасности"), Field("outcome", "Итог проверки")], check_typed)

    def action_recognize(self) -> None:
        from sopcli.commands.steps import UNTIL_QUESTION

        if self.view is not None:
            self.ask([f"Постановление о признании по сигналу № {self.view.doc['number']}: открывается дело "
                      "(sopcli recognize).", "Органы-участники — через запятую.",
                      f"{UNTIL_QUESTION}: пусто — впишу в постановление сам."],
                     [Field("date", "Дата постановления", f"{self.view.at:%d.%m.%Y}"),
                      Field("resolution", "Номер постановления"), Field("curator", "ФИО куратора случая"),
                      Field("members", "Органы-участники"), Field("until", "Срок работы до")], recognize_typed)

    def action_attach(self) -> None:
        if self.view is not None:
            cases = self.view.open_cases
            self.ask([f"Присоединить сигнал № {self.view.doc['number']} к открытому делу его ребёнка: отдельная "
                      "проверка не проводится (sopcli signal attach).",
                      "Открытые дела ребёнка: " + (", ".join(f"№ {c}" for c in cases) if cases else "нет") + "."],
                     [Field("case", "Номер открытого дела", str(cases[0]) if cases else ""),
                      Field("date", "Момент присоединения", f"{self.view.at:%d.%m.%Y %H:%M}")], attach_typed)

    def action_case(self) -> None:
        from sopcli.screen.case import CaseScreen

        if self.view is None:
            return
        if self.view.case is None:
            self.say("Дела у сигнала нет: «с» — признание (открывает дело), «т» — присоединить к открытому делу.")
            return
        self.app.push_screen(CaseScreen(self.view.case), self.after_case)

    def after_case(self, changed: bool | None) -> None:
        if changed:  # a closure, a report: the signal's terms as they now stand
            self.changed = True
            self.reload()

    def ask(self, lines: list[str], fields: list[Field], step: Any) -> None:
        view = self.view
        self.app.push_screen(AskedMany(lines, fields, lambda typed: step(view, typed)), self.after_step)

    def after_step(self, said: str | None) -> None:
        if said:
            self.changed = True
            self.say(said)
            self.reload()

    def say(self, text: str) -> None:
        self.query_one("#said", Static).update(text)
