-- Tests of FCT_CHURN_TRAINING: each query returns the failing rows.

-- check: fct_churn_training_grain_unique
SELECT subscriber_id, snapshot_date
FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING
GROUP BY subscriber_id, snapshot_date
HAVING COUNT(*) > 1;

-- check: fct_churn_training_labelled
SELECT subscriber_id, snapshot_date
FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING
WHERE churned IS NULL
    OR split NOT IN ('train', 'test', 'purged')
    OR DATEADD(day, 30, snapshot_date) > :as_of::DATE;

-- check: fct_churn_training_test_after_train
SELECT test_start
FROM (
    SELECT
        MIN(IFF(split = 'test', snapshot_date, NULL)) AS test_start,
        MAX(IFF(split = 'train', snapshot_date, NULL)) AS train_end
    FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING
) AS windows
WHERE test_start <= train_end;

-- check: fct_churn_training_purged
-- no training snapshot's 30-day label window reaches past the first test snapshot
SELECT t.subscriber_id, t.snapshot_date
FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING AS t
CROSS JOIN (
    SELECT MIN(snapshot_date) AS test_start FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING WHERE split = 'test'
) AS w
WHERE t.split = 'train' AND DATEADD(day, 30, t.snapshot_date) > w.test_start;

-- check: fct_churn_training_value_ranges
SELECT subscriber_id, snapshot_date
FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING
WHERE engagement_score NOT BETWEEN 0 AND 100
    OR reads_per_day_30d < 0
    OR days_since_last_read < 0
    OR subscription_tenure_days < 0
    OR support_tickets_30d > support_tickets_count
    OR cancellation_tickets_30d > support_tickets_30d
    OR failed_payments_30d < 0
    OR downgrades_90d < 0
    OR days_since_failed_payment NOT BETWEEN 0 AND 90
    OR days_since_cancellation_ticket NOT BETWEEN 0 AND 90
    OR failed_payments_decayed < 0
    OR cancellation_tickets_decayed < 0;
