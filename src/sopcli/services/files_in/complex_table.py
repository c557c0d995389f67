"""A regional complex of measures (002) read from its table as written: sections, numbers, texts,
periods and executors — the input of `measures import` (issue 6).

The table arrives as tab-separated text (what Word's "save as text" gives, and
how the seed keeps it): a row per measure, a Roman-numbered line per section,
and continuation lines (starting with a tab, or without one) that carry on the
text, the period or the executors of the row above. Executors are one per
paragraph or line, or separated by commas where the next name starts with a
capital ("органы местного самоуправления муниципальных районов, городских
округов" is one executor).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sopcli.deadlines.periods import span_of

_SECTION = re.compile(r"^([IVXLC]+)\.\s+(.+)$")


@dataclass
class ComplexMeasure:
    section: str
    number: str
    text: str
    period: str
    executors: list[str]
    line: int  # where the row starts in the source, for messages


@dataclass
class Complex:
    title: str
    span: tuple[int, int] | None
    sections: list[str] = field(default_factory=list)
    measures: list[ComplexMeasure] = field(default_factory=list)


# where a new executor's name begins when a converted table ran several into one line
_STARTERS = (r"Департамент|Главное управление|УМВД|СУ СК|УФССП|Уполномоченный|Комиссия|ГАУ|"
             r"СОГБУ|ОГБУ|ОГКУ|ФКУ|Министерство|Администрация|Прокуратура|органы местного самоуправления|"
             r"комиссии по делам|субъекты системы профилактики")
# a line that begins with one of these is a new executor even in lower case
_LINE_STARTERS = rf"{_STARTERS}|органы|комиссии|субъекты|образовательные|медицинские|организации|учреждения"
_SPLIT = re.compile(rf"\s+(?=(?:{_STARTERS})\b)|,\s*(?=[А-ЯЁA-Z])")


def split_executors(cell: str) -> list[str]:
    """One per paragraph or line, or where a new agency's name begins; brackets stay with their executor.

    A line that starts in lower case and is not an agency's name continues the
    line above (a name broken across lines by the conversion).
    """
    kept: list[str] = []

    def mask(m: re.Match[str]) -> str:
        kept.append(m[0])
        return f"\x00{len(kept) - 1}\x00"

    masked = re.sub(r"\([^)]*\)", mask, cell)
    lines: list[str] = []
    for part in re.split(r"</?p>|\n|;", masked):
        part = " ".join(part.split()).strip(" ,.")
        if not part:
            continue
        if lines and part[0].islower() and not re.match(rf"(?:{_LINE_STARTERS})\b", part):
            lines[-1] = f"{lines[-1]} {part}"
        else:
            lines.append(part)
    out = []
    for line in lines:
        for piece in _SPLIT.split(line):
            name = re.sub(r"\x00(\d+)\x00", lambda m: kept[int(m[1])], piece).strip(" ,.")
            if name:
                out.append(name)
    return list(dict.fromkeys(out))


def _join(a: str, b: str) -> str:
    b = " ".join(b.split())
    return f"{a} {b}".strip() if b else a


def read_text_table(text: str) -> Complex:
    """Tab-separated text (Word's "save as text"): the same reading as any other table."""
    from sopcli.errors import InvalidInput
    from sopcli.services.files_in.table_files import MAX_ROWS

    if text.count("\n") > MAX_ROWS:  # counted before a million rows are split into lists
        raise InvalidInput(f"В таблице больше {MAX_ROWS:,} строк — это не комплекс мер.".replace(",", " "))
    rows = [[cell.strip() for cell in line.split("\t")] for line in text.splitlines()]
    return read_rows_table(rows, None)


# -- the same complex from a spreadsheet or a Word table ---------------------------------------
_HEADERS = {"number": r"^№|^n п п|^номер", "text": r"мероприят", "period": r"срок", "executors": r"исполнител"}


# A cell as text: control characters (a NUL PostgreSQL refuses to store, an ESC that would reach the
# terminal) become spaces; invisible format characters (zero-width, direction marks, soft hyphen — Word
# leaves them) are dropped, so «ноябрь\u200b 2020 года» is still a period the reader understands.
_SCRUB = {**{c: " " for c in (*range(0, 9), 11, 12, *range(14, 32), *range(0x7F, 0xA0))},
          **dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u202a\u202b\u202c"
                                   "\u202d\u202e\u2066\u2067\u2068\u2069"))}
TEXT_LIMIT = 10_000  # as a typed text (services/steps/lifecycle.py): a cell longer than a page is not a measure
NUMBER_LIMIT = 20  # the column's width (models/complex.py)


def _cell_text(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return "" if v is None else str(v).translate(_SCRUB).strip()


_NUMBER = re.compile(r"^(\d+(?:\.\d+)*)\.?$")


def _strip_tags(text: str) -> str:
    return " ".join(re.sub(r"</?p>", " ", text).split())


def _header_columns(row: list[Any]) -> dict[str, int]:
    """The columns a row names, each by the first of `_HEADERS` its cell matches and not taken yet."""
    from sopcli.services.files_in.reconcile_list import norm

    found: dict[str, int] = {}
    for c, v in enumerate(row):
        h = "№" if _cell_text(v).startswith("№") else norm(_cell_text(v))
        key = next((k for k, pattern in _HEADERS.items() if k not in found and re.search(pattern, h)), None)
        if key is not None:
            found[key] = c
    return found


def _find_columns(rows: list[list[Any]]) -> tuple[int, dict[str, int]]:
    """The header row among the first 40 (a title may stand above it) and where its columns are."""
    from sopcli.errors import InvalidInput

    for i, row in enumerate(rows[:40]):
        found = _header_columns(row)
        if {"text", "period", "executors"} <= set(found):
            return i, found
    raise InvalidInput("В таблице нет столбцов «Наименование мероприятия», «Сроки», «Исполнители» "
                       "(искали в первых 40 строках).")


def _complex_title(rows: list[list[Any]], header: int, title: str | None) -> str:
    if title is None:  # the heading above the table; never the measures' own texts
        title = " ".join(re.sub(r"\*", "", " ".join(_cell_text(v) for v in row)) for row in rows[:header])
    return " ".join(title.split())


def _section_title(values: list[str]) -> str | None:
    """A section row: one Roman-numbered text, alone or merged across the table."""
    if len(set(values)) == 1 and (m := _SECTION.match(values[0])):
        return " ".join(f"{m[1]}. {m[2]}".split())
    return None


def _refuse_incomplete(m: ComplexMeasure, names: dict[str, str]) -> None:
    """A measure without a text, a period or an executor, or with one longer than a page, names its row."""
    from sopcli.errors import InvalidInput

    for key, value in (("text", m.text), ("period", m.period), ("executors", m.executors)):
        if not value:
            raise InvalidInput(f"Строка {m.line}, столбец «{names[key][:40]}»: пусто у мероприятия "
                               f"№ {m.number}.")
        if (sum(map(len, value)) if isinstance(value, list) else len(value)) > TEXT_LIMIT:
            raise InvalidInput(f"Строка {m.line}, столбец «{names[key][:40]}»: длиннее {TEXT_LIMIT} знаков у "
                               f"мероприятия № {m.number}.")


@dataclass
class _Walk:
    """The table read down row by row: a numbered row opens a measure, a Roman one a section, and
    any other row carries on whichever of the two came last."""

    result: Complex
    names: dict[str, str]  # the header's own words, for messages
    section: str = ""
    current: ComplexMeasure | None = None
    last: str = ""
    executors: dict[int, list[str]] = field(default_factory=dict)

    def row(self, n: int, cells: dict[str, str], values: list[str]) -> None:
        if not values:
            return
        if all(v.isdigit() for v in values) and len(values) > 1:  # the numbered column row under the header
            return
        number = _NUMBER.match(cells.get("number", ""))
        if not number and (title := _section_title(values)) is not None:
            self.open_section(title)
        elif number:
            self.open_measure(n, number[1], cells)
        else:
            self.carry_on(n, cells, values)

    def open_section(self, title: str) -> None:
        self.section = title
        self.result.sections.append(title)
        self.last = "section"

    def open_measure(self, n: int, number: str, cells: dict[str, str]) -> None:
        from sopcli.errors import InvalidInput

        if len(number) > NUMBER_LIMIT:
            raise InvalidInput(f"Строка {n}: номер мероприятия длиннее {NUMBER_LIMIT} знаков.")
        self.close()
        self.current = ComplexMeasure(self.section, number, _strip_tags(cells["text"]),
                                      _strip_tags(cells["period"]), [], n)
        self.executors[id(self.current)] = split_executors(cells["executors"])
        self.result.measures.append(self.current)
        self.last = "measure"

    def carry_on(self, n: int, cells: dict[str, str], values: list[str]) -> None:
        from sopcli.errors import InvalidInput

        lone = values[0] if len(values) == 1 else None
        if lone is not None and self.last == "section":
            self.section = _join(self.section, lone)
            self.result.sections[-1] = self.section
            return
        if self.current is None:
            raise InvalidInput(f"Строка {n}: ни номера мероприятия, ни раздела — таблица не похожа на комплекс мер.")
        if lone is not None and not cells["text"] and not cells["period"] and not cells["executors"]:
            self.current.text = _join(self.current.text, _strip_tags(lone))  # a text continued in the first column
            return
        self.current.text = _join(self.current.text, _strip_tags(cells["text"]))
        self.current.period = _join(self.current.period, _strip_tags(cells["period"]))
        self.executors[id(self.current)] += split_executors(cells["executors"])

    def close(self) -> None:
        if self.current is not None:
            self.current.executors = list(dict.fromkeys(self.executors[id(self.current)]))
            _refuse_incomplete(self.current, self.names)

    def finish(self) -> Complex:
        self.close()
        for measure in self.result.measures:  # a section title continued on later lines: the whole title
            measure.section = next((t for t in self.result.sections if t.startswith(measure.section)),
                                   measure.section)
        return self.result


def read_rows_table(rows: list[list[Any]], title: str | None) -> Complex:
    """A table of rows (TXT, XLSX, CSV, DOCX): columns found by their Russian names, extra columns ignored;
    a measure without a text, a period or an executor is refused with its row and the column named."""
    header, cols = _find_columns(rows)
    title = _complex_title(rows, header, title)
    walk = _Walk(Complex(title, span_of(title)), {k: _cell_text(rows[header][c]) for k, c in cols.items()})
    for n, row in enumerate(rows[header + 1:], start=header + 2):
        cells = {k: _cell_text(row[c]) if c < len(row) else "" for k, c in cols.items()}
        walk.row(n, cells, [_cell_text(v) for v in row if _cell_text(v)])
    return walk.finish()


def read_complex(path: Path) -> Complex:
    """TXT/TSV (Word's "save as text"), XLSX, CSV or DOCX."""
    from sopcli.errors import InvalidInput
    from sopcli.services.files_in import table_files

    suffix = path.suffix.lower()
    if suffix in (".txt", ".tsv"):
        if not path.is_file():
            raise InvalidInput(f"Файла нет: {path}")
        if path.stat().st_size > table_files.MAX_BYTES:
            raise InvalidInput(f"Файл {path.name} слишком большой.")
        result = read_text_table(table_files.decode_text(path.read_bytes(), path.name))
    elif suffix == ".docx":
        result = _read_docx(path)
    else:
        result = read_rows_table(table_files.read_rows(path), None)
    if not result.measures:
        raise InvalidInput(f"{path.name}: в таблице не найдено ни одного мероприятия.")
    return result


def _read_docx(path: Path) -> Complex:
    import zipfile

    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    from sopcli.errors import InvalidInput
    from sopcli.services.files_in import table_files

    if not path.is_file():
        raise InvalidInput(f"Файла нет: {path}")
    if path.stat().st_size > table_files.MAX_BYTES:
        raise InvalidInput(f"Файл {path.name} слишком большой.")
    if path.stat().st_size == 0:
        raise InvalidInput(f"Файл пуст: {path.name}")
    # python-docx unpacks document.xml whole (a 300 MB bomb took 680 MB): unpacked sizes are counted first
    table_files.check_zip(path, "документ комплекса мер", rows=False)
    from lxml.etree import XMLSyntaxError

    try:
        doc = Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, PackageNotFoundError, XMLSyntaxError):
        raise InvalidInput(f"{path.name}: это не документ Word (.docx) или он повреждён.") from None
    title = " ".join(p.text for p in doc.paragraphs[:20])
    for table in doc.tables:
        # a vertically merged cell repeats its text in every row it covers: only its first row keeps it
        rows = [["" if c._tc.vMerge == "continue" else c.text for c in row.cells] for row in table.rows]
        try:
            return read_rows_table(rows, title)
        except InvalidInput as err:
            if "нет столбцов" not in err.message:
                raise
    raise InvalidInput(f"{path.name}: в документе нет таблицы комплекса мер.")
