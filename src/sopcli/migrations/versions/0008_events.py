"""events: emergencies (004 §7), signal kinds (001 §2.5.1), obligations' write moment and anchor

Issue 12. Every term the regulations name opens from a registry step:
- `emergency` records what 004 §7 calls an emergency (threat information
  received by guardianship or police, a removal, a neglected child delivered, a
  child returned to the parents); each one opens its own §7.1–7.3 terms, so an
  obligation carries `emergency_id` — the anchor that keeps two emergencies of
  one family apart while one emergency never opens a term twice;
- `signal.kind` says what a signal is about (001 §2.5.1 а, в, д, ж, з; referral
  to the commission), comma-separated when it is about several things;
- `obligation.settled_at` is the moment the fulfilment or cancellation was
  *written*, not the moment it took effect (`fulfilled_at` may be typed in the
  past): a digest `--as-of` a past moment shows the registry as it was then, so
  yesterday's digest printed today is the one cron printed yesterday. Rows
  settled before 0008 take the moment their audit entry was written; indexed,
  so that a past moment's digest reads only the rows settled since;
- a registry created by a bare `init` before 0008 keeps the set it counted by
  (then `mari-el`); a new one starts on `federal`.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28 23:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    pg = bind.dialect.name == 'postgresql'
    commission_default = sa.text('sopcli_commission()') if pg else sa.text("'main'")
    op.create_table(
        'emergency',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('signal_id', sa.Integer(), sa.ForeignKey('signal.id'), nullable=True, index=True),
        sa.Column('case_id', sa.Integer(), sa.ForeignKey('sop_case.id'), nullable=True, index=True),
        sa.Column('kind', sa.String(30), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('agency', sa.String(300), nullable=False, server_default=''),
        sa.Column('note', sa.Text(), nullable=False, server_default=''),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('commission', sa.String(40), nullable=False, server_default=commission_default),
    )
    op.create_index('ix_emergency_commission', 'emergency', ['commission'])
    with op.batch_alter_table('signal') as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(120), nullable=False, server_default=''))
    with op.batch_alter_table('obligation') as batch_op:
        batch_op.add_column(sa.Column('settled_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('emergency_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_obligation_emergency', 'emergency', ['emergency_id'], ['id'])
        batch_op.create_index('ix_obligation_emergency_id', ['emergency_id'])
        # a digest --as-of a past moment adds the rows settled since: a range scan, not 2.1M rows
        batch_op.create_index('ix_obligation_settled_at', ['settled_at'])
    # The write moment of a settlement already made: its audit entry's, else the moment it took effect.
    op.execute("""
        UPDATE obligation SET settled_at = COALESCE(
            (SELECT max(a.at) FROM audit_entry a WHERE a.entity = 'obligation' AND a.entity_id = obligation.id
                AND a.action IN ('fulfil', 'cancel')),
            fulfilled_at, cancelled_at, created_at)
        WHERE status <> 'open'""")
    # A registry created before 0008 by a bare `init` ran on the old default set, 004 of Mari El; the
    # default is now `federal` (001 applies in every region). Pin the set it has been counting by.
    used = bind.execute(sa.text('SELECT count(*) FROM audit_entry')).scalar()
    chosen = bind.execute(sa.text("SELECT count(*) FROM registry_setting WHERE key = 'rules'")).scalar()
    if used and not chosen:
        op.execute("INSERT INTO registry_setting (key, value) VALUES ('rules', 'mari-el')")
    if pg:
        _protect('emergency')


def _protect(table: str) -> None:
    """The row-level security of 0007, for a table born after it (own rows; the region reads)."""
    op.execute(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
    op.execute(f'CREATE POLICY commission_own ON "{table}" '
               'USING (commission = (SELECT sopcli_commission()) AND NOT (SELECT sopcli_is_region())) '
               'WITH CHECK (commission = (SELECT sopcli_commission()) AND NOT (SELECT sopcli_is_region()))')
    op.execute(f'CREATE POLICY region_reads ON "{table}" FOR SELECT USING ((SELECT sopcli_is_region()))')


def downgrade() -> None:
    with op.batch_alter_table('obligation') as batch_op:
        batch_op.drop_index('ix_obligation_settled_at')
        batch_op.drop_index('ix_obligation_emergency_id')
        batch_op.drop_constraint('fk_obligation_emergency', type_='foreignkey')
        batch_op.drop_column('emergency_id')
        batch_op.drop_column('settled_at')
    with op.batch_alter_table('signal') as batch_op:
        batch_op.drop_column('kind')
    op.drop_index('ix_emergency_commission', 'emergency')
    op.drop_table('emergency')
