"""Keys over real HTTP: 401 without a valid key, 403 without the scope, open operations endpoints."""

from __future__ import annotations

import httpx
import pytest

from tests.api.conftest import Served
from tests.conftest import TLS

PROTECTED = [
    ("GET", "/v1/subscribers/sub-0001"),
    ("GET", "/v1/subscribers/sub-0001/health-score"),
    ("GET", "/v1/subscribers/sub-0001/health-score/history"),
    ("GET", "/v1/health-scores"),
    ("POST", "/v1/health-scores/batch-get"),
    ("GET", "/v1/risk-tiers"),
    ("GET", "/v1/models/current"),
    ("POST", "/v1/events/subscription"),
]


def assert_problem(response: object, status: int, slug: str) -> dict[str, object]:
    assert isinstance(response, httpx.Response)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"].endswith(f"/problems/{slug}") and body["status"] == status
    assert {"type", "title", "status", "detail"} <= body.keys()
    return dict(body)


@pytest.mark.parametrize(("method", "path"), PROTECTED)
def test_every_v1_operation_needs_a_key(served: Served, method: str, path: str) -> None:
    response = served.client(key=None).request(method, path, json={})
    assert_problem(response, 401, "unauthorized")
    assert response.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer c360_00000000_" + "A" * 43,  # well formed, unknown id
        "Bearer not-a-key",
        "Basic dXNlcjpwYXNz",  # another scheme
        "Bearer",
    ],
)
def test_unknown_and_malformed_keys_are_401(served: Served, authorization: str) -> None:
    response = served.client(key=None).get("/v1/risk-tiers", headers={"Authorization": authorization})
    detail = assert_problem(response, 401, "unauthorized")["detail"]
    assert "c360_" not in str(detail)  # the presented key is never echoed


def test_a_wrong_secret_for_a_real_key_id_and_a_revoked_key_are_401(served: Served) -> None:
    real = served.keys["reader"]
    forged = real[:-4] + ("AAAA" if not real.endswith("AAAA") else "BBBB")
    response = served.client(key=None).get("/v1/risk-tiers", headers={"Authorization": f"Bearer {forged}"})
    assert_problem(response, 401, "unauthorized")
    assert "revoked" in str(assert_problem(served.client("revoked").get("/v1/risk-tiers"), 401, "unauthorized"))


def test_a_key_without_the_scope_is_403(served: Served) -> None:
    scores_only = served.client("scores")
    assert scores_only.get("/v1/subscribers/sub-0001/health-score").status_code == 200
    problem = assert_problem(scores_only.get("/v1/subscribers/sub-0001"), 403, "forbidden")
    assert "profiles:read" in str(problem["detail"])
    assert_problem(served.client("reader").post("/v1/events/subscription", json={"events": [{}]}), 403, "forbidden")
    assert_problem(served.client("events").get("/v1/risk-tiers"), 403, "forbidden")
    assert served.client("admin").get("/v1/subscribers/sub-0001").status_code == 200  # admin has every scope


@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/metrics", "/openapi.json", "/docs"])
def test_operations_endpoints_and_the_contract_need_no_key(served: Served, path: str) -> None:
    assert served.client(key=None).get(path).status_code == 200


def test_a_v1_operation_that_declares_no_scope_is_refused_even_to_admin(served: Served) -> None:
    from fastapi import APIRouter, Depends

    from api.app import create_app
    from api.deps import authenticate
    from tests.serving.backends import live_server

    app = create_app(served.settings)
    forgetful = APIRouter()

    @forgetful.get("/forgot-the-scope")
    async def forgot() -> dict[str, str]:
        return {"leaked": "yes"}

    app.include_router(forgetful, prefix="/v1", dependencies=[Depends(authenticate)])
    with live_server(app) as url, httpx.Client(verify=TLS, base_url=url) as client:
        response = client.get("/v1/forgot-the-scope", headers={"Authorization": f"Bearer {served.keys['admin']}"})
    assert_problem(response, 403, "forbidden")


@pytest.mark.parametrize("path", ["/v1/subscribers/sub-0001", "/v1/subscribers/sub-0001/health-score"])
def test_the_cache_front_reads_and_checks_requests_as_the_routes_do(served: Served, path: str) -> None:
    # issue 11 #8: on a warm cache the fast path read the last of two Authorization headers, matched an id
    # ending in %0A and took an If-None-Match longer than the contract's maxLength
    client = served.client()
    assert client.get(path).status_code == 200  # warm
    both = [("Authorization", f"Bearer {served.keys['revoked']}"), ("Authorization", f"Bearer {served.keys['reader']}")]
    with httpx.Client(verify=TLS, base_url=served.url) as bare:
        for headers in (both, both[::-1]):
            problem = assert_problem(bare.get(path, headers=headers), 401, "unauthorized")
            assert problem["detail"] == "send one Authorization header, not several"
    newline = path.replace("sub-0001", "sub-0001%0A")
    assert_problem(client.get(newline), 422, "validation-error")
    assert_problem(client.get(path, headers={"If-None-Match": '"' + "x" * 1100 + '"'}), 422, "validation-error")
    assert client.get(path).status_code == 200
