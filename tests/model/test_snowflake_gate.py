"""The relative gate on Snowflake (models/marts/churn_model_gate.sql, run by SFE_TRAIN_CHURN_CLASSIFIER) on
fakesnow: the same four checks as gate.py on the same rows, recorded in CHURN_MODEL_GATE."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from numpy.typing import NDArray

from c360.model import checks, gate
from c360.model.metrics import auc, calibration_by_decile, calibration_error
from c360.warehouse import Warehouse
from tests.pipeline_sql.conftest import fakesnow_warehouse  # noqa: F401

GATE_SQL = Path(__file__).parents[2] / "pipeline_sql" / "models" / "marts" / "churn_model_gate.sql"
TABLES = [
    "CREATE SCHEMA IF NOT EXISTS SFE_ANALYTICS_MEDIA",
    "CREATE OR REPLACE TABLE SFE_ANALYTICS_MEDIA.CHURN_MODEL_GATE (model_version VARCHAR NOT NULL, check_name "
    "VARCHAR NOT NULL, passed BOOLEAN NOT NULL, value FLOAT, threshold FLOAT, detail VARCHAR NOT NULL, "
    "recorded_at TIMESTAMP_NTZ NOT NULL)",
    "CREATE OR REPLACE TABLE SFE_ANALYTICS_MEDIA.CHURN_TEST_PREDICTIONS (churned BOOLEAN, p FLOAT, p_current FLOAT)",
    "CREATE OR REPLACE TABLE SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING (subscriber_id VARCHAR, snapshot_date DATE, "
    "split VARCHAR, churned BOOLEAN, reads_per_day_30d FLOAT)",
]
LIMITS = gate.Limits(min_test_auc=0.80, max_calibration_error=0.02, bootstrap=100)
DAY = date(2026, 8, 30)
pytestmark = pytest.mark.slow  # fakesnow translates every statement: ~30 s a test on a busy machine


def _world(seed: int, current_noise: float | None) -> dict[str, Any]:
    """Test rows with a good candidate (and a current model of the given noise), train rows for the baseline."""
    rng = np.random.default_rng(seed)
    n = 800
    risk = rng.random(n) ** 4
    y = rng.random(n) < risk * 0.6
    p = np.clip(risk * 0.6 + rng.normal(0, 0.01, n), 0.0005, 0.9995)
    p_current = None if current_noise is None else np.clip(risk * 0.6 + rng.normal(0, current_noise, n), 0.0005, 1)
    reads = np.round(10 * (1 - risk) + rng.normal(0, 3, n), 1)  # fewer reads, more risk: direction -1
    return {"y": y, "p": p, "p_current": p_current, "reads": reads}


def _run_gate(warehouse: Warehouse, world: dict[str, Any]) -> list[dict[str, Any]]:
    y, p, p_current, reads = world["y"], world["p"], world["p_current"], world["reads"]
    with warehouse.connect() as conn:
        for ddl in TABLES:
            conn.execute(ddl)
        predictions = ", ".join(
            f"({bool(y[i])}, {float(p[i])!r}, {'NULL' if p_current is None else repr(float(p_current[i]))})"
            for i in range(len(y))
        )
        conn.execute(f"INSERT INTO SFE_ANALYTICS_MEDIA.CHURN_TEST_PREDICTIONS VALUES {predictions}")
        train_day = DAY - timedelta(days=35)
        training = ", ".join(
            f"('s{i:05d}', '{DAY}', 'test', {bool(y[i])}, {float(reads[i])!r}), "
            f"('s{i:05d}', '{train_day}', 'train', {bool(y[::-1][i])}, {float(reads[::-1][i])!r})"
            for i in range(len(y))
        )
        conn.execute(f"INSERT INTO SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING VALUES {training}")
        conn.execute(
            GATE_SQL.read_text(),
            {
                "model_version": "churn-sfml-candidate",
                "current_version": None if p_current is None else "churn-sfml-current",
                "min_auc": LIMITS.min_test_auc,
                "max_calibration_error": LIMITS.max_calibration_error,
                "bootstrap": LIMITS.bootstrap,
            },
        )
        return conn.query(
            f"SELECT check_name, passed, value, threshold, detail FROM {checks.GATE_TABLE} "
            "WHERE model_version = 'churn-sfml-candidate' ORDER BY check_name"
        )


def _by_name(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {str(r["check_name"]): r for r in rows}


def _baseline(y: NDArray[np.bool_], reads: NDArray[np.float64]) -> float:
    sign = 1.0 if auc(y[::-1], reads[::-1]) >= 0.5 else -1.0
    return auc(y, sign * reads)


def test_the_snowflake_gate_computes_gate_pys_numbers_on_the_same_rows(fakesnow_warehouse: Warehouse) -> None:  # noqa: F811
    world = _world(0, current_noise=0.15)
    checks = _by_name(_run_gate(fakesnow_warehouse, world))
    y, p, p_current = world["y"], world["p"], world["p_current"]
    assert set(checks) == {"min_test_auc", "not_worse_than_current", "beats_baseline", "calibration_error"}
    assert checks["min_test_auc"]["value"] == pytest.approx(auc(y, p), abs=1e-12)
    assert checks["min_test_auc"]["passed"] is True
    assert checks["beats_baseline"]["threshold"] == pytest.approx(_baseline(y, world["reads"]), abs=1e-12)
    assert checks["calibration_error"]["value"] == pytest.approx(
        calibration_error(calibration_by_decile(y, p)), abs=1e-12
    )
    better = checks["not_worse_than_current"]
    assert better["value"] == pytest.approx(auc(y, p) - auc(y, p_current), abs=1e-12)
    low, _ = gate.bootstrap_difference(y, p, p_current, LIMITS.bootstrap)
    assert better["passed"] is True and low > 0  # clearly better by gate.py's interval, passed here too
    assert "against churn-sfml-current on the same 800 test rows" in better["detail"]


def test_a_deliberately_worse_candidate_is_refused_on_snowflake(fakesnow_warehouse: Warehouse) -> None:  # noqa: F811
    world = _world(1, current_noise=0.15)
    world["p"], world["p_current"] = world["p_current"], world["p"]  # the candidate is the noisy one
    checks = _by_name(_run_gate(fakesnow_warehouse, world))
    worse = checks["not_worse_than_current"]
    _, high = gate.bootstrap_difference(world["y"], world["p"], world["p_current"], LIMITS.bootstrap)
    assert high < 0  # gate.py refuses it
    assert worse["passed"] is False and "wholly below 0: worse" in worse["detail"]


def test_without_a_current_model_the_comparison_passes_and_says_so(fakesnow_warehouse: Warehouse) -> None:  # noqa: F811
    checks = _by_name(_run_gate(fakesnow_warehouse, _world(2, current_noise=None)))
    first = checks["not_worse_than_current"]
    assert first["passed"] is True and first["value"] is None and first["detail"] == "no current model to compare with"
