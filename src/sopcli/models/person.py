"""Persons: children and parents named in signals; matched ignoring ё/е and case."""

from datetime import date

from sqlmodel import Field, SQLModel

from sopcli.models.tenancy import commission_field


class Person(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    full_name: str = Field(max_length=300)  # as typed, ё kept
    name_key: str = Field(max_length=300, index=True)  # lower case, ё→е, single spaces
    birth_date: date | None = None
    occupation: str = ""  # 0010: place of work or study, as papers write it (App. 2 §2, App. 8 col. 4, 6)
    extra_education: str = ""  # 0010: App. 4 «Дополнительное образование»
    commission: str | None = commission_field()  # 0007: filled by the database, never by the ORM
