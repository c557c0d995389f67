"""A shared registry made before 0012 gets the hardened policies' functions from `sopcli init` (issue 27).

At 0011 the temporary-table attack reads another commission's rows: the check below tells the two apart.
After `init` the attack is refused, the roles' grants are given again (`regrant`) and still work, a new
commission's role can create nothing, and `init` takes back a TEMPORARY that PUBLIC got again (a copy of
the database by `CREATE DATABASE … TEMPLATE` starts with PostgreSQL's default rights).
"""

from __future__ import annotations

from typing import Any

import psycopg
from sqlalchemy import create_engine

from sopcli.services.reading.schema import SCHEMA_HEAD
from tests.conftest import ok, private_env, runner, throwaway_database

CHILD = {"aaa": "Аверин Антон Андреевич", "bbb": "Борисов Борис Борисович"}


def _plain(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def _as(url: str, role: dict[str, Any]) -> psycopg.Connection:
    scheme, rest = _plain(url).split("://", 1)
    return psycopg.connect(f"{scheme}://{role['role']}:{role['password']}@{rest.split('@', 1)[1]}", autocommit=True)


def _attack(url: str, role: dict[str, Any]) -> set[str] | None:
    """The children A's role reads after a temporary `access_role` naming B; None: the table was refused."""
    with _as(url, role) as conn:
        try:
            conn.execute("CREATE TEMP TABLE access_role (role text, commission text)")
        except psycopg.errors.InsufficientPrivilege:
            return None
        conn.execute("INSERT INTO access_role VALUES (current_user, 'bbb')")
        return {n for (n,) in conn.execute("SELECT full_name FROM person")}


def _owner(url: str, sql: str) -> list[tuple]:
    with psycopg.connect(_plain(url), autocommit=True) as conn:
        cur = conn.execute(sql)
        return cur.fetchall() if cur.description else []


def _downgrade(url: str, target: str) -> None:
    from alembic import command

    from sopcli.db import alembic_config

    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, target)
    finally:
        engine.dispose()


def test_init_hardens_a_shared_registry_made_before_0012(tmp_path):
    with throwaway_database(suite="security") as url:
        run = runner(dict(private_env(tmp_path), SOPCLI_DB=url))
        ok(run("init", "--new", "--rules", "mari-el", "--municipality", "Регион"))
        roles = {c: ok(run("admin", "commission", "add", c, "--name", c, "--json")).json() for c in CHILD}
        for code, child in CHILD.items():
            ok(run("--commission", code, "signal", "add", "--no-threat",
                   "--received", "10.11.2026 10:00", "--source", "школа",
                   "--child", f"{child}, 01.02.2015", "--problem", "пропуски занятий"))
        _downgrade(url, "0011")
        assert _owner(url, "SELECT has_database_privilege('public', current_database(), 'TEMPORARY')") == [(True,)]
        assert _attack(url, roles["aaa"]) == {CHILD["bbb"]}  # the hole of 0011, as reported

        ok(run("init", "--new"))
        assert _owner(url, "SELECT version_num FROM alembic_version") == [(SCHEMA_HEAD,)]
        assert _owner(url, "SELECT proconfig FROM pg_proc WHERE proname LIKE 'sopcli%'") == [
            (["search_path=pg_catalog, public, pg_temp"],)] * 2
        assert _attack(url, roles["aaa"]) is None
        with _as(url, roles["aaa"]) as conn:  # the grants `init` gave again still let A work on its own rows
            assert {n for (n,) in conn.execute("SELECT full_name FROM person")} == {CHILD["aaa"]}
            conn.execute("INSERT INTO person (full_name, name_key) VALUES ('Новый', 'новый')")
            assert conn.execute("SELECT commission FROM person WHERE name_key = 'новый'").fetchone() == ("aaa",)
        ccc = ok(run("admin", "commission", "add", "ccc", "--name", "ccc", "--json")).json()
        assert _attack(url, ccc) is None

        _owner(url, f'GRANT TEMPORARY ON DATABASE "{url.rsplit("/", 1)[1]}" TO PUBLIC')
        ok(run("init", "--new"))  # regrant: PUBLIC loses it again
        assert _owner(url, "SELECT has_database_privilege('public', current_database(), 'TEMPORARY')") == [(False,)]
        assert _attack(url, roles["bbb"]) is None
