"""The deploy gate: a candidate replaces the current model only when it is good, and no worse than it.

Four checks, all on the candidate's test split (the rows its metrics describe), each kept with its
numbers in CHURN_MODEL_GATE:

* ``min_test_auc``: test ROC AUC above ``C360_MODEL_MIN_TEST_AUC`` (the reference design's 0.80);
* ``not_worse_than_current``: the current model scores the same rows; the candidate is refused when the
  whole 95 % paired-bootstrap interval of (candidate AUC - current AUC) is below 0
  (``C360_MODEL_GATE_BOOTSTRAP`` resamples, fixed seed: the same data gives the same decision);
* ``beats_baseline``: test ROC AUC above the one-feature baseline (``reads_per_day_30d`` alone);
* ``calibration_error``: at most ``C360_MODEL_MAX_CALIBRATION_ERROR``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from c360.model.artifact import ChurnModel
from c360.model.checks import GATE_TABLE, Check
from c360.model.features import matrix
from c360.model.metrics import auc
from c360.model.train import BASELINE_FEATURE, Trained
from c360.warehouse import WarehouseConnection

CONFIDENCE = 0.95
_SEED = 0


@dataclass(frozen=True)
class Decision:
    """The gate's checks of one candidate."""

    checks: list[Check]

    @property
    def accepted(self) -> bool:
        """Deployed only when every check passed."""
        return all(c.passed for c in self.checks)

    def check(self, name: str) -> Check:
        """The check called ``name``."""
        return next(c for c in self.checks if c.name == name)

    def message(self, current_version: str | None) -> str:
        """The decision in words, naming the model that stays or is replaced."""
        if self.accepted:
            replaced = f"replaces {current_version}" if current_version else "the first current model"
            return f"{self.check('min_test_auc').detail}: deployed, {replaced}; " + "; ".join(
                c.detail for c in self.checks[1:]
            )
        stays = f"{current_version} stays current" if current_version else "there is no current model, so scoring stops"
        failed = "; ".join(c.detail for c in self.checks if not c.passed)
        return f"{failed}: rejected, {stays}"


@dataclass(frozen=True)
class Limits:
    """The gate's thresholds (the settings, or a procedure's arguments)."""

    min_test_auc: float
    max_calibration_error: float
    bootstrap: int


def decide(trained: Trained, current: ChurnModel | None, limits: Limits) -> Decision:
    """Run the four checks on the candidate's test split."""
    test_auc = trained.metrics["roc_auc"]
    checks = [
        Check(
            "min_test_auc",
            test_auc > limits.min_test_auc,
            test_auc,
            limits.min_test_auc,
            f"test ROC AUC {test_auc:.4f} {'>' if test_auc > limits.min_test_auc else 'is not above'} "
            f"{'' if test_auc > limits.min_test_auc else 'the deploy gate '}{limits.min_test_auc:.2f}",
        ),
        _against_current(trained, current, limits.bootstrap),
        Check(
            "beats_baseline",
            test_auc > trained.baseline_auc,
            test_auc,
            trained.baseline_auc,
            f"{'above' if test_auc > trained.baseline_auc else 'not above'} the one-feature baseline "
            f"({BASELINE_FEATURE} alone, ROC AUC {trained.baseline_auc:.4f})",
        ),
    ]
    error = trained.metrics["calibration_error"]
    within = error <= limits.max_calibration_error
    checks.append(
        Check(
            "calibration_error",
            within,
            error,
            limits.max_calibration_error,
            f"calibration error {error:.4f} {'within' if within else 'over'} the limit "
            f"{limits.max_calibration_error:g}",
        )
    )
    return Decision(checks)


def _against_current(trained: Trained, current: ChurnModel | None, resamples: int) -> Check:
    if current is None:
        return Check("not_worse_than_current", True, None, None, "no current model to compare with")
    test = trained.test_set
    assert test.churned is not None
    y = test.churned.astype(bool)
    p_current = current.probability(matrix(test, current.categories, current.features))
    p_candidate = trained.test_probability
    difference = auc(y, p_candidate) - auc(y, p_current)
    low, high = bootstrap_difference(y, p_candidate, p_current, resamples)
    passed = high >= 0
    return Check(
        "not_worse_than_current",
        passed,
        difference,
        0.0,
        f"ROC AUC {difference:+.4f} against {current.version} on the same {len(y):,} test rows "
        f"({CONFIDENCE:.0%} bootstrap interval {low:+.4f} to {high:+.4f}"
        f"{'' if passed else ', wholly below 0: worse'})",
    )


def bootstrap_difference(
    y: NDArray[np.bool_], p_a: NDArray[np.float64], p_b: NDArray[np.float64], resamples: int
) -> tuple[float, float]:
    """Percentile interval of AUC(a) - AUC(b) over paired resamples of the rows (one-class draws skipped)."""
    rng = np.random.default_rng(_SEED)
    differences = []
    for _ in range(resamples):
        rows = rng.integers(0, len(y), len(y))
        sample = y[rows]
        if sample.all() or not sample.any():
            continue
        differences.append(auc(sample, p_a[rows]) - auc(sample, p_b[rows]))
    if not differences:  # every resample drew a single class: no interval, only the point difference
        point = auc(y, p_a) - auc(y, p_b)
        return point, point
    tail = (1 - CONFIDENCE) / 2 * 100
    low, high = np.percentile(differences, [tail, 100 - tail])
    return float(low), float(high)


def record(conn: WarehouseConnection, model_version: str, decision: Decision) -> None:
    """Keep the decision's checks (call inside the registry's transaction)."""
    conn.execute(f"DELETE FROM {GATE_TABLE} WHERE model_version = :v", {"v": model_version})
    for c in decision.checks:
        conn.execute(
            f"INSERT INTO {GATE_TABLE} (model_version, check_name, passed, value, threshold, detail, recorded_at) "
            "VALUES (:v, :name, :passed, :value, :threshold, :detail, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ)",
            {
                "v": model_version,
                "name": c.name,
                "passed": c.passed,
                "value": c.value,
                "threshold": c.threshold,
                "detail": c.detail,
            },
        )
