"""`remind --all -o FOLDER`: every letter or none, under names the file system takes (issue 31 §1).

The crash the issue reports: an agency's name of 300 characters gave a file name of more than 255 bytes
(a Cyrillic letter is 2 bytes in UTF-8), the rename failed with «Внутренняя ошибка (OSError)», and two of
the four letters stayed on disk. Here the directory holds that agency, two agencies whose names share
their first 220 bytes (only a number at the end tells them apart) and the guardianship authority; each
owes a measure of an approved programme that ran out before 16.06.2025.
"""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from docx import Document

from tests.conftest import ok

AS_OF = ["--as-of", "16.06.2025", "--known-now"]
LONG = " ".join(["Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № 7"
                 " с углублённым изучением отдельных предметов имени Героя Советского Союза",
                 "Ивана Петровича Сидорова» городского округа «Город Йошкар-Ола» Республики Марий Эл",
                 "(структурное подразделение — дошкольные группы ДО)"])
SHARED = ("Государственное бюджетное учреждение Республики Марий Эл «Комплексный центр социального "
          "обслуживания населения в городе Йошкар-Оле»")
TWINS = (f"{SHARED}, отделение № 1", f"{SHARED}, отделение № 2")
OPEKA = "Орган опеки и попечительства"


def names_of(doc: dict) -> dict[str, str]:
    return {x["agency"]: Path(x["file"]).name for x in doc["letters"]}


@pytest.fixture
def reg(sopr):
    assert len(LONG) == 300 and len(SHARED.encode()) >= 220
    ok(sopr("init", "--new", "--municipality", "г. Йошкар-Ола"))
    ok(sopr("agency", "add", LONG, "--kind", "образование"))
    for twin in TWINS:
        ok(sopr("agency", "add", twin, "--kind", "соцзащита"))
    ok(sopr("signal", "add", "--no-threat", "--received", "29.04.2025 10:00", "--source", LONG,
            "--child", "Петров Иван Сергеевич, 10.02.2012", "--problem", "Безнадзорность"))
    ok(sopr("check", "1", "--concluded", "05.05.2025", "--level", "high", "--outcome", "sop", "--criterion", "1"))
    ok(sopr("recognize", "1", "--date", "06.05.2025", "--resolution", "9/3", "--curator",
            "Иванова Елена Викторовна", "--member", "police", "--until", "06.11.2025"))
    for measure, executor in (("Контроль посещаемости", LONG), ("Консультация психолога", TWINS[0]),
                              ("Оформление пособия", TWINS[1]), ("Обследование условий жизни", OPEKA)):
        ok(sopr("plan", "add", "1", "--measure", measure, "--executor", executor, "--due", "05.06.2025"))
    ok(sopr("plan", "approve", "1", "--date", "20.05.2025", "--resolution", "12"))
    return sopr


def test_a_300_character_agency_and_two_alike_get_four_letters_with_names_the_file_system_takes(reg, tmp_path):
    folder = tmp_path / "письма"
    folder.mkdir()
    doc = ok(reg("remind", "--all", *AS_OF, "-o", str(folder), "--json")).json()
    names = names_of(doc)
    assert set(names) == {LONG, *TWINS, OPEKA}
    assert sorted(p.name for p in folder.iterdir()) == sorted(names.values())  # no temporary left behind
    for agency, name in names.items():
        path = folder / name
        assert len(name.encode()) <= 255 and name.endswith(" — 2025-06-16.docx"), name
        assert name.startswith("Напоминание — ") and stat.S_IMODE(path.stat().st_mode) == 0o600
        lines = [p.text.replace("\xa0", " ") for p in Document(str(path)).paragraphs]
        assert agency in lines  # the letter itself carries the whole name, whatever its file is called
        cells = "|".join(c.text for t in Document(str(path)).tables for row in t.rows for c in row.cells)
        assert "05.06.2025" in cells
    ids = {x["agency"]: x["agency_id"] for x in doc["letters"]}
    assert names[OPEKA] == f"Напоминание — {OPEKA} — 2025-06-16.docx"  # a name that fits stays as it is
    # cut after a whole word, with «…» and the directory's number: readable, and the twins two files
    assert names[LONG].startswith("Напоминание — Муниципальное бюджетное общеобразовательное учреждение")
    assert names[LONG].endswith(f"… ({ids[LONG]}) — 2025-06-16.docx")
    for twin in TWINS:
        stem = names[twin].removeprefix("Напоминание — ").split("…")[0]
        assert SHARED.startswith(stem) and SHARED[len(stem)] in " ,", stem  # a word boundary, not half a word
        assert names[twin].endswith(f"… ({ids[twin]}) — 2025-06-16.docx")
    assert names[TWINS[0]] != names[TWINS[1]]


def test_a_letter_that_cannot_be_placed_leaves_the_folder_as_it_was_and_no_mark(reg, tmp_path):
    """The last letter's place is taken by a folder: the three placed before it are taken back, an older
    letter under the first one's name is put back unchanged, and `--sent` marks nothing."""
    first = tmp_path / "first"
    first.mkdir()
    names = list(names_of(ok(reg("remind", "--all", *AS_OF, "-o", str(first), "--json")).json()).values())
    assert len(names) == 4
    folder = tmp_path / "неделя"
    folder.mkdir()
    (folder / names[0]).write_bytes(b"old letter")
    (folder / names[-1]).mkdir()  # a folder where the last letter goes: its rename fails after three are placed
    before = _listing(folder)
    r = reg("remind", "--all", *AS_OF, "-o", str(folder), "--sent", "17.06.2025")
    assert r.code == 1, (r.code, r.out, r.err)
    assert r.err.startswith("Ошибка: ") and r.err.count("\n") == 1 and "Traceback" not in r.err, r.err
    assert "папка с тем же именем" in r.err and "ничего не записано" in r.err
    assert _listing(folder) == before  # no letter of this run, no temporary, the old letter as it was
    history = ok(reg("case", "history", "1", "--json")).json()
    assert [e for e in history["events"] if e["kind"] == "reminder"] == []  # and no mark in the registry

    (folder / names[-1]).rmdir()  # the folder gone, the same run writes all four
    ok(reg("remind", "--all", *AS_OF, "-o", str(folder), "--sent", "17.06.2025"))
    assert sorted(p.name for p in folder.iterdir()) == sorted(names)
    assert (folder / names[0]).read_bytes() != b"old letter"
    history = ok(reg("case", "history", "1", "--json")).json()
    marks = [e for e in history["events"] if e["kind"] == "reminder" and e["entity"] == "case_event"]
    assert len(marks) == 4  # each letter marked in the case's history once


def test_a_name_too_long_for_a_file_given_with_who_is_one_line_not_an_internal_error(reg, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / ("письмо " * 40 + ".docx")  # 285 bytes: more than the file system takes
    r = reg("remind", "--who", OPEKA, *AS_OF, "-o", str(out))
    assert r.code == 1 and r.err.count("\n") == 1 and "Внутренняя ошибка" not in r.err, r.err
    assert "имя файла длиннее" in r.err
    assert list(folder.iterdir()) == []


def _listing(folder: Path) -> dict[str, bytes | None]:
    return {p.name: (None if p.is_dir() else p.read_bytes()) for p in folder.iterdir()}
