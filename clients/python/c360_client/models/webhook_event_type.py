from enum import StrEnum


class WebhookEventType(StrEnum):
    OPS_ALERT_RAISED = "ops.alert.raised"
    OPS_ALERT_RESOLVED = "ops.alert.resolved"
    SUBSCRIBER_CANCELLED = "subscriber.cancelled"
    SUBSCRIBER_CHURN_RISK_HIGH = "subscriber.churn_risk.high"
    SUBSCRIBER_RISK_TIER_CHANGED = "subscriber.risk_tier.changed"

    def __str__(self) -> str:
        return str(self.value)
