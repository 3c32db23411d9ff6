"""Operations endpoints: liveness, readiness (and staleness of the served run), Prometheus metrics."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from c360.serving.publish import publish
from c360.webhooks.outbox import record_events
from tests.api.conftest import Served, Servers
from tests.serving.data import SCORE_DATE, add_scoring_run


def test_liveness_and_a_fresh_run_is_ready(served: Served) -> None:
    client = served.client(key=None)
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz").json()
    assert ready["status"] == "ready" and ready["run_id"] == "run-1" and ready["stale"] is False
    assert 0 <= ready["age_hours"] < 24  # yesterday's day ended at midnight UTC


@pytest.mark.parametrize("servers", ["sqlite"], indirect=True)
def test_readiness_says_when_the_served_day_ended_more_than_30_hours_ago(servers: Servers) -> None:
    served = servers.start()
    old_day = SCORE_DATE - timedelta(days=2)
    add_scoring_run(served.warehouse, "run-old", served.expected.scored, score_date=old_day,
                    scored_at=datetime.now(UTC) - timedelta(days=1))  # fmt: skip
    publish(
        served.settings,
        outbox=record_events,
        warehouse=served.warehouse,
        score_date=old_day,
        rollback=True,
        reason="test",
    )
    ready = served.client(key=None).get("/readyz")
    assert ready.status_code == 200  # reachable, so ready; stale says the data is old
    assert ready.json()["run_id"] == "run-old" and ready.json()["stale"] is True
    assert 48 < ready.json()["age_hours"] < 72


def test_metrics_count_requests_by_route_and_status_and_report_cache_and_run_age(served: Served) -> None:
    client = served.client()
    for _ in range(3):
        client.get("/v1/subscribers/sub-0008/health-score")
    client.get("/v1/subscribers/nobody/health-score")
    text = client.get("/metrics").text
    route = "/v1/subscribers/{subscriber_id}/health-score"

    def sample(name: str, labels: str) -> float:
        match = re.search(rf"^{name}\{{{re.escape(labels)}\}} (\S+)$", text, re.MULTILINE)
        assert match, f"{name}{{{labels}}} missing"
        return float(match.group(1))

    assert sample("c360_api_requests_total", f'method="GET",route="{route}",status="200"') >= 3
    assert sample("c360_api_requests_total", f'method="GET",route="{route}",status="404"') >= 1
    assert sample("c360_api_request_duration_seconds_bucket", f'le="+Inf",method="GET",route="{route}"') >= 4
    assert sample("c360_api_cache_lookups_total", 'result="hit"') >= 2
    assert 0 < float(re.search(r"^c360_api_cache_hit_ratio (\S+)$", text, re.MULTILINE).group(1)) < 1  # type: ignore[union-attr]
    age = float(re.search(r"^c360_served_run_age_seconds (\S+)$", text, re.MULTILINE).group(1))  # type: ignore[union-attr]
    assert 0 <= age < 3600
    # every scrape is new: no ETag, no 304, never stored
    again = client.get("/metrics", headers={"If-None-Match": "*"})
    assert again.status_code == 200 and "etag" not in again.headers
    assert again.headers["cache-control"] == "no-store"


def test_the_docs_page_loads_nothing_from_outside_the_server(served: Served) -> None:
    # issue 11 #14: /docs loaded Swagger UI from a CDN and was blank on an offline network
    client = served.client(key=None)
    page = client.get("/docs")
    assert page.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text) + re.findall(r"url: '([^']+)'", page.text)
    assert sources and all(s.startswith("/") for s in sources), sources  # nothing absolute: no CDN
    for source in sources:
        assert client.get(source).status_code == 200, source
    assert "SwaggerUIBundle" in client.get("/docs/assets/swagger-ui-bundle.js").text
