"""income kopecks: App. 2 §4 amounts as the family states them, «21 317,40» (issue 31 §5)

The seven `income_*` columns hold whole roubles (0010). The kopecks go beside each, in
`income_*_kop` (0–99, NULL for none), so a stored amount is exact on SQLite and PostgreSQL
alike and no row already written changes: the roubles keep their column and their value.

The columns come at the end of the table, so a row's backup line is its old line with
`null`s appended: the rows already sealed (0013) are resealed by the first `sopcli init`
(the marker `audit_reshape`, as 0014 set it; merged if 0014's is still waiting).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 12:00:00
"""

import json

import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

RESHAPE = 'audit_reshape'
KOPECKS = ('income_salary_kop', 'income_pension_kop', 'income_benefits_kop', 'income_farm_kop',
           'income_alimony_kop', 'income_stipend_kop', 'income_other_kop')


def upgrade() -> None:
    with op.batch_alter_table('check_conclusion') as t:
        for name in KOPECKS:
            t.add_column(sa.Column(name, sa.Integer(), nullable=True))
    bind = op.get_bind()
    waiting = bind.execute(sa.text("SELECT value FROM registry_setting WHERE key = :k"), {'k': RESHAPE}).scalar()
    appended = json.loads(waiting) if waiting else {}
    appended['check_conclusion'] = appended.get('check_conclusion', []) + [None] * len(KOPECKS)
    if waiting:
        bind.execute(sa.text("UPDATE registry_setting SET value = :v WHERE key = :k"),
                     {'k': RESHAPE, 'v': json.dumps(appended)})
    else:
        op.bulk_insert(sa.table('registry_setting', sa.column('key'), sa.column('value')),
                       [{'key': RESHAPE, 'value': json.dumps(appended)}])


def downgrade() -> None:
    bind = op.get_bind()
    waiting = bind.execute(sa.text("SELECT value FROM registry_setting WHERE key = :k"), {'k': RESHAPE}).scalar()
    if waiting:
        appended = json.loads(waiting)
        appended.pop('check_conclusion', None)
        if appended:
            bind.execute(sa.text("UPDATE registry_setting SET value = :v WHERE key = :k"),
                         {'k': RESHAPE, 'v': json.dumps(appended)})
        else:
            bind.execute(sa.text("DELETE FROM registry_setting WHERE key = :k"), {'k': RESHAPE})
    with op.batch_alter_table('check_conclusion') as t:
        for name in reversed(KOPECKS):
            t.drop_column(name)
