"""`sopcli screen`, the finding (issue 33 §4): «н» on the morning, a field, and as it is typed the children,
parents and agencies it names — found as intake finds a person (ё/е, initials, no patronymic, a typo) and an
agency as `--who` names it; Enter opens a person's signals and cases, an agency's open terms, then the card.

The registry (test_screen's): Орлов Иван Петрович's signal of 02.11.2026 from the ПДН, recognised as case 1;
here also his mother on it, his second signal (from the guardianship), and Ёжиков Пётр Ильич's.
"""

from __future__ import annotations

import re
import shutil
import sys
import time
from pathlib import Path

import pytest

from tests.commands.test_screen import _run, _screen_text, registry, settle  # noqa: F401 - the fixture
from tests.conftest import ok
from tests.tmux import tmux


@pytest.fixture
def family(registry):  # noqa: F811 - test_screen's fixture, extended
    ok(registry("signal", "add", "--received", "01.12.2026 10:00", "--source", "опека", "--child",
                "Орлов Иван Петрович, 01.03.2012", "--parent", "Орлова Мария Сергеевна", "--problem", "Прогулы",
                "--no-threat"))
    ok(registry("signal", "add", "--received", "02.12.2026 10:00", "--source", "гражданин", "--child",
                "Ёжиков Пётр Ильич, 05.05.2013", "--problem", "Драка", "--no-threat"))
    return registry


async def _type(app, pilot, text: str) -> str:
    """The field set to `text` (as typed), the finding read and shown: the screen's text."""
    app.screen.query_one("#find").value = text
    await settle(app, pilot)
    return _screen_text(app)


def _rows(text: str) -> list[list[str]]:
    return [x.split(" | ") for x in text.splitlines() if " | " in x]


def test_a_person_found_as_typed_however_the_name_is_written(family):
    persons = {p["name"]: p for p in family("person", "list", "--json").json()["persons"]}
    orlov = persons["Орлов Иван Петрович"]
    assert len(orlov["signals"]) == 2 and len(orlov["cases"]) == 1  # the second signal is the same person

    async def story(app, pilot) -> None:
        await pilot.press("н")
        await pilot.pause()
        assert "Найти: наберите ФИО" in _screen_text(app)
        for key in "орлов":  # letter by letter, as the secretary types
            await pilot.press(key)
        await settle(app, pilot)
        text = _screen_text(app)
        assert "Найдено лиц: 2, органов: 0" in text, text
        assert ["ребёнок", "Орлов Иван Петрович", "01.03.2012", "2", "1"] in _rows(text)
        assert ["родитель", "Орлова Мария Сергеевна", "", "1", "0"] in _rows(text)  # the mother: the name begins so
        for typed in ("Орлов И. П.", "Орлов И.П.", "орлов иван", "Орлоф", "ОРЛОВ ИВАН ПЕТРОВИЧ 01.03.2012"):
            rows = _rows(await _type(app, pilot, typed))
            assert rows[0][:2] == ["ребёнок", "Орлов Иван Петрович"], (typed, rows)
        for typed in ("ёж", "еж", "Ежиков Петр"):  # ё and е are one letter
            rows = _rows(await _type(app, pilot, typed))
            assert rows == [["ребёнок", "Ёжиков Пётр Ильич", "05.05.2013", "1", "0"]], (typed, rows)
        text = await _type(app, pilot, "Щукин")
        assert "Ничего не найдено: нет ни лица, ни органа «Щукин»." in text and not _rows(text)
        await _type(app, pilot, "")
        assert "Найти: наберите ФИО" in _screen_text(app) and not _rows(_screen_text(app))
        await pilot.press("escape")
        await pilot.pause()
        assert "Найти" not in _screen_text(app) and "Реестр:" in _screen_text(app)  # back on the morning

    _run(story)


def test_enter_opens_the_persons_signals_and_cases_then_the_card(family):
    async def story(app, pilot) -> None:
        from textual.widgets import DataTable

        await pilot.press("y")  # the same key in the Latin layout
        await pilot.pause()
        await _type(app, pilot, "Орлов И. П.")
        await pilot.press("enter")  # from the field to the list
        await pilot.pause()
        assert app.screen.query_one("#found", DataTable).has_focus
        await pilot.press("enter")
        await settle(app, pilot)
        text = _screen_text(app)
        assert text.startswith("Орлов Иван Петрович, 01.03.2012 — ребёнок: сигналов 2, дел 1\n"), text
        assert _rows(text) == [["дело", "1", "", "открыто"],
                               ["сигнал", "1/2026", "02.11.2026 09:40", "проверен"],
                               ["сигнал", "2/2026", "01.12.2026 10:00", "зарегистрирован"]], text
        await pilot.press("enter")  # the case
        await pilot.pause()
        assert _screen_text(app).startswith("Дело № 1 (")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("down", "down", "enter")  # the second signal: its screen reads in its thread
        await settle(app, pilot)
        card = _screen_text(app)
        assert card.startswith("Сигнал № 2/2026 от 01.12.2026 10:00, Орган опеки и попечительства"), card
        for _ in range(3):
            await pilot.press("escape")
            await pilot.pause()
        assert "Реестр:" in _screen_text(app)

    _run(story)


def test_an_agency_by_its_everyday_word_lists_its_open_terms(family):
    police = [o for o in family("deadlines", "--who", "ПДН", "--within", "3660", "--json").json()["obligations"]]
    guardianship = family("deadlines", "--who", "опека", "--within", "3660", "--json").json()["obligations"]
    assert police and guardianship

    async def story(app, pilot) -> None:
        await pilot.press("н")
        await pilot.pause()
        rows = _rows(await _type(app, pilot, "опека"))
        assert rows == [["учреждение", "Орган опеки и попечительства", "", "1", "0"]], rows
        assert _rows(await _type(app, pilot, "опе"))[0][1] == "Орган опеки и попечительства"  # still being typed
        assert _rows(await _type(app, pilot, "ПДН")) == [["учреждение", "Орган внутренних дел (ПДН)", "", "1", "1"]]
        await pilot.press("enter", "enter")
        await settle(app, pilot)
        text = _screen_text(app)
        assert text.startswith(f"Орган внутренних дел (ПДН): открытых сроков {len(police)}, просрочено "), text
        assert sorted(r[3] for r in _rows(text)) == sorted(o["title"] for o in police)
        first = next(o for o in police if o["overdue"] and o["case"] is None)  # overdue first: the signal's term
        await pilot.press("enter")
        await settle(app, pilot)
        assert _screen_text(app).startswith(f"Сигнал № {first['signal']}/2026 от "), _screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        await _type(app, pilot, "опека")
        await pilot.press("enter", "enter")
        await settle(app, pilot)
        assert [r[3] for r in _rows(_screen_text(app))] == [o["title"] for o in guardianship]
        await pilot.press("enter")  # the yearly report: the registry's own term, no card
        await pilot.pause()
        assert "Это срок реестра, не дела и не сигнала: карточки у него нет." in _screen_text(app)

    _run(story)


def test_the_journal_passes_its_text_to_the_finding(family):
    async def story(app, pilot) -> None:
        await pilot.press("ж")
        await settle(app, pilot)
        for key in "ежиков":
            await pilot.press(key)
        await pilot.press("f2")
        await settle(app, pilot)
        assert _rows(_screen_text(app)) == [["ребёнок", "Ёжиков Пётр Ильич", "05.05.2013", "1", "0"]]

    _run(story)


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_the_finding_in_a_terminal_of_80_by_24(family, sop_env, tmp_path):
    """As installed, at 80×24 with NO_COLOR and no mouse: «н», the name typed, Enter to the list and on the child,
    the file, Esc back; every word on screen Russian."""
    exe = Path(sys.executable).with_name("sopcli")
    with tmux(f"sopcli-find-{tmp_path.name}", f"{exe} screen", {**sop_env, "NO_COLOR": "1", "TERM": "xterm"}) as term:
        term.wait_for("в Выход")  # at 80 columns the morning's footer has no room left for «н Найти»
        term.keys("н")
        term.wait_for("Найти: наберите ФИО")
        term.keys("орлов и")
        shown = term.wait_for("Найдено лиц: 1")
        assert re.search(r"ребёнок +Орлов Иван Петрович +01\.03\.2012 +2 +1", shown), shown
        assert not re.search(r"[A-Za-z]{3,}", re.sub(r"\b(Enter|Esc)\b", "", shown)), shown  # keys by their names
        term.keys("Enter")  # to the list, then on its line
        time.sleep(0.5)
        term.keys("Enter")
        term.wait_for("сигнал  2/2026")
        shown = term.wait_for("Esc Назад")  # the footer, drawn a moment after the list
        assert "Орлов Иван Петрович, 01.03.2012 — ребёнок: сигналов 2, дел 1" in shown
        assert re.search(r"дело +1 +открыто", shown) and "Esc Назад" in shown, shown
        term.keys("Escape")
        term.wait_for("Найдено лиц: 1")
        term.keys("Escape")
        term.wait_for("в Выход")
