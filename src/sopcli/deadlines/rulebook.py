"""The rulebook as data: loaded once from `rulebook.toml`, validated at load.

Adding a region's rule is adding a row to the TOML file, not code (STYLE.md §2).
Validation names the rule that is wrong, so a typo in the data never becomes a
silently wrong due date.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from sopcli.deadlines.errors import DomainError, InvalidInput, RulebookError
from sopcli.deadlines.terms import Kind, Term, parse_term

if TYPE_CHECKING:  # the arithmetic and the citations' reader are imported where used: the digest's question of
    # which rules no step fulfils (`by_hand_rules`) is answered without them
    from sopcli.deadlines.calendar import WorkCalendar
    from sopcli.deadlines.compute import Due

SECTIONS = {
    "signal": "Сигнал и проверка",
    "work": "Признание, программа, работа",
    "movement": "Переезд и освобождение",
    "closure": "Прекращение работы",
    "emergency": "Экстренные меры (004 §7)",
    "school": "Учёт в школе (003)",
    "regional": "Межведомственный комплекс мер (002)",
}
_FIELDS = {"id", "section", "trigger", "title", "who", "to", "term", "written", "written_kind",
           "source", "sets", "replaces", "opens", "fulfils", "standing", "each", "cancels", "ends_by",
           "on_request"}
_SET_FIELDS = {"id", "title", "extends"}
STANDING = {"month", "quarter", "year"}  # rules the calendar opens, once per period, not a registry step
DEFAULT_SET = "federal"  # 001 applies in every region; a region's order adds to it


@dataclass(frozen=True)
class RuleSet:
    id: str
    title: str
    extends: tuple[str, ...] = ()
    own: bool = False  # declared by a region's own file, not by the package


@dataclass(frozen=True)
class Document:
    """A regulation the rules cite, named as papers name it: a rule's `source` «004 §5.5» prints as «п. 5.5
    Порядка …» (the genitive after a clause), the title alone where no clause is cited."""

    id: str
    title: str  # nominative: «Порядок межведомственного взаимодействия …»
    genitive: str  # after a clause: «п. 5.5 Порядка межведомственного взаимодействия …»
    short: str = ""  # a table's column: «Порядка (Республика Марий Эл)»; the genitive when not given


@dataclass(frozen=True)
class Rule:
    id: str
    section: str
    trigger: str
    title: str
    who: str
    to: str
    term: Term
    source: str
    sets: tuple[str, ...]
    written: str = ""
    replaces: tuple[str, ...] = ()
    opens: tuple[str, ...] = ()  # the events that open it
    standing: str = ""  # "month" | "quarter" | "year": opened for each period from its first day
    each: str = ""  # "agency": a standing rule opened once per agency of the directory (004 §5.6 "с каждым")
    fulfils: tuple[str, ...] = ()  # the events that fulfil it
    line: int = 0  # where the rule starts in its file, for a refusal that names the line
    cancels: tuple[str, ...] = ()  # the events that take its reason away: its open term is cancelled, with why
    # the events it must come before (004 §4.7: the consent before the programme): one that happens while the term
    # is open ends it that day, so a duty done after the step it was to precede is late, not «в срок»
    ends_by: tuple[str, ...] = ()
    # opened by a person's decision only («при необходимости», «по запросу»): `deadlines open RULE`, never a step
    on_request: bool = False

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id, "section": self.section, "trigger": self.trigger, "title": self.title,
            "who": self.who, "to": self.to, "term": self.term.code, "term_label": self.term.label,
            "written": self.written, "source": self.source, "sets": list(self.sets),
            "replaces": list(self.replaces), "opens": list(self.opens), "fulfils": list(self.fulfils),
            "cancels": list(self.cancels), "ends_by": list(self.ends_by), "on_request": self.on_request,
            "standing": self.standing or None, "closed_by": self.closed_by(),
        }

    def opened_by(self, titles: dict[str, str] | None = None) -> str:
        """What opens an obligation of this rule, in the secretary's words: the steps' events, the calendar's
        periods, or a person's decision typed as a command (issue 29 §5)."""
        from sopcli.deadlines.events import event_of

        if self.on_request:
            return f"решение человека: sopcli deadlines open {self.id}"
        periods = {"month": "каждый месяц", "quarter": "каждый квартал", "year": "каждый год"}
        named = titles or {}
        return "; ".join(event_of(e, named.get(e.split(":", 1)[-1], "")).label for e in self.opens) or periods.get(
            self.standing, "")

    def closed_by(self) -> str:
        """How an obligation of this rule is closed: the commands whose step does it, else a person's mark on
        the owner's word (a letter, a call, an act): issue 28, no term sits overdue for want of a way to close it."""
        from sopcli.deadlines.events import event_of

        if self.fulfils:
            return "; ".join(dict.fromkeys(f"sopcli {event_of(e).step}" for e in self.fulfils))
        return BY_HAND


#: A rule no step fulfils: closed by the secretary's mark, on the owner's word.
BY_HAND = "отметкой секретаря по письму, звонку или акту исполнителя: sopcli deadlines done НОМЕР --date ДАТА"


class Rulebook:
    def __init__(self, rules: list[Rule], sets: list[RuleSet], documents: dict[str, Document] | None = None) -> None:
        self.rules = rules
        self.documents = documents or {}
        self.sets = {s.id: s for s in sets}
        self._by_id = {r.id: r for r in rules}
        self._for_set: dict[str, list[Rule]] = {}
        self._fulfilled: dict[str, tuple[str, ...]] = {}
        self._cancelled: dict[str, tuple[str, ...]] = {}
        self._ended: dict[str, tuple[str, ...]] = {}
        self._heard = {e for r in rules for e in (*r.opens, *r.fulfils, *r.cancels, *r.ends_by)}
        for r in rules:
            for event in r.fulfils:
                self._fulfilled[event] = (*self._fulfilled.get(event, ()), r.id)
            for event in r.cancels:
                self._cancelled[event] = (*self._cancelled.get(event, ()), r.id)
            for event in r.ends_by:
                self._ended[event] = (*self._ended.get(event, ()), r.id)

    def find(self, rule_id: str) -> Rule | None:
        return self._by_id.get(rule_id)

    def get(self, rule_id: str) -> Rule:
        rule = self._by_id.get(rule_id)
        if rule is None:
            import difflib

            close = difflib.get_close_matches(rule_id, self._by_id, n=3)
            hint = f" Возможно: {', '.join(close)}." if close else ""
            raise InvalidInput(f"Нет правила «{rule_id}» в своде сроков.{hint}")
        return rule

    def lineage(self, name: str) -> list[str]:
        """The set and every set it extends, nearest first."""
        order: list[str] = []
        stack = [name]
        while stack:
            current = stack.pop(0)
            if current not in order:
                order.append(current)
                stack.extend(self.sets[current].extends)
        return order

    def check_set(self, name: str) -> str:
        if name not in self.sets:
            raise InvalidInput(f"Неизвестный набор правил «{name[:40]}»: допустимы {', '.join(self.sets)}.")
        return name

    def for_set(self, name: str) -> list[Rule]:
        """The rules a registry on rule set `name` applies: its own and its ancestors', "004 over 001" resolved."""
        cached = self._for_set.get(name)
        if cached is None:
            lineage = set(self.lineage(self.check_set(name)))
            chosen = [r for r in self.rules if lineage & set(r.sets)]
            replaced = {old for r in chosen for old in r.replaces}
            cached = self._for_set[name] = [r for r in chosen if r.id not in replaced]
        return cached

    def for_event(self, rule_set: str, event: str) -> list[Rule]:
        """The rules of `rule_set` that a registry step's `event` opens."""
        return [r for r in self.for_set(rule_set) if event in r.opens]

    def fulfilled_by(self, event: str) -> tuple[str, ...]:
        """Every rule `event` fulfils, in any set: an obligation opened under a set left since is still done."""
        return self._fulfilled.get(event, ())

    def cancelled_by(self, event: str) -> tuple[str, ...]:
        """Every rule whose reason `event` takes away (a check that found nothing): cancelled, never left open."""
        return self._cancelled.get(event, ())

    def listens(self, event: str) -> bool:
        """Whether any rule of any set opens, fulfils, cancels or ends on `event` (a `done:RULE` is emitted only
        then: a fulfilment nobody counts from costs no query)."""
        return event in self._heard

    def ended_by(self, event: str) -> tuple[str, ...]:
        """Every rule whose duty must come before `event`: an open term of one ends on the event's day."""
        return self._ended.get(event, ())

    def due(self, cal: WorkCalendar, rule: Rule, start: date | datetime, tz: tzinfo) -> Due:
        """Compute a rule's due date; a rule "with" another takes that rule's term."""
        from sopcli.deadlines.compute import compute_due

        term = rule.term
        if term.kind is Kind.WITH:
            term = self.get(term.ref).term
        return compute_due(cal, start, term, tz)


def _fail(where: str, message: str) -> RulebookError:
    return RulebookError(f"{where}: {message}")


def _rule(raw: dict, where: str, line: int, sets: dict[str, RuleSet], cited: bool = False) -> Rule:
    """One [[rule]] table, checked field by field; `where` names the file and the line."""
    _check_fields(raw, where)
    _check_texts(raw, where)
    rid = raw["id"]
    term = _term(raw, rid, where, cited)
    rule_sets = _rule_sets(raw, rid, sets, where)
    if raw["section"] not in SECTIONS:
        raise _fail(where, f"правило {rid}: неизвестный раздел «{raw['section']}»; есть {', '.join(SECTIONS)}.")
    opens, fulfils = _events(raw, rid, "opens", where), _events(raw, rid, "fulfils", where)
    on_request = _on_request(raw, rid, opens, where)
    standing, each = _standing(raw, rid, bool(opens) or on_request, where)
    return Rule(rid, raw["section"], raw.get("trigger", ""), raw["title"], raw["who"], raw["to"],
                term, raw["source"], rule_sets, raw.get("written", ""), tuple(raw.get("replaces", ())), opens,
                standing, each, fulfils, line, _events(raw, rid, "cancels", where),
                _events(raw, rid, "ends_by", where), on_request)


def _check_fields(raw: dict, where: str) -> None:
    """Every field known and the required ones there: a misspelt field is refused, not ignored."""
    unknown = set(raw) - _FIELDS
    missing = {"id", "section", "title", "who", "to", "term", "source", "sets"} - set(raw)
    if unknown or missing:
        parts = ([f"лишние поля {', '.join(sorted(unknown))}"] if unknown else []) + (
            [f"нет полей {', '.join(sorted(missing))}"] if missing else [])
        raise _fail(where, "; ".join(parts) + ".")


# the registry's columns a rule's texts are copied into (obligation.rule, who, source; migration 0001): a longer
# text is stored by SQLite and refused by PostgreSQL at the first step that opens the rule, so it is refused here
TEXT_LIMITS = {"id": 40, "who": 300, "source": 100, "title": 500, "to": 300, "section": 40, "trigger": 300,
               "term": 40, "written": 1000, "written_kind": 40, "standing": 40, "each": 40}


def _check_texts(raw: dict, where: str) -> None:
    """Each text field a string that both engines store: a number for a title or 400 letters of `who` refused."""
    for name, limit in TEXT_LIMITS.items():
        if name not in raw:
            continue
        if not isinstance(raw[name], str):
            raise _fail(where, f"поле {name} должно быть строкой в кавычках.")
        if len(raw[name]) > limit:
            raise _fail(where, f"поле {name} длиннее {limit} знаков.")


def _term(raw: dict, rid: str, where: str, cited: bool) -> Term:
    """The typed term, and the quoted phrase of the source read as the same term (unless cited elsewhere)."""
    try:
        term = parse_term(raw["term"])
    except DomainError as err:
        raise _fail(where, f"правило {rid}: неверный срок «{raw['term']}»: {err.message}") from None
    written = raw.get("written", "")
    if written and not cited and term.kind is Kind.OWN:
        _check_own(rid, written, where)
    elif written and not cited:
        _check_written(rid, written, raw.get("written_kind", term.kind.value), term, where)
    return term


def _rule_sets(raw: dict, rid: str, sets: dict[str, RuleSet], where: str) -> tuple[str, ...]:
    rule_sets = tuple(raw["sets"])
    bad = [s for s in rule_sets if s not in sets]
    if bad or not rule_sets:
        raise _fail(where, f"правило {rid}: неизвестные наборы правил {', '.join(bad) or '(пусто)'}; "
                           f"есть {', '.join(sets)}.")
    return rule_sets


def _events(raw: dict, rid: str, what: str, where: str) -> tuple[str, ...]:
    """`opens` or `fulfils`: each event must be one a registry step emits (events.py), or the rule never fires."""
    from sopcli.deadlines.events import DONE, EVENTS

    events = tuple(raw.get(what, ()))
    # `done:RULE`: another term's fulfilment (events.py); the rule it names is checked when the book is whole
    strange = [e for e in events if e not in EVENTS and not (e.startswith(DONE) and len(e) > len(DONE))]
    if strange:
        raise _fail(where, f"правило {rid}: {what} — событие «{strange[0]}» не порождает ни один шаг"
                           f"{_event_hint(strange[0])}.")
    return events


TYPO = 0.85  # difflib's ratio of a typo (check.critcal, signal.registred); check.high ~ check.sop is 0.63


def _event_hint(code: str) -> str:
    """What to write instead of an unknown event: a typo's event of the same subject, else that subject's events,
    else where the list is. Never an event of another subject or meaning: `ais.registered` is not a signal's
    registration, `check.high` not `check.sop` (issue 29 §7), and a wrong anchor is a wrong date."""
    from sopcli.deadlines.events import EVENTS

    subject = code.split(".", 1)[0] if "." in code else ""
    same = [e for e in EVENTS if subject and e.startswith(f"{subject}.")]
    import difflib

    close = difflib.get_close_matches(code, same, n=1, cutoff=TYPO)
    if close:
        return f" (возможно, {close[0]})"
    if same:
        return f"; события «{subject}.…»: {', '.join(same)} (с шагами: sopcli rules events)"
    if subject:
        return f"; событий вида «{subject}.…» нет ни у одного шага — список событий: sopcli rules events"
    return "; список событий: sopcli rules events"


#: Words of a quote that make a term a person's decision, not every event's: such a rule is `on_request`.
_DECIDED = re.compile(r"\bпри необходимости\b|\bв случае необходимости\b|\bпо запросу\b|\bпо требованию\b",
                      re.I)


def _on_request(raw: dict, rid: str, opens: tuple[str, ...], where: str) -> bool:
    """A rule a person's decision opens (issue 29 §5): no step's event, no calendar — `deadlines open` names it.

    A quote that says «при необходимости» or «по запросу» hung on a step's event would open the term for every
    signal: refused, with the field that says it."""
    on_request = raw.get("on_request", False)
    if not isinstance(on_request, bool):
        raise _fail(where, f"правило {rid}: on_request — true или false.")
    decided = _DECIDED.search(raw.get("written", "").replace("ё", "е"))
    if on_request and (opens or raw.get("standing")):
        raise _fail(where, f"правило {rid}: on_request = true — срок открывает только решение "
                           "(sopcli deadlines open), уберите opens и standing.")
    if decided and not on_request:
        raise _fail(where, f"правило {rid}: в формулировке «{decided[0]}» — срок открывает решение человека, "
                           "а не каждый шаг: укажите on_request = true вместо opens.")
    return on_request


def _standing(raw: dict, rid: str, opened: bool, where: str) -> tuple[str, str]:
    """(standing, each): a rule is opened by a step (or a decision, `opened`) or by the calendar's periods, per
    agency only then."""
    standing = raw.get("standing", "")
    if standing and standing not in STANDING:
        raise _fail(where, f"правило {rid}: standing = «{standing}», а допустимы {', '.join(sorted(STANDING))}.")
    if not opened and not standing:
        raise _fail(where, f"правило {rid}: его не открывает ни один шаг (нет opens, standing и on_request).")
    each = raw.get("each", "")
    if each not in ("", "agency") or (each and not standing):
        raise _fail(where, f"правило {rid}: each = «{each}» — допустимо только «agency» и только с standing.")
    return standing, each


def _check_own(rid: str, written: str, where: str) -> None:
    """A term set elsewhere (the measure's date, the request's): its quote must name no term of its own."""
    from sopcli.deadlines.phrases import read_citation

    try:
        read = read_citation(written)
    except DomainError:
        return  # no term in the quote: as a term set by the measure or the request should read
    raise _fail(where, f"правило {rid}: формулировка «{written}» читается как {read.code}, а указан срок own "
                       "(срок устанавливает мероприятие или запрос).")


def _check_written(rid: str, written: str, expected_kind: str, term: Term, where: str) -> None:
    """The quoted phrase of the source must read as the rule's term: the data cannot drift from its citation."""
    from sopcli.deadlines.phrases import read_citation

    try:
        read = read_citation(written)  # a quote from the source: the words around the term name the event
    except DomainError as err:
        raise _fail(where, f"правило {rid}: формулировка «{written}» не читается как срок: {err.message}") from None
    # `written_kind` lets a quote say the count in other words ("по истечении 6-ти месяцев" for every:6m), never
    # another day: a fixed day of the period is compared too
    same_count = read.n == term.n and (read.day, read.month) == (term.day, term.month)
    if not (read == term or (read.kind.value == expected_kind and same_count)):
        raise _fail(where, f"правило {rid}: формулировка «{written}» читается как {read.code}, "
                           f"а указан срок {term.code}.")


def _check_anchor(rule: Rule, by_id: dict[str, Rule], where: str) -> None:
    """A «before» term counts back from its event's date: only an event dated ahead (events.py `ahead`) has room
    for it. Counted back from a signal's registration, `-10wd` would fall due two weeks before the signal."""
    from sopcli.deadlines.events import EVENTS, event_of

    term, like = rule.term, ""
    if term.kind is Kind.WITH and term.ref in by_id:
        term, like = by_id[term.ref].term, f" (как у правила {term.ref})"
    if term.kind is not Kind.BEFORE:
        return
    said = f"правило {rule.id}: срок «{term.label}»{like} считается назад от даты события"
    if rule.standing:
        raise _fail(where, f"{said}, а правило открывает календарь (standing = «{rule.standing}»): даты впереди, "
                           "от которой считать назад, у него нет.")
    if rule.on_request:
        raise _fail(where, f"{said}, а правило открывает решение (on_request): его дата — сегодняшняя или прошлая, "
                           "срок пришёлся бы до самого решения.")
    behind = [event_of(e) for e in rule.opens if not event_of(e).ahead]
    if behind:
        ahead = ", ".join(e.code for e in EVENTS.values() if e.ahead)
        raise _fail(where, f"{said}, а «{behind[0].label}» ({behind[0].code}) наступает сейчас, а не в будущем — "
                           f"срок пришёлся бы до самого события; назад считают только от даты впереди: {ahead}.")


def _lines(text: str, header: str) -> list[int]:
    """The line of each `[[header]]` table in order: tomllib keeps no positions."""
    return [i for i, row in enumerate(text.splitlines(), 1) if row.strip() == f"[[{header}]]"]


def _sets(data: dict, text: str, where: str, base: dict[str, RuleSet], own: bool) -> dict[str, RuleSet]:
    sets = dict(base)
    lines = _lines(text, "set")
    for i, raw in enumerate(data.get("set", [])):
        here = f"{where}, строка {lines[i] if i < len(lines) else '?'}"
        unknown = set(raw) - _SET_FIELDS
        if unknown or "id" not in raw or "title" not in raw:
            raise _fail(here, f"набор правил: поля id, title, extends; лишние: {', '.join(sorted(unknown)) or '—'}.")
        if not all(isinstance(raw[k], str) and 0 < len(raw[k]) <= 300 for k in ("id", "title")):
            raise _fail(here, "набор правил: id и title — строки в кавычках, до 300 знаков.")
        sid = raw["id"]
        if sid in sets:
            raise _fail(here, f"набор правил «{sid}» уже есть.")
        extends = tuple(raw.get("extends", ()))
        missing = [e for e in extends if e not in sets]
        if missing:
            raise _fail(here, f"набор «{sid}» расширяет неизвестный набор «{missing[0]}»; есть {', '.join(sets)}.")
        sets[sid] = RuleSet(sid, raw["title"], extends, own)
    return sets


# -- a region's file is hostile input (issue 27): what it may carry before tomllib reads it and after ----------
# Every text of a rule is stored in the registry (PostgreSQL refuses NUL in text), printed on one line of a
# digest and written into .ics files and letters; a bidirectional override reverses what the secretary reads.
_INVISIBLE = "\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_IN_TEXT = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_INVISIBLE}]")  # tab and newline are layout
_IN_VALUE = re.compile(f"[\x00-\x1f\x7f-\x9f{_INVISIBLE}]")  # a value is one line: no tab, no line break
MAX_DEPTH = 16  # arrays and inline tables within each other; a rulebook needs two
# what tomllib skips over: strings (a bracket inside one is text) and comments
_SKIP = re.compile(r'"""(?:\\.|[^\\])*?"""|\'\'\'.*?\'\'\'|"(?:\\.|[^"\\\n])*"|\'[^\'\n]*\'|#[^\n]*|[\[\]{}]', re.S)


def _screen_text(text: str, where: str) -> None:
    """Control and invisible characters refused with their line; CR only as a CRLF line end."""
    for n, row in enumerate(text.split("\n"), 1):
        found = _IN_TEXT.search(row[:-1] if row.endswith("\r") else row)
        if found:
            raise RulebookError(f"{where}, строка {n}: управляющий или невидимый знак U+{ord(found[0]):04X} "
                                f"(знак {found.start() + 1}) — уберите его.")


def _screen_depth(text: str, where: str) -> None:
    """Nesting bounded before tomllib recurses into it (100,000 `[` would end in RecursionError)."""
    depth = 0
    for m in _SKIP.finditer(text):
        token = m[0]
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line = text.count("\n", 0, m.start()) + 1
                raise RulebookError(f"{where}, строка {line}: вложенность списков и таблиц глубже {MAX_DEPTH} — "
                                    "это не свод правил.")
        elif token in "]}":
            depth = max(depth - 1, 0)


def _strings(value: object, path: tuple[object, ...] = ()) -> Iterator[tuple[tuple[object, ...], str]]:
    """Every key and every string of the parsed file, with where it is (keys and indices)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield (*path, key), key
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, (*path, i))


def _value_line(text: str, path: tuple[object, ...]) -> int | str:
    """The line of a value: its field's line inside its [[rule]] or [[set]], else the table's, else "?"."""
    if len(path) < 2 or path[0] not in ("rule", "set") or not isinstance(path[1], int):
        return "?"
    starts = _lines(text, str(path[0]))
    if path[1] >= len(starts):
        return "?"
    rows = text.splitlines()
    start = starts[path[1]]
    if len(path) > 2 and isinstance(path[2], str):
        field = re.compile(rf"\s*[\"']?{re.escape(path[2])}[\"']?\s*=")
        for n in range(start, len(rows)):  # rows[start] is the line after the header
            if rows[n].lstrip().startswith("["):
                break
            if field.match(rows[n]):
                return n + 1
    return start


def _screen_values(data: dict, text: str, where: str) -> None:
    """A value that escapes (\\u0000, \\u202E, \\r\\n) what `_screen_text` refuses in the text: refused by its line."""
    for path, value in _strings(data):
        found = _IN_VALUE.search(value)
        if found:
            field = next((str(p) for p in reversed(path) if isinstance(p, str)), "?")
            raise RulebookError(f"{where}, строка {_value_line(text, path)}: поле {field[:40]} — управляющий или "
                                f"невидимый знак U+{ord(found[0]):04X} — уберите его.")


def parse_rulebook(text: str, where: str = "rulebook.toml", base: Rulebook | None = None) -> Rulebook:
    """A rulebook from TOML; with `base`, a region's own file that adds sets and rules to the packaged book.

    The text is screened first (control characters, nesting), then its values after parsing."""
    _screen_text(text, where)
    _screen_depth(text, where)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise RulebookError(f"{where}: не TOML ({err}).") from None
    except RecursionError:  # nesting the scan above missed (a quote it read otherwise than tomllib)
        raise RulebookError(f"{where}: вложенность списков и таблиц слишком глубока — это не свод правил.") from None
    _screen_values(data, text, where)
    return _build(data, text, where, base, cited=False)


def _build(data: dict, text: str, where: str, base: Rulebook | None, cited: bool) -> Rulebook:
    """`cited`: the quotes of this very text were read before (the cache below), so they are not read again."""
    stray = set(data) - {"set", "rule", "document"}
    if stray:
        raise RulebookError(f"{where}: неизвестные разделы {', '.join(sorted(stray))}; есть [[set]], [[rule]] "
                            "и [[document]].")
    documents = _documents(data, text, where, base.documents if base else {})
    sets = _sets(data, text, where, base.sets if base else {}, own=base is not None)
    rules = _rules(data, text, where, base, sets, cited)
    _check_refs(rules, where)
    by_id = {r.id: r for r in rules}
    for r in rules[len(base.rules) if base else 0:]:
        _check_anchor(r, by_id, f"{where}, строка {r.line}")
    if base is not None and not any(s.own for s in sets.values()):
        raise RulebookError(f"{where}: нет своего набора правил: добавьте [[set]] с id и extends = [\"federal\"].")
    return Rulebook(rules, list(sets.values()), documents)


def _rules(data: dict, text: str, where: str, base: Rulebook | None, sets: dict[str, RuleSet],
           cited: bool) -> list[Rule]:
    """The base's rules, then this text's [[rule]] tables, each read by its line; an id said twice refused."""
    lines = _lines(text, "rule")
    rules = list(base.rules) if base else []
    seen = {r.id for r in rules}
    for i, raw in enumerate(data.get("rule", [])):
        line = lines[i] if i < len(lines) else 0
        rule = _rule(raw, f"{where}, строка {line}", line, sets, cited)
        if rule.id in seen:
            raise RulebookError(f"{where}, строка {line}: правило {rule.id} уже есть в своде.")
        seen.add(rule.id)
        rules.append(rule)
    return rules


def _check_refs(rules: list[Rule], where: str) -> None:
    """Every rule a rule names (replaces, `with:`, `done:`) is in the book."""
    from sopcli.deadlines.events import DONE

    seen = {r.id for r in rules}
    for r in rules:
        refs = [*r.replaces, *([r.term.ref] if r.term.kind is Kind.WITH else []),
                *(e.removeprefix(DONE) for e in (*r.opens, *r.fulfils, *r.cancels, *r.ends_by) if e.startswith(DONE))]
        for ref in refs:
            if ref not in seen:
                raise RulebookError(f"{where}, строка {r.line}: правило {r.id} ссылается на неизвестное правило "
                                    f"{ref}.")


_DOCUMENT_FIELDS = {"id", "title", "genitive", "short"}


def _documents(data: dict, text: str, where: str, base: dict[str, Document]) -> dict[str, Document]:
    """The [[document]] tables: the regulations' names the papers cite (a region's file may add its own)."""
    documents = dict(base)
    lines = _lines(text, "document")
    for i, raw in enumerate(data.get("document", [])):
        here = f"{where}, строка {lines[i] if i < len(lines) else '?'}"
        if not isinstance(raw, dict) or set(raw) - _DOCUMENT_FIELDS or not {"id", "title", "genitive"} <= set(raw):
            raise _fail(here, "документ: поля id, title, genitive и (по желанию) short.")
        if not all(isinstance(v, str) and 0 < len(v) <= 500 for v in raw.values()) or len(raw["id"]) > 60:
            raise _fail(here, "документ: id (до 60 знаков), title, genitive, short — строки в кавычках, до 500 знаков.")
        if raw["id"] in documents:
            raise _fail(here, f"документ «{raw['id']}» уже есть.")
        documents[raw["id"]] = Document(raw["id"], raw["title"], raw["genitive"], raw.get("short", ""))
    return documents


def _packaged_text() -> str:
    return resources.files("sopcli.deadlines").joinpath("rulebook.toml").read_text("utf-8")


def set_names() -> list[str]:
    """The packaged sets' ids, read without parsing the rules: `--help` must stay fast (a test checks it agrees)."""
    import re

    blocks = re.findall(r"^\[\[set\]\]\s*\nid = \"([^\"]+)\"", _packaged_text(), re.M)
    return blocks


@lru_cache(maxsize=1)
def load_rulebook() -> Rulebook:
    """The packaged rulebook, parsed once per process; validated in full once per installed text.

    Reading 57 quoted citations and the TOML costs tens of milliseconds, every command. The first
    load validates everything and keeps the parsed tables as JSON in the user's cache, named by the
    text's SHA-256; later loads rebuild the rules from it (ids, sets, events and terms are still
    checked) without reading the citations again. A changed file has another name: it is validated anew.
    """
    text = _packaged_text()
    cache = _cache_file(text)
    try:
        data = json.loads(cache.read_text("utf-8")) if cache is not None else None
    except (OSError, ValueError):
        data = None
    if isinstance(data, dict):
        try:
            return _build(data, text, "rulebook.toml", None, cited=True)
        except (RulebookError, KeyError, TypeError, AttributeError):
            pass  # a damaged cache is rebuilt from the text below
    book = parse_rulebook(text)
    if cache is not None:
        _keep(cache, json.dumps(tomllib.loads(text), ensure_ascii=False))
    return book


def _cache_file(text: str) -> Path | None:
    try:
        from platformdirs import user_cache_dir
    except ImportError:  # pragma: no cover - a dependency of the package
        return None
    digest = hashlib.sha256(text.encode()).hexdigest()[:20]
    folder = os.environ.get("SOPCLI_CACHE_DIR") or user_cache_dir("sopcli", appauthor=False)
    return Path(folder) / f"rulebook-{digest}.json"


def _keep(path: Path, body: str) -> None:
    """Written whole or not at all (a temporary file renamed); a cache that cannot be written is not kept."""
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".rulebook-", suffix=".part")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(body)
        os.replace(tmp, path)
    except OSError:
        return


@lru_cache(maxsize=4)
def rulebook_with(own: str) -> Rulebook:
    """The packaged rulebook with a region's own file (kept in the registry's settings) added to it."""
    if not own:
        return load_rulebook()
    return parse_rulebook(own, "свод региона", base=load_rulebook())


def by_hand_rules(own: str) -> frozenset[str]:
    """The rules no step of the registry fulfils: the digest names their overdue terms as closed by hand.

    The packaged rulebook's are kept beside its cache (`rulebook-….by-hand.json`, named by the same text's
    hash): the morning digest asks this every day, and building the whole rulebook for it was a twentieth
    of the national digest's time (issue 32 §6). A region's own file is read in full, as ever."""
    cache = None if own else _cache_file(_packaged_text())
    kept = cache.with_name(f"{cache.stem}.by-hand.json") if cache is not None else None
    if kept is not None:
        try:
            found = json.loads(kept.read_text("utf-8"))
        except (OSError, ValueError):
            found = None
        if isinstance(found, list) and all(isinstance(rid, str) for rid in found):
            return frozenset(found)
    ids = frozenset(r.id for r in rulebook_with(own).rules if not r.fulfils)
    if kept is not None:
        _keep(kept, json.dumps(sorted(ids)))
    return ids


def own_set(book: Rulebook) -> str:
    """The set a region's own file declares: the one a registry on that file runs on."""
    own = [s.id for s in book.sets.values() if s.own]
    if len(own) != 1:
        raise RulebookError(f"В своём своде должен быть ровно один [[set]], а их {len(own)}.")
    return own[0]
