"""programmes (004 App. 4), measures, proposals (App. 5), reports, case events; obligation.measure_id, cancelled_at

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 12:08:01.104790
"""

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('case_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('place', sa.String(length=300), nullable=False),
    sa.Column('decision', sa.String(length=30), nullable=False),
    sa.Column('note', sa.String(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['sop_case.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('case_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_event_case_id'), ['case_id'], unique=False)

    op.create_table('plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('goal', sa.String(), nullable=False),
    sa.Column('consilium', sa.String(), nullable=False),
    sa.Column('situation', sa.String(), nullable=False),
    sa.Column('tasks', sa.String(), nullable=False),
    sa.Column('potential', sa.String(), nullable=False),
    sa.Column('reaction', sa.String(), nullable=False),
    sa.Column('patronage', sa.String(), nullable=False),
    sa.Column('meetings', sa.String(), nullable=False),
    sa.Column('approved_on', sa.Date(), nullable=True),
    sa.Column('resolution_no', sa.String(length=50), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['sop_case.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('case_id', 'version', name='uq_plan_case_version')
    )
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_case_id'), ['case_id'], unique=False)

    op.create_table('proposal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('agency', sa.String(length=300), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('situation', sa.String(), nullable=False),
    sa.Column('tasks', sa.String(), nullable=False),
    sa.Column('measures', sa.String(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['sop_case.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_case_id'), ['case_id'], unique=False)

    op.create_table('measure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(), nullable=False),
    sa.Column('content', sa.String(), nullable=False),
    sa.Column('executor', sa.String(length=300), nullable=False),
    sa.Column('due_text', sa.String(length=100), nullable=False),
    sa.Column('start', sa.Date(), nullable=True),
    sa.Column('due', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('carried_from', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['sop_case.id'], ),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('measure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_measure_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_measure_plan_id'), ['plan_id'], unique=False)

    op.create_table('report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=True),
    sa.Column('reported_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('text', sa.String(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['sop_case.id'], ),
    sa.ForeignKeyConstraint(['measure_id'], ['measure.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_measure_id'), ['measure_id'], unique=False)

    with op.batch_alter_table('obligation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('measure_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_obligation_measure_id'), ['measure_id'], unique=False)
        batch_op.create_foreign_key('fk_obligation_measure_id', 'measure', ['measure_id'], ['id'])

    with op.batch_alter_table('sop_case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('outcome', sa.String(length=12), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('outcome_results', sa.String(), nullable=False, server_default=''))



def downgrade() -> None:
    with op.batch_alter_table('sop_case', schema=None) as batch_op:
        batch_op.drop_column('outcome_results')
        batch_op.drop_column('outcome')

    with op.batch_alter_table('obligation', schema=None) as batch_op:
        batch_op.drop_constraint('fk_obligation_measure_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_obligation_measure_id'))
        batch_op.drop_column('measure_id')
        batch_op.drop_column('cancelled_at')

    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_measure_id'))
        batch_op.drop_index(batch_op.f('ix_report_case_id'))

    op.drop_table('report')
    with op.batch_alter_table('measure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_measure_plan_id'))
        batch_op.drop_index(batch_op.f('ix_measure_case_id'))

    op.drop_table('measure')
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_case_id'))

    op.drop_table('proposal')
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_case_id'))

    op.drop_table('plan')
    with op.batch_alter_table('case_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_event_case_id'))

    op.drop_table('case_event')
