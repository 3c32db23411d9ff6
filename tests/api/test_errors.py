"""Bad input gets a precise problem+json answer, and no answer leaks a stack trace, SQL, input or a secret."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from api.app import create_app
from c360.serving import queries
from tests.api.conftest import Served, make_settings
from tests.api.test_auth import assert_problem
from tests.conftest import TLS
from tests.serving.backends import Backend, live_server

HOSTILE = ["'; DROP TABLE served_runs;--", "../../etc/passwd", "sub 1", "<script>alert(1)</script>", "é" * 3, "a" * 65]


@pytest.mark.parametrize(
    ("query", "location"),
    [
        ("limit=0", "query.limit"),
        ("limit=1001", "query.limit"),
        ("limit=ten", "query.limit"),
        ("risk_tier=Extreme", "query.risk_tier"),
        ("min_score=1.5", "query.min_score"),
        ("updated_since=yesterday", "query.updated_since"),
        ("cursor=%00%01", "query.cursor"),
    ],
)
def test_bad_query_parameters_are_422_naming_the_parameter(served: Served, query: str, location: str) -> None:
    problem = assert_problem(served.client().get(f"/v1/health-scores?{query}"), 422, "validation-error")
    assert problem["errors"][0]["location"] == location  # type: ignore[index]
    assert str(problem["detail"]).startswith(location)


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_ids_are_refused_without_being_echoed(served: Served, hostile: str) -> None:
    response = served.client().get(f"/v1/subscribers/{quote(hostile, safe='')}/health-score")
    assert response.status_code in (404, 422), response.text  # 404: the path no longer matches the route
    assert response.headers["content-type"] == "application/problem+json"
    assert hostile not in response.text
    assert served.client().get("/v1/risk-tiers").status_code == 200  # and the store is intact


@pytest.mark.parametrize(
    ("body", "location"),
    [
        ({"subscriber_ids": "sub-0001"}, "body.subscriber_ids"),
        ({"subscriber_ids": []}, "body.subscriber_ids"),
        ({"subscriber_ids": [f"sub-{i}" for i in range(501)]}, "body.subscriber_ids"),
        ({"subscriber_ids": ["sub-0001", 7]}, "body.subscriber_ids.1"),
        ({"subscriber_ids": ["sub-\u0000"]}, "body.subscriber_ids.0"),
        ({"subscriber_ids": ["sub-0001"], "extra": 1}, "body.extra"),
        ([], "body"),
    ],
)
def test_bad_batch_get_bodies_are_422(served: Served, body: object, location: str) -> None:
    problem = assert_problem(served.client().post("/v1/health-scores/batch-get", json=body), 422, "validation-error")
    assert location in [e["location"] for e in problem["errors"]]  # type: ignore[attr-defined]


def test_malformed_json_and_oversized_bodies(served: Served) -> None:
    client = served.client("admin")
    headers = {"Content-Type": "application/json"}
    broken = client.post("/v1/health-scores/batch-get", content=b'{"subscriber_ids": [', headers=headers)
    assert "not valid JSON" in str(assert_problem(broken, 422, "validation-error")["detail"])
    big = json.dumps({"events": [{"pad": "x" * 1000}] * 3000}).encode()  # ~3 MB > 2 MiB
    assert_problem(client.post("/v1/events/subscription", content=big, headers=headers), 413, "payload-too-large")

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit holds while reading
        yield b'{"events": ['
        for _ in range(3000):
            yield b'{"pad": "' + b"x" * 1000 + b'"},'
        yield b"{}]}"

    chunked = client.post("/v1/events/subscription", content=chunks(), headers=headers)
    assert_problem(chunked, 413, "payload-too-large")


def test_duplicate_ids_in_batch_get_are_answered_once(served: Served) -> None:
    ids = ["sub-0003", "sub-0001", "sub-0003", "nobody", "nobody", "sub-0010"]
    body = served.client().post("/v1/health-scores/batch-get", json={"subscriber_ids": ids}).json()
    assert [row["subscriber_id"] for row in body["data"]] == ["sub-0003", "sub-0001"]
    assert body["missing"] == ["nobody", "sub-0010"]  # sub-0010 has a profile but no score


def test_unknown_routes_methods_and_subscribers(served: Served) -> None:
    client = served.client()
    assert_problem(client.get("/v2/anything"), 404, "not-found")
    # a trailing slash: a 404 problem, not a bare 307 to a Location built from the Host header
    slash = client.get("/v1/risk-tiers/", headers={"Host": "evil.example"}, follow_redirects=False)
    assert_problem(slash, 404, "not-found")
    assert "location" not in slash.headers
    wrong = client.delete("/v1/health-scores")
    assert_problem(wrong, 405, "method-not-allowed")
    assert "GET" in wrong.headers["allow"]
    detail = assert_problem(client.get("/v1/subscribers/nobody-here"), 404, "not-found")["detail"]
    assert "nobody-here" in str(detail)


def test_an_unexpected_failure_is_a_500_problem_with_a_reference_only(
    served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("SELECT secret FROM served_subscribers -- password=hunter2")

    monkeypatch.setattr(queries, "get_health_score_rendered", broken)  # the first read of a lookup
    response = served.client().get("/v1/subscribers/sub-0039/health-score")
    problem = assert_problem(response, 500, "internal-error")
    assert "logged as" in str(problem["detail"])
    for leak in ("SELECT", "hunter2", "Traceback", "RuntimeError"):
        assert leak not in response.text


def test_an_unreachable_store_is_503_without_its_password(tmp_path: Path) -> None:
    backend = Backend("postgresql", "postgresql+psycopg://c360:hunter2@127.0.0.1:1/none", None, "c360test:")
    with (
        live_server(create_app(make_settings(tmp_path, backend))) as url,
        httpx.Client(verify=TLS, base_url=url) as client,
    ):
        # the two lookups answered in front of the app (api.fastpath) included: they answered 500 here
        paths = ("/readyz", "/v1/risk-tiers", "/v1/subscribers/s1", "/v1/subscribers/s1/health-score")
        for path in paths:
            response = client.get(path, headers={"Authorization": "Bearer c360_0000abcd_" + "A" * 43})
            assert_problem(response, 503, "serving-store-unavailable")
            assert "hunter2" not in response.text and "Traceback" not in response.text
        for path in paths[1:]:  # and without a key, the 401 every route answers first
            assert_problem(client.get(path), 401, "unauthorized")


def test_a_store_that_accepts_and_never_answers_is_not_ready_within_seconds(tmp_path: Path) -> None:
    # a partition (packets dropped, no reset): libpq waited for ever, and /readyz with it
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)  # the kernel completes the handshakes; nobody ever reads or writes
    port = silent.getsockname()[1]
    backend = Backend("postgresql", f"postgresql+psycopg://c360@127.0.0.1:{port}/none", None, "c360test:")
    try:
        with (
            live_server(create_app(make_settings(tmp_path, backend))) as url,
            httpx.Client(verify=TLS, base_url=url, timeout=30) as client,
        ):
            started = time.monotonic()
            problem = assert_problem(client.get("/readyz"), 503, "serving-store-unavailable")
            assert time.monotonic() - started < 15 and "did not answer within 5 s" in str(problem["detail"])
    finally:
        silent.close()


@pytest.mark.parametrize("edge", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"])
def test_instants_outside_the_calendar_in_utc_are_422_not_500(served: Served, edge: str) -> None:
    # issue 11 #5: OverflowError, a 500, and uvicorn dropped the keep-alive connection
    client = served.client()
    problem = assert_problem(client.get("/v1/health-scores", params={"updated_since": edge}), 422, "validation-error")
    assert "outside the years 1-9999" in str(problem["detail"])
    assert client.get("/v1/risk-tiers").status_code == 200  # the same connection still answers
