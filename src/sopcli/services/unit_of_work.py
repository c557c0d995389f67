"""The unit of work: the open registry inside one transaction, all of a step or nothing (cosmicpython's UoW).

It lives with the services, not the commands, because services open it too (the calendar settings kept in
the registry, the agency completion the shell calls on Tab); `state` is what `--db` and `--commission` said.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sopcli.errors import InvalidInput

state: dict[str, Any] = {"db": None, "commission": None}


# Commands an administrator runs on a shared registry as its owner, not as one commission.
OWNER_COMMANDS = {"init", "calendar", "admin", "import bank"}


def registry_exists() -> bool:
    from sopcli.db import resolve_url, sqlite_path

    url = resolve_url(state["db"])
    path = sqlite_path(url)
    return path is None or path.exists()


@contextmanager
def registry(command: str, create: bool = False, write: bool = True,
             standing: bool = True) -> Iterator[tuple[Any, Any]]:
    """(Registry, session) inside one transaction: all of a step or nothing.

    A write also opens the current period's standing obligations (services/steps/standing.py).
    On a shared registry a write needs a commission (`--commission` or its role's login),
    except the owner's own commands (OWNER_COMMANDS); the region's role only reads."""
    from sopcli import tenancy
    from sopcli.db import make_engine, resolve_url, transaction
    from sopcli.services.reading.db import reader_on
    from sopcli.services.registry import Registry, load_settings

    engine = make_engine(resolve_url(state["db"]), create=create, write=write, commission=state["commission"],
                         on_wait=_tell_waiting)
    try:
        with transaction(engine) as session:
            reader = reader_on(session)
            reader.check_schema()
            acting = tenancy.acting(reader.conn, reader.pg)
            if write:
                _may_write(acting, command)
            reg = Registry(engine, load_settings(session, acting), command=command, acting=acting)
            if write:
                from sopcli.services.trust.audit import lock_chain

                lock_chain(session, reg)
            if write and standing and (acting.scoped or not acting.shared):
                from sopcli.services.steps.standing import ensure_standing

                ensure_standing(session, reg, now().astimezone(reg.tz).date())
            yield reg, session
    finally:
        engine.dispose()


def _tell_waiting() -> None:
    """A person at a terminal sees why nothing happens; cron mail gets nothing unless the wait fails."""
    if sys.stderr.isatty():
        sys.stderr.write("Реестр занят другой командой, жду… (Ctrl-C — отменить, ничего не будет записано)\n")
        sys.stderr.flush()


def _may_write(acting: Any, command: str) -> None:
    if acting.region:
        raise InvalidInput("Роль региона только читает общий реестр; изменения вносит комиссия.")
    if acting.shared and not acting.scoped and command.split(" ")[0] not in OWNER_COMMANDS \
            and command not in OWNER_COMMANDS:
        raise InvalidInput("Общий реестр комиссий: укажите комиссию (--commission КОД или SOPCLI_COMMISSION).")


@contextmanager
def reading(light: bool = False) -> Iterator[Any]:
    """A read-only snapshot over plain DB-API, for the commands that only print (no ORM start-up);
    `light`: a few rows, not worth importing psycopg on PostgreSQL (`sopcli.pg_light`)."""
    from sopcli.services.reading.db import open_reader

    with open_reader(state["db"], state["commission"], light) as reader:
        yield reader


def now() -> datetime:
    return datetime.now(UTC)


