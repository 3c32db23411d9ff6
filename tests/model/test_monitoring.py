"""Outcome monitoring: realised metrics per closed score date (checked against scikit-learn on the same rows),
drift and AUC alerts, and the lifecycle records the CLI and the API read."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import brier_score_loss, roc_auc_score

from c360.model import lifecycle
from c360.model.errors import ModelNotFound
from c360.model.outcomes import MonitorOutcome, monitor_model
from c360.settings import Settings
from c360.warehouse import Warehouse
from tests.conftest import run_cli
from tests.model.conftest import AS_OF, LATEST_LABELLED, Built

pytestmark = pytest.mark.slow  # needs the trained model and scores past days

CLOSED = (LATEST_LABELLED - timedelta(days=7), LATEST_LABELLED)  # score dates whose 30 days have passed


@dataclass(frozen=True)
class Monitored:
    home: Path
    warehouse: Warehouse
    first: MonitorOutcome
    second: MonitorOutcome


@pytest.fixture(scope="module")
def monitored(trained: Built, tmp_path_factory: pytest.TempPathFactory) -> Monitored:
    """The trained home with two past days scored, monitored twice as of AS_OF (PSI limit 0.01, gate 0.99)."""
    from c360.pipeline.model_steps import score_subscribers

    home = tmp_path_factory.mktemp("monitored") / "home"
    warehouse = trained.copy(home)
    for day in CLOSED:
        score_subscribers(warehouse, as_of=day)
    strict = Settings(home=home, model_psi_alert=0.01, model_min_test_auc=0.99)
    first = monitor_model(warehouse=warehouse, settings=strict, as_of=AS_OF)
    second = monitor_model(warehouse=warehouse, settings=strict, as_of=AS_OF)
    return Monitored(home, warehouse, first, second)


def _realised(warehouse: Warehouse, day: date) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Scores of ``day`` and, computed here independently, who cancelled on days day + 1 .. day + 30."""
    with warehouse.connect() as conn:
        scores = conn.query(
            "SELECT subscriber_id, churn_risk_score, risk_tier FROM SFE_ANALYTICS_MEDIA.FCT_CUSTOMER_HEALTH_SCORES "
            "WHERE score_date = :d ORDER BY subscriber_id",
            {"d": day},
        )
        cancels = conn.query(
            "SELECT subscriber_id, event_timestamp FROM SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS "
            "WHERE is_valid AND event_type = 'cancel'"
        )
    start, end = day + timedelta(days=1), day + timedelta(days=31)
    cancelled = {c["subscriber_id"] for c in cancels if start <= c["event_timestamp"].date() < end}
    ids = [s["subscriber_id"] for s in scores]
    p = np.array([s["churn_risk_score"] for s in scores])
    y = np.array([i in cancelled for i in ids])
    tiers = np.array([s["risk_tier"] for s in scores])
    return ids, p, y, tiers


def test_realised_metrics_match_scikit_learn_on_the_same_rows(monitored: Monitored) -> None:
    version = monitored.first.new_alerts[0].model_version
    records = lifecycle.model_performance(warehouse=monitored.warehouse, model_version=version)
    assert [r.score_date for r in records] == list(CLOSED)  # AS_OF's own window is still open
    for record in records:
        ids, p, y, tiers = _realised(monitored.warehouse, record.score_date)
        m = record.metrics
        assert m["rows"] == len(ids) and m["positives"] == y.sum() > 0
        assert m["roc_auc"] == pytest.approx(roc_auc_score(y, p), abs=1e-9)
        assert m["brier"] == pytest.approx(brier_score_loss(y, p), abs=1e-9)
        order = np.lexsort((np.array(ids), p))  # by score, ties by subscriber
        parts = np.array_split(order, 10)
        assert [d["rows"] for d in record.deciles] == [len(part) for part in parts]
        assert [d["observed"] for d in record.deciles] == pytest.approx([y[part].mean() for part in parts])
        assert [d["predicted"] for d in record.deciles] == pytest.approx([p[part].mean() for part in parts])
        error = sum(len(part) * abs(p[part].mean() - y[part].mean()) for part in parts) / len(p)
        assert m["calibration_error"] == pytest.approx(error, abs=1e-9)
        assert m["top_decile_lift"] == pytest.approx(y[parts[-1]].mean() / y.mean())
        for tier, values in record.tiers.items():
            assert values["rows"] == (tiers == tier).sum()
            assert values["precision"] == pytest.approx(y[tiers == tier].mean())
        assert json.loads(json.dumps(record.to_dict()))["score_date"] == str(record.score_date)


def test_alerts_are_raised_once_for_drift_and_realised_auc(monitored: Monitored) -> None:
    kinds = {(a.kind, a.score_date) for a in monitored.first.new_alerts}
    # a realised AUC not above 0.99 on each closed date; PSI above 0.01 on some feature of each scored date
    assert {("realised_auc_below_gate", d) for d in CLOSED} <= kinds
    assert {d for k, d in kinds if k == "feature_drift"} == {*CLOSED, AS_OF}
    assert "new alert(s)" in monitored.first.result
    assert monitored.second.new_alerts == []  # the same findings again: nothing new
    alerts = lifecycle.list_alerts(warehouse=monitored.warehouse)
    assert len(alerts) == len(monitored.first.new_alerts)
    auc_alert = next(a for a in alerts if a.kind == "realised_auc_below_gate")
    assert "not above 0.99" in auc_alert.message and auc_alert.to_dict()["threshold"] == 0.99
    with monitored.warehouse.connect() as conn:
        rows = conn.scalar("SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.FCT_MODEL_PERFORMANCE")
        distinct = conn.scalar(
            "SELECT COUNT(*) FROM (SELECT DISTINCT score_date, metric, name "
            "FROM SFE_ANALYTICS_MEDIA.FCT_MODEL_PERFORMANCE) AS d"
        )
    assert rows == distinct > 0  # the second run added no performance rows either


def test_model_records_carry_the_gate_decision(monitored: Monitored) -> None:
    models = lifecycle.list_models(warehouse=monitored.warehouse)
    assert len(models) == 1
    record = lifecycle.get_model(warehouse=monitored.warehouse, model_version=models[0].entry.model_version)
    names = [c.name for c in record.checks]
    assert names == ["min_test_auc", "not_worse_than_current", "beats_baseline", "calibration_error"]
    document = record.to_dict()
    assert document["status"] == "current" and all(c["passed"] for c in document["gate"])
    assert document["gate"][2]["threshold"] == document["metrics"]["baseline_roc_auc"]
    with pytest.raises(ModelNotFound):
        lifecycle.get_model(warehouse=monitored.warehouse, model_version="churn-gbm-nope")
    with pytest.raises(ModelNotFound):
        lifecycle.model_performance(warehouse=monitored.warehouse, model_version="churn-gbm-nope")


def test_monitor_and_models_list_commands(monitored: Monitored, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    shutil.copy(monitored.home / "warehouse.duckdb", home / "warehouse.duckdb")
    shutil.copytree(monitored.home / "models", home / "models")
    listed = run_cli("models", "list")
    assert listed.returncode == 0, listed.stderr
    assert "pass min_test_auc" in listed.stdout and "pass beats_baseline" in listed.stdout
    as_json = json.loads(run_cli("models", "list", "--json").stdout)
    assert as_json[0]["gate"][0]["check"] == "min_test_auc"
    # a lower PSI limit finds drift not alerted before; with retraining on, a candidate is trained
    monkeypatch.setenv("C360_MODEL_PSI_ALERT", "0.001")
    monkeypatch.setenv("C360_MODEL_RETRAIN_ON_ALERT", "1")
    result = run_cli("monitor", "--as-of", str(AS_OF), "--json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["new_alerts"] and all(a["kind"] == "feature_drift" for a in document["new_alerts"])
    assert document["retrained"] and "churn-gbm-" in document["retrained"]
