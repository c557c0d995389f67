"""Alembic environment: the connection comes from sopcli (`db.upgrade`) or alembic.ini."""

from alembic import context
from sqlmodel import SQLModel

import sopcli.models  # noqa: F401 - registers the tables on the metadata

target_metadata = SQLModel.metadata


def run() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        from sqlalchemy import create_engine

        engine = create_engine(context.config.get_main_option("sqlalchemy.url"))
        with engine.begin() as connection:
            _migrate(connection)
    else:
        _migrate(connection)


def _migrate(connection) -> None:  # noqa: ANN001
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters by copy
        compare_type=True,
        # `db.migrate` counts the revisions as they are applied: a progress bar for a large registry's upgrade
        on_version_apply=context.config.attributes.get("on_version_apply"),
    )
    with context.begin_transaction():
        context.run_migrations()


run()
