"""reconciliations: each quarterly reconciliation with an agency (004 §5.6)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 12:34:12.262375
"""

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('reconciliation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency', sa.String(length=300), nullable=False),
    sa.Column('quarter', sa.String(length=6), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=False),
    sa.Column('file_name', sa.String(length=300), nullable=False),
    sa.Column('matched', sa.Integer(), nullable=False),
    sa.Column('mismatched', sa.Integer(), nullable=False),
    sa.Column('only_registry', sa.Integer(), nullable=False),
    sa.Column('only_agency', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('reconciliation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reconciliation_agency'), ['agency'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('reconciliation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reconciliation_agency'))

    op.drop_table('reconciliation')
