"""measure complexes: a regional complex (002) and its measures; obligation.complex_measure_id

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 13:17:22.774521
"""

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('measure_complex',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(), nullable=False),
    sa.Column('span_from', sa.Integer(), nullable=True),
    sa.Column('span_to', sa.Integer(), nullable=True),
    sa.Column('file_name', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('complex_measure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complex_id', sa.Integer(), nullable=False),
    sa.Column('section', sa.String(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('text', sa.String(), nullable=False),
    sa.Column('period', sa.String(), nullable=False),
    sa.Column('executors', sa.String(), nullable=False),
    sa.Column('unread', sa.String(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['complex_id'], ['measure_complex.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('complex_measure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complex_measure_complex_id'), ['complex_id'], unique=False)

    with op.batch_alter_table('obligation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('complex_measure_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_obligation_complex_measure_id'), ['complex_measure_id'], unique=False)
        batch_op.create_foreign_key('fk_obligation_complex_measure_id', 'complex_measure',
                                    ['complex_measure_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('obligation', schema=None) as batch_op:
        batch_op.drop_constraint('fk_obligation_complex_measure_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_obligation_complex_measure_id'))
        batch_op.drop_column('complex_measure_id')

    with op.batch_alter_table('complex_measure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complex_measure_complex_id'))

    op.drop_table('complex_measure')
    op.drop_table('measure_complex')
