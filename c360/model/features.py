"""The churn model's inputs: the feature list, and the snapshot rows as numpy columns.

The features are computed once, in SQL (``pipeline_sql/models/marts/churn_snapshots.sql``); training
reads FCT_CHURN_TRAINING, scoring FCT_CHURN_SCORING_FEATURES, the backtest runs the same query
read-only. docs/model.md defines each feature.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from c360.warehouse import DuckDBConnection
from pipeline_sql.connection import used_params
from pipeline_sql.dialect import to_duckdb

F64 = NDArray[np.float64]


@dataclass(frozen=True)
class Feature:
    """One model input: its column, kind, the name people read, and the direction risk may move with it."""

    name: str
    kind: Literal["numeric", "categorical"]
    label: str
    # +1: risk never falls as the value grows; -1: never rises; 0: either (a LightGBM monotone constraint,
    # so that no driver ever reads "more failed payments lowered the risk")
    monotone: Literal[-1, 0, 1] = 0


FEATURES: tuple[Feature, ...] = (
    Feature("engagement_score", "numeric", "Average daily engagement, last 30 days", -1),
    Feature("reads_per_day_30d", "numeric", "Articles read per day, last 30 days", -1),
    Feature("engagement_trend", "numeric", "Reading trend, last 7 days vs the 23 before", -1),
    Feature("days_since_last_read", "numeric", "Days since the last read", 1),
    Feature("support_tickets_count", "numeric", "Support tickets, last 90 days", 1),
    Feature("support_tickets_30d", "numeric", "Support tickets, last 30 days", 1),
    Feature("cancellation_tickets_30d", "numeric", "Cancellation requests to support, last 30 days", 1),
    Feature("subscription_tenure_days", "numeric", "Days subscribed", -1),
    Feature("failed_payments_30d", "numeric", "Failed payments, last 30 days", 1),
    Feature("downgrades_90d", "numeric", "Plan downgrades, last 90 days", 1),
    Feature("days_since_failed_payment", "numeric", "Days since the last failed payment (90: none in 90 days)", -1),
    Feature("failed_payments_decayed", "numeric", "Failed payments, recent ones weighing more (10-day half-life)", 1),
    Feature(
        "days_since_cancellation_ticket",
        "numeric",
        "Days since the last cancellation request (90: none in 90 days)",
        -1,
    ),
    Feature(
        "cancellation_tickets_decayed",
        "numeric",
        "Cancellation requests, recent ones weighing more (10-day half-life)",
        1,
    ),
    Feature("plan", "categorical", "Plan"),
    Feature("acquisition_channel", "categorical", "Acquisition channel"),
)
FEATURE_NAMES: tuple[str, ...] = tuple(f.name for f in FEATURES)
_BY_NAME: dict[str, Feature] = {f.name: f for f in FEATURES}
CATEGORICAL: tuple[str, ...] = tuple(f.name for f in FEATURES if f.kind == "categorical")
# integer-valued numeric features: their driver values are shown as integers
INTEGER_FEATURES: frozenset[str] = frozenset(
    {
        "days_since_last_read",
        "support_tickets_count",
        "support_tickets_30d",
        "cancellation_tickets_30d",
        "subscription_tenure_days",
        "failed_payments_30d",
        "downgrades_90d",
        "days_since_failed_payment",
        "days_since_cancellation_ticket",
    }
)

TRAINING_TABLE = "SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING"
SCORING_TABLE = "SFE_ANALYTICS_MEDIA.FCT_CHURN_SCORING_FEATURES"


@dataclass(frozen=True)
class Snapshots:
    """Rows of churn snapshots, column by column, ordered by (snapshot_date, subscriber_id)."""

    subscriber_id: NDArray[np.object_]
    snapshot_date: NDArray[np.datetime64]
    columns: dict[str, NDArray[Any]]
    churned: NDArray[np.bool_] | None  # None when the label is unknown (scoring)
    split: NDArray[np.object_] | None

    def __len__(self) -> int:
        return len(self.subscriber_id)

    def where(self, mask: NDArray[np.bool_]) -> Snapshots:
        """The rows where ``mask`` holds."""
        return Snapshots(
            subscriber_id=self.subscriber_id[mask],
            snapshot_date=self.snapshot_date[mask],
            columns={k: v[mask] for k, v in self.columns.items()},
            churned=None if self.churned is None else self.churned[mask],
            split=None if self.split is None else self.split[mask],
        )

    def dates(self) -> list[date]:
        """The distinct snapshot dates, ascending."""
        return [d.astype(object) for d in np.unique(self.snapshot_date)]


def read_training_set(conn: DuckDBConnection) -> Snapshots:
    """FCT_CHURN_TRAINING, as the last SFE_BUILD_TRAINING_SET left it."""
    return _read(conn, f"SELECT * FROM {TRAINING_TABLE} ORDER BY snapshot_date, subscriber_id", {}, labelled=True)


def read_scoring_features(conn: DuckDBConnection, score_date: date) -> Snapshots:
    """FCT_CHURN_SCORING_FEATURES of one score date."""
    sql = f"SELECT * FROM {SCORING_TABLE} WHERE snapshot_date = :score_date ORDER BY subscriber_id"
    return _read(conn, sql, {"score_date": score_date}, labelled=False)


def read_snapshot(conn: DuckDBConnection, snapshot_date: date, known_until: date) -> Snapshots:
    """One snapshot computed on the fly (nothing written), labelled with what was known by ``known_until``.

    The backtest's view of a past day: the same query as training and scoring.
    """
    params = {
        "as_of": known_until,
        "first_snapshot": snapshot_date,
        "last_snapshot": snapshot_date,
        "snapshot_every_days": 1,
        "run_id": "backtest",
    }
    sql = f"SELECT * FROM ({snapshot_query()}) AS snapshot ORDER BY subscriber_id"
    return _read(conn, sql, params, labelled=True)


def read_training_window(conn: DuckDBConnection, as_of: date, first_snapshot: date, last_snapshot: date) -> Snapshots:
    """The training set SFE_BUILD_TRAINING_SET would build as of ``as_of``, computed on the fly (nothing
    written): a backtest's model trained as of a past day."""
    params = {
        "as_of": as_of,
        "first_snapshot": first_snapshot,
        "last_snapshot": last_snapshot,
        "snapshot_every_days": 7,
        "run_id": "backtest",
    }
    sql = f"SELECT * FROM ({snapshot_query()}) AS snapshot ORDER BY snapshot_date, subscriber_id"
    return _read(conn, sql, params, labelled=True)


@cache
def snapshot_query() -> str:
    """The snapshot SELECT of the migrations: pipeline_sql/models/marts/churn_snapshots.sql (plain SQL)."""
    from pipeline_sql.scripts import PACKAGE_DIR

    return (PACKAGE_DIR / "models" / "marts" / "churn_snapshots.sql").read_text().rstrip().rstrip(";")


def _read(conn: DuckDBConnection, sql: str, params: dict[str, Any], *, labelled: bool) -> Snapshots:
    translated = to_duckdb(sql)
    data = conn.native.execute(translated, used_params(translated, params, "$") or {}).fetchnumpy()
    columns = {name: _plain(data[name]) for name in FEATURE_NAMES}
    churned = _plain(data["churned"]) if labelled else None
    if churned is not None and churned.dtype != np.bool_:
        churned = None  # some labels are unknown yet (NULL): the rows are not labelled
    return Snapshots(
        subscriber_id=_plain(data["subscriber_id"]).astype(object),
        snapshot_date=_plain(data["snapshot_date"]).astype("datetime64[D]"),
        columns=columns,
        churned=churned,
        split=_plain(data["split"]).astype(object) if labelled else None,
    )


def _plain(values: Any) -> NDArray[Any]:
    """A plain ndarray (DuckDB returns masked arrays for nullable columns)."""
    if isinstance(values, np.ma.MaskedArray):
        if values.dtype.kind in "fc":
            return np.asarray(values.filled(np.nan))
        return np.asarray(np.ma.MaskedArray(values, dtype=object).filled(None))
    return np.asarray(values)


def categories_of(rows: Snapshots) -> dict[str, list[str]]:
    """The categories of each categorical feature seen in ``rows``, sorted: their position is their code."""
    return {name: sorted({str(v) for v in rows.columns[name]}) for name in CATEGORICAL}


def specs(names: Sequence[str]) -> tuple[Feature, ...]:
    """The Feature of each name, in order (a model's own feature list)."""
    return tuple(_BY_NAME[name] for name in names)


def matrix(rows: Snapshots, categories: dict[str, list[str]], features: Sequence[str] | None = None) -> F64:
    """The model's input matrix: numeric features as they are, categories as codes (-1: unseen in training).

    ``features``: a model's own feature list (an older model may use fewer); default all of FEATURES.
    """
    chosen = FEATURES if features is None else specs(features)
    out = np.empty((len(rows), len(chosen)), dtype=np.float64)
    for j, feature in enumerate(chosen):
        values = rows.columns[feature.name]
        if feature.kind == "numeric":
            out[:, j] = values.astype(np.float64)
        else:
            codes = {c: i for i, c in enumerate(categories[feature.name])}
            out[:, j] = np.fromiter((codes.get(str(v), -1) for v in values), dtype=np.float64, count=len(values))
    return out
