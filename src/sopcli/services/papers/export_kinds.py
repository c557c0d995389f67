"""The kinds of `sopcli export`, one row each: the word a secretary types, how the kind is asked for, what builds it.

The command's help and completion, the per-case forms, the anonymiser's list of kinds and the dispatch all
read `EXPORTS` (cosmicpython's handler tables in place of the if/elif chains this replaced): adding an export
is adding a row here and the function that builds its sheets (exports.py) or forms (forms.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from importlib import import_module
from typing import TYPE_CHECKING, Any

from sopcli.errors import InvalidInput

if TYPE_CHECKING:
    from sopcli.services.papers.anonymize import Pseudonyms
    from sopcli.services.reading.db import Reader


class _OnFirstUse:
    """A module imported when a builder first runs: `export --help` and completion read the table only
    (STYLE.md §9), and the builders' modules would double what they import."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        return getattr(import_module(self._name), attr)


exports = _OnFirstUse("sopcli.services.papers.exports")
forms = _OnFirstUse("sopcli.services.papers.forms")


@dataclass(frozen=True)
class ExportRequest:
    """One export as asked for, in the builders' words; each builder takes the fields it needs."""

    kind: str
    start: date
    end: date
    as_of: datetime
    within: int = 7  # the digest's days ahead
    anon: Pseudonyms | None = None
    known_now: bool = False
    case_id: int | None = None
    signal_id: int | None = None


Builder = Callable[["Reader", ExportRequest], list[Any]]


@dataclass(frozen=True)
class ExportKind:
    label: str  # the Russian word: typed, completed and listed in `export --help`
    build: Builder | None  # the sheets (or a case's forms); None for the calendar, made by calendar_feed
    per_case: bool = False  # one family's form (004 App. 2–5): by --case, counted in forms, never anonymised
    by_signal: bool = False  # the check's conclusion exists before any case: by --signal too
    anonymizable: bool = False  # may leave the commission depersonalised (--anonymize, anonymize.py)
    needs_period: bool = False  # never «this year» by default: a quarter, a year or the whole
    calendar: bool = False  # the terms as an .ics file over a window (--who, --from, --to), not a sheet


EXPORTS: dict[str, ExportKind] = {
    "journal": ExportKind("журнал", lambda r, q: [exports.journal(r, q.start, q.end, q.anon)], anonymizable=True),
    "bank": ExportKind("банк данных", lambda r, q: [exports.bank(r, q.start, q.end, q.anon)], anonymizable=True,
                       needs_period=True),
    "stat": ExportKind("статистика", lambda r, q: [exports.stat(r, q.start, q.end, q.as_of, q.anon, q.known_now)],
                       anonymizable=True),
    "digest": ExportKind("сводка сроков", lambda r, q: [exports.digest(r, q.as_of, q.within, q.anon, q.known_now)],
                         anonymizable=True),
    "scorecard": ExportKind("своевременность", lambda r, q: [
        exports.scorecard(r, q.start, q.end, q.as_of, q.anon, q.known_now)], anonymizable=True),
    "conclusion": ExportKind("заключение", lambda r, q: forms.conclusion(r, q.signal_id, q.case_id), per_case=True,
                             by_signal=True),
    "card": ExportKind("карточка", lambda r, q: forms.card(r, q.case_id), per_case=True),
    "program": ExportKind("программа", lambda r, q: forms.program(r, q.case_id, q.as_of), per_case=True),
    "proposals": ExportKind("предложения", lambda r, q: forms.proposals(r, q.case_id, q.as_of), per_case=True),
    "measures": ExportKind("комплекс мер", lambda r, q: [exports.measures(r, q.start, q.end, q.as_of, q.anon)],
                           anonymizable=True),
    "pupils": ExportKind("ученики", lambda r, q: [exports.pupils(r, q.start, q.end, q.anon)], anonymizable=True),
    "ics": ExportKind("календарь", None, calendar=True),
}
LABELS = {code: kind.label for code, kind in EXPORTS.items()}


def kind_of(typed: str) -> str:
    """The kind's code for a typed code or Russian word; an unknown one is refused with the list."""
    from sopcli.vocab import code_for

    # «банк», «сводка», «своевременность»: a label's first word is enough when it names one kind (issue 32 §5)
    return code_for(typed, LABELS, "выгрузки")


def refuse_sheet_options(*, quarter: str | None, year: int | None, whole: bool, case_id: int | None,
                         signal_id: int | None, anonymize: bool) -> None:
    """The calendar is a window of terms by agency: a sheet's period, case and anonymising do not apply."""
    if whole or quarter or year is not None or case_id is not None or signal_id is not None or anonymize:
        raise InvalidInput("Календарь (.ics) — за период --from/--to и по органу --who; он и так без "
                           "персональных данных.")


def refuse_unfit(code: str, *, output: Any, quarter: str | None, year: int | None, whole: bool,
                 case_id: int | None, signal_id: int | None, anonymize: bool, window: bool) -> None:
    """A sheet's options that do not fit its kind, refused before anything is read or written.

    `window`: --who, --from or --to, the calendar's own options, was given."""
    kind = EXPORTS[code]
    if window:
        raise InvalidInput("--who, --from и --to — только для календаря (вид «календарь», .ics).")
    if output is None:
        raise InvalidInput("Укажите файл: -o ФАЙЛ.xlsx.")
    if anonymize and not kind.anonymizable:
        from sopcli.services.papers.anonymize import refuse_per_case

        refuse_per_case(code)
    if signal_id is not None and not kind.by_signal:
        raise InvalidInput("--signal — только для заключения проверки (вид «заключение»).")
    if signal_id is not None and case_id is not None:
        raise InvalidInput("Укажите что-то одно: --case или --signal.")
    if kind.by_signal and case_id is None and signal_id is None:
        raise InvalidInput("Заключение проверки — по одному сигналу или делу: укажите --signal или --case.")
    if kind.per_case and case_id is None and signal_id is None:
        raise InvalidInput(f"Выгрузка «{code}» — по одному делу: укажите --case.")
    if sum(map(bool, (quarter, year is not None, whole))) > 1:
        raise InvalidInput("Укажите что-то одно: --quarter, --year или --all.")


def period(code: str, today: date, quarter: str | None, year: int | None, whole: bool) -> tuple[date, date]:
    """The export's days: the whole, a quarter, a year, else this year (the bank asks for one of them)."""
    if whole:
        return date(1991, 1, 1), today
    if quarter:
        return exports.quarter(quarter)
    if year is not None:  # --year 0 is refused, not read as «this year»
        return exports.year_bounds(year)
    if EXPORTS[code].needs_period:
        raise InvalidInput("Банк данных выгружается за квартал (--quarter ГГГГQN) или целиком (--all).")
    return exports.year_bounds(today.year)


def build(r: Reader, request: ExportRequest) -> list[Any]:
    """The kind's sheets, or for a per-case kind its forms (render.xlsx.write_forms)."""
    builder = EXPORTS[request.kind].build
    assert builder is not None, "the calendar is written by calendar_feed"
    return builder(r, request)
