"""`sopcli rules`: the rulebook, each term with its citation."""

from __future__ import annotations

from typing import Annotated, Optional

import typer


def rules(
    rule_set: Annotated[Optional[str], typer.Option(
        "--set", help="Набор правил: federal, mari-el, smolensk, school.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Вывести JSON.")] = False,
) -> None:
    """Свод сроков: правило, кто → кому, срок, источник."""
    from sopcli.deadlines.rulebook import SECTIONS, load_rulebook
    from sopcli.render.output import emit_json

    book = load_rulebook()
    chosen = book.for_set(rule_set) if rule_set else book.rules
    if as_json:
        emit_json({"set": rule_set, "rules": [r.to_json() for r in chosen]})
        return
    from rich.table import Table

    from sopcli.render.output import console

    table = Table(title=f"Свод сроков{f' — набор {rule_set}' if rule_set else ''} ({len(chosen)})")
    for col in ("Правило", "Обязанность", "Кто → кому", "Срок", "Источник"):
        table.add_column(col, overflow="fold")
    section = None
    for r in chosen:
        if r.section != section:
            section = r.section
            table.add_row(f"[b]{SECTIONS[section]}[/b]", "", "", "", "")
        table.add_row(r.id, r.title, f"{r.who} → {r.to}", r.term.label, r.source)
    console().print(table)
