"""Caching over real HTTP: strong ETags and 304s, a cache invalidated by publishing, shared through Redis."""

from __future__ import annotations

import json
import re
import socket
import time
from datetime import timedelta

import httpx
import pytest
import sqlalchemy as sa

from c360.serving.publish import publish
from c360.serving.store import served_subscribers
from c360.webhooks.outbox import record_events
from tests.api.conftest import Served, Servers
from tests.serving.data import SCORE_DATE, add_scoring_run

GETS = [
    "/v1/subscribers/sub-0001",
    "/v1/subscribers/sub-0001/health-score",
    "/v1/subscribers/sub-0001/health-score/history",
    "/v1/health-scores?risk_tier=High&limit=5",
    "/v1/risk-tiers",
    "/v1/models/current",
    "/healthz",
    "/readyz",
    "/openapi.json",
]


def cache_hits(client: httpx.Client) -> float:
    text = client.get("/metrics").text
    match = re.search(r'^c360_api_cache_lookups_total\{result="hit"\} (\S+)$', text, re.MULTILINE)
    return float(match.group(1)) if match else 0.0


def behind_the_apis_back(served: Served, subscriber: str, score: float) -> None:
    """Change a served row directly in the store, its score rendered at publish too (only a cache would hide it)."""
    s = served_subscribers.c
    with served.store.write() as conn:
        rendered = conn.execute(sa.select(s.health_json).where(s.subscriber_id == subscriber)).scalar_one()
        changed = json.dumps({**json.loads(rendered), "churn_risk_score": score})
        conn.execute(
            served_subscribers.update()
            .where(s.subscriber_id == subscriber)
            .values(churn_risk_score=score, health_json=changed)
        )


@pytest.mark.parametrize("path", GETS)
def test_every_successful_get_has_a_strong_etag_and_answers_304(served: Served, path: str) -> None:
    client = served.client()
    first = client.get(path)
    assert first.status_code == 200
    etag = first.headers["etag"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag)  # strong: no W/ prefix
    assert first.headers["cache-control"]
    for validator in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        again = client.get(path, headers={"If-None-Match": validator})
        assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert client.get(path, headers={"If-None-Match": '"stale"'}).status_code == 200


def test_the_cache_serves_until_a_new_run_is_published(servers: Servers) -> None:
    served = servers.start(api_run_check_interval=0)
    client = served.client()
    path = "/v1/subscribers/sub-0001/health-score"
    first = client.get(path)
    hits = cache_hits(client)
    behind_the_apis_back(served, "sub-0001", 0.999)
    cached = client.get(path)
    assert cached.json() == first.json() and cache_hits(client) == hits + 1
    add_scoring_run(served.warehouse, "run-2", {"sub-0001": 0.05}, score_date=SCORE_DATE + timedelta(days=1))
    publish(served.settings, outbox=record_events, warehouse=served.warehouse)
    after = client.get(path, headers={"If-None-Match": first.headers["etag"]})
    assert after.status_code == 200 and after.json()["churn_risk_score"] == 0.05
    assert after.headers["etag"] != first.headers["etag"]


@pytest.mark.parametrize("servers", ["sqlite"], indirect=True)
def test_with_the_cache_off_every_request_reads_the_store(servers: Servers) -> None:
    served = servers.start(api_cache_size=0)
    client = served.client()
    client.get("/v1/subscribers/sub-0001/health-score")
    behind_the_apis_back(served, "sub-0001", 0.999)
    assert client.get("/v1/subscribers/sub-0001/health-score").json()["churn_risk_score"] == 0.999
    assert cache_hits(client) == 0


@pytest.mark.parametrize("servers", ["redis"], indirect=True)
def test_replicas_share_rendered_responses_through_redis(servers: Servers) -> None:
    one = servers.start()
    two = servers.replica(one)
    path = "/v1/subscribers/sub-0002"
    rendered = one.client().get(path)
    behind_the_apis_back(one, "sub-0002", 0.999)
    from_redis = two.client().get(path)  # replica two never rendered it: its first lookup hits Redis
    assert from_redis.json() == rendered.json() and from_redis.headers["etag"] == rendered.headers["etag"]
    assert cache_hits(two.client()) == 1


@pytest.mark.parametrize("path", ["/v1/subscribers/sub-0004", "/v1/subscribers/sub-0004/health-score"])
def test_cache_hits_are_answered_exactly_as_the_route_answers(servers: Servers, path: str) -> None:
    served = servers.start(api_rate_limit=5, api_rate_limit_window=3600)
    client = served.client("admin")
    miss, hit = client.get(path), client.get(path)  # the second is a hit, answered before routing
    assert hit.content == miss.content and cache_hits(served.client(key=None)) == 1
    same = ("content-type", "etag", "cache-control", "vary", "ratelimit-limit", "ratelimit-policy")
    assert {h: hit.headers[h] for h in same} == {h: miss.headers[h] for h in same}
    assert [miss.headers["ratelimit-remaining"], hit.headers["ratelimit-remaining"]] == ["4", "3"]
    # a hit is still refused to a revoked key, a key without the scope, and a key over its limit
    assert served.client("revoked").get(path).status_code == 401
    assert served.client("events").get(path).status_code == 403
    assert [client.get(path).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert client.get(path).headers["retry-after"]
    text = served.client(key=None).get("/metrics").text
    template = path.replace("sub-0004", "{subscriber_id}")
    assert f'route="{template}",status="200"}} 5.0' in text and f'route="{template}",status="429"}} 2.0' in text


@pytest.mark.parametrize("servers", ["sqlite"], indirect=True)
def test_a_redis_that_stops_answering_is_left_alone_for_a_while(servers: Servers) -> None:
    # a partitioned Redis cost every request its timeouts (cache read and write, rate limit): about a second each
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(64)  # connections complete; nothing is ever read or answered
    try:
        served = servers.start(redis_url=f"redis://127.0.0.1:{silent.getsockname()[1]}/0")
        client = served.client()
        assert client.get("/v1/risk-tiers").status_code == 200  # pays the timeouts once
        started = time.monotonic()
        statuses = [client.get(f"/v1/subscribers/sub-{i:04d}/health-score").status_code for i in range(1, 10)]
        elapsed = time.monotonic() - started
    finally:
        silent.close()
    assert statuses == [200] * 9
    assert elapsed < 4.0, elapsed  # nine requests: 9 s and more when each waited for Redis
