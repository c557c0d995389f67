"""Whole `sopcli calendar` / `sopcli rules` flows through the real CLI process."""

import json
import os
import stat
import subprocess
import sys

import pytest


def test_issue_example_friday_before_4_november(sop):
    r = sop("calendar", "due", "01.11.2024", "5wd")
    assert r.code == 0, r.err
    first = r.out.splitlines()[0]
    assert first == "Срок истекает: 08.11.2024 (пт), до 24:00"
    assert "02.11.2024 (сб) — засчитан как рабочий: выходной перенесён на 30.04.2024" in r.out
    assert "04.11.2024 (пн) — не засчитан: День народного единства" in r.out


def test_json_carries_the_due_and_its_reasons(sop):
    r = sop("calendar", "due", "2024-12-27", "в течение трех календарных дней", "--json")
    assert r.code == 0 and r.err == ""
    doc = r.json()
    assert doc["start"] == "2024-12-27" and doc["term"] == "3d" and doc["due"] == "2025-01-09"
    assert doc["due_end"] == "2025-01-10T00:00:00+03:00"
    moved = [d["date"] for d in doc["moved_over"]]
    assert moved[0] == "2024-12-30" and moved[-1] == "2025-01-08"
    assert any("193" in line for line in doc["explanation"])


def test_a_rule_brings_its_citation(sop):
    r = sop("calendar", "due", "27.12.2024 17:30", "--rule", "me.check", "--json")
    doc = r.json()
    # 004 §4.6: 5 working days from Fri 27.12.2024: Sat 28.12 worked (1), 30.12–08.01 off,
    # Thu 09.01 (2), Fri 10.01 (3), Mon 13.01 (4), Tue 14.01 (5)
    assert doc["due"] == "2025-01-14"
    assert doc["rule"]["id"] == "me.check" and doc["rule"]["source"] == "004 §4.6"
    assert doc["explanation"][0].startswith("Правило me.check:")
    assert [d["date"] for d in doc["worked_weekends"]] == ["2024-12-28"]


def test_rule_with_the_term_of_another_rule(sop):
    r = sop("calendar", "due", "10.03.2025", "--rule", "me.card", "--json")
    assert r.json()["due"] == "2025-03-24"  # with me.program: 14 days, Mon 24.03.2025


def test_immediate_at_a_moment_keeps_the_time(sop):
    r = sop("calendar", "due", "27.12.2024 17:30", "незамедлительно", "--json")
    assert r.json()["due"] == "2024-12-28T17:30:00+03:00"
    r = sop("calendar", "due", "2025-01-03T10:00", "immediate")
    assert r.out.splitlines()[0] == "Срок истекает: 09.01.2025 (чт), до 24:00"


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["calendar", "due", "01.11.2024", "5 попугаев"], "Не удалось прочитать срок"),
        (["calendar", "due", "31.02.2026", "5wd"], "Такой даты нет"),
        (["calendar", "due", "", "5wd"], "Не указан момент"),
        (["calendar", "due", "01.11.2024 25:00", "5wd"], "Такого времени нет"),
        (["calendar", "due", "01.11.2024"], "Укажите срок"),
        (["calendar", "due", "01.11.2024", "5wd", "--rule", "me.chek"], "Возможно: me.check"),
        (["calendar", "due", "01.11.2024", "3d", "--rule", "me.check"], "не совпадает"),
        (["calendar", "due", "01.11.2024", "5wd", "--region", "XX"], "Неизвестный регион"),
        (["calendar", "due", "01.11.2024", "5wd", "--tz", "Mars/Olympus"], "часовой пояс"),
        (["calendar", "due", "01.11.2024", "own"], "не вычисляется"),
        (["calendar", "show", "1800"], "вне производственного календаря"),
        (["calendar", "set", "31.12.2026", "--off"], "основание"),
        (["calendar", "set", "31.12.2026", "--off", "--work", "--reason", "x"], "ровно одно"),
        (["calendar", "unset", "31.12.2026", "--reason", "ошибка"], "поправки нет"),
        (["calendar", "preset", "covid", "--on"], "Неизвестный пресет"),
        (["rules", "--set", "moscow"], "Неизвестный набор"),
        (["calendar", "show", "2024", "--bogus"], "Нет такого параметра"),
        (["calendar", "due", "01.11.2024", "5wd", "--bogus"], "Лишние аргументы"),
        (["calendar", "due"], "обязательный параметр НАЧАЛО"),
        (["calendar", "frobnicate"], "Нет такой команды"),
    ],
)
def test_bad_input_is_one_russian_line_exit_2_and_nothing_written(sop, sop_env, args, fragment):
    r = sop(*args)
    assert r.code == 2
    assert r.out == ""
    lines = r.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Ошибка: ") and fragment in lines[0]
    assert "Traceback" not in r.err
    assert not os.path.exists(os.path.join(sop_env["SOPCLI_CONFIG_DIR"], "calendar.json"))


def test_local_override_changes_due_dates_and_is_kept_with_its_log(sop, sop_env):
    before = sop("calendar", "due", "02.12.2026", "3wd", "--json").json()["due"]
    assert before == "2026-12-07"
    r = sop("calendar", "set", "04.12.2026", "--off", "--reason", "Постановление главы МО от 01.12.2026 № 5")
    assert r.code == 0, r.err
    doc = sop("calendar", "due", "02.12.2026", "3wd", "--json").json()
    assert doc["due"] == "2026-12-08"
    assert doc["skipped"][0] == {"date": "2026-12-04", "working": False, "kind": "override",
                                 "reason": "Постановление главы МО от 01.12.2026 № 5 (местная поправка)"}
    path = os.path.join(sop_env["SOPCLI_CONFIG_DIR"], "calendar.json")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert sop("calendar", "unset", "04.12.2026", "--reason", "отменено").code == 0
    assert sop("calendar", "due", "02.12.2026", "3wd", "--json").json()["due"] == "2026-12-07"
    log = json.load(open(path, encoding="utf-8"))["log"]
    assert [e["action"] for e in log] == ["set", "unset"]
    assert log[1]["previous"]["reason"].startswith("Постановление главы МО")
    assert all(e["by"] and e["at"] for e in log)


def test_a_working_saturday_override_is_counted(sop):
    sop("calendar", "set", "05.12.2026", "--work", "--reason", "отработка по решению главы")
    doc = sop("calendar", "due", "04.12.2026", "1wd", "--json").json()
    assert doc["due"] == "2026-12-05"


def test_calendar_show_lists_what_a_secretary_checks(sop):
    doc = sop("calendar", "show", "2024", "--json").json()
    assert doc["working_days"] == 248
    assert doc["working_days_by_month"][10] == 21  # November 2024: 21 weekdays − 04.11 + Sat 02.11
    by_date = {d["date"]: d for d in doc["days"]}
    assert by_date["2024-11-02"]["working"] is True
    assert by_date["2024-11-04"]["reason"] == "День народного единства"
    assert "2024-11-03" not in by_date  # an ordinary Sunday is not news
    assert doc["presets"]["decrees"]["enabled"] is False
    text = sop("calendar", "show", "2024").out
    assert "Пресет «decrees»" in text and "выключен" in text and "Рабочих дней: 248" in text


def test_decree_preset_is_off_until_switched_on(sop):
    assert sop("calendar", "due", "27.03.2020", "5wd", "--json").json()["due"] == "2020-04-03"
    assert sop("calendar", "preset", "decrees", "--on").code == 0
    doc = sop("calendar", "due", "27.03.2020", "5wd", "--json").json()
    assert doc["due"] == "2020-05-18"  # 30.03–08.05.2020 and the May holidays: 12,13,14,15,18
    shown = sop("calendar", "show", "2020", "--json").json()
    assert shown["presets"]["decrees"]["enabled"] is True
    assert any(d["kind"] == "decree" and d["date"] == "2020-04-15" for d in shown["days"])


def test_region_preset_from_settings_and_from_the_option(sop):
    assert sop("calendar", "due", "29.08.2025", "1wd", "--json").json()["due"] == "2025-09-01"
    # Tatarstan: 30.08 is Republic Day, but in 2024 it is a Friday
    assert sop("calendar", "due", "29.08.2024", "1wd", "--region", "TA", "--json").json()["due"] == "2024-09-02"
    assert sop("calendar", "region", "BA").code == 0
    assert sop("calendar", "due", "10.10.2024", "1wd", "--json").json()["due"] == "2024-10-14"
    assert "Башкортостан" in sop("calendar", "region").out


def test_a_year_without_decree_data_says_so(sop):
    doc = sop("calendar", "due", "01.03.2031", "5wd", "--json").json()
    assert doc["warnings"] and "2031" in doc["warnings"][0]
    assert "Внимание:" in sop("calendar", "due", "01.03.2031", "5wd").out


def test_rules_list_every_rule_with_its_source(sop):
    doc = sop("rules", "--json").json()
    assert len(doc["rules"]) == 57  # RULEBOOK.md's 56 ids and rp.measure (002)
    assert {s["id"]: s["extends"] for s in doc["sets"]} == {
        "federal": [], "mari-el": ["federal"], "smolensk": ["federal"], "school": ["federal"]}
    check = next(r for r in doc["rules"] if r["id"] == "me.check")
    assert check["term"] == "5wd" and check["source"] == "004 §4.6"
    mari = sop("rules", "--set", "mari-el", "--json").json()["rules"]
    assert "fed.plan.send" not in {r["id"] for r in mari}
    assert "me.check" in sop("rules").out


def test_a_corrupt_cache_is_rebuilt_and_a_corrupt_settings_file_is_refused(sop, sop_env):
    assert sop("calendar", "due", "01.11.2024", "5wd").code == 0
    cache = sop_env["SOPCLI_CACHE_DIR"]
    (name,) = os.listdir(cache)
    with open(os.path.join(cache, name), "w") as fh:
        fh.write("{not json")
    assert sop("calendar", "due", "01.11.2024", "5wd").out.startswith("Срок истекает: 08.11.2024")
    os.makedirs(sop_env["SOPCLI_CONFIG_DIR"], exist_ok=True)
    with open(os.path.join(sop_env["SOPCLI_CONFIG_DIR"], "calendar.json"), "w") as fh:
        fh.write("[1, 2")
    r = sop("calendar", "due", "01.11.2024", "5wd")
    assert r.code == 2 and "повреждён" in r.err


def test_help_does_not_load_the_heavy_libraries(sop_env):
    code = (
        "import sys\n"
        "from sopcli.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit as e:\n    assert e.code == 0\n"
        "heavy = [m for m in ('holidays', 'rich', 'sqlmodel', 'openpyxl', 'sqlalchemy') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], env=sop_env, capture_output=True, text=True).stdout
    assert out.strip().endswith("[]")


@pytest.mark.parametrize(
    "args", [["--help"], ["calendar", "--help"], ["calendar", "due", "--help"], ["rules", "--help"]]
)
def test_help_is_in_russian(sop, args):
    r = sop(*args)
    assert r.code == 0
    assert r.out.startswith("Использование: sopcli")
    for english in ("Usage:", "Options:", "Commands:", "Show this message", "[required]"):
        assert english not in r.out


def test_age_18_of_a_child_born_on_29_february_is_28_february_as_in_the_registry(sop):
    """ГК РФ ст. 192: the month of the last year has no 29th → its last day; `birthday` reads it the same way."""
    from datetime import date

    from sopcli.services.directory.names import birthday

    r = sop("calendar", "due", "29.02.2008", "--rule", "age.18", "--age", "18", "--json")
    assert r.code == 0, r.err
    assert r.json()["due"] == "2026-02-28" == birthday(date(2008, 2, 29), 18).isoformat()


def test_a_term_read_in_part_is_refused_in_one_russian_line(sop):
    r = sop("calendar", "due", "01.11.2024", "ежеквартально до 15 числа")  # of which month: not guessed
    assert r.code == 2 and "не понято «до 15 числа»" in r.err and r.err.count("\n") <= 1
    r = sop("calendar", "due", "01.11.2024", "10 (десяти) рабочих дней")
    # Sat 02.11 worked, 04.11 a holiday
    assert r.code == 0 and r.out.splitlines()[0] == "Срок истекает: 15.11.2024 (пт), до 24:00"


def test_fixed_days_and_hours_at_the_terminal(sop):
    """Issue 29 §2: before, «в течение 24 часов» was «не найден срок», `24h` «неверный срок», and «ежемесячно до
    30 числа» refused or, in a quote, read as one month from the event."""
    r = sop("calendar", "due", "28.04.2026", "ежемесячно (до 30 числа каждого месяца)", "--json")
    assert r.code == 0, r.err
    doc = r.json()
    assert (doc["term"], doc["due"]) == ("monthly:30", "2026-04-29")  # «до 30 числа» excludes the 30th
    assert doc["occurrences"][:2] == ["2026-04-29", "2026-05-29"]
    r = sop("calendar", "due", "15.07.2026", "quarterly:5")
    assert r.code == 0 and r.out.splitlines()[0] == "Срок истекает: 05.10.2026 (пн), до 24:00"
    assert "последний день по счёту: 04.10.2026 (вс)" in r.out
    r = sop("calendar", "due", "03.12.2026 10:25", "в течение 24 часов", "--json")
    assert r.code == 0, r.err
    assert (r.json()["term"], r.json()["due"]) == ("24h", "2026-12-04T11:00:00+03:00")
    r = sop("calendar", "due", "03.12.2026 10:25", "24h")
    assert r.code == 0 and r.out.splitlines()[0] == "Срок истекает: 04.12.2026 11:00 (пт)"
    assert "Срок: в течение 24 часов [24h]" in r.out
    r = sop("calendar", "due", "01.03.2026", "до 10 ноября каждого года")
    assert r.code == 0 and r.out.splitlines()[0] == "Срок истекает: 09.11.2026 (пн), до 24:00"
    r = sop("calendar", "due", "30.09.2026", "quarterly")  # issue 29 §4: the next quarter's, not that day
    assert r.code == 0 and r.out.splitlines()[0] == "Срок истекает: 11.01.2027 (пн), до 24:00"
    r = sop("calendar", "due", "01.03.2026", "monthly:32")
    assert r.code == 2 and "от 1 до 31" in r.err and r.err.count("\n") <= 1
