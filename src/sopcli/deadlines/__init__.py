"""The deadline engine: calendar, terms, rulebook, explanations.

A functional core (STYLE.md §1): no database, no terminal, no clock — "now" and
the calendar are arguments. Nothing here imports the rest of sopcli.
"""

from sopcli.deadlines.calendar import DayInfo, DayMark, FederalData, WorkCalendar
from sopcli.deadlines.compute import Due, add_months, compute_due
from sopcli.deadlines.dates import parse_date, parse_moment
from sopcli.deadlines.errors import DomainError, InvalidInput, RulebookError
from sopcli.deadlines.rulebook import Rule, Rulebook, load_rulebook, parse_rulebook
from sopcli.deadlines.terms import Kind, Term, parse_term

__all__ = [
    "DayInfo", "DayMark", "DomainError", "Due", "FederalData", "InvalidInput", "Kind", "Rule",
    "Rulebook", "RulebookError", "Term", "WorkCalendar", "add_months", "compute_due",
    "load_rulebook", "parse_date", "parse_moment", "parse_rulebook", "parse_term",
]
