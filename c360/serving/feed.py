"""The change feed (``GET /v1/health-scores/changes``): a full sync, then deltas named by sync tokens.

Modelled on Microsoft Graph delta queries and Google Calendar sync tokens. A sync reads one served
*version* from its first page to its last (the page cursors carry it), so a publish that lands while a
client pages changes nothing it reads; the last page hands out a sync token naming that version. A
token is a version, never a clock time: the next sync returns exactly the subscribers whose served
state differs between the token's version and the version now served, each once, at its latest state,
from the change rows ``c360.serving.changes`` records with every version.

* no token: every subscriber served now (an upsert each);
* a token: upserts (served now, with another score, tier or model than at the token, or not served
  then) and removals (served at the token, not now); a change undone in between is no change.
A token older than the versions kept (C360_CHANGES_RETENTION_RUNS), from another store, or not signed
by this deployment answers 410 (SyncTokenExpired): the client drops it and syncs from scratch.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, NamedTuple

import pydantic_core
import sqlalchemy as sa

from c360.serving import delta, queries, state, tokens
from c360.serving.errors import CursorExpired, InvalidRequest, SyncTokenExpired
from c360.serving.queries import ServedRun
from c360.serving.rendered import to_json, upsert_json
from c360.serving.store import Store, served_changes, served_subscribers

_SYNC, _PAGE = "sync", "feed-page"
_NO_PROFILE = b',"profile":null}'  # an upsert is the stored health score with no profile
_RESYNC = "drop it and sync from scratch (call without sync_token)"

s = served_subscribers.c


@dataclass(frozen=True)
class FeedPage:
    """One page: changes ordered by subscriber_id (each as the API's JSON), the next page's cursor, or (last
    page) the next token."""

    items: list[bytes]
    next_cursor: str | None
    next_sync_token: str | None
    version: int

    @property
    def data(self) -> list[dict[str, Any]]:
        """The changes as plain values (tools and tests)."""
        return [json.loads(item) for item in self.items]

    def body(self) -> bytes:
        """The page as the API answers it (the HealthScoreChanges schema)."""
        tail = {"next_cursor": self.next_cursor, "next_sync_token": self.next_sync_token, "version": self.version}
        # one join over the stored texts: chained + would copy the whole page (~230 KB at 500) once per piece
        return b"".join((b'{"data":[', b",".join(self.items), b"],", memoryview(to_json(tail))[1:]))


class _Change(NamedTuple):  # a tuple: hundreds per page
    subscriber_id: str
    json: bytes  # the change as the API's JSON
    removed: bool


@dataclass(frozen=True)
class _Position:
    version: int  # the version this sync reads
    since: int | None  # the token's version (None: a full sync)
    after: str | None  # the last subscriber_id returned


def read_changes(
    store: Store,
    *,
    run: ServedRun | None,
    key: bytes,
    sync_token: str | None,
    cursor: str | None,
    limit: int,
    include_profile: bool = False,
) -> FeedPage:
    """One page of the feed; ``run`` is the served run as the API sees it (its version is the one read)."""
    now = _state(store, run)
    position = _position(store, now, run, key, sync_token, cursor)
    if position.version == 0:  # nothing published yet: nothing to send, and a token to start from
        return FeedPage([], None, _token(now.store_id, 0, key), 0)
    pinned = (
        run if run is not None and run.version == position.version else queries.run_of_version(store, position.version)
    )
    if position.since is None:
        rows = _full_page(store, pinned, position.after, limit)
    else:
        rows = _delta_page(store, pinned, position, limit)
    more = len(rows) > limit
    rows = rows[:limit]
    items = _with_profiles(store, pinned, rows) if include_profile else [row.json for row in rows]
    if more:
        payload = {"v": position.version, "t": position.since, "a": rows[-1].subscriber_id, "s": now.store_id}
        return FeedPage(items, tokens.sign(_PAGE, payload, key), None, position.version)
    return FeedPage(items, None, _token(now.store_id, position.version, key), position.version)


def _state(store: Store, run: ServedRun | None) -> state.State:
    """The serving state as ``run`` carries it (no query), else as the store has it now. Only the store id and
    the version are trusted from it: the feed floor is checked again after the rows are read."""
    if run is not None and run.store_id:
        return state.State(run.store_id, run.version, run.seq, run.feed_floor)
    with store.read() as conn:
        return state.read(conn)


def sync_token_of(store: Store, key: bytes, version: int) -> str:
    """The sync token of ``version`` of this store (tests and tools start a delta from a known version)."""
    with store.read() as conn:
        return _token(state.read(conn).store_id, version, key)


def _token(store_id: str, version: int, key: bytes) -> str:
    return tokens.sign(_SYNC, {"s": store_id, "v": version}, key)


def _position(
    store: Store, now: state.State, run: ServedRun | None, key: bytes, sync_token: str | None, cursor: str | None
) -> _Position:
    """Where this page reads: from the cursor (which wins over a repeated sync_token), else a new sync."""
    if cursor is not None:
        payload = tokens.verify(_PAGE, cursor, key)
        try:
            if payload is None or payload.get("s") != now.store_id or not isinstance(payload.get("a"), str):
                raise ValueError("cursor")
            version, since = tokens.integer(payload, "v"), tokens.integer(payload, "t", optional=True)
        except ValueError:
            raise InvalidRequest(
                "cursor is not one the change feed returned; pass next_cursor from the previous page unchanged"
            ) from None
        assert version is not None
        if since is not None:
            _check_since(store, now, since)
        return _Position(version, since, payload["a"])
    version = run.version if run is not None else now.version
    if sync_token is None:
        return _Position(version, None, None)
    payload = tokens.verify(_SYNC, sync_token, key)
    if payload is None:
        raise SyncTokenExpired(f"sync_token is not a token this API issued; {_RESYNC}")
    if payload.get("s") != now.store_id:
        raise SyncTokenExpired(f"sync_token was issued by another serving store; {_RESYNC}")
    try:
        since = tokens.integer(payload, "v")
    except ValueError:
        raise SyncTokenExpired(f"sync_token is not a token this API issued; {_RESYNC}") from None
    assert since is not None
    _check_since(store, now, since)
    return _Position(max(version, since), since, None)


def _check_since(store: Store, now: state.State, since: int) -> None:
    """410 for a token before the feed floor (checked again once the rows are read: see _delta_page) or after
    the store's newest version."""
    _check_floor(since, now.feed_floor)
    if since > now.version:  # the API's view may lag a publish another replica already serves: look again
        with store.read() as conn:
            current = state.read(conn).version
        if since > current:
            raise SyncTokenExpired(f"sync_token names version {since}, newer than this store's {current}; {_RESYNC}")


def _check_floor(since: int, floor: int) -> None:
    if since < floor:
        raise SyncTokenExpired(
            f"sync_token names version {since}, older than the changes kept (from version {floor}, "
            f"C360_CHANGES_RETENTION_RUNS); {_RESYNC}"
        )


_FULL = (
    sa.select(s.subscriber_id, upsert_json(s.health_json).label("upsert"))
    .where(s.run_seq == sa.bindparam("seq"), s.churn_risk_score.is_not(None), s.subscriber_id > sa.bindparam("after"))
    .order_by(s.subscriber_id)
    .limit(sa.bindparam("limit"))
)


# The usual delta, a token of the version just before the served one: that version's change rows are the
# net changes already (each was recorded because it differs from the version before), in id order by index.
_ONE_VERSION = (
    delta.with_upsert(served_changes, served_changes.c)
    .where(served_changes.c.version == sa.bindparam("version"), served_changes.c.subscriber_id > sa.bindparam("after"))
    .order_by(served_changes.c.subscriber_id)
    .limit(sa.bindparam("limit"))
)


def _full_page(store: Store, run: ServedRun, after: str | None, limit: int) -> list[_Change]:
    with store.read() as conn:
        rows = conn.execute(_FULL, {"seq": run.seq, "after": after or "", "limit": limit + 1}).tuples().all()
        queries.check_not_pruned(
            conn, run.seq, f"the version this sync was reading has been dropped by retention; {_RESYNC}"
        )
    return [_Change(subscriber_id, upsert[:-1] + _NO_PROFILE, False) for subscriber_id, upsert in rows]


def _delta_page(store: Store, run: ServedRun, position: _Position, limit: int) -> list[_Change]:
    """Subscribers whose state at ``position.version`` differs from their state at ``position.since``."""
    assert position.since is not None
    after = position.after or ""
    with store.read() as conn:
        if position.since == position.version - 1:
            params = {"version": position.version, "after": after, "seq": run.seq, "limit": limit + 1}
            rows = conn.execute(_ONE_VERSION, params).tuples().all()
        else:
            rows = delta.read(
                conn, since=position.since, version=position.version, after=after, seq=run.seq, limit=limit + 1
            )
        # after the read: a publish trims change rows and raises the floor in one transaction, so a floor still
        # at or below the token means none of the rows this delta needs had gone when they were read
        _check_floor(position.since, state.read(conn).feed_floor)
    changes = []
    for subscriber_id, now_state, removal, health in rows:
        if now_state != "served":
            changes.append(_removal(subscriber_id, pydantic_core.from_json(removal)))
        elif health is None:  # the rows of the pinned run went (retention) while paging
            raise CursorExpired(f"the version this sync was reading has been dropped by retention; {_RESYNC}")
        else:
            changes.append(_Change(subscriber_id, health[:-1] + _NO_PROFILE, False))
    return changes


def _removal(subscriber_id: str, detail: dict[str, Any]) -> _Change:
    removal = {
        "subscriber_id": subscriber_id,
        "removed": True,
        **{k: detail[k] for k in ("reason", "removed_at", "score_date", "cancelled_at", "was_high")},
        "last": {**detail["last"], "removed": False, "removal": None},
    }
    return _Change(subscriber_id, to_json(removal), True)


def _with_profiles(store: Store, run: ServedRun, rows: list[_Change]) -> list[bytes]:
    """Each upsert with the subscriber's profile as of ``run`` (include=profile)."""
    ids = [row.subscriber_id for row in rows if not row.removed]
    profiles, _ = queries.get_profiles(store, run=run, subscriber_ids=ids) if ids else ([], [])
    by_id = {profile["subscriber_id"]: profile for profile in profiles}
    return [
        row.json if row.removed else row.json[: -len(b"null}")] + to_json(by_id.get(row.subscriber_id)) + b"}"
        for row in rows
    ]
