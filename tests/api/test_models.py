"""The model lifecycle over HTTP: every registered model with its gate decision, and realised performance,
copied into the serving store by each publish (the API never queries the warehouse)."""

from __future__ import annotations

from datetime import timedelta

from c360.serving.publish import publish
from c360.webhooks.outbox import record_events
from tests.api.conftest import Servers
from tests.api.test_auth import assert_problem
from tests.serving.data import MODEL_VERSION, SCORE_DATE, add_scoring_run

CLOSED = SCORE_DATE - timedelta(days=40)  # a score date whose 30-day window has closed


def test_models_and_their_realised_performance_are_served_after_a_publish(servers: Servers) -> None:
    served = servers.start(api_run_check_interval=0)
    client = served.client()
    assert [m["model_version"] for m in client.get("/v1/models").json()["data"]] == [MODEL_VERSION]
    with served.warehouse.connect() as conn:  # what training's gate and the monitoring task write
        conn.execute(
            "INSERT INTO SFE_ANALYTICS_MEDIA.CHURN_MODEL_GATE (model_version, check_name, passed, value, threshold, "
            "detail, recorded_at) VALUES (:v, 'auc_above_gate', TRUE, 0.81, 0.8, 'test ROC AUC 0.8100 > 0.80', "
            "CURRENT_TIMESTAMP()::TIMESTAMP_NTZ)",
            {"v": MODEL_VERSION},
        )
        for metric, name, value in [
            ("roc_auc", "all", 0.83), ("rows", "all", 36.0), ("brier", "all", 0.05),
            ("decile_rows", "10", 4.0), ("decile_predicted", "10", 0.61), ("decile_observed", "10", 0.5),
            ("tier_rows", "High", 20.0), ("tier_precision", "High", 0.25),
        ]:  # fmt: skip
            conn.execute(
                "INSERT INTO SFE_ANALYTICS_MEDIA.FCT_MODEL_PERFORMANCE (score_date, model_version, metric, name, "
                "value, run_id, recorded_at) VALUES (:day, :v, :metric, :name, :value, 'monitor-1', "
                "CURRENT_TIMESTAMP()::TIMESTAMP_NTZ)",
                {"day": CLOSED, "v": MODEL_VERSION, "metric": metric, "name": name, "value": value},
            )
    add_scoring_run(served.warehouse, "run-2", served.expected.scored, score_date=SCORE_DATE + timedelta(days=1))
    publish(served.settings, outbox=record_events, warehouse=served.warehouse)

    model = client.get("/v1/models").json()["data"][0]
    assert model["model_version"] == MODEL_VERSION and model["status"] == "current"
    assert model["gate"] == [
        {"check": "auc_above_gate", "passed": True, "value": 0.81, "threshold": 0.8,
         "detail": "test ROC AUC 0.8100 > 0.80"},
    ]  # fmt: skip
    performance = client.get(f"/v1/models/{MODEL_VERSION}/performance").json()
    assert performance["model_version"] == MODEL_VERSION
    [day] = performance["data"]
    assert day["score_date"] == CLOSED.isoformat()
    assert (day["metrics"]["roc_auc"], day["metrics"]["rows"]) == (0.83, 36.0)
    assert day["deciles"] == [{"decile": 10.0, "rows": 4.0, "predicted": 0.61, "observed": 0.5}]
    assert day["tiers"] == {"High": {"rows": 20.0, "precision": 0.25}}
    assert_problem(client.get("/v1/models/no-such-model/performance"), 404, "not-found")
