"""`sopcli check`, `recognize`, `close`: the steps of 004 §4.6, §5.1, §6."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Optional

import typer

from sopcli.commands._common import ask, at_terminal, day, now, registry
from sopcli.commands._common import step_doc as _doc
from sopcli.commands._common import step_report as _report
from sopcli.commands._options import CaseArg, JsonOpt, SignalRef, signal_argument
from sopcli.commands._options import signal_id as signal_id_of
from sopcli.services.directory.agencies import complete_agency
from sopcli.vocab import (
    GROUND_LABELS,
    GROUNDS,
    HOUSING_KINDS,
    HOUSING_STATES,
    LEVEL_LABELS,
    LIVING,
    OUTCOME_LABELS,
    OUTCOMES_APP4,
    RESULTS_APP4,
    SANITARY,
    SCHOOL_GROUNDS,
    SUBJECT_LABELS,
    allowed_words,
    choice_help,
    code_for,
    completer,
)


def check(
    signal: Annotated[SignalRef, signal_argument()],
    concluded: Annotated[Optional[str], typer.Option("--concluded", help="Дата заключения.")] = None,
    level: Annotated[Optional[str], typer.Option(
        "--level", help=choice_help("Уровень опасности", LEVEL_LABELS), autocompletion=completer(LEVEL_LABELS))] = None,
    outcome: Annotated[Optional[str], typer.Option(
        "--outcome", help=choice_help("Итог", OUTCOME_LABELS), autocompletion=completer(OUTCOME_LABELS))] = None,
    criterion: Annotated[Optional[list[int]], typer.Option("--criterion", help="Критерий 1–8 (прил. 2).")] = None,
    family: Annotated[str, typer.Option("--family", help="Состав семьи (прил. 2), текстом.")] = "",
    housing: Annotated[str, typer.Option(
        "--housing", help="Жилищно-бытовые условия, текстом (вид жилья — --housing-kind).")] = "",
    income: Annotated[str, typer.Option("--income", help="Источники дохода, текстом (суммы — --income-by).")] = "",
    support: Annotated[str, typer.Option("--support", help="Получаемая помощь, поддержка.")] = "",
    note: Annotated[str, typer.Option("--note", help="Примечание.")] = "",
    address_registered: Annotated[Optional[str], typer.Option(
        "--address-registered", help="Адрес по прописке (прил. 2 §3).")] = None,
    address_actual: Annotated[Optional[str], typer.Option(
        "--address-actual", help="Адрес фактический (прил. 2 §3).")] = None,
    housing_kind: Annotated[Optional[str], typer.Option(
        "--housing-kind", help=choice_help("Вид жилья", HOUSING_KINDS, "; можно «общежитие», «коммунальная», "
                                           "«нет жилья»"), autocompletion=completer(HOUSING_KINDS))] = None,
    area: Annotated[Optional[str], typer.Option("--area", help="Площадь жилья, кв. м: 42,5 или 42.5.")] = None,
    housing_state: Annotated[Optional[str], typer.Option(
        "--housing-state", help=choice_help("Состояние жилья", HOUSING_STATES, "; можно «ветхое»"),
        autocompletion=completer(HOUSING_STATES))] = None,
    sanitary: Annotated[Optional[str], typer.Option(
        "--sanitary", help=choice_help("Санитарное состояние", SANITARY), autocompletion=completer(SANITARY))] = None,
    living: Annotated[Optional[list[str]], typer.Option(
        "--living", help=choice_help("Условия жизни несовершеннолетних, можно несколько", LIVING),
        autocompletion=completer(LIVING))] = None,
    income_by: Annotated[Optional[list[str]], typer.Option(
        "--income-by", metavar="ВИД=СУММА", help="Доход по видам (прил. 2 §4), рублей в месяц, можно с копейками; "
        "можно несколько: зарплата, пенсия, пособия, ЛПХ, алименты, стипендия, другое — например, --income-by "
        "«пенсия=12 000» или «зарплата=21 317,40».")
    ] = None,
    amend: Annotated[bool, typer.Option(
        "--amend", help="Дополнить записанное заключение: меняются только указанные сведения прил. 2 "
        "(адреса, жильё, доходы, тексты); дата, уровень, итог и критерии не меняются.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Заключение проверки (прил. 2 к 004) с уровнем опасности; --amend — дополнить записанное."""
    from sopcli.services.steps.check_form import CheckForm

    form = CheckForm(address_registered, address_actual, housing_kind, area, housing_state, sanitary,
                     living or [], income_by or [])
    if amend:
        _amend(signal, form, {"family": family, "housing": housing, "income": income, "support": support,
                                 "note": note}, (concluded, level, outcome, criterion), as_json)
        return
    concluded, level, outcome = check_answers(concluded, level, outcome)
    doc, line = record_check(signal, concluded, level, outcome, {
        "criteria": criterion or [], "note": note, "family": family, "housing": housing, "income": income,
        "support": support, "form": form})
    _report(doc, as_json, line)


def check_answers(concluded: str | None, level: str | None, outcome: str | None,
                  asked: Callable[[Any, str, str], Any] = ask) -> tuple[str, str, str]:
    """The three answers `check` cannot go without, asked at a terminal (`ask`) or refused when missing
    (`required`: the screen's form), the words read as codes: one wording for the command and the screen."""
    concluded = asked(concluded, "Дата заключения (ДД.ММ.ГГГГ)", "--concluded")
    level = code_for(asked(level, "Уровень опасности (" + "/".join(LEVEL_LABELS.values()) + ")", "--level"),
                     LEVEL_LABELS, "уровня опасности")
    outcome = code_for(asked(outcome, "Итог (" + "/".join(OUTCOME_LABELS.values()) + ")", "--outcome"),
                       OUTCOME_LABELS, "итога проверки")
    return concluded, level, outcome


def record_check(signal: SignalRef, concluded: str, level: str, outcome: str,
                 more: dict[str, Any] | None = None) -> tuple[dict, str]:
    """`check`'s step with its answers read: one transaction, audited as «check»; the screen's signal checks
    through it. `more`: App. 2's other facts by `CheckInput`'s names (the screen's form gives none, as a
    terminal's `check` without options)."""
    from sopcli.services.steps.check_form import CheckForm, check_json
    from sopcli.services.steps.lifecycle import CheckInput, conclude_check

    with registry("check") as (reg, session):
        signal_id = signal_id_of(session, signal)
        data = CheckInput(day(concluded, "дата заключения"), level, outcome,
                          **{"criteria": [], "form": CheckForm(), **(more or {})})
        res = conclude_check(session, reg, signal_id, data, now())
        doc = _doc(res, reg, {"signal": signal_id, "check": res.entity.id, "form": check_json(res.entity)})
    return doc, f"Проверка сигнала №{signal}: уровень {LEVEL_LABELS[level]}, итог {OUTCOME_LABELS[outcome]}."


def _amend(signal: SignalRef, form: object, texts: dict[str, str], fixed: tuple, as_json: bool) -> None:
    """`check ID --amend`: only App. 2's facts; what opened terms (date, level, outcome, criteria) stays."""
    from sopcli.errors import InvalidInput
    from sopcli.render.output import emit_json
    from sopcli.services.steps.check_form import amend_check, check_json

    if any(v not in (None, []) for v in fixed):
        raise InvalidInput("С --amend дата (--concluded), уровень (--level), итог (--outcome) и критерии "
                           "(--criterion) не меняются: они записаны с заключением и открыли сроки.")
    with registry("check") as (_reg, session):
        signal_id = signal_id_of(session, signal)
        chk, changed = amend_check(session, _reg, signal_id, form, texts)  # type: ignore[arg-type]
        doc = {"signal": signal_id, "check": chk.id, "changed": sorted(changed), "form": check_json(chk)}
    if as_json:
        emit_json(doc)
        return
    typer.echo(f"Заключение проверки сигнала №{signal} дополнено" + (
        f": изменено полей — {len(changed)}." if changed else ": всё уже было записано так."))


def recognize(
    signal: Annotated[SignalRef, signal_argument(" (итог проверки — СОП)")],
    date_: Annotated[Optional[str], typer.Option("--date", help="Дата постановления.")] = None,
    resolution: Annotated[Optional[str], typer.Option("--resolution", help="Номер постановления.")] = None,
    curator: Annotated[Optional[str], typer.Option("--curator", help="ФИО куратора случая.")] = None,
    curator_agency: Annotated[Optional[str], typer.Option(
        "--curator-agency", help="Орган, где работает куратор (его сроки идут в письмо этому органу).",
        autocompletion=complete_agency)] = None,
    member: Annotated[Optional[list[str]], typer.Option(
        "--member", help="Орган-участник; можно несколько.", autocompletion=complete_agency)] = None,
    until: Annotated[Optional[str], typer.Option("--until", help="Срок работы до (дата).")] = None,
    subject: Annotated[Optional[str], typer.Option(
        "--subject", help=choice_help("Кто признан в СОП", SUBJECT_LABELS, "; по умолчанию — семья, если указан "
                                      "родитель"), autocompletion=completer(SUBJECT_LABELS))] = None,
    as_json: JsonOpt = False,
) -> None:
    """Постановление: семья (несовершеннолетний) в СОП — открывается дело."""
    date_, resolution, curator = recognize_answers(date_, resolution, curator)
    if until is None and at_terminal():  # 004 §5.3: the resolution names the term of the work
        until = typer.prompt(f"{UNTIL_QUESTION} (ДД.ММ.ГГГГ; Enter — впишу в постановление сам)", default="",
                             show_default=False) or None
    doc, line = record_recognize(signal, date_, resolution, curator, member or [], until, subject,
                                 curator_agency or "")
    _report(doc, as_json, line)


#: the term of the work, asked at a terminal and in the screen's form (004 §5.3)
UNTIL_QUESTION = "Срок индивидуальной профилактической работы до"


def recognize_answers(date_: str | None, resolution: str | None, curator: str | None,
                      asked: Callable[[Any, str, str], Any] = ask) -> tuple[str, str, str]:
    """The answers `recognize` cannot go without, asked at a terminal (`ask`) or refused when missing
    (`required`: the screen's form)."""
    return (asked(date_, "Дата постановления (ДД.ММ.ГГГГ)", "--date"),
            asked(resolution, "Номер постановления", "--resolution"),
            asked(curator, "ФИО куратора случая", "--curator"))


def record_recognize(signal: SignalRef, date_: str, resolution: str, curator: str, members: list[str],
                     until: str | None, subject: str | None = None, curator_agency: str = "") -> tuple[dict, str]:
    """`recognize`'s step with its answers: one transaction, audited as «recognize»; the screen's signal is
    recognised through it. The case opened is the doc's «case»."""
    from sopcli.services.steps.lifecycle import RecognitionInput
    from sopcli.services.steps.lifecycle import recognize as recognize_step

    with registry("recognize") as (reg, session):
        data = RecognitionInput(day(date_, "дата постановления"), resolution, curator, members,
                                day(until, "срок --until") if until else None, subject, curator_agency)
        res = recognize_step(session, reg, signal_id_of(session, signal), data, now())
        doc = _doc(res, reg, {"case": res.entity.id})
    blank = "" if until else " Срок работы не указан (--until): в проекте постановления — строка для него."
    return doc, f"Открыто дело № {doc['case']} (постановление № {resolution}).{blank}"


def close(
    case_id: CaseArg,
    date_: Annotated[Optional[str], typer.Option("--date", help="Дата постановления о прекращении.")] = None,
    resolution: Annotated[Optional[str], typer.Option("--resolution", help="Номер постановления.")] = None,
    ground: Annotated[Optional[str], typer.Option(
        "--ground", help="Основание: 004 §6.3 — " + allowed_words({g: GROUND_LABELS[g] for g in GROUNDS["minor"]})
        + "; 004 §6.4 — " + allowed_words({g: GROUND_LABELS[g] for g in GROUNDS["family"]})
        + "; в школе (003 §5.1) — " + allowed_words(SCHOOL_GROUNDS) + ".",
        autocompletion=completer(GROUND_LABELS, SCHOOL_GROUNDS))] = None,
    note: Annotated[str, typer.Option("--note", help="Примечание.")] = "",
    outcome: Annotated[str, typer.Option(
        "--outcome", help=choice_help("Оценка программы (прил. 4)", OUTCOMES_APP4),
        autocompletion=completer(OUTCOMES_APP4))] = "",
    result: Annotated[Optional[list[str]], typer.Option(
        "--result", help=choice_help("Итог (прил. 4), можно несколько", RESULTS_APP4),
        autocompletion=completer(RESULTS_APP4))] = None,
    as_json: JsonOpt = False,
) -> None:
    """Прекращение работы с семьёй (несовершеннолетним) по основаниям 004 §6."""
    date_ = ask(date_, "Дата постановления (ДД.ММ.ГГГГ)", "--date")
    resolution = ask(resolution, "Номер постановления", "--resolution")
    ground = ask(ground, "Основание прекращения", "--ground")
    doc, line = record_close(case_id, date_, resolution, ground, note, outcome, tuple(result or ()))
    _report(doc, as_json, line)


def record_close(case_id: int, date_: str, resolution: str, ground: str, note: str, outcome: str,
                 results: tuple[str, ...]) -> tuple[dict, str]:
    """`close`'s step with its values asked: one transaction, audited as «close»; the screen's case closes
    through it, its words (short ones and beginnings) read by the step itself."""
    from sopcli.services.steps.lifecycle import ClosureInput, close_case

    with registry("close") as (reg, session):
        data = ClosureInput(day(date_, "дата прекращения"), resolution, ground, note, outcome, results)
        res = close_case(session, reg, case_id, data, now())
        doc = _doc(res, reg, {"case": case_id, "status": "closed"})
        ground = res.entity.close_ground
    return doc, f"Дело № {case_id} закрыто: {GROUND_LABELS.get(ground, SCHOOL_GROUNDS.get(ground, ground))}."
