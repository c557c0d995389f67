"""Registry-wide settings and the local calendar overrides (kept with their history)."""

from datetime import date, datetime

from sqlmodel import Field, SQLModel


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
