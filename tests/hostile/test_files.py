"""Hostile files for `reconcile` (XLSX/CSV) and `measures import` (TXT/XLSX/CSV/DOCX): the corpus in
tests/hostile/corpus (README.md there) and the large ones made here — a refusal in one Russian line
with exit 2 and not a row changed, or a correct result; never a traceback, never exit 1.
"""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.hostile.conftest import CORPUS, POLICE, assert_refused, snapshot, unchanged_rows


def matched(doc: dict) -> list[tuple[str, str]]:
    return [(m["registry"]["name"], m["how"]) for m in doc["matched"]]


def only_agency(doc: dict) -> list[str]:
    return [p["name"] for p in doc["only_agency"]]


ORLOV = ("Орлов Иван Петрович", "exact")
RECONCILE = [  # (file, refusal fragment or None, what the result must show)
    ("lookalike.csv", None, lambda d: matched(d) == [("Орлов Иван Петрович", "look-alike")]
     and only_agency(d) == ["Cёмина Алёна Игоревна"]),
    ("invisible.csv", None, lambda d: matched(d) == [("Орлов Иван Петрович", "look-alike")]),
    ("formula.csv", None, lambda d: [h for _, h in matched(d)] == ["ё/е"]
     and "=cmd|' /c calc'!A1" in only_agency(d) and "@SUM(A1:A2)" in only_agency(d)),
    ("formula.xlsx", None, lambda d: len(matched(d)) == 1 and d["skipped"] == ["строка 2: нет ФИО"]),
    ("cp1251.csv", None, lambda d: matched(d) == [ORLOV]),
    ("utf16-bom.csv", None, lambda d: matched(d) == [ORLOV]),
    ("merged-header.xlsx", None, lambda d: matched(d) == [ORLOV]),
    ("header-row-20.xlsx", None, lambda d: matched(d) == [ORLOV]),
    ("long-name.csv", None, lambda d: matched(d) == [ORLOV] and d["skipped"] == ["строка 2: ФИО длиннее 200 знаков"]),
    ("sql.csv", None, lambda d: matched(d) == [ORLOV] and only_agency(d) == ["'); DROP TABLE signal;--"]),
    ("absurd-dates.csv", None, lambda d: matched(d) == [ORLOV] and len(only_agency(d)) == 3),
    ("utf16-nobom.csv", "UTF-16 без метки", None),
    ("koi8r.csv", "нет столбца с ФИО", None),
    ("garbage.csv", "двоичный файл", None),
    ("nul.csv", "двоичный файл", None),
    ("empty.csv", "Файл пуст", None),
    ("empty.xlsx", "Файл пуст", None),
    ("only-header.csv", "нет ни одного человека", None),
    ("no-sheets.xlsx", "таблица не читается", None),
    ("xls-renamed.xlsx", "старый формат .xls", None),
    ("measures-xlsx-as.docx", None, lambda d: len(matched(d)) == 1),  # an XLSX named .docx: read by its content
]
MEASURES = [
    ("measures-ctrl.txt", None, lambda d: d["measures"] == 1 and d["obligations"] == 1),
    ("measures-utf16.txt", None, lambda d: d["measures"] == 1 and d["obligations"] == 1),
    ("measures-sql.csv", None, lambda d: d["measures"] == 1 and "DROP TABLE measure_complex" in d["title"]),
    ("measures-koi8r.txt", "нет столбцов", None),
    ("measures-long-number.txt", "номер мероприятия длиннее 20", None),
    ("measures-text-10001.txt", "длиннее 10000 знаков", None),
    ("measures-formula.xlsx", "пусто у мероприятия № 1", None),  # a formula is never evaluated: no text
    ("measures-garbage.docx", "повреждённый архив", None),
    ("measures-xlsx-as.docx", "не документ Word", None),
    ("empty.csv", "Файл пуст", None),
    ("nul.csv", "двоичный файл", None),
]
CASES = [pytest.param("reconcile", *c, id=f"reconcile-{c[0]}") for c in RECONCILE] + [
    pytest.param("measures", *c, id=f"measures-{c[0]}") for c in MEASURES]


def run_file(reg, command: str, path: Path, act: Path):
    if command == "reconcile":
        return reg("reconcile", str(path), "--agency", POLICE, "--quarter", "2025Q1", "-o", str(act), "--json")
    return reg("measures", "import", str(path), "--json")


def no_formulas(act: Path) -> None:
    """The act is read back: every text is a text cell, none a formula (CSV/DDE injection)."""
    wb = load_workbook(act)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)


@pytest.mark.slow
@pytest.mark.parametrize(("command", "name", "fragment", "check"), CASES)
def test_corpus_file(hostile_registry, tmp_path, command, name, fragment, check):
    if fragment is not None and hostile_registry.engine != "sqlite":
        pytest.skip("a refused file never reaches the registry: one engine is enough")
    act = tmp_path / "act.xlsx"
    before = snapshot(hostile_registry.db)
    r = run_file(hostile_registry, command, CORPUS / name, act)
    if fragment is not None:
        assert_refused(r, fragment)
        assert {t: v[:2] for t, v in snapshot(hostile_registry.db).items()} == {t: v[:2] for t, v in before.items()}
        assert not act.exists()
        return
    assert r.code == 0, r.err[-2000:]
    doc = r.json()
    assert check(doc), json.dumps(doc, ensure_ascii=False, default=str)[:2000]
    assert unchanged_rows(before, snapshot(hostile_registry.db)) == []
    if command == "reconcile":
        no_formulas(act)
        texts = [c.value for ws in load_workbook(act).worksheets for row in ws.iter_rows() for c in row]
        assert not any(isinstance(v, str) and ("\x1b" in v or "\u202e" in v) for v in texts)
    else:
        listed = hostile_registry("measures", "status", str(doc["complex"]), "--json", "--as-of", "01.01.2021")
        assert listed.code == 0, listed.err
        text = json.dumps(listed.json(), ensure_ascii=False)
        assert "\\u001b" not in text and "\u202e" not in text and "\\u0000" not in text


def test_corpus_readme_names_every_file():
    listed = {line.split("`")[1] for line in (CORPUS / "README.md").read_text("utf-8").splitlines()
              if line.startswith("- `")}
    assert listed == {p.name for p in CORPUS.iterdir() if p.name != "README.md"}
    tried = {c.values[1] for c in CASES}
    assert tried == listed  # every file is tried, and every file tried is described


# -- made here: bombs, nested archives, a million rows -------------------------------------------------------
def _sheet_zip(path: Path, sheet: bytes, extra: dict[str, bytes] | None = None) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", sheet)
        for name, data in (extra or {}).items():
            z.writestr(name, data)


def _lie_about_sizes(path: Path, size: int) -> None:
    """Rewrite every declared uncompressed size (local headers and central directory) to `size`."""
    data = bytearray(path.read_bytes())
    pos = 0
    while (pos := data.find(b"PK\x03\x04", pos)) != -1:
        struct.pack_into("<I", data, pos + 22, size)
        pos += 4
    pos = 0
    while (pos := data.find(b"PK\x01\x02", pos)) != -1:
        struct.pack_into("<I", data, pos + 24, size)
        pos += 4
    path.write_bytes(bytes(data))


def _million_xlsx(path: Path, rows: int = 1_000_000) -> None:
    head = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>ФИО</t></is></c>'
            '<c r="B1" t="inlineStr"><is><t>Дата рождения</t></is></c></row>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                                      '<sheets><sheet name="1" sheetId="1"/></sheets></workbook>')
        with z.open("xl/worksheets/sheet1.xml", "w") as w:
            w.write(head.encode())
            for start in range(2, rows + 2, 10_000):
                w.write("".join(f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>Иванов{i} Иван</t></is></c>'
                                f'<c r="B{i}" t="inlineStr"><is><t>01.01.2012</t></is></c></row>'
                                for i in range(start, min(start + 10_000, rows + 2))).encode())
            w.write(b"</sheetData></worksheet>")


def _million_text(path: Path, sep: str, head: list[str], row: list[str], rows: int = 1_000_000) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write(sep.join(head) + "\n")
        for start in range(0, rows, 10_000):
            f.write("".join(sep.join(row).replace("{i}", str(i)) + "\n" for i in range(start, start + 10_000)))


_HELPER = """
import json, os, subprocess, sys
proc = subprocess.Popen([sys.executable, "-m", "sopcli", *sys.argv[1:]], stdout=subprocess.DEVNULL,
                        stderr=subprocess.PIPE)
err = proc.stderr.read().decode()
_, status, usage = os.wait4(proc.pid, 0)
print(json.dumps([os.waitstatus_to_exitcode(status), err, usage.ru_maxrss // 1024]))
"""


def measured(env: dict[str, str], *args: str) -> tuple[int, str, float, int]:
    """(exit code, stderr, seconds, peak RSS in MB) of one real `sopcli` process: reported, never asserted on time.

    Started by a small helper process: a child forked from the test itself inherits the test's RSS
    (hundreds of MB after making a bomb) as its peak."""
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", _HELPER, *args], env=env, capture_output=True, text=True,
                         timeout=600, check=True).stdout
    code, err, peak = json.loads(out)
    return code, err, time.perf_counter() - t0, peak


@pytest.mark.slow
def test_bombs_and_nested_archives(hostile_registry, tmp_path):
    if hostile_registry.engine != "sqlite":
        pytest.skip("refused before the registry is opened: one engine is enough")
    honest = tmp_path / "honest.xlsx"
    _sheet_zip(honest, b"\0" * (210 * 2**20))
    lying = tmp_path / "lying.xlsx"
    _sheet_zip(lying, b"<row/>" * (50 * 2**20))
    _lie_about_sizes(lying, 1000)  # says 1 KB a part; unpacks to 300 MB
    nested = tmp_path / "nested.xlsx"
    inner = tmp_path / "inner.zip"
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("bomb", b"\0" * (100 * 2**20))
    _sheet_zip(nested, b"<worksheet/>", {"xl/embeddings/inner.zip": inner.read_bytes()})
    many = tmp_path / "many.xlsx"
    with zipfile.ZipFile(many, "w", zipfile.ZIP_STORED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        for k in range(10_001):
            z.writestr(f"xl/x{k}", b"")
    docx = tmp_path / "bomb.docx"
    with zipfile.ZipFile(docx, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b" " * (210 * 2**20))
    lying_docx = tmp_path / "lying.docx"
    with zipfile.ZipFile(lying_docx, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b" " * (300 * 2**20))
    _lie_about_sizes(lying_docx, 100)
    before = snapshot(hostile_registry.db)
    for command, path, fragment in [
        ("reconcile", honest, "распакованный размер 210 МБ"),
        ("reconcile", lying, "повреждённый архив"),
        ("reconcile", nested, "таблица не читается"),
        ("reconcile", many, "10002 частей"),
        ("measures", docx, "распакованный размер 210 МБ"),
        ("measures", lying_docx, "повреждённый архив"),
        ("measures", honest, "распакованный размер 210 МБ"),
    ]:
        code, err, _, peak = measured(hostile_registry.env, *(
            ["reconcile", str(path), "--agency", POLICE, "--quarter", "2025Q1", "-o", str(tmp_path / "a.xlsx")]
            if command == "reconcile" else ["measures", "import", str(path)]))
        assert code == 2 and fragment in err and len(err.strip().splitlines()) == 1, (path.name, code, err[-1000:])
        assert peak < 200, (path.name, peak)  # a chunk at a time: the bomb is never held whole
    assert snapshot(hostile_registry.db) == before


@pytest.mark.slow
def test_a_million_rows_refused_in_bounded_memory(hostile_registry, tmp_path, capsys):
    """1,000,000 rows: XLSX counted while unpacking (refused before calamine loads the sheet), CSV over
    50 MB refused by size, and so a million-row TXT complex. Time and peak memory are printed (bench-like), not
    asserted on time; memory is asserted bounded."""
    if hostile_registry.engine != "sqlite":
        pytest.skip("refused before the registry is opened: one engine is enough")
    xlsx = tmp_path / "million.xlsx"
    _million_xlsx(xlsx)
    csv_ = tmp_path / "million.csv"
    _million_text(csv_, ";", ["ФИО", "Дата рождения"], ["Иванов{i} Иван Иванович", "01.01.2012"])
    txt = tmp_path / "million.txt"
    _million_text(txt, "\t", ["№", "Наименование мероприятия", "Сроки", "Исполнители"],
                  ["{i}", "Беседа", "ноябрь 2020 года", "Департамент"])
    figures = []
    for command, path, fragment in [("reconcile", xlsx, "больше 200 000 строк"),
                                    ("reconcile", csv_, "слишком большой"),
                                    ("measures", xlsx, "больше 200 000 строк"),
                                    ("measures", txt, "слишком большой")]:
        code, err, seconds, peak = measured(hostile_registry.env, *(
            ["reconcile", str(path), "--agency", POLICE, "--quarter", "2025Q1", "-o", str(tmp_path / "a.xlsx")]
            if command == "reconcile" else ["measures", "import", str(path)]))
        assert code == 2 and fragment in err, (path.name, code, err[-1000:])
        assert peak < 200, (path.name, peak)
        figures.append(f"{command} {path.name} ({path.stat().st_size // 2**20} MB): {seconds:.1f} s, {peak} MB")
    with capsys.disabled():
        print("\n" + "\n".join(figures))
