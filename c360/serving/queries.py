"""Read services over the serving store: what the API answers, as plain JSON-ready dicts.

Every read names the served version and run it reads (``ServedRun``), so one request never mixes two
runs, and a paging cursor can keep reading the run it started on after a newer one is published. A
subscriber served before and absent from the served run (cancelled, or no longer scored) is answered
from its tombstone: the last score, with a ``removed`` marker saying why and since when.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from c360.errors import NotFound
from c360.serving import cursor as cursors
from c360.serving.errors import CursorExpired, NoServedRun
from c360.serving.rendered import health_of
from c360.serving.store import (
    Store,
    score_history,
    served_model_lifecycle,
    served_models,
    served_removals,
    served_runs,
    served_subscribers,
    serving_state,
    serving_versions,
)

s = served_subscribers.c
_PROFILE = (
    s.status, s.plan, s.signup_date, s.tenure_days, s.lifetime_value, s.demographic_segment, s.profile_as_of,
    s.cancelled_at, s.articles_viewed, s.total_time_spent, s.distinct_sections, s.days_since_last_read,
    s.support_tickets_90d,
)  # fmt: skip
# The per-request lookups are built once with bind parameters: building and keying a statement per call
# costs SQLAlchemy more than running it.
_SEQ: sa.BindParameter[int] = sa.bindparam("seq")
_ID: sa.BindParameter[str] = sa.bindparam("subscriber_id")
# A scored row's health score is its health_json, as publish rendered it (c360.serving.rendered): the only copy
# of its drivers. Unscored rows (in the profile snapshot only) have none.
# The lookup is the API's hottest read with the cache off: in the driver's own SQL, for Store.driver_read.
_SCORE = {
    "sqlite": """
        SELECT health_json FROM served_subscribers
        WHERE run_seq = :seq AND subscriber_id = :subscriber_id AND churn_risk_score IS NOT NULL""",
    "postgresql": """
        SELECT health_json FROM served_subscribers
        WHERE run_seq = %(seq)s AND subscriber_id = %(subscriber_id)s AND churn_risk_score IS NOT NULL""",
}
_IDS: sa.BindParameter[list[str]] = sa.bindparam("ids", expanding=True)
_SUBSCRIBERS = sa.select(s.subscriber_id, s.health_json, *_PROFILE).where(s.run_seq == _SEQ, s.subscriber_id.in_(_IDS))
# The ids of a batch as one JSON array parameter, in the driver's own SQL: the statement's text is the same for
# every batch, so it is prepared once (the driver's statement cache), where an expanding IN of 100 parameters
# made SQLAlchemy render and bind a statement per request, which cost more than the 100 indexed reads.
_RENDERED = {
    "sqlite": """
        SELECT subscriber_id, health_json
        FROM served_subscribers
        WHERE run_seq = :seq
          AND subscriber_id IN (SELECT value FROM json_each(:ids))
          AND churn_risk_score IS NOT NULL""",
    "postgresql": """
        SELECT subscriber_id, health_json
        FROM served_subscribers
        WHERE run_seq = %(seq)s
          AND subscriber_id IN (SELECT value FROM json_array_elements_text(CAST(%(ids)s AS json)))
          AND churn_risk_score IS NOT NULL""",
}
_TOMBSTONE = sa.select(served_removals.c.removal).where(served_removals.c.subscriber_id == _ID)
_TOMBSTONES = sa.select(served_removals.c.subscriber_id, served_removals.c.removal).where(
    served_removals.c.subscriber_id.in_(_IDS)
)
_CURRENT = sa.select(
    served_runs,
    serving_state.c.version,
    serving_state.c.store_id,
    serving_state.c.feed_floor,
    serving_state.c.updated_at.label("state_at"),
).join(serving_state, serving_state.c.run_seq == served_runs.c.seq)


@dataclass(frozen=True)
class ServedRun:
    """A published scoring run, and the version that serves it (0 for a run only pinned by a cursor)."""

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
    kind: str
    version: int = 0
    store_id: str = ""
    feed_floor: int = 0
    state_at: datetime | None = None  # last change of the serving state (a backfill changes history, not version)

    @property
    def key(self) -> str:
        """Names what a cached response may depend on: the served version and, for history, the last backfill."""
        stamp = int(self.state_at.timestamp() * 1_000_000) if self.state_at else 0
        return f"{self.version}.{stamp}"


def day_end(day: date) -> datetime:
    """Midnight UTC after ``day``: when a score_date's data is complete, and staleness starts counting."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=UTC)


@dataclass(frozen=True)
class Page:
    """One page of health scores and the cursor of the next (None: last page)."""

    data: list[dict[str, Any]]
    next_cursor: str | None


def current_run(store: Store) -> ServedRun | None:
    """The served run, with its version (None before the first publish)."""
    with store.read() as conn:
        row = conn.execute(_CURRENT).first()
    return ServedRun(**row._asdict()) if row else None


def require_run(run: ServedRun | None) -> ServedRun:
    """``run``, or NoServedRun (404) before the first publish."""
    if run is None:
        raise NoServedRun("no scoring run has been published yet; run `c360 publish` after scoring")
    return run


def get_health_score(store: Store, *, run: ServedRun, subscriber_id: str) -> dict[str, Any]:
    """The subscriber's score in ``run`` (``removed`` false), else their last one from the tombstone; NotFound
    when they never had one."""
    text = get_health_score_rendered(store, run=run, subscriber_id=subscriber_id)
    return health_of(text) if text is not None else removed_health_score(store, run=run, subscriber_id=subscriber_id)


def removed_health_score(store: Store, *, run: ServedRun, subscriber_id: str) -> dict[str, Any]:
    """The last score of a subscriber ``run`` does not score, from their tombstone (``removed`` true); NotFound
    when they never had one."""
    with store.read() as conn:
        tombstone = conn.execute(_TOMBSTONE, {"subscriber_id": subscriber_id}).scalar()
    if tombstone is None:
        raise NotFound(f"subscriber {subscriber_id} has no health score in the run served ({run.score_date})")
    return last_health(tombstone)


def get_health_score_rendered(store: Store, *, run: ServedRun, subscriber_id: str) -> str | None:
    """The subscriber's score in ``run`` as the JSON text publish rendered (c360.serving.rendered); None when the run
    does not score them (``get_health_score`` answers from the tombstone)."""
    with store.driver_read() as conn:
        row = conn.execute(_SCORE[store.dialect], {"seq": run.seq, "subscriber_id": subscriber_id}).fetchone()
    return row[0] if row is not None else None


def get_profile(store: Store, *, run: ServedRun, subscriber_id: str) -> dict[str, Any]:
    """The 360 profile as of ``run``, with its health score (the last one, marked removed, when not scored)."""
    found, _ = get_profiles(store, run=run, subscriber_ids=[subscriber_id])
    if not found:
        raise NotFound(f"subscriber {subscriber_id} is unknown")
    return found[0]


def get_profiles(store: Store, *, run: ServedRun, subscriber_ids: list[str]) -> tuple[list[dict[str, Any]], list[str]]:
    """Profiles of the given subscribers (duplicates answered once, in request order) and the unknown ids."""
    wanted = list(dict.fromkeys(subscriber_ids))
    with store.read() as conn:
        rows = {row.subscriber_id: row._asdict() for row in conn.execute(_SUBSCRIBERS, {"seq": run.seq, "ids": wanted})}
        unscored = [i for i in wanted if i in rows and rows[i]["health_json"] is None]
        tombstones = dict(conn.execute(_TOMBSTONES, {"ids": unscored}).tuples().all()) if unscored else {}
    profiles = [profile_of(rows[i], tombstones.get(i)) for i in wanted if i in rows]
    return profiles, [i for i in wanted if i not in rows]


def profile_of(v: dict[str, Any], tombstone: dict[str, Any] | None) -> dict[str, Any]:
    """A served_subscribers row (health_json and profile columns) as the API's profile."""
    if v["health_json"] is not None:
        health: dict[str, Any] | None = health_of(v["health_json"])
    else:
        health = last_health(tombstone) if tombstone is not None else None
    return {
        "subscriber_id": v["subscriber_id"],
        **{k: v[k] for k in ("status", "plan", "signup_date", "tenure_days", "lifetime_value", "demographic_segment")},
        "cancelled_at": v["cancelled_at"],
        "as_of_date": v["profile_as_of"],
        "engagement_30d": {
            k: v[k] for k in ("articles_viewed", "total_time_spent", "distinct_sections", "days_since_last_read")
        },
        "support_tickets_90d": v["support_tickets_90d"],
        "health": health,
    }


def last_health(removal: dict[str, Any]) -> dict[str, Any]:
    """A tombstone's last health score, with the ``removed`` marker."""
    marker = {k: removal[k] for k in ("reason", "removed_at", "score_date", "cancelled_at", "was_high")}
    return {**removal["last"], "removed": True, "removal": marker}


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
    query = sa.select(s.subscriber_id, s.health_json).where(s.run_seq == run.seq, s.churn_risk_score.is_not(None))
    if risk_tier is not None:
        query = query.where(s.risk_tier == risk_tier)
    if min_score is not None:
        query = query.where(s.churn_risk_score >= min_score)
    if updated_since is not None:
        query = query.where(s.updated_at >= updated_since)
    if after is not None:
        query = query.where(s.subscriber_id > after)
    with store.read() as conn:
        rows = [health_of(text) for _, text in conn.execute(query.order_by(s.subscriber_id).limit(limit + 1))]
        check_not_pruned(
            conn, run.seq, "the run this listing was reading has been replaced by newer runs and dropped; start again"
        )
    if len(rows) <= limit:
        return Page(rows, None)
    rows = rows[:limit]
    return Page(rows, cursors.encode(cursors.Cursor(run.seq, rows[-1]["subscriber_id"]), cursor_key))


def batch_get_rendered(store: Store, *, run: ServedRun, subscriber_ids: list[str]) -> tuple[list[str], list[str]]:
    """Scores of the given subscribers as the JSON texts publish rendered (c360.serving.rendered), duplicates
    answered once, in request order, and the ids without one: the response joins the texts, as converting and
    validating 100 rows again costs more than reading them."""
    wanted = list(dict.fromkeys(subscriber_ids))
    with store.driver_read() as conn:
        params = {"seq": run.seq, "ids": json.dumps(wanted)}
        found: dict[str, str] = dict(conn.execute(_RENDERED[store.dialect], params))
    return [text for i in wanted if (text := found.get(i)) is not None], [i for i in wanted if i not in found]


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


def check_not_pruned(conn: sa.Connection, seq: int, message: str) -> None:
    """After reading run ``seq``'s rows: CursorExpired if retention dropped them meanwhile. A publish deletes
    a run's rows and marks it pruned in one transaction, so a mark still unset when read after the rows means
    the read saw them all; without this a page read just after the drop is empty, and looks like the end."""
    pruned = conn.execute(sa.select(served_runs.c.pruned).where(served_runs.c.seq == seq)).scalar_one_or_none()
    if pruned is None or pruned:
        raise CursorExpired(message)


def _pinned_run(store: Store, seq: int) -> ServedRun:
    with store.read() as conn:
        row = conn.execute(sa.select(served_runs).where(served_runs.c.seq == seq)).first()
    if row is None or row.pruned:
        raise CursorExpired(
            "the run this cursor was paging has been replaced by newer runs and dropped; start again without a cursor"
        )
    return ServedRun(**row._asdict())


def run_of_version(store: Store, version: int) -> ServedRun:
    """The run a version served, with its rows (CursorExpired when retention dropped them)."""
    with store.read() as conn:
        row = conn.execute(
            sa.select(served_runs, serving_versions.c.version)
            .join(serving_versions, serving_versions.c.run_seq == served_runs.c.seq)
            .where(serving_versions.c.version == version)
        ).first()
    if row is None or row.pruned:
        raise CursorExpired("the version this cursor was paging has been dropped by retention; start again")
    return ServedRun(**row._asdict())


def list_models(store: Store) -> list[dict[str, Any]]:
    """Every registered model with its gate decision, newest first (as of the last publish)."""
    m = served_model_lifecycle.c
    with store.read() as conn:
        return [row.model for row in conn.execute(sa.select(m.model).order_by(m.trained_at.desc(), m.model_version))]


def model_performance(store: Store, *, model_version: str) -> dict[str, Any]:
    """A model's realised performance per closed score date; NotFound for a model not registered."""
    m = served_model_lifecycle.c
    with store.read() as conn:
        found = conn.execute(sa.select(m.performance).where(m.model_version == model_version)).first()
    if found is None:
        raise NotFound(f"model {model_version} is not in the model registry (as of the last publish)")
    return {"model_version": model_version, "data": found.performance}
