"""Delivery through real HTTP receivers on loopback: signed (verified with ``standardwebhooks``), retried
on the schedule with the same webhook-id, Retry-After honoured, 410 and long failure disabling the
endpoint, every attempt recorded, nothing lost while a receiver is down."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import threading
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest
import sqlalchemy as sa
from aiohttp import web
from hypothesis import given, settings
from hypothesis import strategies as st
from standardwebhooks import Webhook, WebhookVerificationError

from c360.serving.store import utcnow
from c360.webhooks import delivery as delivery_module
from c360.webhooks import endpoints, messages
from c360.webhooks.claims import Claimed, Policy, Target
from c360.webhooks.outcomes import Outcome, record
from c360.webhooks.schedule import Schedule
from c360.webhooks.tables import webhook_endpoints, webhook_messages
from tests.conftest import examples
from tests.webhooks.conftest import Hooks
from tests.webhooks.receiver import Delivery, Receiver

HIGH = "subscriber.churn_risk.high"


def churn(hooks: Hooks, n: int) -> list[str]:
    """A baseline of ``n`` Low subscribers, then a run where they are all High: 2n events per endpoint."""
    ids = [f"sub-{i:03d}" for i in range(n)]
    hooks.publish(dict.fromkeys(ids, 0.05))
    hooks.publish(dict.fromkeys(ids, 0.50))
    return ids


def held_until(release: threading.Event) -> Callable[[Delivery], Awaitable[web.Response]]:
    """A receiver's answer that holds each request in flight until ``release`` is set."""

    async def held(_: Delivery) -> web.Response:
        while not release.is_set():
            await asyncio.sleep(0.01)
        return web.Response(status=204)

    return held


def test_deliveries_verify_with_standardwebhooks_and_every_attempt_is_recorded(
    hooks: Hooks, receiver: Receiver
) -> None:
    endpoint_id, secret = hooks.endpoint(receiver.url)
    ids = churn(hooks, 20)
    with hooks.engine():
        rows = hooks.settled(40)
    assert {r.status for r in rows} == {"delivered"} and all(r.attempts == 1 for r in rows)
    bodies = receiver.verify(secret)  # raises unless every signature verifies
    assert sorted(b["data"]["subscriber_id"] for b in bodies if b["type"] == HIGH) == ids  # type: ignore[index]
    assert sorted(receiver.ids()) == sorted(r.id for r in rows)  # each message once, under its own id
    first = receiver.deliveries[0]
    assert first.headers["content-type"] == "application/json"
    assert first.signature.startswith("v1,") and abs(int(first.timestamp) - time.time()) < 30
    with pytest.raises(WebhookVerificationError):
        Webhook("whsec_" + "QUJD" * 8).verify(first.body, first.headers)  # another secret does not verify
    attempt = hooks.attempts(rows[0].id)[0]
    assert (attempt.status_code, attempt.error, attempt.endpoint_id) == (204, None, endpoint_id)
    assert attempt.latency_ms > 0 and attempt.response == ""


def test_a_receiver_failing_the_first_attempts_gets_each_message_once_under_one_id(hooks: Hooks) -> None:
    def flaky(delivery: Delivery) -> web.Response:
        return web.Response(status=500, text="boom") if delivery.seen <= 2 else web.Response(status=200, text="ok")

    receiver = Receiver(flaky).start()
    try:
        _, secret = hooks.endpoint(receiver.url, [HIGH])
        churn(hooks, 5)
        with hooks.engine(webhook_retry_schedule="0.2,0.2,0.2"):
            rows = hooks.settled(5)
        receiver.verify(secret)
    finally:
        receiver.close()
    assert {r.status for r in rows} == {"delivered"} and {r.attempts for r in rows} == {3}
    for row in rows:
        got = [d for d in receiver.deliveries if d.id == row.id]
        assert [d.seen for d in got] == [1, 2, 3]  # the same webhook-id on every attempt
        attempts = hooks.attempts(row.id)
        assert [a.status_code for a in attempts] == [500, 500, 200]
        assert [a.response for a in attempts] == ["boom", "boom", "ok"]
        gaps = [(b.attempted_at - a.attempted_at).total_seconds() for a, b in itertools.pairwise(attempts)]
        assert all(gap >= 0.15 for gap in gaps), gaps  # the schedule: 0.2 s ± 20 %


def test_a_receiver_that_is_down_and_comes_back_loses_nothing(hooks: Hooks) -> None:
    receiver = Receiver()  # not listening: connection refused
    try:
        endpoint_id, secret = hooks.endpoint(receiver.url, [HIGH])
        churn(hooks, 10)
        with hooks.engine(webhook_retry_schedule="0.3,0.3,0.3,0.5,1,1,1,1"):
            hooks.wait_until(lambda: all(r.attempts >= 2 for r in hooks.messages()), what="two failed attempts each")
            receiver.start()
            rows = hooks.settled(10)
        receiver.verify(secret)
    finally:
        receiver.close()
    assert {r.status for r in rows} == {"delivered"}
    assert sorted(set(receiver.ids())) == sorted(r.id for r in rows)
    failed = hooks.attempts(rows[0].id)[0]
    assert failed.status_code is None and failed.error.startswith("connection failed")
    assert endpoints.get(hooks.store, endpoint_id).failing_since is None  # healthy again


def test_retries_run_out_the_message_fails_stays_listed_and_recover_sends_it(hooks: Hooks) -> None:
    down = {"yes": True}

    def answer(_: Delivery) -> web.Response:
        return web.Response(status=503 if down["yes"] else 204)

    receiver = Receiver(answer).start()
    try:
        endpoint_id, _ = hooks.endpoint(receiver.url, [HIGH])
        churn(hooks, 3)
        with hooks.engine(webhook_retry_schedule="0.1,0.1"):
            rows = hooks.settled(3)
            assert {(r.status, r.attempts) for r in rows} == {("failed", 3)}  # the first attempt and 2 retries
            listed, _ = messages.list_messages(hooks.store, endpoint_id, status="failed")
            assert len(listed) == 3
            down["yes"] = False
            since = rows[0].created_at - timedelta(seconds=1)
            assert messages.recover(hooks.store, endpoint_id, since=since) == 3
            rows = hooks.settled(3)
    finally:
        receiver.close()
    assert {(r.status, r.attempts) for r in rows} == {("delivered", 4)}


def test_retry_after_is_honoured_on_429(hooks: Hooks) -> None:
    def limited(delivery: Delivery) -> web.Response:
        return web.Response(status=429, headers={"Retry-After": "1"}) if delivery.seen == 1 else web.Response()

    receiver = Receiver(limited).start()
    try:
        hooks.endpoint(receiver.url, [HIGH])
        churn(hooks, 1)
        with hooks.engine(webhook_retry_schedule="0.2,0.2,0.2"):  # the receiver asks for 1 s
            (row,) = hooks.settled(1)
    finally:
        receiver.close()
    first, second = hooks.attempts(row.id)
    assert first.status_code == 429 and second.status_code == 200
    assert (second.attempted_at - first.attempted_at).total_seconds() >= 1.0


def test_410_disables_the_endpoint_with_the_reason(hooks: Hooks) -> None:
    receiver = Receiver(lambda _: web.Response(status=410, text="gone")).start()
    try:
        endpoint_id, _ = hooks.endpoint(receiver.url, [HIGH])
        churn(hooks, 2)
        with hooks.engine(webhook_endpoint_concurrency=1):
            hooks.wait_until(lambda: not endpoints.get(hooks.store, endpoint_id).enabled, what="the endpoint disabled")
            time.sleep(0.3)
    finally:
        receiver.close()
    endpoint = endpoints.get(hooks.store, endpoint_id)
    assert endpoint.disabled_reason is not None and endpoint.disabled_reason.startswith("the endpoint answered 410")
    statuses = sorted(r.status for r in hooks.messages())
    assert statuses == ["failed", "pending"]  # the second waits for the endpoint to be enabled again
    assert len(receiver.deliveries) == 1


def test_an_endpoint_failing_longer_than_the_limit_is_disabled(hooks: Hooks) -> None:
    receiver = Receiver(lambda _: web.Response(status=500)).start()
    try:
        endpoint_id, _ = hooks.endpoint(receiver.url, [HIGH])
        churn(hooks, 1)
        with hooks.engine(webhook_retry_schedule="0.3,0.3,0.3,0.3,0.3,0.3", webhook_disable_after=0.5):
            hooks.wait_until(lambda: not endpoints.get(hooks.store, endpoint_id).enabled, what="the endpoint disabled")
    finally:
        receiver.close()
    reason = endpoints.get(hooks.store, endpoint_id).disabled_reason or ""
    assert reason.startswith("every attempt has failed since") and "C360_WEBHOOK_DISABLE_AFTER" in reason


def test_both_secrets_sign_during_the_grace_period_after_a_rotation(hooks: Hooks, receiver: Receiver) -> None:
    endpoint_id, old = hooks.endpoint(receiver.url, [HIGH])
    _, new = endpoints.rotate_secret(hooks.store, hooks.settings, endpoint_id)
    churn(hooks, 2)
    with hooks.engine():
        hooks.settled(2)
    assert len(receiver.verify(old)) == len(receiver.verify(new)) == 2  # either secret verifies
    assert all(len(d.signature.split(" ")) == 2 for d in receiver.deliveries)
    with hooks.store.write() as conn:  # the grace period is over
        conn.execute(webhook_endpoints.update().values(previous_secret_expires_at=webhook_endpoints.c.created_at))
    hooks.publish({"sub-000": 0.05})
    hooks.publish({"sub-000": 0.6})
    with hooks.engine():
        hooks.settled(3)
    last = receiver.deliveries[-1]
    assert len(last.signature.split(" ")) == 1
    Webhook(new).verify(last.body, last.headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(old).verify(last.body, last.headers)


def test_timeouts_redirects_and_long_answers_are_recorded(hooks: Hooks) -> None:
    answered = threading.Event()  # set once the engine has given up: the receiver may close without waiting 3 s

    async def answer(delivery: Delivery) -> web.Response:
        subscriber = json.loads(delivery.body)["data"]["subscriber_id"]
        if subscriber == "sub-000":
            await asyncio.to_thread(answered.wait, 3)  # longer than C360_WEBHOOK_TIMEOUT (1 s here)
        if subscriber == "sub-001":
            return web.Response(status=302, headers={"Location": "http://127.0.0.1:9/elsewhere"})
        return web.Response(status=200, text="x" * 5000)

    receiver = Receiver(answer).start()
    try:
        hooks.endpoint(receiver.url, [HIGH])
        churn(hooks, 3)
        with hooks.engine(webhook_timeout=1.0, webhook_retry_schedule=""):
            rows = hooks.settled(3)
    finally:
        answered.set()
        receiver.close()
    by_subscriber = {r.subscriber_id: r for r in rows}
    slow = hooks.attempts(by_subscriber["sub-000"].id)[0]
    assert slow.status_code is None and slow.error == "timed out after 1 s" and slow.latency_ms >= 900
    redirect = hooks.attempts(by_subscriber["sub-001"].id)[0]
    assert redirect.status_code == 302 and by_subscriber["sub-001"].status == "failed"  # not followed
    long = hooks.attempts(by_subscriber["sub-002"].id)[0]
    assert long.status_code == 200 and long.response == "x" * 2048


def test_concurrency_is_bounded_per_endpoint(hooks: Hooks) -> None:
    async def slow(_: Delivery) -> web.Response:
        await asyncio.sleep(0.05)
        return web.Response()

    receiver = Receiver(slow).start()
    try:
        hooks.endpoint(receiver.url, [HIGH])
        churn(hooks, 60)
        with hooks.engine(webhook_endpoint_concurrency=4):
            hooks.settled(60)
    finally:
        receiver.close()
    assert receiver.max_in_flight == 4


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_private_addresses_are_refused_at_delivery_too(hooks: Hooks, receiver: Receiver) -> None:
    endpoint_id, _ = hooks.endpoint(receiver.url, [HIGH])  # accepted while private URLs are allowed
    churn(hooks, 1)
    with hooks.engine(webhook_allow_private_urls=False, webhook_retry_schedule=""):
        (row,) = hooks.settled(1)
    assert receiver.deliveries == []
    (attempt,) = hooks.attempts(row.id)
    assert attempt.status_code is None and attempt.error.startswith("refused: the URL is not https")
    with hooks.store.write() as conn:  # an https URL whose host is loopback: refused all the same
        conn.execute(webhook_endpoints.update().values(url=f"https://localhost:{receiver.port}/hook"))
        conn.execute(sa.text("UPDATE webhook_messages SET status = 'pending', step = 0, next_attempt_at = created_at"))
    with hooks.engine(webhook_allow_private_urls=False, webhook_retry_schedule=""):
        hooks.settled(1)
    errors = [a.error for a in hooks.attempts(row.id)]
    assert errors[-1] is not None and errors[-1].startswith("refused: localhost is a local or metadata name")
    assert endpoints.get(hooks.store, endpoint_id).failing_since is not None


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_queued_claims_never_outlive_their_lease_and_are_given_back_on_stop(hooks: Hooks) -> None:
    async def slow(_: Delivery) -> web.Response:
        await asyncio.sleep(0.3)
        return web.Response(status=204)

    receiver = Receiver(slow).start()
    # one at a time, 4 claimed at once; a queued one may start only (1.5 - 1.0) * 0.9 = 0.45 s after its claim
    short = {"webhook_endpoint_concurrency": 1, "webhook_lease_seconds": 1.5, "webhook_timeout": 1.0}
    try:
        hooks.endpoint(receiver.url, [HIGH])
        churn(hooks, 8)
        with hooks.engine(**short):
            receiver.wait_for(3)
        stopped = hooks.messages()
        assert all(r.lease_id is None for r in stopped)  # in flight: recorded; queued: given back unsent
        assert {r.status for r in stopped} == {"delivered", "pending"}
        with hooks.engine(**short):
            rows = hooks.settled(8, timeout=30)
    finally:
        receiver.close()
    assert {(r.status, r.attempts) for r in rows} == {("delivered", 1)}
    assert sorted(receiver.ids()) == sorted(r.id for r in rows)  # each sent exactly once


def test_a_receiver_answering_nul_and_surrogate_bytes_cannot_stop_deliveries(hooks: Hooks) -> None:
    # issue 11 #3: on PostgreSQL a 500 with a NUL in its body made every round fail, forever
    hostile = Receiver(lambda _: web.Response(status=500, body=b"bad\x00body \xed\xa0\x80 end")).start()
    healthy = Receiver().start()
    try:
        hostile_id, _ = hooks.endpoint(hostile.url)
        healthy_id, _ = hooks.endpoint(healthy.url)
        churn(hooks, 3)
        with hooks.engine():
            rows = hooks.settled(12)
        assert {r.status for r in rows if r.endpoint_id == healthy_id} == {"delivered"}
        failed = [r for r in rows if r.endpoint_id == hostile_id]
        assert {(r.status, r.attempts) for r in failed} == {("failed", 4)}
        attempt = hooks.attempts(failed[0].id)[0]
        assert attempt.status_code == 500 and attempt.response == "bad\ufffdbody \ufffd\ufffd\ufffd end"
    finally:
        hostile.close()
        healthy.close()


@pytest.mark.parametrize("retry_after", ["²", "١٢", "9" * 40, "Mon, 01 Jan 99999 00:00:00 GMT", "-5", "1e9"])
def test_an_unreadable_retry_after_is_ignored_not_a_stuck_message(hooks: Hooks, retry_after: str) -> None:
    # issue 11 #4: "²".isdigit() is true and float("²") raises: the lane died, the message stayed pending forever
    receiver = Receiver(lambda _: web.Response(status=429, headers={"Retry-After": retry_after})).start()
    try:
        hooks.endpoint(receiver.url)
        churn(hooks, 2)
        with hooks.engine() as engine:
            rows = hooks.settled(4)
            assert sum(engine._held.values()) == 0  # nothing left counted as in flight
        assert {(r.status, r.attempts) for r in rows} == {("failed", 4)}
        assert all(a.status_code == 429 for r in rows for a in hooks.attempts(r.id))
    finally:
        receiver.close()


_RETRY_AFTER = st.sampled_from(
    ["", "0", "1", "²", "١", "-1", "1.5", "\x00", "Mon, 01 Jan 99999 00:00:00 GMT", "9" * 30]
)


def test_property_whatever_a_receiver_answers_every_message_settles(hooks: Hooks) -> None:
    # the class of issue 11 #3/#4: no answer (status, body bytes, Retry-After) can stop the engine
    runs = iter(range(10_000))
    with hooks.engine(webhook_retry_schedule="0.05"):  # one retry: a Retry-After of 1 s is waited once, not 3 times

        @settings(max_examples=examples(8), deadline=None)
        @given(st.sampled_from([200, 204, 301, 400, 410, 429, 500, 503]), st.binary(max_size=3000), _RETRY_AFTER)
        def answer_with(status: int, body: bytes, retry_after: str) -> None:
            headers = {"Retry-After": retry_after} if retry_after and "\x00" not in retry_after else {}
            receiver = Receiver(lambda _: web.Response(status=status, body=body, headers=headers)).start()
            try:
                endpoint_id, _ = hooks.endpoint(receiver.url, [HIGH])
                sid = f"sub-p{next(runs)}"
                hooks.publish({sid: 0.05})
                hooks.publish({sid: 0.50})

                def settled() -> bool:
                    rows = hooks.messages(endpoint_id)
                    return bool(rows) and all(r.status != "pending" for r in rows)

                hooks.wait_until(settled, timeout=20, what="the endpoint's messages to settle")
                for row in hooks.messages(endpoint_id):
                    assert all(a.status_code == status for a in hooks.attempts(row.id))
            finally:
                receiver.close()

        answer_with()


def test_the_engine_hands_its_connections_back_syncing_in_full(hooks: Hooks, receiver: Receiver) -> None:
    # the engine's rounds commit without waiting for the disk (c360.webhooks.delivery), on a connection of their
    # own; the pool it shares with the API and the publishes must get every connection back syncing in full
    hooks.endpoint(receiver.url)
    churn(hooks, 30)
    with hooks.engine():
        rows = hooks.settled(60)
    assert {r.status for r in rows} == {"delivered"}
    show = "PRAGMA synchronous" if hooks.store.dialect == "sqlite" else "SHOW synchronous_commit"
    in_full = 2 if hooks.store.dialect == "sqlite" else "on"
    with contextlib.ExitStack() as held:  # every idle connection of the pool at once
        connections = [held.enter_context(hooks.store.engine.connect()) for _ in range(6)]
        assert [c.exec_driver_sql(show).scalar() for c in connections] == [in_full] * 6


def test_message_ids_are_unique_and_sort_in_the_order_they_were_written(hooks: Hooks, receiver: Receiver) -> None:
    hooks.endpoint(receiver.url)
    churn(hooks, 50)
    rows = hooks.messages()
    ids = [r.id for r in rows]
    assert len(rows) == 100 and len(set(ids)) == 100
    assert all(re.fullmatch("msg_[0-9a-f]{32}", i) for i in ids)
    assert ids == sorted(ids)  # by seq = by id: the indexes on ids grow at one end


def test_each_delivered_message_records_its_own_attempt(hooks: Hooks, receiver: Receiver) -> None:
    # the round writes outcomes as driver SQL (c360.webhooks.driver): the message and its attempt row carry
    # the same instant, read back through SQLAlchemy as aware UTC datetimes
    endpoint_id, _ = hooks.endpoint(receiver.url)
    churn(hooks, 30)
    with hooks.engine():
        rows = hooks.settled(60)
    attempt_ids = []
    for row in rows:
        [attempt] = hooks.attempts(row.id)
        attempt_ids.append(attempt.id)
        assert (row.status, row.attempts, row.lease_id, row.next_attempt_at) == ("delivered", 1, None, None)
        assert row.last_attempt_at == attempt.attempted_at and attempt.attempted_at.utcoffset() == timedelta(0)
        assert row.delivered_at >= row.last_attempt_at and row.last_status_code == attempt.status_code == 204
        assert attempt.endpoint_id == endpoint_id
    assert len(set(attempt_ids)) == 60 and all(re.fullmatch("atmpt_[0-9a-f]{24}", i) for i in attempt_ids)


def test_messages_deleted_while_in_flight_leave_no_attempt_and_the_engine_goes_on(hooks: Hooks) -> None:
    # an endpoint deleted (with its messages) while their attempts are in flight: the round that records them
    # writes no attempt for a message that is gone, and fails nothing, so other endpoints' deliveries go on
    release = threading.Event()
    slow, fast = Receiver(held_until(release)).start(), Receiver().start()
    try:
        doomed, _ = hooks.endpoint(slow.url, [HIGH])
        churn(hooks, 3)
        with hooks.engine():
            hooks.wait_until(lambda: slow.in_flight == 3, what="the three attempts to be in flight")
            endpoints.delete(hooks.store, doomed)
            release.set()
            hooks.endpoint(fast.url, [HIGH])
            hooks.publish({f"sub-{i:03d}": 0.05 for i in range(3)})
            hooks.publish({f"sub-{i:03d}": 0.50 for i in range(3)})
            rows = hooks.settled(3)
    finally:
        release.set()
        slow.close()
        fast.close()
    assert len(rows) == 3 and {r.status for r in rows} == {"delivered"} and len(fast.deliveries) == 3
    with hooks.store.read() as conn:
        recorded = conn.execute(sa.text("SELECT message_id FROM webhook_attempts")).scalars().all()
    assert sorted(recorded) == sorted(r.id for r in rows)


def test_queued_claims_of_an_endpoint_moved_or_disabled_go_back_instead_of_to_the_old_url(hooks: Hooks) -> None:
    # claims queued behind a slow attempt carried the URL they were claimed with: after a PATCH of the URL (or a
    # disable, or a delete) they were still sent there, for up to a lease; now they go back within a second
    release = threading.Event()
    old, new = Receiver(held_until(release)).start(), Receiver().start()
    try:
        endpoint_id, _ = hooks.endpoint(old.url, [HIGH])
        churn(hooks, 10)
        # the attempt held in flight neither times out nor outlives its lease meanwhile
        with hooks.engine(webhook_endpoint_concurrency=1, webhook_timeout=20.0, webhook_lease_seconds=30.0):
            hooks.wait_until(lambda: old.in_flight == 1, what="the first attempt to be in flight")
            claimed = {r.lease_id for r in hooks.messages()}
            endpoints.update(hooks.store, hooks.settings, endpoint_id, url=new.url)
            # the nine queued go back and are claimed again, with the new URL (they start once the attempt in
            # flight at the old URL ends: the endpoint's concurrency is 1)
            hooks.wait_until(
                lambda: sum(r.lease_id in claimed for r in hooks.messages()) == 1, what="the queued ones to go back"
            )
            release.set()
            rows = hooks.settled(10)
            endpoints.update(hooks.store, hooks.settings, endpoint_id, url=old.url)
            release.clear()
            hooks.publish({f"sub-{i:03d}": 0.05 for i in range(10)})
            hooks.publish({f"sub-{i:03d}": 0.50 for i in range(10)})
            hooks.wait_until(lambda: old.in_flight == 1, what="the next first attempt to be in flight")
            endpoints.update(hooks.store, hooks.settings, endpoint_id, enabled=False)
            hooks.wait_until(
                lambda: sum(r.lease_id is None for r in hooks.messages() if r.status == "pending") == 9,
                what="the queued messages to go back",
            )
            release.set()
            time.sleep(0.5)
    finally:
        release.set()
        old.close()
        new.close()
    assert {r.status for r in rows} == {"delivered"} and len(old.deliveries) == 2  # one in flight each time
    assert sorted(d.id for d in new.deliveries) == sorted(r.id for r in rows if r.id not in old.ids())
    assert len([r for r in hooks.messages() if r.status == "pending"]) == 9  # disabled: they wait


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_worker_whose_clock_runs_ahead_does_not_take_a_message_another_holds(
    hooks: Hooks, monkeypatch: pytest.MonkeyPatch
) -> None:
    # leases were judged by each worker's own clock: one running a minute ahead found a message due whose lease
    # another worker still held, and sent it beside that worker's attempt. They are on the store's clock now.
    release = threading.Event()
    receiver = Receiver(held_until(release)).start()
    slow = {"webhook_timeout": 20.0, "webhook_lease_seconds": 30.0}
    try:
        hooks.endpoint(receiver.url, [HIGH])
        churn(hooks, 1)
        with hooks.engine(**slow):
            hooks.wait_until(lambda: receiver.in_flight == 1, what="the attempt to be in flight")
            ahead = utcnow() + timedelta(minutes=5)  # past the lease, on this worker's clock
            monkeypatch.setattr(delivery_module, "utcnow", lambda: ahead)
            with hooks.engine(**slow):
                time.sleep(1.0)  # twenty rounds of the second worker
                assert receiver.in_flight == 1 and receiver.deliveries == []
            release.set()
            (row,) = hooks.settled(1)
    finally:
        release.set()
        receiver.close()
    assert row.status == "delivered" and len(receiver.deliveries) == 1


def test_a_late_outcome_is_logged_and_leaves_a_message_claimed_again_alone(hooks: Hooks, receiver: Receiver) -> None:
    """A worker whose lease ran out records its attempt after another worker claimed the message again: the
    attempt is logged, the message stays the new claim's. Both stores' forms of the write (a statement per row on
    SQLite, one over arrays on PostgreSQL) are held to it, in one round with an outcome whose lease still holds."""
    endpoint_id, _ = hooks.endpoint(receiver.url)
    churn(hooks, 1)
    late, current = hooks.messages(endpoint_id)[:2]
    with hooks.store.write() as conn:
        for row, lease in ((late, "lease-of-the-new-claim"), (current, "lease-current")):
            conn.execute(sa.update(webhook_messages).where(webhook_messages.c.id == row.id).values(lease_id=lease))
    target = Target(endpoint_id, receiver.url, [])
    now = utcnow()
    outcomes = [
        Outcome(Claimed(late.id, target, b"{}", 0, "lease-that-ran-out"), now, 12.5, 204),
        Outcome(Claimed(current.id, target, b"{}", 0, "lease-current"), now, 7.25, 204),
    ]
    policy = Policy(Schedule((1.0,)), timedelta(seconds=30), timedelta(days=1))
    with hooks.store.write() as conn:
        recorded = record(conn, policy, outcomes, now)
    assert recorded.delivered == 2  # both answered 204; the store decides whose the message is
    rows = {row.id: row for row in hooks.messages(endpoint_id)}
    assert (rows[late.id].status, rows[late.id].lease_id, rows[late.id].attempts) == (
        "pending",
        "lease-of-the-new-claim",
        0,
    )
    assert (rows[current.id].status, rows[current.id].lease_id, rows[current.id].attempts) == ("delivered", None, 1)
    assert (rows[current.id].last_attempt_at, rows[current.id].last_status_code) == (now, 204)
    [late_attempt] = hooks.attempts(late.id)
    [current_attempt] = hooks.attempts(current.id)
    assert (late_attempt.endpoint_id, late_attempt.status_code, late_attempt.latency_ms) == (endpoint_id, 204, 12.5)
    assert (current_attempt.status_code, current_attempt.latency_ms, current_attempt.attempted_at) == (204, 7.25, now)
