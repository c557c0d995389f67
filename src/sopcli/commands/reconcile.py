"""`sopcli reconcile FILE --agency … --quarter …`: an agency's list against the bank, and the act."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from sopcli.commands._common import day, no_cycle_collection, now, registry
from sopcli.commands._options import JsonOpt, output_option
from sopcli.progress import Progress
from sopcli.render.output import emit_json
from sopcli.services.directory.agencies import complete_agency


def reconcile(
    file: Annotated[Path, typer.Argument(metavar="ФАЙЛ", help="Список органа: .xlsx или .csv.")],
    agency: Annotated[Optional[str], typer.Option(
        "--agency", help="Орган (из справочника).", autocompletion=complete_agency)] = None,
    quarter: Annotated[Optional[str], typer.Option("--quarter", help="Квартал ГГГГQN, например 2025Q1.")] = None,
    output: Annotated[Optional[Path], output_option("Акт сверки .xlsx.")] = None,
    columns: Annotated[Optional[str], typer.Option(
        "--columns", help="Свои заголовки: \"name=Ф.И.О. учащегося;birth=Д/р;address=3\"; поля — ФИО (name), фамилия "
        "(surname), имя (first), отчество (patronymic), дата рождения (birth), ФИО и дата рождения (name_birth), "
        "адрес (address).")] = None,
    date_: Annotated[Optional[str], typer.Option("--date", help="Дата сверки (по умолчанию — сегодня).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Сверка списка органа с банком данных за квартал (004 §5.6): акт XLSX и отметка о сверке."""
    from sopcli.commands._common import ask
    from sopcli.commands._progress import bars
    from sopcli.services.files_in import reconcile_list as rc
    from sopcli.services.papers import exports

    agency = ask(agency, "Орган", "--agency")
    quarter = ask(quarter, "Квартал (ГГГГQN)", "--quarter")
    start, end = exports.quarter(quarter)
    given = rc.parse_columns(columns)
    with bars() as progress, no_cycle_collection():
        doc = _reconcile(file, agency, (start, end), given, output, date_, progress)
    name, label, skipped = doc["agency"], doc["quarter"], doc["skipped"]
    if as_json:
        emit_json(doc)
        return
    typer.echo(f"Сверка с «{name}» за {label}: совпали {len(doc['matched'])}, расхождения "
               f"{len(doc['mismatched'])}, только в реестре {len(doc['only_registry'])}, только у органа "
               f"{len(doc['only_agency'])}{f', пропущено строк {len(skipped)}' if skipped else ''}.")
    typer.echo(f"Акт: {doc['act']}")
    if doc["fulfilled"]:
        typer.echo(f"Исполнено: {doc['fulfilled'][0]['rule']} ({name}, {label}).")


def _reconcile(file: Path, agency: str, quarter: tuple[Any, Any], given: dict[str, str], output: Optional[Path],
               date_: Optional[str], progress: Progress) -> dict[str, Any]:
    """Read the list, match it in the registry's transaction, record the reconciliation and write the act."""
    from contextlib import ExitStack

    from sopcli.commands._common import obligations_json
    from sopcli.errors import InvalidInput
    from sopcli.files import atomic_private
    from sopcli.registry_settings import municipality_genitive
    from sopcli.render.xlsx import check_target
    from sopcli.services.files_in import reconcile_list as rc

    start, end = quarter
    label = f"{start.year}Q{(start.month - 1) // 3 + 1}"
    rows = rc.read_rows(file)  # a bad file is refused before the registry is opened
    header, cols = rc.find_header(rows, given)
    theirs, skipped = rc.agency_people(rows, header, cols, progress)
    if not theirs:
        raise InvalidInput(f"{file.name}: в таблице нет ни одного человека с ФИО.")
    if output is not None:
        check_target(output)  # refused before the registry is touched
    # the act is renamed into place only after the commit: a refused or failed step leaves none
    with ExitStack() as act, registry("reconcile") as (reg, session):
        from sopcli.services.directory.agencies import agency_name
        from sopcli.services.reading.db import reader_on
        from sopcli.services.steps.reconciliation import record

        name = agency_name(session, agency)
        when = day(date_, "дата сверки") if date_ else now().astimezone(reg.tz).date()
        if when > now().astimezone(reg.tz).date():
            raise InvalidInput("Дата сверки в будущем.")
        if when < start:
            raise InvalidInput(f"Дата сверки раньше начала квартала {label}.")
        ours = list(rc.registry_people(reader_on(session), start, end, progress))
        result = rc.match(theirs, ours, progress)
        result.skipped = skipped
        opened, fulfilled = record(session, reg, name, label, start, when, file.name, result)
        safe = re.sub(r"[^\w]+", "_", name).strip("_")[:40]
        target = check_target(output or Path(f"сверка_{label}_{safe}.xlsx"))
        _write_act(act.enter_context(atomic_private(target)), result, name, label, file.name, when,
                   municipality_genitive(reg.settings)[0], progress)
        return {
            "agency": name, "quarter": label, "act": str(target),
            "matched": result.matched, "mismatched": result.mismatched, "only_registry": result.only_registry,
            "only_agency": result.only_agency, "skipped": skipped,
            "fulfilled": obligations_json(fulfilled, reg), "obligations": obligations_json(opened, reg),
        }


def _write_act(path: Path, res: Any, agency: str, label: str, source: str, when: Any, municipality: str,
               progress: Progress) -> None:
    """The act's five sheets; `progress` counts their rows (a region's list runs to thousands)."""
    from sopcli.render.xlsx import Column, Sheet, write_sheets

    title = f"Акт сверки списков банка данных с органом «{agency}» за {label} — КДН и ЗП {municipality}".strip()
    fields = {"birth_date": "дата рождения", "address": "адрес"}
    how = {"exact": "полностью", "ё/е": "с точностью до ё/е", "look-alike": "латинские буквы или невидимые знаки",
           "swapped": "порядок слов", "initials": "инициалы", "patronymic": "без отчества",
           "typo": "опечатка в одной букве"}
    summary = [["Орган", agency], ["Квартал", label], ["Файл органа", source], ["Дата сверки", when],
               ["Совпали", len(res.matched)], ["Расхождения", len(res.mismatched)],
               ["Только в реестре", len(res.only_registry)], ["Только в списке органа", len(res.only_agency)],
               ["Пропущено строк списка", len(res.skipped)]]
    person = [Column("№", 6), Column("ФИО", 36), Column("Дата рождения", 13), Column("Адрес", 36)]
    sheets = [
        Sheet("Итоги", title, [Column("Показатель", 30), Column("Значение", 50)], summary,
              notes=res.skipped[:1000]),
        Sheet("Расхождения", "Сопоставлены, но сведения различаются",
              [Column("№", 6), Column("ФИО в реестре", 32), Column("ФИО у органа", 32), Column("Строка", 8),
               Column("Дело", 8), Column("Сведение", 16), Column("В реестре", 24), Column("У органа", 24),
               Column("Как сопоставлены", 20)],
              [[n, m["registry"]["name"], m["agency"]["name"], m["agency"]["row"], m["registry"]["case"],
                fields.get(f["field"], f["field"]), f["registry"], f["agency"], how.get(m["how"], m["how"])]
               for n, m in enumerate(res.mismatched, 1) for f in m["fields"]]),
        Sheet("Только в реестре", "Есть в банке данных, нет в списке органа", [*person, Column("Дело", 8)],
              [[n, p["name"], p["birth_date"], p["address"], p["case"]] for n, p in enumerate(res.only_registry, 1)]),
        Sheet("Только у органа", "Есть в списке органа, нет в банке данных", [*person, Column("Строка", 8)],
              [[n, p["name"], p["birth_date"], p["address"], p["row"]] for n, p in enumerate(res.only_agency, 1)]),
        Sheet("Совпали", "Совпали", [Column("№", 6), Column("ФИО в реестре", 32), Column("ФИО у органа", 32),
                                     Column("Дата рождения", 13), Column("Дело", 8), Column("Строка", 8),
                                     Column("Как сопоставлены", 20)],
              [[n, m["registry"]["name"], m["agency"]["name"], m["registry"]["birth_date"], m["registry"]["case"],
                m["agency"]["row"], how.get(m["how"], m["how"])] for n, m in enumerate(res.matched, 1)]),
    ]
    progress.stage("Запись акта сверки", sum(len(s.rows) for s in sheets))
    write_sheets(path, sheets, progress.advance)
