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

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, text
from sqlmodel import Session

from sopcli.models import AuditEntry
from sopcli.services.registry import Registry
from sopcli.services.trust.hashes import GENESIS, moment_text, text_hash

_HEADS = "sopcli_audit_heads"  # session.info key: chain -> [last_seq, last_hash, changed]
_TOUCHED = "sopcli_touched"  # session.info key: table -> keys of the rows this transaction wrote (seals.py)
_REG = "sopcli_registry"  # session.info key: the Registry whose step this transaction is (who seals)


def chain_for(reg: Registry) -> str:
    """The hash chain this registry's entries go to: one per commission.

    Multi-commission registries (row-level security on PostgreSQL) give each
    commission its own rows; each needs its own chain, or one commission's
    entries would be links of another's chain it cannot see. The chain is the
    commission whose rows the connection writes (sopcli/tenancy.py), so an
    entry's `commission` (filled by the database) and its chain always agree.
    """
    return reg.commission


def entry_hash(prev_hash: str, chain: str, seq: int, at: datetime, os_user: str, command: str, action: str,
               entity: str, entity_id: int | None, detail: str) -> str:
    """sha256 over the previous hash and the entry's canonical JSON (compact, UTF-8, fixed field order).

    Migration 0006 keeps its own copy of this (a migration must not change with the code); the upgrade
    test proves the two agree.
    """
    return text_hash(prev_hash, chain, seq, moment_text(at), os_user, command, action, entity, entity_id, detail)


def record(session: Session, reg: Registry, action: str, entity: str, entity_id: int | None,
           **detail: Any) -> None:
    session.info[_REG] = reg
    append(session, reg, chain_for(reg), action, entity, entity_id, detail)


def append(session: Session, reg: Registry, chain: str, action: str, entity: str, entity_id: int | None,
           detail: dict[str, Any]) -> int:
    """One entry at the end of `chain`; its seq. The entry's commission is its chain's, named explicitly:
    the owner seals a commission's rows into that commission's chain (seals.py)."""
    head = _head(session, chain)
    at = datetime.now(UTC)
    seq = head[0] + 1
    command = reg.command or "?"
    text_detail = json.dumps(detail, ensure_ascii=False, default=str, sort_keys=True)
    digest = entry_hash(head[1], chain, seq, at, reg.os_user, command, action, entity, entity_id, text_detail)
    session.add(AuditEntry(
        at=at, os_user=reg.os_user, command=command, action=action, entity=entity, entity_id=entity_id,
        detail=text_detail, chain=chain, seq=seq, prev_hash=head[1], hash=digest, commission=chain,
    ))
    head[:] = [seq, digest, True]
    return seq


def touch(session: Session, table: str, *keys: Any) -> None:
    """Rows written by plain SQL (the ORM's writes are seen by themselves): sealed at the commit."""
    touched = session.info.setdefault(_TOUCHED, {})
    touched.setdefault(table, set()).update(str(k) for k in keys)


def lock_chain(session: Session, reg: Registry) -> None:
    """Take the chain's head first thing in a write transaction (commands' `registry()`).

    Locked lazily, at a step's first `record`, a writer holding the head could
    then wait for a row (`get_or_not_found`) that another writer holds while
    that one waits for the head: a deadlock PostgreSQL ends by failing a step.
    Taken first, the head orders every writer the way `BEGIN IMMEDIATE` does on SQLite.
    """
    session.info[_REG] = reg
    _head(session, chain_for(reg))


def _head(session: Session, chain: str) -> list[Any]:
    """The chain's head for this transaction: locked and read on first use, then kept in `session.info`."""
    heads = session.info.get(_HEADS)
    if heads is None:
        heads = session.info[_HEADS] = {}
        event.listen(session, "after_flush", _track)
        event.listen(session, "before_commit", _seal_and_write_heads)
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
        session.execute(text("INSERT INTO audit_head (chain, last_seq, last_hash, commission) "
                             "VALUES (:chain, 0, :genesis, :chain) ON CONFLICT (chain) DO NOTHING"),
                        {"chain": chain, "genesis": GENESIS})
        row = session.execute(query, {"chain": chain}).one()
    return [row[0], row[1], False]


def _track(session: Session, _context: Any) -> None:
    """The rows this flush wrote (the lists still hold what was flushed): their keys, for the seals."""
    from sqlalchemy import inspect

    from sopcli.services.trust.seals import EVIDENCE

    touched = session.info.setdefault(_TOUCHED, {})
    for obj in (*session.new, *session.dirty, *session.deleted):
        table = getattr(obj, "__tablename__", None)
        if table is None or table in EVIDENCE:
            continue
        key = inspect(obj).mapper.primary_key_from_instance(obj)
        if key and key[0] is not None:
            touched.setdefault(table, set()).add(str(key[0]))


def _seal_and_write_heads(session: Session) -> None:
    """The commit: the rows written sealed into their chains (seals.py), then every chain's head."""
    reg = session.info.get(_REG)
    if reg is not None:
        session.flush()
        touched = session.info.pop(_TOUCHED, None)
        if touched:
            seal(session, reg, touched)
            session.flush()
    _write_heads(session)


def seal(session: Session, reg: Registry, touched: dict[str, set[str]]) -> int:
    """Seal the touched rows: a `seal` entry per chain (a thousand rows each), the seals kept; rows sealed."""
    from sopcli.services.trust import seals

    conn = session.connection()
    by_chain = seals.changes(conn.connection.driver_connection, conn.dialect.name == "postgresql", touched)
    count = 0
    for chain in sorted(by_chain):
        rows = by_chain[chain]
        for start in range(0, len(rows), seals.ENTRY_ROWS):
            part = rows[start:start + seals.ENTRY_ROWS]
            seq = append(session, reg, chain, "seal", "rows", None, {"rows": part})
            seals.store(session, chain, seq, part)
            count += len(part)
    return count


def _write_heads(session: Session) -> None:
    for chain, (seq, digest, changed) in session.info.get(_HEADS, {}).items():
        if changed:
            session.execute(text("UPDATE audit_head SET last_seq = :seq, last_hash = :hash WHERE chain = :chain"),
                            {"seq": seq, "hash": digest, "chain": chain})


def _forget_heads(session: Session) -> None:
    """A head kept past its transaction would be stale: the next one locks and reads it again."""
    session.info.get(_HEADS, {}).clear()
    session.info.pop(_TOUCHED, None)


def seal_baseline(session: Session, reg: Registry) -> int:
    """Seal every row already in the registry, once: after the upgrade to row seals (0013 marks the registry
    `audit_seals = pending`), or for rows a generator wrote by plain SQL. A row sealed already is left as it
    is. Streamed a table at a time: a national registry's millions of rows never sit in memory."""
    from sopcli.services.reading.db import reader_on
    from sopcli.services.trust import seals

    marker = session.execute(text("SELECT value FROM registry_setting WHERE key = :k"), {"k": seals.MARKER}).scalar()
    if marker != "pending":
        return 0
    session.info[_REG] = reg
    session.flush()
    r = reader_on(session)
    count = 0
    for table in seals.sealed_tables():
        waiting: dict[str, list[list[Any]]] = {}
        for key, chain, line in seals.unsealed(r, table):
            rows = waiting.setdefault(chain, [])
            rows.append([table.name, key, None, seals.row_hash(table.name, line)])
            if len(rows) == seals.ENTRY_ROWS:
                count += _seal_rows(session, reg, chain, waiting.pop(chain))
        for chain, rows in sorted(waiting.items()):
            count += _seal_rows(session, reg, chain, rows)
    session.execute(text("UPDATE registry_setting SET value = 'sealed' WHERE key = :k"), {"k": seals.MARKER})
    touch(session, "registry_setting", seals.MARKER)
    return count


def reseal_reshaped(session: Session, reg: Registry) -> int:
    """After a migration appended columns to sealed tables (0014: `audit_reshape`), reseal each row whose
    old line still matches its old seal; one that did not stays as it was, named by `audit verify`."""
    from sopcli.services.trust import seals

    marker = session.execute(text("SELECT value FROM registry_setting WHERE key = :k"), {"k": seals.RESHAPE}).scalar()
    if not marker:
        return 0
    session.info[_REG] = reg
    session.flush()
    appended = json.loads(marker)
    conn = session.connection()
    raw, pg = conn.connection.driver_connection, conn.dialect.name == "postgresql"
    count = 0
    for table in seals.sealed_tables():
        if table.name not in appended:
            continue
        waiting: dict[str, list[list[Any]]] = {}
        for row, chain in seals.reshaped(raw, pg, table, appended[table.name]):
            rows = waiting.setdefault(chain, [])
            rows.append(row)
            if len(rows) == seals.ENTRY_ROWS:
                count += _seal_rows(session, reg, chain, waiting.pop(chain), "reshape")
        for chain, rows in sorted(waiting.items()):
            count += _seal_rows(session, reg, chain, rows, "reshape")
    session.execute(text("DELETE FROM registry_setting WHERE key = :k"), {"k": seals.RESHAPE})
    touch(session, "registry_setting", seals.RESHAPE)
    return count


def _seal_rows(session: Session, reg: Registry, chain: str, rows: list[list[Any]], why: str = "baseline") -> int:
    from sopcli.services.trust import seals

    seq = append(session, reg, chain, "seal", "rows", None, {"rows": rows, why: True})
    seals.store(session, chain, seq, rows)
    return len(rows)
