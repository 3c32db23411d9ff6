"""The change feed over real HTTP: a CRM copy that only ever syncs with tokens ends exactly equal to the
served state; tokens that cannot be answered are 410; include=profile; bulk profiles."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx
import pytest

from api.schemas import HealthScoreChanges
from c360.serving import tokens
from c360.serving.cursor import cursor_key
from c360.serving.publish import publish
from c360.webhooks.outbox import record_events
from tests.api.conftest import Served, Servers
from tests.api.test_auth import assert_problem
from tests.serving.data import SCORE_DATE, add_scoring_run, add_subscription_event, tier

Row = tuple[float, str, str]  # score, tier, model


@dataclass
class CrmCopy:
    """What a CRM keeps: the scores it was sent, the token of its last sync, the removals it saw."""

    client: httpx.Client
    limit: int = 7
    rows: dict[str, Row] = field(default_factory=dict)
    removals: Counter[str] = field(default_factory=Counter)
    token: str | None = None

    def first_page(self) -> dict[str, Any]:
        params: dict[str, Any] = {"limit": self.limit}
        if self.token:
            params["sync_token"] = self.token
        return self.get(params)

    def get(self, params: dict[str, Any]) -> dict[str, Any]:
        response = self.client.get("/v1/health-scores/changes", params=params)
        assert response.status_code == 200, response.text
        HealthScoreChanges.model_validate_json(response.content)  # the page assembled from stored JSON holds
        body: dict[str, Any] = response.json()
        return body

    def apply(self, body: dict[str, Any]) -> None:
        for change in body["data"]:
            sid = change["subscriber_id"]
            if change["removed"]:
                assert sid in self.rows, f"removal of {sid}, which this copy never had"
                del self.rows[sid]
                self.removals[sid] += 1
            else:
                self.rows[sid] = (change["churn_risk_score"], change["risk_tier"], change["model_version"])

    def finish(self, body: dict[str, Any]) -> None:
        """Apply ``body`` and the rest of its sync's pages; keep the token of the last."""
        self.apply(body)
        while body["next_cursor"]:
            assert body["next_sync_token"] is None  # only the last page has one
            body = self.get({"limit": self.limit, "cursor": body["next_cursor"]})
            self.apply(body)
        assert body["next_sync_token"]
        self.token = body["next_sync_token"]

    def sync(self) -> None:
        self.finish(self.first_page())


def served_state(client: httpx.Client) -> dict[str, Row]:
    """The served scores, read the plain way (the list endpoint, all pages)."""
    rows: dict[str, Row] = {}
    cursor = None
    while True:
        body = client.get("/v1/health-scores", params={"limit": 1000, **({"cursor": cursor} if cursor else {})}).json()
        rows.update(
            {r["subscriber_id"]: (r["churn_risk_score"], r["risk_tier"], r["model_version"]) for r in body["data"]}
        )
        cursor = body["next_cursor"]
        if cursor is None:
            return rows


@pytest.mark.slow  # ten publishes on each backend, two CRM copies syncing through them
def test_a_crm_syncing_only_with_the_change_feed_ends_with_exactly_the_served_state(servers: Servers) -> None:
    served = servers.start(api_run_check_interval=0)
    crm = CrmCopy(served.client())
    crm.sync()  # the full sync of run-1
    assert crm.rows == served_state(crm.client)
    lazy = CrmCopy(served.client(), limit=5)  # syncs every third publish: its deltas span several versions
    lazy.sync()
    rnd = random.Random(10)
    world = dict(served.expected.scored)  # who the warehouse scores, and how
    cancelled: set[str] = set()
    expected_removals: Counter[str] = Counter()
    for n in range(2, 12):  # ten publishes
        day = SCORE_DATE + timedelta(days=n - 1)
        before = served_state(crm.client)
        for sid in rnd.sample(sorted(world), k=len(world) // 5):  # a fifth of the scores move, some across tiers
            world[sid] = round(rnd.random() * 0.6, 4)
        for sid in rnd.sample(sorted(set(world) - cancelled), k=2):  # two cancel, for good
            with served.warehouse.connect() as conn:
                add_subscription_event(
                    conn, {"id": f"c-{sid}", "subscriber_id": sid, "type": "cancel", "at": day - timedelta(hours=3)}
                )
            cancelled.add(sid)
        skipped = {rnd.choice(sorted(set(world) - cancelled))}  # one is not scored this time (back next time)
        scores = {sid: s for sid, s in world.items() if sid not in cancelled | skipped}
        add_scoring_run(served.warehouse, f"run-{n}", scores, score_date=day)
        if n == 6:  # a backfill in the middle: an older day, history only
            add_scoring_run(
                served.warehouse, "run-past", {sid: 0.99 for sid in world}, score_date=SCORE_DATE - timedelta(days=9)
            )
            back = publish(
                served.settings,
                outbox=record_events,
                warehouse=served.warehouse,
                score_date=SCORE_DATE - timedelta(days=9),
            )
            assert back.status == "backfill"
            crm.sync()
            assert crm.rows == before  # nothing served changed
        if n == 8:  # a resync from scratch, and the publish lands while the CRM pages through it
            crm.token, crm.rows = None, {}  # a full sync replaces the copy
            first = crm.first_page()
            assert first["next_cursor"] is not None
            publish(served.settings, outbox=record_events, warehouse=served.warehouse)
            crm.finish(first)
            assert crm.rows == before
            crm.sync()
        else:
            publish(served.settings, outbox=record_events, warehouse=served.warehouse)
            crm.sync()
        after = served_state(crm.client)
        expected_removals.update(set(before) - set(after))
        assert crm.rows == after, f"after publish {n}"
        if n % 3 == 0:
            lazy.sync()
            assert lazy.rows == after, f"lazy sync after publish {n}"
    assert expected_removals and crm.removals == expected_removals  # every removal seen, exactly once
    assert cancelled <= set(expected_removals)
    crm.sync()
    assert crm.rows == served_state(crm.client)  # and nothing more to send


def test_an_upsert_is_the_health_score_the_api_renders(served: Served) -> None:
    client = served.client()
    body = client.get("/v1/health-scores/changes", params={"limit": 1000}).json()
    assert len(body["data"]) == len(served.expected.scored)
    for change in body["data"][:10]:
        one = client.get(f"/v1/subscribers/{change['subscriber_id']}/health-score").json()
        assert {k: v for k, v in change.items() if k != "profile"} == one and change["profile"] is None


def test_removals_in_the_feed_say_why_with_the_last_score(servers: Servers) -> None:
    served = servers.start(api_run_check_interval=0)
    client = served.client()
    crm = CrmCopy(client, limit=1000)
    crm.sync()
    day = SCORE_DATE + timedelta(days=1)
    with served.warehouse.connect() as conn:
        add_subscription_event(conn, {"id": "c1", "subscriber_id": "sub-0001", "type": "cancel", "at": day})
    add_scoring_run(
        served.warehouse, "run-2", {k: v for k, v in served.expected.scored.items() if k != "sub-0001"}, score_date=day
    )
    publish(served.settings, outbox=record_events, warehouse=served.warehouse)
    body = client.get("/v1/health-scores/changes", params={"sync_token": crm.token}).json()
    assert [c["subscriber_id"] for c in body["data"]] == ["sub-0001"]
    removal = body["data"][0]
    assert removal["removed"] is True and removal["reason"] == "cancelled" and removal["was_high"] is True
    assert removal["score_date"] == day.isoformat() and removal["cancelled_at"].startswith(day.isoformat())
    assert removal["last"]["risk_tier"] == tier(served.expected.scored["sub-0001"])
    health = client.get("/v1/subscribers/sub-0001/health-score")
    assert health.status_code == 200 and health.json()["removed"] is True
    assert health.json()["removal"]["reason"] == "cancelled"
    profile = client.get("/v1/subscribers/sub-0001", headers={"Authorization": f"Bearer {served.keys['admin']}"})
    assert profile.json()["status"] == "cancelled" and profile.json()["cancelled_at"] is not None


def test_tokens_the_feed_cannot_answer_are_410_and_a_bad_cursor_400(servers: Servers) -> None:
    served = servers.start(api_run_check_interval=0, changes_retention_runs=2)
    client = served.client()
    crm = CrmCopy(client, limit=1000)
    crm.sync()
    token = crm.token
    assert token is not None
    body, signature = token.split(".")
    forged = f"{body[:-2]}{'AA' if not body.endswith('AA') else 'BB'}.{signature}"
    assert_problem(client.get("/v1/health-scores/changes", params={"sync_token": forged}), 410, "sync-token-expired")
    cursor = client.get("/v1/health-scores/changes", params={"limit": 3}).json()["next_cursor"]
    assert_problem(client.get("/v1/health-scores/changes", params={"sync_token": cursor}), 410, "sync-token-expired")
    assert_problem(client.get("/v1/health-scores/changes", params={"cursor": token}), 400, "invalid-request")
    foreign = tokens.sign("sync", {"s": "another-store", "v": 1}, cursor_key(served.settings))  # same key
    assert_problem(client.get("/v1/health-scores/changes", params={"sync_token": foreign}), 410, "sync-token-expired")
    for n in (2, 3, 4):  # keep the changes of 2 versions: the token of version 1 is then too old
        scores = {k: round(v / n, 4) for k, v in served.expected.scored.items()}
        add_scoring_run(served.warehouse, f"run-{n}", scores, score_date=SCORE_DATE + timedelta(days=n))
        publish(served.settings, outbox=record_events, warehouse=served.warehouse)
    gone = client.get("/v1/health-scores/changes", params={"sync_token": token})
    assert_problem(gone, 410, "sync-token-expired")
    assert "sync from scratch" in gone.json()["detail"]
    crm.token = None
    crm.sync()  # the resync the 410 asks for
    assert crm.rows == served_state(client)


def test_include_profile_needs_the_scope_and_carries_the_profile(served: Served) -> None:
    reader = served.client("scores")  # scores:read only
    assert_problem(reader.get("/v1/health-scores/changes", params={"include": "profile"}), 403, "forbidden")
    admin = served.client("admin")
    body = admin.get("/v1/health-scores/changes", params={"include": "profile", "limit": 5}).json()
    assert len(body["data"]) == 5
    for change in body["data"]:
        profile = change["profile"]
        assert profile["subscriber_id"] == change["subscriber_id"] and profile["as_of_date"] == SCORE_DATE.isoformat()
        assert profile["health"]["churn_risk_score"] == change["churn_risk_score"]
        assert all(driver["label"] for driver in change["drivers"])


def test_batch_get_profiles_answers_found_and_missing_in_request_order(served: Served) -> None:
    client = served.client("admin")
    ids = ["sub-0007", "nobody", "sub-0010", "sub-0007"]
    body = client.post("/v1/subscribers/batch-get", json={"subscriber_ids": ids}).json()
    assert [p["subscriber_id"] for p in body["data"]] == ["sub-0007", "sub-0010"] and body["missing"] == ["nobody"]
    assert body["data"][1]["status"] == "cancelled" and body["data"][1]["health"] is None
    too_many = client.post("/v1/subscribers/batch-get", json={"subscriber_ids": [f"s{i}" for i in range(501)]})
    assert too_many.status_code == 422
    reader = served.client("scores")
    assert_problem(reader.post("/v1/subscribers/batch-get", json={"subscriber_ids": ["sub-0007"]}), 403, "forbidden")


def test_the_feed_answers_before_routing_exactly_as_its_route_does(servers: Servers) -> None:
    served = servers.start(api_rate_limit=6, api_rate_limit_window=3600, api_cache_size=0)
    client, path = served.client(), "/v1/health-scores/changes"
    fast = client.get(path, params={"limit": 3})  # answered in front of FastAPI (api.fastpath)
    routed = client.get(path, params={"limit": 3, "unknown": "x"})  # a parameter it leaves to the route
    assert fast.content == routed.content
    same = ("content-type", "content-length", "etag", "cache-control", "vary", "ratelimit-limit", "ratelimit-policy")
    assert {h: fast.headers[h] for h in same} == {h: routed.headers[h] for h in same}
    assert [fast.headers["ratelimit-remaining"], routed.headers["ratelimit-remaining"]] == ["5", "4"]  # counted once
    etag = fast.headers["etag"]
    twice = [("If-None-Match", etag), ("If-None-Match", '"other"')]  # the first one counts, on both paths
    assert client.get(path, params={"limit": 3}, headers=twice).status_code == 304
    assert client.get(path, params={"limit": 3, "unknown": "x"}, headers=twice).status_code == 304
    for params in ({"limit": 0}, {"limit": "3x"}, {"cursor": ""}, {"sync_token": "x" * 600}):
        assert_problem(served.client("admin").get(path, params=params), 422, "validation-error")  # the route's
    assert_problem(served.client("revoked").get(path), 401, "unauthorized")
    assert_problem(served.client("events").get(path), 403, "forbidden")
    assert [client.get(path).status_code for _ in range(2)] == [200, 200]
    limited = client.get(path)
    assert_problem(limited, 429, "rate-limited")
    assert limited.headers["retry-after"] and limited.headers["ratelimit-remaining"] == "0"
    text = served.client(key=None).get("/metrics").text
    assert f'route="{path}",status="304"}} 2.0' in text and f'route="{path}",status="429"}} 1.0' in text
