"""`sopcli backup` / `sopcli restore` through the real CLI, on SQLite and PostgreSQL and across them.

Contents are compared table by table with SQLAlchemy (an independent reader of
the registry, not the backup's own encoder), for every table of the metadata.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from sopcli.services.reading.schema import SCHEMA_HEAD
from sopcli.services.trust.backup import tables
from tests.conftest import PDN, SHARED, ok, runner

SEED = SHARED / "seeds" / "002_4b7cf8c93ee536d7.txt"


def url_of(db: str) -> str:
    return db if "://" in db else f"sqlite:///{db}"


def contents(db: str) -> dict[str, list[tuple]]:
    """Every table's rows in key order, as SQLAlchemy reads them (aware UTC moments on both engines)."""
    engine = create_engine(url_of(db))
    with engine.connect() as conn:
        out = {t.name: [tuple(r) for r in conn.execute(select(t).order_by(*t.primary_key.columns))]
               for t in tables()}
    engine.dispose()
    return out


def story(sopr, tmp_path: Path) -> None:
    """A registry touching every kind of row: signals, a case with a programme, reports, moves, overrides…"""
    ok(sopr("init", "--new", "--municipality", "г. Йошкар-Ола"))
    # the school the signals come from, in the directory, and the commission's own short name for it (issue 28)
    ok(sopr("agency", "add", "МБОУ СОШ № 5", "--kind", "образование"))
    ok(sopr("agency", "alias", "add", "школа 5", "--to", "МБОУ СОШ № 5"))
    ok(sopr("signal", "add", "--received", "27.12.2024 17:30", "--source", "МБОУ СОШ № 5", "--channel", "phone",
            "--child", "Сидоров Пётр Ильич, 10.02.2008", "--parent", "Сидорова Анна Петровна",
            "--address", "ул. Ленина, 1", "--problem", "Не посещает школу", "--threat"))
    # the threat notice is the signal's receipt (issue 28): the call's written confirmation is marked by hand
    ok(sopr("deadlines", "done", "--rule", "me.signal.written", "--signal", "1", "--date", "28.12.2024 16:00"))
    ok(sopr("check", "1", "--concluded", "13.01.2025", "--level", "critical", "--outcome", "sop",
            "--criterion", "1", "--family", "мать, сын", "--note", "«кавычки», \"двойные\"\nи перевод строки"))
    ok(sopr("recognize", "1", "--date", "20.01.2025", "--resolution", "7-п", "--curator", "Петрова Анна Викторовна",
            "--member", "Прокуратура"))
    ok(sopr("plan", "propose", "1", "--agency", PDN, "--date", "24.01.2025", "--measure", "Беседа; февраль"))
    ok(sopr("plan", "add", "1", "--measure", "Профилактическая беседа", "--executor", PDN, "--due", "14.02.2025"))
    ok(sopr("plan", "add", "1", "--measure", "Лагерь", "--executor", PDN, "--due", "01.06.2025-31.08.2025"))
    ok(sopr("plan", "approve", "1", "--date", "03.02.2025", "--resolution", "12-п"))
    measure = ok(sopr("plan", "show", "1", "--json")).json()["measures"][0]["id"]
    ok(sopr("report", "1", str(measure), "--date", "14.02.2025", "--status", "done", "--text", "Беседа проведена"))
    ok(sopr("control", "1", "--date", "21.07.2025", "--decision", "continue"))
    ok(sopr("signal", "add", "--no-threat", "--received", "03.03.2025 09:15", "--source", "школа 5", "--child",
            "Орлова Мария Ивановна, 05.05.2012", "--problem", "Пропуски"))
    ok(sopr("calendar", "set", "05.03.2025", "--off", "--reason", "местный праздник"))
    ok(sopr("agency", "add", "Центр «Семья»"))
    if SEED.exists():
        shutil.copy(SEED, tmp_path / "complex.txt")
        ok(sopr("measures", "import", str(tmp_path / "complex.txt")))
    src = tmp_path / "police.csv"
    with src.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerows([["ФИО", "Дата рождения"], ["Сидоров Петр Ильич", "10.02.2008"]])
    ok(sopr("reconcile", str(src), "--agency", PDN, "--quarter", "2025Q1", "-o", str(tmp_path / "act.xlsx")))


@pytest.mark.slow
def test_round_trip_on_both_engines_and_across_them(sopr, reg_env, tmp_path, pg_db):
    story(sopr, tmp_path)
    source = reg_env["SOPCLI_DB"]
    before = contents(source)
    assert all(before[n] for n in ("signal", "sop_case", "plan", "measure", "report", "obligation", "case_event",
                                   "calendar_override", "reconciliation", "audit_entry", "agency_alias"))
    out = tmp_path / "backups" / "registry.zip"
    out.parent.mkdir(mode=0o700)
    r = ok(sopr("backup", str(out), "--json"))
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert [p.name for p in out.parent.iterdir()] == ["registry.zip"]  # no temporary left behind
    manifest = json.loads(zipfile.ZipFile(out).read("manifest.json"))
    assert manifest["schema_revision"] == SCHEMA_HEAD and r.json()["schema_revision"] == SCHEMA_HEAD
    assert {t["name"]: t["rows"] for t in manifest["tables"]} == {n: len(rows) for n, rows in before.items()}
    assert ok(sopr("backup", str(out), "--force")).code == 0  # a backup may replace an older backup when asked

    for target in (str(tmp_path / "fresh" / "restored.db"), pg_db):  # the other engine and the same one
        env = dict(reg_env, SOPCLI_DB=target)
        res = ok(runner(env)("restore", str(out), "--json")).json()
        assert res["rows"] == sum(len(rows) for rows in before.values()) and res["replaced"] == {}
        after = contents(target)
        restore_entry = after["audit_entry"].pop()
        (head,), (was,) = after["audit_head"], before["audit_head"]
        assert head[1] == was[1] + 1  # the restore's own entry extends the restored chain by one link (0006)
        assert {k: v for k, v in after.items() if k != "audit_head"} == \
            {k: v for k, v in before.items() if k != "audit_head"}
        assert restore_entry[4:6] == ("restore", "registry")  # (…, command, action, entity, …)
        # the chain's hashes hold over the restored text, on the other engine too (the bulk path's short cuts)
        assert ok(runner(env)("audit", "verify")).code == 0
        # the same rows give the same bytes from either engine: the file does not depend on where it was taken
        again = tmp_path / f"again_{len(target)}.zip"
        ok(runner(env)("backup", str(again)))
        sums = {t["name"]: t["sha256"] for t in json.loads(zipfile.ZipFile(again).read("manifest.json"))["tables"]}
        assert {n: s for n, s in sums.items() if n not in ("audit_entry", "audit_head")} == {
            t["name"]: t["sha256"] for t in manifest["tables"] if t["name"] not in ("audit_entry", "audit_head")}
        # ids continue after the restored ones (PostgreSQL's sequences were moved)
        new = ok(runner(env)("signal", "add", "--no-threat",
                             "--received", "10.03.2025 10:00", "--source", "ПДН", "--child",
                             "Новиков Олег Олегович, 01.01.2013", "--problem", "Драка", "--json")).json()
        assert new["id"] == max(row[0] for row in before["signal"]) + 1
        case = ok(runner(env)("case", "show", "1", "--json")).json()
        assert case["curator"] == "Петрова Анна Викторовна" and len(case["obligations"]) > 5
    if "://" not in source:
        assert stat.S_IMODE(Path(tmp_path / "fresh" / "restored.db").stat().st_mode) == 0o600


def _rewrite(src: Path, dst: Path, change) -> None:
    """Copy a backup, letting `change(name, data)` alter each member's bytes."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, change(info.filename, zin.read(info.filename)))


def _manifest_with(**changes):
    def change(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        return json.dumps({**json.loads(data), **changes}).encode()
    return change


@pytest.mark.slow
def test_bad_backups_are_refused_and_nothing_is_written(sopr, reg_env, tmp_path):
    story(sopr, tmp_path)
    good = tmp_path / "good.zip"
    ok(sopr("backup", str(good)))
    ok(sopr("signal", "add", "--no-threat", "--received", "11.03.2025 10:00", "--source", "ПДН", "--child",
            "Белов Илья Ильич, 01.01.2011", "--problem", "Драка"))  # the registry now differs from the backup
    data = good.read_bytes()
    bad = {
        "truncated.zip": lambda p: p.write_bytes(data[: len(data) // 2]),
        "flipped.zip": lambda p: p.write_bytes(data[:200] + bytes([data[200] ^ 0xFF]) + data[201:]),
        "edited_row.zip": lambda p: _rewrite(good, p, lambda n, d: d.replace("Сидоров".encode(), "Сидоренко".encode())
                                             if n == "tables/person.jsonl" else d),
        "dropped_row.zip": lambda p: _rewrite(good, p, lambda n, d: d.split(b"\n", 1)[1]
                                              if n == "tables/agency.jsonl" else d),
        "old_schema.zip": lambda p: _rewrite(good, p, _manifest_with(schema_revision="0004", sopcli_version="0.0.9")),
        "no_manifest.zip": lambda p: _rewrite(good, p, lambda n, d: d) or _drop_manifest(p),
        "foreign.zip": lambda p: zipfile.ZipFile(p, "w").writestr("xl/workbook.xml", "<workbook/>"),
        "text.zip": lambda p: p.write_text("не архив", encoding="utf-8"),
    }
    before = contents(reg_env["SOPCLI_DB"])
    for name, make in bad.items():
        make(tmp_path / name)
        for target_env, args in ((reg_env, ("--replace",)),
                                 (dict(reg_env, SOPCLI_DB=str(tmp_path / "new" / f"{name}.db")), ())):
            r = runner(target_env)("restore", str(tmp_path / name), *args)
            assert r.code == 2, (name, r.err)
            assert len(r.err.strip().splitlines()) == 1 and "Traceback" not in r.err, r.err
            if name == "old_schema.zip":
                assert "0004" in r.err and "0.0.9" in r.err and SCHEMA_HEAD in r.err
        assert contents(reg_env["SOPCLI_DB"]) == before, name
        assert not (tmp_path / "new").exists() or not any((tmp_path / "new").iterdir()), name
    r = sopr("restore", str(good))  # a good file over a registry with rows, without --replace
    assert r.code == 2 and "--replace" in r.err
    assert contents(reg_env["SOPCLI_DB"]) == before
    # a backup never overwrites a file that is not a backup
    doc = tmp_path / "letter.docx"
    doc.write_bytes(b"PK\x03\x04 not ours")
    r = sopr("backup", str(doc))
    assert r.code == 2 and doc.read_bytes() == b"PK\x03\x04 not ours"


def _drop_manifest(path: Path) -> None:
    keep = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(keep, "w") as zout:
        for info in zin.infolist():
            if info.filename != "manifest.json":
                zout.writestr(info.filename, zin.read(info.filename))
    keep.replace(path)


def test_replace_empties_the_registry_in_the_same_transaction(sopr, reg_env, tmp_path):
    story(sopr, tmp_path)
    snap = tmp_path / "snap.zip"
    ok(sopr("backup", str(snap)))
    before = contents(reg_env["SOPCLI_DB"])
    for i in range(3):
        ok(sopr("signal", "add", "--no-threat", "--received", f"1{i}.04.2025 10:00", "--source", "ПДН", "--child",
                f"Ученик Номер{'а' * (i + 1)} Тестовый, 01.01.2012", "--problem", "Пропуски"))
    res = ok(sopr("restore", str(snap), "--replace", "--json")).json()
    assert res["replaced"]["signal"] == len(before["signal"]) + 3
    after = contents(reg_env["SOPCLI_DB"])
    entry = after["audit_entry"].pop()
    # the restore's own entry extends the restored hash chain by one link (0006)
    cols = [c.name for c in next(t for t in tables() if t.name == "audit_entry").columns]
    (head,), (was,) = after.pop("audit_head"), before.pop("audit_head")
    assert head[1] == was[1] + 1 and head[2] == entry[cols.index("hash")]
    assert after == before
    assert json.loads(entry[cols.index("detail")])["replaced"]["signal"] == len(before["signal"]) + 3


WRITER = """
import subprocess, sys
n, who = int(sys.argv[1]), sys.argv[2]  # who: 1 or 2, one secretary each
for i in range(n):
    child = f"Ученик{'ов' if who == '1' else 'ин'} Номер{'а' * (i + 1)} Тестовый, 01.01.2012"
    r = subprocess.run([sys.executable, "-m", "sopcli", "signal", "add", "--received", f"12.05.2025 1{who}:{i:02d}",
                        "--no-threat", "--source", "Школа", "--child", child, "--parent", "Родитель Тестовый",
                        "--problem", "Пропуски"], capture_output=True, text=True)
    if r.returncode:
        sys.exit(r.stderr)
"""


def backup_is_consistent(path: Path) -> int:
    """Every foreign key of the file resolves inside it and every count matches the manifest; returns signals."""
    with zipfile.ZipFile(path) as z:
        manifest = json.loads(z.read("manifest.json"))
        rows = {}
        for entry in manifest["tables"]:
            lines = z.read(entry["member"]).decode().splitlines()
            assert len(lines) == entry["rows"], entry["name"]
            rows[entry["name"]] = [dict(zip(entry["columns"], json.loads(line), strict=True)) for line in lines]
    for table in tables():
        for fk in table.foreign_keys:
            parent = {r[fk.column.name] for r in rows[fk.column.table.name]}
            missing = {r[fk.parent.name] for r in rows[table.name]} - parent - {None}
            assert not missing, f"{table.name}.{fk.parent.name} → {fk.column.table.name}: {sorted(missing)[:5]}"
    return len(rows["signal"])


@pytest.mark.slow
def test_a_backup_taken_while_the_secretary_writes_is_one_snapshot(sopr, reg_env, tmp_path):
    from tests.services.papers.test_exports import _bench

    # a registry big enough that reading it takes a while: writes land between the tables
    _bench().generate(url_of(reg_env["SOPCLI_DB"]), 1500, seed=5)
    base = len(contents(reg_env["SOPCLI_DB"])["signal"])
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, "12", str(n)], env=reg_env, stderr=subprocess.PIPE,
                                text=True) for n in (1, 2)]
    seen = []
    try:
        while any(w.poll() is None for w in writers) or len(seen) < 2:
            out = tmp_path / f"b{len(seen)}.zip"
            ok(sopr("backup", str(out)))
            seen.append(backup_is_consistent(out))
    finally:
        for w in writers:
            w.wait(timeout=300)
    assert [w.returncode for w in writers] == [0, 0], [w.stderr.read() for w in writers]  # never blocked
    assert seen == sorted(seen) and seen[0] >= base and seen[-1] <= base + 2 * 12
    assert len(set(seen)) > 1  # some backups were taken while signals were being added
    final = tmp_path / "final.zip"
    ok(sopr("backup", str(final)))
    assert backup_is_consistent(final) == base + 2 * 12
    target = dict(reg_env, SOPCLI_DB=str(tmp_path / "restored.db"))
    ok(runner(target)("restore", str(final)))


def test_the_metadata_is_the_schema_alembic_builds(tmp_path):
    """The backup takes its tables from the metadata: it must be exactly what the migrations create."""
    from sqlalchemy import inspect

    from sopcli.db import make_engine, migrate

    engine = make_engine(f"sqlite:///{tmp_path / 'r.db'}", create=True)
    with engine.begin() as conn:
        migrate(conn)
        insp = inspect(conn)
        built = {t: {c["name"] for c in insp.get_columns(t)} for t in insp.get_table_names() if t != "alembic_version"}
    engine.dispose()
    assert built == {t.name: {c.name for c in t.columns} for t in tables()}



def test_an_infinite_day_written_by_hand_refuses_the_backup(sop_env, pg_db, tmp_path):
    """PostgreSQL writes the days of a backup itself, and its `infinity` would come out as no day at all."""
    run = runner({**sop_env, "SOPCLI_DB": pg_db})
    ok(run("init", "--new"))
    ok(run("signal", "add", "--no-threat", "--received", "03.03.2025 09:15", "--source", "Школа", "--child",
           "Орлова Мария Ивановна, 05.05.2012", "--problem", "Пропуски"))
    ok(run("backup", str(tmp_path / "good.zip")))  # the same registry before the hand
    engine = create_engine(pg_db)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE signal SET received_at = 'infinity'")
    engine.dispose()
    r = run("backup", str(tmp_path / "bad.zip"))
    assert r.code == 2 and "infinity" in r.err and "signal" in r.err and "не записана" in r.err, r.err
    assert len(r.err.strip().splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["good.zip"]  # no file, not even a part


def test_backup_treats_its_path_as_export_does(sopr, tmp_path):
    """Issue 32 §3: a typo in the folder is refused and creates nothing; a copy is replaced only with --force;
    the size in units a person reads and the snapshot's moment on the registry's clock."""
    ok(sopr("signal", "add", "--received", "03.03.2025 10:00", "--source", "ПДН", "--child",
            "Сидоров Пётр Ильич, 10.02.2010", "--problem", "Безнадзорность", "--no-threat"))
    missing = tmp_path / "нет" / "копия.zip"
    r = sopr("backup", str(missing))
    assert r.code == 2 and len(r.err.strip().splitlines()) == 1 and not missing.parent.exists()
    wrong = sopr("backup", str(tmp_path / "копия.tar"))
    assert wrong.code == 2 and ".zip" in wrong.err and list(tmp_path.glob("копия*")) == []
    copy = tmp_path / "копия.zip"
    first = ok(sopr("backup", str(copy)))
    shown = re.search(r"\((\d+(?:,\d)? (?:байт|КБ|МБ)), права 0600\)", first.out)
    assert shown and "0,0" not in first.out and "UTC" not in first.out
    assert re.search(r"снимок на \d\d\.\d\d\.\d{4} \d\d:\d\d:\d\d$", first.out.strip())
    kept = copy.read_bytes()
    again = sopr("backup", str(copy))
    assert again.code == 2 and "--force" in again.err and copy.read_bytes() == kept
    assert ok(sopr("backup", str(copy), "--force")).code == 0
