"""An obligation: one rule of the rulebook triggered for one signal, case or person.

Overdue is not stored (DEADLINES.md): it is "open and its term ran out before
now", so the digest and `--as-of` share one definition.
"""

from datetime import date, datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from sopcli.models.tenancy import commission_field


class Obligation(SQLModel, table=True):
    __table_args__ = (Index("ix_obligation_status_due", "status", "due"),
                      # 0014: `--who` and the letters read an owner's names by index, not by scanning every term
                      Index("ix_obligation_agency_who", "agency_id", "who"),
                      Index("ix_obligation_owner_who", "owner_kind", "who"))

    id: int | None = Field(default=None, primary_key=True)
    rule: str = Field(max_length=40, index=True)
    title: str
    who: str = Field(max_length=300, index=True)
    recipient: str = ""
    source: str = Field(max_length=100)
    signal_id: int | None = Field(default=None, foreign_key="signal.id", index=True)
    case_id: int | None = Field(default=None, foreign_key="sop_case.id", index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id")
    measure_id: int | None = Field(default=None, foreign_key="measure.id", index=True)
    complex_measure_id: int | None = Field(default=None, foreign_key="complex_measure.id", index=True)
    emergency_id: int | None = Field(default=None, foreign_key="emergency.id", index=True)  # 0008: its anchor
    trigger_at: datetime
    due: date
    due_at: datetime | None = None  # when the term ends at a moment (immediate)
    target: date | None = None
    status: str = Field(default="open", max_length=10)  # open | fulfilled | cancelled
    fulfilled_at: datetime | None = None
    late_wd: int | None = None  # working days late at fulfilment (001 §3.4 scorecard)
    cancel_reason: str = ""
    cancelled_at: datetime | None = None  # the step's moment: a term that ran out before it counts as missed
    # 0008: when the fulfilment or cancellation was written (`--as-of`)
    settled_at: datetime | None = Field(default=None, index=True)
    note: str = ""
    created_at: datetime
    commission: str | None = commission_field()  # 0007: filled by the database, never by the ORM
    # 0014 (issue 28): who owes it, bound when the term opened; `who` is then the owner's name as views print it
    role: str = Field(default="", max_length=300)  # the rulebook's `who`: the role the step bound
    owner_kind: str = Field(default="", max_length=12)  # agency | commission | curator | unbound
    agency_id: int | None = Field(default=None, foreign_key="agency.id")  # the agency (a curator's)
