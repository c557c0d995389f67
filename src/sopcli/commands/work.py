"""`sopcli report`, `control`, `transfer`, `release`, `graduates`: the work on a case after recognition."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from sopcli.commands._common import ask, at_terminal, day, now, registry, step_doc, step_report
from sopcli.commands._options import CaseArg, JsonOpt, id_argument
from sopcli.render.help import RuCommand, RuGroup
from sopcli.services.directory.agencies import complete_agency
from sopcli.vocab import CONTROL_DECISIONS, RELEASE_LABELS, REPORT_STATUSES, choice_help, code_for, completer


def report(
    case_id: CaseArg,
    measure: Annotated[Optional[int], id_argument(
        "МЕРОПРИЯТИЕ", "id мероприятия (plan show); без него — сводная "
        "информация куратора.")] = None,
    date_: Annotated[Optional[str], typer.Option("--date", help="Дата отчёта.")] = None,
    status: Annotated[Optional[str], typer.Option(
        "--status", help=choice_help("Итог", REPORT_STATUSES, "; можно «исполнено», «частично», «не исполнено»"),
        autocompletion=completer(REPORT_STATUSES))] = None,
    text: Annotated[str, typer.Option("--text", help="Текст отчёта.")] = "",
    done_on: Annotated[Optional[str], typer.Option(
        "--done-on", help="Дата фактического исполнения (прил. 4); по умолчанию — дата отчёта, если выполнено "
        "полностью или частично; не позже даты отчёта.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Отчёт исполнителя о мероприятии (или сводная информация куратора, без МЕРОПРИЯТИЯ)."""
    date_ = ask(date_, "Дата отчёта (ДД.ММ.ГГГГ)", "--date")
    if measure is None:
        text = ask(text, "Сводная информация куратора", "--text")
    else:
        status = code_for(ask(status, "Итог (" + "/".join(REPORT_STATUSES.values()) + ")", "--status"),
                          REPORT_STATUSES, "итога", "report")
    doc, line = record_report(case_id, measure, date_, status, text, done_on)
    step_report(doc, as_json, line)


def record_report(case_id: int, measure: int | None, date_: str, status: str | None, text: str,
                  done_on: str | None) -> tuple[dict, str]:
    """`report`'s step with its values asked: one transaction, audited as «report»; its JSON and its line.

    Why apart from the command: the screen's case (screen/case.py) records a report through it, word for word."""
    from sopcli.services.steps import programme

    if measure is None:
        with registry("report") as (reg, session):
            rep = programme.summary(session, reg, case_id, day(date_, "дата отчёта"), text, now())
            doc = {"case": case_id, "report": rep.id, "obligations": [], "fulfilled": [], "cancelled": []}
        return doc, f"Сводная информация куратора по делу № {case_id} записана."
    status = code_for(status or "", REPORT_STATUSES, "итога", "report")
    with registry("report") as (reg, session):
        res = programme.report(session, reg, case_id, measure, day(date_, "дата отчёта"), status, text, now(),
                               day(done_on, "дата исполнения") if done_on else None)
        doc = step_doc(res, reg, {"case": case_id, "measure": measure, "report": res.entity.id, "status": status,
                                  "done_on": res.entity.done_on})
    return doc, f"Отчёт по мероприятию {measure} (дело № {case_id}): {REPORT_STATUSES[status]}."


def control(
    case_id: CaseArg,
    date_: Annotated[Optional[str], typer.Option("--date", help="Дата контроля (заседания).")] = None,
    decision: Annotated[Optional[str], typer.Option(
        "--decision", help=choice_help("Решение", CONTROL_DECISIONS, "; можно первым словом: «продолжить»"),
        autocompletion=completer(CONTROL_DECISIONS))] = None,
    note: Annotated[str, typer.Option("--note", help="Примечание.")] = "",
    reasons: Annotated[str, typer.Option("--reasons", help="Причины неисполнения (прил. 4).")] = "",
    proposals: Annotated[str, typer.Option("--proposals", help="Предложения (прил. 4).")] = "",
    as_json: JsonOpt = False,
) -> None:
    """Контроль исполнения программы (004 §5.6): решение; следующий контроль — через 6 месяцев."""
    date_ = ask(date_, "Дата контроля (ДД.ММ.ГГГГ)", "--date")
    decision = code_for(ask(decision, "Решение (продолжить/скорректировать/прекратить)", "--decision"),
                        CONTROL_DECISIONS, "решения", "control")
    doc, line = record_control(case_id, date_, decision, note, reasons, proposals)
    step_report(doc, as_json, line)


def record_control(case_id: int, date_: str, decision: str, note: str, reasons: str,
                   proposals: str) -> tuple[dict, str]:
    """`control`'s step with its values asked: one transaction, audited as «control»; for the screen too."""
    from sopcli.services.steps.programme import control as step

    decision = code_for(decision, CONTROL_DECISIONS, "решения", "control")
    with registry("control") as (reg, session):
        res = step(session, reg, case_id, day(date_, "дата контроля"), decision, note, now(), reasons, proposals)
        doc = step_doc(res, reg, {"case": case_id, "decision": decision, "note": res.entity.note})
    return doc, f"Контроль по делу № {case_id}: {CONTROL_DECISIONS[decision]}."


transfer = typer.Typer(help="Смена места жительства (001 §2.5.1 а, б, г).", no_args_is_help=True,
                       rich_markup_mode=None, cls=RuGroup)


@transfer.command("out", cls=RuCommand)
def transfer_out(
    case_id: CaseArg,
    learned: Annotated[Optional[str], typer.Option("--learned", help="Когда стало известно о переезде.")] = None,
    to: Annotated[Optional[str], typer.Option("--to", help="Новое место жительства (муниципалитет, адрес).")] = None,
    by: Annotated[str, typer.Option(
        "--by", help="Выявивший орган (из справочника).", autocompletion=complete_agency)] = "",
    received: Annotated[Optional[str], typer.Option(
        "--received", help="Когда сведения поступили в орган учёта (по умолчанию — --learned).")] = None,
    commission: Annotated[Optional[str], typer.Option(
        "--commission", help="КДН и ЗП нового места жительства: адресат письма о переезде "
        "(«КДН и ЗП Вахитовского района г. Казани»).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Семья (несовершеннолетний) переехала: сроки информирования и направления сведений."""
    from sopcli.services.steps.movement import move_out

    learned = ask(learned, "Дата, когда стало известно о переезде", "--learned")
    to = ask(to, "Новое место жительства", "--to")
    if commission is None and at_terminal():  # a script may leave it out: the letter then has a line to fill in
        commission = typer.prompt("КДН и ЗП нового места жительства (адресат письма; Enter — не известна)",
                                  default="", show_default=False)
    with registry("transfer out") as (reg, session):
        res = move_out(session, reg, case_id, day(learned, "дата выявления"), to, by,
                       day(received, "дата поступления сведений") if received else None, now(), commission or "")
        doc = step_doc(res, reg, {"case": case_id, "to": res.entity.place, "documents": res.entity.note})
    step_report(doc, as_json, f"Переезд по делу № {case_id}: {doc['to']}. Направить: {doc['documents']}.")


@transfer.command("confirm", cls=RuCommand)
def transfer_confirm(
    case_id: CaseArg,
    date_: Annotated[Optional[str], typer.Option("--date", help="Дата постановления о прекращении.")] = None,
    resolution: Annotated[Optional[str], typer.Option("--resolution", help="Номер постановления.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Новая КДН подтвердила приём: работа прекращается по основанию «переезд»."""
    from sopcli.services.steps.movement import confirm_move

    date_ = ask(date_, "Дата постановления (ДД.ММ.ГГГГ)", "--date")
    resolution = ask(resolution, "Номер постановления", "--resolution")
    with registry("transfer confirm") as (reg, session):
        res = confirm_move(session, reg, case_id, day(date_, "дата постановления"), resolution, now())
        doc = step_doc(res, reg, {"case": case_id})
    step_report(doc, as_json, f"Дело № {case_id} закрыто: переезд подтверждён.")


@transfer.command("in", cls=RuCommand)
def transfer_in(
    learned: Annotated[Optional[str], typer.Option("--learned", help="Когда стало известно о прибытии.")] = None,
    from_: Annotated[Optional[str], typer.Option("--from", help="Прежнее место жительства (КДН).")] = None,
    child: Annotated[Optional[list[str]], typer.Option("--child", help="«ФИО, ДД.ММ.ГГГГ»; можно несколько.")] = None,
    parent: Annotated[Optional[list[str]], typer.Option("--parent", help="ФИО родителя; можно несколько.")] = None,
    address: Annotated[str, typer.Option("--address", help="Адрес по новому месту.")] = "",
    problem: Annotated[str, typer.Option("--problem", help="Что известно о ситуации.")] = "",
    as_json: JsonOpt = False,
) -> None:
    """Семья прибыла из другого муниципалитета: запись в журнал и запрос по прежнему месту (3 дня)."""
    from sopcli.commands._common import moment, obligations_json
    from sopcli.services.steps.lifecycle import SignalInput, register_signal

    learned = ask(learned, "Момент, когда стало известно о прибытии (ДД.ММ.ГГГГ ЧЧ:ММ)", "--learned")
    from_ = ask(from_, "Прежнее место жительства", "--from")
    children = child or [ask(None, "Ребёнок (ФИО, ДД.ММ.ГГГГ)", "--child")]
    with registry("transfer in") as (reg, session):
        data = SignalInput(moment(learned, reg.tz, "момент выявления"), f"прибытие из: {from_}", "other", children,
                           parent or [], address, problem or f"семья в СОП прибыла из: {from_}", "", False,
                           arrival=True)
        res = register_signal(session, reg, data, now())
        sig = res.entity
        doc = {"id": sig.id, "number": f"{sig.seq}/{sig.year}", "obligations": obligations_json(res.opened, reg),
               "fulfilled": [], "cancelled": []}
    step_report(doc, as_json, f"Прибытие записано в журнал: сигнал № {doc['number']} (id {doc['id']}).")


def release(
    case_id: CaseArg,
    kind: Annotated[Optional[str], typer.Option(
        "--kind", help=choice_help("Вид", RELEASE_LABELS, "; кратко: колония (срок более 6 месяцев: дата "
                                   "освобождения), колония до 6 месяцев (дата вступления приговора в силу), УДО "
                                   "(дата решения суда), СУВУ, СУВУ досрочно"),
        autocompletion=completer(RELEASE_LABELS))] = None,
    date_: Annotated[Optional[str], typer.Option("--date", help="Дата освобождения (выпуска, решения суда).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Освобождение из колонии, выпуск из СУВУ: уведомления, считаемые назад от даты (001 §2.5.1 и, к)."""
    from sopcli.services.steps.movement import release as step

    kind = code_for(ask(kind, "Вид (колония/колония до 6 месяцев/УДО/СУВУ/СУВУ досрочно)", "--kind"),
                    RELEASE_LABELS, "вида освобождения", "release")
    date_ = ask(date_, "Дата (ДД.ММ.ГГГГ)", "--date")
    with registry("release") as (reg, session):
        res = step(session, reg, case_id, kind, day(date_, "дата"), now())
        doc = step_doc(res, reg, {"case": case_id, "kind": kind})
    step_report(doc, as_json, f"Дело № {case_id}: {res.entity.note} {day(date_, 'дата'):%d.%m.%Y}.")


def graduates(
    case_id: CaseArg,
    analysis: Annotated[Optional[str], typer.Option("--analysis", help="Дата анализа (000 §1).")] = None,
    college: Annotated[str, typer.Option("--college", help="Колледж (вуз), куда поступил выпускник.")] = "",
    sent: Annotated[Optional[str], typer.Option("--sent", help="Когда сведения переданы в колледж.")] = None,
    answer: Annotated[Optional[str], typer.Option("--answer", help="Когда колледж проинформировал КДН.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Выпускник 9/11 класса (000): анализ → передача в колледж (2 недели) → ответ колледжа (месяц)."""
    from sopcli.services.steps.movement import graduates as step

    with registry("graduates") as (reg, session):
        res = step(session, reg, case_id, analysis=day(analysis, "дата анализа") if analysis else None,
                   college=college, sent=day(sent, "дата передачи") if sent else None,
                   answer=day(answer, "дата ответа") if answer else None, now=now())
        doc = step_doc(res, reg, {"case": case_id})
    step_report(doc, as_json, f"Выпускник, дело № {case_id}: записано.")
