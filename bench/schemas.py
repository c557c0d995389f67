"""A registry at an older build's schema: for timing or comparing two builds on the same rows.

A build refuses a registry at another schema than its own (`SCHEMA_HEAD`). When the build after adds a
migration (0017: an index), the build before reads a copy of the registry taken down to its schema by the
migrations' own `downgrade`: the same rows, the schema that build was written for.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


def schema_head(python: str, src: str | None = None) -> str:
    """The schema a build reads: its interpreter, and its source tree when run from one (PYTHONPATH)."""
    env = dict(os.environ, **({"PYTHONPATH": src} if src else {}))
    return subprocess.run([python, "-c", "from sopcli.services.reading.schema import SCHEMA_HEAD as h; print(h)"],
                          capture_output=True, text=True, check=True, env=env).stdout.strip()


def sqlite_copy_at(source: Path, copy: Path, head: str) -> None:
    """`source` copied whole (SQLite's backup: consistent whatever the WAL holds) and taken down to `head`;
    kept once made."""
    import sqlite3

    if copy.exists():
        return
    src, dst = sqlite3.connect(source), sqlite3.connect(copy)
    src.backup(dst)
    src.close()
    dst.close()
    copy.chmod(0o600)
    downgrade(f"sqlite:///{copy}", head)


def pg_copy_at(admin: str, database: str, head: str) -> str:
    """The database `database` copied (its template) and taken down to `head`; its URL. Kept once made."""
    import psycopg
    from sqlalchemy.engine import make_url

    name = f"{database}_{head}"
    with psycopg.connect(admin.replace("postgresql+psycopg://", "postgresql://", 1), autocommit=True) as conn:
        made = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None
        if not made:
            conn.execute(f"CREATE DATABASE {name} TEMPLATE {database}")
    url = make_url(admin).set(database=name).render_as_string(hide_password=False)
    if not made:
        downgrade(url, head)
    return url


def downgrade(url: str, head: str) -> None:
    """Down to `head` by this build's migrations, in one transaction."""
    from alembic import command
    from sqlalchemy import create_engine

    from sopcli.db import alembic_config

    engine = create_engine(url)
    with engine.begin() as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, head)
    engine.dispose()
