"""The serving store's migrations: applied by `c360 migrate`, once, matching the tables the code uses."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from api.schemas import HealthScore
from c360.schema import metadata
from c360.serving.migrate import current_revision, downgrade, head_revision, upgrade
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


def test_scores_kept_without_their_rendering_get_it_with_their_drivers_before_the_column_goes(
    home: Path, backend: Backend
) -> None:
    # revision 0009 drops served_subscribers.drivers: the drivers live on only in health_json. A row scored before
    # revision 0003 has no health_json; the upgrade renders it from the row, drivers included, so none is lost.
    settings = Settings(home=home, **backend.settings_kwargs())
    upgrade(settings, to="0008")
    scored_at = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    drivers = [
        {
            "feature": "days_since_last_read",
            "label": "Days since the last article read",
            "value": 21.0,
            "contribution": 0.18,
            "direction": "increases_risk",
            "importance": None,
        }
    ]
    # kept from before the text policy: a lone surrogate and a NUL in a label, in a long one
    hostile = {**drivers[0], "feature": "plan", "label": "bad \ud800 and \x00 " + "x" * 10_000}
    rendered_drivers = [*drivers, {**hostile, "label": "bad \ufffd and \ufffd " + "x" * 10_000}]
    names = "run_seq subscriber_id churn_risk_score risk_tier score_date scored_at model_version drivers updated_at"
    rows = sa.table("served_subscribers", *(sa.column(n) for n in [*names.split(), "health_json"]))
    store = Store.from_settings(settings)
    with store.write() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO served_runs (seq, run_id, score_date, model_version, scored_at, published_at, "
                "subscribers, tier_high, tier_medium, high_count, medium_count, low_count, pruned, kind) "
                "VALUES (1, 'r1', '2026-01-02', 'm1', :at, :at, 3, 0.3, 0.1, 1, 1, 0, FALSE, 'publish')"
            ),
            {"at": scored_at.replace(tzinfo=None)},
        )
        common = {
            "run_seq": 1,
            "score_date": date(2026, 1, 2),
            "scored_at": scored_at.replace(tzinfo=None),
            "model_version": "m1",
            "updated_at": scored_at.replace(tzinfo=None),
        }
        conn.execute(
            rows.insert(),
            [
                common
                | {
                    "subscriber_id": "old",
                    "churn_risk_score": 0.42,
                    "risk_tier": "High",
                    "drivers": json.dumps([*drivers, hostile]),
                    "health_json": None,
                },
                common
                | {
                    "subscriber_id": "new",
                    "churn_risk_score": 0.2,
                    "risk_tier": "Medium",
                    "drivers": json.dumps(drivers),
                    "health_json": '{"kept": "as published"}',
                },
                common
                | {
                    "subscriber_id": "unscored",
                    "churn_risk_score": None,
                    "risk_tier": None,
                    "drivers": None,
                    "health_json": None,
                },
            ],
        )
    assert upgrade(settings).applied[0] == "0009"
    assert _differences(store) == []
    with store.read() as conn:
        stored = dict(conn.execute(sa.text("SELECT subscriber_id, health_json FROM served_subscribers")).tuples().all())
    assert stored["new"] == '{"kept": "as published"}' and stored["unscored"] is None
    expected = {
        "subscriber_id": "old",
        "churn_risk_score": 0.42,
        "risk_tier": "High",
        "previous_risk_tier": None,
        "score_date": "2026-01-02",
        "scored_at": "2026-01-02T03:04:05Z",
        "model_version": "m1",
        "drivers": rendered_drivers,
        "updated_at": "2026-01-02T03:04:05Z",
        "removed": False,
        "removal": None,
    }
    assert json.loads(stored["old"]) == expected
    HealthScore.model_validate_json(stored["old"])  # what the API serves
    # a rollback of the release puts the drivers back in their column, from the rendered scores
    downgrade(settings, to="0008")
    typed = sa.table(
        "served_subscribers", sa.column("subscriber_id"), sa.column("drivers", sa.JSON), sa.column("health_json")
    )
    with store.read() as conn:
        back = {r[0]: r[1:] for r in conn.execute(sa.select(typed))}
        nulls = conn.execute(sa.text("SELECT COUNT(*) FROM served_subscribers WHERE drivers IS NULL")).scalar()
    assert back["old"] == (rendered_drivers, stored["old"])
    assert back["new"] == (None, stored["new"]) and back["unscored"] == (None, None)
    assert nulls == 2  # SQL NULL, not JSON null: "new" rendered no drivers, "unscored" has no score
    assert upgrade(settings).applied == ["0009"]
