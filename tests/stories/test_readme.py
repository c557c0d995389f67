"""The README's example is run for real, so the README stays true (STYLE.md §11)."""

import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


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
