"""The calendar («к») and the reminder letters («п») of `sopcli screen`, driven by the pilot's keys and read back
through the commands (`deadlines --json`, `audit list --json`, `calendar show --json`).

The registry is test_screen's: a boy's case, his programme's measure due 20.11.2026 and overdue since.
"""

from __future__ import annotations

import re
import shutil
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from tests.commands.test_screen import _measure, _run, _screen_text, registry, settle  # noqa: F401
from tests.conftest import ok
from tests.tmux import tmux

pytestmark = pytest.mark.usefixtures("registry")


def _months_back(to: date) -> int:
    """Page-up presses from this month (where the calendar opens) to `to`'s month."""
    today = date.today()
    return today.year * 12 + today.month - (to.year * 12 + to.month)


async def _open_calendar_at(app, pilot, month: date) -> None:
    await pilot.press("к")
    await settle(app, pilot)
    back = _months_back(month)
    for _ in range(abs(back)):
        await pilot.press("pageup" if back > 0 else "pagedown")
        await settle(app, pilot)


async def _go_to(pilot, screen, day: date) -> None:
    """The arrows, as a person presses them: a week at a time, then a day, to `day` in the month shown."""
    while screen.chosen != day:
        ahead = (day - screen.chosen).days
        await pilot.press("down" if ahead >= 7 else "up" if ahead <= -7 else "right" if ahead > 0 else "left")
    await pilot.pause()


def _cell(text: str, day: int) -> str:
    """The grid's cell of `day` (ten columns: a bracket or space, the day, its mark, its count, a bracket)."""
    found = re.search(rf"[ \[]{day:>2}[*+рп ][ ()\d]{{5}}[ \]]", text)
    assert found, text
    return found.group(0)


def test_the_calendar_marks_holidays_moved_days_and_working_saturdays(sop):
    """November 2026: 04.11 a holiday; 31.12.2026 a day off moved from 04.01; 20.02.2027 a Saturday made
    working, its day off moved to Monday 22.02 — as `calendar show` lists them; 13.11.2026 the registry's own
    day off (`calendar set`), the calendar its terms are counted by."""
    ok(sop("calendar", "set", "13.11.2026", "--off", "--reason", "постановление главы города от 01.11.2026 № 7"))
    shown = {d["date"]: d for d in sop("calendar", "show", "2027", "--json").json()["days"]}
    assert shown["2027-02-20"]["working"] and not shown["2027-02-22"]["working"]

    async def story(app, pilot) -> None:
        await _open_calendar_at(app, pilot, date(2026, 11, 1))
        text = _screen_text(app)
        assert "Производственный календарь: ноябрь 2026" in text
        assert " Пн " in text and " Вс " in text and "* праздник" in text and "р рабочий выходной" in text
        assert _cell(text, 4)[1:4] == " 4*"
        assert _cell(text, 5)[1:4] == " 5 "  # an ordinary Thursday
        assert _cell(text, 13)[1:4] == "13п"
        await _go_to(pilot, app.screen, date(2026, 11, 13))
        assert "13.11.2026 (пт): нерабочий день — постановление главы города от 01.11.2026 № 7" in _screen_text(app)
        await _go_to(pilot, app.screen, date(2026, 11, 30))
        await pilot.press("right")  # over the month's end: December is read
        await settle(app, pilot)
        text = _screen_text(app)
        assert "декабрь 2026" in text and _cell(text, 1).startswith("[ 1") and _cell(text, 31)[1:4] == "31+"
        for _ in range(2):
            await pilot.press("pagedown")
            await settle(app, pilot)
        text = _screen_text(app)
        assert "февраль 2027" in text
        assert _cell(text, 20)[1:4] == "20р" and _cell(text, 22)[1:4] == "22+"
        assert _cell(text, 23)[1:4] == "23*" and _cell(text, 21)[1:4] == "21 "  # a plain Sunday
        await pilot.press("escape")
        await pilot.pause()
        from sopcli.screen.morning import MorningScreen

        assert type(app.screen) is MorningScreen

    _run(story)


def test_a_day_counts_its_open_terms_and_enter_lists_them(sop):
    """20.11.2026 carries the measure's term (and whatever else `deadlines --json` says is due that day); the
    arrows move the day, Enter lists the day's terms as the morning does, Enter on one opens the case."""
    measure = _measure(sop)
    due = [o for o in sop("deadlines", "--json").json()["obligations"] if str(o["due"]).startswith("2026-11-20")]
    assert measure in due

    async def story(app, pilot) -> None:
        await _open_calendar_at(app, pilot, date(2026, 11, 1))
        await _go_to(pilot, app.screen, date(2026, 11, 20))
        text = _screen_text(app)
        assert _cell(text, 20) == f"[20 {f'({len(due)})':>5}]"
        assert f"20.11.2026 (пт): рабочий день; открытых сроков: {len(due)}" in text
        await pilot.press("enter")
        await settle(app, pilot)
        listed = _screen_text(app)
        assert f"Сроки на 20.11.2026 (пт): открытых {len(due)}" in listed
        row = next(x for x in listed.splitlines() if x.endswith(measure["title"]))
        assert row.startswith("20.11.2026 | просрочено на") and "| дело 1 |" in row
        assert "  Орган внутренних дел (ПДН)" in listed
        from textual.widgets import DataTable

        app.screen.query_one(DataTable).move_cursor(row=[x and x["id"] for x in app.screen.lines].index(measure["id"]))
        await pilot.press("enter")
        await pilot.pause()
        assert _screen_text(app).startswith("Дело № 1 (")
        for _ in range(2):
            await pilot.press("escape")
            await settle(app, pilot)
        assert "Производственный календарь: ноябрь 2026" in _screen_text(app)

    _run(story)


def test_the_calendar_at_a_past_moment(sop):
    """At the morning's moment the month is that moment's; as written then (the registry was written today)
    20.11 had no term, while today's records judged then have the measure among its terms, as many as
    `deadlines --as-of … --known-now` has due that day."""
    judged = [o for o in sop("deadlines", "--as-of", "21.11.2026 10:00", "--known-now", "--json").json()["obligations"]
              if str(o["due"]).startswith("2026-11-20")]
    assert _measure(sop)["id"] in [o["id"] for o in judged]

    async def story(app, pilot) -> None:
        await pilot.press("м")
        await pilot.pause()
        app.screen.query_one("#moment").value = "21.11.2026 10:00"
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("к")
        await settle(app, pilot)
        text = _screen_text(app)
        assert "ноябрь 2026" in text and "сроки на 21.11.2026 10:00 (реестр, каким он был записан тогда)" in text
        assert _cell(text, 21).startswith("[21") and _cell(text, 20) == " 20" + " " * 7
        await pilot.press("escape", "р", "к")
        await settle(app, pilot)
        await pilot.pause()
        text = _screen_text(app)
        assert "(сегодняшние записи на тот момент)" in text and _cell(text, 20) == f" 20 {f'({len(judged)})':>5} "

    _run(story)


def _docx_text(path) -> str:
    from docx import Document

    doc = Document(str(path))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_reminder_letters_for_one_agency_written_and_marked_sent(sop, tmp_path):
    """«п»: the agency (unknown words refused as `remind --who` refuses them), the folder (a missing one
    refused), the date sent; the letter is written where `remind --all` would name it, and the case's history
    and the audit trail carry the mark, under «remind»."""
    folder = tmp_path / "письма"
    folder.mkdir()
    today = date.today()
    preview = sop("remind", "--who", "ПДН", "--json").json()["letters"][0]  # what the command would write

    async def story(app, pilot) -> None:
        await pilot.press("п")
        await pilot.pause()
        app.screen.query_one("#whom").value = "Нечто непонятное"
        await pilot.press("enter")
        await pilot.pause()
        assert "Ошибка: " in _screen_text(app) and "Нечто непонятное" in _screen_text(app)
        app.screen.query_one("#whom").value = "ПДН"
        await pilot.press("enter")
        await pilot.pause()
        assert "Кому: ПДН." in _screen_text(app)
        app.screen.query_one("#folder").value = str(tmp_path / "нет такой")
        await pilot.press("enter")
        await pilot.pause()
        assert f"Ошибка: Папки для писем нет: {tmp_path / 'нет такой'}" in _screen_text(app)
        app.screen.query_one("#folder").value = str(folder)
        await pilot.press("enter")
        await pilot.pause()
        app.screen.query_one("#sent").value = f"{today:%d.%m.%Y}"
        await pilot.press("enter")
        await settle(app, pilot)
        card = _screen_text(app)
        assert card.startswith("Письма-напоминания")
        late, soon = len(preview["overdue"]), len(preview["soon"])
        assert f"Напоминание: {preview['agency']} — просрочено {late}, скоро {soon} → {folder}" in card
        assert f"отмечено {today:%d.%m.%Y}: дела № 1" in card
        await pilot.press("escape")
        await pilot.pause()

    _run(story)
    written = list(folder.iterdir())
    assert [p.name for p in written] == [f"Напоминание — Орган внутренних дел (ПДН) — {today.isoformat()}.docx"]
    assert "Орган внутренних дел" in _docx_text(written[0])
    entries = [e for e in sop("audit", "list", "--json").json()["entries"] if e["command"] == "remind"]
    assert any(e["entity"] == "case_event" and e["action"] == "create" for e in entries), entries


def test_reminder_letters_to_all_without_a_mark(sop, tmp_path):
    """Empty agency: every agency with terms, as `remind --all`; no date sent: letters only, nothing recorded."""
    before = len(sop("audit", "list", "--json").json()["entries"])

    async def story(app, pilot) -> None:
        await pilot.press("п")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert "Кому: всем органам со сроками." in _screen_text(app)
        app.screen.query_one("#folder").value = str(tmp_path)
        await pilot.press("enter", "enter")
        await settle(app, pilot)
        assert "→ " + str(tmp_path) in _screen_text(app)

    _run(story)
    assert any(p.suffix == ".docx" and p.name.startswith("Напоминание — ") for p in tmp_path.iterdir())
    assert len(sop("audit", "list", "--json").json()["entries"]) == before


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_the_calendar_in_a_terminal_of_80_by_24_without_colour(sop, sop_env, tmp_path):
    """The installed `sopcli screen` in tmux at 80×24 with NO_COLOR: the whole month, its marks and the legend fit,
    the chosen day in brackets; the footer's keys are Russian."""
    exe = Path(sys.executable).with_name("sopcli")
    with tmux(f"sopcli-cal-{tmp_path.name}", f"{exe} screen", {**sop_env, "NO_COLOR": "1", "TERM": "xterm"}) as term:
        term.wait_for("Мероприятие № 1")
        term.keys("к")
        shown = term.wait_for("Производственный календарь")
        for _ in range(_months_back(date(2026, 11, 1))):
            term.keys("PageUp")
        shown = term.wait_for("ноябрь 2026")
        time.sleep(0.5)
        shown = term.screen()
        assert re.search(r"Пн +Вт +Ср +Чт +Пт +Сб +Вс", shown), shown
        assert " 4*" in shown and "* праздник" in shown and "Стр↑ Прошлый месяц" in shown and "Esc Назад" in shown
        assert re.search(r"\[ ?\d{1,2}", shown), shown  # the chosen day, in brackets
        assert "п поправка реестра; (N) — открытых сроков в этот день; [ ] — выбранный день." in shown
        assert not re.search(r"[A-Za-z]{3,}", shown.replace("Esc", "")), shown
        term.keys("Escape")
        term.wait_for("д Исполнено")
