"""rls hardening: the policies' functions name their table, and no role of the registry makes temporary objects

Issue 27. Every policy of 0007–0011 asks `sopcli_commission()` and
`sopcli_is_region()` whose rows the connected role may see; both read
`access_role` under `search_path = pg_catalog, public`. PostgreSQL searches
the session's temporary schema before any schema the path names unless the
path names `pg_temp` itself, so a commission's role that created a temporary
table `access_role` of its own chose its commission (another's, or NULL: the
region) and read, changed and deleted every other commission's rows and keys.

The functions now read `public.access_role` with `pg_temp` named last in
their path. The policies and the columns' defaults call the functions by the
oid they were bound to when created, so `CREATE OR REPLACE` mends them all;
no policy of 0007–0011 names a table or calls any other function (their
operators are pg_catalog's, resolved when they were created).

Depth behind it: PUBLIC loses TEMPORARY on the database and CREATE on schema
public (the latter is PostgreSQL 15's default already), so a commission's or
the region's role creates no table, view, function or operator anywhere. The
database's owner keeps both as owner; a superuser needs neither grant. A
database-wide REVOKE from PUBLIC covers the roles `sopcli admin` makes later;
`admin` checks it again for each role it grants (a copy of the database made
by `CREATE DATABASE … TEMPLATE` gets a fresh ACL; `sopcli init` re-applies it).

Only the database's owner (or a superuser) can revoke from PUBLIC; anyone else
gets a warning and nothing changes. A registry that already has commission
roles then refuses to upgrade rather than stay open; one without roles (a
single commission on PostgreSQL) upgrades, and `admin` refuses its first role.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 04:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

# Not SECURITY DEFINER: inside such a function current_user would be the owner.
# An SQL function's body is parsed at each call under its own path, so its one operator is named too: an `=`
# of exactly (varchar, name) in a schema on the path would beat pg_catalog's (text, name) whatever the order.
HARDENED = {
    'sopcli_commission': ('varchar', """
            SELECT COALESCE((SELECT commission FROM public.access_role
                             WHERE role OPERATOR(pg_catalog.=) current_user AND commission IS NOT NULL), 'main')"""),
    'sopcli_is_region': ('boolean', """
            SELECT EXISTS (SELECT 1 FROM public.access_role
                           WHERE role OPERATOR(pg_catalog.=) current_user AND commission IS NULL)"""),
}
# 0007's text, for the downgrade.
OLD = {
    'sopcli_commission': ('varchar', """
            SELECT COALESCE((SELECT commission FROM access_role WHERE role = current_user
                             AND commission IS NOT NULL), 'main')"""),
    'sopcli_is_region': ('boolean', """
            SELECT EXISTS (SELECT 1 FROM access_role WHERE role = current_user AND commission IS NULL)"""),
}


def _functions(bodies: dict[str, tuple[str, str]], path: str) -> None:
    for name, (returns, body) in bodies.items():
        op.execute(f"""
        CREATE OR REPLACE FUNCTION public.{name}() RETURNS {returns}
        LANGUAGE sql STABLE SET search_path = {path} AS $$ {body}
        $$""")


def _db() -> str:
    bind = op.get_bind()
    name = bind.execute(sa.text('SELECT current_database()')).scalar()
    return bind.dialect.identifier_preparer.quote(name)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != 'postgresql':
        return
    _functions(HARDENED, 'pg_catalog, public, pg_temp')
    op.execute(f'REVOKE TEMPORARY ON DATABASE {_db()} FROM PUBLIC')
    op.execute('REVOKE CREATE ON SCHEMA public FROM PUBLIC')
    still = bind.execute(sa.text(
        "SELECT has_database_privilege('public', current_database(), 'TEMPORARY') "
        "OR has_schema_privilege('public', 'public', 'CREATE')")).scalar()
    if still and bind.execute(sa.text('SELECT 1 FROM access_role LIMIT 1')).first():
        raise RuntimeError('PUBLIC keeps TEMPORARY on the database or CREATE on schema public: run the upgrade '
                           "as the database's owner, or revoke them yourself (issue 27)")


def downgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    _functions(OLD, 'pg_catalog, public')
    op.execute(f'GRANT TEMPORARY ON DATABASE {_db()} TO PUBLIC')
    if int(op.get_bind().execute(sa.text('SHOW server_version_num')).scalar()) < 150000:
        op.execute('GRANT CREATE ON SCHEMA public TO PUBLIC')  # the default before PostgreSQL 15
