"""The lookups answered in front of FastAPI (api.fastpath), hit or miss, cache on or off, are the routes' answers."""

from __future__ import annotations

from datetime import timedelta

import pytest

from api.responses import render
from api.schemas import HealthScore
from c360.serving import queries
from c360.serving.publish import publish
from c360.webhooks.outbox import record_events
from tests.api.conftest import Servers
from tests.serving.data import SCORE_DATE, add_scoring_run, add_subscription_event

SCORED, REMOVED, UNSCORED = "sub-0004", "sub-0001", "sub-0010"  # sub-0010: a profile, never a score


@pytest.mark.parametrize("cache_size", [0, 1000])
def test_lookups_in_front_of_the_routes_answer_as_the_routes_do(servers: Servers, cache_size: int) -> None:
    served = servers.start(api_cache_size=cache_size, api_run_check_interval=0)
    day = SCORE_DATE + timedelta(days=1)
    with served.warehouse.connect() as conn:  # a second run without REMOVED: its score is answered from a tombstone
        add_subscription_event(conn, {"id": "c1", "subscriber_id": REMOVED, "type": "cancel", "at": day})
    add_scoring_run(
        served.warehouse, "run-2", {k: v for k, v in served.expected.scored.items() if k != REMOVED}, score_date=day
    )
    publish(served.settings, outbox=record_events, warehouse=served.warehouse)
    client = served.client()
    for subscriber in (SCORED, REMOVED, UNSCORED, "nobody"):
        for path in (f"/v1/subscribers/{subscriber}/health-score", f"/v1/subscribers/{subscriber}"):
            for _ in range(2):  # with the cache on, a miss and then a hit
                front = client.get(path)
                routed = client.get(path, params={"via": "route"})  # a query string: the front leaves it to FastAPI
                assert (front.status_code, front.content) == (routed.status_code, routed.content), path
                ignored = ("date", "ratelimit-remaining", "ratelimit-reset")  # counted, and a clock
                names = [name for name, _ in front.headers.multi_items() if name not in ignored]
                assert names == [name for name, _ in routed.headers.multi_items() if name not in ignored]
                assert {name: front.headers[name] for name in names} == {name: routed.headers[name] for name in names}
            if front.status_code == 200:
                etag = {"If-None-Match": front.headers["etag"]}
                assert client.get(path, headers=etag).status_code == client.get(path, headers=etag).status_code == 304
    # the scores stored at publish are what the schema renders from the row, removed or not
    run = queries.require_run(queries.current_run(served.store))
    for subscriber in (SCORED, REMOVED):
        row = queries.get_health_score(served.store, run=run, subscriber_id=subscriber)
        assert client.get(f"/v1/subscribers/{subscriber}/health-score").content == render(HealthScore, row)
    assert client.get(f"/v1/subscribers/{REMOVED}/health-score").json()["removed"] is True
    for key, status in (("revoked", 401), ("events", 403)):  # a miss is refused as a hit is
        assert served.client(key).get(f"/v1/subscribers/{SCORED}/health-score").status_code == status
