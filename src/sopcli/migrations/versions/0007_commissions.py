"""commissions: every row belongs to a commission; on PostgreSQL row-level security enforces it

A region keeps one registry for all its commissions (004 §5.6–5.7): each
commission reads and changes only its own families, the regional commission
reads them all. The column `commission` is filled by the database itself — on
PostgreSQL from the connected role (`sopcli_commission()`), on SQLite from the
file's one commission — so no write path can forget it, and the policies below
hold even against hand-written SQL.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 15:10:00
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

DEFAULT = 'main'  # the commission of a registry created before 0007 (and of a single-commission one)

# Frozen here: a later table adds itself in its own migration.
TENANT_TABLES = ('agency', 'signal', 'person', 'signal_person', 'check_conclusion', 'sop_case', 'obligation',
                 'plan', 'measure', 'proposal', 'report', 'case_event', 'reconciliation', 'measure_complex',
                 'complex_measure', 'audit_entry', 'audit_head')  # a commission's own hash chain (0006)
SHARED_TABLES = ('commission', 'access_role', 'registry_setting', 'calendar_override', 'alembic_version')


def upgrade() -> None:
    bind = op.get_bind()
    pg = bind.dialect.name == 'postgresql'
    op.create_table(
        'commission',
        sa.Column('code', sa.String(40), primary_key=True),
        sa.Column('name', sa.String(300), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
    )
    op.create_table(
        'access_role',
        sa.Column('role', sa.String(63), primary_key=True),
        sa.Column('commission', sa.String(40), sa.ForeignKey('commission.code'), nullable=True),  # NULL: region
        sa.Column('created_at', sa.DateTime(), nullable=False),
    )
    name = bind.execute(sa.text("SELECT value FROM registry_setting WHERE key = 'municipality'")).scalar()
    op.bulk_insert(sa.table('commission', sa.column('code'), sa.column('name'), sa.column('created_at')),
                   [{'code': DEFAULT, 'name': name or '', 'created_at': datetime.now(UTC).replace(tzinfo=None)}])
    if pg:
        _functions()
    default = sa.text('sopcli_commission()') if pg else sa.text(f"'{DEFAULT}'")
    for table in TENANT_TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column('commission', sa.String(40), nullable=False,
                                          server_default=sa.text(f"'{DEFAULT}'")))
            batch_op.create_index(f'ix_{table}_commission', ['commission'])
        if pg:  # the constant filled the old rows; from now on the database names the commission
            op.alter_column(table, 'commission', server_default=default)
    # The journal is numbered per commission, the agency directory is each commission's own.
    with op.batch_alter_table('signal') as batch_op:
        batch_op.drop_constraint('uq_signal_year_seq', type_='unique')
        batch_op.create_unique_constraint('uq_signal_year_seq', ['commission', 'year', 'seq'])
    if pg:
        op.drop_constraint('agency_name_key', 'agency', type_='unique')
        op.create_unique_constraint('uq_agency_name', 'agency', ['commission', 'name'])
    else:
        convention = {'uq': 'uq_%(table_name)s_%(column_0_name)s'}  # names 0001's unnamed UNIQUE(name)
        with op.batch_alter_table('agency', naming_convention=convention) as batch_op:
            batch_op.drop_constraint('uq_agency_name', type_='unique')
            batch_op.create_unique_constraint('uq_agency_name', ['commission', 'name'])
    if pg:
        for table in TENANT_TABLES:
            _protect(table)


def _functions() -> None:
    # Not SECURITY DEFINER: inside such a function current_user would be the owner.
    # The roles read `access_role` (role names and codes only); search_path pinned (CVE-2018-1058).
    op.execute("""
        CREATE FUNCTION sopcli_commission() RETURNS varchar
        LANGUAGE sql STABLE SET search_path = pg_catalog, public AS $$
            SELECT COALESCE((SELECT commission FROM access_role WHERE role = current_user
                             AND commission IS NOT NULL), 'main')
        $$""")
    op.execute("""
        CREATE FUNCTION sopcli_is_region() RETURNS boolean
        LANGUAGE sql STABLE SET search_path = pg_catalog, public AS $$
            SELECT EXISTS (SELECT 1 FROM access_role WHERE role = current_user AND commission IS NULL)
        $$""")


def _protect(table: str) -> None:
    """Row-level security: own rows for a commission's role, all rows (read only) for the region's.

    The owner (who runs migrations and `sopcli admin`) is not subject to it; every
    other role is, whatever SQL it sends. `(SELECT f())` is evaluated once per
    query, not once per row."""
    op.execute(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
    op.execute(f'CREATE POLICY commission_own ON "{table}" '
               'USING (commission = (SELECT sopcli_commission()) AND NOT (SELECT sopcli_is_region())) '
               'WITH CHECK (commission = (SELECT sopcli_commission()) AND NOT (SELECT sopcli_is_region()))')
    op.execute(f'CREATE POLICY region_reads ON "{table}" FOR SELECT USING ((SELECT sopcli_is_region()))')


def downgrade() -> None:
    bind = op.get_bind()
    pg = bind.dialect.name == 'postgresql'
    others = bind.execute(sa.text(f"SELECT count(*) FROM signal WHERE commission <> '{DEFAULT}'")).scalar()
    if others:
        raise RuntimeError('the registry holds other commissions: a downgrade would merge their journals')
    if pg:
        for table in TENANT_TABLES:
            op.execute(f'DROP POLICY IF EXISTS commission_own ON "{table}"')
            op.execute(f'DROP POLICY IF EXISTS region_reads ON "{table}"')
            op.execute(f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY')
        op.drop_constraint('uq_agency_name', 'agency', type_='unique')
        op.create_unique_constraint('agency_name_key', 'agency', ['name'])
    else:
        with op.batch_alter_table('agency') as batch_op:
            batch_op.drop_constraint('uq_agency_name', type_='unique')
            batch_op.create_unique_constraint('uq_agency_name', ['name'])
    with op.batch_alter_table('signal') as batch_op:
        batch_op.drop_constraint('uq_signal_year_seq', type_='unique')
        batch_op.create_unique_constraint('uq_signal_year_seq', ['year', 'seq'])
    for table in TENANT_TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_index(f'ix_{table}_commission')
            batch_op.drop_column('commission')
    if pg:
        op.execute('DROP FUNCTION sopcli_commission()')
        op.execute('DROP FUNCTION sopcli_is_region()')
    op.drop_table('access_role')
    op.drop_table('commission')
