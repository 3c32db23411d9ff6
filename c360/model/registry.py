"""CHURN_MODEL_REGISTRY: every trained model with its test metrics, the deploy gate, the current model.

At most one row is ``current``: the model that scores. A candidate becomes current only when it passes
the deploy gate (gate.py: test ROC AUC above ``C360_MODEL_MIN_TEST_AUC``, not worse than the current
model on the same rows, above the one-feature baseline, calibrated); otherwise it is recorded as
``rejected`` with its metrics and the reason, and the current model stays. CHURN_MODEL_GATE keeps the
numbers of every check. The queries are
Snowflake SQL, so the CLI reads the registry the same way on both targets.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from c360.model.errors import NoCurrentModel
from c360.warehouse import WarehouseConnection

REGISTRY = "SFE_ANALYTICS_MEDIA.CHURN_MODEL_REGISTRY"
IMPORTANCE = "SFE_ANALYTICS_MEDIA.CHURN_FEATURE_IMPORTANCE"
_COLUMNS = (
    "model_version, trained_at, status, algorithm, as_of_date, data_window_start, data_window_end, "
    "test_window_start, features, train_rows, test_rows, metrics, artifact_uri, artifact_sha256, message, run_id"
)


@dataclass(frozen=True)
class Entry:
    """One row of the registry."""

    model_version: str
    trained_at: datetime
    status: str  # current | retired | rejected
    algorithm: str
    as_of_date: date
    data_window_start: date
    data_window_end: date
    test_window_start: date
    features: list[str]
    train_rows: int
    test_rows: int
    metrics: dict[str, float]
    artifact_uri: str | None
    artifact_sha256: str | None
    message: str
    run_id: str


def current(conn: WarehouseConnection) -> Entry | None:
    """The current model's entry, if any."""
    return _one(conn, "WHERE status = 'current'", {})


def latest(conn: WarehouseConnection) -> Entry | None:
    """The most recently trained model, whatever its status."""
    return _one(conn, "", {})


def newest_trained_by(conn: WarehouseConnection, day: date) -> Entry | None:
    """The newest deployed model (current or retired) whose training data ended on or before ``day``:
    one that never saw an outcome after it (walk-forward backtests)."""
    return _one(
        conn,
        "WHERE status IN ('current', 'retired') AND as_of_date <= :day AND artifact_uri IS NOT NULL",
        {"day": day},
        order="as_of_date DESC, trained_at DESC",
    )


def all_entries(conn: WarehouseConnection) -> list[Entry]:
    """Every registered model, newest first."""
    rows = conn.query(f"SELECT {_COLUMNS} FROM {REGISTRY} ORDER BY trained_at DESC, model_version DESC")
    return [_entry(row) for row in rows]


def of_version(conn: WarehouseConnection, model_version: str) -> Entry | None:
    """One model by its version."""
    return _one(conn, "WHERE model_version = :v", {"v": model_version})


def of_run(conn: WarehouseConnection, run_id: str) -> Entry | None:
    """The model trained by a run."""
    return _one(conn, "WHERE run_id = :run_id", {"run_id": run_id})


def has_current(conn: WarehouseConnection) -> bool:
    """Whether a model is current (``c360 pipeline run`` trains when not)."""
    return current(conn) is not None


def require_current(conn: WarehouseConnection) -> Entry:
    """The current entry, or NoCurrentModel saying why there is none."""
    entry = current(conn)
    if entry is not None:
        return entry
    last = latest(conn)
    why = f"the last one trained, {last.model_version}, was rejected: {last.message}" if last else "none trained yet"
    raise NoCurrentModel(f"no current churn model ({why}); train one with `c360 train`")


def record(
    conn: WarehouseConnection,
    entry: Entry,
    importance: list[tuple[str, float]],
    on_record: Callable[[], None] | None = None,
) -> None:
    """Insert ``entry`` (retiring the previous current model when it is current), its feature importance and
    whatever ``on_record`` writes (the gate's checks), in one transaction."""
    with conn.transaction():
        if on_record is not None:
            on_record()
        if entry.status == "current":
            conn.execute(f"UPDATE {REGISTRY} SET status = 'retired' WHERE status = 'current'")
        conn.execute(
            f"INSERT INTO {REGISTRY} ({_COLUMNS}) VALUES (:model_version, :trained_at, :status, :algorithm, "
            ":as_of_date, :data_window_start, :data_window_end, :test_window_start, PARSE_JSON(:features), "
            ":train_rows, :test_rows, PARSE_JSON(:metrics), :artifact_uri, :artifact_sha256, :message, :run_id)",
            {**entry.__dict__, "features": json.dumps(entry.features), "metrics": json.dumps(entry.metrics)},
        )
        conn.execute(f"DELETE FROM {IMPORTANCE} WHERE model_version = :v", {"v": entry.model_version})
        for rank, (feature, value) in enumerate(importance, start=1):
            conn.execute(
                f"INSERT INTO {IMPORTANCE} (model_version, feature, importance_rank, importance) "
                "VALUES (:v, :feature, :rank, :value)",
                {"v": entry.model_version, "feature": feature, "rank": rank, "value": value},
            )


def artifact_path(entry: Entry, home: Path) -> Path:
    """Where the entry's model file is: artifact_uri is relative to C360_HOME, so a moved home still works."""
    if not entry.artifact_uri:
        raise NoCurrentModel(f"model {entry.model_version} has no artifact on this target")
    return home / entry.artifact_uri


def _one(conn: WarehouseConnection, where: str, params: dict[str, Any], order: str = "trained_at DESC") -> Entry | None:
    rows = conn.query(f"SELECT {_COLUMNS} FROM {REGISTRY} {where} ORDER BY {order} LIMIT 1", params)
    return _entry(rows[0]) if rows else None


def _entry(row: dict[str, Any]) -> Entry:
    row["features"] = _json(row["features"])
    row["metrics"] = _json(row["metrics"])
    return Entry(**row)


def _json(value: Any) -> Any:
    # VARIANT comes back as JSON text from both DuckDB and the Snowflake connector
    return json.loads(value) if isinstance(value, str) else value
