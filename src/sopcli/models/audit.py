"""The append-only audit trail: who (OS user), when, which command, what changed."""

from datetime import datetime

from sqlmodel import Field, SQLModel


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_entry"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    os_user: str = Field(max_length=100)
    command: str = Field(max_length=100)
    action: str = Field(max_length=40)
    entity: str = Field(max_length=40)
    entity_id: int | None = None
    detail: str = ""  # JSON
