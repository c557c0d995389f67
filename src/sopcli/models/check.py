"""The check's conclusion (004 App. 2): one per signal."""

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from sopcli.models.tenancy import commission_field


class Check(SQLModel, table=True):
    __tablename__ = "check_conclusion"  # "check" is a reserved word in SQL

    id: int | None = Field(default=None, primary_key=True)
    signal_id: int = Field(foreign_key="signal.id", unique=True)
    concluded_on: date
    level: str = Field(max_length=10)  # low | medium | high | critical
    outcome: str = Field(max_length=20)  # not-confirmed | departmental | sop
    criteria: str = ""  # App. 2 criteria 1–8, comma-separated
    family: str = ""  # composition
    housing: str = ""
    income: str = ""
    support: str = ""
    note: str = ""
    created_at: datetime
    commission: str | None = commission_field()  # 0007: filled by the database, never by the ORM
