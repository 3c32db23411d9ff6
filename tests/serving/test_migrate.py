"""The serving store's migrations: applied by `c360 migrate`, once, matching the tables the code uses."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from c360.schema import metadata
from c360.serving.migrate import current_revision, head_revision, upgrade
from c360.serving.store import Store
from c360.settings import Settings
from tests.conftest import run_cli
from tests.serving.backends import Backend, backend_for, migrate_store


def test_migrated_schema_matches_the_tables_in_code(home: Path, backend: Backend) -> None:
    settings = Settings(home=home, **backend.settings_kwargs())
    assert upgrade(settings).applied[-1] == head_revision()  # every migration, from an empty store
    assert _differences(Store.from_settings(settings)) == []
    assert upgrade(settings).applied == []  # already at head: nothing to do


def test_the_stores_the_tests_start_from_are_the_migrated_schema(
    serving: Settings, store: Store, backend: Backend
) -> None:
    # the fixtures' shortcut (tests/serving/backends.migrate_store) against the tables in code, as above
    assert _differences(store) == []
    with store.read() as conn:
        assert current_revision(conn) == head_revision()
        ids = conn.execute(sa.text("SELECT store_id, version, run_seq FROM serving_state")).all()
    assert len(ids) == 1 and ids[0][1:] == (0, None)
    with backend_for(backend.name) as other:
        second = Settings(home=serving.home / "second", **other.settings_kwargs())
        second.home.mkdir()
        migrate_store(second)
        with Store.from_settings(second).read() as conn:
            assert conn.execute(sa.text("SELECT store_id FROM serving_state")).scalar_one() != ids[0][0]


def _differences(store: Store) -> list[object]:
    with store.read() as conn:
        return list(compare_metadata(MigrationContext.configure(conn), metadata))


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_c360_migrate_applies_the_serving_store_after_the_warehouse(home: Path, backend: object) -> None:
    preview = run_cli("migrate", "--dry-run")
    assert preview.returncode == 0, preview.stderr
    assert "CREATE TABLE served_runs" in preview.stdout and "CREATE TABLE api_keys" in preview.stdout
    assert not (home / "serving.sqlite").exists() and not (home / "warehouse.duckdb").exists()  # a preview only
    first = run_cli("migrate")
    assert first.returncode == 0, first.stderr
    assert f"applied serving store revision {head_revision()}" in first.stdout
    again = run_cli("migrate")
    assert f"serving store at revision {head_revision()} (0 applied)" in again.stdout
    assert "nothing to apply" in run_cli("migrate", "--dry-run").stdout
