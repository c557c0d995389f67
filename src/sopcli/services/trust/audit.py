"""Append-only audit trail: every change, who (OS user), when, by which command.

Tamper-evident (issue 7 §5): every entry is a link of a hash chain,
`hash = sha256(prev_hash + canonical JSON of its fields)`, and `audit_head`
keeps each chain's last seq and hash. Changing, deleting, inserting or
reordering an entry, or cutting the tail, breaks the chain where it happened
(`audit verify`, services/trust/audit_read.py).

Appends are serialised per chain inside the writer's own transaction: the
head row is read `FOR UPDATE` on PostgreSQL (READ COMMITTED would otherwise let
two writers take the same seq and fork the chain); SQLite writers already hold
the database's write lock (`BEGIN IMMEDIATE`, db.py). The head is read once and
written once per transaction, however many entries a step records.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, text
from sqlmodel import Session

from sopcli.models import AuditEntry
from sopcli.services.registry import Registry

#: The `prev_hash` of a chain's first entry.
GENESIS = "0" * 64
_HEADS = "sopcli_audit_heads"  # session.info key: chain -> [last_seq, last_hash, changed]


def chain_for(reg: Registry) -> str:
    """The hash chain this registry's entries go to: one per commission.

    Multi-commission registries (row-level security on PostgreSQL) give each
    commission its own rows; each needs its own chain, or one commission's
    entries would be links of another's chain it cannot see. The chain is the
    commission whose rows the connection writes (sopcli/tenancy.py), so an
    entry's `commission` (filled by the database) and its chain always agree.
    """
    return reg.commission


def moment_text(at: datetime) -> str:
    """`at` as hashed: UTC ISO 8601 to the microsecond (what both engines keep)."""
    at = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    return at.isoformat(timespec="microseconds")


def entry_hash(prev_hash: str, chain: str, seq: int, at: datetime, os_user: str, command: str, action: str,
               entity: str, entity_id: int | None, detail: str) -> str:
    """sha256 over the previous hash and the entry's canonical JSON (compact, UTF-8, fixed field order).

    Migration 0006 keeps its own copy of this (a migration must not change with the code); the upgrade
    test proves the two agree.
    """
    return text_hash(prev_hash, chain, seq, moment_text(at), os_user, command, action, entity, entity_id, detail)


_CANONICAL = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # one encoder: `verify` hashes millions


def text_hash(prev_hash: str, chain: str, seq: int, at_text: str, os_user: str, command: str, action: str,
              entity: str, entity_id: int | None, detail: str) -> str:
    """`entry_hash` with `at` already as `moment_text` gives it."""
    canonical = _CANONICAL.encode([chain, seq, at_text, os_user, command, action, entity, entity_id, detail])
    return hashlib.sha256((prev_hash + canonical).encode("utf-8")).hexdigest()


def record(session: Session, reg: Registry, action: str, entity: str, entity_id: int | None,
           **detail: Any) -> None:
    chain = chain_for(reg)
    head = _head(session, chain)
    at = datetime.now(UTC)
    seq = head[0] + 1
    command = reg.command or "?"
    text_detail = json.dumps(detail, ensure_ascii=False, default=str, sort_keys=True)
    digest = entry_hash(head[1], chain, seq, at, reg.os_user, command, action, entity, entity_id, text_detail)
    session.add(AuditEntry(
        at=at, os_user=reg.os_user, command=command, action=action, entity=entity, entity_id=entity_id,
        detail=text_detail, chain=chain, seq=seq, prev_hash=head[1], hash=digest,
    ))
    head[:] = [seq, digest, True]


def lock_chain(session: Session, reg: Registry) -> None:
    """Take the chain's head first thing in a write transaction (commands' `registry()`).

    Locked lazily, at a step's first `record`, a writer holding the head could
    then wait for a row (`get_or_not_found`) that another writer holds while
    that one waits for the head: a deadlock PostgreSQL ends by failing a step.
    Taken first, the head orders every writer the way `BEGIN IMMEDIATE` does on SQLite.
    """
    _head(session, chain_for(reg))


def _head(session: Session, chain: str) -> list[Any]:
    """The chain's head for this transaction: locked and read on first use, then kept in `session.info`."""
    heads = session.info.get(_HEADS)
    if heads is None:
        heads = session.info[_HEADS] = {}
        event.listen(session, "before_commit", _write_heads)
        event.listen(session, "after_commit", _forget_heads)
        event.listen(session, "after_rollback", _forget_heads)
    if chain not in heads:
        heads[chain] = _lock_head(session, chain)
    return heads[chain]


def _lock_head(session: Session, chain: str) -> list[Any]:
    lock = " FOR UPDATE" if session.connection().dialect.name == "postgresql" else ""
    query = text(f"SELECT last_seq, last_hash FROM audit_head WHERE chain = :chain{lock}")
    row = session.execute(query, {"chain": chain}).first()
    if row is None:
        # a new chain (a new commission): whoever creates the head first wins, the other one then waits on its lock
        session.execute(text("INSERT INTO audit_head (chain, last_seq, last_hash) VALUES (:chain, 0, :genesis) "
                             "ON CONFLICT (chain) DO NOTHING"), {"chain": chain, "genesis": GENESIS})
        row = session.execute(query, {"chain": chain}).one()
    return [row[0], row[1], False]


def _write_heads(session: Session) -> None:
    for chain, (seq, digest, changed) in session.info.get(_HEADS, {}).items():
        if changed:
            session.execute(text("UPDATE audit_head SET last_seq = :seq, last_hash = :hash WHERE chain = :chain"),
                            {"seq": seq, "hash": digest, "chain": chain})


def _forget_heads(session: Session) -> None:
    """A head kept past its transaction would be stale: the next one locks and reads it again."""
    session.info.get(_HEADS, {}).clear()
