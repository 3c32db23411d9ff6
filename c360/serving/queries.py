"""Read services over the serving store: what the API answers, as plain JSON-ready dicts.

Every read names the run it reads (``ServedRun``), so one request never mixes two runs, and a
paging cursor can keep reading the run it started on after a newer one is published.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from c360.errors import NotFound
from c360.serving import cursor as cursors
from c360.serving.errors import CursorExpired, NoServedRun
from c360.serving.store import Store, score_history, served_models, served_runs, served_subscribers

s = served_subscribers.c
_HEALTH = (
    s.subscriber_id, s.churn_risk_score, s.risk_tier, s.previous_risk_tier, s.score_date, s.scored_at,
    s.model_version, s.drivers, s.updated_at,
)  # fmt: skip
_PROFILE = (
    s.status, s.plan, s.signup_date, s.tenure_days, s.lifetime_value, s.demographic_segment, s.profile_as_of,
    s.articles_viewed, s.total_time_spent, s.distinct_sections, s.days_since_last_read, s.support_tickets_90d,
)  # fmt: skip
# The per-request lookups are built once with bind parameters: building and keying a statement per call
# costs SQLAlchemy more than running it.
_SEQ: sa.BindParameter[int] = sa.bindparam("seq")
_ID: sa.BindParameter[str] = sa.bindparam("subscriber_id")
_SCORE = sa.select(*_HEALTH).where(s.run_seq == _SEQ, s.subscriber_id == _ID, s.churn_risk_score.is_not(None))
_SUBSCRIBER = sa.select(*_HEALTH, *_PROFILE).where(s.run_seq == _SEQ, s.subscriber_id == _ID)
_SCORES = sa.select(*_HEALTH).where(
    s.run_seq == _SEQ, s.subscriber_id.in_(sa.bindparam("ids", expanding=True)), s.churn_risk_score.is_not(None)
)
_CURRENT = sa.select(served_runs).order_by(served_runs.c.seq.desc()).limit(1)


@dataclass(frozen=True)
class ServedRun:
    """A published scoring run."""

    seq: int
    run_id: str
    score_date: date
    model_version: str
    scored_at: datetime
    published_at: datetime
    previous_seq: int | None
    subscribers: int
    tier_high: float
    tier_medium: float
    high_count: int
    medium_count: int
    low_count: int
    pruned: bool


@dataclass(frozen=True)
class Page:
    """One page of health scores and the cursor of the next (None: last page)."""

    data: list[dict[str, Any]]
    next_cursor: str | None


def current_run(store: Store) -> ServedRun | None:
    """The served run: the most recently published (None before the first publish)."""
    with store.read() as conn:
        row = conn.execute(_CURRENT).first()
    return ServedRun(**row._asdict()) if row else None


def require_run(run: ServedRun | None) -> ServedRun:
    """``run``, or NoServedRun (404) before the first publish."""
    if run is None:
        raise NoServedRun("no scoring run has been published yet; run `c360 publish` after scoring")
    return run


def get_health_score(store: Store, *, run: ServedRun, subscriber_id: str) -> dict[str, Any]:
    """The subscriber's score in ``run``; NotFound when it has none."""
    with store.read() as conn:
        row = conn.execute(_SCORE, {"seq": run.seq, "subscriber_id": subscriber_id}).first()
    if row is None:
        raise NotFound(f"subscriber {subscriber_id} has no health score in the run served ({run.score_date})")
    return row._asdict()


def get_profile(store: Store, *, run: ServedRun, subscriber_id: str) -> dict[str, Any]:
    """The 360 profile as of ``run``, with its health score (None when not scored)."""
    with store.read() as conn:
        row = conn.execute(_SUBSCRIBER, {"seq": run.seq, "subscriber_id": subscriber_id}).first()
    if row is None:
        raise NotFound(f"subscriber {subscriber_id} is unknown")
    v = row._asdict()
    return {
        "subscriber_id": subscriber_id,
        **{k: v[k] for k in ("status", "plan", "signup_date", "tenure_days", "lifetime_value", "demographic_segment")},
        "as_of_date": v["profile_as_of"],
        "engagement_30d": {
            k: v[k] for k in ("articles_viewed", "total_time_spent", "distinct_sections", "days_since_last_read")
        },
        "support_tickets_90d": v["support_tickets_90d"],
        "health": {c.name: v[c.name] for c in _HEALTH} if v["churn_risk_score"] is not None else None,
    }


def get_history(store: Store, *, run: ServedRun, subscriber_id: str, limit: int) -> list[dict[str, Any]]:
    """The subscriber's scores up to the served run's score_date, newest first; NotFound when none."""
    h = score_history.c
    with store.read() as conn:
        rows = conn.execute(
            sa.select(h.score_date, h.churn_risk_score, h.risk_tier, h.model_version, h.scored_at, h.run_id)
            .where(h.subscriber_id == subscriber_id, h.score_date <= run.score_date)
            .order_by(h.score_date.desc())
            .limit(limit)
        ).all()
    if not rows:
        raise NotFound(f"subscriber {subscriber_id} has no score history")
    return [row._asdict() for row in rows]


def list_health_scores(
    store: Store,
    *,
    run: ServedRun | None,
    cursor: str | None,
    cursor_key: bytes,
    limit: int,
    risk_tier: str | None = None,
    min_score: float | None = None,
    updated_since: datetime | None = None,
) -> Page:
    """One page of scores ordered by subscriber_id; a cursor keeps reading the run it was issued for."""
    if cursor is not None:
        position = cursors.decode(cursor, cursor_key)
        run, after = _pinned_run(store, position.run_seq), position.after
    elif run is None:
        return Page([], None)
    else:
        after = None
    query = sa.select(*_HEALTH).where(s.run_seq == run.seq, s.churn_risk_score.is_not(None))
    if risk_tier is not None:
        query = query.where(s.risk_tier == risk_tier)
    if min_score is not None:
        query = query.where(s.churn_risk_score >= min_score)
    if updated_since is not None:
        query = query.where(s.updated_at >= updated_since)
    if after is not None:
        query = query.where(s.subscriber_id > after)
    with store.read() as conn:
        rows = [row._asdict() for row in conn.execute(query.order_by(s.subscriber_id).limit(limit + 1))]
    if len(rows) <= limit:
        return Page(rows, None)
    rows = rows[:limit]
    return Page(rows, cursors.encode(cursors.Cursor(run.seq, rows[-1]["subscriber_id"]), cursor_key))


def batch_get(store: Store, *, run: ServedRun, subscriber_ids: list[str]) -> tuple[list[dict[str, Any]], list[str]]:
    """Scores of the given subscribers (duplicates answered once, in request order) and the ids without one."""
    wanted = list(dict.fromkeys(subscriber_ids))
    with store.read() as conn:
        found = {
            row.subscriber_id: row._asdict() for row in conn.execute(_SCORES, {"seq": run.seq, "ids": wanted}).all()
        }
    return [found[i] for i in wanted if i in found], [i for i in wanted if i not in found]


def risk_tiers(run: ServedRun) -> dict[str, Any]:
    """Thresholds and subscriber counts per tier of the served run."""
    return {
        "score_date": run.score_date,
        "run_id": run.run_id,
        "model_version": run.model_version,
        "scored": run.high_count + run.medium_count + run.low_count,
        "tiers": [
            {"tier": "High", "min_score": run.tier_high, "max_score": None, "count": run.high_count},
            {"tier": "Medium", "min_score": run.tier_medium, "max_score": run.tier_high, "count": run.medium_count},
            {"tier": "Low", "min_score": 0.0, "max_score": run.tier_medium, "count": run.low_count},
        ],
    }


def get_current_model(store: Store, *, run: ServedRun) -> dict[str, Any]:
    """The model that scored the served run."""
    with store.read() as conn:
        row = conn.execute(sa.select(served_models).where(served_models.c.model_version == run.model_version)).first()
    if row is None:
        raise NotFound(f"model {run.model_version} (of the served run) is not in the model registry")
    model = row._asdict()
    model["version"] = model.pop("model_version")
    return model


def _pinned_run(store: Store, seq: int) -> ServedRun:
    with store.read() as conn:
        row = conn.execute(sa.select(served_runs).where(served_runs.c.seq == seq)).first()
    if row is None or row.pruned:
        raise CursorExpired(
            "the run this cursor was paging has been replaced by newer runs and dropped; start again without a cursor"
        )
    return ServedRun(**row._asdict())
