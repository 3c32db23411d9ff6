"""Response bodies of ``/v1/analytics``: the dashboard's aggregates, as of the last publish."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import Field

from api.schemas import Schema


class TierCounts(Schema):
    """Subscribers per risk tier."""

    High: int
    Medium: int
    Low: int


class RiskTierDay(Schema):
    """Tier counts and mean churn risk score of one score date's run."""

    score_date: date
    run_id: str
    model_version: str
    scored: int = Field(description="Subscribers scored that day.")
    tiers: TierCounts
    mean_score: float | None = Field(description="Mean churn risk score (null: not recorded).")


class RiskTierHistory(Schema):
    """Tier counts and mean score per score date, oldest first (FCT_SCORING_MONITOR and each published run)."""

    data: list[RiskTierDay]


class EngagementGrain(StrEnum):
    """The period of an engagement row: a day, or a week starting on Monday."""

    DAY = "day"
    WEEK = "week"


class EngagementSplit(StrEnum):
    """What engagement is split by: the subscriber's plan or demographic segment, or the device of the view."""

    PLAN = "plan"
    SEGMENT = "segment"
    DEVICE = "device"


class EngagementPoint(Schema):
    """Human article views of one period and group."""

    period: date = Field(description="The day, or the Monday of the week.")
    group: str = Field(description="The plan, segment or device.")
    views: int
    readers: int = Field(description="Distinct subscribers who read.")
    time_spent: int = Field(description="Seconds read.")


class BotViews(Schema):
    """Views of bots and scripts that staging filtered out in one period."""

    period: date
    views: int


class EngagementTrends(Schema):
    """Engagement per period and group over the 26 weeks ending the served run's score date."""

    grain: EngagementGrain
    by: EngagementSplit
    data: list[EngagementPoint]
    bots_filtered: list[BotViews]


class CohortMonth(Schema):
    """How many of a cohort were still subscribed ``month`` months after signing up."""

    month: int
    subscribers: int = Field(description="Members whose month ``month`` has passed.")
    retained: int
    rate: float | None


class Cohort(Schema):
    """A signup-month cohort and its retention curve."""

    cohort: date = Field(description="First day of the signup month.")
    subscribers: int
    retention: list[CohortMonth]


class CohortChurn(Schema):
    """Churn of one cohort, plan and segment: cancelled by the served run's score date."""

    cohort: date
    plan: str
    segment: str
    subscribers: int
    cancelled: int
    churn_rate: float


class CohortAnalysis(Schema):
    """Signup-month cohorts: the retention matrix and churn rates by plan and segment."""

    by: str = Field(description="signup_month")
    metric: str = Field(description="retention")
    cohorts: list[Cohort]
    churn: list[CohortChurn]


class FeatureImportance(Schema):
    """One feature's global importance (mean |SHAP|) in a model."""

    feature: str
    label: str = Field(description="The feature in words.")
    rank: int
    importance: float


class ModelFeatureImportance(Schema):
    """A model's features, most important first (CHURN_FEATURE_IMPORTANCE)."""

    model_version: str
    data: list[FeatureImportance]


class FeatureDrift(Schema):
    """Population stability index of one feature in one day's scoring run, against training."""

    score_date: date
    feature: str
    model_version: str
    psi: float


class DriftHistory(Schema):
    """PSI per feature per score date, oldest first (FCT_SCORING_MONITOR)."""

    data: list[FeatureDrift]


class MessageCounts(Schema):
    """Webhook messages of an endpoint by status."""

    pending: int
    delivered: int
    failed: int


class DeliveryDay(Schema):
    """Delivery attempts of one day and how many succeeded (2xx)."""

    day: date
    attempts: int
    succeeded: int


class FailedAttempt(Schema):
    """A delivery attempt that did not get a 2xx."""

    attempted_at: datetime
    message_id: str
    event_type: str
    status_code: int | None
    error: str | None
    response: str | None = Field(description="The first 500 characters of the response body.")


class WebhookEndpointStatistics(Schema):
    """Delivery statistics of one webhook endpoint over the last 30 days."""

    endpoint_id: str
    url: str = Field(description="Scheme, host and path (no credentials or query string).")
    enabled: bool
    disabled_reason: str | None
    messages: MessageCounts
    attempts: int
    success_rate: float | None
    latency_ms_mean: float | None
    latency_ms_p95: float | None
    daily: list[DeliveryDay]
    recent_failures: list[FailedAttempt]


class WebhookStatistics(Schema):
    """Delivery statistics per webhook endpoint."""

    data: list[WebhookEndpointStatistics]


class LeaderboardEntry(Schema):
    """A scored subscriber of the served run, with what a retention campaign filters on."""

    subscriber_id: str
    churn_risk_score: float
    risk_tier: str
    previous_risk_tier: str | None
    plan: str | None
    segment: str | None = Field(description="Demographic segment.")
    status: str | None
    tenure_days: int | None
    lifetime_value: float | None
    days_since_last_read: int | None
    support_tickets_90d: int | None
    top_driver: str | None = Field(description="The strongest reason behind the score, in words.")


class Leaderboard(Schema):
    """The riskiest subscribers of the served run matching the filters, riskiest first."""

    score_date: date
    run_id: str
    data: list[LeaderboardEntry]
