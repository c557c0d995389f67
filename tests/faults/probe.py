"""Looking at a registry from outside sopcli: content hashes, the all-or-nothing invariants, who holds the write lock.

Plain DB-API (sqlite3, psycopg), never sopcli's own code: a fault test must not
judge the registry with the code it is testing.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# audit entity → (table, the action that creates a row of it)
CREATED = {"signal": ("signal", "create"), "check": ("check_conclusion", "create"), "case": ("sop_case", "create"),
           "obligation": ("obligation", "open"), "plan": ("plan", "create"), "measure": ("measure", "create"),
           "reconciliation": ("reconciliation", "create"), "measure_complex": ("measure_complex", "import"),
           "report": ("report", "create"), "case_event": ("case_event", "create"),
           "proposal": ("proposal", "create"), "agency": ("agency", "create")}


def pg_dsn(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


@contextmanager
def connect(url: str) -> Iterator[Any]:
    """A DB-API connection to an SQLite path or a PostgreSQL URL."""
    if "://" in url:
        import psycopg

        conn = psycopg.connect(pg_dsn(url), autocommit=True)
    else:
        conn = sqlite3.connect(f"file:{url}?mode=ro", uri=True, timeout=60)
    try:
        yield conn
    finally:
        conn.close()


def rows(conn: Any, sql: str) -> list[tuple]:
    cur = conn.cursor()
    cur.execute(sql)
    out = cur.fetchall()
    cur.close()
    return out


def tables(conn: Any) -> list[str]:
    if isinstance(conn, sqlite3.Connection):
        return sorted(r[0] for r in rows(conn, "SELECT name FROM sqlite_master WHERE type = 'table' "
                                              "AND name NOT LIKE 'sqlite_%'"))
    return sorted(r[0] for r in rows(conn, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))


def columns(conn: Any, table: str) -> list[str]:
    if isinstance(conn, sqlite3.Connection):
        return [r[1] for r in rows(conn, f'PRAGMA table_info("{table}")')]
    return [r[0] for r in rows(conn, "SELECT column_name FROM information_schema.columns "
                                     f"WHERE table_schema = 'public' AND table_name = '{table}' "
                                     "ORDER BY ordinal_position")]


@dataclass
class State:
    """Row counts, max ids and a content hash of every table; the sets the audit invariants compare."""

    counts: dict[str, int]
    max_ids: dict[str, int]
    digest: dict[str, str] = field(default_factory=dict)
    fulfilled: set[int] = field(default_factory=set)
    cancelled: set[int] = field(default_factory=set)
    closed: set[int] = field(default_factory=set)
    approved: set[int] = field(default_factory=set)
    audit_max: int = 0


def state(url: str, digest: bool = True) -> State:
    with connect(url) as conn:
        names = tables(conn)
        cols = {t: columns(conn, t) for t in names}
        counts = {t: rows(conn, f'SELECT count(*) FROM "{t}"')[0][0] for t in names}
        ids = {t: rows(conn, f'SELECT coalesce(max(id), 0) FROM "{t}"')[0][0] for t in names if "id" in cols[t]}
        st = State(counts, ids)
        if digest:
            st.digest = {t: _content_hash(conn, t, cols[t][0]) for t in names}
        st.fulfilled = {r[0] for r in rows(conn, "SELECT id FROM obligation WHERE status = 'fulfilled'")}
        st.cancelled = {r[0] for r in rows(conn, "SELECT id FROM obligation WHERE status = 'cancelled'")}
        st.closed = {r[0] for r in rows(conn, "SELECT id FROM sop_case WHERE status = 'closed'")}
        st.approved = {r[0] for r in rows(conn, "SELECT id FROM plan WHERE approved_on IS NOT NULL")}
        st.audit_max = ids["audit_entry"]
    return st


def _content_hash(conn: Any, table: str, first: str) -> str:
    """A hash of every row of `table` in id order: any change of any value changes it.

    Computed where it is cheap, since the fault suite takes one before and after every kill: PostgreSQL
    hashes the rows' own text form on the server; SQLite's rows (text, numbers, bytes, NULL) are hashed
    by their repr in one piece. `first`: the table's first column, the order of the rows."""
    if isinstance(conn, sqlite3.Connection):
        return hashlib.sha256(repr(rows(conn, f'SELECT * FROM "{table}" ORDER BY "{first}"')).encode()).hexdigest()
    return rows(conn, f'SELECT md5(coalesce(string_agg(t::text, E\'\\n\' ORDER BY t."{first}"), \'\')) '
                      f'FROM "{table}" t')[0][0]


def delta(before: State, after: State) -> dict[str, int]:
    return {t: after.counts[t] - before.counts.get(t, 0) for t in after.counts
            if after.counts[t] != before.counts.get(t, 0)}


def sqlite_health(path: str) -> list[str]:
    """`PRAGMA integrity_check` and `foreign_key_check` on a writable connection (it replays a left WAL)."""
    conn = sqlite3.connect(path, timeout=60)
    try:
        problems = []
        ok = conn.execute("PRAGMA integrity_check").fetchall()
        if ok != [("ok",)]:
            problems.append(f"integrity_check: {ok[:5]}")
        fk = conn.execute("PRAGMA foreign_key_check").fetchall()
        if fk:
            problems.append(f"foreign_key_check: {fk[:5]}")
        return problems
    finally:
        conn.close()


def invariants(url: str, base: State) -> list[str]:
    """Every step all or nothing, judged by the audit trail against the rows since `base` (the built registry).

    - a row created since `base` ⇔ its create/open/import audit entry (signals, checks, cases, obligations, …);
    - an obligation fulfilled/cancelled since `base` ⇔ its fulfil/cancel entry; a case closed ⇔ its close entry;
      a plan approved ⇔ its approve entry;
    - a signal has its child and its journal obligations; a case has its recognition's obligations;
      a check ⇔ its signal marked checked.
    """
    problems: list[str] = []
    now = state(url, digest=False)
    with connect(url) as conn:
        audit = rows(conn, f"SELECT action, entity, entity_id FROM audit_entry WHERE id > {base.audit_max}")
        for entity, (table, action) in CREATED.items():
            logged = {i for a, e, i in audit if e == entity and a == action}
            made = {r[0] for r in rows(conn, f'SELECT id FROM "{table}" WHERE id > {base.max_ids[table]}')}
            if logged != made:
                problems.append(f"{table}: rows {sorted(made - logged)[:5]} without audit, "
                                f"audit {sorted(logged - made)[:5]} without rows")
        for action, entity, now_set, base_set in (
                ("fulfil", "obligation", now.fulfilled, base.fulfilled),
                ("cancel", "obligation", now.cancelled, base.cancelled),
                ("close", "case", now.closed, base.closed), ("approve", "plan", now.approved, base.approved)):
            logged = {i for a, e, i in audit if e == entity and a == action}
            if logged != now_set - base_set:
                problems.append(f"{entity} {action}: audit {sorted(logged)[:5]} vs rows "
                                f"{sorted(now_set - base_set)[:5]}")
        s0, c0 = base.max_ids["signal"], base.max_ids["sop_case"]
        for label, sql in (
                ("signal without a child", f"SELECT s.id FROM signal s WHERE s.id > {s0} AND NOT EXISTS "
                 "(SELECT 1 FROM signal_person p WHERE p.signal_id = s.id AND p.role = 'child')"),
                ("signal without its obligations", f"SELECT s.id FROM signal s WHERE s.id > {s0} AND NOT EXISTS "
                 "(SELECT 1 FROM obligation o WHERE o.signal_id = s.id)"),
                ("case without its obligations", f"SELECT c.id FROM sop_case c WHERE c.id > {c0} AND NOT EXISTS "
                 "(SELECT 1 FROM obligation o WHERE o.case_id = c.id)"),
                ("check without its signal checked", "SELECT k.id FROM check_conclusion k JOIN signal s "
                 "ON s.id = k.signal_id WHERE s.status <> 'checked'"),
                ("signal checked without a check", "SELECT s.id FROM signal s WHERE s.status = 'checked' AND "
                 "NOT EXISTS (SELECT 1 FROM check_conclusion k WHERE k.signal_id = s.id)"),
                ("obligation of a missing signal or case", "SELECT o.id FROM obligation o WHERE "
                 "(o.signal_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM signal s WHERE s.id = o.signal_id)) OR "
                 "(o.case_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM sop_case c WHERE c.id = o.case_id))")):
            bad = rows(conn, sql)
            if bad:
                problems.append(f"{label}: {[r[0] for r in bad[:5]]}")
    if "://" not in url:
        problems += sqlite_health(url)
    return problems


# -- who holds the write transaction at the moment of the kill ------------------------------------------------------
WAL_WRITE_LOCK = 120  # SQLite's WAL_WRITE_LOCK: byte 120 of the -shm file, held from BEGIN IMMEDIATE to the commit


def sqlite_writer(path: str, pid: int) -> bool:
    """Does `pid` hold the WAL write lock (fcntl, seen in /proc/locks) on the registry's -shm file?"""
    try:
        shm = os.stat(f"{path}-shm")
        locks = Path("/proc/locks").read_text()
    except OSError:
        return False
    dev_ino = f":{shm.st_ino}"
    for line in locks.splitlines():
        parts = line.split()
        if "->" in parts or len(parts) < 8:
            continue
        kind, owner, where, start = parts[3], parts[4], parts[5], parts[6]
        if owner == str(pid) and kind == "WRITE" and where.endswith(dev_ino) and start == str(WAL_WRITE_LOCK):
            return True
    return False


def pg_writers(admin: Any, dbname: str) -> int:
    """Backends of `dbname` inside a transaction that has written (a transaction id is assigned at the first write)."""
    return rows(admin, f"SELECT count(*) FROM pg_stat_activity WHERE datname = '{dbname}' "
                       "AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()")[0][0]
