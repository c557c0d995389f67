"""Known people at intake: is the child (or parent) of a new signal already in the registry?

A second signal about a child with an open case used to be registered as if the
family were new. Intake now looks for the same person the way `reconcile` does
(services/directory/names.how_names_match: ё/е, word order, initials, a missing patronymic,
one typo) and by birth date, among the persons of earlier signals, open and closed cases.

One person per child (issue 32 §4): a typed child who is *certainly* an earlier child — the same
words, no birth date that disagrees, and no other earlier child like it — is that person, not a
new one. A *likely* one (a missing patronymic, a typo, confirmed by the same birth date) is asked
about at a terminal and otherwise only named: a false link merges two children's files, which is
worse than a duplicate a secretary can see.

Speed (150,000 cases, bench/bench_intake.py): candidates come from the
`person.name_key` index — a range on the first letters of the typed surname (the
stored key starts with it) and one on each other typed word (a swapped order) —
and, when the birth date is typed, the persons born that day (a typo anywhere in the
surname, as `reconcile` pairs it); only those rows are compared in Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sopcli.deadlines.dates import fmt_date
from sopcli.errors import InvalidInput
from sopcli.services.directory.names import LIKELY_WITHOUT_DATE, STRONG, how_names_match, name_words
from sopcli.services.reading.db import Reader, reader_on
from sopcli.vocab import CASE_STATUS_LABELS, SIGNAL_STATUS_LABELS

#: how two names matched, as the secretary reads it
HOW_LABELS = {"exact": "то же ФИО", "ё/е": "то же ФИО (ё/е)", "look-alike": "то же ФИО (похожие латинские буквы)",
              "swapped": "те же слова в другом порядке", "initials": "инициалы", "patronymic": "без отчества",
              "typo": "опечатка в одной букве"}

PREFIX = 3  # letters of a word that pick the candidates from the index
_TOP = "я" * 40  # above every key that starts with the prefix, in binary and linguistic collations alike


@dataclass
class Typed:
    role: str  # child | parent
    name: str
    born: date | None = None


@dataclass
class Known:
    role: str
    person_id: int
    name: str  # the registry's name, for the secretary's own screen only (never an error)
    how: str
    birth: str  # same | unknown
    matches: list[dict[str, Any]] = field(default_factory=list)
    born: date | None = None  # the registry's birth date of the person
    typed: int = 0  # which typed person (0-based, in the order given) it is like
    was_child: bool = False  # named as a child by an earlier signal: only such a person is linked as a child
    linked: bool = False  # the new signal names this very person (one person per child)

    def json(self) -> dict[str, Any]:
        return {"role": self.role, "person_id": self.person_id, "how": self.how, "birth": self.birth,
                "matches": self.matches, "linked": self.linked}


def _reader(db: Any) -> Reader:
    """A reader's own snapshot, or a write session's connection (which sees its uncommitted rows)."""
    return db if isinstance(db, Reader) else reader_on(db)


_PERSON = "SELECT id, full_name, name_key, birth_date FROM person WHERE "


def _candidates(db: Any, words: tuple[str, ...], born: date | None = None, typing: int = 0) -> list[Any]:
    """Persons whose key starts as the typed surname does (typos after its first letters, initials), or
    with another typed word as a whole (a swapped order): index ranges on `person.name_key`. With a typed
    birth date, also everyone born that day: a typo in the first letters of the surname, as `reconcile` finds it.

    `typing` (the screen's finding: a name still being typed, `_typed_start`): at most so many rows of a range."""
    r = _reader(db)
    ranges = [words[0][:PREFIX]] if words else []
    ranges += [f"{w} " for w in words[1:] if len(w) > 1]  # swapped: the stored key starts with this very word
    found = []
    for n, lo in enumerate(dict.fromkeys(ranges)):
        sql, params = _typed_start(words[0], typing) if n == 0 and typing else ("", [])
        found += r.rows(_PERSON + "name_key >= ? AND name_key < ?" + sql, [lo, lo + _TOP, *params])
    if born is not None:
        found += r.rows(_PERSON + "birth_date = ?", [born])
    rows: dict[int, Any] = {}
    for row in found:
        rows.setdefault(row["id"], (row["id"], row["full_name"], row["name_key"], row["birth_date"]))
    return list(rows.values())


def _typed_start(word: str, limit: int) -> tuple[str, list[Any]]:
    """A surname still being typed: a short start («к», «бел») is the first `limit` keys of its range; a longer
    one, the keys beginning with it or whose first word is as long give or take a letter (one typo,
    `names.one_edit`) — the rest of the range can be no match (the national «бел» is 6,500 persons)."""
    if len(word) <= PREFIX:
        return f" ORDER BY name_key, id LIMIT {int(limit)}", []
    shapes = [word[:PREFIX] + "_" * (n - PREFIX) for n in range(max(len(word) - 1, PREFIX), len(word) + 2)]
    return " AND (name_key LIKE ?" + " OR name_key LIKE ?" * (2 * len(shapes)) + ")", [
        f"{word}%", *shapes, *(f"{s} %" for s in shapes)]


def same_person(typed: Typed, words: tuple[str, ...], name: str, key_words: tuple[str, ...],
                born: date | None) -> tuple[str, str] | None:
    """(how the names match, whether the birth date agrees) — or None.

    A birth date both sides know must be the same. Without one on either side the same
    words count (exact, ё/е, word order), and initials or a missing patronymic (a parent is
    never typed with a date); a typo with no date to confirm it is too often another person.
    """
    how = how_names_match(typed.name, name, words, key_words)
    if how is None:
        return None
    if typed.born is not None and born is not None:
        return (how, "same") if typed.born == born else None
    return (how, "unknown") if how in STRONG or how in LIKELY_WITHOUT_DATE else None


def _key_words(key: str) -> tuple[str, ...]:
    """A stored name key's words: hyphens and apostrophes split them as they split a typed name."""
    return tuple(key.replace("-", " ").replace("'", " ").replace("’", " ").split())


def people_named(db: Any, words: tuple[str, ...], born: date | None = None,
                 typing: int = 0) -> list[tuple[int, str, tuple[str, ...], date | None]]:
    """(id, name, the words of its key, birth date) of each person the typed words (and birth date) may name:
    the index's candidates (`_candidates`), a birth date that disagrees left out — another child, whatever the
    name. Intake judges them by `same_person`, the screen's finding by `names.how_typed_matches`."""
    out = []
    for pid, full_name, key, day in _candidates(db, words, born, typing):
        if isinstance(day, str):  # SQLite over a raw connection: ISO text
            day = date.fromisoformat(day)
        if born is None or day is None or day == born:  # the cheap test first
            out.append((pid, full_name, _key_words(key), day))
    return out


def _people_like(db: Any, people: list[Typed]) -> dict[tuple[str, int], Known]:
    """Each earlier person whose name and birth date fit one typed, once per role."""
    found: dict[tuple[str, int], Known] = {}
    for index, typed in enumerate(people):
        words = name_words(typed.name)
        for pid, full_name, key_words, born in people_named(db, words, typed.born):
            how = same_person(typed, words, full_name, key_words, born)
            if how is not None and (typed.role, pid) not in found:
                found[(typed.role, pid)] = Known(typed.role, pid, full_name, *how, born=born, typed=index)
    return found


def _where_named(db: Any, ids: list[int]) -> list[Any]:
    """Every signal naming one of the people, with its case (its own or the one it was added to)."""
    from sopcli.services.reading.db import placeholders

    rows = _reader(db).rows(
        "SELECT sp.person_id, s.id AS sid, s.seq, s.year, s.status, k.id AS kid, k.status AS kst, ak.id AS aid, "
        "ak.status AS ast, sp.role FROM signal_person sp JOIN signal s ON s.id = sp.signal_id "
        "LEFT JOIN sop_case k ON k.signal_id = s.id "
        "LEFT JOIN case_signal cs ON cs.signal_id = s.id LEFT JOIN sop_case ak ON ak.id = cs.case_id "
        f"WHERE sp.person_id IN ({placeholders(ids)}) ORDER BY s.year, s.seq", ids)
    return [tuple(row.values()) for row in rows]


def _add_matches(known: Known, rows: list[Any]) -> None:
    """A signal that became a case (or joined one) is told as the case; each told once."""
    seen: set[tuple[str, int]] = set()
    for pid, sid, seq, year, s_status, cid, c_status, aid, a_status, role in rows:
        if pid != known.person_id:
            continue
        known.was_child = known.was_child or role == "child"
        case, status = (cid, c_status) if cid is not None else (aid, a_status)
        entry = ({"kind": "case", "id": case, "number": str(case), "status": status} if case is not None else
                 {"kind": "signal", "id": sid, "number": f"{seq}/{year}", "status": s_status})
        if (entry["kind"], entry["id"]) not in seen:
            seen.add((entry["kind"], entry["id"]))
            known.matches.append({**entry, "how": known.how})


def find_known(db: Any, people: list[Typed]) -> list[Known]:
    """Each earlier person like one of `people`, with the signals and cases that name them.

    `db`: a write session (intake itself) or a reader (the questions asked at a terminal before it)."""
    found = _people_like(db, people)
    if not found:
        return []
    rows = _where_named(db, sorted({pid for _, pid in found}))
    for known in found.values():
        _add_matches(known, rows)
    # open cases first: that is where the new signal most likely belongs
    order = {("case", "open"): 0, ("signal", "registered"): 1, ("signal", "checked"): 1}
    out = [k for k in found.values() if k.matches]
    for k in out:
        k.matches.sort(key=lambda m: order.get((m["kind"], m["status"]), 2))
    return out


def known_line(known: Known) -> str:
    """"Уже известен: Иванов П. И. — дело № 3, открыто; сигнал № 5/2026, зарегистрирован"."""
    from sopcli.services.directory.names import short_name

    parts = [f"дело № {m['number']}, {CASE_STATUS_LABELS.get(m['status'], m['status'])}" if m["kind"] == "case"
             else f"сигнал № {m['number']}, {SIGNAL_STATUS_LABELS.get(m['status'], m['status'])}"
             for m in known.matches]
    return f"Уже известен: {short_name(known.name)} — {'; '.join(parts)}"


# -- one person per child (issue 32 §4) ------------------------------------------------------------
def children_like(known: list[Known], index: int) -> list[Known]:
    """The earlier children like the typed child `index` (a person named only as a parent is not one)."""
    return [k for k in known if k.role == "child" and k.typed == index and k.was_child]


def certain(known: list[Known], index: int) -> Known | None:
    """The one earlier child the typed child certainly is: the same words and the same birth date, or the
    same words, no date against it and no other earlier child like it. Two candidates: a person decides."""
    like = children_like(known, index)
    dated = [k for k in like if k.how in STRONG and k.birth == "same"]
    if len(dated) == 1:
        return dated[0]
    return like[0] if len(like) == 1 and like[0].how in STRONG else None


def to_ask(known: list[Known], index: int) -> list[Known]:
    """The earlier children the typed child only likely is: asked about at a terminal, named otherwise."""
    return [] if certain(known, index) is not None else children_like(known, index)


def _chosen(db: Any, kids: list[Typed], person_id: int) -> int:
    """Which typed child `--person N` (or a «да» at the terminal) names: the one whose name and birth date
    fit person N's. Refused when none does — the secretary may have typed another number."""
    r = _reader(db)
    rows = r.rows("SELECT id, full_name, name_key, birth_date FROM person WHERE id = ?", [person_id])
    if not rows:
        raise InvalidInput(f"Лица № {person_id} нет в реестре (--person; sopcli person list).")
    if not r.rows("SELECT 1 FROM signal_person WHERE person_id = ? AND role = 'child'", [person_id]):
        raise InvalidInput(f"Лицо № {person_id} не указано ребёнком ни в одном сигнале (--person).")
    p = rows[0]
    born = date.fromisoformat(p["birth_date"]) if isinstance(p["birth_date"], str) else p["birth_date"]
    for index, typed in enumerate(kids):
        if (typed.born is None or born is None or typed.born == born) and how_names_match(
                typed.name, p["full_name"], name_words(typed.name), _key_words(p["name_key"])):
            return index
    raise InvalidInput(f"Лицо № {person_id} не похоже ни на одного ребёнка сигнала: ФИО или дата рождения "
                       "не совпадают (--person).")


def child_links(db: Any, kids: list[Typed], known: list[Known], same_as: list[int]) -> tuple[
        list[int | None], list[str]]:
    """(for each typed child the earlier person it is, or None for a new one; the lines for the secretary).

    A child is linked when `same_as` names its person (`--person N`, or «да» at the terminal) or when it is
    certainly an earlier child (`certain`). A likely one is not linked: one line says how to link it.
    """
    links: list[int | None] = [None] * len(kids)
    for person_id in dict.fromkeys(same_as):
        index = _chosen(db, kids, person_id)
        if links[index] not in (None, person_id):
            raise InvalidInput(f"Ребёнку №{index + 1} указаны два лица (--person): укажите одно.")
        links[index] = person_id
    lines = []
    for index in range(len(kids)):
        sure = certain(known, index)
        if links[index] is None and sure is not None:
            links[index] = sure.person_id
        for k in to_ask(known, index) if links[index] is None else []:
            lines.append(f"Ребёнок №{index + 1} похож на лицо № {k.person_id} ({HOW_LABELS[k.how]}; "
                         f"{_where(k)}), но не наверняка — записан отдельно. Если это тот же ребёнок, "
                         f"указывайте при регистрации --person {k.person_id}.")
    for k in known:
        k.linked = k.role == "child" and links[k.typed] == k.person_id
    return links, lines


def _where(known: Known) -> str:
    """"дело № 1, открыто" or "сигнал № 2/2026": where the secretary finds the person (first match)."""
    m = known.matches[0]
    if m["kind"] == "case":
        return f"дело № {m['number']}, {CASE_STATUS_LABELS.get(m['status'], m['status'])}"
    return f"сигнал № {m['number']}"


def open_cases(known: list[Known]) -> list[int]:
    """The open cases of the children the new signal names (linked): where it most likely belongs."""
    return sorted({m["id"] for k in known if k.linked for m in k.matches
                   if m["kind"] == "case" and m["status"] == "open"})


def question(known: Known) -> str:
    """The terminal's question about a likely match: the person by number, short name, date and file."""
    return f"Ребёнок №{known.typed + 1} похож на {described(known)}. Это тот же ребёнок"


def described(known: Known) -> str:
    """"лицо № 4: Орлов И. П., 01.03.2012 (дело № 1, открыто; то же ФИО)": how the terminal's question and the
    screen's new-signal form name an earlier child (the secretary's own screen only, never an error)."""
    from sopcli.services.directory.names import short_name

    born = f", {fmt_date(known.born)}" if known.born else ""
    return f"лицо № {known.person_id}: {short_name(known.name)}{born} ({_where(known)}; {HOW_LABELS[known.how]})"
