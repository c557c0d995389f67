"""Hostile values in every typed option, on both engines: a Russian refusal (exit 2) and not a row changed,
or a correct result — never a traceback, never exit 1 (issue 7 §4).

The table is the corpus: (command and arguments, the fragment the one-line refusal must carry). Add a
row to try a new input. NUL bytes cannot reach a process through argv (the OS ends the string there):
they are tried in files (test_files.py).
"""

from __future__ import annotations

import pytest

from tests.hostile.conftest import POLICE, assert_refused, snapshot

SIGNAL = ["signal", "add", "--received", "10.03.2025 09:00", "--source", "Школа", "--problem", "Пропуски",
          "--no-threat"]  # the value after each option is replaced by index in REFUSED: the flag goes last
KID = "Кузнецов Олег Ильич, 04.04.2012"
SQL = "'); DROP TABLE signal;--"
CP1251 = "Пропуски".encode("cp1251").decode("utf-8", "surrogateescape")  # a terminal in Windows-1251
KOI8 = "Пропуски".encode("koi8-r").decode("utf-8", "surrogateescape")


def signal(*extra: str, child: str = KID) -> list[str]:
    return [*SIGNAL, "--child", child, *extra]


def recognize(*extra: str, resolution: str = "5", curator: str = "Петрова Анна") -> list[str]:
    return ["recognize", "2", "--date", "03.03.2025", "--resolution", resolution, "--curator", curator, *extra]


def plan(due: str = "14.04.2025", measure: str = "Беседа") -> list[str]:
    return ["plan", "add", "1", "--measure", measure, "--executor", POLICE, "--due", due]


REFUSED = [
    # -- names: look-alike letters, invisible characters, length, SQL
    ("latin-a-in-child", signal(child="Ивaнов Иван Иванович, 01.01.2012"), "латинская «a» (знак 3)"),
    ("latin-e-in-parent", signal("--parent", "Сидорова Анна Пeтровна"), "латинская «e» (знак 16)"),
    ("cyrillic-in-latin-name", signal(child="Smith Jоhn, 01.01.2012"), "русская «о» (знак 8)"),
    ("latin-in-curator", recognize(curator="Петрoва Анна"), "латинская «o» (знак 5)"),
    ("zero-width-in-name", signal("--parent", "Сидорова Ан\u200bна"), "невидимый знак U+200B (знак 12)"),
    ("rlm-in-name", signal("--parent", "Сидорова Анна\u200f"), "невидимый знак U+200F"),
    ("name-300", signal(child="Я" * 296 + " Иван, 01.01.2012"), "длиннее 200 знаков"),
    ("name-sql", signal(child=f"{SQL}, 01.01.2012"), "2–4 слов"),
    ("name-digits", signal(child="Иванов 3ван, 01.01.2012"), "2–4 слов"),
    # -- absurd dates of birth
    ("birth-31-02", signal(child="Кузнецов Олег, 31.02.2012"), "Такой даты нет в календаре"),
    ("birth-00-00-0000", signal(child="Кузнецов Олег, 00.00.0000"), "вне допустимых 1900–2100"),
    ("birth-year-0001", signal(child="Кузнецов Олег, 01.01.0001"), "вне допустимых 1900–2100"),
    ("birth-year-9999", signal(child="Кузнецов Олег, 31.12.9999"), "вне допустимых 1900–2100"),
    ("birth-29-02-common", signal(child="Кузнецов Олег, 29.02.2013"), "Такой даты нет в календаре"),
    ("birth-two-digit-year", signal(child="Кузнецов Олег, 01.01.12"), "Не удалось прочитать дату"),
    ("birth-no-comma", signal(child="Кузнецов Олег 01.01.2012"), "через запятую"),
    # -- absurd moments of receipt
    ("received-year-9999", [*signal()[:3], "31.12.9999 23:59", *signal()[4:]], "вне допустимых"),
    ("received-year-0001", [*signal()[:3], "01.01.0001 00:00", *signal()[4:]], "вне допустимых"),
    ("received-far-future", [*signal()[:3], "31.12.2099 23:59", *signal()[4:]], "в будущем"),
    ("received-25-00", [*signal()[:3], "10.03.2025 25:00", *signal()[4:]], "Такого времени нет"),
    ("received-offset-99", [*signal()[:3], "10.03.2025 09:00 +99:99", *signal()[4:]], "смещение"),
    ("received-two-digit", [*signal()[:3], "10.03.25 09:00", *signal()[4:]], "Не удалось прочитать дату"),
    ("received-sql", [*signal()[:3], SQL, *signal()[4:]], "Не удалось прочитать дату"),
    # -- text: length limits, control characters, bidi overrides, bytes that are not UTF-8
    ("problem-10001", [*signal()[:-2], "--problem", "ж" * 10001, "--child", KID], "не более 10000"),
    ("address-10001", signal("--address", "ж" * 10_001), "не более 10000"),
    ("source-301", [*signal()[:5], "Ш" * 301, *signal()[6:]], "не более 300"),
    ("problem-esc", [*signal()[:-2], "--problem", "a\x1b[2Jb", "--child", KID], "управляющий символ U+001B (знак 2)"),
    ("problem-c1", [*signal()[:-2], "--problem", "a\x85b", "--child", KID], "управляющий символ U+0085"),
    ("address-bell", signal("--address", "ул.\x07 Мира"), "управляющий символ U+0007"),
    ("problem-rlo", [*signal()[:-2], "--problem", "\u202eабв", "--child", KID], "смены направления текста U+202E"),
    ("source-not-utf8", [*signal()[:5], "\udcff", *signal()[6:]], "не в кодировке UTF-8"),
    ("problem-cp1251", [*signal()[:-2], "--problem", CP1251, "--child", KID], "не в кодировке UTF-8"),
    ("problem-koi8r", [*signal()[:-2], "--problem", KOI8, "--child", KID], "не в кодировке UTF-8"),
    ("channel-sql", signal("--channel", SQL), "канала"),
    # -- check, recognize, close: dates and texts
    ("check-year-0001", ["check", "3", "--concluded", "01.01.0001", "--level", "low", "--outcome", "sop"],
     "вне допустимых"),
    ("check-31-02", ["check", "3", "--concluded", "31.02.2025", "--level", "low", "--outcome", "sop"],
     "Такой даты нет"),
    ("check-note-esc", ["check", "3", "--concluded", "12.03.2025", "--level", "low", "--outcome", "sop",
                        "--note", "\x1b]0;pwned\x07"], "управляющий символ U+001B"),
    ("check-housing-10001", ["check", "3", "--concluded", "12.03.2025", "--level", "low", "--outcome", "sop",
                             "--housing", "x" * 10_001], "не более 10000"),
    ("recognize-resolution-51", recognize(resolution="7" * 51), "не более 50"),
    ("recognize-date-9999", ["recognize", "2", "--date", "31.12.9999", "--resolution", "5", "--curator",
                             "Петрова Анна"], "вне допустимых"),
    ("recognize-curator-sql", recognize(curator=SQL), "с инициалами"),
    # -- plan add --due: dates, absurd terms
    ("due-31-02", plan("31.02.2025"), "Такой даты нет"),
    ("due-year-9999", plan("31.12.9999"), "вне допустимых"),
    ("due-99999999wd", plan("99999999wd"), "укажите дату"),
    ("due-minus-0d", plan("-0d"), "укажите дату"),
    ("due-1e9d", plan("1e9d"), "укажите дату"),
    ("due-sql", plan(SQL), "укажите дату"),
    ("due-101", plan("1" * 101), "не более 100"),
    ("measure-10001", plan(measure="м" * 10_001), "не более 10000"),
    # -- calendar set: the registry's calendar
    ("calendar-set-31-02", ["calendar", "set", "31.02.2025", "--off", "--reason", "x"], "Такой даты нет"),
    ("calendar-set-0001", ["calendar", "set", "01.01.0001", "--off", "--reason", "x"], "вне допустимых"),
    ("calendar-set-reason-501", ["calendar", "set", "05.05.2025", "--off", "--reason", "x" * 501], "не более 500"),
    ("calendar-set-reason-esc", ["calendar", "set", "05.05.2025", "--off", "--reason", "\x1b[0m"],
     "управляющий символ"),
    # -- --as-of and periods: datetime overflowed at the ends of its range
    ("as-of-9999", ["deadlines", "--as-of", "31.12.9999 23:59"], "вне допустимых"),
    ("as-of-0001", ["deadlines", "--as-of", "01.01.0001"], "вне допустимых"),
    ("done-date-9999", ["deadlines", "done", "1", "--date", "31.12.9999 23:59"], "вне допустимых"),
    ("stats-from-31-02", ["deadlines", "stats", "--from", "31.02.2025"], "Такой даты нет"),
    ("bank-9999Q4", ["export", "bank", "--quarter", "9999Q4", "-o", "b.xlsx"], "от 1991 до 2100"),
    ("bank-0001Q1", ["export", "bank", "--quarter", "0001Q1", "-o", "b.xlsx"], "от 1991 до 2100"),
    ("stat-year-0", ["export", "stat", "--year", "0", "-o", "s.xlsx"], "от 1991 до 2100"),
    ("case-id-huge", ["case", "show", "99999999999999999999"], "вне допустимого диапазона"),
    ("reconcile-quarter-sql", ["reconcile", "x.csv", "--agency", POLICE, "--quarter", SQL], "ГГГГQN"),
    ("reconcile-agency-sql", ["reconcile", str(__import__("pathlib").Path(__file__).parent / "corpus" /
                                               "lookalike.csv"), "--agency", SQL, "--quarter", "2025Q1",
                              "-o", "/tmp/sopcli-hostile-never-written.xlsx"], "«'); DROP TABLE signal;--»"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("args", "fragment"), [pytest.param(a, f, id=i) for i, a, f in REFUSED])
def test_refused_and_no_row_changed(hostile_registry, args, fragment):
    before = snapshot(hostile_registry.db)
    r = hostile_registry(*args)
    assert_refused(r, fragment)
    after = snapshot(hostile_registry.db)
    assert {t: v[:2] for t, v in after.items()} == {t: v[:2] for t, v in before.items()}


def test_the_corpus_tries_each_input_once():
    ids = [i for i, _, _ in REFUSED]
    assert len(ids) == len(set(ids))
