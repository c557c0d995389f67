"""Names and persons as a secretary types them: "Иванов Пётр Ильич, 05.03.2012".

One normaliser for the whole tool: `name_key` (what `person.name_key` stores and
intake looks up), `norm`/`name_words` (the words reconcile and intake compare)
and `how_names_match` (how two names are the same person). The registry, the
reconciliation, the bank import and intake all read a name the same way, so a
child found by `reconcile` is found at `signal add` too.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sopcli.deadlines.compute import coming_of_age
from sopcli.deadlines.dates import parse_date
from sopcli.errors import InvalidInput

_WORD = r"[A-Za-zА-Яа-яЁё][A-Za-zА-Яа-яЁё'’\-]*"
_NAME = re.compile(rf"^{_WORD}(?: {_WORD}){{1,3}}$")
# an official as papers name one: "Иванова Е.В.", "Иванова Е. В.", "Иванова Е.", "Е.В. Иванова", "Е.В.Иванова"
_INITIALS = r"[A-Za-zА-Яа-яЁё]\.(?: ?[A-Za-zА-Яа-яЁё]\.)?"
_SURNAME_FIRST = re.compile(rf"^{_WORD} {_INITIALS}$")
_INITIALS_FIRST = re.compile(rf"^{_INITIALS} ?{_WORD}$")

# Invisible format characters (soft hyphen, zero-width, direction marks, BOM) carry nothing a reader sees:
# «Ива\u200bнов» is «Иванов». Dropped, not turned into spaces, so a word is not cut in two.
INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"
                                   "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
# Latin letters that look Cyrillic (after lower()): a list typed with the layout switched mid-word
# («Ивaнов» with a Latin «a») is folded, so it still matches «Иванов». Only inside a word that has Cyrillic
# letters: an all-Latin name stays Latin.
_LOOKALIKE = str.maketrans("abcehkmoptxy", "авсенкмортху")
_CYR_LOWER = re.compile(r"[а-яё]")
LATIN = re.compile(r"[A-Za-z]")
# A text without any of the look-alike letters has nothing to fold: one C search instead of a Python call per word
# (a reconciliation normalises some 100,000 names and addresses; the call per word was most of its time).
_ANY_LOOKALIKE = re.compile(r"[abcehkmoptxy]")
_ANY_INVISIBLE = re.compile("[" + "".join(map(chr, INVISIBLE)) + "]")
_WORDS = re.compile(r"\w+")
_PUNCTUATION = re.compile(r"[^\w\s]")


def _fold_word(m: re.Match[str]) -> str:
    return m[0].translate(_LOOKALIKE) if _CYR_LOWER.search(m[0]) else m[0]


def fold_text(text: Any) -> str:
    """Lower case, ё→е, invisible characters dropped, look-alike Latin folded, single spaces.

    Punctuation is kept: this is the stored `person.name_key` (a hyphenated surname stays one word).
    For a name that passed `clean_name` (no invisible characters, no mixed scripts) it is exactly the
    key every registry has stored since 0001 — `lower()`, ё→е, single spaces — so old keys still match.
    """
    t = str(text or "")
    if _ANY_INVISIBLE.search(t):  # rare: translate() looks up every character, a search only finds one
        t = t.translate(INVISIBLE)
    t = t.lower()
    if _ANY_LOOKALIKE.search(t):
        t = _WORDS.sub(_fold_word, t)
    return " ".join(t.replace("ё", "е").split())


def name_key(name: str) -> str:
    """The stored key of a person's name (`person.name_key`, indexed): see `fold_text`."""
    return fold_text(name)


def norm(text: Any) -> str:
    """`fold_text` with punctuation turned into spaces: how names (and tables' headers) are compared word by word."""
    t = _PUNCTUATION.sub(" ", fold_text(text))
    return " ".join(t.replace("_", " ").split())


def name_words(name: str) -> tuple[str, ...]:
    return tuple(norm(name).split())


def one_line(raw: str, what: str, limit: int, option: str = "") -> str:
    """Whitespace collapsed and length checked before the database sees it (PostgreSQL's varchar limits)."""
    text = " ".join(raw.split())
    if not text:
        raise InvalidInput(f"Не указано: {what}{f' ({option})' if option else ''}.")
    if len(text) > limit:
        raise InvalidInput(f"Слишком длинно: {what} — не более {limit} знаков.")
    return text


_CYRILLIC = re.compile(r"[А-Яа-яЁё]")
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
        cyr, lat = _CYRILLIC.findall(word), LATIN.findall(word)
        if cyr and lat:
            odd = LATIN if len(cyr) >= len(lat) else _CYRILLIC
            m = odd.search(word) or re.search(".", word)  # the minority script is in the word: found
            script = "латинская" if odd is LATIN else "русская"
            raise InvalidInput(f"ФИО ({what}): в слове №{n} смешаны русские и "
                               f"латинские буквы — {script} «{m[0]}» (знак {start + m.start() + 1}); "
                               "наберите слово в одной раскладке.")
        start += len(word) + 1


def _screen(raw: str, what: str, allowed: str = " '’-") -> str:
    """Whitespace collapsed; empty, too long, mixed scripts and invisible characters refused (never echoed)."""
    name = " ".join(raw.split())
    if not name:
        raise InvalidInput(f"Не указано ФИО ({what}).")
    if len(name) > NAME_LIMIT:
        raise InvalidInput(f"ФИО ({what}) длиннее {NAME_LIMIT} знаков.")
    _mixed_script(name, what)
    bad = next(((k, ch) for k, ch in enumerate(name, 1) if not (ch.isalpha() or ch in allowed)), None)
    if bad is not None and not bad[1].isprintable():  # an invisible character: say which, it cannot be seen
        raise InvalidInput(f"ФИО ({what}): невидимый знак U+{ord(bad[1]):04X} (знак {bad[0]}) — уберите его.")
    return name


def clean_name(raw: str, what: str) -> str:
    """A full name: 2–4 words of letters (a child, a parent)."""
    name = _screen(raw, what)
    if not _NAME.match(name):
        raise InvalidInput(f"ФИО ({what}) должно состоять из 2–4 слов из букв.")
    return name


def is_initials(name: str) -> bool:
    """"Иванова Е.В.", "Е. В. Иванова": a name as papers abbreviate it."""
    name = " ".join(name.split())
    return bool(_SURNAME_FIRST.match(name) or _INITIALS_FIRST.match(name))


def official_name(raw: str, what: str) -> str:
    """An official (curator, who signs, who consents): a full name or a surname with initials.

    Resolutions and letters name officials as "Иванова Е.В."; refusing that made the
    secretary invent a first name. Only the whitespace is tidied: the paper is printed as typed.
    """
    name = _screen(raw, what, allowed=" '’-.")
    if _NAME.match(name) or is_initials(name):
        return name
    raise InvalidInput(f"ФИО ({what}): полностью («Иванова Елена Викторовна») или с инициалами («Иванова Е.В.»).")


def child_name(raw: str, what: str = "ребёнок") -> str:
    """A child's name is always full: a case follows the child for years and "Иванов П.И." is many children."""
    name = " ".join(raw.split())
    if is_initials(name) or any(len(w.strip(".")) == 1 for w in name.split()[1:]):
        raise InvalidInput(f"ФИО ({what}): нужно полное ФИО ребёнка (фамилия, имя, отчество), не инициалы.")
    return clean_name(raw, what)


_DIGITS = re.compile(r"\d")


def parse_child(spec: str) -> tuple[str, date | None]:
    """`ФИО, ДД.ММ.ГГГГ` → (name, birth date); `ФИО` alone → (name, None): a phone call rarely gives the date."""
    if "," not in spec:
        if _DIGITS.search(spec):
            raise InvalidInput("Ребёнок указывается как «ФИО, ДД.ММ.ГГГГ» (дата через запятую) "
                               "или «ФИО», если дата рождения неизвестна.")
        return child_name(spec), None
    name, _, born = spec.rpartition(",")
    return child_name(name), parse_date(born, "дата рождения ребёнка")


def short_name(name: str) -> str:
    """"Иванов Пётр Ильич" → "Иванов П. И.": how the secretary's own screen names a known person."""
    words = name.split()
    if len(words) < 2 or is_initials(name):
        return name
    return " ".join([words[0], *(f"{w[0]}." for w in words[1:])])


# -- how two names are one person (reconcile, intake) ---------------------------------------
def one_edit(a: str, b: str) -> bool:
    """Damerau–Levenshtein distance ≤ 1: one letter wrong, missing, extra, or two swapped."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    i = 0
    while i < min(la, lb) and a[i] == b[i]:
        i += 1
    if la == lb:
        return a[i + 1:] == b[i + 1:] or (a[i:i + 2] == b[i:i + 2][::-1] and a[i + 2:] == b[i + 2:])
    return a[i + 1:] == b[i:] if la > lb else a[i:] == b[i + 1:]


def _surname_first(t: tuple[str, ...]) -> tuple[str, ...]:
    """"е в иванова" (initials first, as a signature reads) → "иванова е в"."""
    k = 0
    while k < len(t) - 1 and len(t[k]) == 1:
        k += 1
    return (*t[k:], *t[:k]) if 0 < k == len(t) - 1 else t


def _same_words(theirs: str, ours: str) -> str:
    """The same words after `norm`: exact, or which folding made them so."""
    if theirs.lower() == ours.lower():
        return "exact"
    # Latin look-alikes or invisible characters folded away (norm): said so, a person checks the act
    odd = LATIN.search(theirs) or theirs != theirs.translate(INVISIBLE)
    return "look-alike" if odd and not LATIN.search(ours) else "ё/е"


def _initials(t: tuple[str, ...], o: tuple[str, ...]) -> bool:
    """The same surname, then initials of our name and patronymic ("иванов п и" for "иванов пётр ильич")."""
    if not (t and o and t[0] == o[0] and len(t) <= len(o) and all(len(x) == 1 for x in t[1:]) and len(t) > 1):
        return False
    return all(o[k].startswith(t[k]) for k in range(1, len(t)))


def _one_typo(t: tuple[str, ...], o: tuple[str, ...]) -> bool:
    """One word differs, by one letter wrong, missing, extra or two swapped."""
    if not (len(t) == len(o) and sum(a != b for a, b in zip(t, o, strict=True)) == 1):
        return False
    return all(one_edit(a, b) for a, b in zip(t, o, strict=True))


def _no_patronymic(t: tuple[str, ...], o: tuple[str, ...]) -> bool:
    """Surname and first name the same, the patronymic on one side only: a caller names a mother
    «Белова Ольга», the registry knows «Белова Ольга Николаевна» (issue 32 §4)."""
    shorter, longer = sorted((t, o), key=len)
    return len(shorter) == 2 and len(longer) == 3 and longer[:2] == shorter and len(shorter[1]) > 1


def how_names_match(theirs: str, ours: str, t: tuple[str, ...] | None = None,
                    o: tuple[str, ...] | None = None) -> str | None:
    """exact | ё/е | look-alike | swapped | initials | patronymic | typo — or None. The order is the order of
    trust («patronymic»: one side has no patronymic).

    `theirs` may abbreviate (initials); `ours` is the registry's full name. The words
    (`name_words`) may be passed when already computed (a list of thousands).
    """
    t = name_words(theirs) if t is None else t
    o = name_words(ours) if o is None else o
    if t == o:
        return _same_words(theirs, ours)
    if sorted(t) == sorted(o):
        return "swapped"
    t = _surname_first(t)  # both steps below read a signature's "е в иванова" as "иванова е в"
    if _initials(t, o):
        return "initials"
    if _no_patronymic(t, o):
        return "patronymic"
    if _one_typo(t, o):
        return "typo"
    return None


def how_typed_matches(typed: str, ours: str, t: tuple[str, ...] | None = None,
                      o: tuple[str, ...] | None = None) -> str | None:
    """How a name still being typed fits the registry's name `ours`: as `how_names_match` reads a whole name, or
    as its beginning — «part» («орлов», «орлов ив»: the first words, the last one perhaps unfinished), «typo»
    («орлоф») or «swapped» («иван орлов») within the words typed.

    Why not a matcher of its own: the screen's finding (`services/directory/finding`) must find whom intake
    and `reconcile` take for the same person; it only reads the unfinished word as the registry's own first.
    """
    t = name_words(typed) if t is None else t
    o = name_words(ours) if o is None else o
    how = how_names_match(typed, ours, t, o) if t else None
    n = len(t)
    if how is not None or not t or n > len(o):
        return how
    # the word being typed is read as the registry's when it begins it; a letter after the surname is an initial
    if (n == 1 or len(t[-1]) > 1) and o[n - 1].startswith(t[-1]):
        t = (*t[:-1], o[n - 1])
    if t == o[:n]:
        return "part"
    how = how_names_match(typed, ours, t, o)
    if how is not None:
        return how
    part = how_names_match(typed, ours, t, o[:n])
    return None if part is None else part if part in ("typo", "swapped") else "part"


STRONG = ("exact", "ё/е", "look-alike", "swapped")  # the same words: no birth date needed to say so
# likely the same person even without a birth date to confirm it: a parent is never typed with one, and a
# caller drops the patronymic or writes initials; a typo needs the date (too many names are a letter apart)
LIKELY_WITHOUT_DATE = ("patronymic", "initials")


def age_on(born: date, day: date) -> int:
    """Full years on `day`, read the way `birthday` reads them (born 29.02: a year older on 28.02)."""
    years = day.year - born.year
    return years - (birthday(born, years) > day)


def birthday(born: date, years: int) -> date:
    """The day a person turns `years`: one reading (ГК РФ ст. 192) for the registry and `calendar due`."""
    return coming_of_age(born, years)
