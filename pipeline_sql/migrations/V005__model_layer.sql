-- The churn model's tables (SFE_ANALYTICS_MEDIA): training set, scoring inputs, model registry, monitor.
-- docs/model.md defines every feature; pipeline_sql/models/marts/churn_snapshots.sql computes them.

-- One row per active subscriber per weekly snapshot whose 30-day label window has passed, rebuilt by
-- each training run. Features use only data up to the end of snapshot_date; the label only the 30 days
-- after it. split: the latest 20 % of the snapshot dates are the test set.
CREATE TABLE IF NOT EXISTS SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING (
    subscriber_id               VARCHAR NOT NULL,
    snapshot_date               DATE NOT NULL,
    engagement_score            FLOAT NOT NULL,          -- average daily engagement (0-100), last 30 days
    reads_per_day_30d           FLOAT NOT NULL,          -- article views per day, last 30 days
    engagement_trend            FLOAT NOT NULL,          -- ln of reads/day last 7 days vs the 23 before
    days_since_last_read        NUMBER(38, 0) NOT NULL,
    support_tickets_count       NUMBER(38, 0) NOT NULL,  -- tickets opened in the last 90 days
    support_tickets_30d         NUMBER(38, 0) NOT NULL,
    cancellation_tickets_30d    NUMBER(38, 0) NOT NULL,
    subscription_tenure_days    NUMBER(38, 0) NOT NULL,
    failed_payments_30d         NUMBER(38, 0) NOT NULL,
    downgrades_90d              NUMBER(38, 0) NOT NULL,
    plan                        VARCHAR NOT NULL,
    acquisition_channel         VARCHAR NOT NULL,
    churned                     BOOLEAN,                 -- cancelled on days snapshot + 1 .. + 30
    split                       VARCHAR,                 -- train | test
    run_id                      VARCHAR NOT NULL,
    built_at                    TIMESTAMP_NTZ NOT NULL
);

-- The same query for one score date, label unknown: what each scoring run fed the model. History:
-- one row per subscriber per score date; scoring a date again replaces that date.
CREATE TABLE IF NOT EXISTS SFE_ANALYTICS_MEDIA.FCT_CHURN_SCORING_FEATURES (
    subscriber_id               VARCHAR NOT NULL,
    snapshot_date               DATE NOT NULL,           -- the score date
    engagement_score            FLOAT NOT NULL,
    reads_per_day_30d           FLOAT NOT NULL,
    engagement_trend            FLOAT NOT NULL,
    days_since_last_read        NUMBER(38, 0) NOT NULL,
    support_tickets_count       NUMBER(38, 0) NOT NULL,
    support_tickets_30d         NUMBER(38, 0) NOT NULL,
    cancellation_tickets_30d    NUMBER(38, 0) NOT NULL,
    subscription_tenure_days    NUMBER(38, 0) NOT NULL,
    failed_payments_30d         NUMBER(38, 0) NOT NULL,
    downgrades_90d              NUMBER(38, 0) NOT NULL,
    plan                        VARCHAR NOT NULL,
    acquisition_channel         VARCHAR NOT NULL,
    churned                     BOOLEAN,                 -- always NULL here: unknown at scoring time
    split                       VARCHAR,                 -- always NULL here
    run_id                      VARCHAR NOT NULL,
    built_at                    TIMESTAMP_NTZ NOT NULL
);

-- Every trained model, deployed or not: the deploy gate's decision is kept with its metrics.
-- status: current (the one that scores; at most one) | retired (was current) | rejected (failed the gate)
CREATE TABLE IF NOT EXISTS SFE_ANALYTICS_MEDIA.CHURN_MODEL_REGISTRY (
    model_version               VARCHAR NOT NULL,
    trained_at                  TIMESTAMP_NTZ NOT NULL,
    status                      VARCHAR NOT NULL,
    algorithm                   VARCHAR NOT NULL,        -- lightgbm+platt | snowflake.ml.classification
    as_of_date                  DATE NOT NULL,           -- what was known when it was trained
    data_window_start           DATE NOT NULL,           -- first training snapshot
    data_window_end             DATE NOT NULL,           -- last test snapshot
    test_window_start           DATE NOT NULL,           -- first test snapshot
    features                    VARIANT NOT NULL,        -- ordered feature names
    train_rows                  NUMBER(38, 0) NOT NULL,
    test_rows                   NUMBER(38, 0) NOT NULL,
    metrics                     VARIANT NOT NULL,        -- test metrics: roc_auc, pr_auc, brier, precision/recall at High
    artifact_uri                VARCHAR,                 -- models/<version>/model.json under C360_HOME, or the Snowflake model
    artifact_sha256             VARCHAR,
    message                     VARCHAR NOT NULL,        -- the gate's decision, in words
    run_id                      VARCHAR NOT NULL
);

-- Global feature importance of each deployed model, best first: mean |SHAP| (calibrated log-odds) on
-- the test split for the embedded model; SHOW_FEATURE_IMPORTANCE() for Snowflake ML, whose scoring
-- reports the top ones as drivers (Snowflake ML gives no per-subscriber attribution).
CREATE TABLE IF NOT EXISTS SFE_ANALYTICS_MEDIA.CHURN_FEATURE_IMPORTANCE (
    model_version               VARCHAR NOT NULL,
    feature                     VARCHAR NOT NULL,
    importance_rank             NUMBER(38, 0) NOT NULL,
    importance                  FLOAT NOT NULL
);

-- Monitoring of each scoring run, one value per row: psi (per feature, against the training population),
-- score_mean, score_quantile (p01 .. p99), tier_count and tier_share (High/Medium/Low), rows.
-- Scoring a date again replaces that date's rows, like the scores.
CREATE TABLE IF NOT EXISTS SFE_ANALYTICS_MEDIA.FCT_SCORING_MONITOR (
    run_id                      VARCHAR NOT NULL,
    score_date                  DATE NOT NULL,
    model_version               VARCHAR NOT NULL,
    metric                      VARCHAR NOT NULL,
    name                        VARCHAR NOT NULL,        -- feature, quantile or tier
    value                       FLOAT NOT NULL,
    recorded_at                 TIMESTAMP_NTZ NOT NULL
);
