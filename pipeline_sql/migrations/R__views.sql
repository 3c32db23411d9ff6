-- Views for BI tools (Tableau, Power BI) and the dashboard: stable names over the analytics tables.

-- One row per subscriber: profile, last-30-day engagement and the latest churn score.
CREATE OR REPLACE VIEW SFE_ANALYTICS_MEDIA.V_SUBSCRIBER_360 AS
WITH engagement_30d AS (
    SELECT
        f.subscriber_id,
        SUM(f.articles_viewed) AS articles_viewed_30d,
        SUM(f.total_time_spent) AS total_time_spent_30d,
        MAX(f.activity_date) AS last_read_date
    FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY AS f
    INNER JOIN SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS AS d ON d.subscriber_id = f.subscriber_id
    WHERE f.activity_date > DATEADD(day, -30, d.as_of_date) AND f.activity_date <= d.as_of_date
    GROUP BY f.subscriber_id
),

latest_score AS (
    SELECT subscriber_id, score_date, churn_risk_score, risk_tier, model_version
    FROM SFE_ANALYTICS_MEDIA.FCT_CUSTOMER_HEALTH_SCORES
    QUALIFY ROW_NUMBER() OVER (PARTITION BY subscriber_id ORDER BY score_date DESC, scored_at DESC) = 1
)

SELECT
    d.*,
    COALESCE(e.articles_viewed_30d, 0) AS articles_viewed_30d,
    COALESCE(e.total_time_spent_30d, 0) AS total_time_spent_30d,
    e.last_read_date,
    s.score_date,
    s.churn_risk_score,
    s.risk_tier,
    s.model_version
FROM SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS AS d
LEFT JOIN engagement_30d AS e ON e.subscriber_id = d.subscriber_id
LEFT JOIN latest_score AS s ON s.subscriber_id = d.subscriber_id;

-- The churn risk leaderboard: the latest scoring run, riskiest first.
CREATE OR REPLACE VIEW SFE_ANALYTICS_MEDIA.V_CHURN_RISK_LEADERBOARD AS
SELECT
    h.score_date,
    h.subscriber_id,
    h.churn_risk_score,
    h.risk_tier,
    d.plan,
    d.tenure_days,
    d.lifetime_value,
    d.demographic_segment,
    RANK() OVER (ORDER BY h.churn_risk_score DESC) AS risk_rank
FROM SFE_ANALYTICS_MEDIA.FCT_CUSTOMER_HEALTH_SCORES AS h
LEFT JOIN SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS AS d ON d.subscriber_id = h.subscriber_id
WHERE h.score_date = (SELECT MAX(score_date) FROM SFE_ANALYTICS_MEDIA.FCT_CUSTOMER_HEALTH_SCORES);

-- Engagement trends: readers and reading per week.
CREATE OR REPLACE VIEW SFE_ANALYTICS_MEDIA.V_ENGAGEMENT_WEEKLY AS
SELECT
    DATE_TRUNC('week', activity_date)::DATE AS week_start,  -- a DATE on Snowflake; DuckDB's is a TIMESTAMP
    COUNT(DISTINCT subscriber_id) AS active_readers,
    SUM(views) AS views,
    SUM(total_time_spent) AS total_time_spent,
    ROUND(AVG(avg_engagement_score), 2) AS avg_engagement_score
FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY
GROUP BY DATE_TRUNC('week', activity_date);

-- Cohort analysis: retention by signup month.
CREATE OR REPLACE VIEW SFE_ANALYTICS_MEDIA.V_SIGNUP_COHORTS AS
SELECT
    DATE_TRUNC('month', signup_date)::DATE AS cohort_month,
    COUNT(*) AS subscribers,
    COUNT_IF(status = 'active') AS active,
    COUNT_IF(status = 'cancelled') AS cancelled,
    ROUND(COUNT_IF(status = 'active') / COUNT(*), 4) AS retention_rate,
    ROUND(AVG(lifetime_value), 2) AS avg_lifetime_value
FROM SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS
GROUP BY DATE_TRUNC('month', signup_date);

-- The latest result of every data quality check.
CREATE OR REPLACE VIEW SFE_ANALYTICS_MEDIA.V_DATA_QUALITY AS
SELECT *
FROM SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS
QUALIFY ROW_NUMBER() OVER (PARTITION BY check_name ORDER BY checked_at DESC) = 1;

-- The churn model's training data for Snowflake ML (SNOWFLAKE.ML.CLASSIFICATION uses every column but
-- the target as a feature, so these views hold exactly the model's features and the label).
CREATE OR REPLACE VIEW SFE_ANALYTICS_MEDIA.V_CHURN_TRAINING_TRAIN AS
SELECT
    engagement_score, reads_per_day_30d, engagement_trend, days_since_last_read, support_tickets_count,
    support_tickets_30d, cancellation_tickets_30d, subscription_tenure_days, failed_payments_30d, downgrades_90d,
    days_since_failed_payment, failed_payments_decayed, days_since_cancellation_ticket, cancellation_tickets_decayed,
    plan, acquisition_channel, churned
FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING
WHERE split = 'train';

CREATE OR REPLACE VIEW SFE_ANALYTICS_MEDIA.V_CHURN_TRAINING_TEST AS
SELECT
    engagement_score, reads_per_day_30d, engagement_trend, days_since_last_read, support_tickets_count,
    support_tickets_30d, cancellation_tickets_30d, subscription_tenure_days, failed_payments_30d, downgrades_90d,
    days_since_failed_payment, failed_payments_decayed, days_since_cancellation_ticket, cancellation_tickets_decayed,
    plan, acquisition_channel, churned
FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING
WHERE split = 'test';

-- The current churn model, as the API serves it (GET /v1/models/current).
CREATE OR REPLACE VIEW SFE_ANALYTICS_MEDIA.V_CHURN_MODEL_CURRENT AS
SELECT *
FROM SFE_ANALYTICS_MEDIA.CHURN_MODEL_REGISTRY
WHERE status = 'current';
