"""The journal of primary information (004 App. 1) and who it names."""

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from sopcli.models.tenancy import commission_field


class Signal(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("commission", "year", "seq", name="uq_signal_year_seq"),)

    id: int | None = Field(default=None, primary_key=True)
    year: int
    seq: int  # the journal number within the year
    received_at: datetime = Field(index=True)
    source: str = Field(max_length=300)  # from whom
    channel: str = Field(max_length=20)  # phone | written | email | personal | other
    address: str = ""
    problem: str
    help_needed: str = ""
    threat: bool = False
    kind: str = Field(default="", max_length=120)  # 0008: what it is about (001 §2.5.1), codes comma-separated
    result: str = ""
    status: str = Field(default="registered", max_length=20)  # registered | checked
    created_at: datetime
    commission: str | None = commission_field()  # 0007: filled by the database, never by the ORM
    # 0014 (issue 28): the source as an owner: an agency of the directory, or a citizen, an anonymous
    # caller, the commission itself ("" in a registry older than 0014, until `agency bind`)
    source_kind: str = Field(default="", max_length=12)  # agency | citizen | anonymous | commission
    source_agency_id: int | None = Field(default=None, foreign_key="agency.id", index=True)
    detected_at: datetime | None = None  # when the source found it (`--detected`): the informing term counts from it


class SignalPerson(SQLModel, table=True):
    __tablename__ = "signal_person"
    __table_args__ = (UniqueConstraint("signal_id", "person_id", "role", name="uq_signal_person"),)

    id: int | None = Field(default=None, primary_key=True)
    signal_id: int = Field(foreign_key="signal.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    role: str = Field(max_length=10)  # child | parent
    relation: str = Field(default="", max_length=30)  # 0010: «мать», «отец», «отчим», «сын» (App. 2 §2, App. 4)
    commission: str | None = commission_field()  # 0007: filled by the database, never by the ORM


class Emergency(SQLModel, table=True):
    """An emergency of 004 §7: each opens its own §7.1–7.3 terms, anchored on this row."""

    id: int | None = Field(default=None, primary_key=True)
    signal_id: int | None = Field(default=None, foreign_key="signal.id", index=True)
    case_id: int | None = Field(default=None, foreign_key="sop_case.id", index=True)
    kind: str = Field(max_length=30)
    at: datetime
    agency: str = Field(default="", max_length=300)
    note: str = ""
    created_at: datetime
    commission: str | None = commission_field()  # filled by the database, never by the ORM


class CaseSignal(SQLModel, table=True):
    """A later signal attached to an open case instead of starting a check of its own (0009)."""

    __tablename__ = "case_signal"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="sop_case.id", index=True)
    signal_id: int = Field(foreign_key="signal.id", unique=True)
    created_at: datetime
    commission: str | None = commission_field()  # filled by the database, never by the ORM
