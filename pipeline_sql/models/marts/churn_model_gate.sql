-- CHURN_MODEL_GATE rows of the candidate :model_version on Snowflake: the four checks of the relative
-- deploy gate (c360/model/gate.py on DuckDB), each with its numbers, on the candidate's test split.
--   min_test_auc             test ROC AUC above :min_auc
--   not_worse_than_current   the current model scores the same rows (p_current); refused when the whole 95 %
--                            paired-bootstrap interval of (candidate AUC - current AUC) is below 0. The
--                            resamples are Poisson(1) bootstrap draws from a hash of (resample, row): fixed, so
--                            the same rows give the same decision (gate.py draws multinomially with numpy).
--   beats_baseline           above reads_per_day_30d alone (its direction taken from the train split)
--   calibration_error        mean |predicted - observed| over deciles of predicted risk, at most :max_calibration_error
-- Reads SFE_ANALYTICS_MEDIA.CHURN_TEST_PREDICTIONS (churned, p, p_current; p_current NULL when there is no
-- current model) and FCT_CHURN_TRAINING. ROC AUC is Mann-Whitney with ties counting half. Rows are numbered
-- by (p, p_current, churned): rows that tie on all three are interchangeable, so the draws are deterministic.
INSERT INTO SFE_ANALYTICS_MEDIA.CHURN_MODEL_GATE (
    model_version, check_name, passed, value, threshold, detail, recorded_at
)
WITH test_rows AS (
    SELECT
        ROW_NUMBER() OVER (ORDER BY p, p_current, churned) AS row_id,
        churned,
        p,
        p_current
    FROM SFE_ANALYTICS_MEDIA.CHURN_TEST_PREDICTIONS
),

resamples AS (
    SELECT value::INTEGER AS resample
    FROM TABLE(FLATTEN(ARRAY_GENERATE_RANGE(1, :bootstrap::INTEGER + 1)))
),

draws AS (
    SELECT
        r.resample,
        t.churned,
        t.p,
        t.p_current,
        (ABS(HASH(r.resample, t.row_id)) % 1000000) / 1000000.0 AS u
    FROM resamples AS r
    CROSS JOIN test_rows AS t
    WHERE t.p_current IS NOT NULL
),

-- how many times each row is drawn: the Poisson(1) quantile of u
weighted AS (
    SELECT
        resample,
        churned,
        p,
        p_current,
        CASE
            WHEN u < 0.367879 THEN 0 WHEN u < 0.735759 THEN 1 WHEN u < 0.919699 THEN 2
            WHEN u < 0.981012 THEN 3 WHEN u < 0.996340 THEN 4 WHEN u < 0.999406 THEN 5 ELSE 6
        END AS w
    FROM draws
),

scored AS (
    SELECT 'candidate' AS what, 0 AS resample, p AS score, churned, 1 AS w FROM test_rows
    UNION ALL
    SELECT 'current', 0, p_current, churned, 1 FROM test_rows WHERE p_current IS NOT NULL
    UNION ALL
    SELECT 'candidate', resample, p, churned, w FROM weighted WHERE w > 0
    UNION ALL
    SELECT 'current', resample, p_current, churned, w FROM weighted WHERE w > 0
    UNION ALL
    SELECT 'baseline_train', 0, reads_per_day_30d, churned, 1
    FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING WHERE split = 'train'
    UNION ALL
    SELECT 'baseline_test', 0, reads_per_day_30d, churned, 1
    FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING WHERE split = 'test'
),

by_score AS (
    SELECT what, resample, score, SUM(IFF(churned, w, 0)) AS pos_w, SUM(IFF(churned, 0, w)) AS neg_w
    FROM scored
    GROUP BY what, resample, score
),

below AS (
    SELECT
        what,
        resample,
        pos_w,
        neg_w,
        COALESCE(
            SUM(neg_w) OVER (
                PARTITION BY what, resample ORDER BY score ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
            ),
            0
        ) AS neg_below
    FROM by_score
),

-- NULL for a resample that drew a single class (skipped, as gate.py skips it)
aucs AS (
    SELECT what, resample, SUM(pos_w * (neg_below + neg_w / 2)) / NULLIF(SUM(pos_w) * SUM(neg_w), 0) AS auc
    FROM below
    GROUP BY what, resample
),

differences AS (
    SELECT a.resample, a.auc - b.auc AS difference
    FROM aucs AS a
    INNER JOIN aucs AS b ON a.resample = b.resample AND b.what = 'current'
    WHERE a.what = 'candidate' AND a.auc IS NOT NULL AND b.auc IS NOT NULL
),

bootstrap_interval AS (
    SELECT
        MAX(IFF(resample = 0, difference, NULL)) AS point,
        COUNT_IF(resample > 0) AS resampled,
        PERCENTILE_CONT(0.025) WITHIN GROUP (ORDER BY IFF(resample > 0, difference, NULL)) AS low,
        PERCENTILE_CONT(0.975) WITHIN GROUP (ORDER BY IFF(resample > 0, difference, NULL)) AS high
    FROM differences
),

deciles AS (
    SELECT NTILE(10) OVER (ORDER BY p, row_id) AS decile, p, IFF(churned, 1, 0) AS y FROM test_rows
),

calibration AS (
    SELECT SUM(rows_in * ABS(predicted - observed)) / SUM(rows_in) AS error
    FROM (SELECT COUNT(*) AS rows_in, AVG(p) AS predicted, AVG(y) AS observed FROM deciles GROUP BY decile)
),

figures AS (
    SELECT
        MAX(IFF(a.what = 'candidate' AND a.resample = 0, a.auc, NULL)) AS test_auc,
        MAX(IFF(a.what = 'baseline_test', a.auc, NULL)) AS baseline_test,
        MAX(IFF(a.what = 'baseline_train', a.auc, NULL)) AS baseline_train,
        (SELECT COUNT(*) FROM test_rows) AS test_rows,
        (SELECT COUNT(*) FROM test_rows WHERE p_current IS NULL) AS without_current
    FROM aucs AS a
),

checks AS (
    SELECT
        1 AS position,
        'min_test_auc' AS check_name,
        test_auc > :min_auc AS passed,
        test_auc AS value,
        :min_auc AS threshold,
        'test ROC AUC ' || TO_VARCHAR(test_auc, '0.0000')
        || IFF(test_auc > :min_auc, ' > ', ' is not above the deploy gate ') || TO_VARCHAR(:min_auc, '0.00')
        AS detail
    FROM figures
    UNION ALL
    SELECT
        2,
        'not_worse_than_current',
        f.without_current > 0 OR COALESCE(i.high, i.point) >= 0,
        IFF(f.without_current > 0, NULL, i.point),
        IFF(f.without_current > 0, NULL, 0),
        IFF(
            f.without_current > 0,
            'no current model to compare with',
            'ROC AUC ' || TO_VARCHAR(i.point, 'S0.0000') || ' against ' || :current_version || ' on the same '
            || f.test_rows::VARCHAR || ' test rows (95% bootstrap interval '
            || TO_VARCHAR(COALESCE(i.low, i.point), 'S0.0000') || ' to '
            || TO_VARCHAR(COALESCE(i.high, i.point), 'S0.0000')
            || IFF(COALESCE(i.high, i.point) >= 0, ')', ', wholly below 0: worse)')
        )
    FROM figures AS f
    CROSS JOIN bootstrap_interval AS i
    UNION ALL
    SELECT
        3,
        'beats_baseline',
        test_auc > baseline,
        test_auc,
        baseline,
        IFF(test_auc > baseline, 'above', 'not above') || ' the one-feature baseline (reads_per_day_30d alone, ROC AUC '
        || TO_VARCHAR(baseline, '0.0000') || ')'
    FROM (
        SELECT test_auc, IFF(baseline_train >= 0.5, baseline_test, 1 - baseline_test) AS baseline FROM figures
    )
    UNION ALL
    SELECT
        4,
        'calibration_error',
        error <= :max_calibration_error,
        error,
        :max_calibration_error,
        'calibration error ' || TO_VARCHAR(error, '0.0000')
        || IFF(error <= :max_calibration_error, ' within', ' over') || ' the limit '
        || TO_VARCHAR(:max_calibration_error)
    FROM calibration
)

SELECT :model_version, check_name, passed, value, threshold, detail, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ
FROM checks
ORDER BY position;
