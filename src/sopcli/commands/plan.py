"""`sopcli plan`: proposals (004 App. 5) and the individual programme (App. 4)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from sopcli.commands._common import ask, day, now, reading, registry, step_doc, step_report
from sopcli.commands._options import CaseArg, JsonOpt
from sopcli.render.help import RuCommand, RuGroup
from sopcli.render.output import emit_json
from sopcli.services.directory.agencies import complete_agency
from sopcli.vocab import PATRONAGE, POTENTIAL_LABELS, REACTIONS, STAGE_LABELS, allowed_words, choice_help, completer

app = typer.Typer(help="Индивидуальная программа (прил. 4) и предложения органов (прил. 5).", no_args_is_help=True,
                  rich_markup_mode=None, cls=RuGroup)


@app.command("propose", cls=RuCommand)
def propose(
    case_id: CaseArg,
    agency: Annotated[Optional[str], typer.Option("--agency", help="Орган, внёсший предложения.",
                                                          autocompletion=complete_agency)] = None,
    date_: Annotated[Optional[str], typer.Option("--date", help="Дата поступления предложений.")] = None,
    situation: Annotated[str, typer.Option("--situation", help="Характеристика ситуации в семье.")] = "",
    tasks: Annotated[str, typer.Option("--tasks", help="Задачи программы.")] = "",
    measure: Annotated[Optional[list[str]], typer.Option(
        "--measure", help="«Мероприятие; срок»; можно несколько.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Записать предложения органа в программу (прил. 5)."""
    from sopcli.services.steps.programme import ProposalInput
    from sopcli.services.steps.programme import propose as step

    agency = ask(agency, "Орган", "--agency")
    date_ = ask(date_, "Дата поступления (ДД.ММ.ГГГГ)", "--date")
    with registry("plan propose") as (reg, session):
        res = step(session, reg, case_id, ProposalInput(agency, day(date_, "дата предложений"), situation, tasks,
                                                        tuple(measure or ())), now())
        doc = step_doc(res, reg, {"case": case_id, "proposal": res.entity.id, "agency": res.entity.agency})
    step_report(doc, as_json, f"Предложения органа «{doc['agency']}» по делу № {case_id} записаны.")


@app.command("add", cls=RuCommand)
def add(
    case_id: CaseArg,
    measure: Annotated[Optional[str], typer.Option("--measure", help="Мероприятие.")] = None,
    executor: Annotated[Optional[str], typer.Option("--executor", help="Орган-исполнитель (из справочника).",
                                                            autocompletion=complete_agency)] = None,
    due: Annotated[Optional[str], typer.Option(
        "--due", help="Дата ДД.ММ.ГГГГ, период «ДД.ММ.ГГГГ-ДД.ММ.ГГГГ» или срок от утверждения (14d, 1m).")] = None,
    content: Annotated[str, typer.Option("--content", help="Содержание деятельности.")] = "",
    as_json: JsonOpt = False,
) -> None:
    """Добавить мероприятие в проект программы (после утверждения — в новую версию)."""
    from sopcli.services.steps.programme import MeasureInput, add_measure

    measure = ask(measure, "Мероприятие", "--measure")
    executor = ask(executor, "Орган-исполнитель", "--executor")
    due = ask(due, "Срок (дата, период или срок от утверждения)", "--due")
    with registry("plan add") as (reg, session):
        m = add_measure(session, reg, case_id, MeasureInput(measure, executor, due, content))
        doc = {"case": case_id, "measure": m.id, "seq": m.seq, "executor": m.executor, "due": m.due,
               "due_text": m.due_text}
    if as_json:
        emit_json(doc)
        return
    when = f"{doc['due']:%d.%m.%Y}" if doc["due"] else f"{doc['due_text']} от утверждения"
    typer.echo(f"Мероприятие № {doc['seq']} (id {doc['measure']}): {doc['executor']}, срок {when}.")


@app.command("remove", cls=RuCommand)
def remove(
    case_id: CaseArg,
    seq: Annotated[int, typer.Argument(metavar="N", min=1, max=10_000, help="№ мероприятия в проекте.")],
) -> None:
    """Убрать мероприятие из проекта (утверждённые версии не меняются)."""
    from sopcli.services.steps.programme import remove_measure

    with registry("plan remove") as (reg, session):
        m = remove_measure(session, reg, case_id, seq)
        title = m.title
    typer.echo(f"Из проекта убрано мероприятие № {seq}: {title[:80]}")


@app.command("edit", cls=RuCommand)
def edit(
    case_id: CaseArg,
    goal: Annotated[Optional[str], typer.Option("--goal", help="Цель программы.")] = None,
    consilium: Annotated[Optional[str], typer.Option("--consilium", help="Заключение консилиума.")] = None,
    situation: Annotated[Optional[str], typer.Option("--situation", help="Характеристика ситуации.")] = None,
    tasks: Annotated[Optional[str], typer.Option("--tasks", help="Задачи программы.")] = None,
    potential: Annotated[Optional[str], typer.Option(
        "--potential", help="Реабилитационный потенциал по этапам, например «начальный=высокий,основной=средний»; "
        "этапы: " + allowed_words(STAGE_LABELS) + "; потенциал: " + allowed_words(POTENTIAL_LABELS) + ".")] = None,
    reaction: Annotated[Optional[str], typer.Option(
        "--reaction", help="Реакция семьи по этапам, например «начальный=пассивное реагирование»; реакции: "
        + allowed_words(REACTIONS) + ".")] = None,
    patronage: Annotated[Optional[str], typer.Option(
        "--patronage", help=choice_help("Вид патронажа [: причина, дата]", PATRONAGE),
        autocompletion=completer(PATRONAGE))] = None,
    meeting: Annotated[Optional[str], typer.Option("--meeting", help="Заседание консилиума: дата, выводы.")] = None,
) -> None:
    """Сведения программы (прил. 4): цель, консилиум, потенциал, реакция семьи, патронаж."""
    from sopcli.errors import InvalidInput
    from sopcli.services.steps.programme import edit_plan

    fields = {k: v for k, v in {"goal": goal, "consilium": consilium, "situation": situation, "tasks": tasks,
                                "potential": potential, "reaction": reaction, "patronage": patronage,
                                "meeting": meeting}.items() if v is not None}
    if not fields:
        raise InvalidInput("Нечего менять: укажите хотя бы одно поле (--goal, --potential, …).")
    with registry("plan edit") as (reg, session):
        plan = edit_plan(session, reg, case_id, fields)
        version = plan.version
    typer.echo(f"Проект программы по делу № {case_id} (версия {version}) обновлён.")


@app.command("approve", cls=RuCommand)
def approve(
    case_id: CaseArg,
    date_: Annotated[Optional[str], typer.Option("--date", help="Дата постановления об утверждении.")] = None,
    resolution: Annotated[Optional[str], typer.Option("--resolution", help="Номер постановления.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Утвердить программу: срок направления исполнителям и срок каждого мероприятия."""
    from sopcli.services.steps.programme import approve as step

    date_ = ask(date_, "Дата постановления (ДД.ММ.ГГГГ)", "--date")
    resolution = ask(resolution, "Номер постановления", "--resolution")
    with registry("plan approve") as (reg, session):
        res = step(session, reg, case_id, day(date_, "дата утверждения"), resolution, now())
        doc = step_doc(res, reg, {"case": case_id, "version": res.entity.version})
    step_report(doc, as_json, f"Программа по делу № {case_id} (версия {doc['version']}) утверждена.")


@app.command("show", cls=RuCommand)
def show(
    case_id: CaseArg,
    version: Annotated[Optional[int], typer.Option("--version", min=1, max=10_000, help="Версия.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Программа: мероприятия, исполнители, сроки, отчёты; версии и предложения органов."""
    from sopcli.services.reading.reads import plan_doc

    with reading() as r:
        doc = plan_doc(r, case_id, version, now())
    if as_json:
        emit_json(doc)
        return
    for line in plan_lines(doc):
        typer.echo(line)


def plan_lines(doc: dict) -> list[str]:
    """The lines `plan show` prints, for the screen's case too: one text for both."""
    case_id = doc["case"]
    if doc["version"] is None:
        return [f"По делу № {case_id} программы нет; предложений органов: {len(doc['proposals'])}."]
    states = {"draft": "проект", "approved": "утверждена", "superseded": "заменена новой версией"}
    head = f"Программа по делу № {case_id}, версия {doc['version']}: {states[doc['status']]}"
    if doc["approved_on"]:
        head += f" {doc['approved_on']:%d.%m.%Y}, постановление № {doc['resolution']}"
    out = [head]
    for label, key in (("Цель", "goal"), ("Задачи", "tasks"), ("Потенциал", "potential"),
                       ("Реакция семьи", "reaction"), ("Патронаж", "patronage")):
        if doc[key]:
            out.append(f"  {label}: {_programme_words(key, doc[key])}")
    marks = {"planned": "", "done": "выполнено", "partial": "частично", "not-done": "не выполнено"}
    for m in doc["measures"]:
        due = f"{m['due']:%d.%m.%Y}" if m["due"] else m["due_text"]
        late = " ПРОСРОЧЕНО" if m["obligation"] and m["obligation"]["overdue"] else ""
        out.append(f"  {m['seq']}. [id {m['id']}] {m['title']} — {m['executor']}, до {due} "
                   f"{marks[m['status']]}{late}".rstrip())
    others = [v for v in doc["versions"] if v["version"] != doc["version"]]
    if others:
        out.append("Другие версии: " + ", ".join(f"{v['version']} ({states[v['status']]})" for v in others))
    return out


def _programme_words(key: str, value: str) -> str:
    """The stored codes of the programme's header ("initial=high", "urgent: …") in the words of App. 4."""
    if key in ("potential", "reaction"):
        levels = POTENTIAL_LABELS if key == "potential" else REACTIONS
        parts = (p.partition("=") for p in value.split(",") if p)
        return ", ".join(f"{STAGE_LABELS.get(s, s)} — {levels.get(v, v)}" for s, _, v in parts)
    if key == "patronage":
        kind, colon, rest = value.partition(":")
        return PATRONAGE.get(kind.strip(), kind) + colon + rest
    return value
