"""`sopcli case list / show`: the cases and each one's timeline."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from sopcli.commands._common import obligations_json, registry
from sopcli.render.help import RuCommand, RuGroup
from sopcli.render.output import emit_json

app = typer.Typer(help="Дела: список и история.", no_args_is_help=True, rich_markup_mode=None, cls=RuGroup)
JsonOpt = Annotated[bool, typer.Option("--json", help="Вывести JSON.")]


def _case_json(case, reg) -> dict:  # noqa: ANN001
    return {
        "id": case.id, "signal": case.signal_id, "subject": case.subject, "recognized_on": case.recognized_on,
        "resolution": case.resolution_no, "curator": case.curator,
        "members": [m for m in case.members.split("\n") if m], "until": case.until, "status": case.status,
        "closed_on": case.closed_on, "close_resolution": case.close_resolution or None,
        "close_ground": case.close_ground or None,
    }


@app.command("list", cls=RuCommand)
def list_(
    status: Annotated[Optional[str], typer.Option("--status", help="open или closed.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Список дел."""
    from sqlmodel import col, select

    from sopcli.errors import InvalidInput
    from sopcli.models import Case

    if status not in (None, "open", "closed"):
        raise InvalidInput(f"Недопустимый статус «{status}»: open или closed.")
    with registry("case list") as (reg, session):
        q = select(Case).order_by(col(Case.id))
        if status:
            q = q.where(Case.status == status)
        rows = [_case_json(c, reg) for c in session.exec(q)]
    if as_json:
        emit_json({"cases": rows})
        return
    for c in rows:
        typer.echo(f"Дело № {c['id']:<6} {c['status']:<6} с {c['recognized_on']:%d.%m.%Y}  "
                   f"пост. № {c['resolution']}  куратор {c['curator']}")


@app.command("show", cls=RuCommand)
def show(
    case_id: Annotated[int, typer.Argument(metavar="ID", min=1, max=2**31 - 1, help="Дело.")],
    as_json: JsonOpt = False,
) -> None:
    """История дела: события, обязанности и их статус."""
    from sqlmodel import col, select

    from sopcli.commands.signal import signal_json
    from sopcli.models import Obligation
    from sopcli.services.steps import GROUND_LABELS, get_case, get_signal

    with registry("case show") as (reg, session):
        case = get_case(session, case_id)
        doc = _case_json(case, reg)
        sig = signal_json(session, reg, get_signal(session, case.signal_id))
        obs = session.exec(select(Obligation).where(
            (Obligation.case_id == case_id) | (Obligation.signal_id == case.signal_id))
            .order_by(col(Obligation.due), col(Obligation.id))).all()
        doc["signal"] = sig
        doc["obligations"] = obligations_json(list(obs), reg)
    timeline = [(sig["received_at"].date(), f"сигнал № {sig['number']} от {sig['source']}")]
    if sig["check"]:
        c = sig["check"]
        timeline.append((c["concluded_on"], f"заключение проверки: уровень {c['level']}, итог {c['outcome']}"))
    timeline.append((doc["recognized_on"], f"признание в СОП, постановление № {doc['resolution']}"))
    if doc["closed_on"]:
        timeline.append((doc["closed_on"], f"прекращение: {GROUND_LABELS.get(doc['close_ground'], '')}, "
                                           f"постановление № {doc['close_resolution']}"))
    doc["timeline"] = [{"date": d, "event": e} for d, e in timeline]
    if as_json:
        emit_json(doc)
        return
    typer.echo(f"Дело № {doc['id']} ({'семья' if doc['subject'] == 'family' else 'несовершеннолетний'}), "
               f"{'открыто' if doc['status'] == 'open' else 'закрыто'}; куратор {doc['curator']}")
    for p in sig["persons"]:
        typer.echo(f"  {p['name']}" + (f", {p['birth_date']:%d.%m.%Y}" if p["birth_date"] else ""))
    typer.echo("События:")
    for d, e in timeline:
        typer.echo(f"  {d:%d.%m.%Y}  {e}")
    typer.echo("Обязанности:")
    labels = {"open": "открыта", "fulfilled": "исполнена", "cancelled": "отменена"}
    for o in doc["obligations"]:
        due = o["due"]
        mark = " ПРОСРОЧЕНА" if o["overdue"] else ""
        typer.echo(f"  [{o['id']}] {due:%d.%m.%Y}  {o['rule']:<20} {labels[o['status']]}{mark} — {o['title']}")
