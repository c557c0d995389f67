"""Every data row inside the audit evidence (issue 27 §2), through the real CLI on SQLite and PostgreSQL.

A month's kind of work is written through the CLI; then rows are changed, added
and deleted by hand-written SQL the way someone with the database password
would, and `audit verify` must name each table and row and exit 4. The
hostile test found each of these left the trail «цела» before row seals.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import PDN, ok, refused

CHILD = "Сидоров Пётр Ильич, 10.02.2012"


def engine_of(db: str):
    return create_engine(db if "://" in db else f"sqlite:///{db}")


def sql(db: str, *statements: str) -> None:
    engine = engine_of(db)
    with engine.begin() as conn:
        for s in statements:
            conn.execute(text(s))
    engine.dispose()


def verify(sopr, *args: str) -> tuple[int, dict]:
    r = sopr("audit", "verify", "--json", *args)
    assert r.code in (0, 4), r.err
    return r.code, json.loads(r.out)


def story(sopr) -> None:
    """Rows in the tables the hostile test edited: signals, people, an emergency, an alias, a signatory,
    a case with its registration, and the registry's own keys and settings."""
    ok(sopr("signal", "add", "--received", "02.11.2026 10:00", "--source", PDN, "--child", CHILD,
            "--parent", "Сидорова Анна Ивановна", "--problem", "родители пьют", "--threat", "--channel", "phone"))
    ok(sopr("check", "1", "--concluded", "05.11.2026", "--level", "high", "--outcome", "sop"))
    ok(sopr("recognize", "1", "--date", "10.11.2026", "--resolution", "7-п",
            "--curator", "Петрова Анна Викторовна"))
    ok(sopr("case", "register", "1", "--agency", "ПДН", "--date", "12.11.2026", "--protocol", "15"))
    ok(sopr("agency", "alias", "add", "Дежурная часть ОП № 1", "--to", PDN))
    ok(sopr("signer", "set", "chair", "--position", "Председатель комиссии", "--name", "И.И. Иванов"))


def test_a_written_registry_verifies_full_and_quick(sopr) -> None:
    story(sopr)
    code, doc = verify(sopr)
    assert code == 0 and doc["ok"], doc["rows"]
    assert doc["rows"]["full"] and doc["rows"]["checked"] > 20
    code, doc = verify(sopr, "--quick")
    assert code == 0 and not doc["rows"]["full"]


EDITS = [  # (table, the hand-written SQL, the kind verify must name)
    ("signatory", "UPDATE signatory SET name = 'Подставной Пётр Петрович'", "changed"),
    ("person", "UPDATE person SET birth_date = '2013-02-10' WHERE birth_date = '2012-02-10'", "changed"),
    ("agency_alias", "UPDATE agency_alias SET agency_id = (SELECT min(id) FROM agency)", "changed"),
    ("pseudonym_key", "UPDATE pseudonym_key SET key = '" + "0" * 64 + "'", "changed"),
    ("case_registration", "DELETE FROM case_registration", "deleted"),
    ("registry_setting", "INSERT INTO registry_setting (key, value) VALUES ('forged', 'x')", "unsealed"),
]


@pytest.mark.parametrize(("table", "statement", "kind"), EDITS, ids=[e[0] for e in EDITS])
def test_a_row_changed_behind_sopclis_back_is_named(sopr, reg_env, table: str, statement: str, kind: str) -> None:
    story(sopr)
    sql(reg_env["SOPCLI_DB"], statement)
    r = sopr("audit", "verify")
    assert r.code == 4, r.out
    assert f"({table}), запись" in r.out and "в обход sopcli" in r.out, r.out
    assert len(r.err.strip().splitlines()) == 1 and f"({table})" in r.err, r.err
    _code, doc = verify(sopr)
    assert [p["kind"] for p in doc["rows"]["problems"] if p["table"] == table][:1] == [kind], doc["rows"]
    if kind != "changed":  # a row added or taken away is seen by the count alone
        assert verify(sopr, "--quick")[0] == 4


def test_a_seal_forged_to_cover_a_change_is_seen(sopr, reg_env) -> None:
    """The forger changes the row and writes its new hash into row_seal: the chain still holds the old one."""
    from sopcli.services.trust import backup, seals

    story(sopr)
    db = reg_env["SOPCLI_DB"]
    sql(db, "UPDATE signatory SET name = 'П.П. Подставной'")
    engine = engine_of(db)
    with engine.begin() as conn:
        raw = conn.connection.driver_connection
        table = next(t for t in backup.tables() if t.name == "signatory")
        pg = conn.dialect.name == "postgresql"
        for key, line in seals.current_lines(raw, pg, table, [str(i) for i in range(1, 20)]).items():
            conn.execute(text("UPDATE row_seal SET hash = :h WHERE tbl = 'signatory' AND row_key = :k"),
                         {"h": seals.row_hash("signatory", line), "k": key})
    engine.dispose()
    for args in ((), ("--quick",)):
        code, doc = verify(sopr, *args)
        assert code == 4
        assert {(p["kind"], p["table"]) for p in doc["rows"]["problems"]} == {("seals", "signatory")}, doc


def test_an_erased_journal_fails(sopr, reg_env) -> None:
    """`DELETE FROM audit_entry; DELETE FROM audit_head;` used to give «ok: true, checked: 0»."""
    story(sopr)
    sql(reg_env["SOPCLI_DB"], "DELETE FROM audit_entry", "DELETE FROM audit_head")
    for args in ((), ("--quick",)):
        code, doc = verify(sopr, *args)
        assert code == 4 and not doc["ok"] and doc["rows"]["problem_count"] > 0
    sql(reg_env["SOPCLI_DB"], "DELETE FROM row_seal")  # and the seals too: every row is now unsealed
    code, doc = verify(sopr)
    assert code == 4 and {p["kind"] for p in doc["rows"]["problems"]} == {"unsealed"}
    assert verify(sopr, "--quick")[0] == 4


def test_the_digest_prints_the_head_and_verify_finds_it_later(sopr, reg_env) -> None:
    story(sopr)
    digest = sopr("deadlines", "--json").json()
    head = digest["audit_heads"][0]
    text_digest = sopr("deadlines").out
    assert f"голова {head['hash']}" in text_digest
    ok(sopr("signal", "add", "--received", "03.11.2026 10:00", "--source", PDN, "--child", "Белова Ольга",
            "--problem", "пропуски", "--no-threat"))
    r = ok(sopr("audit", "verify", "--head", head["hash"]))
    assert f"№ {head['seq']}" in r.out
    code, doc = verify(sopr, "--head", head["hash"][:16])
    assert code == 0 and doc["head"]["found"]["seq"] == head["seq"]
    r = sopr("audit", "verify", "--head", "ab" * 32)
    assert r.code == 4 and "в журнале не найден" in r.err
    refused(sopr("audit", "verify", "--head", "нет"), "--head")


def _forge(backup: Path, out: Path, edit) -> None:
    """Change members of a backup and recompute their checksums in the manifest, as the hostile test did."""
    with zipfile.ZipFile(backup) as z:
        members = {n: z.read(n) for n in z.namelist()}
    manifest = json.loads(members["manifest.json"])
    for entry in manifest["tables"]:
        data = members[entry["member"]]
        new = edit(entry["name"], data)
        if new != data:
            members[entry["member"]] = new
            entry["sha256"] = hashlib.sha256(new).hexdigest()
            entry["rows"] = new.count(b"\n")
    members["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)


def _birth(table: str, data: bytes) -> bytes:
    return data.replace(b"2012-02-10", b"2013-02-10") if table == "person" else data


def _empty_journal(table: str, data: bytes) -> bytes:
    return b"" if table in ("audit_entry", "audit_head") else data


@pytest.mark.parametrize("edit", [_birth, _empty_journal], ids=["birth date", "emptied journal"])
def test_restore_refuses_a_forged_backup(sopr, reg_env, tmp_path: Path, edit) -> None:
    story(sopr)
    copy, forged = tmp_path / "копия.zip", tmp_path / "подделка.zip"
    ok(sopr("backup", str(copy)))
    _forge(copy, forged, edit)
    before = sopr("audit", "list", "--limit", "1000", "--json").out
    r = refused(sopr("restore", str(forged), "--replace"), "подделана или испорчена")
    assert "(person)" in r.err or "(audit" in r.err or "журнал" in r.err, r.err
    assert sopr("audit", "list", "--limit", "1000", "--json").out == before  # nothing written
    ok(sopr("restore", str(copy), "--replace"))  # the genuine copy still restores
    assert verify(sopr)[0] == 0
