"""`sopcli school`: the school's own steps (003); the rest is the registry's commands under `--rules school`."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from sopcli.commands._common import ask, day, now, registry, step_doc, step_report
from sopcli.commands._options import JsonOpt, SignalRef, id_argument, signal_argument
from sopcli.commands._options import signal_id as signal_id_of
from sopcli.render.help import RuCommand, RuGroup
from sopcli.render.output import emit_json
from sopcli.vocab import COUNCIL_DECISIONS, choice_help, code_for, completer

app = typer.Typer(help="Учёт в школе (003): решение Совета профилактики, наблюдательное дело, снятие с учёта.",
                  no_args_is_help=True, rich_markup_mode=None, cls=RuGroup)


@app.command("council", cls=RuCommand)
def council(
    signal: Annotated[SignalRef, signal_argument(" (представление)")],
    date_: Annotated[Optional[str], typer.Option("--date", help="Дата заседания Совета.")] = None,
    decision: Annotated[Optional[str], typer.Option(
        "--decision", help=choice_help("Решение", COUNCIL_DECISIONS, "; кратко: учёт, нецелесообразно, контроль"),
        autocompletion=completer(COUNCIL_DECISIONS))] = None,
    category: Annotated[Optional[list[str]], typer.Option(
        "--category", help="Категория 003 §II: красная зона (red.1–6), жёлтая (yellow.1–8, 2а, 2б), "
        "зелёная (green.1–8); можно несколько.")] = None,
    curator: Annotated[str, typer.Option("--curator", help="Куратор (для учёта).")] = "",
    note: Annotated[str, typer.Option("--note", help="Примечание (номер протокола).")] = "",
    as_json: JsonOpt = False,
) -> None:
    """Решение Совета профилактики по представлению (003 §6.2); при учёте — сроки 003 §6.1, §6.3, §4.6."""
    from sopcli.services.steps.school import CouncilInput, council_case
    from sopcli.services.steps.school import council as step

    date_ = ask(date_, "Дата заседания (ДД.ММ.ГГГГ)", "--date")
    decision = code_for(ask(decision, "Решение (учёт/нецелесообразно/контроль)", "--decision"), COUNCIL_DECISIONS,
                        "решения Совета (003 §6.2)", "council")
    with registry("school council") as (reg, session):
        signal_id = signal_id_of(session, signal)
        res = step(session, reg, signal_id, CouncilInput(day(date_, "дата заседания"), decision, category or [],
                                                         curator, note), now())
        doc = step_doc(res, reg, {"signal": signal_id, "decision": decision, "case": council_case(res)})
    line = f"Совет профилактики по представлению №{signal}: {COUNCIL_DECISIONS[decision]}."
    step_report(doc, as_json, line + (f" Открыто дело № {doc['case']}." if doc["case"] else ""))


@app.command("file", cls=RuCommand)
def file(
    case_id: Annotated[int, id_argument("ДЕЛО", "Дело (ученик).")],
    have: Annotated[Optional[list[str]], typer.Option("--have", help="Документ наблюдательного дела (003 §4.6).")]
    = None,
    as_json: JsonOpt = False,
) -> None:
    """Наблюдательное дело (003 §4.6): отметить документы; показать, чего не хватает."""
    from sopcli.services.steps.school import file_items
    from sopcli.vocab import OBSERVATION_FILE

    with registry("school file") as (reg, session):
        missing = file_items(session, reg, case_id, have or [])
    if as_json:
        emit_json({"case": case_id, "missing": missing})
        return
    typer.echo(f"Наблюдательное дело № {case_id}: не хватает {len(missing)}")
    for k in missing:
        typer.echo(f"  {k}: {OBSERVATION_FILE[k]}")


@app.command("close-request", cls=RuCommand)
def close_request(
    case_id: Annotated[int, id_argument("ДЕЛО", "Дело (ученик).")],
    date_: Annotated[Optional[str], typer.Option("--date", help="Дата представления о снятии с учёта.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Представление о снятии с учёта: рассмотреть не позднее 5 рабочих дней (003 §5.3)."""
    from sopcli.services.steps.school import close_request as step

    date_ = ask(date_, "Дата представления (ДД.ММ.ГГГГ)", "--date")
    with registry("school close-request") as (reg, session):
        res = step(session, reg, case_id, day(date_, "дата представления"), now())
        doc = step_doc(res, reg, {"case": case_id})
    step_report(doc, as_json, f"Представление о снятии с учёта по делу № {case_id} принято.")
