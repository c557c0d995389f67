"""Tables as agencies send them (XLSX, CSV), opened defensively: the input of `reconcile` and of
`measures import` (issue 7 §4: a hostile file gets a Russian refusal, never a traceback).

A file is opened only if it is a real table of a sane size. An XLSX or DOCX is a zip: its parts
are unpacked in chunks and counted before any reader sees them, so neither a bomb (honest or lying
about its size) nor a 1,000,000-row sheet reaches calamine, which loads a sheet whole.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path
from typing import Any

from sopcli.errors import InvalidInput

MAX_BYTES = 50 * 2**20  # a municipal list is kilobytes; 50 MB is not a list
MAX_UNPACKED = 200 * 2**20
MAX_ROWS = 200_000
MAX_MEMBERS = 10_000  # parts of an XLSX: a workbook has dozens
HEADER_SCAN = 40  # rows searched for the header row: an approval block («УТВЕРЖДАЮ», signature, date) runs to 20


def _check_size(path: Path) -> None:
    if not path.is_file():
        raise InvalidInput(f"Файла нет: {path}")
    size = path.stat().st_size
    if size == 0:
        raise InvalidInput(f"Файл пуст: {path.name}")
    if size > MAX_BYTES:
        raise InvalidInput(f"Файл {path.name} слишком большой ({size // 2**20} МБ): список органа — не более 50 МБ.")


def read_rows(path: Path) -> list[list[Any]]:
    """The first sheet (XLSX) or the table (CSV) as rows of cells; refuses what is not a table."""
    _check_size(path)
    head = path.read_bytes()[:8]
    if head.startswith(b"PK"):
        return _read_xlsx(path)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise InvalidInput(f"{path.name}: старый формат .xls — сохраните как .xlsx или .csv.")
    return _read_csv(path)


_ROW = re.compile(rb"<(?:\w+:)?row[\s>/]")


def check_zip(path: Path, what: str = "список органа", rows: bool = True) -> list[str]:
    """The parts of a zip (XLSX, DOCX), refused before any reader unpacks it.

    The declared sizes are checked first (a bomb that tells the truth), then every part is
    unpacked in 1 MB chunks and counted (one that lies: Python's zipfile stops at the declared size
    and fails the CRC). Worksheet rows are counted on the way, so a 1,000,000-row sheet is refused
    before calamine loads it whole into memory. Memory stays at a chunk.
    """
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            if len(infos) > MAX_MEMBERS:
                raise InvalidInput(f"{path.name}: {len(infos)} частей в архиве — это не {what}.")
            declared = sum(i.file_size for i in infos)
            if declared > MAX_UNPACKED:
                raise InvalidInput(f"{path.name}: распакованный размер {declared // 2**20} МБ — это не {what}.")
            total = count = 0
            for info in infos:
                sheet = rows and info.filename.startswith("xl/worksheets/")
                tail = b""
                with z.open(info) as part:
                    while chunk := part.read(2**20):
                        total += len(chunk)
                        if total > MAX_UNPACKED:
                            raise InvalidInput(f"{path.name}: распаковывается больше {MAX_UNPACKED // 2**20} МБ "
                                               f"— это не {what}.")
                        if sheet:
                            buf = tail + chunk
                            cut = buf.rfind(b">") + 1
                            count += len(_ROW.findall(buf, 0, cut))
                            tail = buf[cut:][-4096:]
                            if count > MAX_ROWS + HEADER_SCAN:
                                raise InvalidInput(f"{path.name}: больше {MAX_ROWS:,} строк — это не "
                                                   f"{what}.".replace(",", " "))
            return [i.filename for i in infos]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, ValueError):
        # a broken or lying archive, an unknown compression, an encrypted part
        raise InvalidInput(f"{path.name}: повреждённый архив (XLSX/DOCX).") from None


def _read_xlsx(path: Path) -> list[list[Any]]:
    names = check_zip(path)
    if "xl/workbook.xml" not in names:
        raise InvalidInput(f"{path.name}: это не таблица XLSX.")
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(path))
        sheet = wb.get_sheet_by_index(0)
    except Exception as err:  # noqa: BLE001 - calamine raises its own error types for a broken book
        raise InvalidInput(f"{path.name}: таблица не читается ({type(err).__name__}).") from None
    rows = []
    for row in sheet.iter_rows():
        rows.append(list(row))
        if len(rows) > MAX_ROWS:
            raise InvalidInput(f"{path.name}: больше {MAX_ROWS:,} строк — это не список органа.".replace(",", " "))
    return rows


def decode_text(raw: bytes, name: str) -> str:
    """UTF-8, Windows-1251, or UTF-16 with its byte-order mark (Excel's and Word's «Текст Юникод»)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            raise InvalidInput(f"{name}: повреждённый текст UTF-16.") from None
    elif b"\x00" in raw:
        raise InvalidInput(f"{name}: это не таблица (двоичный файл или UTF-16 без метки порядка байтов).")
    else:
        for encoding in ("utf-8-sig", "cp1251"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:  # cp1251 leaves only 0x98 undefined
            raise InvalidInput(f"{name}: неизвестная кодировка (ожидается UTF-8, Windows-1251 или UTF-16).")
    if "\x00" in text:
        raise InvalidInput(f"{name}: это не таблица (в тексте нулевые байты).")
    return text


def _read_csv(path: Path) -> list[list[Any]]:
    text = decode_text(path.read_bytes(), path.name)
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
        dialect.delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    rows = []
    try:
        for row in csv.reader(io.StringIO(text), dialect):
            rows.append(row)
            if len(rows) > MAX_ROWS:
                raise InvalidInput(f"{path.name}: больше {MAX_ROWS:,} строк — это не список органа.".replace(",", " "))
    except csv.Error:  # a cell over csv's 131,072-character limit, a quote left open to the end of the file
        raise InvalidInput(f"{path.name}: строка {len(rows) + 1} не читается как CSV (ячейка длиннее 131 072 "
                           "знаков или незакрытая кавычка).") from None
    return rows
