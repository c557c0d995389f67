"""The README's example is run for real, so the README stays true (STYLE.md §11)."""

import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_commands(title: str) -> list[list[str]]:
    """The commands of the README's first bash block after `title`, each as the shell splits it."""
    import shlex

    text = README.read_text("utf-8")
    block = text.split(title, 1)[1].split("```bash\n", 1)[1].split("```", 1)[0]
    return [shlex.split(c) for c in block.replace("\\\n", " ").splitlines() if c.strip()]


def test_readme_example_prints_what_the_readme_shows(sop):
    text = README.read_text("utf-8")
    block = re.search(r"```\n\$ sopcli (.+?)\n(.*?)```", text, re.S)
    assert block, "README has no example block"
    args = block[1].split()
    r = sop(*args)
    assert r.code == 0, r.err
    assert r.out == block[2]


def test_readme_lists_every_calendar_command(sop):
    text = README.read_text("utf-8")
    for sub in ("due", "show", "set", "unset", "region", "preset"):
        assert f"sopcli calendar {sub}" in text
        assert sop("calendar", sub, "--help").code == 0
    assert "sopcli rules" in text


def test_readme_secretary_walkthrough_runs_as_written(sop, sop_env, tmp_path):
    import shlex

    sop_env["SOPCLI_DB"] = str(tmp_path / "walk" / "registry.db")
    text = README.read_text("utf-8")
    block = text.split("## Работа секретаря", 1)[1].split("```bash\n", 1)[1].split("```", 1)[0]
    commands = [shlex.split(c) for c in block.replace("\\\n", " ").splitlines() if c.strip()]
    assert len(commands) >= 6 and all(c[0] == "sopcli" for c in commands)
    for cmd in commands:
        r = sop(*cmd[1:])
        assert r.code == 0, (cmd, r.err)
    shown = sop("case", "show", "1", "--json").json()
    assert shown["status"] == "closed"
    # the threat is notified once: the critical check finds it again, but does not open a second notice
    assert [o["status"] for o in shown["obligations"] if o["rule"] == "fed.threat"] == ["fulfilled"]
    assert (shown["outcome"], shown["outcome_results"]) == ("partial", ["age-18"])
    measures = sop("plan", "show", "1", "--json").json()["measures"]
    # the police reported on time; social security's measure (1m from 03.02.2025) lapsed when the case closed
    assert [(m["status"], m["obligation"]["status"]) for m in measures] == [
        ("done", "fulfilled"), ("planned", "cancelled")]
    assert measures[1]["due"] == "2025-03-03"


def test_readme_first_day_runs_as_written_in_russian_words(sop, sop_env, tmp_path):
    """The "first day" block: Russian words and common names only, and what the numbered notes promise."""
    sop_env["SOPCLI_DB"] = str(tmp_path / "first" / "registry.db")
    commands = readme_commands("## Первый день")
    assert len(commands) >= 8 and all(c[0] == "sopcli" for c in commands)
    outs = []
    for cmd in commands:
        r = sop(*cmd[1:])
        assert r.code == 0, (cmd, r.err)
        outs.append(r.out)
    second = outs[[n for n, c in enumerate(commands) if c[1:3] == ["signal", "add"]][1]]
    assert "Уже известен" in second and "сигнал № 1/2026" in second  # the same boy, without his birth date
    # one person per child (issue 32 §4): the boy is person 1 with his date, nobody asks for it again
    kids = [p for p in sop("person", "list", "--json").json()["persons"] if "child" in p["roles"]]
    assert [(p["id"], p["birth_date"], p["signals"]) for p in kids] == [(1, "2012-03-01", ["1/2026", "2/2026"])]
    assert "person born" not in "".join(outs) + sop("deadlines").out
    assert [a["number"] for a in sop("case", "show", "1", "--json").json()["attached"]] == ["2/2026"]
    case = sop("case", "show", "1", "--json").json()
    assert case["curator"] == "Петрова А.В."
    assert set(case["members"]) == {"Орган внутренних дел (ПДН)", "Орган опеки и попечительства"}
    shown = sop("case", "show", "1").out
    assert "исполнена 02.11.2026, в срок" in shown  # the threat notice: the call itself (issue 28)
    digest = sop("deadlines", "--who", "полиция", "--json").json()
    assert digest["obligations"] == sop("deadlines", "--who", "ПДН", "--json").json()["obligations"]
    assert not any(w in "".join(outs) for w in ("phone", "critical", "registered", "fulfilled"))


def test_readme_reminders_block_runs_as_written(sop, sop_env, tmp_path, monkeypatch):
    """The reminders block on the walkthrough's registry before its closure: the files it names exist."""
    import shlex

    from openpyxl import load_workbook

    sop_env["SOPCLI_DB"] = str(tmp_path / "walk" / "registry.db")
    monkeypatch.chdir(tmp_path)  # the block writes into the current folder
    text = README.read_text("utf-8")

    def block(title: str) -> list[list[str]]:
        body = text.split(title, 1)[1].split("```bash\n", 1)[1].split("```", 1)[0]
        return [shlex.split(c, comments=True) for c in body.replace("\\\n", " ").splitlines() if c.strip()]

    walk = [c for c in block("## Работа секретаря") if c[1] != "close"]  # open terms are what a letter carries
    for cmd in walk:
        assert sop(*cmd[1:]).code == 0, cmd
    commands = block("## Напоминания органам")
    assert len(commands) >= 5 and all(c[0] == "sopcli" for c in commands)
    for cmd in commands:
        r = sop(*cmd[1:])
        assert r.code == 0, (cmd, r.err)
    letters = sorted(p.name for p in tmp_path.glob("Напоминание — *.docx"))
    assert letters and any("социальной защиты" in n for n in letters), letters
    assert not any("КДН" in n or "Комиссия" in n for n in letters), letters  # no letter to the commission itself
    assert (tmp_path / "напоминание_соцзащита.docx").stat().st_mode & 0o777 == 0o600
    ics = (tmp_path / "сроки_соцзащита.ics").read_bytes()
    assert ics.startswith(b"BEGIN:VCALENDAR\r\n") and b"BEGIN:VEVENT" in ics
    wb = load_workbook(tmp_path / "своевременность.xlsx")
    assert "Диаграмма" in wb.sheetnames and wb["Диаграмма"]._charts
