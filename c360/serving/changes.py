"""What a new version changed, recorded in the same transaction: the change feed's rows and the tombstones.

Between the run served before (``previous_seq``) and the run served now (``seq``), a subscriber
* scored now with another score, tier or model than before (or not served before) is an upsert;
* served before and not scored now is a removal: ``cancelled`` when the new run's profile says so,
  else ``not_scored``; a tombstone keeps the reason, the day and the last score, so the API can still
  answer for them, and the feed says it once;
* scored now and tombstoned is restored (the tombstone goes);
* tombstoned as ``not_scored`` and cancelled since (the new run's profile says so) has the tombstone's reason
  become ``cancelled``: a change row from removed to removed, so the feed and the webhooks say it once.
Each change row keeps the state before it (``prev_*``), so a delta over several versions can tell a
change from a change that was undone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from c360.serving.rendered import HEALTH_FIELDS, health_of
from c360.serving.store import served_changes, served_removals, served_subscribers

_CHUNK = 500


@dataclass(frozen=True)
class Removal:
    """A subscriber served before and absent from the new run."""

    subscriber_id: str
    detail: dict[str, Any]  # JSON-ready: reason, removed_at, score_date, cancelled_at, was_high, last

    @property
    def reason(self) -> str:
        """``cancelled`` or ``not_scored``."""
        return str(self.detail["reason"])


def record(
    conn: sa.Connection, *, version: int, seq: int, previous_seq: int | None, score_date: date, now: datetime
) -> list[Removal]:
    """Change rows and tombstones of ``version`` (serving run ``seq``); returns the removals."""
    _record_upserts(conn, version, seq, previous_seq)
    # the tombstones before this version's: a subscriber removed now is not one removed before who cancelled
    cancelled = _cancelled_after_removal(conn, seq)
    removals = _removals(conn, seq, previous_seq, score_date, now) if previous_seq is not None else []
    _record_removals(conn, version, removals, was="served")
    _record_removals(conn, version, cancelled, was="removed")
    removals += cancelled
    scored_now = sa.select(served_subscribers.c.subscriber_id).where(
        served_subscribers.c.run_seq == seq, served_subscribers.c.churn_risk_score.is_not(None)
    )
    conn.execute(served_removals.delete().where(served_removals.c.subscriber_id.in_(scored_now)))
    return removals


def _record_upserts(conn: sa.Connection, version: int, seq: int, previous_seq: int | None) -> None:
    cur, prev = served_subscribers.alias("cur"), served_subscribers.alias("prev")
    tomb = served_removals
    # the first version (no previous run): a seq no run has, so the join still goes through the primary key
    # (an ON FALSE join made SQLite scan every row for every row: minutes at 25,000 subscribers)
    served_before = sa.and_(
        prev.c.run_seq == (previous_seq if previous_seq is not None else -1),
        prev.c.subscriber_id == cur.c.subscriber_id,
        prev.c.churn_risk_score.is_not(None),
    )
    joined = cur.outerjoin(prev, served_before).outerjoin(tomb, tomb.c.subscriber_id == cur.c.subscriber_id)
    prev_state = sa.case(
        (prev.c.subscriber_id.is_not(None), "served"), (tomb.c.subscriber_id.is_not(None), "removed"), else_="absent"
    )
    changed = sa.or_(
        prev.c.subscriber_id.is_(None),
        prev.c.churn_risk_score != cur.c.churn_risk_score,
        prev.c.risk_tier != cur.c.risk_tier,
        prev.c.model_version != cur.c.model_version,
    )
    rows = (
        sa.select(
            cur.c.subscriber_id,
            sa.literal(version),
            sa.literal("served"),
            cur.c.churn_risk_score,
            cur.c.risk_tier,
            cur.c.model_version,
            prev_state,
            prev.c.churn_risk_score,
            prev.c.risk_tier,
            prev.c.model_version,
        )
        .select_from(joined)
        .where(cur.c.run_seq == seq, cur.c.churn_risk_score.is_not(None), changed)
    )
    columns = [
        "subscriber_id", "version", "state", "churn_risk_score", "risk_tier", "model_version",
        "prev_state", "prev_score", "prev_tier", "prev_model",
    ]  # fmt: skip
    conn.execute(served_changes.insert().from_select(columns, rows))


def _removals(conn: sa.Connection, seq: int, previous_seq: int, score_date: date, now: datetime) -> list[Removal]:
    cur, prev = served_subscribers.alias("cur"), served_subscribers.alias("prev")
    joined = prev.outerjoin(cur, sa.and_(cur.c.run_seq == seq, cur.c.subscriber_id == prev.c.subscriber_id))
    query = (
        sa.select(prev.c.subscriber_id, prev.c.health_json, cur.c.status, cur.c.cancelled_at)
        .select_from(joined)
        .where(
            prev.c.run_seq == previous_seq,
            prev.c.churn_risk_score.is_not(None),
            sa.or_(cur.c.subscriber_id.is_(None), cur.c.churn_risk_score.is_(None)),
        )
        .order_by(prev.c.subscriber_id)
    )
    removals = []
    for row in conn.execute(query):
        cancelled = row.status == "cancelled"
        health = health_of(row.health_json)
        last = {name: health[name] for name in HEALTH_FIELDS}
        detail = {
            "reason": "cancelled" if cancelled else "not_scored",
            "removed_at": _json_ready(now),
            "score_date": score_date.isoformat(),
            "cancelled_at": _json_ready(row.cancelled_at) if cancelled else None,
            "was_high": last["risk_tier"] == "High",
            "last": last,
        }
        removals.append(Removal(row.subscriber_id, detail))
    return removals


def _cancelled_after_removal(conn: sa.Connection, seq: int) -> list[Removal]:
    """Tombstoned as not scored, and cancelled by run ``seq`` (still not scored): the same tombstone, its reason
    now ``cancelled``. Read by the reason in the store, so the cancelled subscribers of years are not parsed."""
    cur, tomb = served_subscribers, served_removals
    query = (
        sa.select(tomb.c.subscriber_id, tomb.c.removal, cur.c.cancelled_at)
        .select_from(tomb.join(cur, sa.and_(cur.c.run_seq == seq, cur.c.subscriber_id == tomb.c.subscriber_id)))
        .where(
            tomb.c.removal["reason"].as_string() == "not_scored",
            cur.c.status == "cancelled",
            cur.c.churn_risk_score.is_(None),
        )
        .order_by(tomb.c.subscriber_id)
    )
    return [
        Removal(
            row.subscriber_id, {**row.removal, "reason": "cancelled", "cancelled_at": _json_ready(row.cancelled_at)}
        )
        for row in conn.execute(query)
    ]


def _record_removals(conn: sa.Connection, version: int, removals: list[Removal], *, was: str) -> None:
    for start in range(0, len(removals), _CHUNK):
        chunk = removals[start : start + _CHUNK]
        conn.execute(
            served_changes.insert(),
            [
                {
                    "subscriber_id": r.subscriber_id,
                    "version": version,
                    "state": "removed",
                    "prev_state": was,  # served, or removed already (a reason changed: _cancelled_after_removal)
                    "prev_score": r.detail["last"]["churn_risk_score"],
                    "prev_tier": r.detail["last"]["risk_tier"],
                    "prev_model": r.detail["last"]["model_version"],
                    "removal": r.detail,
                }
                for r in chunk
            ],
        )
        conn.execute(
            served_removals.delete().where(served_removals.c.subscriber_id.in_([r.subscriber_id for r in chunk]))
        )
        conn.execute(
            served_removals.insert(),
            [{"subscriber_id": r.subscriber_id, "version": version, "removal": r.detail} for r in chunk],
        )


def _json_ready(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value
