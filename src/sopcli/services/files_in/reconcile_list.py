"""The quarterly reconciliation with an agency (004 §5.6): its list against the registry's bank.

Reading is defensive (services/files_in/table_files.py): a file is opened only if it is
a real table of a sane size, unpacked in counted chunks before a reader sees
it. Headers are found by their Russian names in the first rows, and
`--columns` maps the rest. Matching is by normalised name (case, ё/е, spaces,
punctuation, look-alike Latin letters, initials), a one-letter typo and swapped
name order, and birth date — services/directory/names.py, the reading intake uses too;
every pair says how it matched, so a person can check the act.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sopcli.errors import InvalidInput
from sopcli.progress import SILENT, Progress
from sopcli.services.directory import names
from sopcli.services.directory.names import norm  # headers and names are compared alike
from sopcli.services.files_in.table_files import HEADER_SCAN, MAX_BYTES, MAX_ROWS, read_rows  # noqa: F401 - re-exported
from sopcli.services.reading.db import Memo

NAME_LIMIT = 200  # longer is not a name (as names.clean_name)

FIELDS = ("name", "surname", "first", "patronymic", "birth", "name_birth", "address")
_SYNONYMS = [  # (field, pattern over a normalised header), first match wins
    ("name_birth", r"фио.*дата рождения|фио.*д ?р\b"),
    ("name", r"^фио\b|^фио |фамилия имя отчество|^фио несовершеннолетн|^фио ребенка|^ф и о\b"),
    ("surname", r"^фамилия$"),
    ("first", r"^имя$"),
    ("patronymic", r"^отчество$"),
    ("birth", r"дата рождения|^д ?р$|^др$|^рожд"),
    ("address", r"адрес"),
]


# -- headers ----------------------------------------------------------------------------------
def parse_columns(spec: str | None) -> dict[str, str]:
    """`--columns "name=Ф.И.О. учащегося;birth=Д/р;address=3"`: our field = their header (or 1-based number)."""
    out: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in (spec or "").split(";"))):
        key, sep, value = part.partition("=")
        if not sep or key.strip() not in FIELDS or not value.strip():
            raise InvalidInput(f"--columns: «{part[:40]}» — ожидается поле=заголовок, поля: {', '.join(FIELDS)}.")
        out[key.strip()] = value.strip()
    return out


_NAME_FIELDS = ("name", "name_birth", "surname")  # a header row names at least one of these


def _given_columns(headers: list[str], given: dict[str, str]) -> dict[str, int]:
    """The columns `--columns` names by their header."""
    found: dict[str, int] = {}
    for key, value in given.items():
        if not value.isdigit() and norm(value) in headers:
            found[key] = headers.index(norm(value))
    return found


def _add_synonyms(headers: list[str], found: dict[str, int], numeric: dict[str, int]) -> None:
    """The other columns by the usual Russian names (`_SYNONYMS`), a column and a field taken once."""
    for col, h in enumerate(headers):
        if not h or col in found.values():
            continue
        key = next((k for k, pattern in _SYNONYMS if k not in found and k not in numeric and re.search(pattern, h)),
                   None)
        if key is not None:
            found[key] = col


def _row_columns(row: list[Any], given: dict[str, str], numeric: dict[str, int]) -> dict[str, int]:
    """The fields a row names as a header: by `--columns`, by the usual names, then by number."""
    headers = [norm(c) for c in row]
    found = _given_columns(headers, given)
    _add_synonyms(headers, found, numeric)
    if found:  # a title or an empty row names nothing: numbers alone do not make it the header
        found.update({k: c for k, c in numeric.items() if c < len(row)})
    return found


def find_header(rows: list[list[Any]], given: dict[str, str]) -> tuple[int, dict[str, int]]:
    """The header row and the column of each field; refuses a list without a name column."""
    numeric = {k: int(v) - 1 for k, v in given.items() if v.isdigit()}
    for i, row in enumerate(rows[:HEADER_SCAN]):
        found = _row_columns(row, given, numeric)
        if any(k in found for k in _NAME_FIELDS):
            missing = [k for k in given if k not in found]
            if missing:
                raise InvalidInput(f"--columns: нет столбца «{given[missing[0]][:40]}» в строке заголовков {i + 1}.")
            return i, found
    if numeric and set(_NAME_FIELDS) & set(numeric) and rows:
        return 0, {k: c for k, c in numeric.items() if c < len(rows[0])}  # no header by name: the first row
    raise InvalidInput("В таблице нет столбца с ФИО (искали «ФИО», «Фамилия», «Ф.И.О. несовершеннолетнего» в первых "
                       f"{HEADER_SCAN} строках); укажите его: --columns \"name=ЗАГОЛОВОК\".")


# -- one person on each side -------------------------------------------------------------------
@dataclass
class Person:
    name: str
    birth: date | None
    address: str = ""
    row: int = 0  # the agency's row number, or the registry's case id
    case: int | None = None
    tokens: tuple[str, ...] = field(default=(), repr=False)
    words: tuple[str, ...] = field(default=(), repr=False)  # the tokens sorted (_words), set by `match`


_DATE = re.compile(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})|(\d{4})-(\d{2})-(\d{2})")


def to_date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    m = _DATE.search(str(value))
    if not m:
        return None
    try:
        if m[1]:
            return date(int(m[3]), int(m[2]), int(m[1]))
        return date(int(m[4]), int(m[5]), int(m[6]))
    except ValueError:
        return None


def _cell(row: list[Any], cols: dict[str, int], key: str) -> Any:
    col = cols.get(key)
    return row[col] if col is not None and col < len(row) else None


def _lines(value: Any) -> list[str]:
    return [x for x in str(value or "").splitlines() if x.strip()]


def _names_with_dates(value: Any, birth_cell: Any) -> list[tuple[str, date | None]]:
    """"ФИО, дата рождения" in one cell, a person a line; the birth column if a line has no date."""
    return [(_DATE.sub("", x).replace(",", " "), to_date(x) or to_date(birth_cell)) for x in _lines(value)]


def _names_and_dates(value: Any, birth_cell: Any) -> list[tuple[str, date | None]]:
    """Names a line each and birth dates a line each: paired line by line when they are as many."""
    names = _lines(value)
    births = _lines(birth_cell) if isinstance(birth_cell, str) else []
    return [(x, to_date(births[k]) if len(births) == len(names) else to_date(birth_cell))
            for k, x in enumerate(names)]


def _entries(row: list[Any], cols: dict[str, int]) -> list[tuple[str, date | None]]:
    """The people of one row, however the list writes names and birth dates."""
    birth_cell = _cell(row, cols, "birth")
    if "name_birth" in cols:
        entries = _names_with_dates(_cell(row, cols, "name_birth"), birth_cell)
    elif "name" in cols:
        entries = _names_and_dates(_cell(row, cols, "name"), birth_cell)
    else:
        entries = [(" ".join(str(_cell(row, cols, k) or "") for k in ("surname", "first", "patronymic")),
                    to_date(birth_cell))]
    return [(" ".join(n.split()), b) for n, b in entries if n.split()]


def _not_people(entries: list[tuple[str, date | None]]) -> str | None:
    """Why a row's entries are no one: no name, or one too long to be a name."""
    if not entries:
        return "нет ФИО"
    if any(len(n) > NAME_LIMIT for n, _ in entries):  # not a name: kept out of the act (Excel: 32,767 a cell)
        return f"ФИО длиннее {NAME_LIMIT} знаков"
    return None


def agency_people(rows: list[list[Any]], header: int, cols: dict[str, int],
                  progress: Progress = SILENT) -> tuple[list[Person], list[str]]:
    """People of the agency's list, and the rows skipped with why (a row without a name is not a person).

    `progress` counts the rows under the header."""
    people, skipped = [], []
    progress.stage("Чтение списка органа", len(rows) - header - 1)
    for i, row in enumerate(rows[header + 1:], start=header + 2):
        progress.advance()
        cells = [str(c or "").strip() for c in row]
        if not any(cells) or all(c.isdigit() for c in cells if c):  # blank, or the numbered row ("1", "2", …)
            continue
        entries = _entries(row, cols)
        if (why := _not_people(entries)) is not None:
            skipped.append(f"строка {i}: {why}")
            continue
        address = " ".join(str(_cell(row, cols, "address") or "").split())
        for name, birth in entries:  # a family's cell lists each child on its own line (App. 8)
            people.append(Person(name, birth, address, row=i, tokens=tuple(norm(name).split())))
    return people, skipped


# -- matching ------------------------------------------------------------------------------------
def how_names_match(theirs: Person, ours: Person) -> str | None:
    """exact | ё/е | look-alike | swapped | initials | patronymic | typo — or None (names.how_names_match)."""
    return names.how_names_match(theirs.name, ours.name, theirs.tokens, ours.tokens)


_ADDRESS_WORDS = re.compile(r"\b(ул|улица|д|дом|кв|квартира|г|город|пр|проспект|пер|переулок|респ|республика)\b")


def _addr(text: str) -> str:
    t = _ADDRESS_WORDS.sub(" ", norm(text))
    return " ".join(t.split())


def same_address(a: str, b: str, addr: Callable[[str], str] = _addr) -> bool:
    """Equal after dropping "ул.", "д.", punctuation — or one is the other without the city in front.

    `addr` may be a memo of `_addr`: a list copied from the bank repeats the registry's addresses."""
    x, y = addr(a).split(), addr(b).split()
    shorter, longer = sorted((x, y), key=len)
    return bool(shorter) and longer[len(longer) - len(shorter):] == shorter


@dataclass
class Result:
    matched: list[dict[str, Any]] = field(default_factory=list)
    mismatched: list[dict[str, Any]] = field(default_factory=list)
    only_registry: list[dict[str, Any]] = field(default_factory=list)
    only_agency: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _p(p: Person) -> dict[str, Any]:
    return {"name": p.name, "birth_date": p.birth, "address": p.address, "row": p.row, "case": p.case}


_RANK = {"exact": 0, "ё/е": 1, "look-alike": 1, "swapped": 2, "initials": 3, "patronymic": 3, "typo": 4}


_Pairs = dict[int, tuple[int, str, list[dict[str, Any]]]]  # their row → (our person, how, differences)


def _words(p: Person) -> tuple[str, ...]:
    """A name's words in order: exact, ё/е and swapped names share them (sorted once, by `match`)."""
    return p.words


def _pair_strong(theirs: list[Person], ours: list[Person], pairs: _Pairs, used: set[int]) -> None:
    """Step 1: same birth date and the same words, the surest pairs first over the whole list."""
    same_words: dict[tuple[date | None, tuple[str, ...]], list[int]] = {}
    for k, p in enumerate(ours):  # exact, ё/е and swapped share the sorted words: a lookup, not a scan
        same_words.setdefault((p.birth, _words(p)), []).append(k)
    strong = sorted((_RANK[how], ti, oi, how) for ti, t in enumerate(theirs) if t.birth is not None
                    for oi in same_words.get((t.birth, _words(t)), [])
                    if (how := how_names_match(t, ours[oi])) is not None)
    for _, ti, oi, how in strong:
        if ti not in pairs and oi not in used:
            pairs[ti] = (oi, how, [])
            used.add(oi)


def _pair_weak(theirs: list[Person], ours: list[Person], pairs: _Pairs, used: set[int],
               progress: Progress = SILENT) -> None:
    """Step 2: same birth date, initials, no patronymic or a typo — only when one free person fits best.

    The one step that compares a row with many people: `progress` counts the agency's rows here."""
    by_birth: dict[date | None, list[int]] = {}
    for k, p in enumerate(ours):
        by_birth.setdefault(p.birth, []).append(k)
    for ti, t in enumerate(theirs):
        progress.advance()
        if ti in pairs or t.birth is None:
            continue
        weak = sorted((_RANK[how], oi, how) for oi in by_birth.get(t.birth, []) if oi not in used
                      and (how := how_names_match(t, ours[oi])) is not None)
        if weak and (len(weak) == 1 or weak[0][0] < weak[1][0]):
            pairs[ti] = (weak[0][1], weak[0][2], [])
            used.add(weak[0][1])


def _pair_same_name(theirs: list[Person], ours: list[Person], pairs: _Pairs, used: set[int]) -> None:
    """Step 3: the same name and another birth date (or none): paired, the date a difference."""
    by_name: dict[tuple[str, ...], list[int]] = {}
    for k, p in enumerate(ours):
        by_name.setdefault(_words(p), []).append(k)
    for ti, t in enumerate(theirs):
        if ti in pairs:
            continue
        free = [oi for oi in by_name.get(_words(t), []) if oi not in used]
        if len(free) == 1:
            oi = free[0]
            diffs = [{"field": "birth_date", "registry": ours[oi].birth, "agency": t.birth}] if t.birth else []
            pairs[ti] = (oi, how_names_match(t, ours[oi]) or "exact", diffs)
            used.add(oi)


def _sorted_out(theirs: list[Person], ours: list[Person], pairs: _Pairs, used: set[int]) -> Result:
    """The act's sections: pairs that agree, pairs with differences (address added here), and the unpaired."""
    res = Result()
    addr = Memo(_addr)  # each address normalised once, though both lists name it
    for ti, t in enumerate(theirs):
        if ti not in pairs:
            res.only_agency.append(_p(t))
            continue
        oi, how, diffs = pairs[ti]
        o = ours[oi]
        if t.address and o.address and not same_address(t.address, o.address, addr.__getitem__):
            diffs = [*diffs, {"field": "address", "registry": o.address, "agency": t.address}]
        pair = {"agency": _p(t), "registry": _p(o), "how": how}
        if diffs:
            res.mismatched.append({**pair, "fields": diffs})
        else:
            res.matched.append(pair)
    res.only_registry = [_p(o) for k, o in enumerate(ours) if k not in used]
    return res


def match(theirs: list[Person], ours: list[Person], progress: Progress = SILENT) -> Result:
    """Each agency row to at most one registry person, the surest pairs first.

    1. Same birth date and the name equal up to case, ё/е or word order — over the
       whole list at once, so no weaker pair can take a person a stronger one needs.
    2. Same birth date, initials, no patronymic or a one-letter typo — only if exactly one person
       not yet paired fits (twins "Иванов И. И." stay for a person to decide).
    3. The same name with another birth date (or none in their list): paired, and the
       birth date reported as a difference.

    `progress` hears one stage, a step per agency row.
    """
    progress.stage("Сопоставление со списком органа", len(theirs))
    for p in ours:
        p.tokens = tuple(norm(p.name).split())
    for p in (*theirs, *ours):
        p.words = tuple(sorted(p.tokens))
    pairs: _Pairs = {}
    used: set[int] = set()
    _pair_strong(theirs, ours, pairs, used)
    _pair_weak(theirs, ours, pairs, used, progress)
    _pair_same_name(theirs, ours, pairs, used)
    return _sorted_out(theirs, ours, pairs, used)


def registry_people(r: Any, start: date, end: date, progress: Progress = SILENT) -> Iterator[Person]:
    """The children of the cases on the register in the quarter: what the bank list sends the agency.

    Streamed, so their number is not known ahead: `progress` counts them without a total."""
    progress.stage("Чтение банка данных реестра")
    sql = ("SELECT k.id, p.full_name, p.birth_date, s.address FROM sop_case k JOIN signal s ON s.id = k.signal_id "
           "JOIN signal_person sp ON sp.signal_id = s.id JOIN person p ON p.id = sp.person_id "
           "WHERE sp.role = 'child' AND k.recognized_on <= ? AND (k.closed_on IS NULL OR k.closed_on >= ?) "
           "ORDER BY k.id, sp.id")
    for case, name, born, address in r.stream(sql, [end, start]):
        progress.advance()
        yield Person(name, born, address or "", row=case, case=case)
