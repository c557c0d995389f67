"""Options that many commands share, declared once (sqlite-utils' `output_options` is the model).

Why here: a bound or a help text written in ten modules drifts in one of them, and the secretary
then sees two commands refuse the same id differently. Each command writes the parameter's type
in its own signature (`Annotated[int, id_argument(...)]`), so a reader still sees it there; what
the option is — its name, its bound, its help — comes from here.
"""

from __future__ import annotations

from typing import Annotated, Any, Optional

import typer

# The registry's ids are PostgreSQL `integer`: a larger number is refused by the parser with its bound,
# not by the database with a driver's error (cli._range names the bound only below this one).
ID_MAX = 2**31 - 1

JsonOpt = Annotated[bool, typer.Option("--json", help="Вывести JSON.")]
AsOfOpt = Annotated[Optional[str], typer.Option("--as-of", help="На момент (по умолчанию — сейчас).")]
# --as-of shows the registry as it was then; this asks instead what today's records say of that moment
KnownNowOpt = Annotated[bool, typer.Option(
    "--known-now", help="Судить на момент --as-of по нынешним записям, с внесённым позже "
                        "(по умолчанию — реестр, каким он был на тот момент).")]


def id_argument(metavar: str, help: str) -> Any:
    """A registry id typed as an argument: 1 … ID_MAX."""
    return typer.Argument(metavar=metavar, min=1, max=ID_MAX, help=help)


def id_option(name: str, help: str) -> Any:
    """A registry id given by an option (`--case`, `--signal`): 1 … ID_MAX."""
    return typer.Option(name, min=1, max=ID_MAX, help=help)


# The case a step is about, as the work commands name it (`report ДЕЛО`, `plan add ДЕЛО`, `close ДЕЛО`…).
CaseArg = Annotated[int, id_argument("ДЕЛО", "Дело.")]


def output_option(help: str) -> Any:
    """`-o/--output`: where a paper is written; each command says what it writes."""
    return typer.Option("-o", "--output", help=help)


def who_option(help: str) -> Any:
    """`--who`: one agency, as the secretary names it; the shell completes names and aliases."""
    from sopcli.services.directory.agencies import complete_agency

    return typer.Option("--who", help=help, autocompletion=complete_agency)
