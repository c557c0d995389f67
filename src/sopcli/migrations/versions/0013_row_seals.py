"""row seals: every data row inside the audit evidence (issue 27 §2)

Until now the hash chain covered the audit entries only: a row of `signatory`,
`emergency` or `pseudonym_key` changed or deleted by hand left `audit verify`
green. `row_seal` keeps, per data row, the hash of the row as sopcli last wrote
it and the `seal` entry of the chain that recorded that hash. The rows already
in the registry are sealed once by the first `sopcli init` after this upgrade
(the marker `audit_seals = pending`): a migration must not carry the backup's
line encoder, which the seal hashes.

On PostgreSQL the table is a commission's own, like every other (0007's
row-level security): a seal's commission is its chain's.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 06:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

MARKER = 'audit_seals'


def upgrade() -> None:
    bind = op.get_bind()
    pg = bind.dialect.name == 'postgresql'
    default = sa.text('sopcli_commission()') if pg else sa.text("'main'")
    op.create_table(
        'row_seal',
        sa.Column('tbl', sa.String(63), primary_key=True),
        sa.Column('row_key', sa.String(200), primary_key=True),
        sa.Column('hash', sa.String(64), nullable=False),
        sa.Column('chain', sa.String(40), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('commission', sa.String(40), nullable=False, server_default=default),
    )
    op.create_index('ix_row_seal_commission', 'row_seal', ['commission'])
    op.bulk_insert(sa.table('registry_setting', sa.column('key'), sa.column('value')),
                   [{'key': MARKER, 'value': 'pending'}])
    if pg:
        op.execute('ALTER TABLE row_seal ENABLE ROW LEVEL SECURITY')
        op.execute('CREATE POLICY commission_own ON row_seal '
                   'USING (commission = (SELECT sopcli_commission()) AND NOT (SELECT sopcli_is_region())) '
                   'WITH CHECK (commission = (SELECT sopcli_commission()) AND NOT (SELECT sopcli_is_region()))')
        op.execute('CREATE POLICY region_reads ON row_seal FOR SELECT USING ((SELECT sopcli_is_region()))')


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM registry_setting WHERE key = :k").bindparams(k=MARKER))
    op.drop_index('ix_row_seal_commission', 'row_seal')
    op.drop_table('row_seal')
