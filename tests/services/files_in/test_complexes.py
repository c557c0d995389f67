"""The 002 complex imported as written, followed through executors' reports, on SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
from datetime import datetime

import pytest
from docx import Document
from openpyxl import load_workbook

from tests.commands.test_refusals import snapshot
from tests.conftest import SHARED, ok

SEED = SHARED / "seeds" / "002_4b7cf8c93ee536d7.txt"
OMSU = "органы местного самоуправления муниципальных районов, городских округов Смоленской области"


def terms(status: dict, number: str) -> list[tuple[str, str]]:
    m = next(m for m in status["measures"] if m["number"] == number)
    return [(o["who"], o["due"]) for o in m["terms"]]


@pytest.fixture
def imported(sopr, tmp_path):
    if not SEED.exists():
        pytest.skip("../shared/seeds is beside the repository in CI")
    src = tmp_path / "complex.txt"
    shutil.copy(SEED, src)
    doc = ok(sopr("measures", "import", str(src), "--json")).json()
    return sopr, doc, src


def test_the_002_complex_as_written(imported, reg_env, tmp_path):
    sopr, doc, src = imported
    assert (doc["sections"], doc["measures"], doc["unread"]) == (5, 30, [])
    assert doc["span"] == [2020, 2021] and doc["approved_on"] == "2020-07-30"
    st = ok(sopr("measures", "status", "--as-of", "15.11.2020", "--json")).json()
    assert terms(st, "1") == [(OMSU, "2020-11-30")]  # "ноябрь 2020 года": the month's last day, a Monday
    # "IV квартал 2020 года, в течение 2021 года", six executors: 31.12.2021 was a day off (decree) → 10.01.2022
    three = terms(st, "3")
    assert {d for _, d in three} == {"2020-12-31", "2022-01-10"} and len(three) == 12
    # "постоянно": each quarter from the approval (30.07.2020) to the end of 2021, for each of three executors
    nine = sorted({d for _, d in terms(st, "9")})
    assert nine == ["2020-09-30", "2020-12-31", "2021-03-31", "2021-06-30", "2021-09-30", "2022-01-10"]
    assert len(terms(st, "9")) == 18
    # by mid-November only the third quarter of 2020 has run out: measure 9's three executors owe it
    assert st["totals"]["overdue"] == 3
    assert [m["number"] for m in st["measures"] if m["overdue"]] == ["9"]

    late = ok(sopr("measures", "status", "--as-of", "01.12.2020", "--json")).json()
    first = next(m for m in late["measures"] if m["number"] == "1")
    assert (first["overdue"], first["done"]) == (1, 0)
    done = ok(sopr("measures", "report", "1", "--executor", OMSU.upper(), "--date", "03.12.2020", "--text",
                   "Комплексы разработаны", "--json")).json()
    assert (done["obligation"]["late"], done["obligation"]["late_working_days"]) == (True, 3)
    after = ok(sopr("measures", "status", "--as-of", "04.12.2020", "--json")).json()
    assert next(m for m in after["measures"] if m["number"] == "1")["done"] == 1

    out = tmp_path / "exec.xlsx"
    ok(sopr("export", "measures", "--year", "2020", "--as-of", "04.12.2020", "-o", str(out)))
    rows = list(load_workbook(out).worksheets[0].iter_rows(min_row=5, values_only=True))
    first_row = next(r for r in rows if r[2] == "1")
    assert first_row[5:] == (OMSU, datetime(2020, 11, 30), "исполнено с опозданием", datetime(2020, 12, 3))
    assert all(r[6] is None or r[6].year == 2020 for r in rows)

    before = snapshot(reg_env["SOPCLI_DB"])
    for args, fragment in ((["measures", "import", str(src)], "уже импортирован"),
                           (["measures", "report", "1", "--executor", "Минобороны", "--date", "03.12.2020"],
                            "не исполнитель"),
                           (["measures", "report", "1", "--executor", OMSU, "--date", "04.12.2020"],
                            "нет открытых сроков"),
                           (["measures", "report", "99", "--executor", OMSU, "--date", "04.12.2020"],
                            "нет мероприятия")):
        r = sopr(*args)
        assert r.code == 2 and fragment in r.err, (args, r.err)
    assert snapshot(reg_env["SOPCLI_DB"]) == before


def test_tables_from_word_and_csv_and_bad_ones(sopr, reg_env, tmp_path):
    d = Document()
    d.add_paragraph("Комплекс мер на 2025-2026 годы, утверждён от «10» января 2025 года")
    t = d.add_table(rows=5, cols=4)
    for c, h in enumerate(["№ п/п", "Наименование мероприятия", "Сроки реализации", "Ответственные исполнители"]):
        t.cell(0, c).text = h
    merged = t.cell(1, 0).merge(t.cell(1, 3))
    merged.text = "I. Профилактика"
    for r, row in enumerate([["1.", "Рейды", "II квартал 2025 года", "УМВД\nДепартамент образования"],
                             ["2.", "Семинары", "постоянно", "Комиссия"],
                             ["", "(продолжение)", "", "Департамент культуры"]], start=2):
        for c, v in enumerate(row):
            t.cell(r, c).text = v
    path = tmp_path / "plan.docx"
    d.save(path)
    doc = ok(sopr("measures", "import", str(path), "--json")).json()
    assert (doc["sections"], doc["measures"], doc["span"]) == (1, 2, [2025, 2026])
    st = ok(sopr("measures", "status", str(doc["complex"]), "--as-of", "01.07.2025", "--json")).json()
    assert sorted(terms(st, "1")) == [("Департамент образования", "2025-06-30"), ("УМВД", "2025-06-30")]
    # «Комиссия» is the commission itself, named as the registry names it (issue 28)
    assert {w for w, _ in terms(st, "2")} == {"КДН и ЗП", "Департамент культуры"}
    assert len(terms(st, "2")) == 16  # eight quarters of 2025-2026, two executors

    bad = tmp_path / "bad.csv"
    bad.write_text("№;Наименование мероприятия;Сроки реализации;Исполнители\n1.;Рейды;;УМВД\n", encoding="utf-8")
    none = tmp_path / "none.csv"
    none.write_text("Фамилия;Имя\nИванов;Иван\n", encoding="utf-8")
    fake = tmp_path / "fake.docx"
    fake.write_text("не документ", encoding="utf-8")
    before = snapshot(reg_env["SOPCLI_DB"])
    for path, fragment in ((bad, "Строка 2, столбец «Сроки реализации»: пусто"), (none, "нет столбцов"),
                           (fake, "повреждённый архив")):  # parts are unpacked in counted chunks first
        r = sopr("measures", "import", str(path))
        assert r.code == 2 and fragment in r.err and len(r.err.strip().splitlines()) == 1, (path.name, r.err)
    assert snapshot(reg_env["SOPCLI_DB"]) == before
