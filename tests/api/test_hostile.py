"""A hostile-input corpus over a live server: paths, queries, headers, bodies, cursors, webhook URLs. Every
answer is a 4xx problem+json (or the contract's 202 with per-event rejects), never a 5xx, and the server
answers normally afterwards."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from c360.serving.cursor import Cursor, cursor_key, encode
from tests.api.conftest import Served
from tests.conftest import TLS

EVENT = {
    "event_id": "e1",
    "subscriber_id": "sub-0001",
    "event_type": "upgrade",
    "event_timestamp": "2025-11-20T09:15:00Z",
}
EDGE = ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "1764583200", "2025-11-20t09:15:00z", "\x00"]

PATHS = [
    "/v1/subscribers/%00", "/v1/subscribers/%ED%A0%80", "/v1/subscribers/%FF%FE", "/v1/subscribers/sub-0001%0A",
    "/v1/subscribers/sub-0001%0A/health-score", "/v1/subscribers/" + "a" * 5000,
    "/v1/subscribers/..%2F..%2Fetc%2Fpasswd",
    "/v1/subscribers/sub-0001/health-score/history?days=-1", "/v1/webhook-endpoints/%00",
    "/v1/webhook-endpoints/ep_x/messages/%ED%A0%80/attempts", "/v1/%00", "/%ED%A0%80",
]  # fmt: skip
QUERIES = [
    *(f"updated_since={quote(v)}" for v in EDGE), "limit=99999999999999999999999", "limit=-1", "min_score=nan",
    "min_score=1e400", "min_score=-0", "risk_tier=%ED%A0%80", "risk_tier=High&risk_tier=Low", "cursor=",
    "cursor=%00", "cursor=" + "A" * 600 + ".AAAAAAAAAAAAAAAA", "cursor=eyJyIjoxfQ.AAAAAAAAAAAAAAAA", "%ED%A0%80=1",
]  # fmt: skip


def check(response: httpx.Response) -> None:
    assert response.status_code < 500, (response.request.url, response.status_code, response.text[:300])
    if response.status_code >= 400:
        assert response.headers["content-type"] == "application/problem+json", response.text[:300]


def raw(served: Served, method: str, path: str, body: bytes | None = None, /, **headers: str) -> httpx.Response:
    with httpx.Client(verify=TLS, base_url=served.url, timeout=20) as client:
        request = client.build_request(method, path, content=body, headers=headers)
        request.url = httpx.URL(served.url + path)  # as given: no normalisation of the percent-encoding
        return client.send(request)


def admin(served: Served) -> dict[str, str]:
    return {"Authorization": f"Bearer {served.keys['admin']}"}


@pytest.mark.parametrize("path", PATHS)
def test_hostile_paths(served: Served, path: str) -> None:
    check(raw(served, "GET", path, None, **admin(served)))


@pytest.mark.parametrize("query", QUERIES)
def test_hostile_queries(served: Served, query: str) -> None:
    check(raw(served, "GET", f"/v1/health-scores?{query}", None, **admin(served)))


def test_forged_cursors_signed_with_the_development_key(served: Served) -> None:
    key = cursor_key(served.settings)
    for cursor in (Cursor(2**63, "a"), Cursor(-1, "a"), Cursor(1, "\x00"), Cursor(1, "a" * 5000), Cursor(1, "\ud800")):
        response = raw(served, "GET", f"/v1/health-scores?cursor={encode(cursor, key)}", None, **admin(served))
        check(response)
        assert response.status_code in (400, 422), response.text


@pytest.mark.parametrize(
    "headers",
    [
        [("Authorization", "Bearer " + "x" * 8000)],
        [("Authorization", "Basic dXNlcjpwYXNz")],
        [("Authorization", "Bearer c360_zzzzzzzz_" + "x" * 43)],
        [("Authorization", "bearer")],
        [("If-None-Match", '"' + "x" * 3000 + '"')],
        [("If-None-Match", "W/")],
        [("Accept", "application/xml")],
    ],
)
def test_hostile_headers(served: Served, headers: list[tuple[str, str]]) -> None:
    names = {n.lower() for n, _ in headers}
    base = [] if "authorization" in names else list(admin(served).items())
    with httpx.Client(verify=TLS, base_url=served.url, timeout=20) as client:
        for path in ("/v1/subscribers/sub-0001", "/v1/subscribers/sub-0001/health-score", "/v1/risk-tiers"):
            check(client.get(path, headers=[*base, *headers]))


def body(events: list[Any]) -> bytes:
    return json.dumps({"events": events}).encode()  # ASCII-escaped, as most clients send it


BODIES: list[bytes] = [
    body([{**EVENT, "note": "\ud800"}]), body([{**EVENT, "\udfff": 1}]), body([{**EVENT, "plan": "a\x00b"}]),
    body([{**EVENT, "plan": "x" * 10_000}]), body([{**EVENT, "nested": {"deep": ["\ud83d", {"k": "\x00"}]}}]),
    *(body([{**EVENT, "event_timestamp": v}]) for v in EDGE), body([{**EVENT, "payment_amount": 1e308}]),
    body([{**EVENT, "event_type": "payment", "payment_amount": True}]), b'{"events": [{"a": 1e400}]}',
    b'{"events": [NaN]}', b'{"events": "\\ud800"}', b"[" * 5000 + b"]" * 5000,
    b'{"events": [' + b"[" * 3000 + b"]" * 3000 + b"]}",
    b"\xff\xfe{}", b'{"events": [{"event_id": "\\u0000"}]}', b"", b"null",
]  # fmt: skip


@pytest.mark.parametrize("payload", BODIES, ids=range(len(BODIES)))
def test_hostile_event_bodies(served: Served, payload: bytes) -> None:
    events_key = {"Authorization": f"Bearer {served.keys['events']}", "Content-Type": "application/json"}
    response = raw(served, "POST", "/v1/events/subscription", payload, **events_key)
    check(response)
    if response.status_code == 202:
        assert response.json()["accepted"] == 0 and response.json()["rejected"]  # each with its reason


WEBHOOK_BODIES: list[dict[str, Any]] = [
    {"url": "http://169.254.169.254/latest/meta-data", "event_types": ["subscriber.churn_risk.high"]},
    {"url": "https://[::1]/hook", "event_types": ["subscriber.churn_risk.high"]},
    {"url": "https://10.0.0.1/hook", "event_types": ["subscriber.churn_risk.high"]},
    {"url": "file:///etc/passwd", "event_types": ["subscriber.churn_risk.high"]},
    {"url": "javascript:alert(1)", "event_types": ["subscriber.churn_risk.high"]},
    {"url": "https://exa mple.com/", "event_types": ["subscriber.churn_risk.high"]},
    {"url": "https://example.com/\x00", "event_types": ["subscriber.churn_risk.high"]},
    {"url": "https://example.com/\ud800", "event_types": ["subscriber.churn_risk.high"]},
    {"url": "https://" + "a" * 3000 + ".com/", "event_types": ["subscriber.churn_risk.high"]},
    {"url": "https://user:pass@example.com/", "event_types": ["subscriber.churn_risk.high"]},
    {"url": "https://example.com/", "event_types": ["\x00"]},
    {"url": "https://example.com/", "event_types": ["subscriber.churn_risk.high"], "description": "\ud800\x00"},
]


@pytest.mark.parametrize("payload", WEBHOOK_BODIES, ids=range(len(WEBHOOK_BODIES)))
def test_hostile_webhook_endpoints(served: Served, payload: dict[str, Any]) -> None:
    response = raw(served, "POST", "/v1/webhook-endpoints", json.dumps(payload).encode(), **admin(served),
                   **{"Content-Type": "application/json"})  # fmt: skip
    check(response)
    assert response.status_code in (400, 422), response.text


@pytest.mark.parametrize("since", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "1764583200",
                                   "\x00", "9999-99-99T00:00:00Z", 1e20])  # fmt: skip
def test_hostile_recover_since(served: Served, since: object) -> None:
    hook = {"url": "https://93.184.215.14/hook", "event_types": ["subscriber.churn_risk.high"]}
    json_admin = {**admin(served), "Content-Type": "application/json"}
    created = raw(served, "POST", "/v1/webhook-endpoints", json.dumps(hook).encode(), **json_admin)
    assert created.status_code == 201, created.text
    path = f"/v1/webhook-endpoints/{created.json()['id']}"
    response = raw(served, "POST", f"{path}/recover", json.dumps({"since": since}).encode(), **json_admin)
    check(response)
    assert response.status_code == 422
    assert raw(served, "PATCH", path, b'{"enabled": 0}', **json_admin).status_code == 422  # JSON false, not 0


def test_the_server_still_answers(served: Served) -> None:
    assert served.client().get("/v1/risk-tiers").status_code == 200
