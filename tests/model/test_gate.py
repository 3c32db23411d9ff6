"""The relative deploy gate: a worse candidate is refused against the current model on the same test rows."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from c360.model import gate, registry
from c360.model.artifact import ChurnModel, load
from c360.model.features import Snapshots, read_training_set
from c360.model.train import Trained, fit, utcnow
from c360.settings import Settings
from c360.warehouse import DuckDBConnection, Warehouse
from tests.model.conftest import Built

LIMITS = gate.Limits(min_test_auc=0.80, max_calibration_error=0.02, bootstrap=200)
READING = ("engagement_score", "reads_per_day_30d", "engagement_trend", "days_since_last_read")


@pytest.fixture(scope="module")
def current_and_rows(trained: Built) -> tuple[ChurnModel, Snapshots]:
    warehouse = Warehouse.from_settings(Settings(home=trained.home))
    with warehouse.connect() as conn:
        assert isinstance(conn, DuckDBConnection)
        rows = read_training_set(conn)
        entry = registry.current(conn)
    assert entry is not None
    return load(registry.artifact_path(entry, trained.home), entry.artifact_sha256), rows


def _fit(rows: Snapshots) -> Trained:
    return fit(rows, trained_at=utcnow(), threads=1, high_threshold=0.3)


@pytest.mark.slow  # needs the trained model
def test_a_deliberately_worse_candidate_is_refused(current_and_rows: tuple[ChurnModel, Snapshots]) -> None:
    current, rows = current_and_rows
    # the candidate never learns from reading: its reading features are shuffled across the training rows
    rng = np.random.default_rng(0)
    train = np.flatnonzero(rows.split == "train")
    columns = dict(rows.columns)
    for name in READING:
        shuffled = columns[name].copy()
        shuffled[train] = shuffled[rng.permutation(train)]
        columns[name] = shuffled
    worse = _fit(replace(rows, columns=columns))
    decision = gate.decide(worse, current, LIMITS)
    check = decision.check("not_worse_than_current")
    assert not decision.accepted and not check.passed
    assert check.value is not None and check.value < 0
    assert f"against {current.version} on the same {len(worse.test_set):,} test rows" in check.detail
    assert "wholly below 0: worse" in check.detail
    assert f"{current.version} stays current" in decision.message(current.version)


@pytest.mark.slow  # needs the trained model
def test_an_equal_candidate_passes_and_the_numbers_are_honest(current_and_rows: tuple[ChurnModel, Snapshots]) -> None:
    current, rows = current_and_rows
    same = _fit(rows)  # the same data trains the same model as the current one
    decision = gate.decide(same, current, LIMITS)
    assert decision.accepted, decision.message(current.version)
    assert decision.check("not_worse_than_current").value == pytest.approx(0.0, abs=1e-12)
    test = same.test_set
    assert test.churned is not None
    y = test.churned.astype(bool)
    # the baseline: reads_per_day_30d alone (fewer reads, more risk), as scikit-learn scores it
    assert same.baseline_auc == pytest.approx(roc_auc_score(y, -test.columns["reads_per_day_30d"]), abs=1e-12)
    assert decision.check("beats_baseline").threshold == same.baseline_auc < same.metrics["roc_auc"]
    assert decision.check("calibration_error").value == same.metrics["calibration_error"] <= 0.02


@pytest.mark.slow  # needs the trained model
def test_the_calibration_limit_and_the_floor_refuse_on_their_own(
    current_and_rows: tuple[ChurnModel, Snapshots],
) -> None:
    current, rows = current_and_rows
    same = _fit(rows)
    strict = gate.decide(same, current, replace(LIMITS, max_calibration_error=1e-6))
    assert not strict.accepted and [c.name for c in strict.checks if not c.passed] == ["calibration_error"]
    high_floor = gate.decide(same, None, replace(LIMITS, min_test_auc=0.99))
    assert [c.name for c in high_floor.checks if not c.passed] == ["min_test_auc"]
    assert "is not above the deploy gate 0.99" in high_floor.message(None)


def test_bootstrap_interval_brackets_the_difference() -> None:
    rng = np.random.default_rng(1)
    y = rng.random(3000) < 0.1
    good = y + rng.normal(0, 0.6, 3000)
    bad = y + rng.normal(0, 1.5, 3000)
    low, high = gate.bootstrap_difference(y, good, bad, 200)
    from c360.model.metrics import auc

    assert low < auc(y, good) - auc(y, bad) < high
    assert low > 0  # clearly better
    assert gate.bootstrap_difference(y, good, bad, 200) == (low, high)  # fixed seed
