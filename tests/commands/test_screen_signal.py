"""A signal's screen in `sopcli screen` (issue 33), driven as a person drives it: opened from the morning, the journal
and the finding; the check («п»), the recognition («с») and the attachment to a case («т»), each refused once in the
command's own words with nothing written, then recorded and compared with what the command records from the same
answers on a copy of the registry taken before (`signal show --json`, `case show --json`, `audit list --json`).

The registry: a boy's signal of 02.11.2026 and a second one about him of 05.11.2026, neither checked.
"""

from __future__ import annotations

import pytest

from tests.commands.test_screen import _run, _screen_text, settle
from tests.commands.test_screen_case import _answer
from tests.commands.test_screen_intake import _copy, _without_ids
from tests.conftest import ok


def in_this_process(sop_env: dict[str, str], monkeypatch) -> None:
    """The app runs in the test's process, on the registry `sop_env` names."""
    from sopcli.services.unit_of_work import state

    monkeypatch.setitem(state, "db", sop_env["SOPCLI_DB"])
    for key, value in sop_env.items():
        monkeypatch.setenv(key, value)


@pytest.fixture
def signals(sop, sop_env, tmp_path, monkeypatch):
    sop_env["SOPCLI_DB"] = str(tmp_path / "registry.db")
    ok(sop("init", "--new", "--municipality", "г. Йошкар-Ола"))
    for received, problem in (("02.11.2026 09:40", "Не ночует дома"), ("05.11.2026 11:00", "Доставлен ночью")):
        ok(sop("signal", "add", "--received", received, "--source", "ПДН", "--child",
               "Орлов Иван Петрович, 01.03.2012", "--problem", problem, "--no-threat"))
    in_this_process(sop_env, monkeypatch)
    return sop


CHECK = ["check", "1/2026", "--concluded", "06.11.2026", "--level", "высокий", "--outcome", "СОП"]
RECOGNIZE = ["recognize", "1/2026", "--date", "10.11.2026", "--resolution", "15-п", "--curator", "Петрова А.В.",
             "--member", "ПДН", "--member", "опека", "--until", "10.05.2027"]
ATTACH = ["signal", "attach", "2/2026", "--to-case", "1", "--date", "10.11.2026 12:00"]


async def open_signal(app, pilot, number: str) -> None:
    """The journal («ж») of the signal's year, its number typed in the field, Enter to the list and Enter on the
    line: the signal's screen, read."""
    from datetime import date

    await pilot.press("ж")
    await settle(app, pilot)
    for _ in range(date.today().year - int(number.split("/")[1])):  # the journal opens on this year
        await pilot.press("pageup")
        await settle(app, pilot)
    app.screen.query_one("#find").value = number
    await pilot.pause()
    await pilot.press("enter", "enter")
    await settle(app, pilot)
    assert _screen_text(app).startswith(f"Сигнал № {number} от "), _screen_text(app)


async def step(app, pilot, key: str | None, **typed: str) -> str:
    """A step's key, its fields typed, Enter (test_screen_case's `_answer`); key None: typed again into the form
    a refusal left open. What the screen shows then."""
    if key:
        await _answer(app, pilot, key, **typed)
        return _screen_text(app)
    for field, value in typed.items():
        app.screen.query_one(f"#{field}").value = value
    await pilot.press("enter")
    await settle(app, pilot)
    return _screen_text(app)


def _entries(sop) -> list[dict]:
    return sop("audit", "list", "--json").json()["entries"]


async def back_to_the_journal(app, pilot) -> str:
    """Esc from the signal: the journal, read again after the step."""
    await pilot.press("escape")
    await settle(app, pilot)
    return _screen_text(app)


def recorded_as_the_command(sop, other, before: list[dict], cli: list[str], show: list[str], command: str) -> dict:
    """The command run with the same answers on the copy taken before: `show --json` the same on both registries
    (ids and moments of writing apart), and the screen's step audited under the command's name only."""
    ok(other(*cli))
    shown, expected = (x(*show, "--json").json() for x in (sop, other))
    assert _without_ids(shown) == _without_ids(expected)
    assert {e["command"] for e in _entries(sop)[len(before):]} == {command}
    return shown


def test_the_check_refused_then_recorded_as_the_command_records_it(signals, sop_env, tmp_path):
    other = _copy(sop_env, tmp_path)
    before = _entries(signals)

    async def story(app, pilot) -> None:
        from sopcli.screen.signal import SignalScreen

        await open_signal(app, pilot, "1/2026")
        assert isinstance(app.screen, SignalScreen)
        text = _screen_text(app)
        assert text.startswith("Сигнал № 1/2026 от 02.11.2026 09:40, Орган внутренних дел (ПДН)"), text
        assert "ребёнок: Орлов Иван Петрович, 01.03.2012" in text and "Обязанности:" in text
        said = await step(app, pilot, "п", concluded="06.11.2026", level="очень высокий", outcome="СОП")
        assert "Ошибка: Недопустимое значение уровня опасности «очень высокий»: допустимы" in said, said
        said = await step(app, pilot, None, level="")  # an empty field: the script's missing option
        assert "Ошибка: Не указано: Уровень опасности (низкий/средний/высокий/критический) (--level)." in said
        assert _entries(signals) == before  # nothing written
        said = await step(app, pilot, None, level="высокий")
        assert "Проверка сигнала №1/2026: уровень высокий, итог СОП." in said, said
        assert "проверка 06.11.2026: уровень высокий, итог СОП" in said  # the card read again
        assert "1/2026 | 02.11.2026 09:40 | Орлов Иван Петрович | Орган внутренних дел (ПДН) | проверен" \
            in await back_to_the_journal(app, pilot)

    _run(story)
    shown = recorded_as_the_command(signals, other, before, CHECK, ["signal", "show", "1"], "check")
    assert shown["status"] == "checked"


def test_the_recognition_refused_then_recorded_and_its_case_opened(signals, sop_env, tmp_path):
    ok(signals(*CHECK))
    other = _copy(sop_env, tmp_path)
    before = _entries(signals)

    async def story(app, pilot) -> None:
        await open_signal(app, pilot, "1/2026")
        said = await step(app, pilot, "с", date="01.01.2099", resolution="15-п", curator="Петрова А.В.",
                          members="ПДН; опека", until="10.05.2027")  # several members: as several --member
        assert "Ошибка: Дата постановления в будущем: 01.01.2099" in said, said
        assert _entries(signals) == before
        said = await step(app, pilot, None, date="10.11.2026")
        assert "Открыто дело № 1 (постановление № 15-п).\n" in said and "Enter — открыть дело № 1." in said, said
        assert "дело № 1" in _screen_text(app)
        await pilot.press("enter")  # the case opened, its screen
        await settle(app, pilot)
        assert type(app.screen).__name__ == "CaseScreen"
        assert "Дело № 1 (несовершеннолетний), открыто; куратор Петрова А.В." in _screen_text(app)

    _run(story)
    shown = recorded_as_the_command(signals, other, before, RECOGNIZE, ["case", "show", "1"], "recognize")
    assert set(shown["members"]) == {"Орган внутренних дел (ПДН)", "Орган опеки и попечительства"}


def test_the_attachment_refused_then_recorded(signals, sop_env, tmp_path):
    ok(signals(*CHECK))
    ok(signals(*RECOGNIZE))
    other = _copy(sop_env, tmp_path)
    before = _entries(signals)

    async def story(app, pilot) -> None:
        await open_signal(app, pilot, "2/2026")
        await pilot.press("т")
        await pilot.pause()
        assert "Открытые дела ребёнка: № 1." in _screen_text(app)
        assert app.screen.query_one("#case").value == "1"  # the boy's open case, offered
        await pilot.press("escape")
        said = await step(app, pilot, "т", case="1", date="01.01.2099 12:00")
        assert "Ошибка: Момент присоединения в будущем: 01.01.2099" in said, said
        said = await step(app, pilot, None, case="первое", date=ATTACH[-1])
        assert "Ошибка: Номер дела (--to-case) — целое число, например 1." in said
        assert _entries(signals) == before
        said = await step(app, pilot, None, case="1")
        assert "Сигнал № 2/2026 присоединён к делу № 1: отдельная проверка не проводится." in said, said
        assert "присоединён к делу № 1 (отдельная проверка не проводится)" in said  # the card read again
        assert "2/2026 | 05.11.2026 11:00 | Орлов Иван Петрович | Орган внутренних дел (ПДН) | присоединён к делу" \
            in await back_to_the_journal(app, pilot)

    _run(story)
    shown = recorded_as_the_command(signals, other, before, ATTACH, ["signal", "show", "2"], "signal attach")
    assert shown["attached_to"] == 1


def test_a_signal_without_a_case_says_so_and_the_keys_are_listed(signals):
    async def story(app, pilot) -> None:
        await open_signal(app, pilot, "2/2026")
        await pilot.press("enter")
        await pilot.pause()
        assert "Дела у сигнала нет: «с» — признание (открывает дело), «т» — присоединить" in _screen_text(app)
        await pilot.press("f1")
        await pilot.pause()
        keys = _screen_text(app)
        for line in ("п — Проверка", "с — Признание", "т — К делу", "Enter — Дело", "Esc — Назад"):
            assert line in keys, keys
        await pilot.press("escape")

    _run(story)
