"""tamper-evident audit trail (issue 7 §5): a hash chain per commission and its head

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 10:00:00.000000

The entries a registry already has are chained in id order (the order they
were written). The hash function is copied here on purpose: a migration is
history and must not change when services/trust/audit.py does; the upgrade test
checks that `audit verify` accepts what this wrote.
"""

import hashlib
import json
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

GENESIS = "0" * 64
BATCH = 10_000


def _hash(prev_hash: str, chain: str, seq: int, at: datetime, os_user: str, command: str, action: str, entity: str,
          entity_id: int | None, detail: str) -> str:
    at = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    canonical = json.dumps([chain, seq, at.isoformat(timespec="microseconds"), os_user, command, action, entity,
                            entity_id, detail], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev_hash + canonical).encode("utf-8")).hexdigest()


def upgrade() -> None:
    op.create_table(
        'audit_head',
        sa.Column('chain', sa.String(length=40), nullable=False),
        sa.Column('last_seq', sa.Integer(), nullable=False),
        sa.Column('last_hash', sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint('chain'),
    )
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('chain', sa.String(length=40), nullable=False, server_default='main'))
        batch_op.add_column(sa.Column('seq', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('hash', sa.String(length=64), nullable=True))
    seq, last = _chain_existing(op.get_bind())
    op.execute(sa.text("INSERT INTO audit_head (chain, last_seq, last_hash) VALUES ('main', :seq, :hash)")
               .bindparams(seq=seq, hash=last))
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.alter_column('seq', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('prev_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_index('ux_audit_entry_chain_seq', ['chain', 'seq'], unique=True)
        batch_op.create_index('ix_audit_entry_entity', ['entity', 'entity_id'], unique=False)


def _chain_existing(conn) -> tuple[int, str]:  # noqa: ANN001
    """Every entry so far into chain 'main', in id order, a batch at a time (a trail may be millions long)."""
    entry = sa.table('audit_entry', *(sa.column(n) for n in (
        'id', 'os_user', 'command', 'action', 'entity', 'entity_id', 'detail')),
        sa.column('at', sa.DateTime(timezone=True)))
    update = sa.text("UPDATE audit_entry SET seq = :seq, prev_hash = :prev, hash = :hash WHERE id = :id")
    seq, prev, after = 0, GENESIS, 0
    while True:
        rows = conn.execute(sa.select(entry).where(entry.c.id > after).order_by(entry.c.id).limit(BATCH)).all()
        if not rows:
            return seq, prev
        params = []
        for r in rows:
            seq += 1
            digest = _hash(prev, 'main', seq, r.at, r.os_user, r.command, r.action, r.entity, r.entity_id, r.detail)
            params.append({"seq": seq, "prev": prev, "hash": digest, "id": r.id})
            prev, after = digest, r.id
        conn.execute(update, params)


def downgrade() -> None:
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entry_entity')
        batch_op.drop_index('ux_audit_entry_chain_seq')
        batch_op.drop_column('hash')
        batch_op.drop_column('prev_hash')
        batch_op.drop_column('seq')
        batch_op.drop_column('chain')
    op.drop_table('audit_head')
