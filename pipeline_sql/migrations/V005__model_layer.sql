-- The churn model's tables (SFE_ANALYTICS_MEDIA): training set, model registry, scoring monitor.

-- One row per active subscriber per weekly snapshot. Features use only data up to the end of
-- snapshot_date; the label only the 30 days after it. See docs/model.md for each feature.
CREATE TABLE IF NOT EXISTS SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING (
    subscriber_id               VARCHAR NOT NULL,
    snapshot_date               DATE NOT NULL,
    engagement_score            FLOAT NOT NULL,          -- average daily engagement (0-100) over the last 30 days
    support_tickets_count       NUMBER(38, 0) NOT NULL,  -- tickets opened in the last 90 days
    days_since_last_read        NUMBER(38, 0) NOT NULL,
    subscription_tenure_days    NUMBER(38, 0) NOT NULL,
    churned                     BOOLEAN,                 -- cancelled within 30 days after; NULL while unknown
    label_complete              BOOLEAN NOT NULL,        -- the 30-day label window has fully passed
    built_at                    TIMESTAMP_NTZ NOT NULL
);

-- Every trained model, deployed or not: the deploy gate's decision is kept with its metrics.
CREATE TABLE IF NOT EXISTS SFE_ANALYTICS_MEDIA.CHURN_MODEL_REGISTRY (
    model_version               VARCHAR NOT NULL,
    trained_at                  TIMESTAMP_NTZ NOT NULL,
    status                      VARCHAR NOT NULL,        -- current | retired | rejected
    data_window_start           DATE NOT NULL,
    data_window_end             DATE NOT NULL,
    features                    VARIANT NOT NULL,        -- ordered feature names
    train_rows                  NUMBER(38, 0) NOT NULL,
    test_rows                   NUMBER(38, 0) NOT NULL,
    metrics                     VARIANT NOT NULL,        -- roc_auc, pr_auc, brier, precision/recall at High
    artifact_uri                VARCHAR,                 -- the model file (embedded) or Snowflake model name
    artifact_sha256             VARCHAR,
    message                     VARCHAR
);

-- Monitoring of each scoring run: drift per feature (PSI) and the distribution of scores and tiers.
CREATE TABLE IF NOT EXISTS SFE_ANALYTICS_MEDIA.FCT_SCORING_MONITOR (
    run_id                      VARCHAR NOT NULL,
    score_date                  DATE NOT NULL,
    model_version               VARCHAR NOT NULL,
    metric                      VARCHAR NOT NULL,        -- psi | score_quantile | tier_count | ...
    name                        VARCHAR NOT NULL,        -- feature, quantile or tier
    value                       FLOAT NOT NULL,
    recorded_at                 TIMESTAMP_NTZ NOT NULL
);
