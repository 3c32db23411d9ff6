"""The outbox: events computed at publish, written in the publish transaction, once per run, subscriber
and endpoint; the baseline and a re-publish emit nothing; a crash before the commit leaves nothing."""

from __future__ import annotations

import json
import signal
from datetime import timedelta

import pytest
import sqlalchemy as sa

from c360.serving.publish import publish
from c360.serving.store import utcnow
from c360.warehouse import Warehouse
from c360.webhooks import endpoints
from c360.webhooks.outbox import record_events
from tests.conftest import run_cli
from tests.serving.backends import Backend
from tests.serving.data import SCORE_DATE, add_scoring_run, seed_warehouse
from tests.webhooks.conftest import Hooks, give_warehouse

HIGH, CHANGED = "subscriber.churn_risk.high", "subscriber.risk_tier.changed"


def test_a_tier_change_writes_one_message_per_event_and_subscribed_endpoint(hooks: Hooks) -> None:
    both, _ = hooks.endpoint("http://127.0.0.1:9/both")
    only_high, _ = hooks.endpoint("http://127.0.0.1:9/high", [HIGH])
    only_changes, _ = hooks.endpoint("http://127.0.0.1:9/changes", [CHANGED])
    baseline = hooks.publish({"a": 0.05, "b": 0.15, "c": 0.50, "d": 0.05})
    assert baseline.status == "published" and hooks.messages() == []  # the first publish is the baseline
    # a: Low -> High, b: Medium -> Low, c: High stays, d: Low stays, e: new and High, (no f)
    hooks.publish({"a": 0.45, "b": 0.02, "c": 0.60, "d": 0.06, "e": 0.9})
    sent = {(r.endpoint_id, r.event_type, r.subscriber_id) for r in hooks.messages()}
    assert sent == {
        (both, HIGH, "a"), (both, CHANGED, "a"), (both, CHANGED, "b"), (both, HIGH, "e"), (both, CHANGED, "e"),
        (only_high, HIGH, "a"), (only_high, HIGH, "e"),
        (only_changes, CHANGED, "a"), (only_changes, CHANGED, "b"), (only_changes, CHANGED, "e"),
    }  # fmt: skip
    message = next(r for r in hooks.messages(both) if (r.event_type, r.subscriber_id) == (HIGH, "a"))
    body = json.loads(message.payload)
    assert body["type"] == HIGH and body["timestamp"].endswith("Z")
    assert body["data"] == {
        "subscriber_id": "a",
        "previous_risk_tier": "Low",
        "risk_tier": "High",
        "churn_risk_score": 0.45,
        "previous_churn_risk_score": 0.05,
        "score_date": "2025-11-03",
        "model_version": "churn-test",
        "drivers": [{"feature": "days_since_last_read", "value": 21, "contribution": 0.18,
                     "direction": "increases_risk"}],
    }  # fmt: skip
    new = json.loads(next(r.payload for r in hooks.messages(only_high) if r.subscriber_id == "e"))
    assert new["data"]["previous_risk_tier"] is None and new["data"]["previous_churn_risk_score"] is None
    assert {r.status for r in hooks.messages()} == {"pending"}
    assert len({r.id for r in hooks.messages()}) == 10  # every message has its own webhook-id


def test_the_outbox_refuses_a_second_copy_of_a_runs_messages(hooks: Hooks) -> None:
    hooks.endpoint("http://127.0.0.1:9/hook")
    hooks.publish({"a": 0.05})
    second = hooks.publish({"a": 0.5})
    assert len(hooks.messages()) == 2
    with pytest.raises(sa.exc.IntegrityError), hooks.store.write() as conn:  # unique (run, subscriber, endpoint, type)
        seqs = [row.seq for row in conn.execute(sa.text("SELECT seq FROM served_runs ORDER BY seq"))]
        record_events(conn, run_seq=seqs[-1], previous_seq=seqs[-2], now=utcnow())
    assert len(hooks.messages()) == 2 and second.status == "published"


def test_disabled_endpoints_and_endpoints_of_other_types_get_nothing(hooks: Hooks) -> None:
    changes, _ = hooks.endpoint("http://127.0.0.1:9/changes", [CHANGED])
    disabled, _ = hooks.endpoint("http://127.0.0.1:9/off")
    endpoints.update(hooks.store, hooks.settings, disabled, enabled=False)
    hooks.publish({"a": 0.35})
    hooks.publish({"a": 0.40})  # High stays High: no change, nothing for anyone
    assert hooks.messages() == []
    hooks.publish({"a": 0.20})  # High -> Medium: a change, but no High event
    assert [(r.endpoint_id, r.event_type) for r in hooks.messages()] == [(changes, CHANGED)]


def warehouse_of(hooks: Hooks) -> Warehouse:
    give_warehouse(hooks.home)
    return Warehouse.from_settings(hooks.settings)


def test_publish_from_the_warehouse_writes_the_events_and_a_repeat_writes_nothing(hooks: Hooks) -> None:
    wh = warehouse_of(hooks)
    expected = seed_warehouse(wh, subscribers=20)
    assert publish(hooks.settings, outbox=record_events).status == "published"  # baseline
    hooks.endpoint("http://127.0.0.1:9/hook", [HIGH])
    lows = [sid for sid, score in expected.scored.items() if score < 0.3]
    add_scoring_run(wh, "run-2", {**expected.scored, **dict.fromkeys(lows, 0.95)}, score_date=SCORE_DATE + timedelta(1))
    assert publish(hooks.settings, outbox=record_events).status == "published"
    assert sorted(r.subscriber_id for r in hooks.messages()) == sorted(lows)
    assert publish(hooks.settings, outbox=record_events).status == "already published"
    assert len(hooks.messages()) == len(lows)


@pytest.mark.slow  # worker-kill: a process killed and run again
@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_publish_killed_before_commit_writes_no_events_and_its_retry_writes_them_once(
    hooks: Hooks, backend: Backend
) -> None:
    wh = warehouse_of(hooks)
    expected = seed_warehouse(wh, subscribers=20)
    publish(hooks.settings, outbox=record_events)
    hooks.endpoint("http://127.0.0.1:9/hook", [HIGH])
    add_scoring_run(wh, "run-2", dict.fromkeys(expected.scored, 0.95), score_date=SCORE_DATE + timedelta(1))
    env = hooks.env(backend)
    killed = run_cli("publish", env={**env, "C360_FAILPOINTS": "publish.before_commit"})
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert hooks.messages() == []  # rolled back with the run
    retried = run_cli("publish", env=env)
    assert retried.returncode == 0, retried.stderr
    was_high = [sid for sid, score in expected.scored.items() if score >= 0.3]
    assert len(hooks.messages()) == len(expected.scored) - len(was_high)
    assert run_cli("publish", env=env).returncode == 0  # already published: nothing more
    assert len(hooks.messages()) == len(expected.scored) - len(was_high)
