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
_MEASURE = re.compile(r"^(\d+)\.?\t(.*)$")


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
_STARTERS = (r"Департамент|Главное управление|Управление|УМВД|МВД|СУ СК|УФССП|Уполномоченный|Комиссия|ГАУ|"
             r"СОГБУ|ОГБУ|ОГКУ|ФКУ|Министерство|Администрация|Прокуратура|органы местного самоуправления|"
             r"комиссии по делам|субъекты системы профилактики")
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
        if lines and part[0].islower() and not re.match(rf"(?:{_STARTERS})\b", part):
            lines[-1] = f"{lines[-1]} {part}"
        else:
            lines.append(part)
    out = []
    for line in lines:
        for piece in _SPLIT.split(line):
            name = re.sub(r"\x00(\d+)\x00", lambda m: kept[int(m[1])], piece).strip(" ,.")
            if name:
                out.append(name)
    return out


def _join(a: str, b: str) -> str:
    b = " ".join(b.split())
    return f"{a} {b}".strip() if b else a


def read_text_table(text: str) -> Complex:
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if "Наименование мероприятия" in line or line.startswith("№")),
                 None)
    head = "\n".join(lines[:start] if start is not None else lines[:20])
    title = " ".join(re.sub(r"\*", "", head).split())
    result = Complex(title, span_of(title))
    section = ""
    current: ComplexMeasure | None = None
    last = ""  # "section" or "measure": what a continuation line continues
    executors_raw: dict[int, str] = {}
    for n, line in enumerate(lines[(start or 0) + 1:], start=(start or 0) + 2):
        if not line.strip():
            continue
        if not line.startswith("\t") and (m := _SECTION.match(line.split("\t")[0].strip())):
            section = " ".join(f"{m[1]}. {m[2]}".split())
            result.sections.append(section)
            last = "section"
            continue
        if m := _MEASURE.match(line):
            cells = [m[1], *m[2].split("\t")]
            current = ComplexMeasure(section, m[1], " ".join(re.sub(r"</?p>", " ", cells[1]).split()),
                                     " ".join(cells[2].split()) if len(cells) > 2 else "", [], n)
            executors_raw[id(current)] = "\n".join(cells[3:]) if len(cells) > 3 else ""
            result.measures.append(current)
            last = "measure"
            continue
        cells = line.split("\t")
        if last == "section" and len(cells) == 1:
            section = _join(section, line)
            result.sections[-1] = section
            continue
        if current is None:
            continue
        if len(cells) == 1:
            current.text = _join(current.text, re.sub(r"</?p>", " ", line))
            continue
        current.text = _join(current.text, re.sub(r"</?p>", " ", cells[1]))
        if len(cells) > 2:
            current.period = _join(current.period, cells[2])
        if len(cells) > 3:
            executors_raw[id(current)] += "\n" + "\n".join(cells[3:])
    for measure in result.measures:
        measure.executors = split_executors(executors_raw[id(measure)])
        # a section title continued on later lines: each measure gets its section's whole title
        measure.section = next((s for s in result.sections if s.startswith(measure.section)), measure.section)
    return result


# -- the same complex from a spreadsheet or a Word table ---------------------------------------
_HEADERS = {"number": r"^№|^n п п|^номер", "text": r"мероприят", "period": r"срок", "executors": r"исполнител"}


def _cell_text(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return "" if v is None else str(v).strip()


def read_rows_table(rows: list[list[Any]], title: str) -> Complex:
    """A table of rows (XLSX, CSV, DOCX): headers found by their Russian names; refusals name the row and column."""
    from sopcli.errors import InvalidInput
    from sopcli.services.reconcile import norm

    header, cols = None, {}
    for i, row in enumerate(rows[:15]):
        found = {}
        for c, v in enumerate(row):
            h = norm(_cell_text(v)) if not _cell_text(v).startswith("№") else "№"
            for key, pattern in _HEADERS.items():
                if key not in found and re.search(pattern, h):
                    found[key] = c
                    break
        if {"text", "period", "executors"} <= set(found):
            header, cols = i, found
            break
    if header is None:
        raise InvalidInput("В таблице нет столбцов «Наименование мероприятия», «Сроки», «Исполнители» "
                           "(искали в первых 15 строках).")
    names = {k: _cell_text(rows[header][c]) for k, c in cols.items()}
    result = Complex(title, span_of(title))
    section, current = "", None
    for n, row in enumerate(rows[header + 1:], start=header + 2):
        cells = {k: _cell_text(row[c]) if c < len(row) else "" for k, c in cols.items()}
        values = [_cell_text(v) for v in row if _cell_text(v)]
        if not values:
            continue
        if all(v.isdigit() for v in values):  # the numbered column row under the header
            continue
        number = cells.get("number", "").rstrip(".")
        first = values[0]
        if not number.isdigit() and _SECTION.match(first) and len(set(values)) == 1:
            section = " ".join(first.split())  # a section row (merged across the table)
            result.sections.append(section)
            continue
        if number.isdigit():
            for key in ("text", "period", "executors"):
                if not cells[key]:
                    raise InvalidInput(f"Строка {n}, столбец «{names[key][:40]}»: пусто у мероприятия № {number}.")
            current = ComplexMeasure(section, number, " ".join(cells["text"].split()),
                                     " ".join(cells["period"].split()), split_executors(cells["executors"]), n)
            result.measures.append(current)
            continue
        if current is None:
            raise InvalidInput(f"Строка {n}: ни номера мероприятия, ни раздела — таблица не похожа на комплекс мер.")
        current.text = _join(current.text, cells["text"])
        current.period = _join(current.period, cells["period"])
        current.executors += split_executors(cells["executors"])
    return result


def read_complex(path: Path) -> Complex:
    """TXT/TSV (Word's "save as text"), XLSX, CSV or DOCX."""
    from sopcli.errors import InvalidInput
    from sopcli.services import reconcile

    suffix = path.suffix.lower()
    if suffix in (".txt", ".tsv"):
        if not path.is_file():
            raise InvalidInput(f"Файла нет: {path}")
        if path.stat().st_size > reconcile.MAX_BYTES:
            raise InvalidInput(f"Файл {path.name} слишком большой.")
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1251")
        result = read_text_table(text)
    elif suffix == ".docx":
        result = _read_docx(path)
    else:
        rows = reconcile.read_rows(path)
        title = " ".join(" ".join(_cell_text(v) for v in row) for row in rows[:5])
        result = read_rows_table(rows, title)
    if not result.measures:
        raise InvalidInput(f"{path.name}: в таблице не найдено ни одного мероприятия.")
    return result


def _read_docx(path: Path) -> Complex:
    import zipfile

    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    from sopcli.errors import InvalidInput
    from sopcli.services import reconcile

    if not path.is_file():
        raise InvalidInput(f"Файла нет: {path}")
    if path.stat().st_size > reconcile.MAX_BYTES:
        raise InvalidInput(f"Файл {path.name} слишком большой.")
    try:
        doc = Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, PackageNotFoundError):
        raise InvalidInput(f"{path.name}: это не документ Word (.docx).") from None
    title = " ".join(p.text for p in doc.paragraphs[:20])
    for table in doc.tables:
        rows = [[c.text for c in row.cells] for row in table.rows]
        try:
            return read_rows_table(rows, title)
        except InvalidInput as err:
            if "нет столбцов" not in err.message:
                raise
    raise InvalidInput(f"{path.name}: в документе нет таблицы комплекса мер.")
