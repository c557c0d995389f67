"""What the XLSX forms and lists carry (issue 31 §2, §5), exported through the CLI and read back with openpyxl:
App. 4's terms as dates, reports and controls on the programme; App. 1 numbered in the journal's order with the
result in the appendix's words; App. 8's two addresses and the reason in words; amounts grouped, with kopecks."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import EDU, PDN, SOCIAL, ok, refused


def cells(path: Path, sheet: int | str = 0) -> list[list]:
    wb = load_workbook(path)
    ws = wb.worksheets[sheet] if isinstance(sheet, int) else wb[sheet]
    return [[v for v in row if v not in (None, "")] for row in ws.iter_rows(values_only=True)]


def flat(rows: list[list]) -> str:
    return "\n".join(str(v) for r in rows for v in r)


def after(rows: list[list], first: str, label: str) -> list:
    """The row starting with `label` after the row starting with `first`."""
    start = next(i for i, r in enumerate(rows) if r and str(r[0]).startswith(first)) + 1
    return next(r[1:] for r in rows[start:] if r and r[0] == label)


@pytest.fixture
def case(sopr):
    """One family recognised, a programme of three measures approved with a term counted from the approval."""
    for agency in (PDN, SOCIAL, EDU):
        assert sopr("agency", "add", agency).code in (0, 2)
    ok(sopr("signal", "add", "--no-threat", "--received", "03.03.2025 10:00", "--source", "ПДН",
            "--child", "Сидоров Пётр Ильич, 10.02.2010", "--parent", "Сидорова Алёна Петровна",
            "--address", "г. Йошкар-Ола, ул. Ленина, д. 1, кв. 2", "--problem", "Мать пьёт, дети голодные"))
    ok(sopr("check", "1", "--concluded", "05.03.2025", "--level", "high", "--outcome", "sop", "--criterion", "2",
            "--criterion", "7", "--address-registered", "с. Медведево, ул. Мира, д. 3"))
    ok(sopr("recognize", "1", "--date", "12.03.2025", "--resolution", "9-п", "--curator", "Петрова Анна Викторовна"))
    ok(sopr("plan", "add", "1", "--measure", "Профилактическая беседа", "--executor", PDN, "--due", "15.04.2025"))
    ok(sopr("plan", "add", "1", "--measure", "Оформление пособия", "--executor", SOCIAL, "--due", "1m"))
    ok(sopr("plan", "add", "1", "--measure", "Летний лагерь", "--executor", EDU, "--due", "01.06.2025-31.08.2025"))
    return sopr


def test_programme_terms_reports_controls_and_the_resolution(case, tmp_path):
    sop = case
    out = tmp_path / "p.xlsx"
    ok(sop("export", "program", "--case", "1", "-o", str(out)))
    draft = flat(cells(out))
    assert "в течение 1 месяца со дня утверждения программы" in draft and "1m" not in draft

    ok(sop("plan", "approve", "1", "--date", "24.03.2025", "--resolution", "12-п"))
    ids = [m["id"] for m in ok(sop("plan", "show", "1", "--json")).json()["measures"]]
    ok(sop("report", "1", str(ids[0]), "--date", "18.04.2025", "--status", "исполнено", "--text", "Беседа проведена"))
    ok(sop("report", "1", str(ids[1]), "--date", "22.04.2025", "--status", "частично", "--text", "Документы приняты"))
    ok(sop("report", "1", str(ids[2]), "--date", "05.09.2025", "--status", "не исполнено", "--text", "Мест нет"))
    ok(sop("control", "1", "--date", "12.09.2025", "--decision", "продолжить", "--note", "Положительная динамика"))
    ok(sop("export", "program", "--case", "1", "-o", str(out)))
    rows = cells(out)
    text = flat(rows)
    assert "(постановление № 12-п от 24.03.2025 г.)" in text and "протокол №" not in text
    # «Срок»: a term from the approval is its date, as `plan show` gives it
    shown = ok(sop("plan", "show", "1")).out
    assert "до 24.04.2025" in shown
    assert after(rows, "Характеристика", "Оформление пособия (Орган социальной защиты населения)") == ["24.04.2025"]
    assert "1m" not in text and "01.06.2025 – 31.08.2025" in text
    # «Проведение …»: the reports in the seed's words; a partly done measure has its date
    assert after(rows, "№ п/п", "1.") == ["Профилактическая беседа", f"Исполнитель: {PDN}\nОтчёт от 18.04.2025: "
                                          "исполнено. Беседа проведена", datetime(2025, 4, 18)]
    assert after(rows, "№ п/п", "2.") == ["Оформление пособия", f"Исполнитель: {SOCIAL}\nОтчёт от 22.04.2025: "
                                          "исполнено частично. Документы приняты", datetime(2025, 4, 22)]
    assert after(rows, "№ п/п", "3.") == ["Летний лагерь", f"Исполнитель: {EDU}\nОтчёт от 05.09.2025: "
                                          "не исполнено. Мест нет"]
    # the consilium: the control with the measures as they stood that day
    meeting = after(rows, "Дата проведения консилиума", datetime(2025, 9, 12))
    assert meeting == ["1. Профилактическая беседа — исполнено (18.04.2025)\n"
                       "2. Оформление пособия — исполнено частично (22.04.2025)\n"
                       "3. Летний лагерь — не исполнено (05.09.2025)",
                       "Решение: продолжить реализацию программы\nПоложительная динамика"]


def test_journal_numbered_in_receipt_order_with_the_result_in_words(case, tmp_path):
    sop = case
    # entered second, received first: the journal's order is the receipt's
    ok(sop("signal", "add", "--no-threat", "--received", "01.03.2025 09:00", "--source", "ПДН",
           "--child", "Орлов Денис Сергеевич, 14.05.2011", "--problem", "Ребёнок один на улице"))
    ok(sop("check", "2", "--concluded", "04.03.2025", "--level", "low", "--outcome", "not-confirmed"))
    ok(sop("signal", "add", "--no-threat", "--received", "06.03.2025 09:00", "--source", "ПДН",
           "--child", "Котов Андрей Ильич, 12.12.2012", "--problem", "Пропуски"))
    ok(sop("close", "1", "--date", "10.10.2025", "--resolution", "41-п", "--ground", "improved"))
    out = tmp_path / "j.xlsx"
    ok(sop("export", "journal", "--year", "2025", "-o", str(out)))
    rows = [r for r in cells(out) if r and isinstance(r[0], int) and isinstance(r[1], datetime)]
    assert [(r[0], r[1]) for r in rows] == [(1, datetime(2025, 3, 1, 9)), (2, datetime(2025, 3, 3, 10)),
                                            (3, datetime(2025, 3, 6, 9))]
    results = [r[-1].replace("\u00a0", " ") for r in rows]  # «№\u00a01»: never parted at a line's end
    assert results == [
        "Зарегистрировано за № 2/2025; факт нарушения прав и законных интересов несовершеннолетних не "
        "подтвердился (заключение от 04.03.2025)",
        "Зарегистрировано за № 1/2025; установлены признаки социально опасного положения (заключение от "
        "05.03.2025); постановление о признании от 12.03.2025 № 9-п; работа прекращена постановлением от "
        "10.10.2025 № 41-п; дело № 1",
        "Зарегистрировано за № 3/2025"]
    assert "СОП" not in flat(cells(out)) and "проверка:" not in flat(cells(out))


def test_bank_prints_both_addresses_and_the_reason_in_words(case, tmp_path):
    sop = case
    ok(sop("signal", "add", "--no-threat", "--received", "01.03.2025 09:00", "--source", "ПДН", "--child",
           "Орлов Денис Сергеевич, 14.05.2011", "--address", "ул. Панфилова, д. 7", "--problem", "Не лечат " * 60))
    ok(sop("check", "2", "--concluded", "04.03.2025", "--level", "medium", "--outcome", "sop",
           "--address-registered", "ул. Панфилова, д. 7"))
    ok(sop("recognize", "2", "--date", "19.03.2025", "--resolution", "11-п", "--curator", "Иванова Елена Викторовна"))
    out = tmp_path / "bank.xlsx"
    ok(sop("export", "bank", "--quarter", "2025Q1", "-o", str(out)))
    assert load_workbook(out).sheetnames == ["Банк данных"]  # no «Продолжение» for ordinary data
    rows = [r for r in load_workbook(out).worksheets[0].iter_rows(values_only=True) if isinstance(r[0], int) and r[2]]
    assert rows[0][4] == "Регистрация: с. Медведево, ул. Мира, д. 3\nПроживание: г. Йошкар-Ола, ул. Ленина, д. 1, кв. 2"
    assert rows[0][6] == ("Родители уклоняются от воспитания и содержания детей в связи со злоупотреблением "
                          "алкогольными напитками, наркотическими средствами, психоактивными веществами; жестокое "
                          "обращение с детьми со стороны родителей (законных представителей)")
    assert rows[1][4] == "ул. Панфилова, д. 7 (регистрация и проживание)"
    assert rows[1][6].startswith("Не лечат") and rows[1][6].endswith("…") and len(rows[1][6]) <= 201
    assert "прил." not in flat(cells(out)) and "критери" not in flat(cells(out))


def test_income_with_kopecks_is_kept_exactly_and_printed_grouped(case, tmp_path):
    sop = case
    refused(sop("check", "1", "--amend", "--income-by", "зарплата=21 317,405"), "рубли и копейки")
    ok(sop("check", "1", "--amend", "--income-by", "зарплата=21 317,40", "--income-by", "пенсия=18500",
           "--income-by", "пособия=1\u00a0000.05"))
    shown = ok(sop("signal", "show", "1", "--json")).json()["check_form"]["income"]
    assert shown == {"salary": 21317.4, "pension": 18500, "benefits": 1000.05}
    assert "заработная плата 21 317,40 руб.; пенсия 18 500 руб.; пособия 1 000,05 руб." in ok(
        sop("signal", "show", "1")).out
    out = tmp_path / "c.xlsx"
    ok(sop("export", "conclusion", "--case", "1", "-o", str(out)))
    rows = {r[0]: r[1:] for r in cells(out) if r}
    nbsp = "\u00a0"
    assert rows["Заработная плата"] == [f"21{nbsp}317,40"] and rows["Пенсия"] == [f"18{nbsp}500"]
    assert rows["Пособия"] == [f"1{nbsp}000,05"]
    assert rows["Среднедушевой доход"] == [f"20{nbsp}408,73"]  # 40 817,45 for a family of two
    # amended again in whole roubles: the kopecks go
    ok(sop("check", "1", "--amend", "--income-by", "зарплата=21 000"))
    assert ok(sop("signal", "show", "1", "--json")).json()["check_form"]["income"]["salary"] == 21000


def test_stat_breaks_the_year_down_by_agency(case, tmp_path):
    """001 §2.5.1(е): the minors with whom each agency did individual work, the agencies the clause names first,
    beside the same period a year earlier."""
    sop = case
    ok(sop("plan", "approve", "1", "--date", "24.03.2025", "--resolution", "12-п"))
    ok(sop("signal", "add", "--no-threat", "--received", "01.03.2025 09:00", "--source", "ПДН", "--child",
           "Орлов Денис Сергеевич, 14.05.2011", "--child", "Орлова Анна Сергеевна, 01.02.2013",
           "--problem", "Пропуски"))
    ok(sop("check", "2", "--concluded", "04.03.2025", "--level", "medium", "--outcome", "sop"))
    ok(sop("recognize", "2", "--date", "19.03.2025", "--resolution", "11-п", "--curator", "Иванова Елена Викторовна",
           "--member", EDU, "--member", "Орган опеки и попечительства"))
    out = tmp_path / "stat.xlsx"
    ok(sop("export", "stat", "--year", "2025", "--as-of", "01.12.2025", "-o", str(out)))
    rows = [list(r[1:4]) for r in load_workbook(out).worksheets[0].iter_rows(values_only=True)]
    at = next(i for i, r in enumerate(rows) if str(r[0]).startswith("Несовершеннолетних, с которыми органы"))
    assert rows[at][1:] == [3, 0]  # three minors in two families, each once; none the year before
    assert rows[at + 1:at + 5] == [[f"    {PDN}", 1, 0], ["    Орган опеки и попечительства", 2, 0],
                                   [f"    {EDU}", 3, 0], [f"    {SOCIAL}", 1, 0]]
