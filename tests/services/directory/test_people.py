"""People as papers name them, children without a birth date, and known people at intake (issue 13)."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import threat

SIGNAL = ["signal", "add", "--received", "10.03.2025 09:00", "--source", "Школа № 1", "--problem", "Пропуски"]
CHILD = "Орлов Иван Петрович, 01.01.2012"


@pytest.fixture(autouse=True)
def school(sopr):
    """Every registry here with the school the signals come from in its directory (issue 28: `--source` names
    an agency). Autouse, not an override of `sopr` by its own name:
    pytest 8 then loses the engines' parameter."""
    assert sopr("agency", "add", "Школа № 1", "--kind", "образование").code == 0


def count(url: str, table: str) -> int:
    engine = create_engine(url if "://" in url else f"sqlite:///{url}")
    with engine.connect() as conn:
        n = conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
    engine.dispose()
    return n


def add(sopr, *args: str, when: str = "10.03.2025 09:00"):
    r = sopr("signal", "add", *threat(args),
             "--received", when, "--source", "Школа № 1", "--problem", "Пропуски", *args)
    assert r.code == 0, r.err
    return r


def open_case(sopr, child: str = CHILD, curator: str = "Иванова Е.В.", parent: str = "Орлова Анна Сергеевна"):
    add(sopr, "--child", child, "--parent", parent)
    assert sopr("check", "1", "--concluded", "12.03.2025", "--level", "low", "--outcome", "sop").code == 0
    r = sopr("recognize", "1", "--date", "13.03.2025", "--resolution", "5", "--curator", curator)
    assert r.code == 0, r.err


def rules_of(doc: dict, status: str) -> set[str]:
    return {o["rule"] for o in doc["obligations"] if o["status"] == status}


# -- officials with initials; a child only by full name ---------------------------------------------
def test_officials_may_be_named_by_initials(sopr):
    open_case(sopr, curator="Иванова Е. В.")
    add(sopr, "--child", "Сидоров Олег Ильич, 02.02.2013", when="11.03.2025 09:00")
    sopr("check", "2", "--concluded", "12.03.2025", "--level", "low", "--outcome", "sop")
    r = sopr("recognize", "2", "--date", "13.03.2025", "--resolution", "6", "--curator", "Е.В. Иванова")
    assert r.code == 0, r.err
    assert [c["curator"] for c in sopr("case", "list", "--json").json()["cases"]] == ["Иванова Е. В.", "Е.В. Иванова"]
    r = sopr("consent", "1", "--given", "--on", "14.03.2025", "--by", "Орлова А.С.")
    assert r.code == 0, r.err
    assert sopr("case", "show", "1", "--json").json()["consent"]["by"] == "Орлова А.С."


def test_a_curator_that_is_not_a_name_is_refused(sopr):
    add(sopr, "--child", CHILD)
    sopr("check", "1", "--concluded", "12.03.2025", "--level", "low", "--outcome", "sop")
    r = sopr("recognize", "1", "--date", "13.03.2025", "--resolution", "5", "--curator", "Е.В.")
    assert r.code == 2 and "с инициалами" in r.err


@pytest.mark.parametrize("child", ["Иванов П.И., 01.01.2012", "Иванов П. И.", "П.И. Иванов, 01.01.2012",
                                   "Иванов П И, 01.01.2012"])
def test_a_child_by_initials_is_refused_without_the_name(sopr, db_url, child):
    r = sopr(*SIGNAL, "--child", child, "--no-threat")
    assert r.code == 2
    assert r.err.strip().count("\n") == 0 and "полное ФИО ребёнка" in r.err
    assert "Иванов" not in r.err  # 152-ФЗ: never a child's name in an error
    assert count(db_url, "signal") == 0


# -- a child without a birth date ------------------------------------------------------------------
def test_a_child_without_a_birth_date_is_registered_and_flagged(sopr):
    add(sopr, "--child", "Иванов Пётр Ильич", "--channel", "phone")
    shown = sopr("signal", "show", "1")
    assert "Иванов Пётр Ильич — дата рождения не установлена" in shown.out
    kid = sopr("signal", "show", "1", "--json").json()["persons"][0]
    assert kid["birth_date"] is None and kid["birth_date_unknown"] is True
    listed = sopr("person", "list", "--no-birth-date", "--json").json()["persons"]
    assert [(p["id"], p["name"]) for p in listed] == [(kid["person_id"], "Иванов Пётр Ильич")]


def test_the_digest_reminds_to_establish_the_date_without_the_name(sopr):
    add(sopr, "--child", "Иванов Пётр Ильич")
    add(sopr, "--child", CHILD, when="11.03.2025 09:00")
    digest = sopr("deadlines")
    assert "УСТАНОВИТЬ ДАТУ РОЖДЕНИЯ" in digest.out
    line = next(x for x in digest.out.splitlines() if "дата рождения не установлена" in x)
    assert "сигнал № 1/2025" in line and "person born 1" in line and "Иванов" not in digest.out
    assert sopr("deadlines", "--json").json()["birth_dates_missing"] == [
        {"person": 1, "signals": [{"id": 1, "number": "1/2025"}], "cases": []}]
    # a concluded check that found nothing: no longer worked, no longer reminded
    sopr("check", "1", "--concluded", "12.03.2025", "--level", "low", "--outcome", "not-confirmed")
    assert "УСТАНОВИТЬ ДАТУ РОЖДЕНИЯ" not in sopr("deadlines").out


def test_the_date_recorded_later_opens_the_18th_birthday(sopr, db_url):
    open_case(sopr, child="Иванов Пётр Ильич")
    doc = sopr("case", "show", "1", "--json").json()
    assert "age.18" not in rules_of(doc, "open")
    assert "дело 1" in sopr("deadlines").out
    r = sopr("person", "born", "1", "--on", "05.05.2015", "--json")
    assert r.code == 0, r.err
    opened = r.json()["obligations"]
    assert [(o["rule"], o["due"]) for o in opened] == [("age.18", "2033-05-05")]
    assert "age.18" in rules_of(sopr("case", "show", "1", "--json").json(), "open")
    assert "УСТАНОВИТЬ ДАТУ РОЖДЕНИЯ" not in sopr("deadlines").out
    engine = create_engine(db_url if "://" in db_url else f"sqlite:///{db_url}")
    with engine.connect() as conn:
        n = conn.execute(text("SELECT count(*) FROM audit_entry WHERE entity = 'person' AND action = 'update'")
                         ).scalar_one()
    engine.dispose()
    assert n == 1


@pytest.mark.parametrize(("on", "says"), [("01.01.2099", "в будущем"), ("01.01.2000", "18 лет"),
                                          ("01.01.2026", "позже поступления")])
def test_an_impossible_birth_date_is_refused(sopr, db_url, on, says):
    add(sopr, "--child", "Иванов Пётр Ильич")
    before = count(db_url, "audit_entry")
    r = sopr("person", "born", "1", "--on", on)
    assert r.code == 2 and says in r.err and "Иванов" not in r.err
    assert count(db_url, "audit_entry") == before


def test_a_birth_date_is_recorded_once(sopr):
    add(sopr, "--child", CHILD)
    r = sopr("person", "born", "1", "--on", "02.02.2012")
    assert r.code == 2 and "уже записана: 01.01.2012" in r.err


# -- known people at intake ------------------------------------------------------------------------
@pytest.mark.parametrize(("typed", "how"), [("Петрович Иван Орлов, 01.01.2012", "swapped"),
                                            ("Орлов Иван Петровч, 01.01.2012", "typo"),
                                            ("ОРЛОВ Иван Петрович", "exact")])
def test_a_second_signal_about_a_child_of_an_open_case_says_so(sopr, typed, how):
    open_case(sopr)
    r = add(sopr, "--child", typed, when="01.04.2025 10:00")
    assert "Уже известен: Орлов И. П. — дело № 1, открыто" in r.out
    doc = add(sopr, "--child", typed, "--json", when="02.04.2025 10:00").json()
    child = next(k for k in doc["known"] if k["role"] == "child" and k["person_id"] == 1)
    assert child["matches"][0] == {"kind": "case", "id": 1, "number": "1", "status": "open", "how": how}


def test_a_parent_is_known_and_a_namesake_with_another_birth_date_is_not(sopr):
    open_case(sopr)
    doc = add(sopr, "--child", "Орлов Иван Петрович, 02.02.2013", "--parent", "Анна Сергеевна Орлова", "--json",
              when="01.04.2025 10:00").json()
    assert [(k["role"], k["person_id"]) for k in doc["known"]] == [("parent", 2)]


def test_a_known_child_of_a_signal_without_a_case(sopr):
    add(sopr, "--child", CHILD)
    r = add(sopr, "--child", "Орлов Иван Петрович", when="11.03.2025 09:00")
    assert "Уже известен: Орлов И. П. — сигнал № 1/2025, зарегистрирован" in r.out
    assert "Уже известен" not in add(sopr, "--child", "Сидоров Олег Ильич", when="12.03.2025 09:00").out


def test_a_closed_case_is_known_as_closed(sopr):
    open_case(sopr)
    assert sopr("close", "1", "--date", "20.03.2025", "--resolution", "9", "--ground", "improved").code == 0
    assert "дело № 1, закрыто" in add(sopr, "--child", CHILD, when="01.04.2025 10:00").out


# -- attaching a signal to an open case ------------------------------------------------------------
def test_a_signal_attached_to_an_open_case_needs_no_check_of_its_own(sopr, db_url):
    open_case(sopr)
    r = add(sopr, "--child", CHILD, "--threat", "--to-case", "1", "--json", when="01.04.2025 10:00")
    doc = r.json()
    assert doc["number"] == "2/2025" and doc["to_case"] == 1  # numbered in the journal as usual
    assert count(db_url, "case_signal") == 1
    shown = sopr("signal", "show", "2", "--json").json()
    assert shown["attached_to"] == 1 and shown["status"] == "attached"
    assert "me.check" in rules_of(shown, "fulfilled") and "me.check" not in rules_of(shown, "open")
    assert {o["note"] for o in shown["obligations"] if o["rule"] == "me.check"} == {"присоединён к делу № 1"}
    # a threat is still acted on: opened, and the school's notice of it is the signal's receipt (issue 28)
    assert "fed.threat" in rules_of(shown, "fulfilled")
    assert "присоединён к делу № 1" in sopr("signal", "show", "2").out
    case = sopr("case", "show", "1")
    assert "Присоединён сигнал № 2/2025 от 01.04.2025 10:00, Школа № 1 — угроза жизни или здоровью" in case.out
    assert [a["id"] for a in sopr("case", "show", "1", "--json").json()["attached"]] == [2]
    r = sopr("check", "2", "--concluded", "02.04.2025", "--level", "low", "--outcome", "sop")
    assert r.code == 2 and "присоединён к делу № 1" in r.err


@pytest.mark.parametrize(("case", "says"), [("7", "нет в реестре"), ("1", "закрыто")])
def test_attaching_to_a_closed_or_unknown_case_is_refused(sopr, db_url, case, says):
    open_case(sopr)
    sopr("close", "1", "--date", "20.03.2025", "--resolution", "9", "--ground", "improved")
    before = count(db_url, "signal")
    r = sopr(*SIGNAL[:3], "01.04.2025 10:00", *SIGNAL[4:], "--child", CHILD, "--to-case", case, "--no-threat")
    assert r.code == 2 and says in r.err
    assert count(db_url, "signal") == before and count(db_url, "case_signal") == 0


# -- prompts at a terminal, none under cron --------------------------------------------------------
def _talk(env: dict[str, str], args: list[str], answers: list[tuple[str, str]]) -> tuple[int, str]:
    """Run the CLI on a pseudo-terminal, answering each prompt (a part of its text) as it appears."""
    main, child = os.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "sopcli", *args], stdin=child, stdout=child, stderr=child,
                            env=env, close_fds=True)
    os.close(child)
    seen, deadline = "", time.monotonic() + 60
    pending = list(answers)
    while time.monotonic() < deadline:
        ready, _, _ = select.select([main], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(main, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk.decode("utf-8", "replace")
        if pending and pending[0][0] in seen:
            os.write(main, (pending.pop(0)[1] + "\n").encode())
            seen += "\n<answered>\n"
        if proc.poll() is not None and not ready:
            break
    proc.wait(timeout=30)
    os.close(main)
    return proc.returncode, seen


def test_prompts_ask_channel_threat_and_kind_and_a_yes_opens_the_threat_terms(sopr, reg_env, db_url):
    if "://" in db_url:
        pytest.skip("the terminal is the same on both engines: SQLite suffices")
    code, seen = _talk(reg_env, [*SIGNAL, "--child", CHILD],
                       [("Канал поступления (телефон, письменно, электронная почта, лично)", "телефон"),
                        ("Угроза жизни или здоровью (да/нет)", "да"), ("О чём сигнал", "")])
    assert code == 0, seen
    assert "признаки СОП" in seen  # the kinds are shown, the default among them
    doc = sopr("signal", "show", "1", "--json").json()
    assert doc["threat"] is True and doc["channel"] == "phone" and doc["kinds"] == ["sop-signs"]
    # the school's threat notice is the signal's receipt (issue 28); the call's written confirmation is owed
    assert "fed.threat" in rules_of(doc, "fulfilled") and "me.signal.written" in rules_of(doc, "open")


def test_a_wrong_answer_is_asked_again(sopr, reg_env, db_url):
    if "://" in db_url:
        pytest.skip("SQLite suffices")
    code, seen = _talk(reg_env, [*SIGNAL, "--child", CHILD, "--channel", "written", "--kind", "rights"],
                       [("Угроза жизни", "может быть"), ("«да» или «нет»", "нет")])
    assert code == 0, seen
    assert "Канал поступления" not in seen and "О чём сигнал" not in seen  # given: never asked
    assert sopr("signal", "show", "1", "--json").json()["threat"] is False


def test_without_a_terminal_nothing_is_asked(sopr):
    missing = sopr(*SIGNAL, "--child", CHILD, stdin="да\n")  # the threat opens terms: said, never assumed
    assert missing.code == 2 and "--no-threat" in missing.err and "Угроза жизни или здоровью (да/нет)" not in \
        missing.out + missing.err
    r = sopr(*SIGNAL, "--child", CHILD, "--no-threat", stdin="да\n")
    assert r.code == 0, r.err
    assert "Канал" not in r.out and "Угроза" not in r.out and "О чём" not in r.out
    doc = sopr("signal", "show", "1", "--json").json()
    assert doc["threat"] is False and doc["channel"] == "written" and "fed.threat" not in rules_of(doc, "open")
