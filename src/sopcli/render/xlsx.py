"""XLSX in the appendices' forms: title row, Russian headers, the form's numbered column row.

Why xlsxwriter: in `constant_memory` mode it streams each row to disk, so the
data bank of 150,000 cases is written in constant memory; and it writes a text
as a text — a cell typed as "=СУММ(…)" or "+7…" stays a string, never a formula
(with `strings_to_formulas` off and every value written by its type).

The file is written to a temporary name in the target folder, created 0600
(children's personal data), and renamed over the target only when complete: a
killed export never leaves a half-written file under the name asked for.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sopcli.errors import InvalidInput


@dataclass
class Column:
    header: str
    width: float = 14


@dataclass
class Sheet:
    name: str  # the sheet tab, ≤ 31 characters
    title: str  # the form's title row
    columns: list[Column]
    rows: Iterable[Sequence[Any]]
    numbers: Sequence[str] | None = None  # the form's numbered column row ("1", "2", …)
    subtitle: str = ""
    notes: list[str] = field(default_factory=list)  # lines under the table


def _target(path: Path) -> Path:
    if path.suffix.lower() != ".xlsx":
        raise InvalidInput(f"Файл выгрузки должен оканчиваться на .xlsx: {path.name}")
    folder = path.expanduser().absolute().parent
    if not folder.is_dir():
        raise InvalidInput(f"Папки для выгрузки нет: {folder}")
    return path.expanduser().absolute()


def write_xlsx(path: Path, sheets: list[Sheet], progress: Callable[[int], None] | None = None) -> int:
    """Write the sheets; returns the number of data rows. Atomic, 0600."""
    import xlsxwriter

    target = _target(path)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".sopcli-", suffix=".xlsx.part")  # 0600
    os.close(fd)
    rows_written = 0
    try:
        wb = xlsxwriter.Workbook(tmp, {"constant_memory": True, "strings_to_formulas": False,
                                       "strings_to_numbers": False, "strings_to_urls": False,
                                       "default_date_format": "dd.mm.yyyy", "tmpdir": str(target.parent)})
        fmt = {
            "title": wb.add_format({"bold": True, "font_size": 12, "text_wrap": True, "valign": "vcenter"}),
            "sub": wb.add_format({"italic": True}),
            "head": wb.add_format({"bold": True, "text_wrap": True, "valign": "vcenter", "align": "center",
                                   "border": 1, "bg_color": "#F2F2F2"}),
            "num": wb.add_format({"align": "center", "border": 1, "font_size": 9}),
            "text": wb.add_format({"text_wrap": True, "valign": "top", "border": 1}),
            "date": wb.add_format({"num_format": "dd.mm.yyyy", "valign": "top", "border": 1, "align": "center"}),
            "moment": wb.add_format({"num_format": "dd.mm.yyyy hh:mm", "valign": "top", "border": 1}),
            "int": wb.add_format({"valign": "top", "border": 1}),
        }
        for sheet in sheets:
            rows_written += _sheet(wb, fmt, sheet, progress)
        wb.close()
        os.chmod(tmp, 0o600)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return rows_written


def _sheet(wb: Any, fmt: dict[str, Any], sheet: Sheet, progress: Callable[[int], None] | None) -> int:
    ws = wb.add_worksheet(sheet.name[:31])
    ncol = len(sheet.columns)
    for i, c in enumerate(sheet.columns):
        ws.set_column(i, i, c.width)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)  # all columns on the page's width, as many pages down as needed
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    row = 0
    ws.set_row(row, 36)
    if ncol > 1:
        ws.merge_range(row, 0, row, ncol - 1, sheet.title, fmt["title"])
    else:
        ws.write_string(row, 0, sheet.title, fmt["title"])
    row += 1
    if sheet.subtitle:
        ws.write_string(row, 0, sheet.subtitle, fmt["sub"])
        row += 1
    header_row = row
    ws.set_row(row, 48)
    for i, c in enumerate(sheet.columns):
        ws.write_string(row, i, c.header, fmt["head"])
    row += 1
    if sheet.numbers:
        for i, n in enumerate(sheet.numbers):
            ws.write_string(row, i, str(n), fmt["num"])
        row += 1
    ws.freeze_panes(row, 0)
    ws.repeat_rows(header_row, row - 1)
    first = row
    for values in sheet.rows:
        if len(values) != ncol:
            raise ValueError(f"{sheet.name}: {len(values)} values for {ncol} columns")
        for i, v in enumerate(values):
            _cell(ws, fmt, row, i, v)
        row += 1
        if progress is not None and (row - first) % 1000 == 0:
            progress(1000)
    if progress is not None:
        progress((row - first) % 1000)
    for note in sheet.notes:
        row += 1
        ws.write_string(row, 0, note)
    return row - first


def _cell(ws: Any, fmt: dict[str, Any], row: int, col: int, v: Any) -> None:
    if v is None or v == "":
        ws.write_blank(row, col, None, fmt["text"])
    elif isinstance(v, datetime):
        ws.write_datetime(row, col, v.replace(tzinfo=None), fmt["moment"])
    elif isinstance(v, date):
        ws.write_datetime(row, col, v, fmt["date"])
    elif isinstance(v, bool):
        ws.write_string(row, col, "да" if v else "нет", fmt["text"])
    elif isinstance(v, (int, float)):
        ws.write_number(row, col, v, fmt["int"])
    else:
        ws.write_string(row, col, str(v), fmt["text"])  # a text stays a text, whatever it starts with
