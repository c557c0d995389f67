"""`sopcli rules`: the rulebook, each term with its citation; `rules check FILE`: a region's own file."""

from __future__ import annotations

from typing import Annotated, Any, Optional

import typer

from sopcli.commands._options import JsonOpt
from sopcli.render.help import RuCommand, RuGroup
from sopcli.vocab import RULE_SET_LABELS, completer, pick

app = typer.Typer(help="Свод сроков: правило, кто → кому, срок, источник; проверка своего свода региона.",
                  rich_markup_mode=None, cls=RuGroup, invoke_without_command=True)


def _registry_book() -> tuple[Any, str | None]:
    """The registry's rulebook (with the region's own file) and its set; the packaged one without a registry."""
    from sopcli.commands._common import reading
    from sopcli.deadlines.errors import DomainError
    from sopcli.deadlines.rulebook import load_rulebook, rulebook_with

    try:
        with reading(light=True) as r:  # a few settings: libpq alone on PostgreSQL (sopcli/pg_light.py)
            return rulebook_with(r.settings.get("rulebook", "")), r.settings["rules"]
    except (DomainError, OSError):
        return load_rulebook(), None


@app.callback()
def rules(
    ctx: typer.Context,
    rule_set: Annotated[Optional[str], typer.Option(
        "--set", help="Набор правил: федеральный (federal); Марий Эл (mari-el); Смоленская область (smolensk); "
                      "школа (school) — или свой набор реестра; без него — весь свод.",
        autocompletion=completer(RULE_SET_LABELS))] = None,
    as_json: JsonOpt = False,
) -> None:
    """Свод сроков: правило, кто → кому, срок, источник, какой шаг открывает."""
    if ctx.invoked_subcommand is not None:
        return
    from sopcli.deadlines.events import EVENTS
    from sopcli.deadlines.rulebook import SECTIONS
    from sopcli.render.output import emit_json

    book, current = _registry_book()
    rule_set = (pick(rule_set, RULE_SET_LABELS) or rule_set) if rule_set else rule_set
    chosen = book.for_set(rule_set) if rule_set else book.rules
    if as_json:
        emit_json({"set": rule_set, "registry_set": current,
                   "sets": [{"id": s.id, "title": s.title, "extends": list(s.extends)} for s in book.sets.values()],
                   "rules": [r.to_json() for r in chosen]})
        return
    from rich.table import Table

    from sopcli.render.output import console

    out = console()
    for s in book.sets.values():
        mark = " ← реестр" if s.id == current else ""
        base = f" (дополняет {', '.join(s.extends)})" if s.extends else ""
        out.print(f"Набор {s.id}: {s.title}{base}{mark}", highlight=False)
    table = Table(title=f"Свод сроков{f' — набор {rule_set}' if rule_set else ''} ({len(chosen)})")
    for col in ("Правило", "Обязанность", "Кто → кому", "Срок", "Открывает", "Как исполняется", "Источник"):
        table.add_column(col, overflow="fold")
    section = None
    for r in chosen:
        if r.section != section:
            section = r.section
            table.add_row(f"[b]{SECTIONS[section]}[/b]", "", "", "", "", "", "")
        opens = "; ".join(EVENTS[e].label for e in r.opens) or {
            "month": "каждый месяц", "quarter": "каждый квартал", "year": "каждый год"}.get(r.standing, "")
        table.add_row(r.id, r.title, f"{r.who} → {r.to}", r.term.label, opens, r.closed_by(), r.source)
    out.print(table)


@app.command("check", cls=RuCommand)
def check(
    file: Annotated[str, typer.Argument(metavar="ФАЙЛ", help="Свод региона в TOML ([[set]] и [[rule]]).")],
    as_json: JsonOpt = False,
) -> None:
    """Проверить свой свод региона: наборы, события, сроки, цитаты; ошибка называет строку."""
    from sopcli.deadlines.rulebook import load_rulebook, rulebook_with
    from sopcli.render.output import emit_json
    from sopcli.services.setup import own_rulebook

    found = own_rulebook(file)
    book, packaged = rulebook_with(found["rulebook"]), load_rulebook()
    own = [r for r in book.rules if packaged.find(r.id) is None]
    if as_json:
        emit_json({"set": found["rules"], "rules": [r.to_json() for r in book.for_set(found["rules"])],
                   "own_rules": [r.id for r in own]})
        return
    typer.echo(f"Свод в порядке: набор {found['rules']} — своих правил {len(own)}, всего в наборе "
               f"{len(book.for_set(found['rules']))}. Подключить: sopcli init --rules {file}")
