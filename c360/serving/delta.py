"""The change feed's delta over several versions (a sync token older than the version before the served one),
read a page at a time.

A subscriber is in the delta when their state before their first change in the window (since, version]
differs from their state after their last one: a change undone within the window is no change. Grouping the
whole window after the cursor before returning a page cost 96 s a page at 5 M subscribers on PostgreSQL. Here
a page reads the window in stretches of subscriber ids, each bounded by a number of change rows:

1. ``_bound``: the first ``rows`` change rows of the window after the cursor, in subscriber_id order (each
   version's range of the (version, subscriber_id) index, merged): how many, and the last subscriber_id;
2. ``_changed``: the subscribers of the stretch (cursor, that id] whose state differs, each version's rows read
   by index within the stretch (so it holds every row of its subscribers) and ordered by subscriber and
   version: the state before the first change against the state after the last;
3. another, longer, stretch while the page is not full (changes undone fill this one) and the window goes on.
So a page costs its own subscribers' change rows and those of the changes undone between them, not the window's.
"""

from __future__ import annotations

import functools
from typing import Any

import sqlalchemy as sa

from c360.serving.rendered import upsert_json
from c360.serving.store import served_changes, served_subscribers

c = served_changes.c


def _per_version(versions: int, *conditions: Any) -> list[sa.Select[Any]]:
    """One select of (subscriber_id, version) per version of the window (since, since + versions]."""
    return [
        sa.select(c.subscriber_id, c.version).where(c.version == sa.bindparam("since") + offset, *conditions)
        for offset in range(1, versions + 1)
    ]


@functools.lru_cache(maxsize=128)
def _bound(versions: int) -> sa.Select[Any]:
    """How many of the first ``rows`` change rows after the cursor there are, and their last subscriber_id. One
    statement per window length: a window is C360_CHANGES_RETENTION_RUNS versions at most (publish trims it)."""
    # each version's range ordered and limited in its own subquery: PostgreSQL then merges them (Merge Append)
    # and stops at ``rows``; a UNION ALL of the filtered selects is read whole and sorted
    per_version = [
        select.order_by(c.subscriber_id).limit(sa.bindparam("rows")).subquery(f"version_{offset}")
        for offset, select in enumerate(_per_version(versions, c.subscriber_id > sa.bindparam("after")), 1)
    ]
    merged = sa.union_all(*(sa.select(rows) for rows in per_version)).subquery("merged")
    first_rows = sa.select(merged.c.subscriber_id).order_by(merged.c.subscriber_id).limit(sa.bindparam("rows"))
    stretch = first_rows.subquery("stretch")
    return sa.select(sa.func.count(), sa.func.max(stretch.c.subscriber_id))


@functools.lru_cache(maxsize=128)
def _changed(versions: int) -> sa.Select[Any]:
    """The subscribers of the stretch (after, last] whose state at ``version`` differs from the one at ``since``:
    subscriber_id, state now, removal (stored text) and the upsert's stored JSON in run ``seq``."""
    stretch = c.subscriber_id > sa.bindparam("after"), c.subscriber_id <= sa.bindparam("last")
    per_version = [
        sa.select(
            c.subscriber_id, c.version, c.prev_state, c.prev_score, c.prev_tier, c.prev_model,
            c.state, c.churn_risk_score, c.risk_tier, c.model_version, c.removal,
        ).where(c.version == sa.bindparam("since") + offset, *stretch)
        for offset in range(1, versions + 1)
    ]  # fmt: skip
    rows = sa.union_all(*per_version).subquery("stretch_rows")
    # each subscriber's changes in version order, read once: the state before the first, the state after the last
    subscriber, in_order = rows.c.subscriber_id, rows.c.version
    changes = sa.select(
        rows.c.subscriber_id, rows.c.state, rows.c.churn_risk_score, rows.c.risk_tier, rows.c.model_version,
        rows.c.removal, rows.c.prev_state.label("row_prev_state"),
        *(sa.func.first_value(column).over(partition_by=subscriber, order_by=in_order).label(column.name)
          for column in (rows.c.prev_state, rows.c.prev_score, rows.c.prev_tier, rows.c.prev_model)),
        sa.func.lead(rows.c.version).over(partition_by=subscriber, order_by=in_order).label("next_version"),
    ).subquery("changes")  # fmt: skip
    was_served, is_served = changes.c.prev_state == "served", changes.c.state == "served"
    changed = sa.or_(
        was_served != is_served,
        # a removal whose reason changed (not scored, then cancelled): the tombstone the CRM holds is another
        sa.and_(changes.c.row_prev_state == "removed", changes.c.state == "removed"),
        sa.and_(
            is_served,
            sa.or_(
                changes.c.prev_score.is_distinct_from(changes.c.churn_risk_score),
                changes.c.prev_tier.is_distinct_from(changes.c.risk_tier),
                changes.c.prev_model.is_distinct_from(changes.c.model_version),
            ),
        ),
    )
    return (
        with_upsert(changes, changes.c)
        .where(changes.c.next_version.is_(None), changed)  # the last change of each subscriber, if it counts
        .order_by(changes.c.subscriber_id)
        .limit(sa.bindparam("limit"))
    )


def with_upsert(source: sa.FromClause, rows: Any) -> sa.Select[Any]:
    """(subscriber_id, state, removal, upsert) of the change rows ``rows`` (the columns of ``source``), each with
    its subscriber's stored JSON in the pinned run (bind parameter ``seq``), and the removal as its stored text:
    parsed only for the removals, not for every row."""
    rendered = served_subscribers.alias("rendered")
    return sa.select(
        rows.subscriber_id, rows.state, sa.cast(rows.removal, sa.Text).label("removal"),
        upsert_json(rendered.c.health_json).label("upsert"),
    ).select_from(
        source.outerjoin(
            rendered, sa.and_(rendered.c.run_seq == sa.bindparam("seq"), rendered.c.subscriber_id == rows.subscriber_id)
        )
    )  # fmt: skip


def read(conn: sa.Connection, *, since: int, version: int, after: str, seq: int, limit: int) -> list[Any]:
    """Up to ``limit`` subscribers after ``after`` whose state at ``version`` differs from the one at ``since``,
    in subscriber_id order, as (subscriber_id, state, removal, upsert) rows."""
    versions = version - since
    if versions == 0:  # a token of the version read: nothing changed since
        return []
    rows = 2 * limit + versions
    found: list[Any] = []
    while True:
        count, last = conn.execute(_bound(versions), {"since": since, "after": after, "rows": rows}).one()
        if count == 0:
            return found
        params = {"since": since, "after": after, "last": last, "seq": seq, "limit": limit - len(found)}
        changed = conn.execute(_changed(versions), params).tuples().all()
        found += changed
        if len(found) == limit or count < rows:  # full, or the window ends in this stretch
            return found
        # the next stretch as long as this one's share of changes says the rest of the page needs, a fifth more,
        # and at most eight times as long (changes undone filled it)
        missing = limit - len(found)
        wanted = max(missing * rows * 5 // (4 * max(len(changed), 1)), 2 * missing + versions)
        after, rows = last, min(wanted, 8 * rows)
