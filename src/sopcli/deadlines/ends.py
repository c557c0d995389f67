"""When a term has run out, in one place: the digest's overdue, the scorecard's late, `explain`'s lateness.

ГК РФ ст. 194: a term in days ends at 24:00 of its last day, in the registry's
zone; an immediate term keeps its moment (`due_at`) and ends there. Every
reader of an obligation asks the same two questions — when does it end, and
was a given moment past it — so they are answered here, once, from the stored
`due` and `due_at`; the reads, the export and the explanation only call them.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo


def term_end(due: date, due_at: datetime | None, tz: tzinfo) -> datetime:
    """The moment the term runs out: the kept moment, or 24:00 of the due day in `tz` (art. 194)."""
    if due_at is not None:
        return due_at
    return datetime.combine(due + timedelta(days=1), time(0), tzinfo=tz)


def past_term(due: date, due_at: datetime | None, tz: tzinfo, moment: datetime) -> bool:
    """`moment` came after the term: past the kept moment, else on a later day than the due day.

    A date-only term is judged by the day, so a fulfilment at 23:59 of the due day is on
    time; an immediate notice is judged by the hour, so one hours late is late though it
    is 0 working days late.
    """
    if due_at is not None:
        return moment > due_at
    return moment.astimezone(tz).date() > due
