-- FCT_CHURN_TRAINING as of :as_of, rebuilt whole: the labelled weekly snapshots of churn_snapshots.sql
-- (:last_snapshot is the latest weekly date whose 30-day label window has passed).
DELETE FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING;

INSERT INTO SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING (
    subscriber_id, snapshot_date, engagement_score, reads_per_day_30d, engagement_trend, days_since_last_read,
    support_tickets_count, support_tickets_30d, cancellation_tickets_30d, subscription_tenure_days,
    failed_payments_30d, downgrades_90d, days_since_failed_payment, failed_payments_decayed,
    days_since_cancellation_ticket, cancellation_tickets_decayed, plan, acquisition_channel, churned, split, run_id,
    built_at
)
{% include "models/marts/churn_snapshots.sql" %};
