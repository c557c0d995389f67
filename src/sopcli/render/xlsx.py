"""XLSX in the appendices' forms: title row, Russian headers, the form's numbered column row.

Why our own writer: an export is always the same simple shape (a title, a
header, rows of text, numbers and dates), and the general libraries spend
7–13 µs on every cell — 21 s for the data bank of 150,000 cases with
xlsxwriter, 19 s with pandas. This writer formats a whole row as one string
and streams it into the zip entry, so the bank takes a few seconds in constant
memory. Every text is written as an inline string, so a cell typed as
"=СУММ(…)" or "+7…" stays a string, never a formula. The package is the
minimal SpreadsheetML that Excel, LibreOffice and openpyxl read (tests read
every export back with openpyxl).

On paper (issue 14): every row gets the height its wrapped text needs (the
office clients do not compute it on opening), the appendix header sits at the
right above the title, signature lines close the sheet, pages are A4, fit to
width, numbered, with the header rows repeated; texts over Excel's limits go
on to the sheet «Продолжение» (render/xlsx_paper). The per-case forms
(render/form.Form) are laid out by `write_forms` (render/xlsx_form).

The file is written to a temporary name in the target folder, created 0600
(children's personal data), and renamed over the target only when complete: a
killed export never leaves a half-written file under the name asked for.
"""

from __future__ import annotations

import math
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sopcli.render.xlsx_chart import Chart, chart_sheet_xml, chart_xml, drawing_xml, rels_xml
from sopcli.render.xlsx_paper import (
    CELL_LIMIT,
    CONT_SHEET,
    PAGE_PT,
    SIZE,
    Continuations,
    Line,
    Look,
    Styles,
    capacity,
    col,
    height,
    lines,
    longest_word,
    max_lines,
    merged_width,
    package,
    row_xml,
    sheet_head,
    sheet_tail,
    tab_names,
    text_cell,
    units_for,
    value_cell,
)

if TYPE_CHECKING:
    from sopcli.render.form import Form


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
    # issue 14: the appendix header printed at the right above the title («ПРИЛОЖЕНИЕ № 8\nк Порядку …»),
    # and the signature lines under the table (render/form.Signature); both empty for a plain list
    appendix: str = ""
    signatures: list[Any] = field(default_factory=list)
    # set by the writer: how many texts were too long for a cell or a row and went on to the sheet «Продолжение»
    continued: int = 0
    # issue 15: a native chart of some of the data rows, drawn on a sheet of its own right after this one
    chart: Chart | None = None



# cell styles (cellXfs) fixed at the head of every package (xlsx_paper.BASE)
TITLE, SUB, HEAD, NUM, TEXT, DATE, MOMENT, NUMBER = 1, 2, 3, 4, 5, 6, 7, 8
BASE_TITLE = Look(bold=True, size=12, h="center", v="center")  # = TITLE
APPENDIX = Look(h="right")  # «ПРИЛОЖЕНИЕ № 8 / к Порядку …» at the right above the title
WRAPPED = Look()  # a subtitle, a note, a signature line: merged across the sheet, wrapped
ITALIC = Look(italic=True)
BLANK_DATE = "«___»\u00a0____________\u00a020__\u00a0г."  # never parted over lines (no-break spaces)
LO_UNIT_PT = 5.56  # LibreOffice draws a unit of column width as Arial 10's digit (Excel: 5.25, xlsx_paper.UNIT_PT)
A4_LONG_PT, MARGIN_PT = 841.89, 0.4 * 72  # a list is landscape, its margins sheet_tail's default
BLANK_ROW_PT = 15.0  # a row the sheet leaves empty: sheetFormatPr's default height
SIGN_LINE = "______________"


def check_target(path: Path) -> Path:
    """The absolute target, refused in Russian before anything is written (exit 2, not a fault)."""
    from sopcli.files import output_target

    return output_target(path, ".xlsx", "выгрузки")


_LIST_STYLES = {"text": TEXT, "moment": MOMENT, "date": DATE, "number": NUMBER, "mark": TEXT}


def _cell(ref: str, v: Any) -> str:
    return value_cell(ref, v, _LIST_STYLES)


def write_xlsx(path: Path, sheets: list[Sheet], progress: Callable[[int], None] | None = None) -> int:
    """Write the sheets; returns the number of data rows. Atomic, 0600 (files.atomic_private).

    A text cut for Excel's limits is counted in its sheet's `continued`; the
    command can sum them to say so.
    """
    from sopcli.files import atomic_private

    target = check_target(path)
    with atomic_private(target) as tmp:
        return write_sheets(tmp, sheets, progress)


def write_forms(path: Path, forms: list[Form]) -> int:
    """Write the per-case forms, one sheet each; returns the number of forms. Atomic, 0600.

    A text cut for Excel's limits is counted in its form's `continued`.
    """
    from sopcli.files import atomic_private
    from sopcli.render.xlsx_form import write_form_sheets

    target = check_target(path)
    with atomic_private(target) as tmp:
        return write_form_sheets(tmp, forms)


def write_sheets(path: Path, sheets: list[Sheet], progress: Callable[[int], None] | None = None) -> int:
    """The package itself, into `path` as it is: for a caller that holds its own atomic_private."""
    rows_written = 0
    styles, cont = Styles(), Continuations()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        names: list[tuple[str, tuple[int, int] | None]] = []
        charts: list[tuple[Chart, int]] = []  # each chart with the number of the sheet its data is on
        for sheet in sheets:
            with z.open(f"xl/worksheets/sheet{len(names) + 1}.xml", "w") as raw:  # no zip64: older Excel refuses it
                rows_written += _sheet(raw, sheet, progress, styles, cont)
            names.append((sheet.name, _print_rows(sheet)))
            chart = sheet.chart
            if chart is not None and chart.values:  # no data rows, no chart: an empty range is not a range
                charts.append((chart, len(names)))
                k = len(charts)
                z.writestr(f"xl/worksheets/sheet{len(names) + 1}.xml", chart_sheet_xml(chart))
                z.writestr(f"xl/worksheets/_rels/sheet{len(names) + 1}.xml.rels",
                           rels_xml("drawing", f"../drawings/drawing{k}.xml"))
                z.writestr(f"xl/drawings/drawing{k}.xml", drawing_xml(chart, k))
                z.writestr(f"xl/drawings/_rels/drawing{k}.xml.rels", rels_xml("chart", f"../charts/chart{k}.xml"))
                names.append((chart.sheet, None))
        if cont.rows:
            with z.open(f"xl/worksheets/sheet{len(names) + 1}.xml", "w") as raw:
                _sheet(raw, continuation_sheet(cont), None, styles, Continuations())
            names.append((CONT_SHEET, (2, 2)))
        tabs = tab_names([name for name, _ in names])
        for k, (chart, source) in enumerate(charts, 1):  # the ranges name the data sheet's tab as the workbook has it
            z.writestr(f"xl/charts/chart{k}.xml", chart_xml(chart, tabs[source - 1]))
        package(z, names, styles, len(charts))
    return rows_written


def continuation_sheet(cont: Continuations) -> Sheet:
    """The sheet «Продолжение»: the rests of the texts cut for Excel's limits, each under its number."""
    return Sheet(CONT_SHEET, "Продолжение текстов, не уместившихся в ячейку",
                 [Column("№", 6), Column("Лист", 18), Column("Строка", 8), Column("Графа", 22),
                  Column("Продолжение текста", Continuations.WIDTH)], cont.rows)


def _print_rows(sheet: Sheet) -> tuple[int, int]:
    """The header row and the last row that repeats on every page (the numbered column row if any)."""
    head = 2 + bool(sheet.appendix) + bool(sheet.subtitle)
    return head, head + bool(sheet.numbers)


def _merged(styles: Styles, r: int, first: int, widths: list[float], text: str, look: Look,
            size: int = SIZE, bold: bool = False) -> tuple[str, str, float]:
    """One text merged across columns `first`… of row `r`: the row's XML, its merged range and its height."""
    last = first + len(widths) - 1
    n = lines(text, capacity(merged_width(widths), size, bold))
    cells = text_cell(f"{col(first)}{r}", text, styles.of(look)) + "".join(
        f'<c r="{col(i)}{r}" s="{styles.of(look)}"/>' for i in range(first + 1, last + 1))
    return row_xml(r, cells, height(n, size)), f"{col(first)}{r}:{col(last)}{r}", height(n, size)


@dataclass
class _Rows:
    """Rows above or under the data as they are made: XML, merged ranges, heights."""

    xml: list[str] = field(default_factory=list)
    merges: list[str] = field(default_factory=list)
    heights: list[float] = field(default_factory=list)

    def add(self, made: tuple[str, str, float]) -> None:
        self.xml.append(made[0])
        self.merges.append(made[1])
        self.heights.append(made[2])


def _top(sheet: Sheet, styles: Styles) -> _Rows:
    """The rows above the data: appendix header, title, subtitle, header, numbered row; and their merges."""
    widths = [c.width for c in sheet.columns]
    ncol = len(widths)
    out = _Rows()
    r = 1
    if sheet.appendix:
        half = ncol // 2
        out.add(_merged(styles, r, half, widths[half:], sheet.appendix, APPENDIX))
        r += 1
    out.add(_merged(styles, r, 0, widths, sheet.title, BASE_TITLE, 12, True))
    r += 1
    if sheet.subtitle:
        out.add(_merged(styles, r, 0, widths, sheet.subtitle, ITALIC))
        r += 1
    tall = max(lines(c.header, capacity(c.width, bold=True)) for c in sheet.columns)
    out.xml.append(row_xml(r, "".join(text_cell(f"{col(i)}{r}", c.header, HEAD)
                                      for i, c in enumerate(sheet.columns)), height(tall)))
    out.heights.append(height(tall))
    r += 1
    if sheet.numbers:
        out.xml.append(row_xml(r, "".join(text_cell(f"{col(i)}{r}", str(v), NUM)
                                          for i, v in enumerate(sheet.numbers)), height(1, 9)))
        out.heights.append(height(1, 9))
    if ncol == 1:
        out.merges.clear()
    return out


def _bottom(sheet: Sheet, styles: Styles, r: int) -> _Rows:
    """The rows under the data, from row `r`: notes, then signature lines; and their merges. The rows left
    empty between them count at the sheet's default height."""
    widths = [c.width for c in sheet.columns]
    out = _Rows()
    for note in sheet.notes:
        r += 1
        out.add(_merged(styles, r, 0, widths, note, WRAPPED))
    if sheet.signatures:
        r += 1
        out.heights.append(BLANK_ROW_PT)
    for s in sheet.signatures:
        r += 2
        line = f"{s.position}   {SIGN_LINE}   {s.name}      {s.date or BLANK_DATE}"
        out.add(_merged(styles, r, 0, widths, line, WRAPPED))
        out.heights.append(BLANK_ROW_PT)
    if len(widths) == 1:
        out.merges.clear()
    return out


@dataclass
class _Pages:
    """Where LibreOffice will end a list's pages (issue 31 §3: the signatures keep the table's last row).

    Its page holds PAGE_PT of rows at the sheet's fit-to-width scale and repeats the header rows on each;
    a list streams, so only its last page is settled, by one manual break before the last data row."""

    room: float  # points of rows a page holds, in the sheet's points
    titles: float  # the header rows repeated at the top of each page
    used: float  # on the current page
    last: int = 0  # the last data row
    before: float = 0.0  # used on its page before it

    @classmethod
    def of(cls, widths: list[float], top: list[float], repeated: int) -> _Pages:
        wide = sum(widths) * LO_UNIT_PT
        scale = min(100, math.floor(100 * (A4_LONG_PT - 2 * MARGIN_PT) / wide)) / 100 if wide else 1.0
        return cls(PAGE_PT[True] / scale, sum(top[-repeated:]) if repeated else 0.0, sum(top))

    def add(self, r: int, ht: float) -> None:
        if self.used + ht > self.room:
            self.used = self.titles
        self.last, self.before = r, self.used
        self.used += ht

    def breaks(self, bottom: float) -> list[int]:
        """A break before the last data row when the rows under the table would not fit on its page."""
        if self.last and bottom and self.used + bottom > self.room and self.before > self.titles:
            return [self.last - 1]
        return []


@dataclass
class _DataRows:
    """What every data row of a sheet shares: the columns' letters, capacities and headers, the row
    heights by lines, and where a text too long for its cell is continued."""

    name: str
    letters: list[str]
    headers: list[str]
    caps: list[Line]
    fast: list[int]  # characters that fit each column unmeasured (Line.chars)
    most: int
    heights: list[float]
    cont: Continuations
    last: float = 0.0  # the height of the row made last

    @classmethod
    def of(cls, sheet: Sheet, cont: Continuations) -> _DataRows:
        most = max_lines()
        caps = [capacity(c.width) for c in sheet.columns]
        return cls(sheet.name, [col(i) for i in range(len(sheet.columns))], [c.header for c in sheet.columns],
                   caps, [c.chars for c in caps], most,
                   [0.0] + [height(n) for n in range(1, most + 1)], cont)

    def _wrapped(self, v: str, i: int, r: int) -> tuple[str, int]:
        """A text that wraps: its lines, or, past the row's height or Excel's cell limit, cut and continued."""
        n = lines(v, self.caps[i])
        if n > self.most or len(v) > CELL_LIMIT:
            v, n = self.cont.cut(v, self.caps[i], self.most, self.name, r, self.headers[i])
        return v, n

    def xml(self, values: Sequence[Any], r: int) -> str:
        """Row `r` as XML, as tall as its longest text."""
        letters, fast = self.letters, self.fast
        if len(values) != len(letters):
            raise ValueError(f"{self.name}: {len(values)} values for {len(letters)} columns")
        tall = 1
        cells = []
        for i, v in enumerate(values):
            if v.__class__ is str and v:
                if len(v) > fast[i] or "\n" in v:
                    v, n = self._wrapped(v, i, r)
                    tall = max(tall, n)
                cells.append(text_cell(f"{letters[i]}{r}", v, TEXT))
            else:
                cells.append(_cell(f"{letters[i]}{r}", v))
        self.last = self.heights[tall]
        return f'<row r="{r}" ht="{self.last}" customHeight="1">{"".join(cells)}</row>'


def _note_continued(sheet: Sheet) -> None:
    """A sheet whose texts were cut says where they go on, under the table."""
    if sheet.continued:
        sheet.notes = [*sheet.notes, f"Тексты, не уместившиеся в ячейку ({sheet.continued}), продолжены на листе "
                                     f"«{CONT_SHEET}» под номерами, указанными в ячейках."]


SAMPLE = 1000  # data rows read before the columns' widths are fixed (the sheet streams after them)


def fit_columns(columns: list[Column], rows: list[Sequence[Any]]) -> list[Column]:
    """The columns widened where their longest word would not fit (issue 31 §3: a client breaks such a word
    in the middle): the header's words in bold, the texts of `rows` in regular. A list streams, so only
    the first rows are measured; a longer word further down still breaks."""
    widest = [longest_word(c.header, bold=True) for c in columns]
    for values in rows:
        for i, v in enumerate(values):
            if v.__class__ is str and len(v) > 4:
                widest[i] = max(widest[i], longest_word(v))
    return [Column(c.header, math.ceil(units_for(w))) if units_for(w) > c.width else c
            for c, w in zip(columns, widest, strict=True)]


def _sheet(raw: Any, sheet: Sheet, progress: Callable[[int], None] | None, styles: Styles,
           cont: Continuations) -> int:
    out: list[str] = []
    write = raw.write
    stream = iter(sheet.rows)
    first = list(islice(stream, SAMPLE))
    sheet.columns = fit_columns(sheet.columns, first)
    rows = _DataRows.of(sheet, cont)
    head_row, body_row = _print_rows(sheet)
    top = _top(sheet, styles)
    widths = [c.width for c in sheet.columns]
    pages = _Pages.of(widths, top.heights, body_row - head_row + 1)
    write((sheet_head(widths, body_row) + "".join(top.xml)).encode())
    r = body_row + 1
    count = 0
    continued = cont.count
    chart = sheet.chart
    if chart is not None:
        chart.values = []
    for values in chain(first, stream):
        if chart is not None and chart.wanted(count):
            chart.values.append([values[i] for i in chart.columns])
        out.append(rows.xml(values, r))
        pages.add(r, rows.last)
        r += 1
        count += 1
        if len(out) == 1000:  # written in chunks: a sheet of a million rows never sits in memory
            write("".join(out).encode())
            out.clear()
            if progress is not None:
                progress(1000)
    sheet.continued = cont.count - continued
    if chart is not None:
        first = body_row + 1 + chart.first
        chart.rows = (first, first + len(chart.values) - 1)
    _note_continued(sheet)
    bottom = _bottom(sheet, styles, r)
    write(("".join(out) + "".join(bottom.xml)).encode())
    if progress is not None:
        progress(count % 1000)
    write(sheet_tail(top.merges + bottom.merges, landscape=True,
                     breaks=pages.breaks(BLANK_ROW_PT + sum(bottom.heights))).encode())
    return count
