"""words: the secretary's own names for agencies, a later signal attached to an open case

Issue 13. Agencies are typed the way offices say them ("ПДН", "опека",
"школа № 5"): the directory's full names stay as they are and `agency alias`
adds the commission's own short names, one row each, matched case- and
ё/е-folded (`alias_key`, unique per commission, so one word names one agency).

A second signal about a child whose case is open need not start a new check:
the secretary attaches it to the case (`signal add --to-case N`), and a row of
`case_signal` records which (a table of its own: a column on `signal` would make
`signal` and `sop_case` refer to each other, and a restore could not order them).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 02:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    pg = bind.dialect.name == 'postgresql'
    commission_default = sa.text('sopcli_commission()') if pg else sa.text("'main'")
    op.create_table(
        'agency_alias',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('agency_id', sa.Integer(), sa.ForeignKey('agency.id'), nullable=False, index=True),
        sa.Column('alias', sa.String(100), nullable=False),
        sa.Column('alias_key', sa.String(100), nullable=False),
        sa.Column('commission', sa.String(40), nullable=False, server_default=commission_default),
        sa.UniqueConstraint('commission', 'alias_key', name='uq_agency_alias_key'),
    )
    op.create_index('ix_agency_alias_commission', 'agency_alias', ['commission'])
    op.create_table(
        'case_signal',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('case_id', sa.Integer(), sa.ForeignKey('sop_case.id'), nullable=False, index=True),
        sa.Column('signal_id', sa.Integer(), sa.ForeignKey('signal.id'), nullable=False, unique=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('commission', sa.String(40), nullable=False, server_default=commission_default),
    )
    op.create_index('ix_case_signal_commission', 'case_signal', ['commission'])
    if pg:
        _protect('agency_alias')
        _protect('case_signal')


def _protect(table: str) -> None:
    """The row-level security of 0007, for a table born after it (own rows; the region reads)."""
    op.execute(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
    op.execute(f'CREATE POLICY commission_own ON "{table}" '
               'USING (commission = (SELECT sopcli_commission()) AND NOT (SELECT sopcli_is_region())) '
               'WITH CHECK (commission = (SELECT sopcli_commission()) AND NOT (SELECT sopcli_is_region()))')
    op.execute(f'CREATE POLICY region_reads ON "{table}" FOR SELECT USING ((SELECT sopcli_is_region()))')


def downgrade() -> None:
    op.drop_index('ix_case_signal_commission', 'case_signal')
    op.drop_table('case_signal')
    op.drop_index('ix_agency_alias_commission', 'agency_alias')
    op.drop_table('agency_alias')
