"""The serving store's migrations: applied by `c360 migrate`, once, matching the tables the code uses."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from c360.schema import metadata
from c360.serving.migrate import head_revision, upgrade
from c360.serving.store import Store
from c360.settings import Settings
from tests.conftest import run_cli


def test_migrated_schema_matches_the_tables_in_code(serving: Settings, store: Store) -> None:
    with store.read() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []
    assert upgrade(serving).applied == []  # already at head: nothing to do


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
