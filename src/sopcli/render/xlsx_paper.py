"""What the two XLSX writers share: cell styles, the package around the sheets, and paper arithmetic.

Paper arithmetic: a spreadsheet stores a row's height, it does not compute it
from the text when a file is opened (LibreOffice keeps the height it is given,
Excel too once `customHeight` is set). So the writer measures each text the
way the office client will wrap it — greedy at spaces, within the column's
width — and writes the height. It measures by the glyphs' advance widths of
the printing font (issue 31 §3): the papers name Arial, which Excel has
everywhere and LibreOffice prints as Liberation Sans with the same widths;
the widths are a table in render/xlsx_glyphs (scripts/glyph_widths.py reads
them once from the TTF, so the user's machine needs no font file). A column
is as wide as Excel draws it (7 px a unit at 96 dpi for Arial 10; LibreOffice
draws it 6 % wider), so a text that fits here fits in both clients.

A column or merged cell is never narrower than its longest word
(`longest_word`): a client breaks a word that does not fit anywhere inside it.

Excel's limits (32,767 characters a cell, 409 pt a row) are kept by cutting a
text at a line or word boundary and moving the rest to the sheet
«Продолжение»; `Continuations` collects those rests while the sheets stream.
"""

from __future__ import annotations

import re
import zipfile
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from itertools import accumulate
from typing import Any

from sopcli.render.form import MARK
from sopcli.render.xlsx_glyphs import BOLD, CHARS, REGULAR, UNITS, WIDEST

FOOTER = "<headerFooter><oddFooter>&amp;CСтраница &amp;P из &amp;N</oddFooter></headerFooter>"  # every page numbered
CELL_LIMIT = 32_767  # Excel: characters in a cell
ROW_LIMIT = 409.0  # Excel: points in a row
FONT = "Arial"  # LibreOffice prints it as Liberation Sans: the same advance widths (render/xlsx_glyphs)
SIZE = 10  # points: Arial 10's digit is 7 px, the unit of column width the widths were chosen in
LINE = 1.275  # a line in ems: Excel spaces Arial 10 by 12.75 pt (LibreOffice by 11.5: a little room is left there)
PAD_PT = 3.0  # cell padding above and below, points
UNIT_PT = 5.25  # a unit of column width as Excel draws it: 7 px at 96 dpi (LibreOffice: 5.56 pt, wider)
INSET_PT = 4.0  # the text's inset from the cell's borders, left and right together
# the height a page holds for rows, points: A4 less the margins of sheet_tail (top 0.5 in, bottom 0.6 in) and a
# little slack for the clients' rounding of row heights; by orientation (landscape: True)
PAGE_PT = {False: 841.89 - 36 - 43.2 - 12, True: 595.28 - 36 - 43.2 - 8}
CONT_SHEET = "Продолжение"
_EPOCH = datetime(1899, 12, 30)
ESCAPE = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord('"'): "&quot;",
          **{c: None for c in (*range(0, 9), 11, 12, *range(14, 32))}}  # XML 1.0 forbids these


def col(i: int) -> str:
    """The column letter of the 0-based index: 0 → A, 26 → AA."""
    name = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        name = chr(65 + r) + name
    return name


def serial(v: datetime) -> float:
    """Excel's serial of a moment, rounded to the second: 11:00 must print 11:00, not 10:59.

    Six decimals of a day are 86 ms, and a display format truncates, so the old
    `.6f` printed 10:59; `repr` of this float keeps every digit, which reads
    back to the exact second.
    """
    seconds = round((v.replace(tzinfo=None) - _EPOCH).total_seconds())
    days, rest = divmod(seconds, 86400)
    return days + rest / 86400


def day_serial(v: date) -> int:
    return (v - _EPOCH.date()).days


# ---- measuring text -------------------------------------------------------------------------------------------

class _Advances(dict):
    """A font's advance widths by character; a character the table lacks is measured as the widest glyph."""

    def __missing__(self, ch: str) -> int:
        return WIDEST


_ADVANCES = {False: _Advances(zip(CHARS, REGULAR, strict=True)), True: _Advances(zip(CHARS, BOLD, strict=True))}
_WORD = re.compile(r"(?<=-)(?=[^\W\d_])")  # a client may wrap after a hyphen before a letter («14-дневный»)


def text_width(text: str, size: int = SIZE, bold: bool = False) -> float:
    """Points `text` takes on one line at `size` (italic: as regular, Arial's italic has the same widths)."""
    return sum(map(_ADVANCES[bold].__getitem__, text)) * size / UNITS


def words(text: str) -> list[str]:
    """The pieces a client never breaks inside: words at spaces, a compound word after its hyphen; a no-break
    space («№\u00a01», «г.\u00a0Казани») holds its two sides together, as the clients hold them."""
    return [piece for word in re.split(r"[ \t\n]+", text) if word for piece in _WORD.split(word)]


def longest_word(text: str, size: int = SIZE, bold: bool = False) -> float:
    """Points of the widest unbreakable piece of `text`: a cell narrower than this breaks a word."""
    return max((text_width(w, size, bold) for w in words(text)), default=0.0)


def units_for(points: float) -> float:
    """The column width (units) whose text area is `points` wide."""
    return (points + INSET_PT) / UNIT_PT


@dataclass(frozen=True)
class Line:
    """What one line of a cell holds: `points` of text at a font size and weight."""

    points: float
    size: int = SIZE
    bold: bool = False

    @property
    def chars(self) -> int:
        """Characters that fit whatever they are (the widest glyph each): below this no measuring is needed."""
        return int(self.points * UNITS / (WIDEST * self.size))


def capacity(width: float, size: int = SIZE, bold: bool = False) -> Line:
    """One line of a cell `width` units wide (a merged range: the sum of its columns)."""
    return Line(max(1.0, width * UNIT_PT - INSET_PT), size, bold)


def merged_width(widths: list[float]) -> float:
    """The width of a merged range: the sum of its columns (a stored width already holds the cell's padding)."""
    return sum(widths)


def breaks(text: str, line: Line) -> list[tuple[int, int]]:
    """Each wrapped line as (end, next start) offsets in `text`: greedy at spaces, as the office clients wrap.

    Measured in font units by the glyphs' advances (`cum[k]`: the width of text[:k]); each line is the
    longest run that fits, found by bisection, ended at its last space. A word longer than the line is
    broken by the client after a hyphen before a letter, else where the line is full, so it is here too
    (a column is made wide enough that this does not happen: `longest_word`).
    """
    room = line.points * UNITS / line.size
    cum = list(accumulate(map(_ADVANCES[line.bold].__getitem__, text), initial=0))
    out: list[tuple[int, int]] = []
    pos = 0
    for para in text.split("\n"):
        i, end = pos, pos + len(para)
        while cum[end] - cum[i] > room:
            p = bisect_right(cum, cum[i] + room, i, end + 1) - 1  # text[i:p] is the most that fits
            j = text.rfind(" ", i + 1, p + 1)
            if j > i:
                out.append((j, j + 1))
                i = j + 1
            else:  # one word wider than the line
                k = _hyphen_before(text, i, p)
                b = k if k > i else max(p, i + 1)
                out.append((b, b))
                i = b
        out.append((end, end + 1))
        pos = end + 1
    return out


def _hyphen_before(text: str, start: int, stop: int) -> int:
    """The last place in text[start:stop] right after a hyphen that a letter follows (a client wraps there), or -1."""
    k = text.rfind("-", start, stop)
    while k >= start:
        if k + 1 < len(text) and text[k + 1].isalpha():
            return k + 1
        k = text.rfind("-", start, k)
    return -1


@lru_cache(maxsize=1 << 16)
def lines(text: str, line: Line) -> int:
    """Wrapped lines of `text` in a cell whose line is `line`. Cached: a list repeats its texts (an agency, the
    criteria, a ground) row after row, and measuring is most of what writing a long list costs."""
    if "\n" not in text and (len(text) <= line.chars or text_width(text, line.size, line.bold) <= line.points):
        return 1
    return len(breaks(text, line))


def height(n: int, size: int = SIZE) -> float:
    """Points for `n` lines of `size`-point text, padding included (never above Excel's 409)."""
    return min(ROW_LIMIT, round(n * LINE * size + PAD_PT, 1))


def max_lines(size: int = SIZE) -> int:
    """The most lines a row of `size`-point text can show within Excel's 409 pt."""
    return int((ROW_LIMIT - PAD_PT) / (LINE * size))


def cut(text: str, cap: Line, most: int, limit: int = CELL_LIMIT) -> tuple[str, str]:
    """Split `text` into what fits in `most` lines and `limit` characters, and the rest (at a line or word)."""
    end = nxt = 0
    for n, (e, s) in enumerate(breaks(text, cap), 1):
        if n > most or e > limit:
            break
        end, nxt = e, s
    if end == 0:  # not even one line fits the limit: a hard cut
        end = nxt = min(len(text), limit)
    return text[:end].rstrip(), text[nxt:].lstrip()


@dataclass
class Continuations:
    """The rests of texts cut for Excel's limits, to be written on the sheet «Продолжение»."""

    rows: list[list[Any]] = field(default_factory=list)  # №, sheet, row, column, text
    count: int = 0  # texts continued

    WIDTH = 80.0  # the continuation text column

    def cut(self, text: str, cap: Line, most: int, sheet: str, row: int, column: str) -> tuple[str, int]:
        """The cell's text shortened to fit, ending with where the rest went; and its number of lines."""
        self.count += 1
        marker = f"… (продолжение на листе «{CONT_SHEET}», № {self.count})"
        head, rest = cut(text, cap, most - lines(marker, cap), CELL_LIMIT - len(marker) - 1)
        shown = f"{head}\n{marker}" if head else marker
        part_cap, part_most = capacity(self.WIDTH), max_lines()
        while rest:
            part, rest = cut(rest, part_cap, part_most, CELL_LIMIT)
            self.rows.append([self.count, sheet, row, column, part])
        return shown, lines(shown, cap)


_SPECIAL = re.compile('[&<>"\x00-\x08\x0b\x0c\x0e-\x1f]')


# ---- styles ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Look:
    """One cell style: font, border, fill, alignment, number format."""

    bold: bool = False
    italic: bool = False
    size: int = SIZE
    border: bool = False
    fill: bool = False
    h: str = ""  # left | center | right | "" (general)
    v: str = "top"
    wrap: bool = True
    fmt: int = 0  # 164 dd.mm.yyyy, 165 dd.mm.yyyy hh:mm


# the list writer's fixed styles, in this order: TITLE, SUB, HEAD, NUM, TEXT, DATE, MOMENT, NUMBER = 1…8
BASE = [Look(wrap=False, v=""),
        Look(bold=True, size=12, h="center", v="center"),
        Look(italic=True, wrap=False, v=""),
        Look(bold=True, border=True, fill=True, h="center", v="center"),
        Look(size=9, border=True, h="center", v="", wrap=False),
        Look(border=True),
        Look(border=True, h="center", wrap=False, fmt=164),
        Look(border=True, wrap=False, fmt=165),
        Look(border=True, wrap=False)]


class Styles:
    """The package's cell styles, added on first use; the index is what a cell's `s=` names."""

    def __init__(self) -> None:
        self.looks: list[Look] = []
        self._index: dict[Look, int] = {}
        for look in BASE:
            self.of(look)

    def of(self, look: Look) -> int:
        if look not in self._index:
            self._index[look] = len(self.looks)
            self.looks.append(look)
        return self._index[look]

    def xml(self) -> str:
        fonts: dict[tuple[bool, bool, int], int] = {}
        xfs = []
        for k in self.looks:
            font = fonts.setdefault((k.bold, k.italic, k.size), len(fonts))
            fill = 2 if k.fill else 0
            align = "".join((f' horizontal="{k.h}"' if k.h else "", f' vertical="{k.v}"' if k.v else "",
                             ' wrapText="1"' if k.wrap else ""))
            xfs.append(f'<xf numFmtId="{k.fmt}" fontId="{font}" fillId="{fill}" borderId="{int(k.border)}" xfId="0"'
                       ' applyFont="1" applyFill="1" applyBorder="1" applyNumberFormat="1" applyAlignment="1">'
                       f'<alignment{align}/></xf>')
        font_xml = "".join(f'<font>{"<b/>" if b else ""}{"<i/>" if i else ""}<sz val="{s}"/><name val="{FONT}"/>'
                           '</font>' for (b, i, s) in fonts)
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<numFmts count="2"><numFmt numFmtId="164" formatCode="dd.mm.yyyy"/>'
            '<numFmt numFmtId="165" formatCode="dd.mm.yyyy hh:mm"/></numFmts>'
            f'<fonts count="{len(fonts)}">{font_xml}</fonts>'
            '<fills count="3"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid">'
            '<fgColor rgb="FFF2F2F2"/><bgColor indexed="64"/></patternFill></fill></fills>'
            '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
            '<border><left style="thin"/><right style="thin"/><top style="thin"/><bottom style="thin"/><diagonal/>'
            '</border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
            f'</cellStyleXfs><cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')


# ---- cells and sheets -----------------------------------------------------------------------------------------

def text_cell(ref: str, value: str, style: int) -> str:
    """An inline string: a text stays a text, whatever it starts with (never a formula)."""
    if _SPECIAL.search(value):  # most texts need no escaping, and str.translate costs a lookup per character
        value = value.translate(ESCAPE)
    return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t xml:space="preserve">{value}</t></is></c>'


def value_cell(ref: str, v: Any, style: Mapping[str, int]) -> str:
    """One value as both writers put it: moments and dates as numbers in Russian formats, a number as a number,
    anything else as text. `style` gives the cell style for each kind: text, moment, date, number, mark."""
    if v is None or v == "":
        return f'<c r="{ref}" s="{style["text"]}"/>'
    if isinstance(v, datetime):
        return f'<c r="{ref}" s="{style["moment"]}"><v>{serial(v)!r}</v></c>'
    if isinstance(v, date):
        return f'<c r="{ref}" s="{style["date"]}"><v>{day_serial(v)}</v></c>'
    if isinstance(v, bool):
        return text_cell(ref, "да" if v else "нет", style["text"])
    if isinstance(v, (int, float)):
        return f'<c r="{ref}" s="{style["number"]}"><v>{v}</v></c>'
    if v == MARK:
        return text_cell(ref, v, style["mark"])
    return text_cell(ref, str(v), style["text"])


def row_xml(r: int, cells: str, ht: float | None = None) -> str:
    return f'<row r="{r}" ht="{ht}" customHeight="1">{cells}</row>' if ht else f'<row r="{r}">{cells}</row>'


def sheet_head(widths: list[float], frozen: int = 0) -> str:
    """The worksheet's opening up to <sheetData>: fit to page, the frozen header, the column widths."""
    cols = "".join(f'<col min="{i + 1}" max="{i + 1}" width="{w:g}" customWidth="1"/>' for i, w in enumerate(widths))
    pane = (f'<pane ySplit="{frozen}" topLeftCell="A{frozen + 1}" activePane="bottomLeft" state="frozen"/>'
            if frozen else "")
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
            f'<sheetViews><sheetView workbookViewId="0">{pane}</sheetView></sheetViews>'
            f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData>')


def sheet_tail(merges: list[str], landscape: bool, margin: float = 0.4, pages_tall: int = 0,
               drawing: bool = False, breaks: list[int] | None = None) -> str:
    """The worksheet's end: merged ranges, A4 fit to width (and to `pages_tall` pages if set), page numbers in
    the footer, the manual page breaks (after each row of `breaks`), and the sheet's drawing (a chart,
    render/xlsx_chart) as its relationship rId1."""
    merge = (f'<mergeCells count="{len(merges)}">' + "".join(f'<mergeCell ref="{m}"/>' for m in merges)
             + "</mergeCells>") if merges else ""
    drawn = '<drawing r:id="rId1"/>' if drawing else ""
    ends = (f'<rowBreaks count="{len(breaks)}" manualBreakCount="{len(breaks)}">'
            + "".join(f'<brk id="{r}" max="16383" man="1"/>' for r in breaks) + "</rowBreaks>") if breaks else ""
    return (f'</sheetData>{merge}<pageMargins left="{margin}" right="{margin}" top="0.5" bottom="0.6" header="0.3" '
            f'footer="0.3"/><pageSetup paperSize="9" orientation="{"landscape" if landscape else "portrait"}" '
            f'fitToWidth="1" fitToHeight="{pages_tall}"/>{FOOTER}{ends}{drawn}</worksheet>')


def tab_names(names: list[str]) -> list[str]:
    """The sheets' tabs as written: Excel's forbidden characters blanked, 31 characters, each unique.

    A chart's ranges name the tab (render/xlsx_chart.ref), so they must be the same names the workbook holds."""
    used: set[str] = set()
    out = []
    for i, name in enumerate(names, 1):
        clean = re.sub(r"[\[\]:*?/\\]", " ", name[:31]).strip() or f"Лист{i}"
        while clean in used:
            clean = f"{clean[:28]}_{i}"
        used.add(clean)
        out.append(clean)
    return out


def package(z: zipfile.ZipFile, sheets: list[tuple[str, tuple[int, int] | None]], styles: Styles,
            charts: int = 0) -> None:
    """The parts around the sheets: content types, relationships, workbook with print titles, styles.

    `charts`: how many drawings with a chart each the caller wrote (xl/drawings/drawingK.xml,
    xl/charts/chartK.xml, K = 1…), for their content types."""
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
                  for i in range(1, n + 1))
        + "".join(f'<Override PartName="/xl/drawings/drawing{k}.xml" '
                  'ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"/>'
                  f'<Override PartName="/xl/charts/chart{k}.xml" '
                  'ContentType="application/vnd.openxmlformats-officedocument.drawingml.chart+xml"/>'
                  for k in range(1, charts + 1)) + "</Types>"))
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
    tabs, titles = [], []
    for i, ((_, repeat), clean) in enumerate(zip(sheets, tab_names([name for name, _ in sheets]), strict=True), 1):
        quoted = clean.replace("'", "''").translate(ESCAPE)
        tabs.append(f'<sheet name="{clean.translate(ESCAPE)}" sheetId="{i}" r:id="rId{i}"/>')
        if repeat:
            titles.append(f'<definedName name="_xlnm.Print_Titles" localSheetId="{i - 1}">'
                          f"'{quoted}'!${repeat[0]}:${repeat[1]}</definedName>")
    names = f'<definedNames>{"".join(titles)}</definedNames>' if titles else ""
    z.writestr("xl/workbook.xml", (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets>{"".join(tabs)}</sheets>{names}</workbook>'))
    z.writestr("xl/styles.xml", styles.xml())
