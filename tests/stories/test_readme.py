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
