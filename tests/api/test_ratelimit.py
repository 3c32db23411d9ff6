"""Per-key rate limits over real HTTP: 429 with Retry-After and RateLimit headers, per key, shared via Redis."""

from __future__ import annotations

import httpx
import pytest

from tests.api.conftest import Servers
from tests.api.test_auth import assert_problem
from tests.conftest import TLS


def test_a_key_over_its_limit_gets_429_and_other_keys_do_not(servers: Servers) -> None:
    # an hour-long window: a window boundary falling inside this test is next to impossible
    served = servers.start(api_rate_limit=3, api_rate_limit_window=3600)
    client = served.client("reader")
    answers = [client.get("/v1/risk-tiers") for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert [a.headers["ratelimit-remaining"] for a in answers] == ["2", "1", "0"]
    assert answers[0].headers["ratelimit-limit"] == "3" and answers[0].headers["ratelimit-policy"] == "3;w=3600"
    limited = client.get("/v1/subscribers/sub-0001")
    problem = assert_problem(limited, 429, "rate-limited")
    assert 1 <= int(limited.headers["retry-after"]) <= 3600
    assert limited.headers["ratelimit-remaining"] == "0"
    assert "3 requests per 3600 s" in str(problem["detail"])
    assert served.client("admin").get("/v1/risk-tiers").status_code == 200  # the limit is per key
    assert served.client(key=None).get("/healthz").status_code == 200  # open endpoints are not counted


@pytest.mark.parametrize("servers", ["redis"], indirect=True)
def test_replicas_count_a_key_together_through_redis(servers: Servers) -> None:
    one = servers.start(api_rate_limit=4, api_rate_limit_window=3600)
    two = servers.replica(one)
    statuses = [c.get("/v1/risk-tiers").status_code for c in (one.client(), two.client()) * 3]
    assert statuses == [200, 200, 200, 200, 429, 429]


@pytest.mark.parametrize("servers", ["sqlite", "redis"], indirect=True)
def test_failed_authentications_are_limited_per_client_address(servers: Servers) -> None:
    # issue 11 #10: unknown key ids were never limited, and each cost a store lookup
    served = servers.start(api_auth_failure_limit=3, api_rate_limit_window=3600)
    assert served.client("reader").get("/v1/risk-tiers").status_code == 200  # an integration at work
    forged = {"Authorization": "Bearer c360_0badc0de_" + "x" * 43}
    with httpx.Client(verify=TLS, base_url=served.url, headers=forged) as unknown:
        statuses = [unknown.get("/v1/risk-tiers").status_code for _ in range(3)]
        limited = unknown.get("/v1/risk-tiers")
    assert statuses == [401, 401, 401]
    problem = assert_problem(limited, 429, "rate-limited")
    assert "failed authentications from this address" in str(problem["detail"])
    assert int(limited.headers["retry-after"]) == 3600
    # another client behind the same address (a load balancer, a NAT) whose key verified lately goes on: one
    # client's bad or revoked key does not lock the others out; a key not seen yet waits, looked up by no one
    assert served.client("reader").get("/v1/risk-tiers").status_code == 200
    assert_problem(served.client("admin").get("/v1/risk-tiers"), 429, "rate-limited")
