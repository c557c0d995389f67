"""What every step shares: the result it returns, the free-text limit, the date guard, finding the record.

They live apart from the steps themselves so that a step module imports its siblings' helpers, not a step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session

from sopcli.deadlines.dates import fmt_date
from sopcli.errors import InvalidInput
from sopcli.models import Case, Obligation, Signal
from sopcli.services.directory.intake import Known
from sopcli.services.registry import Registry, get_or_not_found
from sopcli.services.steps import obligations

TEXT_LIMIT = 10_000  # free text: a page of notes, not a pasted file


@dataclass
class StepResult:
    entity: object
    opened: list[Obligation] = field(default_factory=list)
    fulfilled: list[Obligation] = field(default_factory=list)
    cancelled: list[Obligation] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # what the secretary should know, though nothing is refused
    named: list[tuple[str, str]] = field(default_factory=list)  # (agencies.ROLES code, agency) a typed word meant
    known: list[Known] = field(default_factory=list)  # intake: the same people already in the registry

    def add(self, done: obligations.Emitted) -> StepResult:
        self.opened += done.opened
        self.fulfilled += done.fulfilled
        self.cancelled += done.cancelled
        self.warnings += [w for w in done.unbound if w not in self.warnings]
        return self


def not_future(moment: date | datetime, now: datetime, what: str, reg: Registry) -> None:
    day = moment.astimezone(reg.tz).date() if isinstance(moment, datetime) else moment
    if (isinstance(moment, datetime) and moment > now) or day > now.astimezone(reg.tz).date():
        # the moment when the time is what lies ahead (a call at 18:00 typed at 10:00 today), else the day
        shown = (f"{fmt_date(day)} {moment.astimezone(reg.tz):%H:%M}" if isinstance(moment, datetime)
                 and day == now.astimezone(reg.tz).date() else fmt_date(day))
        raise InvalidInput(f"{what} в будущем: {shown} (сейчас {now.astimezone(reg.tz):%d.%m.%Y %H:%M}).")


def get_signal(session: Session, signal_id: int) -> Signal:
    return get_or_not_found(session, Signal, signal_id, f"Сигнала №{signal_id} нет в журнале.")


def get_case(session: Session, case_id: int) -> Case:
    return get_or_not_found(session, Case, case_id, f"Дела №{case_id} нет в реестре.")
