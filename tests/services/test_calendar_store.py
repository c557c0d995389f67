"""Calendar overrides move from the settings file into the registry once, and live there."""

from __future__ import annotations

from sqlalchemy import create_engine, text


def test_file_overrides_are_imported_once_and_kept_with_history(sop, sop_env, tmp_path):
    # an SQLite registry that does not exist yet: before `init` the settings file is used
    sop_env["SOPCLI_DB"] = str(tmp_path / "data" / "registry.db")
    assert sop("calendar", "set", "04.12.2026", "--off", "--reason", "Постановление главы № 1").code == 0
    assert sop("calendar", "region", "TA").code == 0
    first = sop("init", "--new", "--rules", "mari-el", "--json")
    assert first.code == 0, first.err
    assert first.json()["calendar_overrides_imported"] == 1
    assert first.json()["settings"]["region"] == "TA"
    assert sop("init", "--new", "--json").json()["calendar_overrides_imported"] == 0  # once only

    assert sop("calendar", "due", "02.12.2026", "3wd", "--json").json()["due"] == "2026-12-08"
    assert sop("calendar", "set", "07.12.2026", "--off", "--reason", "Постановление главы № 2").code == 0
    assert sop("calendar", "due", "02.12.2026", "3wd", "--json").json()["due"] == "2026-12-09"
    assert sop("calendar", "unset", "04.12.2026", "--reason", "ошибочно").code == 0
    assert sop("calendar", "due", "02.12.2026", "3wd", "--json").json()["due"] == "2026-12-08"

    # registry steps use the same calendar: an override stops me.check's count
    assert sop("calendar", "set", "13.11.2026", "--off", "--reason", "Постановление главы № 3").code == 0
    assert sop("agency", "add", "Школа № 3", "--kind", "образование").code == 0  # the source (issue 28)
    r = sop("signal", "add", "--no-threat", "--received", "11.11.2026 10:00", "--source", "Школа № 3",
            "--child", "Котов Илья Андреевич, 02.02.2013", "--problem", "Пропуски", "--json")
    assert r.code == 0, r.err
    check = next(o for o in r.json()["obligations"] if o["rule"] == "me.check")
    assert check["due"] == "2026-11-19"  # 12, 16, 17, 18, 19 (13.11 made non-working)

    url = sop_env["SOPCLI_DB"]
    engine = create_engine(url if "://" in url else f"sqlite:///{url}")
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT day, removed_reason FROM calendar_override ORDER BY day")).all()
        actions = conn.execute(text(
            "SELECT action FROM audit_entry WHERE entity IN ('calendar', 'calendar_override') ORDER BY id")).all()
    engine.dispose()
    assert [(str(d), why) for d, why in rows] == [("2026-11-13", ""), ("2026-12-04", "ошибочно"), ("2026-12-07", "")]
    assert [a for (a,) in actions] == ["import", "set", "unset", "set"]


def test_a_calendar_change_moves_open_terms_and_says_so(sopr, reg_env):
    """A municipal day off declared after a signal moves its open term; what was done keeps its date."""
    assert sopr("agency", "add", "Школа № 3", "--kind", "образование").code == 0  # the source (issue 28)
    r = sopr("signal", "add", "--no-threat", "--received", "11.11.2026 10:00", "--source", "Школа № 3",
             "--child", "Котов Илья Андреевич, 02.02.2013", "--problem", "Пропуски", "--json")
    check = next(o for o in r.json()["obligations"] if o["rule"] == "me.check")
    assert check["due"] == "2026-11-18"  # 12, 13, 16, 17, 18
    moved = sopr("calendar", "set", "13.11.2026", "--off", "--reason", "Постановление главы № 3", "--json")
    assert moved.code == 0, moved.err
    assert [(m["rule"], m["was"], m["due"]) for m in moved.json()["moved"]] == [
        ("me.check", "2026-11-18", "2026-11-19")]
    shown = sopr("signal", "show", "1", "--json").json()["obligations"]
    assert next(o["due"] for o in shown if o["rule"] == "me.check") == "2026-11-19"

    back = sopr("calendar", "unset", "13.11.2026", "--reason", "отменено")
    assert back.code == 0 and "18.11.2026" in back.out and "19.11.2026" in back.out, back.out

    # a fulfilled obligation keeps the date it was judged by
    sopr("check", "1", "--concluded", "16.11.2026", "--level", "low", "--outcome", "not-confirmed")
    again = sopr("calendar", "set", "17.11.2026", "--off", "--reason", "Постановление главы № 4", "--json")
    assert "me.check" not in [m["rule"] for m in again.json()["moved"]]
    shown = sopr("signal", "show", "1", "--json").json()["obligations"]
    assert next(o["due"] for o in shown if o["rule"] == "me.check") == "2026-11-18"


def test_a_region_set_after_the_signal_moves_its_open_terms(sopr):
    """06.11.2026 is a Tatarstan holiday: choosing the region moves a check counted over it."""
    assert sopr("agency", "add", "Школа № 3", "--kind", "образование").code == 0  # the source (issue 28)
    r = sopr("signal", "add", "--no-threat", "--received", "30.10.2026 10:00", "--source", "Школа № 3",
             "--child", "Котов Илья Андреевич, 02.02.2013", "--problem", "Пропуски", "--json")
    assert next(o["due"] for o in r.json()["obligations"] if o["rule"] == "me.check") == "2026-11-09"
    moved = sopr("calendar", "region", "TA")
    assert moved.code == 0 and "09.11.2026 → 10.11.2026" in moved.out, moved.out
    shown = sopr("signal", "show", "1", "--json").json()["obligations"]
    assert next(o["due"] for o in shown if o["rule"] == "me.check") == "2026-11-10"
