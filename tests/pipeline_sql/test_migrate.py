"""The migration module: apply once, refuse changed history, re-apply repeatables, never half-apply."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from c360.settings import Settings
from c360.warehouse import Warehouse, task_parameters
from pipeline_sql.errors import MigrationError
from pipeline_sql.migrate import HISTORY, dry_run, migrate
from pipeline_sql.scripts import load_scripts


def write(directory: Path, name: str, text: str) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_text(text)


@pytest.fixture
def scripts_dir(tmp_path: Path) -> Path:
    d = tmp_path / "migrations"
    write(d, "V1__first.sql", "CREATE SCHEMA IF NOT EXISTS S; CREATE TABLE S.A (x NUMBER(38, 0));")
    write(d, "V2__second.sql", "INSERT INTO S.A (x) VALUES (1);")
    write(d, "R__view.sql", "CREATE OR REPLACE VIEW S.V AS SELECT x FROM S.A;")
    return d


def history(wh: Warehouse) -> list[tuple[str, str]]:
    with wh.connect() as conn:
        return [
            (r["script"], r["status"]) for r in conn.query(f"SELECT script, status FROM {HISTORY} ORDER BY applied_at")
        ]


def test_applies_in_order_then_nothing(settings: object, scripts_dir: Path) -> None:
    wh = Warehouse.from_settings()
    first = migrate(wh, scripts=load_scripts(scripts_dir))
    assert [(o.script, o.status) for o in first] == [
        ("V1__first.sql", "applied"),
        ("V2__second.sql", "applied"),
        ("R__view.sql", "applied"),
    ]
    again = migrate(wh, scripts=load_scripts(scripts_dir))
    assert {o.status for o in again} == {"up-to-date"}
    with wh.connect() as conn:
        assert conn.scalar("SELECT COUNT(*) FROM S.V") == 1  # V2's insert ran exactly once
    rows = history(wh)
    assert rows == [("V1__first.sql", "SUCCESS"), ("V2__second.sql", "SUCCESS"), ("R__view.sql", "SUCCESS")]


def test_history_records_checksum_duration_and_time(settings: object, scripts_dir: Path) -> None:
    wh = Warehouse.from_settings()
    scripts = load_scripts(scripts_dir)
    migrate(wh, scripts=scripts)
    with wh.connect() as conn:
        row = conn.query(f"SELECT * FROM {HISTORY} WHERE script = 'V1__first.sql'")[0]
    assert row["version"] == "1" and row["description"] == "first"
    assert row["checksum"] == scripts[0].checksum and len(row["checksum"]) == 64
    assert row["execution_time_ms"] >= 0 and row["applied_at"] is not None


def test_changed_versioned_script_is_refused(settings: object, scripts_dir: Path) -> None:
    wh = Warehouse.from_settings()
    migrate(wh, scripts=load_scripts(scripts_dir))
    write(scripts_dir, "V1__first.sql", "CREATE SCHEMA IF NOT EXISTS S; CREATE TABLE S.A (x NUMBER(38, 0), y VARCHAR);")
    with pytest.raises(MigrationError, match=r"V1__first.sql was applied with checksum .* immutable"):
        migrate(wh, scripts=load_scripts(scripts_dir))


def test_changed_repeatable_script_is_applied_again(settings: object, scripts_dir: Path) -> None:
    wh = Warehouse.from_settings()
    migrate(wh, scripts=load_scripts(scripts_dir))
    write(scripts_dir, "R__view.sql", "CREATE OR REPLACE VIEW S.V AS SELECT x, x * 2 AS y FROM S.A;")
    outcomes = migrate(wh, scripts=load_scripts(scripts_dir))
    assert [(o.script, o.status) for o in outcomes if o.status == "applied"] == [("R__view.sql", "applied")]
    with wh.connect() as conn:
        assert conn.scalar("SELECT y FROM S.V") == 2


def test_failing_script_is_rolled_back_and_recorded(settings: object, scripts_dir: Path) -> None:
    wh = Warehouse.from_settings()
    write(scripts_dir, "V3__broken.sql", "CREATE TABLE S.B (x NUMBER(38, 0)); INSERT INTO S.NOPE VALUES (1);")
    with pytest.raises(MigrationError, match=r"V3__broken\.sql failed at statement 2"):
        migrate(wh, scripts=load_scripts(scripts_dir))
    with wh.connect() as conn:
        tables = {r["table_name"].upper() for r in conn.query("SELECT table_name FROM information_schema.tables")}
    assert "B" not in tables  # statement 1 rolled back with the script
    assert ("V3__broken.sql", "FAILED") in history(wh)
    # fixed, it applies on the next run, followed by the repeatable the failure held back
    write(scripts_dir, "V3__broken.sql", "CREATE TABLE S.B (x NUMBER(38, 0));")
    assert [o.script for o in migrate(wh, scripts=load_scripts(scripts_dir)) if o.status == "applied"] == [
        "V3__broken.sql",
        "R__view.sql",
    ]


def test_out_of_order_version_is_refused(settings: object, scripts_dir: Path) -> None:
    wh = Warehouse.from_settings()
    migrate(wh, scripts=load_scripts(scripts_dir))
    write(scripts_dir, "V1_5__late.sql", "SELECT 1;")
    with pytest.raises(MigrationError, match=r"V1_5__late\.sql is older than scripts already applied"):
        migrate(wh, scripts=load_scripts(scripts_dir))


@pytest.mark.parametrize("name", ["v1__lower.sql", "V1_missing_underscores.sql", "R_one.sql", "1__x.sql"])
def test_bad_file_names_are_refused(tmp_path: Path, name: str) -> None:
    write(tmp_path, name, "SELECT 1;")
    with pytest.raises(MigrationError, match="bad migration file name"):
        load_scripts(tmp_path)


def test_duplicate_versions_are_refused(tmp_path: Path) -> None:
    write(tmp_path, "V1__a.sql", "SELECT 1;")
    write(tmp_path, "V01__b.sql", "SELECT 1;")
    with pytest.raises(MigrationError, match="same version"):
        load_scripts(tmp_path)


def test_project_migrations_create_the_seed_objects(warehouse: Warehouse) -> None:
    with warehouse.connect() as conn:
        tables = {
            f"{r['table_schema']}.{r['table_name']}".upper()
            for r in conn.query("SELECT table_schema, table_name FROM information_schema.tables")
        }
        streams = {r["stream_name"] for r in conn.query("SELECT stream_name FROM C360_META.STREAMS")}
        tasks = {r["task_name"]: r["state"] for r in conn.query("SELECT task_name, state FROM C360_META.TASKS")}
    for name in [
        "SFE_RAW_MEDIA.RAW_SUBSCRIBER_EVENTS",
        "SFE_RAW_MEDIA.RAW_CONTENT_ENGAGEMENT",
        "SFE_RAW_MEDIA.RAW_SUPPORT_INTERACTIONS",
        "SFE_RAW_MEDIA.RAW_LOAD_ERRORS",
        "SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS",
        "SFE_STG_MEDIA.STG_UNIFIED_CUSTOMER",
        "SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT",
        "SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS",
        "SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY",
        "SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DEVICE_DAILY",
        "SFE_ANALYTICS_MEDIA.FCT_CUSTOMER_HEALTH_SCORES",
        "SFE_ANALYTICS_MEDIA.V_SUBSCRIBER_360",
        "SFE_ANALYTICS_MEDIA.V_CHURN_RISK_LEADERBOARD",
    ]:
        assert name in tables, name
    assert streams == {"SFE_RAW_MEDIA.SFE_SUBSCRIBER_EVENTS_STREAM", "SFE_RAW_MEDIA.SFE_CONTENT_STREAM"}
    assert tasks["SFE_STG_MEDIA.SFE_PROCESS_SUBSCRIBERS_TASK"] == "started"
    assert tasks["SFE_STG_MEDIA.SFE_PROCESS_ENGAGEMENT_TASK"] == "started"
    assert tasks["SFE_ANALYTICS_MEDIA.SFE_DAILY_BUILD_TASK"] == "started"


def test_dry_run_prints_each_target_without_touching_the_warehouse(settings: Settings) -> None:
    snowflake = dry_run("snowflake", task_parameters(settings))
    duck = dry_run("duckdb", task_parameters(settings))
    assert "CREATE STREAM IF NOT EXISTS SFE_RAW_MEDIA.sfe_subscriber_events_stream" in snowflake
    assert (
        "SCHEDULE = '1 MINUTE'" in snowflake
        and "ALTER TASK SFE_STG_MEDIA.sfe_process_subscribers_task RESUME" in snowflake
    )
    assert "CREATE OR REPLACE VIEW SFE_RAW_MEDIA.SFE_SUBSCRIBER_EVENTS_STREAM" in duck
    assert "INSERT OR REPLACE INTO C360_META.TASKS" in duck
    assert "VARIANT" not in duck.split("-- V002")[0].split("V001__raw_layer.sql")[1]
    assert not (settings.home / "warehouse.duckdb").exists()


def test_snowflake_tasks_carry_the_configured_thresholds(settings: Settings) -> None:
    """Snowflake's tasks run on their own: the thresholds are written into them, and a change re-creates them."""
    from pipeline_sql.migrate import template_variables

    configured = task_parameters(settings)
    before = {s.name: s.checksum for s in load_scripts(variables=template_variables(configured, "snowflake"))}
    changed = replace(configured, risk_tier_high=0.45, model_min_test_auc=0.82)
    snowflake, duck = dry_run("snowflake", changed), dry_run("duckdb", changed)
    assert "UUID_STRING(), 0.45, 0.1\n" in snowflake  # scoring: High, Medium
    assert "UUID_STRING(), 0.82, 0.45\n" in snowflake  # training: the deploy gate, High
    assert "UUID_STRING(), NULL, NULL\n" in duck  # DuckDB's native procedures take the settings they were given
    after = {s.name: s.checksum for s in load_scripts(variables=template_variables(changed, "snowflake"))}
    assert [name for name in before if before[name] != after[name]] == ["R__tasks.sql"]
