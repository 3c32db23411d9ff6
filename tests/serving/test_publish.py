"""Publish: what it copies, idempotence per run, tier carry-over, retention, and atomicity under failure."""

from __future__ import annotations

import gc
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from c360.serving import queries
from c360.serving.errors import NothingToPublish
from c360.serving.publish import PublishJob, full_collections_deferred, publish, write_run
from c360.serving.snapshot import ScoringRun
from c360.serving.store import Store, score_history, served_runs, served_subscribers
from c360.settings import Settings
from c360.warehouse import Warehouse
from c360.webhooks.outbox import record_events
from tests.conftest import examples, run_cli
from tests.hostile import hostile_text
from tests.serving.data import SCORE_DATE, Expected, add_scoring_run, seed_warehouse, subscriber_id, tier


def served(store: Store) -> queries.ServedRun:
    run = queries.current_run(store)
    assert run is not None
    return run


def row_count(store: Store, table: sa.Table) -> int:
    with store.read() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def test_publish_serves_the_runs_scores_and_the_profile_snapshot(
    serving: Settings, store: Store, seeded: Expected
) -> None:
    result = publish(serving, outbox=record_events)
    assert (result.run_id, result.status, result.subscribers) == ("run-1", "published", len(seeded.ids))
    run = served(store)
    assert (run.run_id, run.score_date) == ("run-1", SCORE_DATE)
    scores = seeded.scored
    assert run.high_count + run.medium_count + run.low_count == len(scores)
    assert run.high_count == sum(tier(s) == "High" for s in scores.values())
    health = queries.get_health_score(store, run=run, subscriber_id="sub-0007")
    assert health["churn_risk_score"] == pytest.approx(scores["sub-0007"])
    assert health["risk_tier"] == tier(scores["sub-0007"])
    assert health["previous_risk_tier"] is None  # nothing was served before
    assert health["drivers"][0]["feature"] == "days_since_last_read"
    profile = queries.get_profile(store, run=run, subscriber_id="sub-0007")
    # sub-0007: reads on 7 % 6 = 1 day (2 articles, 240 s), 7 % 4 = 3 tickets, all within 90 days
    assert profile["engagement_30d"] == {
        "articles_viewed": 2,
        "total_time_spent": 240,
        "distinct_sections": 1,
        "days_since_last_read": 2,
    }
    assert profile["support_tickets_90d"] == 3
    assert (profile["status"], profile["plan"]) == ("active", "standard")
    cancelled = queries.get_profile(store, run=run, subscriber_id="sub-0010")
    assert cancelled["status"] == "cancelled" and cancelled["health"] is None  # profile without a score


@contextmanager
def full_collections_counted(counted: list[int]) -> Iterator[None]:
    """Every collection of the oldest generation while the block runs, in ``counted``, with thresholds so low that
    any allocating code would start several: a full one is considered after each young one."""

    def watch(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] == 2:
            counted.append(1)

    saved = gc.get_threshold()
    # what the process already holds is set aside (a full collection waits until a quarter as many objects as
    # the oldest generation holds are new, and a test process may hold millions), so little allocation starts one
    gc.freeze()
    gc.collect()
    gc.set_threshold(50, 1, 1)
    gc.callbacks.append(watch)
    try:
        yield
    finally:
        gc.callbacks.remove(watch)
        gc.set_threshold(*saved)
        gc.unfreeze()


def test_a_publish_defers_full_collections_and_gives_the_collector_back_as_it_found_it(
    serving: Settings, store: Store, seeded: Expected
) -> None:
    # a publish holds the whole served run in memory, which every full collection would traverse
    during: list[int] = []
    with full_collections_counted(during):
        assert publish(serving, outbox=record_events).status == "published"
        assert gc.get_threshold() == (50, 1, 1)  # as it found them: full collections are due again
    assert during == []
    with full_collections_counted(during):  # the watch sees them when they run
        kept = [{"n": [i]} for i in range(50_000)]
    assert during and len(kept) == 50_000
    with Warehouse.from_settings(serving).connect() as conn:
        conn.execute("DELETE FROM SFE_ANALYTICS_MEDIA.FCT_CUSTOMER_HEALTH_SCORES")
    with full_collections_counted([]), pytest.raises(NothingToPublish):
        try:
            publish(serving, outbox=record_events)
        finally:
            assert gc.get_threshold() == (50, 1, 1)  # given back by a publish that failed, too


def test_overlapping_deferrals_give_the_thresholds_back_when_the_last_one_ends() -> None:
    # two publishes in two threads: the one started first may end first, and must not end the other's deferral
    saved = gc.get_threshold()
    first, second = full_collections_deferred(), full_collections_deferred()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert gc.get_threshold()[2] != saved[2]  # the second publish still runs: full collections stay deferred
    second.__exit__(None, None, None)
    assert gc.get_threshold() == saved


def test_publishing_the_same_run_again_changes_nothing(serving: Settings, store: Store, seeded: Expected) -> None:
    publish(serving, outbox=record_events)
    before = served(store)
    again = publish(serving, outbox=record_events)
    assert again.status == "already published"
    assert served(store) == before
    assert row_count(store, served_subscribers) == len(seeded.ids)
    assert row_count(store, served_runs) == 1


def test_a_new_run_carries_the_previous_tier_and_keeps_updated_at_where_nothing_changed(
    serving: Settings, store: Store, wh: Warehouse, published: Expected
) -> None:
    first = served(store)
    unchanged, moved = "sub-0001", "sub-0004"  # 0.37 High stays; 0.48 High drops to Low
    before = queries.get_health_score(store, run=first, subscriber_id=unchanged)
    add_scoring_run(wh, "run-2", {**published.scored, moved: 0.02}, score_date=SCORE_DATE + timedelta(days=1))
    result = publish(serving, outbox=record_events)
    assert (result.run_id, result.previous_run_id) == ("run-2", "run-1")
    second = served(store)
    kept = queries.get_health_score(store, run=second, subscriber_id=unchanged)
    assert kept["previous_risk_tier"] == "High" and kept["updated_at"] == before["updated_at"]
    changed = queries.get_health_score(store, run=second, subscriber_id=moved)
    assert (changed["previous_risk_tier"], changed["risk_tier"]) == ("High", "Low")
    assert changed["updated_at"] > before["updated_at"]
    history = queries.get_history(store, run=second, subscriber_id=moved, limit=10)
    assert [h["run_id"] for h in history] == ["run-2", "run-1"]


SQLITE = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


@SQLITE
def test_only_the_last_runs_rows_are_kept(serving: Settings, store: Store, wh: Warehouse) -> None:
    expected = seed_warehouse(wh, subscribers=5)
    publish(serving, outbox=record_events)
    for n in range(2, 6):  # serving_keep_runs defaults to 3
        add_scoring_run(wh, f"run-{n}", expected.scored, score_date=SCORE_DATE + timedelta(days=n))
        publish(serving, outbox=record_events)
    with store.read() as conn:
        runs = conn.execute(sa.select(served_runs.c.run_id, served_runs.c.pruned).order_by(served_runs.c.seq)).all()
        kept = {row[0] for row in conn.execute(sa.select(served_subscribers.c.run_seq).distinct())}
    assert [(r.run_id, r.pruned) for r in runs] == [
        ("run-1", True), ("run-2", True), ("run-3", False), ("run-4", False), ("run-5", False)
    ]  # fmt: skip
    assert kept == {3, 4, 5}
    assert row_count(store, score_history) == 5 * len(expected.scored)  # history is by day, not by run


@pytest.mark.slow  # worker-kill: a process killed and run again
def test_a_publish_killed_before_commit_leaves_the_previous_run_served(
    serving: Settings, store: Store, wh: Warehouse, published: Expected
) -> None:
    add_scoring_run(wh, "run-2", {k: 0.5 for k in published.scored}, score_date=SCORE_DATE + timedelta(days=1))
    killed = run_cli("publish", env={"C360_FAILPOINTS": "publish.before_commit"})
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert served(store).run_id == "run-1"
    assert row_count(store, served_runs) == 1
    assert row_count(store, served_subscribers) == len(published.ids)  # none of run-2's rows survived
    health = queries.get_health_score(store, run=served(store), subscriber_id="sub-0001")
    assert health["churn_risk_score"] == pytest.approx(published.scored["sub-0001"])
    retried = run_cli("publish")
    assert retried.returncode == 0, retried.stderr
    assert "run-2" in retried.stdout and served(store).run_id == "run-2"


def test_a_publish_failing_midway_rolls_back_completely(serving: Settings, store: Store, published: Expected) -> None:
    run = ScoringRun("run-bad", SCORE_DATE, "m", served(store).scored_at + timedelta(minutes=1))
    row = {"subscriber_id": subscriber_id(1), "churn_risk_score": 0.5, "risk_tier": "High", "drivers": None}
    rows = [row, {**row, "churn_risk_score": 0.6}]  # the same subscriber twice: the primary key refuses it
    with pytest.raises(sa.exc.IntegrityError):
        write_run(store, serving, run, rows, None, outbox=record_events)
    assert served(store).run_id == "run-1"
    assert row_count(store, served_runs) == 1
    assert row_count(store, served_subscribers) == len(published.ids)


@SQLITE
def test_publish_without_scores_fails_clearly(serving: Settings, wh: Warehouse) -> None:
    with pytest.raises(NothingToPublish):
        publish(serving, outbox=record_events)
    result = run_cli("publish")
    assert result.returncode == 1
    assert "no scoring run" in result.stderr and "Traceback" not in result.stderr


@SQLITE
def test_publish_picks_the_run_of_the_requested_score_date(
    serving: Settings, store: Store, wh: Warehouse, seeded: Expected
) -> None:
    add_scoring_run(wh, "run-2", seeded.scored, score_date=SCORE_DATE + timedelta(days=1))
    result = run_cli("publish", "--score-date", SCORE_DATE.isoformat())
    assert result.returncode == 0, result.stderr
    assert served(store).run_id == "run-1"
    bad = run_cli("publish", "--score-date", "yesterday")
    assert bad.returncode == 2 and "--score-date" in bad.stderr


def test_the_worker_job_publishes_each_newer_run_once(
    serving: Settings, store: Store, wh: Warehouse, seeded: Expected
) -> None:
    reports: list[str] = []
    job = PublishJob(serving, record_events, report=reports.append)
    job.tick()
    job.tick()  # nothing newer: no second publish
    assert served(store).run_id == "run-1" and len(reports) == 1
    add_scoring_run(wh, "run-2", seeded.scored, score_date=SCORE_DATE + timedelta(days=1))
    job.tick()
    assert served(store).run_id == "run-2" and len(reports) == 2


def test_a_value_no_store_can_hold_is_cleaned_or_its_row_set_aside_and_the_run_published(
    serving: Settings, store: Store, seeded: Expected
) -> None:
    # issue 11 #2: "prem\x00ium" failed every publish to PostgreSQL, and the error printed ten subscribers' rows
    warehouse = Warehouse.from_settings(serving)
    with warehouse.connect() as conn:  # profiles are computed from the staged events at publish
        events = "UPDATE SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS SET"
        conn.execute(f"{events} plan = 'prem' || chr(0) || 'ium' WHERE subscriber_id = 'sub-0007'")
        conn.execute(f"{events} subscriber_id = 'sub-0008' || chr(0) WHERE subscriber_id = 'sub-0008'")
        conn.execute(f"{events} plan = repeat('x', 100) WHERE subscriber_id = 'sub-0009'")
    cli = run_cli("publish")
    assert cli.returncode == 0, cli.stderr
    assert "1 subscriber row(s) set aside" in cli.stdout
    assert "subscriber_id: contains a NUL character (U+0000) at position 8" in cli.stdout
    assert "sub-0008" not in cli.stdout + cli.stderr  # no subscriber data in messages
    run = served(store)
    profile = queries.get_profile(store, run=run, subscriber_id="sub-0007")
    assert profile["plan"] == "prem\ufffdium"
    assert queries.get_profile(store, run=run, subscriber_id="sub-0009")["plan"] == "x" * 63 + "…"
    assert run.subscribers == len(seeded.ids)  # sub-0008's score is served; its unstorable profile is not


def test_property_any_text_from_the_warehouse_is_published_or_set_aside_with_a_reason(
    serving: Settings, store: Store
) -> None:
    # the class of issue 11 #2: no value read from the warehouse can fail a publish (SQLite or PostgreSQL)
    runs = iter(range(1, 10_000))

    @settings(max_examples=examples(20), deadline=None)
    @given(
        st.lists(st.tuples(hostile_text, hostile_text, hostile_text), min_size=1, max_size=6, unique_by=lambda t: t[0])
    )
    def publish_hostile(values: list[tuple[str, str, str]]) -> None:
        n, now = next(runs), datetime.now(UTC)
        rows = [
            {"subscriber_id": sid, "plan": plan, "demographic_segment": segment, "status": plan,
             "churn_risk_score": 0.5, "risk_tier": "High", "score_date": SCORE_DATE, "scored_at": now,
             "model_version": "m", "drivers": [{"feature": segment, "value": plan}]}
            for sid, plan, segment in values
        ]  # fmt: skip
        result = write_run(
            store, serving, ScoringRun(f"hostile-{n}", SCORE_DATE, "m", now), rows, None, outbox=record_events
        )
        assert result.status == "published"
        assert result.subscribers + len(result.set_aside) == len(rows)
        assert all(r.startswith("subscriber_id: ") for r in result.set_aside)

    publish_hostile()
