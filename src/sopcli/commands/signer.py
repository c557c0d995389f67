"""`sopcli signer set / list`: who signs the forms, set once per commission."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from sopcli.commands._options import JsonOpt
from sopcli.render.help import RuCommand, RuGroup
from sopcli.render.output import emit_json
from sopcli.vocab import SIGNATORIES, choice_help, completer, label_of

app = typer.Typer(help="Подписанты форм: председатель, секретарь, руководители — задаются один раз.",
                  no_args_is_help=True, rich_markup_mode=None, cls=RuGroup)


@app.command("set", cls=RuCommand)
def set_(
    role: Annotated[Optional[str], typer.Argument(
        metavar="РОЛЬ", help=choice_help("Кто подписывает", SIGNATORIES, "; можно «председатель», «секретарь», "
                                         "«руководитель проверки», «руководитель учреждения»"),
        autocompletion=completer(SIGNATORIES))] = None,
    position: Annotated[Optional[str], typer.Option("--position", help="Должность, как в подписи формы.")] = None,
    name: Annotated[Optional[str], typer.Option("--name", help="ФИО под подписью: «И.И. Иванова».")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Записать подписанта роли (повтор заменяет прежнего; прежний остаётся в журнале аудита)."""
    from sopcli.commands._common import ask, registry
    from sopcli.services.directory.signatories import set_signatory

    role = ask(role, "Роль подписанта (" + ", ".join(SIGNATORIES.values()) + ")", "РОЛЬ")
    position = ask(position, "Должность подписанта", "--position")
    name = ask(name, "ФИО подписанта (И.И. Иванова)", "--name")
    with registry("signer set") as (reg, session):
        row, old = set_signatory(session, reg, role, position, name)
        doc = {"role": row.role, "position": row.position, "name": row.name, "replaced": old is not None}
    if as_json:
        emit_json(doc)
        return
    typer.echo(f"Подписант ({label_of(doc['role'], SIGNATORIES)}): {doc['position']} — {doc['name']}"
               + (" (заменён)." if old else "."))


@app.command("list", cls=RuCommand)
def list_(as_json: JsonOpt = False) -> None:
    """Подписанты форм по ролям; незаданные — с подсказкой, как задать."""
    from sopcli.commands._common import reading
    from sopcli.services.directory.signatories import signatories

    with reading() as r:
        rows = signatories(r)
    if as_json:
        emit_json({"signatories": rows})
        return
    from sopcli.vocab import ALIASES

    for s in rows:
        word = label_of(s["role"], SIGNATORIES)
        typed = ALIASES.get(f"signer:{s['role']}", (word,))[0]  # the short word the hint tells to type
        typed = f'"{typed}"' if " " in typed else typed  # as it is typed in the shell
        typer.echo(f"{word}: {s['position']} — {s['name']}" if s["name"] else
                   f"{word}: не задан (sopcli signer set {typed} --position … --name …)")
