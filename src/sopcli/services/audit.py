"""Append-only audit trail: every change, who (OS user), when, by which command."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session

from sopcli.models import AuditEntry
from sopcli.services.registry import Registry


def record(session: Session, reg: Registry, action: str, entity: str, entity_id: int | None,
           **detail: Any) -> None:
    session.add(AuditEntry(
        at=datetime.now(UTC), os_user=reg.os_user, command=reg.command or "?", action=action,
        entity=entity, entity_id=entity_id,
        detail=json.dumps(detail, ensure_ascii=False, default=str, sort_keys=True),
    ))
