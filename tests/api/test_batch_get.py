"""Batch-get of health scores answers, from the scores rendered at publish, exactly the bytes the schema renders."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest

from api.responses import render
from api.schemas import BatchGetHealthScoresResponse
from c360.serving import queries
from c360.serving.publish import publish
from c360.webhooks.outbox import record_events
from tests.api.conftest import Served, Servers
from tests.api.test_auth import assert_problem
from tests.serving.data import SCORE_DATE, add_scoring_run, add_subscription_event


def schema_rendering(served: Served, ids: list[str]) -> bytes:
    """The answer as the schema renders it: every score of the served run read by another query (the paged
    list), validated by the schema and serialized, those asked for in request order."""
    run = queries.require_run(queries.current_run(served.store))
    scores = queries.list_health_scores(served.store, run=run, cursor=None, cursor_key=b"k", limit=10_000).data
    by_id = {score["subscriber_id"]: score for score in scores}
    wanted = list(dict.fromkeys(ids))
    data = [by_id[i] for i in wanted if i in by_id]
    return render(BatchGetHealthScoresResponse, {"data": data, "missing": [i for i in wanted if i not in by_id]})


def batch_get(client: httpx.Client, ids: list[str]) -> bytes:
    response = client.post("/v1/health-scores/batch-get", json={"subscriber_ids": ids})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json" and response.headers["cache-control"] == "no-store"
    BatchGetHealthScoresResponse.model_validate_json(response.content)
    return response.content


def test_batch_get_is_the_schema_rendering_after_changes_and_removals(servers: Servers) -> None:
    served = servers.start(api_run_check_interval=0)
    day = SCORE_DATE + timedelta(days=1)
    with served.warehouse.connect() as conn:
        add_subscription_event(conn, {"id": "c1", "subscriber_id": "sub-0001", "type": "cancel", "at": day})
    moved = {k: (round(1 - v, 4) if k in ("sub-0002", "sub-0005") else v) for k, v in served.expected.scored.items()}
    add_scoring_run(served.warehouse, "run-2", {k: v for k, v in moved.items() if k != "sub-0001"}, score_date=day)
    publish(served.settings, outbox=record_events, warehouse=served.warehouse)
    client = served.client()
    # moved and unmoved scores, a removed subscriber, duplicates, an unknown id, a profile without a score
    ids = ["sub-0005", "sub-0003", "sub-0001", "sub-0003", "nobody", "sub-0002", "sub-0010", "nobody", "sub-0004"]
    body = batch_get(client, ids)
    assert body == schema_rendering(served, ids)
    answer = BatchGetHealthScoresResponse.model_validate_json(body)
    assert [s.subscriber_id for s in answer.data] == ["sub-0005", "sub-0003", "sub-0002", "sub-0004"]
    assert answer.missing == ["sub-0001", "nobody", "sub-0010"]  # removed, unknown, never scored: in request order
    assert [s.churn_risk_score for s in answer.data] == [moved[s.subscriber_id] for s in answer.data]
    every = sorted(moved)
    assert batch_get(client, every) == schema_rendering(served, every)


def test_the_fast_path_answers_exactly_as_the_route_does(servers: Servers) -> None:
    # a batch-get with a body the route accepts is answered in front of FastAPI (api.fastpath); one sent in chunks
    # (no Content-Length), or that only the route's JSON reading accepts (a UTF-8 BOM), goes through the route
    served = servers.start(api_rate_limit=8, api_rate_limit_window=3600)
    path, client = "/v1/health-scores/batch-get", served.client()
    ids = ["sub-0005", "sub-0003", "nobody", "sub-0003", "sub-0010", "sub-0002"]
    body = json.dumps({"subscriber_ids": ids}).encode()
    json_type = {"Content-Type": "application/json"}

    def chunks() -> Iterator[bytes]:
        yield body[:10]
        yield body[10:]

    fast = client.post(path, content=body, headers=json_type)
    routed = client.post(path, content=chunks(), headers=json_type)
    bom = client.post(path, content=b"\xef\xbb\xbf" + body, headers={"Content-Type": "application/json; charset=utf-8"})
    assert fast.status_code == routed.status_code == bom.status_code == 200
    assert fast.content == routed.content == bom.content == schema_rendering(served, ids)
    assert [name for name, _ in fast.headers.multi_items() if name not in ("date", "ratelimit-remaining")] == [
        name for name, _ in routed.headers.multi_items() if name not in ("date", "ratelimit-remaining")
    ]
    same = ("content-type", "content-length", "cache-control", "ratelimit-limit", "ratelimit-policy")
    assert {h: fast.headers[h] for h in same} == {h: routed.headers[h] for h in same}
    counted = [r.headers["ratelimit-remaining"] for r in (fast, routed, bom)]
    assert counted == ["7", "6", "5"]  # each counted once, by whichever path answered it
    # the route's problems, whichever path reads the body: FastAPI parses JSON before authenticating
    assert_problem(served.client(key=None).post(path, content=b"{", headers=json_type), 422, "validation-error")
    assert_problem(served.client(key=None).post(path, content=body, headers=json_type), 401, "unauthorized")
    assert_problem(served.client("revoked").post(path, content=body, headers=json_type), 401, "unauthorized")
    assert_problem(served.client("events").post(path, content=body, headers=json_type), 403, "forbidden")
    unknown = json.dumps({"subscriber_ids": ids, "more": 1}).encode()
    assert_problem(client.post(path, content=unknown, headers=json_type), 422, "validation-error")
    # the route counted that one too (it authenticates before validating the body): 4 of 8 left
    assert [client.post(path, content=body, headers=json_type).status_code for _ in range(4)] == [200] * 4
    limited = client.post(path, content=body, headers=json_type)
    assert_problem(limited, 429, "rate-limited")
    assert limited.headers["retry-after"] and limited.headers["ratelimit-remaining"] == "0"
    text = served.client(key=None).get("/metrics").text
    assert f'method="POST",route="{path}",status="200"}} 7.0' in text
    assert f'method="POST",route="{path}",status="429"}} 1.0' in text


HOSTILE_BODIES = {
    "a lone surrogate, escaped": b'{"subscriber_ids": ["\\ud800"]}',
    "a surrogate's raw bytes": b'{"subscriber_ids": ["\xed\xa0\x80"]}',
    "a NUL, escaped": b'{"subscriber_ids": ["sub-\\u0000"]}',
    "a raw NUL": b'{"subscriber_ids": ["sub-\x00"]}',
    "a 10 kB id": json.dumps({"subscriber_ids": ["x" * 10_000]}).encode(),
    "1,001 ids": json.dumps({"subscriber_ids": [f"sub-{i:04d}" for i in range(1001)]}).encode(),
    "no ids": b'{"subscriber_ids": []}',
    "ids not a list": b'{"subscriber_ids": "sub-0001"}',
    "not UTF-8": b'{"subscriber_ids": ["\xff"]}',
    "5,000 nested lists": b'{"subscriber_ids": ' + b"[" * 5000 + b"]" * 5000 + b"}",
}


@pytest.mark.parametrize("servers", ["sqlite"], indirect=True)
def test_hostile_bodies_get_the_routes_422_from_either_path(servers: Servers) -> None:
    # the fast path (a Content-Length body) and the route (the same body in chunks) answer alike: one clear problem
    served = servers.start()
    client, path, json_type = served.client(), "/v1/health-scores/batch-get", {"Content-Type": "application/json"}
    for name, body in HOSTILE_BODIES.items():

        def chunks(body: bytes = body) -> Iterator[bytes]:
            yield body[:5]
            yield body[5:]

        fast = client.post(path, content=body, headers=json_type)
        routed = client.post(path, content=chunks(), headers=json_type)
        assert_problem(fast, 422, "validation-error")
        assert (fast.status_code, fast.content) == (routed.status_code, routed.content), name
