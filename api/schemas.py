"""Request and response bodies of API v1: the contract CRMs and the generated SDK see.

Field names are the issue's; every model has a description and an example, and its class name is
the schema (and SDK class) name, so they read as nouns: ``HealthScore``, ``HealthScorePage``.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, model_validator
from pydantic.json_schema import SkipJsonSchema

from api import examples
from c360.instants import to_utc
from c360.serving.events import SUBSCRIBER_ID_PATTERN
from c360.webhooks import ssrf
from c360.webhooks.errors import InvalidEndpointUrl

MAX_PAGE = 1000
MAX_BATCH_IDS = 500
MAX_EVENTS = 1000


class RiskTier(StrEnum):
    """A churn risk tier: High, Medium or Low, by the thresholds of GET /v1/risk-tiers."""

    HIGH = "High"
    MEDIUM = "Medium"
    LOW = "Low"


SubscriberId = Annotated[str, Field(pattern=SUBSCRIBER_ID_PATTERN, examples=[examples.SUBSCRIBER_ID])]


class Schema(BaseModel):
    """Base of every body: unknown request fields are errors, not silently ignored."""

    model_config = ConfigDict(extra="forbid")


class Problem(Schema):
    """An RFC 9457 problem: every error response of this API, validation errors included."""

    model_config = ConfigDict(json_schema_extra={"examples": [examples.PROBLEM]})

    type: str = Field(description="URI naming the kind of problem; its page explains it.")
    title: str = Field(description="Short summary of the kind of problem.")
    status: int = Field(description="The HTTP status code.")
    detail: str = Field(description="What went wrong with this request, and what to do.")
    errors: list[FieldError] | None = Field(None, description="Validation problems only: one entry per bad field.")


class FieldError(Schema):
    """One invalid part of a request."""

    location: str = Field(description="Where: body.subscriber_ids.3, query.limit, path.subscriber_id …")
    message: str


class Driver(Schema):
    """One reason behind a score, the same shape whichever warehouse scored it."""

    feature: str = Field(description="Stable feature name, as in the model's feature list.")
    label: str = Field(description="The feature in words, for people: 'Days since the last article read'.")
    value: float | str | None = Field(description="The subscriber's value of the feature on score_date.")
    contribution: float | None = Field(
        description="SHAP contribution on the log-odds scale (positive raises the risk); null on a Snowflake "
        "scoring run, which ranks features by model importance instead."
    )
    direction: Literal["increases_risk", "decreases_risk"] | None = Field(
        description="Whether this feature raises or lowers this subscriber's risk; null when unknown."
    )
    importance: float | None = Field(description="Model-wide feature importance (Snowflake scoring runs); else null.")


class Removal(Schema):
    """Why and since when a subscriber is no longer in the served run."""

    model_config = ConfigDict(json_schema_extra={"examples": [examples.REMOVAL]})

    reason: Literal["cancelled", "not_scored"] = Field(
        description="cancelled: the warehouse shows a cancellation; not_scored: the served run did not score them."
    )
    removed_at: datetime = Field(description="When the publish that removed them was served.")
    score_date: date = Field(description="Score date of the run that no longer has them.")
    cancelled_at: datetime | None = Field(description="When they cancelled (reason cancelled).")
    was_high: bool = Field(description="Whether their last served tier was High.")


class HealthScore(Schema):
    """A subscriber's churn risk as of the served scoring run (or their last one, when ``removed``)."""

    model_config = ConfigDict(json_schema_extra={"examples": [examples.HEALTH]})

    subscriber_id: str
    churn_risk_score: float = Field(ge=0, le=1, description="Probability of cancelling within 30 days.")
    risk_tier: RiskTier = Field(description="High, Medium or Low, by the thresholds of GET /v1/risk-tiers.")
    previous_risk_tier: RiskTier | None = Field(description="Tier in the previously served run; null if unscored.")
    score_date: date = Field(description="Day the score is as of.")
    scored_at: datetime
    model_version: str
    drivers: list[Driver] | None = Field(description="Top features behind this score, strongest first.")
    updated_at: datetime = Field(
        description="When score, tier or model last changed. A convenience filter for updated_since; sync with "
        "GET /v1/health-scores/changes, whose tokens do not depend on clocks."
    )
    removed: bool = Field(
        description="True: the served run no longer has this subscriber; this is their last score, and removal says "
        "why. Only GET /v1/subscribers/{id}/health-score and profiles answer for removed subscribers."
    )
    removal: Removal | None = Field(description="Why and since when, when removed; else null.")


class Engagement(Schema):
    """Reading over the 30 days ending on the profile's score_date (from FCT_ENGAGEMENT_DAILY)."""

    articles_viewed: int = Field(description="Articles read; an article read on two days counts twice.")
    total_time_spent: int = Field(description="Seconds spent reading.")
    distinct_sections: int = Field(description="Most distinct sections read in one day of the window.")
    days_since_last_read: int | None = Field(description="Days from the last reading day to score_date; null: never.")


class SubscriberProfile(Schema):
    """The 360 profile: who the subscriber is, how they read, and their current health."""

    model_config = ConfigDict(json_schema_extra={"examples": [examples.PROFILE]})

    subscriber_id: str
    status: str | None = Field(description="active or cancelled; null when the subscriber is scored only.")
    plan: str | None
    signup_date: date | None
    tenure_days: int | None
    lifetime_value: float | None = Field(description="Sum of successful payments.")
    demographic_segment: str | None
    as_of_date: date | None = Field(description="Day the profile is as of: the served run's score_date.")
    cancelled_at: datetime | None = Field(description="When they cancelled; null while active.")
    engagement_30d: Engagement
    support_tickets_90d: int = Field(description="Support tickets opened in the 90 days ending on score_date.")
    health: HealthScore | None = Field(
        description="The served health score; their last one (removed true) when the served run no longer scores "
        "them; null when never scored."
    )


class HistoryEntry(Schema):
    """One earlier score."""

    score_date: date
    churn_risk_score: float
    risk_tier: RiskTier
    model_version: str
    scored_at: datetime
    run_id: str


class HealthScoreHistory(Schema):
    """A subscriber's scores, newest first, the served one included (C360_SERVING_HISTORY_DAYS are kept)."""

    model_config = ConfigDict(json_schema_extra={"examples": [examples.HISTORY]})

    subscriber_id: str
    data: list[HistoryEntry]


class HealthScorePage(Schema):
    """One page of health scores, ordered by subscriber_id."""

    model_config = ConfigDict(json_schema_extra={"examples": [examples.PAGE]})

    data: list[HealthScore]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")


class BatchGetHealthScoresRequest(Schema):
    """Subscribers to look up; a duplicate id is answered once."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [examples.BATCH_REQUEST]})

    subscriber_ids: list[SubscriberId] = Field(min_length=1, max_length=MAX_BATCH_IDS)


class BatchGetHealthScoresResponse(Schema):
    """The scores found (in request order) and the ids without one in the served run."""

    model_config = ConfigDict(json_schema_extra={"examples": [examples.BATCH_RESPONSE]})

    data: list[HealthScore]
    missing: list[str]


class BatchGetProfilesRequest(Schema):
    """Subscribers whose profiles to fetch; a duplicate id is answered once."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [examples.BATCH_REQUEST]})

    subscriber_ids: list[SubscriberId] = Field(min_length=1, max_length=MAX_BATCH_IDS)


class BatchGetProfilesResponse(Schema):
    """The profiles found (in request order) and the ids unknown to the served run."""

    model_config = ConfigDict(json_schema_extra={"examples": [examples.PROFILES_RESPONSE]})

    data: list[SubscriberProfile]
    missing: list[str]


class HealthScoreUpsert(HealthScore):
    """A subscriber served now, at their latest state (and profile, with include=profile)."""

    removed: Literal[False] = Field(description="Always false: an upsert.")
    profile: SubscriberProfile | None = Field(
        None, description="With include=profile: their profile as of the served run (its health is this score)."
    )


class HealthScoreRemoval(Schema):
    """A subscriber no longer served: delete them, or mark them, in your copy."""

    subscriber_id: str
    removed: Literal[True] = Field(description="Always true: a removal.")
    reason: Literal["cancelled", "not_scored"]
    removed_at: datetime
    score_date: date = Field(description="Score date of the run that no longer has them.")
    cancelled_at: datetime | None
    was_high: bool = Field(description="Whether their last served tier was High.")
    last: HealthScore = Field(description="Their last served score.")


HealthScoreChange = Annotated[HealthScoreUpsert | HealthScoreRemoval, Field(discriminator="removed")]


class HealthScoreChanges(Schema):
    """One page of the change feed.

    Page with next_cursor until it is null; that last page carries next_sync_token: keep it, and pass it as
    sync_token next time to get exactly what changed since.
    """

    model_config = ConfigDict(json_schema_extra={"examples": [examples.CHANGES]})

    data: list[HealthScoreChange]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")
    next_sync_token: str | None = Field(
        description="On the last page only: the token of the state you now have; pass it as sync_token next time."
    )
    version: int = Field(description="The served version this sync reads (every page of one sync reads the same).")


class RiskTierBand(Schema):
    """One tier: its score range [min_score, max_score) and how many subscribers are in it."""

    tier: RiskTier
    min_score: float
    max_score: float | None = Field(description="Exclusive upper bound; null for High (up to 1).")
    count: int


class RiskTiers(Schema):
    """Tier thresholds and counts of the served run."""

    model_config = ConfigDict(json_schema_extra={"examples": [examples.RISK_TIERS]})

    score_date: date
    run_id: str
    model_version: str
    scored: int = Field(description="Subscribers scored in the run.")
    tiers: list[RiskTierBand]


class ChurnModel(Schema):
    """The model that scored the served run, with its held-out test metrics."""

    model_config = ConfigDict(json_schema_extra={"examples": [examples.MODEL]})

    version: str
    trained_at: datetime
    status: str = Field(description="current, retired or rejected in the model registry.")
    features: list[str]
    metrics: dict[str, float | None] = Field(description="Test metrics: roc_auc, pr_auc, brier, … (null: undefined)")
    train_rows: int
    test_rows: int
    data_window_start: date
    data_window_end: date


class GateCheck(Schema):
    """One check of the deploy gate, with its numbers."""

    check: str = Field(description="auc_above_gate, not_worse_than_current, beats_baseline, calibration, …")
    passed: bool
    value: float | None = Field(description="The candidate's number (AUC, AUC difference, calibration error).")
    threshold: float | None = Field(description="What it was compared with.")
    detail: str = Field(description="The comparison in words.")


class RegisteredModel(Schema):
    """A model of the registry and the gate decision that gave it its status."""

    model_version: str
    status: str = Field(description="current, retired or rejected.")
    algorithm: str
    trained_at: datetime
    as_of_date: date
    data_window_start: date
    test_window_start: date
    data_window_end: date
    train_rows: int
    test_rows: int
    features: list[str]
    metrics: dict[str, float | None] = Field(description="Held-out test metrics (null: undefined).")
    decision: str = Field(description="The registry's message: why it was deployed or refused.")
    gate: list[GateCheck] = Field(description="Every check of the gate (empty for models decided before it).")


class RegisteredModels(Schema):
    """Every registered model, newest first, as of the last publish."""

    data: list[RegisteredModel]


class DecileOutcome(Schema):
    """Predicted against observed churn in one decile of predicted risk (10: riskiest)."""

    decile: float | None = None
    rows: float | None = None
    predicted: float | None = None
    observed: float | None = None


class TierOutcome(Schema):
    """How many of a tier there were and how many cancelled within 30 days (precision)."""

    rows: float | None = None
    precision: float | None = None


class ScoreDateOutcome(Schema):
    """Realised performance of one score date's scores, once its 30-day window closed."""

    score_date: date
    model_version: str
    metrics: dict[str, float | None] = Field(
        description="rows, positives, base_rate, roc_auc, brier, mean_predicted, calibration_error, top_decile_lift."
    )
    deciles: list[DecileOutcome]
    tiers: dict[str, TierOutcome] = Field(description="By tier: High, Medium, Low.")


class ModelPerformance(Schema):
    """A model's realised performance per closed score date, oldest first (from FCT_MODEL_PERFORMANCE)."""

    model_version: str
    data: list[ScoreDateOutcome]


class SubscriptionEventBatch(Schema):
    """Subscription events to ingest; each must be a JSON object and is validated on its own
    against the SubscriptionEvent schema (extra keys are kept)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [examples.EVENT_BATCH]})

    events: list[dict[str, Any]] = Field(min_length=1, max_length=MAX_EVENTS)


class RejectedEvent(Schema):
    """An event that was not accepted."""

    index: int = Field(description="Its position in the request's events array (from 0).")
    reason: str


class EventsAccepted(Schema):
    """Events stored durably for ingestion, and those rejected."""

    model_config = ConfigDict(json_schema_extra={"examples": [examples.EVENTS_ACCEPTED]})

    batch_id: str
    accepted: int
    rejected: list[RejectedEvent]


class Liveness(Schema):
    """The process is up."""

    status: Literal["ok"]


class Readiness(Schema):
    """The serving store answers; whether the served run is fresh."""

    status: Literal["ready"]
    run_id: str | None = Field(description="The served run; null before the first publish.")
    score_date: date | None
    scored_at: datetime | None
    age_hours: float | None = Field(
        description="Hours since the served run's score_date ended (midnight UTC after it); negative while that "
        "day is still going on."
    )
    max_age_hours: float = Field(description="The staleness threshold, C360_SERVED_RUN_MAX_AGE_HOURS.")
    stale: bool = Field(description="True when no run is served or age_hours is above max_age_hours.")


# --- webhooks ------------------------------------------------------------------------------------
MAX_MESSAGE_PAGE = 100


class WebhookEventType(StrEnum):
    """An event an endpoint can subscribe to (webhook.test is sent only on request)."""

    CHURN_RISK_HIGH = "subscriber.churn_risk.high"
    RISK_TIER_CHANGED = "subscriber.risk_tier.changed"
    SUBSCRIBER_CANCELLED = "subscriber.cancelled"
    OPS_ALERT_RAISED = "ops.alert.raised"
    OPS_ALERT_RESOLVED = "ops.alert.resolved"


def _url_syntax(value: Any) -> Any:
    # the precise reason first; the pattern (documented for clients) then holds for anything accepted here
    if isinstance(value, str):
        try:
            ssrf.parse(value)
        except InvalidEndpointUrl as exc:
            raise ValueError(exc.message) from None
    return value


def _plain_text(value: Any) -> Any:
    if isinstance(value, str) and any(ord(c) < 32 or ord(c) == 127 or 0xD800 <= ord(c) <= 0xDFFF for c in value):
        raise ValueError("must be one line of text, without control characters")
    return value


def _iso_text(value: Any) -> Any:
    # pydantic would read a number as Unix time; the contract says date-time, so only ISO 8601 text
    if not isinstance(value, str) or not re.match(r"^\d{4}-\d{2}-\d{2}", value):
        raise ValueError("must be an ISO 8601 date-time, e.g. 2025-11-20T04:00:00Z")
    return value


WebhookUrl = Annotated[
    str,
    Field(
        max_length=ssrf.MAX_URL,
        pattern=ssrf.URL_PATTERN,
        description="Where to POST events: https, a host that resolves to public addresses only (checked now "
        "and at every delivery); http and private hosts only with C360_WEBHOOK_ALLOW_PRIVATE_URLS.",
        examples=[examples.WEBHOOK_ENDPOINT_CREATE["url"]],
    ),
    BeforeValidator(_url_syntax),  # after Field: runs first, and the pattern stays in the JSON schema
]
EventTypes = Annotated[
    list[WebhookEventType],
    Field(min_length=1, max_length=10, description="The events to receive (one or more; duplicates are ignored)."),
]
Description = Annotated[
    str,
    Field(
        max_length=500,
        pattern=r"^[^\x00-\x1f\x7f]*$",
        description="What the endpoint is for: one line of up to 500 characters.",
    ),
    BeforeValidator(_plain_text),
]


class WebhookEndpointCreate(Schema):
    """A new webhook endpoint."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [examples.WEBHOOK_ENDPOINT_CREATE]})

    url: WebhookUrl
    event_types: EventTypes
    description: Description = ""


class WebhookEndpointUpdate(Schema):
    """The fields to change; at least one. Setting enabled to true re-enables a disabled endpoint."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [examples.WEBHOOK_ENDPOINT_UPDATE], "minProperties": 1}
    )

    # absent means unchanged; null is refused, so the schema does not offer it
    url: WebhookUrl | SkipJsonSchema[None] = None
    event_types: EventTypes | SkipJsonSchema[None] = None
    enabled: StrictBool | SkipJsonSchema[None] = None  # JSON true or false: not 0, 1 or "yes"
    description: Description | SkipJsonSchema[None] = None

    @model_validator(mode="after")
    def _something(self) -> WebhookEndpointUpdate:
        if not self.model_fields_set:
            raise ValueError("nothing to change: send one or more of url, event_types, enabled, description")
        nulls = sorted(name for name in self.model_fields_set if getattr(self, name) is None)
        if nulls:
            raise ValueError(f"{', '.join(nulls)} cannot be null; leave a field out to keep it")
        return self


class WebhookEndpoint(Schema):
    """A webhook endpoint (its secret is shown only when created or rotated)."""

    model_config = ConfigDict(json_schema_extra={"examples": [examples.WEBHOOK_ENDPOINT]})

    id: str
    url: str
    event_types: list[WebhookEventType]
    description: str
    enabled: bool = Field(description="False when disabled through the API, on a 410, or after failing too long.")
    disabled_reason: str | None = Field(description="Why the endpoint was disabled; null while enabled.")
    failing_since: datetime | None = Field(description="First failed attempt since the last success; null: healthy.")
    previous_secret_expires_at: datetime | None = Field(
        description="After a rotation: until when the previous secret still signs beside the new one."
    )
    created_at: datetime
    updated_at: datetime


class WebhookEndpointWithSecret(WebhookEndpoint):
    """A webhook endpoint with its signing secret: shown only in this response."""

    model_config = ConfigDict(json_schema_extra={"examples": [examples.WEBHOOK_ENDPOINT_CREATED]})

    secret: str = Field(
        description="whsec_ + base64 of 32 random bytes; verify deliveries with it (see docs/webhooks.md). "
        "Store it now: it is never shown again."
    )


class WebhookEndpointList(Schema):
    """Every webhook endpoint, oldest first."""

    model_config = ConfigDict(json_schema_extra={"examples": [examples.WEBHOOK_ENDPOINT_LIST]})

    data: list[WebhookEndpoint]


class WebhookMessage(Schema):
    """One event for one endpoint, and where its delivery stands."""

    model_config = ConfigDict(json_schema_extra={"examples": [examples.WEBHOOK_MESSAGE]})

    id: str = Field(description="The webhook-id header: the same on every attempt, for de-duplication.")
    event_type: str = Field(description="subscriber.churn_risk.high, subscriber.risk_tier.changed or webhook.test.")
    status: Literal["pending", "delivered", "failed"]
    attempts: int
    next_attempt_at: datetime | None = Field(description="When the next attempt is due; null unless pending.")
    last_attempt_at: datetime | None
    last_status_code: int | None = Field(description="HTTP status of the last attempt; null: no answer.")
    delivered_at: datetime | None
    created_at: datetime
    payload: dict[str, Any] = Field(description="The body sent: {type, timestamp, data}.")


class QueuedWebhookMessage(WebhookMessage):
    """A message just queued (test or resend): pending until a worker delivers it."""

    model_config = ConfigDict(json_schema_extra={"examples": [examples.QUEUED_WEBHOOK_MESSAGE]})

    hint: str = Field(description="Next: a running `c360 worker` delivers it; without one it stays pending.")


class WebhookMessagePage(Schema):
    """One page of an endpoint's messages, newest first."""

    model_config = ConfigDict(json_schema_extra={"examples": [examples.WEBHOOK_MESSAGE_PAGE]})

    data: list[WebhookMessage]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")


class WebhookAttempt(Schema):
    """One delivery attempt."""

    id: str
    attempted_at: datetime
    status_code: int | None = Field(description="The receiver's HTTP status; null when there was no answer.")
    latency_ms: float
    response: str | None = Field(description="The first 2 KB of the response body.")
    error: str | None = Field(description="Why there was no answer (timeout, connection refused, SSRF refusal …).")


class WebhookAttemptList(Schema):
    """A message's attempts, newest first."""

    model_config = ConfigDict(json_schema_extra={"examples": [examples.WEBHOOK_ATTEMPTS]})

    data: list[WebhookAttempt]


class RecoverWebhookEndpointRequest(Schema):
    """Which failed messages to queue again."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [examples.WEBHOOK_RECOVER]})

    since: Annotated[datetime, BeforeValidator(_iso_text), AfterValidator(to_utc)] = Field(
        description="Failed messages created at or after this time (UTC if no offset)."
    )


class WebhookRecovery(Schema):
    """How many failed messages were queued again."""

    model_config = ConfigDict(json_schema_extra={"examples": [examples.WEBHOOK_RECOVERY]})

    requeued: int


Problem.model_rebuild()
