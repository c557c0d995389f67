"""`sopcli case list / show`: the cases and each one's timeline."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from sopcli.commands._common import AsOfOpt, KnownNowOpt, reading
from sopcli.render.help import RuCommand, RuGroup
from sopcli.render.output import emit_json
from sopcli.vocab import CASE_STATUS_LABELS, SUBJECT_LABELS, choice_help, code_for, completer, label_of

app = typer.Typer(help="Дела: список и история.", no_args_is_help=True, rich_markup_mode=None, cls=RuGroup)
JsonOpt = Annotated[bool, typer.Option("--json", help="Вывести JSON.")]


@app.command("list", cls=RuCommand)
def list_(
    status: Annotated[Optional[str], typer.Option(
        "--status", help=choice_help("Только дела", CASE_STATUS_LABELS), autocompletion=completer(CASE_STATUS_LABELS))
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Список дел."""
    from sopcli.services.reads import case_list

    if status is not None:
        status = code_for(status, CASE_STATUS_LABELS, "статуса", "case")
    with reading() as r:
        rows = case_list(r, status)
    if as_json:
        emit_json({"cases": rows})
        return
    for c in rows:
        status = label_of(c["status"], CASE_STATUS_LABELS)
        typer.echo(f"Дело № {c['id']:<6} {status:<7} с {c['recognized_on']:%d.%m.%Y}  "
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
    from sopcli.render.output import settled
    from sopcli.services.reads import case_doc

    with reading() as r:
        at = parse_as_of(as_of, r.tz)
        doc = {**case_doc(r, case_id, at, known_now=known_now), "as_of": at.astimezone(r.tz)}
    sig = doc["signal"]
    if as_json:
        emit_json(doc)
        return
    typer.echo(f"Дело № {doc['id']} ({label_of(doc['subject'], SUBJECT_LABELS)}), "
               f"{label_of(doc['status'], CASE_STATUS_LABELS)}; куратор {doc['curator']}")
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
    for o in doc["obligations"]:
        due = o["due"]
        typer.echo(f"  [{o['id']}] {due:%d.%m.%Y}  {o['rule']:<20} {settled(o)} — {o['title']}")
