"""`sopcli person list / born`: the children and parents of the registry; a birth date recorded later."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from sopcli.commands._common import day, now, reading, registry, step_doc, step_report
from sopcli.commands._options import JsonOpt, SignalRef, id_argument, signal_option
from sopcli.commands._options import signal_id as signal_id_of
from sopcli.render.help import RuCommand, RuGroup
from sopcli.render.output import emit_json
from sopcli.vocab import RELATION_LIMIT, RELATIONS

app = typer.Typer(help="Лица реестра: дети и родители; дата рождения, место работы, родство.", no_args_is_help=True,
                  rich_markup_mode=None, cls=RuGroup)
PersonArg = Annotated[int, id_argument("ID", "Номер лица (person list).")]


@app.command("list", cls=RuCommand)
def list_(
    no_birth_date: Annotated[bool, typer.Option(
        "--no-birth-date", help="Только дети без установленной даты рождения.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Лица: номер, ФИО, дата рождения (или «не установлена»), сигналы и дела."""
    from sopcli.services.directory.persons import people
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
        extra = "".join(f", {x}" for x in (*p["relations"], p["occupation"]) if x)
        typer.echo(f"№ {p['id']:<6} {p['name']}" + (f", {born}" if born else "") + extra
                   + f" — {', '.join(roles.get(x, x) for x in p['roles'])}; сигналы {', '.join(p['signals'])}"
                   + (f"; {cases}" if cases else ""))


@app.command("born", cls=RuCommand)
def born(
    person_id: PersonArg,
    on: Annotated[str, typer.Option("--on", help="Дата рождения: ДД.ММ.ГГГГ.")] = "",
    as_json: JsonOpt = False,
) -> None:
    """Записать установленную дату рождения ребёнка; по открытому делу открывается срок 18-летия (age.18)."""
    from sopcli.commands._common import ask
    from sopcli.services.directory.persons import record_birth

    on = ask(on, "Дата рождения (ДД.ММ.ГГГГ)", "--on")
    birth = day(on, "дата рождения")
    with registry("person born") as (reg, session):
        res = record_birth(session, reg, person_id, birth, now())
        doc = step_doc(res, reg, {"person": person_id, "birth_date": birth})
    step_report(doc, as_json, f"Лицо № {person_id}: дата рождения {birth:%d.%m.%Y} записана.")


@app.command("set", cls=RuCommand)
def set_(
    person_id: PersonArg,
    occupation: Annotated[Optional[str], typer.Option(
        "--occupation", help="Место работы или учёбы, должность, класс (прил. 2, прил. 8 гр. 4 и 6).")] = None,
    extra_education: Annotated[Optional[str], typer.Option(
        "--extra-education", help="Дополнительное образование: кружки, секции (прил. 4).")] = None,
    born: Annotated[Optional[str], typer.Option(
        "--born", help="Дата рождения ДД.ММ.ГГГГ (ребёнку — как person born: открывается срок age.18).")] = None,
    relation: Annotated[Optional[str], typer.Option(
        "--relation", help="Кем приходится в семье: " + ", ".join(RELATIONS) + " или другое слово "
        f"(до {RELATION_LIMIT} знаков).", autocompletion=lambda incomplete: [
            w for w in RELATIONS if w.startswith(incomplete.lower())])] = None,
    signal: Annotated[Optional[SignalRef], signal_option(
        "; родство — только в этом сигнале (по умолчанию — во всех сигналах, где указано лицо)")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Сведения о лице для форм: место работы или учёбы, доп. образование, дата рождения, родство."""
    from sopcli.errors import InvalidInput
    from sopcli.services.directory.persons import PersonFields, person_doc, set_person

    if occupation is None and extra_education is None and born is None and relation is None:
        raise InvalidInput("Нечего записать: укажите --occupation, --extra-education, --born или --relation.")
    if signal is not None and relation is None:
        raise InvalidInput("--signal уточняет родство: укажите и --relation.")
    born_on = day(born, "дата рождения") if born else None
    with registry("person set") as (reg, session):
        data = PersonFields(occupation, extra_education, born_on, relation, signal_id_of(session, signal))
        res = set_person(session, reg, person_id, data, now())
        from sopcli.services.reading.db import reader_on

        doc = step_doc(res, reg, {"person": person_doc(reader_on(session), person_id)})
    step_report(doc, as_json, f"Лицо № {person_id}: сведения записаны.")


@app.command("show", cls=RuCommand)
def show(
    person_id: PersonArg,
    as_json: JsonOpt = False,
) -> None:
    """Лицо: ФИО, дата рождения, место работы или учёбы, доп. образование; сигналы с ролью и родством."""
    from sopcli.services.directory.persons import person_doc
    from sopcli.vocab import CASE_STATUS_LABELS

    with reading() as r:
        doc = person_doc(r, person_id)
    if as_json:
        emit_json(doc)
        return
    typer.echo(f"Лицо № {doc['id']}: {doc['name']}")
    typer.echo("Дата рождения: " + (f"{doc['birth_date']:%d.%m.%Y}" if doc["birth_date"] else "не установлена"))
    typer.echo(f"Место работы или учёбы: {doc['occupation'] or 'не указано'}")
    typer.echo(f"Дополнительное образование: {doc['extra_education'] or 'не указано'}")
    roles = {"child": "ребёнок", "parent": "родитель"}
    for s in doc["signals"]:
        case = (f"; дело № {s['case']}, {CASE_STATUS_LABELS.get(s['case_status'], s['case_status'])}"
                if s["case"] else "")
        typer.echo(f"  сигнал № {s['number']}: {roles.get(s['role'], s['role'])}"
                   + (f", {s['relation']}" if s["relation"] else "") + case)
