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
    result: str = ""
    status: str = Field(default="registered", max_length=20)  # registered | checked
    created_at: datetime
    commission: str | None = commission_field()  # 0007: filled by the database, never by the ORM


class SignalPerson(SQLModel, table=True):
    __tablename__ = "signal_person"
    __table_args__ = (UniqueConstraint("signal_id", "person_id", "role", name="uq_signal_person"),)

    id: int | None = Field(default=None, primary_key=True)
    signal_id: int = Field(foreign_key="signal.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    role: str = Field(max_length=10)  # child | parent
    commission: str | None = commission_field()  # 0007: filled by the database, never by the ORM
