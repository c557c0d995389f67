"""The new-signal form of `sopcli screen` («с», issue 33 §2) driven as a person drives it: the pilot types the
answers and presses the keys, and the registry is read back through the commands (`signal show --json`,
`person list --json`, `audit list --json`).

The registry is test_screen's: Орлов Иван Петрович, 01.03.2012, signal 1/2026, whose case 1 is open. What the
form records is compared with what `signal add` records from the same answers on a copy of the registry taken
before the form wrote.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from tests.commands.test_screen import _run, _screen_text, registry, settle  # noqa: F401 — the fixture too
from tests.conftest import ok, runner

#: the answers, as typed in the form and as `signal add` takes them
ANSWERS = {"received": "04.12.2026 10:30", "source": "опека", "channel": "телефон",
           "child": "Белова Ольга Николаевна, 05.05.2013", "parents": "Белова Наталья Сергеевна",
           "problem": "Пропуски занятий", "threat": "нет", "kind": "признаки СОП"}
CLI = ["signal", "add", "--received", ANSWERS["received"], "--source", ANSWERS["source"], "--channel", "телефон",
       "--child", ANSWERS["child"], "--parent", ANSWERS["parents"], "--problem", ANSWERS["problem"],
       "--kind", ANSWERS["kind"]]


def _copy(sop_env: dict[str, str], tmp_path) -> Any:
    """A second registry, the first as it is now (SQLite's own backup), and the CLI on it."""
    copy = tmp_path / "copy.db"
    with sqlite3.connect(sop_env["SOPCLI_DB"]) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    return runner({**sop_env, "SOPCLI_DB": str(copy)})


def _without_ids(doc: Any) -> Any:
    """The doc apart from the ids and the moments of writing and reading, which two registries give differently."""
    if isinstance(doc, dict):
        return {k: _without_ids(v) for k, v in doc.items() if k not in ("id", "person_id", "created_at", "as_of")}
    return [_without_ids(x) for x in doc] if isinstance(doc, list) else doc


async def _fill(app, pilot, answers: dict[str, str]) -> None:
    """Type each answer into its field, as a person does (the prefilled ones cleared first)."""
    from textual.widgets import Input

    for field, value in answers.items():
        box = app.screen.query_one(f"#{field}", Input)
        box.focus()
        box.value = ""
        await pilot.press(*value)
        await settle(app, pilot)


async def _open_form(app, pilot) -> None:
    await pilot.press("с")
    await pilot.pause()
    assert "Новый сигнал" in _screen_text(app)


def _audit(sop) -> int:
    return len(sop("audit", "list", "--json").json()["entries"])


def test_a_new_child_is_recorded_as_signal_add_records_it(registry, sop_env, tmp_path):
    other = _copy(sop_env, tmp_path)

    async def story(app, pilot) -> None:
        await _open_form(app, pilot)
        await _fill(app, pilot, ANSWERS)
        assert "Известны реестру" not in _screen_text(app)  # a child the registry does not know
        await pilot.press("f2")
        await settle(app, pilot)
        card = _screen_text(app)  # the lines `signal add` prints, over the morning reloaded
        assert card.startswith("Сигнал № 2/2026 зарегистрирован (id 2).\nИсточник: Орган опеки и попечительства")
        assert "Исполнены:" in card and "исполнена 04.12.2026, в срок" in card
        await pilot.press("escape")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "MorningScreen"

    _run(story)
    said = ok(other(*CLI, "--no-threat")).out
    shown, expected = (sop("signal", "show", "2", "--json").json() for sop in (registry, other))
    assert _without_ids(shown) == _without_ids(expected)
    assert shown["channel"] == "phone" and [p["name"] for p in shown["persons"]] == [
        "Белова Ольга Николаевна", "Белова Наталья Сергеевна"]
    assert said.startswith("Сигнал № 2/2026 зарегистрирован (id 2).")
    entries = registry("audit", "list", "--json").json()["entries"]
    assert {e["action"] for e in entries if e["command"] == "signal add" and e.get("entity") == "signal"} >= {"create"}
