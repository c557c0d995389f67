"""Hand-written SQL against a shared PostgreSQL registry, sent as commission A's own role (issue 27).

One registry for the module: commissions `aaa` and `bbb` with rows in every tenant table that matters and a
pseudonym key each, a region role, the regional key. Every attack is sent over A's login, and afterwards
(on the same session, with whatever the attack left behind: temporary objects, settings, a role) the probe
reads and writes every commission's rows through the real tables. Nothing of B's and no key but A's may be
seen, changed or added, whether the attack's own statements are refused or not.
"""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from psycopg import errors

from tests.conftest import ok, private_env, runner, throwaway_database

A, B = "aaa", "bbb"
CHILD = {A: "Аверин Антон Андреевич", B: "Борисов Борис Борисович"}
SIGNER = {A: "А. А. Антонова", B: "Б. Б. Бобров"}
SCHOOL = {A: "Школа № 1 (А)", B: "Школа № 2 (Б)"}
TABLES = ("person", "signal", "signal_person", "agency", "sop_case", "obligation", "signatory", "case_assignment",
          "audit_entry", "audit_head")


def _plain(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def _login(url: str, role: str, password: str) -> str:
    scheme, rest = _plain(url).split("://", 1)
    return f"{scheme}://{role}:{password}@{rest.split('@', 1)[1]}"


@pytest.fixture(scope="module")
def reg(tmp_path_factory) -> Any:
    with throwaway_database(suite="security") as url:
        yield _build(url, runner(dict(private_env(tmp_path_factory.mktemp("sql")), SOPCLI_DB=url)))


def _build(url: str, run: Any) -> dict[str, Any]:
    ok(run("init", "--new", "--rules", "mari-el", "--municipality", "Регион"))
    roles = {code: ok(run("admin", "commission", "add", code, "--name", f"Комиссия {code}", "--json")).json()
             for code in (A, B)}
    roles["region"] = ok(run("admin", "region", "region", "--json")).json()
    for code in (A, B):
        as_ = ("--commission", code)
        sig = str(ok(run(*as_, "signal", "add", "--no-threat",
                         "--received", "10.11.2026 10:00", "--source", "школа", "--child",
                         f"{CHILD[code]}, 01.02.2015", "--address", f"ул. {code}, 1", "--problem",
                         "пропуски занятий", "--json")).json()["id"])
        ok(run(*as_, "check", sig, "--concluded", "12.11.2026", "--level", "high", "--outcome", "sop"))
        ok(run(*as_, "recognize", sig, "--date", "13.11.2026", "--resolution", "1", "--curator", "Петрова А. В."))
    with psycopg.connect(_plain(url), autocommit=True) as conn:
        for code in (A, B):  # written by the commission's role: the database stamps the commission
            conn.execute(f'SET ROLE "{roles[code]["role"]}"')
            conn.execute("INSERT INTO signatory (role, position, name) VALUES ('chair', 'Председатель', %s)",
                         (SIGNER[code],))
            conn.execute("INSERT INTO case_assignment (case_id, kind, text) SELECT id, 'school', %s FROM sop_case",
                         (SCHOOL[code],))
            if not conn.execute("SELECT 1 FROM agency").fetchone():
                conn.execute("INSERT INTO agency (name, kind, is_active) VALUES ('ПДН', 'police', true)")
            conn.execute("RESET ROLE")
        for table in TABLES:
            held = {c for (c,) in conn.execute(f'SELECT DISTINCT commission FROM "{table}"')}
            assert held >= {A, B}, table
        conn.execute("ANALYZE")  # statistics to try to read (pg_stats)
        keys = dict(conn.execute("SELECT commission, key FROM pseudonym_key").fetchall())
        region_key = conn.execute("SELECT value FROM registry_setting WHERE key = 'pseudonym_key'").fetchone()[0]
        owner = conn.execute("SELECT current_user").fetchone()[0]
    secrets = [CHILD[B], SIGNER[B], SCHOOL[B], region_key, *(k for c, k in keys.items() if c != A)]
    return {"url": url, "roles": roles, "keys": keys, "region_key": region_key, "owner": owner, "secrets": secrets}


def connect(reg: dict[str, Any], who: str) -> psycopg.Connection:
    role = reg["roles"][who]
    conn = psycopg.connect(_login(reg["url"], role["role"], role["password"]), autocommit=True)
    assert conn.execute("SELECT current_user, session_user").fetchone() == (role["role"], role["role"])
    return conn


def _try(conn: psycopg.Connection, sql: str) -> list[tuple] | None:
    """The rows a statement returned ([] for none), or None when the server refused it."""
    try:
        cur = conn.execute(sql)
        return cur.fetchall() if cur.description else []
    except psycopg.Error:
        return None


def _write(conn: psycopg.Connection, sql: str) -> int:
    """Rows a write changed, rolled back either way; 0 when refused."""
    try:
        with conn.transaction(force_rollback=True):
            return conn.execute(sql).rowcount
    except psycopg.Error:
        return 0


def assert_isolated(conn: psycopg.Connection, reg: dict[str, Any], me: str = A) -> None:
    """Through the real tables: only `me`'s rows and key are visible, nobody else's is writable."""
    seen = []
    for table in TABLES:
        foreign = _try(conn, f"SELECT count(*) FROM public.\"{table}\" WHERE commission <> '{me}'")
        assert foreign in (None, [(0,)]), f"{table}: another commission's rows are visible"
        seen += _try(conn, f'SELECT * FROM public."{table}"') or []
    assert _try(conn, "SELECT commission, key FROM public.pseudonym_key") in (None, [(me, reg["keys"][me])])
    assert _try(conn, "SELECT value FROM public.registry_setting WHERE key = 'pseudonym_key'") in (None, [])
    seen += _try(conn, "SELECT * FROM public.registry_setting") or []
    assert not [s for s in reg["secrets"] if s in repr(seen)]
    other = B if me == A else A
    changed = [sql for sql in (w.format(me=me, other=other) for w in WRITES) if _write(conn, sql)]
    assert changed == []


WRITES = (
    "UPDATE public.signatory SET name = 'взлом' WHERE commission <> '{me}'",
    "DELETE FROM public.case_assignment WHERE commission <> '{me}'",
    "UPDATE public.person SET full_name = 'взлом' WHERE commission <> '{me}'",
    "DELETE FROM public.audit_entry WHERE commission <> '{me}'",
    "UPDATE public.signal SET commission = '{other}'",
    "UPDATE public.pseudonym_key SET key = 'взлом'",
    "UPDATE public.registry_setting SET value = 'взлом' WHERE key = 'pseudonym_key'",
    "INSERT INTO public.person (full_name, name_key, commission) VALUES ('взлом', 'взлом', '{other}')",
    "INSERT INTO public.signatory (role, position, name, commission) VALUES ('x', 'x', 'x', '{other}')",
)


# Each attack: statements sent in order on A's session, each allowed to fail; the probe follows on the same one.
TEMP_ROLE = ["CREATE TEMP TABLE access_role (role text, commission text)"]
ATTACKS: dict[str, list[str]] = {
    "temp access_role: B": [*TEMP_ROLE, f"INSERT INTO access_role VALUES (current_user, '{B}')"],
    "temp access_role: region": [*TEMP_ROLE, "INSERT INTO access_role VALUES (current_user, NULL)"],
    "temp access_role: main": [*TEMP_ROLE, "INSERT INTO access_role VALUES (current_user, 'main')"],
    "temp access_role, pg_temp first": ["SET search_path = pg_temp, public, pg_catalog", *TEMP_ROLE,
                                        f"INSERT INTO access_role VALUES (current_user, '{B}')"],
    "temp view access_role": [f"CREATE TEMP VIEW access_role AS SELECT current_user::text AS role, "
                              f"'{B}'::text AS commission"],
    "temp tables named like every table": [
        *(f'CREATE TEMP TABLE "{t.split(".")[1]}" AS SELECT * FROM {t}' for t in (
            "public.commission", "public.registry_setting", "public.pseudonym_key", "pg_catalog.pg_roles")),
        *TEMP_ROLE, "INSERT INTO access_role VALUES (current_user, NULL)"],
    "temp functions": [
        f"CREATE FUNCTION pg_temp.sopcli_commission() RETURNS varchar LANGUAGE sql AS $$ SELECT '{B}'::varchar $$",
        "CREATE FUNCTION pg_temp.sopcli_is_region() RETURNS boolean LANGUAGE sql AS $$ SELECT true $$",
        'CREATE FUNCTION pg_temp."current_user"() RETURNS name LANGUAGE sql AS $$ SELECT \'x\'::name $$',
        "SET search_path = pg_temp, public, pg_catalog"],
    "replace the policies' functions": [
        f"CREATE OR REPLACE FUNCTION public.sopcli_commission() RETURNS varchar LANGUAGE sql "
        f"AS $$ SELECT '{B}'::varchar $$",
        "ALTER FUNCTION public.sopcli_is_region() RESET search_path"],
    "operator = (varchar, name)": [
        "CREATE FUNCTION public.yes(varchar, name) RETURNS boolean LANGUAGE sql AS $$ SELECT true $$",
        "CREATE OPERATOR public.= (LEFTARG = varchar, RIGHTARG = name, FUNCTION = public.yes)",
        "CREATE FUNCTION pg_temp.yes(varchar, name) RETURNS boolean LANGUAGE sql AS $$ SELECT true $$",
        "CREATE OPERATOR pg_temp.= (LEFTARG = varchar, RIGHTARG = name, FUNCTION = pg_temp.yes)",
        "SET search_path = pg_temp, public, pg_catalog"],
    "a schema of its own": [
        "CREATE SCHEMA evil", "CREATE TABLE evil.access_role (role text, commission text)",
        f"INSERT INTO evil.access_role VALUES (current_user, '{B}')", "SET search_path = evil, pg_catalog, public"],
    "SET ROLE B": ["SET ROLE {b}"],
    "SET ROLE region": ["SET ROLE {region}"],
    "SET ROLE owner": ["SET ROLE {owner}"],
    "RESET ROLE": ["RESET ROLE", "SET ROLE NONE"],
    "SET SESSION AUTHORIZATION": ["SET SESSION AUTHORIZATION {owner}", "SET SESSION AUTHORIZATION {b}"],
    "set_config": ["SELECT set_config('role', '{b}', false)", "SELECT set_config('role', '{owner}', false)",
                   "SELECT set_config('session_authorization', '{owner}', false)",
                   "SELECT set_config('search_path', 'pg_temp, public', false)",
                   "SELECT current_setting('is_superuser')"],
    "row_security off": ["SET row_security = off"],
    "session_replication_role": ["SET session_replication_role = replica"],
    "grant itself another role": ["GRANT {b} TO CURRENT_USER", "GRANT {region} TO CURRENT_USER",
                                  "SET ROLE {b}"],
    "alter its own role": ["ALTER ROLE CURRENT_USER BYPASSRLS", "ALTER ROLE CURRENT_USER SUPERUSER",
                           "ALTER ROLE CURRENT_USER SET search_path = pg_temp, public",  # its own defaults: allowed
                           "ALTER ROLE CURRENT_USER RESET ALL"],
    "prepared, then temp access_role": [
        "PREPARE leak AS SELECT full_name FROM person", *TEMP_ROLE,
        f"INSERT INTO access_role VALUES (current_user, '{B}')", "EXECUTE leak",
        "PREPARE leak2 AS SELECT key FROM pseudonym_key", "EXECUTE leak2"],
    "extensions": ["CREATE EXTENSION dblink", "CREATE EXTENSION postgres_fdw", "CREATE EXTENSION adminpack"],
    "security definer": [
        "CREATE FUNCTION pg_temp.f() RETURNS SETOF text LANGUAGE sql SECURITY DEFINER AS "
        "$$ SELECT full_name FROM public.person $$", "SELECT pg_temp.f()"],
}


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_an_attack_shows_and_changes_nothing_of_another_commission(reg, attack):
    names = {"b": f'"{reg["roles"][B]["role"]}"', "region": f'"{reg["roles"]["region"]["role"]}"',
             "owner": f'"{reg["owner"]}"'}
    with connect(reg, A) as conn:
        replies = [_try(conn, sql.format(**names) if "{" in sql and "$$" not in sql else sql)
                   for sql in ATTACKS[attack]]
        assert not [s for s in reg["secrets"] if s in repr(replies)]
        assert conn.execute("SELECT current_user").fetchone() == (reg["roles"][A]["role"],)
        assert_isolated(conn, reg)


def test_the_temp_table_of_issue_27(reg):
    """The report as it came: a temporary `access_role` naming B, then B's children, signatories, assignments."""
    with connect(reg, A) as conn:
        try:
            conn.execute("create temp table access_role(role text, commission text)")
            conn.execute(f"insert into access_role values (current_user, '{B}')")
        except errors.InsufficientPrivilege:
            pass  # 0012: the role makes no temporary table at all
        rows = conn.execute("select full_name, birth_date, commission from person").fetchall()
        assert {(n, c) for n, _, c in rows} == {(CHILD[A], A)}
        assert _write(conn, f"update signatory set name = 'взлом' where commission = '{B}'") == 0
        assert _write(conn, f"delete from case_assignment where commission = '{B}'") == 0


def test_no_role_of_the_registry_makes_anything(reg):
    with connect(reg, A) as conn:
        for sql in ("CREATE TEMP TABLE t (x int)", "CREATE TEMP VIEW v AS SELECT 1", "CREATE TEMP SEQUENCE s",
                    "CREATE TABLE public.t (x int)", "CREATE SCHEMA s",
                    "CREATE FUNCTION public.f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$"):
            with pytest.raises(errors.InsufficientPrivilege):
                conn.execute(sql)
        roles = [r["role"] for r in reg["roles"].values()]
        rights = conn.execute(
            "SELECT rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolbypassrls, "
            "has_database_privilege(rolname, current_database(), 'TEMPORARY, CREATE'), "
            "has_schema_privilege(rolname, 'public', 'CREATE'), "
            "(SELECT count(*) FROM pg_auth_members m WHERE m.member = r.oid) "
            "FROM pg_roles r WHERE rolname = ANY(%s)", (roles,)).fetchall()
        assert sorted(rights) == sorted((r, False, False, False, False, False, False, False, 0) for r in roles)
        assert conn.execute("SELECT has_database_privilege('public', current_database(), 'TEMPORARY') "
                            "OR has_schema_privilege('public', 'public', 'CREATE')").fetchone() == (False,)
        pinned = conn.execute("SELECT proname, proconfig, prosrc LIKE '%%public.access_role%%' FROM pg_proc "
                              "WHERE proname LIKE 'sopcli%%' ORDER BY 1").fetchall()
        path = ["search_path=pg_catalog, public, pg_temp"]
        assert pinned == [("sopcli_commission", path, True), ("sopcli_is_region", path, True)]


def test_copy_both_ways(reg):
    with connect(reg, A) as conn:
        for sql in ("COPY person TO STDOUT", "COPY (SELECT * FROM signatory) TO STDOUT",
                    "COPY pseudonym_key TO STDOUT", "COPY registry_setting TO STDOUT"):
            with conn.cursor() as cur, cur.copy(sql) as copy:
                out = b"".join(bytes(block) for block in copy).decode()
            assert not [s for s in reg["secrets"] if s in out], sql
        line = f"взлом\tвзлом\t{B}\n"
        for sql in ("COPY person (full_name, name_key, commission) FROM STDIN",
                    "COPY public.person (full_name, name_key, commission) FROM STDIN"):
            with pytest.raises(psycopg.Error), conn.cursor() as cur, cur.copy(sql) as copy:
                copy.write(line)
        for sql in ("COPY person TO '/tmp/sopcli-leak'", "COPY person FROM '/etc/passwd'",
                    "COPY person TO PROGRAM 'cat'", "COPY person FROM PROGRAM 'id'"):
            with pytest.raises(errors.InsufficientPrivilege):
                conn.execute(sql)
        assert_isolated(conn, reg)


def test_server_files_and_large_objects(reg):
    with connect(reg, B) as b:  # B keeps a large object of its own
        oid = b.execute("SELECT lo_from_bytea(0, convert_to(%s, 'UTF8'))", (CHILD[B],)).fetchone()[0]
    with connect(reg, A) as conn:
        for sql in ("SELECT pg_read_file('pg_hba.conf')", "SELECT pg_read_binary_file('postgresql.conf')",
                    "SELECT pg_ls_dir('.')", "SELECT pg_stat_file('pg_hba.conf')",
                    "SELECT lo_import('/etc/passwd')", f"SELECT lo_export({oid}, '/tmp/sopcli-leak')",
                    f"SELECT lo_get({oid})", f"SELECT loread(lo_open({oid}, 262144), 100)",
                    "SELECT data FROM pg_largeobject", f"SELECT lo_unlink({oid})",
                    f"SELECT lo_put({oid}, 0, 'x')", f"GRANT SELECT ON LARGE OBJECT {oid} TO CURRENT_USER"):
            assert _try(conn, sql) is None, sql
        own = conn.execute("SELECT lo_from_bytea(0, 'mine')").fetchone()[0]  # allowed: its own bytes only
        assert conn.execute(f"SELECT lo_get({own})").fetchone() == (b"mine",)
        conn.execute(f"SELECT lo_unlink({own})")
    with connect(reg, B) as b:
        assert b.execute(f"SELECT convert_from(lo_get({oid}), 'UTF8')").fetchone() == (CHILD[B],)
        b.execute(f"SELECT lo_unlink({oid})")


def test_statistics_and_other_sessions(reg):
    with connect(reg, B) as b, connect(reg, A) as conn:
        b.execute(f"SELECT count(*) FROM person WHERE full_name = '{CHILD[B]}'")  # left as B's last query
        stats = conn.execute("SELECT * FROM pg_stats WHERE schemaname = 'public'").fetchall()
        activity = conn.execute("SELECT query FROM pg_stat_activity").fetchall()
        assert not [s for s in reg["secrets"] if s in repr(stats) + repr(activity)]


def test_each_key_is_read_by_its_own_alone(reg):
    for code in (A, B):
        with connect(reg, code) as conn:
            assert conn.execute("SELECT commission, key FROM pseudonym_key").fetchall() == [(code, reg["keys"][code])]
            assert conn.execute("SELECT value FROM registry_setting WHERE key = 'pseudonym_key'").fetchall() == []
    with connect(reg, "region") as conn:
        assert conn.execute("SELECT value FROM registry_setting WHERE key = 'pseudonym_key'").fetchall() == [
            (reg["region_key"],)]
        assert conn.execute("SELECT key FROM pseudonym_key").fetchall() == []
        assert _try(conn, "CREATE TEMP TABLE access_role (role text, commission text)") is None
        assert _write(conn, "UPDATE registry_setting SET value = 'x'") == 0
    with psycopg.connect(_plain(reg["url"])) as owner:
        assert dict(owner.execute("SELECT commission, key FROM pseudonym_key").fetchall()) == reg["keys"]
        assert owner.execute("SELECT value FROM registry_setting WHERE key = 'pseudonym_key'").fetchone() == (
            reg["region_key"],)


def test_b_is_as_isolated_from_a(reg):
    with connect(reg, B) as conn:
        for sql in ATTACKS["temp access_role: B"]:
            _try(conn, sql.replace(f"'{B}'", f"'{A}'"))
        reg = dict(reg, secrets=[CHILD[A], SIGNER[A], SCHOOL[A], reg["region_key"], reg["keys"][A]])
        assert_isolated(conn, reg, me=B)


@pytest.mark.parametrize("attack", [a for a in ATTACKS if a.startswith(("temp", "prepared", "operator"))])
def test_the_functions_hold_where_temporary_tables_are_allowed(reg, attack):
    """Depth: a database copied from a template starts with PUBLIC's TEMPORARY again until `init`; the
    policies' functions alone must then hold (they read public.access_role, pg_temp last)."""
    db = f'"{reg["url"].rsplit("/", 1)[1]}"'
    role = f'"{reg["roles"][A]["role"]}"'
    with psycopg.connect(_plain(reg["url"]), autocommit=True) as owner:
        owner.execute(f"GRANT TEMPORARY ON DATABASE {db} TO {role}")
        try:
            with connect(reg, A) as conn:
                replies = [_try(conn, sql) for sql in ATTACKS[attack]]
                assert any(r is not None for r in replies)  # a temporary object was made this time
                assert_isolated(conn, reg)
        finally:
            owner.execute(f"REVOKE TEMPORARY ON DATABASE {db} FROM {role}")
