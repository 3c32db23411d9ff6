"""What publish reads from the warehouse: the scoring run, its scores with the profile snapshot, its model.

Snowflake-dialect SQL, run through ``WarehouseConnection`` on either target. The snapshot query is the
model file ``pipeline_sql/models/serving/served_subscribers.sql``: everything in it is as of the run's
score_date (profiles from the DIM_SUBSCRIBERS definition computed for that day, engagement over the 30
days ending that day, tickets over 90 days), whatever day the analytics tables were last built for.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from c360.serving.drivers import readable_drivers
from c360.warehouse import WarehouseConnection
from pipeline_sql.scripts import render_model

SCORES = "SFE_ANALYTICS_MEDIA.FCT_CUSTOMER_HEALTH_SCORES"

_RUNS = f"""
SELECT run_id, MAX(score_date) AS score_date, MAX(model_version) AS model_version, MAX(scored_at) AS scored_at
FROM {SCORES}
{{where}}
GROUP BY run_id
ORDER BY scored_at DESC, run_id DESC
LIMIT 1
"""

# the latest run of each day (scoring a day again replaces it, so normally its only one)
_LATEST_PER_DAY = f"""
WITH runs AS (
    SELECT run_id, MAX(score_date) AS score_date, MAX(model_version) AS model_version, MAX(scored_at) AS scored_at
    FROM {SCORES}
    WHERE score_date >= :since
    GROUP BY run_id
)

SELECT * FROM runs
QUALIFY ROW_NUMBER() OVER (PARTITION BY score_date ORDER BY scored_at DESC, run_id DESC) = 1
ORDER BY score_date
"""

_MODEL = """
SELECT model_version, trained_at, status, data_window_start, data_window_end, features, metrics, train_rows, test_rows
FROM SFE_ANALYTICS_MEDIA.CHURN_MODEL_REGISTRY
WHERE model_version = :model_version
ORDER BY trained_at DESC
LIMIT 1
"""


@dataclass(frozen=True)
class ScoringRun:
    """One run of the scoring task, as FCT_CUSTOMER_HEALTH_SCORES records it."""

    run_id: str
    score_date: date
    model_version: str
    scored_at: datetime


def run_of_day(conn: WarehouseConnection, score_date: date | None = None) -> ScoringRun | None:
    """The latest run of ``score_date`` (default: of the newest day scored); DateOutOfRange for a day never
    scored, None when nothing is."""
    from c360.dates import check_scored_day

    if score_date is None:
        rows = conn.query(_RUNS.format(where=f"WHERE score_date = (SELECT MAX(score_date) FROM {SCORES})"))
    else:
        check_scored_day(conn, score_date)
        rows = conn.query(_RUNS.format(where="WHERE score_date = :score_date"), {"score_date": score_date})
    return _run(rows[0]) if rows else None


def latest_runs(conn: WarehouseConnection, *, since: date | None) -> list[ScoringRun]:
    """The latest run of each day scored since ``since`` (every day when None), oldest day first."""
    return [_run(row) for row in conn.query(_LATEST_PER_DAY, {"since": since or date(1, 1, 1)})]


def _run(row: dict[str, Any]) -> ScoringRun:
    return ScoringRun(str(row["run_id"]), row["score_date"], str(row["model_version"]), _utc(row["scored_at"]))


def scores_marker(conn: WarehouseConnection) -> object:
    """Something that changes when the scores table does, read without waking a Snowflake warehouse.

    ``SHOW TABLES`` is answered by Snowflake's cloud services (no warehouse resumes, nothing billed
    per poll); on DuckDB there is nothing to save, so the marker is None and callers always look.
    """
    if conn.target != "snowflake":
        return None
    rows = conn.query("SHOW TABLES LIKE 'FCT_CUSTOMER_HEALTH_SCORES' IN SCHEMA SFE_ANALYTICS_MEDIA")
    return tuple((row.get("rows"), row.get("bytes")) for row in rows)


def point_in_time_profiles(conn: WarehouseConnection, as_of: date) -> str:
    """Every subscriber's profile as of ``as_of`` (subscriber_profiles.sql), as the relation the serving models
    read them from (their ``{{ profiles }}``) on this connection.

    Two of publish's reads join the profiles (the snapshot and the engagement split). On DuckDB they are
    computed once, into a temporary table of this connection (dropped when it closes, so the next publish
    never reads a stale copy): the scan of every subscription event is paid once per publish, not twice.
    On Snowflake the relation is the model itself, computed in each query as before: a temporary table there
    needs a schema-qualified name, which fakesnow (the Snowflake tests' stand-in) cannot hold, so the
    materialised form could not be tested for that target.
    """
    profiles = render_model("models/marts/subscriber_profiles.sql")
    if conn.target != "duckdb":
        return f"(\n{profiles}\n)"
    conn.execute(f"CREATE OR REPLACE TEMPORARY TABLE PUBLISH_PROFILES AS\n{profiles}", {"as_of": as_of})
    return "PUBLISH_PROFILES"


def read_subscribers(conn: WarehouseConnection, run: ScoringRun, profiles: str) -> list[dict[str, Any]]:
    """Every subscriber of the profile snapshot or the run, with profile and score (None where absent);
    drivers in the API's readable form (c360.serving.drivers). ``profiles``: the relation
    ``point_in_time_profiles`` gave for the run's score_date."""
    rows = conn.query(
        render_model("models/serving/served_subscribers.sql", profiles=profiles),
        {"run_id": run.run_id, "as_of": run.score_date},
    )
    labels = feature_labels(conn)
    for row in rows:
        row["drivers"] = readable_drivers(_json(row["drivers"]), labels)
        row["scored_at"] = _utc(row["scored_at"]) if row["scored_at"] is not None else None
        row["cancelled_at"] = _utc(row["cancelled_at"]) if row["cancelled_at"] is not None else None
        if row["lifetime_value"] is not None:
            row["lifetime_value"] = float(row["lifetime_value"])
    return rows


def feature_labels(conn: WarehouseConnection) -> dict[str, str]:
    """Each model feature's human label, from SFE_ANALYTICS_MEDIA.FEATURE_LABELS (R__feature_labels.sql)."""
    rows = conn.query("SELECT feature, label FROM SFE_ANALYTICS_MEDIA.FEATURE_LABELS")
    return {str(row["feature"]): str(row["label"]) for row in rows}


def read_model(conn: WarehouseConnection, model_version: str) -> dict[str, Any] | None:
    """The registry's row for ``model_version`` (None: not registered)."""
    rows = conn.query(_MODEL, {"model_version": model_version})
    if not rows:
        return None
    model = rows[0]
    model["trained_at"] = _utc(model["trained_at"])
    model["features"] = _json(model["features"]) or []
    model["metrics"] = _json(model["metrics"]) or {}
    return model


def _json(value: Any) -> Any:
    # VARIANT comes back as JSON text from both DuckDB and the Snowflake connector
    return json.loads(value) if isinstance(value, str) else value


def _utc(value: datetime) -> datetime:
    # TIMESTAMP_NTZ values in the warehouse are UTC (the session time zone is pinned to UTC)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


@dataclass(frozen=True)
class ModelLifecycle:
    """One registered model as the API serves it: its record and its realised performance."""

    model_version: str
    trained_at: datetime
    model: dict[str, Any]  # c360.model.lifecycle.ModelRecord.to_dict()
    performance: list[dict[str, Any]]  # PerformanceRecord.to_dict() per closed score date, oldest first


def read_lifecycle(conn: WarehouseConnection) -> list[ModelLifecycle]:
    """Every registered model with its gate decision and realised performance (c360.model.lifecycle), read in
    the publish's own connection (opening a DuckDB file costs tens of milliseconds, once per model before)."""
    from c360.model import lifecycle

    return [
        ModelLifecycle(
            record.entry.model_version,
            _utc(record.entry.trained_at),
            {**record.to_dict(), "trained_at": _utc(record.entry.trained_at).isoformat()},  # UTC, with its offset
            [p.to_dict() for p in lifecycle.performance_of(conn, record.entry.model_version)],
        )
        for record in {r.entry.model_version: r for r in reversed(lifecycle.models_of(conn))}.values()
    ]  # one per version (the newest registration), newest model last
