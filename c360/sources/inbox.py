"""The events inbox: the API stores accepted events here (committed before it answers 202); the
worker moves them into RAW_SUBSCRIBER_EVENTS within seconds and runs the subscriber stream task.

A move is crash-safe without a distributed transaction: rows are first *claimed* under a move id
(committed), then loaded with that id as the load's batch id, then marked moved. A crash after the
load and before the mark repeats the load, which ``load_payloads`` skips (RAW_LOAD_HISTORY already
has the batch), so every event lands exactly once.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa

from c360.serving.store import Store, UTCDateTime, metadata, utcnow
from c360.settings import Settings
from c360.warehouse import Warehouse

log = logging.getLogger(__name__)

SUBSCRIBER_TASK_PROCEDURE = "SFE_STG_MEDIA.SFE_PROCESS_SUBSCRIBERS"
_PRUNE_EVERY = 3600.0

# Subscription events accepted by the API, until the worker has landed them in RAW_SUBSCRIBER_EVENTS.
event_inbox = sa.Table(
    "event_inbox",
    metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
    sa.Column("batch_id", sa.String(36), nullable=False),
    sa.Column("payload", sa.Text, nullable=False),
    sa.Column("received_at", UTCDateTime, nullable=False),
    sa.Column("key_id", sa.String(16), nullable=False),
    sa.Column("move_id", sa.String(36)),  # claimed by one warehouse load (its batch id in RAW_LOAD_HISTORY)
    sa.Column("moved_at", UTCDateTime),
    sa.Index("ix_event_inbox_move", "moved_at", "move_id"),
)


def accept(store: Store, *, payloads: list[str], key_id: str) -> str:
    """Store validated events durably, in one transaction; returns their batch id."""
    batch_id = str(uuid.uuid4())
    if payloads:
        now = utcnow()
        with store.write() as conn:
            conn.execute(
                event_inbox.insert(),
                [{"batch_id": batch_id, "payload": p, "received_at": now, "key_id": key_id} for p in payloads],
            )
    return batch_id


def pending(store: Store) -> int:
    """Accepted events not yet in the warehouse."""
    with store.read() as conn:
        return int(conn.execute(sa.select(sa.func.count()).where(event_inbox.c.moved_at.is_(None))).scalar_one())


def claim(store: Store, *, limit: int) -> str | None:
    """Put up to ``limit`` unclaimed events under a new move id (None: nothing to claim)."""
    unclaimed = sa.and_(event_inbox.c.moved_at.is_(None), event_inbox.c.move_id.is_(None))
    with store.read() as conn:  # the usual answer is "nothing": find it out without taking the write lock
        if conn.execute(sa.select(event_inbox.c.id).where(unclaimed).limit(1)).first() is None:
            return None
    move_id = str(uuid.uuid4())
    oldest = sa.select(event_inbox.c.id).where(unclaimed).order_by(event_inbox.c.id).limit(limit).scalar_subquery()
    with store.write() as conn:
        claimed = conn.execute(
            event_inbox.update().where(event_inbox.c.id.in_(oldest), unclaimed).values(move_id=move_id)
        ).rowcount
    return move_id if claimed else None


def unmoved_claims(store: Store) -> list[str]:
    """Move ids claimed but not yet marked moved, oldest first (a crashed move is among them)."""
    with store.read() as conn:
        rows = conn.execute(
            sa.select(event_inbox.c.move_id, sa.func.min(event_inbox.c.id).label("first"))
            .where(event_inbox.c.moved_at.is_(None), event_inbox.c.move_id.is_not(None))
            .group_by(event_inbox.c.move_id)
            .order_by("first")
        ).all()
    return [str(row.move_id) for row in rows]


def payloads_of(store: Store, move_id: str) -> list[str]:
    """The events of one move, in the order they were accepted."""
    with store.read() as conn:
        rows = conn.execute(
            sa.select(event_inbox.c.payload).where(event_inbox.c.move_id == move_id).order_by(event_inbox.c.id)
        )
        return [str(row.payload) for row in rows]


def mark_moved(store: Store, move_ids: list[str]) -> None:
    """Record that these moves are in the warehouse."""
    with store.write() as conn:
        conn.execute(event_inbox.update().where(event_inbox.c.move_id.in_(move_ids)).values(moved_at=utcnow()))


def prune(store: Store, *, retention_days: int) -> int:
    """Delete events moved more than ``retention_days`` ago; returns how many."""
    cutoff = utcnow() - timedelta(days=retention_days)
    with store.write() as conn:
        return int(conn.execute(event_inbox.delete().where(event_inbox.c.moved_at < cutoff)).rowcount)


@dataclass
class InboxJob:
    """Worker job: move accepted events into RAW_SUBSCRIBER_EVENTS, then stage them at once (DuckDB)."""

    settings: Settings
    name: str = "inbox"
    interval: float = 1.0
    report: Callable[[str], None] = log.info
    _pruned_at: float = field(default=0.0, repr=False)

    def __post_init__(self) -> None:
        self.interval = self.settings.inbox_interval
        self._warehouse = Warehouse.from_settings(self.settings)
        self._store = Store.from_settings(self.settings)

    def tick(self) -> None:
        """Claim, load, mark, stage; prune old moved events now and then."""
        from c360.sources.ingest import load_payloads
        from c360.warehouse import call

        claim(self._store, limit=self.settings.inbox_move_rows)
        moves = unmoved_claims(self._store)
        if moves:
            with self._warehouse.connect() as conn:
                loaded = 0
                for move_id in moves:
                    payloads = payloads_of(self._store, move_id)
                    result = load_payloads(conn, payloads, batch_id=move_id, origin=f"api:{move_id}")
                    loaded += result.rows_loaded
                mark_moved(self._store, moves)
                # Snowflake's own 1-minute task stages them there; on DuckDB we are the task runner
                if conn.target == "duckdb":
                    call(conn, SUBSCRIBER_TASK_PROCEDURE)
            self.report(f"inbox: {loaded:,} event(s) moved into the warehouse in {len(moves)} load(s)")
        if time.monotonic() - self._pruned_at > _PRUNE_EVERY:
            self._pruned_at = time.monotonic()
            prune(self._store, retention_days=self.settings.inbox_retention_days)
