"""pseudonym keys: one per commission, so anonymised exports of two commissions cannot be linked

Issue 17 §6. Until now `export --anonymize` keyed its pseudonyms with one key
per registry (`registry_setting.pseudonym_key`): on a shared registry the same
child of two commissions' exports got the same pseudonym. Each commission now
has its own key in `pseudonym_key`; the registry's key stays the region's (the
consolidated bank) and a single commission's file keeps it, so an SQLite
registry's pseudonyms do not change.

Where the keys live is the point: every commission's role reads
`registry_setting`, so keys there could be read by all and every commission's
pseudonyms recomputed by any other. In `pseudonym_key`, row-level security
shows a commission's role its own row and nothing else; the region's role sees
none; no role may write it. The same reasoning hides the region's key in
`registry_setting` from the commissions' roles (the region's role and the owner
still read it).

Cheap on a big registry: one row per commission, no table of data is touched.
The keys are random (`secrets`) and never printed or logged.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 16:30:00
"""

import secrets
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

REGION_KEY = 'pseudonym_key'  # the registry's key (registry_setting), the region's from now on


def upgrade() -> None:
    bind = op.get_bind()
    op.create_table(
        'pseudonym_key',
        sa.Column('commission', sa.String(40), sa.ForeignKey('commission.code'), primary_key=True),
        sa.Column('key', sa.String(64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
    )
    now = datetime.now(UTC).replace(tzinfo=None)
    codes = [c for (c,) in bind.execute(sa.text('SELECT code FROM commission ORDER BY code'))]
    if codes:
        op.bulk_insert(sa.table('pseudonym_key', sa.column('commission'), sa.column('key'), sa.column('created_at')),
                       [{'commission': c, 'key': secrets.token_hex(32), 'created_at': now} for c in codes])
    if bind.dialect.name != 'postgresql':
        return
    op.execute('ALTER TABLE pseudonym_key ENABLE ROW LEVEL SECURITY')
    op.execute('CREATE POLICY commission_own ON pseudonym_key FOR SELECT '
               'USING (commission = (SELECT sopcli_commission()) AND NOT (SELECT sopcli_is_region()))')
    op.execute('ALTER TABLE registry_setting ENABLE ROW LEVEL SECURITY')
    op.execute(f"CREATE POLICY region_key ON registry_setting FOR SELECT "
               f"USING (key <> '{REGION_KEY}' OR (SELECT sopcli_is_region()))")
    roles = [r for (r,) in bind.execute(sa.text('SELECT role FROM access_role'))]
    for role in roles:  # read-only, as 0007's shared tables
        op.execute(f'GRANT SELECT ON pseudonym_key TO {bind.dialect.identifier_preparer.quote(role)}')
    if bind.execute(sa.text('SELECT 1 FROM access_role WHERE commission IS NOT NULL')).first():
        # Until now every commission's role could read the region's key: a new one, or the consolidated
        # exports from here on stay linkable by any commission that kept it. Exports are made from the
        # registry, so the region re-exports an earlier quarter for pseudonyms that match the new ones.
        bind.execute(sa.text('UPDATE registry_setting SET value = :v WHERE key = :k'),
                     {'v': secrets.token_hex(32), 'k': REGION_KEY})


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP POLICY IF EXISTS region_key ON registry_setting')
        op.execute('ALTER TABLE registry_setting DISABLE ROW LEVEL SECURITY')
    op.drop_table('pseudonym_key')
