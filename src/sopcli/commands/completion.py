"""`sopcli completion bash|zsh`: the shell script that completes commands, options and fixed values.

Typer's own `--install-completion` speaks English and edits the user's rc files; this prints the
script (click's shell_completion through Typer's classes) for the secretary or the administrator
to put where the shell reads it. The completing itself runs `sopcli` with `_SOPCLI_COMPLETE` set.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

import typer

from sopcli.errors import InvalidInput

SHELLS = {"bash": "~/.bashrc", "zsh": "~/.zshrc"}
COMPLETE_VAR = "_SOPCLI_COMPLETE"  # cli.main checks for it by name (no import of this module)


def _shells(incomplete: str) -> list[str]:
    return [s for s in SHELLS if s.startswith(incomplete)]


def completion(
    shell: Annotated[str, typer.Argument(
        metavar="ОБОЛОЧКА", help="Оболочка: bash или zsh.", autocompletion=_shells)],
) -> None:
    """Сценарий автодополнения для bash или zsh: команды, параметры, допустимые слова.

    Подключить: eval "$(sopcli completion bash)" в ~/.bashrc (для zsh — в ~/.zshrc)."""
    if shell not in SHELLS:
        raise InvalidInput(f"Автодополнение есть для оболочек: {', '.join(SHELLS)}.")
    typer.echo(script(shell))


def register() -> None:
    """The shell's completion classes, bash's quoting what it offers (called when the shell asks)."""
    from typer._click.shell_completion import add_completion_class
    from typer._completion_classes import BashComplete, completion_init

    completion_init()

    class QuotingBash(BashComplete):
        """bash inserts an offer as it is: «ГБУ РМЭ «Центр»» unquoted became three arguments on Enter.

        zsh's `compadd` quotes by itself; bash's COMPREPLY does not, so an offer with a space or a shell
        character is given in single quotes. A typed opening quote still completes: click's own split
        keeps an unterminated quote's text as the word being completed."""

        def format_completion(self, item: Any) -> str:
            return shell_word(str(item.value))

    add_completion_class(QuotingBash, "bash")


_PLAIN = re.compile(r"[\w@%+=:,./-]+")


def shell_word(value: str) -> str:
    """`value` as one shell word: as it is when it is one already, else in single quotes."""
    if _PLAIN.fullmatch(value):
        return value
    return "'" + value.replace("'", "'\\''") + "'"


def script(shell: str) -> str:
    from typer._click.shell_completion import get_completion_class
    from typer._completion_classes import completion_init

    from sopcli.cli import app

    completion_init()
    cls = get_completion_class(shell)
    return cls(typer.main.get_command(app), {}, "sopcli", COMPLETE_VAR).source()  # type: ignore[misc]
