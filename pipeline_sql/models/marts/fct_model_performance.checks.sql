-- Tests of FCT_MODEL_PERFORMANCE: each query returns the failing rows.

-- check: fct_model_performance_grain_unique
SELECT score_date, model_version, metric, name
FROM SFE_ANALYTICS_MEDIA.FCT_MODEL_PERFORMANCE
GROUP BY score_date, model_version, metric, name
HAVING COUNT(*) > 1;

-- check: fct_model_performance_window_closed
SELECT score_date
FROM SFE_ANALYTICS_MEDIA.FCT_MODEL_PERFORMANCE
WHERE DATEADD(day, 30, score_date) > :as_of::DATE;

-- check: fct_model_performance_value_ranges
SELECT score_date, metric, name
FROM SFE_ANALYTICS_MEDIA.FCT_MODEL_PERFORMANCE
WHERE (metric IN ('roc_auc', 'base_rate', 'brier', 'mean_predicted', 'calibration_error', 'decile_predicted',
        'decile_observed', 'tier_precision') AND value NOT BETWEEN 0 AND 1)
    OR (metric IN ('rows', 'positives', 'decile_rows', 'tier_rows', 'top_decile_lift') AND value < 0);
