"""move addressee: the commission of the new municipality a move letter goes to (issue 31 §5)

`transfer out` kept where the family went (`place`: the municipality and the flat) and the letter
«Информация о смене места жительства» was addressed to that flat. The letter goes to the commission
of the new municipality (001 §2.5.1(б)), so the step now asks for it: `case_event.addressee`.

The column comes at the end of the table, so a row's backup line is its old line with '' appended:
the rows already sealed are resealed by the first `sopcli init` (the marker `audit_reshape`, as 0014),
each only if its old line still matches its old seal. An upgrade from before 0014 or 0015 finds their marker
still waiting: the new column is added to it rather than a second marker written.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 12:40:00
"""

import json

import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

RESHAPE = 'audit_reshape'
APPENDED = {'case_event': ['']}


def _marker(conn: sa.engine.Connection) -> dict | None:
    value = conn.execute(sa.text("SELECT value FROM registry_setting WHERE key = :k"), {'k': RESHAPE}).scalar()
    return json.loads(value) if value else None


def upgrade() -> None:
    with op.batch_alter_table('case_event') as t:
        t.add_column(sa.Column('addressee', sa.String(300), nullable=False, server_default=''))
    conn = op.get_bind()
    waiting = _marker(conn)
    if waiting is None:
        conn.execute(sa.text("INSERT INTO registry_setting (key, value) VALUES (:k, :v)"),
                     {'k': RESHAPE, 'v': json.dumps(APPENDED)})
    else:  # 0014's or 0015's columns not resealed yet: one marker names every appended column, table by table
        for table, values in APPENDED.items():
            waiting[table] = [*waiting.get(table, []), *values]
        conn.execute(sa.text("UPDATE registry_setting SET value = :v WHERE key = :k"),
                     {'k': RESHAPE, 'v': json.dumps(waiting)})


def downgrade() -> None:
    with op.batch_alter_table('case_event') as t:
        t.drop_column('addressee')
