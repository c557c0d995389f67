"""The golden reconciliation: an agency's list with planted differences, in XLSX and in CSV."""

from __future__ import annotations

import csv
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook

from tests.commands.test_refusals import snapshot

POLICE = "Орган внутренних дел (ПДН)"
REGISTRY = [  # (child, address) — each recognised in the first quarter of 2025 and still open
    ("Орлов Иван Петрович, 01.01.2012", "г. Йошкар-Ола, ул. Мира, д. 1"),
    ("Сёмина Алёна Игоревна, 02.02.2013", "ул. Ленина, 5"),
    ("Петров Пётр Сергеевич, 03.03.2011", "ул. Строителей, 7"),
    ("Кузнецова Мария Андреевна, 04.04.2014", "ул. Победы, 9"),
    ("Смирнов Олег Викторович, 05.05.2010", "ул. Советская, 11"),
    ("Волкова Дарья Ильинична, 06.06.2012", "ул. Кирова, 13"),
    ("Лебедев Максим Олегович, 08.08.2011", "ул. Чехова, 2"),
]
AGENCY = [  # (name, birth, address): what the police sent, planted differences marked
    ("ОРЛОВ ИВАН ПЕТРОВИЧ", datetime(2012, 1, 1), "Йошкар-Ола, Мира 1"),  # case, punctuation
    ("Семина Алена Игоревна", "02.02.2013", "ул. Ленина, 5"),  # ё written as е
    ("Пётр Петров Сергеевич", "03.03.2011", ""),  # name order swapped
    ("Кузнецова Мраия Андреевна", datetime(2014, 4, 4), "ул. Победы, 9"),  # two letters swapped
    ("Волкова Дарья Ильинична", "06.06.2012", "ул. Кирова, 15"),  # the address changed
    ("Лебедев М. О.", "08.08.2011", ""),  # initials
    ("Новиков Артём Денисович", "07.07.2012", "ул. Гагарина, 3"),  # not in the registry
]


def current_quarter() -> str:
    today = date.today()
    return f"{today.year}Q{(today.month - 1) // 3 + 1}"


@pytest.fixture
def registry(sopr):
    for n, (child, address) in enumerate(REGISTRY, 1):
        assert sopr("signal", "add", "--no-threat",
                    "--received", f"{n:02d}.02.2025 10:00", "--source", "ПДН", "--child", child,
                    "--address", address, "--problem", "Пропуски занятий").code == 0
        assert sopr("check", str(n), "--concluded", f"{n + 10:02d}.02.2025", "--level", "medium",
                    "--outcome", "sop").code == 0
        assert sopr("recognize", str(n), "--date", "03.03.2025", "--resolution", str(n), "--curator",
                    "Петрова Анна").code == 0
    return sopr


def agency_xlsx(path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["Список несовершеннолетних, состоящих на учёте в ПДН"])
    ws.append([])
    ws.append(["Адрес проживания", "Дата рождения", "Ф.И.О. несовершеннолетнего", "Школа"])
    for name, born, address in AGENCY:
        ws.append([address, born, name, "СОШ № 1"])
    ws.append([None, None, None, None])
    ws.append(["ул. Пустая", "01.01.2010", None, "СОШ № 2"])  # no name: skipped, said so
    wb.save(path)


def check(doc: dict) -> None:
    how = {m["agency"]["name"]: m["how"] for m in doc["matched"]}
    assert how == {"ОРЛОВ ИВАН ПЕТРОВИЧ": "exact", "Семина Алена Игоревна": "ё/е",
                   "Пётр Петров Сергеевич": "swapped", "Кузнецова Мраия Андреевна": "typo",
                   "Лебедев М. О.": "initials"}
    assert [(m["registry"]["name"], f["field"], f["registry"], f["agency"]) for m in doc["mismatched"]
            for f in m["fields"]] == [("Волкова Дарья Ильинична", "address", "ул. Кирова, 13", "ул. Кирова, 15")]
    assert [p["name"] for p in doc["only_registry"]] == ["Смирнов Олег Викторович"]
    assert [(p["name"], p["birth_date"]) for p in doc["only_agency"]] == [("Новиков Артём Денисович", "2012-07-07")]


def test_golden_reconciliation_xlsx_act_and_the_quarters_term(registry, reg_env, tmp_path):
    src = tmp_path / "pdn.xlsx"
    agency_xlsx(src)
    act = tmp_path / "act.xlsx"
    quarter = current_quarter()
    r = registry("reconcile", str(src), "--agency", POLICE, "--quarter", quarter, "-o", str(act), "--json")
    assert r.code == 0, r.err
    doc = r.json()
    check(doc)
    assert doc["skipped"] == ["строка 12: нет ФИО"]
    assert [(o["rule"], o["to"]) for o in doc["fulfilled"]] == [("me.reconcile.q", POLICE)]

    wb = load_workbook(act)
    assert wb.sheetnames == ["Итоги", "Расхождения", "Только в реестре", "Только у органа", "Совпали"]
    summary = {row[0]: row[1] for row in wb["Итоги"].iter_rows(min_row=3, values_only=True) if row[0]}
    assert (summary["Совпали"], summary["Расхождения"], summary["Только в реестре"],
            summary["Только в списке органа"]) == (5, 1, 1, 1)
    diff = list(wb["Расхождения"].iter_rows(min_row=3, values_only=True))
    assert diff == [(1, "Волкова Дарья Ильинична", "Волкова Дарья Ильинична", 8, 6, "адрес", "ул. Кирова, 13",
                     "ул. Кирова, 15", "полностью")]
    only = list(wb["Только у органа"].iter_rows(min_row=3, values_only=True))
    assert only == [(1, "Новиков Артём Денисович", datetime(2012, 7, 7), "ул. Гагарина, 3", 10)]

    again = registry("reconcile", str(src), "--agency", POLICE, "--quarter", quarter, "-o", str(act), "--json")
    assert again.code == 0 and again.json()["fulfilled"] == []  # recorded again, the term already done


def test_csv_in_cp1251_with_split_name_columns_and_a_past_quarter(registry, tmp_path):
    src = tmp_path / "school.csv"
    with open(src, "w", encoding="cp1251", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["Фамилия", "Имя", "Отчество", "Д.р.", "Адрес"])
        for name, born, address in AGENCY:
            parts = name.split()
            if len(parts) == 2:
                parts.append("")
            day = born.strftime("%d.%m.%Y") if isinstance(born, datetime) else born
            w.writerow([*parts[:3], day, address])
    r = registry("reconcile", str(src), "--agency", POLICE, "--quarter", "2025Q1", "-o",
                 str(tmp_path / "a.xlsx"), "--json")
    assert r.code == 0, r.err
    doc = r.json()
    assert doc["fulfilled"] == []  # no term was open for a quarter before the registry's first
    assert {m["agency"]["name"] for m in doc["matched"]} >= {"ОРЛОВ ИВАН ПЕТРОВИЧ", "Семина Алена Игоревна"}
    assert [p["name"] for p in doc["only_registry"]] == ["Смирнов Олег Викторович"]

    custom = tmp_path / "custom.csv"
    custom.write_text("Учащийся,Родился,Где живёт\nОрлов Иван Петрович,01.01.2012,ул. Мира 1\n", encoding="utf-8")
    r = registry("reconcile", str(custom), "--agency", POLICE, "--quarter", "2025Q1", "-o", str(tmp_path / "c.xlsx"),
                 "--columns", "name=Учащийся;birth=Родился;address=3", "--json")
    assert r.code == 0, r.err
    assert [m["how"] for m in r.json()["matched"]] == ["exact"]


def test_bad_files_are_refused_and_nothing_changes(registry, reg_env, tmp_path):
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (210 * 2**20))
    huge = tmp_path / "huge.csv"
    with open(huge, "wb") as f:
        f.truncate(60 * 2**20)
    noname = tmp_path / "noname.csv"
    noname.write_text("Адрес;Дата рождения\nул. Мира;01.01.2012\n", encoding="utf-8")
    png = tmp_path / "photo.xlsx"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    xls = tmp_path / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    notxlsx = tmp_path / "doc.xlsx"
    with zipfile.ZipFile(notxlsx, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    cases = [(bomb, "распакованный"), (huge, "слишком большой"), (noname, "нет столбца с ФИО"),
             (png, "не таблица"), (xls, "старый формат"), (notxlsx, "не таблица XLSX"),
             (tmp_path / "missing.csv", "Файла нет")]
    for path, fragment in cases:
        before = snapshot(reg_env["SOPCLI_DB"])
        r = registry("reconcile", str(path), "--agency", POLICE, "--quarter", "2025Q1", "-o",
                     str(tmp_path / "act.xlsx"))
        assert r.code == 2 and fragment in r.err, (path.name, r.err)
        assert len(r.err.strip().splitlines()) == 1
        assert snapshot(reg_env["SOPCLI_DB"]) == before and not (tmp_path / "act.xlsx").exists()
    r = registry("reconcile", str(noname), "--agency", "Полиция", "--quarter", "2025Q1")
    assert r.code == 2


def test_our_own_bank_export_reconciles_whole(registry, tmp_path):
    """The App. 8 list the commission sends (numbered row, a family's children on separate lines) comes back clean."""
    assert registry("signal", "add", "--no-threat", "--received", "20.02.2025 10:00", "--source", "ПДН", "--child",
                    "Смирнова Мария Олеговна, 01.09.2013", "--child", "Смирнов Пётр Олегович, 02.10.2015",
                    "--parent", "Смирнова Ольга Ивановна", "--problem", "Безнадзорность").code == 0
    assert registry("check", "8", "--concluded", "25.02.2025", "--level", "medium", "--outcome", "sop").code == 0
    assert registry("recognize", "8", "--date", "03.03.2025", "--resolution", "8", "--curator",
                    "Петрова Анна").code == 0
    bank = tmp_path / "bank.xlsx"
    assert registry("export", "bank", "--quarter", "2025Q2", "-o", str(bank)).code == 0
    r = registry("reconcile", str(bank), "--agency", POLICE, "--quarter", "2025Q2", "-o", str(tmp_path / "a.xlsx"),
                 "--json")
    assert r.code == 0, r.err
    doc = r.json()
    assert (len(doc["matched"]), doc["mismatched"], doc["only_registry"], doc["only_agency"]) == (9, [], [], [])
    assert {m["how"] for m in doc["matched"]} == {"exact"}


def test_a_refused_reconciliation_leaves_no_act(registry, reg_env, tmp_path):
    src = tmp_path / "pdn.xlsx"
    agency_xlsx(src)
    before = snapshot(reg_env["SOPCLI_DB"])
    r = registry("reconcile", str(src), "--agency", POLICE, "--quarter", current_quarter(), "--date", "01.01.2020",
                 "-o", str(tmp_path / "act.xlsx"))
    assert r.code == 2 and "раньше начала квартала" in r.err
    assert snapshot(reg_env["SOPCLI_DB"]) == before and not (tmp_path / "act.xlsx").exists()
