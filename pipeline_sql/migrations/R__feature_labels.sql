-- The churn model's features in words: the label every driver of a score carries (API, webhooks,
-- dashboard, BI), one row per feature of FCT_CHURN_TRAINING (docs/model.md defines each). Repeatable:
-- editing a label here re-applies this script at the next `c360 migrate`.
CREATE OR REPLACE TABLE SFE_ANALYTICS_MEDIA.FEATURE_LABELS (
    feature  VARCHAR NOT NULL,
    label    VARCHAR NOT NULL
);

INSERT INTO SFE_ANALYTICS_MEDIA.FEATURE_LABELS (feature, label)
SELECT feature, label
FROM (
    SELECT 'engagement_score' AS feature, 'Average daily engagement score (0-100), last 30 days' AS label
    UNION ALL SELECT 'reads_per_day_30d', 'Articles read per day, last 30 days'
    UNION ALL SELECT 'engagement_trend', 'Reading trend: last 7 days against the 23 before'
    UNION ALL SELECT 'days_since_last_read', 'Days since the last article read'
    UNION ALL SELECT 'support_tickets_count', 'Support tickets, last 90 days'
    UNION ALL SELECT 'support_tickets_30d', 'Support tickets, last 30 days'
    UNION ALL SELECT 'cancellation_tickets_30d', 'Cancellation requests to support, last 30 days'
    UNION ALL SELECT 'subscription_tenure_days', 'Days since signing up'
    UNION ALL SELECT 'failed_payments_30d', 'Failed payments, last 30 days'
    UNION ALL SELECT 'downgrades_90d', 'Plan downgrades, last 90 days'
    UNION ALL SELECT 'plan', 'Subscription plan'
    UNION ALL SELECT 'acquisition_channel', 'Acquisition channel'
    UNION ALL SELECT 'days_since_failed_payment', 'Days since the last failed payment (90: none in 90 days)'
    UNION ALL SELECT 'failed_payments_decayed', 'Failed payments, recent ones weighing more (10-day half-life)'
    UNION ALL SELECT 'days_since_cancellation_ticket', 'Days since the last cancellation request (90: none in 90 days)'
    UNION ALL SELECT 'cancellation_tickets_decayed', 'Cancellation requests, recent ones weighing more (10-day half-life)'
) AS labels;
