"""`export ics`: the agencies' terms as an iCalendar file, read back with vobject (a second implementation)
and with icalendar's own parser, on SQLite and PostgreSQL.

The dates are the production calendar's (2025: 8 March a Saturday and a holiday), compared with what
`deadlines --json` says for the same obligation, never recomputed here.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject

from tests.commands.test_refusals import snapshot
from tests.conftest import PDN, SOCIAL, ok

NAME = "Уникальнофамильный"  # the family's name: it must appear nowhere in the file
CHILD = f"{NAME} Пётр Ильич, 10.02.2012"
WINDOW = ("--from", "01.12.2024", "--to", "31.12.2025")
MSK = ZoneInfo("Europe/Moscow")


def tomorrow() -> str:
    """A fixed --as-of after every write of the test: two exports judge overdue terms alike."""
    return f"{datetime.now(MSK).date() + timedelta(days=1):%d.%m.%Y}"


@pytest.fixture
def family(sopr):
    """A phone signal of the police with a threat on Friday before New Year, the police told of the threat half an
    hour later (004 §7: an immediate term of theirs), a check, a case, a neighbour's signal joining it, a programme
    with typed measures. Issue 28: a signal's source is an agency of the directory (its receipt is its informing)
    or a citizen (no agency's term at all)."""
    ok(sopr("signal", "add", "--received", "27.12.2024 17:30", "--source", "ПДН", "--channel", "phone",
            "--child", CHILD, "--parent", f"{NAME}а Алёна Петровна", "--address", "г. Йошкар-Ола, ул. Редкая, 7",
            "--problem", f"{NAME}а злоупотребляет алкоголем", "--threat"))
    ok(sopr("emergency", "--kind", "police-info", "--signal", "1", "--at", "27.12.2024 18:00"))
    ok(sopr("check", "1", "--concluded", "05.03.2025", "--level", "high", "--outcome", "sop"))
    ok(sopr("recognize", "1", "--date", "12.03.2025", "--resolution", "9", "--curator", f"{NAME}а Куратор Ивановна"))
    ok(sopr("signal", "add", "--no-threat",
            "--received", "14.03.2025 12:00", "--source", f"соседка {NAME}а", "--child", CHILD,
            "--problem", f"{NAME}а снова злоупотребляет алкоголем", "--to-case", "1"))
    ok(sopr("plan", "add", "1", "--measure", f"Беседа с {NAME}ым Петром", "--executor", PDN, "--due", "15.04.2025"))
    ok(sopr("plan", "add", "1", "--measure", f"Пособие для {NAME}ой", "--executor", SOCIAL, "--due", "1m"))
    ok(sopr("plan", "approve", "1", "--date", "24.03.2025", "--resolution", "12"))
    return sopr


def export(sopr, path: Path, *extra: str) -> dict:
    return ok(sopr("export", "ics", "-o", str(path), "--as-of", tomorrow(), *WINDOW, "--json", *extra)).json()


def events(path: Path) -> dict[int, object]:
    """obligation id → its VEVENT, as vobject reads the file."""
    cal = vobject.readOne(path.read_text(encoding="utf-8"))
    out = {}
    for ev in cal.vevent_list:
        m = re.fullmatch(r"obligation-(\d+)@[0-9a-f]{32}\.sopcli", ev.uid.value)
        assert m, ev.uid.value
        out[int(m[1])] = ev
    return out


def vevents(data: bytes) -> dict[str, bytes]:
    """UID → the raw VEVENT block."""
    blocks = re.findall(rb"BEGIN:VEVENT\r\n.*?END:VEVENT\r\n", data, re.S)
    return {re.search(rb"\r\nUID:(\S+)\r\n", b)[1].decode(): b for b in blocks}


def rule_of(sopr, oid: int) -> str:
    return ok(sopr("deadlines", "explain", str(oid), "--json")).json()["rule"]


def digest(sopr) -> dict[int, dict]:
    doc = ok(sopr("deadlines", "--as-of", tomorrow(), "--within", "3660", "--json")).json()
    return {o["id"]: o for o in doc["obligations"]}


def test_events_read_back_by_a_second_implementation(family, tmp_path):
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "сроки.ics"
    doc = export(family, out)
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    assert [p.name for p in out.parent.iterdir()] == ["сроки.ics"]  # no temporary file left behind
    data = out.read_bytes()
    # RFC 5545 §3.1: CRLF line ends, lines of at most 75 octets
    assert data.endswith(b"END:VCALENDAR\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    assert b"COMMENT" not in data and b"This timezone" not in data  # issue 32 §5: no English in the file
    assert max(len(line) for line in data.split(b"\r\n")) <= 75
    own = icalendar.Calendar.from_ical(data)  # the writer's own parser accepts it too
    assert own["METHOD"] == "PUBLISH" and str(own["X-WR-CALNAME"]).startswith("Сроки: ")

    evs = events(out)
    assert len(evs) == doc["events"] == len(own.walk("VEVENT")) and doc["events"] > 5
    assert doc["open"] + doc["cancelled"] == doc["events"] and doc["fulfilled"] >= 1
    open_now = digest(family)
    for oid, ev in evs.items():
        start, end = ev.dtstart.value, ev.dtend.value
        if ev.status.value == "CONFIRMED":  # an open term: on the day `deadlines` gives it
            due = open_now[oid]["due"]
            if "T" in due:  # a kept moment: a timed event at it, in the registry's zone
                assert isinstance(start, datetime) and start == datetime.fromisoformat(due)
                assert end - start == timedelta(minutes=30)
                assert ev.valarm.trigger.value == timedelta(hours=-1)
            else:  # a date term: all day, ringing at 09:00 the day before
                assert not isinstance(start, datetime) and start == date.fromisoformat(due)
                assert end == start + timedelta(days=1)
                assert ev.valarm.trigger.value == timedelta(hours=-15)
        else:
            assert ev.status.value == "CANCELLED" and "valarm" not in ev.contents
        assert ev.sequence.value.isdigit()
    assert {o for o in open_now if date.fromisoformat(open_now[o]["due"][:10]) <= date(2025, 12, 31)} == {
        oid for oid, ev in evs.items() if ev.status.value == "CONFIRMED"}

    by_rule = {}
    for oid, ev in evs.items():
        # the event cites the regulation in words (issue 31 §2), never the rule's id: `explain --json` names it
        assert "правило" not in ev.description.value and "§" not in ev.description.value
        by_rule.setdefault(rule_of(family, oid), []).append((oid, ev))
    # 05.03.2025 + 3 working days: 08.03 is a Saturday and a holiday, 10.03 a Monday (001 App. 1)
    (resources,) = by_rule["fed.resources"]
    assert resources[1].dtstart.value == date(2025, 3, 10)
    assert "Срок: 10.03.2025" in resources[1].description.value
    assert "Основание: приложение №\u00a01 Методических рекомендаций (2021\u00a0г.)" in resources[1].description.value
    assert resources[1].summary.value.endswith("— сигнал № 1/2024")
    # the threat is immediate: 24 hours from the call, a moment; the police's own signal is their notice (issue 28)
    (threat,) = by_rule["fed.threat"]
    assert threat[1].dtstart.value == datetime(2024, 12, 28, 17, 30, tzinfo=MSK)
    assert threat[1].dtstart.value.utcoffset() == timedelta(hours=3)
    assert threat[1].status.value == "CANCELLED" and "Состояние: исполнено 27.12.2024" in threat[1].description.value
    # the emergency's term is immediate too (from 18:00) and still open: what the registry records, never what
    # today's clock makes of it (the event would change daily with the same SEQUENCE, and a calendar keeps the
    # copy it has)
    (guard,) = by_rule["me.police.guard"]
    assert guard[1].dtstart.value == datetime(2024, 12, 28, 18, 0, tzinfo=MSK)
    assert guard[1].status.value == "CONFIRMED" and guard[1].categories.value == [PDN]
    assert "Состояние: не исполнено" in guard[1].description.value
    assert "просрочено" not in guard[1].description.value and "наступил" not in guard[1].description.value
    # the programme's measures: the rule's title and the measure's number, never the typed text
    measures = sorted(ev.summary.value for _oid, ev in by_rule["plan.measure"])
    assert measures == ["Выполнить мероприятие и отчитаться (мероприятие № 1) — дело № 1",
                        "Выполнить мероприятие и отчитаться (мероприятие № 2) — дело № 1"]
    assert {ev.categories.value[0] for _oid, ev in by_rule["plan.measure"]} == {PDN, SOCIAL}
    phone = by_rule["me.signal.phone"][0][1]  # a phone transfer is its own fulfilment (004 §4.4)
    assert phone.status.value == "CANCELLED" and "Состояние: исполнено" in phone.description.value


def test_no_name_no_address_no_typed_text_leaves_the_commission(family, tmp_path):
    out = tmp_path / "сроки.ics"
    export(family, out)
    text = out.read_bytes().decode("utf-8")
    unfolded = text.replace("\r\n ", "")  # a folded line could split a name: search the unfolded text too
    for body in (text, unfolded, unfolded.replace("\\", "")):
        for word in ("уникальнофамильн", "редкая", "алкогол", "беседа", "пособие", "куратор ивановна", "алёна",
                     "соседк"):
            assert word not in body.lower(), word
    evs = events(out)
    # issue 28: the neighbour's signal (a source typed as a person) opens no agency's term, so nobody owes one as
    # «выявивший орган»; the police's signal owes its terms by the directory's name
    assert all(ev.categories.value != ["выявивший орган"] for ev in evs.values())
    signs = next(ev for oid, ev in evs.items() if rule_of(family, oid) == "fed.sop.signs")
    assert signs.categories.value == [PDN]
    assert f"Исполнитель: {PDN}" in signs.description.value


def test_reimport_updates_and_cancels_instead_of_duplicating(family, tmp_path):
    first, second, third = (tmp_path / f"{n}.ics" for n in ("a", "b", "c"))
    export(family, first)
    before = events(first)
    program = next(oid for oid in before if rule_of(family, oid) == "me.program.send")
    assert before[program].status.value == "CONFIRMED"
    ok(family("deadlines", "done", str(program), "--date", "28.03.2025"))
    export(family, second)
    after = events(second)
    assert set(after) == set(before)  # the same UIDs: a calendar updates its events
    assert int(after[program].sequence.value) > int(before[program].sequence.value)
    assert after[program].status.value == "CANCELLED"
    assert "Состояние: исполнено 28.03.2025" in after[program].description.value
    assert "valarm" not in after[program].contents
    a, b = vevents(first.read_bytes()), vevents(second.read_bytes())
    changed = {uid for uid in a if a[uid] != b[uid]}
    assert changed == {after[program].uid.value}  # every other event byte for byte as it was

    export(family, third)
    assert third.read_bytes() == second.read_bytes()  # an unchanged registry: the same file
    fourth = tmp_path / "d.ics"
    later = f"{datetime.now(MSK).date() + timedelta(days=40):%d.%m.%Y}"
    ok(family("export", "ics", "-o", str(fourth), "--as-of", later, *WINDOW))
    assert fourth.read_bytes() == second.read_bytes()  # and on another day: nothing in it depends on the clock


def test_who_gives_one_agency_calendar(family, tmp_path):
    out = tmp_path / "пдн.ics"
    doc = export(family, out, "--who", "ПДН")
    assert doc["calendar"] == PDN and doc["events"] >= 1
    cal = vobject.readOne(out.read_text(encoding="utf-8"))
    assert cal.contents["x-wr-calname"][0].value == f"Сроки: {PDN}"
    evs = events(out)
    assert {ev.categories.value[0] for ev in evs.values()} == {PDN}
    whole = tmp_path / "все.ics"
    export(family, whole)
    everyone = events(whole)
    assert set(evs) == {oid for oid, ev in everyone.items() if ev.categories.value[0] == PDN}
    assert set(evs) < set(everyone)
    same_agency = ok(family("export", "ics", "-o", str(tmp_path / "полиция.ics"), "--as-of", tomorrow(), *WINDOW,
                            "--who", "полиция", "--json")).json()
    assert same_agency["events"] == doc["events"]


def _no_root_powers() -> None:
    if os.geteuid() == 0:  # root ignores permissions: drop the capabilities that let it (tests/faults)
        from tests.faults.environment import drop_root_powers

        drop_root_powers()


REFUSALS = [
    (["--who", "Марсианское агентство"], "нет ни в справочнике"),
    (["--from", "31.02.2025"], "Такой даты нет"),
    (["--from", "01.2025"], "Не удалось прочитать дату"),
    (["--to", "01.03.2025 10:00"], "Лишние символы"),
    (["--from", "01.04.2025", "--to", "01.03.2025"], "позже его конца"),
    (["--quarter", "2025Q1"], "--from/--to"),
]


@pytest.mark.parametrize(("extra", "words"), REFUSALS)
def test_refusals_write_nothing(family, reg_env, tmp_path, extra, words):
    before = snapshot(reg_env["SOPCLI_DB"])
    out = tmp_path / "out"
    out.mkdir()
    r = family("export", "ics", "-o", str(out / "x.ics"), *extra)
    assert r.code == 2, (r.code, r.err)
    lines = r.err.strip().splitlines()
    assert len(lines) == 1 and words in lines[0] and "Traceback" not in r.err, r.err
    assert list(out.iterdir()) == []
    assert snapshot(reg_env["SOPCLI_DB"]) == before


def test_a_wrong_name_a_missing_or_closed_folder_is_refused(family, reg_env, tmp_path):
    before = snapshot(reg_env["SOPCLI_DB"])
    for target, words in ((tmp_path / "x.xlsx", "оканчиваться на .ics"), (tmp_path / "нет" / "x.ics", "Папки")):
        r = family("export", "ics", "-o", str(target))
        assert r.code == 2 and words in r.err and len(r.err.strip().splitlines()) == 1, r.err
    closed = tmp_path / "closed"
    closed.mkdir()
    os.chmod(closed, 0o500)
    try:
        proc = subprocess.run([sys.executable, "-m", "sopcli", "export", "ics", "-o", str(closed / "x.ics")],
                              env=reg_env, capture_output=True, text=True, timeout=120, preexec_fn=_no_root_powers)
    finally:
        os.chmod(closed, 0o700)
    assert proc.returncode == 2 and "нельзя записать" in proc.stderr, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert list(closed.iterdir()) == []
    assert snapshot(reg_env["SOPCLI_DB"]) == before


def test_a_registry_older_than_the_calendar_gets_its_id_once(family, reg_env, tmp_path):
    from sqlalchemy import create_engine, text

    db = reg_env["SOPCLI_DB"]
    engine = create_engine(db if "://" in db else f"sqlite:///{db}")
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM registry_setting WHERE key = 'calendar_uid'"))
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    export(family, first)
    export(family, second)
    with engine.connect() as conn:
        made = conn.execute(text("SELECT count(*) FROM audit_entry WHERE entity = 'registry_setting' "
                                 "AND detail LIKE '%calendar_uid%'")).scalar_one()
        key = conn.execute(text("SELECT value FROM registry_setting WHERE key = 'pseudonym_key'")).scalar_one()
    engine.dispose()
    assert made == 2  # init made one, the first export after its loss another; the second export none
    assert set(vevents(first.read_bytes())) == set(vevents(second.read_bytes()))
    assert key not in first.read_text(encoding="utf-8")  # the pseudonym key is not the calendar's id
