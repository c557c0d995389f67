"""The Typer app and the one place that turns errors into exit codes (CLI.md).

Exit codes: 0 done; 2 input refused (one Russian line on stderr, nothing
written); 3 overdue found by `--fail-if-overdue`; 1 an unexpected fault — a
short message only, because a traceback may carry a child's name (152-ФЗ);
`--debug` shows it.
"""

from __future__ import annotations

import re
import sys
from typing import Annotated, Optional

import typer

from sopcli import __version__
from sopcli.commands import (
    agency,
    backup,
    calendar,
    case,
    deadlines,
    doc,
    export,
    init,
    measures,
    plan,
    reconcile,
    rules,
    school,
    signal,
    steps,
    work,
)
from sopcli.render.help import RuCommand, RuGroup

app = typer.Typer(
    name="sopcli",
    help="sopcli — реестр семей и несовершеннолетних в СОП для КДН и ЗП: сроки, сигналы, дела.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    add_completion=False,
    cls=RuGroup,
)
app.command("init", cls=RuCommand)(init.init)
app.add_typer(signal.app, name="signal")
app.command("check", cls=RuCommand)(steps.check)
app.command("recognize", cls=RuCommand)(steps.recognize)
app.add_typer(plan.app, name="plan")
app.command("report", cls=RuCommand)(work.report)
app.command("control", cls=RuCommand)(work.control)
app.add_typer(work.transfer, name="transfer")
app.command("release", cls=RuCommand)(work.release)
app.command("graduates", cls=RuCommand)(work.graduates)
app.command("close", cls=RuCommand)(steps.close)
app.add_typer(case.app, name="case")
app.command("reconcile", cls=RuCommand)(reconcile.reconcile)
app.add_typer(measures.app, name="measures")
app.add_typer(school.app, name="school")
app.command("export", cls=RuCommand)(export.export)
app.command("doc", cls=RuCommand)(doc.doc)
app.add_typer(deadlines.app, name="deadlines")
app.add_typer(agency.app, name="agency")
app.add_typer(calendar.app, name="calendar")
app.command("rules", cls=RuCommand)(rules.rules)
app.command("backup", cls=RuCommand)(backup.backup)
app.command("restore", cls=RuCommand)(backup.restore)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"sopcli {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    db: Annotated[Optional[str], typer.Option(
        "--db", help="Файл реестра SQLite или URL PostgreSQL (иначе SOPCLI_DB или папка данных).")] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Показывать трассировку внутренних ошибок.")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Версия программы.")] = False,
) -> None:
    """sopcli — реестр СОП для КДН и ЗП."""
    from sopcli.commands._common import state

    state["db"] = db


def _click_exceptions():
    """Typer ≥ 0.2x vendors click as `typer._click`; older ones use click itself."""
    try:
        from typer._click import exceptions
    except ImportError:  # pragma: no cover - older typer
        from click import exceptions  # type: ignore[no-redef]
    return exceptions


def _param_name(err: Exception) -> str:
    param = getattr(err, "param", None)
    name = getattr(param, "metavar", None) or getattr(param, "name", None) or ""
    return str(name).upper() if param is not None and getattr(param, "param_type_name", "") == "argument" \
        else (f"--{name}".replace("_", "-") if name and not str(name).startswith("-") else str(name))


def _usage_message(err: Exception) -> str:
    """Click's usage errors are English; a secretary gets one Russian line."""
    exc = _click_exceptions()
    msg = str(getattr(err, "message", "") or err).rstrip(".")
    if isinstance(err, exc.NoSuchOption):
        return f"Нет такого параметра: {err.option_name}. Справка: --help."
    if isinstance(err, exc.MissingParameter):
        return f"Не указан обязательный параметр {_param_name(err)}. Справка: --help."
    if "is not in the range" in msg:
        return f"Неверное значение {_param_name(err)}: вне допустимого диапазона."
    if "is not a valid int" in msg:
        return f"Неверное значение {_param_name(err)}: ожидается целое число."
    if isinstance(err, exc.BadParameter):
        return f"Неверное значение {_param_name(err)}: {msg}."
    m = re.match(r"Option '([^']+)' requires an argument", msg)
    if m:
        return f"Параметру {m[1]} нужно значение. Справка: --help."
    m = re.match(r"Got unexpected extra argument(?:\(s\)|s)? \((.*)\)", msg)
    if m:
        # the values are not echoed: an unquoted ФИО would land in cron mail (152-ФЗ)
        return "Лишние аргументы (ФИО и текст с пробелами берите в кавычки). Справка: --help."
    if msg.startswith("No such command"):
        return f"Нет такой команды: {msg.split(' ', 3)[-1]}. Справка: sopcli --help."
    return f"Ошибка в команде: {msg}. Справка: --help."


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: run the app, map errors to CLI.md exit codes."""
    from sopcli.deadlines.errors import DomainError

    exc = _click_exceptions()

    args = sys.argv[1:] if argv is None else argv
    try:
        rv = app(args=args, prog_name="sopcli", standalone_mode=False)
    except DomainError as err:
        sys.stderr.write(f"Ошибка: {err.message}\n")
        sys.exit(2)
    except typer.Exit as err:
        sys.exit(err.exit_code)
    except typer.Abort:
        sys.stderr.write("Прервано.\n")
        sys.exit(130)
    except exc.ClickException as err:
        if isinstance(err, exc.NoArgsIsHelpError):
            sys.stdout.write(err.ctx.get_help() + "\n")  # type: ignore[union-attr]
            sys.exit(0)
        sys.stderr.write(f"Ошибка: {_usage_message(err)}\n")
        sys.exit(2)
    except Exception as err:
        if "--debug" in args:
            raise
        sys.stderr.write(
            f"Внутренняя ошибка ({type(err).__name__}). Повторите с --debug для подробностей.\n"
        )
        sys.exit(1)
    sys.exit(rv if isinstance(rv, int) else 0)
