"""The audit chain's hash, apart from the writer: what `audit verify` and the digest's chain heads need.

The writer (audit.py) imports SQLAlchemy, SQLModel and the models; the readers (audit_read.py) run over
plain DB-API, and the cron digest, which prints each chain's head, must not pay about 0.4 s of ORM
start-up to import three definitions (reading/reads.py says why the readers avoid the ORM).
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

#: The `prev_hash` of a chain's first entry.
GENESIS = "0" * 64

_CANONICAL = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # one encoder: `verify` hashes millions


def moment_text(at: datetime) -> str:
    """`at` as hashed: UTC ISO 8601 to the microsecond (what both engines keep)."""
    at = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    return at.isoformat(timespec="microseconds")


def text_hash(prev_hash: str, chain: str, seq: int, at_text: str, os_user: str, command: str, action: str,
              entity: str, entity_id: int | None, detail: str) -> str:
    """`entry_hash` (audit.py) with `at` already as `moment_text` gives it."""
    canonical = _CANONICAL.encode([chain, seq, at_text, os_user, command, action, entity, entity_id, detail])
    return hashlib.sha256((prev_hash + canonical).encode("utf-8")).hexdigest()
