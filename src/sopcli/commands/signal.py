"""`sopcli signal add / list / show`: the journal of primary information (004 App. 1)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from sopcli.commands._common import ask, moment, now, obligations_json, print_obligations, registry
from sopcli.render.help import RuCommand, RuGroup
from sopcli.render.output import emit_json

app = typer.Typer(help="Журнал первичной информации (прил. 1 к 004).", no_args_is_help=True,
                  rich_markup_mode=None, cls=RuGroup)
JsonOpt = Annotated[bool, typer.Option("--json", help="Вывести JSON.")]


@app.command("add", cls=RuCommand)
def add(
    received: Annotated[Optional[str], typer.Option("--received", help="Момент поступления: ДД.ММ.ГГГГ ЧЧ:ММ.")] = None,
    source: Annotated[Optional[str], typer.Option("--source", help="От кого поступила информация.")] = None,
    channel: Annotated[str, typer.Option("--channel", help="phone, written, email, personal, other.")] = "written",
    child: Annotated[Optional[list[str]], typer.Option("--child", help="«ФИО, ДД.ММ.ГГГГ»; можно несколько.")] = None,
    parent: Annotated[Optional[list[str]], typer.Option("--parent", help="ФИО родителя; можно несколько.")] = None,
    address: Annotated[str, typer.Option("--address", help="Адрес.")] = "",
    problem: Annotated[Optional[str], typer.Option("--problem", help="Суть проблемы.")] = None,
    help_needed: Annotated[str, typer.Option("--help-needed", help="Какая помощь нужна.")] = "",
    threat: Annotated[bool, typer.Option("--threat", help="Угроза жизни или здоровью.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Зарегистрировать поступившую информацию; показать открытые обязанности."""
    from sopcli.services.steps import SignalInput, register_signal

    received = ask(received, "Момент поступления (ДД.ММ.ГГГГ ЧЧ:ММ)", "--received")
    source = ask(source, "От кого поступила информация", "--source")
    children = child or [ask(None, "Ребёнок (ФИО, ДД.ММ.ГГГГ)", "--child")]
    problem = ask(problem, "Суть проблемы", "--problem")
    with registry("signal add") as (reg, session):
        data = SignalInput(moment(received, reg.tz, "момент поступления"), source, channel, children,
                           parent or [], address, problem, help_needed, threat)
        res = register_signal(session, reg, data, now())
        sig = res.entity
        opened = obligations_json(res.opened, reg)
        number = f"{sig.seq}/{sig.year}"
    if as_json:
        emit_json({"id": sig.id, "number": number, "obligations": opened})
        return
    typer.echo(f"Сигнал № {number} зарегистрирован (id {sig.id}).")
    print_obligations(opened, "Открыты обязанности:")


def signal_json(session, reg, sig) -> dict:  # noqa: ANN001
    from sqlmodel import select

    from sopcli.models import Case, Check
    from sopcli.services.steps import signal_people

    chk = session.exec(select(Check).where(Check.signal_id == sig.id)).first()
    case = session.exec(select(Case).where(Case.signal_id == sig.id)).first()
    return {
        "id": sig.id, "number": f"{sig.seq}/{sig.year}", "received_at": sig.received_at.astimezone(reg.tz),
        "source": sig.source, "channel": sig.channel, "address": sig.address, "problem": sig.problem,
        "help_needed": sig.help_needed, "threat": sig.threat, "status": sig.status,
        "persons": [{"role": r, "name": p.full_name, "birth_date": p.birth_date}
                    for r, p in signal_people(session, sig.id)],
        "check": None if chk is None else {"concluded_on": chk.concluded_on, "level": chk.level,
                                          "outcome": chk.outcome, "criteria": chk.criteria, "note": chk.note},
        "case": case.id if case else None,
    }


@app.command("list", cls=RuCommand)
def list_(
    year: Annotated[Optional[int], typer.Option("--year", min=1991, max=2100, help="Год журнала.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Журнал: номер, дата поступления, от кого, статус."""
    from sqlmodel import col, select

    from sopcli.models import Signal

    with registry("signal list") as (reg, session):
        q = select(Signal).order_by(col(Signal.year), col(Signal.seq))
        if year is not None:
            q = q.where(Signal.year == year)
        rows = [signal_json(session, reg, s) for s in session.exec(q)]
    if as_json:
        emit_json({"signals": rows})
        return
    for r in rows:
        kids = ", ".join(p["name"] for p in r["persons"] if p["role"] == "child")
        typer.echo(f"№ {r['number']:>8}  {r['received_at']:%d.%m.%Y %H:%M}  {r['status']:<10}  {kids} — {r['source']}")


@app.command("show", cls=RuCommand)
def show(
    signal_id: Annotated[int, typer.Argument(metavar="ID", min=1, max=2**31 - 1, help="Номер (id) сигнала.")],
    as_json: JsonOpt = False,
) -> None:
    """Карточка сигнала: лица, проверка, дело, обязанности."""
    from sqlmodel import col, select

    from sopcli.models import Obligation
    from sopcli.services.steps import get_signal

    with registry("signal show") as (reg, session):
        doc = signal_json(session, reg, get_signal(session, signal_id))
        obs = session.exec(select(Obligation).where(Obligation.signal_id == signal_id)
                           .order_by(col(Obligation.due))).all()
        doc["obligations"] = obligations_json(list(obs), reg)
    if as_json:
        emit_json(doc)
        return
    typer.echo(f"Сигнал № {doc['number']} от {doc['received_at']:%d.%m.%Y %H:%M}, {doc['source']} ({doc['channel']})")
    for p in doc["persons"]:
        born = f", {p['birth_date']:%d.%m.%Y}" if p["birth_date"] else ""
        typer.echo(f"  {'ребёнок' if p['role'] == 'child' else 'родитель'}: {p['name']}{born}")
    typer.echo(f"  проблема: {doc['problem']}")
    if doc["check"]:
        c = doc["check"]
        typer.echo(f"  проверка {c['concluded_on']:%d.%m.%Y}: уровень {c['level']}, итог {c['outcome']}")
    if doc["case"]:
        typer.echo(f"  дело № {doc['case']}")
    print_obligations(doc["obligations"], "Обязанности:")
