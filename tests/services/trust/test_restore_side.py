"""The side loader (issue 17 §2): a restore into SQLite loads its largest table in a second process.

Held through the real CLI: the rows land exactly as the one-process path lands them (compared through the
engine-independent backup of a PostgreSQL restore of the same file, which has no side loader); a bad
value, a repeated id or a reference to nothing deep in that table is refused in one Russian line with the
registry as it was; and no scratch file of personal data outlives the restore, refused or killed.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from sopcli.services.trust.restore_side import SIDE_ROWS
from tests.conftest import ok, refused, runner
from tests.services.trust.test_backup import contents
from tests.services.trust.test_restore_bulk import _small_story

ROWS = SIDE_ROWS + 7_000  # past the threshold, and several scratch files' worth


def _grown(src: Path, dst: Path, change=None) -> None:
    """A copy of `src` whose obligations are its last one repeated under new ids up to ROWS; `change(rows, ids)`
    may then alter the list of rows (as lists); the checksums made to agree."""
    with zipfile.ZipFile(src) as z:
        manifest = json.loads(z.read("manifest.json"))
        members = {i.filename: z.read(i.filename) for i in z.infolist()}
    entry = next(e for e in manifest["tables"] if e["name"] == "obligation")
    rows = [json.loads(line) for line in members[entry["member"]].splitlines()]
    at = entry["columns"].index("id")
    last, original = rows[-1], len(rows)
    rows += [[*last[:at], last[at] + k, *last[at + 1:]] for k in range(1, ROWS - len(rows) + 1)]
    if change:
        change(rows, entry["columns"])
    lines = [json.dumps(r, ensure_ascii=False, separators=(",", ":")).encode() for r in rows]
    _put(manifest, members, "obligation", lines)
    if change is None:  # a genuine copy: the new rows sealed in a `seal` entry, as sopcli would have written them
        _sealed(manifest, members, lines[original:])
    members["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in members.items():
            z.writestr(name, body)


def _entry(manifest: dict, table: str) -> dict:
    return next(e for e in manifest["tables"] if e["name"] == table)


def _put(manifest: dict, members: dict, table: str, lines: list[bytes]) -> None:
    entry = _entry(manifest, table)
    data = b"".join(line + b"\n" for line in lines)
    members[entry["member"]] = data
    entry["rows"], entry["sha256"] = len(lines), hashlib.sha256(data).hexdigest()


def _lines(manifest: dict, members: dict, table: str) -> list[bytes]:
    return members[_entry(manifest, table)["member"]].splitlines()


def _sealed(manifest: dict, members: dict, new: list[bytes]) -> None:
    """Seal the grown obligations the way a commit does (issue 27): row seals, one `seal` entry, the head."""
    from sopcli.services.trust.audit import text_hash
    from sopcli.services.trust.seals import line_key, row_hash

    heads = [json.loads(x) for x in _lines(manifest, members, "audit_head")]
    cols = _entry(manifest, "audit_head")["columns"]
    head = next(h for h in heads if h[cols.index("chain")] == "main")
    seq, prev = head[cols.index("last_seq")] + 1, head[cols.index("last_hash")]
    sealed = [["obligation", line_key(x), None, row_hash("obligation", x)] for x in new]
    detail = json.dumps({"rows": sealed}, ensure_ascii=False, default=str, sort_keys=True)
    at = "2026-12-01T10:00:00.000000+00:00"
    digest = text_hash(prev, "main", seq, at, "test", "restore-side", "seal", "rows", None, detail)
    entries = _lines(manifest, members, "audit_entry")
    values = {"id": json.loads(entries[-1])[0] + 1, "at": at, "os_user": "test", "command": "restore-side",
              "action": "seal", "entity": "rows", "entity_id": None, "detail": detail, "chain": "main", "seq": seq,
              "prev_hash": prev, "hash": digest, "commission": "main"}
    entry = json.dumps([values[c] for c in _entry(manifest, "audit_entry")["columns"]], ensure_ascii=False,
                       separators=(",", ":")).encode()
    _put(manifest, members, "audit_entry", [*entries, entry])
    head[cols.index("last_seq")], head[cols.index("last_hash")] = seq, digest
    _put(manifest, members, "audit_head",
         [json.dumps(h, ensure_ascii=False, separators=(",", ":")).encode() for h in heads])
    manifest["audit_heads"] = sorted([h[cols.index("chain")], h[cols.index("last_seq")], h[cols.index("last_hash")]]
                                     for h in heads)
    seal_cols = _entry(manifest, "row_seal")["columns"]
    kept = _lines(manifest, members, "row_seal")
    for _t, key, _old, h in sealed:
        one = {"tbl": "obligation", "row_key": key, "hash": h, "chain": "main", "seq": seq, "commission": "main"}
        kept.append(json.dumps([one[c] for c in seal_cols], ensure_ascii=False, separators=(",", ":")).encode())
    _put(manifest, members, "row_seal", kept)


def _scratch(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".part" in p.name)


def _sums(run, path: Path) -> dict[str, str]:
    ok(run("backup", str(path)))
    manifest = json.loads(zipfile.ZipFile(path).read("manifest.json"))
    return {t["name"]: t["sha256"] for t in manifest["tables"] if t["name"] not in ("audit_entry", "audit_head")}


@pytest.mark.slow
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_largest_table_loads_beside_and_lands_as_in_one_process(sopr, reg_env, tmp_path, pg_db):
    _small_story(sopr)
    good, big = tmp_path / "good.zip", tmp_path / "big.zip"
    ok(sopr("backup", str(good)))
    _grown(good, big)
    target = tmp_path / "fresh" / "restored.db"
    into_sqlite = runner(dict(reg_env, SOPCLI_DB=str(target)))
    res = ok(into_sqlite("restore", str(big), "--json")).json()
    assert res["tables"]["obligation"] == ROWS
    assert _scratch(target.parent) == []
    ok(into_sqlite("audit", "verify"))
    into_pg = runner(dict(reg_env, SOPCLI_DB=pg_db))  # PostgreSQL loads every table itself
    ok(into_pg("restore", str(big)))
    assert _sums(into_sqlite, tmp_path / "s.zip") == _sums(into_pg, tmp_path / "p.zip")
    case = ok(into_sqlite("case", "show", "1", "--json")).json()
    assert case["curator"] == "Петрова Анна Викторовна"


def _at(columns: list[str], name: str) -> int:
    return columns.index(name)


FORGED = {  # a row past the first scratch file's share
    "moment.zip": lambda rows, cols: rows[-300].__setitem__(_at(cols, "created_at"), "вчера"),
    "twice.zip": lambda rows, cols: rows[-300].__setitem__(_at(cols, "id"), rows[-301][_at(cols, "id")]),
    "nowhere.zip": lambda rows, cols: rows[-300].__setitem__(_at(cols, "signal_id"), 999_999),
    "null.zip": lambda rows, cols: rows[-300].__setitem__(_at(cols, "rule"), None),
}


@pytest.mark.slow
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_bad_row_deep_in_the_side_table_is_refused_and_nothing_is_written(sopr, reg_env, tmp_path):
    _small_story(sopr)
    good = tmp_path / "good.zip"
    ok(sopr("backup", str(good)))
    before = contents(reg_env["SOPCLI_DB"])
    folder = Path(reg_env["SOPCLI_DB"]).parent
    for name, change in FORGED.items():
        _grown(good, tmp_path / name, change)
        r = refused(sopr("restore", str(tmp_path / name), "--replace"), name, "obligation")
        assert "Traceback" not in r.err and "Внутренняя ошибка" not in r.err, (name, r.err)
        assert contents(reg_env["SOPCLI_DB"]) == before, name
        assert _scratch(folder) == [], name
    # the member's checksum, checked by the side loader alone, as it reads
    _grown(good, tmp_path / "sum.zip")
    with zipfile.ZipFile(tmp_path / "sum.zip") as z:
        members = {i.filename: z.read(i.filename) for i in z.infolist()}
    manifest = json.loads(members["manifest.json"])
    next(e for e in manifest["tables"] if e["name"] == "obligation")["sha256"] = "0" * 64
    members["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(tmp_path / "sum.zip", "w") as z:
        for name, body in members.items():
            z.writestr(name, body)
    refused(sopr("restore", str(tmp_path / "sum.zip"), "--replace"), "контрольная сумма")
    assert contents(reg_env["SOPCLI_DB"]) == before and _scratch(folder) == []
    # a manifest counting fewer rows than the member holds: the scratch files stay eight, the count refuses
    _grown(good, tmp_path / "count.zip")
    with zipfile.ZipFile(tmp_path / "count.zip") as z:
        members = {i.filename: z.read(i.filename) for i in z.infolist()}
    manifest = json.loads(members["manifest.json"])
    next(e for e in manifest["tables"] if e["name"] == "obligation")["rows"] = SIDE_ROWS
    members["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(tmp_path / "count.zip", "w") as z:
        for name, body in members.items():
            z.writestr(name, body)
    r = refused(sopr("restore", str(tmp_path / "count.zip"), "--replace"), "контрольная сумма")
    assert "Внутренняя ошибка" not in r.err
    assert contents(reg_env["SOPCLI_DB"]) == before and _scratch(folder) == []


@pytest.mark.slow
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_killed_restore_leaves_no_scratch_file_behind(sopr, reg_env, tmp_path):
    """The side loader watches the restore: killed, it stops at its next batch and removes its files."""
    _small_story(sopr)
    good, big = tmp_path / "good.zip", tmp_path / "big.zip"
    ok(sopr("backup", str(good)))
    _grown(good, big)
    target = tmp_path / "fresh" / "restored.db"
    proc = subprocess.Popen([sys.executable, "-m", "sopcli", "restore", str(big)],
                            env=dict(reg_env, SOPCLI_DB=str(target)), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not (target.parent.is_dir() and _scratch(target.parent)):
            assert proc.poll() is None and time.monotonic() < deadline, "no scratch file was ever written"
            time.sleep(0.01)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    deadline = time.monotonic() + 60
    while _scratch(target.parent) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _scratch(target.parent) == []


@pytest.mark.parametrize("err", [OSError(28, "x"), OSError(122, "quota"), OSError(27, "too big"),
                                 OSError(30, "read-only"), __import__("sqlite3").OperationalError(
                                     "database or disk is full")])
def test_a_fault_of_the_machine_crosses_the_pipe_as_itself(err):
    """The side loader's fault is raised again in the restore as the restore would have met it, so
    cli.environment_fault says the same line (issue 27 §1); anything else stays its type's name only."""
    from sopcli.cli import environment_fault
    from sopcli.services.trust.restore_side import _fault, fault_line

    wrapped = RuntimeError("while loading")
    wrapped.__cause__ = err
    again = _fault(fault_line(wrapped))
    assert again is not None and environment_fault(again) == environment_fault(err) is not None


def test_a_fault_that_may_quote_a_row_crosses_as_its_type_only():
    from sopcli.services.trust.restore_side import _fault, fault_line

    line = fault_line(ValueError("Сидоров Пётр Ильич"))
    assert line == "ValueError" and _fault(line) is None
    assert _fault("sqlite Сидоров") is None and _fault("errno x") is None
