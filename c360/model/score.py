"""Daily scoring: every active subscriber of a day, its probability, tier and top drivers.

Rows go to FCT_CUSTOMER_HEALTH_SCORES as history, one per subscriber per score_date: the day's old
rows are deleted and the new ones inserted in one transaction, so scoring a date again replaces it
and a reader never sees half a run. Drivers are the features with the largest |SHAP value|, on the
calibrated log-odds scale (they add up with the model's base value to the logit of the score).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from c360.model import monitor, registry
from c360.model.artifact import ChurnModel, load, sigmoid
from c360.model.features import INTEGER_FEATURES, Feature, Snapshots, matrix, read_scoring_features, specs
from c360.warehouse import DuckDBConnection, call

F64 = NDArray[np.float64]
_SHOWN = 5e-5  # contributions are stored rounded to 4 decimals
SCORES_TABLE = "SFE_ANALYTICS_MEDIA.FCT_CUSTOMER_HEALTH_SCORES"
BUILD_FEATURES = "SFE_ANALYTICS_MEDIA.SFE_BUILD_SCORING_FEATURES"


@dataclass(frozen=True)
class Scored:
    """One scoring run's outcome."""

    score_date: date
    run_id: str
    model_version: str
    summary: monitor.RunSummary

    def describe(self) -> str:
        """One line for the task's result and the CLI."""
        tiers = ", ".join(f"{tier} {n:,}" for tier, n in self.summary.tier_counts.items())
        line = f"scored {self.summary.rows:,} subscribers as of {self.score_date} with {self.model_version}: {tiers}"
        if self.summary.drifted:
            line += f"; drift (PSI > {monitor.PSI_SHIFT}) in {', '.join(self.summary.drifted)}"
        return line


@dataclass(frozen=True)
class Written:
    """What every row of a scoring run shares."""

    score_date: date
    run_id: str
    model_version: str
    scored_at: datetime


def tiers(scores: F64, high: float, medium: float) -> NDArray[np.object_]:
    """High at or above ``high``, Medium at or above ``medium``, else Low."""
    return np.where(scores >= high, "High", np.where(scores >= medium, "Medium", "Low")).astype(object)


def current_model(conn: DuckDBConnection, home: Path) -> tuple[registry.Entry, ChurnModel]:
    """The current registry entry and its model (artifact under ``home``), checksum verified."""
    entry = registry.require_current(conn)
    return entry, load(registry.artifact_path(entry, home), entry.artifact_sha256)


def score_day(
    conn: DuckDBConnection,
    *,
    home: Path,
    score_date: date,
    run_id: str,
    high: float,
    medium: float,
    max_drivers: int,
) -> Scored:
    """Build the day's features, score them with the current model and write scores and monitoring."""
    entry, model = current_model(conn, home)  # before any work: no model, no features to build
    call(conn, BUILD_FEATURES, [score_date, run_id])
    rows = read_scoring_features(conn, score_date)
    # the model's own features: a model trained before a feature was added still scores
    contributions, base = model.contributions(matrix(rows, model.categories, model.features))
    # the score is the base value plus the contributions: drivers add up to it by construction
    scores = sigmoid(base + contributions.sum(axis=1))
    risk = tiers(scores, high, medium)
    summary = monitor.summarize(model.reference, rows, scores, risk)
    run = Written(score_date, run_id, entry.model_version, datetime.now(UTC).replace(tzinfo=None))
    with conn.transaction():
        _write_scores(conn, run, rows, scores, risk, drivers(rows, contributions, max_drivers, specs(model.features)))
        monitor.record(
            conn,
            run_id=run_id,
            score_date=score_date,
            model_version=entry.model_version,
            summary=summary,
            scores=scores,
        )
    return Scored(score_date, run_id, entry.model_version, summary)


def drivers(rows: Snapshots, contributions: F64, max_drivers: int, features: tuple[Feature, ...]) -> pa.Table:
    """Each row's top features by |contribution|, long format: (row, rank, feature, value, contribution)."""
    k = min(max_drivers, contributions.shape[1])
    order = np.argsort(-np.abs(contributions), axis=1, kind="stable")[:, :k]
    row = np.repeat(np.arange(len(rows), dtype=np.int64), k)
    feature = order.ravel()
    contribution = contributions[row, feature]
    keep = np.abs(contribution) >= _SHOWN  # too small to show at 4 decimals: no driver
    row, feature, contribution = row[keep], feature[keep], contribution[keep]
    value_num = np.full(len(row), np.nan)
    value_text = np.full(len(row), None, dtype=object)
    for j, spec in enumerate(features):
        at = feature == j
        values = rows.columns[spec.name][row[at]]
        if spec.kind == "numeric":
            value_num[at] = values.astype(np.float64)
        else:
            value_text[at] = values.astype(str)
    names = np.array([f.name for f in features], dtype=object)
    return pa.table(
        {
            "row_number": row,
            "driver_rank": np.arange(len(row)) - np.searchsorted(row, row),  # position within the row
            "feature": names[feature],
            "is_integer": np.array([f.name in INTEGER_FEATURES for f in features])[feature],
            "value_num": pa.array(value_num, from_pandas=True),
            "value_text": pa.array(value_text, type=pa.string()),
            "contribution": contribution,
        }
    )


def _write_scores(
    conn: DuckDBConnection,
    run: Written,
    rows: Snapshots,
    scores: F64,
    risk: NDArray[np.object_],
    long_drivers: pa.Table,
) -> None:
    """Replace the date's scores; the drivers JSON is assembled by DuckDB from the long table."""
    scored = pa.table(
        {
            "row_number": np.arange(len(rows), dtype=np.int64),
            "subscriber_id": pa.array(rows.subscriber_id.tolist(), type=pa.string()),
            "churn_risk_score": scores,
            "risk_tier": pa.array(risk.tolist(), type=pa.string()),
        }
    )
    native = conn.native
    native.register("c360_scored", scored)
    native.register("c360_drivers", long_drivers)
    try:
        native.execute(f"DELETE FROM {SCORES_TABLE} WHERE score_date = ?", [run.score_date])
        native.execute(
            f"""
            INSERT INTO {SCORES_TABLE}
                (subscriber_id, score_date, churn_risk_score, risk_tier, model_version, scored_at, drivers, run_id)
            WITH driver_items AS (
                SELECT
                    row_number,
                    driver_rank,
                    {{'feature': feature,
                      'value': CASE WHEN value_text IS NOT NULL THEN to_json(value_text)
                                    WHEN is_integer THEN to_json(CAST(value_num AS BIGINT))
                                    ELSE to_json(round(value_num, 4)) END,
                      'contribution': round(contribution, 4),
                      'direction': CASE WHEN contribution > 0 THEN 'increases_risk' ELSE 'decreases_risk' END
                    }} AS item
                FROM c360_drivers
            ),
            driver_lists AS (
                SELECT row_number, to_json(list(item ORDER BY driver_rank)) AS drivers
                FROM driver_items
                GROUP BY row_number
            )
            SELECT s.subscriber_id, ?, s.churn_risk_score, s.risk_tier, ?, ?, COALESCE(d.drivers, '[]'), ?
            FROM c360_scored AS s
            LEFT JOIN driver_lists AS d ON d.row_number = s.row_number
            """,
            [run.score_date, run.model_version, run.scored_at, run.run_id],
        )
    finally:
        native.unregister("c360_scored")
        native.unregister("c360_drivers")
