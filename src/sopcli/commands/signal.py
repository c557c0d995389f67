"""`sopcli signal add / list / show`: the journal of primary information (004 App. 1)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from sopcli.commands._common import (
    AsOfOpt,
    KnownNowOpt,
    ask,
    moment,
    now,
    obligations_json,
    print_obligations,
    reading,
    registry,
)
from sopcli.deadlines.events import SIGNAL_KINDS
from sopcli.render.help import RuCommand, RuGroup
from sopcli.render.output import emit_json
from sopcli.vocab import (
    CHANNEL_LABELS,
    LEVEL_LABELS,
    OUTCOME_LABELS,
    SIGNAL_STATUS_LABELS,
    choice_help,
    code_for,
    completer,
    label_of,
)

app = typer.Typer(help="Журнал первичной информации (прил. 1 к 004).", no_args_is_help=True,
                  rich_markup_mode=None, cls=RuGroup)
JsonOpt = Annotated[bool, typer.Option("--json", help="Вывести JSON.")]


@app.command("add", cls=RuCommand)
def add(
    received: Annotated[Optional[str], typer.Option("--received", help="Момент поступления: ДД.ММ.ГГГГ ЧЧ:ММ.")] = None,
    source: Annotated[Optional[str], typer.Option("--source", help="От кого поступила информация.")] = None,
    channel: Annotated[str, typer.Option(
        "--channel", help=choice_help("Как поступила информация", CHANNEL_LABELS),
        autocompletion=completer(CHANNEL_LABELS))] = CHANNEL_LABELS["written"],
    child: Annotated[Optional[list[str]], typer.Option("--child", help="«ФИО, ДД.ММ.ГГГГ»; можно несколько.")] = None,
    parent: Annotated[Optional[list[str]], typer.Option("--parent", help="ФИО родителя; можно несколько.")] = None,
    address: Annotated[str, typer.Option("--address", help="Адрес.")] = "",
    problem: Annotated[Optional[str], typer.Option("--problem", help="Суть проблемы.")] = None,
    help_needed: Annotated[str, typer.Option("--help-needed", help="Какая помощь нужна.")] = "",
    threat: Annotated[bool, typer.Option("--threat", help="Угроза жизни или здоровью.")] = False,
    kind: Annotated[Optional[list[str]], typer.Option(
        "--kind", help=choice_help("О чём сигнал (001 §2.5.1), можно несколько; по умолчанию — признаки СОП",
                                   SIGNAL_KINDS), autocompletion=completer(SIGNAL_KINDS))] = None,
    as_json: JsonOpt = False,
) -> None:
    """Зарегистрировать поступившую информацию; показать открытые обязанности."""
    from sopcli.services.steps import SignalInput, register_signal, signal_kinds

    received = ask(received, "Момент поступления (ДД.ММ.ГГГГ ЧЧ:ММ)", "--received")
    source = ask(source, "От кого поступила информация", "--source")
    children = child or [ask(None, "Ребёнок (ФИО, ДД.ММ.ГГГГ)", "--child")]
    problem = ask(problem, "Суть проблемы", "--problem")
    kinds = signal_kinds(kind or [])
    with registry("signal add") as (reg, session):
        data = SignalInput(moment(received, reg.tz, "момент поступления"), source,
                           code_for(channel, CHANNEL_LABELS, "канала поступления"), children,
                           parent or [], address, problem, help_needed, threat, kinds=kinds)
        res = register_signal(session, reg, data, now())
        sig = res.entity
        opened = obligations_json([o for o in res.opened if o.status == "open"], reg)
        fulfilled = obligations_json(res.fulfilled, reg)
        number = f"{sig.seq}/{sig.year}"
    if as_json:
        emit_json({"id": sig.id, "number": number, "obligations": opened, "fulfilled": fulfilled})
        return
    typer.echo(f"Сигнал № {number} зарегистрирован (id {sig.id}).")
    print_obligations(fulfilled, "Исполнены:")
    print_obligations(opened, "Открыты обязанности:")


@app.command("list", cls=RuCommand)
def list_(
    year: Annotated[Optional[int], typer.Option("--year", min=1991, max=2100, help="Год журнала.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Журнал: номер, дата поступления, от кого, статус."""
    from sopcli.services.reads import journal

    with reading() as r:
        rows = journal(r, year)
    if as_json:
        emit_json({"signals": rows})
        return
    for r in rows:
        kids = ", ".join(p["name"] for p in r["persons"] if p["role"] == "child")
        status = label_of(r["status"], SIGNAL_STATUS_LABELS)
        typer.echo(f"№ {r['number']:>8}  {r['received_at']:%d.%m.%Y %H:%M}  {status:<18}  {kids} — {r['source']}")


@app.command("show", cls=RuCommand)
def show(
    signal_id: Annotated[int, typer.Argument(metavar="ID", min=1, max=2**31 - 1, help="Номер (id) сигнала.")],
    as_of: AsOfOpt = None,
    known_now: KnownNowOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Карточка сигнала: лица, проверка, дело, обязанности (на момент --as-of)."""
    from sopcli.commands._common import as_of as parse_as_of
    from sopcli.services.reads import signal_doc

    with reading() as r:
        at = parse_as_of(as_of, r.tz)
        doc = {**signal_doc(r, signal_id, at, known_now=known_now), "as_of": at.astimezone(r.tz)}
    if as_json:
        emit_json(doc)
        return
    typer.echo(f"Сигнал № {doc['number']} от {doc['received_at']:%d.%m.%Y %H:%M}, {doc['source']} "
               f"({label_of(doc['channel'], CHANNEL_LABELS)})")
    for p in doc["persons"]:
        born = f", {p['birth_date']:%d.%m.%Y}" if p["birth_date"] else ""
        typer.echo(f"  {'ребёнок' if p['role'] == 'child' else 'родитель'}: {p['name']}{born}")
    if doc["kinds"]:
        typer.echo(f"  о чём (001 §2.5.1): {', '.join(SIGNAL_KINDS.get(k, k) for k in doc['kinds'])}")
    typer.echo(f"  проблема: {doc['problem']}")
    if doc["check"]:
        c = doc["check"]
        typer.echo(f"  проверка {c['concluded_on']:%d.%m.%Y}: уровень {label_of(c['level'], LEVEL_LABELS)}, "
                   f"итог {label_of(c['outcome'], OUTCOME_LABELS)}")
    if doc["case"]:
        typer.echo(f"  дело № {doc['case']}")
    print_obligations(doc["obligations"], "Обязанности:")
