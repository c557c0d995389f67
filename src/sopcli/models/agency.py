"""The directory of agencies of the prevention system (001 §2.1), editable."""

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from sopcli.models.tenancy import commission_field


class Agency(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("commission", "name", name="uq_agency_name"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=300)  # unique per commission (0007)
    kind: str = Field(max_length=40, index=True)
    is_active: bool = True
    commission: str | None = commission_field()  # 0007: filled by the database, never by the ORM


class AgencyAlias(SQLModel, table=True):
    """The commission's own short name for an agency ("ПДН", "опека"): 0009, `agency alias`."""

    __tablename__ = "agency_alias"
    __table_args__ = (UniqueConstraint("commission", "alias_key", name="uq_agency_alias_key"),)

    id: int | None = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    alias: str = Field(max_length=100)  # as typed
    alias_key: str = Field(max_length=100)  # folded: lower case, ё→е, single spaces
    commission: str | None = commission_field()  # filled by the database, never by the ORM
