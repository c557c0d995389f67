"""One place that opens the registry: engine from `--db`/`SOPCLI_DB`, one transaction, or a read-only snapshot.

SQLite is the embedded default: the file is created 0600 (152-ФЗ), journal in
WAL so a cron digest reads while the secretary writes, a busy timeout, and
`BEGIN IMMEDIATE` for writes so two writers queue instead of failing with
"database is locked". The same code runs on PostgreSQL given a URL.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sopcli.errors import InvalidInput
from sopcli.progress import SILENT, Progress

# How long a write queues for SQLite's one write lock. Writes take it up front (BEGIN IMMEDIATE), so
# this wait is the only place "database is locked" can come from; SQLite's queue is not fair (waiters
# poll), so with 8 writers on 2 overloaded cores one waited 33 s in the load test (bench/load.py).
# A user is better served by a write that waits its turn than by one that fails.
BUSY_TIMEOUT_MS = 120_000
# SQLite's own busy handler sleeps inside C, where Ctrl-C is not seen until it gives up; so each try
# waits this long at most and Python's loop (`_patiently`) does the waiting: a notice on a terminal,
# Ctrl-C honoured at once, and after BUSY_TIMEOUT_MS one Russian line instead of "database is locked".
BUSY_POLL_MS = 200

# What a command says when `--db` names no registry of this version, in one place: the schema check
# (`services/reading/db.Reader.check_schema`, run by the read path and the write path alike), the
# commission's login (`tenancy`) and the last resort for a driver's "file is not a database" (`cli`).
NOT_A_DATABASE = "Это не реестр sopcli: файл не является базой SQLite (--db, SOPCLI_DB)."
NOT_CREATED = "Реестр не создан: выполните `sopcli init --new`."
OTHER_VERSION = "Схема реестра другой версии: выполните `sopcli init`, чтобы обновить её."


def not_found(path: Path) -> InvalidInput:
    """An SQLite file that is not there: a typo in `--db`, or `init` never ran."""
    return InvalidInput(f"Реестр не найден: {path}. Проверьте путь или создайте его командой "
                        f"`sopcli --db {path} init --new`.")


def busy_timeout_s() -> float:
    """The whole wait for the write lock; SOPCLI_BUSY_TIMEOUT (seconds) shortens it for scripts and tests."""
    raw = os.environ.get("SOPCLI_BUSY_TIMEOUT", "")
    try:
        return max(0.0, float(raw)) if raw.strip() else BUSY_TIMEOUT_MS / 1000
    except ValueError:
        raise InvalidInput("SOPCLI_BUSY_TIMEOUT: ожидается число секунд.") from None


def _is_busy(err: BaseException) -> bool:
    text = str(err).lower()
    return "database is locked" in text or "database is busy" in text


def _patiently(step: Any, on_wait: Any = None) -> Any:
    """`step()` again and again while SQLite says the registry is locked, up to the busy timeout.

    `on_wait` is called once, when the first try finds the registry busy (the command tells a
    person at a terminal why nothing happens). KeyboardInterrupt passes straight through: the
    sleep is Python's, so Ctrl-C ends the wait at once, and nothing has been written yet."""
    import sqlite3
    import time

    deadline = time.monotonic() + busy_timeout_s()
    told = False
    while True:
        try:
            return step()
        except sqlite3.OperationalError as err:
            if not _is_busy(err):
                raise
            if time.monotonic() >= deadline:
                from sopcli.errors import RegistryBusy

                raise RegistryBusy(busy_timeout_s()) from None
            if not told and on_wait is not None:
                on_wait()
            told = True
            time.sleep(0.05)


def default_db_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("sopcli", appauthor=False)) / "registry.db"


def resolve_url(db: str | None) -> str:
    """`--db` wins over `SOPCLI_DB`; a plain path is an SQLite file."""
    value = db or os.environ.get("SOPCLI_DB") or str(default_db_path())
    if "://" in value:
        if value.startswith("postgresql://"):
            value = "postgresql+psycopg://" + value[len("postgresql://"):]
        return value
    return f"sqlite:///{Path(value).expanduser().absolute()}"


def sqlite_path(url: str) -> Path | None:
    return Path(url[len("sqlite:///"):]) if url.startswith("sqlite:///") else None


def _prepare_sqlite_file(path: Path) -> None:
    """Create the file 0600 in a 0700 folder before SQLite touches it.

    An existing file's mode is only narrowed (group and others lose access), never
    widened: a registry made read-only on purpose (an archive, a copy for an
    inspection) stays read-only, and a write is refused instead of done.
    """
    import stat

    from sopcli.files import private_dir

    private_dir(path.parent)
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & ~0o600:
        try:
            os.chmod(path, mode & 0o600)
        except PermissionError:  # another user's file: its owner decides, SQLite will say if it cannot write
            pass


def make_engine(url: str, create: bool = False, write: bool = True, commission: str | None = None,
                on_wait: Any = None) -> Any:
    """The engine; on PostgreSQL every connection first becomes `commission`'s role (sopcli/tenancy.py).

    `on_wait()` is called once if a write has to wait for another program's write lock."""
    from sqlalchemy import create_engine, event

    from sopcli import tenancy

    path = sqlite_path(url)
    if path is None:
        engine = create_engine(url, pool_pre_ping=True)
        wait_ms = int(busy_timeout_s() * 1000)

        @event.listens_for(engine, "connect")
        def _lock_timeout(dbapi_conn: Any, _record: Any) -> None:
            # a row another commission's step holds (the audit chain's head): wait as long as on SQLite, then
            # SQLSTATE 55P03, which cli.environment_fault turns into the same Russian line
            with dbapi_conn.cursor() as cur:
                cur.execute(f"SET lock_timeout = {wait_ms}")
            dbapi_conn.commit()

        if commission is not None:
            tenancy.check_code(commission)

            @event.listens_for(engine, "connect")
            def _as_commission(dbapi_conn: Any, _record: Any) -> None:
                tenancy.enter(dbapi_conn, True, commission)

        return engine
    tenancy.enter(None, False, commission)
    if not path.exists() and not create:
        raise not_found(path)
    _prepare_sqlite_file(path)
    os.umask(0o077)  # the -wal and -shm files are personal data too
    engine = create_engine(url, connect_args={"timeout": BUSY_POLL_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_POLL_MS}")
        _patiently(lambda: cur.execute("PRAGMA journal_mode = WAL"), on_wait)  # a new file's first switch locks
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        raw = conn.connection.driver_connection
        if write:
            _patiently(lambda: raw.execute("BEGIN IMMEDIATE"), on_wait)
        else:
            raw.execute("BEGIN")

    return engine


@contextmanager
def read_connection(db: str | None, commission: str | None = None,
                    light: bool = False) -> Iterator[tuple[Any, bool]]:
    """A plain DB-API connection to `--db`/`SOPCLI_DB` in one read-only snapshot, and whether it is PostgreSQL.

    No SQLAlchemy (the digest and `case show` are whole processes, `services/reading`): the stdlib
    `sqlite3` in a deferred transaction, which in WAL never takes the write lock, or `psycopg` in a
    read-only REPEATABLE READ transaction as `commission` (sopcli/tenancy.py). `light`: for a command
    that reads a few rows, libpq itself when it can be loaded (`pg_light`), as the login. Rolled back and closed
    at the end: a read leaves nothing behind.
    """
    from sopcli import tenancy

    url = resolve_url(db)
    path = sqlite_path(url)
    if path is not None:
        import sqlite3

        if not path.exists():
            raise not_found(path)
        tenancy.enter(None, False, commission)
        os.umask(0o077)  # SQLite may create the -shm file: personal data too
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("BEGIN")  # deferred: a snapshot, never the write lock
        pg = False
    else:
        conn = None
        if light and commission is None:  # a few rows: libpq without psycopg's import (sopcli/pg_light.py)
            from sopcli import pg_light

            conn = pg_light.connect(url.replace("postgresql+psycopg://", "postgresql://", 1))
        if conn is None:
            import psycopg

            conn = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://", 1))
            try:
                tenancy.enter(conn, True, commission)
            except BaseException:
                conn.close()
                raise
            conn.read_only = True
            conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        pg = True
    try:
        yield conn, pg
    finally:
        conn.rollback()
        conn.close()


@contextmanager
def sibling_connection(db: str | None, conn: Any) -> Iterator[Any]:
    """PostgreSQL: a second connection in `conn`'s very snapshot and role (`read_connection`'s), for reading
    beside it on the other core; rolled back and closed at the end.

    `pg_export_snapshot` is how pg_dump's parallel jobs see one moment: whatever commits after `conn`'s
    snapshot is invisible to both, so a backup split over two connections is still of one moment.
    """
    import psycopg
    from psycopg import sql

    cur = conn.cursor()
    cur.execute("SELECT pg_export_snapshot(), current_user, session_user")
    snapshot, role, login = cur.fetchone()
    cur.close()
    other = psycopg.connect(resolve_url(db).replace("postgresql+psycopg://", "postgresql://", 1))
    try:
        other.read_only = True
        other.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        other.execute(sql.SQL("SET TRANSACTION SNAPSHOT {}").format(sql.Literal(snapshot)))
        if role != login:  # a commission's role (tenancy.enter): the same rows under row-level security
            other.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(role)))
        yield other
    finally:
        other.rollback()
        other.close()


@contextmanager
def transaction(engine: Any) -> Iterator[Any]:
    """One session, one transaction: committed at the end, rolled back on any error."""
    from sqlmodel import Session

    with Session(engine, expire_on_commit=False) as session, session.begin():
        yield session


def alembic_config() -> Any:
    """Alembic's configuration with the packaged migrations: no alembic.ini needed."""
    from importlib import resources

    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("sopcli") / "migrations"))
    return cfg


def current_revision(conn: Any) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


def pending_revisions(conn: Any, target: str = "head") -> list[str]:
    """The revisions an upgrade to `target` would apply, oldest first (none: the schema is there already)."""
    from alembic.script import ScriptDirectory
    from alembic.script.revision import RevisionError
    from alembic.util import CommandError

    script = ScriptDirectory.from_config(alembic_config())
    current = current_revision(conn)
    try:
        ahead = list(script.iterate_revisions(target, current or "base"))
    except (RevisionError, CommandError):  # a revision this sopcli has never heard of: a newer sopcli's registry
        raise InvalidInput(f"Реестр создан более новой версией sopcli (схема {str(current)[:40]}): "
                           "работайте с ним той версией или новее.") from None
    return [s.revision for s in reversed(ahead)]


def migrate(conn: Any, target: str = "head", progress: Progress = SILENT) -> None:
    """Upgrade the schema to `target` inside the caller's transaction (DDL is transactional on both engines).

    `progress` hears one stage, a step as each revision is applied (Alembic's `on_version_apply`): a large
    registry's upgrade runs for minutes when a table is rebuilt. Nothing to apply: nothing is shown."""
    from alembic import command

    steps = pending_revisions(conn, target)
    if not steps:
        return
    cfg = alembic_config()
    cfg.attributes["connection"] = conn
    cfg.attributes["on_version_apply"] = lambda **_: progress.advance()
    progress.stage("Обновление схемы реестра", len(steps))
    command.upgrade(cfg, target)


def upgrade(engine: Any, target: str = "head", progress: Progress = SILENT) -> list[str]:
    """Bring the schema to `target` (the newest migration) in one transaction; returns the revisions applied.

    SQLite changes a table's constraints by rebuilding it (copy, DROP, rename); with foreign keys
    enforced, dropping a table other rows point at fails (0007 rebuilds `signal`). So, as SQLite's
    own procedure says (lang_altertable §7), enforcement is off for the migration — switched before
    the transaction, where the pragma works — and `foreign_key_check` must be clean before the commit.
    """
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            conn.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")
        try:
            with conn.begin():
                before = current_revision(conn)
                migrate(conn, target, progress)
                after = current_revision(conn)
                if sqlite and conn.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
                    raise RuntimeError("migration left rows pointing at nothing")  # rolled back
        finally:
            if sqlite:
                conn.connection.driver_connection.execute("PRAGMA foreign_keys = ON")
    return [] if before == after else [r for r in (before, after) if r]
