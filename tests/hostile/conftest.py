"""A registry per engine for the hostile corpus, and a snapshot of every table: counts and a content hash."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, text

from tests.conftest import private_env, runner, throwaway_database

CORPUS = Path(__file__).parent / "corpus"
POLICE = "Орган внутренних дел (ПДН)"


def _url(db: str) -> str:
    return db if "://" in db else f"sqlite:///{db}"


def snapshot(db: str) -> dict[str, tuple[int, str, frozenset[str]]]:
    """Every table of the registry: (row count, hash of its content, the hash of each row).

    Rows are hashed as the driver returns them, so a changed value, a changed type or a dropped
    row shows; the order of rows does not matter (no table is read in an order it promises)."""
    engine = create_engine(_url(db))
    out = {}
    try:
        with engine.connect() as conn:
            for table in sorted(inspect(conn).get_table_names()):
                rows = conn.execute(text(f'SELECT * FROM "{table}"')).all()
                each = frozenset(hashlib.sha256(repr(tuple(r)).encode()).hexdigest() for r in rows)
                out[table] = (len(rows), hashlib.sha256("".join(sorted(each)).encode()).hexdigest(), each)
    finally:
        engine.dispose()
    return out


# The rows an accepted write moves on by design: the head of the audit hash chain (last seq and hash, 0006).
MOVING = {"audit_head"}


def unchanged_rows(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Tables where a row that existed before is gone or different (new rows are allowed).

    A refused command is checked against the whole snapshot (equality); this is for accepted ones."""
    return [t for t, (_, _, rows) in before.items()
            if t not in MOVING and not rows <= after.get(t, (0, "", frozenset()))[2]]


@dataclass
class Registry:
    engine: str
    db: str
    env: dict[str, str]

    def __call__(self, *args: str) -> Any:
        return runner(self.env)(*args)


def populate(run: Any) -> None:
    """Signal 1 → check → case 1 with a measure; signal 2 checked «sop», not yet recognised; signal 3 open."""
    def ok(*args: str) -> None:
        r = run(*args)
        assert r.code == 0, (args, r.err)

    ok("init", "--new")
    for n, child in enumerate(["Орлов Иван Петрович, 01.01.2012", "Сёмина Алёна Игоревна, 02.02.2013",
                               "Петров Пётр Сергеевич, 03.03.2011"], 1):
        ok("signal", "add", "--no-threat", "--received", f"{n:02d}.02.2025 10:00", "--source", "ПДН", "--child", child,
           "--address", "ул. Мира, 1", "--problem", "Пропуски занятий")
    ok("check", "1", "--concluded", "10.02.2025", "--level", "medium", "--outcome", "sop")
    ok("check", "2", "--concluded", "11.02.2025", "--level", "medium", "--outcome", "sop")
    ok("recognize", "1", "--date", "03.03.2025", "--resolution", "1", "--curator", "Петрова Анна")
    ok("plan", "add", "1", "--measure", "Беседа", "--executor", POLICE, "--due", "14.04.2025")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def hostile_registry(request, tmp_path_factory) -> Iterator[Registry]:
    """One populated registry per engine for a whole module: refused commands must leave it as it was,
    so the cases can share it (an `init` per case would cost the corpus minutes)."""
    base = tmp_path_factory.mktemp(f"hostile_{request.param}")
    env = private_env(base)
    if request.param == "sqlite":
        env["SOPCLI_DB"] = str(base / "data" / "registry.db")
        reg = Registry("sqlite", env["SOPCLI_DB"], env)
        populate(reg)
        yield reg
        return
    with throwaway_database() as url:
        env["SOPCLI_DB"] = url
        reg = Registry("postgresql", url, env)
        populate(reg)
        yield reg


def assert_refused(r: Any, fragment: str) -> None:
    """Exit 2, one Russian line naming what is wrong, nothing on stdout, no traceback."""
    lines = r.err.strip().splitlines()
    assert r.code == 2, (r.code, r.out[-500:], r.err[-2000:])
    assert len(lines) == 1 and lines[0].startswith("Ошибка: "), r.err[-2000:]
    assert fragment in lines[0], (fragment, lines[0])
    assert "Traceback" not in r.err and r.out == ""
