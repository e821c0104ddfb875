"""Alembic environment for evaluator project databases.

Configured programmatically by ``evaluator.models.project.alembic_config`` (no alembic.ini): either
``config.attributes["connection"]`` holds an open connection (what ``open_project`` does, so the whole
upgrade runs in its transaction), or the ``sqlalchemy.url`` main option names the database.
"""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import create_engine, pool
from sqlalchemy.engine import Connection
from sqlalchemy.types import TypeDecorator

from evaluator.models.project import COMPARE_OPTIONS
from evaluator.models.schema import Base

config = context.config
target_metadata = Base.metadata


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    """Render the project's column types as their portable base types in generated scripts."""
    if type_ == "type" and isinstance(obj, TypeDecorator) and type(obj).__module__ == Base.__module__:
        return f"sa.{obj.impl_instance!r}"
    return False


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        render_item=render_item,
        **COMPARE_OPTIONS,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_migrations(connection)
    else:
        url = config.get_main_option("sqlalchemy.url")
        if not url:
            raise RuntimeError("set config.attributes['connection'] or the sqlalchemy.url option")
        engine = create_engine(url, poolclass=pool.NullPool)
        try:
            with engine.connect() as conn:
                run_migrations(conn)
                conn.commit()
        finally:
            engine.dispose()
