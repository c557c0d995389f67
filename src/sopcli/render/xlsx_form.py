"""A per-case form (render/form.Form) on one A4 sheet: blocks laid out on a fixed grid of narrow columns.

Why a grid: the form's tables have different columns (a two-column label and
value, a five-column family table, a signature line) but the page has one set
of column widths. Every block spans whole grid columns through merged cells,
so each table gets the widths it asks for and the whole form fits the width
of A4 at 100 %. Forms are small, so each row is built whole and measured
(rows as tall as their widest-wrapping merged cell); the streaming path of
render/xlsx is for the long lists.
"""

from __future__ import annotations

import math
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sopcli.render.form import Form, Heading, Pairs, Para, Signature, Table
from sopcli.render.xlsx_paper import (
    CELL_LIMIT,
    CONT_SHEET,
    PAGE_PT,
    SIZE,
    Continuations,
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
    units_for,
    value_cell,
)

GRID = 24  # grid columns
# A4 less 0.6-inch margins is 509 pt portrait, 756 pt landscape; LibreOffice draws a unit of width as Arial 10's
# digit, 5.56 pt (Excel 5.25 pt), so 24 columns of these widths fill the line without being scaled down
UNIT = {False: 3.75, True: 5.6}
MARGIN = 0.6
BLANK_DATE = "«___»\u00a0________\u00a020__\u00a0г."  # never parted over lines (no-break spaces)
SIGN_LINE = "________________"
CAPTIONS = ("(подпись)", "(расшифровка подписи)", "(дата)")
SIGN_SPANS = (7, 5, 6, 6)  # position | signature | name | date, of GRID


@dataclass
class _Cell:
    """One merged cell of a form row: grid columns first…first+span-1."""

    first: int
    span: int
    value: Any
    look: Look


def write_form_sheets(path: Path, forms: list[Form]) -> int:
    """The package of forms into `path` as it is (the caller holds atomic_private); returns the forms written."""
    styles, cont = Styles(), Continuations()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        names: list[tuple[str, tuple[int, int] | None]] = []
        for n, form in enumerate(forms, 1):
            z.writestr(f"xl/worksheets/sheet{n}.xml", _form_xml(form, styles, cont))
            names.append((form.sheet, None))
        if cont.rows:
            from sopcli.render.xlsx import _sheet, continuation_sheet

            with z.open(f"xl/worksheets/sheet{len(forms) + 1}.xml", "w") as raw:
                _sheet(raw, continuation_sheet(cont), None, styles, Continuations())
            names.append((CONT_SHEET, (2, 2)))
        package(z, names, styles)
    return len(forms)


class _Layout:
    """The rows of one form as they are laid out: XML, merged ranges, page breaks, the continuation bookkeeping."""

    def __init__(self, form: Form, styles: Styles, cont: Continuations) -> None:
        self.form, self.styles, self.cont = form, styles, cont
        self.unit = UNIT[form.landscape]
        self.rows: list[str] = []
        self.merges: list[str] = []
        self.r = 0
        self.page = PAGE_PT[form.landscape]
        self.used = 0.0  # points of rows on the current page
        self.breaks: list[int] = []  # the rows after which a page ends
        self.head: list[list[_Cell]] = []  # the head rows of the table being laid out: repeated after a break

    def blank(self, ht: float = 8) -> None:
        self.r += 1
        self.rows.append(row_xml(self.r, "", ht))
        self.used += ht

    def keep(self, need: float) -> None:
        """Rows of `need` points to come must share a page: end this one first if they would not fit on it."""
        if self.used and self.used + need > self.page:
            self.new_page()

    def new_page(self) -> None:
        """End the page after the last row; a table under way repeats its head rows at the top of the next."""
        self.breaks.append(self.r)
        self.used = 0.0
        for cells in self.head:
            self._emit(cells)

    def measure(self, cells: list[_Cell]) -> float:
        """The height row `cells` will get (a text past Excel's 409 pt is cut to it)."""
        tall, size = 1, SIZE
        for c in cells:
            n, sz = self._lines(c)
            if n * sz > tall * size:
                tall, size = n, sz
        return height(tall, size)

    def _lines(self, c: _Cell) -> tuple[int, int]:
        if isinstance(c.value, str) and c.value:
            n = lines(c.value, capacity(merged_width([self.unit] * c.span), c.look.size, c.look.bold))
            return min(n, max_lines(c.look.size)), c.look.size
        return 1, c.look.size

    def row(self, cells: list[_Cell]) -> None:
        """One row of merged cells on the page it fits on (a new page repeats a table's head)."""
        self.keep(self.measure(cells))
        self._emit(cells)

    def _emit(self, cells: list[_Cell]) -> None:
        """One row of merged cells, as tall as the tallest wrapped text in it (cut at Excel's limits)."""
        self.r += 1
        r = self.r
        tall, size, xml = 1, 11, []
        for c in cells:
            v, look = c.value, c.look
            width = merged_width([self.unit] * c.span)
            if isinstance(v, str) and v:
                cap = capacity(width, look.size, look.bold)
                n = lines(v, cap)
                if n > max_lines(look.size) or len(v) > CELL_LIMIT:
                    v, n = self.cont.cut(v, cap, max_lines(look.size), self.form.sheet, r, _column_name(cells, c))
                if n * look.size > tall * size:
                    tall, size = n, look.size
            elif look.size > size:
                size = look.size
            xml.append(self._value(f"{col(c.first)}{r}", v, look))
            style = self.styles.of(look)
            xml.extend(f'<c r="{col(i)}{r}" s="{style}"/>' for i in range(c.first + 1, c.first + c.span))
            if c.span > 1:
                self.merges.append(f"{col(c.first)}{r}:{col(c.first + c.span - 1)}{r}")
        self.rows.append(row_xml(r, "".join(xml), height(tall, size)))
        self.used += height(tall, size)

    def _value(self, ref: str, v: Any, look: Look) -> str:
        """A value as the list sheets write it, in this cell's look (a mark centred, a number unwrapped)."""
        of = self.styles.of
        return value_cell(ref, v, {"text": of(look), "moment": of(_with(look, fmt=165)),
                                   "date": of(_with(look, fmt=164)), "number": of(_with(look, wrap=False)),
                                   "mark": of(_with(look, h="center"))})


def _with(look: Look, **changes: Any) -> Look:
    from dataclasses import replace

    return replace(look, **changes)


def _column_name(cells: list[_Cell], c: _Cell) -> str:
    """How the sheet «Продолжение» names the cell a text came from: its label in a Pairs row, else its place."""
    i = cells.index(c)
    if i > 0 and isinstance(cells[0].value, str):
        return cells[0].value[:80]
    return f"графа {i + 1}"


def spans(widths: list[float], total: int = GRID, least: list[int] | None = None) -> list[int]:
    """Grid columns for each table column: proportional to `widths`, at least one each, by largest remainder;
    then each given at least its `least` (the columns its longest word needs), taken from the roomiest."""
    n = len(widths)
    if n > total:
        raise ValueError(f"a table of {n} columns does not fit a grid of {total}")
    scale = sum(widths) or n
    share = [(w or 0) / scale * (total - n) for w in widths]  # one column each is given before sharing the rest
    base = [1 + int(s) for s in share]
    order = sorted(range(n), key=lambda i: share[i] - int(share[i]), reverse=True)
    for i in order[: total - sum(base)]:
        base[i] += 1
    need = least or [1] * n
    for i in range(n):
        while base[i] < need[i]:
            j = max(range(n), key=lambda k: (base[k] - need[k], base[k]))
            if base[j] <= need[j]:  # nothing to spare: the words are wider than the page
                break
            base[j] -= 1
            base[i] += 1
    return base


def least_spans(columns: list[list[Any]], unit: float, bold_first: bool = True) -> list[int]:
    """The grid columns each table column needs for its longest word (its first value, the head, in bold)."""
    out = []
    for values in columns:
        widest = 0.0
        for k, v in enumerate(values):
            text = _shown(v)
            if text:
                widest = max(widest, longest_word(text, bold=bold_first and k == 0))
        out.append(max(1, math.ceil(units_for(widest) / unit - 1e-9)))
    return out


def _shown(v: Any) -> str:
    """A value as the cell prints it, for measuring: a date as dd.mm.yyyy, a moment with its time."""
    if isinstance(v, datetime):
        return f"{v:%d.%m.%Y %H:%M}"
    if isinstance(v, date):
        return f"{v:%d.%m.%Y}"
    return "" if v is None else str(v)


def _form_xml(form: Form, styles: Styles, cont: Continuations) -> str:
    lay = _Layout(form, styles, cont)
    before = cont.count
    blocks = form.blocks
    for i, block in enumerate(blocks):
        after = blocks[i + 1] if i + 1 < len(blocks) else None
        if isinstance(block, Heading):  # a heading never ends a page: it goes with its block's first rows
            tail = _opening(lay, after) if after is not None else 0.0
        else:  # a signature keeps the line above it
            tail = _opening(lay, after) if isinstance(after, Signature) else 0.0
        _BLOCKS[type(block)](lay, block, tail)
    form.continued = cont.count - before
    notes = list(form.notes)
    if form.continued:
        notes.append(f"Тексты, не уместившиеся в ячейку ({form.continued}), продолжены на листе «{CONT_SHEET}» "
                     "под номерами, указанными в ячейках.")
        form.notes = notes
    if notes:
        lay.blank()
    for note in notes:
        lay.row([_Cell(0, GRID, note, Look(italic=True))])
    return (sheet_head([lay.unit] * GRID) + "".join(lay.rows)
            + sheet_tail(lay.merges, form.landscape, MARGIN, breaks=lay.breaks))


def _opening(lay: _Layout, block: Any) -> float:
    """The height of `block`'s first rows, which the block before it keeps on its page."""
    if isinstance(block, Table):
        head, rows = _table_rows(lay, block)
        return sum(lay.measure(c) for c in head + rows[:1])
    if isinstance(block, Pairs):
        return lay.measure(_pair_rows(lay, block)[0]) if block.rows else 0.0
    if isinstance(block, Signature):
        return 14 + sum(lay.measure(c) for c in _signature_rows(block))
    if isinstance(block, Heading):
        return 8 + lay.measure(_heading_row(block))
    if isinstance(block, Para):
        return lay.measure(_para_row(block))
    return 0.0


def _para_row(p: Para) -> list[_Cell]:
    first = GRID // 2 if p.align == "right" else 0  # the appendix header sits in the right half
    h = {"left": "left", "center": "center", "right": "right"}.get(p.align, "left")
    return [_Cell(first, GRID - first, p.text, Look(bold=p.bold, size=p.size, h=h))]


def _para(lay: _Layout, p: Para, tail: float = 0.0) -> None:
    cells = _para_row(p)
    lay.keep(lay.measure(cells) + tail)
    lay.row(cells)


def _heading_row(h: Heading) -> list[_Cell]:
    return [_Cell(0, GRID, h.text, Look(bold=True, h="left"))]


def _heading(lay: _Layout, h: Heading, tail: float = 0.0) -> None:
    cells = _heading_row(h)
    lay.keep(8 + lay.measure(cells) + tail)
    lay.blank()
    lay.row(cells)


def _pair_rows(lay: _Layout, p: Pairs) -> list[list[_Cell]]:
    share = min(GRID - 1, max(1, round(GRID * p.label_share)))
    need = least_spans([[label for label, _ in p.rows], [v for _, v in p.rows]], lay.unit, bold_first=False)
    left = max(need[0], min(share, GRID - need[1]))
    out = []
    for i, (label, value) in enumerate(p.rows):
        bold = i in p.bold_labels
        out.append([_Cell(0, left, label, Look(bold=bold, border=True)),
                    _Cell(left, GRID - left, value, Look(bold=bold, border=True, h="left"))])
    return out


def _pairs(lay: _Layout, p: Pairs, tail: float = 0.0) -> None:
    rows = _pair_rows(lay, p)
    for k, cells in enumerate(rows):
        lay.keep(lay.measure(cells) + (tail if k == len(rows) - 1 else 0.0))
        lay.row(cells)


def _table_rows(lay: _Layout, t: Table) -> tuple[list[list[_Cell]], list[list[_Cell]]]:
    """The table's head rows (group headers, headers, numbers) and its data rows, on the grid."""
    columns = [[h, *(row[i] for row in t.rows)] for i, h in enumerate(t.headers)]
    sp = spans(t.widths, least=least_spans(columns, lay.unit))
    starts = [sum(sp[:i]) for i in range(len(sp))]
    head = Look(bold=True, border=True, fill=True, h="center", v="center")
    top: list[list[_Cell]] = []
    if t.group_headers:
        cells, k = [], 0
        for text, n in t.group_headers:
            cells.append(_Cell(starts[k], sum(sp[k:k + n]), text, head))
            k += n
        top.append(cells)
    top.append([_Cell(starts[i], sp[i], h, head) for i, h in enumerate(t.headers)])
    if t.numbers:
        top.append([_Cell(starts[i], sp[i], v, Look(size=9, border=True, h="center", v="center"))
                    for i, v in enumerate(t.numbers)])
    rows = [[_Cell(starts[i], sp[i], v, Look(border=True, h="center" if isinstance(v, date) else ""))
             for i, v in enumerate(values)] for values in t.rows]
    return top, rows


def _table(lay: _Layout, t: Table, tail: float = 0.0) -> None:
    """The head with the first row on one page; a row that starts a new page brings the head along."""
    top, rows = _table_rows(lay, t)
    lay.keep(sum(lay.measure(c) for c in top + rows[:1]) + (tail if len(rows) <= 1 else 0.0))
    for cells in top:
        lay.row(cells)
    lay.head = top
    for k, cells in enumerate(rows):
        lay.keep(lay.measure(cells) + (tail if k == len(rows) - 1 else 0.0))
        lay.row(cells)
    lay.head = []


def _signature_rows(s: Signature) -> list[list[_Cell]]:
    starts = [sum(SIGN_SPANS[:i]) for i in range(4)]
    plain, line = Look(v="bottom"), Look(v="bottom", h="center")
    small = Look(size=8, italic=True, h="center")
    return [[_Cell(starts[0], SIGN_SPANS[0], s.position, plain),
             _Cell(starts[1], SIGN_SPANS[1], SIGN_LINE, line),
             _Cell(starts[2], SIGN_SPANS[2], s.name, line),
             _Cell(starts[3], SIGN_SPANS[3], s.date or BLANK_DATE, line)],
            [_Cell(starts[i + 1], SIGN_SPANS[i + 1], text, small) for i, text in enumerate(CAPTIONS)]]


def _signature(lay: _Layout, s: Signature, tail: float = 0.0) -> None:
    rows = _signature_rows(s)
    lay.keep(14 + sum(lay.measure(c) for c in rows) + tail)
    lay.blank(14)
    for cells in rows:
        lay.row(cells)


_BLOCKS = {Para: _para, Heading: _heading, Pairs: _pairs, Table: _table, Signature: _signature}
