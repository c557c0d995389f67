"""`sopcli measures`: a regional complex of measures (002) — import, reports, status."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Optional

import typer

from sopcli.commands._common import ask, day, now, reading, registry
from sopcli.commands._options import AsOfOpt, JsonOpt
from sopcli.render.help import RuCommand, RuGroup
from sopcli.render.output import emit_json, full_stop, lateness

app = typer.Typer(help="Межведомственный комплекс мер (002): импорт, отчёты исполнителей, состояние.",
                  no_args_is_help=True, rich_markup_mode=None, cls=RuGroup)


@app.command("import", cls=RuCommand)
def import_(
    file: Annotated[Path, typer.Argument(metavar="ФАЙЛ", help="Таблица комплекса: .txt, .xlsx, .csv, .docx.")],
    years: Annotated[Optional[str], typer.Option(
        "--years", help="Годы комплекса ГГГГ-ГГГГ (если их нет в заголовке): для «постоянно», «в течение года».")]
    = None,
    as_json: JsonOpt = False,
) -> None:
    """Прочитать комплекс мер как он написан: разделы, мероприятия, сроки, исполнители."""
    from sopcli.commands._progress import bars
    from sopcli.errors import InvalidInput
    from sopcli.services.files_in.complex_table import read_complex
    from sopcli.services.files_in.complexes import import_complex

    span = None
    if years:
        m = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4}))?\s*", years)
        if not m or int(m[2] or m[1]) < int(m[1]):
            raise InvalidInput(f"--years «{years[:20]}»: ожидается ГГГГ или ГГГГ-ГГГГ.")
        span = (int(m[1]), int(m[2] or m[1]))
    table = read_complex(file)  # a bad table is refused before the registry is opened
    with bars() as progress, registry("measures import") as (reg, session):
        doc = import_complex(session, reg, table, file.name, span, progress)
    if as_json:
        emit_json(doc)
        return
    typer.echo(f"Комплекс № {doc['complex']}: разделов {doc['sections']}, мероприятий {doc['measures']}, "
               f"сроков отчёта исполнителей {doc['obligations']}.")
    for u in doc["unread"]:
        typer.echo(f"  № {u['number']}: срок не прочитан — {'; '.join(u['unread'])} (решите вручную)")


@app.command("report", cls=RuCommand)
def report(
    number: Annotated[str, typer.Argument(metavar="НОМЕР", help="№ мероприятия.")],
    executor: Annotated[Optional[str], typer.Option("--executor", help="Исполнитель (как в комплексе).")] = None,
    date_: Annotated[Optional[str], typer.Option("--date", help="Дата информации об исполнении.")] = None,
    text: Annotated[str, typer.Option("--text", help="Что сделано.")] = "",
    complex_id: Annotated[Optional[int], typer.Option("--complex", min=1, help="Комплекс (по умолчанию — последний).")]
    = None,
    as_json: JsonOpt = False,
) -> None:
    """Информация исполнителя об исполнении мероприятия: исполняет ближайший срок отчёта."""
    from sopcli.commands._common import obligations_json
    from sopcli.errors import InvalidInput
    from sopcli.services.files_in.complexes import latest_complex
    from sopcli.services.files_in.complexes import report as step

    executor = ask(executor, "Исполнитель", "--executor")
    date_ = ask(date_, "Дата (ДД.ММ.ГГГГ)", "--date")
    with registry("measures report") as (reg, session):
        when = day(date_, "дата отчёта")
        if when > now().astimezone(reg.tz).date():
            raise InvalidInput("Дата отчёта в будущем.")
        ob, opened = step(session, reg, complex_id or latest_complex(session), number, executor, when, text)
        doc = {"obligation": obligations_json([ob], reg)[0], "obligations": obligations_json(opened, reg)}
    if as_json:
        emit_json(doc)
        return
    o = doc["obligation"]
    late = lateness(o)
    typer.echo(full_stop(f"Мероприятие № {number}, {o['who']}: срок {o['due']:%d.%m.%Y} исполнен{late}"))


@app.command("status", cls=RuCommand)
def status(
    complex_id: Annotated[Optional[int], typer.Argument(metavar="КОМПЛЕКС", min=1, help="Комплекс.")] = None,
    as_of: AsOfOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Что исполнено, что просрочено, что впереди — по каждому мероприятию."""
    from sopcli.commands._common import as_of as parse_as_of
    from sopcli.services.reading.reads import complex_status

    with reading() as r:
        doc = complex_status(r, complex_id, parse_as_of(as_of, r.tz))
    if as_json:
        emit_json(doc)
        return
    t = doc["totals"]
    typer.echo(f"{doc['title'][:120]}\nНа {doc['as_of']:%d.%m.%Y}: исполнено {t['done']} (с опозданием {t['late']}), "
               f"просрочено {t['overdue']}, впереди {t['pending']}.")
    for m in doc["measures"]:
        mark = "ПРОСРОЧЕНО " if m["overdue"] else ""
        unread = f"; срок не прочитан: {'; '.join(m['unread'])}" if m["unread"] else ""
        typer.echo(f"  {m['number']:>3}. {mark}исполнено {m['done']}, просрочено {m['overdue']}, впереди "
                   f"{m['pending']} — {m['text'][:70]}{unread}")


@app.command("list", cls=RuCommand)
def list_(as_json: JsonOpt = False) -> None:
    """Импортированные комплексы мер."""
    from sopcli.services.reading.reads import complexes

    with reading() as r:
        rows = complexes(r)
    if as_json:
        emit_json({"complexes": rows})
        return
    for c in rows:
        typer.echo(f"№ {c['id']}: {c['title'][:100]} — мероприятий {c['measures']} ({c['file_name']})")
