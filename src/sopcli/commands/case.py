"""`sopcli case list / show`: the cases and each one's timeline."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from sopcli.commands._common import AsOfOpt, KnownNowOpt, reading
from sopcli.render.help import RuCommand, RuGroup
from sopcli.render.output import emit_json

app = typer.Typer(help="Дела: список и история.", no_args_is_help=True, rich_markup_mode=None, cls=RuGroup)
JsonOpt = Annotated[bool, typer.Option("--json", help="Вывести JSON.")]


@app.command("list", cls=RuCommand)
def list_(
    status: Annotated[Optional[str], typer.Option("--status", help="open или closed.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Список дел."""
    from sopcli.errors import InvalidInput
    from sopcli.services.reads import case_list

    if status not in (None, "open", "closed"):
        raise InvalidInput(f"Недопустимый статус «{status}»: open или closed.")
    with reading() as r:
        rows = case_list(r, status)
    if as_json:
        emit_json({"cases": rows})
        return
    for c in rows:
        typer.echo(f"Дело № {c['id']:<6} {c['status']:<6} с {c['recognized_on']:%d.%m.%Y}  "
                   f"пост. № {c['resolution']}  куратор {c['curator']}")


@app.command("show", cls=RuCommand)
def show(
    case_id: Annotated[int, typer.Argument(metavar="ID", min=1, max=2**31 - 1, help="Дело.")],
    as_of: AsOfOpt = None,
    known_now: KnownNowOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """История дела: события, обязанности и их статус (на момент --as-of)."""
    from sopcli.commands._common import as_of as parse_as_of
    from sopcli.services.reads import case_doc

    with reading() as r:
        at = parse_as_of(as_of, r.tz)
        doc = {**case_doc(r, case_id, at, known_now=known_now), "as_of": at.astimezone(r.tz)}
    sig = doc["signal"]
    if as_json:
        emit_json(doc)
        return
    typer.echo(f"Дело № {doc['id']} ({'семья' if doc['subject'] == 'family' else 'несовершеннолетний'}), "
               f"{'открыто' if doc['status'] == 'open' else 'закрыто'}; куратор {doc['curator']}")
    from sopcli.commands.signal import person_line

    for p in sig["persons"]:
        typer.echo(f"  {person_line(p)}")
    for a in doc["attached"]:
        typer.echo(f"Присоединён сигнал № {a['number']} от {a['received_at']:%d.%m.%Y %H:%M}, {a['source']}"
                   + (" — угроза жизни или здоровью" if a["threat"] else ""))
        for p in a["persons"]:
            typer.echo(f"  {person_line(p)}")
    c = doc["consent"]
    typer.echo("Согласие на обработку ПД (004 §4.7): " + (
        f"{'получено' if c['given'] else 'отказ'} {c['on']:%d.%m.%Y}, {c['by']}" if c else "не записано"))
    typer.echo("События:")
    for t in doc["timeline"]:
        typer.echo(f"  {t['date']:%d.%m.%Y}  {t['event']}")
    typer.echo("Обязанности:")
    labels = {"open": "открыта", "fulfilled": "исполнена", "cancelled": "отменена"}
    for o in doc["obligations"]:
        due = o["due"]
        mark = " ПРОСРОЧЕНА" if o["overdue"] else ""
        typer.echo(f"  [{o['id']}] {due:%d.%m.%Y}  {o['rule']:<20} {labels[o['status']]}{mark} — {o['title']}")
