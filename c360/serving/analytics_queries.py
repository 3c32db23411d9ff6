"""Read services of ``/v1/analytics``: the publish-time aggregates (c360.serving.analytics), as JSON-ready
dicts. Plain reads of the serving store, never of the warehouse. Webhook delivery statistics live beside the
webhook tables (c360.webhooks.statistics)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import sqlalchemy as sa

from c360.errors import NotFound
from c360.serving.analytics import (
    analytics_cohorts,
    analytics_drift,
    analytics_engagement,
    analytics_feature_importance,
    analytics_score_days,
)
from c360.serving.rendered import health_of
from c360.serving.store import (
    Store,
    served_model_lifecycle,
    served_subscribers,
)


def risk_tier_history(store: Store) -> list[dict[str, Any]]:
    """Tier counts and mean score per score date, oldest first."""
    d = analytics_score_days.c
    with store.read() as conn:
        rows = conn.execute(sa.select(analytics_score_days).order_by(d.score_date)).all()
    return [
        {
            "score_date": r.score_date,
            "run_id": r.run_id,
            "model_version": r.model_version,
            "scored": r.scored,
            "tiers": {"High": r.high_count, "Medium": r.medium_count, "Low": r.low_count},
            "mean_score": r.mean_score,
        }
        for r in rows
    ]


def engagement(store: Store, *, grain: str, by: str) -> dict[str, Any]:
    """Views, readers and time spent per period and group of ``by``, and the bot views filtered per period."""
    e = analytics_engagement.c
    query = sa.select(analytics_engagement).where(e.grain == grain, e.dimension.in_([by, "bots"]))
    with store.read() as conn:
        rows = conn.execute(query.order_by(e.period, e.grp)).all()
    return {
        "grain": grain,
        "by": by,
        "data": [
            {"period": r.period, "group": r.grp, "views": r.views, "readers": r.readers, "time_spent": r.time_spent}
            for r in rows
            if r.dimension == by
        ],
        "bots_filtered": [{"period": r.period, "views": r.views} for r in rows if r.dimension == "bots"],
    }


def cohorts(store: Store) -> dict[str, Any]:
    """The retention matrix of signup-month cohorts, and churn rate per cohort, plan and segment."""
    with store.read() as conn:
        rows = conn.execute(sa.select(analytics_cohorts).order_by(analytics_cohorts.c.cohort)).all()
    matrix: dict[Any, dict[int, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    churn: dict[tuple[Any, str, str], list[int]] = {}
    for r in rows:
        cell = matrix[r.cohort][r.month]
        cell[0] += r.subscribers
        cell[1] += r.retained
        if r.month == 0:
            churn[(r.cohort, r.plan, r.segment)] = [r.subscribers, r.subscribers - r.active]
    return {
        "by": "signup_month",
        "metric": "retention",
        "cohorts": [
            {
                "cohort": cohort,
                "subscribers": months[0][0],
                "retention": [
                    {"month": m, "subscribers": n, "retained": kept, "rate": kept / n if n else None}
                    for m, (n, kept) in sorted(months.items())
                ],
            }
            for cohort, months in matrix.items()
        ],
        "churn": [
            {"cohort": c, "plan": p, "segment": s, "subscribers": n, "cancelled": gone, "churn_rate": gone / n}
            for (c, p, s), (n, gone) in churn.items()
        ],
    }


def feature_importance(store: Store, *, model_version: str) -> dict[str, Any]:
    """A registered model's global feature importance, most important first; NotFound for an unknown model."""
    f = analytics_feature_importance.c
    with store.read() as conn:
        known = conn.execute(
            sa.select(served_model_lifecycle.c.model_version).where(
                served_model_lifecycle.c.model_version == model_version
            )
        ).first()
        rows = conn.execute(
            sa.select(f.feature, f.label, f.importance_rank, f.importance)
            .where(f.model_version == model_version)
            .order_by(f.importance_rank)
        ).all()
    if known is None and not rows:
        raise NotFound(f"model {model_version} is not in the model registry (as of the last publish)")
    return {
        "model_version": model_version,
        "data": [
            {"feature": r.feature, "label": r.label, "rank": r.importance_rank, "importance": r.importance}
            for r in rows
        ],
    }


def drift(store: Store) -> list[dict[str, Any]]:
    """PSI per feature per score date, oldest first."""
    d = analytics_drift.c
    with store.read() as conn:
        rows = conn.execute(
            sa.select(d.score_date, d.feature, d.model_version, d.psi).order_by(d.score_date, d.feature)
        )
        return [r._asdict() for r in rows]


def leaderboard(
    store: Store,
    *,
    run_seq: int,
    limit: int,
    risk_tiers: list[str] | None = None,
    plans: list[str] | None = None,
    segments: list[str] | None = None,
    min_score: float | None = None,
) -> list[dict[str, Any]]:
    """The served run's scored subscribers, riskiest first, with the profile fields a campaign filters on."""
    s = served_subscribers.c
    query = sa.select(
        s.subscriber_id, s.churn_risk_score, s.risk_tier, s.previous_risk_tier, s.plan, s.demographic_segment,
        s.status, s.tenure_days, s.lifetime_value, s.days_since_last_read, s.support_tickets_90d, s.health_json,
    ).where(s.run_seq == run_seq, s.churn_risk_score.is_not(None))  # fmt: skip
    if risk_tiers:
        query = query.where(s.risk_tier.in_(risk_tiers))
    if plans:
        query = query.where(s.plan.in_(plans))
    if segments:
        query = query.where(s.demographic_segment.in_(segments))
    if min_score is not None:
        query = query.where(s.churn_risk_score >= min_score)
    with store.read() as conn:
        rows = conn.execute(query.order_by(s.churn_risk_score.desc(), s.subscriber_id).limit(limit)).all()
    return [
        {
            **{k: v for k, v in row._asdict().items() if k not in ("health_json", "demographic_segment")},
            "segment": row.demographic_segment,
            "top_driver": (health_of(row.health_json)["drivers"] or [{}])[0].get("label"),
        }
        for row in rows
    ]
