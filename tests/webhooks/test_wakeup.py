"""On PostgreSQL a commit that makes messages due wakes `c360 worker` at once (c360.webhooks.wakeup): the poll
interval here is a minute, so only the notification can explain a delivery within seconds."""

from __future__ import annotations

import logging
import time

import pytest
import sqlalchemy as sa

from c360.webhooks import messages
from c360.webhooks.delivery import Engine
from tests.webhooks.conftest import Hooks
from tests.webhooks.receiver import Receiver

pytestmark = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
POLL = 60.0  # seconds: longer than every wait below


def listening(hooks: Hooks, engine: Engine) -> int:
    """Wait until the engine's listener holds LISTEN, and the engine's first round is over; its backend pid."""
    hooks.wait_until(lambda: engine.listener is not None and engine.listener.listening.is_set(), what="LISTEN")
    time.sleep(0.3)  # the loop is now in its poll's sleep
    assert engine.listener is not None and engine.listener.backend_pid is not None
    return engine.listener.backend_pid


def test_a_publish_and_a_test_event_are_delivered_at_once_not_at_the_next_poll(
    hooks: Hooks, receiver: Receiver
) -> None:
    endpoint_id, _ = hooks.endpoint(receiver.url)
    ids = [f"sub-{i:03d}" for i in range(5)]
    hooks.publish(dict.fromkeys(ids, 0.05))  # the baseline: no events
    with hooks.engine(webhook_poll_interval=POLL) as engine:
        listening(hooks, engine)
        started = time.monotonic()
        hooks.publish(dict.fromkeys(ids, 0.50))  # five subscribers become High: ten events
        hooks.settled(10, timeout=10)
        published_after = time.monotonic() - started
        messages.send_test(hooks.store, endpoint_id)
        hooks.settled(11, timeout=10)
    assert published_after < 10 and len(receiver.deliveries) == 11


def test_a_listener_whose_connection_is_closed_listens_again(
    hooks: Hooks, receiver: Receiver, caplog: pytest.LogCaptureFixture
) -> None:
    endpoint_id, _ = hooks.endpoint(receiver.url)
    with hooks.engine(webhook_poll_interval=POLL) as engine:
        killed = listening(hooks, engine)
        with hooks.store.engine.connect() as conn:  # as a server restart or an idle timeout would
            assert conn.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": killed}).scalar_one()
        assert engine.listener is not None
        hooks.wait_until(
            lambda: engine.listener is not None and engine.listener.backend_pid not in (None, killed),
            timeout=10,
            what="a new LISTEN connection",
        )
        time.sleep(0.3)  # the wake after reconnecting has had its round
        messages.send_test(hooks.store, endpoint_id)
        hooks.settled(1, timeout=10)
    assert len(receiver.deliveries) == 1
    # the broken connection was closed as it is, not reset like a pool's (which logs an error with its traceback)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert any("listening for new messages failed" in r.getMessage() for r in caplog.records)
