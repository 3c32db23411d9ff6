"""Walk-forward backtests: a past day scored by a model that could have scored it, against what followed.

The day *D*'s features come from the same snapshot query as training and scoring, run read-only, with
the label computed from the cancellations in the warehouse over the 30 days after it; nothing is
written but the plots. The model is the newest registered (deployed) one whose training data ended on
or before *D* (its ``as_of_date``), or, with ``train``, one trained as of *D* for the backtest alone
(not registered). Either never saw an outcome after *D*: the backtest is **out of sample**. Without
such a model the current one scores the day and the result says ``out_of_sample: false``.

With the generator's ``ground_truth.parquet`` the oracle (the generator's own probability, the best
any model can do on that data) is scored on the same rows, so the gap to the ceiling is measured.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.compute as pc
import pyarrow.parquet as pq
from numpy.typing import NDArray

from c360 import dates
from c360.model import registry
from c360.model.artifact import ChurnModel, load
from c360.model.errors import BacktestError, NoCurrentModel
from c360.model.features import Snapshots, matrix, read_snapshot, read_training_window
from c360.model.history import LABEL_DAYS, loaded_range, require_history
from c360.model.metrics import Decile, auc, calibration_by_decile, classification_metrics
from c360.model.monitor import drift
from c360.settings import Settings
from c360.warehouse import DuckDBConnection, Warehouse

F64 = NDArray[np.float64]


@dataclass(frozen=True)
class ModelChoice:
    """The model that scores a backtest day, and why that one."""

    model: ChurnModel
    version: str  # the registry's model_version (or the trained model's own)
    trained_as_of: date | None  # its training data ended on this day
    source: str  # registered | trained | current
    out_of_sample: bool

    def describe(self, as_of: date) -> str:
        """Which model, in words."""
        if self.source == "registered":
            return f"{self.version}, the newest registered model trained on data up to {self.trained_as_of}"
        if self.source == "trained":
            return f"{self.version}, trained as of {as_of} for this backtest (not registered)"
        return (
            f"{self.version}, the current model (trained as of {self.trained_as_of}): no registered model was "
            f"trained on data up to {as_of}, so this is in sample; pass --train for an out-of-sample backtest"
        )


@dataclass(frozen=True)
class Backtest:
    """A model's performance on one past day, with the oracle's beside it."""

    as_of: date
    model_version: str
    model_note: str
    out_of_sample: bool
    rows: int
    positives: int
    metrics: dict[str, float]
    deciles: list[Decile]
    oracle_metrics: dict[str, float] | None  # the oracle on the rows it covers
    oracle_rows: int
    model_auc_on_oracle_rows: float | None
    oracle_deciles: list[Decile]
    y: NDArray[np.bool_]
    p: F64
    contributions: F64 | None  # SHAP values of the rows (registered or trained embedded models)
    features: list[str]
    x: F64
    psi: dict[str, float]  # each feature against the model's training population

    @property
    def sample(self) -> str:
        """out-of-sample | in-sample."""
        return "out-of-sample" if self.out_of_sample else "in-sample"

    @property
    def oracle_auc(self) -> float | None:
        """The oracle's ROC AUC on the rows it covers."""
        return None if self.oracle_metrics is None else self.oracle_metrics["roc_auc"]

    @property
    def oracle_ratio(self) -> float | None:
        """Model AUC / oracle AUC on the rows both scored."""
        if self.oracle_auc is None or self.model_auc_on_oracle_rows is None:
            return None
        return self.model_auc_on_oracle_rows / self.oracle_auc

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (no row-level data)."""
        return {
            "as_of": self.as_of.isoformat(),
            "model_version": self.model_version,
            "model": self.model_note,
            "out_of_sample": self.out_of_sample,
            "rows": self.rows,
            "positives": self.positives,
            "metrics": self.metrics,
            "oracle": None
            if self.oracle_metrics is None
            else {
                **self.oracle_metrics,
                "rows": self.oracle_rows,
                "model_roc_auc_same_rows": self.model_auc_on_oracle_rows,
                "model_over_oracle": self.oracle_ratio,
            },
            "deciles": [d.__dict__ for d in self.deciles],
            "psi": self.psi,
        }


def run_backtest(
    warehouse: Warehouse, *, as_of: date, settings: Settings, ground_truth: Path | None, train: bool = False
) -> Backtest:
    """Score ``as_of`` with a model that could have scored it and measure it against the next 30 days."""
    return run_series(
        warehouse, days=[as_of], settings=settings, ground_truth=ground_truth, train=train, strict_truth=True
    )[0]


def run_series(
    warehouse: Warehouse,
    *,
    days: list[date],
    settings: Settings,
    ground_truth: Path | None,
    train: bool = False,
    strict_truth: bool = False,
) -> list[Backtest]:
    """Walk forward over ``days``: each scored by its own out-of-sample model (see the module docstring)."""
    if warehouse.target != "duckdb":
        raise BacktestError("backtests run on the embedded warehouse (C360_WAREHOUSE_URL=duckdb:///...)")
    results = []
    with warehouse.connect() as conn:
        for day in days:  # future, ancient, unloaded days and days without 30 days after them: exit 2, nothing run
            dates.check_day(conn, day, "backtest")
        loaded = loaded_range(conn)
    if loaded is None:
        raise BacktestError("the warehouse holds no engagement data; run `c360 pipeline run` first")
    known_until = loaded[1]
    latest = known_until - timedelta(days=LABEL_DAYS)
    late = [d for d in days if d > latest]
    if late:
        raise BacktestError(
            f"no complete 30-day window after {late[0]}: the warehouse holds data up to {known_until}, so the "
            f"latest day a backtest can score is {latest}"
        )
    for day in days:  # the warehouse is opened per day, and not while a model trains
        with warehouse.connect() as conn:
            assert isinstance(conn, DuckDBConnection)
            rows = read_snapshot(conn, day, known_until)
            if train:
                window = require_history(conn, day)
                training = read_training_window(conn, day, window.first_snapshot, window.last_snapshot)
            else:
                choice = choose_model(conn, day, settings)
        if train:
            choice = trained_choice(training, day, settings)
        truth = _truth(ground_truth, day, rows.subscriber_id, strict_truth) if ground_truth else None
        results.append(_measure(day, rows, choice, truth, settings.risk_tier_high))
    return results


def trained_choice(rows: Snapshots, as_of: date, settings: Settings) -> ModelChoice:
    """A model trained on the training set as of ``as_of`` (not registered)."""
    from c360.model.train import fit, utcnow

    trained = fit(rows, trained_at=utcnow(), threads=settings.model_threads, high_threshold=settings.risk_tier_high)
    return ModelChoice(trained.model, trained.model.version, as_of, "trained", out_of_sample=True)


def choose_model(conn: DuckDBConnection, as_of: date, settings: Settings) -> ModelChoice:
    """The newest deployed model trained on data up to ``as_of``, or else the current one (in sample)."""
    entry = registry.newest_trained_by(conn, as_of)
    if entry is not None:
        model = load(registry.artifact_path(entry, settings.home), entry.artifact_sha256)
        return ModelChoice(model, entry.model_version, entry.as_of_date, "registered", out_of_sample=True)
    try:
        current = registry.require_current(conn)
    except NoCurrentModel as exc:
        raise BacktestError(f"no model to backtest {as_of} with: {exc.message}; or pass --train") from None
    model = load(registry.artifact_path(current, settings.home), current.artifact_sha256)
    return ModelChoice(model, current.model_version, current.as_of_date, "current", out_of_sample=False)


def _measure(day: date, rows: Snapshots, choice: ModelChoice, truth: F64 | None, high: float) -> Backtest:
    if len(rows) == 0 or rows.churned is None:
        raise BacktestError(f"no active subscriber with engagement data on {day}")
    y = rows.churned.astype(bool)
    model = choice.model
    x = matrix(rows, model.categories, model.features)
    contributions, base = model.contributions(x)
    p = np.asarray(1.0 / (1.0 + np.exp(-(base + contributions.sum(axis=1)))))
    oracle_metrics = model_auc = None
    oracle_rows = 0
    oracle_deciles: list[Decile] = []
    if truth is not None:
        matched = ~np.isnan(truth)
        oracle_rows = int(matched.sum())
        if y[matched].any() and not y[matched].all():
            oracle_metrics = classification_metrics(y[matched], truth[matched], high)
            model_auc = auc(y[matched], p[matched])
            oracle_deciles = calibration_by_decile(y[matched], truth[matched])
    return Backtest(
        as_of=day,
        model_version=choice.version,
        model_note=choice.describe(day),
        out_of_sample=choice.out_of_sample,
        rows=len(rows),
        positives=int(y.sum()),
        metrics=classification_metrics(y, p, high),
        deciles=calibration_by_decile(y, p),
        oracle_metrics=oracle_metrics,
        oracle_rows=oracle_rows,
        model_auc_on_oracle_rows=model_auc,
        oracle_deciles=oracle_deciles,
        y=y,
        p=p,
        contributions=contributions,
        features=list(model.features),
        x=x,
        psi=drift(model.reference, rows),
    )


def weekly_days(first: date, last: date, every_days: int) -> list[date]:
    """``first``, ``first + every``, ... up to ``last``."""
    if every_days < 1:
        raise BacktestError("--every must be at least 1 day")
    if last < first:
        raise BacktestError(f"--to {last} is before --from {first}")
    return [first + timedelta(days=k) for k in range(0, (last - first).days + 1, every_days)]


def _truth(path: Path, as_of: date, subscriber_ids: NDArray[np.object_], strict: bool) -> F64 | None:
    """The generator's true 30-day probability for each subscriber on ``as_of`` (NaN where it has none)."""
    try:
        table = pq.read_table(path, columns=["subscriber_id", "snapshot_date", "true_churn_prob_30d"])
    except (OSError, ValueError) as exc:
        raise BacktestError(f"cannot read ground truth {path}: {exc}") from None
    day = table.filter(pc.equal(table["snapshot_date"], as_of))
    if day.num_rows == 0:
        if not strict:
            return None
        dates = sorted({d.as_py() for d in pc.unique(table["snapshot_date"])})
        raise BacktestError(f"{path} has no snapshot on {as_of}; its snapshots are {', '.join(str(d) for d in dates)}")
    truth = dict(zip(day["subscriber_id"].to_pylist(), day["true_churn_prob_30d"].to_pylist(), strict=True))
    return np.array([truth.get(s, np.nan) for s in subscriber_ids], dtype=np.float64)
