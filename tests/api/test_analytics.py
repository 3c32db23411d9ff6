"""``/v1/analytics`` over HTTP: the dashboard's aggregates, copied into the serving store by each publish."""

from __future__ import annotations

from datetime import timedelta

import pytest
from aiohttp import web

from c360.auth.keys import create_key
from c360.serving.publish import publish
from c360.webhooks import endpoints
from c360.webhooks.delivery import Engine
from c360.webhooks.outbox import record_events
from tests.api.analytics_data import BOT_VIEWS, DEVICES, FEATURES, add_analytics_sources
from tests.api.conftest import Served, Servers
from tests.api.test_auth import assert_problem
from tests.serving.data import MODEL_VERSION, SCORE_DATE, add_scoring_run
from tests.webhooks.receiver import Delivery, Receiver

NEXT_DAY = SCORE_DATE + timedelta(days=1)


@pytest.fixture
def published(servers: Servers) -> Served:
    """A store where a second run was published after the monitor, importance, device and bot rows landed."""
    served = servers.start(api_run_check_interval=0)
    add_analytics_sources(served.warehouse, score_date=NEXT_DAY)
    add_scoring_run(served.warehouse, "run-2", served.expected.scored, score_date=NEXT_DAY)
    publish(served.settings, outbox=record_events, warehouse=served.warehouse)
    served.keys["analytics"] = create_key(served.store, name="dash", scopes=["analytics:read"])[1]
    return served


def test_tier_history_has_the_monitor_days_and_the_published_runs(published: Served) -> None:
    client = published.client("analytics")
    days = client.get("/v1/analytics/risk-tiers/history").json()["data"]
    assert [d["score_date"] for d in days] == sorted(d["score_date"] for d in days)
    last = days[-1]
    assert last["score_date"] == NEXT_DAY.isoformat() and last["run_id"] == "run-2"
    scores = published.expected.scored.values()
    assert last["scored"] == len(scores) == sum(last["tiers"].values())
    assert last["mean_score"] == pytest.approx(sum(scores) / len(scores))
    assert days[-2]["score_date"] == SCORE_DATE.isoformat()  # the monitor's day (replacing run-1's own)
    assert days[-2]["tiers"] == {"High": 6, "Medium": 10, "Low": 20}


def test_engagement_is_split_by_plan_segment_and_device_with_bots_apart(published: Served) -> None:
    client = published.client("analytics")
    by_plan = client.get("/v1/analytics/engagement", params={"grain": "day", "by": "plan"}).json()
    by_segment = client.get("/v1/analytics/engagement", params={"grain": "day", "by": "segment"}).json()
    daily = client.get("/v1/analytics/engagement", params={"grain": "day", "by": "device"}).json()
    weekly = client.get("/v1/analytics/engagement", params={"grain": "week", "by": "device"}).json()
    assert by_plan["data"] and {p["group"] for p in by_plan["data"]} <= {"basic", "standard", "premium", "unknown"}
    assert sum(p["views"] for p in by_plan["data"]) == sum(p["views"] for p in by_segment["data"])
    assert sum(p["views"] for p in daily["data"]) == sum(p["views"] for p in weekly["data"]) > 0  # views add up
    assert {p["group"] for p in weekly["data"]} == set(DEVICES)
    assert sum(b["views"] for b in by_plan["bots_filtered"]) == BOT_VIEWS
    assert all(p["readers"] <= p["views"] for p in weekly["data"])
    assert_problem(client.get("/v1/analytics/engagement", params={"grain": "month"}), 422, "validation-error")


def test_cohorts_retention_and_churn(published: Served) -> None:
    body = published.client("analytics").get("/v1/analytics/cohorts").json()
    assert body["by"] == "signup_month" and body["cohorts"]
    for cohort in body["cohorts"]:
        assert cohort["retention"][0]["month"] == 0
        assert all(0 <= m["rate"] <= 1 for m in cohort["retention"])
    assert sum(c["subscribers"] for c in body["cohorts"]) == sum(c["subscribers"] for c in body["churn"])
    assert all(0 <= c["churn_rate"] <= 1 for c in body["churn"])


def test_feature_importance_and_drift(published: Served) -> None:
    client = published.client("analytics")
    importance = client.get(f"/v1/analytics/models/{MODEL_VERSION}/feature-importance").json()
    assert [f["feature"] for f in importance["data"]] == list(FEATURES)
    assert all(f["label"] for f in importance["data"])
    assert_problem(client.get("/v1/analytics/models/nope/feature-importance"), 404, "not-found")
    drift = client.get("/v1/analytics/drift").json()["data"]
    assert {d["feature"] for d in drift} == set(FEATURES) and len(drift) == 3 * len(FEATURES)


def test_webhook_statistics_need_the_analytics_scope(published: Served) -> None:
    assert published.client("analytics").get("/v1/analytics/webhooks").json() == {"data": []}
    assert_problem(published.client("reader").get("/v1/analytics/webhooks"), 403, "forbidden")


def test_webhook_failures_show_the_receivers_response_only_to_a_key_that_reads_scores(published: Served) -> None:
    # a receiver may echo the payload it failed on (subscriber, score, tier): analytics:read alone saw it here,
    # while the webhook routes show messages and attempts only to scores:read
    async def echo(delivery: Delivery) -> web.Response:
        return web.Response(status=500, body=b"could not process " + delivery.body)

    receiver = Receiver(echo).start()
    try:
        settings = published.settings.model_copy(
            update={"webhook_allow_private_urls": True, "webhook_retry_schedule": ""}
        )
        endpoints.create(published.store, settings, url=receiver.url, event_types=["subscriber.risk_tier.changed"])
        scores = {k: 0.99 for k in published.expected.scored}  # everyone changes tier
        add_scoring_run(published.warehouse, "run-3", scores, score_date=NEXT_DAY + timedelta(days=1))
        publish(settings, outbox=record_events, warehouse=published.warehouse)
        Engine(settings).run_until_idle()
    finally:
        receiver.close()
    published.keys["dashboard"] = create_key(
        published.store, name="dashboard", scopes=["analytics:read", "scores:read"]
    )[1]
    (alone,) = published.client("analytics").get("/v1/analytics/webhooks").json()["data"]
    (full,) = published.client("dashboard").get("/v1/analytics/webhooks").json()["data"]
    assert alone["url"] == full["url"] == receiver.url  # with its port
    assert alone["recent_failures"] and all(f["response"] is None for f in alone["recent_failures"])
    assert all("could not process" in f["response"] for f in full["recent_failures"])
    assert [f["message_id"] for f in alone["recent_failures"]] == [f["message_id"] for f in full["recent_failures"]]


def test_leaderboard_is_riskiest_first_and_filtered(published: Served) -> None:
    client = published.client("analytics")
    everyone = client.get("/v1/analytics/leaderboard", params={"limit": 1000}).json()["data"]
    scores = [row["churn_risk_score"] for row in everyone]
    assert scores == sorted(scores, reverse=True) and len(everyone) == len(published.expected.scored)
    assert everyone[0]["subscriber_id"] == max(published.expected.scored, key=lambda i: published.expected.scored[i])
    plan = everyone[0]["plan"]
    high = client.get("/v1/analytics/leaderboard", params={"risk_tier": "High", "plan": plan, "min_score": 0.3})
    rows = high.json()["data"]
    assert rows and all(r["risk_tier"] == "High" and r["plan"] == plan and r["churn_risk_score"] >= 0.3 for r in rows)
    assert len(rows) < len(everyone)
