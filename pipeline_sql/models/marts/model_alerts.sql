-- MODEL_ALERTS as of :as_of: a feature whose PSI on a score date up to :as_of is above :drift_limit
-- (FCT_SCORING_MONITOR), or a realised ROC AUC not above the deploy gate :auc_gate (FCT_MODEL_PERFORMANCE).
-- An alert already raised (same alert_id) is not raised again.
INSERT INTO SFE_ANALYTICS_MEDIA.MODEL_ALERTS (
    alert_id, kind, model_version, score_date, subject, value, threshold, run_id, recorded_at
)
WITH drift AS (
    SELECT 'feature_drift' AS kind, model_version, score_date, name AS subject, value, :drift_limit::FLOAT AS threshold
    FROM SFE_ANALYTICS_MEDIA.FCT_SCORING_MONITOR
    WHERE metric = 'psi' AND value > :drift_limit::FLOAT AND score_date <= :as_of::DATE
),

realised AS (
    SELECT
        'realised_auc_below_gate' AS kind, model_version, score_date, 'roc_auc' AS subject, value,
        :auc_gate::FLOAT AS threshold
    FROM SFE_ANALYTICS_MEDIA.FCT_MODEL_PERFORMANCE
    WHERE metric = 'roc_auc' AND name = 'all' AND value <= :auc_gate::FLOAT
),

found AS (
    SELECT
        kind || ':' || model_version || ':' || TO_VARCHAR(score_date) || ':' || subject AS alert_id,
        kind, model_version, score_date, subject, value, threshold
    FROM (SELECT * FROM drift UNION ALL SELECT * FROM realised) AS candidates
),

final AS (
    SELECT f.*, :run_id AS run_id, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ AS recorded_at
    FROM found AS f
    WHERE f.alert_id NOT IN (SELECT alert_id FROM SFE_ANALYTICS_MEDIA.MODEL_ALERTS)
)

SELECT * FROM final;
