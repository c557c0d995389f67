"""Registry-wide settings and the local calendar overrides (kept with their history)."""

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from sopcli.models.tenancy import commission_field


class RegistrySetting(SQLModel, table=True):
    __tablename__ = "registry_setting"

    key: str = Field(primary_key=True, max_length=50)
    value: str


class CalendarOverride(SQLModel, table=True):
    __tablename__ = "calendar_override"

    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(index=True)
    working: bool
    reason: str
    created_at: datetime
    created_by: str = Field(max_length=100)
    removed_at: datetime | None = None  # an override is never deleted, only retired
    removed_by: str = ""
    removed_reason: str = ""


class Signatory(SQLModel, table=True):
    """Who signs the forms, set once per commission (0010): the name and position under each form."""

    __tablename__ = "signatory"
    __table_args__ = (UniqueConstraint("commission", "role", name="uq_signatory_role"),)

    id: int | None = Field(default=None, primary_key=True)
    role: str = Field(max_length=20)  # vocab.SIGNATORIES: chair | secretary | check-head | card-head
    position: str = Field(max_length=300)  # «Председатель комиссии по делам несовершеннолетних …»
    name: str = Field(max_length=300)  # «И.И. Иванова», as it is printed under the signature
    commission: str | None = commission_field()  # filled by the database, never by the ORM
