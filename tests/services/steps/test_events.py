"""Issue 12 through the CLI: every signal opens a term, the emergency chain, consent, a region's own file.

Each test is a secretary's flow on a real registry (SQLite and PostgreSQL), read back the way a
user reads it: `--json` of the digest and of the case, and the exit code and one Russian line of
every refusal — after which nothing is written.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import ok, runner, threat

CHILD = "Орлов Иван Петрович, 01.03.2012"


def refused(r, words: str) -> None:
    assert r.code == 2, (r.code, r.out, r.err)
    line = r.err.strip()
    assert "\n" not in line and words in line, line


def rules_of(doc: dict) -> list[str]:
    return sorted(o["rule"] for o in doc["obligations"])


def signal(run, *extra: str, child: str = CHILD, at: str = "23.11.2026 10:00"):
    return run("signal", "add", *threat(extra), "--received", at, "--source", "МБОУ СОШ № 5", "--child", child,
               "--problem", "Не посещает школу", "--json", *extra)


@pytest.fixture
def fed(reg_env):
    """A registry made by a bare `init`, as `./setup.sh` makes it."""
    run = runner(reg_env)
    ok(run("init", "--new"))
    ok(run("agency", "add", "МБОУ СОШ № 5", "--kind", "образование"))  # the signals' source (issue 28)
    return run


def test_a_bare_init_is_federal_and_a_signals_informing_is_its_receipt_not_a_wait_for_the_check(fed):
    assert fed("rules", "--json").json()["registry_set"] == "federal"
    sig = ok(signal(fed)).json()
    # 001 §2.5 and §2.5.1(а) are the school's duties to inform: the signal's receipt is their fulfilment, on
    # time (issue 28), so none of them waits in the digest — neither before the check nor after it
    assert rules_of(sig) == []
    assert {o["rule"]: (o["status"], o["late"], o["who"]) for o in sig["fulfilled"]} == {
        "fed.inform.immediate": ("fulfilled", False, "МБОУ СОШ № 5"),
        "fed.sop.signs": ("fulfilled", False, "МБОУ СОШ № 5")}
    digest = ok(fed("deadlines", "--as-of", "25.11.2026", "--known-now", "--json")).json()
    assert {o["rule"] for o in digest["obligations"] if o["signal"] == sig["id"]} == set()
    ok(fed("check", str(sig["id"]), "--concluded", "25.11.2026", "--level", "low", "--outcome", "not-confirmed"))
    digest = ok(fed("deadlines", "--as-of", "26.11.2026", "--known-now", "--json")).json()
    assert not [o for o in digest["obligations"] if o["signal"] == sig["id"]]
    shown = ok(fed("signal", "show", str(sig["id"]), "--json")).json()
    assert {o["rule"]: o["status"] for o in shown["obligations"]} == {
        "fed.inform.immediate": "fulfilled", "fed.sop.signs": "fulfilled"}


def test_signal_kinds_in_russian_words_open_their_clauses(fed):
    sig = ok(signal(fed, "--kind", "Нарушение прав", "--kind", "чрезвычайная ситуация", "--kind", "to-kdn")).json()
    # the school's informing duties are fulfilled by the receipt (issue 28); sending it on to the KDN is still owed
    assert rules_of(sig) == ["fed.sop.to.kdn"]
    assert sorted(o["rule"] for o in sig["fulfilled"]) == [
        "fed.emergency", "fed.inform.immediate", "fed.rights.violation"]
    text = ok(fed("signal", "show", str(sig["id"]))).out
    assert "нарушение прав, чрезвычайная ситуация, направление в КДН" in text


def test_a_threat_is_notified_once_though_the_check_finds_it_again(fed):
    sig = ok(signal(fed, "--threat")).json()
    ok(fed("check", str(sig["id"]), "--concluded", "24.11.2026", "--level", "critical", "--outcome", "sop"))
    doc = ok(fed("signal", "show", str(sig["id"]), "--json")).json()
    assert [o["rule"] for o in doc["obligations"]].count("fed.threat") == 1


def test_refusals_write_nothing(fed, tmp_path: Path):
    refused(signal(fed, "--kind", "драка"), "Неизвестный вид сигнала «драка»: допустимы признаки СОП")
    assert ok(fed("signal", "list", "--json")).json()["signals"] == []
    bad = tmp_path / "bad.toml"
    bad.write_text('[[set]]\nid = "x"\ntitle = "X"\nextends = ["federal"]\n\n[[rule]]\nid = "x.one"\n'
                   'section = "signal"\ntitle = "t"\nwho = "КДН"\nto = "КДН"\nterm = "3wd"\nsource = "п. 1"\n'
                   'sets = ["x"]\nopens = ["signal.registred"]\n', "utf-8")
    refused(fed("init", "--new", "--rules", str(bad)), "строка 6")
    refused(fed("rules", "check", str(bad)), "signal.registered")
    assert fed("rules", "--json").json()["registry_set"] == "federal"
    sig = ok(signal(fed)).json()
    refused(fed("emergency", "--signal", str(sig["id"]), "--kind", "акт об отобрании", "--at", "24.11.2026 10:00"),
            "нет сроков")
    assert "экстренная" not in ok(fed("signal", "show", str(sig["id"]))).out


def test_the_004_emergency_chain_and_the_consent(reg_env):
    run = runner(reg_env)
    ok(run("init", "--new", "--rules", "mari-el"))
    ok(run("agency", "add", "МБОУ СОШ № 5", "--kind", "образование"))  # the signals' source (issue 28)
    sig = ok(signal(run, "--channel", "phone")).json()
    assert "me.signal.written" in rules_of(sig)
    # 004 §4.4: the call was the transfer; the school's informing duties are the receipt itself (issue 28)
    assert sorted(o["rule"] for o in sig["fulfilled"]) == ["fed.inform.immediate", "fed.sop.signs",
                                                          "me.signal.phone"]
    removal = ok(run("emergency", "--signal", str(sig["id"]), "--kind", "отобрание у единственного (обоих) родителей",
                     "--at", "27.11.2026 18:00", "--agency", "Орган опеки и попечительства", "--json")).json()
    cited = {o["rule"]: o["source"] for o in removal["obligations"]}
    assert cited == {"me.guard.prosecutor": "004 §7.1(4)", "me.guard.suit": "004 §7.1(6)",
                     "me.guard.journal": "004 §7.1(5)"}
    # the prosecutor at once: 24 hours from a working Friday evening end on Saturday, and are not moved
    assert next(o for o in removal["obligations"] if o["rule"] == "me.guard.prosecutor")["due"].startswith(
        "2026-11-28T18:00")
    again = ok(run("emergency", "--signal", str(sig["id"]), "--kind", "removal", "--at", "28.11.2026 09:00",
                   "--json")).json()
    assert rules_of(again) == ["me.guard.prosecutor", "me.guard.suit"]  # a second removal: its own terms
    refused(run("emergency", "--signal", str(sig["id"]), "--kind", "пожар", "--at", "28.11.2026 09:00"),
            "Неизвестный вид экстренной ситуации")
    # issue 32 §5: `emergency list`, newest first, in words and in JSON, the signal by its journal number
    listed = ok(run("emergency", "list")).out.splitlines()
    assert len(listed) == 2 and listed[0].split()[1:3] == ["28.11.2026", "09:00"]
    assert "акт об отобрании" in listed[0] or "отобрание" in listed[0]
    assert f"сигнал № {sig['number']}" in listed[1] and "Орган опеки и попечительства" in listed[1]
    assert "сроков 3, открыто 3" in listed[1]
    shown = ok(run("emergency", "list", "--json")).json()["emergencies"]
    assert [e["kind"] for e in shown] == ["removal", "removal-parents"] and shown[1]["signal"] == sig["number"]
    assert ok(run("emergency", "list", "--year", "2025")).out.strip() == "За 2025 год экстренных ситуаций нет."

    ok(run("check", str(sig["id"]), "--concluded", "24.11.2026", "--level", "high", "--outcome", "sop"))
    case = ok(run("recognize", str(sig["id"]), "--date", "25.11.2026", "--resolution", "7-п", "--curator",
                  "Петрова Анна Викторовна", "--json")).json()
    assert "me.consent" in rules_of(case)
    ok(run("plan", "add", "1", "--measure", "Беседа", "--executor", "Орган внутренних дел (ПДН)", "--due", "1m"))
    approved = ok(run("plan", "approve", "1", "--date", "26.11.2026", "--resolution", "9-п"))
    assert "Согласие на обработку персональных данных (004 §4.7) не записано" in approved.out
    refused(run("consent", "1", "--on", "26.11.2026", "--by", "Орлова Мария Петровна"), "--given")
    ok(run("consent", "1", "--refused", "--on", "27.11.2026", "--by", "Орлова Мария Петровна"))
    shown = ok(run("case", "show", "1"))
    assert "Согласие на обработку ПД (004 §4.7): отказ 27.11.2026, Орлова Мария Петровна" in shown.out
    assert "экстренная ситуация (004 §7): отобрание у единственного (обоих) родителей" in shown.out
    doc = ok(run("case", "show", "1", "--json")).json()
    assert {o["rule"]: o["status"] for o in doc["obligations"]}["me.consent"] == "fulfilled"
    assert len(doc["emergencies"]) == 2
    card = Path(reg_env["SOPCLI_CONFIG_DIR"]).parent / "card.xlsx"
    ok(run("export", "card", "--case", "1", "-o", str(card)))
    texts = [v for r in load_workbook(card).worksheets[0].iter_rows(values_only=True) for v in r if v]
    assert "Согласие на обработку персональных данных: отказ 27.11.2026, Орлова Мария Петровна" in texts


def test_a_region_rulebook_file_is_the_registry_set(fed, tmp_path: Path):
    own = tmp_path / "kazan.toml"
    own.write_text('''[[set]]
id = "kazan"
title = "г. Казань: постановление КДН № 5 поверх 001"
extends = ["federal"]

[[rule]]
id = "kz.check"
section = "signal"
title = "Проверить информацию и составить заключение"
who = "КДН"
to = "КДН"
term = "10wd"
written = "в течение 10 (десяти) рабочих дней"
source = "Постановление КДН г. Казани № 5, п. 3"
sets = ["kazan"]
opens = ["signal.registered"]
fulfils = ["check.concluded"]
''', "utf-8")
    assert "своих правил 1" in ok(fed("rules", "check", str(own))).out
    ok(fed("init", "--new", "--rules", str(own)))
    sig = ok(signal(fed)).json()
    due = {o["rule"]: o["due"] for o in sig["obligations"]}
    assert due["kz.check"] == "2026-12-07"  # 10 working days from Monday 23.11.2026
    listed = ok(fed("rules", "--json")).json()
    assert listed["registry_set"] == "kazan" and "kz.check" in {r["id"] for r in listed["rules"]}
