-- FCT_CHURN_SCORING_FEATURES for one score date (:as_of): churn_snapshots.sql with a single snapshot,
-- the label unknown. A date scored again replaces that date's rows.
DELETE FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_SCORING_FEATURES
WHERE snapshot_date = :as_of::DATE;

INSERT INTO SFE_ANALYTICS_MEDIA.FCT_CHURN_SCORING_FEATURES (
    subscriber_id, snapshot_date, engagement_score, reads_per_day_30d, engagement_trend, days_since_last_read,
    support_tickets_count, support_tickets_30d, cancellation_tickets_30d, subscription_tenure_days,
    failed_payments_30d, downgrades_90d, days_since_failed_payment, failed_payments_decayed,
    days_since_cancellation_ticket, cancellation_tickets_decayed, plan, acquisition_channel, churned, split, run_id,
    built_at
)
{% include "models/marts/churn_snapshots.sql" %};
