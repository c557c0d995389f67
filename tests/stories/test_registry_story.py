"""The secretary's story through the real CLI, on SQLite and on PostgreSQL.

Signal on Friday 27.12.2024 at 17:30 with a threat, by phone from a school;
checked on 13.01.2025 (critical, СОП); recognised on 20.01.2025; the minor
turns 18 on 10.02.2026 and the case is closed on that ground.
"""

from __future__ import annotations

import os
import stat

from tests.conftest import ok

CHILD = "Сидоров Пётр Ильич, 10.02.2008"


def dues(doc: dict) -> dict[str, object]:
    return {o["rule"]: o["due"] for o in doc["obligations"]}


def digest(sopr, as_of: str, *extra: str) -> dict:
    r = sopr("deadlines", "--as-of", as_of, "--known-now", "--json", *extra)
    assert r.code == 0, r.err
    return r.json()


def test_signal_check_recognition_closure_at_18(sopr, reg_env):
    ok(sopr("agency", "add", "МБОУ СОШ № 5", "--kind", "образование"))
    r = sopr("signal", "add", "--received", "27.12.2024 17:30", "--source", "МБОУ СОШ № 5", "--channel", "phone",
             "--child", CHILD, "--address", "г. Йошкар-Ола, ул. Ленина, 1",
             "--problem", "Ребёнок не посещает школу, дома злоупотребляют алкоголем", "--threat", "--json")
    assert r.code == 0, r.err
    sig = r.json()
    assert sig["number"] == "1/2024"
    assert dues(sig) == {
        "me.check": "2025-01-14",  # 004 §4.6: Sat 28.12 worked, 09, 10, 13, 14.01
        "me.signal.written": "2025-01-10",  # 004 §4.4: 28.12, 09.01, 10.01
    }
    # the school's informing duties are its signal's receipt (issue 28): fulfilled at registration, on time
    assert {o["rule"]: (o["due"], o["late"]) for o in sig["fulfilled"]} == {
        "me.signal.phone": ("2024-12-28T17:30:00+03:00", False),  # 004 §4.4: the call was the transfer
        "fed.threat": ("2024-12-28T17:30:00+03:00", False),  # 001 §2.5: 24 hours, the moment kept
        "fed.inform.immediate": ("2024-12-28T17:30:00+03:00", False),  # 001 §2.5: the detecting agency
        "fed.sop.signs": ("2025-01-09", False),  # 001 §2.5.1(а): 3 days → Mon 30.12 off, 31.12–08.01 off → 09.01
    }
    assert {o["who"] for o in sig["obligations"] + sig["fulfilled"] if o["rule"] != "me.check"} == {"МБОУ СОШ № 5"}

    # the evening after: nothing is late, the notifications were the signal itself
    d = digest(sopr, "28.12.2024 18:00", "--within", "20")
    assert [(o["rule"], o["overdue"]) for o in d["obligations"]] == [
        ("me.signal.written", False), ("me.check", False)]
    late = sopr("deadlines", "--overdue", "--as-of", "28.12.2024 18:00", "--known-now", "--fail-if-overdue")
    assert late.code == 0 and "fed.threat" not in late.out and "\x1b[" not in late.out

    chk = sopr("check", "1", "--concluded", "13.01.2025", "--level", "critical", "--outcome", "sop",
               "--criterion", "1", "--criterion", "4", "--family", "мать, сын 16 лет",
               "--housing", "квартира без отопления", "--income", "пособие", "--support", "нет", "--json")
    assert chk.code == 0, chk.err
    c = chk.json()
    # the check concludes the signal: the commission's own check (the agency's notices were its receipt)
    assert sorted(o["rule"] for o in c["fulfilled"]) == ["me.check"]
    kept = sopr("signal", "show", "1", "--json").json()["check"]
    assert (kept["family"], kept["housing"], kept["income"], kept["support"]) == (
        "мать, сын 16 лет", "квартира без отопления", "пособие", "нет")
    assert dues(c) == {  # the threat was notified at registration: the critical check does not open it again
        "me.guard.visit": "2025-01-13",
        "fed.sop.to.kdn": "2025-01-16",  # 001 App. 1: signs of СОП with neglect of duties, 3 days
        "me.guard.kdn": "2025-01-16",  # 3 working days
        "fed.resources": "2025-01-16",  # 3 days
        "fed.proposals": "2025-01-23",  # 10 days
    }

    d = digest(sopr, "15.01.2025", "--overdue")
    assert sorted(o["rule"] for o in d["obligations"]) == ["me.guard.visit", "me.signal.written"]

    rec = sopr("recognize", "1", "--date", "20.01.2025", "--resolution", "7-п", "--curator",
               "Петрова Анна Викторовна", "--member", "Прокуратура", "--json")
    assert rec.code == 0, rec.err
    case = rec.json()["case"]
    assert dues(rec.json()) == {
        "me.card": "2025-02-03", "me.program": "2025-02-03",  # 14 days; the card goes with it
        "fed.resolution.send": "2025-01-30",
        "me.control.6m": "2025-07-21",  # 20.07.2025 is a Sunday
        "age.18": "2026-02-10",  # the birthday: a closure ground in the digest
        "me.consent": "2025-02-03",  # 004 §4.7: before the programme, so with its term
    }

    # --case shows what the case inherited from its signal too, as `case show` does
    d = digest(sopr, "05.02.2025", "--overdue", "--case", str(case))
    assert "me.signal.written" in {o["rule"] for o in d["obligations"]}

    d = digest(sopr, "01.02.2026", "--within", "10", "--case", str(case))
    assert ("age.18", False) in [(o["rule"], o["overdue"]) for o in d["obligations"]]

    closed = sopr("close", str(case), "--date", "10.02.2026", "--resolution", "3-п", "--ground", "age-18", "--json")
    assert closed.code == 0, closed.err
    cl = closed.json()
    assert [o["rule"] for o in cl["fulfilled"]] == ["age.18"]
    assert dues(cl) == {"me.close.send": "2026-02-25"}  # 10 working days; 23.02.2026 a holiday
    cancelled = {o["rule"]: o["cancel_reason"] for o in cl["cancelled"]}
    assert "me.control.6m" in cancelled and "me.signal.written" in cancelled
    assert all("постановление № 3-п" in why for why in cancelled.values())

    show = sopr("case", "show", str(case), "--json").json()
    status = {o["rule"]: o["status"] for o in show["obligations"]}
    threats = [o["status"] for o in show["obligations"] if o["rule"] == "fed.threat"]
    assert threats == ["fulfilled"]  # one notice of one threat: the school's, done; the check did not open another
    assert status["me.check"] == "fulfilled"
    assert status["age.18"] == "fulfilled" and status["me.program"] == "cancelled"
    assert status["me.close.send"] == "open"
    assert [e["event"].split(":")[0].split(" ")[0] for e in show["timeline"]] == [
        "сигнал", "заключение", "признание", "прекращение"]
    again = sopr("close", str(case), "--date", "11.02.2026", "--resolution", "4", "--ground", "age-18")
    assert again.code == 2 and "уже закрыто" in again.err

    d = digest(sopr, "26.02.2026", "--overdue")
    assert [o["rule"] for o in d["obligations"]] == ["me.close.send"]

    if not reg_env["SOPCLI_DB"].startswith("postgresql"):
        assert stat.S_IMODE(os.stat(reg_env["SOPCLI_DB"]).st_mode) == 0o600


def test_case_list_and_text_views(sopr):
    sopr("signal", "add", "--no-threat", "--received", "03.03.2025 10:00", "--source", "ПДН", "--child", CHILD,
         "--parent", "Сидорова Алёна Петровна", "--problem", "Безнадзорность")
    sopr("check", "1", "--concluded", "05.03.2025", "--level", "high", "--outcome", "sop")
    sopr("recognize", "1", "--date", "12.03.2025", "--resolution", "9", "--curator", "Петрова Анна Викторовна")
    listed = sopr("case", "list", "--status", "open", "--json").json()["cases"]
    assert [(c["id"], c["subject"]) for c in listed] == [(1, "family")]
    text = sopr("case", "show", "1").out
    assert "Сидорова Алёна Петровна" in text and "me.program" in text
    journal = sopr("signal", "list").out
    assert "1/2025" in journal and "Сидоров Пётр Ильич" in journal


def test_periodic_control_counts_from_its_last_fulfilment_and_hours_late_are_late(sopr):
    """DEADLINES.md: the next 6-month control runs from the last one done; an immediate notice late by hours is late."""
    ok(sopr("agency", "add", "МБОУ СОШ № 5", "--kind", "образование"))
    # the school learned of the threat the day before and told the commission 27.5 hours later (issue 28: its
    # informing is the signal's receipt, counted from the moment it detected)
    r = sopr("signal", "add", "--received", "27.12.2024 17:30", "--detected", "26.12.2024 14:00", "--source",
             "МБОУ СОШ № 5", "--channel", "phone", "--child", CHILD, "--problem", "Угроза", "--threat", "--json")
    assert r.code == 0, r.err
    threat = next(o for o in r.json()["fulfilled"] if o["rule"] == "fed.threat")
    text = sopr("signal", "show", "1").out
    assert "с опозданием на 3,5 ч." in text.split("fed.threat", 1)[1].splitlines()[1], text
    shown = sopr("signal", "show", "1", "--json").json()["obligations"]
    late = next(o for o in shown if o["id"] == threat["id"])
    assert (late["late"], late["late_working_days"]) == (True, 0)

    sopr("check", "1", "--concluded", "13.01.2025", "--level", "high", "--outcome", "sop")
    rec = sopr("recognize", "1", "--date", "20.01.2025", "--resolution", "7-п", "--curator", "Петрова Анна",
               "--json").json()
    control = next(o for o in rec["obligations"] if o["rule"] == "me.control.6m")
    assert control["due"] == "2025-07-21"
    # done two weeks late, on Monday 04.08.2025: the next control is six months from that day
    nxt = sopr("deadlines", "done", str(control["id"]), "--date", "04.08.2025", "--json").json()
    assert nxt["obligation"]["late"] is True and nxt["obligation"]["late_working_days"] == 10
    assert [(o["rule"], o["due"]) for o in nxt["obligations"]] == [("me.control.6m", "2026-02-04")]
    # done early the next time, on Friday 16.01.2026: six months from then is Thursday 16.07.2026
    again = sopr("deadlines", "done", str(nxt["obligations"][0]["id"]), "--date", "16.01.2026", "--json").json()
    assert again["obligation"]["late"] is False
    assert [(o["rule"], o["due"]) for o in again["obligations"]] == [("me.control.6m", "2026-07-16")]
