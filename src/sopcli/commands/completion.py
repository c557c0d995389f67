"""`sopcli completion bash|zsh`: the shell script that completes commands, options and fixed values.

Typer's own `--install-completion` speaks English and edits the user's rc files; this prints the
script (click's shell_completion through Typer's classes) for the secretary or the administrator
to put where the shell reads it. The completing itself runs `sopcli` with `_SOPCLI_COMPLETE` set.
"""

from __future__ import annotations

from typing import Annotated

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


def script(shell: str) -> str:
    from typer._click.shell_completion import get_completion_class
    from typer._completion_classes import completion_init

    from sopcli.cli import app

    completion_init()
    cls = get_completion_class(shell)
    return cls(typer.main.get_command(app), {}, "sopcli", COMPLETE_VAR).source()  # type: ignore[misc]
