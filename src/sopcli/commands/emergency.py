"""`sopcli emergency` (004 §7) and `sopcli consent` (004 §4.7): the steps that open the urgent terms."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from sopcli.commands._common import ask, day, moment, now, registry, step_doc, step_report
from sopcli.commands._options import CaseArg, JsonOpt, SignalRef, id_option, signal_option
from sopcli.commands._options import signal_id as signal_id_of
from sopcli.deadlines.events import EMERGENCY_KINDS
from sopcli.render.help import RuCommand, RuGroup
from sopcli.services.directory.agencies import complete_agency
from sopcli.vocab import choice_help, completer

_KINDS = {code: label for code, (label, _events) in EMERGENCY_KINDS.items()}


app = typer.Typer(help="Экстренная ситуация (004 §7): открывает сроки опеки, полиции, соцзащиты; `emergency list` — "
                  "все записанные.", invoke_without_command=True, rich_markup_mode=None, cls=RuGroup)


@app.callback()
def emergency(
    ctx: typer.Context,
    kind: Annotated[Optional[str], typer.Option(
        "--kind", help=choice_help("Что произошло (004 §7)", _KINDS), autocompletion=completer(_KINDS))] = None,
    signal: Annotated[Optional[SignalRef], signal_option(", к которому относится")] = None,
    case_id: Annotated[Optional[int], id_option("--case", "Дело, к которому относится.")] = None,
    at: Annotated[Optional[str], typer.Option("--at", help="Момент: ДД.ММ.ГГГГ ЧЧ:ММ.")] = None,
    agency: Annotated[str, typer.Option(
        "--agency", help="Орган, получивший сведения (по справочнику).", autocompletion=complete_agency)] = "",
    note: Annotated[str, typer.Option("--note", help="Примечание.")] = "",
    as_json: JsonOpt = False,
) -> None:
    """Экстренная ситуация (004 §7): открывает сроки опеки, полиции, соцзащиты с точными пунктами; `emergency list` —
    все записанные."""
    if ctx.invoked_subcommand is not None:  # `emergency list`: the options above belong to a new emergency
        return
    from sopcli.services.steps.emergency import record_emergency

    kind = ask(kind, "Что произошло (вид экстренной ситуации)", "--kind")
    at = ask(at, "Момент (ДД.ММ.ГГГГ ЧЧ:ММ)", "--at")
    with registry("emergency") as (reg, session):
        res = record_emergency(session, reg, signal_id=signal_id_of(session, signal), case_id=case_id, kind=kind,
                               at=moment(at, reg.tz, "момент"), agency=agency, note=note, now=now())
        em = res.entity
        doc = step_doc(res, reg, {"id": em.id, "kind": em.kind, "signal": em.signal_id, "case": em.case_id})
    step_report(doc, as_json, f"Записано (id {doc['id']}): {EMERGENCY_KINDS[doc['kind']][0]}.")


@app.command("list", cls=RuCommand)
def list_(
    year: Annotated[Optional[int], typer.Option("--year", min=1991, max=2100, help="Только за этот год.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Все экстренные ситуации (004 §7), новые сверху: вид, момент, орган, сигнал и дело, сроки (открыто из всего)."""
    from sopcli.commands._common import reading
    from sopcli.render.output import emit_json
    from sopcli.services.reading.reads import emergencies

    with reading() as r:
        rows = emergencies(r, year)
    if as_json:
        emit_json({"emergencies": rows})
        return
    if not rows:
        typer.echo("Экстренных ситуаций не записано." if year is None else f"За {year} год экстренных ситуаций нет.")
    for e in rows:
        where = "; ".join(filter(None, [f"сигнал № {e['signal']}" if e["signal"] else "",
                                        f"дело № {e['case']}" if e["case"] else ""]))
        told = f", {e['agency']}" if e["agency"] else ""
        typer.echo(f"{e['id']:>5}  {e['at']:%d.%m.%Y %H:%M}  {EMERGENCY_KINDS[e['kind']][0]}{told} — {where or '—'}; "
                   f"сроков {e['terms']}, открыто {e['open']}")


def consent(
    case_id: CaseArg,
    given: Annotated[Optional[bool], typer.Option(
        "--given/--refused", help="Согласие получено или записан отказ.", show_default=False)] = None,
    on: Annotated[Optional[str], typer.Option("--on", help="Дата: ДД.ММ.ГГГГ.")] = None,
    by: Annotated[Optional[str], typer.Option("--by", help="Кто дал согласие (отказался): ФИО.")] = None,
    note: Annotated[str, typer.Option("--note", help="Примечание.")] = "",
    as_json: JsonOpt = False,
) -> None:
    """Согласие на обработку персональных данных (004 §4.7): получено или отказ."""
    from sopcli.errors import InvalidInput
    from sopcli.services.steps.emergency import CONSENT, record_consent

    if given is None:
        raise InvalidInput("Укажите --given (согласие получено) или --refused (отказ).")
    on = ask(on, "Дата (ДД.ММ.ГГГГ)", "--on")
    by = ask(by, "Кто дал согласие (ФИО)", "--by")
    with registry("consent") as (reg, session):
        res = record_consent(session, reg, case_id, given=given, day=day(on, "дата согласия"), by=by, note=note,
                             now=now())
        doc = step_doc(res, reg, {"case": case_id, "consent": "given" if given else "refused"})
    step_report(doc, as_json, f"Дело № {case_id}: {CONSENT[doc['consent']]} {day(on, 'дата'):%d.%m.%Y}.")
