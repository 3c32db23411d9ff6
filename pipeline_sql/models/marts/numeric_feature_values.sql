-- Included by churn_feature_reference.sql and scoring_drift.sql (a CTE, not a statement): the numeric model
-- features of the rows of the CTE `population`, one row per (row, feature), the feature named in lower case.
numeric_values AS (
    SELECT LOWER(feature) AS feature, value
    FROM (
        SELECT
            engagement_score::FLOAT AS engagement_score, reads_per_day_30d::FLOAT AS reads_per_day_30d,
            engagement_trend::FLOAT AS engagement_trend, days_since_last_read::FLOAT AS days_since_last_read,
            support_tickets_count::FLOAT AS support_tickets_count, support_tickets_30d::FLOAT AS support_tickets_30d,
            cancellation_tickets_30d::FLOAT AS cancellation_tickets_30d,
            subscription_tenure_days::FLOAT AS subscription_tenure_days,
            failed_payments_30d::FLOAT AS failed_payments_30d, downgrades_90d::FLOAT AS downgrades_90d,
            days_since_failed_payment::FLOAT AS days_since_failed_payment,
            failed_payments_decayed::FLOAT AS failed_payments_decayed,
            days_since_cancellation_ticket::FLOAT AS days_since_cancellation_ticket,
            cancellation_tickets_decayed::FLOAT AS cancellation_tickets_decayed
        FROM population
    ) UNPIVOT (value FOR feature IN (
        engagement_score, reads_per_day_30d, engagement_trend, days_since_last_read, support_tickets_count,
        support_tickets_30d, cancellation_tickets_30d, subscription_tenure_days, failed_payments_30d,
        downgrades_90d, days_since_failed_payment, failed_payments_decayed, days_since_cancellation_ticket,
        cancellation_tickets_decayed
    ))
),
