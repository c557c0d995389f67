"""`sopcli agency add / list`: the directory of agencies (001 §2.1)."""

from __future__ import annotations

from typing import Annotated

import typer

from sopcli.commands._common import registry
from sopcli.render.help import RuCommand, RuGroup
from sopcli.render.output import emit_json

app = typer.Typer(help="Справочник органов системы профилактики.", no_args_is_help=True,
                  rich_markup_mode=None, cls=RuGroup)


@app.command("add", cls=RuCommand)
def add(
    name: Annotated[str, typer.Argument(metavar="ИМЯ", help="Название органа.")],
    kind: Annotated[str, typer.Option("--kind", help="Вид (kdn, police, education…).")] = "other",
) -> None:
    """Добавить орган в справочник."""
    from sqlmodel import select

    from sopcli.errors import InvalidInput
    from sopcli.models import Agency
    from sopcli.services import audit
    from sopcli.services.names import name_key

    name = " ".join(name.split())
    if not name or len(name) > 300:
        raise InvalidInput("Название органа: от 1 до 300 знаков.")
    with registry("agency add") as (reg, session):
        for existing in session.exec(select(Agency.name)):
            if name_key(existing) == name_key(name):
                raise InvalidInput(f"Орган «{existing}» уже есть в справочнике.")
        ag = Agency(name=name, kind=kind.strip() or "other")
        session.add(ag)
        session.flush()
        audit.record(session, reg, "create", "agency", ag.id, name=name)
    typer.echo(f"Добавлен орган: {name}")


@app.command("list", cls=RuCommand)
def list_(as_json: Annotated[bool, typer.Option("--json", help="Вывести JSON.")] = False) -> None:
    """Органы справочника."""
    from sqlmodel import col, select

    from sopcli.models import Agency

    with registry("agency list") as (_reg, session):
        rows = [{"id": a.id, "name": a.name, "kind": a.kind, "active": a.is_active}
                for a in session.exec(select(Agency).order_by(col(Agency.id)))]
    if as_json:
        emit_json({"agencies": rows})
        return
    for a in rows:
        typer.echo(f"{a['id']:>3}  {a['name']} ({a['kind']})")
