"""The events inbox: accepted events reach RAW_SUBSCRIBER_EVENTS and staging exactly once, crash or not."""

from __future__ import annotations

import json
import os
import subprocess
import time
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from api.app import create_app
from c360.auth.keys import create_key
from c360.errors import redacted_traceback, summary
from c360.serving.store import Store
from c360.settings import Settings
from c360.sources import inbox
from c360.sources.inbox import event_inbox
from c360.sources.ingest import load_payloads
from c360.warehouse import Warehouse
from tests.conftest import C360, TLS, examples
from tests.hostile import hostile_event
from tests.serving.backends import live_server

STAGED = "SELECT subscriber_id, plan, status FROM SFE_STG_MEDIA.STG_UNIFIED_CUSTOMER ORDER BY subscriber_id"


def events(subscriber: str, n: int) -> list[str]:
    kinds = ["signup", "upgrade", "payment", "cancel"]
    return [
        json.dumps(
            {
                "event_id": f"{subscriber}-e{i}",
                "subscriber_id": subscriber,
                "event_type": kinds[i % 4],
                "event_timestamp": f"2025-11-{10 + i:02d}T08:00:00+01:00",
                "plan": "premium" if i else "basic",
                **({"payment_amount": 14.99} if kinds[i % 4] == "payment" else {}),
            }
        )
        for i in range(n)
    ]


def raw_rows(wh: Warehouse) -> list[dict[str, Any]]:
    with wh.connect() as conn:
        return conn.query(
            "SELECT source_file, payload:event_id::VARCHAR AS event_id FROM SFE_RAW_MEDIA.RAW_SUBSCRIBER_EVENTS"
        )


def test_accepted_events_land_in_raw_and_staging_once(serving: Settings, store: Store, wh: Warehouse) -> None:
    inbox.accept(store, payloads=events("api-sub-1", 3), key_id="k1")
    inbox.accept(store, payloads=events("api-sub-2", 2), key_id="k1")
    assert inbox.pending(store) == 5
    reports: list[str] = []
    job = inbox.InboxJob(serving, report=reports.append)
    job.tick()
    rows = raw_rows(wh)
    assert sorted(r["event_id"] for r in rows) == sorted(
        [f"api-sub-1-e{i}" for i in range(3)] + [f"api-sub-2-e{i}" for i in range(2)]
    )
    assert all(str(r["source_file"]).startswith("api:") for r in rows)
    with wh.connect() as conn:
        staged = conn.query(STAGED)
    assert staged == [
        {"subscriber_id": "api-sub-1", "plan": "premium", "status": "active"},
        {"subscriber_id": "api-sub-2", "plan": "premium", "status": "active"},
    ]
    assert inbox.pending(store) == 0 and reports == ["inbox: 5 event(s) moved into the warehouse in 1 load(s)"]
    job.tick()  # nothing new: nothing loaded again
    assert len(raw_rows(wh)) == 5


def test_a_move_interrupted_after_its_load_is_not_loaded_twice(serving: Settings, store: Store, wh: Warehouse) -> None:
    inbox.accept(store, payloads=events("api-sub-3", 4), key_id="k1")
    move_id = inbox.claim(store, limit=100)
    assert move_id is not None
    with wh.connect() as conn:  # the worker loaded the move, then died before marking it moved
        load_payloads(conn, inbox.payloads_of(store, move_id), batch_id=move_id, origin=f"api:{move_id}")
    inbox.accept(store, payloads=events("api-sub-4", 1), key_id="k1")  # arrives while it is down
    assert inbox.unmoved_claims(store) == [move_id]
    inbox.InboxJob(serving).tick()
    assert len(raw_rows(wh)) == 5  # 4 once, plus the new one
    assert inbox.pending(store) == 0
    with wh.connect() as conn:
        assert [r["subscriber_id"] for r in conn.query(STAGED)] == ["api-sub-3", "api-sub-4"]


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_with_the_worker_running_posted_events_reach_staging(serving: Settings, store: Store, wh: Warehouse) -> None:
    _, key = create_key(store, name="crm", scopes=["events:write"])
    worker = subprocess.Popen([str(C360), "worker"], env=os.environ.copy(), stderr=subprocess.PIPE, text=True)
    try:
        with live_server(create_app(serving)) as url:
            body = {"events": [json.loads(e) for e in events("live-sub", 2)]}
            posted = httpx.post(
                f"{url}/v1/events/subscription", verify=TLS, json=body, headers={"Authorization": f"Bearer {key}"}
            )
            assert posted.status_code == 202 and posted.json()["accepted"] == 2
        deadline = time.monotonic() + 60  # a liveness bound, not the latency target (that is in bench/)
        staged: list[dict[str, object]] = []
        while not staged and time.monotonic() < deadline:
            time.sleep(0.2)
            with wh.connect() as conn:
                staged = conn.query(STAGED)
        assert staged == [{"subscriber_id": "live-sub", "plan": "premium", "status": "active"}]
    finally:
        worker.terminate()
        _, stderr = worker.communicate(timeout=30)
    assert "inbox: 2 event(s) moved" in stderr


def test_an_event_no_warehouse_can_store_is_set_aside_and_the_inbox_moves_on(
    serving: Settings, store: Store, wh: Warehouse
) -> None:
    # issue 11 #1: an inbox row with a lone surrogate failed every later move until deleted by hand
    bad = json.loads(events("api-sub-5", 1)[0])
    # stored before the API refused such events
    inbox.accept(store, payloads=[json.dumps({**bad, "note": "\ud800"})], key_id="k1")
    inbox.accept(store, payloads=events("api-sub-6", 2), key_id="k1")
    inbox.InboxJob(serving).tick()
    assert sorted(str(r["event_id"]) for r in raw_rows(wh)) == ["api-sub-6-e0", "api-sub-6-e1"]
    assert inbox.pending(store) == 0
    with wh.connect() as conn:
        errors = conn.query("SELECT source, source_row, reason FROM SFE_RAW_MEDIA.RAW_LOAD_ERRORS")
    reason = "note: contains a lone surrogate (U+D800) at position 0"
    assert errors == [{"source": "subscription_events", "source_row": 1, "reason": reason}]


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_an_event_stamped_before_1900_in_utc_is_staged_invalid(serving: Settings, store: Store, wh: Warehouse) -> None:
    # issue 11 #5: 0001-01-01T00:00:00+14:00 was staged as valid, with a BC date
    event = {**json.loads(events("api-sub-7", 1)[0]), "event_timestamp": "0001-01-01T00:00:00+14:00"}
    inbox.accept(store, payloads=[json.dumps(event)], key_id="k1")
    inbox.InboxJob(serving).tick()
    with wh.connect() as conn:
        staged = conn.query("SELECT is_valid, invalid_reason FROM SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS")
    assert staged == [{"is_valid": False, "invalid_reason": "event_timestamp before 1900"}]


def test_property_whatever_is_posted_each_event_is_accepted_or_rejected_and_the_inbox_drains(
    serving: Settings, store: Store, wh: Warehouse
) -> None:
    # the class of issue 11 #1/#5/#11: no event the API accepts can stop the inbox, on SQLite or PostgreSQL
    _, key = create_key(store, name="crm", scopes=["events:write"])
    job = inbox.InboxJob(serving)
    with live_server(create_app(serving)) as url, httpx.Client(verify=TLS, base_url=url, timeout=30) as client:

        @settings(max_examples=examples(20), deadline=None)
        @given(st.lists(hostile_event, min_size=1, max_size=6))
        def post_then_move(batch: list[dict[str, Any]]) -> None:
            answer = client.post(
                "/v1/events/subscription", content=json.dumps({"events": batch}),
                headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
            )  # fmt: skip
            assert answer.status_code == 202, answer.text
            body = answer.json()
            assert body["accepted"] + len(body["rejected"]) == len(batch)
            assert all(r["reason"] for r in body["rejected"])
            job.tick()  # never raises: every accepted event lands (or is set aside with its reason)
            assert inbox.pending(store) == 0

        post_then_move()


def test_a_failing_store_write_never_prints_its_parameters(store: Store) -> None:
    # issue 11 #2: the error of a failed publish printed ten subscribers' rows
    with pytest.raises(sa.exc.IntegrityError) as failed, store.write() as conn:
        conn.execute(
            event_inbox.insert(),
            [{"batch_id": "b", "payload": "subscriber-secret-row", "received_at": None, "key_id": "k"}],
        )
    assert "parameters hidden" in str(failed.value)  # SQLAlchemy's part of the message
    # what the CLI, the worker and the API log print: PostgreSQL's own DETAIL line ("Failing row contains") is left out
    for printed in (summary(failed.value), redacted_traceback(failed.value)):
        assert "subscriber-secret-row" not in printed and "IntegrityError" in printed
