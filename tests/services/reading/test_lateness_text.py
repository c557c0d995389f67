"""Text views say when an obligation was fulfilled and how late, as `--json` does (issue 13 §6)."""

from __future__ import annotations

from tests.conftest import ok


def test_lateness_and_cancel_reasons_are_in_every_text_view(sopr):
    # Friday 30.10.2026 17:30, a threat the school learned of at 01:00 the day before: its notice is the
    # signal's receipt (issue 28), 16.5 hours after the 24 hours; the check's 5 working days
    # skip 31.10–01.11 and 04.11 (День народного единства) and end on Monday 09.11
    ok(sopr("agency", "add", "МБОУ СОШ № 5", "--kind", "образование"))
    added = ok(sopr("signal", "add", "--received", "30.10.2026 17:30", "--detected", "29.10.2026 01:00", "--source",
                    "МБОУ СОШ № 5", "--child", "Сидоров Пётр Ильич, 10.02.2012", "--problem", "Угроза",
                    "--threat")).out
    threat = added.split("fed.threat", 1)[1].splitlines()[1]
    assert threat.strip() == "исполнена 30.10.2026, с опозданием на 16,5 ч.", added

    step = ok(sopr("check", "1", "--concluded", "11.11.2026", "--level", "high", "--outcome", "departmental")).out
    assert "исполнена 11.11.2026, с опозданием на 2 раб. дн." in step
    assert ".." not in step

    shown = ok(sopr("signal", "show", "1")).out
    assert "исполнена 30.10.2026, с опозданием на 16,5 ч." in shown
    assert "исполнена 11.11.2026, с опозданием на 2 раб. дн." in shown
    assert ".." not in shown and "done" not in shown and "fulfilled" not in shown


def test_a_case_shows_fulfilled_on_time_and_cancelled_with_its_reason(sopr):
    ok(sopr("signal", "add", "--no-threat", "--received", "02.11.2026 10:00", "--source", "ПДН",
            "--child", "Кузнецова Анна Павловна, 03.03.2013", "--problem", "Безнадзорность"))
    ok(sopr("check", "1", "--concluded", "05.11.2026", "--level", "high", "--outcome", "sop"))
    ok(sopr("recognize", "1", "--date", "10.11.2026", "--resolution", "12/3", "--subject", "minor",
            "--curator", "Орлова Мария Ивановна"))
    ok(sopr("close", "1", "--date", "20.11.2026", "--resolution", "15/1", "--ground", "moved"))
    out = ok(sopr("case", "show", "1")).out
    assert "исполнена 05.11.2026, в срок" in out
    lines = [ln for ln in out.splitlines() if "отменена" in ln]
    assert lines and all("отменена: " in ln for ln in lines)  # each cancellation says why
