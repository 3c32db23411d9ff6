"""Drift on Snowflake: training keeps each feature's bins (churn_feature_reference.sql), scoring records PSI
in FCT_SCORING_MONITOR (scoring_drift.sql), on fakesnow; the numbers are monitor.py's on the same rows."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from c360.model import monitor
from c360.model.features import FEATURES, Snapshots
from c360.warehouse import Warehouse
from pipeline_sql.scripts import render_model
from tests.pipeline_sql.conftest import fakesnow_warehouse  # noqa: F401

DAY = date(2026, 11, 24)
NUMERIC = [f.name for f in FEATURES if f.kind == "numeric"]
pytestmark = pytest.mark.slow  # fakesnow translates every statement: tens of seconds on a busy machine


def _rows(seed: int, n: int, shift: float) -> Snapshots:
    rng = np.random.default_rng(seed)
    columns: dict[str, Any] = {name: np.round(rng.gamma(2.0 + shift, 3.0, n), 1) for name in NUMERIC}
    columns["failed_payments_30d"] = rng.integers(0, 2 + int(shift * 3), n).astype(float)  # ties merge bins
    plans = ["basic", "premium", "family"] + (["student"] if shift else [])  # an unseen plan when shifted
    columns["plan"] = np.array(rng.choice(plans, n), dtype=object)
    columns["acquisition_channel"] = np.array(rng.choice(["search", "social"], n), dtype=object)
    ids = np.array([f"s{i:04d}" for i in range(n)], dtype=object)
    return Snapshots(ids, np.full(n, np.datetime64(DAY)), columns, None, None)


def _load(conn: Any, table: str, rows: Snapshots, extra: dict[str, str]) -> None:
    names = [*NUMERIC, "plan", "acquisition_channel"]
    conn.execute(
        f"CREATE OR REPLACE TABLE {table} ({', '.join(extra)}, "
        + ", ".join(f"{n} {'VARCHAR' if n in ('plan', 'acquisition_channel') else 'FLOAT'}" for n in names)
        + ")"
    )
    values = ", ".join(
        "("
        + ", ".join(
            [
                *extra.values(),
                *(
                    repr(str(rows.columns[n][i]))
                    if n in ("plan", "acquisition_channel")
                    else repr(float(rows.columns[n][i]))
                    for n in names
                ),
            ]
        )
        + ")"
        for i in range(len(rows))
    )
    conn.execute(f"INSERT INTO {table} VALUES {values}")


def test_snowflake_scoring_records_the_psi_monitor_py_computes(fakesnow_warehouse: Warehouse) -> None:  # noqa: F811
    train, scoring = _rows(0, 400, 0.0), _rows(1, 300, 1.5)
    with fakesnow_warehouse.connect() as conn:
        conn.execute("CREATE SCHEMA IF NOT EXISTS SFE_ANALYTICS_MEDIA")
        for script in ("V005__model_layer.sql", "V007__drift_reference.sql"):
            for ddl in (Path(__file__).parents[2] / "pipeline_sql" / "migrations" / script).read_text().split(";"):
                if "CREATE TABLE IF NOT EXISTS SFE_ANALYTICS_MEDIA.FCT_SCORING_MONITOR" in ddl or (
                    "CHURN_FEATURE_REFERENCE" in ddl and "CREATE TABLE" in ddl
                ):
                    conn.execute(ddl[ddl.index("CREATE TABLE") :])
        _load(conn, "SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING", train, {"split VARCHAR": "'train'"})
        _load(
            conn,
            "SFE_ANALYTICS_MEDIA.FCT_CHURN_SCORING_FEATURES",
            scoring,
            {"snapshot_date DATE": f"'{DAY}'"},
        )
        conn.execute(render_model("models/marts/churn_feature_reference.sql"), {"model_version": "churn-sfml-1"})
        conn.execute(
            render_model("models/marts/scoring_drift.sql"),
            {"model_version": "churn-sfml-1", "as_of": DAY, "run_id": "run-1"},
        )
        recorded = conn.query(
            "SELECT name, value FROM SFE_ANALYTICS_MEDIA.FCT_SCORING_MONITOR WHERE metric = 'psi' AND run_id = 'run-1'"
        )
        reference = conn.query(
            "SELECT feature, bin, upper_edge, share FROM SFE_ANALYTICS_MEDIA.CHURN_FEATURE_REFERENCE "
            "WHERE category IS NULL ORDER BY feature, bin"
        )
    expected_reference = monitor.reference_bins(train)
    edges = [r["upper_edge"] for r in reference if r["feature"] == "engagement_score" and r["upper_edge"] is not None]
    assert edges == pytest.approx(expected_reference["engagement_score"]["edges"], abs=1e-12)
    shares = [r["share"] for r in reference if r["feature"] == "failed_payments_30d"]
    assert shares == pytest.approx(expected_reference["failed_payments_30d"]["shares"], abs=1e-12)
    expected = monitor.drift(expected_reference, scoring)
    psi = {str(r["name"]): float(r["value"]) for r in recorded}
    assert set(psi) == set(expected)
    for feature, value in expected.items():
        assert psi[feature] == pytest.approx(value, abs=1e-9), feature
    assert psi["plan"] > monitor.PSI_SHIFT  # the unseen plan drifts, so SFE_MONITOR_MODEL's alert fires
