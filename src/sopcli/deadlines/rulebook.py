"""The rulebook as data: loaded once from `rulebook.toml`, validated at load.

Adding a region's rule is adding a row to the TOML file, not code (STYLE.md §2).
Validation names the rule that is wrong, so a typo in the data never becomes a
silently wrong due date.
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from functools import lru_cache
from importlib import resources

from sopcli.deadlines.calendar import WorkCalendar
from sopcli.deadlines.compute import Due, compute_due
from sopcli.deadlines.errors import DomainError, InvalidInput, RulebookError
from sopcli.deadlines.phrases import read_citation
from sopcli.deadlines.terms import Kind, Term, parse_term

RULE_SETS = ("federal", "mari-el", "smolensk", "school")
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
           "source", "sets", "replaces", "events", "standing", "each"}
STANDING = {"quarter", "year"}  # rules the calendar opens, once per period, not a registry step
EVENTS = {"signal.registered", "signal.phone", "signal.threat", "signal.arrival", "check.critical",
          "check.departmental", "check.sop", "case.recognized", "case.child", "case.closed", "plan.approved",
          "case.moved", "case.moved.received", "release.colony", "release.parole", "release.suvu",
          "release.suvu-early", "grads.analysis", "grads.sent", "school.account", "school.close.requested"}


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
    events: tuple[str, ...] = ()
    standing: str = ""  # "quarter" | "year": opened for each period from its first day
    each: str = ""  # "agency": a standing rule opened once per agency of the directory (004 §5.6 "с каждым")

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id, "section": self.section, "trigger": self.trigger, "title": self.title,
            "who": self.who, "to": self.to, "term": self.term.code, "term_label": self.term.label,
            "written": self.written, "source": self.source, "sets": list(self.sets),
            "replaces": list(self.replaces), "events": list(self.events), "standing": self.standing or None,
        }


class Rulebook:
    def __init__(self, rules: list[Rule]) -> None:
        self.rules = rules
        self._by_id = {r.id: r for r in rules}

    def find(self, rule_id: str) -> Rule | None:
        return self._by_id.get(rule_id)

    def get(self, rule_id: str) -> Rule:
        rule = self._by_id.get(rule_id)
        if rule is None:
            close = difflib.get_close_matches(rule_id, self._by_id, n=3)
            hint = f" Возможно: {', '.join(close)}." if close else ""
            raise InvalidInput(f"Нет правила «{rule_id}» в своде сроков.{hint}")
        return rule

    def for_set(self, name: str) -> list[Rule]:
        """The rules a registry on rule set `name` applies ("004 over 001" resolved)."""
        if name not in RULE_SETS:
            raise InvalidInput(
                f"Неизвестный набор правил «{name}»: допустимы {', '.join(RULE_SETS)}."
            )
        chosen = [r for r in self.rules if name in r.sets]
        replaced = {old for r in chosen for old in r.replaces}
        return [r for r in chosen if r.id not in replaced]

    def for_event(self, rule_set: str, event: str) -> list[Rule]:
        """The rules of `rule_set` that a registry step (`event`) opens."""
        return [r for r in self.for_set(rule_set) if event in r.events]

    def due(self, cal: WorkCalendar, rule: Rule, start: date | datetime, tz: tzinfo) -> Due:
        """Compute a rule's due date; a rule "with" another takes that rule's term."""
        term = rule.term
        if term.kind is Kind.WITH:
            term = self.get(term.ref).term
        return compute_due(cal, start, term, tz)


def _rule(raw: dict, where: str) -> Rule:
    unknown = set(raw) - _FIELDS
    missing = {"id", "section", "title", "who", "to", "term", "source", "sets"} - set(raw)
    if unknown or missing:
        raise RulebookError(f"{where}: лишние поля {sorted(unknown)}, нет полей {sorted(missing)}.")
    rid = raw["id"]
    try:
        term = parse_term(raw["term"])
    except DomainError as err:
        raise RulebookError(f"Правило {rid}: неверный срок «{raw['term']}»: {err.message}") from None
    written = raw.get("written", "")
    if written:
        try:
            read = read_citation(written)  # a quote from the source: the words around the term name the event
        except DomainError as err:
            raise RulebookError(f"Правило {rid}: формулировка «{written}» не читается как срок: "
                                f"{err.message}") from None
        expected_kind = raw.get("written_kind", term.kind.value)
        same = read == term or (read.kind.value == expected_kind and read.n == term.n)
        if not same:
            raise RulebookError(
                f"Правило {rid}: формулировка «{written}» читается как {read.code}, а указан срок {term.code}."
            )
    sets = tuple(raw["sets"])
    bad = [s for s in sets if s not in RULE_SETS]
    if bad or not sets:
        raise RulebookError(f"Правило {rid}: неизвестные наборы правил {bad or '(пусто)'}.")
    if raw["section"] not in SECTIONS:
        raise RulebookError(f"Правило {rid}: неизвестный раздел «{raw['section']}».")
    events = tuple(raw.get("events", ()))
    if set(events) - EVENTS:
        raise RulebookError(f"Правило {rid}: неизвестные события {sorted(set(events) - EVENTS)}.")
    standing = raw.get("standing", "")
    if standing and standing not in STANDING:
        raise RulebookError(f"Правило {rid}: standing = «{standing}», а допустимы {sorted(STANDING)}.")
    each = raw.get("each", "")
    if each not in ("", "agency") or (each and not standing):
        raise RulebookError(f"Правило {rid}: each = «{each}» — допустимо только «agency» и только с standing.")
    return Rule(rid, raw["section"], raw.get("trigger", ""), raw["title"], raw["who"], raw["to"],
                term, raw["source"], sets, written, tuple(raw.get("replaces", ())), events, standing, each)


def parse_rulebook(text: str, where: str = "rulebook.toml") -> Rulebook:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise RulebookError(f"{where}: не TOML ({err}).") from None
    rules = [_rule(raw, f"{where}, правило №{i + 1}") for i, raw in enumerate(data.get("rule", []))]
    seen: set[str] = set()
    for r in rules:
        if r.id in seen:
            raise RulebookError(f"Правило {r.id} встречается дважды.")
        seen.add(r.id)
    for r in rules:
        refs = [*r.replaces, *([r.term.ref] if r.term.kind is Kind.WITH else [])]
        for ref in refs:
            if ref not in seen:
                raise RulebookError(f"Правило {r.id} ссылается на неизвестное правило {ref}.")
    return Rulebook(rules)


@lru_cache(maxsize=1)
def load_rulebook() -> Rulebook:
    """The packaged rulebook, parsed once per process."""
    text = resources.files("sopcli.deadlines").joinpath("rulebook.toml").read_text("utf-8")
    return parse_rulebook(text)
