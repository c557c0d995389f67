"""A case: the family or minor recognised as being in СОП by a resolution (004 §5)."""

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
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
    # 0010: App. 3 §6–8 (codes of vocab.FAMILY_CATEGORIES, PARENTS_PROFILES, DANGER_KINDS; comma-separated)
    family_category: str = ""
    parents_profile: str = ""
    danger_kinds: str = ""
    # 0010: App. 4 «Оценка результатов»: written at control
    nonexec_reasons: str = ""  # «Причины неисполнения»
    proposals_note: str = ""  # «Предложения»
    created_at: datetime
    commission: str | None = commission_field()  # 0007: filled by the database, never by the ORM
    curator_agency_id: int | None = Field(default=None, foreign_key="agency.id")  # 0014: the curator's agency


class CaseRegistration(SQLModel, table=True):
    """App. 3 §9: the case on an agency's own register (date, protocol, reason); one row per agency kind."""

    __tablename__ = "case_registration"
    __table_args__ = (UniqueConstraint("case_id", "agency_kind", name="uq_case_registration"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="sop_case.id", index=True)
    agency_kind: str = Field(max_length=20)  # vocab.REGISTERS: kdn | pdn | social | education | health | ...
    registered_on: date | None = None
    protocol: str = Field(default="", max_length=50)
    reason: str = ""
    commission: str | None = commission_field()  # filled by the database, never by the ORM


class CaseAssignment(SQLModel, table=True):
    """App. 3 §10: where the family is assigned (clinic, school, kindergarten, police, patronage)."""

    __tablename__ = "case_assignment"
    __table_args__ = (UniqueConstraint("case_id", "kind", name="uq_case_assignment"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="sop_case.id", index=True)
    kind: str = Field(max_length=20)  # vocab.ASSIGNMENTS: clinic | school | kindergarten | police | patronage
    text: str  # «Поликлиника № 2, участок № 5, тел. …»
    commission: str | None = commission_field()  # filled by the database, never by the ORM
