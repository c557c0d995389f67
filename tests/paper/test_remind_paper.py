"""The reminder letter as it prints: LibreOffice renders it to one A4 page, its table inside the margins."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.paper.pdf import A4, convert, crossing, is_a4, missing_office, page_numbered, pages, squeeze

LEFT, RIGHT = 3 / 2.54 * 72, A4[0] - 1.5 / 2.54 * 72  # ГОСТ Р 7.0.97 margins: 3 cm and 1.5 cm, in points
SLACK = 1.0  # points: half a border's width


def test_the_reminder_prints_on_one_a4_page_with_its_table_inside_the_margins(tmp_path):
    why = missing_office()
    if why:
        if os.environ.get("CI"):
            pytest.fail(f"CI must check the papers in LibreOffice: {why}")
        pytest.skip(why)
    from tests.conftest import private_env

    env = {**private_env(tmp_path), "SOPCLI_DB": str(tmp_path / "registry.db")}

    def sop(*args: str) -> str:
        proc = subprocess.run([sys.executable, "-m", "sopcli", *args], env=env, capture_output=True, text=True,
                              timeout=120)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    sop("init", "--new", "--rules", "mari-el", "--municipality", "г. Йошкар-Ола")
    sop("signer", "set", "председатель", "--position", "Председатель комиссии", "--name", "А.А. Смирнова")
    sop("signal", "add", "--no-threat", "--received", "29.04.2025 10:00", "--source", "ПДН", "--child",
        "Константинопольский Владимир Александрович, 10.02.2012", "--problem", "Безнадзорность")
    sop("check", "1", "--concluded", "05.05.2025", "--level", "high", "--outcome", "sop", "--criterion", "1")
    sop("recognize", "1", "--date", "06.05.2025", "--resolution", "9/3", "--curator", "Иванова Елена Викторовна",
        "--member", "social", "--until", "06.11.2025")
    for title, due in (("Оформление ежемесячного пособия на детей и материальной помощи к началу учебного года",
                        "05.06.2025"), ("Содействие в трудоустройстве матери", "09.06.2025"),
                       ("Оформление пособия", "16.06.2025"), ("Путёвка в летний лагерь", "20.06.2025")):
        sop("plan", "add", "1", "--measure", title, "--executor", "Орган социальной защиты населения", "--due", due)
    sop("plan", "approve", "1", "--date", "20.05.2025", "--resolution", "12")
    letter = tmp_path / "reminder.docx"
    sop("remind", "--who", "соцзащита", "--as-of", "16.06.2025", "--known-now", "-o", str(letter))

    pdf = convert([letter], tmp_path / "pdf", tmp_path / "lo")["reminder"]
    (page,) = pages(pdf)  # one page
    assert is_a4(page) and page_numbered(page, 1, 1, bare=True)
    body = squeeze(page.text)
    for value in ("Органсоциальнойзащитынаселения", "дело№1,КонстантинопольскийВ.А.,2012г.р.",
                  "Мероприятие№1:Оформлениеежемесячногопособиянадетейиматериальнойпомощикначалуучебногогода",
                  "05.06.2025", "Председателькомиссии", "А.А.Смирнова", "Дней просрочки".replace(" ", "")):
        assert value in body
    table = [r for r in page.rules if r.x1 - r.x0 > 100]  # the table's horizontal borders
    assert len(table) >= 6  # two tables: header and rows
    assert all(r.x0 >= LEFT - SLACK and r.x1 <= RIGHT + SLACK for r in table), [(r.x0, r.x1) for r in table]
    assert crossing(page) == []  # no text running over a row's border
    assert "{{" not in page.text and "{%" not in page.text
