-- FCT_MODEL_PERFORMANCE as of :as_of: the realised performance of every score date whose 30-day window
-- has closed by :as_of and that has no rows yet (a daily run backfills what closed since the last one).
-- The label is the snapshot query's: a valid cancel on days score_date + 1 .. + 30.
-- ROC AUC is the Mann-Whitney form with tied scores at their average rank; deciles are NTILE(10) by
-- score, ties in subscriber order (c360.model.metrics.calibration_by_decile).
INSERT INTO SFE_ANALYTICS_MEDIA.FCT_MODEL_PERFORMANCE (
    score_date, model_version, metric, name, value, run_id, recorded_at
)
WITH pending AS (
    SELECT DISTINCT score_date
    FROM SFE_ANALYTICS_MEDIA.FCT_CUSTOMER_HEALTH_SCORES
    WHERE DATEADD(day, 30, score_date) <= :as_of::DATE
        AND score_date NOT IN (SELECT score_date FROM SFE_ANALYTICS_MEDIA.FCT_MODEL_PERFORMANCE)
),

scores AS (
    SELECT h.score_date, h.model_version, h.subscriber_id, h.churn_risk_score AS p, h.risk_tier
    FROM SFE_ANALYTICS_MEDIA.FCT_CUSTOMER_HEALTH_SCORES AS h
    INNER JOIN pending AS d ON d.score_date = h.score_date
),

cancelled AS (
    SELECT DISTINCT s.score_date, s.subscriber_id
    FROM scores AS s
    INNER JOIN SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS AS e
        ON e.subscriber_id = s.subscriber_id
        AND e.event_timestamp >= DATEADD(day, 1, s.score_date)
        AND e.event_timestamp < DATEADD(day, 31, s.score_date)
    WHERE e.is_valid AND e.event_type = 'cancel'
),

outcomes AS (
    SELECT s.*, IFF(c.subscriber_id IS NULL, 0, 1)::FLOAT AS y
    FROM scores AS s
    LEFT JOIN cancelled AS c ON c.score_date = s.score_date AND c.subscriber_id = s.subscriber_id
),

ranked AS (
    SELECT
        o.*,
        RANK() OVER (PARTITION BY o.score_date, o.model_version ORDER BY o.p)
            + (COUNT(*) OVER (PARTITION BY o.score_date, o.model_version, o.p) - 1) / 2.0 AS score_rank,
        NTILE(10) OVER (PARTITION BY o.score_date, o.model_version ORDER BY o.p, o.subscriber_id) AS decile
    FROM outcomes AS o
),

totals AS (
    SELECT
        score_date,
        model_version,
        COUNT(*)::FLOAT AS n,
        SUM(y) AS positives,
        SUM(y * score_rank) AS positive_rank_sum,
        AVG((p - y) * (p - y)) AS brier,
        AVG(p) AS mean_predicted
    FROM ranked
    GROUP BY score_date, model_version
),

deciles AS (
    SELECT score_date, model_version, decile, COUNT(*)::FLOAT AS n, AVG(p) AS predicted, AVG(y) AS observed
    FROM ranked
    GROUP BY score_date, model_version, decile
),

tiers AS (
    SELECT score_date, model_version, risk_tier, COUNT(*)::FLOAT AS n, AVG(y) AS observed
    FROM ranked
    GROUP BY score_date, model_version, risk_tier
),

summary AS (
    SELECT
        t.score_date,
        t.model_version,
        t.n,
        t.positives,
        t.positives / t.n AS base_rate,
        IFF(
            t.positives > 0 AND t.positives < t.n,
            (t.positive_rank_sum - t.positives * (t.positives + 1) / 2) / (t.positives * (t.n - t.positives)),
            NULL
        ) AS roc_auc,
        t.brier,
        t.mean_predicted,
        (
            SELECT SUM(d.n * ABS(d.predicted - d.observed)) / SUM(d.n)
            FROM deciles AS d
            WHERE d.score_date = t.score_date AND d.model_version = t.model_version
        ) AS calibration_error,
        (
            SELECT MAX(d.observed)
            FROM deciles AS d
            WHERE d.score_date = t.score_date AND d.model_version = t.model_version AND d.decile = 10
        ) / NULLIF(t.positives / t.n, 0) AS top_decile_lift
    FROM totals AS t
),

long AS (
    SELECT score_date, model_version, 'rows' AS metric, 'all' AS name, n AS value FROM summary
    UNION ALL SELECT score_date, model_version, 'positives', 'all', positives FROM summary
    UNION ALL SELECT score_date, model_version, 'base_rate', 'all', base_rate FROM summary
    UNION ALL SELECT score_date, model_version, 'roc_auc', 'all', roc_auc FROM summary
    UNION ALL SELECT score_date, model_version, 'brier', 'all', brier FROM summary
    UNION ALL SELECT score_date, model_version, 'mean_predicted', 'all', mean_predicted FROM summary
    UNION ALL SELECT score_date, model_version, 'calibration_error', 'all', calibration_error FROM summary
    UNION ALL SELECT score_date, model_version, 'top_decile_lift', 'all', top_decile_lift FROM summary
    UNION ALL SELECT score_date, model_version, 'decile_rows', decile::VARCHAR, n FROM deciles
    UNION ALL SELECT score_date, model_version, 'decile_predicted', decile::VARCHAR, predicted FROM deciles
    UNION ALL SELECT score_date, model_version, 'decile_observed', decile::VARCHAR, observed FROM deciles
    UNION ALL SELECT score_date, model_version, 'tier_rows', risk_tier, n FROM tiers
    UNION ALL SELECT score_date, model_version, 'tier_precision', risk_tier, observed FROM tiers
),

final AS (
    SELECT
        score_date, model_version, metric, name, value, :run_id AS run_id,
        CURRENT_TIMESTAMP()::TIMESTAMP_NTZ AS recorded_at
    FROM long
    WHERE value IS NOT NULL
)

SELECT * FROM final;
