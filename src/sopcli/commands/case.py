"""`sopcli case list / show`: the cases and each one's timeline."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from sopcli.commands._common import reading
from sopcli.commands._options import AsOfOpt, JsonOpt, KnownNowOpt, id_argument, output_option
from sopcli.render.help import RuCommand, RuGroup
from sopcli.render.output import emit_json
from sopcli.services.steps.case_details import TYPED_REGISTERS
from sopcli.vocab import (
    ASSIGNMENT_LABELS,
    CASE_STATUS_LABELS,
    DANGER_LABELS,
    FAMILY_CATEGORIES,
    PARENTS_PROFILE_LABELS,
    REGISTERS,
    SUBJECT_LABELS,
    choice_help,
    code_for,
    completer,
    label_of,
)

app = typer.Typer(help="Дела: список, история, сведения карточки (прил. 3).", no_args_is_help=True,
                  rich_markup_mode=None, cls=RuGroup)
CaseIdArg = Annotated[int, id_argument("ID", "Дело.")]


@app.command("list", cls=RuCommand)
def list_(
    status: Annotated[Optional[str], typer.Option(
        "--status", help=choice_help("Только дела", CASE_STATUS_LABELS), autocompletion=completer(CASE_STATUS_LABELS))
    ] = None,
    as_of: AsOfOpt = None,
    known_now: KnownNowOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Список дел (на момент --as-of: как было записано тогда или, с --known-now, как было по датам)."""
    from sopcli.commands._common import as_of as parse_as_of
    from sopcli.services.reading.reads import case_list

    if status is not None:
        status = code_for(status, CASE_STATUS_LABELS, "статуса", "case")
    with reading() as r:
        rows = case_list(r, status, parse_as_of(as_of, r.tz) if as_of else None, known_now)
    if as_json:
        emit_json({"cases": rows})
        return
    for c in rows:
        typer.echo(f"Дело № {c['id']:<6} {state_text(c)}  куратор {c['curator']}")


def state_text(c: dict) -> str:
    """The case's state with its own date and resolution: the closure's for a closed case, the recognition's
    always (issue 30 §3: «закрыто с» the recognition's day read as the day of closure)."""
    recognized = f"признано {c['recognized_on']:%d.%m.%Y} пост. № {c['resolution']}"
    if c["status"] != "closed":
        return f"{label_of(c['status'], CASE_STATUS_LABELS)}, {recognized}"
    closed = "закрыто" + (f" {c['closed_on']:%d.%m.%Y}" if c["closed_on"] else "")
    closed += f" пост. № {c['close_resolution']}" if c["close_resolution"] else ""
    return f"{closed} ({recognized})"


@app.command("show", cls=RuCommand)
def show(
    case_id: CaseIdArg,
    as_of: AsOfOpt = None,
    known_now: KnownNowOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """История дела: события, обязанности и их статус (на момент --as-of)."""
    from sopcli.commands._common import as_of as parse_as_of
    from sopcli.services.reading.reads import case_doc
    from sopcli.services.steps.case_details import details

    with reading(light=True) as r:  # one case's rows: libpq alone on PostgreSQL, not psycopg's import (pg_light)
        at = parse_as_of(as_of, r.tz)
        doc = {**case_doc(r, case_id, at, known_now=known_now), "as_of": at.astimezone(r.tz)}
        doc["details"] = details(r, case_id)
    if as_json:
        emit_json(doc)
        return
    typer.echo("\n".join(card_lines(doc)))


def card_lines(doc: dict) -> list[str]:
    """The case's card as `case show` prints it and the screen shows it: one text for both."""
    from sopcli.commands.signal import person_line
    from sopcli.render.output import settled
    from sopcli.services.steps.case_details import detail_lines

    out = [f"Дело № {doc['id']} ({label_of(doc['subject'], SUBJECT_LABELS)}), "
           f"{label_of(doc['status'], CASE_STATUS_LABELS)}; куратор {doc['curator']}"]
    out += [f"  {person_line(p)}" for p in doc["signal"]["persons"]]
    for a in doc["attached"]:
        out.append(f"Присоединён сигнал № {a['number']} от {a['received_at']:%d.%m.%Y %H:%M}, {a['source']}"
                   + (" — угроза жизни или здоровью" if a["threat"] else ""))
        out += [f"  {person_line(p)}" for p in a["persons"]]
    c = doc["consent"]
    out.append("Согласие на обработку ПД (004 §4.7): " + (
        f"{'получено' if c['given'] else 'отказ'} {c['on']:%d.%m.%Y}, {c['by']}" if c else "не записано"))
    out += detail_lines(doc["details"])
    out.append("События:")
    out += [f"  {t['date']:%d.%m.%Y}  {t['event']}" for t in doc["timeline"]]
    out.append("Обязанности:")
    out += [f"  [{o['id']}] {o['due']:%d.%m.%Y}  {o['rule']:<20} {settled(o)} — {o['title']}"
            for o in doc["obligations"]]
    return out


@app.command("history", cls=RuCommand)
def history(
    case_id: CaseIdArg,
    as_of: AsOfOpt = None,
    known_now: KnownNowOpt = False,
    output: Annotated[Optional[Path], output_option(
        "Справка о ходе работы по делу (.xlsx, A4) для проверки.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Ход работы по делу: все события дела и его сигналов по порядку, когда записаны и кем (журнал аудита).

    С --as-of — только случившееся и записанное к тому моменту; с --known-now — всё случившееся к нему,
    когда бы ни было записано."""
    from sopcli.commands._common import as_of as parse_as_of
    from sopcli.commands._common import now
    from sopcli.services.reading.history import history as read_history

    target = _history_target(output)
    with reading() as r:
        at = parse_as_of(as_of, r.tz) if as_of is not None else None
        doc = read_history(r, case_id, at, known_now)
        if target is not None:
            _write_history(r, doc, target, now().astimezone(r.tz))
    if as_json:
        emit_json({**doc, "file": str(target) if target is not None else None})
        return
    if target is not None:
        typer.echo(f"Справка: {target} (событий: {len(doc['events'])}).", err=True)
        return
    _show_history(doc)


def _history_target(output: Optional[Path]) -> Optional[Path]:
    """`-o`: refused before anything is read, as every export (render/xlsx.check_target)."""
    if output is None:
        return None
    from sopcli.render.xlsx import check_target

    return check_target(output)


def _write_history(r, doc: dict, target: Path, printed) -> None:  # noqa: ANN001
    from sopcli.render.xlsx import write_xlsx
    from sopcli.services.papers.history_paper import sheet

    write_xlsx(target, [sheet(r, doc, printed)])


def _show_history(doc: dict) -> None:
    for line in history_lines(doc):
        typer.echo(line)


def history_lines(doc: dict) -> list[str]:
    """The lines `case history` prints, for the screen's case too: one text for both."""
    from sopcli.services.papers.history_paper import NOT_IN_TRAIL, recorded_text, when_text

    cut = doc["as_of"]
    head = f"Ход работы по делу № {doc['case']} ({label_of(doc['subject'], SUBJECT_LABELS)})"
    if cut is not None:
        head += f" на {cut:%d.%m.%Y %H:%M}" + (" по нынешним записям" if doc["known_now"] else
                                               " по записям на тот момент")
    out = [f"{head}: событий {len(doc['events'])}."]
    for i, e in enumerate(doc["events"], 1):
        out.append(f"{i:>3}. {when_text(e):<16}  {e['text']} — записано {recorded_text(e)}, "
                   f"{e['recorded_by'] or NOT_IN_TRAIL}")
    return out


@app.command("set", cls=RuCommand)
def set_(
    case_id: CaseIdArg,
    family: Annotated[Optional[list[str]], typer.Option(
        "--family-category", help=choice_help("Категория семьи (прил. 3 §6), можно несколько", FAMILY_CATEGORIES,
                                              "; можно «многодетная», «одинокая мать», «мигранты»"),
        autocompletion=completer(FAMILY_CATEGORIES))] = None,
    parents: Annotated[Optional[str], typer.Option(
        "--parents-profile", help=choice_help("Характеристика родителей (прил. 3 §7)", PARENTS_PROFILE_LABELS),
        autocompletion=completer(PARENTS_PROFILE_LABELS))] = None,
    danger: Annotated[Optional[list[str]], typer.Option(
        "--danger", help=choice_help("Вид опасности (прил. 3 §8), можно несколько", DANGER_LABELS,
                                     "; можно словами прил. 3"), autocompletion=completer(DANGER_LABELS))] = None,
    as_json: JsonOpt = False,
) -> None:
    """Карточка (прил. 3 §6–8): категория семьи, характеристика родителей, вид опасности (указанное заменяет)."""
    from sopcli.commands._common import registry
    from sopcli.services.reading.db import reader_on
    from sopcli.services.steps.case_details import CaseFields, details, set_case

    with registry("case set") as (reg, session):
        set_case(session, reg, case_id, CaseFields(family or [], parents, danger or []))
        doc = {"case": case_id, **details(reader_on(session), case_id)}
    _details_report(doc, as_json, f"Дело № {case_id}: сведения карточки записаны.")


@app.command("register", cls=RuCommand)
def register(
    case_id: CaseIdArg,
    agency: Annotated[Optional[str], typer.Option(
        "--agency", help=choice_help("Орган учёта (прил. 3 §9)", TYPED_REGISTERS, "; КДН — само дело, не "
                                     "указывается"), autocompletion=completer(TYPED_REGISTERS))] = None,
    date_: Annotated[Optional[str], typer.Option("--date", help="Дата постановки на учёт.")] = None,
    protocol: Annotated[str, typer.Option("--protocol", help="Номер протокола.")] = "",
    reason: Annotated[str, typer.Option("--reason", help="Основание постановки на учёт.")] = "",
    as_json: JsonOpt = False,
) -> None:
    """Учёт семьи в органе (прил. 3 §9); повторная запись по тому же органу заменяет прежнюю."""
    from sopcli.commands._common import ask, day, now, registry
    from sopcli.services.reading.db import reader_on
    from sopcli.services.steps.case_details import details
    from sopcli.services.steps.case_details import register as step

    agency = ask(agency, "Орган учёта (" + ", ".join(TYPED_REGISTERS.values()) + ")", "--agency")
    date_ = ask(date_, "Дата постановки на учёт (ДД.ММ.ГГГГ)", "--date")
    with registry("case register") as (reg, session):
        row, old = step(session, reg, case_id, agency, day(date_, "дата постановки на учёт"), protocol, reason, now())
        doc = {"case": case_id, "registration": row.agency_kind, "replaced": old is not None,
               **details(reader_on(session), case_id)}
    _details_report(doc, as_json, f"Дело № {case_id}: учёт ({label_of(doc['registration'], REGISTERS)}) "
                    + ("заменён." if old else "записан."))


@app.command("assign", cls=RuCommand)
def assign(
    case_id: CaseIdArg,
    kind: Annotated[Optional[str], typer.Option(
        "--kind", help=choice_help("Закрепление (прил. 3 §10)", ASSIGNMENT_LABELS, "; можно «ДОУ»"),
        autocompletion=completer(ASSIGNMENT_LABELS))] = None,
    text: Annotated[Optional[str], typer.Option(
        "--text", help="Что записать: «Поликлиника № 2, участок № 5, тел. …»")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Закрепление семьи (прил. 3 §10): поликлиника, школа, детский сад, полиция, патронаж; повтор заменяет."""
    from sopcli.commands._common import ask, registry
    from sopcli.services.reading.db import reader_on
    from sopcli.services.steps.case_details import assign as step
    from sopcli.services.steps.case_details import details

    kind = ask(kind, "Закрепление (" + ", ".join(ASSIGNMENT_LABELS.values()) + ")", "--kind")
    text = ask(text, "Сведения о закреплении (номер, участок, телефон)", "--text")
    with registry("case assign") as (reg, session):
        row, old = step(session, reg, case_id, kind, text)
        doc = {"case": case_id, "assignment": row.kind, "replaced": old is not None,
               **details(reader_on(session), case_id)}
    _details_report(doc, as_json, f"Дело № {case_id}: закрепление ({ASSIGNMENT_LABELS[doc['assignment']]}) "
                    + ("заменено." if old else "записано."))


def _details_report(doc: dict, as_json: bool, line: str) -> None:
    from sopcli.services.steps.case_details import detail_lines

    if as_json:
        emit_json(doc)
        return
    typer.echo(line)
    for text in detail_lines(doc):
        typer.echo(f"  {text}")
