-- The churn model's lifecycle (SFE_ANALYTICS_MEDIA): the deploy gate's numbers, realised performance once
-- a score date's 30-day window has closed, and the alerts outcome monitoring raises. docs/model.md.

-- Every check of the deploy gate for every trained model, one row per check: the numbers behind each
-- decision of CHURN_MODEL_REGISTRY. check_name: min_test_auc | not_worse_than_current | beats_baseline |
-- calibration_error.
CREATE TABLE IF NOT EXISTS SFE_ANALYTICS_MEDIA.CHURN_MODEL_GATE (
    model_version               VARCHAR NOT NULL,
    check_name                  VARCHAR NOT NULL,
    passed                      BOOLEAN NOT NULL,
    value                       FLOAT,                   -- the candidate's number (AUC, AUC difference, error)
    threshold                   FLOAT,                   -- what it was compared with
    detail                      VARCHAR NOT NULL,        -- the comparison in words, with its numbers
    recorded_at                 TIMESTAMP_NTZ NOT NULL
);

-- Realised performance of the scores of each score date whose 30-day window has closed, one value per
-- row: rows, positives, base_rate, roc_auc, brier, mean_predicted, calibration_error, top_decile_lift
-- (name 'all'); decile_rows, decile_predicted, decile_observed (name: decile 1-10, 10 = riskiest);
-- tier_rows, tier_precision (name: High | Medium | Low).
CREATE TABLE IF NOT EXISTS SFE_ANALYTICS_MEDIA.FCT_MODEL_PERFORMANCE (
    score_date                  DATE NOT NULL,
    model_version               VARCHAR NOT NULL,
    metric                      VARCHAR NOT NULL,
    name                        VARCHAR NOT NULL,
    value                       FLOAT NOT NULL,
    run_id                      VARCHAR NOT NULL,
    recorded_at                 TIMESTAMP_NTZ NOT NULL
);

-- What outcome monitoring found: a feature whose PSI on a score date is above the limit (feature_drift),
-- or a realised ROC AUC not above the deploy gate (realised_auc_below_gate). One row per alert_id; raising
-- the same alert again adds nothing. Delivery is not this table's concern.
CREATE TABLE IF NOT EXISTS SFE_ANALYTICS_MEDIA.MODEL_ALERTS (
    alert_id                    VARCHAR NOT NULL,        -- kind:model_version:score_date:subject
    kind                        VARCHAR NOT NULL,
    model_version               VARCHAR NOT NULL,
    score_date                  DATE NOT NULL,
    subject                     VARCHAR NOT NULL,        -- the feature, or roc_auc
    value                       FLOAT NOT NULL,
    threshold                   FLOAT NOT NULL,
    run_id                      VARCHAR NOT NULL,
    recorded_at                 TIMESTAMP_NTZ NOT NULL
);

-- Recency of the expiring causes (docs/model.md): days since the last failed payment and cancellation
-- request (90: none in the last 90 days) and their counts decayed with a half-life of 10 days. Nullable:
-- rows written before this migration have none.
ALTER TABLE SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING ADD COLUMN days_since_failed_payment NUMBER(38, 0);
ALTER TABLE SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING ADD COLUMN failed_payments_decayed FLOAT;
ALTER TABLE SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING ADD COLUMN days_since_cancellation_ticket NUMBER(38, 0);
ALTER TABLE SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING ADD COLUMN cancellation_tickets_decayed FLOAT;
ALTER TABLE SFE_ANALYTICS_MEDIA.FCT_CHURN_SCORING_FEATURES ADD COLUMN days_since_failed_payment NUMBER(38, 0);
ALTER TABLE SFE_ANALYTICS_MEDIA.FCT_CHURN_SCORING_FEATURES ADD COLUMN failed_payments_decayed FLOAT;
ALTER TABLE SFE_ANALYTICS_MEDIA.FCT_CHURN_SCORING_FEATURES ADD COLUMN days_since_cancellation_ticket NUMBER(38, 0);
ALTER TABLE SFE_ANALYTICS_MEDIA.FCT_CHURN_SCORING_FEATURES ADD COLUMN cancellation_tickets_decayed FLOAT;
