-- The procedures the tasks call. Each body includes its models from pipeline_sql/models, so every
-- transformation is written once and runs unchanged on Snowflake (here) and on DuckDB (through
-- pipeline_sql.emulation, which reads these same statements).

-- sfe_process_subscribers_task: stream -> STG_SUBSCRIBER_EVENTS -> STG_UNIFIED_CUSTOMER.
-- One transaction, so both statements see the same stream contents and the offset moves once.
CREATE OR REPLACE PROCEDURE SFE_STG_MEDIA.SFE_PROCESS_SUBSCRIBERS()
RETURNS VARCHAR
LANGUAGE SQL
AS
$$
BEGIN
    BEGIN TRANSACTION;
    {% include "models/staging/stg_subscriber_events.sql" %}
    {% include "models/staging/stg_unified_customer.sql" %}
    COMMIT;
    RETURN 'processed subscriber events';
END;
$$;

-- sfe_process_engagement_task: stream -> STG_CONTENT_ENGAGEMENT.
CREATE OR REPLACE PROCEDURE SFE_STG_MEDIA.SFE_PROCESS_ENGAGEMENT()
RETURNS VARCHAR
LANGUAGE SQL
AS
$$
BEGIN
    {% include "models/staging/stg_content_engagement.sql" %}
    RETURN 'processed content engagement';
END;
$$;

-- sfe_daily_build_task: quality-checked staging -> DIM_SUBSCRIBERS -> FCT_ENGAGEMENT_DAILY (and beside it
-- FCT_ENGAGEMENT_DEVICE_DAILY, the same keys per device type), as of a day.
-- A failed check raises dq_check_failed and the steps after it do not run. A day outside the loaded
-- views (after the last day with any, or before the first) raises as_of_out_of_range before anything
-- is written, so the scheduled task never builds, and its child never scores, a day with no data.
-- FCT_ENGAGEMENT_DAILY is incremental: only the days after the last build and the (subscriber, day)
-- keys of rows staged since it are recomputed (BUILD_STATE); FULL_REFRESH => TRUE rebuilds every day.
-- BUILD_STATE moves on only after the facts' checks passed, so a failed build is redone whole next time.
CREATE OR REPLACE PROCEDURE SFE_ANALYTICS_MEDIA.SFE_BUILD_DAILY(
    AS_OF DATE, RUN_ID VARCHAR, FULL_REFRESH BOOLEAN DEFAULT FALSE
)
RETURNS VARCHAR
LANGUAGE SQL
AS
$$
DECLARE
    failed_checks INTEGER DEFAULT 0;
    first_loaded_day DATE;
    last_loaded_day DATE;
    high_seq INTEGER;
    checked_seq INTEGER;
    built_seq INTEGER;
    built_as_of DATE;
    rebuild_after DATE;
    next_seq INTEGER;
    next_as_of DATE;
    dq_check_failed EXCEPTION (-20001, 'data quality check failed: see SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS');
    as_of_out_of_range EXCEPTION (-20003, 'AS_OF is outside the days with loaded content views: nothing was built');
BEGIN
    first_loaded_day := (SELECT MIN(event_date) FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT);
    last_loaded_day := (SELECT MAX(event_date) FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT);
    IF (last_loaded_day IS NULL OR AS_OF > last_loaded_day OR AS_OF < first_loaded_day) THEN
        RAISE as_of_out_of_range;
    END IF;

    -- the views staged since the last build are the ones the staging checks read (all of them without one)
    checked_seq := (
        SELECT COALESCE(MAX(built_through_seq), 0) FROM SFE_ANALYTICS_MEDIA.BUILD_STATE
        WHERE model_name = 'FCT_ENGAGEMENT_DAILY' AND NOT COALESCE(:full_refresh, FALSE)
    );
    {{ checks("models/staging/staging.checks.sql") }}

    BEGIN TRANSACTION;
    {% include "models/marts/dim_subscribers.sql" %}
    COMMIT;
    {{ checks("models/marts/dim_subscribers.checks.sql") }}

    -- the incremental state: no row, or a full refresh, rebuilds every day up to AS_OF
    high_seq := (SELECT COALESCE(MAX(source_load_seq), 0) FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT);
    built_seq := (
        SELECT COALESCE(MAX(built_through_seq), :high_seq) FROM SFE_ANALYTICS_MEDIA.BUILD_STATE
        WHERE model_name = 'FCT_ENGAGEMENT_DAILY' AND NOT COALESCE(:full_refresh, FALSE)
    );
    built_as_of := (
        SELECT MAX(as_of_date) FROM SFE_ANALYTICS_MEDIA.BUILD_STATE
        WHERE model_name = 'FCT_ENGAGEMENT_DAILY' AND NOT COALESCE(:full_refresh, FALSE)
    );
    rebuild_after := (SELECT COALESCE(LEAST(:built_as_of::DATE, :as_of::DATE), '1900-01-01'::DATE));
    -- a backfill (AS_OF before the last build's day) keeps the state: the later days stay to bring up to date
    next_seq := (SELECT IFF(:built_as_of::DATE > :as_of::DATE, :built_seq, :high_seq));
    next_as_of := (SELECT GREATEST(COALESCE(:built_as_of::DATE, :as_of::DATE), :as_of::DATE));

    BEGIN TRANSACTION;
    {% include "models/marts/fct_engagement_daily.sql" %}
    {% include "models/marts/fct_engagement_device_daily.sql" %}
    COMMIT;
    {{ checks("models/marts/fct_engagement_daily.checks.sql") }}
    {{ checks("models/marts/fct_engagement_device_daily.checks.sql") }}

    BEGIN TRANSACTION;
    {% include "models/marts/build_state.sql" %}
    COMMIT;

    RETURN IFF(rebuild_after = '1900-01-01'::DATE, 'built daily analytics (full refresh)', 'built daily analytics');
END;
$$;

-- The churn model's training set, as of a day: the labelled weekly snapshots (as_of - 35, as_of - 42,
-- ...; at most 26 of them), from 89 days into the engagement history, so that every 90-day feature sees
-- its whole window as it does at scoring (no drift of the data's making), when that leaves the 6
-- snapshots the purged split needs; from 29 days (full 30-day windows) when it does not. Called by training.
CREATE OR REPLACE PROCEDURE SFE_ANALYTICS_MEDIA.SFE_BUILD_TRAINING_SET(AS_OF DATE, RUN_ID VARCHAR)
RETURNS VARCHAR
LANGUAGE SQL
AS
$$
DECLARE
    last_snapshot DATE;
    first_snapshot DATE;
    snapshot_every_days INTEGER DEFAULT 7;
    training_rows INTEGER DEFAULT 0;
    failed_checks INTEGER DEFAULT 0;
    dq_check_failed EXCEPTION (-20001, 'data quality check failed: see SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS');
BEGIN
    -- 35 = 5 weeks: the latest weekly date whose 30-day label window ends on or before as_of
    last_snapshot := (SELECT DATEADD(day, -35, :as_of::DATE));
    first_snapshot := (
        SELECT GREATEST(
            DATEADD(
                day, IFF(DATEDIFF(day, MIN(activity_date), :last_snapshot::DATE) >= 89 + 35, 89, 29), MIN(activity_date)
            ),
            DATEADD(day, -7 * 25, :last_snapshot::DATE)
        )
        FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY
    );

    BEGIN TRANSACTION;
    {% include "models/marts/fct_churn_training.sql" %}
    COMMIT;
    {{ checks("models/marts/fct_churn_training.checks.sql") }}

    training_rows := (SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING);
    RETURN 'built the training set: ' || training_rows::VARCHAR || ' rows';
END;
$$;

-- The scoring inputs of one day: the same snapshot query for that single date, label unknown.
CREATE OR REPLACE PROCEDURE SFE_ANALYTICS_MEDIA.SFE_BUILD_SCORING_FEATURES(AS_OF DATE, RUN_ID VARCHAR)
RETURNS VARCHAR
LANGUAGE SQL
AS
$$
DECLARE
    first_snapshot DATE;
    last_snapshot DATE;
    snapshot_every_days INTEGER DEFAULT 1;
    scoring_rows INTEGER DEFAULT 0;
    failed_checks INTEGER DEFAULT 0;
    dq_check_failed EXCEPTION (-20001, 'data quality check failed: see SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS');
BEGIN
    first_snapshot := (SELECT :as_of::DATE);
    last_snapshot := (SELECT :as_of::DATE);

    BEGIN TRANSACTION;
    {% include "models/marts/fct_churn_scoring_features.sql" %}
    COMMIT;
    {{ checks("models/marts/fct_churn_scoring_features.checks.sql") }}

    scoring_rows := (
        SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_SCORING_FEATURES WHERE snapshot_date = :as_of::DATE
    );
    RETURN 'built scoring features: ' || scoring_rows::VARCHAR || ' subscribers';
END;
$$;

-- weekly training: the training set, SFE_CHURN_CLASSIFIER trained on its train split and measured on
-- its test split, and the relative deploy gate (models/marts/churn_model_gate.sql, the checks of
-- c360/model/gate.py: test ROC AUC above MIN_TEST_AUC, default 0.80; not worse than the current model on
-- the same rows beyond a bootstrap interval; above the one-feature baseline; calibration error within
-- C360_MODEL_MAX_CALIBRATION_ERROR), every check kept in CHURN_MODEL_GATE. A model that fails the gate is
-- recorded as rejected and the current one stays. NULL arguments take the defaults.
-- On DuckDB, c360.model.procedures.train_churn_classifier does the same with LightGBM + Platt scaling.
CREATE OR REPLACE PROCEDURE SFE_ANALYTICS_MEDIA.SFE_TRAIN_CHURN_CLASSIFIER(
    AS_OF DATE, RUN_ID VARCHAR, MIN_TEST_AUC FLOAT DEFAULT NULL, TIER_HIGH FLOAT DEFAULT NULL
)
RETURNS VARCHAR
LANGUAGE SQL
AS
$$
-- c360:duckdb-native train_churn_classifier
DECLARE
    model_version VARCHAR;
    gate FLOAT;
    min_auc FLOAT;
    high FLOAT;
    test_auc FLOAT;
    model_status VARCHAR;
    decision VARCHAR;
    current_version VARCHAR;
    max_calibration_error FLOAT DEFAULT {{ model_max_calibration_error }};
    bootstrap INTEGER DEFAULT {{ model_gate_bootstrap }};
    accepted BOOLEAN;
BEGIN
    CALL SFE_ANALYTICS_MEDIA.SFE_BUILD_TRAINING_SET(:AS_OF, :RUN_ID);
    gate := COALESCE(MIN_TEST_AUC, 0.80);
    high := COALESCE(TIER_HIGH, 0.30);
    model_version := 'churn-sfml-' || TO_CHAR(CURRENT_TIMESTAMP(), 'YYYYMMDD-HH24MISS');

    CREATE OR REPLACE SNOWFLAKE.ML.CLASSIFICATION SFE_ANALYTICS_MEDIA.SFE_CHURN_CLASSIFIER_CANDIDATE(
        INPUT_DATA => SYSTEM$REFERENCE('VIEW', 'SFE_ANALYTICS_MEDIA.V_CHURN_TRAINING_TRAIN'),
        TARGET_COLNAME => 'CHURNED',
        CONFIG_OBJECT => {'evaluate': FALSE, 'on_error': 'ABORT'}
    );

    -- the test split, scored by the candidate and by the current model: the numbers the gate reads
    current_version := (
        SELECT MAX(model_version) FROM SFE_ANALYTICS_MEDIA.CHURN_MODEL_REGISTRY WHERE status = 'current'
    );
    CREATE OR REPLACE TEMPORARY TABLE SFE_ANALYTICS_MEDIA.CHURN_TEST_PREDICTIONS AS
    SELECT churned, OBJECT_CONSTRUCT(*) AS input, NULL::FLOAT AS p, NULL::FLOAT AS p_current
    FROM SFE_ANALYTICS_MEDIA.V_CHURN_TRAINING_TEST;
    UPDATE SFE_ANALYTICS_MEDIA.CHURN_TEST_PREDICTIONS
    SET p = SFE_ANALYTICS_MEDIA.SFE_CHURN_CLASSIFIER_CANDIDATE!PREDICT(INPUT_DATA => input):probability:"True"::FLOAT;
    IF (current_version IS NOT NULL) THEN
        UPDATE SFE_ANALYTICS_MEDIA.CHURN_TEST_PREDICTIONS
        SET p_current = SFE_ANALYTICS_MEDIA.SFE_CHURN_CLASSIFIER!PREDICT(INPUT_DATA => input):probability:"True"::FLOAT;
    END IF;

    CREATE OR REPLACE TEMPORARY TABLE SFE_ANALYTICS_MEDIA.CHURN_TEST_METRICS AS
    WITH ranked AS (
        SELECT
            churned,
            p,
            -- average rank of tied scores, for the Mann-Whitney form of ROC AUC
            RANK() OVER (ORDER BY p) + (COUNT(*) OVER (PARTITION BY p) - 1) / 2 AS score_rank,
            ROW_NUMBER() OVER (ORDER BY p DESC) AS position,
            COUNT_IF(churned) OVER (ORDER BY p DESC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS hits
        FROM SFE_ANALYTICS_MEDIA.CHURN_TEST_PREDICTIONS
    ),

    totals AS (
        SELECT
            COUNT_IF(churned) AS positives,
            COUNT_IF(NOT churned) AS negatives,
            SUM(IFF(churned, score_rank, 0)) AS positive_rank_sum,
            SUM(IFF(churned, hits / position, 0)) AS precision_sum,
            AVG(SQUARE(p - IFF(churned, 1, 0))) AS brier,
            COUNT_IF(p >= :high) AS flagged,
            COUNT_IF(p >= :high AND churned) AS flagged_hits
        FROM ranked
    )

    SELECT
        (positive_rank_sum - positives * (positives + 1) / 2) / (positives * negatives) AS roc_auc,
        precision_sum / positives AS pr_auc,
        brier,
        COALESCE(flagged_hits / NULLIF(flagged, 0), 0) AS precision_at_high,
        flagged_hits / positives AS recall_at_high,
        positives / (positives + negatives) AS base_rate
    FROM totals;

    test_auc := (SELECT roc_auc FROM SFE_ANALYTICS_MEDIA.CHURN_TEST_METRICS);
    min_auc := gate;
    DELETE FROM SFE_ANALYTICS_MEDIA.CHURN_MODEL_GATE WHERE model_version = :model_version;
    {% include "models/marts/churn_model_gate.sql" %}
    -- the training population's bins, which scoring's drift (PSI) compares each day with
    DELETE FROM SFE_ANALYTICS_MEDIA.CHURN_FEATURE_REFERENCE WHERE model_version = :model_version;
    {% include "models/marts/churn_feature_reference.sql" %}
    accepted := (
        SELECT BOOLAND_AGG(passed) FROM SFE_ANALYTICS_MEDIA.CHURN_MODEL_GATE WHERE model_version = :model_version
    );
    IF (accepted) THEN
        -- the candidate becomes SFE_CHURN_CLASSIFIER; the one it replaces is kept as _PREVIOUS
        DROP SNOWFLAKE.ML.CLASSIFICATION IF EXISTS SFE_ANALYTICS_MEDIA.SFE_CHURN_CLASSIFIER_PREVIOUS;
        ALTER SNOWFLAKE.ML.CLASSIFICATION IF EXISTS SFE_ANALYTICS_MEDIA.SFE_CHURN_CLASSIFIER
            RENAME TO 'SFE_ANALYTICS_MEDIA.SFE_CHURN_CLASSIFIER_PREVIOUS';
        ALTER SNOWFLAKE.ML.CLASSIFICATION SFE_ANALYTICS_MEDIA.SFE_CHURN_CLASSIFIER_CANDIDATE
            RENAME TO 'SFE_ANALYTICS_MEDIA.SFE_CHURN_CLASSIFIER';
        UPDATE SFE_ANALYTICS_MEDIA.CHURN_MODEL_REGISTRY SET status = 'retired' WHERE status = 'current';
        -- global importance: Snowflake ML gives no per-row attribution, so scoring reports these
        DELETE FROM SFE_ANALYTICS_MEDIA.CHURN_FEATURE_IMPORTANCE WHERE model_version = :model_version;
        CALL SFE_ANALYTICS_MEDIA.SFE_CHURN_CLASSIFIER!SHOW_FEATURE_IMPORTANCE();
        INSERT INTO SFE_ANALYTICS_MEDIA.CHURN_FEATURE_IMPORTANCE (model_version, feature, importance_rank, importance)
        SELECT :model_version, LOWER(feature), rank, score
        FROM TABLE(RESULT_SCAN(LAST_QUERY_ID()));
        model_status := 'current';
        -- the words of gate.py's Decision.message
        decision := (
            SELECT
                MAX(IFF(check_name = 'min_test_auc', detail, NULL)) || ': deployed as SFE_CHURN_CLASSIFIER, '
                || IFF(:current_version IS NULL, 'the first current model', 'replaces ' || :current_version) || '; '
                || LISTAGG(IFF(check_name = 'min_test_auc', NULL, detail), '; ') WITHIN GROUP (
                    ORDER BY CASE check_name WHEN 'not_worse_than_current' THEN 2 WHEN 'beats_baseline' THEN 3 ELSE 4 END
                )
            FROM SFE_ANALYTICS_MEDIA.CHURN_MODEL_GATE
            WHERE model_version = :model_version
        );
    ELSE
        model_status := 'rejected';
        decision := (
            SELECT
                LISTAGG(detail, '; ') WITHIN GROUP (
                    ORDER BY CASE check_name WHEN 'min_test_auc' THEN 1 WHEN 'not_worse_than_current' THEN 2
                    WHEN 'beats_baseline' THEN 3 ELSE 4 END
                ) || ': rejected, '
                || IFF(:current_version IS NULL, 'there is no current model, so scoring stops', :current_version || ' stays current')
            FROM SFE_ANALYTICS_MEDIA.CHURN_MODEL_GATE
            WHERE model_version = :model_version AND NOT passed
        );
    END IF;

    INSERT INTO SFE_ANALYTICS_MEDIA.CHURN_MODEL_REGISTRY (
        model_version, trained_at, status, algorithm, as_of_date, data_window_start, data_window_end,
        test_window_start, features, train_rows, test_rows, metrics, artifact_uri, artifact_sha256, message, run_id
    )
    SELECT
        :model_version,
        CURRENT_TIMESTAMP()::TIMESTAMP_NTZ,
        :model_status,
        'snowflake.ml.classification',
        :AS_OF,
        MIN(t.snapshot_date),
        MAX(t.snapshot_date),
        MIN(IFF(t.split = 'test', t.snapshot_date, NULL)),
        ARRAY_CONSTRUCT(
            'engagement_score', 'reads_per_day_30d', 'engagement_trend', 'days_since_last_read',
            'support_tickets_count', 'support_tickets_30d', 'cancellation_tickets_30d', 'subscription_tenure_days',
            'failed_payments_30d', 'downgrades_90d', 'days_since_failed_payment', 'failed_payments_decayed',
            'days_since_cancellation_ticket', 'cancellation_tickets_decayed', 'plan', 'acquisition_channel'
        ),
        COUNT_IF(t.split = 'train'),
        COUNT_IF(t.split = 'test'),
        (
            SELECT OBJECT_CONSTRUCT(
                'roc_auc', roc_auc, 'pr_auc', pr_auc, 'brier', brier, 'precision_at_high', precision_at_high,
                'recall_at_high', recall_at_high, 'base_rate', base_rate, 'high_threshold', :high,
                'calibration_error', (
                    SELECT MAX(value) FROM SFE_ANALYTICS_MEDIA.CHURN_MODEL_GATE
                    WHERE model_version = :model_version AND check_name = 'calibration_error'
                ),
                'baseline_roc_auc', (
                    SELECT MAX(threshold) FROM SFE_ANALYTICS_MEDIA.CHURN_MODEL_GATE
                    WHERE model_version = :model_version AND check_name = 'beats_baseline'
                )
            )
            FROM SFE_ANALYTICS_MEDIA.CHURN_TEST_METRICS
        ),
        IFF(:model_status = 'current', 'SFE_ANALYTICS_MEDIA.SFE_CHURN_CLASSIFIER', NULL),
        NULL,
        :decision,
        :RUN_ID
    FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING AS t;

    DROP SNOWFLAKE.ML.CLASSIFICATION IF EXISTS SFE_ANALYTICS_MEDIA.SFE_CHURN_CLASSIFIER_CANDIDATE;
    RETURN model_version || ': ' || decision;
END;
$$;

-- sfe_daily_churn_scoring_task: every active subscriber of a day scored by the current model, into
-- FCT_CUSTOMER_HEALTH_SCORES (scoring a date again replaces it), with the run's monitoring: tiers, score
-- distribution and each feature's drift (PSI) against the model's training population, as on DuckDB.
-- Tiers: High from TIER_HIGH (default 0.30), Medium from TIER_MEDIUM (0.10), else Low.
-- On DuckDB, c360.model.procedures.score_churn does the same with exact per-subscriber SHAP drivers.
CREATE OR REPLACE PROCEDURE SFE_ANALYTICS_MEDIA.SFE_SCORE_CHURN(
    AS_OF DATE, RUN_ID VARCHAR, TIER_HIGH FLOAT DEFAULT NULL, TIER_MEDIUM FLOAT DEFAULT NULL
)
RETURNS VARCHAR
LANGUAGE SQL
AS
$$
-- c360:duckdb-native score_churn
DECLARE
    model_version VARCHAR;
    high FLOAT;
    medium FLOAT;
    scored INTEGER;
    no_current_model EXCEPTION (-20002, 'no current churn model: run SFE_TRAIN_CHURN_CLASSIFIER first');
BEGIN
    high := COALESCE(TIER_HIGH, 0.30);
    medium := COALESCE(TIER_MEDIUM, 0.10);
    model_version := (
        SELECT MAX(model_version) FROM SFE_ANALYTICS_MEDIA.CHURN_MODEL_REGISTRY WHERE status = 'current'
    );
    IF (model_version IS NULL) THEN
        RAISE no_current_model;
    END IF;
    CALL SFE_ANALYTICS_MEDIA.SFE_BUILD_SCORING_FEATURES(:AS_OF, :RUN_ID);

    BEGIN TRANSACTION;
    DELETE FROM SFE_ANALYTICS_MEDIA.FCT_CUSTOMER_HEALTH_SCORES WHERE score_date = :AS_OF;
    INSERT INTO SFE_ANALYTICS_MEDIA.FCT_CUSTOMER_HEALTH_SCORES (
        subscriber_id, score_date, churn_risk_score, risk_tier, model_version, scored_at, drivers, run_id
    )
    WITH inputs AS (
        SELECT
            subscriber_id,
            OBJECT_CONSTRUCT(
                'ENGAGEMENT_SCORE', engagement_score, 'READS_PER_DAY_30D', reads_per_day_30d,
                'ENGAGEMENT_TREND', engagement_trend, 'DAYS_SINCE_LAST_READ', days_since_last_read,
                'SUPPORT_TICKETS_COUNT', support_tickets_count, 'SUPPORT_TICKETS_30D', support_tickets_30d,
                'CANCELLATION_TICKETS_30D', cancellation_tickets_30d,
                'SUBSCRIPTION_TENURE_DAYS', subscription_tenure_days, 'FAILED_PAYMENTS_30D', failed_payments_30d,
                'DOWNGRADES_90D', downgrades_90d, 'DAYS_SINCE_FAILED_PAYMENT', days_since_failed_payment,
                'FAILED_PAYMENTS_DECAYED', failed_payments_decayed,
                'DAYS_SINCE_CANCELLATION_TICKET', days_since_cancellation_ticket,
                'CANCELLATION_TICKETS_DECAYED', cancellation_tickets_decayed,
                'PLAN', plan, 'ACQUISITION_CHANNEL', acquisition_channel
            ) AS input
        FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_SCORING_FEATURES
        WHERE snapshot_date = :AS_OF
    ),

    predictions AS (
        SELECT
            subscriber_id,
            input,
            SFE_ANALYTICS_MEDIA.SFE_CHURN_CLASSIFIER!PREDICT(INPUT_DATA => input):probability:"True"::FLOAT AS p
        FROM inputs
    ),

    -- the model's five most important features (global), with this subscriber's values
    drivers AS (
        SELECT
            p.subscriber_id,
            ARRAY_AGG(
                OBJECT_CONSTRUCT(
                    'feature', i.feature, 'value', GET(p.input, UPPER(i.feature)), 'importance', i.importance
                )
            ) WITHIN GROUP (ORDER BY i.importance_rank) AS drivers
        FROM predictions AS p
        CROSS JOIN SFE_ANALYTICS_MEDIA.CHURN_FEATURE_IMPORTANCE AS i
        WHERE i.model_version = :model_version AND i.importance_rank <= 5
        GROUP BY p.subscriber_id
    )

    SELECT
        p.subscriber_id,
        :AS_OF,
        p.p,
        CASE WHEN p.p >= :high THEN 'High' WHEN p.p >= :medium THEN 'Medium' ELSE 'Low' END,
        :model_version,
        CURRENT_TIMESTAMP()::TIMESTAMP_NTZ,
        d.drivers,
        :RUN_ID
    FROM predictions AS p
    LEFT JOIN drivers AS d ON d.subscriber_id = p.subscriber_id;

    DELETE FROM SFE_ANALYTICS_MEDIA.FCT_SCORING_MONITOR WHERE score_date = :AS_OF;
    INSERT INTO SFE_ANALYTICS_MEDIA.FCT_SCORING_MONITOR (
        run_id, score_date, model_version, metric, name, value, recorded_at
    )
    WITH scores AS (
        SELECT churn_risk_score, risk_tier
        FROM SFE_ANALYTICS_MEDIA.FCT_CUSTOMER_HEALTH_SCORES
        WHERE score_date = :AS_OF
    ),

    tiers AS (
        SELECT 'tier_count' AS metric, risk_tier AS name, COUNT(*) AS value FROM scores GROUP BY risk_tier
        UNION ALL
        SELECT 'tier_share', risk_tier, COUNT(*) / (SELECT COUNT(*) FROM scores) FROM scores GROUP BY risk_tier
    ),

    distribution AS (
        SELECT 'rows' AS metric, 'scored' AS name, COUNT(*) AS value FROM scores
        UNION ALL SELECT 'score_mean', 'mean', AVG(churn_risk_score) FROM scores
        UNION ALL SELECT 'score_quantile', 'p10', PERCENTILE_CONT(0.10) WITHIN GROUP (ORDER BY churn_risk_score) FROM scores
        UNION ALL SELECT 'score_quantile', 'p50', PERCENTILE_CONT(0.50) WITHIN GROUP (ORDER BY churn_risk_score) FROM scores
        UNION ALL SELECT 'score_quantile', 'p90', PERCENTILE_CONT(0.90) WITHIN GROUP (ORDER BY churn_risk_score) FROM scores
        UNION ALL SELECT 'score_quantile', 'p99', PERCENTILE_CONT(0.99) WITHIN GROUP (ORDER BY churn_risk_score) FROM scores
    )

    SELECT :RUN_ID, :AS_OF, :model_version, metric, name, value, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ
    FROM (SELECT * FROM tiers UNION ALL SELECT * FROM distribution) AS monitor;
    {% include "models/marts/scoring_drift.sql" %}
    COMMIT;

    scored := (SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.FCT_CUSTOMER_HEALTH_SCORES WHERE score_date = :AS_OF);
    RETURN 'scored ' || scored::VARCHAR || ' subscribers as of ' || AS_OF::VARCHAR || ' with ' || model_version;
END;
$$;
