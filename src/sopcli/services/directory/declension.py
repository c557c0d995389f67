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

The rest of a paper's grammar lives here too, as plain functions that know nothing
of the terminal (issue 31 §4): a surname keeps its letters («Кравеца», not the noun's
«Кравца»); an official given with initials is declined by the surname's ending alone;
the municipality is put in the genitive by a small rule set (a quoted name is left as
it is; the secretary's own form, `init --municipality-genitive`, wins over it); words
agree in number and gender with the people named; a position keeps «КДН и ЗП».
"""

from __future__ import annotations

import re
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
    return _kept_letters(word, _inflected(declinable[0], case))


def _kept_letters(word: str, form: str | None) -> str | None:
    """A surname keeps every letter it is written with: «Кравец» → «Кравеца», not the noun's «Кравца».

    The dictionary declines a surname like the common noun it comes from, dropping the fleeting vowel
    (кравец → кравца, швец → швеца is kept already); an official paper keeps the surname recognisable,
    so the noun's ending goes on the whole written word."""
    low = word.lower()
    if form is None or form.startswith(low) or len(low) < 3 or low[-1] in "аеёиоуыэюяйь":
        return form
    if form.startswith(low[:-2] + low[-1]):  # one letter before the last dropped: the fleeting vowel
        return low + form[len(low) - 1:]
    return form


def _guessed_surname(found: list[Any], case: str) -> str | None:
    """Only the suffix predictor's guess: trusted for the regular shapes (Яндыганова, Пупкина)."""
    if any("Fixd" in p.tag for p in found):
        return None  # it cannot tell whether the word declines
    return _kept_letters(found[0].word, _inflected(found[0], case))


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


# -- officials named by surname and initials («Иванова Е.В.»): no patronymic, so the surname's ending decides -----
_INITIALS = re.compile(r"^([А-ЯЁ])\.\s*([А-ЯЁ])\.?$")
# the endings that tell the gender by themselves; any other surname is kept as typed (Ковальчук, Черных, Кравец)
_BY_ENDING = (  # (ending, {case: the ending that replaces it})
    ("ская", {"gent": "ской", "datv": "ской", "accs": "скую", "ablt": "ской", "loct": "ской"}),
    ("цкая", {"gent": "цкой", "datv": "цкой", "accs": "цкую", "ablt": "цкой", "loct": "цкой"}),
    ("ский", {"gent": "ского", "datv": "скому", "accs": "ского", "ablt": "ским", "loct": "ском"}),
    ("цкий", {"gent": "цкого", "datv": "цкому", "accs": "цкого", "ablt": "цким", "loct": "цком"}),
    *((f, {"gent": f[:-1] + "ой", "datv": f[:-1] + "ой", "accs": f[:-1] + "у", "ablt": f[:-1] + "ой",
           "loct": f[:-1] + "ой"}) for f in ("ова", "ева", "ёва", "ина", "ына")),
    *((m, {"gent": m + "а", "datv": m + "у", "accs": m + "а", "ablt": m + "ым", "loct": m + "е"})
      for m in ("ов", "ев", "ёв", "ин", "ын")),
)


def _surname_by_ending(word: str, case: str) -> str | None:
    """Иванова → Иванову (accs), Петров → Петрову (datv); None when the ending does not tell the gender."""
    if "-" in word:
        parts = [_surname_by_ending(w, case) for w in word.split("-")]
        return None if None in parts else "-".join(parts)  # type: ignore[arg-type]
    for ending, forms in _BY_ENDING:
        if word.lower().endswith(ending) and len(word) > len(ending) + 1:
            return word[: -len(ending)] + forms[case]
    return None


def with_initials(name: str, case: str) -> str | None:
    """«Иванова Е.В.» or «Е.В. Иванова» in `case` with the initials spaced («Иванову Е. В.»); None when the
    name is not a surname with initials. A surname whose ending does not tell the gender is kept as typed."""
    grammeme = CASES.get(case)
    if grammeme is None:
        raise ValueError(f"unknown case {case!r}")
    m = re.match(r"^\s*([А-ЯЁ]\.\s*[А-ЯЁ]\.?)\s*([А-ЯЁа-яё-]+)\s*$", name) or \
        re.match(r"^\s*([А-ЯЁа-яё-]+)\s+([А-ЯЁ]\.\s*[А-ЯЁ]\.?)\s*$", name)
    if m is None:
        return None
    first_initials = bool(_INITIALS.match(m.group(1).replace(" ", "")))
    surname, initials = (m.group(2), m.group(1)) if first_initials else (m.group(1), m.group(2))
    i = _INITIALS.match(initials.replace(" ", ""))
    if i is None:
        return None
    spaced = f"{i.group(1)}. {i.group(2)}."
    declined = _surname_by_ending(surname, grammeme) or surname
    return f"{spaced} {declined}" if first_initials else f"{declined} {spaced}"


def official(name: str, case: str) -> str:
    """A person as a paper names them in `case`: a full name through the dictionary, a surname with initials by
    its ending; anything else as typed."""
    done = with_initials(name, case)
    return done if done is not None else inflect(name, case)


# -- the municipality in the genitive: «Комиссия … городского округа «Город Йошкар-Ола»» -------------------------
_HEADS = {"округ": "округа", "район": "района", "поселение": "поселения", "город": "города", "г.": "г.",
          "поселок": "поселка", "посёлок": "посёлка", "село": "села", "образование": "образования",
          "республика": "республики", "область": "области", "край": "края"}
_ADJECTIVES = (("ской", "ского"), ("ский", "ского"), ("ское", "ского"), ("цкий", "цкого"), ("цкое", "цкого"),
               ("ный", "ного"), ("ное", "ного"), ("ый", "ого"), ("ская", "ской"), ("цкая", "цкой"),
               ("ная", "ной"))
_CITY = (("ка", "ки"), ("га", "ги"), ("ха", "хи"), ("жа", "жи"), ("ша", "ши"), ("ча", "чи"), ("ща", "щи"),
         ("а", "ы"), ("я", "и"))


def _city(name: str) -> str | None:
    """A town's name after «город», «г.»: Йошкар-Ола → Йошкар-Олы, Смоленск → Смоленска; None when unsure."""
    last = name.split("-")[-1]
    head = name[: len(name) - len(last)]
    for ending, gent in _CITY:
        if last.endswith(ending):
            return head + last[: -len(ending)] + gent
    if last[-1:].lower() in "бвгдзклмнпрстфх" and "-" not in name:
        return name + "а"
    return None


def _adjective(word: str) -> str | None:
    for ending, gent in _ADJECTIVES:
        if word.lower().endswith(ending):
            return word[: -len(ending)] + (gent.upper() if word.isupper() else gent)
    return None


def municipality_genitive(text: str) -> str | None:
    """The municipality as typed at `init`, in the genitive: «городской округ «Город Йошкар-Ола»» → «городского
    округа «Город Йошкар-Ола»», «Медведевский муниципальный район» → «Медведевского муниципального района»,
    «г. Йошкар-Ола» → «г. Йошкар-Олы». A quoted name is kept as it is. None when the words are none of these
    shapes (a bare name, a form already in the genitive): the secretary gives the genitive herself."""
    parts = re.split(r"(«[^»]*»|\"[^\"]*\")", text.strip())
    words = [w for chunk in parts[::2] for w in chunk.split()]
    heads = [i for i, w in enumerate(words) if w.lower() in _HEADS]
    if not words or not heads:
        return None
    out = list(words)
    for i in heads:
        out[i] = _HEADS[words[i].lower()] if words[i].islower() or words[i] == "г." else \
            _HEADS[words[i].lower()].capitalize()
        j = i - 1
        while j >= 0 and (adj := _adjective(words[j])) is not None:  # «городской», «Медведевский муниципальный»
            out[j], j = adj, j - 1
    last = heads[-1]
    if words[last].lower() in ("город", "г.") and last + 1 < len(words):
        if last + 2 != len(words) or (town := _city(words[last + 1])) is None:
            return None
        out[last + 1] = town
    return _rejoin(parts, out)


def _rejoin(parts: list[str], words: list[str]) -> str:
    """The declined words put back between the quoted names, each chunk's words in their places."""
    taken = iter(words)
    out = []
    for k, chunk in enumerate(parts):
        if k % 2:
            out.append(chunk)
            continue
        lead, tail = chunk[: len(chunk) - len(chunk.lstrip())], chunk[len(chunk.rstrip()):]
        out.append(lead + " ".join(next(taken) for _ in chunk.split()) + tail if chunk.split() else chunk)
    return "".join(out).strip()


# -- agreement, capitals and full stops ----------------------------------------------------------------------------
def by_number(count: int, sex: str | None, forms: tuple[str, str, str]) -> str:
    """One of (masculine, feminine, plural) for `count` people, the singular by `sex`; «(-ей)» when unknown."""
    masc, femn, plural = forms
    if count != 1:
        return plural
    if sex == "femn":
        return femn
    if sex == "masc":
        return masc
    common = next((k for k, (a, b) in enumerate(zip(masc, femn, strict=False)) if a != b), len(masc))
    return f"{masc}(-{femn[common:]})"


_ABBREVIATIONS = {"кдн": "КДН", "зп": "ЗП", "кднизп": "КДНиЗП", "пдн": "ПДН", "омвд": "ОМВД",
                  "рф": "РФ", "рмэ": "РМЭ", "мвд": "МВД", "мо": "МО"}


def proper_case(text: str) -> str:
    """A position as a signature prints it: the commission's abbreviations in capitals («кдн и зп» → «КДН и ЗП»),
    the first letter upper case, the rest as typed."""
    fixed = re.sub(r"[А-Яа-яЁё]+", lambda m: _ABBREVIATIONS.get(m.group(0).lower(), m.group(0)), text)
    return fixed[:1].upper() + fixed[1:]


def lower_first(text: str) -> str:
    """A position inside a sentence («Исп.: Петрова, ответственный секретарь КДН и ЗП»): the first word lower case
    unless it is an abbreviation; the rest as the signature prints it."""
    fixed = proper_case(text)
    first = fixed.split(" ", 1)[0]
    return fixed if first.isupper() and len(first) > 1 else fixed[:1].lower() + fixed[1:]


def sentence(text: str) -> str:
    """`text` ended by one full stop: «…, 2012 г. р.» is not given a second one."""
    text = text.rstrip()
    return text if text.endswith((".", "!", "?")) else text + "."
