"""A regional complex of measures (002): imported from its table, followed by executors' reports."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from sopcli.models.tenancy import commission_field


class Complex(SQLModel, table=True):
    __tablename__ = "measure_complex"

    id: int | None = Field(default=None, primary_key=True)
    title: str
    span_from: int | None = None  # the complex's years, for "постоянно" and "в течение года"
    span_to: int | None = None
    file_name: str = Field(max_length=300)
    created_at: datetime
    commission: str | None = commission_field()  # 0007: filled by the database, never by the ORM


class ComplexMeasure(SQLModel, table=True):
    __tablename__ = "complex_measure"

    id: int | None = Field(default=None, primary_key=True)
    complex_id: int = Field(foreign_key="measure_complex.id", index=True)
    section: str = ""
    number: str = Field(max_length=20)
    text: str
    period: str = ""  # as written
    executors: str = ""  # one per line, as read
    unread: str = ""  # period fragments nobody could read: for a person to decide
    created_at: datetime
    commission: str | None = commission_field()  # 0007: filled by the database, never by the ORM
