"""Pseudonyms per commission (issue 17 §6, migration 0011): on a shared registry one commission's anonymised
exports cannot be linked with another's, nor with the region's consolidated bank; a single commission's
file keeps the registry's key and so its pseudonyms.

Through the CLI, on a real PostgreSQL registry for the shared cases (one per module), and the keys read back
as the owner to recompute what each export must show.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import create_engine, text

from sopcli.services.papers.anonymize import Pseudonyms
from tests.conftest import ok, private_env, runner, throwaway_database

CHILD = "Аверин Антон Андреевич, 01.02.2015"  # recorded by both commissions: the same child, twice
COMMISSIONS = ("gorod-a", "gorod-b")
PSEUDONYM = re.compile(r"Л-[A-Z2-7]{10}")


def _login(url: str, role: str, password: str) -> str:
    scheme, rest = url.split("://", 1)
    return f"{scheme}://{role}:{password}@{rest.split('@', 1)[1]}"


def _plain(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def _query(url: str, sql: str) -> list:
    engine = create_engine(url if "://" in url else f"sqlite:///{url}")
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql)).all()]
    finally:
        engine.dispose()


def _persons(run, out: Path, *before: str) -> set[str]:
    """The person pseudonyms in an anonymised journal, every cell of every sheet."""
    ok(run(*before, "export", "journal", "--year", "2026", "-o", str(out), "--anonymize"))
    wb = load_workbook(out)
    return {m for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row
            if isinstance(v, str) for m in PSEUDONYM.findall(v)}


def _downgrade(url: str, target: str) -> None:
    from alembic import command

    from sopcli.db import alembic_config

    engine = create_engine(url if "://" in url else f"sqlite:///{url}")
    try:
        with engine.begin() as conn:
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, target)
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """Commissions A and B each record the same child; the region has a role. One registry for the module."""
    with throwaway_database(suite="security") as url:
        env = dict(private_env(tmp_path_factory.mktemp("home")), SOPCLI_DB=url)
        run = runner(env)
        ok(run("init", "--new", "--rules", "mari-el", "--municipality", "Регион"))
        roles = {code: ok(run("admin", "commission", "add", code, "--name", code, "--json")).json()
                 for code in COMMISSIONS}
        roles["region"] = ok(run("admin", "region", "region", "--json")).json()
        for code in COMMISSIONS:
            ok(run("--commission", code, "signal", "add", "--no-threat",
                   "--received", "10.11.2026 10:00", "--source", "школа",
                   "--child", CHILD, "--problem", "пропуски занятий"))
        as_role = {who: runner(dict(env, SOPCLI_DB=_login(url, r["role"], r["password"])))
                   for who, r in roles.items()}
        yield url, run, roles, as_role


def _expected(url: str) -> dict[str, str]:
    """Each commission's child under its own key, and both under the region's (the registry's) key."""
    keys = dict(_query(url, "SELECT commission, key FROM pseudonym_key"))
    region = _query(url, "SELECT value FROM registry_setting WHERE key = 'pseudonym_key'")[0][0]
    persons = dict(_query(url, "SELECT commission, id FROM person"))
    out = {code: Pseudonyms(keys[code]).person(persons[code]) for code in COMMISSIONS}
    out.update({f"region:{code}": Pseudonyms(region).person(persons[code]) for code in COMMISSIONS})
    return out


def test_each_commission_exports_under_its_own_key_and_the_region_under_the_registrys(shared, tmp_path):
    url, owner, _roles, as_role = shared
    want = _expected(url)
    seen = {}
    for code in COMMISSIONS:
        seen[code] = _persons(as_role[code], tmp_path / f"{code}.xlsx")
        assert seen[code] == {want[code]}  # HMAC under the commission's own key
        assert _persons(as_role[code], tmp_path / f"{code}-again.xlsx") == seen[code]  # stable across exports
        # the owner acting for the commission exports what the commission itself does
        assert _persons(owner, tmp_path / f"{code}-owner.xlsx", "--commission", code) == seen[code]
    assert seen["gorod-a"] != seen["gorod-b"]
    region = {want[f"region:{code}"] for code in COMMISSIONS}
    consolidated = _persons(as_role["region"], tmp_path / "region.xlsx")
    assert consolidated == region  # the consolidated bank: both commissions under the region's key
    assert _persons(owner, tmp_path / "whole.xlsx") == region  # the owner reading the whole bank, likewise
    assert not consolidated & (seen["gorod-a"] | seen["gorod-b"])  # no link to either commission's export


def test_a_commission_role_reads_its_own_key_only_and_writes_none(shared):
    import psycopg
    from psycopg import errors

    url, _owner, roles, _as_role = shared
    keys = dict(_query(url, "SELECT commission, key FROM pseudonym_key"))
    assert set(keys) >= set(COMMISSIONS) and len(set(keys.values())) == len(keys)
    a = roles["gorod-a"]
    with psycopg.connect(_plain(_login(url, a["role"], a["password"]))) as conn:
        assert conn.execute("SELECT commission, key FROM pseudonym_key").fetchall() == [("gorod-a", keys["gorod-a"])]
        # nor the region's key among the settings it reads
        assert conn.execute("SELECT value FROM registry_setting WHERE key = 'pseudonym_key'").fetchall() == []
        assert conn.execute("SELECT count(*) FROM registry_setting").fetchone()[0] > 0
        for sql in ("UPDATE pseudonym_key SET key = 'x'", "DELETE FROM pseudonym_key",
                    "INSERT INTO pseudonym_key (commission, key, created_at) VALUES ('gorod-b', 'x', now())"):
            with pytest.raises(errors.InsufficientPrivilege):
                conn.execute(sql)
            conn.rollback()
    r = roles["region"]
    with psycopg.connect(_plain(_login(url, r["role"], r["password"]))) as conn:
        assert conn.execute("SELECT count(*) FROM pseudonym_key").fetchone()[0] == 0
        assert len(conn.execute("SELECT value FROM registry_setting WHERE key = 'pseudonym_key'").fetchone()[0]) == 64
    audit = [d for (e, d) in _query(url, "SELECT entity, detail FROM audit_entry") if e == "pseudonym_key"]
    assert sorted(audit) == sorted(f'{{"commission": "{c}"}}' for c in COMMISSIONS)  # made, named, no value
    every = " ".join(d for (d,) in _query(url, "SELECT detail FROM audit_entry"))
    assert not any(k in every for k in keys.values())


def test_the_upgrade_gives_every_existing_commission_a_key_its_role_can_use(shared, tmp_path):
    """A shared registry of 0010 (before the keys): `init` upgrades it and each commission exports again."""
    url, owner, _roles, as_role = shared
    _downgrade(url, "0010")
    assert not _query(url, "SELECT 1 FROM information_schema.tables WHERE table_name = 'pseudonym_key'")
    readable = _query(url, "SELECT value FROM registry_setting WHERE key = 'pseudonym_key'")[0][0]
    ok(owner("init", "--new"))
    region = _query(url, "SELECT value FROM registry_setting WHERE key = 'pseudonym_key'")[0][0]
    assert region != readable and len(region) == 64  # every role could read the old one: replaced
    assert {c for (c,) in _query(url, "SELECT commission FROM pseudonym_key")} == {"main", *COMMISSIONS}
    want = _expected(url)  # new random keys: what matters is that each role has one and reads it
    for code in COMMISSIONS:
        assert _persons(as_role[code], tmp_path / f"{code}.xlsx") == {want[code]}


def test_an_sqlite_registry_keeps_its_pseudonyms_through_the_upgrade(tmp_path):
    db = str(tmp_path / "registry.db")
    run = runner(dict(private_env(tmp_path), SOPCLI_DB=db))
    ok(run("init", "--new", "--rules", "mari-el"))
    ok(run("signal", "add", "--no-threat", "--received", "10.11.2026 10:00", "--source", "школа", "--child", CHILD,
           "--problem", "пропуски занятий"))
    key = _query(db, "SELECT value FROM registry_setting WHERE key = 'pseudonym_key'")[0][0]
    ((person,),) = _query(db, "SELECT id FROM person")
    before = _persons(run, tmp_path / "before.xlsx")
    assert before == {Pseudonyms(key).person(person)}  # the registry's own key, as before 0011
    _downgrade(db, "0010")
    ok(run("init", "--new"))  # the upgrade to 0011
    from sopcli.services.reading.schema import SCHEMA_HEAD

    assert _query(db, "SELECT version_num FROM alembic_version") == [(SCHEMA_HEAD,)]
    assert _persons(run, tmp_path / "after.xlsx") == before
