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

import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sopcli.render.form import Form, Heading, Pairs, Para, Signature, Table
from sopcli.render.xlsx_paper import (
    CELL_LIMIT,
    CONT_SHEET,
    Continuations,
    Look,
    Styles,
    capacity,
    col,
    height,
    lines,
    max_lines,
    merged_width,
    package,
    row_xml,
    sheet_head,
    sheet_tail,
    value_cell,
)

GRID = 24  # grid columns
# A4 less 0.6-inch margins is 7.07 in (679 px at 96 dpi) portrait, 10.49 in (1007 px) landscape; a column of
# width w is 7 w + 5 px wide, so 24 columns of these widths fill the line
UNIT = {False: 3.3, True: 5.25}
MARGIN = 0.6
BLANK_DATE = "«___» _________ 20__ г."
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
    """The rows of one form as they are laid out: XML, merged ranges, the continuation bookkeeping."""

    def __init__(self, form: Form, styles: Styles, cont: Continuations) -> None:
        self.form, self.styles, self.cont = form, styles, cont
        self.unit = UNIT[form.landscape]
        self.rows: list[str] = []
        self.merges: list[str] = []
        self.r = 0

    def blank(self, ht: float = 8) -> None:
        self.r += 1
        self.rows.append(row_xml(self.r, "", ht))

    def row(self, cells: list[_Cell]) -> None:
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


def spans(widths: list[float], total: int = GRID) -> list[int]:
    """Grid columns for each table column: proportional to `widths`, at least one each, by largest remainder."""
    n = len(widths)
    if n > total:
        raise ValueError(f"a table of {n} columns does not fit a grid of {total}")
    scale = sum(widths) or n
    share = [(w or 0) / scale * (total - n) for w in widths]  # one column each is given before sharing the rest
    base = [1 + int(s) for s in share]
    order = sorted(range(n), key=lambda i: share[i] - int(share[i]), reverse=True)
    for i in order[: total - sum(base)]:
        base[i] += 1
    return base


def _form_xml(form: Form, styles: Styles, cont: Continuations) -> str:
    lay = _Layout(form, styles, cont)
    before = cont.count
    for block in form.blocks:
        _BLOCKS[type(block)](lay, block)
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
            + sheet_tail(lay.merges, form.landscape, MARGIN))


def _para(lay: _Layout, p: Para) -> None:
    first = GRID // 2 if p.align == "right" else 0  # the appendix header sits in the right half
    h = {"left": "left", "center": "center", "right": "right"}.get(p.align, "left")
    lay.row([_Cell(first, GRID - first, p.text, Look(bold=p.bold, size=p.size, h=h))])


def _heading(lay: _Layout, h: Heading) -> None:
    lay.blank()
    lay.row([_Cell(0, GRID, h.text, Look(bold=True, h="left"))])


def _pairs(lay: _Layout, p: Pairs) -> None:
    left = min(GRID - 1, max(1, round(GRID * p.label_share)))
    for i, (label, value) in enumerate(p.rows):
        bold = i in p.bold_labels
        lay.row([_Cell(0, left, label, Look(bold=bold, border=True)),
                 _Cell(left, GRID - left, value, Look(bold=bold, border=True, h="left"))])


def _table(lay: _Layout, t: Table) -> None:
    sp = spans(t.widths)
    starts = [sum(sp[:i]) for i in range(len(sp))]
    head = Look(bold=True, border=True, fill=True, h="center", v="center")
    if t.group_headers:
        cells, k = [], 0
        for text, n in t.group_headers:
            cells.append(_Cell(starts[k], sum(sp[k:k + n]), text, head))
            k += n
        lay.row(cells)
    lay.row([_Cell(starts[i], sp[i], h, head) for i, h in enumerate(t.headers)])
    if t.numbers:
        lay.row([_Cell(starts[i], sp[i], v, Look(size=9, border=True, h="center", v="center"))
                 for i, v in enumerate(t.numbers)])
    for values in t.rows:
        lay.row([_Cell(starts[i], sp[i], v, Look(border=True, h="center" if isinstance(v, date) else ""))
                 for i, v in enumerate(values)])


def _signature(lay: _Layout, s: Signature) -> None:
    starts = [sum(SIGN_SPANS[:i]) for i in range(4)]
    lay.blank(14)
    plain, line = Look(v="bottom"), Look(v="bottom", h="center")
    lay.row([_Cell(starts[0], SIGN_SPANS[0], s.position, plain),
             _Cell(starts[1], SIGN_SPANS[1], SIGN_LINE, line),
             _Cell(starts[2], SIGN_SPANS[2], s.name, line),
             _Cell(starts[3], SIGN_SPANS[3], s.date or BLANK_DATE, line)])
    small = Look(size=8, italic=True, h="center")
    lay.row([_Cell(starts[i + 1], SIGN_SPANS[i + 1], text, small) for i, text in enumerate(CAPTIONS)])


_BLOCKS = {Para: _para, Heading: _heading, Pairs: _pairs, Table: _table, Signature: _signature}
