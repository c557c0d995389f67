"""A signal is named as the journal and the papers print it, «N/ГГГГ», or by its id (issue 31 §5).

The registry's ids and the journal's numbers part ways at a new year: here the first signal is № 1/2025
(id 1), and the year 2026 starts again at № 1/2026 (id 2) and № 2/2026 (id 3). Every command that takes a
signal must find id 3 under «2/2026», «№ 2/2026» and «3» alike, and refuse a number the journal has not.
"""

from __future__ import annotations

import pytest
from docx import Document

from tests.conftest import ok, refused

SCHOOL = "МБОУ СОШ № 5"


@pytest.fixture
def reg(sopr):
    ok(sopr("init", "--new", "--municipality", "г. Йошкар-Ола"))
    ok(sopr("agency", "add", SCHOOL, "--kind", "образование"))
    for received, child in (("29.12.2025 17:30", "Сидоров Пётр Ильич, 10.02.2012"),
                            ("12.01.2026 10:00", "Орлова Анна Павловна, 03.03.2013"),
                            ("14.01.2026 17:30", "Кравец Илья Олегович, 21.07.2014")):
        ok(sopr("signal", "add", "--no-threat", "--received", received, "--source", SCHOOL, "--channel", "phone",
                "--child", child, "--parent", "Кравец Светлана Олеговна", "--problem", "Пропуски"))
    return sopr


def test_the_journal_number_names_the_same_signal_as_its_id(reg, tmp_path):
    by_id = ok(reg("signal", "show", "3", "--json")).json()
    assert by_id["id"] == 3 and by_id["number"] == "2/2026"
    del by_id["as_of"]  # now, a moment later each time
    for typed in ("2/2026", "№ 2/2026", "№2/2026", " 2 / 2026 "):
        doc = ok(reg("signal", "show", typed, "--json")).json()
        assert {k: v for k, v in doc.items() if k != "as_of"} == by_id, typed
    assert ok(reg("signal", "show", "2/2026")).out.startswith("Сигнал № 2/2026 от 14.01.2026 17:30")
    assert ok(reg("signal", "show", "1/2026")).out.startswith("Сигнал № 1/2026 от 12.01.2026 10:00")

    # the phone call's written confirmation, marked by the number the secretary sees in the journal
    done = ok(reg("deadlines", "done", "--rule", "me.signal.written", "--signal", "2/2026",
                  "--date", "15.01.2026 16:00", "--json")).json()
    assert done["obligation"]["rule"] == "me.signal.written" and done["obligation"]["signal"] == 3
    assert done["obligation"]["status"] == "fulfilled"
    checked = ok(reg("check", "2/2026", "--concluded", "20.01.2026", "--level", "high", "--outcome", "sop",
                     "--criterion", "1", "--json")).json()
    assert checked["signal"] == 3
    line = ok(reg("check", "2/2026", "--amend", "--family", "мать, сын")).out
    assert line.startswith("Заключение проверки сигнала №2/2026 дополнено")
    case = ok(reg("recognize", "№ 2/2026", "--date", "22.01.2026", "--resolution", "3-п", "--curator",
                  "Иванова Елена Викторовна", "--json")).json()["case"]
    assert ok(reg("signal", "show", "3", "--json")).json()["case"] == case
    assert ok(reg("signal", "show", "1/2025", "--json")).json()["check"] is None  # the others untouched
    em = ok(reg("emergency", "--kind", "police-info", "--signal", "1/2026", "--at", "13.01.2026 09:00",
                "--json")).json()
    assert em["signal"] == 2
    kid = next(p["id"] for p in ok(reg("person", "list", "--json")).json()["persons"]
               if p["name"] == "Орлова Анна Павловна")
    shown = ok(reg("person", "set", str(kid), "--relation", "дочь", "--signal", "1/2026", "--json")).json()
    assert [(s["signal"], s["relation"]) for s in shown["person"]["signals"]] == [(2, "дочь")]

    trail = ok(reg("audit", "list", "--entity", "signal", "--id", "2/2026", "--json")).json()["entries"]
    assert trail and trail == ok(reg("audit", "list", "--entity", "signal", "--id", "3", "--json")).json()["entries"]
    assert {e["entity_id"] for e in trail} == {3}

    # the request to the previous place (a signal's document), by the number its arrival was journalled under
    arrived = ok(reg("transfer", "in", "--learned", "02.02.2026 11:00", "--from", "КДН г. Чебоксары",
                     "--child", "Ленин Олег Ильич, 05.05.2012", "--json")).json()
    assert (arrived["id"], arrived["number"]) == (4, "3/2026")
    out = tmp_path / "запрос.docx"
    sent = ok(reg("doc", "arrival-request", "№ 3/2026", "-o", str(out), "--sent", "03.02.2026", "--json")).json()
    assert [o["signal"] for o in sent["fulfilled"]] == [4]
    paper = Document(str(out))
    body = "\n".join([p.text for p in paper.paragraphs]
                     + [c.text for t in paper.tables for row in t.rows for c in row.cells])
    assert "КДН г. Чебоксары" in body and "Ленин Олег Ильич" in body, body  # signal 4's paper, no other

    # the check's conclusion (App. 2) by the number is the file it is by the id
    from openpyxl import load_workbook

    sheets = []
    for typed in ("2/2026", "3"):
        out = tmp_path / f"заключение-{typed.replace('/', '-')}.xlsx"
        ok(reg("export", "conclusion", "--signal", typed, "-o", str(out)))
        sheets.append([list(r) for r in load_workbook(out).worksheets[0].iter_rows(values_only=True)])
    assert sheets[0] == sheets[1]


@pytest.mark.parametrize(("args", "said"), [
    (["signal", "show", "9/2026"], "Сигнала № 9/2026 в журнале нет."),
    (["signal", "show", "3/2025"], "Сигнала № 3/2025 в журнале нет."),
    (["check", "2/2027", "--concluded", "20.01.2026", "--level", "high", "--outcome", "sop", "--criterion", "1"],
     "Сигнала № 2/2027 в журнале нет."),
    (["deadlines", "done", "--rule", "me.signal.written", "--signal", "5/2026", "--date", "15.01.2026 16:00"],
     "Сигнала № 5/2026 в журнале нет."),
    (["recognize", "0/2026", "--date", "22.01.2026", "--resolution", "3-п", "--curator", "Иванова Е. В."],
     "N/ГГГГ, номер от 1"),
    (["signal", "show", "Кравец"], "id или N/ГГГГ из журнала"),
    (["audit", "list", "--entity", "case", "--id", "2/2026"], "только у сигнала"),
    (["signal", "show", "2/26"], "id или N/ГГГГ из журнала"),
    (["doc", "program-letter", "2/2026", "-o", "письмо.docx"], "документ по делу"),
    (["doc", "arrival-request", "2/2026", "-o", "запрос.docx"], "Сигнал № 2/2026 — не прибытие"),
    (["doc", "arrival-request", "7/2026", "-o", "запрос.docx"], "Сигнала № 7/2026 в журнале нет."),
])
def test_a_number_the_journal_has_not_is_refused_and_nothing_is_written(reg, reg_env, args, said):
    before = ok(reg("deadlines", "--json")).json()["obligations"]
    r = refused(reg(*args), said)
    assert r.out == "" and "Кравец" not in r.err and "Traceback" not in r.err  # nothing listed, no name echoed
    assert ok(reg("deadlines", "--json")).json()["obligations"] == before


def test_the_help_says_both(sop):
    for args in (["signal", "show"], ["check"], ["recognize"], ["deadlines", "done"], ["emergency"]):
        assert "id или N/ГГГГ из журнала" in " ".join(ok(sop(*args, "--help")).out.split()), args
