"""`sopcli signal add / list / show`: the journal of primary information (004 App. 1)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any, Optional

import typer

from sopcli.commands._common import (
    ask,
    at_terminal,
    choose,
    given,
    moment,
    now,
    obligations_json,
    reading,
    registry,
    yes_no,
)
from sopcli.commands._options import (
    AsOfOpt,
    JsonOpt,
    KnownNowOpt,
    SignalRef,
    id_option,
    signal_argument,
)
from sopcli.commands._options import signal_id as signal_id_of
from sopcli.deadlines.events import SIGNAL_KINDS
from sopcli.render.help import RuCommand, RuGroup
from sopcli.render.output import emit_json
from sopcli.services.directory.agencies import SOURCE_KINDS, complete_agency
from sopcli.vocab import (
    CHANNEL_LABELS,
    LEVEL_LABELS,
    OUTCOME_LABELS,
    SIGNAL_STATUS_LABELS,
    choice_help,
    completer,
    label_of,
)

app = typer.Typer(help="Журнал первичной информации (прил. 1 к 004).", no_args_is_help=True,
                  rich_markup_mode=None, cls=RuGroup)


@app.command("add", cls=RuCommand)
def add(
    ctx: typer.Context,
    received: Annotated[Optional[str], typer.Option("--received", help="Момент поступления: ДД.ММ.ГГГГ ЧЧ:ММ.")] = None,
    source: Annotated[Optional[str], typer.Option(
        "--source", help="От кого поступила информация: орган справочника (название, сокращение, вид), "
                         "«гражданин» или «анонимно».", autocompletion=complete_agency)] = None,
    detected: Annotated[Optional[str], typer.Option(
        "--detected", help="Когда орган выявил факты (ДД.ММ.ГГГГ ЧЧ:ММ): срок его сообщения считается от этого "
                           "момента, исполнен — поступлением.")] = None,
    channel: Annotated[str, typer.Option(
        "--channel", help=choice_help("Как поступила информация", CHANNEL_LABELS),
        autocompletion=completer(CHANNEL_LABELS))] = CHANNEL_LABELS["written"],
    child: Annotated[Optional[list[str]], typer.Option(
        "--child", help="«ФИО, ДД.ММ.ГГГГ» (дата неизвестна — только «ФИО»); можно несколько.")] = None,
    parent: Annotated[Optional[list[str]], typer.Option("--parent", help="ФИО родителя; можно несколько.")] = None,
    address: Annotated[str, typer.Option("--address", help="Адрес.")] = "",
    problem: Annotated[Optional[str], typer.Option("--problem", help="Суть проблемы.")] = None,
    help_needed: Annotated[str, typer.Option("--help-needed", help="Какая помощь нужна.")] = "",
    threat: Annotated[Optional[bool], typer.Option(
        "--threat/--no-threat", show_default=False,
        help="Угроза жизни или здоровью есть / нет: обязателен в сценарии (у терминала иначе спросит).")] = None,
    kind: Annotated[Optional[list[str]], typer.Option(
        "--kind", help=choice_help("О чём сигнал (001 §2.5.1), можно несколько; по умолчанию — признаки СОП",
                                   SIGNAL_KINDS), autocompletion=completer(SIGNAL_KINDS))] = None,
    to_case: Annotated[Optional[int], id_option(
        "--to-case", "Присоединить к открытому делу N: отдельная проверка не проводится "
                                                "(сроки угрозы и экстренные — остаются).")] = None,
    person: Annotated[Optional[list[int]], typer.Option(
        "--person", min=1, help="Ребёнок — уже известное реестру лицо N (person list): сигнал называет то же "
                                "лицо, а не новое; можно несколько.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Зарегистрировать поступившую информацию; показать, кто из лиц уже известен, и открытые обязанности.

    Ребёнок, которого реестр уже знает наверняка (те же ФИО, дата рождения не расходится), записывается
    тем же лицом; если совпадение только вероятно (нет отчества, опечатка), у терминала sopcli спросит."""
    from sopcli.deadlines.events import DEFAULT_SIGNAL_KIND, SIGNAL_KINDS
    from sopcli.services.steps.lifecycle import signal_kinds

    received = ask(received, *QUESTIONS["received"])
    source = ask(source, *QUESTIONS["source"])
    new_kind = ""
    if at_terminal():  # an unknown or ambiguous source: picked or added here, never stored as free text
        source, new_kind = _source_at_terminal(source)
    if at_terminal() and not given(ctx, "channel"):  # each of these changes a term: asked, never assumed, at a person
        channel = choose(CHANNEL_QUESTION, ASKED_CHANNELS, CHANNEL_LABELS["written"])[0]
    children = child or [ask(None, *QUESTIONS["child"])]
    problem = ask(problem, *QUESTIONS["problem"])
    if threat is None:  # it opens the terms of 001 §2.5.1: asked at a person, never assumed «no» in a script
        threat = _threat_asked()
    if at_terminal() and not kind:
        kind = choose(KIND_QUESTION, SIGNAL_KINDS, SIGNAL_KINDS[DEFAULT_SIGNAL_KIND], several=True)
    kinds = signal_kinds(kind or [])
    same_as = _same_as(children, person)
    doc, known = register(Intake(received, source, channel, children, parent or [], problem, threat, kinds,
                                 same_as, to_case, address, help_needed, detected, new_kind))
    if as_json:
        emit_json(doc)
        return
    for line in added_lines(doc, known):
        typer.echo(line)


#: the questions `signal add` asks a person at a terminal, each with the option it stands for in a script; the
#: screen's form (screen/intake.py) asks them in the same words and refuses an empty one as a script is refused
QUESTIONS = {"received": ("Момент поступления (ДД.ММ.ГГГГ ЧЧ:ММ)", "--received"),
             "source": ("От кого поступила информация", "--source"),
             "child": ("Ребёнок (ФИО, ДД.ММ.ГГГГ; без даты — только ФИО)", "--child"),
             "problem": ("Суть проблемы", "--problem")}
CHANNEL_QUESTION = "Канал поступления"
THREAT_QUESTION = "Угроза жизни или здоровью"
THREAT_MISSING = "Не указано, есть ли угроза жизни или здоровью (--threat или --no-threat)."
KIND_QUESTION = "О чём сигнал"
#: the channels a person is offered (the rare «иное» only by `--channel`)
ASKED_CHANNELS = {k: v for k, v in CHANNEL_LABELS.items() if k != "other"}


@dataclass
class Intake:
    """What `signal add` was told, typed or answered: by options, at a terminal, or in the screen's form."""

    received: str
    source: str
    channel: str
    children: list[str]
    parents: list[str]
    problem: str
    threat: bool
    kinds: tuple[str, ...]
    same_as: list[int] = field(default_factory=list)
    to_case: int | None = None
    address: str = ""
    help_needed: str = ""
    detected: str | None = None
    new_kind: str = ""


def register(typed: Intake) -> tuple[dict, list[str]]:
    """`signal add`'s step in its own transaction, audited under its name (the command and the screen's form
    both come here): what `--json` prints, and the lines naming the people already known."""
    from sopcli.services.directory.intake import known_line, open_cases
    from sopcli.services.steps.lifecycle import SignalInput, register_signal

    with registry("signal add") as (reg, session):
        data = SignalInput(moment(typed.received, reg.tz, "момент поступления"), typed.source,
                           typed.channel, typed.children,
                           typed.parents, typed.address, typed.problem, typed.help_needed, typed.threat,
                           kinds=typed.kinds, to_case=typed.to_case,
                           detected=moment(typed.detected, reg.tz, "момент выявления") if typed.detected else None,
                           new_source_kind=typed.new_kind, same_as=typed.same_as)
        res = register_signal(session, reg, data, now())
        sig = res.entity
        opened = obligations_json([o for o in res.opened if o.status == "open"], reg)
        fulfilled = obligations_json(res.fulfilled, reg)
        number = f"{sig.seq}/{sig.year}"
        known = res.known
        src = {"text": sig.source, "kind": sig.source_kind, "agency": sig.source_agency_id}
        warnings = list(res.warnings)
        cases = [] if typed.to_case else open_cases(known)
    doc = {"id": sig.id, "number": number, "to_case": typed.to_case, "known": [k.json() for k in known],
           "open_cases": cases, "source": src, "obligations": opened, "fulfilled": fulfilled, "warnings": warnings}
    return doc, [known_line(k) for k in known]


def added_lines(doc: dict, known: list[str]) -> list[str]:
    """The new signal on the secretary's own screen: its number, source, the people already known (by name:
    here only, never in an error), the open case it most likely belongs to, and its terms."""
    from sopcli.commands._common import obligation_lines

    number, to_case = doc["number"], doc["to_case"]
    out = [f"Сигнал № {number} зарегистрирован (id {doc['id']})."
           + (f" Присоединён к делу № {to_case}: отдельная проверка не проводится." if to_case else "")]
    out += _source_lines(doc["source"], doc["warnings"])
    out += known
    for case in doc["open_cases"]:  # the child's case is open: the signal most likely belongs to it
        out.append(f"Ребёнок из открытого дела № {case}: присоединить сигнал к делу — sopcli signal attach "
                   f"{number} --to-case {case} --date МОМЕНТ (при регистрации — signal add … --to-case {case}).")
    return out + obligation_lines(doc["fulfilled"], "Исполнены:") + obligation_lines(doc["obligations"],
                                                                                    "Открыты обязанности:")


def _same_as(children: list[str], typed: list[int] | None) -> list[int]:
    """The earlier persons the children are: `--person`, and at a terminal each likely one a person said «да» to
    (asked here, before the write; never guessed, and never asked under cron)."""
    from sopcli.commands._common import registry_exists

    given_ids = list(typed or [])  # no registry yet: the step itself refuses, with its own words
    return given_ids + (_ask_same(children, given_ids) if at_terminal() and registry_exists() else [])


def _ask_same(children: list[str], given_ids: list[int]) -> list[int]:
    """The earlier children each typed child only likely is, asked one by one (да/нет): the ids said «да»."""
    from sopcli.errors import InvalidInput
    from sopcli.services.directory import intake
    from sopcli.services.directory.names import parse_child

    try:
        typed = [intake.Typed("child", *parse_child(c)) for c in children]
    except InvalidInput:
        return []  # refused in the step itself, with the same words
    with reading() as r:
        known = intake.find_known(r, typed)
    chosen: list[int] = []
    for index in range(len(typed)):
        likely = intake.to_ask(known, index)
        if any(k.person_id in given_ids for k in likely):
            continue  # `--person` already said who the child is
        chosen += next(([k.person_id] for k in likely if yes_no(intake.question(k))), [])
    return chosen


def _threat_asked() -> bool:
    from sopcli.errors import InvalidInput

    if not at_terminal():
        raise InvalidInput(THREAT_MISSING)
    return yes_no(THREAT_QUESTION)


def _source_lines(src: dict, warnings: list[str]) -> list[str]:
    """Whom the signal came from as the directory names it, and what no owner could be found for."""
    return ([f"Источник: {src['text']}" + ("" if src["kind"] == "agency" else
                                          f" ({SOURCE_KINDS[src['kind']]}: обязанностей органа не открывает)")]
            + [f"Внимание: {warning}" for warning in warnings])


def _source_at_terminal(typed: str) -> tuple[str, str]:
    """(the source, the kind of a new agency to add): an ambiguous word picked among its agencies, an unknown
    one added to the directory with its kind asked; a refusal otherwise, as a script gets it."""
    from sopcli.services.directory import agencies

    choice = source_choice(typed)
    if choice.refused is None:
        return typed, ""
    if choice.names:
        typer.echo(agencies_line(choice.names))
        return choice.names[choose(AGENCY_NUMBER, {n: n for n in choice.names}, "1")[0]], ""
    if not choice.addable or not yes_no(absent_question(typed)):
        raise choice.refused from None
    kind = choose(AGENCY_KIND, agencies.KIND_LABELS, agencies.KIND_LABELS["other"])[0]
    return typed, kind


AGENCY_NUMBER = "Номер органа"
AGENCY_KIND = "Вид органа"


@dataclass
class SourceChoice:
    """What a person is asked about a typed source, at the terminal and in the screen's form alike."""

    refused: Exception | None  # the resolver's refusal, as a script gets it; None: the directory takes the source
    names: dict[str, str] = field(default_factory=dict)  # several agencies fit: {number: name}, one to be picked
    addable: bool = False  # no agency fits: a person may add it to the directory, its kind asked


def source_choice(typed: str) -> SourceChoice:
    """The typed source through the one resolver: taken, one of several to pick, or new to be added."""
    from sopcli.errors import InvalidInput
    from sopcli.services.directory import agencies

    with reading() as r:
        entries, school = agencies.read(r), r.settings["rules"] == "school"
    try:
        agencies.source_of(typed, entries, school)
        return SourceChoice(None)
    except InvalidInput as refused:
        found = [e for e in agencies.matches(typed, entries) if e.active]
        if len(found) > 1:
            return SourceChoice(refused, {str(n): e.name for n, e in enumerate(found, 1)})
        return SourceChoice(refused, addable=not found)


def agencies_line(names: dict[str, str]) -> str:
    return "Подходят органы: " + "; ".join(f"{n} — {name}" for n, name in names.items())


def absent_question(typed: str) -> str:
    return f"Органа «{' '.join(typed.split())[:80]}» нет в справочнике. Добавить"


@app.command("attach", cls=RuCommand)
def attach(
    signal: Annotated[SignalRef, signal_argument()],
    to_case: Annotated[Optional[int], id_option(
        "--to-case", "Открытое дело N, к которому присоединяется сигнал о его ребёнке.")] = None,
    date: Annotated[Optional[str], typer.Option(
        "--date", help="Момент присоединения: ДД.ММ.ГГГГ ЧЧ:ММ (он исполняет срок проверки; у терминала "
                       "спросит, в сценарии обязателен).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Присоединить зарегистрированный сигнал к открытому делу его ребёнка, как signal add --to-case:
    отдельная проверка не проводится (сроки угрозы и экстренные — остаются); в журнале аудита."""
    from sopcli.commands._common import step_report

    doc, line = record_attach(signal, *attach_answers(to_case, date))
    step_report(doc, as_json, line)


def attach_answers(to_case: Any, date: str | None, asked: Callable[[Any, str, str], Any] = ask) -> tuple[Any, str]:
    """The case and the moment `signal attach` cannot go without, asked at a terminal (`ask`) or refused when
    missing (`required`: the screen's form)."""
    case = asked(to_case, "Номер открытого дела", "--to-case")
    # the moment settles the check's term: typed, never taken as «now» (a late entry would read as a late check)
    return case, asked(date, "Момент присоединения (ДД.ММ.ГГГГ ЧЧ:ММ)", "--date")


def record_attach(signal: SignalRef, case: Any, date: str) -> tuple[dict, str]:
    """`signal attach`'s step with its answers: one transaction, audited as «signal attach»; the screen's
    signal is attached through it."""
    from sopcli.commands._common import step_doc
    from sopcli.errors import InvalidInput
    from sopcli.services.steps.lifecycle import attach_signal

    if not str(case).strip().isdigit() or not 1 <= int(case) <= 2**31 - 1:
        raise InvalidInput("Номер дела (--to-case) — целое число, например 1.")
    with registry("signal attach") as (reg, session):
        signal_id = signal_id_of(session, signal)
        when = moment(date, reg.tz, "момент присоединения")
        res = attach_signal(session, reg, signal_id, int(case), when, now())
        sig = res.entity
        doc = step_doc(res, reg, {"signal": sig.id, "number": f"{sig.seq}/{sig.year}", "case": int(case)})
    return doc, f"Сигнал № {doc['number']} присоединён к делу № {doc['case']}: отдельная проверка не проводится."


@app.command("list", cls=RuCommand)
def list_(
    year: Annotated[Optional[int], typer.Option("--year", min=1991, max=2100, help="Год журнала.")] = None,
    as_of: AsOfOpt = None,
    known_now: KnownNowOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Журнал: номер, дата поступления, от кого, статус (на момент --as-of)."""
    from sopcli.commands._common import as_of as parse_as_of
    from sopcli.services.reading.reads import journal, journal_brief

    with reading() as r:
        if as_json or as_of:
            rows = journal(r, year, parse_as_of(as_of, r.tz) if as_of else None, known_now)
            lines = [{**s, "children": [p["name"] for p in s["persons"] if p["role"] == "child"]} for s in rows]
        else:  # today's lines need none of a signal's details (reads.journal_brief)
            lines = journal_brief(r, year)
    if as_json:
        emit_json({"signals": rows})
        return
    # one write, not an echo per line: a year's journal is 19,000 lines
    sys.stdout.write("".join(
        f"№ {s['number']:>8}  {s['received_at']:%d.%m.%Y %H:%M}  {label_of(s['status'], SIGNAL_STATUS_LABELS):<18}  "
        f"{', '.join(s['children'])} — {s['source']}\n" for s in lines))


@app.command("show", cls=RuCommand)
def show(
    signal: Annotated[SignalRef, signal_argument()],
    as_of: AsOfOpt = None,
    known_now: KnownNowOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Карточка сигнала: лица, проверка, дело, обязанности (на момент --as-of)."""
    from sopcli.commands._common import as_of as parse_as_of
    from sopcli.services.reading.reads import signal_doc
    from sopcli.services.steps.check_form import read_form

    with reading() as r:
        at = parse_as_of(as_of, r.tz)
        signal_id = signal_id_of(r, signal)
        doc = {**signal_doc(r, signal_id, at, known_now=known_now), "as_of": at.astimezone(r.tz)}
        doc["check_form"] = read_form(r, signal_id)  # App. 2's checklist and income (0010)
    if as_json:
        emit_json(doc)
        return
    typer.echo("\n".join(card_lines(doc)))


def card_lines(doc: dict) -> list[str]:
    """The signal's card as `signal show` prints it and the screen shows it: one text for both."""
    from sopcli.commands._common import obligation_lines
    from sopcli.services.steps.check_form import form_lines

    out = [f"Сигнал № {doc['number']} от {doc['received_at']:%d.%m.%Y %H:%M}, {doc['source']} "
           f"({label_of(doc['channel'], CHANNEL_LABELS)})"]
    out += [f"  {'ребёнок' if p['role'] == 'child' else 'родитель'}: {person_line(p)}" for p in doc["persons"]]
    if doc["kinds"]:
        out.append(f"  о чём (001 §2.5.1): {', '.join(SIGNAL_KINDS.get(k, k) for k in doc['kinds'])}")
    out.append(f"  проблема: {doc['problem']}")
    if doc["check"]:
        c = doc["check"]
        out.append(f"  проверка {c['concluded_on']:%d.%m.%Y}: уровень {label_of(c['level'], LEVEL_LABELS)}, "
                   f"итог {label_of(c['outcome'], OUTCOME_LABELS)}")
        out += [f"    {line}" for line in (form_lines(doc["check_form"]) if doc["check_form"] else [])]
    if doc["case"]:
        out.append(f"  дело № {doc['case']}")
    if doc["attached_to"]:
        out.append(f"  присоединён к делу № {doc['attached_to']} (отдельная проверка не проводится)")
    return out + obligation_lines(doc["obligations"], "Обязанности:")


def person_line(p: dict) -> str:
    """"Орлов Иван Петрович, 01.01.2012 (id 4)"; a child without the date says so, with how to record it."""
    if p["birth_date"]:
        return f"{p['name']}, {p['birth_date']:%d.%m.%Y}"
    if p.get("birth_date_unknown"):
        return (f"{p['name']} — дата рождения не установлена "
                f"(записать: sopcli person born {p['person_id']} --on ДД.ММ.ГГГГ)")
    return p["name"]
