"""The tamper-evident audit trail (issue 7 §5) through the real CLI, on SQLite and PostgreSQL.

A story writes the trail; then the trail is tampered with by hand-written SQL,
the way someone with the database password would, and `audit verify` must
name the first broken entry and exit 4. Between tamperings the trail is put
back exactly as it was and must verify again.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import create_engine, insert, select, text

from tests.conftest import PDN, ok

CHILD = "Сидоров Пётр Ильич, 10.02.2008"


def engine_of(db: str):
    return create_engine(db if "://" in db else f"sqlite:///{db}")


def entries_table():
    from sopcli.models import AuditEntry

    return AuditEntry.__table__


def snapshot(engine) -> tuple[list[dict], list[dict]]:
    t = entries_table()
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(select(t).order_by(t.c.id))]
        heads = [dict(r._mapping) for r in conn.execute(text("SELECT chain, last_seq, last_hash FROM audit_head"))]
    return rows, heads


def restore(engine, rows: list[dict], heads: list[dict]) -> None:
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_entry"))
        conn.execute(text("DELETE FROM audit_head"))
        conn.execute(insert(entries_table()), rows)
        conn.execute(text("INSERT INTO audit_head (chain, last_seq, last_hash) VALUES (:chain, :last_seq, :last_hash)"),
                     heads)


def verify(sopr) -> tuple[int, dict, str]:
    r = sopr("audit", "verify", "--json")
    return r.code, json.loads(r.out), r.err


def rehash(row: dict, prev_hash: str) -> str:
    from sopcli.services.trust.audit import entry_hash

    return entry_hash(prev_hash, row["chain"], row["seq"], row["at"], row["os_user"], row["command"], row["action"],
                      row["entity"], row["entity_id"], row["detail"])


CONTENT = ("at", "os_user", "command", "action", "entity", "entity_id", "detail")
ALL_BUT_ID = (*CONTENT, "chain", "seq", "prev_hash", "hash")


def _set(conn, row_id: int, values: dict, cols: tuple[str, ...]) -> None:
    t = entries_table()
    conn.execute(t.update().where(t.c.id == row_id).values({c: values[c] for c in cols}))


# Each tampering: (conn, rows of the intact trail, index of a middle entry) -> the (kind, id) verify must report.
def change_detail(conn, rows, m):
    conn.execute(text("UPDATE audit_entry SET detail = '{\"forged\": true}' WHERE id = :id"), {"id": rows[m]["id"]})
    return "changed", rows[m]["id"]


def delete_middle(conn, rows, m):
    conn.execute(text("DELETE FROM audit_entry WHERE id = :id"), {"id": rows[m]["id"]})
    return "missing", rows[m + 1]["id"]


def delete_last(conn, rows, m):
    conn.execute(text("DELETE FROM audit_entry WHERE id = :id"), {"id": rows[-1]["id"]})
    return "truncated", rows[-2]["id"]


def insert_forged_after_last(conn, rows, m):
    """A forger who knows the hash function appends a perfect link; only the head shows it was not sopcli."""
    last = rows[-1]
    forged = {**{c: last[c] for c in CONTENT}, "detail": '{"name": "подлог"}', "chain": last["chain"],
              "seq": last["seq"] + 1, "prev_hash": last["hash"], "at": last["at"] + timedelta(seconds=1)}
    forged["hash"] = rehash(forged, last["hash"])
    new_id = conn.execute(insert(entries_table()).values(forged)).inserted_primary_key[0]
    return "beyond_head", new_id


def insert_other_chain(conn, rows, m):
    forged = {**{c: rows[m][c] for c in CONTENT}, "chain": "forged", "seq": 1, "prev_hash": "0" * 64}
    forged["hash"] = rehash(forged, forged["prev_hash"])
    new_id = conn.execute(insert(entries_table()).values(forged)).inserted_primary_key[0]
    return "no_head", new_id


def swap_contents(conn, rows, m):
    a, b = rows[m], next(r for r in rows[m + 1:] if (r["action"], r["entity"], r["detail"]) !=
                         (rows[m]["action"], rows[m]["entity"], rows[m]["detail"]))
    _set(conn, a["id"], b, CONTENT)
    _set(conn, b["id"], a, CONTENT)
    return "changed", a["id"]


def swap_whole_entries(conn, rows, m):
    """Both entries keep valid hashes and links; only their order by id gives them away."""
    a, b = rows[m], rows[m + 3]
    conn.execute(text("UPDATE audit_entry SET seq = -1 WHERE id = :id"), {"id": a["id"]})  # unique (chain, seq)
    _set(conn, b["id"], a, ALL_BUT_ID)
    _set(conn, a["id"], b, ALL_BUT_ID)
    return "reordered", a["id"]


def change_and_rehash(conn, rows, m):
    changed = {**rows[m], "detail": '{"forged": true}'}
    _set(conn, rows[m]["id"], {**changed, "hash": rehash(changed, rows[m]["prev_hash"])}, ("detail", "hash"))
    return "link", rows[m + 1]["id"]


def rewrite_the_rest(conn, rows, m):
    """Change one entry and re-link every later one: a consistent chain that ends off the head's hash."""
    prev = rows[m]["prev_hash"]
    for i, row in enumerate(rows[m:]):
        new = {**row, "prev_hash": prev, "detail": '{"forged": true}' if i == 0 else row["detail"]}
        new["hash"] = prev = rehash(new, prev)
        _set(conn, row["id"], new, ("detail", "prev_hash", "hash"))
    return "head_mismatch", rows[-1]["id"]


TAMPERINGS = [change_detail, delete_middle, delete_last, insert_forged_after_last, insert_other_chain, swap_contents,
              swap_whole_entries, change_and_rehash, rewrite_the_rest]


def story(sopr) -> None:
    ok(sopr("signal", "add", "--no-threat", "--received", "03.03.2025 10:00", "--source", "ПДН", "--child", CHILD,
            "--parent", "Сидорова Алёна Петровна", "--problem", "Безнадзорность"))
    ok(sopr("check", "1", "--concluded", "05.03.2025", "--level", "high", "--outcome", "sop"))
    ok(sopr("recognize", "1", "--date", "12.03.2025", "--resolution", "9", "--curator", "Петрова Анна Викторовна"))
    ok(sopr("plan", "add", "1", "--measure", "Профилактическая беседа", "--executor", PDN, "--due", "15.04.2025"))
    ok(sopr("plan", "approve", "1", "--date", "24.03.2025", "--resolution", "12"))


def test_a_story_verifies_and_every_tampering_names_its_entry(sopr, reg_env):
    story(sopr)
    engine = engine_of(reg_env["SOPCLI_DB"])
    rows, heads = snapshot(engine)
    assert [r["seq"] for r in rows] == list(range(1, len(rows) + 1)) and {r["chain"] for r in rows} == {"main"}
    assert heads == [{"chain": "main", "last_seq": len(rows), "last_hash": rows[-1]["hash"]}]
    code, doc, _ = verify(sopr)
    assert code == 0 and doc["ok"] and doc["checked"] == len(rows)
    assert doc["chains"] == [{"chain": "main", "checked": len(rows), "last_seq": len(rows), "head_seq": len(rows),
                              "head_hash": rows[-1]["hash"], "ok": True, "broken": None}]

    case = ok(sopr("audit", "list", "--entity", "case", "--id", "1", "--json")).json()["entries"]
    own = [e for e in case if e["entity"] == "case"]
    assert [(e["command"], e["action"]) for e in own] == [("recognize", "create")]
    assert own[0]["detail"] == {"resolution": "9", "signal": 1}
    # issue 30 §2: with everything that belongs to the case, its signal's and programme's entries too
    assert {("signal add", "create", "signal"), ("check", "create", "check"), ("plan approve", "approve", "plan")} <= {
        (e["command"], e["action"], e["entity"]) for e in case}

    m = len(rows) // 2
    for tamper in TAMPERINGS:
        with engine.begin() as conn:
            kind, entry_id = tamper(conn, rows, m)
        code, doc, err = verify(sopr)
        broken = [c["broken"] for c in doc["chains"] if not c["ok"]]
        assert code == 4 and not doc["ok"], tamper.__name__
        assert [(b["kind"], b["id"]) for b in broken] == [(kind, entry_id)], tamper.__name__
        assert err.count("\n") == 1 and err.startswith("Журнал аудита нарушен") and f"id {entry_id} " in err, err
        restore(engine, rows, heads)
        assert verify(sopr)[0] == 0, tamper.__name__
    engine.dispose()


def test_the_database_refuses_a_second_entry_with_the_same_seq(sopr, reg_env):
    from sqlalchemy.exc import IntegrityError

    engine = engine_of(reg_env["SOPCLI_DB"])
    rows, _ = snapshot(engine)
    copy = {c: rows[0][c] for c in ALL_BUT_ID}
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(insert(entries_table()).values(copy))
    engine.dispose()
    assert verify(sopr)[0] == 0


def test_reordered_entries_name_where_the_skipped_one_is(sopr, reg_env):
    engine = engine_of(reg_env["SOPCLI_DB"])
    rows, _ = snapshot(engine)
    with engine.begin() as conn:
        swap_whole_entries(conn, rows, 2)
    engine.dispose()
    code, doc, _ = verify(sopr)
    broken = doc["chains"][0]["broken"]
    assert code == 4 and broken["seq"] == rows[5]["seq"] and f"id {rows[3]['id']}" in broken["message"], broken


def test_one_head_read_and_one_head_write_per_transaction(sopr, reg_env):
    """A step that records several entries locks and updates the chain's head once (issue 7 §5)."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from sopcli.commands._common import registry, state
    from sopcli.services.trust import audit

    seen: list[str] = []

    def spy(_conn, _cursor, statement, *_args) -> None:
        if "audit_head" in statement:
            seen.append(" ".join(statement.split()[:1] + ["FOR UPDATE"] * ("FOR UPDATE" in statement)))

    before = verify(sopr)[1]["checked"]
    event.listen(Engine, "before_cursor_execute", spy)
    state["db"] = reg_env["SOPCLI_DB"]
    try:
        with registry("test", standing=False) as (reg, session):
            for k in range(5):
                audit.record(session, reg, "test", "agency", k, k=k)
    finally:
        state["db"] = None
        event.remove(Engine, "before_cursor_execute", spy)
    lock = "SELECT FOR UPDATE" if "://" in reg_env["SOPCLI_DB"] else "SELECT"
    assert seen == [lock, "UPDATE"]
    code, doc, _ = verify(sopr)
    assert code == 0 and doc["checked"] == before + 5


def test_refusals(sop, sopr):
    r = sopr("audit", "list", "--since", "31.02.2025")
    assert r.code == 2 and r.err.count("\n") == 1 and "Traceback" not in r.err
    r = sopr("audit", "list", "--limit", "0")
    assert r.code == 2
    missing = sop("--db", "/nonexistent/dir/registry.db", "audit", "verify")
    assert missing.code == 2 and "init --new`" in missing.err and "--db" in missing.err


def test_list_filters_since_and_limit(sopr):
    everything = ok(sopr("audit", "list", "--limit", "1000000", "--json")).json()["entries"]
    assert [e["id"] for e in everything] == sorted(e["id"] for e in everything)
    last3 = ok(sopr("audit", "list", "--limit", "3", "--json")).json()["entries"]
    assert last3 == everything[-3:]
    after = datetime.fromisoformat(everything[-1]["at"]) + timedelta(minutes=1)  # typed to the minute
    none = ok(sopr("audit", "list", "--since", after.strftime("%d.%m.%Y %H:%M"), "--json")).json()["entries"]
    assert none == []
    first = datetime.fromisoformat(everything[0]["at"])
    assert ok(sopr("audit", "list", "--since", first.strftime("%d.%m.%Y %H:%M"), "--json")).json()["entries"] == \
        everything
    text_out = ok(sopr("audit", "list", "--entity", "agency")).out
    assert "init: создание, орган" in text_out


# -- upgrading a registry at 0005 ---------------------------------------------------------
OLD_ENTRIES = 10_050  # more than one batch of the migration (10,000)


def test_upgrading_a_registry_at_0005_chains_its_entries_in_id_order(sop, reg_env):
    from importlib import resources

    import sqlalchemy as sa
    from alembic import command
    from alembic.config import Config

    from sopcli.db import make_engine, resolve_url

    engine = make_engine(resolve_url(reg_env["SOPCLI_DB"]), create=True)
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("sopcli") / "migrations"))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0005")
    utc_type = entries_table().c.at.type  # what sopcli has always written: UTC on both engines
    old = sa.table("audit_entry", *(sa.column(c) for c in ("os_user", "command", "action", "entity", "entity_id",
                                                            "detail")), sa.column("at", utc_type))
    zones = [UTC, timezone(timedelta(hours=3)), timezone(timedelta(hours=-5, minutes=-30))]
    start = datetime(2024, 12, 27, 17, 30, tzinfo=UTC)
    made = [{"at": (start + timedelta(minutes=i, microseconds=0 if i % 2 else i)).astimezone(zones[i % 3]),
             "os_user": "секретарь" if i % 2 else "cron", "command": "signal add", "action": "create",
             "entity": "signal", "entity_id": None if i % 5 == 0 else i,
             "detail": json.dumps({"number": f"{i}/2024", "note": "«кавычки» и \\ слэш"}, ensure_ascii=False)}
            for i in range(OLD_ENTRIES)]
    with engine.begin() as conn:
        conn.execute(sa.insert(old), made)
    engine.dispose()

    up = ok(sop("init", "--new", "--json")).json()
    from sopcli.services.reading.schema import SCHEMA_HEAD

    assert up["migrations_applied"] == ["0005", SCHEMA_HEAD]  # through 0006, which chains them
    code, doc, err = verify(sop)
    assert code == 0, err
    engine = engine_of(reg_env["SOPCLI_DB"])
    rows, heads = snapshot(engine)
    engine.dispose()
    assert doc["checked"] == len(rows) > OLD_ENTRIES
    assert [r["seq"] for r in rows] == list(range(1, len(rows) + 1))  # id order is seq order
    assert [(r["entity_id"], r["detail"], r["at"]) for r in rows[:OLD_ENTRIES]] == [
        (m["entity_id"], m["detail"], m["at"]) for m in made]
    assert heads == [{"chain": "main", "last_seq": len(rows), "last_hash": rows[-1]["hash"]}]


# -- concurrent writers --------------------------------------------------------------------
WRITER = """
import sys, time
from sopcli.commands._common import registry
from sopcli.services.trust import audit
go = float(sys.argv[1])
while time.time() < go:  # all four start together: a barrier, not a timing assertion
    time.sleep(0.002)
for i in range(int(sys.argv[3])):
    with registry("test writer", standing=False) as (reg, session):
        for k in range(3):
            audit.record(session, reg, "test", "writer", int(sys.argv[2]), i=i, k=k)
"""


@pytest.mark.slow
def test_four_writers_at_once_leave_one_unforked_chain(sopr, reg_env):
    import subprocess
    import sys
    import time

    per_writer = 40
    before = verify(sopr)[1]["checked"]
    go = str(time.time() + 3)
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, go, str(w), str(per_writer)], env=reg_env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for w in range(4)]
    results = [(p.wait(timeout=600), p.stderr.read()) for p in procs]
    for p in procs:
        p.stdout.close()
        p.stderr.close()
    assert [code for code, _ in results] == [0] * 4, [err[-500:] for _, err in results]
    code, doc, err = verify(sopr)
    assert code == 0, err
    assert doc["checked"] == before + 4 * per_writer * 3 and len(doc["chains"]) == 1
    mine = ok(sopr("audit", "list", "--entity", "writer", "--limit", "1000", "--json")).json()["entries"]
    # each transaction's three entries are consecutive links: no writer's append interleaved another's
    for i in range(0, len(mine), 3):
        trio = mine[i:i + 3]
        assert len({e["entity_id"] for e in trio}) == 1 and [e["detail"]["k"] for e in trio] == [0, 1, 2]
