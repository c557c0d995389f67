"""Known people at intake: is the child (or parent) of a new signal already in the registry?

A second signal about a child with an open case used to be registered as if the
family were new. Intake now looks for the same person the way `reconcile` does
(services/directory/names.how_names_match: ё/е, word order, initials, one typo) and by birth
date, among the persons of earlier signals, open and closed cases.

Speed (150,000 cases, bench/bench_intake.py): candidates come from the
`person.name_key` index — a range on the first letters of the typed surname (the
stored key starts with it) and one on each other typed word (a swapped order) —
and only those rows are compared in Python. A typo within the first three letters
of the surname is therefore not found here (`reconcile` still finds it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from sopcli.services.directory.names import STRONG, how_names_match, name_words
from sopcli.vocab import CASE_STATUS_LABELS, SIGNAL_STATUS_LABELS

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

    def json(self) -> dict[str, Any]:
        return {"role": self.role, "person_id": self.person_id, "how": self.how, "birth": self.birth,
                "matches": self.matches}


def _candidates(session: Session, words: tuple[str, ...]) -> list[Any]:
    """Persons whose key starts as the typed surname does (typos after its first letters, initials), or
    with another typed word as a whole (a swapped order): index ranges on `person.name_key`."""
    ranges = [words[0][:PREFIX]] if words else []
    ranges += [f"{w} " for w in words[1:] if len(w) > 1]  # swapped: the stored key starts with this very word
    rows: dict[int, Any] = {}
    for lo in dict.fromkeys(ranges):
        found = session.connection().execute(
            text("SELECT id, full_name, name_key, birth_date FROM person WHERE name_key >= :lo AND name_key < :hi"),
            {"lo": lo, "hi": lo + _TOP})
        for row in found:
            rows.setdefault(row[0], row)
    return list(rows.values())


def same_person(typed: Typed, words: tuple[str, ...], name: str, key_words: tuple[str, ...],
                born: date | None) -> tuple[str, str] | None:
    """(how the names match, whether the birth date agrees) — or None.

    A birth date both sides know must be the same. Without one on either side only
    the same words count (exact, ё/е, word order): initials or a typo with no date to
    confirm them are too often another person.
    """
    how = how_names_match(typed.name, name, words, key_words)
    if how is None:
        return None
    if typed.born is not None and born is not None:
        return (how, "same") if typed.born == born else None
    return (how, "unknown") if how in STRONG else None


def _key_words(key: str) -> tuple[str, ...]:
    """A stored name key's words: hyphens and apostrophes split them as they split a typed name."""
    return tuple(key.replace("-", " ").replace("'", " ").replace("’", " ").split())


def _people_like(session: Session, people: list[Typed]) -> dict[tuple[str, int], Known]:
    """Each earlier person whose name and birth date fit one typed, once per role."""
    found: dict[tuple[str, int], Known] = {}
    for typed in people:
        words = name_words(typed.name)
        for pid, full_name, key, born in _candidates(session, words):
            if isinstance(born, str):  # SQLite over a raw connection: ISO text
                born = date.fromisoformat(born)
            if typed.born is not None and born is not None and born != typed.born:
                continue  # another birth date: another child, whatever the name (the cheap test first)
            how = same_person(typed, words, full_name, _key_words(key), born)
            if how is not None and (typed.role, pid) not in found:
                found[(typed.role, pid)] = Known(typed.role, pid, full_name, *how)
    return found


def _where_named(session: Session, ids: list[int]) -> list[Any]:
    """Every signal naming one of the people, with its case (its own or the one it was added to)."""
    marks = ", ".join(f":p{k}" for k in range(len(ids)))
    return session.connection().execute(text(
        "SELECT sp.person_id, s.id, s.seq, s.year, s.status, k.id, k.status, ak.id, ak.status "
        "FROM signal_person sp JOIN signal s ON s.id = sp.signal_id "
        "LEFT JOIN sop_case k ON k.signal_id = s.id "
        "LEFT JOIN case_signal cs ON cs.signal_id = s.id LEFT JOIN sop_case ak ON ak.id = cs.case_id "
        f"WHERE sp.person_id IN ({marks}) ORDER BY s.year, s.seq"), {f"p{k}": v for k, v in enumerate(ids)}).all()


def _add_matches(known: Known, rows: list[Any]) -> None:
    """A signal that became a case (or joined one) is told as the case; each told once."""
    seen: set[tuple[str, int]] = set()
    for pid, sid, seq, year, s_status, cid, c_status, aid, a_status in rows:
        if pid != known.person_id:
            continue
        case, status = (cid, c_status) if cid is not None else (aid, a_status)
        entry = ({"kind": "case", "id": case, "number": str(case), "status": status} if case is not None else
                 {"kind": "signal", "id": sid, "number": f"{seq}/{year}", "status": s_status})
        if (entry["kind"], entry["id"]) not in seen:
            seen.add((entry["kind"], entry["id"]))
            known.matches.append({**entry, "how": known.how})


def find_known(session: Session, people: list[Typed]) -> list[Known]:
    """Each earlier person like one of `people`, with the signals and cases that name them."""
    found = _people_like(session, people)
    if not found:
        return []
    rows = _where_named(session, sorted({pid for _, pid in found}))
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
