"""A case's screen in `sopcli screen` (issue 33 §3), driven as a person drives it: opened from the morning, its tabs,
then a report, a control, App. 4 written to a folder and the closure, each read back through the commands
(`case show --json`, `deadlines --json`, `audit list --json`) and the file itself.

The registry is test_screen's: a boy's case, checked and recognised, its programme's measure overdue.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from tests.commands.test_screen import _measure, _run, _screen_text, registry, settle, terminal_env  # noqa: F401
from tests.conftest import ok
from tests.services.papers.test_forms import cells, flat


async def _open_case(app, pilot, obligation_id: int) -> None:
    """The morning's row of the measure, Enter: the case's screen, read."""
    from textual.widgets import DataTable

    table = app.screen.query_one(DataTable)
    table.move_cursor(row=[r and r["id"] for r in app.screen.lines].index(obligation_id))
    await pilot.press("enter")
    await settle(app, pilot)


async def _answer(app, pilot, key: str, **typed: str) -> None:
    """A step's key, its fields typed, Enter."""
    await pilot.press(key)
    await pilot.pause()
    for field, value in typed.items():
        app.screen.query_one(f"#{field}").value = value
    await pilot.press("enter")
    await settle(app, pilot)


def _audited(sop) -> list[dict]:
    return sop("audit", "list", "--json").json()["entries"]


def test_a_case_opened_from_the_morning_shows_its_tabs(registry):  # noqa: F811 - the fixture
    measure = _measure(registry)

    async def story(app, pilot) -> None:
        from textual.widgets import TabbedContent

        from sopcli.screen.morning import MorningScreen

        await _open_case(app, pilot, measure["id"])
        text = _screen_text(app)
        assert "Дело № 1 (несовершеннолетний), открыто; куратор Петрова А.В." in text
        for title in ("1 Карточка", "2 Ход работы", "3 Сроки", "4 Программа", "5 Документы"):
            assert title in text
        assert "Ход работы по делу № 1 (несовершеннолетний)" in text
        assert "Просрочены (6):\n" in text and "Открыты (1):\n" in text and "Исполнены (2):\n" in text
        assert f"  [{measure['id']}] 20.11.2026  {measure['title']} — Орган внутренних дел (ПДН)\n" in text
        assert "Программа по делу № 1, версия 1: утверждена 11.11.2026, постановление № 16-п" in text
        assert "3. Прил. 4 — индивидуальная программа" in text
        tabs = app.screen.query_one(TabbedContent)
        await pilot.press("3")
        assert tabs.active == "terms"
        await pilot.press("п")  # the check is the signal's, before the case: said so
        await pilot.pause()
        assert "Проверка не нужна: сигнал № 1/2026 этого дела уже проверен" in _screen_text(app)
        await pilot.press("с")
        await pilot.pause()
        assert "Признание уже записано: дело № 1 открыто постановлением № 15-п от 10.11.2026" in _screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MorningScreen)  # back to the morning

    _run(story)


def test_report_control_papers_and_closure_on_the_case_screen(registry, tmp_path):  # noqa: F811 - the fixture
    measure = _measure(registry)
    plan = registry("plan", "show", "1", "--json").json()
    measure_id = plan["measures"][0]["id"]
    folder = tmp_path / "бумаги"
    folder.mkdir()

    async def story(app, pilot) -> None:
        await _open_case(app, pilot, measure["id"])
        before = len(_audited(registry))
        # a date ahead: refused in the command's words, the dialog stays, nothing written
        await _answer(app, pilot, "о", measure=str(measure_id), date="01.01.2099", status="выполнено")
        assert "Ошибка: Дата отчёта в будущем: 01.01.2099" in _screen_text(app)
        assert len(_audited(registry)) == before
        app.screen.query_one("#date").value = "25.11.2026"
        app.screen.query_one("#text").value = "беседа проведена"
        await pilot.press("enter")
        await settle(app, pilot)
        text = _screen_text(app)
        assert f"Отчёт по мероприятию {measure_id} (дело № 1): выполнено." in text
        assert "Исполнены:" in text and "Отчёты:\n  25.11.2026  мероприятие 1" in text  # the tab redrawn
        assert "Просрочены (5):" in text and "Исполнены (3):" in text
        assert f"[{measure['id']}] 20.11.2026  {measure['title']} — Орган внутренних дел (ПДН); исполнена 25.11.2026" \
            in text

        await pilot.press("к")
        await pilot.pause()
        assert app.screen.query_one("#date").has_focus
        await pilot.press("down")  # to the next field, as Tab
        assert app.screen.query_one("#decision").has_focus
        await pilot.press("escape")
        await pilot.pause()
        await _answer(app, pilot, "к", date="26.11.2026", decision="продолжить", note="на контроле")
        assert "Контроль по делу № 1: продолжить реализацию программы." in _screen_text(app)

        # the closure's notice of a case still open: `doc`'s refusal, the dialog stays, no file
        await _answer(app, pilot, "l", which="7", folder=str(folder))  # «д» in the Latin layout
        assert "Ошибка: " in _screen_text(app) and "не закрыто" in _screen_text(app)
        assert list(folder.iterdir()) == []
        app.screen.query_one("#which").value = "3"
        await pilot.press("enter")
        await settle(app, pilot)
        assert f"Записан: {folder / 'дело-1-прил4-программа.xlsx'}" in _screen_text(app)

        await _answer(app, pilot, "з", date="27.11.2026", resolution="30-п", ground="устранение",
                      outcome="полная", result="оптимизация")
        assert "Дело № 1 закрыто: устранение обстоятельств." in _screen_text(app)
        assert "Дело № 1 (несовершеннолетний), закрыто" in _screen_text(app)
        await pilot.press("escape")
        await settle(app, pilot)
        assert "Сроки на" in _screen_text(app) and measure["title"] not in _screen_text(app)  # the morning, read again

    _run(story)
    shown = registry("case", "show", "1", "--json").json()
    assert shown["status"] == "closed"
    done = next(o for o in shown["obligations"] if o["id"] == measure["id"])
    assert done["status"] == "fulfilled" and done["fulfilled_at"].startswith("2026-11-25")
    assert measure["id"] not in [o["id"] for o in registry("deadlines", "--json").json()["obligations"]]
    commands = [e["command"] for e in _audited(registry)]
    for name in ("report", "control", "close"):  # audited under the commands' own names
        assert name in commands
    written = flat(cells(folder / "дело-1-прил4-программа.xlsx"))
    assert "Орлов Иван Петрович" in written and "Профилактическая беседа" in written
    ok(registry("audit", "verify"))


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_the_case_and_its_closure_form_in_a_terminal_of_80_by_24(registry, sop_env, tmp_path):  # noqa: F811
    """As installed, in tmux at 80×24: the case's heading, tabs and keys in Russian; the closure's form whole."""
    import re

    from tests.tmux import tmux

    exe = Path(sys.executable).with_name("sopcli")
    with tmux(f"sopcli-case-{tmp_path.name}", f"{exe} screen", terminal_env(sop_env)) as term:
        term.wait_for("Мероприятие № 1: Профилакт")  # the digest read, its first row chosen
        term.keys("Down", "Enter")  # the case's term
        term.wait_for("Дело № 1 (несовершеннолетний), открыто; куратор Петрова А.В.")
        term.wait_for("Обязанности:")
        shown = term.wait_for("д Бумаги")  # the footer, drawn a moment after the card
        assert "1 Карточка" in shown and "Esc Назад" in shown and "з Закрыть" in shown and "д Бумаги" in shown
        words = re.sub(r"fed\.[a-z.]+|age\.18|plan\.measure|sopcli|Esc", "", shown)  # the rules' codes, as `case show`
        assert not re.search(r"[A-Za-z]{3,}", words), shown
        term.keys("з")
        form = term.wait_for("Примечание")
        assert "Основание: достижение 18 лет" in form and "↓, ↑ — следующее, предыдущее поле; Enter — записать" in form
        assert all(len(line) <= 80 for line in form.splitlines())
