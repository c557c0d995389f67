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

The file is written to a temporary name in the target folder, created 0600
(children's personal data), and renamed over the target only when complete: a
killed export never leaves a half-written file under the name asked for.
"""

from __future__ import annotations

import re
import zipfile
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
    # issue 14: the appendix header printed at the right above the title («ПРИЛОЖЕНИЕ № 8\nк Порядку …»),
    # and the signature lines under the table (render/form.Signature); both empty for a plain list
    appendix: str = ""
    signatures: list[Any] = field(default_factory=list)


# cell styles (cellXfs) in styles.xml below
TITLE, SUB, HEAD, NUM, TEXT, DATE, MOMENT, NUMBER = 1, 2, 3, 4, 5, 6, 7, 8
_EPOCH = datetime(1899, 12, 30)
FOOTER = "<headerFooter><oddFooter>&amp;CСтраница &amp;P из &amp;N</oddFooter></headerFooter>"  # every page numbered
_ESCAPE = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord('"'): "&quot;",
           **{c: None for c in (*range(0, 9), 11, 12, *range(14, 32))}}  # XML 1.0 forbids these


def check_target(path: Path) -> Path:
    """The absolute target, refused in Russian before anything is written (exit 2, not a fault)."""
    if path.suffix.lower() != ".xlsx":
        raise InvalidInput(f"Файл выгрузки должен оканчиваться на .xlsx: {path.name}")
    folder = path.expanduser().absolute().parent
    if not folder.is_dir():
        raise InvalidInput(f"Папки для выгрузки нет: {folder}")
    return path.expanduser().absolute()


def _col(i: int) -> str:
    name = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        name = chr(65 + r) + name
    return name


def _text(ref: str, value: str, style: int = TEXT) -> str:
    return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t xml:space="preserve">{value.translate(_ESCAPE)}</t></is></c>'


def _serial(v: datetime) -> float:
    """Excel's serial of a moment, rounded to the second: 11:00 must print 11:00, not 10:59.

    Six decimals of a day are 86 ms, and a display format truncates, so the old
    `.6f` printed 10:59; `repr` keeps every digit of the float, which reads back
    to the exact second.
    """
    seconds = round((v.replace(tzinfo=None) - _EPOCH).total_seconds())
    days, rest = divmod(seconds, 86400)
    return days + rest / 86400


def _cell(ref: str, v: Any) -> str:
    if v is None or v == "":
        return f'<c r="{ref}" s="{TEXT}"/>'
    if isinstance(v, datetime):
        return f'<c r="{ref}" s="{MOMENT}"><v>{_serial(v)!r}</v></c>'
    if isinstance(v, date):
        return f'<c r="{ref}" s="{DATE}"><v>{(v - _EPOCH.date()).days}</v></c>'
    if isinstance(v, bool):
        return _text(ref, "да" if v else "нет")
    if isinstance(v, (int, float)):
        return f'<c r="{ref}" s="{NUMBER}"><v>{v}</v></c>'
    return _text(ref, str(v))  # a text stays a text, whatever it starts with


def write_xlsx(path: Path, sheets: list[Sheet], progress: Callable[[int], None] | None = None) -> int:
    """Write the sheets; returns the number of data rows. Atomic, 0600 (files.atomic_private)."""
    from sopcli.files import atomic_private

    target = check_target(path)
    with atomic_private(target) as tmp:
        return write_sheets(tmp, sheets, progress)


def write_sheets(path: Path, sheets: list[Sheet], progress: Callable[[int], None] | None = None) -> int:
    """The package itself, into `path` as it is: for a caller that holds its own atomic_private."""
    rows_written = 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        names = []
        for n, sheet in enumerate(sheets, 1):
            with z.open(f"xl/worksheets/sheet{n}.xml", "w") as raw:  # no zip64: older Excel refuses it
                rows_written += _sheet(raw, sheet, progress)
            names.append((sheet.name[:31], _print_rows(sheet)))
        _package(z, names)
    return rows_written


def _print_rows(sheet: Sheet) -> tuple[int, int]:
    head = 2 + bool(sheet.subtitle)
    return head, head + bool(sheet.numbers)


def _sheet(raw: Any, sheet: Sheet, progress: Callable[[int], None] | None) -> int:
    out: list[str] = []
    write = raw.write
    ncol = len(sheet.columns)
    last = _col(ncol - 1)
    letters = [_col(i) for i in range(ncol)]
    _, body_row = _print_rows(sheet)
    first_data = body_row + 1
    cols = "".join(f'<col min="{i + 1}" max="{i + 1}" width="{c.width}" customWidth="1"/>'
                   for i, c in enumerate(sheet.columns))
    write((
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
        f'<sheetViews><sheetView workbookViewId="0"><pane ySplit="{body_row}" topLeftCell="A{first_data}" '
        f'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData>'
        f'<row r="1" ht="36" customHeight="1">{_text("A1", sheet.title, TITLE)}'
        + "".join(f'<c r="{letters[i]}1" s="{TITLE}"/>' for i in range(1, ncol)) + "</row>"
    ).encode())
    r = 2
    if sheet.subtitle:
        write(f'<row r="{r}">{_text(f"A{r}", sheet.subtitle, SUB)}</row>'.encode())
        r += 1
    write((f'<row r="{r}" ht="48" customHeight="1">'
           + "".join(_text(f"{letters[i]}{r}", c.header, HEAD) for i, c in enumerate(sheet.columns))
           + "</row>").encode())
    r += 1
    if sheet.numbers:
        write((f'<row r="{r}">' + "".join(_text(f"{letters[i]}{r}", str(v), NUM)
                                          for i, v in enumerate(sheet.numbers)) + "</row>").encode())
        r += 1
    count = 0
    for values in sheet.rows:
        if len(values) != ncol:
            raise ValueError(f"{sheet.name}: {len(values)} values for {ncol} columns")
        out.append(f'<row r="{r}">' + "".join(_cell(f"{letters[i]}{r}", v) for i, v in enumerate(values))
                   + "</row>")
        r += 1
        count += 1
        if len(out) == 1000:
            write("".join(out).encode())
            out.clear()
            if progress is not None:
                progress(1000)
    for note in sheet.notes:
        r += 1
        out.append(f'<row r="{r}">{_text(f"A{r}", note, 0)}</row>')
    write("".join(out).encode())
    if progress is not None:
        progress(count % 1000)
    merge = f'<mergeCells count="1"><mergeCell ref="A1:{last}1"/></mergeCells>' if ncol > 1 else ""
    write((f'</sheetData>{merge}<pageMargins left="0.4" right="0.4" top="0.5" bottom="0.5" header="0.3" '
           f'footer="0.3"/><pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
           f'{FOOTER}</worksheet>').encode())
    return count


_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="dd.mm.yyyy"/>'
    '<numFmt numFmtId="165" formatCode="dd.mm.yyyy hh:mm"/></numFmts>'
    '<fonts count="5"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="12"/><name val="Calibri"/></font><font><i/><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font><font><sz val="9"/><name val="Calibri"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFF2F2F2"/><bgColor indexed="64"/></patternFill></fill>'
    '</fills><borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
    '<border><left style="thin"/><right style="thin"/><top style="thin"/><bottom style="thin"/><diagonal/></border>'
    '</borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="9"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">'
    '<alignment vertical="center" wrapText="1"/></xf>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="3" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1" '
    'applyAlignment="1"><alignment horizontal="center" vertical="center" wrapText="1"/></xf>'
    '<xf numFmtId="0" fontId="4" fillId="0" borderId="1" xfId="0" applyFont="1" applyBorder="1" '
    'applyAlignment="1"><alignment horizontal="center"/></xf>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="1" xfId="0" applyBorder="1" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" applyBorder="1" '
    'applyAlignment="1"><alignment horizontal="center" vertical="top"/></xf>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" applyBorder="1" '
    'applyAlignment="1"><alignment vertical="top"/></xf>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="1" xfId="0" applyBorder="1" applyAlignment="1">'
    '<alignment vertical="top"/></xf></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)


def _package(z: zipfile.ZipFile, sheets: list[tuple[str, tuple[int, int]]]) -> None:
    """The parts around the sheets: content types, relationships, workbook with print titles, styles."""
    n = len(sheets)
    z.writestr("[Content_Types].xml", (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
                  'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                  for i in range(1, n + 1)) + "</Types>"))
    z.writestr("_rels/.rels", (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="xl/workbook.xml"/></Relationships>'))
    z.writestr("xl/_rels/workbook.xml.rels", (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                  f'relationships/worksheet" Target="worksheets/sheet{i}.xml"/>' for i in range(1, n + 1))
        + f'<Relationship Id="rId{n + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
          'relationships/styles" Target="styles.xml"/></Relationships>'))
    used: set[str] = set()
    tabs, titles = [], []
    for i, (name, (head, body)) in enumerate(sheets, 1):
        clean = re.sub(r"[\[\]:*?/\\]", " ", name).strip() or f"Лист{i}"
        while clean in used:
            clean = f"{clean[:28]}_{i}"
        used.add(clean)
        quoted = clean.replace("'", "''").translate(_ESCAPE)
        tabs.append(f'<sheet name="{clean.translate(_ESCAPE)}" sheetId="{i}" r:id="rId{i}"/>')
        titles.append(f'<definedName name="_xlnm.Print_Titles" localSheetId="{i - 1}">'
                      f"'{quoted}'!${head}:${body}</definedName>")
    z.writestr("xl/workbook.xml", (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets>{"".join(tabs)}</sheets><definedNames>{"".join(titles)}</definedNames></workbook>'))
    z.writestr("xl/styles.xml", _STYLES)
