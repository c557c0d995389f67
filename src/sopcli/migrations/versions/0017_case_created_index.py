"""case created index: the cases written by a past moment, counted from an index (issue 32 §6)

The digest's first line names the registry and its number of cases; at a past moment (`--as-of`, as
written) it counts the cases written by then, `created_at <= T`. Without an index that read every case:
about 20 ms on SQLite and 40 ms on PostgreSQL for the national registry's 150,000, a tenth of the digest's
time beside the raw query. No row changes, so no seal does.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 17:45:00
"""

from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_sop_case_created_at', 'sop_case', ['created_at'])


def downgrade() -> None:
    op.drop_index('ix_sop_case_created_at', table_name='sop_case')
