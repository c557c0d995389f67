"""`sopcli export KIND -o FILE.xlsx`: the appendices' forms for the regional commission and the archive."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from sopcli.commands._common import KnownNowOpt, reading, registry
from sopcli.render.output import emit_json
from sopcli.vocab import EXPORT_LABELS, choice_help, completer, pick


def export(
    kind: Annotated[str, typer.Argument(metavar="ВИД", help=choice_help("Выгрузка", EXPORT_LABELS),
                                        autocompletion=completer(EXPORT_LABELS))],
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Файл .xlsx.")] = None,
    quarter: Annotated[Optional[str], typer.Option(
        "--quarter", help="Квартал ГГГГQN, например 2025Q1 (bank, journal).")] = None,
    year: Annotated[Optional[int], typer.Option("--year", help="Год (journal, stat, scorecard).")] = None,
    whole: Annotated[bool, typer.Option("--all", help="bank: все, кто когда-либо состоял на учёте.")] = False,
    case: Annotated[Optional[int], typer.Option("--case", min=1, max=2**31 - 1, help="Дело (формы по делу).")] = None,
    signal: Annotated[Optional[int], typer.Option(
        "--signal", min=1, max=2**31 - 1, help="Сигнал (заключение проверки: по сигналу, есть дело или нет).")] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="На момент (digest, stat, scorecard).")] = None,
    known_now: KnownNowOpt = False,
    within: Annotated[int, typer.Option("--within", min=0, max=3660, help="Сводка сроков (digest): дней вперёд.")] = 7,
    anonymize: Annotated[bool, typer.Option(
        "--anonymize", help="Обезличить для передачи за пределы комиссии: псевдонимы вместо ФИО и номеров, год "
        "рождения, без адресов и текста; малые значения (1–2) — «<3».")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Вывести JSON.")] = False,
) -> None:
    """Выгрузка XLSX по форме приложений: заголовок, нумерация граф, даты датами, печать на A4."""
    from sopcli.commands._common import as_of as parse_as_of
    from sopcli.errors import InvalidInput
    from sopcli.render.xlsx import write_xlsx
    from sopcli.services import exports, forms

    kind = pick(kind, EXPORT_LABELS) or kind
    if kind not in exports.KINDS:
        raise InvalidInput(f"Неизвестная выгрузка «{kind[:20]}»: {', '.join(exports.KINDS)}.")
    if output is None:
        raise InvalidInput("Укажите файл: -o ФАЙЛ.xlsx.")
    if anonymize and kind in exports.PER_CASE:
        from sopcli.services.anonymize import refuse_per_case

        refuse_per_case(kind)
    if signal is not None and kind != "conclusion":
        raise InvalidInput("--signal — только для заключения проверки (вид «заключение»).")
    if signal is not None and case is not None:
        raise InvalidInput("Укажите что-то одно: --case или --signal.")
    if kind == "conclusion" and case is None and signal is None:
        raise InvalidInput("Заключение проверки — по одному сигналу или делу: укажите --signal или --case.")
    if kind in exports.PER_CASE and case is None and signal is None:
        raise InvalidInput(f"Выгрузка «{kind}» — по одному делу: укажите --case.")
    if sum(map(bool, (quarter, year is not None, whole))) > 1:
        raise InvalidInput("Укажите что-то одно: --quarter, --year или --all.")
    anon = _pseudonyms() if anonymize else None
    with reading() as r:
        at = parse_as_of(as_of, r.tz)
        today = at.astimezone(r.tz).date()
        if whole:
            start, end = date(1991, 1, 1), today
        elif quarter:
            start, end = exports.quarter(quarter)
        elif year is not None:  # --year 0 is refused, not read as «this year»
            start, end = exports.year_bounds(year)
        elif kind == "bank":
            raise InvalidInput("Банк данных выгружается за квартал (--quarter ГГГГQN) или целиком (--all).")
        else:
            start, end = exports.year_bounds(today.year)
        if kind in exports.PER_CASE:
            sheets = forms.build(r, kind, at, case_id=case, signal_id=signal)
            rows = _write_forms(output, sheets)
        elif kind == "journal":
            sheets = [exports.journal(r, start, end, anon)]
        elif kind == "bank":
            sheets = [exports.bank(r, start, end, anon)]
        elif kind == "stat":
            sheets = [exports.stat(r, start, end, at, anon, known_now)]
        elif kind == "digest":
            sheets = [exports.digest(r, at, within, anon, known_now)]
        elif kind == "measures":
            sheets = [exports.measures(r, start, end, at, anon)]
        elif kind == "pupils":
            sheets = [exports.pupils(r, start, end, anon)]
        else:
            sheets = [exports.scorecard(r, start, end, at, anon, known_now)]
        if kind not in exports.PER_CASE:
            rows = _write(write_xlsx, output, sheets)
    # a text over Excel's limits went on to the sheet «Продолжение»: the secretary is told, not left to find it
    continued = sum(getattr(s, "continued", 0) for s in sheets)
    doc = {"kind": kind, "file": str(output.expanduser().absolute()), "rows": rows, "anonymized": anonymize,
           "continued": continued}
    if as_json:
        emit_json(doc)
        return
    counted = f"форм: {rows}" if kind in exports.PER_CASE else f"строк: {rows}"
    typer.echo(f"Выгружено: {doc['file']} ({counted}).", err=True)
    if continued:
        typer.echo(f"Текст длиннее ячейки Excel продолжен на листе «Продолжение» (ячеек: {continued}).", err=True)


def _pseudonyms() -> Any:
    """The registry's pseudonym key, made on first use in a registry older than it (one write, audited)."""
    from sopcli.services import anonymize

    with reading() as r:
        key = r.settings.get(anonymize.KEY_SETTING, "")
    if not key:
        from sopcli.models import RegistrySetting

        with registry("export", standing=False) as (reg, session):
            anonymize.ensure_key(session, reg)
            key = session.get(RegistrySetting, anonymize.KEY_SETTING).value
    return anonymize.Pseudonyms(key)


def _write_forms(output: Path, built: list) -> int:
    """The per-case forms on the A4 grid of `render.xlsx.write_forms`."""
    from sopcli.render.xlsx import write_forms

    return write_forms(output, built)


def _write(write_xlsx, output: Path, sheets: list) -> int:  # noqa: ANN001
    """With a progress line on a terminal (stderr), none under cron."""
    if not sys.stderr.isatty():
        return write_xlsx(output, sheets)
    from rich.progress import Progress, SpinnerColumn, TextColumn

    with Progress(SpinnerColumn(), TextColumn("{task.description}: {task.completed} строк"), transient=True) as bar:
        task = bar.add_task("Выгрузка")
        return write_xlsx(output, sheets, lambda n: bar.advance(task, n))
