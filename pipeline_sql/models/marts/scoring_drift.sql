-- FCT_SCORING_MONITOR's PSI rows of the score date :as_of on Snowflake: each feature of the day's scoring
-- population against the training population of :model_version (CHURN_FEATURE_REFERENCE), as
-- c360/model/monitor.py's drift: PSI = sum((a - e) * ln(a / e)) over the bins, shares floored at 0.0001, a
-- categorical feature's categories unseen in training in a bin of their own (expected share 0).
INSERT INTO SFE_ANALYTICS_MEDIA.FCT_SCORING_MONITOR (run_id, score_date, model_version, metric, name, value, recorded_at)
WITH population AS (
    SELECT * FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_SCORING_FEATURES WHERE snapshot_date = :as_of::DATE
),

{% include "models/marts/numeric_feature_values.sql" %}

reference AS (
    SELECT feature, bin, upper_edge, category, share
    FROM SFE_ANALYTICS_MEDIA.CHURN_FEATURE_REFERENCE
    WHERE model_version = :model_version
),

-- the day's share at or below each numeric upper edge (the last bin: all of them)
cumulative AS (
    SELECT
        r.feature,
        r.bin,
        r.share AS expected,
        COUNT_IF(r.upper_edge IS NULL OR v.value <= r.upper_edge) / COUNT(*) AS below
    FROM reference AS r
    INNER JOIN numeric_values AS v ON v.feature = r.feature
    WHERE r.category IS NULL
    GROUP BY r.feature, r.bin, r.share
),

categorical_values AS (
    SELECT 'plan' AS feature, plan AS category FROM population
    UNION ALL
    SELECT 'acquisition_channel', acquisition_channel FROM population
),

categorical_bins AS (
    SELECT
        v.feature,
        r.bin,
        COALESCE(r.share, 0) AS expected,
        COUNT(*) / SUM(COUNT(*)) OVER (PARTITION BY v.feature) AS actual
    FROM categorical_values AS v
    LEFT JOIN reference AS r ON r.feature = v.feature AND r.category = v.category
    GROUP BY v.feature, r.bin, r.share
    UNION ALL
    -- training categories nobody has on the day
    SELECT r.feature, r.bin, r.share, 0
    FROM reference AS r
    WHERE
        r.category IS NOT NULL
        AND NOT EXISTS (
            SELECT 1 FROM categorical_values AS v WHERE v.feature = r.feature AND v.category = r.category
        )
),

shares AS (
    SELECT
        feature,
        expected,
        below - COALESCE(LAG(below) OVER (PARTITION BY feature ORDER BY bin), 0) AS actual
    FROM cumulative
    UNION ALL
    SELECT feature, expected, actual FROM categorical_bins
)

SELECT
    :run_id,
    :as_of::DATE,
    :model_version,
    'psi',
    feature,
    SUM((GREATEST(actual, 0.0001) - GREATEST(expected, 0.0001)) * LN(GREATEST(actual, 0.0001) / GREATEST(expected, 0.0001))),
    CURRENT_TIMESTAMP()::TIMESTAMP_NTZ
FROM shares
GROUP BY feature;
