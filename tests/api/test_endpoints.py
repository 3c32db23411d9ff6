"""What each endpoint answers, over real HTTP, against the published fixture data."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from api.app import create_app
from c360.serving.migrate import upgrade
from tests.api.conftest import Served, make_settings
from tests.api.test_auth import assert_problem
from tests.conftest import TLS
from tests.serving.backends import Backend, live_server
from tests.serving.data import MODEL_VERSION, SCORE_DATE, tier


def test_the_profile_joins_dimension_engagement_tickets_and_health(served: Served) -> None:
    body = served.client().get("/v1/subscribers/sub-0005").json()
    score = served.expected.scored["sub-0005"]
    assert body == {
        "subscriber_id": "sub-0005",
        "status": "active",
        "plan": "premium",  # PLANS[5 % 3]
        "signup_date": (SCORE_DATE - timedelta(days=40 + 45)).isoformat(),
        "tenure_days": 85,
        "lifetime_value": 29.97,  # signed up 85 days ago: 3 monthly payments of 9.99
        "demographic_segment": "Young Professionals",
        "as_of_date": SCORE_DATE.isoformat(),
        "cancelled_at": None,
        # 5 reading days: 2..6 articles (20), 120 s each, sections 1, 2, 3, 1, 2; last read 3 days before
        "engagement_30d": {
            "articles_viewed": 20,
            "total_time_spent": 2400,
            "distinct_sections": 3,
            "days_since_last_read": 3,
        },
        "support_tickets_90d": 1,
        "health": body["health"],
    }
    assert body["health"]["churn_risk_score"] == pytest.approx(score)
    assert body["health"]["risk_tier"] == tier(score)


def test_health_score_history_tiers_and_model(served: Served) -> None:
    client = served.client()
    score = client.get("/v1/subscribers/sub-0002/health-score").json()
    assert set(score) == {
        "subscriber_id", "churn_risk_score", "risk_tier", "previous_risk_tier", "score_date", "scored_at",
        "model_version", "drivers", "updated_at", "removed", "removal",
    }  # fmt: skip
    assert (score["removed"], score["removal"]) == (False, None)
    assert score["drivers"][0] == {
        "feature": "days_since_last_read", "label": "Days since the last article read", "value": 12.0,
        "contribution": score["churn_risk_score"] / 2, "direction": "increases_risk", "importance": None,
    }  # fmt: skip
    assert (score["score_date"], score["model_version"]) == (SCORE_DATE.isoformat(), MODEL_VERSION)
    history = client.get("/v1/subscribers/sub-0002/health-score/history", params={"limit": 5}).json()
    assert [h["run_id"] for h in history["data"]] == ["run-1"]
    tiers = client.get("/v1/risk-tiers").json()
    counts = {t["tier"]: t["count"] for t in tiers["tiers"]}
    scores = served.expected.scored.values()
    assert counts == {name: sum(tier(s) == name for s in scores) for name in ("High", "Medium", "Low")}
    assert tiers["score_date"] == SCORE_DATE.isoformat() and tiers["scored"] == len(served.expected.scored)
    assert [(t["min_score"], t["max_score"]) for t in tiers["tiers"]] == [(0.3, None), (0.1, 0.3), (0.0, 0.1)]
    model = client.get("/v1/models/current").json()
    assert model["version"] == MODEL_VERSION and model["metrics"]["roc_auc"] == 0.81
    assert model["features"][0] == "engagement_score"
    assert_problem(client.get("/v1/subscribers/sub-0010/health-score"), 404, "not-found")  # profile, no score


def test_before_the_first_publish_lists_are_empty_and_lookups_404(tmp_path: Path) -> None:
    from c360.auth.keys import create_key
    from c360.serving.store import Store

    settings = make_settings(tmp_path, Backend("sqlite", None, None, "c360test:"))
    upgrade(settings)
    _, key = create_key(Store.from_settings(settings), name="demo", scopes=["admin"])
    with live_server(create_app(settings)) as url, httpx.Client(verify=TLS, base_url=url) as client:
        client.headers["Authorization"] = f"Bearer {key}"
        assert client.get("/v1/health-scores").json() == {"data": [], "next_cursor": None}
        for path in ("/v1/subscribers/sub-0001/health-score", "/v1/risk-tiers", "/v1/models/current"):
            assert "c360 publish" in str(assert_problem(client.get(path), 404, "no-served-run")["detail"])
        ready = client.get("/readyz").json()
        assert ready["stale"] is True and ready["run_id"] is None
