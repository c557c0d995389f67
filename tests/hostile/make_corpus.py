"""Regenerate the small files of tests/hostile/corpus (README.md there says what each one tries).

`python -m tests.hostile.make_corpus` — the files are committed; large ones (1,000,000 rows, bombs)
are made by the tests in tmp_path, see test_files.py.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

CORPUS = Path(__file__).parent / "corpus"
HEAD = "ФИО;Дата рождения\n"
MEASURES = ["№ п/п", "Наименование мероприятия", "Сроки", "Исполнители"]


def _xlsx(path: Path, rows: list[list[object]], merge: str | None = None) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    if merge:
        ws.merge_cells(merge)
    wb.save(path)


def _tsv(rows: list[list[str]]) -> str:
    return "".join("\t".join(r) + "\n" for r in rows)


def main() -> None:
    CORPUS.mkdir(exist_ok=True)
    def text(name: str, body: str, encoding: str = "utf-8") -> None:
        (CORPUS / name).write_bytes(body.encode(encoding))

    text("lookalike.csv", HEAD + "Орлoв Ивaн Петрович;01.01.2012\nCёмина Алёна Игоревна;02.02.2013\n")
    text("invisible.csv", HEAD + "Ор\u200bлов Иван\u00ad Петрович\u200f;01.01.2012\n\ufeffСёмина Алёна Игоревна;"
                                 "02.02.2013\n")
    text("formula.csv", HEAD + "=cmd|' /c calc'!A1;01.01.2012\n+Орлов Иван Петрович;01.01.2012\n"
                               "-2+3;01.01.2012\n@SUM(A1:A2);01.01.2012\n=DDE(\"cmd\";\"/c calc\";\"x\");01.01.2012\n")
    _xlsx(CORPUS / "formula.xlsx", [["ФИО", "Дата рождения"], ["=cmd|' /c calc'!A1", "01.01.2012"],
                                    ["+Орлов Иван Петрович", "01.01.2012"], ["@SUM(A1:A2)", "01.01.2012"]])
    text("cp1251.csv", HEAD + "Орлов Иван Петрович;01.01.2012\n", "cp1251")
    text("utf16-bom.csv", "ФИО\tДата рождения\nОрлов Иван Петрович\t01.01.2012\n", "utf-16")
    text("utf16-nobom.csv", "ФИО\tДата рождения\nОрлов Иван Петрович\t01.01.2012\n", "utf-16-le")
    text("koi8r.csv", HEAD + "Орлов Иван Петрович;01.01.2012\n", "koi8-r")
    (CORPUS / "garbage.csv").write_bytes(bytes(range(256)) * 8)
    (CORPUS / "nul.csv").write_bytes((HEAD + "Орлов Иван\x00 Петрович;01.01.2012\n").encode())
    _xlsx(CORPUS / "merged-header.xlsx", [["ФИО", None, "Дата рождения"], ["Орлов Иван Петрович", None, "01.01.2012"]],
          "A1:B1")
    _xlsx(CORPUS / "header-row-20.xlsx", [["УТВЕРЖДАЮ"]] + [[None]] * 18 + [["ФИО", "Дата рождения"],
                                                                          ["Орлов Иван Петрович", "01.01.2012"]])
    (CORPUS / "empty.csv").write_bytes(b"")
    (CORPUS / "empty.xlsx").write_bytes(b"")
    text("only-header.csv", HEAD)
    with zipfile.ZipFile(CORPUS / "no-sheets.xlsx", "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                                      "<sheets/></workbook>")
    (CORPUS / "xls-renamed.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    text("long-name.csv", HEAD + "Я" * 300 + " Иван;01.01.2012\nОрлов Иван Петрович;01.01.2012\n")
    text("sql.csv", HEAD + "\"'); DROP TABLE signal;--\";01.01.2012\nОрлов Иван Петрович;01.01.2012\n")
    text("absurd-dates.csv", HEAD + "Орлов Иван Петрович;31.02.2012\nСёмина Алёна Игоревна;00.00.0000\n"
                                    "Петров Пётр Сергеевич;01.01.0001\nНовиков Артём;31.12.9999\n")
    # measures import
    ok = ["1", "Беседы", "ноябрь 2020 года", "Департамент по образованию"]
    text("measures-ctrl.txt", "Комплекс мер (управляющие символы)\n" + _tsv(
        [MEASURES, ["1", "Бе\x1bседы\u202e", "ноябрь\u200b 2020 года", "Департамент\x7f по образованию"]]))
    text("measures-utf16.txt", "Комплекс мер (UTF-16)\n" + _tsv([MEASURES, ok]), "utf-16")
    text("measures-koi8r.txt", _tsv([["N", *MEASURES[1:]], ok]), "koi8-r")
    text("measures-long-number.txt", _tsv([MEASURES, ["1." * 15 + "1", *ok[1:]]]))
    text("measures-text-10001.txt", _tsv([MEASURES, ["1", "м" * 10_001, *ok[2:]]]))
    text("measures-sql.csv", "Комплекс мер '); DROP TABLE measure_complex;--\n" + "".join(
        ";".join(r) + "\n" for r in [MEASURES, ["1", "'); DROP TABLE complex_measure;--", "ноябрь 2020 года",
                                                "Robert'); DROP TABLE obligation;--"]]))
    _xlsx(CORPUS / "measures-formula.xlsx", [["Комплекс мер (формулы)"], MEASURES,
                                             ["1", "=cmd|' /c calc'!A1", "ноябрь 2020 года", "@SUM(A1)"],
                                             ["2", "+Беседы", "IV квартал 2020 года", "-Департамент"]])
    (CORPUS / "measures-garbage.docx").write_bytes(bytes(range(256)) * 4)
    shutil.copy(CORPUS / "formula.xlsx", CORPUS / "measures-xlsx-as.docx")


if __name__ == "__main__":
    main()
