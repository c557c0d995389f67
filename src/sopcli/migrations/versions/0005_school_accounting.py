"""school accounting (003): a pupil's risk categories and the observation file on the case

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 13:58:45.692823
"""

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('sop_case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('zones', sa.String(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('file_items', sa.String(), nullable=False, server_default=''))



def downgrade() -> None:
    with op.batch_alter_table('sop_case', schema=None) as batch_op:
        batch_op.drop_column('file_items')
        batch_op.drop_column('zones')

