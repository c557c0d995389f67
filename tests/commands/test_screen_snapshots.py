"""Every screen of `sopcli screen` as it is drawn (issue 33 §7): Textual's own SVG screenshots, compared with the
ones kept in `__snapshots__/` (pytest-textual-snapshot). A change of a word, a column or a key in the footer
fails here; `pytest --snapshot-update` writes the new pictures, to be looked at before they are committed.

The registry is test_screen's (a boy's case, checked and recognised, its measure overdue), written at the
real time; the screen runs with the clock held at 25.11.2026 10:00 Moscow time (time-machine), so lateness in
days and «today» are the same whenever the suite runs. 80×24, no colour (NO_COLOR, as the test environment).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.commands.test_screen import registry, settle  # noqa: F401 - the fixture

#: the moment the screens are drawn at: five days after the measure's term ran out
AT = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Europe/Moscow"))


@pytest.fixture
def held_clock():
    import time_machine

    with time_machine.travel(AT, tick=False):
        yield


def _app():
    from sopcli.screen.app import SopApp

    return SopApp()


async def _read(pilot) -> None:
    await settle(pilot.app, pilot)


def _snap(snap_compare, *keys: str, typed: str = "") -> bool:
    async def before(pilot) -> None:
        await _read(pilot)
        for key in keys:
            await pilot.press(key)
            await _read(pilot)
        if typed:
            await pilot.press(*typed)
            await _read(pilot)

    return snap_compare(_app(), terminal_size=(80, 24), run_before=before)


def test_the_morning(registry, held_clock, snap_compare):  # noqa: F811
    assert _snap(snap_compare)


def test_a_case(registry, held_clock, snap_compare):  # noqa: F811
    assert _snap(snap_compare, "down", "down", "enter")


def test_a_case_terms_tab(registry, held_clock, snap_compare):  # noqa: F811
    assert _snap(snap_compare, "down", "down", "enter", "3")


def test_the_journal(registry, held_clock, snap_compare):  # noqa: F811
    assert _snap(snap_compare, "ж")


def test_the_calendar(registry, held_clock, snap_compare):  # noqa: F811
    assert _snap(snap_compare, "к")


def test_finding(registry, held_clock, snap_compare):  # noqa: F811
    assert _snap(snap_compare, "н", typed="орлов")


def test_the_done_dialog(registry, held_clock, snap_compare):  # noqa: F811
    assert _snap(snap_compare, "down", "down", "д")


def test_the_keys_of_the_morning(registry, held_clock, snap_compare):  # noqa: F811
    """F1: the footer's keys and the ones it has no room for at 80 columns (moment, reading, letters, reload)."""
    assert _snap(snap_compare, "f1")


def test_the_new_signal_form(registry, held_clock, snap_compare):  # noqa: F811
    assert _snap(snap_compare, "с")


def test_a_signal(registry, held_clock, snap_compare):  # noqa: F811
    """The morning's first term is the signal's: its screen, `signal show`'s lines and its steps' keys."""
    assert _snap(snap_compare, "enter")


def test_the_check_form(registry, held_clock, snap_compare):  # noqa: F811
    assert _snap(snap_compare, "enter", "п")
