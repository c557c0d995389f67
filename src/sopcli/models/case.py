"""A case: the family or minor recognised as being in СОП by a resolution (004 §5)."""

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from sopcli.models.tenancy import commission_field


class Case(SQLModel, table=True):
    __tablename__ = "sop_case"  # "case" is a reserved word in SQL

    id: int | None = Field(default=None, primary_key=True)
    signal_id: int = Field(foreign_key="signal.id", unique=True)
    subject: str = Field(max_length=10)  # family | minor
    recognized_on: date = Field(index=True)
    resolution_no: str = Field(max_length=50)
    curator: str = Field(max_length=300)
    members: str = ""  # agencies working the case, one per line
    until: date | None = None
    status: str = Field(default="open", max_length=10, index=True)  # open | closed
    closed_on: date | None = None
    close_resolution: str = ""
    close_ground: str = ""
    close_note: str = ""
    outcome: str = Field(default="", max_length=12)  # App. 4 evaluation: full | partial | none
    outcome_results: str = ""  # App. 4 completion list, comma-separated codes
    zones: str = ""  # school (003 §II): category codes, comma-separated ("red.1,yellow.5")
    file_items: str = ""  # school (003 §4.6): what the observation file already holds
    created_at: datetime
    commission: str | None = commission_field()  # 0007: filled by the database, never by the ORM
