"""A per-case form as the appendix draws it: blocks top to bottom on one A4 sheet.

The list exports (journal, bank, …) are one table each and stream through
`render.xlsx.Sheet`. The per-case forms of 004 App. 2–5 are documents: an
appendix header at the right, a title, numbered sections of label–value
tables, checklists, tables with a header row, an approval block, signature
lines. `services/papers/forms.py` builds a `Form` from the registry in the seed's
words; `render/xlsx.write_forms` lays the blocks out on a fixed grid of
columns that fits the width of an A4 page, each table's columns spanning
the grid, rows as tall as their wrapped text.

A block is plain data: a form can be checked in tests (and compared with the
seed's headings) without rendering it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Union


@dataclass
class Para:
    """A line of text outside any table: the appendix header, a title, a note."""

    text: str
    align: str = "left"  # left | center | right
    bold: bool = False
    size: int = 10  # points: the body text of the XLSX papers (render/xlsx_paper.SIZE)


@dataclass
class Heading:
    """A section heading: «1. Общие сведения»."""

    text: str


@dataclass
class Pairs:
    """A two-column table of label and value (the seed's «Ф.И.О. несовершеннолетнего | …»)."""

    rows: list[tuple[str, Any]]
    label_share: float = 0.4  # the label column's share of the width
    bold_labels: set[int] = field(default_factory=set)  # rows whose label is a sub-heading («Жилищные условия»)


@dataclass
class Table:
    """A bordered table: a header row, optionally the form's numbered column row, then rows.

    `widths` are relative shares of the page width (any scale); values are
    texts, numbers, dates or None (an empty cell).
    """

    headers: list[str]
    widths: list[float]
    rows: list[list[Any]]
    numbers: list[str] | None = None
    group_headers: list[tuple[str, int]] | None = None  # a row above the header: (text, columns spanned)


@dataclass
class Signature:
    """A signature line: position, a line to sign on, the name, the date (printed or a blank to fill)."""

    position: str
    name: str = ""
    date: str = ""  # «__.__.20__» when empty


@dataclass
class Form:
    """One form, one sheet: the blocks in order."""

    sheet: str  # the sheet tab, ≤ 31 characters
    blocks: list[Block]
    landscape: bool = False
    notes: list[str] = field(default_factory=list)  # what the form had to leave out or split («продолжение…»)
    # set by render/xlsx.write_forms: texts too long for a cell or a row, continued on the sheet «Продолжение»
    continued: int = 0


Block = Union[Para, Heading, Pairs, Table, Signature]
MARK = "✓"  # a checked box in a checklist; an unchecked one is left empty, as on paper
