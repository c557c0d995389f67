"""`sopcli person list / born`: the children and parents of the registry; a birth date recorded later."""

from __future__ import annotations

from typing import Annotated

import typer

from sopcli.commands._common import day, now, reading, registry, step_doc, step_report
from sopcli.render.help import RuCommand, RuGroup
from sopcli.render.output import emit_json

app = typer.Typer(help="Лица реестра: дети и родители; дата рождения, установленная позже.", no_args_is_help=True,
                  rich_markup_mode=None, cls=RuGroup)
JsonOpt = Annotated[bool, typer.Option("--json", help="Вывести JSON.")]


@app.command("list", cls=RuCommand)
def list_(
    no_birth_date: Annotated[bool, typer.Option(
        "--no-birth-date", help="Только дети без установленной даты рождения.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Лица: номер, ФИО, дата рождения (или «не установлена»), сигналы и дела."""
    from sopcli.services.persons import people
    from sopcli.vocab import CASE_STATUS_LABELS

    with reading() as r:
        rows = people(r, no_birth_date)
    if as_json:
        emit_json({"persons": rows})
        return
    roles = {"child": "ребёнок", "parent": "родитель"}
    for p in rows:
        born = (f"{p['birth_date']:%d.%m.%Y}" if p["birth_date"] else
                "дата рождения не установлена" if p["birth_date_unknown"] else "")
        cases = "; ".join(f"дело № {c['id']}, {CASE_STATUS_LABELS.get(c['status'], c['status'])}" for c in p["cases"])
        typer.echo(f"№ {p['id']:<6} {p['name']}" + (f", {born}" if born else "")
                   + f" — {', '.join(roles.get(x, x) for x in p['roles'])}; сигналы {', '.join(p['signals'])}"
                   + (f"; {cases}" if cases else ""))


@app.command("born", cls=RuCommand)
def born(
    person_id: Annotated[int, typer.Argument(metavar="ID", min=1, max=2**31 - 1, help="Номер лица (person list).")],
    on: Annotated[str, typer.Option("--on", help="Дата рождения: ДД.ММ.ГГГГ.")] = "",
    as_json: JsonOpt = False,
) -> None:
    """Записать установленную дату рождения ребёнка; по открытому делу открывается срок 18-летия (age.18)."""
    from sopcli.commands._common import ask
    from sopcli.services.persons import record_birth

    on = ask(on, "Дата рождения (ДД.ММ.ГГГГ)", "--on")
    birth = day(on, "дата рождения")
    with registry("person born") as (reg, session):
        res = record_birth(session, reg, person_id, birth, now())
        doc = step_doc(res, reg, {"person": person_id, "birth_date": birth})
    step_report(doc, as_json, f"Лицо № {person_id}: дата рождения {birth:%d.%m.%Y} записана.")
