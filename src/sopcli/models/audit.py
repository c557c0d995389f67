"""The append-only audit trail: who (OS user), when, which command, what changed.

Tamper-evident (issue 7 §5): each entry carries its place in a hash chain
(`chain`, `seq`) and `hash = sha256(prev_hash + canonical fields)`
(services/trust/audit.py). `AuditHead` keeps each chain's last seq and hash, so a
deleted tail is detected too, not only a changed or missing middle.
"""

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from sopcli.models.tenancy import commission_field


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_entry"
    __table_args__ = (
        Index("ux_audit_entry_chain_seq", "chain", "seq", unique=True),  # two writers can never fork a chain
        Index("ix_audit_entry_entity", "entity", "entity_id"),  # `audit list --entity case --id 5`
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    os_user: str = Field(max_length=100)
    command: str = Field(max_length=100)
    action: str = Field(max_length=40)
    entity: str = Field(max_length=40)
    entity_id: int | None = None
    detail: str = ""  # JSON
    chain: str = Field(default="main", max_length=40, sa_column_kwargs={"server_default": "main"})
    seq: int
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)
    commission: str | None = commission_field()  # 0007: filled by the database, never by the ORM


class AuditHead(SQLModel, table=True):
    """One row per chain: the writer locks it to append, `audit verify` compares the trail's end with it."""

    __tablename__ = "audit_head"

    chain: str = Field(primary_key=True, max_length=40)
    last_seq: int = 0
    last_hash: str = Field(max_length=64)
    commission: str | None = commission_field()  # 0007: filled by the database, never by the ORM


class RowSeal(SQLModel, table=True):
    """The hash of a row as sopcli last wrote it, and the audit entry that said so (issue 27 §2).

    Every audited write seals the rows it touched: the row's backup line hashed (services/trust/seals.py),
    written here and into a `seal` entry of the chain. `audit verify` then holds every row of every table
    against its seal, and the seals against the chain: a row changed, added or deleted behind sopcli's
    back is named, and so is a seal forged to cover it. Not a history (the chain is): one row per data row.
    """

    __tablename__ = "row_seal"

    tbl: str = Field(primary_key=True, max_length=63)
    row_key: str = Field(primary_key=True, max_length=200)  # the row's key as text: its id, or its code
    hash: str = Field(max_length=64)
    chain: str = Field(max_length=40)  # the chain whose `seal` entry wrote it: the row's commission
    seq: int  # that entry's number in the chain
    commission: str | None = commission_field()  # = chain: row-level security shows a commission its own
