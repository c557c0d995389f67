"""The XLSX writer on paper: exact times, numbered A4 pages, repeated headers, rows as tall as their text."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl

from sopcli.render.xlsx import Column, Sheet, write_xlsx

MOMENTS = [datetime(2026, 3, 2, 11, 0), datetime(2025, 12, 31, 23, 59), datetime(2026, 1, 1, 0, 0),
           datetime(2024, 2, 29, 9, 15, 30), datetime(2026, 7, 14, 16, 45, tzinfo=ZoneInfo("Europe/Moscow")),
           datetime(2026, 3, 2, 10, 59, 59, 999_000)]


def _book(tmp_path: Path, sheets: list[Sheet]) -> openpyxl.Workbook:
    path = tmp_path / "out.xlsx"
    write_xlsx(path, sheets)
    return openpyxl.load_workbook(path)


def _plain(rows: list[list], **kw) -> Sheet:
    return Sheet(name="Журнал", title="Журнал сигналов", rows=rows,
                 columns=[Column("№"), Column("Поступил", 18), Column("Текст", 30)], **kw)


def test_moments_read_back_to_the_second(tmp_path: Path) -> None:
    ws = _book(tmp_path, [_plain([[i, m, "x"] for i, m in enumerate(MOMENTS)])]).active
    got = [ws.cell(row=r, column=2).value for r in range(3, 3 + len(MOMENTS))]
    want = [m.replace(tzinfo=None) for m in MOMENTS[:-1]] + [datetime(2026, 3, 2, 11, 0)]  # .999 s rounds up
    assert got == want


def test_every_sheet_is_a4_numbered_and_repeats_its_header(tmp_path: Path) -> None:
    book = _book(tmp_path, [_plain([[1, date(2026, 1, 2), "a"]]),
                            _plain([[1, None, "b"]], subtitle="за 2026 год", numbers=["1", "2", "3"])])
    first, second = book.worksheets
    for ws in (first, second):
        assert ws.page_setup.paperSize == 9
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
    assert first.print_title_rows == "$2:$2"
    assert second["A3"].value == "№" and second["A4"].value == "1"  # title, subtitle, header, numbers
    assert second.print_title_rows == "$3:$4"
