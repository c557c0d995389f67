"""owners: every term owed by an agency of the directory, the commission or a curator (issue 28)

Until now `obligation.who` was a piece of text: the rulebook's role («выявивший
орган», «куратор») or whatever was typed as a signal's source. Now the step that
opens a term binds the role to an owner and keeps the role beside it:

- `obligation.role` — the rulebook's `who`; `owner_kind` — agency | commission |
  curator | unbound; `agency_id` — the agency (a curator's own agency);
- `signal.source_kind` / `source_agency_id` — the source as an owner (a citizen,
  an anonymous caller or the commission's own finding is no agency);
  `signal.detected_at` — when the source found it (the informing term counts
  from it, its receipt fulfils it);
- `sop_case.curator_agency_id` — the agency the curator works for.

The columns come at the end of each table, so a row's backup line is its old
line with the new values appended: the rows already sealed (0013) are resealed
by the first `sopcli init`, each only if its old line still matches its old
seal (the marker `audit_reshape`), and the old texts are then bound to owners
by the same `init` (services/directory/owners_upgrade.py): a migration must not
carry the resolver.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 09:00:00
"""

import json

import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

RESHAPE = 'audit_reshape'
BIND = 'owners_bound'
#: table → the columns appended, with the value each row holds right after the upgrade
APPENDED = {
    'obligation': ['', '', None],
    'signal': ['', None, None],
    'sop_case': [None],
}


def upgrade() -> None:
    with op.batch_alter_table('obligation') as t:
        t.add_column(sa.Column('role', sa.String(300), nullable=False, server_default=''))
        t.add_column(sa.Column('owner_kind', sa.String(12), nullable=False, server_default=''))
        t.add_column(sa.Column('agency_id', sa.Integer(), nullable=True))
        t.create_foreign_key('fk_obligation_agency', 'agency', ['agency_id'], ['id'])
        # `--who` and the letters read an owner's names by index, not by scanning every term
        t.create_index('ix_obligation_agency_who', ['agency_id', 'who'])
        t.create_index('ix_obligation_owner_who', ['owner_kind', 'who'])
    with op.batch_alter_table('signal') as t:
        t.add_column(sa.Column('source_kind', sa.String(12), nullable=False, server_default=''))
        t.add_column(sa.Column('source_agency_id', sa.Integer(), nullable=True))
        t.add_column(sa.Column('detected_at', sa.DateTime(timezone=True), nullable=True))
        t.create_foreign_key('fk_signal_source_agency', 'agency', ['source_agency_id'], ['id'])
        t.create_index('ix_signal_source_agency_id', ['source_agency_id'])
    with op.batch_alter_table('sop_case') as t:
        t.add_column(sa.Column('curator_agency_id', sa.Integer(), nullable=True))
        t.create_foreign_key('fk_case_curator_agency', 'agency', ['curator_agency_id'], ['id'])
    rows = [{'key': RESHAPE, 'value': json.dumps(APPENDED)}, {'key': BIND, 'value': 'pending'}]
    op.bulk_insert(sa.table('registry_setting', sa.column('key'), sa.column('value')), rows)


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM registry_setting WHERE key IN (:a, :b)").bindparams(a=RESHAPE, b=BIND))
    with op.batch_alter_table('sop_case') as t:
        t.drop_constraint('fk_case_curator_agency', type_='foreignkey')
        t.drop_column('curator_agency_id')
    with op.batch_alter_table('signal') as t:
        t.drop_index('ix_signal_source_agency_id')
        t.drop_constraint('fk_signal_source_agency', type_='foreignkey')
        t.drop_column('detected_at')
        t.drop_column('source_agency_id')
        t.drop_column('source_kind')
    with op.batch_alter_table('obligation') as t:
        t.drop_index('ix_obligation_owner_who')
        t.drop_index('ix_obligation_agency_who')
        t.drop_constraint('fk_obligation_agency', type_='foreignkey')
        t.drop_column('agency_id')
        t.drop_column('owner_kind')
        t.drop_column('role')
