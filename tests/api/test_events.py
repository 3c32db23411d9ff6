"""POST /v1/events/subscription: events judged one by one, the accepted ones committed before the 202."""

from __future__ import annotations

import json
import time

import pytest
import sqlalchemy as sa

from c360.sources.inbox import event_inbox
from tests.api.conftest import Servers
from tests.api.test_auth import assert_problem

GOOD = {
    "event_id": "evt-1",
    "subscriber_id": "sub-0001",
    "event_type": "upgrade",
    "event_timestamp": "2025-11-20T09:15:00+01:00",
    "plan": "premium",
    "client_version": "5.2",  # extra keys are kept (schema-on-read)
}


def test_each_event_is_accepted_or_rejected_with_its_index_and_reason(servers: Servers) -> None:
    served = servers.start()
    events = [
        GOOD,
        {**GOOD, "event_id": "evt-2", "event_type": "refund"},
        {**GOOD, "event_id": "evt-3", "event_type": "payment"},  # a payment without an amount
        {**GOOD, "event_id": "evt-4", "event_timestamp": "2025-11-20T09:15:00"},  # no UTC offset
        {**GOOD, "event_id": "evt-5", "event_timestamp": "2999-01-01T00:00:00Z"},
        {**GOOD, "event_id": "evt-6", "subscriber_id": "'; DROP TABLE x;--"},
        {**GOOD, "event_id": "evt-7", "event_type": "payment", "payment_amount": 9.99},
    ]
    response = served.client("events").post("/v1/events/subscription", json={"events": events})
    assert response.status_code == 202, response.text
    body = response.json()
    assert body["accepted"] == 2
    reasons = {r["index"]: r["reason"] for r in body["rejected"]}
    assert sorted(reasons) == [1, 2, 3, 4, 5]
    assert reasons[1].startswith("event_type:") and "payment_amount" in reasons[2]
    assert reasons[3].startswith("event_timestamp:") and "future" in reasons[4]
    assert reasons[5].startswith("subscriber_id:") and "DROP" not in response.text
    with served.store.read() as conn:  # durable before the answer: already in the store
        stored = conn.execute(sa.select(event_inbox.c.batch_id, event_inbox.c.payload)).all()
    assert [row.batch_id for row in stored] == [body["batch_id"]] * 2
    assert '"client_version":"5.2"' in stored[0].payload


def test_numbers_that_are_not_json_are_rejected_at_intake_not_dropped_after_a_202(servers: Servers) -> None:
    # Python's parser takes NaN, Infinity and 1e400 (inf): stored back as NaN/Infinity they were not JSON, and the
    # inbox's load rejected the events after the client had been told they were accepted
    served = servers.start()
    literals = ["NaN", "Infinity", "-Infinity", "1e400"]
    events = [json.dumps({**GOOD, "event_id": f"evt-{i}"})[:-1] + f', "note": {v}}}' for i, v in enumerate(literals)]
    body = "{" + '"events": [' + ", ".join([json.dumps({**GOOD, "event_id": "evt-ok"}), *events]) + "]}"
    response = served.client("events").post(
        "/v1/events/subscription", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 202, response.text
    answer = response.json()
    assert answer["accepted"] == 1 and [r["index"] for r in answer["rejected"]] == [1, 2, 3, 4]
    assert all(r["reason"].startswith("numbers must be finite") for r in answer["rejected"])
    with served.store.read() as conn:
        stored = conn.execute(sa.select(event_inbox.c.payload)).scalars().all()
    assert [json.loads(p)["event_id"] for p in stored] == ["evt-ok"]  # what is stored is JSON


def test_malformed_batches_are_refused_whole(servers: Servers) -> None:
    served = servers.start()
    client = served.client("events")
    bodies: list[dict[str, object]] = [{"events": []}, {"events": [GOOD] * 1001}, {"events": [GOOD, "text"]}]
    for body in [*bodies, {"event": [GOOD]}]:
        assert_problem(client.post("/v1/events/subscription", json=body), 422, "validation-error")
    with served.store.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(event_inbox)).scalar_one() == 0


def test_unstorable_text_and_timestamps_staging_cannot_read_are_rejected_with_the_reason(servers: Servers) -> None:
    # issue 11 #1, #2, #5, #11: these were answered 202 and then jammed the inbox, blocked publishing to
    # PostgreSQL, were staged with a BC date, or were only flagged invalid later
    served = servers.start()
    events = [
        {**GOOD, "event_id": "evt-1", "note": "\ud800"},
        {**GOOD, "event_id": "evt-2", "plan": "prem\u0000ium"},
        {**GOOD, "event_id": "evt-3", "event_timestamp": "1764583200"},
        {**GOOD, "event_id": "evt-4", "event_timestamp": "2025-11-20t09:15:00z"},
        {**GOOD, "event_id": "evt-5", "event_timestamp": "0001-01-01T00:00:00+14:00"},
        {**GOOD, "event_id": "evt-6", "event_timestamp": "1899-12-31T23:00:00Z"},
        {**GOOD, "event_id": "evt-7", "event_timestamp": "2025-11-20T09:15:00.5Z"},
    ]
    body = json.dumps({"events": events})  # ASCII-escaped, "\\ud800", as a client's JSON encoder sends it
    response = served.client("events").post(
        "/v1/events/subscription", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 202, response.text
    assert response.json()["accepted"] == 1
    reasons = {r["index"]: r["reason"] for r in response.json()["rejected"]}
    assert reasons[0] == "note: contains a lone surrogate (U+D800) at position 0"
    assert reasons[1] == "plan: contains a NUL character (U+0000) at position 4"
    assert (
        reasons[2]
        == reasons[3]
        == ("event_timestamp: must be an ISO 8601 date-time with a UTC offset, e.g. 2025-11-20T09:15:00+01:00")
    )
    assert reasons[4] == "event_timestamp: is outside the years 1-9999 once converted to UTC"
    assert reasons[5] == "event_timestamp: is before 1900-01-01 (UTC)"
    with served.store.read() as conn:
        stored = conn.execute(sa.select(event_inbox.c.payload)).scalars().all()
    assert [json.loads(p)["event_id"] for p in stored] == ["evt-7"]


@pytest.mark.parametrize("servers", ["sqlite", "redis"], indirect=True)  # the limits' two homes; it waits 2 s
def test_the_simulator_waits_out_the_rate_limit_and_loses_no_batch(servers: Servers) -> None:
    # `make live` found it: at 1,440 times real time `c360 simulate` posted past the API's rate limit and died on a 429
    from c360.ops.simulate import api_poster

    served = servers.start(api_rate_limit=2, api_rate_limit_window=1)
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        time.sleep(seconds)

    post = api_poster(served.url, served.keys["events"], sleep=sleep)
    results = [post([{**GOOD, "event_id": f"evt-rl-{i}"}]) for i in range(6)]
    assert results == [(1, 0)] * 6  # every batch taken once, none refused
    assert waits and all(0 < w <= 1 for w in waits)  # waited as long as Retry-After said (a 1 s window)
    with served.store.read() as conn:
        stored = conn.execute(sa.select(event_inbox.c.payload)).scalars().all()
    assert sorted(json.loads(p)["event_id"] for p in stored) == sorted(f"evt-rl-{i}" for i in range(6))
