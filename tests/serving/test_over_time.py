"""The served state over time: forward-only publishes, backfills, rollbacks, removals, point-in-time
profiles, up-front date checks and serialized publishes (each reproduces a defect of issue 10)."""

from __future__ import annotations

import itertools
import json
import threading
from datetime import datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from c360.serving import analytics_queries, feed, queries
from c360.serving.cursor import cursor_key
from c360.serving.errors import CursorExpired
from c360.serving.publish import describe, publish, publish_pending, write_run
from c360.serving.snapshot import ScoringRun
from c360.serving.store import Store, served_runs, serving_versions
from c360.settings import Settings
from c360.warehouse import Warehouse
from c360.webhooks import endpoints
from c360.webhooks.outbox import record_events
from c360.webhooks.tables import webhook_messages
from tests.conftest import run_cli
from tests.serving.data import SCORE_DATE, Expected, add_scoring_run, add_subscription_event, seed_warehouse

CANCELLED, HIGH = "subscriber.cancelled", "subscriber.churn_risk.high"
EVERY_EVENT = [HIGH, "subscriber.risk_tier.changed", CANCELLED]


def served(store: Store) -> queries.ServedRun:
    run = queries.current_run(store)
    assert run is not None
    return run


def messages(store: Store) -> list[sa.Row[Any]]:
    with store.read() as conn:
        return list(conn.execute(sa.select(webhook_messages).order_by(webhook_messages.c.seq)))


def endpoint(serving: Settings, store: Store) -> str:
    settings = serving.model_copy(update={"webhook_allow_private_urls": True})
    created, _ = endpoints.create(store, settings, url="http://127.0.0.1:9/hook", event_types=EVERY_EVENT)
    return created.id


def test_a_backfill_goes_to_history_and_leaves_the_served_run_and_webhooks_alone(
    serving: Settings, store: Store, wh: Warehouse, published: Expected
) -> None:
    endpoint(serving, store)
    old_day = SCORE_DATE - timedelta(days=3)
    add_scoring_run(wh, "run-old", {k: 0.99 for k in published.scored}, score_date=old_day)  # all High, long ago
    result = run_cli("publish", "--score-date", old_day.isoformat())
    assert result.returncode == 0, result.stderr
    assert "backfill" in result.stdout and f"served day {SCORE_DATE}" in result.stdout
    run = served(store)
    assert (run.run_id, run.score_date, run.version) == ("run-1", SCORE_DATE, 1)
    assert messages(store) == []  # no tier changes computed against the past
    history = queries.get_history(store, run=run, subscriber_id="sub-0001", limit=5)
    assert [(h["score_date"], h["run_id"]) for h in history] == [(SCORE_DATE, "run-1"), (old_day, "run-old")]
    assert queries.get_health_score(store, run=run, subscriber_id="sub-0001")["churn_risk_score"] == pytest.approx(
        published.scored["sub-0001"]
    )


def test_a_backfill_leaves_the_dashboards_aggregates_as_of_the_served_day(
    serving: Settings, store: Store, wh: Warehouse, seeded: Expected
) -> None:
    old_day = SCORE_DATE - timedelta(days=60)
    with wh.connect() as conn, conn.transaction():  # each day's drift, as the scoring monitor records it
        for run_id, day in (("run-1", SCORE_DATE), ("run-old", old_day)):
            conn.execute(
                "INSERT INTO SFE_ANALYTICS_MEDIA.FCT_SCORING_MONITOR VALUES (:run, :day, 'm', 'psi', "
                "'engagement_score', 0.1, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ)",
                {"run": run_id, "day": day},
            )
    assert publish(serving, outbox=record_events).status == "published"

    def aggregates() -> tuple[Any, ...]:
        return (
            analytics_queries.engagement(store, grain="day", by="plan"),
            analytics_queries.cohorts(store),
            [(d["score_date"], d["feature"], d["psi"]) for d in analytics_queries.drift(store)],
        )

    before = aggregates()
    assert before[0]["data"] and before[1]["cohorts"]  # the served day's weeks of engagement, and its cohorts
    assert [d[0] for d in before[2]] == [old_day, SCORE_DATE]
    add_scoring_run(wh, "run-old", seeded.scored, score_date=old_day)
    assert publish(serving, outbox=record_events, score_date=old_day).status == "backfill"
    assert served(store).score_date == SCORE_DATE
    assert aggregates() == before  # not the 26 weeks ending two months ago, nor the drift up to then


def test_a_page_of_a_run_dropped_while_it_was_read_is_expired_not_an_empty_end(
    serving: Settings, store: Store, wh: Warehouse, published: Expected
) -> None:
    """The API's view of the served run can be a few publishes old (C360_API_RUN_CHECK_INTERVAL); if retention
    dropped that run's rows meanwhile, its pages are empty, and an empty page with no cursor reads as the end:
    a full sync would hand out a sync token with none of the subscribers. It is a 410 to start again."""
    run = served(store)  # what the API holds
    keep_two = serving.model_copy(update={"serving_keep_runs": 2})
    for n in (2, 3):  # run-1's rows go when run-3 is published
        add_scoring_run(wh, f"run-{n}", published.scored, score_date=SCORE_DATE + timedelta(days=n))
        assert publish(keep_two, outbox=record_events).status == "published"
    key = cursor_key(serving)
    with pytest.raises(CursorExpired, match="dropped"):
        feed.read_changes(store, run=run, key=key, sync_token=None, cursor=None, limit=10)
    with pytest.raises(CursorExpired, match="dropped"):
        queries.list_health_scores(store, run=run, cursor=None, cursor_key=key, limit=10)
    fresh = served(store)  # the served run's pages are whole
    page = feed.read_changes(store, run=fresh, key=key, sync_token=None, cursor=None, limit=10)
    assert len(page.items) == 10 and page.next_cursor is not None


def test_the_worker_on_an_empty_store_serves_the_newest_day_with_the_earlier_ones_as_its_history(
    serving: Settings, store: Store, wh: Warehouse, seeded: Expected
) -> None:
    for back in (2, 1):  # days scored before run-1's, none published
        add_scoring_run(wh, f"run-back-{back}", seeded.scored, score_date=SCORE_DATE - timedelta(days=back))
    results = publish_pending(serving, warehouse=wh, store=store, outbox=record_events)
    assert [(r.score_date, r.status) for r in results] == [
        (SCORE_DATE, "published"),
        (SCORE_DATE - timedelta(days=2), "backfill"),
        (SCORE_DATE - timedelta(days=1), "backfill"),
    ]
    with store.read() as conn:  # one version: the API never answered with a past day's scores
        assert conn.execute(sa.select(sa.func.count()).select_from(serving_versions)).scalar_one() == 1
    assert served(store).score_date == SCORE_DATE
    history = queries.get_history(store, run=served(store), subscriber_id="sub-0001", limit=5)
    assert [h["score_date"] for h in history] == [SCORE_DATE - timedelta(days=d) for d in (0, 1, 2)]
    assert publish_pending(serving, warehouse=wh, store=store, outbox=record_events) == []


def test_a_run_scored_earlier_for_the_served_day_does_not_replace_it(
    serving: Settings, store: Store, wh: Warehouse, published: Expected
) -> None:
    earlier = served(store).scored_at - timedelta(hours=5)  # e.g. a slow worker publishing a stale run
    result = write_run(
        store, serving, ScoringRun("run-early", SCORE_DATE, "m", earlier), [], None, outbox=record_events
    )
    assert result.status == "superseded" and served(store).run_id == "run-1"
    assert "older than the run served for that day" in describe(result)


def test_a_rollback_needs_a_reason_serves_the_older_day_and_sends_no_events(
    serving: Settings, store: Store, wh: Warehouse, published: Expected
) -> None:
    endpoint(serving, store)
    new_day = SCORE_DATE + timedelta(days=1)
    add_scoring_run(wh, "run-2", {k: 0.95 for k in published.scored}, score_date=new_day)
    assert publish(serving, outbox=record_events).status == "published"
    events_after_run_2 = len(messages(store))
    assert events_after_run_2 > 0
    refused = run_cli("publish", "--score-date", SCORE_DATE.isoformat(), "--rollback")
    assert refused.returncode == 2 and "--reason" in refused.stderr, refused.stderr
    done = run_cli("publish", "--score-date", SCORE_DATE.isoformat(), "--rollback", "--reason", "run-2 used bad data")
    assert done.returncode == 0 and "rolled back" in done.stdout, done.stderr
    run = served(store)
    assert (run.run_id, run.score_date, run.version) == ("run-1", SCORE_DATE, 3)
    with store.read() as conn:
        log = conn.execute(sa.select(serving_versions).order_by(serving_versions.c.version)).all()
    assert [(v.version, v.kind, v.reason) for v in log] == [
        (1, "publish", None), (2, "publish", None), (3, "rollback", "run-2 used bad data"),
    ]  # fmt: skip
    assert len(messages(store)) == events_after_run_2  # a replayed run sends nothing
    some = next(iter(published.scored))
    assert queries.get_health_score(store, run=run, subscriber_id=some)["churn_risk_score"] == pytest.approx(
        published.scored[some]
    )


def test_a_cancelled_subscriber_keeps_a_tombstone_a_profile_an_event_and_a_feed_removal(
    serving: Settings, store: Store, wh: Warehouse, published: Expected
) -> None:
    endpoint(serving, store)
    key = b"k"
    token = feed.sync_token_of(store, key, 1)
    day = SCORE_DATE + timedelta(days=1)
    cancel_at = datetime.combine(day, datetime.min.time()) + timedelta(hours=8)
    with wh.connect() as conn:  # sub-0001 (0.37, High) cancels; sub-0002 is simply not scored
        add_subscription_event(conn, {"id": "cx", "subscriber_id": "sub-0001", "type": "cancel", "at": cancel_at})
    scores = {k: v for k, v in published.scored.items() if k not in ("sub-0001", "sub-0002")}
    add_scoring_run(wh, "run-2", scores, score_date=day)
    result = publish(serving, outbox=record_events)
    assert (result.status, result.removed) == ("published", 2)
    run = served(store)

    health = queries.get_health_score(store, run=run, subscriber_id="sub-0001")
    assert health["removed"] is True and health["churn_risk_score"] == pytest.approx(0.37)
    assert health["risk_tier"] == "High" and health["score_date"] == SCORE_DATE.isoformat()
    assert health["removal"]["reason"] == "cancelled" and health["removal"]["was_high"] is True
    assert health["removal"]["score_date"] == day.isoformat()
    assert queries.get_health_score(store, run=run, subscriber_id="sub-0002")["removal"]["reason"] == "not_scored"
    profile = queries.get_profile(store, run=run, subscriber_id="sub-0001")
    assert profile["status"] == "cancelled" and profile["cancelled_at"].replace(tzinfo=None) == cancel_at
    assert profile["health"]["removed"] is True

    cancelled = [m for m in messages(store) if m.event_type == CANCELLED]
    assert [m.subscriber_id for m in cancelled] == ["sub-0001"]  # not_scored is no cancellation
    data = json.loads(cancelled[0].payload)["data"]
    assert (data["was_high"], data["risk_tier"], data["score_date"]) == (True, "High", SCORE_DATE.isoformat())
    assert data["drivers"][0]["label"]

    page = feed.read_changes(store, run=run, key=key, sync_token=token, cursor=None, limit=100)
    removals = {row["subscriber_id"]: row for row in page.data if row["removed"]}
    assert set(removals) == {"sub-0001", "sub-0002"}
    assert removals["sub-0001"]["reason"] == "cancelled" and removals["sub-0001"]["last"]["risk_tier"] == "High"
    assert page.next_sync_token is not None
    again = feed.read_changes(store, run=run, key=key, sync_token=page.next_sync_token, cursor=None, limit=100)
    assert again.data == []  # seen once


def test_a_subscriber_removed_as_not_scored_who_then_cancels_is_a_cancellation_once(
    serving: Settings, store: Store, wh: Warehouse, published: Expected
) -> None:
    """The tombstone said not_scored; a cancel later must reach the CRM (feed, tombstone, webhook) once, or its
    copy keeps an active-looking subscriber who has gone."""
    endpoint(serving, store)
    key = b"k"
    scores = {k: v for k, v in published.scored.items() if k != "sub-0002"}
    add_scoring_run(wh, "run-2", scores, score_date=SCORE_DATE + timedelta(days=1))  # sub-0002: not scored
    assert publish(serving, outbox=record_events).removed == 1
    token = feed.sync_token_of(store, key, 2)
    cancel_at = datetime.combine(SCORE_DATE + timedelta(days=2), datetime.min.time()) + timedelta(hours=8)
    with wh.connect() as conn:
        add_subscription_event(conn, {"id": "cx", "subscriber_id": "sub-0002", "type": "cancel", "at": cancel_at})
    add_scoring_run(wh, "run-3", scores, score_date=SCORE_DATE + timedelta(days=2))
    assert publish(serving, outbox=record_events).status == "published"

    run = served(store)
    removal = queries.get_health_score(store, run=run, subscriber_id="sub-0002")["removal"]
    assert removal["reason"] == "cancelled" and removal["cancelled_at"].startswith(cancel_at.date().isoformat())
    assert removal["score_date"] == (SCORE_DATE + timedelta(days=1)).isoformat()  # removed that day, as before
    assert [m.subscriber_id for m in messages(store) if m.event_type == CANCELLED] == ["sub-0002"]
    one_version = feed.read_changes(store, run=run, key=key, sync_token=token, cursor=None, limit=100)
    assert [(r["subscriber_id"], r["reason"]) for r in one_version.data if r["removed"]] == [("sub-0002", "cancelled")]

    changed = {**scores, "sub-0003": 0.99}  # a fourth day: the token of day 2 is now two versions behind
    add_scoring_run(wh, "run-4", changed, score_date=SCORE_DATE + timedelta(days=3))
    assert publish(serving, outbox=record_events).status == "published"
    run = served(store)
    two_versions = feed.read_changes(store, run=run, key=key, sync_token=token, cursor=None, limit=100)
    assert {r["subscriber_id"]: r.get("reason") for r in two_versions.data} == {
        "sub-0002": "cancelled",
        "sub-0003": None,
    }
    latest = feed.read_changes(store, run=run, key=key, sync_token=one_version.next_sync_token, cursor=None, limit=100)
    assert [r["subscriber_id"] for r in latest.data] == ["sub-0003"]  # the cancellation was said once
    assert len([m for m in messages(store) if m.event_type == CANCELLED]) == 1


def test_profiles_are_as_of_the_published_day_whatever_dim_subscribers_was_built_for(
    serving: Settings, store: Store, wh: Warehouse, seeded: Expected
) -> None:
    with wh.connect() as conn:  # what a failed run as of a past day used to leave behind
        conn.execute(
            "UPDATE SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS SET as_of_date = '2026-01-01', lifetime_value = 0, "
            "tenure_days = 1"
        )
    publish(serving, outbox=record_events)
    profile = queries.get_profile(store, run=served(store), subscriber_id="sub-0005")
    assert profile["as_of_date"] == SCORE_DATE
    assert profile["tenure_days"] == 85 and profile["lifetime_value"] == pytest.approx(29.97)


def test_dates_are_checked_before_anything_is_written(serving: Settings, store: Store, published: Expected) -> None:
    never = SCORE_DATE - timedelta(days=2)
    result = run_cli("publish", "--score-date", never.isoformat())
    assert result.returncode == 2
    assert "no scoring run of that day" in result.stderr and f"{SCORE_DATE} .. {SCORE_DATE}" in result.stderr
    future = SCORE_DATE + timedelta(days=30)
    scored = run_cli("score", "--as-of", future.isoformat())
    assert scored.returncode == 2 and "in the future" in scored.stderr, scored.stderr
    ancient = run_cli("pipeline", "run", "--as-of", "1999-01-01")
    assert ancient.returncode == 2 and "--as-of 1999-01-01 is before" in ancient.stderr, ancient.stderr
    # 15 days loaded, 29 needed to score: no day to choose, so the message says what to load
    assert "no loaded day has that much history yet: load 15 more day(s)" in ancient.stderr
    assert served(store).version == 1


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)
def test_concurrent_publishes_each_compare_with_the_run_served_before_them(
    serving: Settings, store: Store, wh: Warehouse, published: Expected
) -> None:
    endpoint(serving, store)
    low = {k: 0.01 for k in published.scored}
    days = [SCORE_DATE + timedelta(days=n) for n in range(1, 7)]
    for n, day in enumerate(days, start=2):  # sub-0003 is High from the first new day on, the rest stay Low
        add_scoring_run(wh, f"run-{n}", {**low, "sub-0003": 0.9}, score_date=day)
    barrier = threading.Barrier(len(days))
    failures: list[BaseException] = []

    def go(day: object) -> None:
        try:
            barrier.wait()
            publish(serving, outbox=record_events, score_date=day)  # type: ignore[arg-type]
        except BaseException as exc:  # pragma: no cover - reported below
            failures.append(exc)

    threads = [threading.Thread(target=go, args=(day,)) for day in days]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with store.read() as conn:
        versions = conn.execute(sa.select(serving_versions).order_by(serving_versions.c.version)).all()
        runs = {r.seq: r for r in conn.execute(sa.select(served_runs))}
    chain = [v for v in versions if v.kind == "publish"]
    for before, after in itertools.pairwise(chain):  # each publish compared with the one served before it
        assert runs[after.run_seq].previous_seq == before.run_seq
    served_days = [runs[v.run_seq].score_date for v in chain]
    assert served_days == sorted(served_days)  # forward only; the older days that lost the race are backfills
    assert served(store).score_date == days[-1]
    high = [m for m in messages(store) if m.event_type == HIGH]
    assert [m.subscriber_id for m in high] == ["sub-0003"]  # entered High once, whatever the interleaving


def test_drivers_have_one_shape_whichever_target_scored(serving: Settings, store: Store, wh: Warehouse) -> None:
    from api.schemas import HealthScore

    seed_warehouse(wh, subscribers=3)
    day = SCORE_DATE + timedelta(days=1)
    snowflake_drivers = [  # what the Snowflake scoring task writes: model-wide importance, no attribution
        {"feature": "READS_PER_DAY_30D", "value": 0.4, "importance": 0.31},
        {"feature": "plan", "value": "basic", "importance": 0.08},
    ]
    with wh.connect() as conn:
        conn.execute(
            "INSERT INTO SFE_ANALYTICS_MEDIA.FCT_CUSTOMER_HEALTH_SCORES (subscriber_id, score_date, churn_risk_score, "
            "risk_tier, model_version, scored_at, drivers, run_id) SELECT 'sub-0001', :day, 0.4, 'High', 'sf-model', "
            "CURRENT_TIMESTAMP()::TIMESTAMP_NTZ, PARSE_JSON(:drivers), 'run-sf'",
            {"day": day, "drivers": json.dumps(snowflake_drivers)},
        )
    publish(serving, outbox=record_events)
    run = served(store)
    embedded = HealthScore.model_validate(queries.get_health_score(store, run=run, subscriber_id="sub-0001"))
    assert [d.model_dump() for d in embedded.drivers or []] == [
        {"feature": "reads_per_day_30d", "label": "Articles read per day, last 30 days", "value": 0.4,
         "contribution": None, "direction": None, "importance": 0.31},
        {"feature": "plan", "label": "Subscription plan", "value": "basic", "contribution": None, "direction": None,
         "importance": 0.08},
    ]  # fmt: skip


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_every_model_feature_has_a_label_for_people(wh: Warehouse) -> None:
    from c360.model.features import FEATURES
    from c360.serving.snapshot import feature_labels

    with wh.connect() as conn:
        labels = feature_labels(conn)
    assert sorted(f.name for f in FEATURES if f.name not in labels) == []
    assert all(label and label[0].isupper() for label in labels.values())
