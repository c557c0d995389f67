"""Restore through the engines' bulk paths (issue 17 §2): the same stored text, and bad values still refused.

Restore no longer goes through SQLAlchemy row by row (executemany on SQLite's own
connection, COPY on PostgreSQL), so two things are held here through the real CLI:
a restored SQLite file holds exactly the text and storage classes sopcli itself
writes (read with the stdlib `sqlite3`, not with sopcli's own reader), and a file
whose checksums agree but whose values are not values is refused with one line,
nothing written, on each engine.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zipfile
from contextlib import closing
from pathlib import Path

import pytest

from tests.conftest import PDN, ok, refused, runner
from tests.services.trust.test_backup import contents


def _raw(path: Path) -> dict[str, list[tuple]]:
    """Every table's rows with each value's SQLite storage class, as stored on disk."""
    conn = sqlite3.connect(path)
    names = [n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
             if n not in ("audit_entry", "audit_head", "alembic_version") and not n.startswith("sqlite_")]
    out = {}
    for n in names:
        cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{n}")')]
        sel = ", ".join(f'"{c}", typeof("{c}")' for c in cols)
        out[n] = conn.execute(f'SELECT {sel} FROM "{n}" ORDER BY 1').fetchall()
    conn.close()
    return out


def _small_story(sopr) -> None:
    ok(sopr("agency", "add", "МБОУ СОШ № 5", "--kind", "образование"))  # the signal's source (issue 28)
    ok(sopr("signal", "add", "--received", "27.12.2024 17:30", "--source", "МБОУ СОШ № 5", "--channel", "phone",
            "--child", "Сидоров Пётр Ильич, 10.02.2008", "--parent", "Сидорова Анна Петровна",
            "--problem", "Не посещает школу", "--threat"))
    ok(sopr("check", "1", "--concluded", "13.01.2025", "--level", "critical", "--outcome", "sop",
            "--criterion", "1", "--family", "мать, сын", "--note", "«кавычки»\nи перевод строки"))
    ok(sopr("recognize", "1", "--date", "20.01.2025", "--resolution", "7-п", "--curator", "Петрова Анна Викторовна",
            "--member", "Прокуратура"))
    ok(sopr("plan", "add", "1", "--measure", "Профилактическая беседа", "--executor", PDN, "--due", "14.02.2025"))
    ok(sopr("calendar", "set", "05.03.2025", "--off", "--reason", "местный праздник"))


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_restored_sqlite_file_holds_the_text_sopcli_writes(sopr, reg_env, tmp_path):
    _small_story(sopr)
    out = tmp_path / "b.zip"
    ok(sopr("backup", str(out)))
    target = tmp_path / "fresh" / "restored.db"
    ok(runner(dict(reg_env, SOPCLI_DB=str(target)))("restore", str(out)))
    before, after = _raw(Path(reg_env["SOPCLI_DB"])), _raw(target)
    assert before["obligation"] and before["check_conclusion"]
    assert after == before  # moments as naive UTC text with microseconds, dates ISO, booleans 0/1
    indexes = "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
    with closing(sqlite3.connect(reg_env["SOPCLI_DB"])) as a, closing(sqlite3.connect(target)) as b:
        kept = a.execute(indexes).fetchall()
        assert len(kept) > 50 and b.execute(indexes).fetchall() == kept  # dropped for the load, every one built again


PG_SCHEMA = ("SELECT 'index', tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
             "UNION ALL SELECT 'key', conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
             "WHERE connamespace = current_schema()::regnamespace ORDER BY 1, 2, 3")


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_a_restored_postgresql_registry_has_every_index_and_key(sopr, reg_env, tmp_path, pg_db):
    """Indexes and foreign keys are dropped for COPY and put back after it: the same schema as `init` made."""
    import psycopg

    _small_story(sopr)
    out = tmp_path / "b.zip"
    ok(sopr("backup", str(out)))
    ok(runner(dict(reg_env, SOPCLI_DB=pg_db))("restore", str(out)))
    dsn = {u: u.replace("postgresql+psycopg://", "postgresql://") for u in (reg_env["SOPCLI_DB"], pg_db)}
    with psycopg.connect(dsn[reg_env["SOPCLI_DB"]]) as a, psycopg.connect(dsn[pg_db]) as b:
        kept = a.execute(PG_SCHEMA).fetchall()
        assert sum(k == "key" and "FOREIGN KEY" in d for k, _, _, d in kept) > 20
        assert sum(k == "index" for k, *_ in kept) > 50 and b.execute(PG_SCHEMA).fetchall() == kept
    restored, source = contents(pg_db), contents(reg_env["SOPCLI_DB"])
    assert restored.pop("audit_entry")[:-1] == source.pop("audit_entry")  # and the restore's own entry
    restored.pop("audit_head"), source.pop("audit_head")
    assert restored == source


def _forge(src: Path, dst: Path, table: str, column: str, value) -> None:
    """A copy of `src` whose first row of `table` has `value` in `column`, the manifest's checksum made to agree."""
    with zipfile.ZipFile(src) as z:
        manifest = json.loads(z.read("manifest.json"))
        members = {i.filename: z.read(i.filename) for i in z.infolist()}
    entry = next(e for e in manifest["tables"] if e["name"] == table)
    first, rest = members[entry["member"]].split(b"\n", 1)
    row = json.loads(first)
    row[entry["columns"].index(column)] = value
    data = json.dumps(row, ensure_ascii=False, separators=(",", ":")).encode() + b"\n" + rest
    members[entry["member"]], entry["sha256"] = data, hashlib.sha256(data).hexdigest()
    members["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)


def test_values_that_are_not_values_are_refused_and_nothing_is_written(sopr, reg_env, tmp_path):
    _small_story(sopr)
    good = tmp_path / "good.zip"
    ok(sopr("backup", str(good)))
    before = contents(reg_env["SOPCLI_DB"])
    forged = {"moment.zip": ("obligation", "created_at", "вчера"), "date.zip": ("obligation", "due", "2025-13-45"),
              "object.zip": ("signal", "received_at", {"a": 1}), "text.zip": ("signal", "source", ["список"])}
    for name, (table, column, value) in forged.items():
        _forge(good, tmp_path / name, table, column, value)
        r = refused(sopr("restore", str(tmp_path / name), "--replace"), name, table)
        assert "Traceback" not in r.err
        assert contents(reg_env["SOPCLI_DB"]) == before, name


def _second_id(src: Path, table: str) -> int:
    with zipfile.ZipFile(src) as z:
        manifest = json.loads(z.read("manifest.json"))
        entry = next(e for e in manifest["tables"] if e["name"] == table)
        second = z.read(entry["member"]).split(b"\n")[1]
    return json.loads(second)[entry["columns"].index("id")]


def test_well_formed_values_that_break_the_schema_are_refused_in_one_line(sopr, reg_env, tmp_path):
    """Checksums that agree, values of the right kind, and still a forgery: a NULL where one is required, a
    repeated id, a reference to nothing, a number past 64 bits, PostgreSQL-only words for a moment or a day,
    JSON's NaN. Each is one Russian line, exit 2, the registry as it was — never an internal error."""
    _small_story(sopr)
    good = tmp_path / "good.zip"
    ok(sopr("backup", str(good)))
    before = contents(reg_env["SOPCLI_DB"])
    forged = {"null.zip": ("obligation", "rule", None),
              "twice.zip": ("obligation", "id", _second_id(good, "obligation")),
              "nowhere.zip": ("obligation", "signal_id", 999_999), "huge.zip": ("obligation", "id", 2**70),
              "infinity.zip": ("obligation", "created_at", "infinity"), "today.zip": ("obligation", "due", "today"),
              "yes.zip": ("agency", "is_active", "yes"), "nan.zip": ("obligation", "id", float("nan"))}
    for name, (table, column, value) in forged.items():
        _forge(good, tmp_path / name, table, column, value)
        r = refused(sopr("restore", str(tmp_path / name), "--replace"), name)
        assert "Traceback" not in r.err and "Внутренняя ошибка" not in r.err, (name, r.err)
        assert contents(reg_env["SOPCLI_DB"]) == before, name
