"""The change feed's delta over several versions against the query it replaced (kept here as the oracle): the
same subscribers, in the same order, on the same pages, over versions with changes, changes undone, removals
and re-appearances, from every token the store still answers, with pages of several sizes."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from c360.serving import feed
from c360.serving.cursor import cursor_key
from c360.serving.publish import write_run
from c360.serving.snapshot import ScoringRun
from c360.serving.store import Store, served_changes, served_subscribers
from c360.settings import Settings
from c360.webhooks.outbox import record_events
from tests.serving.data import SCORE_DATE, subscriber_id, tier

SUBSCRIBERS = 120
PAGE_SIZES = (1, 2, 3, 7, 500)


def _oracle() -> sa.Select[Any]:
    """The delta as it was first written: group every change row of the window after the cursor (MIN/MAX version
    per subscriber), then compare each subscriber's state before their first change with the one after their last."""
    c = served_changes.c
    win = (
        sa.select(c.subscriber_id, sa.func.min(c.version).label("first"), sa.func.max(c.version).label("last"))
        .where(c.version > sa.bindparam("since"), c.version <= sa.bindparam("version"))
        .where(c.subscriber_id > sa.bindparam("after"))
        .group_by(c.subscriber_id)
        .subquery("win")
    )
    first, last = served_changes.alias("first"), served_changes.alias("last")
    was_served, is_served = first.c.prev_state == "served", last.c.state == "served"
    changed = sa.or_(
        was_served != is_served,
        sa.and_(
            is_served,
            sa.or_(
                first.c.prev_score.is_distinct_from(last.c.churn_risk_score),
                first.c.prev_tier.is_distinct_from(last.c.risk_tier),
                first.c.prev_model.is_distinct_from(last.c.model_version),
            ),
        ),
    )
    rendered = served_subscribers.alias("rendered")
    return (
        sa.select(win.c.subscriber_id, last.c.state, rendered.c.health_json)
        .select_from(
            win.join(first, sa.and_(first.c.subscriber_id == win.c.subscriber_id, first.c.version == win.c.first))
            .join(last, sa.and_(last.c.subscriber_id == win.c.subscriber_id, last.c.version == win.c.last))
            .outerjoin(
                rendered,
                sa.and_(rendered.c.run_seq == sa.bindparam("seq"), rendered.c.subscriber_id == win.c.subscriber_id),
            )
        )
        .where(changed)
        .order_by(win.c.subscriber_id)
        .limit(sa.bindparam("limit"))
    )


ORACLE = _oracle()


def publish_versions(store: Store, serving: Settings) -> None:
    """Seven versions: random moves among few scores (so many moves come back), removals and re-appearances, a
    model change, and a version that moves everyone and one that moves almost all of them back."""
    rng = random.Random(16)
    scores: dict[str, float | None] = {subscriber_id(i): rng.choice((0.05, 0.2, 0.5)) for i in range(SUBSCRIBERS)}
    plans: list[dict[str, float | None]] = [dict(scores)]
    for _ in range(4):
        scores = {sid: None if rng.random() < 0.15 else rng.choice((0.05, 0.2, 0.5)) if rng.random() < 0.4 else
                  (s if s is not None else plans[0][sid]) for sid, s in scores.items()}  # fmt: skip
        plans.append(dict(scores))
    moved = {sid: (s + 0.01 if s is not None else None) for sid, s in scores.items()}
    plans.append(moved)  # every served score moves ...
    plans.append({sid: moved[sid] if i % 40 == 0 else s for i, (sid, s) in enumerate(scores.items())})  # ... and back
    started = datetime.now(UTC) - timedelta(hours=1)
    for n, plan in enumerate(plans, 1):
        model = "m2" if n == 4 else "m1"
        now = started + timedelta(minutes=n)
        rows = [
            {"subscriber_id": sid, "churn_risk_score": score, "risk_tier": tier(score), "score_date": SCORE_DATE,
             "scored_at": now, "model_version": model, "drivers": None, "status": "active"}
            for sid, score in plan.items() if score is not None
        ]  # fmt: skip
        result = write_run(store, serving, ScoringRun(f"run-{n}", SCORE_DATE, model, now), rows, None,
                           outbox=record_events)  # fmt: skip
        assert result.status == "published"


def oracle_page(store: Store, since: int, version: int, after: str, limit: int) -> list[tuple[str, Any]]:
    with store.read() as conn:
        seq = conn.execute(sa.text("SELECT run_seq FROM serving_versions WHERE version = :v"), {"v": version}).scalar()
        rows = conn.execute(
            ORACLE, {"since": since, "version": version, "after": after, "seq": seq, "limit": limit}
        ).all()
    return [
        (sid, {**json.loads(health), "profile": None} if state == "served" else "removed")
        for sid, state, health in rows
    ]


def feed_page(page: feed.FeedPage) -> list[tuple[str, Any]]:
    return [(item["subscriber_id"], "removed" if item.get("removed") else item) for item in page.data]


@pytest.mark.slow  # some 900 pages, each checked against the oracle query: 8 s on PostgreSQL
def test_a_delta_over_several_versions_pages_exactly_as_the_grouped_window_did(serving: Settings, store: Store) -> None:
    publish_versions(store, serving)
    key = cursor_key(serving)
    version = feed.read_changes(store, run=None, key=key, sync_token=None, cursor=None, limit=1).version
    assert version == 7
    sizes = {}
    for since in range(version + 1):
        whole = oracle_page(store, since, version, "", 10_000)
        sizes[since] = len(whole)
        for limit in PAGE_SIZES:
            token, cursor, after, pages = feed.sync_token_of(store, key, since), None, "", 0
            while True:
                page = feed.read_changes(store, run=None, key=key, sync_token=token, cursor=cursor, limit=limit)
                expected = oracle_page(store, since, version, after, limit + 1)
                assert feed_page(page) == expected[:limit], (since, limit, after)
                assert (page.next_cursor is not None) == (len(expected) > limit)
                pages += 1
                if page.next_cursor is None:
                    assert page.next_sync_token is not None
                    break
                cursor, after = page.next_cursor, page.data[-1]["subscriber_id"]
            assert pages == max(1, -(-len(whole) // limit))
    # the scenario is what it claims: removals, re-appearances and changes undone in the windows read
    assert sizes[version] == 0 and sizes[version - 2] <= SUBSCRIBERS // 40 < sizes[version - 1]
    with store.read() as conn:
        states = conn.execute(sa.select(served_changes.c.prev_state, served_changes.c.state).distinct()).all()
    assert {("served", "removed"), ("removed", "served"), ("served", "served")} <= set(states)
