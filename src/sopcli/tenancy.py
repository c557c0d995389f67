"""Who the connection acts for: one commission of a shared registry, the region, or the owner.

A region keeps one PostgreSQL registry for all its commissions (004 §5.6–5.7).
Isolation is the database's job, not Python's: migration 0007 fills every
row's `commission` from the connected role and row-level security hides and
protects other commissions' rows, so even hand-written SQL cannot cross. This
module only chooses the role — `SET ROLE` to the commission's — before any
query runs, on both connection paths (the ORM's and the plain DB-API reader).
An SQLite file is one commission; it has no roles to switch to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sopcli.errors import InvalidInput

DEFAULT_COMMISSION = "main"
CODE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


@dataclass(frozen=True)
class Acting:
    commission: str  # whose rows this connection writes
    scoped: bool  # row-level security applies (a commission's or the region's role)
    region: bool  # the regional level: reads every commission, writes nothing
    shared: bool  # the registry has commission roles (a regional server)


def check_code(code: str) -> str:
    code = code.strip()
    if not CODE_RE.match(code):
        raise InvalidInput(f"Код комиссии «{code[:40]}»: латинские строчные буквы, цифры, «-» и «_», до 40 знаков.")
    return code


def enter(dbapi_conn: Any, pg: bool, commission: str | None) -> None:
    """Switch the fresh connection to the commission's role (PostgreSQL), committed so it outlives a rollback."""
    if commission is None:
        return
    code = check_code(commission)
    if not pg:
        if code != DEFAULT_COMMISSION:
            raise InvalidInput(f"В файле SQLite одна комиссия («{DEFAULT_COMMISSION}»); "
                               "работа от имени разных комиссий — в общем реестре на PostgreSQL.")
        return
    from psycopg import errors, sql

    cur = dbapi_conn.cursor()
    try:
        cur.execute("SELECT role FROM access_role WHERE commission = %s ORDER BY role LIMIT 1", (code,))
        row = cur.fetchone()
        if row is None:
            raise InvalidInput(f"В реестре нет комиссии «{code}» с ролью: sopcli admin commission add {code}.")
        cur.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(row[0])))
    except errors.InsufficientPrivilege:
        dbapi_conn.rollback()
        raise InvalidInput(f"Нет прав работать от имени комиссии «{code}».") from None
    except errors.UndefinedTable:
        dbapi_conn.rollback()
        from sopcli.db import OTHER_VERSION

        raise InvalidInput(OTHER_VERSION) from None
    finally:
        cur.close()
    dbapi_conn.commit()


def acting(dbapi_conn: Any, pg: bool) -> Acting:
    """Read who this connection is; on SQLite always the file's one commission."""
    if not pg:
        return Acting(DEFAULT_COMMISSION, False, False, False)
    cur = dbapi_conn.cursor()
    cur.execute("SELECT a.commission, a.role IS NOT NULL, (SELECT count(*) FROM access_role) "
                "FROM (SELECT 1) AS one LEFT JOIN access_role a ON a.role = current_user")
    commission, scoped, roles = cur.fetchone()
    cur.close()
    return Acting(commission or DEFAULT_COMMISSION, bool(scoped), bool(scoped) and commission is None, roles > 0)
