"""A case's whole history (issue 30 §2–3): a month of work typed today, read back as a prosecutor's check reads it.

Every step is typed on 07.12.2026 (today) with the day it happened in November: the history lists each event by
its own day, says it was recorded today and by whom (the OS user of the audit trail); `--as-of` a middle day
cuts it, by the days alone with `--known-now` and to nothing without it (nothing had been written by then).
`audit list --entity case --id 1` gathers the entries of everything that belongs to the case, and `case list`
says the recognition and the closure each with its own day and resolution.
"""

from __future__ import annotations

import getpass
import os
import stat
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import ok, refused

CHILD = "Орлов Иван Петрович"
MOTHER = "Орлова Мария Ивановна"

#: (kind, the event's own day, the words the text must carry), in the order they happened
STORY = [
    ("signal", "2026-11-02T10:00", "сигнал № 1/2026"),
    ("signal-attached", "2026-11-05T12:00", "сигнал № 2/2026"),
    ("check", "2026-11-09", "заключение проверки"),
    ("emergency", "2026-11-12T09:30", "экстренная ситуация"),
    ("recognition", "2026-11-16", "постановление № 41-п"),
    ("proposal", "2026-11-17", "предложения в программу"),
    ("plan-approved", "2026-11-18", "постановление № 43-п"),
    ("consent", "2026-11-19", "согласие на обработку персональных данных"),
    ("report", "2026-11-27", "отчёт по мероприятию № 1"),
    ("control", "2026-12-02", "контроль исполнения программы"),
    ("reminder", "2026-12-03", "напоминание о сроках направлено (Орган внутренних дел (ПДН))"),
    ("closure", "2026-12-04", "постановление № 52-п"),
]


def _json(sopr, *args: str) -> dict:
    return ok(sopr(*args, "--json")).json()


def _month(sopr, letters: Path) -> None:
    ok(sopr("init", "--new", "--municipality", "г. Йошкар-Олы"))
    ok(sopr("signal", "add", "--received", "02.11.2026 10:00", "--source", "ПДН", "--channel", "письменно",
            "--child", f"{CHILD}, 05.03.2014", "--parent", MOTHER, "--problem", "не посещает школу", "--no-threat"))
    ok(sopr("check", "1", "--concluded", "09.11.2026", "--level", "high", "--outcome", "sop", "--criterion", "1"))
    ok(sopr("emergency", "--kind", "guard-info", "--signal", "1", "--at", "12.11.2026 09:30", "--agency", "опека"))
    ok(sopr("recognize", "1", "--date", "16.11.2026", "--resolution", "41-п", "--curator", "Петрова Анна Викторовна",
            "--member", "ПДН", "--member", "опека"))
    ok(sopr("signal", "add", "--received", "05.11.2026 12:00", "--source", "опека", "--channel", "письменно",
            "--child", f"{CHILD}, 05.03.2014", "--problem", "жалобы соседей", "--no-threat", "--to-case", "1"))
    ok(sopr("plan", "propose", "1", "--agency", "ПДН", "--date", "17.11.2026", "--measure",
            "Профилактическая беседа; 25.11.2026"))
    measure = _json(sopr, "plan", "add", "1", "--measure", "Профилактическая беседа", "--executor", "ПДН",
                    "--due", "25.11.2026")["measure"]
    ok(sopr("plan", "approve", "1", "--date", "18.11.2026", "--resolution", "43-п"))
    ok(sopr("consent", "1", "--given", "--on", "19.11.2026", "--by", MOTHER))
    ok(sopr("report", "1", str(measure), "--date", "27.11.2026", "--status", "выполнено", "--text",
            "беседа проведена"))
    ok(sopr("control", "1", "--date", "02.12.2026", "--decision", "continue"))
    # the police's term of the first signal ran out: the reminder sent on 03.12 is marked on that signal (the
    # trail's `remind` entry), and the history of the case tells it
    sent = _json(sopr, "remind", "--who", "ПДН", "--as-of", "03.12.2026 10:00", "--known-now", "--sent", "03.12.2026",
                 "-o", str(letters / "пдн.docx"))
    assert [x["marked"] for x in sent["letters"]] == [{"cases": [], "signals": [1]}], sent
    ok(sopr("close", "1", "--date", "04.12.2026", "--resolution", "52-п", "--ground", "improved"))


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_the_history_lists_every_event_in_order_with_who_recorded_it(sopr, tmp_path: Path):
    started = datetime.now().astimezone()
    _month(sopr, tmp_path)
    doc = _json(sopr, "case", "history", "1")
    events = doc["events"]
    assert doc["case"] == 1
    assert [e["kind"] for e in events] == [k for k, _, _ in STORY]
    own = {e["kind"]: e for e in events}
    for kind, at, words in STORY:
        e = own[kind]
        assert e["at"].startswith(at), (kind, e["at"])
        assert e["timed"] is ("T" in at), kind
        assert words in e["text"], (kind, e["text"])
    me = getpass.getuser()
    for e in events:  # each recorded today, by the one who typed it, in the order of the events' moments
        assert e["recorded_by"] == me, e
        assert started - timedelta(minutes=1) <= _moment(e["recorded_at"]) <= datetime.now().astimezone()
        assert _moment(e["recorded_at"]) >= _moment(e["at"])
    ordered = [(_moment(e["at"]), _moment(e["recorded_at"])) for e in events]
    assert ordered == sorted(ordered)
    # the second signal was written after the recognition, though received before it
    assert _moment(own["signal-attached"]["recorded_at"]) > _moment(own["recognition"]["recorded_at"])

    text = ok(sopr("case", "history", "1")).out
    assert "Ход работы по делу № 1" in text
    lines = [line for line in text.splitlines() if line[:4].strip().rstrip(".").isdigit()]
    assert len(lines) == len(events)
    assert lines[0].split()[1:3] == ["02.11.2026", "10:00"]
    assert "поступил сигнал № 1/2026; источник: Орган внутренних дел (ПДН)" in lines[0]
    assert "16.11.2026" in lines[4] and "признание находящимся в СОП" in lines[4]
    assert all(f"записано {date.today():%d.%m.%Y}" in line and line.endswith(me) for line in lines)
    assert "прекращение работы (улучшение положения в семье), постановление № 52-п" in lines[-1]
    for code in ("signal", "recognition", "closure", "improved", "None", "T10:00"):
        assert code not in text


def test_as_of_cuts_the_history_by_what_had_happened_and_had_been_written(sopr, tmp_path: Path):
    _month(sopr, tmp_path)
    known = _json(sopr, "case", "history", "1", "--as-of", "17.11.2026 12:00", "--known-now")
    assert [e["kind"] for e in known["events"]] == ["signal", "signal-attached", "check", "emergency",
                                                    "recognition", "proposal"]
    assert known["as_of"].startswith("2026-11-17T12:00") and known["known_now"] is True
    # as written by then: nothing had been recorded on 17.11 (every step was typed today)
    assert _json(sopr, "case", "history", "1", "--as-of", "17.11.2026 12:00")["events"] == []
    assert "событий 0" in ok(sopr("case", "history", "1", "--as-of", "17.11.2026 12:00")).out
    # a day-only step happened at the start of its day: the recognition of 16.11 is in the cut of 16.11
    day = _json(sopr, "case", "history", "1", "--as-of", "16.11.2026", "--known-now")
    assert day["events"][-1]["kind"] == "recognition"
    refused(sopr("case", "history", "7"), "Дела №7 нет")


def test_audit_list_of_a_case_gathers_everything_that_belongs_to_it(sopr, tmp_path: Path):
    _month(sopr, tmp_path)
    entries = _json(sopr, "audit", "list", "--entity", "case", "--id", "1", "--limit", "1000")["entries"]
    entities = {e["entity"] for e in entries}
    assert {"case", "signal", "check", "plan", "measure", "report", "proposal", "case_event", "emergency",
            "obligation"} <= entities
    kinds = {e["detail"].get("kind") for e in entries if e["entity"] == "case_event"}
    assert kinds == {"consent", "control"}
    assert [(e["action"], e["entity_id"]) for e in entries if e["action"] == "remind"] == [("remind", 1)]
    assert {e["action"] for e in entries if e["entity"] == "obligation"} >= {"open", "fulfil", "cancel"}
    assert {e["entity_id"] for e in entries if e["entity"] == "signal"} == {1, 2}
    assert [e["id"] for e in entries] == sorted(e["id"] for e in entries)
    # another entity keeps its own entries only
    signal = _json(sopr, "audit", "list", "--entity", "signal", "--id", "2")["entries"]
    assert {(e["entity"], e["entity_id"]) for e in signal} == {("signal", 2)}
    text = ok(sopr("audit", "list", "--entity", "дело", "--id", "1", "--limit", "1000")).out
    assert "утверждение, программа" in text and "создание, отчёт" in text and "присоединение, сигнал № 2" in text
    # a second case's entries are not the first one's
    ok(sopr("signal", "add", "--received", "03.12.2026 10:00", "--source", "ПДН", "--channel", "письменно",
            "--child", "Белов Артём Сергеевич, 11.07.2012", "--problem", "не ночует дома", "--no-threat"))
    after = _json(sopr, "audit", "list", "--entity", "case", "--id", "1", "--limit", "1000")["entries"]
    assert after == entries


def test_case_list_says_the_recognition_and_the_closure_each_with_its_own_day(sopr, tmp_path: Path):
    _month(sopr, tmp_path)
    ok(sopr("signal", "add", "--received", "03.12.2026 10:00", "--source", "ПДН", "--channel", "письменно",
            "--child", "Белов Артём Сергеевич, 11.07.2012", "--problem", "не ночует дома", "--no-threat"))
    ok(sopr("check", "3", "--concluded", "04.12.2026", "--level", "high", "--outcome", "sop", "--criterion", "1"))
    ok(sopr("recognize", "3", "--date", "07.12.2026", "--resolution", "55-п", "--curator", "Сидорова Е. И."))
    lines = ok(sopr("case", "list")).out.splitlines()
    assert "закрыто 04.12.2026 пост. № 52-п (признано 16.11.2026 пост. № 41-п)" in lines[0]
    assert "открыто, признано 07.12.2026 пост. № 55-п" in lines[1]
    assert "закрыто с" not in lines[0]
    cases = _json(sopr, "case", "list")["cases"]
    assert [(c["status"], c["recognized_on"], c["resolution"], c["closed_on"], c["close_resolution"])
            for c in cases] == [("closed", "2026-11-16", "41-п", "2026-12-04", "52-п"),
                                ("open", "2026-12-07", "55-п", None, None)]


def test_the_paper_is_the_history_on_a4_with_the_commission_and_the_secretary(sopr, tmp_path: Path):
    from openpyxl import load_workbook

    _month(sopr, tmp_path)
    out = tmp_path / "справка.xlsx"
    doc = _json(sopr, "case", "history", "1", "-o", str(out))
    assert doc["file"] == str(out)
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    ws = load_workbook(out).worksheets[0]
    rows = [[c for c in r] for r in ws.iter_rows(values_only=True)]
    assert rows[0][0] == "КДН и ЗП г. Йошкар-Олы\nСправка о ходе работы по делу № 1"
    assert CHILD in rows[1][0] and MOTHER in rows[1][0] and "05.03.2014" in rows[1][0]
    assert list(rows[2]) == ["№ п/п", "Дата события", "Событие", "Записано (дата, время)", "Кем записано"]
    body = [r for r in rows if isinstance(r[0], int)]
    assert [r[0] for r in body] == list(range(1, len(doc["events"]) + 1))
    assert [r[2] for r in body] == [e["text"] for e in doc["events"]]
    assert body[0][1] == "02.11.2026 10:00" and body[-1][1] == "04.12.2026"
    assert all(r[3].startswith(f"{date.today():%d.%m.%Y} ") and r[4] == getpass.getuser() for r in body)
    assert any("секретарь" in str(r[0]).lower() for r in rows if r[0])
    assert ws.page_setup.paperSize in (9, "9")  # A4
    out.write_bytes(b"old")  # written over, as every export
    ok(sopr("case", "history", "1", "-o", str(out)))
    assert load_workbook(out).worksheets[0]["A1"].value.endswith("№ 1")


@pytest.mark.parametrize("target, why", [("нет/справка.xlsx", "Папки для"), ("справка.txt", "на .xlsx")])
def test_the_paper_is_refused_before_anything_is_read(sopr, tmp_path: Path, target: str, why: str):
    ok(sopr("init", "--new"))
    refused(sopr("case", "history", "1", "-o", str(tmp_path / target)), why)
    assert not (tmp_path / target).exists()
    refused(sopr("case", "history", "9", "-o", str(tmp_path / "справка.xlsx")), "Дела №9 нет")
    assert not (tmp_path / "справка.xlsx").exists()


def test_an_arrival_and_a_move_away_are_in_the_history(sopr):
    ok(sopr("transfer", "in", "--learned", "02.11.2026 11:00", "--from", "КДН и ЗП г. Чебоксары", "--child",
            "Ленин Олег Ильич, 05.05.2012", "--parent", "Ленина Ольга Петровна"))
    ok(sopr("check", "1", "--concluded", "05.11.2026", "--level", "medium", "--outcome", "sop"))
    ok(sopr("recognize", "1", "--date", "10.11.2026", "--resolution", "45-п", "--curator", "Иванова Е. В."))
    ok(sopr("transfer", "out", "1", "--learned", "01.12.2026", "--to", "г. Казань, ул. Баумана, д. 12"))
    events = _json(sopr, "case", "history", "1")["events"]
    assert [(e["kind"], e["day"]) for e in events] == [
        ("arrival", "2026-11-02"), ("check", "2026-11-05"), ("recognition", "2026-11-10"),
        ("move-out", "2026-12-01")]
    assert events[0]["text"] == ("прибытие из другого муниципалитета (КДН и ЗП г. Чебоксары), запись в журнале "
                                 "№ 1/2026")
    assert events[-1]["text"] == "выявлен переезд на новое место жительства (г. Казань, ул. Баумана, д. 12)"
