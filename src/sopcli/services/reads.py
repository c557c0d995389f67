"""Read-only queries over plain DB-API: the digest, a case's timeline, the journal.

Why not the ORM here: the cron digest and `case show` are whole processes, and
importing SQLAlchemy, SQLModel and pydantic costs about 0.45 s before the first
row is read (bench/bench_registry.py). These reads use the stdlib `sqlite3` or
`psycopg` directly, inside one read-only snapshot, and never take the write
lock, so a digest printed while the secretary writes neither waits nor blocks.
Every list is fetched by a bounded number of queries, never one per row.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from sopcli.errors import InvalidInput, NotFound

#: The newest Alembic revision this code reads; a test keeps it equal to Alembic's head.
SCHEMA_HEAD = "0002"
DEFAULTS = {"rules": "mari-el", "region": "", "tz": "Europe/Moscow", "municipality": "", "presets": ""}

_DATES = {"due", "target", "birth_date", "concluded_on", "recognized_on", "until", "closed_on"}
_MOMENTS = {"trigger_at", "due_at", "fulfilled_at", "received_at", "created_at"}
OB_COLS = ("id, rule, title, who, recipient, source, signal_id, case_id, person_id, trigger_at, due, due_at, "
           "target, status, fulfilled_at, late_wd, cancel_reason, note")


def _moment(v: Any) -> datetime | None:
    if v is None:
        return None
    if isinstance(v, str):
        v = datetime.fromisoformat(v)
    return v if v.tzinfo else v.replace(tzinfo=UTC)


def _date(v: Any) -> date | None:
    return date.fromisoformat(v) if isinstance(v, str) else v


def _converter(name: str) -> Callable[[Any], Any] | None:
    if name in _MOMENTS:
        return _moment
    if name in _DATES:
        return _date
    if name == "threat":
        return bool
    return None


class Reader:
    """One connection in one snapshot; rows come back as dicts of Python values."""

    def __init__(self, conn: Any, pg: bool) -> None:
        self.conn, self.pg = conn, pg
        self._settings: dict[str, str] | None = None

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        if self.pg:
            sql = sql.replace("?", "%s")
        cur = self.conn.cursor()
        cur.execute(sql, [self._param(p) for p in params])
        names = [d[0] for d in cur.description]
        conv = [(i, f) for i, n in enumerate(names) if (f := _converter(n)) is not None]
        out = []
        for raw in cur.fetchall():
            row = list(raw)
            for i, f in conv:
                if row[i] is not None:
                    row[i] = f(row[i])
            out.append(dict(zip(names, row, strict=True)))
        cur.close()
        return out

    def _param(self, p: Any) -> Any:
        """SQLite keeps moments as naive UTC text; PostgreSQL takes aware datetimes."""
        if isinstance(p, datetime) and not self.pg:
            return p.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
        if isinstance(p, date) and not self.pg:
            return p.isoformat()
        return p

    def check_schema(self) -> None:
        try:
            found = self.rows("SELECT version_num FROM alembic_version")
        except Exception:  # noqa: BLE001 - any driver's "no such table"
            found = []
        if not found:
            raise InvalidInput("Реестр не создан: выполните `sopcli init`.")
        if found[0]["version_num"] != SCHEMA_HEAD:
            raise InvalidInput("Схема реестра другой версии: выполните `sopcli init`, чтобы обновить её.")

    @property
    def settings(self) -> dict[str, str]:
        if self._settings is None:
            self._settings = {**DEFAULTS, **{r["key"]: r["value"] for r in
                                             self.rows("SELECT key, value FROM registry_setting")}}
        return self._settings

    @property
    def tz(self) -> tzinfo:
        return ZoneInfo(self.settings["tz"])


@contextmanager
def open_reader(db: str | None) -> Iterator[Reader]:
    """A read-only snapshot of the registry named by `--db`/`SOPCLI_DB`."""
    from sopcli.db import BUSY_TIMEOUT_MS, resolve_url, sqlite_path

    url = resolve_url(db)
    path = sqlite_path(url)
    if path is not None:
        import sqlite3

        if not path.exists():
            raise InvalidInput(f"Реестр не найден: {path}. Создайте его командой `sopcli init`.")
        os.umask(0o077)  # SQLite may create the -shm file: personal data too
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("BEGIN")  # deferred: a snapshot, never the write lock
        pg = False
    else:
        import psycopg

        conn = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://", 1))
        conn.read_only = True
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        pg = True
    try:
        reader = Reader(conn, pg)
        reader.check_schema()
        yield reader
    finally:
        conn.rollback()
        conn.close()


def reader_on(session: Any) -> Reader:
    """The same queries on a write session's own connection (sees its uncommitted rows)."""
    conn = session.connection()
    return Reader(conn.connection.driver_connection, conn.dialect.name == "postgresql")


# -- obligations --------------------------------------------------------------------
def is_overdue(o: Mapping[str, Any], tz: tzinfo, as_of: datetime) -> bool:
    """Open and the term ran out before `as_of`: the kept moment, else the end of the due day (art. 194)."""
    if o["status"] != "open":
        return False
    if o["due_at"] is not None:
        return o["due_at"] < as_of
    return o["due"] < as_of.astimezone(tz).date()


def end_moment(o: Mapping[str, Any], tz: tzinfo) -> datetime:
    """When the term runs out: the kept moment, or 24:00 of the due day in the registry's zone (art. 194)."""
    if o["due_at"] is not None:
        return o["due_at"]
    return datetime.combine(o["due"] + timedelta(days=1), datetime.min.time(), tzinfo=tz)


def was_late(o: Mapping[str, Any], tz: tzinfo) -> bool | None:
    """Fulfilled after the term ran out (an immediate notice hours late is late, though 0 working days)."""
    if o["status"] != "fulfilled" or o["fulfilled_at"] is None:
        return None
    return o["fulfilled_at"] > end_moment(o, tz)


def obligation_json(o: Mapping[str, Any], tz: tzinfo, as_of: datetime) -> dict[str, Any]:
    due: Any = o["due_at"].astimezone(tz) if o["due_at"] else o["due"]
    return {
        "id": o["id"], "rule": o["rule"], "title": o["title"], "who": o["who"], "to": o["recipient"],
        "trigger_at": o["trigger_at"].astimezone(tz), "due": due, "target": o["target"],
        "status": o["status"], "fulfilled_at": o["fulfilled_at"].astimezone(tz) if o["fulfilled_at"] else None,
        "late": was_late(o, tz), "late_working_days": o["late_wd"], "cancel_reason": o["cancel_reason"] or None,
        "overdue": is_overdue(o, tz, as_of), "source": o["source"],
        "signal": o["signal_id"], "case": o["case_id"], "person": o["person_id"],
    }


def fold(text: str) -> str:
    """Case and ё/е folded, for matching a typed part of an agency's name."""
    return text.casefold().replace("ё", "е")


def digest(r: Reader, as_of: datetime, within: int, overdue_only: bool, case_id: int | None = None,
           who: str | None = None) -> list[dict[str, Any]]:
    """Open obligations overdue at `as_of` or, unless `overdue_only`, due within `within` days; by due, id."""
    tz = r.tz
    today = as_of.astimezone(tz).date()
    if overdue_only:
        # a kept moment (immediate terms) may run out today: its due day is today at most
        where, params = "due <= ?", [today]
    else:
        where, params = "due <= ?", [today + timedelta(days=within)]
    if case_id is not None:  # the case's own and its signal's (before recognition), as `case show`
        case = r.rows("SELECT signal_id FROM sop_case WHERE id = ?", [case_id])
        if not case:
            raise NotFound(f"Дела №{case_id} нет в реестре.")
        where += " AND (case_id = ? OR signal_id = ?)"
        params += [case_id, case[0]["signal_id"]]
    rows = r.rows(f"SELECT {OB_COLS} FROM obligation WHERE status = 'open' AND {where} ORDER BY due, id", params)
    out = []
    wanted = fold(who) if who else None
    for o in rows:
        if overdue_only and not is_overdue(o, tz, as_of):
            continue
        if wanted and wanted not in fold(o["who"]):
            continue
        out.append(obligation_json(o, tz, as_of))
    return out


def obligations_of(r: Reader, *, case_id: int | None = None, signal_id: int | None = None,
                   as_of: datetime) -> list[dict[str, Any]]:
    conds, params = [], []
    if case_id is not None:
        conds.append("case_id = ?")
        params.append(case_id)
    if signal_id is not None:
        conds.append("signal_id = ?")
        params.append(signal_id)
    rows = r.rows(f"SELECT {OB_COLS} FROM obligation WHERE {' OR '.join(conds)} ORDER BY due, id", params)
    return [obligation_json(o, r.tz, as_of) for o in rows]


# -- the journal --------------------------------------------------------------------
_SIGNAL_COLS = "id, year, seq, received_at, source, channel, address, problem, help_needed, threat, result, status"


def _in(ids: Sequence[int]) -> str:
    return ", ".join("?" * len(ids))


def _chunks(ids: list[int], size: int = 900) -> Iterator[list[int]]:
    """SQLite caps bound parameters; a year's journal is fetched in slices."""
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


def signal_docs(r: Reader, signals: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Journal entries with their persons, check and case: four queries per slice, not four per signal."""
    tz = r.tz
    people: dict[int, list[dict[str, Any]]] = {}
    checks: dict[int, dict[str, Any]] = {}
    cases: dict[int, int] = {}
    for ids in _chunks([s["id"] for s in signals]):
        for p in r.rows(f"SELECT sp.signal_id, sp.role, p.full_name, p.birth_date FROM signal_person sp "
                        f"JOIN person p ON p.id = sp.person_id WHERE sp.signal_id IN ({_in(ids)}) "
                        f"ORDER BY sp.signal_id, sp.id", ids):
            people.setdefault(p["signal_id"], []).append(
                {"role": p["role"], "name": p["full_name"], "birth_date": p["birth_date"]})
        for c in r.rows(f"SELECT signal_id, concluded_on, level, outcome, criteria, family, housing, income, "
                        f"support, note FROM check_conclusion WHERE signal_id IN ({_in(ids)})", ids):
            checks[c.pop("signal_id")] = c
        for c in r.rows(f"SELECT id, signal_id FROM sop_case WHERE signal_id IN ({_in(ids)})", ids):
            cases[c["signal_id"]] = c["id"]
    return [{
        "id": s["id"], "number": f"{s['seq']}/{s['year']}", "received_at": s["received_at"].astimezone(tz),
        "source": s["source"], "channel": s["channel"], "address": s["address"], "problem": s["problem"],
        "help_needed": s["help_needed"], "threat": s["threat"], "status": s["status"],
        "persons": people.get(s["id"], []), "check": checks.get(s["id"]), "case": cases.get(s["id"]),
    } for s in signals]


def journal(r: Reader, year: int | None) -> list[dict[str, Any]]:
    where, params = ("WHERE year = ?", [year]) if year is not None else ("", [])
    return signal_docs(r, r.rows(f"SELECT {_SIGNAL_COLS} FROM signal {where} ORDER BY year, seq", params))


def signal_doc(r: Reader, signal_id: int, as_of: datetime) -> dict[str, Any]:
    found = r.rows(f"SELECT {_SIGNAL_COLS} FROM signal WHERE id = ?", [signal_id])
    if not found:
        raise NotFound(f"Сигнала №{signal_id} нет в журнале.")
    doc = signal_docs(r, found)[0]
    doc["obligations"] = obligations_of(r, signal_id=signal_id, as_of=as_of)
    return doc


# -- cases --------------------------------------------------------------------------
_CASE_COLS = ("id, signal_id, subject, recognized_on, resolution_no, curator, members, until, status, closed_on, "
              "close_resolution, close_ground")


def _case_json(c: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": c["id"], "signal": c["signal_id"], "subject": c["subject"], "recognized_on": c["recognized_on"],
        "resolution": c["resolution_no"], "curator": c["curator"],
        "members": [m for m in c["members"].split("\n") if m], "until": c["until"], "status": c["status"],
        "closed_on": c["closed_on"], "close_resolution": c["close_resolution"] or None,
        "close_ground": c["close_ground"] or None,
    }


def case_list(r: Reader, status: str | None) -> list[dict[str, Any]]:
    where, params = ("WHERE status = ?", [status]) if status else ("", [])
    return [_case_json(c) for c in r.rows(f"SELECT {_CASE_COLS} FROM sop_case {where} ORDER BY id", params)]


def case_doc(r: Reader, case_id: int, as_of: datetime) -> dict[str, Any]:
    """A case, its signal, and every obligation of either, by due date."""
    found = r.rows(f"SELECT {_CASE_COLS} FROM sop_case WHERE id = ?", [case_id])
    if not found:
        raise NotFound(f"Дела №{case_id} нет в реестре.")
    doc = _case_json(found[0])
    signal = r.rows(f"SELECT {_SIGNAL_COLS} FROM signal WHERE id = ?", [doc["signal"]])
    doc["signal"] = signal_docs(r, signal)[0]
    doc["obligations"] = obligations_of(r, case_id=case_id, signal_id=doc["signal"]["id"], as_of=as_of)
    return doc
