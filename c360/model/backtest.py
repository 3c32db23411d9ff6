"""Backtest: a past day scored with the current model and compared with what really followed.

The day's features come from the same snapshot query as training and scoring, run read-only, with
the label computed from the cancellations in the warehouse over the 30 days after it; nothing is
written but the plot. With the generator's ``ground_truth.parquet`` the oracle (the generator's own
probability, the best any model can do on that data) is scored on the same rows, so the gap to the
ceiling is measured, not guessed.

``sample`` says whether the day is out of sample for the model: on or after its first test snapshot,
the model never saw that day's outcomes; before it, they were part of its training.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pyarrow.compute as pc
import pyarrow.parquet as pq
from numpy.typing import NDArray

from c360.model.errors import BacktestError
from c360.model.features import matrix, read_snapshot
from c360.model.metrics import Decile, auc, calibration_by_decile, classification_metrics
from c360.model.plot import calibration_plot
from c360.model.score import current_model
from c360.settings import Settings
from c360.warehouse import DuckDBConnection, Warehouse

LABEL_DAYS = 30


@dataclass(frozen=True)
class Backtest:
    """The model's performance on one past day, with the oracle's beside it."""

    as_of: date
    model_version: str
    sample: str  # out-of-sample | in-sample
    rows: int
    positives: int
    metrics: dict[str, float]
    deciles: list[Decile]
    oracle_auc: float | None
    oracle_rows: int
    model_auc_on_oracle_rows: float | None
    plot: Path

    @property
    def oracle_ratio(self) -> float | None:
        """Model AUC / oracle AUC on the rows both scored."""
        if self.oracle_auc is None or self.model_auc_on_oracle_rows is None:
            return None
        return self.model_auc_on_oracle_rows / self.oracle_auc


def run_backtest(
    warehouse: Warehouse, *, as_of: date, settings: Settings, ground_truth: Path | None, plot: Path | None
) -> Backtest:
    """Score ``as_of`` with the current model and measure it against the next 30 days."""
    if warehouse.target != "duckdb":
        raise BacktestError("backtests run on the embedded warehouse (C360_WAREHOUSE_URL=duckdb:///...)")
    with warehouse.connect() as conn:
        assert isinstance(conn, DuckDBConnection)
        entry, model = current_model(conn, settings.home)
        known_until = _data_end(conn)
        if as_of + timedelta(days=LABEL_DAYS) > known_until:
            latest = known_until - timedelta(days=LABEL_DAYS)
            raise BacktestError(
                f"no complete 30-day window after {as_of}: the warehouse holds data up to {known_until}, so the "
                f"latest day a backtest can score is {latest}"
            )
        rows = read_snapshot(conn, as_of, known_until)
    if len(rows) == 0 or rows.churned is None:
        raise BacktestError(f"no active subscriber with engagement data on {as_of}")
    y = rows.churned.astype(bool)
    p = model.probability(matrix(rows, model.categories))
    metrics = classification_metrics(y, p, settings.risk_tier_high)
    deciles = calibration_by_decile(y, p)
    oracle_auc = model_auc = None
    oracle_rows = 0
    oracle_deciles: list[Decile] = []
    if ground_truth is not None:
        truth = _truth(ground_truth, as_of, rows.subscriber_id)
        matched = ~np.isnan(truth)
        oracle_rows = int(matched.sum())
        if y[matched].any() and not y[matched].all():
            oracle_auc = auc(y[matched], truth[matched])
            model_auc = auc(y[matched], p[matched])
            oracle_deciles = calibration_by_decile(y[matched], truth[matched])
    sample = "out-of-sample" if as_of >= entry.test_window_start else "in-sample"
    path = plot or settings.home / "reports" / f"backtest-{as_of}-calibration.png"
    title = f"Backtest of {as_of} ({sample})\n{entry.model_version}"
    calibration_plot(path, deciles, oracle_deciles, title=title, model_auc=metrics["roc_auc"], oracle_auc=oracle_auc)
    return Backtest(
        as_of=as_of,
        model_version=entry.model_version,
        sample=sample,
        rows=len(rows),
        positives=int(y.sum()),
        metrics=metrics,
        deciles=deciles,
        oracle_auc=oracle_auc,
        oracle_rows=oracle_rows,
        model_auc_on_oracle_rows=model_auc,
        plot=path,
    )


def _data_end(conn: DuckDBConnection) -> date:
    """The last day the warehouse's analytics hold (the snapshot query's calendar)."""
    end = conn.scalar("SELECT MAX(activity_date) FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY")
    if not isinstance(end, date):
        raise BacktestError("the warehouse holds no engagement data; run `c360 pipeline run` first")
    return end


def _truth(path: Path, as_of: date, subscriber_ids: NDArray[np.object_]) -> NDArray[np.float64]:
    """The generator's true 30-day probability for each subscriber on ``as_of`` (NaN where it has none)."""
    try:
        table = pq.read_table(path, columns=["subscriber_id", "snapshot_date", "true_churn_prob_30d"])
    except (OSError, ValueError) as exc:
        raise BacktestError(f"cannot read ground truth {path}: {exc}") from None
    day = table.filter(pc.equal(table["snapshot_date"], as_of))
    if day.num_rows == 0:
        dates = sorted({d.as_py() for d in pc.unique(table["snapshot_date"])})
        raise BacktestError(f"{path} has no snapshot on {as_of}; its snapshots are {', '.join(str(d) for d in dates)}")
    truth = dict(zip(day["subscriber_id"].to_pylist(), day["true_churn_prob_30d"].to_pylist(), strict=True))
    return np.array([truth.get(s, np.nan) for s in subscriber_ids], dtype=np.float64)
