"""A shared PostgreSQL registry: each commission sees and changes only its own rows (004 §5.6–5.7).

The point is that the database enforces it: the tests connect as a
commission's role and send hand-written SQL, not only sopcli commands.
"""

from __future__ import annotations

import openpyxl
import pytest

from tests.conftest import runner, throwaway_database

TENANT = ("agency", "signal", "person", "signal_person", "check_conclusion", "sop_case", "obligation", "plan",
          "measure", "proposal", "report", "case_event", "reconciliation", "measure_complex", "complex_measure",
          "audit_entry", "emergency", "agency_alias", "case_signal")


@pytest.fixture
def pg_url():
    """A throw-away database; the commissions' roles, named after it, are dropped with it."""
    with throwaway_database(suite="security") as url:
        yield url


def _login(url: str, role: str, password: str | None = None) -> str:
    """The registry's URL for a commission's own login (trust or password auth alike)."""
    scheme, rest = url.split("://", 1)
    host_db = rest.split("@", 1)[1]
    cred = role + (f":{password}" if password else "")
    return f"{scheme}://{cred}@{host_db}"


def _plain(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


@pytest.fixture
def shared(pg_url, sop_env):
    """A registry with commissions A and B, each with one signal, and the region's role."""
    env = dict(sop_env, SOPCLI_DB=pg_url)
    run = runner(env)
    assert run("init", "--new", "--rules", "mari-el", "--municipality", "Регион").code == 0
    roles = {}
    for code, name in (("gorod-a", "Город А"), ("gorod-b", "Город Б")):
        r = run("admin", "commission", "add", code, "--name", name, "--json")
        assert r.code == 0, r.err
        roles[code] = r.json()
    r = run("admin", "region", "region", "--json")
    assert r.code == 0, r.err
    roles["region"] = r.json()
    for code, child in (("gorod-a", "Аверин Антон Андреевич, 01.02.2015"),
                        ("gorod-b", "Борисов Борис Борисович, 03.04.2014")):
        r = run("--commission", code, "signal", "add", "--no-threat",
                "--received", "10.11.2026 10:00", "--source", "школа",
                "--child", child, "--address", f"ул. {code}, 1", "--problem", "пропуски занятий", "--json")
        assert r.code == 0, r.err
        assert r.json()["number"] == "1/2026"  # each commission numbers its own journal
    return env, run, roles


def _snapshot(url: str) -> dict[str, list]:
    """Every tenant table's rows, as the owner sees them (all commissions)."""
    import psycopg

    with psycopg.connect(_plain(url)) as conn:
        return {t: conn.execute(f'SELECT * FROM "{t}" ORDER BY 1').fetchall() for t in TENANT}


def test_a_commission_role_cannot_read_or_change_another_commission_with_handwritten_sql(pg_url, shared):
    import psycopg
    from psycopg import errors

    _env, _run, roles = shared
    before = _snapshot(pg_url)
    with psycopg.connect(_plain(pg_url)) as conn:
        owners = {c for (c,) in conn.execute("SELECT commission FROM signal")}
    assert owners >= {"gorod-a", "gorod-b"}
    a = roles["gorod-a"]
    with psycopg.connect(_plain(_login(pg_url, a["role"], a["password"]))) as conn:
        # reading: every tenant table shows only A's rows
        for table in TENANT:
            foreign = conn.execute(f'SELECT count(*) FROM "{table}" WHERE commission <> %s', ("gorod-a",)).fetchone()
            assert foreign == (0,), table
        names = [n for (n,) in conn.execute("SELECT full_name FROM person")]
        assert names == ["Аверин Антон Андреевич"]
        # changing B's rows touches nothing
        assert conn.execute("UPDATE signal SET problem = 'взлом' WHERE commission = 'gorod-b'").rowcount == 0
        assert conn.execute("DELETE FROM person WHERE commission = 'gorod-b'").rowcount == 0
        assert conn.execute("DELETE FROM audit_entry WHERE commission = 'gorod-b'").rowcount == 0
        conn.rollback()
        attempts = [
            ("UPDATE signal SET commission = 'gorod-b'", errors.InsufficientPrivilege),  # moving a row out
            ("INSERT INTO person (full_name, name_key, commission) VALUES ('x', 'x', 'gorod-b')",
             errors.InsufficientPrivilege),
            ("SET ROLE \"{}\"".format(roles["gorod-b"]["role"]), errors.InsufficientPrivilege),
            ("ALTER TABLE signal DISABLE ROW LEVEL SECURITY", errors.InsufficientPrivilege),
            ("DROP POLICY commission_own ON signal", errors.InsufficientPrivilege),
            ("UPDATE access_role SET commission = 'gorod-b' WHERE role = current_user", errors.InsufficientPrivilege),
            ("INSERT INTO access_role (role, commission, created_at) VALUES (current_user, NULL, now())",
             errors.InsufficientPrivilege),
            ("UPDATE registry_setting SET value = 'federal'", errors.InsufficientPrivilege),
            ("TRUNCATE person", errors.InsufficientPrivilege),
            ("CREATE ROLE thief LOGIN", errors.InsufficientPrivilege),
            ("CREATE OR REPLACE FUNCTION sopcli_commission() RETURNS varchar LANGUAGE sql AS $$ SELECT 'gorod-b' $$",
             errors.InsufficientPrivilege),
        ]
        for sql, error in attempts:
            with pytest.raises(error):
                conn.execute(sql)
            conn.rollback()
        # A may write its own rows, and the database stamps them as A's whatever the SQL says
        conn.execute("INSERT INTO person (full_name, name_key) VALUES ('Новый', 'новый')")
        assert conn.execute("SELECT commission FROM person WHERE name_key = 'новый'").fetchone() == ("gorod-a",)
        conn.rollback()
    after = _snapshot(pg_url)
    assert after == before


def test_the_region_reads_every_commission_and_writes_nothing(pg_url, shared):
    import psycopg
    from psycopg import errors

    _env, _run, roles = shared
    reg = roles["region"]
    with psycopg.connect(_plain(_login(pg_url, reg["role"], reg["password"]))) as conn:
        codes = {c for (c,) in conn.execute("SELECT DISTINCT commission FROM signal")}
        assert codes == {"gorod-a", "gorod-b"}
        for sql in ("UPDATE signal SET problem = 'x'", "DELETE FROM person",
                    "INSERT INTO signal (year, seq, received_at, source, channel, address, problem, help_needed, "
                    "threat, result, status, created_at) VALUES (2026, 9, now(), 's', 'phone', '', 'p', '', false, "
                    "'', 'registered', now())"):
            with pytest.raises(errors.InsufficientPrivilege):
                conn.execute(sql)
            conn.rollback()


def test_commissions_through_the_cli(pg_url, shared, tmp_path):
    env, run, roles = shared
    a = runner(dict(env, SOPCLI_COMMISSION="gorod-a"))
    b = runner(dict(env, SOPCLI_DB=_login(pg_url, roles["gorod-b"]["role"], roles["gorod-b"]["password"])))
    # each sees its own journal and its own terms only
    la, lb = a("signal", "list", "--json"), b("signal", "list", "--json")
    assert la.code == 0 and lb.code == 0, la.err + lb.err
    assert "Аверин" in la.out and "Борисов" not in la.out
    assert "Борисов" in lb.out and "Аверин" not in lb.out
    a_signal = la.json()["signals"][0]["id"] if isinstance(la.json(), dict) else la.json()[0]["id"]
    shown = b("signal", "show", str(a_signal))
    assert shown.code == 2 and "Аверин" not in shown.out + shown.err
    # --known-now: the records as they are, whenever the suite runs; without it a digest as of a past
    # day leaves out what was written after it, and 30.11.2026 is past from its first minute in Moscow
    da = a("deadlines", "--json", "--as-of", "30.11.2026", "--known-now")
    assert da.code == 0
    refused_check = b("check", str(a_signal), "--concluded", "12.11.2026", "--level", "high", "--outcome", "sop")
    assert refused_check.code == 2
    # the commission's terms: A's check is due, B's digest does not carry it
    due_a = {o["rule"] for o in da.json()["obligations"] if o.get("signal") == a_signal}
    assert "me.check" in due_a
    db_ = b("deadlines", "--json", "--as-of", "30.11.2026", "--known-now").json()["obligations"]
    assert all(o.get("signal") != a_signal for o in db_)
    # owner without a commission may not write; unknown commission and the region are refused
    before = _snapshot(pg_url)
    owner = run("signal", "add", "--no-threat", "--received", "11.11.2026 10:00", "--source", "школа", "--child",
                "Гусев Глеб, 05.05.2013", "--problem", "x")
    assert owner.code == 2 and "--commission" in owner.err
    nosuch = run("--commission", "nosuch", "signal", "list")
    assert nosuch.code == 2 and "nosuch" in nosuch.err
    region = runner(dict(env, SOPCLI_DB=_login(pg_url, roles["region"]["role"], roles["region"]["password"])))
    wrote = region("signal", "add", "--no-threat", "--received", "11.11.2026 10:00", "--source", "школа", "--child",
                   "Гусев Глеб, 05.05.2013", "--problem", "x")
    assert wrote.code == 2 and "региона" in wrote.err
    assert _snapshot(pg_url) == before
    # the region's consolidated bank (004 §5.7, App. 8): both commissions, each under its own name
    for code, _child in (("gorod-a", "Аверин"), ("gorod-b", "Борисов")):
        who = a if code == "gorod-a" else b
        sid = (la if code == "gorod-a" else lb).json()
        sid = (sid["signals"] if isinstance(sid, dict) else sid)[0]["id"]
        assert who("check", str(sid), "--concluded", "12.11.2026", "--level", "high", "--outcome", "sop",
                   "--criterion", "1").code == 0
        r = who("recognize", str(sid), "--date", "13.11.2026", "--resolution", f"{code}-7", "--curator",
                "Орган опеки и попечительства")
        assert r.code == 0, r.err
    out = tmp_path / "bank.xlsx"
    r = region("export", "bank", "--all", "-o", str(out))
    assert r.code == 0, r.err
    ws = openpyxl.load_workbook(out, read_only=True).active
    rows = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    people = {(row[1], str(row[2]).split(",")[0]) for row in rows if row and isinstance(row[0], int)}
    assert people == {("Город А", "Аверин Антон Андреевич"), ("Город Б", "Борисов Борис Борисович")}
    # a commission's own export carries only its own family
    own = tmp_path / "own.xlsx"
    assert a("export", "bank", "--all", "-o", str(own)).code == 0
    text = " ".join(str(c) for row in openpyxl.load_workbook(own, read_only=True).active.iter_rows(values_only=True)
                    for c in row if c is not None)
    assert "Аверин" in text and "Борисов" not in text


def test_sqlite_is_one_commission(sop, sop_env, tmp_path):
    db = str(tmp_path / "r.db")
    assert sop("--db", db, "init", "--new").code == 0
    r = sop("--db", db, "--commission", "gorod-a", "signal", "list")
    assert r.code == 2 and "SQLite" in r.err
    assert sop("--db", db, "--commission", "main", "signal", "list").code == 0
    r = sop("--db", db, "admin", "region", "region")
    assert r.code == 2 and "PostgreSQL" in r.err
    r = sop("--db", db, "admin", "commission", "add", "gorod-a", "--name", "Город А", "--json")
    assert r.code == 0 and r.json()["role"] is None
    again = sop("--db", db, "admin", "commission", "add", "gorod-a", "--name", "Город А")
    assert again.code == 2
    bad = sop("--db", db, "admin", "commission", "add", "Город", "--name", "x")
    assert bad.code == 2 and "Код комиссии" in bad.err


def test_each_commission_keeps_its_own_audit_chain(pg_url, shared):
    """One hash chain per commission: a commission verifies its own; the owner verifies them all."""
    import psycopg

    env, run, roles = shared
    a = runner(dict(env, SOPCLI_COMMISSION="gorod-a"))
    mine = a("audit", "verify", "--json")
    assert mine.code == 0, mine.err
    assert [c["chain"] for c in mine.json()["chains"]] == ["gorod-a"]
    everything = run("audit", "verify", "--json")
    assert everything.code == 0, everything.err
    assert {c["chain"] for c in everything.json()["chains"]} == {"main", "gorod-a", "gorod-b"}
    with psycopg.connect(_plain(pg_url)) as conn:
        pairs = set(conn.execute("SELECT DISTINCT chain, commission FROM audit_entry").fetchall())
    assert all(chain == commission for chain, commission in pairs)
    # A cannot cut B's chain: its DELETE sees no row of B, so B's trail still verifies
    login = psycopg.connect(_plain(_login(pg_url, roles["gorod-a"]["role"], roles["gorod-a"]["password"])))
    with login as conn:
        assert conn.execute("DELETE FROM audit_entry WHERE chain = 'gorod-b'").rowcount == 0
        assert conn.execute("UPDATE audit_head SET last_seq = 0 WHERE chain = 'gorod-b'").rowcount == 0
    b = runner(dict(env, SOPCLI_COMMISSION="gorod-b"))
    assert b("audit", "verify").code == 0


def test_a_backup_keeps_each_row_with_its_commission(pg_url, shared, tmp_path, sop_env):
    """Moving a shared registry (backup → restore) must not hand every family to one commission."""
    import sqlite3

    _env, run, _roles = shared
    dump = tmp_path / "region.zip"
    r = run("backup", str(dump))
    assert r.code == 0, r.err
    copy = tmp_path / "copy.db"
    r = runner(dict(sop_env, SOPCLI_DB=str(copy)))("restore", str(dump))
    assert r.code == 0, r.err
    with sqlite3.connect(copy) as conn:
        owners = dict(conn.execute("SELECT p.full_name, p.commission FROM person p").fetchall())
        codes = {c for (c,) in conn.execute("SELECT code FROM commission")}
    assert owners == {"Аверин Антон Андреевич": "gorod-a", "Борисов Борис Борисович": "gorod-b"}
    assert codes == {"main", "gorod-a", "gorod-b"}
