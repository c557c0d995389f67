"""Russian full names in the case a sentence needs: «в отношении Петрова Петра Петровича».

Why pymorphy3 (with pymorphy3-dicts-ru, the OpenCorpora dictionary; ~17 MB installed):
- it tells the gender from the patronymic (the tag of «Викторовна» is femn), so
  «Иванова» is declined as a woman's surname and «Ковальчук» is kept for a woman
  and declined for a man;
- its dictionary marks indeclinable surnames and names (the `Fixd` grammeme:
  Шевченко, Петренко, Черных, Дюма, Гарсия, a woman's Ким) and parses hyphenated
  surnames as a whole (Петрова-Водкина → Петровой-Водкиной);
- it says when it is guessing: a word it does not know has no surname parse, or
  only one its suffix predictor made; we then keep the whole name as written.
petrovich (the other candidate; the 2.0.1 release is what the package index has)
declines by suffix rules alone: it needs the gender given, cannot say it is
unsure, and got «Ольгы» and «Седыха» wrong when tried.

A name we cannot decline with confidence is returned exactly as written: a
nominative in an oblique slot reads as a form being filled in, a wrong ending
reads as an error in an official paper.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

CASES = {"gent": "gent", "datv": "datv", "accs": "accs", "ablt": "ablt", "loct": "loct",
         "родительный": "gent", "дательный": "datv", "винительный": "accs", "творительный": "ablt",
         "предложный": "loct"}
_GUESSERS = {"FakeDictionary", "KnownSuffixAnalyzer", "UnknAnalyzer"}  # pymorphy3's predictors: a guess


@lru_cache(maxsize=1)
def _morph() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


def _parses(word: str, kind: str) -> list[Any]:
    """The nominative singular parses of `word` as a `kind` (Surn, Name, Patr)."""
    return [p for p in _morph().parse(word)
            if kind in p.tag and p.tag.case == "nomn" and p.tag.number == "sing"]


def gender(full_name: str) -> str | None:
    """"masc" or "femn" as the patronymic says; None without one the dictionary knows as a patronymic."""
    parts = full_name.split()
    if len(parts) != 3:
        return None
    genders = {p.tag.gender for p in _parses(parts[2], "Patr")}
    return genders.pop() if len(genders) == 1 and genders <= {"masc", "femn"} else None


def _fits(parse: Any, sex: str) -> bool:
    return sex in parse.tag or "ms-f" in parse.tag


def _guess(parse: Any) -> bool:
    return type(parse.methods_stack[0][0]).__name__ in _GUESSERS


def _inflected(parse: Any, case: str) -> str | None:
    form = parse.inflect({case, "sing"})
    return form.word if form else None


def _hyphenated(word: str, sex: str, case: str) -> str | None:
    """Part by part: pymorphy3's analysis of the whole word mixes the parts' readings («Петровой-Водкины»)."""
    done = [_surname(w, sex, case) for w in word.split("-")]
    return None if None in done or "" in word.split("-") else "-".join(done)  # type: ignore[arg-type]


def _known_surname(word: str, known: list[Any], case: str) -> str | None:
    """The dictionary knows the surname: declined, or kept when it says it does not decline."""
    declinable = [p for p in known if "Fixd" not in p.tag]
    if not declinable:
        return word  # Шевченко, Черных, a woman's Ким or Ковальчук
    return _inflected(declinable[0], case)


def _guessed_surname(found: list[Any], case: str) -> str | None:
    """Only the suffix predictor's guess: trusted for the regular shapes (Яндыганова, Пупкина)."""
    if any("Fixd" in p.tag for p in found):
        return None  # it cannot tell whether the word declines
    return _inflected(found[0], case)


def _unknown_surname(word: str, parses: list[Any]) -> str | None:
    """No surname parse: kept only when the dictionary knows the word as an indeclinable name (Гарсия)."""
    named = [p for p in parses if ("Name" in p.tag or "Surn" in p.tag) and not _guess(p)]
    return word if named and all("Fixd" in p.tag for p in named) else None


def _surname(word: str, sex: str, case: str) -> str | None:
    """The surname declined; itself when the dictionary says it does not decline; None when unsure.

    A hyphenated surname is declined part by part.
    """
    if "-" in word:
        return _hyphenated(word, sex, case)
    parses = _morph().parse(word)
    found = [p for p in parses if "Surn" in p.tag and p.tag.case == "nomn" and _fits(p, sex)]
    known = [p for p in found if not _guess(p)]
    if known:
        return _known_surname(word, known, case)
    if found:
        return _guessed_surname(found, case)
    return _unknown_surname(word, parses)


def _part(word: str, kind: str, sex: str, case: str) -> str | None:
    """A first name or patronymic declined; None when the dictionary does not know it as one."""
    found = [p for p in _parses(word, kind) if _fits(p, sex) and (kind == "Patr" or not _guess(p))]
    if not found:
        return None
    if "Fixd" in found[0].tag:
        return word  # Айгуль
    form = found[0].inflect({case, "sing"})
    return form.word if form else None


def _as_written(new: str, old: str) -> str:
    """`new` (lower case from the dictionary) spelt as `old` is: capitals per hyphenated part, ё only where written."""
    if "ё" not in old.lower():
        new = new.replace("ё", "е")
    out = []
    for n, o in zip(new.split("-"), old.split("-"), strict=False):
        out.append(n.upper() if o.isupper() and len(o) > 1 else n[:1].upper() + n[1:] if o[:1].isupper() else n)
    return "-".join(out) if len(new.split("-")) == len(old.split("-")) else new


def inflect(full_name: str, case: str) -> str:
    """«Фамилия Имя Отчество» in `case` (gent, datv, accs, ablt, loct or the Russian name of the case).

    Kept as written when the dictionary is unsure of any part: no patronymic to
    tell the gender, initials, a word order other than surname–name–patronymic,
    a surname or first name it does not know.
    """
    grammeme = CASES.get(case)
    if grammeme is None:
        raise ValueError(f"unknown case {case!r}")
    parts = full_name.split()
    sex = gender(full_name)
    if sex is None:
        return full_name
    last, first, middle = parts
    done = (_surname(last, sex, grammeme), _part(first, "Name", sex, grammeme), _part(middle, "Patr", sex, grammeme))
    if any(d is None for d in done):
        return full_name
    return " ".join(_as_written(d, w) if d != w else w for d, w in zip(done, parts, strict=True))  # type: ignore[arg-type]
