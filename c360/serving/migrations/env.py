"""Alembic environment of the serving store: the URL and connection come from ``c360.serving.migrate``, the
tables from ``c360.schema`` (every table of the store, wherever it is defined)."""

from __future__ import annotations

from alembic import context

from c360.schema import metadata

config = context.config


def run_offline() -> None:
    """Render the SQL (``c360 migrate --dry-run``) for the configured URL's dialect."""
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    """Apply the migrations on the connection ``upgrade`` passed in."""
    connection = config.attributes["connection"]
    # render_as_batch: SQLite cannot ALTER most things; batch mode copies the table instead
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
