"""`export KIND --anonymize`: every cell of every sheet read back and scanned for every person's name
parts, birth date and address in the registry; figures still add up; on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import create_engine, text

from tests.conftest import ok

pytestmark = pytest.mark.slow

FAMILIES = [  # (children, parents, address, problem)
    (["Сидоров Пётр Ильич, 10.02.2010", "Сидорова Злата Ильинична, 03.05.2013"], ["Сидорова Ангелина Петровна"],
     "г. Энск, ул. Вишнёвая, д. 7, кв. 3", "Мать (Сидорова А. П.) не работает, Пётр не посещает школу"),
    (["Орлов Гордей Назарович, 21.07.2009"], ["Орлова Ульяна Тимуровна"], "ул. Черёмуховая, 12",
     "Гордей ночует у друзей"),
    (["Лебедев Савва Маркович, 14.11.2011"], [], "пер. Кленовый, 4", "Савва задержан ПДН"),
]
SOURCE = "соседка Кузнецова Мария Ивановна"  # a source typed as a person: free text, removed
CURATOR = "Петрова Анна Викторовна"
MEASURE = "Беседа с Орловым Гордеем"  # a measure's title naming the child: it reaches the digest


def _url(reg_env) -> str:
    db = reg_env["SOPCLI_DB"]
    return db if "://" in db else f"sqlite:///{db}"


def _query(reg_env, sql: str) -> list:
    engine = create_engine(_url(reg_env))
    with engine.connect() as conn:
        rows = conn.execute(text(sql)).all()
    engine.dispose()
    return rows


def _norm(s: str) -> str:
    return s.lower().replace("ё", "е")


def secrets_of(reg_env) -> tuple[set[str], set[date]]:
    """What must never leave: from the registry itself, not from the test's own lists."""
    words: set[str] = set()
    births: set[date] = set()
    for name, born in _query(reg_env, "SELECT full_name, birth_date FROM person"):
        words |= {_norm(part) for part in name.split()}
        if born is not None:
            births.add(date.fromisoformat(born) if isinstance(born, str) else born)
    for address, source, problem in _query(reg_env, "SELECT address, source, problem FROM signal"):
        if address:
            words.add(_norm(address))
            words |= {_norm(w) for w in re.findall(r"\w{5,}", address)}  # the street alone gives a family away
        words |= {_norm(w) for w in re.findall(r"\w{5,}", source) if w[0].isupper()}
        words.add(_norm(problem))
    for (curator,) in _query(reg_env, "SELECT curator FROM sop_case"):
        words |= {_norm(part) for part in curator.split()}
    words -= {"г.", "ул.", "д.", "кв.", "пер."}
    return words, births


def cells(path: Path) -> list:
    """Every value of every sheet: titles, headers, data, notes."""
    wb = load_workbook(path)
    return [v for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None]


def leaks(path: Path, words: set[str], births: set[date]) -> list[str]:
    found = []
    for v in cells(path):
        if isinstance(v, datetime | date):
            day = v.date() if isinstance(v, datetime) else v
            if day in births:
                found.append(f"birth date cell {day}")
            continue
        s = _norm(str(v))
        found += [f"{w!r} in {s[:60]!r}" for w in words if w in s]
        found += [f"{b} in {s[:60]!r}" for b in births
                  if f"{b:%d.%m.%Y}" in s or b.isoformat() in s or f"{b:%d.%m.%y}" in s]
    return found


def data(path: Path, first: int) -> list[list]:
    """The data rows: under the form's numbered column row (below the appendix header where the form has one,
    else from row `first`), without the note under an anonymised table and the signature lines."""
    ws = load_workbook(path).worksheets[0]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    numbered = [i for i, r in enumerate(rows[:8]) if r[:2] == ["1", "2"]]
    rows = rows[numbered[0] + 1 if numbered else first - 1:]
    signed = [i for i, r in enumerate(rows) if any(isinstance(v, str) and "______" in v for v in r)]
    rows = rows[:signed[0]] if signed else rows
    rows = [r for r in rows if any(v is not None for v in r)]
    return [r for r in rows if not (isinstance(r[0], str) and r[0].startswith("Обезличено"))]


@pytest.fixture
def families(sopr):
    ok(sopr("init", "--new", "--municipality", "пгт Энский"))
    ok(sopr("agency", "add", "МБОУ СОШ № 2", "--kind", "образование"))  # the signals' source (issue 28)
    for n, (kids, parents, address, problem) in enumerate(FAMILIES, 1):
        args = ["signal", "add", "--no-threat",
                "--received", f"1{n}.02.2025 10:00", "--source", SOURCE if n == 2 else "МБОУ СОШ № 2",
                "--channel", "phone", "--address", address, "--problem", problem]
        for k in kids:
            args += ["--child", k]
        for p in parents:
            args += ["--parent", p]
        ok(sopr(*args))
        ok(sopr("check", str(n), "--concluded", f"2{n}.02.2025", "--level", "high", "--outcome", "sop",
                "--criterion", "1", "--criterion", str(n + 1)))
        ok(sopr("recognize", str(n), "--date", "03.03.2025", "--resolution", f"{n}-п", "--curator", CURATOR))
    ok(sopr("plan", "add", "2", "--measure", MEASURE, "--executor", "Орган внутренних дел (ПДН)", "--due",
            "14.04.2025"))
    ok(sopr("plan", "approve", "2", "--date", "10.03.2025", "--resolution", "5-п"))
    ok(sopr("close", "1", "--date", "20.05.2025", "--resolution", "9-п", "--ground", "improved"))
    return sopr


def export(run, tmp_path, kind: str, *args: str, anon: bool) -> Path:
    out = tmp_path / f"{kind}{'-anon' if anon else ''}.xlsx"
    r = ok(run("export", kind, *args, "-o", str(out), *(["--anonymize"] if anon else []), "--json"))
    assert r.json()["anonymized"] is anon
    return out


KINDS = [("journal", "--year", "2025"), ("bank", "--all"),
         ("digest", "--as-of", "01.04.2025", "--known-now", "--within", "60"),
         ("stat", "--year", "2025", "--as-of", "01.06.2025", "--known-now"),
         ("scorecard", "--year", "2025", "--as-of", "01.06.2025", "--known-now"),
         ("measures", "--year", "2025")]


def test_no_cell_of_an_anonymised_export_names_anyone(families, reg_env, tmp_path):
    words, births = secrets_of(reg_env)
    assert len(births) == 4 and "сидорова" in words and "вишневая" in words
    for kind, *args in KINDS:
        if kind == "measures":
            r = families("export", kind, *args, "-o", str(tmp_path / "m.xlsx"), "--anonymize")
            assert r.code == 2 and "Комплексов мер" in r.err  # none imported: nothing to depersonalise
            continue
        plain = export(families, tmp_path, kind, *args, anon=False)
        anon = export(families, tmp_path, kind, *args, anon=True)
        if kind in ("journal", "bank", "digest"):
            assert leaks(plain, words, births), kind  # the scan would see them if they were there
        assert leaks(anon, words, births) == [], kind
        ws = load_workbook(anon).worksheets[0]
        title = ws["A2"].value if kind in ("journal", "bank") else ws["A1"].value  # under the appendix header
        assert "обезличено" in title and "пгт Энский" in title


def test_pseudonyms_are_stable_distinct_the_rows_count_and_cases_refuse(families, reg_env, tmp_path):
    bank = data(export(families, tmp_path, "bank", "--all", anon=False), 5)
    anon = data(export(families, tmp_path, "bank", "--all", anon=True), 5)
    again = data(export(families, tmp_path, "bank", "--all", anon=True), 5)
    assert anon == again and len(anon) == len(bank) == 3
    for plain_row, row in zip(bank, anon, strict=True):
        kids = plain_row[2].split("\n")
        pseudo = row[2].split("\n")
        assert len(pseudo) == len(kids)
        for name_birth, p in zip(kids, pseudo, strict=True):  # birth date → birth year
            assert re.fullmatch(r"Л-[A-Z2-7]{10}, (\d{4}) г\. р\.", p)[1] == name_birth[-4:]
        assert row[4] is None and row[7:] == plain_row[7:]  # no address; the register's dates kept
        assert row[6] == plain_row[6] and row[6].startswith("Родители уклоняются")  # the criteria in words
    people = [p for row in anon for cell in row[2:4] if cell for p in cell.split("\n")]
    assert len({p.split(",")[0] for p in people}) == len(people) == 6  # 4 children, 2 parents: 6 persons

    journal = data(export(families, tmp_path, "journal", "--year", "2025", anon=True), 5)
    assert [row[0] for row in journal] == [1, 2, 3]  # «№ п/п»; the journal number a pseudonym in «Результат»
    signals = [re.match(r"Зарегистрировано за №\s(С-[A-Z2-7]{10})", row[7])[1] for row in journal]
    assert len(set(signals)) == 3
    assert {row[4] for row in journal} == {row[2] for row in anon}  # the same child, the same pseudonym
    assert all(re.search(r"дело №\sД-[A-Z2-7]{10}$", row[7]) for row in journal)

    key = _query(reg_env, "SELECT value FROM registry_setting WHERE key = 'pseudonym_key'")[0][0]
    assert len(key) == 64
    audit = " ".join(d for (d,) in _query(reg_env, "SELECT detail FROM audit_entry"))
    assert "pseudonym_key" in audit and key not in audit

    for kind in ("card", "conclusion", "program", "proposals"):  # one family each: nothing statistical left
        out = tmp_path / f"{kind}.xlsx"
        r = families("export", kind, "--case", "2", "-o", str(out), "--anonymize")
        assert r.code == 2 and "обезличить её нельзя" in r.err and r.out == ""
        assert not out.exists()


def test_figures_keep_their_values_and_small_cells_are_suppressed(families, tmp_path):
    args = ("--year", "2025", "--as-of", "01.06.2025", "--known-now")
    plain = {row[1]: row[2] for row in data(export(families, tmp_path, "stat", *args, anon=False), 5)}
    anon = {row[1]: row[2] for row in data(export(families, tmp_path, "stat", *args, anon=True), 5)}
    assert plain.keys() == anon.keys()
    signals = "Поступило сигналов (журнал первичного учета)"
    assert plain[signals] == anon[signals] == 3
    for label, value in plain.items():
        shown = anon[label]
        assert shown == value or (shown == "<3" and value in (1, 2)), (label, value, shown)
    assert anon["— из них несовершеннолетних в этих делах"] == 4
    assert anon["— прекращена работа в году, всего"] == "<3"

    card = data(export(families, tmp_path, "scorecard", *args, anon=True), 5)
    original = {row[1]: row for row in data(export(families, tmp_path, "scorecard", *args, anon=False), 5)}
    for row in card:
        counts = [row[2], row[3], row[4], *row[6:]]
        assert all(v == "<3" or v == 0 or v >= 3 for v in counts), row
        source = original.get(row[1])
        if source is None:
            continue
        for shown, value in zip(counts, [source[2], source[3], source[4], *source[6:]], strict=True):
            assert shown == value or shown == "<3", (row, source)
        hidden = [v for v in counts[1:] if v == "<3"]
        assert len(hidden) != 1 or counts[0] == "<3"  # one hidden part of a shown total: got by subtraction


def test_a_pupils_list_leaves_the_school_without_names(sop, reg_env, tmp_path):
    ok(sop("init", "--new", "--rules", "school"))
    ok(sop("signal", "add", "--no-threat",
           "--received", "30.10.2025 10:00", "--source", "Классный руководитель Зуева Р. Р.",
           "--child", "Котов Илья Андреевич, 02.02.2012", "--address", "ул. Рябиновая, 5", "--problem", "Пропуски"))
    ok(sop("school", "council", "1", "--date", "05.11.2025", "--decision", "account", "--category", "yellow.1",
           "--curator", "Смирнова Ольга Петровна"))
    words, births = secrets_of(reg_env)
    plain = export(sop, tmp_path, "pupils", "--year", "2025", anon=False)
    anon = export(sop, tmp_path, "pupils", "--year", "2025", anon=True)
    assert leaks(plain, words, births)
    assert leaks(anon, words, births) == []
    [row] = data(anon, 5)
    assert re.fullmatch(r"Л-[A-Z2-7]{10}", row[1]) and row[2] == 2012 and row[3] == "жёлтая"
    assert row[5] is None and re.fullmatch(r"Д-[A-Z2-7]{10}", row[9])
