-- Analytics layer (SFE_ANALYTICS_MEDIA): entities and facts for the model, the API and BI tools.

CREATE SCHEMA IF NOT EXISTS SFE_ANALYTICS_MEDIA;

-- The "manual mapping" that enriches subscribers with a demographic segment.
CREATE TABLE IF NOT EXISTS SFE_ANALYTICS_MEDIA.DEMOGRAPHIC_SEGMENT_MAP (
    age_band             VARCHAR NOT NULL,
    demographic_segment  VARCHAR NOT NULL
);

INSERT INTO SFE_ANALYTICS_MEDIA.DEMOGRAPHIC_SEGMENT_MAP (age_band, demographic_segment)
SELECT age_band, demographic_segment
FROM (
    SELECT '18-24' AS age_band, 'Students & Starters' AS demographic_segment
    UNION ALL SELECT '25-34', 'Young Professionals'
    UNION ALL SELECT '35-44', 'Established Families'
    UNION ALL SELECT '45-54', 'Peak Earners'
    UNION ALL SELECT '55-64', 'Pre-Retirees'
    UNION ALL SELECT '65+', 'Retirees'
) AS seed
WHERE NOT EXISTS (SELECT 1 FROM SFE_ANALYTICS_MEDIA.DEMOGRAPHIC_SEGMENT_MAP);

-- One row per subscriber, as of the last daily build (as_of_date).
CREATE TABLE IF NOT EXISTS SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS (
    subscriber_id            VARCHAR NOT NULL,
    as_of_date               DATE NOT NULL,
    status                   VARCHAR NOT NULL,   -- active | cancelled
    plan                     VARCHAR NOT NULL,
    signup_date              DATE NOT NULL,
    cancelled_at             TIMESTAMP_NTZ,
    tenure_days              NUMBER(38, 0) NOT NULL,
    lifetime_value           NUMBER(12, 2) NOT NULL,
    payments_count           NUMBER(38, 0) NOT NULL,
    failed_payments_count    NUMBER(38, 0) NOT NULL,
    country                  VARCHAR,
    age_band                 VARCHAR,
    acquisition_channel      VARCHAR,
    demographic_segment      VARCHAR NOT NULL,
    last_event_at            TIMESTAMP_NTZ NOT NULL,
    built_at                 TIMESTAMP_NTZ NOT NULL
);

-- Per subscriber and day with reads.
CREATE TABLE IF NOT EXISTS SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY (
    subscriber_id            VARCHAR NOT NULL,
    activity_date            DATE NOT NULL,
    articles_viewed          NUMBER(38, 0) NOT NULL,  -- distinct articles
    views                    NUMBER(38, 0) NOT NULL,
    total_time_spent         NUMBER(38, 0) NOT NULL,  -- seconds
    distinct_sections        NUMBER(38, 0) NOT NULL,
    avg_engagement_score     NUMBER(5, 2) NOT NULL,   -- 0-100
    built_at                 TIMESTAMP_NTZ NOT NULL
);

-- Quality checks of every build: a failed check stops the steps after it.
CREATE TABLE IF NOT EXISTS SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (
    run_id                   VARCHAR NOT NULL,
    as_of_date               DATE NOT NULL,
    check_name               VARCHAR NOT NULL,
    model                    VARCHAR NOT NULL,
    failures                 NUMBER(38, 0) NOT NULL,
    passed                   BOOLEAN NOT NULL,
    checked_at               TIMESTAMP_NTZ NOT NULL
);

-- Daily churn predictions, kept as history: one row per subscriber per score_date.
CREATE TABLE IF NOT EXISTS SFE_ANALYTICS_MEDIA.FCT_CUSTOMER_HEALTH_SCORES (
    subscriber_id            VARCHAR NOT NULL,
    score_date               DATE NOT NULL,
    churn_risk_score         FLOAT NOT NULL,    -- probability of cancelling within 30 days, 0-1
    risk_tier                VARCHAR NOT NULL,  -- High | Medium | Low
    model_version            VARCHAR NOT NULL,
    scored_at                TIMESTAMP_NTZ NOT NULL,
    drivers                  VARIANT,           -- top features pushing this score up or down
    run_id                   VARCHAR NOT NULL
);
