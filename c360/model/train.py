"""Training: LightGBM on the train split, Platt scaling on held-out subscribers, metrics on the test split.

* Split (from the SQL): purged, 80/20 by date: the latest ~20 % of the weekly snapshot dates are the test
  set, never seen in fitting or calibration, and the snapshots whose label windows reach into the test
  snapshot's are dropped; the model deployed is exactly the one those metrics describe.
* Calibration: one subscriber in five of the training snapshots (by a hash of the id, so the same
  subscriber never sits on both sides) is held out; Platt scaling is fitted on the booster's raw scores
  there. Platt (not isotonic) because it is affine in log-odds: the SHAP drivers stay exact (artifact.py).
* Trees of depth 3 keep per-subscriber SHAP values cheap (drivers.py); 300 rounds at learning rate
  0.05 measured close to deeper trees on the generator's data (docs/model.md). Monotone constraints
  (features.py) cost ~0.003 of test AUC and keep every driver's direction believable.
* Deterministic: fixed seed, LightGBM's deterministic mode, a fixed thread count and rows in a fixed
  order, so the same data gives the same model and metrics.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import lightgbm as lgb
import numpy as np
from numpy.typing import NDArray
from sklearn.linear_model import LogisticRegression

from c360.model.artifact import Calibration, ChurnModel
from c360.model.drivers import explainer_for
from c360.model.errors import TrainingDataError
from c360.model.features import FEATURE_NAMES, FEATURES, Snapshots, categories_of, matrix, specs
from c360.model.history import MIN_SNAPSHOTS, PURGED_SNAPSHOTS
from c360.model.metrics import auc, classification_metrics
from c360.model.monitor import reference_bins

F64 = NDArray[np.float64]
HYPERPARAMETERS: dict[str, Any] = {
    "objective": "binary",
    "learning_rate": 0.05,
    "max_depth": 3,
    "num_leaves": 8,
    "min_data_in_leaf": 50,
    "feature_fraction": 0.9,
    "lambda_l2": 1.0,
    "monotone_constraints": [f.monotone for f in FEATURES],
    "monotone_constraints_method": "intermediate",
    "seed": 0,
    "deterministic": True,
    "force_col_wise": True,
    "verbose": -1,
}
ROUNDS = 300
CALIBRATION_EVERY = 5  # one subscriber in five of the training snapshots calibrates
MIN_TRAIN_ROWS = 500
MIN_POSITIVES = 20  # cancellations among the rows the booster is fitted on
ALGORITHM = "lightgbm+platt"
PARITY_ROWS = 2000  # test rows the SHAP tables are checked on, besides the probe rows
BASELINE_FEATURE = "reads_per_day_30d"  # the one-feature baseline a model must beat (the audit's: 0.818)


@dataclass(frozen=True)
class Trained:
    """A fitted model with its test metrics and the windows it was trained and tested on."""

    model: ChurnModel
    metrics: dict[str, float]
    train_rows: int
    test_rows: int
    train_start: date
    test_start: date
    test_end: date
    importance: list[tuple[str, float]]  # features by mean |SHAP| on the test split, largest first
    split: Split
    test_set: Snapshots
    test_probability: F64
    baseline_auc: float  # the one-feature baseline (BASELINE_FEATURE alone) on the test split


@dataclass(frozen=True)
class Split:
    """What the purged 80/20 split by date used: snapshot dates per side."""

    train_dates: int
    purged_dates: int
    test_dates: int

    def describe(self) -> str:
        """E.g. "4 training / 1 test snapshot dates (80/20), 4 purged"."""
        used = self.train_dates + self.test_dates
        share = round(100 * self.train_dates / used) if used else 0
        return (
            f"{self.train_dates} training / {self.test_dates} test snapshot dates ({share}/{100 - share}), "
            f"{self.purged_dates} purged"
        )


def fit(
    rows: Snapshots,
    *,
    trained_at: datetime,
    threads: int,
    high_threshold: float,
    features: Sequence[str] = FEATURE_NAMES,
) -> Trained:
    """Train, calibrate and evaluate on a training set (FCT_CHURN_TRAINING rows).

    ``features``: all of FEATURES by default; a subset reproduces a model of an earlier feature set.
    """
    train, test, split = _split(rows)
    categories = categories_of(train)
    x, y = matrix(train, categories, features), _labels(train)
    held_out = calibration_mask(train.subscriber_id)
    _require_classes(y[~held_out], "the rows the model is fitted on", MIN_POSITIVES)
    _require_classes(y[held_out], "the calibration slice", 1)
    chosen = specs(features)
    params = {
        **HYPERPARAMETERS,
        "num_threads": threads,
        "monotone_constraints": [f.monotone for f in chosen],
    }
    dataset = lgb.Dataset(
        x[~held_out],
        y[~held_out],
        feature_name=list(features),
        categorical_feature=[f.name for f in chosen if f.kind == "categorical"],
    )
    booster = lgb.train(params, dataset, num_boost_round=ROUNDS)
    calibration = platt(np.asarray(booster.predict(x[held_out], raw_score=True)), y[held_out])
    booster_text = booster.model_to_string()
    model = ChurnModel(
        version=version_name(trained_at, booster_text, calibration),
        booster_text=booster_text,
        trees=booster.dump_model(),
        features=list(features),
        categories=categories,
        calibration=calibration,
        reference=reference_bins(train),
        params={**params, "rounds": ROUNDS},
    )
    x_test, y_test = matrix(test, categories, features), _labels(test)
    model.explainer = explainer_for(model.trees, booster, x_test[:PARITY_ROWS])  # checked on real rows too
    probability = model.probability(x_test)
    metrics = classification_metrics(y_test, probability, high_threshold)
    contributions, _ = model.contributions(x_test)
    mean_abs = np.abs(contributions).mean(axis=0)
    importance = sorted(zip(features, mean_abs.tolist(), strict=True), key=lambda kv: -kv[1])
    train_dates, test_dates = train.dates(), test.dates()
    return Trained(
        model=model,
        metrics=metrics,
        train_rows=len(train),
        test_rows=len(test),
        train_start=train_dates[0],
        test_start=test_dates[0],
        test_end=test_dates[-1],
        importance=importance,
        split=split,
        test_set=test,
        test_probability=probability,
        baseline_auc=baseline_auc(train, test),
    )


def baseline_auc(train: Snapshots, test: Snapshots) -> float:
    """Test ROC AUC of the one-feature baseline: BASELINE_FEATURE alone, its direction taken from training."""
    sign = 1.0 if auc(_labels(train), train.columns[BASELINE_FEATURE].astype(np.float64)) >= 0.5 else -1.0
    return auc(_labels(test), sign * test.columns[BASELINE_FEATURE].astype(np.float64))


def _split(rows: Snapshots) -> tuple[Snapshots, Snapshots, Split]:
    """The SQL's purged split (churn_snapshots.sql): train and test rows; purged rows are dropped."""
    if rows.churned is None or rows.split is None:
        raise TrainingDataError("the training set has rows without a label; rebuild it with `c360 train`")
    train, test = rows.where(rows.split == "train"), rows.where(rows.split == "test")
    purged = rows.where(rows.split == "purged")
    split = Split(len(train.dates()), len(purged.dates()), len(test.dates()))
    if split.train_dates < 1 or split.test_dates < 1:
        raise TrainingDataError(
            f"the training set has {len(rows.dates())} labelled weekly snapshot(s) ({split.describe()}); training "
            f"needs at least {MIN_SNAPSHOTS}: one to train on, {PURGED_SNAPSHOTS} purged, one to test on"
        )
    if len(train) < MIN_TRAIN_ROWS:
        raise TrainingDataError(f"the training split has {len(train)} rows; training needs at least {MIN_TRAIN_ROWS}")
    _require_classes(_labels(test), "the test split", 1)
    return train, test, split


def _labels(rows: Snapshots) -> NDArray[np.bool_]:
    assert rows.churned is not None
    return rows.churned.astype(bool)


def _require_classes(y: NDArray[np.bool_], where: str, min_positives: int) -> None:
    positives = int(y.sum())
    if positives < min_positives or positives == len(y):
        raise TrainingDataError(
            f"{where} has {positives} cancellations among {len(y)} rows; training needs both classes and at "
            f"least {min_positives} cancellation(s)"
        )


def calibration_mask(subscriber_ids: NDArray[np.object_]) -> NDArray[np.bool_]:
    """The held-out calibration subscribers: a stable hash of the id, one in ``CALIBRATION_EVERY``."""
    return np.fromiter(
        (zlib.crc32(str(s).encode()) % CALIBRATION_EVERY == 0 for s in subscriber_ids),
        dtype=bool,
        count=len(subscriber_ids),
    )


def platt(raw: F64, y: NDArray[np.bool_]) -> Calibration:
    """Platt scaling: the logistic regression of the outcome on the raw score (unpenalised)."""
    fitted = LogisticRegression(C=np.inf, solver="lbfgs", max_iter=1000).fit(raw.reshape(-1, 1), y)
    return Calibration(slope=float(fitted.coef_[0][0]), intercept=float(fitted.intercept_[0]))


def version_name(trained_at: datetime, booster_text: str, calibration: Calibration) -> str:
    """``churn-gbm-YYYYMMDD-HHMMSS-<first 8 hex of the model's content hash>``."""
    digest = hashlib.sha256(f"{booster_text}{calibration.slope!r}{calibration.intercept!r}".encode()).hexdigest()
    return f"churn-gbm-{trained_at:%Y%m%d-%H%M%S}-{digest[:8]}"


def utcnow() -> datetime:
    """Now, UTC, without tzinfo (TIMESTAMP_NTZ)."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)
