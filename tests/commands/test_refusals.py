"""Refused input on the registry: one Russian line, exit 2, and not a row changed."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import ok

TABLES = ["signal", "person", "signal_person", "check_conclusion", "sop_case", "obligation", "audit_entry",
          "agency", "calendar_override"]


def snapshot(url: str) -> dict[str, int]:
    engine = create_engine(url if "://" in url else f"sqlite:///{url}")
    with engine.connect() as conn:
        counts = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}
        counts["open"] = conn.execute(text("SELECT count(*) FROM obligation WHERE status = 'open'")).scalar_one()
    engine.dispose()
    return counts


@pytest.fixture
def story(sopr):
    ok(sopr("agency", "add", "Школа № 1", "--kind", "образование"))  # the signals' source, in the directory
    assert sopr("signal", "add", "--no-threat", "--received", "10.03.2025 09:00", "--source", "Школа № 1",
                "--child", "Орлов Иван Петрович, 01.01.2012", "--problem", "Пропуски").code == 0
    assert sopr("signal", "add", "--no-threat", "--received", "11.03.2025 09:00", "--source", "Школа № 1",
                "--child", "Орлова Мария Петровна, 01.01.2014", "--problem", "Пропуски").code == 0
    assert sopr("check", "2", "--concluded", "12.03.2025", "--level", "low", "--outcome", "not-confirmed").code == 0
    return sopr


CASES = [
    (["signal", "add", "--no-threat", "--received", "10.03.2025 09:00", "--source", "Школа № 1", "--child",
      "Орлов Иван Петрович, 01.01.2030", "--problem", "x"], "позже поступления"),
    (["signal", "add", "--no-threat", "--received", "10.03.2025 09:00", "--source", "Школа № 1", "--child",
      "Орлов Иван Петрович, 01.01.2005", "--problem", "x"], "18 лет"),
    (["signal", "add", "--no-threat", "--received", "10.03.2099 09:00", "--source", "Школа № 1", "--child",
      "Орлов Иван Петрович, 01.01.2012", "--problem", "x"], "в будущем"),
    (["signal", "add", "--no-threat", "--received", "10.03.2025 09:00", "--source", "Школа № 1", "--child",
      "ОРЛОВ иван петрович, 01.01.2012", "--problem", "повтор"], "уже есть в журнале"),
    (["signal", "add", "--no-threat", "--received", "10.03.2025 09:00", "--source", "Школа № 1", "--child",
      "Орлов, 01.01.2012", "--problem", "x"], "ФИО"),
    (["signal", "add", "--no-threat", "--received", "10.03.2025 09:00", "--source", "Школа № 1", "--child",
      "Орлов Иван, 01.01.2012", "--problem", "x", "--channel", "pigeon"], "канала"),
    (["signal", "add", "--no-threat",
      "--received", "10.03.2025 09:00", "--source", "Школа № 1", "--problem", "x"], "--child"),
    (["check", "99", "--concluded", "12.03.2025", "--level", "low", "--outcome", "sop"], "нет в журнале"),
    (["check", "2", "--concluded", "12.03.2025", "--level", "low", "--outcome", "sop"], "один раз"),
    (["check", "1", "--concluded", "01.03.2025", "--level", "low", "--outcome", "sop"], "раньше поступления"),
    (["check", "1", "--concluded", "12.03.2025", "--level", "extreme", "--outcome", "sop"], "уровня"),
    (["check", "1", "--concluded", "12.03.2025", "--level", "low", "--outcome", "sop", "--criterion", "9"],
     "от 1 до 8"),
    (["recognize", "1", "--date", "12.03.2025", "--resolution", "1", "--curator", "Петрова Анна"],
     "установившей социально опасное"),
    (["recognize", "2", "--date", "12.03.2025", "--resolution", "1", "--curator", "Петрова Анна"],
     "установившей социально опасное"),
    (["close", "5", "--date", "12.03.2025", "--resolution", "1", "--ground", "other"], "нет в реестре"),
    (["deadlines", "done", "999", "--date", "12.03.2025"], "нет в реестре"),
    (["deadlines", "done", "1", "--date", "01.01.2099"], "в будущем"),
    (["deadlines", "--as-of", "31.02.2025"], "Такой даты нет"),
    (["case", "show", "abc"], "целое число"),
    (["case", "show", "77"], "нет в реестре"),
    (["signal", "show", "77"], "нет в журнале"),
    (["deadlines", "--case", "77"], "нет в реестре"),
    # longer than the column (PostgreSQL would fail mid-write) or than any real note
    (["signal", "add", "--no-threat", "--received", "10.03.2025 09:00", "--source", "Ш" * 301, "--child",
      "Орлов Иван Петрович, 01.01.2013", "--problem", "x"], "не более 300"),
    (["signal", "add", "--no-threat", "--received", "10.03.2025 09:00", "--source", "Школа № 1", "--child",
      "Орлов Иван Петрович, 01.01.2013", "--problem", "x" * 10_001], "не более 10000"),
    (["check", "1", "--concluded", "12.03.2025", "--level", "low", "--outcome", "sop", "--housing", "x" * 10_001],
     "не более 10000"),
]


@pytest.mark.parametrize(("args", "fragment"), CASES)
def test_refused_and_nothing_written(story, reg_env, args, fragment):
    before = snapshot(reg_env["SOPCLI_DB"])
    r = story(*args)
    assert r.code == 2, (r.out, r.err)
    lines = r.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Ошибка: ") and fragment in lines[0], r.err
    assert r.out == ""
    assert snapshot(reg_env["SOPCLI_DB"]) == before


def test_a_closed_case_takes_no_new_steps_and_wrong_grounds_are_refused(sopr, reg_env):
    ok(sopr("agency", "add", "Школа № 1", "--kind", "образование"))
    sopr("signal", "add", "--no-threat", "--received", "10.03.2025 09:00", "--source", "Школа № 1",
         "--child", "Орлов Иван Петрович, 01.01.2012", "--problem", "Пропуски")
    sopr("check", "1", "--concluded", "12.03.2025", "--level", "medium", "--outcome", "sop")
    assert sopr("recognize", "1", "--date", "14.03.2025", "--resolution", "1", "--curator", "Петрова Анна").code == 0
    bad = sopr("close", "1", "--date", "20.03.2025", "--resolution", "2", "--ground", "improved")
    assert bad.code == 2 and "004 §6.3" in bad.err  # a minor's case: family grounds do not apply
    assert sopr("close", "1", "--date", "20.03.2025", "--resolution", "2", "--ground", "eliminated").code == 0
    before = snapshot(reg_env["SOPCLI_DB"])
    again = sopr("recognize", "1", "--date", "21.03.2025", "--resolution", "3", "--curator", "Петрова Анна")
    assert again.code == 2 and "уже открыто" in again.err
    assert snapshot(reg_env["SOPCLI_DB"]) == before


def test_no_prompt_under_cron(sopr):
    r = sopr("check", "1", stdin="")
    assert r.code == 2 and "--concluded" in r.err


def test_every_change_is_in_the_audit_trail(sopr, reg_env):
    ok(sopr("agency", "add", "Школа № 1", "--kind", "образование"))
    sopr("signal", "add", "--no-threat", "--received", "10.03.2025 09:00", "--source", "Школа № 1",
         "--child", "Орлов Иван Петрович, 01.01.2012", "--problem", "Пропуски")
    sopr("check", "1", "--concluded", "12.03.2025", "--level", "medium", "--outcome", "sop")
    url = reg_env["SOPCLI_DB"]
    engine = create_engine(url if "://" in url else f"sqlite:///{url}")
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT command, action, entity, os_user FROM audit_entry ORDER BY id")).all()
    engine.dispose()
    assert ("signal add", "create", "signal") in [r[:3] for r in rows]
    assert ("check", "fulfil", "obligation") in [r[:3] for r in rows]
    assert all(r[3] for r in rows)


FRESH = [
    (["init", "--new", "--tz", "Foo/Bar"], "часовой пояс"),
    (["init", "--new", "--rules", "moscow"], "набор правил"),
]


@pytest.mark.parametrize(("args", "fragment"), FRESH)
def test_a_refused_init_creates_nothing(sop, sop_env, tmp_path, args, fragment):
    path = tmp_path / "fresh" / "registry.db"
    sop_env["SOPCLI_DB"] = str(path)
    r = sop(*args)
    assert r.code == 2 and fragment in r.err
    assert not path.exists()


MORE = [
    (["signal", "show", "99999999999999999999"], "вне допустимого диапазона"),
    (["signal", "add", "--no-threat", "--received", "10.03.2025 09:00+25:00", "--source", "Школа № 1", "--child",
      "Орлов Иван, 01.01.2012", "--problem", "x"], "смещение"),
    (["signal", "add", "--no-threat", "--received", "10.03.2025 09:30", "--source", "Школа № 1", "--child",
      "Орлов Иван, 01.01.2012", "--child", "орлов  иван, 01.01.2012", "--problem", "x"], "дважды"),
    (["signal", "add", "--no-threat",
      "--received", "10.03.2025 09:30", "--source", "Школа № 1", "--child", "Орлов", "Иван",
      "--problem", "x"], "кавычки"),
]


@pytest.mark.parametrize(("args", "fragment"), MORE)
def test_more_refusals_never_echo_a_childs_name(story, reg_env, args, fragment):
    before = snapshot(reg_env["SOPCLI_DB"])
    r = story(*args)
    assert r.code == 2 and fragment in r.err, r.err
    assert "Орлов" not in r.err and "Traceback" not in r.err
    assert snapshot(reg_env["SOPCLI_DB"]) == before
