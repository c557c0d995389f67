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

from tests.commands import test_screen
from tests.commands.test_screen import _run, _screen_text, settle
from tests.conftest import ok, runner

registry = test_screen.registry  # test_screen's registry, the fixture itself

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


async def _answer(app, pilot, field: str, value: str) -> str:
    """A dialog's answer typed and Enter pressed: what the screen shows then."""
    app.screen.query_one(field).value = value
    await pilot.press("enter")
    await settle(app, pilot)
    return _screen_text(app)


def _known(app) -> list[str]:
    """The known children's lines under the name, as shown."""
    from textual.widgets import OptionList

    box = app.screen.query_one("#known", OptionList)
    return [str(box.get_option_at_index(i).prompt) for i in range(box.option_count)]


def _audit(sop) -> int:
    return len(sop("audit", "list", "--json").json()["entries"])


def test_a_new_child_is_recorded_as_signal_add_records_it(registry, sop_env, tmp_path):
    other = _copy(sop_env, tmp_path)

    async def story(app, pilot) -> None:
        await _open_form(app, pilot)
        await _fill(app, pilot, ANSWERS)
        assert _known(app) == [] and not app.screen.query_one("#known").display  # a child the registry does not know
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


def test_a_known_child_is_shown_as_he_is_typed_and_picking_him_links_the_same_person(registry, sop_env, tmp_path):
    """Орлов with his full name is certainly the boy of case 1 (the step links him by itself); without the
    patronymic only likely: picked, with his open case, he is `--person 1 --to-case 1`."""
    other = _copy(sop_env, tmp_path)
    answers = {**ANSWERS, "child": "Орлов Иван Петрович, 01.03.2012", "parents": ""}

    async def story(app, pilot) -> None:
        from textual.widgets import OptionList

        await _open_form(app, pilot)
        await _fill(app, pilot, answers)
        assert _known(app)[0] == ("[x] Ребёнок №1 — лицо № 1: Орлов И. П., 01.03.2012 (дело № 1, открыто; то же "
                                  "ФИО): тот же ребёнок, наверняка")
        await _fill(app, pilot, {"child": "Орлов Иван, 01.03.2012"})
        box = app.screen.query_one("#known", OptionList)
        assert _known(app) == ["[ ] Ребёнок №1 — лицо № 1: Орлов И. П., 01.03.2012 (дело № 1, открыто; без отчества): "
                         "тот же ребёнок?",
                         "[ ]   присоединить сигнал к открытому делу № 1 (отдельная проверка не проводится)",
                         "[x] Ребёнок №1 — новый, не из реестра"]
        box.focus()
        await pilot.press("down", "enter")  # the open case: the same boy, and his case
        await pilot.pause()
        assert [x[:3] for x in _known(app)] == ["[x]", "[x]", "[ ]"]
        await pilot.press("f2")
        await settle(app, pilot)
        assert _screen_text(app).startswith("Сигнал № 2/2026 зарегистрирован (id 2). Присоединён к делу № 1: "
                                            "отдельная проверка не проводится.")

    _run(story)
    assert [p["name"] for p in registry("person", "list", "--json").json()["persons"]] == ["Орлов Иван Петрович"]
    ok(other(*CLI[:CLI.index("--child")], "--child", "Орлов Иван, 01.03.2012", "--problem", ANSWERS["problem"],
             "--kind", ANSWERS["kind"], "--person", "1", "--to-case", "1", "--no-threat"))
    shown, expected = (sop("signal", "show", "2", "--json").json() for sop in (registry, other))
    assert shown["attached_to"] == 1 and _without_ids(shown) == _without_ids(expected)


def test_a_refusal_stays_on_screen_and_nothing_is_written(registry):
    before = _audit(registry)

    async def story(app, pilot) -> None:
        from textual.widgets import Input

        await _open_form(app, pilot)
        await pilot.press("f2")  # nothing typed: the command's own refusal of its first question
        await pilot.pause()
        assert "Ошибка: Не указано: Момент поступления (ДД.ММ.ГГГГ ЧЧ:ММ) (--received)." in _screen_text(app)
        await _fill(app, pilot, {**ANSWERS, "received": "01.01.2099 10:00"})
        await pilot.press("enter")  # Enter on the last question records, as the terminal does after it
        await pilot.pause()
        assert "Ошибка: Момент поступления информации" in _screen_text(app)
        await _fill(app, pilot, {"received": ANSWERS["received"], "child": "Белова О. Н., 05.05.2013"})
        await pilot.press("f2")
        await pilot.pause()
        assert "Ошибка: ФИО (ребёнок): нужно полное ФИО ребёнка" in _screen_text(app)
        await _fill(app, pilot, {"child": ANSWERS["child"], "threat": "может быть"})
        await pilot.press("f2")
        await pilot.pause()
        assert "Ошибка: Ответьте «да» или «нет»." in _screen_text(app)
        assert app.screen.query_one("#child", Input).value == ANSWERS["child"]  # the answers stay to be mended
        await pilot.press("escape")  # leaving writes nothing
        await settle(app, pilot)
        assert type(app.screen).__name__ == "MorningScreen"
        await _open_form(app, pilot)
        await _fill(app, pilot, ANSWERS)
        await pilot.press("ctrl+c")  # nor does Ctrl+C in a field (there it would copy)
        await settle(app, pilot)
        assert type(app.screen).__name__ == "MorningScreen"

    _run(story)
    assert _audit(registry) == before
    assert len(registry("signal", "list", "--json").json()["signals"]) == 1


def test_the_threat_answer_opens_the_emergency_terms_as_the_command_does(registry, sop_env, tmp_path):
    other = _copy(sop_env, tmp_path)

    async def story(app, pilot) -> None:
        await _open_form(app, pilot)
        await _fill(app, pilot, {**ANSWERS, "threat": "да"})
        await pilot.press("f2")
        await settle(app, pilot)
        assert "Проинформировать опеку (вопрос об отобрании) и КДН об угрозе" in _screen_text(app)

    _run(story)
    ok(other(*CLI, "--threat"))
    shown, expected = (sop("signal", "show", "2", "--json").json() for sop in (registry, other))
    assert shown["threat"] is True and _without_ids(shown) == _without_ids(expected)
    assert "fed.threat" in {o["rule"] for o in shown["obligations"]}


def test_the_source_is_completed_with_the_words_the_shell_completion_offers(registry):
    async def story(app, pilot) -> None:
        from textual.widgets import Input

        await _open_form(app, pilot)
        source = app.screen.query_one("#source", Input)
        source.focus()
        await pilot.press("о", "п", "е")
        await settle(app, pilot)
        assert "Подходят: опека; Орган опеки и попечительства" in _screen_text(app)
        await pilot.press("right")  # the suggestion taken
        assert source.value == "опека"

    _run(story)


def test_from_the_journal_the_key_works_from_the_list(registry):
    """In the find field «с» is a letter of the name sought; from the list (Enter) it opens the form, and
    after the record the journal is read again with the new signal."""
    async def story(app, pilot) -> None:
        from textual.widgets import Input

        await pilot.press("ж")
        await settle(app, pilot)
        await pilot.press("с")
        assert app.screen.query_one("#find", Input).value == "с"
        await pilot.press("backspace", "enter", "с")
        await pilot.pause()
        assert "Новый сигнал" in _screen_text(app)
        await _fill(app, pilot, {**ANSWERS, "received": ANSWERS["received"]})
        await pilot.press("f2")
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "JournalScreen"

    _run(story)
    assert len(registry("signal", "list", "--json", "--year", "2026").json()["signals"]) == 2


def test_the_source_is_asked_about_as_at_a_terminal_picked_among_several_or_added(registry):
    """«орган управления» fits four agencies: their list, a number picked; a school the directory lacks is
    offered to be added with its kind (Esc: refused in the resolver's words, nothing written)."""
    before = _audit(registry)

    async def story(app, pilot) -> None:
        await _open_form(app, pilot)
        await _fill(app, pilot, {**ANSWERS, "source": "МБОУ СОШ 5"})
        await pilot.press("f2")
        await pilot.pause()
        assert "Органа «МБОУ СОШ 5» нет в справочнике. Добавить? Вид органа (комиссия, опека" in _screen_text(app)
        await pilot.press("escape")  # not added: the resolver's refusal, as a script gets it
        await pilot.pause()
        assert "Ошибка: Органа «МБОУ СОШ 5» нет в справочнике." in _screen_text(app)
        assert _audit(registry) == before
        await _fill(app, pilot, {"source": "орган управления"})
        await pilot.press("f2")
        await pilot.pause()
        assert "Подходят органы: 1 — Орган управления образованием; 2 — Орган управления здравоохранением" \
            in _screen_text(app)
        assert "Ошибка: Допустимо: 1, 2, 3, 4." in await _answer(app, pilot, "#agency-number", "7")
        assert "Источник: Орган управления здравоохранением" in await _answer(app, pilot, "#agency-number", "2")
        await pilot.press("escape")
        await settle(app, pilot)
        await _open_form(app, pilot)
        await _fill(app, pilot, {**ANSWERS, "received": "04.12.2026 11:00", "source": "МБОУ СОШ 5"})
        await pilot.press("f2")
        await pilot.pause()
        assert "Источник: МБОУ СОШ 5" in await _answer(app, pilot, "#agency-kind", "образование")

    _run(story)
    assert "МБОУ СОШ 5" in [a["name"] for a in registry("agency", "list", "--json").json()["agencies"]]
    sources = [s["source"] for s in registry("signal", "list", "--json").json()["signals"]]
    assert sources[1:] == ["Орган управления здравоохранением", "МБОУ СОШ 5"]
