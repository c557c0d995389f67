"""`sopcli agency add / list / alias`: the directory of agencies (001 §2.1) and the commission's names for them."""

from __future__ import annotations

from typing import Annotated

import typer

from sopcli.commands._common import registry
from sopcli.commands._options import JsonOpt
from sopcli.render.help import RuCommand, RuGroup
from sopcli.render.output import emit_json
from sopcli.services.directory.agencies import complete_agency

app = typer.Typer(help="Справочник органов системы профилактики.", no_args_is_help=True,
                  rich_markup_mode=None, cls=RuGroup)
alias_app = typer.Typer(help="Свои сокращения органов («ПДН», «опека»): понимаются везде, где называют орган.",
                        no_args_is_help=True, rich_markup_mode=None, cls=RuGroup)
app.add_typer(alias_app, name="alias")
ToAgency = Annotated[str, typer.Option("--to", help="Орган справочника (название, код вида или сокращение).",
                                       autocompletion=complete_agency)]


@app.command("add", cls=RuCommand)
def add(
    name: Annotated[str, typer.Argument(metavar="ИМЯ", help="Название органа.")],
    kind: Annotated[str, typer.Option(
        "--kind", help="Вид органа: комиссия, опека, соцзащита, полиция, образование, здравоохранение, молодёжная "
                       "политика, занятость, инспекция, прокуратура, культура, спорт, иной (или код из agency list)."
    )] = "иной",
) -> None:
    """Добавить орган в справочник."""
    from sopcli.services.directory.agencies import add_agency, new_agency_name

    name = new_agency_name(name)
    with registry("agency add") as (reg, session):
        add_agency(session, reg, name, kind)
    typer.echo(f"Добавлен орган: {name}")


@app.command("list", cls=RuCommand)
def list_(as_json: JsonOpt = False) -> None:
    """Органы справочника (с кодом вида и своими сокращениями)."""
    from sopcli.services.directory import agencies

    with registry("agency list") as (_reg, session):
        rows = [{"id": a.id, "name": a.name, "kind": a.kind, "active": a.active, "aliases": list(a.aliases)}
                for a in agencies.load(session)]
    if as_json:
        emit_json({"agencies": rows})
        return
    for a in rows:
        also = f"; также: {', '.join(a['aliases'])}" if a["aliases"] else ""
        off = "; не действует" if not a["active"] else ""
        typer.echo(f"{a['id']:>3}  {a['name']} ({a['kind']}{also}{off})")


@app.command("unbound", cls=RuCommand)
def unbound_(as_json: JsonOpt = False) -> None:
    """Сроки и сигналы без исполнителя из справочника: что назначить командой agency bind."""
    from sopcli.services.directory import owners_upgrade

    with registry("agency unbound") as (_reg, session):
        rows = owners_upgrade.unbound(session)
    if as_json:
        emit_json({"unbound": rows})
        return
    if not rows:
        typer.echo("Все сроки и сигналы отнесены к органам справочника, комиссии или кураторам.")
        return
    for r in rows:
        parts = [f"сроков {r['terms']} (открытых {r['open']})"] if r["terms"] else []
        parts += [f"сигналов {r['signals']}"] if r["signals"] else []
        typer.echo(f"«{r['text']}»: {', '.join(parts)}")
    typer.echo("Назначить: sopcli agency bind «ТЕКСТ» --to ОРГАН")


@app.command("bind", cls=RuCommand)
def bind(
    text: Annotated[str, typer.Argument(metavar="ТЕКСТ", help="Исполнитель, как он записан (agency unbound).")],
    to: ToAgency,
    as_json: JsonOpt = False,
) -> None:
    """Отнести сроки (и сигналы) без исполнителя к органу справочника."""
    from sopcli.services.directory import owners_upgrade

    with registry("agency bind") as (reg, session):
        name, done = owners_upgrade.bind_text(session, reg, text, to)
    if as_json:
        emit_json({"text": text, "to": name, "obligations": done.obligations, "signals": done.signals})
        return
    typer.echo(f"«{' '.join(text.split())[:80]}» → {name}: сроков {done.obligations}, сигналов {done.signals}.")


@alias_app.command("add", cls=RuCommand)
def alias_add(
    alias: Annotated[str, typer.Argument(metavar="СОКРАЩЕНИЕ", help="Сокращение, например ПДН или опека.")],
    to: ToAgency,
    as_json: JsonOpt = False,
) -> None:
    """Добавить своё сокращение органа."""
    from sopcli.services.directory.agencies import add_alias

    with registry("agency alias add") as (reg, session):
        row, agency = add_alias(session, reg, alias, to)
        doc = {"id": row.id, "alias": row.alias, "agency": agency.name, "agency_id": agency.id}
    if as_json:
        emit_json(doc)
        return
    typer.echo(f"Сокращение «{doc['alias']}»: {doc['agency']}")


@alias_app.command("list", cls=RuCommand)
def alias_list(as_json: JsonOpt = False) -> None:
    """Свои сокращения органов."""
    from sopcli.services.directory import agencies

    with registry("agency alias list") as (_reg, session):
        entries = agencies.load(session)
    bad = agencies.bad_aliases(entries)  # an older registry let in aliases that take another agency's word
    rows = [{"alias": alias, "agency": a.name, "agency_id": a.id, "problem": bad.get((a.id, alias))}
            for a in entries for alias in a.aliases]
    if as_json:
        emit_json({"aliases": rows})
        return
    if not rows:
        typer.echo("Своих сокращений нет: sopcli agency alias add СОКРАЩЕНИЕ --to ОРГАН.")
    for r in rows:
        warn = (f" — ВНИМАНИЕ: сокращение {r['problem']}; удалите: sopcli agency alias remove \"{r['alias']}\""
                if r["problem"] else "")
        typer.echo(f"{r['alias']}: {r['agency']}{warn}")


@alias_app.command("remove", cls=RuCommand)
def alias_remove(
    alias: Annotated[str, typer.Argument(metavar="СОКРАЩЕНИЕ", help="Сокращение.")],
    as_json: JsonOpt = False,
) -> None:
    """Удалить своё сокращение органа."""
    from sopcli.services.directory.agencies import remove_alias

    with registry("agency alias remove") as (reg, session):
        typed, name = remove_alias(session, reg, alias)
    if as_json:
        emit_json({"alias": typed, "agency": name})
        return
    typer.echo(f"Сокращение «{typed}» удалено ({name}).")
