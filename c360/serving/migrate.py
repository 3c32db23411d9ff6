"""Versioned migrations of the serving store (Alembic), applied by ``c360 migrate`` after the warehouse's."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from c360.serving.errors import ServingStoreUnavailable
from c360.serving.store import Store
from c360.settings import Settings

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


@dataclass(frozen=True)
class MigrateResult:
    """Where the store was and is now."""

    store: str
    before: str | None
    after: str | None
    applied: list[str]


def _config(url: str, *, output: io.StringIO | None = None) -> Config:
    config = Config(output_buffer=output) if output is not None else Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # ConfigParser interpolation would read the % of URL-encoded passwords
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def current_revision(conn: sa.Connection) -> str | None:
    """The revision the store is at (None: never migrated)."""
    return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    """The newest revision in c360/serving/migrations."""
    return ScriptDirectory.from_config(_config("sqlite://")).get_current_head()


def require_migrated(settings: Settings) -> None:
    """ConfigError unless the serving store is at the newest revision (`c360 serve` and `c360 worker` start so)."""
    from c360.errors import ConfigError

    store = Store.from_settings(settings)
    with store.read() as conn:
        if current_revision(conn) != head_revision():
            raise ConfigError(f"serving store {store.display} is not migrated; run `c360 migrate` first")


def upgrade(settings: Settings, *, to: str = "head") -> MigrateResult:
    """Apply pending migrations to the serving store (up to revision ``to``), in one transaction."""
    result = _step(settings, command.upgrade, to)
    script = ScriptDirectory.from_config(_config("sqlite://"))
    before, after = result.before, result.after
    applied = [rev.revision for rev in script.iterate_revisions(after, before)] if after != before else []
    return MigrateResult(result.store, before, after, list(reversed(applied)))


def downgrade(settings: Settings, *, to: str) -> MigrateResult:
    """Revert the serving store to revision ``to`` (an operator's rollback of a release), in one transaction."""
    return _step(settings, command.downgrade, to)


def _step(settings: Settings, step: Callable[[Config, str], None], to: str) -> MigrateResult:
    """Alembic's ``step`` to revision ``to`` on one connection of the store, in its transaction."""
    store = Store.from_settings(settings)
    with store.write() as conn:
        before = current_revision(conn)
        config = _config(settings.resolved_serving_url)
        config.attributes["connection"] = conn
        step(config, to)
        after = current_revision(conn)
    return MigrateResult(store.display, before, after, [])


def upgrade_sql(settings: Settings) -> str:
    """The SQL ``upgrade`` would run now, in the store's dialect (Alembic offline mode), as printable text."""
    store = Store.from_settings(settings)
    url = sa.engine.make_url(settings.resolved_serving_url)
    if url.get_backend_name() == "sqlite" and url.database and not Path(url.database).exists():
        current = None  # not created yet, and a dry run must not create it
    else:
        try:
            with store.read() as conn:
                current = current_revision(conn)
        except ServingStoreUnavailable:
            current = None  # unreachable: show everything from an empty store
    head = head_revision()
    if current == head:
        return f"-- serving store {store.display} is at revision {head}: nothing to apply"
    rendered = render_upgrade(settings.resolved_serving_url, current)
    return f"-- serving store {store.display}: revision {current or '(empty)'} -> {head}\n{rendered}"


def render_upgrade(url: str, current: str | None = None) -> str:
    """The SQL of the migrations from ``current`` (None: an empty store) to the newest, in ``url``'s dialect,
    with the transaction statements the dialect needs."""
    output = io.StringIO()
    command.upgrade(_config(url, output=output), f"{current}:head" if current else "head", sql=True)
    return output.getvalue()
