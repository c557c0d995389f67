"""Names and persons as a secretary types them: "Иванов Пётр Ильич, 05.03.2012"."""

from __future__ import annotations

import re
from datetime import date

from sopcli.deadlines.compute import coming_of_age
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


_CYRILLIC = re.compile(r"[А-Яа-яЁё]")
_LATIN = re.compile(r"[A-Za-z]")
NAME_LIMIT = 200


def _mixed_script(name: str, what: str) -> None:
    """A word with Latin and Cyrillic letters («Ивaнов» with a Latin «a»): refused, the letter named.

    Not folded: which script the person meant is a guess (a foreign surname may carry one Cyrillic
    letter), the registry's name goes into resolutions and letters, and a name stored with a Latin
    letter never finds its namesake again (name_key). The letter and its place are named, not the
    name (152-ФЗ): the secretary retypes one letter.
    """
    start = 0
    for n, word in enumerate(name.split(" "), 1):
        cyr, lat = _CYRILLIC.findall(word), _LATIN.findall(word)
        if cyr and lat:
            odd = _LATIN if len(cyr) >= len(lat) else _CYRILLIC
            m = odd.search(word) or re.search(".", word)  # the minority script is in the word: found
            script = "латинская" if odd is _LATIN else "русская"
            raise InvalidInput(f"ФИО ({what}): в слове №{n} смешаны русские и "
                               f"латинские буквы — {script} «{m[0]}» (знак {start + m.start() + 1}); "
                               "наберите слово в одной раскладке.")
        start += len(word) + 1


def clean_name(raw: str, what: str) -> str:
    name = " ".join(raw.split())
    if not name:
        raise InvalidInput(f"Не указано ФИО ({what}).")
    if len(name) > NAME_LIMIT:
        raise InvalidInput(f"ФИО ({what}) длиннее {NAME_LIMIT} знаков.")
    _mixed_script(name, what)
    bad = next(((k, ch) for k, ch in enumerate(name, 1) if not (ch.isalpha() or ch in " '’-")), None)
    if bad is not None and not bad[1].isprintable():  # an invisible character: say which, it cannot be seen
        raise InvalidInput(f"ФИО ({what}): невидимый знак U+{ord(bad[1]):04X} (знак {bad[0]}) — уберите его.")
    if not _NAME.match(name):
        raise InvalidInput(f"ФИО ({what}) должно состоять из 2–4 слов из букв.")
    return name


def parse_child(spec: str) -> tuple[str, date]:
    """`ФИО, ДД.ММ.ГГГГ` → (name, birth date)."""
    if "," not in spec:
        raise InvalidInput("Ребёнок указывается как «ФИО, ДД.ММ.ГГГГ» (через запятую).")
    name, _, born = spec.rpartition(",")
    return clean_name(name, "ребёнок"), parse_date(born, "дата рождения ребёнка")


def age_on(born: date, day: date) -> int:
    """Full years on `day`, read the way `birthday` reads them (born 29.02: a year older on 28.02)."""
    years = day.year - born.year
    return years - (birthday(born, years) > day)


def birthday(born: date, years: int) -> date:
    """The day a person turns `years`: one reading (ГК РФ ст. 192) for the registry and `calendar due`."""
    return coming_of_age(born, years)
