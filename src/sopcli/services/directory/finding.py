"""Finding a person or an agency as the secretary types (`sopcli screen`, «н», issue 33 §4).

Why no matcher of its own: a child found here must be the child intake links a new signal to and `reconcile`
pairs, so persons come from intake's candidates (`intake.people_named`: the `person.name_key` index ranges and
the birth date) and are judged by the names' own rules (`names.how_typed_matches`: ё/е, initials, a missing
patronymic, a typo, the last word still being typed); agencies by the resolver `--who` uses (`agencies.named_in`).

Speed (a national registry, 300,000 persons): each keystroke reads at most `CANDIDATES` rows of an index range
and the signals of the `PAGE` persons shown, never the whole person table; the agency directory (a few dozen
rows) is read once, with its counts, and filtered in memory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sopcli.errors import InvalidInput
from sopcli.services.directory import agencies
from sopcli.services.reading.db import Reader

#: persons shown at the most: a name still being typed («к») names a tenth of a national registry
PAGE = 200
#: rows read from each index range per keystroke (in key order): the first letters are read, not the registry
CANDIDATES = 2000
#: what each row is, as the screen says it
KIND_WORDS = {"child": "ребёнок", "parent": "родитель", "agency": "учреждение"}
#: the order of trust, as intake's (names.how_names_match), then the beginning of a name, then a typo
_TRUST = ("exact", "ё/е", "look-alike", "swapped", "initials", "patronymic", "part", "born", "typo")
_DATE = re.compile(r"\d{1,2}\.\d{1,2}\.\d{4}")
_WITH_DIGITS = re.compile(r"\S*\d\S*")


@dataclass
class Found:
    """One line of the finding: a child, a parent or an agency, with how many signals and cases are theirs."""

    kind: str  # child | parent | agency
    id: int
    name: str
    born: date | None = None
    signals: int = 0
    cases: int = 0
    how: str = ""  # how the typed name fits (names.how_typed_matches), "" for an agency


def typed_parts(typed: str) -> tuple[str, date | None]:
    """(the name, the birth date) in what is typed: «Орлов 01.03.2012»; a date still being typed is no date."""
    from sopcli.deadlines.dates import parse_date

    born = None
    m = _DATE.search(typed)
    if m:
        try:
            born = parse_date(m[0])
        except InvalidInput:  # «31.02.2012»: not a day, nothing to look for
            born = None
    return " ".join(_WITH_DIGITS.sub(" ", typed).split()), born


def persons(r: Reader, typed: str, limit: int = PAGE) -> tuple[list[Found], bool]:
    """(the children and parents the typed name and birth date may name, the most certain first; whether there
    are more than shown). The words typed are the start of the name, the last perhaps unfinished."""
    from sopcli.services.directory.intake import PREFIX, people_named
    from sopcli.services.directory.names import how_typed_matches, name_words

    name, born = typed_parts(typed)
    words = name_words(name)
    if not words and born is None:
        return [], False
    candidates = people_named(r, words, born, typing=CANDIDATES)
    found: dict[int, Found] = {}
    for pid, full_name, key_words, day in candidates:
        how = how_typed_matches(name, full_name, words, key_words) if words else "born"
        if how is not None and pid not in found:
            found[pid] = Found("", pid, full_name, day, how=how)
    # the typed birth date first, then as intake trusts a name, then alphabetically
    shown = sorted(found.values(), key=lambda f: (born is not None and f.born != born, _TRUST.index(f.how),
                                                  f.name, f.id))[:limit]
    _count(r, shown)
    cut = bool(words) and len(words[0]) <= PREFIX and len(candidates) >= CANDIDATES  # a short start: its first rows
    return shown, cut or len(found) > limit


def _count(r: Reader, shown: list[Found]) -> None:
    """Each person's signals and cases (a signal that became a case, or joined one, counts as both) and role:
    a child if any signal names them so."""
    from sopcli.services.directory.persons import signals_of

    mine: dict[int, list[dict[str, Any]]] = {}
    for s in signals_of(r, [f.id for f in shown]):
        mine.setdefault(s["person_id"], []).append(s)
    for f in shown:
        rows = mine.get(f.id, [])
        f.kind = "child" if any(s["role"] == "child" for s in rows) or not rows else "parent"
        f.signals = len({s["signal_id"] for s in rows})
        f.cases = len({s["case_id"] for s in rows if s["case_id"] is not None})


def person_file(r: Reader, person_id: int) -> tuple[Found, list[dict[str, Any]]]:
    """The person and their file: each case (its number, status), then each signal (journal number, when it came,
    status), as `person show` lists them."""
    from sopcli.services.directory.persons import person_doc, signals_of

    doc = person_doc(r, person_id)
    rows = signals_of(r, [person_id])
    person = Found("", person_id, doc["name"], doc["birth_date"])
    _count(r, [person])
    cases = {s["case_id"]: {"kind": "case", "id": s["case_id"], "number": str(s["case_id"]), "at": None,
                            "status": s["case_status"]} for s in rows if s["case_id"] is not None}
    signals = [{"kind": "signal", "id": s["signal_id"], "number": f"{s['seq']}/{s['year']}",
                "at": s["received_at"].astimezone(r.tz), "status": s["status"]} for s in rows]
    return person, [cases[k] for k in sorted(cases)] + signals


# -- agencies --------------------------------------------------------------------------------------------------
@dataclass
class Directory:
    """The agency directory with each agency's signals (those it sent) and the cases they became."""

    entries: list[agencies.Entry]
    counts: dict[int, tuple[int, int]]


def directory(r: Reader) -> Directory:
    """Read once a screen: the directory is a few dozen rows, the counts one grouped read of the signals' index."""
    counts = {row["agency"]: (int(row["signals"]), int(row["cases"])) for row in r.rows(
        "SELECT s.source_agency_id AS agency, COUNT(*) AS signals, COUNT(k.id) AS cases FROM signal s "
        "LEFT JOIN sop_case k ON k.signal_id = s.id WHERE s.source_agency_id IS NOT NULL "
        "GROUP BY s.source_agency_id")}
    return Directory(agencies.read(r), counts)


def agencies_named(typed: str, known: Directory) -> list[Found]:
    """The agencies the typed text names: as `--who` resolves it (an alias, «опека», «ПДН»), or a word of their
    names beginning as typed."""
    name, _ = typed_parts(typed)
    return [Found("agency", e.id, e.name, None, *known.counts.get(e.id, (0, 0)))
            for e in agencies.named_in(name, known.entries)]


#: an agency's open terms, however far ahead (`deadlines --who` shows a week)
_AHEAD = timedelta(days=100 * 366)


def agency_terms(r: Reader, agency: str, at: datetime) -> list[dict[str, Any]]:
    """The open terms the agency owns, as `sopcli deadlines --who AGENCY` reads them, overdue first, then by due
    day; a signal's term carries the signal's journal number."""
    from sopcli.services.reading.reads import digest, signal_numbers

    rows = digest(r, at, _AHEAD.days, overdue_only=False, who=agency)
    numbers = signal_numbers(r, {o["signal"] for o in rows if o["signal"] and not o["case"]})
    for o in rows:
        o["number"] = numbers.get(o["signal"])
    return sorted(rows, key=lambda o: (not o["overdue"], _day(o["due"]), o["id"]))


def _day(due: date | datetime) -> date:
    return due.date() if isinstance(due, datetime) else due
