"""The deadline engine: calendar, terms, rulebook, explanations.

A functional core (STYLE.md §1): no database, no terminal, no clock — "now" and
the calendar are arguments. Nothing here imports the rest of sopcli.

The names below are loaded on first use (PEP 562), so a command that needs
only the error classes does not pay for the rulebook and the calendar.
"""

from importlib import import_module
from typing import Any

_EXPORTS = {
    "DayInfo": "calendar", "DayMark": "calendar", "FederalData": "calendar", "WorkCalendar": "calendar",
    "Due": "compute", "add_months": "compute", "compute_due": "compute",
    "parse_date": "dates", "parse_moment": "dates",
    "DomainError": "errors", "InvalidInput": "errors", "RulebookError": "errors",
    "Rule": "rulebook", "Rulebook": "rulebook", "load_rulebook": "rulebook", "parse_rulebook": "rulebook",
    "read_citation": "phrases",
    "Kind": "terms", "Term": "terms", "parse_term": "terms",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'sopcli.deadlines' has no attribute {name!r}")
    return getattr(import_module(f"sopcli.deadlines.{module}"), name)
