"""What is served, version by version: the one ``serving_state`` row and the ``serving_versions`` log.

Every write that can change what is served (a publish, a rollback) starts its transaction with
``lock``: an UPDATE of the state row, which takes PostgreSQL's row lock and SQLite's write lock before
anything is read, so concurrent publishes run one after the other and each computes its changes and
events against the run actually served before it. Versions are allocated under that lock, one by one,
so they have no gaps and a sync token can name one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from c360.serving.errors import ServingStoreUnavailable
from c360.serving.store import served_changes, serving_state, serving_versions


@dataclass(frozen=True)
class State:
    """The served version, its run (None before the first publish) and the feed's oldest answerable token."""

    store_id: str
    version: int
    run_seq: int | None
    feed_floor: int


def lock(conn: sa.Connection, now: datetime) -> State:
    """Take the publish lock (first statement of the transaction) and read the state under it."""
    touched = conn.execute(serving_state.update().where(serving_state.c.id == 1).values(updated_at=now)).rowcount
    if touched != 1:
        raise ServingStoreUnavailable("the serving store has no serving_state row; run `c360 migrate`")
    return read(conn)


def read(conn: sa.Connection) -> State:
    """The state as this connection sees it."""
    row = conn.execute(sa.select(serving_state).where(serving_state.c.id == 1)).one()
    return State(row.store_id, row.version, row.run_seq, row.feed_floor)


def advance(conn: sa.Connection, state: State, *, run_seq: int, kind: str, reason: str | None, now: datetime) -> int:
    """Serve ``run_seq`` from a new version (``kind`` publish or rollback); returns the version."""
    version = state.version + 1
    conn.execute(
        serving_versions.insert().values(
            version=version,
            run_seq=run_seq,
            kind=kind,
            previous_version=state.version or None,
            reason=reason,
            created_at=now,
        )
    )
    conn.execute(
        serving_state.update().where(serving_state.c.id == 1).values(version=version, run_seq=run_seq, updated_at=now)
    )
    return version


def runs_of_recent_versions(conn: sa.Connection, version: int, keep: int) -> set[int]:
    """The runs served by the newest ``keep`` versions up to ``version`` (their rows must stay)."""
    rows = conn.execute(sa.select(serving_versions.c.run_seq).where(serving_versions.c.version > version - keep))
    return {row.run_seq for row in rows}


def trim_feed(conn: sa.Connection, state: State, version: int, retention: int) -> None:
    """Drop change rows older than the newest ``retention`` versions; tokens before them then answer 410."""
    floor = max(state.feed_floor, version - retention)
    if floor > state.feed_floor:
        conn.execute(served_changes.delete().where(served_changes.c.version <= floor))
        conn.execute(serving_state.update().where(serving_state.c.id == 1).values(feed_floor=floor))
