"""Commissions of a shared registry and their PostgreSQL roles (`sopcli admin`).

Isolation lives in the database (migration 0007): a commission's role gets the
tenant tables with row-level security on them, the shared tables (settings,
calendar, the commission list) read-only, and nothing else — not the right to
create roles, alter tables or switch to another commission's role. The
region's role reads everything and writes nothing. Roles are cluster-wide in
PostgreSQL, so their names carry the database's name: two registries on one
server never share a role.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from sopcli.errors import InvalidInput
from sopcli.services.registry import Registry
from sopcli.services.trust import audit
from sopcli.tenancy import DEFAULT_COMMISSION, check_code

# pseudonym_key has a `commission` column, but a role only reads its own row (0011): never writes it
SHARED_TABLES = ("commission", "access_role", "registry_setting", "calendar_override", "alembic_version",
                 "pseudonym_key")


def _pg(session: Session) -> bool:
    return session.connection().dialect.name == "postgresql"


def tenant_tables(session: Session) -> list[str]:
    """Every table with a `commission` column: the ones row-level security protects."""
    from sqlalchemy import inspect

    insp = inspect(session.connection())
    # access_role has a `commission` column too, but it is the map of rights itself: never writable by a role
    return sorted(t for t in insp.get_table_names() if t not in SHARED_TABLES
                  and any(c["name"] == "commission" for c in insp.get_columns(t)))


def add_commission(session: Session, reg: Registry, code: str, name: str, login: bool = True,
                   agencies: list[tuple[str, str]] | None = None) -> dict[str, Any]:
    """A commission row, its own agency directory and (PostgreSQL) its role; one transaction."""
    code, name = check_code(code), " ".join(name.split())
    if not name or len(name) > 300:
        raise InvalidInput("Название комиссии: от 1 до 300 знаков.")
    if session.execute(text("SELECT 1 FROM commission WHERE code = :c"), {"c": code}).first():
        raise InvalidInput(f"Комиссия «{code}» уже есть в реестре.")
    session.execute(text("INSERT INTO commission (code, name, created_at) VALUES (:c, :n, :t)"),
                    {"c": code, "n": name, "t": datetime.now(UTC).replace(tzinfo=None)})
    audit.touch(session, "commission", code)
    for agency, kind in agencies or []:
        session.execute(text("INSERT INTO agency (name, kind, is_active, commission) VALUES (:n, :k, :a, :c)"),
                        {"n": agency, "k": kind, "a": True, "c": code})
    audit.touch(session, "agency", *session.execute(text("SELECT id FROM agency WHERE commission = :c"),
                                                    {"c": code}).scalars())
    add_pseudonym_key(session, reg, code)
    result: dict[str, Any] = {"code": code, "name": name, "role": None, "password": None,
                              "agencies": len(agencies or [])}
    if _pg(session):
        result.update(_create_role(session, f"{_db(session)}_{code}", code, login))
    audit.record(session, reg, "create", "commission", None, code=code, name=name, role=result["role"])
    return result


def add_pseudonym_key(session: Session, reg: Registry, code: str) -> None:
    """The commission's own pseudonym key (0011), made by the owner: its role may read it, never write it,
    so it must exist before the commission's first anonymised export. Audited by name, never by value."""
    session.execute(text("INSERT INTO pseudonym_key (commission, key, created_at) VALUES (:c, :k, :t)"),
                    {"c": code, "k": secrets.token_hex(32), "t": datetime.now(UTC).replace(tzinfo=None)})
    audit.touch(session, "pseudonym_key", code)
    audit.record(session, reg, "create", "pseudonym_key", None, commission=code)


def ensure_pseudonym_keys(session: Session, reg: Registry) -> list[str]:
    """A key for every commission that has none (a row added by hand): the owner's `init` mends it, since a
    commission's role cannot. The commissions given one now."""
    missing = [c for (c,) in session.execute(text(
        "SELECT code FROM commission WHERE code NOT IN (SELECT commission FROM pseudonym_key) ORDER BY code"))]
    for code in missing:
        add_pseudonym_key(session, reg, code)
    return missing


def add_region_role(session: Session, reg: Registry, name: str, login: bool = True) -> dict[str, Any]:
    """The regional level's role: reads every commission's rows (the consolidated bank), writes nothing."""
    if not _pg(session):
        raise InvalidInput("Роли доступа есть только в общем реестре на PostgreSQL.")
    result = _create_role(session, f"{_db(session)}_{check_code(name)}", None, login)
    audit.record(session, reg, "create", "access_role", None, role=result["role"], region=True)
    return result


def list_commissions(session: Session) -> list[dict[str, Any]]:
    rows = session.execute(text(
        "SELECT c.code, c.name, a.role FROM commission c LEFT JOIN access_role a ON a.commission = c.code "
        "ORDER BY c.code, a.role")).all()
    out = [{"code": code, "name": name, "role": role} for code, name, role in rows]
    out += [{"code": None, "name": "регион (чтение всех комиссий)", "role": role} for (role,) in session.execute(
        text("SELECT role FROM access_role WHERE commission IS NULL ORDER BY role")).all()]
    return out


def regrant(session: Session) -> int:
    """Give every existing role its rights on the tables as they are now (after `init` upgraded the schema)."""
    if not _pg(session):
        return 0
    roles = session.execute(text("SELECT role, commission FROM access_role")).all()
    for role, commission in roles:
        _grant(session, role, region=commission is None)
    return len(roles)


def _db(session: Session) -> str:
    return str(session.execute(text("SELECT current_database()")).scalar())


def _create_role(session: Session, role: str, commission: str | None, login: bool) -> dict[str, Any]:
    from psycopg import sql

    role = role.lower().replace("-", "_")[:63]
    if session.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first():
        raise InvalidInput(f"Роль «{role}» уже есть на сервере.")
    password = secrets.token_urlsafe(18) if login else None
    raw = session.connection().connection.driver_connection
    statement = sql.SQL("CREATE ROLE {} NOINHERIT {}").format(
        sql.Identifier(role), sql.SQL("LOGIN PASSWORD {}").format(sql.Literal(password)) if login
        else sql.SQL("NOLOGIN"))
    try:
        with raw.cursor() as cur:
            cur.execute(statement)
            # The owner may then act for the commission (`--commission`) through SET ROLE.
            cur.execute(sql.SQL("GRANT {} TO CURRENT_USER").format(sql.Identifier(role)))
    except Exception as exc:
        if type(exc).__name__ == "InsufficientPrivilege":
            raise InvalidInput("Нет права создавать роли: запустите sopcli admin владельцем реестра "
                               "с правом CREATEROLE.") from None
        raise
    session.execute(text("INSERT INTO access_role (role, commission, created_at) VALUES (:r, :c, :t)"),
                    {"r": role, "c": commission, "t": datetime.now(UTC).replace(tzinfo=None)})
    audit.touch(session, "access_role", role)
    _grant(session, role, region=commission is None)
    return {"role": role, "password": password}


def _grant(session: Session, role: str, region: bool) -> None:
    from psycopg import sql

    who = sql.Identifier(role)
    tenant = [sql.Identifier(t) for t in tenant_tables(session)]
    shared = [sql.Identifier(t) for t in SHARED_TABLES]
    raw = session.connection().connection.driver_connection
    with raw.cursor() as cur:
        cur.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(_db(session)), who))
        cur.execute(sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(who))
        cur.execute(sql.SQL("GRANT SELECT ON {} TO {}").format(sql.SQL(", ").join(tenant + shared), who))
        if not region:
            cur.execute(sql.SQL("GRANT INSERT, UPDATE, DELETE ON {} TO {}").format(sql.SQL(", ").join(tenant), who))
            cur.execute(sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(who))
    _nothing_to_create(session, role)


def _nothing_to_create(session: Session, role: str) -> None:
    """No temporary table, view or function and nothing in schema public for the role (issue 27, 0012).

    A temporary table named like one the policies read once chose the commission. Revoked from PUBLIC too,
    database-wide, so a role made later inherits nothing; again here because a copy of the database
    (`CREATE DATABASE … TEMPLATE`) gets a fresh ACL and `init` regrants. Checked afterwards: a REVOKE by
    anyone but the database's owner changes nothing and only warns."""
    from psycopg import sql

    db = sql.Identifier(_db(session))
    raw = session.connection().connection.driver_connection
    with raw.cursor() as cur:
        for who in (sql.SQL("PUBLIC"), sql.Identifier(role)):
            cur.execute(sql.SQL("REVOKE TEMPORARY, CREATE ON DATABASE {} FROM {}").format(db, who))
            cur.execute(sql.SQL("REVOKE CREATE ON SCHEMA public FROM {}").format(who))
        cur.execute("SELECT has_database_privilege(%(r)s, current_database(), 'TEMPORARY, CREATE') "
                    "OR has_schema_privilege(%(r)s, 'public', 'CREATE')", {"r": role})
        (can,) = cur.fetchone() or (False,)
    if can:
        raise InvalidInput(f"Роль «{role}» может создавать таблицы (TEMPORARY или CREATE): запустите sopcli init "
                           "и sopcli admin владельцем базы данных реестра.")


__all__ = ["DEFAULT_COMMISSION", "add_commission", "add_pseudonym_key", "add_region_role",
           "ensure_pseudonym_keys", "list_commissions", "regrant"]
