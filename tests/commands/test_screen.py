"""`sopcli screen` driven as a person drives it (issue 33, first part): Textual's pilot presses the keys, and the
registry is read back through the commands (`deadlines --json`, `case show --json`, `audit list --json`).

The registry: a boy's signal on 02.11.2026, checked and recognised; his programme's measure is overdue.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import ok, refused
from tests.tmux import tmux


@pytest.fixture
def registry(sop, sop_env, tmp_path, monkeypatch):
    from sopcli.services.unit_of_work import state

    db = tmp_path / "registry.db"
    sop_env["SOPCLI_DB"] = str(db)
    ok(sop("init", "--new", "--municipality", "г. Йошкар-Ола"))
    ok(sop("signal", "add", "--received", "02.11.2026 09:40", "--source", "ПДН", "--child",
           "Орлов Иван Петрович, 01.03.2012", "--problem", "Не ночует дома", "--no-threat"))
    ok(sop("check", "1", "--concluded", "06.11.2026", "--level", "высокий", "--outcome", "СОП"))
    ok(sop("recognize", "1", "--date", "10.11.2026", "--resolution", "15-п", "--curator", "Петрова А.В.",
           "--member", "ПДН", "--until", "10.05.2027"))
    ok(sop("plan", "add", "1", "--measure", "Профилактическая беседа", "--executor", "ПДН", "--due", "20.11.2026"))
    ok(sop("plan", "approve", "1", "--date", "11.11.2026", "--resolution", "16-п"))
    monkeypatch.setitem(state, "db", str(db))  # the app runs in this process, on this registry
    for key, value in sop_env.items():
        monkeypatch.setenv(key, value)
    return sop


def _measure(sop) -> dict:
    return next(o for o in sop("deadlines", "--json").json()["obligations"]
                if o["title"] == "Мероприятие № 1: Профилактическая беседа")


def _run(story):
    from sopcli.screen.app import SopApp

    async def go() -> None:
        app = SopApp()
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            await story(app, pilot)

    asyncio.run(go())


async def settle(app, pilot) -> None:
    """The registry read in its thread and shown."""
    await app.workers.wait_for_complete()
    await pilot.pause()


def _screen_text(app) -> str:
    from textual.widgets import DataTable, Static

    screen = app.screen
    parts = [str(w.render()) for w in screen.query(Static)]
    for table in screen.query(DataTable):
        parts += [" | ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]
    return "\n".join(parts)


def test_the_morning_shows_the_overdue_term_with_its_owner_and_lateness(registry):
    measure = _measure(registry)
    assert measure["overdue"]

    async def story(app, pilot) -> None:
        text = _screen_text(app)
        assert text.startswith("Реестр: КДН и ЗП г. Йошкар-Олы — 1 дело, в работе 1")
        lines = [x.split(" | ") for x in text.splitlines() if " | " in x]
        at = next(n for n, x in enumerate(lines) if x[-1] == measure["title"])
        days = (date.today() - date(2026, 11, 20)).days
        assert lines[at] == ["20.11.2026", f"просрочено на {days} дн.", "дело 1", measure["title"]]
        # under its owner's line, in the section of the overdue, which comes first
        owner = max(n for n in range(at) if lines[n][0] == "" and lines[n][3].startswith("  "))
        assert lines[owner][3] == "  Орган внутренних дел (ПДН)"
        assert lines[0][3] == "ПРОСРОЧЕНО" and all("просрочено" in x[1] for x in lines[:at + 1] if x[0])

    _run(story)


def test_open_a_case_then_mark_its_term_done_as_the_command_does(registry):
    measure = _measure(registry)
    before = len(registry("audit", "list", "--json").json()["entries"])

    async def story(app, pilot) -> None:
        from textual.widgets import DataTable

        table = app.screen.query_one(DataTable)
        table.move_cursor(row=[r and r["id"] for r in app.screen.lines].index(measure["id"]))
        await pilot.press("enter")
        await settle(app, pilot)  # the case's screen reads in its thread
        card = _screen_text(app)
        assert card.startswith("Дело № 1 (") and "куратор Петрова А.В." in card and "Обязанности:" in card
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("д")
        await pilot.pause()
        when = app.screen.query_one("#when")
        when.value = "01.01.2099"  # a date ahead: refused in the command's words, nothing written
        await pilot.press("enter")
        await pilot.pause()
        assert "Ошибка: Дата исполнения в будущем." in _screen_text(app)
        when.value = "25.11.2026"
        await pilot.press("enter")
        await settle(app, pilot)
        said = _screen_text(app)
        assert (f"Обязанность [{measure['id']}] «Мероприятие № 1: Профилактическая беседа» исполнена, "
                "с опозданием на 3 раб. дн.") in said
        assert f"{measure['id']} |" not in said  # gone from the digest

    _run(story)
    done = next(o for o in registry("case", "show", "1", "--json").json()["obligations"] if o["id"] == measure["id"])
    assert done["status"] == "fulfilled" and done["fulfilled_at"].startswith("2026-11-25")
    assert done["late_working_days"] == 3
    entries = registry("audit", "list", "--json").json()["entries"]
    assert len(entries) > before  # audited as the command is: under its name, by the OS user
    assert sorted(e["action"] for e in entries if e["command"] == "deadlines done") == ["fulfil", "seal"]


def test_screen_outside_a_terminal_is_refused(registry):
    refused(registry("screen"), "только в терминале")


def terminal_env(sop_env: dict[str, str]) -> dict[str, str]:
    """A terminal of its own size: the tests' COLUMNS=200 (for the commands' wide lines) would tell Textual the
    tmux window is 200 wide, and the screen would be drawn for that, cut at 80."""
    return {**{k: v for k, v in sop_env.items() if k not in ("COLUMNS", "LINES")}, "NO_COLOR": "1", "TERM": "xterm"}


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_the_installed_screen_in_a_terminal_of_80_by_24(registry, sop_env, tmp_path):
    """`sopcli screen` as installed, in tmux at 80×24 with NO_COLOR: the Russian headings, a row, the keys; the
    case opens on Enter, «в» leaves."""
    exe = Path(sys.executable).with_name("sopcli")
    with tmux(f"sopcli-screen-{tmp_path.name}", f"{exe} screen", terminal_env(sop_env)) as term:
        term.wait_for("в Выход")
        shown = term.wait_for("Мероприятие № 1: Профилакт")
        assert "Реестр: КДН и ЗП г. Йошкар-Олы — 1 дело, в работе 1" in shown
        assert "Срок" in shown and "Когда" in shown and "ПРОСРОЧЕНО" in shown and "Орган внутренних дел (ПДН)" in shown
        assert re.search(r"20\.11\.2026 +просрочено на \d+ дн\. +дело 1 +Мероприятие № 1", shown), shown
        assert "д Исполнено" in shown and not re.search(r"[A-Za-z]{3,}", shown.replace("sopcli", "")), shown
        term.keys("Enter")  # the first term is a signal's: its card
        term.wait_for("Сигнал № 1/2026 от 02.11.2026 09:40")
        term.keys("Escape")
        term.wait_for("д Исполнено")
        term.keys("Down", "Enter")  # the next one is the case's: its screen, the card's tab first
        term.wait_for("Дело № 1 (несовершеннолетний), открыто; куратор Петрова А.В.")  # read in its thread
        card = term.wait_for("Esc Назад")  # the footer, drawn a moment after the card
        assert "Обязанности:" in card and "1 Карточка" in card
        term.keys("Escape")
        term.wait_for("д Исполнено")
        term.keys("в")
        time.sleep(1)
        assert "Исполнено" not in term.screen()  # the app has left


def test_the_list_is_added_a_page_at_a_time_as_the_cursor_goes_down(registry, monkeypatch):
    """The national digest has 24,000 terms: the table gets a page, and the next as the cursor nears its end."""
    from sopcli.screen import widgets

    monkeypatch.setattr(widgets, "PAGE", 4)
    total = len(registry("deadlines", "--json").json()["obligations"])
    assert total > 4

    async def story(app, pilot) -> None:
        from textual.widgets import DataTable

        table = app.screen.query_one(DataTable)
        assert table.row_count == 4  # a section's line, an owner's line and two terms
        for _ in range(12):
            await pilot.press("down")
        await pilot.pause()
        assert table.row_count > 4
        for _ in range(60):
            await pilot.press("down")
        await pilot.pause()
        assert sum(1 for x in app.screen.lines if x is not None) == total  # every term, in the end

    _run(story)


def test_a_past_moment_in_either_reading(registry):
    """«м» asks the moment; «р» switches the reading: the registry as written then (it was written today, so
    empty), or today's records judged then (the case recognised on 10.11, its measure a day overdue on 21.11)."""
    measure = _measure(registry)

    async def story(app, pilot) -> None:
        await pilot.press("м")
        await pilot.pause()
        field = app.screen.query_one("#moment")
        field.value = "01.01.2099"
        await pilot.press("enter")
        await pilot.pause()
        assert "Ошибка: Момент в будущем: 01.01.2099 00:00." in _screen_text(app)
        field.value = "21.11.2026 10:00"
        await pilot.press("enter")
        await settle(app, pilot)
        written = _screen_text(app)
        assert "— 0 дел\nСроки на 21.11.2026 10:00 (реестр, каким он был записан тогда): просрочено 0" in written
        await pilot.press("р")
        await settle(app, pilot)
        judged = _screen_text(app)
        assert "— 1 дело\nСроки на 21.11.2026 10:00 (сегодняшние записи на тот момент)" in judged
        row = next(x for x in judged.splitlines() if x.endswith(measure["title"]))
        assert row.startswith("20.11.2026 | просрочено на 1 дн. | дело 1")
        await pilot.press("д")
        await pilot.pause()
        assert "только в сводке на сейчас" in _screen_text(app)  # the past is read, never written
        await pilot.press("м")
        await pilot.pause()
        app.screen.query_one("#moment").value = ""
        await pilot.press("enter")
        await settle(app, pilot)
        assert "Сроки на 21.11.2026" not in _screen_text(app) and "в работе 1" in _screen_text(app)

    _run(story)


def test_the_journal_filtered_as_the_secretary_types(registry):
    """«ж»: the year's signals; each typed word narrows them (a name, a number, a source; ё/е and case folded);
    Enter opens the signal's card, as `signal show` prints it."""
    ok(registry("signal", "add", "--received", "03.11.2026 10:00", "--source", "ПДН", "--child",
                "Белова Ольга Николаевна, 05.05.2013", "--problem", "Пропуски", "--no-threat"))
    async def story(app, pilot) -> None:
        from textual.widgets import DataTable

        await pilot.press("ж")
        await settle(app, pilot)
        for _ in range(date.today().year - 2026):  # the journal opens on this year; the signals are of 2026
            await pilot.press("pageup")
            await settle(app, pilot)
        assert "Журнал 2026 года: сигналов 2, найдено 2" in _screen_text(app)
        await pilot.press("pagedown")
        await settle(app, pilot)
        assert "Журнал 2027 года: сигналов 0, найдено 0" in _screen_text(app)
        await pilot.press("pageup")
        await settle(app, pilot)
        for key in "белова":
            await pilot.press(key)
        await pilot.pause()
        text = _screen_text(app)
        assert "найдено 1" in text and "2/2026 | 03.11.2026 10:00 | Белова Ольга Николаевна | Орган внутренних " \
            "дел (ПДН) | зарегистрирован" in text, text
        await pilot.press("space", "щ")  # a second word that nothing holds: none
        await pilot.pause()
        assert "найдено 0" in _screen_text(app)
        for _ in range(2):
            await pilot.press("backspace")
        await pilot.press("enter")  # to the list, then its line
        await pilot.pause()
        assert app.screen.query_one(DataTable).has_focus
        await pilot.press("enter")
        await settle(app, pilot)  # the case's screen reads in its thread
        card = _screen_text(app)
        assert card.startswith("Сигнал № 2/2026 от 03.11.2026 10:00, Орган внутренних дел (ПДН)")
        assert "ребёнок: Белова Ольга Николаевна, 05.05.2013" in card

    _run(story)
