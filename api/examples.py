"""Example payloads of the contract (shown in openapi.yaml and the docs page), kept apart from the models."""

from __future__ import annotations

from typing import Any

from c360.webhooks.messages import QUEUED_HINT

SUBSCRIBER_ID = "0b6e8f2a-91c3-4d5e-8f7a-2c4b6d8e0f13"

HEALTH: dict[str, Any] = {
    "subscriber_id": SUBSCRIBER_ID,
    "churn_risk_score": 0.42,
    "risk_tier": "High",
    "previous_risk_tier": "Medium",
    "score_date": "2025-11-20",
    "scored_at": "2025-11-21T04:12:09Z",
    "model_version": "churn-gbm-20251116-043012-5c1d9e7a",
    "drivers": [
        {
            "feature": "days_since_last_read",
            "label": "Days since the last article read",
            "value": 21.0,
            "contribution": 0.1834,
            "direction": "increases_risk",
            "importance": None,
        },
        {
            "feature": "support_tickets_count",
            "label": "Support tickets, last 90 days",
            "value": 2.0,
            "contribution": 0.0712,
            "direction": "increases_risk",
            "importance": None,
        },
        {
            "feature": "engagement_score",
            "label": "Average daily engagement score (0-100), last 30 days",
            "value": 38.2,
            "contribution": -0.0415,
            "direction": "decreases_risk",
            "importance": None,
        },
    ],
    "updated_at": "2025-11-21T04:30:00Z",
    "removed": False,
    "removal": None,
}

REMOVAL: dict[str, Any] = {
    "reason": "cancelled",
    "removed_at": "2025-11-22T04:30:00Z",
    "score_date": "2025-11-21",
    "cancelled_at": "2025-11-21T16:02:11Z",
    "was_high": True,
}

PROBLEM: dict[str, Any] = {
    "type": "https://docs.c360.dev/problems/not-found",
    "title": "Not found",
    "status": 404,
    "detail": f"subscriber {SUBSCRIBER_ID} is unknown",
}

PROFILE: dict[str, Any] = {
    "subscriber_id": SUBSCRIBER_ID,
    "status": "active",
    "plan": "standard",
    "signup_date": "2024-03-02",
    "tenure_days": 628,
    "lifetime_value": 299.7,
    "demographic_segment": "Young Professionals",
    "as_of_date": "2025-11-20",
    "cancelled_at": None,
    "engagement_30d": {
        "articles_viewed": 12,
        "total_time_spent": 2160,
        "distinct_sections": 3,
        "days_since_last_read": 9,
    },
    "support_tickets_90d": 2,
    "health": HEALTH,
}

HISTORY: dict[str, Any] = {
    "subscriber_id": SUBSCRIBER_ID,
    "data": [
        {
            "score_date": "2025-11-20",
            "churn_risk_score": 0.42,
            "risk_tier": "High",
            "model_version": "churn-gbm-20251116-043012-5c1d9e7a",
            "scored_at": "2025-11-21T04:12:09Z",
            "run_id": "20251121T040000-3f9a1c2b",
        }
    ],
}

PAGE: dict[str, Any] = {"data": [HEALTH], "next_cursor": None}

BATCH_REQUEST: dict[str, Any] = {"subscriber_ids": [SUBSCRIBER_ID]}

BATCH_RESPONSE: dict[str, Any] = {"data": [HEALTH], "missing": ["unknown-42"]}

PROFILES_RESPONSE: dict[str, Any] = {"data": [PROFILE], "missing": ["unknown-42"]}

CHANGES: dict[str, Any] = {
    "data": [
        {**HEALTH, "profile": None},
        {
            "subscriber_id": "5c1d7e9b-0a2f-4b3c-9d8e-7f6a5b4c3d2e",
            "removed": True,
            **{k: REMOVAL[k] for k in ("reason", "removed_at", "score_date", "cancelled_at", "was_high")},
            "last": {**HEALTH, "subscriber_id": "5c1d7e9b-0a2f-4b3c-9d8e-7f6a5b4c3d2e"},
        },
    ],
    "next_cursor": None,
    "next_sync_token": "eyJzIjoiN2YzYTljMmUiLCJ2IjoxMn0.q0kC7bY1m6ZKcJ1mS9yq3g",
    "version": 12,
}

RISK_TIERS: dict[str, Any] = {
    "score_date": "2025-11-20",
    "run_id": "20251121T040000-3f9a1c2b",
    "model_version": "churn-gbm-20251116-043012-5c1d9e7a",
    "scored": 23810,
    "tiers": [
        {"tier": "High", "min_score": 0.3, "max_score": None, "count": 1904},
        {"tier": "Medium", "min_score": 0.1, "max_score": 0.3, "count": 5236},
        {"tier": "Low", "min_score": 0.0, "max_score": 0.1, "count": 16670},
    ],
}

MODEL: dict[str, Any] = {
    "version": "churn-gbm-20251116-043012-5c1d9e7a",
    "trained_at": "2025-11-16T01:04:31Z",
    "status": "current",
    "features": [
        "engagement_score",
        "support_tickets_count",
        "days_since_last_read",
        "subscription_tenure_days",
    ],
    "metrics": {"roc_auc": 0.81, "pr_auc": 0.42, "brier": 0.071},
    "train_rows": 80412,
    "test_rows": 20103,
    "data_window_start": "2025-05-01",
    "data_window_end": "2025-10-15",
}

EVENT_BATCH: dict[str, Any] = {
    "events": [
        {
            "event_id": "6f1c2a9e-3b4d-4c1e-9a57-0d7e2b8f4c11",
            "subscriber_id": SUBSCRIBER_ID,
            "event_type": "upgrade",
            "event_timestamp": "2025-11-20T09:15:00+01:00",
            "plan": "premium",
        }
    ]
}

EVENTS_ACCEPTED: dict[str, Any] = {
    "batch_id": "0f8e2b7c-5a61-4c0e-9d43-1b2a3c4d5e6f",
    "accepted": 1,
    "rejected": [{"index": 1, "reason": "event_type: Input should be 'signup', 'upgrade', …"}],
}

# --- webhooks ------------------------------------------------------------------------------------
WEBHOOK_ENDPOINT_ID = "ep_5f0c3a9b1e2d4c6a8b7e9f01"
WEBHOOK_MESSAGE_ID = "msg_8d1f0a2b3c4d5e6f7a8b9c0d1e2f3a4b"

WEBHOOK_ENDPOINT_CREATE: dict[str, Any] = {
    "url": "https://hooks.example.com/c360/churn",
    "event_types": ["subscriber.churn_risk.high"],
    "description": "Braze: start the win-back canvas",
}

WEBHOOK_ENDPOINT: dict[str, Any] = {
    "id": WEBHOOK_ENDPOINT_ID,
    **WEBHOOK_ENDPOINT_CREATE,
    "enabled": True,
    "disabled_reason": None,
    "failing_since": None,
    "previous_secret_expires_at": None,
    "created_at": "2025-11-21T08:00:00Z",
    "updated_at": "2025-11-21T08:00:00Z",
}

WEBHOOK_ENDPOINT_CREATED: dict[str, Any] = {
    **WEBHOOK_ENDPOINT,
    "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw6Bk3mYDsE8w=",
}

WEBHOOK_ENDPOINT_UPDATE: dict[str, Any] = {"enabled": True}

WEBHOOK_ENDPOINT_LIST: dict[str, Any] = {"data": [WEBHOOK_ENDPOINT]}

WEBHOOK_EVENT: dict[str, Any] = {
    "type": "subscriber.churn_risk.high",
    "timestamp": "2025-11-21T04:30:02.117Z",
    "data": {
        "subscriber_id": SUBSCRIBER_ID,
        "previous_risk_tier": "Medium",
        "risk_tier": "High",
        "churn_risk_score": 0.42,
        "previous_churn_risk_score": 0.27,
        "score_date": "2025-11-20",
        "model_version": "churn-gbm-20251116-043012-5c1d9e7a",
        "drivers": HEALTH["drivers"],
    },
}

WEBHOOK_MESSAGE: dict[str, Any] = {
    "id": WEBHOOK_MESSAGE_ID,
    "event_type": "subscriber.churn_risk.high",
    "status": "delivered",
    "attempts": 2,
    "next_attempt_at": None,
    "last_attempt_at": "2025-11-21T04:30:07.480Z",
    "last_status_code": 204,
    "delivered_at": "2025-11-21T04:30:07.512Z",
    "created_at": "2025-11-21T04:30:02.117Z",
    "payload": WEBHOOK_EVENT,
}

QUEUED_WEBHOOK_MESSAGE: dict[str, Any] = {
    **WEBHOOK_MESSAGE,
    "event_type": "webhook.test",
    "status": "pending",
    "attempts": 0,
    "next_attempt_at": "2025-11-21T09:12:40.031Z",
    "last_attempt_at": None,
    "last_status_code": None,
    "delivered_at": None,
    "created_at": "2025-11-21T09:12:40.031Z",
    "payload": {
        "type": "webhook.test",
        "timestamp": "2025-11-21T09:12:40.031Z",
        "data": {"endpoint_id": WEBHOOK_ENDPOINT_ID, "message": "a test event from Customer 360"},
    },
    "hint": QUEUED_HINT,
}

WEBHOOK_MESSAGE_PAGE: dict[str, Any] = {"data": [WEBHOOK_MESSAGE], "next_cursor": "1842"}

WEBHOOK_ATTEMPTS: dict[str, Any] = {
    "data": [
        {
            "id": "atmpt_3e9a0c1b2d4f5a6b7c8d9e0f",
            "attempted_at": "2025-11-21T04:30:07.480Z",
            "status_code": 204,
            "latency_ms": 31.2,
            "response": "",
            "error": None,
        },
        {
            "id": "atmpt_0b1c2d3e4f5a6b7c8d9e0f1a",
            "attempted_at": "2025-11-21T04:30:02.141Z",
            "status_code": 503,
            "latency_ms": 12.8,
            "response": "upstream unavailable",
            "error": None,
        },
    ]
}

WEBHOOK_RECOVER: dict[str, Any] = {"since": "2025-11-20T00:00:00Z"}

WEBHOOK_RECOVERY: dict[str, Any] = {"requeued": 214}
