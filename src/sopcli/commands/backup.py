"""`sopcli backup FILE` and `sopcli restore FILE` (issue 7 §2): the whole registry, engine-independent."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sopcli.commands._common import state
from sopcli.commands._options import JsonOpt
from sopcli.commands._progress import bars
from sopcli.render.output import emit_json, size_words


def backup(
    file: Annotated[Path, typer.Argument(
        metavar="ФАЙЛ", help="Файл резервной копии (.zip) в существующей папке.")],
    force: Annotated[bool, typer.Option("--force", help="Заменить прежнюю копию с тем же именем.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Резервная копия всего реестра на ходу: один снимок, работа секретаря не останавливается."""
    from sopcli.services.trust.backup import write_backup

    with bars() as progress:
        res = write_backup(state["db"], file, progress=progress, force=force)
    if as_json:
        emit_json(res)
        return
    rows = sum(t["rows"] for t in res["tables"])
    typer.echo(f"Резервная копия: {res['file']} ({size_words(res['size'])}, права 0600)")
    typer.echo(f"Схема {res['schema_revision']}; таблиц {len(res['tables'])}, записей {rows}; "
               f"снимок на {res['created_local']}")


def restore(
    file: Annotated[Path, typer.Argument(metavar="ФАЙЛ", help="Файл резервной копии (.zip).")],
    replace: Annotated[bool, typer.Option(
        "--replace", help="Заменить всё содержимое непустого реестра (в той же транзакции).")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Восстановить реестр из копии: файл проверяется целиком до записи; реестр создаётся, если его нет."""
    from sopcli.services.trust.restore import restore as run_restore

    with bars() as progress:
        res = run_restore(state["db"], file, replace, progress=progress)
    if as_json:
        emit_json(res)
        return
    typer.echo(f"Восстановлено записей: {res['rows']} (таблиц {len(res['tables'])}), схема "
               f"{res['schema_revision']}; копия от {res['backup_created_at'][:19].replace('T', ' ')} UTC")
    if res["replaced"]:
        typer.echo(f"Прежнее содержимое реестра заменено (записей: {sum(res['replaced'].values())}).")
