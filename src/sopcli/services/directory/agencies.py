"""Agencies as people call them: one resolver for every option that names an agency.

Why: the secretary types "ПДН", "полиция", "опека" or the code `agency list`
prints, while the directory holds "Орган внутренних дел (ПДН)". A fuzzy
"correction" once turned "полиция" into the probation inspection (issue 13).
Now a typed word is matched only by rules a person can predict — the full name,
the commission's own alias, the kind's code, a common name of the kind, whole
words or the initials of the name — and the result is never a guess: one
agency is taken (and the command names it), several are refused with the
candidates listed, none is refused with at most a "возможно" hint.

Inactive agencies (`is_active` false): still found, so `deadlines --who` shows
their old terms; a new assignment to one is refused with a clear message.

Plain functions over rows: the ORM session and the DB-API reader (`reads`)
both feed `directory_from_rows`, so the digest and the completion stay free of
ORM start-up.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sopcli.errors import InvalidInput
from sopcli.vocab import fold

# Who the agencies are: 001 §2.1 and 120-ФЗ art. 4 (the bodies and institutions of the prevention system);
# the kinds are those `init` seeds (services/setup.py AGENCIES). The words are what people call them.
COMMON_NAMES: dict[str, tuple[str, ...]] = {
    "kdn": ("комиссия", "кдн", "кдниззп", "комиссия по делам несовершеннолетних"),
    "guardianship": ("опека", "органы опеки", "орган опеки", "опека и попечительство"),
    "social": ("соцзащита", "социальная защита", "соцзащита населения", "усзн", "осзн"),
    "police": ("полиция", "милиция", "мвд", "овд", "омвд", "пдн", "внутренние дела", "участковый",
               "участковый уполномоченный полиции"),
    "education": ("школа", "образование", "управление образования", "органы образования"),
    "health": ("больница", "поликлиника", "здравоохранение", "минздрав"),
    "youth": ("молодежь", "молодежная политика", "по делам молодежи"),
    "employment": ("занятость", "центр занятости", "служба занятости", "цзн"),
    "uii": ("инспекция", "уии", "фсин", "уголовно-исполнительная инспекция"),
    "prosecutor": ("прокуратура", "прокурор"),
    "culture": ("культура",),
    "sport": ("спорт", "физкультура", "физическая культура"),
}
# `agency add --kind`: the word a secretary types for each kind (any of COMMON_NAMES is understood too)
KIND_LABELS = {"kdn": "комиссия", "guardianship": "опека", "social": "соцзащита", "police": "полиция",
               "education": "образование", "health": "здравоохранение", "youth": "молодёжная политика",
               "employment": "занятость", "uii": "инспекция", "prosecutor": "прокуратура", "culture": "культура",
               "sport": "спорт", "other": "иной"}


def kind_code(typed: str) -> str:
    """The kind for `agency add --kind`: its code, its word, or any common name of it; else refused with the words."""
    from sopcli.vocab import code_for

    found = _COMMON.get(fold(typed.strip()))
    return found or code_for(typed, KIND_LABELS, "вида органа")


# what a step names in its output ("Выявивший орган: …"); JSON keeps the codes
ROLES = {"members": "Участники", "agency": "Орган", "by": "Выявивший орган", "executor": "Исполнитель",
         "curator": "Орган куратора", "source": "Источник"}
_COMMON = {fold(word): kind for kind, words in COMMON_NAMES.items() for word in words}
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Entry:
    """One agency of the directory with its aliases (folded for matching, as typed for show)."""

    id: int
    name: str
    kind: str
    active: bool = True
    aliases: tuple[str, ...] = field(default=())

    def words(self) -> list[str]:
        return _WORD.findall(fold(self.name))

    def initials(self) -> str:
        """"Орган внутренних дел (ПДН)" → "овд", "Уголовно-исполнительная инспекция" → "уии"."""
        outside = re.sub(r"\([^)]*\)", " ", fold(self.name))
        return "".join(w[0] for w in re.findall(r"[^\W\d_]+", outside) if len(w) > 2)


def directory_from_rows(agencies: Iterable[Sequence[Any]], aliases: Iterable[Sequence[Any]]) -> list[Entry]:
    """Rows of `agency` (id, name, kind, is_active) and `agency_alias` (agency_id, alias) → entries."""
    own: dict[int, list[str]] = {}
    for agency_id, alias in aliases:
        own.setdefault(int(agency_id), []).append(alias)
    return [Entry(int(i), name, kind or "", bool(active), tuple(own.get(int(i), ())))
            for i, name, kind, active in agencies]


AGENCY_SQL = "SELECT id, name, kind, is_active FROM agency ORDER BY id"
ALIAS_SQL = "SELECT agency_id, alias FROM agency_alias ORDER BY id"


def load(session: Any) -> list[Entry]:
    """The directory through an ORM session (row-level security scopes it to the commission)."""
    from sqlalchemy import text

    return directory_from_rows(session.execute(text(AGENCY_SQL)).all(), session.execute(text(ALIAS_SQL)).all())


def read(reader: Any) -> list[Entry]:
    """The directory through the DB-API reader of `services/reading/db`."""
    agencies = [(r["id"], r["name"], r["kind"], r["is_active"]) for r in reader.rows(AGENCY_SQL)]
    return directory_from_rows(agencies, [(r["agency_id"], r["alias"]) for r in reader.rows(ALIAS_SQL)])


def _in_words(typed: list[str], words: list[str]) -> bool:
    """The typed words as a whole-word run of the name: "ПДН" in "(ПДН)", not "дел" in "делам"."""
    n = len(typed)
    return n > 0 and any(words[i:i + n] == typed for i in range(len(words) - n + 1))


def matches(typed: str, entries: Sequence[Entry]) -> list[Entry]:
    """Every agency the typed words name; an exact name or alias wins over the looser rules."""
    key = fold(typed)
    if not key:
        return []
    exact = [e for e in entries if fold(e.name) == key or key in (fold(a) for a in e.aliases)]
    if exact:
        return exact
    words = _WORD.findall(key)
    return [e for e in entries if _loosely(key, words, e)]


def _loosely(key: str, words: list[str], e: Entry) -> str:
    """How a folded word (and its words) names an agency by the looser rules, in words; "" when it does not."""
    if key == fold(e.kind):
        return "код его вида"
    if _COMMON.get(key) == e.kind:
        return "общее название его вида"
    if sum(len(w) for w in words) >= 2 and _in_words(words, e.words()):
        return "слова его названия"
    if len(key) >= 3 and key == e.initials():
        return "первые буквы его названия"
    return ""


def spoken_of(e: Entry) -> list[str]:
    """Every name an agency is known by, folded: its own, the commission's aliases, its kind's code, word and
    everyday names («опека», «ПДН» for the police)."""
    kind = [e.kind, KIND_LABELS.get(e.kind, ""), *COMMON_NAMES.get(e.kind, ())] if e.kind else []
    return [fold(w) for w in (e.name, *e.aliases, *kind) if w]


def named_in(typed: str, entries: Sequence[Entry]) -> list[Entry]:
    """The agencies a text still being typed names (the screen's finding): those `--who` takes it for (`matches`),
    then those one of whose names (`spoken_of`) has a word beginning as typed («опе», «внутр», «пд»)."""
    key = fold(typed)
    if not key:
        return []
    found = matches(typed, entries)
    start = re.compile(rf"(?<!\w){re.escape(key)}")
    return found + [e for e in entries if e not in found and any(start.search(w) for w in spoken_of(e))]


def _quote(typed: str) -> str:
    return f"«{' '.join(typed.split())[:80]}»"


def _hint(typed: str, entries: Sequence[Entry]) -> str:
    """At most a few words that would resolve, each with its agency: a hint, never a correction."""
    import difflib

    names: dict[str, str] = {}
    for e in entries:
        names[fold(e.name)] = e.name
        for a in e.aliases:
            names.setdefault(fold(a), f"{a} ({e.name})")
        for word in COMMON_NAMES.get(e.kind, ()):
            names.setdefault(fold(word), f"{word} ({e.name})")
        for word in e.words():
            if len(word) >= 4:
                names.setdefault(word, e.name)
    close = difflib.get_close_matches(fold(typed), list(names), n=3, cutoff=0.75)
    shown = list(dict.fromkeys(names[c] for c in close))
    return f" Возможно: {'; '.join(shown)}." if shown else " Справочник: sopcli agency list."


def ambiguous(typed: str, found: Sequence[Entry]) -> InvalidInput:
    return InvalidInput(f"{_quote(typed)} подходит нескольким органам: {'; '.join(e.name for e in found)}. "
                        "Уточните название или добавьте сокращение: sopcli agency alias add.")


def resolve(typed: str, entries: Sequence[Entry], *, assigning: bool = True) -> Entry:
    """The one agency the typed words name, or InvalidInput (one Russian line) listing candidates or a hint.

    `assigning`: a new assignment goes to an active agency only; an inactive one among several is
    not a candidate, and one alone is refused by name.
    """
    found = matches(typed, entries)
    if assigning and len(found) > 1 and any(e.active for e in found):
        found = [e for e in found if e.active]
    if len(found) > 1:
        raise ambiguous(typed, found)
    if not found:
        raise InvalidInput(f"Органа {_quote(typed)} нет в справочнике.{_hint(typed, entries)}")
    if assigning and not found[0].active:
        raise InvalidInput(f"Орган «{found[0].name}» не действует (отмечен в справочнике неактивным): "
                           "новые поручения ему не даются.")
    return found[0]


def agency_name(session: Any, typed: str) -> str:
    """The directory's full name of the agency a new assignment is given to (stored as today)."""
    return resolve(typed, load(session)).name


def among(typed: str, names: Sequence[str]) -> list[str]:
    """The names of a list (a complex measure's executors, as its table spells them) the typed words name.

    The same rules as the directory's, without kinds: the whole name, whole words, the initials.
    """
    return [e.name for e in matches(typed, [Entry(i, n, "") for i, n in enumerate(names)])]


def who_values(typed: str, entries: Sequence[Entry], whos: Callable[[str, int | None], set[str]]) -> set[str]:
    """`deadlines --who`: the obligations' `who` (the owner's name) of the owner typed.

    Every term is bound to an owner when it opens (issue 28): an agency (its id), the commission, a curator
    (with the agency they work for). So "ПДН", "полиция" and `police` name one agency and give its terms, the
    commission's words («КДН», «комиссия») its own, «куратор» the curators'. An owner left unbound (a role
    the step could not bind, an old text not yet bound) is read by the same rules from its text. Nothing
    found is refused, never an empty digest for a typo.

    `whos(which, agency)`: the distinct `who` of the obligations owned by the agency ("agency"), by the
    commission ("commission"), left unbound ("loose") or all ("all") — each an indexed read, so a national
    registry's two million terms are not scanned for one agency's names.
    """
    found = matches(typed, entries)
    if len(found) == 1:
        agency = found[0]
        if agency.kind == "kdn":
            return whos("commission", None)
        # an unbound text counts for the one agency it names; one naming several is in nobody's letter
        return whos("agency", agency.id) | {w for w in whos("loose", None) if matches(w, entries) == [agency]}
    key = fold(typed)
    words = _WORD.findall(key)
    long_enough = sum(map(len, words)) >= 2
    own = {w for w in whos("all", None)
           if fold(w) == key or (long_enough and _in_words(words, _WORD.findall(fold(w))))}
    if own:
        return own
    if len(found) > 1:
        raise ambiguous(typed, found)
    raise InvalidInput(f"Органа {_quote(typed)} нет ни в справочнике, ни среди исполнителей сроков."
                       f"{_hint(typed, entries)}")


# -- a signal's source (`signal add --source`, issue 28) --------------------------------------------------------
#: A source that is no agency: it opens no agency's duty (001 §2.5 binds the bodies of the system, not a neighbour).
CITIZEN_WORDS = frozenset(fold(w) for w in (
    "гражданин", "гражданка", "граждане", "житель", "жительница", "жители", "заявитель", "заявительница",
    "родитель", "мать", "отец", "бабушка", "дедушка", "родственник", "родственница", "родственники", "сосед",
    "соседка", "соседи", "несовершеннолетний", "сам", "сама", "очевидец", "частное"))
ANONYMOUS_WORDS = frozenset(fold(w) for w in ("аноним", "анонимно", "анонимный", "анонимная", "анонимное",
                                              "неизвестный", "неизвестная", "не", "без"))
#: A school registry's own people (003): what they find is the school's own finding, as the commission's is its own.
STAFF_WORDS = frozenset(fold(w) for w in (
    "классный", "социальный", "педагог", "педагог-психолог", "психолог", "учитель", "директор", "завуч",
    "заместитель", "воспитатель", "советник", "школа", "администрация"))
SOURCE_KINDS = {"agency": "орган", "citizen": "гражданин", "anonymous": "анонимно", "commission": "сама комиссия"}


@dataclass(frozen=True)
class Source:
    """Who a signal came from: an agency of the directory (owed the informing terms), or no agency."""

    kind: str  # agency | citizen | anonymous | commission
    agency: Entry | None = None


def source_of(typed: str, entries: Sequence[Entry], school: bool = False) -> Source:
    """`--source` through the one resolver: a citizen, an anonymous call or the commission, else one agency.

    An ambiguous word is refused with the candidates and an unknown one with the hint and how to add it:
    free text is kept only as what the signal said, never as an owner. `school`: a school registry (003),
    where the class teacher or the social pedagogue is the registry's holder's own people."""
    words = _WORD.findall(fold(typed))
    first = words[0] if words else ""
    if first in ANONYMOUS_WORDS and (first not in ("не", "без") or any(w.startswith(("назв", "имен", "подпис"))
                                                                       for w in words[1:3])):
        return Source("anonymous")
    if first in CITIZEN_WORDS:
        return Source("citizen")
    if school and first in STAFF_WORDS:  # «Классный руководитель 7 «Б»»: the school's own people
        return Source("commission")
    found = matches(typed, entries)
    if len(found) > 1 and any(e.active for e in found):
        found = [e for e in found if e.active]
    if len(found) == 1 and found[0].kind == "kdn":
        return Source("commission", found[0])
    if not found:
        raise InvalidInput(f"Органа {_quote(typed)} нет в справочнике.{_hint(typed, entries)} Если это орган — "
                           "добавьте его (sopcli agency add ИМЯ --kind ВИД); если гражданин — --source гражданин; "
                           "если аноним — --source анонимно.")
    return Source("agency", resolve(typed, entries))


# -- aliases (`agency alias add/list/remove`) -------------------------------------------------------------------
ALIAS_LIMIT = 100  # agency_alias.alias: varchar(100)


def add_alias(session: Any, reg: Any, alias: str, to: str) -> tuple[Any, Entry]:
    """The commission's own name for an agency; refused if it already names another agency or alias.

    An alias equal to another agency's name or alias would make the directory say two things at once.
    """
    from sopcli.models import AgencyAlias
    from sopcli.services.trust import audit

    alias = " ".join(alias.split())
    if not alias or len(alias) > ALIAS_LIMIT:
        raise InvalidInput(f"Сокращение органа: от 1 до {ALIAS_LIMIT} знаков.")
    entries = load(session)
    agency = resolve(to, entries, assigning=False)
    key = fold(alias)
    for e in entries:
        if fold(e.name) == key:
            raise InvalidInput(f"{_quote(alias)} — уже название органа «{e.name}» в справочнике.")
        if key in (fold(a) for a in e.aliases):
            raise InvalidInput(f"Сокращение {_quote(alias)} уже есть: оно означает «{e.name}».")
    taken = takes_from(alias, agency, entries)
    if taken == TOO_SHORT:
        raise InvalidInput(f"Сокращение {_quote(alias)} {TOO_SHORT}.")
    if taken is not None:
        raise InvalidInput(f"Сокращение {_quote(alias)} {taken}: оно отняло бы это слово везде, где называют "
                           f"орган. Выберите другое сокращение для «{agency.name}».")
    row = AgencyAlias(agency_id=agency.id, alias=alias, alias_key=key)
    session.add(row)
    session.flush()
    audit.record(session, reg, "create", "agency_alias", row.id, alias=alias, agency=agency.name)
    return row, agency


ALIAS_LETTERS = 2  # "1", "5а", "№": a number or one letter names no agency, it takes a word from every one
TOO_SHORT = f"слишком короткое: нужно хотя бы {ALIAS_LETTERS} буквы — число или одна буква не называют орган"


def _kind_word(key: str) -> str:
    """The kind a folded word names by itself ("полиция", "школа", `police`, "образование"), or ""."""
    if key in KIND_LABELS:
        return key
    return _COMMON.get(key) or next((k for k, label in KIND_LABELS.items() if fold(label) == key), "")


def takes_from(alias: str, agency: Entry, entries: Sequence[Entry]) -> str | None:
    """Why an alias of `agency` would take a word from another agency (words after «Сокращение «…»»), or None.

    An exact alias wins over every looser rule (`matches`), so an alias that is another agency's name,
    alias, kind code, everyday word of its kind, whole words of its name or its initials would silently
    turn that word into `agency` everywhere: the digest, the reminder letters, emergency reports (issue 27).
    The agency's own words are its own to alias.
    """
    key = fold(alias)
    if sum(ch.isalpha() for ch in key) < ALIAS_LETTERS:
        return TOO_SHORT
    words = _WORD.findall(key)
    for e in entries:
        if e.id == agency.id:
            continue
        how = ("его название" if fold(e.name) == key else
               "его сокращение" if key in (fold(a) for a in e.aliases) else _loosely(key, words, e))
        if how:
            return f"уже называет «{e.name}» ({how})"
    kind = _kind_word(key)
    if kind and kind != agency.kind:
        return f"— слово вида органа «{KIND_LABELS.get(kind, kind)}», а «{agency.name}» другого вида"
    return None


def bad_aliases(entries: Sequence[Entry]) -> dict[tuple[int, str], str]:
    """The existing aliases that take a word from another agency (an older registry let them in): why, each.

    Judged without the aliases themselves: an alias always wins its own word, the question is whose it was."""
    bare = [Entry(e.id, e.name, e.kind, e.active) for e in entries]
    found = {}
    for e in entries:
        for alias in e.aliases:
            why = takes_from(alias, e, bare)
            if why is not None:
                found[(e.id, alias)] = why
    return found


def remove_alias(session: Any, reg: Any, alias: str) -> tuple[str, str]:
    """Remove the commission's alias; (alias as typed when added, agency name)."""
    from sqlmodel import select

    from sopcli.models import Agency, AgencyAlias
    from sopcli.services.trust import audit

    row = session.exec(select(AgencyAlias).where(AgencyAlias.alias_key == fold(alias))).first()
    if row is None:
        raise InvalidInput(f"Сокращения {_quote(alias)} нет. Список: sopcli agency alias list.")
    agency = session.get(Agency, row.agency_id)
    name = agency.name if agency is not None else ""
    audit.record(session, reg, "delete", "agency_alias", row.id, alias=row.alias, agency=name)
    session.delete(row)
    return row.alias, name


# -- shell completion -------------------------------------------------------------------------------------------
def complete_agency(incomplete: str) -> list[str]:
    """Names and aliases starting with, then containing, the typed text; [] when there is no registry.

    Called by the shell on every Tab: plain DB-API, and never an error (a traceback in the middle of
    the command line helps nobody), so any failure to read is an empty list.
    """
    try:
        from sopcli.services.reading.db import open_reader
        from sopcli.services.unit_of_work import state

        with open_reader(state.get("db"), state.get("commission")) as r:
            entries = read(r)
    except Exception:  # noqa: BLE001 — no registry, no schema, a locked file: nothing to offer
        return []
    key = fold(incomplete)
    kinds = {e.kind for e in entries if e.active}
    # «опека», «полиция», «школа»: the kind's word and its first everyday name, as `--who` understands them
    everyday = [w for kind in COMMON_NAMES if kind in kinds for w in (KIND_LABELS[kind], COMMON_NAMES[kind][0])]
    words = list(dict.fromkeys([*(w for e in entries for w in (e.name, *e.aliases)), *everyday]))
    first = [w for w in words if fold(w).startswith(key)]
    return first + [w for w in words if key in fold(w) and w not in first]


# -- the directory's own entries (`agency add`) ------------------------------------------------------------------
AGENCY_NAME_LIMIT = 300


def new_agency_name(typed: str) -> str:
    """A new agency's name with its spaces collapsed; refused before the registry is opened when empty or too long."""
    name = " ".join(typed.split())
    if not name or len(name) > AGENCY_NAME_LIMIT:
        raise InvalidInput(f"Название органа: от 1 до {AGENCY_NAME_LIMIT} знаков.")
    return name


def add_agency(session: Any, reg: Any, name: str, kind: str) -> Any:
    """Add an agency to the directory (audited); refused when its name, as names are compared, is already an
    agency's, or is the commission's alias of another: one word must name one agency."""
    from sqlmodel import select

    from sopcli.models import Agency, AgencyAlias
    from sopcli.services.directory.names import name_key
    from sopcli.services.trust import audit

    for existing in session.exec(select(Agency.name)):
        if name_key(existing) == name_key(name):
            raise InvalidInput(f"Орган «{existing}» уже есть в справочнике.")
    if session.exec(select(AgencyAlias.id).where(AgencyAlias.alias_key == fold(name))).first() is not None:
        raise InvalidInput(f"«{name}» — уже сокращение другого органа: sopcli agency alias list.")
    row = Agency(name=name, kind=kind_code(kind))
    session.add(row)
    session.flush()
    audit.record(session, reg, "create", "agency", row.id, name=name)
    return row
