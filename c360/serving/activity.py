"""Each served subscriber's recent activity: daily reading over the last 90 days and their latest support
tickets, read from the warehouse at publish and kept per served run like the profiles.

Point in time: the rows belong to a run (``run_seq``) as its profiles do, hold only what the warehouse
showed as of the run's score_date (a ticket resolved after that day is still open in it), are written only
when the run becomes served (a backfill leaves the served run's rows alone) and go when the run's profiles
are pruned. One row per subscriber with any activity, its days and tickets as compact JSON: a subscriber's
page is one indexed read, and a publish writes one row per reader rather than one per reader and day.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from c360.errors import NotFound
from c360.serving import bulk
from c360.serving.queries import ServedRun
from c360.serving.store import Store, metadata, served_runs, served_subscribers
from c360.text import fit_row
from c360.warehouse import WarehouseConnection

DAYS = 90  # the engagement window, ending the run's score_date
MAX_TICKETS = 20  # the most recent tickets kept per subscriber
_TEXT = {"ticket_id": 64, "channel": 32, "category": 64, "priority": 32, "status": 32}

served_activity = sa.Table(
    "served_activity",
    metadata,
    sa.Column("run_seq", sa.Integer, sa.ForeignKey("served_runs.seq"), primary_key=True),
    sa.Column("subscriber_id", sa.String(64), primary_key=True),
    # [[day, views, articles_viewed, seconds], ...], oldest first, only days with reading
    sa.Column("engagement", sa.JSON(none_as_null=True), nullable=False),
    # [{ticket_id, created_at, resolved_at, channel, category, priority, status, satisfaction_score}], newest first
    sa.Column("tickets", sa.JSON(none_as_null=True), nullable=False),
)

# The same table for the publish's write: the engagement comes from the warehouse as JSON text already, which the
# JSON columns' bind processing would serialize again (as a JSON string); the reads go through served_activity.
_written_activity = sa.Table(
    "served_activity",
    sa.MetaData(),
    sa.Column("run_seq", sa.Integer, primary_key=True),
    sa.Column("subscriber_id", sa.String(64), primary_key=True),
    sa.Column("engagement", sa.Text, nullable=False),
    sa.Column("tickets", sa.Text, nullable=False),
)

# each reader's days as the JSON text the store keeps ([[day, views, articles_viewed, seconds], ...], oldest
# first), built by the warehouse: the 90 rows a reader (1.5 M at scale 1) never cross into Python one by one
_ENGAGEMENT = """
SELECT
    subscriber_id,
    '[' || LISTAGG(
        '["' || TO_VARCHAR(activity_date, 'YYYY-MM-DD') || '",'
        || COALESCE(views, 0)::INTEGER::VARCHAR || ','
        || COALESCE(articles_viewed, 0)::INTEGER::VARCHAR || ','
        || COALESCE(total_time_spent, 0)::INTEGER::VARCHAR || ']',
        ','
    ) WITHIN GROUP (ORDER BY activity_date) || ']' AS engagement
FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY
WHERE activity_date > DATEADD(day, -:days, :as_of::DATE) AND activity_date <= :as_of::DATE
GROUP BY subscriber_id
"""
# the raw table is the warehouse's only copy of tickets (staging has none); a ticket loaded twice counts once
_TICKETS = """
SELECT ticket_id, subscriber_id, created_at, resolved_at, channel, category, priority, status, satisfaction_score
FROM SFE_RAW_MEDIA.RAW_SUPPORT_INTERACTIONS
WHERE created_at < DATEADD(day, 1, :as_of::DATE)
QUALIFY ROW_NUMBER() OVER (PARTITION BY ticket_id ORDER BY loaded_at DESC, load_seq DESC) = 1
"""


@dataclass(frozen=True)
class Activity:
    """Per subscriber: daily engagement rows and tickets (newest first), as of the run's day."""

    engagement: dict[str, str] = field(default_factory=dict)  # JSON text: [[day, views, articles, seconds], ...]
    tickets: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def read_activity(conn: WarehouseConnection, as_of: date, subscriber_ids: Iterable[str]) -> Activity:
    """The 90 days ending ``as_of`` and the latest tickets created by then, of ``subscriber_ids`` only."""
    wanted = set(subscriber_ids)
    engagement = {
        subscriber_id: text
        for subscriber_id, text in conn.tuples(_ENGAGEMENT, {"as_of": as_of, "days": DAYS})
        if subscriber_id in wanted
    }
    day_end = datetime.combine(as_of + timedelta(days=1), time.min)
    tickets: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in conn.query(_TICKETS, {"as_of": as_of}):
        if r["subscriber_id"] in wanted:
            tickets[r["subscriber_id"]].append(_ticket(r, day_end))
    for rows in tickets.values():
        rows.sort(key=lambda t: (t["created_at"], t["ticket_id"]), reverse=True)
        del rows[MAX_TICKETS:]
    return Activity(engagement, dict(tickets))


def _ticket(r: dict[str, Any], day_end: datetime) -> dict[str, Any]:
    """A ticket as of the run's day: one resolved later is open then."""
    created, resolved = _naive(r["created_at"]), _naive(r["resolved_at"])
    assert created is not None  # NOT NULL in the raw table
    status = r["status"]
    if resolved is not None and resolved >= day_end:
        resolved, status = None, "open"
    row = {
        "ticket_id": str(r["ticket_id"]),
        # served with their zone: the contract's date-time needs one, and a CRM must not read local time
        "created_at": created.replace(tzinfo=UTC).isoformat(),
        "resolved_at": resolved.replace(tzinfo=UTC).isoformat() if resolved is not None else None,
        **{k: str(r[k]) if r[k] is not None else None for k in ("channel", "category", "priority")},
        "status": str(status) if status is not None else None,
        "satisfaction_score": int(r["satisfaction_score"]) if r["satisfaction_score"] is not None else None,
    }
    return fit_row(row, _TEXT)  # warehouse text may hold a NUL PostgreSQL refuses, or run long


def _naive(value: datetime | None) -> datetime | None:
    """Warehouse timestamps are UTC without a zone (TIMESTAMP_NTZ)."""
    return value.replace(tzinfo=None) if value is not None and value.tzinfo is not None else value


def record(conn: sa.Connection, *, run_seq: int, activity: Activity) -> None:
    """Write ``activity`` as the rows of served run ``run_seq`` (replacing its own), and drop the rows of runs
    whose profiles were pruned (in the publish transaction)."""
    a = served_activity.c
    conn.execute(served_activity.delete().where(a.run_seq == run_seq))
    pruned = sa.select(served_runs.c.seq).where(served_runs.c.pruned.is_(True))
    conn.execute(served_activity.delete().where(a.run_seq.in_(pruned)))
    ids = sorted(activity.engagement.keys() | activity.tickets.keys())
    rows = (
        {
            "run_seq": run_seq,
            "subscriber_id": i,
            "engagement": activity.engagement.get(i, "[]"),
            "tickets": json.dumps(activity.tickets.get(i, [])),
        }
        for i in ids
    )
    bulk.insert_rows(conn, _written_activity, rows)


def engagement(store: Store, *, run: ServedRun, subscriber_id: str) -> dict[str, Any]:
    """The subscriber's reading per day over the 90 days ending the served run's day (days with reading only);
    NotFound when the run does not serve them."""
    found = _activity(store, run, subscriber_id)
    days = [
        {"day": day, "views": views, "articles_viewed": articles, "time_spent": seconds}
        for day, views, articles, seconds in (found["engagement"] if found else [])
    ]
    return {
        "subscriber_id": subscriber_id,
        "run_id": run.run_id,
        "from_date": run.score_date - timedelta(days=DAYS - 1),
        "to_date": run.score_date,
        "data": days,
    }


def tickets(store: Store, *, run: ServedRun, subscriber_id: str, limit: int) -> dict[str, Any]:
    """The subscriber's latest ``limit`` support tickets created by the served run's day, newest first, with
    the hours each took to resolve; NotFound when the run does not serve them."""
    found = _activity(store, run, subscriber_id)
    data = []
    for t in (found["tickets"] if found else [])[:limit]:
        created, resolved = t["created_at"], t["resolved_at"]
        hours = None
        if resolved is not None:
            hours = round(
                (datetime.fromisoformat(resolved) - datetime.fromisoformat(created)).total_seconds() / 3600, 1
            )
        data.append(t | {"resolution_hours": hours})
    return {"subscriber_id": subscriber_id, "run_id": run.run_id, "as_of_date": run.score_date, "data": data}


def _activity(store: Store, run: ServedRun, subscriber_id: str) -> dict[str, Any] | None:
    """The served row of the subscriber's activity (None: no activity); NotFound: not in the run."""
    s, a = served_subscribers.c, served_activity.c
    query = (
        sa.select(s.subscriber_id, a.engagement, a.tickets)
        .select_from(
            served_subscribers.outerjoin(
                served_activity, (a.run_seq == s.run_seq) & (a.subscriber_id == s.subscriber_id)
            )
        )
        .where(s.run_seq == run.seq, s.subscriber_id == subscriber_id)
    )
    with store.read() as conn:
        row = conn.execute(query).first()
    if row is None:
        raise NotFound(f"subscriber {subscriber_id} is unknown")
    if row.engagement is None and row.tickets is None:
        return None
    return {"engagement": row.engagement or [], "tickets": row.tickets or []}
