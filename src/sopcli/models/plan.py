"""The individual programme (004 App. 4), agencies' proposals (App. 5), reports and case events.

A programme is versioned: a correction after approval is a new version and the
approved one is kept as `superseded`, so what the commission approved on a
date can always be shown as it was.
"""

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from sopcli.models.tenancy import commission_field


class Plan(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("case_id", "version", name="uq_plan_case_version"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="sop_case.id", index=True)
    version: int
    status: str = Field(default="draft", max_length=12)  # draft | approved | superseded
    goal: str = ""  # Цель социально-реабилитационной программы
    consilium: str = ""  # Заключение консилиума о ситуации в семье
    situation: str = ""  # Характеристика социально опасной ситуации
    tasks: str = ""  # Задачи программы
    potential: str = ""  # уровень реабилитационного потенциала по этапам: "initial=high,main=,final="
    reaction: str = ""  # реакция семьи по этапам, тот же вид
    patronage: str = ""  # вид патронажа
    meetings: str = ""  # заседания консилиума: одна строка на заседание
    approved_on: date | None = None
    resolution_no: str = Field(default="", max_length=50)
    created_at: datetime
    commission: str | None = commission_field()  # 0007: filled by the database, never by the ORM


class Measure(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    case_id: int = Field(foreign_key="sop_case.id", index=True)
    seq: int  # № п/п within the version
    title: str  # Мероприятия
    content: str = ""  # Содержание деятельности
    executor: str = Field(max_length=300)
    due_text: str = Field(max_length=100)  # as typed: a date, a period, or a term from the approval
    start: date | None = None  # a period's first day
    due: date | None = None  # known at once for dates, at approval for terms
    status: str = Field(default="planned", max_length=12)  # planned | done | partial | not-done
    carried_from: int | None = None  # the measure of the previous version this one continues
    created_at: datetime
    commission: str | None = commission_field()  # 0007: filled by the database, never by the ORM


class Proposal(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="sop_case.id", index=True)
    agency: str = Field(max_length=300)
    received_on: date
    situation: str = ""
    tasks: str = ""
    measures: str = ""  # one per line: "мероприятие; срок"
    created_at: datetime
    commission: str | None = commission_field()  # 0007: filled by the database, never by the ORM


class Report(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="sop_case.id", index=True)
    measure_id: int | None = Field(default=None, foreign_key="measure.id", index=True)
    reported_on: date
    status: str = Field(max_length=12)  # done | partial | not-done | summary (the curator's)
    done_on: date | None = None  # 0010: the day the measure was actually carried out (App. 4 «Дата исполнения»)
    text: str = ""
    created_at: datetime
    commission: str | None = commission_field()  # 0007: filled by the database, never by the ORM


class CaseEvent(SQLModel, table=True):
    """What happens to a case between the steps: controls, moves, releases, graduates' hand-over."""

    __tablename__ = "case_event"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="sop_case.id", index=True)
    kind: str = Field(max_length=30)
    day: date
    place: str = Field(default="", max_length=300)
    decision: str = Field(default="", max_length=30)
    note: str = ""
    created_at: datetime
    commission: str | None = commission_field()  # 0007: filled by the database, never by the ORM
    # 0016, after `commission` as the table has it: the commission of the new municipality a move letter goes to
    addressee: str = Field(default="", max_length=300)


class Reconciliation(SQLModel, table=True):
    """A quarterly reconciliation with one agency (004 §5.6): what was compared and what it found."""

    id: int | None = Field(default=None, primary_key=True)
    agency: str = Field(max_length=300, index=True)
    quarter: str = Field(max_length=6)  # 2025Q1
    done_on: date
    file_name: str = Field(max_length=300)
    matched: int
    mismatched: int
    only_registry: int
    only_agency: int
    created_at: datetime
    commission: str | None = commission_field()  # 0007: filled by the database, never by the ORM
