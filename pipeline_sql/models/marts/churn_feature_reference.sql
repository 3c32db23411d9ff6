-- CHURN_FEATURE_REFERENCE of :model_version: the train split's bins and shares per feature, as
-- c360/model/monitor.py's reference_bins (deciles by linear interpolation, ties merged; categories).
INSERT INTO SFE_ANALYTICS_MEDIA.CHURN_FEATURE_REFERENCE (model_version, feature, bin, upper_edge, category, share)
WITH population AS (
    SELECT * FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING WHERE split = 'train'
),

{% include "models/marts/numeric_feature_values.sql" %}

deciles AS (
    SELECT
        feature,
        PERCENTILE_CONT(0.1) WITHIN GROUP (ORDER BY value) AS q1,
        PERCENTILE_CONT(0.2) WITHIN GROUP (ORDER BY value) AS q2,
        PERCENTILE_CONT(0.3) WITHIN GROUP (ORDER BY value) AS q3,
        PERCENTILE_CONT(0.4) WITHIN GROUP (ORDER BY value) AS q4,
        PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY value) AS q5,
        PERCENTILE_CONT(0.6) WITHIN GROUP (ORDER BY value) AS q6,
        PERCENTILE_CONT(0.7) WITHIN GROUP (ORDER BY value) AS q7,
        PERCENTILE_CONT(0.8) WITHIN GROUP (ORDER BY value) AS q8,
        PERCENTILE_CONT(0.9) WITHIN GROUP (ORDER BY value) AS q9
    FROM numeric_values
    GROUP BY feature
),

edges AS (
    SELECT DISTINCT LOWER(feature) AS feature, edge
    FROM deciles UNPIVOT (edge FOR level IN (q1, q2, q3, q4, q5, q6, q7, q8, q9))
),

-- each edge's cumulative share (values at or below it); the last bin takes the rest
cumulative AS (
    SELECT e.feature, e.edge, COUNT_IF(v.value <= e.edge) / COUNT(*) AS below
    FROM edges AS e
    INNER JOIN numeric_values AS v ON v.feature = e.feature
    GROUP BY e.feature, e.edge
),

numbered AS (
    SELECT feature, edge, below, ROW_NUMBER() OVER (PARTITION BY feature ORDER BY edge) AS bin FROM cumulative
),

numeric_bins AS (
    SELECT
        feature,
        bin,
        edge AS upper_edge,
        below - COALESCE(LAG(below) OVER (PARTITION BY feature ORDER BY bin), 0) AS share
    FROM numbered
    UNION ALL
    SELECT feature, MAX(bin) + 1, NULL, 1 - MAX(below) FROM numbered GROUP BY feature
),

categories AS (
    SELECT 'plan' AS feature, plan AS category, COUNT(*) / (SELECT COUNT(*) FROM population) AS share
    FROM population GROUP BY plan
    UNION ALL
    SELECT 'acquisition_channel', acquisition_channel, COUNT(*) / (SELECT COUNT(*) FROM population)
    FROM population GROUP BY acquisition_channel
)

SELECT :model_version, feature, bin, upper_edge, NULL, share FROM numeric_bins
UNION ALL
SELECT :model_version, feature, ROW_NUMBER() OVER (PARTITION BY feature ORDER BY category), NULL, category, share
FROM categories;
