"""`sopcli import bank`: consolidate municipal data banks (App. 8) in a regional registry."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from sopcli.commands._common import registry
from sopcli.commands._options import JsonOpt
from sopcli.render.help import RuCommand, RuGroup
from sopcli.render.output import emit_json

app = typer.Typer(help="Импорт данных из других реестров.", no_args_is_help=True, rich_markup_mode=None,
                  cls=RuGroup)


@app.command("bank", cls=RuCommand)
def bank(
    file: Annotated[Path, typer.Argument(metavar="ФАЙЛ", help="Банк данных (прил. 8) в XLSX или CSV.")],
    commission: Annotated[Optional[str], typer.Option(
        "--commission", help="Код комиссии для всех строк (иначе по столбцу «Наименование муниципалитета»).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Слить банк данных муниципальной комиссии в региональный реестр (повторный импорт ничего не удваивает)."""
    from sopcli.commands._progress import bars
    from sopcli.errors import InvalidInput
    from sopcli.services.files_in.bank_import import commission_resolver, file_digest, merge, read_bank

    with bars() as progress:
        rows = read_bank(file, progress)  # a refused file is refused before the registry is opened
        with registry("import bank", standing=False) as (reg, session):
            if reg.acting.scoped:
                raise InvalidInput("Сводный банк данных импортирует владелец реестра, а не роль комиссии.")
            of = commission_resolver(session, commission.strip() if commission else None, rows)
            result = merge(session, reg, rows, of, file.name, file_digest(file), progress)
    out = {"file": file.name, "rows": len(rows), "added": result.added, "closed": result.closed,
           "unchanged": result.unchanged, "added_by_commission": result.by_commission}
    if as_json:
        emit_json(out)
        return
    typer.echo(f"Импортирован банк данных {file.name}: строк {len(rows)}; добавлено дел {result.added}, "
               f"снято с учёта {result.closed}, без изменений {result.unchanged}.")
    for code, n in sorted(result.by_commission.items()):
        typer.echo(f"  {code}: добавлено {n}")
