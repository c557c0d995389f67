"""`sopcli admin`: the commissions of a shared registry and their PostgreSQL roles."""

from __future__ import annotations

from typing import Annotated

import typer

from sopcli.commands._common import registry
from sopcli.commands._options import JsonOpt
from sopcli.render.help import RuCommand, RuGroup
from sopcli.render.output import emit_json

app = typer.Typer(help="Администрирование общего реестра: комиссии и роли доступа.", no_args_is_help=True,
                  rich_markup_mode=None, cls=RuGroup)
commission_app = typer.Typer(help="Комиссии общего реестра.", no_args_is_help=True, rich_markup_mode=None,
                             cls=RuGroup)
app.add_typer(commission_app, name="commission")

NoLogin = Annotated[bool, typer.Option("--no-login", help="Роль без входа (владелец работает от её имени "
                                                          "через --commission).")]


def _show_role(result: dict) -> None:
    if result.get("role"):
        typer.echo(f"Роль PostgreSQL: {result['role']}")
    if result.get("password"):
        typer.echo(f"Пароль (показан один раз, сохраните его): {result['password']}")


@commission_app.command("add", cls=RuCommand)
def commission_add(
    code: Annotated[str, typer.Argument(metavar="КОД", help="Код комиссии латиницей (yoshkar-ola).")],
    name: Annotated[str, typer.Option("--name", help="Название: «г. Йошкар-Ола».")],
    no_login: NoLogin = False,
    as_json: JsonOpt = False,
) -> None:
    """Добавить комиссию: её справочник органов и роль с доступом только к её строкам."""
    from sopcli.services.setup import AGENCIES
    from sopcli.services.trust.commissions import add_commission

    with registry("admin commission add", standing=False) as (reg, session):
        result = add_commission(session, reg, code, name, login=not no_login, agencies=AGENCIES)
    if as_json:
        emit_json(result)
        return
    typer.echo(f"Добавлена комиссия «{result['code']}»: {result['name']}; органов в справочнике: "
               f"{result['agencies']}")
    _show_role(result)


@commission_app.command("list", cls=RuCommand)
def commission_list(as_json: JsonOpt = False) -> None:
    """Комиссии реестра и их роли."""
    from sopcli.services.trust.commissions import list_commissions

    with registry("admin commission list", write=False) as (_reg, session):
        rows = list_commissions(session)
    if as_json:
        emit_json({"commissions": rows})
        return
    for r in rows:
        typer.echo(f"{r['code'] or '*':<16} {r['name']}" + (f"  (роль {r['role']})" if r["role"] else ""))


@app.command("region", cls=RuCommand)
def region(
    name: Annotated[str, typer.Argument(metavar="ИМЯ", help="Имя роли региона латиницей (region).")],
    no_login: NoLogin = False,
    as_json: JsonOpt = False,
) -> None:
    """Роль региональной комиссии: читает строки всех комиссий (сводный банк данных), ничего не меняет."""
    from sopcli.services.trust.commissions import add_region_role

    with registry("admin region", standing=False) as (reg, session):
        result = add_region_role(session, reg, name, login=not no_login)
    if as_json:
        emit_json(result)
        return
    typer.echo("Добавлена роль региона (только чтение всех комиссий).")
    _show_role(result)
