"""`sopcli export KIND -o FILE.xlsx`: the appendices' forms for the regional commission and the archive."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from sopcli.commands._common import reading, registry
from sopcli.commands._options import (
    JsonOpt,
    KnownNowOpt,
    SignalRef,
    id_option,
    output_option,
    signal_option,
    who_option,
)
from sopcli.commands._options import signal_id as signal_id_of
from sopcli.errors import InvalidInput
from sopcli.files import atomic_private, output_target
from sopcli.render.output import emit_json
from sopcli.services.papers.export_kinds import EXPORTS, LABELS
from sopcli.vocab import choice_help, completer


def export(
    kind: Annotated[str, typer.Argument(metavar="ВИД", help=choice_help("Выгрузка", LABELS),
                                        autocompletion=completer(LABELS))],
    output: Annotated[Optional[Path], output_option("Файл .xlsx (календарь — .ics).")] = None,
    quarter: Annotated[Optional[str], typer.Option(
        "--quarter", help="Квартал ГГГГQN, например 2025Q1 (bank, journal).")] = None,
    year: Annotated[Optional[int], typer.Option("--year", help="Год (journal, stat, scorecard).")] = None,
    whole: Annotated[bool, typer.Option("--all", help="bank: все, кто когда-либо состоял на учёте.")] = False,
    case: Annotated[Optional[int], id_option("--case", "Дело (формы по делу).")] = None,
    signal: Annotated[Optional[SignalRef], signal_option(
        " (заключение проверки: по сигналу, есть дело или нет)")] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="На момент (digest, stat, scorecard).")] = None,
    known_now: KnownNowOpt = False,
    within: Annotated[int, typer.Option("--within", min=0, max=3660, help="Сводка сроков (digest): дней вперёд.")] = 7,
    anonymize: Annotated[bool, typer.Option(
        "--anonymize", help="Обезличить для передачи за пределы комиссии: псевдонимы вместо ФИО и номеров, год "
        "рождения, без адресов и текста; малые значения (1–2) — «<3».")] = False,
    who: Annotated[Optional[str], who_option(
        "Календарь (.ics): сроки одного органа, как в `deadlines --who`; без него — все.")] = None,
    since: Annotated[Optional[str], typer.Option(
        "--from", help="Календарь (.ics): сроки с даты ДД.ММ.ГГГГ (по умолчанию — 30 дней назад).")] = None,
    until: Annotated[Optional[str], typer.Option(
        "--to", help="Календарь (.ics): сроки по дату ДД.ММ.ГГГГ (по умолчанию — 90 дней вперёд).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Выгрузка XLSX по форме приложений: заголовок, нумерация граф, даты датами, печать на A4.

    Вид «календарь» (.ics) — сроки органов файлом iCalendar для Outlook, Thunderbird, Яндекс Календаря,
    без персональных данных; повторный импорт обновляет события, а не дублирует их."""
    from sopcli.commands._common import as_of as parse_as_of
    from sopcli.render.xlsx import write_xlsx
    from sopcli.services.papers import export_kinds

    code = export_kinds.kind_of(kind)
    spec = EXPORTS[code]
    if spec.calendar:
        export_kinds.refuse_sheet_options(quarter=quarter, year=year, whole=whole, case_id=case, signal_id=signal,
                                          anonymize=anonymize)
        _calendar(output, who, since, until, as_of, known_now, as_json)
        return
    export_kinds.refuse_unfit(code, output=output, quarter=quarter, year=year, whole=whole, case_id=case,
                              signal_id=signal, anonymize=anonymize,
                              window=who is not None or since is not None or until is not None)
    assert output is not None  # refused above
    anon = _pseudonyms() if anonymize else None
    with reading() as r:
        at = parse_as_of(as_of, r.tz)
        signal_id = signal_id_of(r, signal)
        start, end = export_kinds.period(code, at.astimezone(r.tz).date(), quarter, year, whole)
        sheets = export_kinds.build(r, export_kinds.ExportRequest(
            code, start, end, at, within=within, anon=anon, known_now=known_now, case_id=case, signal_id=signal_id))
        rows = _write_forms(output, sheets) if spec.per_case else _write(write_xlsx, output, sheets)
    # a text over Excel's limits went on to the sheet «Продолжение»: the secretary is told, not left to find it
    continued = sum(getattr(s, "continued", 0) for s in sheets)
    doc = {"kind": code, "file": str(output.expanduser().absolute()), "rows": rows, "anonymized": anonymize,
           "continued": continued}
    if as_json:
        emit_json(doc)
        return
    counted = f"форм: {rows}" if spec.per_case else f"строк: {rows}"
    typer.echo(f"Выгружено: {doc['file']} ({counted}).", err=True)
    if continued:
        typer.echo(f"Текст длиннее ячейки Excel продолжен на листе «Продолжение» (ячеек: {continued}).", err=True)


def _calendar(output: Optional[Path], who: Optional[str], since: Optional[str], until: Optional[str],
              as_of: Optional[str], known_now: bool, as_json: bool) -> None:
    """`export ics`: the terms of the window as an iCalendar file (services/papers/calendar_feed)."""
    from sopcli.commands._common import as_of as parse_as_of
    from sopcli.commands._common import day
    from sopcli.services.papers import calendar_feed

    if output is None:
        raise InvalidInput("Укажите файл: -o ФАЙЛ.ics.")
    target = output_target(output, ".ics", "календаря")  # refused before anything is read
    start = day(since, "дата --from") if since is not None else None
    end = day(until, "дата --to") if until is not None else None
    with reading() as r:
        at = parse_as_of(as_of, r.tz)
        lo, hi = calendar_feed.window(at.astimezone(r.tz).date(), start, end)
        uid = r.settings.get(calendar_feed.UID_SETTING, "")
        if uid:
            feed = calendar_feed.feed(r, uid=uid, as_of=at, start=lo, end=hi, known_now=known_now, typed_who=who)
        elif who is not None:
            calendar_feed.agency_whos(r, who)  # an unknown agency is refused before the write below
    if not uid:  # a registry made before the calendar: its id is made once, here (one write, audited)
        with registry("export", standing=False) as (reg, session):
            uid = calendar_feed.ensure_uid(session, reg)
        with reading() as r:
            feed = calendar_feed.feed(r, uid=uid, as_of=at, start=lo, end=hi, known_now=known_now, typed_who=who)
    with atomic_private(target) as tmp:
        tmp.write_bytes(feed.data)
    doc = {"kind": "ics", "file": str(target), "events": feed.events, "open": feed.open,
           "cancelled": feed.cancelled, "fulfilled": feed.fulfilled, "from": lo.isoformat(), "to": hi.isoformat(),
           "calendar": feed.name}
    if as_json:
        emit_json(doc)
        return
    typer.echo(f"Выгружено: {target} (событий: {feed.events}; открытых: {feed.open}, снятых и исполненных: "
               f"{feed.cancelled}; сроки с {lo:%d.%m.%Y} по {hi:%d.%m.%Y}).", err=True)


def _pseudonyms() -> Any:
    """The export's pseudonym key: the acting commission's own on a shared registry, else the registry's,
    made on first use in a registry older than it (one write, audited)."""
    from sopcli.services.papers import anonymize

    with reading() as r:
        key = anonymize.export_key(r)
    if not key:
        with registry("export", standing=False) as (reg, session):
            key = anonymize.made_key(session, reg)
    return anonymize.Pseudonyms(key)


def _write_forms(output: Path, built: list) -> int:
    """The per-case forms on the A4 grid of `render.xlsx.write_forms`."""
    from sopcli.render.xlsx import write_forms

    return write_forms(output, built)


def _write(write_xlsx, output: Path, sheets: list) -> int:  # noqa: ANN001
    """Rows counted on a terminal (stderr, `commands._progress.bars`), nothing under cron or in a pipe."""
    from collections.abc import Sized

    from sopcli.commands._progress import bars

    sized = all(isinstance(s.rows, Sized) for s in sheets)  # a streamed sheet's length is known only at its end
    with bars() as progress:
        progress.stage("Выгрузка", sum(len(s.rows) for s in sheets) if sized else None)
        return write_xlsx(output, sheets, progress.advance)
