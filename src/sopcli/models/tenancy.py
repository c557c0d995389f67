"""The commissions of a shared registry (migration 0007) as tables, and the column every other row carries."""

from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlmodel import Field, SQLModel


def commission_field() -> Any:
    """The row's commission: left None by the ORM, so the INSERT omits it and the database fills it.

    On PostgreSQL the default is `sopcli_commission()` (the connected role's commission), in
    SQLite the file's one commission; declared here so the metadata (backup, restore) knows it.
    """
    return Field(default=None, max_length=40, index=True, sa_column_kwargs={"server_default": text("'main'"),
                                                                           "nullable": False})


class Commission(SQLModel, table=True):
    code: str = Field(primary_key=True, max_length=40)
    name: str = Field(max_length=300)
    created_at: datetime


class AccessRole(SQLModel, table=True):
    __tablename__ = "access_role"

    role: str = Field(primary_key=True, max_length=63)
    commission: str | None = Field(default=None, foreign_key="commission.code", max_length=40)  # None: the region
    created_at: datetime


class PseudonymKey(SQLModel, table=True):
    """A commission's own key for `export --anonymize` (0011): its pseudonyms link with no other commission's.

    Not in `registry_setting`, which every commission's role reads: here row-level security shows a role
    its own row only, and no role may write one (made by the owner at `admin commission add` or by 0011)."""

    __tablename__ = "pseudonym_key"

    commission: str = Field(primary_key=True, foreign_key="commission.code", max_length=40)
    key: str = Field(max_length=64)  # 32 random bytes in hex; never logged, never audited
    created_at: datetime
