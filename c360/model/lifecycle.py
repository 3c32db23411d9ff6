"""The model lifecycle as records, for the CLI and the API alike: models with their gate decisions,
realised performance per score date, alerts. Plain functions with keyword-only arguments; every
record has ``to_dict()`` (JSON-ready)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from c360.model import registry
from c360.model.checks import Check, checks_of
from c360.model.errors import ModelNotFound
from c360.warehouse import Warehouse, WarehouseConnection

PERFORMANCE_TABLE = "SFE_ANALYTICS_MEDIA.FCT_MODEL_PERFORMANCE"
ALERTS_TABLE = "SFE_ANALYTICS_MEDIA.MODEL_ALERTS"


@dataclass(frozen=True)
class ModelRecord:
    """A registered model: its registry row and the checks of the gate that decided its status."""

    entry: registry.Entry
    checks: list[Check]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        e = self.entry
        return {
            "model_version": e.model_version,
            "status": e.status,
            "algorithm": e.algorithm,
            "trained_at": e.trained_at.isoformat(),
            "as_of_date": e.as_of_date.isoformat(),
            "data_window_start": e.data_window_start.isoformat(),
            "test_window_start": e.test_window_start.isoformat(),
            "data_window_end": e.data_window_end.isoformat(),
            "train_rows": e.train_rows,
            "test_rows": e.test_rows,
            "features": e.features,
            "metrics": e.metrics,
            "decision": e.message,
            "gate": [c.to_dict() for c in self.checks],
        }


@dataclass(frozen=True)
class PerformanceRecord:
    """Realised performance of one score date's scores, once its 30-day window closed."""

    score_date: date
    model_version: str
    metrics: dict[str, float]  # rows, positives, base_rate, roc_auc, brier, calibration_error, ...
    deciles: list[dict[str, float]] = field(default_factory=list)  # decile, rows, predicted, observed
    tiers: dict[str, dict[str, float]] = field(default_factory=dict)  # tier -> rows, precision

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "score_date": self.score_date.isoformat(),
            "model_version": self.model_version,
            "metrics": self.metrics,
            "deciles": self.deciles,
            "tiers": self.tiers,
        }


@dataclass(frozen=True)
class AlertRecord:
    """One MODEL_ALERTS row."""

    alert_id: str
    kind: str
    model_version: str
    score_date: date
    subject: str
    value: float
    threshold: float
    recorded_at: datetime

    @property
    def message(self) -> str:
        """The alert in words."""
        if self.kind == "feature_drift":
            return f"PSI of {self.subject} on {self.score_date} is {self.value:.3f} > {self.threshold:g}"
        return f"realised ROC AUC of {self.score_date}'s scores is {self.value:.4f}, not above {self.threshold:.2f}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "alert_id": self.alert_id,
            "kind": self.kind,
            "model_version": self.model_version,
            "score_date": self.score_date.isoformat(),
            "subject": self.subject,
            "value": self.value,
            "threshold": self.threshold,
            "message": self.message,
            "recorded_at": self.recorded_at.isoformat(),
        }


def list_models(*, warehouse: Warehouse) -> list[ModelRecord]:
    """Every registered model, newest first, with its gate decision."""
    with warehouse.connect() as conn:
        return models_of(conn)


def models_of(conn: WarehouseConnection) -> list[ModelRecord]:
    """``list_models`` on an open connection (a publish reads them beside its snapshot, in one connection)."""
    return [ModelRecord(e, checks_of(conn, e.model_version)) for e in registry.all_entries(conn)]


def get_model(*, warehouse: Warehouse, model_version: str) -> ModelRecord:
    """One registered model, or ModelNotFound."""
    with warehouse.connect() as conn:
        return ModelRecord(_entry(conn, model_version), checks_of(conn, model_version))


def model_performance(*, warehouse: Warehouse, model_version: str) -> list[PerformanceRecord]:
    """Realised performance per score date of one model's scores, oldest first."""
    with warehouse.connect() as conn:
        return performance_of(conn, model_version)


def performance_of(conn: WarehouseConnection, model_version: str) -> list[PerformanceRecord]:
    """``model_performance`` on an open connection."""
    _entry(conn, model_version)
    rows = conn.query(
        f"SELECT score_date, metric, name, value FROM {PERFORMANCE_TABLE} WHERE model_version = :v "
        "ORDER BY score_date, metric, name",
        {"v": model_version},
    )
    by_date: dict[date, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_date[row["score_date"]].append(row)
    return [_performance(day, model_version, values) for day, values in sorted(by_date.items())]


def list_alerts(
    *, warehouse: Warehouse, model_version: str | None = None, since: date | None = None
) -> list[AlertRecord]:
    """Alerts, newest score date first; optionally of one model, or from a score date on."""
    where: list[str] = []
    params: dict[str, object] = {}
    if model_version is not None:
        where.append("model_version = :v")
        params["v"] = model_version
    if since is not None:
        where.append("score_date >= :since")
        params["since"] = since
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    with warehouse.connect() as conn:
        rows = conn.query(
            f"SELECT alert_id, kind, model_version, score_date, subject, value, threshold, recorded_at "
            f"FROM {ALERTS_TABLE} {clause} ORDER BY score_date DESC, kind, subject",
            params,
        )
    return [AlertRecord(**row) for row in rows]


def _entry(conn: WarehouseConnection, model_version: str) -> registry.Entry:
    entry = registry.of_version(conn, model_version)
    if entry is None:
        raise ModelNotFound(f"no registered churn model {model_version!r}; `c360 models list` shows them")
    return entry


def _performance(day: date, model_version: str, rows: list[dict[str, Any]]) -> PerformanceRecord:
    metrics = {r["metric"]: float(r["value"]) for r in rows if r["name"] == "all"}
    deciles: dict[int, dict[str, float]] = defaultdict(dict)
    tiers: dict[str, dict[str, float]] = defaultdict(dict)
    for r in rows:
        if r["metric"].startswith("decile_"):
            deciles[int(r["name"])][r["metric"].removeprefix("decile_")] = float(r["value"])
        elif r["metric"].startswith("tier_"):
            tiers[r["name"]][r["metric"].removeprefix("tier_")] = float(r["value"])
    return PerformanceRecord(
        score_date=day,
        model_version=model_version,
        metrics=metrics,
        deciles=[{"decile": k, **v} for k, v in sorted(deciles.items())],
        tiers=dict(tiers),
    )
