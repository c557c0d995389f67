"""Options that many commands share, declared once (sqlite-utils' `output_options` is the model).

Why here: a bound or a help text written in ten modules drifts in one of them, and the secretary
then sees two commands refuse the same id differently. Each command writes the parameter's type
in its own signature (`Annotated[int, id_argument(...)]`), so a reader still sees it there; what
the option is — its name, its bound, its help — comes from here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
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


SIGNAL_HELP = "Номер сигнала: id или N/ГГГГ из журнала"
_NUMBER = re.compile(r"(?:№|N|No)?\s*(\d{1,10})\s*/\s*(\d{4})", re.IGNORECASE)


@dataclass(frozen=True)
class SignalRef:
    """A signal as typed: its id (what scripts pass), or its journal number «N/ГГГГ», as the journal and the
    papers print it («№ 4/2026»: `signal.seq` / `signal.year`). `signal_id` turns either into the id."""

    id: int | None = None
    seq: int | None = None
    year: int | None = None

    def __str__(self) -> str:
        """As typed: «12» (the id) or «4/2026»."""
        return str(self.id) if self.id is not None else f"{self.seq}/{self.year}"


def signal_ref(value: str | SignalRef) -> SignalRef:
    """Read `СИГНАЛ`: «12» (the id), «4/2026», «№ 4/2026». Refused (exit 2) before the registry is opened;
    the typed text is not echoed (a name typed in the wrong place would land in cron mail, 152-ФЗ)."""
    if isinstance(value, SignalRef):
        return value
    from sopcli.errors import InvalidInput

    text = " ".join(value.split())
    found = _NUMBER.fullmatch(text)
    if found:
        seq, year = int(found[1]), int(found[2])
        if not 1 <= seq <= ID_MAX or year < 1000:
            raise InvalidInput("Номер сигнала из журнала: N/ГГГГ, номер от 1, год четырьмя цифрами.")
        return SignalRef(seq=seq, year=year)
    if text.isdigit():
        if not 1 <= int(text) <= ID_MAX:
            raise InvalidInput(f"Номер (id) сигнала вне допустимого диапазона: от 1 до {ID_MAX}.")
        return SignalRef(id=int(text))
    raise InvalidInput(f"{SIGNAL_HELP} (например, 12 или 4/2026).")


signal_ref.kind = "id или N/ГГГГ"  # type: ignore[attr-defined]  # the value's kind in docs/cli.md


def signal_argument(more: str = "") -> Any:
    """A signal typed as an argument: its id or its journal number (`signal_ref`)."""
    return typer.Argument(metavar="СИГНАЛ", parser=signal_ref, help=f"{SIGNAL_HELP}{more}.", show_default=False)


def signal_option(more: str = "") -> Any:
    """`--signal`: its id or its journal number (`signal_ref`)."""
    return typer.Option("--signal", metavar="СИГНАЛ", parser=signal_ref, help=f"{SIGNAL_HELP}{more}.")


def signal_id(source: Any, ref: SignalRef | None) -> int | None:
    """The id of the signal `ref` names, read inside the command's own snapshot or transaction (`source`: a
    reader or a session). An id is passed on as typed (the step refuses an unknown one as it always has);
    a journal number not in the journal is refused (exit 2)."""
    if ref is None or ref.id is not None:
        return None if ref is None else ref.id
    from sopcli.services.reading.db import reader_on
    from sopcli.services.reading.reads import signal_by_number

    assert ref.seq is not None and ref.year is not None
    return signal_by_number(source if hasattr(source, "rows") else reader_on(source), ref.seq, ref.year)


# The case a step is about, as the work commands name it (`report ДЕЛО`, `plan add ДЕЛО`, `close ДЕЛО`…).
CaseArg = Annotated[int, id_argument("ДЕЛО", "Дело.")]


def output_option(help: str) -> Any:
    """`-o/--output`: where a paper is written; each command says what it writes."""
    return typer.Option("-o", "--output", help=help)


def who_option(help: str) -> Any:
    """`--who`: one agency, as the secretary names it; the shell completes names and aliases."""
    from sopcli.services.directory.agencies import complete_agency

    return typer.Option("--who", help=help, autocompletion=complete_agency)
