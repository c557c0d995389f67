"""XLSX exports read back with openpyxl (an independent implementation) and checked cell by cell
against the registry, on SQLite and PostgreSQL."""

from __future__ import annotations

import importlib.util
import os
import re
import stat
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import create_engine, text

from sopcli.vocab import CRITERIA_SHORT, GROUND_LABELS
from tests.conftest import REPO

BENCH = REPO / "bench" / "bench_registry.py"
FIRST_DATA_ROW = 6  # the appendix header, title, period, headers, the form's column numbers (App. 1, 8)


def _bench():
    spec = importlib.util.spec_from_file_location("bench_registry", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_registry", module)  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return sys.modules["bench_registry"]


def _url(reg_env) -> str:
    db = reg_env["SOPCLI_DB"]
    return db if "://" in db else f"sqlite:///{db}"


def _query(reg_env, sql: str, **params) -> list:
    engine = create_engine(_url(reg_env))
    with engine.connect() as conn:
        rows = conn.execute(text(sql), params).all()
    engine.dispose()
    return rows


def _as_date(v):
    return date.fromisoformat(v) if isinstance(v, str) else v


def data_rows(path: Path) -> list[list]:
    """The rows under the form's numbered column row («1», «2», …), up to the signature lines."""
    ws = load_workbook(path).worksheets[0]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    first = next(i for i, r in enumerate(rows) if r[:2] == ["1", "2"]) + 1
    body = rows[first:]
    while body and not any(v not in (None, "") for v in body[-1][1:]):  # the signature lines, blank rows
        body.pop()
    return body


@pytest.fixture
def generated(sopr, reg_env):
    assert sopr("init", "--new", "--municipality", "г. Йошкар-Ола").code == 0
    _bench().generate(_url(reg_env), 60, seed=11)
    return sopr


def test_bank_quarter_cell_by_cell(generated, reg_env, tmp_path):
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "bank.xlsx"
    r = generated("export", "bank", "--quarter", "2024Q3", "-o", str(out), "--json")
    assert r.code == 0, r.err
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    assert [p.name for p in out.parent.iterdir()] == ["bank.xlsx"]  # no temporary file left behind

    start, end = date(2024, 7, 1), date(2024, 9, 30)
    cases = _query(reg_env, "SELECT k.id, k.recognized_on, k.closed_on, k.close_ground, s.address, s.problem, "
                            "c.criteria, k.signal_id FROM sop_case k JOIN signal s ON s.id = k.signal_id "
                            "LEFT JOIN check_conclusion c ON c.signal_id = s.id ORDER BY k.id")
    expected = []
    for _cid, recognized, closed, ground, address, _problem, criteria, sid in cases:
        recognized, closed = _as_date(recognized), _as_date(closed)
        if recognized > end or (closed is not None and closed < start):
            continue
        people = _query(reg_env, "SELECT sp.role, p.full_name, p.birth_date FROM signal_person sp JOIN person p "
                                 "ON p.id = sp.person_id WHERE sp.signal_id = :s ORDER BY sp.id", s=sid)
        kids = "\n".join(f"{n}, {_as_date(b):%d.%m.%Y}" for role, n, b in people if role == "child")
        parents = "\n".join(n for role, n, _ in people if role == "parent")
        closed_in = closed if closed is not None and closed <= end else None
        # column 7: the criteria in the seed's words (the generator's checks all name some), never the codes
        reason = "; ".join(CRITERIA_SHORT[int(c)] for c in criteria.split(","))
        expected.append([len(expected) + 1, "г. Йошкар-Ола", kids, parents, f"Проживание: {address}", None,
                         reason[:1].upper() + reason[1:],
                         datetime.combine(recognized, datetime.min.time()),
                         datetime.combine(closed_in, datetime.min.time()) if closed_in else None,
                         GROUND_LABELS[ground] if closed_in else None])
    assert len(expected) > 5
    assert data_rows(out) == expected
    assert r.json()["rows"] == len(expected)

    wb = load_workbook(out)
    ws = wb.worksheets[0]
    assert next(c.value for c in ws[1] if c.value).startswith("ПРИЛОЖЕНИЕ № 8\nк Порядку")
    assert "Списки несовершеннолетних" in ws["A2"].value and "КДН и ЗП г. Йошкар-Олы" in ws["A2"].value  # genitive
    assert [c.value for c in ws[5]] == [str(i) for i in range(1, 11)]  # the form's numbered columns
    assert ws.freeze_panes == "A6"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws.cell(FIRST_DATA_ROW, 8).number_format == "dd.mm.yyyy"


def test_journal_and_stat_of_a_year(generated, reg_env, tmp_path):
    journal = tmp_path / "journal.xlsx"
    assert generated("export", "journal", "--year", "2023", "-o", str(journal)).code == 0
    signals = _query(reg_env, "SELECT seq, year, received_at FROM signal ORDER BY received_at, id")
    in_year = [f"{seq}/{year}" for seq, year, received in signals
               if str(received)[:4] == "2023" or getattr(received, "year", None) == 2023]
    rows = data_rows(journal)
    assert [row[0] for row in rows] == list(range(1, len(in_year) + 1)) and rows  # «№ п/п» in receipt order
    assert [re.match(r"Зарегистрировано за №\s(\d+/\d+)", row[7])[1] for row in rows] == in_year
    assert all(isinstance(row[1], datetime) for row in rows)

    figures = tmp_path / "stat.xlsx"
    assert generated("export", "stat", "--year", "2023", "--as-of", "23.11.2026", "-o", str(figures)).code == 0
    values = {row[1]: row[2] for row in data_rows(figures) if row[1]}
    recognised = _query(reg_env, "SELECT count(*) FROM sop_case WHERE recognized_on >= :a AND recognized_on <= :b",
                        a=date(2023, 1, 1), b=date(2023, 12, 31))[0][0]
    assert values["— признано находящимися в СОП в году"] == recognised
    assert values["Поступило сигналов (журнал первичного учета)"] == len(in_year)


def test_text_that_looks_like_a_formula_stays_text(sopr, tmp_path):
    hostile = ["=HYPERLINK(\"http://evil\",\"x\")", "+7 (8362) 45-67-89", "-1+1", "@SUM(A1)"]
    # issue 28: a source is an agency of the directory, so the one named like a formula is added first
    assert sopr("agency", "add", hostile[1], "--kind", "иной").code == 0
    r = sopr("signal", "add", "--no-threat", "--received", "10.03.2025 09:00", "--source", hostile[1], "--child",
             "Орлов Иван Петрович, 01.01.2012", "--address", hostile[3], "--problem", hostile[0],
             "--help-needed", hostile[2])
    assert r.code == 0, r.err
    out = tmp_path / "j.xlsx"
    assert sopr("export", "journal", "--year", "2025", "-o", str(out)).code == 0
    ws = load_workbook(out).worksheets[0]
    row = FIRST_DATA_ROW
    cells = {c.column: c for c in ws[row]}
    assert cells[3].value == hostile[1] and cells[6].value == hostile[3]
    assert cells[7].value == f"{hostile[0]}\nПомощь: {hostile[2]}"
    assert all(c.data_type == "s" for c in (cells[3], cells[6], cells[7]))


def test_per_case_forms_and_refusals(sopr, tmp_path):
    sopr("signal", "add", "--no-threat", "--received", "03.03.2025 10:00", "--source", "ПДН", "--child",
         "Сидоров Пётр Ильич, 10.02.2010", "--parent", "Сидорова Алёна Петровна", "--problem", "Безнадзорность")
    sopr("check", "1", "--concluded", "05.03.2025", "--level", "high", "--outcome", "sop", "--housing",
         "квартира, 2 комнаты", "--criterion", "2")
    sopr("recognize", "1", "--date", "12.03.2025", "--resolution", "9", "--curator", "Петрова Анна Викторовна")
    sopr("plan", "add", "1", "--measure", "Беседа", "--executor", "Орган внутренних дел (ПДН)", "--due", "15.04.2025")
    sopr("plan", "approve", "1", "--date", "24.03.2025", "--resolution", "12")
    out = tmp_path / "c.xlsx"
    assert sopr("export", "conclusion", "--case", "1", "-o", str(out)).code == 0
    pairs = {}
    for row in load_workbook(out).worksheets[0].iter_rows(values_only=True):
        values = [v for v in row if v not in (None, "")]
        if values:
            pairs[values[0]] = values[1] if len(values) > 1 else None
    assert pairs["Жилищные условия"] == "квартира, 2 комнаты"  # the check's free text kept beside the checklist
    assert "уровень опасности — высокий" in pairs["Заключение"]
    prog = tmp_path / "p.xlsx"
    assert sopr("export", "program", "--case", "1", "-o", str(prog)).code == 0
    sheet = load_workbook(prog).worksheets[0]
    rows = [[v for v in r if v not in (None, "")] for r in sheet.iter_rows(values_only=True)]
    assert ["1.", "Беседа", "Исполнитель: Орган внутренних дел (ПДН)\nОтчёта об исполнении нет, срок истёк "
            "15.04.2025"] in rows  # not reported done: no date
    for args, fragment in ((["export", "bank", "-o", str(tmp_path / "b.xlsx")], "--quarter"),
                           (["export", "bank", "--quarter", "2025Q5", "-o", str(tmp_path / "b.xlsx")], "ГГГГQN"),
                           (["export", "program", "-o", str(tmp_path / "b.xlsx")], "--case"),
                           (["export", "card", "--case", "9", "-o", str(tmp_path / "b.xlsx")], "нет в реестре"),
                           (["export", "nonsense", "-o", str(tmp_path / "b.xlsx")], "Недопустимое значение выгрузки"),
                           (["export", "bank", "--quarter", "2025Q1", "-o", str(tmp_path / "b.csv")], ".xlsx"),
                           (["export", "bank", "--quarter", "2025Q1", "-o", str(tmp_path / "no" / "b.xlsx")],
                            "Папки")):
        r = sopr(*args)
        assert r.code == 2 and fragment in r.err, (args, r.err)
        assert not (tmp_path / "b.xlsx").exists()
