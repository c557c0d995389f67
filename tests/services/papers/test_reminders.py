"""`sopcli remind`: reminder letters to the agencies, read back from the .docx as the agency reads them.

The registry: a case of Петров И. С. with a programme whose measures three agencies owe (one
measure of the social protection overdue, one due on the day), and a school's signal on
Сидорова М. И. whose informing the education authority did by sending it (issue 28: the receipt
fulfils it), of which the police were told at once: the police owe its emergency terms (004 §7.2),
an immediate one and one of days. The police's own signal on Петров И. С. leaves them its terms
after the check (001 App. 1). On 16.06.2025 — after the 12–13 June holidays — the days overdue
are working days of the real calendar.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import create_engine, text

from tests.conftest import ok

AS_OF = ["--as-of", "16.06.2025", "--known-now"]
PDN, OPEKA, SOCIAL, EDU = ("Орган внутренних дел (ПДН)", "Орган опеки и попечительства",
                           "Орган социальной защиты населения", "Орган управления образованием")
TABLES = ["case_event", "audit_entry", "obligation"]
#: the entries of the steps themselves, not the `seal` entry each commit adds for the rows it wrote (issue 27)
STEPS = "audit_entry WHERE action <> 'seal'"


def refused(r, words: str) -> None:
    assert r.code == 2, (r.code, r.out, r.err)
    lines = r.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Ошибка: ") and words in lines[0], r.err
    assert "Traceback" not in r.err and "Петров" not in r.err


def counts(url: str) -> dict[str, int]:
    engine = create_engine(url if "://" in url else f"sqlite:///{url}")
    with engine.connect() as conn:
        found = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in [*TABLES, STEPS]}
    engine.dispose()
    return found


@pytest.fixture
def reg(sopr):
    ok(sopr("init", "--new", "--municipality", "г. Йошкар-Ола"))
    ok(sopr("signal", "add", "--no-threat", "--received", "29.04.2025 10:00", "--source", "ПДН",
            "--child", "Петров Иван Сергеевич, 10.02.2012", "--parent", "Петрова Анна Ивановна",
            "--address", "ул. Мира, 1", "--problem", "Безнадзорность"))
    ok(sopr("check", "1", "--concluded", "05.05.2025", "--level", "high", "--outcome", "sop", "--criterion", "1"))
    ok(sopr("recognize", "1", "--date", "06.05.2025", "--resolution", "9/3", "--curator",
            "Иванова Елена Викторовна", "--member", "police", "--member", "social", "--member", "guardianship",
            "--until", "06.11.2025"))
    ok(sopr("signal", "add", "--no-threat", "--received", "05.05.2025 10:00", "--source", "школа",
            "--child", "Сидорова Мария Ильинична, 21.07.2014", "--problem", "Пропуски"))
    ok(sopr("emergency", "--kind", "police-info", "--signal", "2", "--at", "05.05.2025 10:00"))
    for measure, executor, due in (("Профилактическая беседа с родителями", PDN, "30.05.2025"),
                                   ("Оформление пособия", SOCIAL, "16.06.2025"),
                                   ("Обследование условий жизни", OPEKA, "10.06.2025"),
                                   ("Материальная помощь к учебному году", SOCIAL, "05.06.2025")):
        ok(sopr("plan", "add", "1", "--measure", measure, "--executor", executor, "--due", due))
    ok(sopr("plan", "approve", "1", "--date", "20.05.2025", "--resolution", "12"))
    return sopr


def rows(table) -> list[list[str]]:
    return [[c.text.replace("\xa0", " ") for c in row.cells] for row in table.rows]


def paragraphs(path: Path) -> list[str]:
    return [p.text.replace("\xa0", " ") for p in Document(str(path)).paragraphs]


def test_a_letter_lists_the_agencys_overdue_terms_first_then_its_coming_ones(reg, tmp_path):
    ok(reg("signer", "set", "председатель", "--position", "Председатель комиссии", "--name", "А.А. Смирнова"))
    ok(reg("signer", "set", "секретарь", "--position", "Ответственный секретарь", "--name", "О.В. Кузнецова"))
    out = tmp_path / "letter.docx"
    r = ok(reg("remind", "--who", "соцзащита", *AS_OF, "-o", str(out)))
    assert r.out.strip() == f"Напоминание: {SOCIAL} — просрочено 1, скоро 1 → {out}"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    doc = Document(str(out))
    lines = paragraphs(out)
    assert lines[0] == "Комиссия по делам несовершеннолетних и защите их прав г. Йошкар-Олы"  # genitive
    assert lines[1].startswith("16.06.2025\t№ ") and SOCIAL in lines
    late, soon = (rows(t) for t in doc.tables)
    assert late[0] == ["Дело (сигнал), несовершеннолетний", "Что должно быть сделано", "Срок", "Основание",
                       "Дней просрочки (рабочих)"]
    # due Thursday 05.06; 12 and 13 June are days off: 6, 9, 10, 11 and 16 June — five working days, not eleven
    assert late[1:] == [["дело № 1, Петров И. С., 2012 г. р.", "Мероприятие № 4: Материальная помощь к учебному году",
                         "05.06.2025", P55, "5"]]
    assert soon[1:] == [["дело № 1, Петров И. С., 2012 г. р.", "Мероприятие № 2: Оформление пособия",
                         "16.06.2025", P55]]
    assert "Председатель комиссии\t____________ А.А. Смирнова" in lines
    assert "Исп.: О.В. Кузнецова, ответственный секретарь" in lines
    whole = "\n".join(lines) + "\n".join("|".join(c for row in rows(t) for c in row) for t in doc.tables)
    for private in ("Петров Иван", "Петрова Анна", "ул. Мира", "10.02.2012", "Сидорова", "{{", "{%"):
        assert private not in whole  # the child as the agency holds the case; nobody else, no address
    assert all(s.page_width.cm == pytest.approx(21, abs=0.05) and 'instr="PAGE"' in s.footer._element.xml
               for s in doc.sections)


#: «004 §5.5» as the letter prints it: the clause and the order's short name (issue 31 §2)
P55 = "п. 5.5 Порядка РМЭ (2019 г.)"  # rows() reads no-break spaces as spaces


def test_days_overdue_skip_the_june_holidays_and_an_immediate_term_keeps_its_moment(reg, tmp_path):
    out = tmp_path / "opeka.docx"
    ok(reg("remind", "--who", "опека", *AS_OF, "-o", str(out)))
    (late,) = (rows(t) for t in Document(str(out)).tables)  # nothing coming: no second table
    assert late[1][2:] == ["10.06.2025", P55, "2"]  # 11 and 16 June; six calendar days
    police = tmp_path / "police.docx"
    ok(reg("remind", "--who", "ПДН", *AS_OF, "-o", str(police)))
    (late,) = (rows(t) for t in Document(str(police)).tables)
    school_signal = [row for row in late[1:] if row[0] == "сигнал № 2/2025, Сидорова М. И., 2014 г. р."]
    assert [row[2] for row in school_signal] == ["06.05.2025 10:00", "12.05.2025"]
    assert late[1] == school_signal[0]  # the oldest first: the moment 06.05 10:00 before the days of 12.05
    # the school's own informing was its signal's receipt (issue 28): the education authority owes nothing
    school = tmp_path / "school.docx"
    r = ok(reg("remind", "--who", "образование", *AS_OF, "-o", str(school)))
    assert "Напоминать не о чем" in r.out and not school.exists()
    # no letter for nothing: an agency with no term due writes no file
    quiet = tmp_path / "youth.docx"
    r = ok(reg("remind", "--who", "молодежь", *AS_OF, "-o", str(quiet)))
    assert "Напоминать не о чем" in r.out and not quiet.exists()


def test_all_writes_a_letter_to_each_agency_with_a_term_and_none_to_the_commission(reg, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    doc = ok(reg("remind", "--all", *AS_OF, "-o", str(folder), "--json")).json()
    got = {x["agency"]: (x["overdue"], x["soon"]) for x in doc["letters"]}
    # the police: their signal's two terms after the check, the emergency's two, the measure (issue 28: owners)
    assert got == {PDN: (5, 0), OPEKA: (1, 0), SOCIAL: (1, 1)}
    assert EDU not in got  # the school's informing was its signal's receipt: no letter to the education authority
    skipped = {s["who"]: s["reason"] for s in doc["skipped"]}
    assert skipped == {"КДН и ЗП г. Йошкар-Ола": "commission", "куратор: Иванова Е. В.": "curator"}
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(f"Напоминание — {a} — 2025-06-16.docx" for a in got)  # no temporary file left
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in folder.iterdir())
    text_out = ok(reg("remind", "--all", *AS_OF, "-o", str(folder))).out
    assert f"Напоминание: {PDN} — просрочено 5, скоро 0 → {folder}" in text_out
    assert "Без письма: КДН и ЗП г. Йошкар-Ола" in text_out and "Без письма: куратор: Иванова Е. В." in text_out
    preview = ok(reg("remind", "--all", *AS_OF)).out  # no -o: shown on the screen, nothing written
    assert "[43] 10.06.2025 (просрочено на 2 раб. дн.)  дело № 1, Петров И. С., 2012 г. р." in preview
    assert len(list(folder.iterdir())) == 3


def test_sent_is_kept_in_the_case_history_and_the_signals_audit(reg, tmp_path, db_url):
    before = counts(db_url)
    folder = tmp_path / "out"
    folder.mkdir()
    ok(reg("remind", "--all", *AS_OF, "-o", str(folder), "--sent", "17.06.2025"))
    after = counts(db_url)
    assert after["case_event"] - before["case_event"] == 3  # one per case per letter: police, social, guardianship
    # the three events and the two signals the police owe terms on before a case (issue 28: owners)
    assert after[STEPS] - before[STEPS] == 5
    assert after["audit_entry"] - before["audit_entry"] == 6  # and the seal of the rows they wrote
    shown = ok(reg("case", "show", "1")).out
    assert f"17.06.2025  напоминание о сроках ({OPEKA})" in shown
    events = [e for e in ok(reg("case", "show", "1", "--json")).json()["events"] if e["kind"] == "reminder"]
    assert {e["place"] for e in events} == {PDN, OPEKA, SOCIAL}
    assert "[43] Мероприятие № 3: Обследование условий жизни" in next(e["note"] for e in events
                                                                      if e["place"] == OPEKA)
    trail = ok(reg("audit", "list", "--entity", "signal", "--id", "2")).out
    assert "remind: напоминание, сигнал № 2" in trail and "обязанности: 39, 40" in trail
    assert f"орган: {PDN}" in trail  # the emergency's terms: the police were told (004 §7.2)
    trail = ok(reg("audit", "list", "--entity", "signal", "--id", "1")).out
    assert "remind: напоминание, сигнал № 1" in trail and "обязанности: 27, 28" in trail
    # the office numbered the letters by hand: marking them again (a cron retry, the README's recipe)
    # without -o touches no letter and tells the history nothing twice
    stamp = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    again = ok(reg("remind", "--all", *AS_OF, "--sent", "17.06.2025", "--json")).json()
    assert all(x["file"] is None for x in again["letters"]) and len(again["letters"]) == 3
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == stamp
    assert counts(db_url) == after
    ok(reg("remind", "--all", *AS_OF, "--sent", "18.06.2025"))  # another day is another reminder
    assert counts(db_url)["case_event"] - after["case_event"] == 3


def drop_root_powers() -> None:
    from tests.faults.environment import ROOT
    from tests.faults.environment import drop_root_powers as drop

    if ROOT:
        drop()


CASES = ["unknown", "ambiguous", "curator", "commission", "missing folder", "read-only folder", "not a docx",
         "bad jinja", "future sent", "early sent", "early sent, marks only"]


def test_refusals_write_nothing(reg, reg_env, tmp_path, db_url):
    """Every refusal on one registry (each writes nothing, so the next sees the same): exit 2, one line."""
    before = counts(db_url)
    for case in CASES:
        r, folder = refusal(reg, reg_env, tmp_path / case, case)
        refused(r, WORDS[case])
        assert list(folder.iterdir()) == [] and counts(db_url) == before, case


WORDS = {"unknown": "нет ни в справочнике", "ambiguous": "подходит нескольким органам: Орган опеки",
         "curator": "не орган из справочника", "commission": "Сроки самой комиссии",
         "missing folder": "Папки для писем нет", "read-only folder": "нельзя записать",
         "not a docx": "не читается", "bad jinja": "не читается: TemplateSyntaxError",
         "future sent": "Дата отправки в будущем", "early sent": "раньше даты писем 16.06.2025",
         "early sent, marks only": "раньше даты писем 16.06.2025"}


def refusal(reg, env: dict[str, str], home: Path, case: str):
    """Run one refused `remind` (with `--sent`, so a mark would show if anything slipped through)."""
    from tests.conftest import Result

    folder = home / "out"
    folder.mkdir(parents=True)
    own = Path(env["SOPCLI_CONFIG_DIR"]) / "templates"
    own.mkdir(parents=True, exist_ok=True)
    for old in own.iterdir():
        old.unlink()
    sent = ["--sent", {"future sent": "01.01.2099", "early sent": "15.06.2025",
                       "early sent, marks only": "01.01.2000"}.get(case, "17.06.2025")]
    who = {"unknown": "ведомство чудес", "ambiguous": "орган", "curator": "куратор", "commission": "КДН"}.get(case)
    target = str(home / "нет") if case == "missing folder" else str(folder)
    args = ["--who", who, "-o", str(folder / "x.docx")] if who else ["--all", "-o", target]
    if case == "not a docx":
        (own / "reminder.docx").write_text("не документ Word")
    if case == "bad jinja":
        from importlib import resources

        packaged = Document(str(resources.files("sopcli.templates") / "reminder.docx"))
        packaged.paragraphs[0].text = "{{ commission "  # an unclosed tag
        packaged.save(str(own / "reminder.docx"))
    if case == "early sent, marks only":
        args = ["--all"]
    if case != "read-only folder":
        return reg("remind", *AS_OF, *args, *sent), folder
    os.chmod(folder, 0o500)
    try:
        proc = subprocess.run([sys.executable, "-m", "sopcli", "remind", *AS_OF, *args, *sent], env=env,
                              capture_output=True, text=True, timeout=120, preexec_fn=drop_root_powers)
    finally:
        os.chmod(folder, 0o700)
    return Result(proc.returncode, proc.stdout, proc.stderr), folder


def test_a_curator_not_yet_named_is_never_offered_as_an_agency(reg, reg_env):
    """A curator's term no step could bind (a registry upgraded from before owners, its case without a curator
    then) is a person's role: `remind --all` says so, and never suggests binding «куратор» to an agency."""
    url = reg_env["SOPCLI_DB"]
    engine = create_engine(url if "://" in url else f"sqlite:///{url}")
    with engine.begin() as conn:  # as the upgrade to owners (0014) left it
        changed = conn.execute(text("UPDATE obligation SET owner_kind = 'unbound', who = 'куратор', agency_id = NULL "
                                    "WHERE role = 'куратор' AND status = 'open'")).rowcount
    engine.dispose()
    assert changed > 0
    shown = ok(reg("remind", "--all", *AS_OF)).out
    line = next(x for x in shown.splitlines() if x.startswith("Без письма: куратор ("))
    assert "куратор ещё не назначен" in line and "sopcli recognize" in line and "agency bind" not in line, line
    refused(reg("agency", "bind", "куратор", "--to", "ПДН"), "должностное лицо, не орган")
    explained = ok(reg("deadlines", "explain", str(_curator_term(reg)))).out
    assert "Исполнитель: по правилу — «куратор»; куратор ещё не назначен" in explained
    assert "agency bind" not in explained


def _curator_term(reg) -> int:
    return next(o["id"] for o in reg("deadlines", "--within", "3660", *AS_OF, "--json").json()["obligations"]
                if o["who"] == "куратор")
