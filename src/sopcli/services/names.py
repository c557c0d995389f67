"""Names and persons as a secretary types them: "Иванов Пётр Ильич, 05.03.2012"."""

from __future__ import annotations

import re
from datetime import date

from sopcli.deadlines.dates import parse_date
from sopcli.errors import InvalidInput

_NAME = re.compile(r"^[A-Za-zА-Яа-яЁё][A-Za-zА-Яа-яЁё'’\-]*(?: [A-Za-zА-Яа-яЁё][A-Za-zА-Яа-яЁё'’\-]*){1,3}$")


def name_key(name: str) -> str:
    """Compare names ignoring case and ё/е (task: names keep ё, match without it)."""
    return " ".join(name.lower().replace("ё", "е").split())


def one_line(raw: str, what: str, limit: int, option: str = "") -> str:
    """Whitespace collapsed and length checked before the database sees it (PostgreSQL's varchar limits)."""
    text = " ".join(raw.split())
    if not text:
        raise InvalidInput(f"Не указано: {what}{f' ({option})' if option else ''}.")
    if len(text) > limit:
        raise InvalidInput(f"Слишком длинно: {what} — не более {limit} знаков.")
    return text


def clean_name(raw: str, what: str) -> str:
    name = " ".join(raw.split())
    if not name:
        raise InvalidInput(f"Не указано ФИО ({what}).")
    if len(name) > 200 or not _NAME.match(name):
        raise InvalidInput(f"ФИО ({what}) должно состоять из 2–4 слов из букв.")
    return name


def parse_child(spec: str) -> tuple[str, date]:
    """`ФИО, ДД.ММ.ГГГГ` → (name, birth date)."""
    if "," not in spec:
        raise InvalidInput("Ребёнок указывается как «ФИО, ДД.ММ.ГГГГ» (через запятую).")
    name, _, born = spec.rpartition(",")
    return clean_name(name, "ребёнок"), parse_date(born, "дата рождения ребёнка")


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def birthday(born: date, years: int) -> date:
    """The day a person turns `years`; born on 29 February → 1 March in a common year."""
    try:
        return born.replace(year=born.year + years)
    except ValueError:
        return date(born.year + years, 3, 1)
