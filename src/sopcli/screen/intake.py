"""The new-signal form («с» on the morning and in the journal): the questions `signal add` asks at a terminal, on
one screen.

Why through `commands.signal.register`: the form is `signal add` typed differently, not a second intake. Its
answers become the command's `Intake` (the same empty-answer refusals, the same words for a channel, a kind and
the threat), the step runs in the command's transaction under its audit name «signal add», and a refusal is the
step's own Russian line, shown here with nothing written. The known children shown under the name are those
`signal add` itself would find (`intake.find_known`, `certain`, `children_like`): the one matcher, read as the
name is typed; picking one is `--person N`, and picking its open case is `--to-case N`. The source is asked
about as the terminal asks (`signal.source_choice`): one of several agencies picked by number, or an agency the
directory lacks added with its kind, in the signal's own transaction.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.suggester import Suggester
from textual.widgets import Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from sopcli.screen.widgets import Asked

#: the form's fields in the order `signal add` asks (the parents, which only `--parent` gives, after the child)
FIELDS = ("received", "source", "channel", "child", "parents", "problem", "threat", "kind")


def split(typed: str) -> list[str]:
    """Several children or parents in one field, separated by «;» (a child's own comma is before the date)."""
    return [part.strip() for part in typed.split(";") if part.strip()]


def form_intake(values: dict[str, str], same_as: list[int], to_case: int | None) -> Any:
    """The form's answers as `signal add` takes them (`commands.signal.Intake`); an empty required answer, a
    channel, a kind or a threat answer that does not fit is refused in the command's own words."""
    from sopcli.commands._common import YES_NO_AGAIN, allowed, not_given, picked, yes_no_word
    from sopcli.commands.signal import ASKED_CHANNELS, QUESTIONS, THREAT_MISSING, Intake
    from sopcli.deadlines.events import SIGNAL_KINDS
    from sopcli.errors import InvalidInput
    from sopcli.services.steps.lifecycle import signal_kinds
    from sopcli.vocab import CHANNEL_LABELS

    typed = {key: " ".join(value.split()) for key, value in values.items()}
    for key in ("received", "source"):
        if not typed[key]:
            raise not_given(*QUESTIONS[key])
    channel = one_of(typed["channel"] or CHANNEL_LABELS["written"], ASKED_CHANNELS)
    children = split(values["child"])
    for key, given in (("child", children), ("problem", typed["problem"])):
        if not given:
            raise not_given(*QUESTIONS[key])
    if not typed["threat"]:
        raise InvalidInput(THREAT_MISSING)
    threat = yes_no_word(typed["threat"])
    if threat is None:
        raise InvalidInput(YES_NO_AGAIN)
    kinds = picked(typed["kind"], SIGNAL_KINDS, several=True) if typed["kind"] else []
    if kinds is None:
        raise InvalidInput(allowed(SIGNAL_KINDS))
    return Intake(typed["received"], typed["source"], channel, children, split(values["parents"]),
                  typed["problem"], threat, signal_kinds(kinds), same_as, to_case)


def one_of(answer: str, words: dict[str, str]) -> str:
    """The code an answer names (a word or a code), as `choose` takes it; else refused with its «Допустимо: …»."""
    from sopcli.commands._common import allowed, picked
    from sopcli.errors import InvalidInput

    codes = picked(answer, words)
    if codes is None:
        raise InvalidInput(allowed(words))
    return codes[0]


def source_pick(names: dict[str, str]) -> Asked:
    """Several agencies fit the source: the terminal's list and its question for the number."""
    from sopcli.commands.signal import AGENCY_NUMBER, agencies_line

    return Asked([agencies_line(names), f"{AGENCY_NUMBER} ({', '.join(names)}), Enter — выбрать, Esc — отмена:"],
                 "1", "agency-number", lambda answer: names[one_of(answer, {n: n for n in names})])


def source_kind(typed: str) -> Asked:
    """No agency fits the source: the terminal's offer to add it, with its kind (Esc: not added, refused)."""
    from sopcli.commands.signal import AGENCY_KIND, absent_question
    from sopcli.services.directory.agencies import KIND_LABELS

    return Asked([f"{absent_question(typed)}? {AGENCY_KIND} ({', '.join(KIND_LABELS.values())}).",
                  "Enter — добавить в справочник вместе с сигналом, Esc — не добавлять:"],
                 KIND_LABELS["other"], "agency-kind", lambda answer: one_of(answer, KIND_LABELS))


@dataclass
class Candidate:
    """An earlier child the typed child `index` would be matched with: certainly (linked by the step itself) or
    likely (linked only when picked), with the open cases the signal may be attached to."""

    index: int
    person_id: int
    text: str
    certain: bool
    cases: list[int]


def known_children(typed: str) -> list[Candidate]:
    """The earlier children `signal add` would find for each typed child (its own matcher), as the name is
    typed: a date still being typed is left out, a name that is not one yet finds nobody."""
    from sopcli.errors import InvalidInput
    from sopcli.services.directory import intake
    from sopcli.services.directory.names import child_name, parse_child
    from sopcli.services.unit_of_work import reading

    found: list[Candidate] = []
    with reading() as r:
        for index, spec in enumerate(split(typed)):
            try:
                name, born = parse_child(spec)
            except InvalidInput:
                try:
                    name, born = child_name(spec.partition(",")[0]), None
                except InvalidInput:
                    continue
            known = intake.find_known(r, [intake.Typed("child", name, born)])
            sure = intake.certain(known, 0)
            for k in intake.children_like(known, 0):
                cases = intake.open_cases([replace(k, linked=True)])
                found.append(Candidate(index, k.person_id, intake.described(k), k is sure, cases))
    return found


class AgencySuggester(Suggester):
    """The source field's completion: the names, aliases and everyday words `sopcli completion` offers
    (`complete_agency`), the first that starts as typed."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        from sopcli.services.directory.agencies import complete_agency
        from sopcli.vocab import fold

        offers = await asyncio.to_thread(complete_agency, value) if value.strip() else []
        return next((w for w in offers if len(w) > len(value) and fold(w[:len(value)]) == fold(value)), None)


def _field(label: str, field: str, value: str = "", **kwargs: Any) -> ComposeResult:
    yield Label(label)
    yield Input(value=value, id=field, **kwargs)


class IntakeScreen(Screen[list[str] | None]):
    """`signal add`'s questions on one screen; F2 records through the command's step, Esc leaves writing nothing.

    Enter goes to the next question (on the last one it records, as the terminal records after its last
    answer); the known children appear under the name as it is typed, Enter on one picks it."""

    DEFAULT_CSS = """
    IntakeScreen Label { margin: 0 1; }
    IntakeScreen Input { border: none; height: 1; margin: 0 1; padding: 0 1; }
    IntakeScreen Input:focus { border: none; background: $accent 30%; }
    IntakeScreen #offers, IntakeScreen #known-head { margin: 0 1; color: $text-muted; }
    IntakeScreen #known { height: auto; max-height: 8; border: none; margin: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "save", "Записать", key_display="F2"),
        Binding("ctrl+s", "save", show=False),
        Binding("escape", "cancel", "Отмена", key_display="Esc"),
        # the field's own Ctrl+C copies: here it leaves the form, as it interrupts the command at a terminal
        Binding("ctrl+c", "cancel", show=False, priority=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.known: list[Candidate] = []
        self.picks: dict[int, int] = {}  # typed child → the earlier person picked for it (`--person N`)
        self.attach: tuple[int, int, int] | None = None  # (typed child, its person, the open case): `--to-case N`

    def compose(self) -> ComposeResult:
        from sopcli.commands.signal import ASKED_CHANNELS, CHANNEL_QUESTION, KIND_QUESTION, QUESTIONS, THREAT_QUESTION
        from sopcli.deadlines.events import DEFAULT_SIGNAL_KIND, SIGNAL_KINDS
        from sopcli.vocab import CHANNEL_LABELS

        yield Static("Новый сигнал. Enter — следующий вопрос, F2 — записать, Esc — отмена (ничего не записывается)",
                     id="heading", markup=False)
        with VerticalScroll():
            yield from _field(QUESTIONS["received"][0], "received")
            yield from _field(QUESTIONS["source"][0], "source", suggester=AgencySuggester())
            yield Static("", id="offers", markup=False)
            yield from _field(f"{CHANNEL_QUESTION} ({', '.join(ASKED_CHANNELS.values())})", "channel",
                              CHANNEL_LABELS["written"])
            yield from _field(f"{QUESTIONS['child'][0]}; несколько — через «;»", "child")
            yield Static("Известны реестру (Tab — к списку, Enter — выбрать):", id="known-head", markup=False)
            yield OptionList(id="known")
            yield from _field("Родители (ФИО; несколько — через «;»)", "parents")
            yield from _field(QUESTIONS["problem"][0], "problem")
            yield from _field(f"{THREAT_QUESTION} (да/нет)", "threat", "нет")
            yield from _field(f"{KIND_QUESTION} ({', '.join(SIGNAL_KINDS.values())}; несколько — через запятую)",
                              "kind", SIGNAL_KINDS[DEFAULT_SIGNAL_KIND])
        yield Static("", id="refusal", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        for quiet in ("#offers", "#known-head", "#known"):  # shown when there is something to show
            self.query_one(quiet).display = False
        self.query_one("#received", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        from sopcli.services.directory.agencies import complete_agency

        typed = event.value
        if event.input.id == "child":
            self.run_worker(lambda: known_children(typed), thread=True, exclusive=True, group="known")
        elif event.input.id == "source":
            self.run_worker(lambda: complete_agency(typed)[:4] if typed.strip() else [], thread=True,
                            exclusive=True, group="offers")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is not WorkerState.SUCCESS:
            return
        if event.worker.group == "offers":
            offers = event.worker.result or []
            self.query_one("#offers", Static).update(f"Подходят: {'; '.join(offers)}" if offers else "")
            self.query_one("#offers", Static).display = bool(offers)
        elif event.worker.group == "known":
            self.known = event.worker.result or []
            ids = {(c.index, c.person_id) for c in self.known}
            self.picks = {i: p for i, p in self.picks.items() if (i, p) in ids}
            self.show_known()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == FIELDS[-1]:
            self.action_save()
        else:
            self.focus_next()

    def chosen(self, index: int) -> int | None:
        """The earlier person the typed child `index` is: picked, or the one the step links by itself."""
        return self.picks.get(index) or next((c.person_id for c in self.known if c.index == index and c.certain),
                                             None)

    def show_known(self) -> None:
        """The known children under the name, each with its lines to pick: the same person, its open case."""
        from rich.text import Text

        if self.attach is not None and self.chosen(self.attach[0]) != self.attach[1]:
            self.attach = None  # its child is another person now, or new
        box = self.query_one("#known", OptionList)
        at = box.highlighted
        box.clear_options()
        for index in sorted({c.index for c in self.known}):
            mine = [c for c in self.known if c.index == index]
            box.add_options(self.options(index, mine))
            if not any(c.certain for c in mine):
                mark = "[x]" if self.chosen(index) is None else "[ ]"
                box.add_option(Option(Text(f"{mark} Ребёнок №{index + 1} — новый, не из реестра"), id=f"n{index}"))
        box.display = self.query_one("#known-head", Static).display = bool(self.known)
        if box.option_count:  # Tab into the list, Enter: the first line (the likeliest person) is picked
            box.highlighted = min(at or 0, box.option_count - 1)

    def options(self, index: int, mine: list[Candidate]) -> list[Option]:
        from rich.text import Text

        out = []
        for c in mine:
            mark = "[x]" if self.chosen(index) == c.person_id else "[ ]"
            how = "тот же ребёнок, наверняка" if c.certain else "тот же ребёнок?"
            out.append(Option(Text(f"{mark} Ребёнок №{index + 1} — {c.text}: {how}"), id=f"p{index}-{c.person_id}"))
            for case in c.cases:
                mark = "[x]" if self.attach == (index, c.person_id, case) else "[ ]"
                out.append(Option(Text(f"{mark}   присоединить сигнал к открытому делу № {case} (отдельная "
                                       "проверка не проводится)"), id=f"c{index}-{c.person_id}-{case}"))
        return out

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        what, *numbers = (event.option.id or "n0").replace("-", " ").split()
        index = int(what[1:])
        if what[0] == "n":
            self.picks.pop(index, None)
        elif what[0] == "p" and self.picks.get(index) == int(numbers[0]):
            self.picks.pop(index)  # picked again: kept new (a certain one is linked by the step all the same)
        else:
            self.picks[index] = int(numbers[0])
        if what[0] == "c":
            attach = (index, int(numbers[0]), int(numbers[1]))
            self.attach = None if self.attach == attach else attach
        self.show_known()

    def action_save(self) -> None:
        """The answers checked as `signal add` checks them, the source asked about as the terminal asks (one of
        several agencies picked, or a new one added with its kind), then the step."""
        from sopcli.commands.signal import source_choice
        from sopcli.deadlines.errors import DomainError

        values = {f: self.query_one(f"#{f}", Input).value for f in FIELDS}
        to_case = self.attach[2] if self.attach is not None else None
        try:
            typed = form_intake(values, list(self.picks.values()), to_case)
            choice = source_choice(typed.source)
        except DomainError as err:  # the command's own one line, nothing written
            self.refuse(err)
            return
        if choice.refused is None:
            self.record(typed)
        elif choice.names:
            self.app.push_screen(source_pick(choice.names), lambda name: self.picked_source(typed, name))
        elif choice.addable:
            self.app.push_screen(source_kind(typed.source),
                                 lambda kind: self.record(replace(typed, new_kind=kind)) if kind else
                                 self.refuse(choice.refused))
        else:
            self.refuse(choice.refused)

    def picked_source(self, typed: Any, name: str | None) -> None:
        if name:
            self.query_one("#source", Input).value = name
            self.record(replace(typed, source=name))

    def record(self, typed: Any) -> None:
        """`signal add`'s step with the answers: the lines it prints, or its refusal with nothing written."""
        from sopcli.commands.signal import added_lines, register
        from sopcli.deadlines.errors import DomainError

        try:
            said = added_lines(*register(typed))
        except DomainError as err:
            self.refuse(err)
            return
        self.dismiss(said)

    def refuse(self, err: Exception | None) -> None:
        self.query_one("#refusal", Static).update(f"Ошибка: {err}")

    def action_cancel(self) -> None:
        self.dismiss(None)


def new_signal(app: Any, reload: Callable[[], Any]) -> None:
    """Open the form over a screen; after a record, `reload` that screen and show what `signal add` prints."""
    from sopcli.screen.cards import Card

    def after(said: list[str] | None) -> None:
        if said:
            reload()
            app.push_screen(Card(said))

    app.push_screen(IntakeScreen(), after)
