-- Tests of FCT_CHURN_SCORING_FEATURES for the score date: each query returns the failing rows.

-- check: fct_churn_scoring_features_not_empty
SELECT 'no active subscriber with data on the score date' AS problem
FROM (
    SELECT COUNT(*) AS n
    FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_SCORING_FEATURES
    WHERE snapshot_date = :as_of::DATE
) AS counts
WHERE n = 0;

-- check: fct_churn_scoring_features_grain_unique
SELECT subscriber_id
FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_SCORING_FEATURES
WHERE snapshot_date = :as_of::DATE
GROUP BY subscriber_id
HAVING COUNT(*) > 1;

-- check: fct_churn_scoring_features_value_ranges
SELECT subscriber_id
FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_SCORING_FEATURES
WHERE snapshot_date = :as_of::DATE
    AND (
        engagement_score NOT BETWEEN 0 AND 100
        OR reads_per_day_30d < 0
        OR days_since_last_read < 0
        OR subscription_tenure_days < 0
        OR support_tickets_30d > support_tickets_count
        OR cancellation_tickets_30d > support_tickets_30d
        OR days_since_failed_payment NOT BETWEEN 0 AND 90
        OR days_since_cancellation_ticket NOT BETWEEN 0 AND 90
        OR failed_payments_decayed < 0
        OR cancellation_tickets_decayed < 0
        OR churned IS NOT NULL
    );
