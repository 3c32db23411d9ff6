"""The generated SDK against the production path: the demo flow on PostgreSQL and Redis, then every operation.

One module-scoped deployment, run as a user runs it: ``c360 generate``, ``migrate``, ``ingest``,
``pipeline run`` and ``keys create`` with ``C360_SERVING_URL=postgresql+psycopg://…`` and ``C360_REDIS_URL``
set, then ``c360 serve`` and ``c360 worker`` (without its task scheduler) as processes on loopback. The tests
call the API only through ``c360_client`` and compare what it parses with what the warehouse scored.
"""

from __future__ import annotations

import datetime
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from c360_client import AuthenticatedClient, Client
from c360_client.api.events import ingest_subscription_events
from c360_client.api.health_scores import (
    batch_get_health_scores,
    get_health_score,
    get_health_score_history,
    list_health_scores,
)
from c360_client.api.models import get_current_model
from c360_client.api.operations import get_liveness, get_metrics, get_readiness
from c360_client.api.risk_tiers import get_risk_tiers
from c360_client.api.subscribers import get_subscriber_profile
from c360_client.api.webhooks import (
    create_webhook_endpoint,
    delete_webhook_endpoint,
    get_webhook_endpoint,
    list_webhook_endpoints,
    list_webhook_message_attempts,
    list_webhook_messages,
    recover_webhook_endpoint,
    resend_webhook_message,
    rotate_webhook_endpoint_secret,
    send_test_webhook,
    update_webhook_endpoint,
)
from c360_client.models import (
    BatchGetHealthScoresRequest,
    BatchGetHealthScoresResponse,
    ChurnModel,
    EventsAccepted,
    HealthScore,
    HealthScoreHistory,
    HealthScorePage,
    Liveness,
    Problem,
    QueuedWebhookMessage,
    Readiness,
    RecoverWebhookEndpointRequest,
    RiskTier,
    RiskTiers,
    SubscriberProfile,
    SubscriptionEventBatch,
    SubscriptionEventBatchEventsItem,
    WebhookAttemptList,
    WebhookEndpoint,
    WebhookEndpointCreate,
    WebhookEndpointList,
    WebhookEndpointUpdate,
    WebhookEndpointWithSecret,
    WebhookEventType,
    WebhookMessage,
    WebhookMessagePage,
    WebhookMessageStatus,
    WebhookRecovery,
)
from c360_client.types import UNSET, Unset
from standardwebhooks import Webhook

from c360.settings import Settings
from c360.warehouse import Warehouse
from tests.conftest import C360, REPO, free_port
from tests.serving.backends import REDIS_URL, backend_for, redis_down
from tests.webhooks.receiver import Receiver

pytestmark = pytest.mark.slow  # a whole deployment through the CLI: generate, pipeline run, serve and worker

AS_OF = "2026-11-24"
SCOPES = {
    "crm": "scores:read,profiles:read",
    "scores": "scores:read",
    "ops": "scores:read,profiles:read,events:write,webhooks:manage",
}


@dataclass
class Deployment:
    url: str
    keys: dict[str, str]
    scores: dict[str, tuple[float, str]]  # what the warehouse scored: subscriber_id -> (score, tier)
    model_version: str
    sources: Path
    receiver: Receiver

    def client(self, key: str = "crm") -> AuthenticatedClient:
        return AuthenticatedClient(base_url=self.url, token=self.keys[key], raise_on_unexpected_status=True)


def _cli(env: dict[str, str], *args: str, timeout: float = 300) -> str:
    result = subprocess.run(
        [str(C360), *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert result.returncode == 0, f"c360 {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def _wait_healthy(url: str, process: subprocess.Popen[bytes]) -> None:
    client = Client(base_url=url, timeout=httpx.Timeout(1.0))
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, "c360 serve exited"
        try:
            if isinstance(get_liveness.sync(client=client), Liveness):
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"c360 serve did not answer on {url}")


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    if reason := redis_down():
        pytest.skip(reason)
    home = tmp_path_factory.mktemp("sdk")
    sources = home / "sources"
    with backend_for("postgresql") as backend:
        assert backend.serving_url is not None
        env = {k: v for k, v in os.environ.items() if not k.startswith("C360_")}  # none of the outer settings
        env |= {
            "C360_HOME": str(home),
            "C360_SERVING_URL": backend.serving_url,
            "C360_REDIS_URL": REDIS_URL,
            "C360_REDIS_PREFIX": backend.redis_prefix,
            "C360_WEBHOOK_ALLOW_PRIVATE_URLS": "1",
            "C360_WEBHOOK_RETRY_SCHEDULE": "1",  # one retry, a second after the first attempt
            "C360_WEBHOOK_POLL_INTERVAL": "0.2",
        }
        # the demo flow, scale 0.1 (2,500 subscribers: the smallest at which the AUC gate passes reliably)
        _cli(env, "generate", "--out", str(sources), "--scale", "0.1", "--seed", "7", "--as-of", AS_OF)
        _cli(env, "migrate")
        _cli(env, "ingest", *(str(sources / f) for f in ("subscription_events.jsonl", "content_engagement.csv")))
        _cli(env, "ingest", str(sources / "support_tickets.parquet"))
        _cli(env, "pipeline", "run", "--as-of", AS_OF)
        assert "FCT_CUSTOMER_HEALTH_SCORES" in _cli(env, "status")
        keys = {
            name: _cli(env, "keys", "create", "--name", name, "--scopes", scopes).strip().splitlines()[-1]
            for name, scopes in SCOPES.items()
        }
        warehouse = Warehouse.from_settings(Settings(home=home))
        with warehouse.connect() as conn:
            rows = conn.query(
                "SELECT subscriber_id, churn_risk_score, risk_tier FROM SFE_ANALYTICS_MEDIA.FCT_CUSTOMER_HEALTH_SCORES "
                "WHERE score_date = :day",
                {"day": AS_OF},
            )
            version = conn.scalar(
                "SELECT model_version FROM SFE_ANALYTICS_MEDIA.CHURN_MODEL_REGISTRY WHERE status = 'current'"
            )
        port = free_port()
        server = subprocess.Popen([str(C360), "serve", "--port", str(port)], env=env)
        # every job but the task scheduler, whose daily cron could publish a newer run in the middle of a test
        worker = subprocess.Popen(
            [str(C360), "worker", "--jobs", "inbox,publish,webhooks"], env=env, stderr=subprocess.DEVNULL
        )
        receiver = Receiver().start()
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_healthy(url, server)
            yield Deployment(
                url,
                keys,
                {r["subscriber_id"]: (float(r["churn_risk_score"]), r["risk_tier"]) for r in rows},
                str(version),
                sources,
                receiver,
            )
        finally:
            for process in (server, worker):
                process.send_signal(signal.SIGINT)
            for process in (server, worker):
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
            receiver.close()


def _all_pages(
    client: AuthenticatedClient,
    risk_tier: RiskTier | Unset = UNSET,
    updated_since: datetime.datetime | Unset = UNSET,
) -> list[HealthScore]:
    scores: list[HealthScore] = []
    cursor: str | Unset = UNSET
    pages = 0
    while True:
        page = list_health_scores.sync(
            client=client, limit=200, risk_tier=risk_tier, updated_since=updated_since, cursor=cursor
        )
        assert isinstance(page, HealthScorePage), page
        assert len(page.data) <= 200
        scores.extend(page.data)
        pages += 1
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert pages > 1 or len(scores) <= 200
    return scores


def test_listing_pages_to_the_end_and_returns_every_scored_subscriber_once(deployment: Deployment) -> None:
    client = deployment.client()
    scores = _all_pages(client)
    assert sorted(s.subscriber_id for s in scores) == sorted(deployment.scores)
    for score in scores:
        expected_score, expected_tier = deployment.scores[score.subscriber_id]
        assert score.churn_risk_score == pytest.approx(expected_score, abs=1e-6)
        assert score.risk_tier == RiskTier(expected_tier)
        assert score.model_version == deployment.model_version
        assert score.score_date == datetime.date.fromisoformat(AS_OF)
    high = _all_pages(client, risk_tier=RiskTier.HIGH)
    assert {s.subscriber_id for s in high} == {k for k, (_, tier) in deployment.scores.items() if tier == "High"}
    assert high, "the demo data has High-risk subscribers"
    # incremental sync: nothing changed after the newest updated_at
    newest = max(s.updated_at for s in scores)
    assert _all_pages(client, updated_since=newest + datetime.timedelta(seconds=1)) == []


def test_one_subscriber_profile_score_and_history(deployment: Deployment) -> None:
    client = deployment.client()
    subscriber = max(deployment.scores, key=lambda k: deployment.scores[k][0])
    score = get_health_score.sync(subscriber, client=client)
    assert isinstance(score, HealthScore), score
    assert score.churn_risk_score == pytest.approx(deployment.scores[subscriber][0], abs=1e-6)
    assert score.risk_tier is RiskTier.HIGH and score.drivers, score
    profile = get_subscriber_profile.sync(subscriber, client=client)
    assert isinstance(profile, SubscriberProfile), profile
    assert profile.subscriber_id == subscriber and profile.health is not None
    assert profile.health.churn_risk_score == score.churn_risk_score
    assert profile.tenure_days is not None and profile.tenure_days >= 0
    history = get_health_score_history.sync(subscriber, client=client)
    assert isinstance(history, HealthScoreHistory), history
    assert [(h.score_date, h.churn_risk_score) for h in history.data] == [(score.score_date, score.churn_risk_score)]


def test_batch_get_risk_tiers_and_model(deployment: Deployment) -> None:
    client = deployment.client()
    wanted = sorted(deployment.scores)[:5]
    batch = batch_get_health_scores.sync(
        client=client, body=BatchGetHealthScoresRequest(subscriber_ids=[*wanted, "no-such-subscriber"])
    )
    assert isinstance(batch, BatchGetHealthScoresResponse), batch
    assert sorted(s.subscriber_id for s in batch.data) == wanted
    assert batch.missing == ["no-such-subscriber"]
    tiers = get_risk_tiers.sync(client=client)
    assert isinstance(tiers, RiskTiers), tiers
    counts = {band.tier.value: band.count for band in tiers.tiers}
    expected = {t: sum(1 for _, tier in deployment.scores.values() if tier == t) for t in ("High", "Medium", "Low")}
    assert counts == expected and tiers.scored == len(deployment.scores)
    model = get_current_model.sync(client=client)
    assert isinstance(model, ChurnModel), model
    assert model.version == deployment.model_version and model.status == "current"
    assert model.metrics["roc_auc"] is not None and model.metrics["roc_auc"] > 0.80  # the deploy gate let it through


def test_open_operations(deployment: Deployment) -> None:
    client = Client(base_url=deployment.url)
    assert isinstance(get_liveness.sync(client=client), Liveness)
    readiness = get_readiness.sync(client=client)
    assert isinstance(readiness, Readiness) and readiness.score_date == datetime.date.fromisoformat(AS_OF)
    metrics = get_metrics.sync(client=client)
    assert isinstance(metrics, str) and "c360_api_requests_total" in metrics


def test_errors_come_back_as_documented_problems(deployment: Deployment) -> None:
    anonymous = AuthenticatedClient(base_url=deployment.url, token="c360_nokey_" + "x" * 43)
    unauthorized = get_risk_tiers.sync_detailed(client=anonymous)
    assert unauthorized.status_code == 401 and isinstance(unauthorized.parsed, Problem)
    assert unauthorized.headers.get("www-authenticate", "").startswith("Bearer")
    forbidden = get_subscriber_profile.sync(next(iter(deployment.scores)), client=deployment.client("scores"))
    assert isinstance(forbidden, Problem) and forbidden.status == 403 and "profiles:read" in forbidden.detail
    not_webhooks = list_webhook_endpoints.sync(client=deployment.client("crm"))
    assert isinstance(not_webhooks, Problem) and not_webhooks.status == 403
    missing = get_health_score.sync("no-such-subscriber", client=deployment.client())
    assert isinstance(missing, Problem) and missing.status == 404
    bad_limit = list_health_scores.sync(client=deployment.client(), limit=0)
    assert isinstance(bad_limit, Problem) and bad_limit.status == 422 and bad_limit.errors


def test_event_ingestion_accepts_and_rejects_each_event(deployment: Deployment) -> None:
    event = {
        "event_id": "sdk-evt-1",
        "subscriber_id": next(iter(deployment.scores)),
        "event_type": "payment",
        "event_timestamp": "2026-11-25T09:30:00Z",
        "plan": "standard",
        "payment_amount": 14.99,
        "payment_status": "succeeded",
    }
    body = SubscriptionEventBatch(
        events=[
            SubscriptionEventBatchEventsItem.from_dict(event),
            SubscriptionEventBatchEventsItem.from_dict({**event, "event_id": "sdk-evt-2", "event_type": "teleport"}),
        ]
    )
    accepted = ingest_subscription_events.sync(client=deployment.client("ops"), body=body)
    assert isinstance(accepted, EventsAccepted), accepted
    assert accepted.accepted == 1 and [r.index for r in accepted.rejected] == [1]
    assert "event_type" in accepted.rejected[0].reason
    denied = ingest_subscription_events.sync(client=deployment.client("crm"), body=body)
    assert isinstance(denied, Problem) and denied.status == 403


def test_webhook_endpoint_lifecycle_with_the_worker_delivering(deployment: Deployment) -> None:
    client, receiver = deployment.client("ops"), deployment.receiver
    created = create_webhook_endpoint.sync(
        client=client,
        body=WebhookEndpointCreate(
            url=receiver.url, event_types=[WebhookEventType.SUBSCRIBER_CHURN_RISK_HIGH], description="sdk"
        ),
    )
    assert isinstance(created, WebhookEndpointWithSecret), created
    assert created.secret.startswith("whsec_")
    endpoint_id = created.id
    listed = list_webhook_endpoints.sync(client=client)
    assert isinstance(listed, WebhookEndpointList) and [e.id for e in listed.data] == [endpoint_id]
    fetched = get_webhook_endpoint.sync(endpoint_id, client=client)
    assert isinstance(fetched, WebhookEndpoint) and not hasattr(fetched, "secret")
    updated = update_webhook_endpoint.sync(
        endpoint_id,
        client=client,
        body=WebhookEndpointUpdate(
            description="retention",
            event_types=[WebhookEventType.SUBSCRIBER_CHURN_RISK_HIGH, WebhookEventType.SUBSCRIBER_RISK_TIER_CHANGED],
        ),
    )
    assert isinstance(updated, WebhookEndpoint) and updated.description == "retention"
    assert len(updated.event_types) == 2

    # a test event, delivered by `c360 worker` and verified as a receiver would
    sent = send_test_webhook.sync(endpoint_id, client=client)
    assert isinstance(sent, QueuedWebhookMessage) and sent.event_type == "webhook.test"
    assert "c360 worker" in sent.hint  # pending until a worker runs: the answer says so
    first = receiver.wait_for(1)[0]
    assert Webhook(created.secret).verify(first.body, first.headers)["type"] == "webhook.test"
    assert first.id == sent.id
    _wait_for_status(client, endpoint_id, sent.id, WebhookMessageStatus.DELIVERED)  # recorded after the answer
    messages = list_webhook_messages.sync(endpoint_id, client=client)
    assert isinstance(messages, WebhookMessagePage)
    assert [(m.id, m.status) for m in messages.data] == [(sent.id, WebhookMessageStatus.DELIVERED)]
    attempts = list_webhook_message_attempts.sync(endpoint_id, sent.id, client=client)
    assert isinstance(attempts, WebhookAttemptList) and [a.status_code for a in attempts.data] == [204]

    # resend: the same webhook-id again
    resent = resend_webhook_message.sync(endpoint_id, sent.id, client=client)
    assert isinstance(resent, WebhookMessage)
    assert [d.id for d in receiver.wait_for(2)] == [sent.id, sent.id]

    # rotation: during the grace period a delivery verifies with the new and the old secret
    rotated = rotate_webhook_endpoint_secret.sync(endpoint_id, client=client)
    assert isinstance(rotated, WebhookEndpointWithSecret) and rotated.secret != created.secret
    assert rotated.previous_secret_expires_at is not None
    assert isinstance(send_test_webhook.sync(endpoint_id, client=client), QueuedWebhookMessage)
    third = receiver.wait_for(3)[2]
    for secret in (rotated.secret, created.secret):
        assert Webhook(secret).verify(third.body, third.headers)["type"] == "webhook.test"

    # the receiver goes down: the message fails after its one retry; recover re-queues it once it is back
    receiver.stop()
    down = send_test_webhook.sync(endpoint_id, client=client)
    assert isinstance(down, QueuedWebhookMessage)
    _wait_for_status(client, endpoint_id, down.id, WebhookMessageStatus.FAILED)
    receiver.start()
    recovery = recover_webhook_endpoint.sync(
        endpoint_id,
        client=client,
        body=RecoverWebhookEndpointRequest(since=datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=1)),
    )
    assert isinstance(recovery, WebhookRecovery) and recovery.requeued == 1
    assert receiver.wait_for(4)[3].id == down.id
    _wait_for_status(client, endpoint_id, down.id, WebhookMessageStatus.DELIVERED)

    deleted = delete_webhook_endpoint.sync_detailed(endpoint_id, client=client)
    assert deleted.status_code == 204
    gone = get_webhook_endpoint.sync(endpoint_id, client=client)
    assert isinstance(gone, Problem) and gone.status == 404


def _wait_for_status(
    client: AuthenticatedClient, endpoint_id: str, msg_id: str, status: WebhookMessageStatus, timeout: float = 20
) -> None:
    deadline = time.monotonic() + timeout
    seen = None
    while time.monotonic() < deadline:
        page = list_webhook_messages.sync(endpoint_id, client=client, limit=50)
        assert isinstance(page, WebhookMessagePage)
        seen = next((m.status for m in page.data if m.id == msg_id), None)
        if seen == status:
            return
        time.sleep(0.2)
    raise AssertionError(f"message {msg_id} is {seen}, not {status}, after {timeout} s")
