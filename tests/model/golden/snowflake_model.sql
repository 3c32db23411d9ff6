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

CREATE TABLE IF NOT EXISTS SFE_ANALYTICS_MEDIA.CHURN_FEATURE_IMPORTANCE (
    model_version               VARCHAR NOT NULL,
    feature                     VARCHAR NOT NULL,
    importance_rank             NUMBER(38, 0) NOT NULL,
    importance                  FLOAT NOT NULL
);

CREATE TABLE IF NOT EXISTS SFE_ANALYTICS_MEDIA.FCT_SCORING_MONITOR (
    run_id                      VARCHAR NOT NULL,
    score_date                  DATE NOT NULL,
    model_version               VARCHAR NOT NULL,
    metric                      VARCHAR NOT NULL,
    name                        VARCHAR NOT NULL,        -- feature, quantile or tier
    value                       FLOAT NOT NULL,
    recorded_at                 TIMESTAMP_NTZ NOT NULL
);

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
        SELECT GREATEST(DATEADD(day, 29, MIN(activity_date)), DATEADD(day, -7 * 25, :last_snapshot::DATE))
        FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY
    );

    BEGIN TRANSACTION;
    -- FCT_CHURN_TRAINING as of :as_of, rebuilt whole: the labelled weekly snapshots of churn_snapshots.sql
-- (:last_snapshot is the latest weekly date whose 30-day label window has passed).
DELETE FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING;

INSERT INTO SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING (
    subscriber_id, snapshot_date, engagement_score, reads_per_day_30d, engagement_trend, days_since_last_read,
    support_tickets_count, support_tickets_30d, cancellation_tickets_30d, subscription_tenure_days,
    failed_payments_30d, downgrades_90d, plan, acquisition_channel, churned, split, run_id, built_at
)
-- The churn model's one definition of its inputs: one row per subscriber active at the end of each
-- snapshot date, with the features (docs/model.md) and the 30-day label. Training (FCT_CHURN_TRAINING)
-- and daily scoring (FCT_CHURN_SCORING_FEATURES) both materialise this query, so features at scoring
-- time are computed exactly as the model saw them in training.
--
-- Binds:
--   :as_of                what is known: data after the end of this day is never read
--   :first_snapshot       earliest snapshot date
--   :last_snapshot        latest snapshot date; the snapshots are :last_snapshot - k * :snapshot_every_days
--   :snapshot_every_days  7 for the weekly training grid; 1 with first = last for one scoring day
--   :run_id               the run that builds it, kept on every row
--
-- No leakage: every feature of snapshot w reads only rows timestamped before w + 1 day (the end of w);
-- the label reads only cancels in days w + 1 .. w + 30, and is NULL until that window has passed by
-- :as_of. A snapshot date needs engagement data on that day (a missing day's load is not scored).
--
-- split: train / test, 80/20 by date among the labelled snapshots: the latest CEIL(20 %) of the dates
-- are the test set (the reference design's split); NULL for unlabelled rows.
WITH snapshots AS (
    SELECT DISTINCT activity_date AS snapshot_date
    FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY
    WHERE activity_date BETWEEN :first_snapshot::DATE AND :last_snapshot::DATE
        AND MOD(DATEDIFF(day, activity_date, :last_snapshot::DATE), :snapshot_every_days) = 0
),

events AS (
    SELECT subscriber_id, event_type, event_timestamp, plan, payment_status, acquisition_channel, source_load_seq
    FROM SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS
    WHERE is_valid
        AND event_timestamp < DATEADD(day, 1, :as_of::DATE)
),

-- the subscriber's lifecycle state at the end of each snapshot: the latest signup/upgrade/downgrade/cancel
lifecycle AS (
    SELECT s.snapshot_date, e.subscriber_id, e.event_type
    FROM snapshots AS s
    INNER JOIN events AS e ON e.event_timestamp < DATEADD(day, 1, s.snapshot_date)
    WHERE e.event_type IN ('signup', 'upgrade', 'downgrade', 'cancel')
    QUALIFY ROW_NUMBER() OVER (
        PARTITION BY s.snapshot_date, e.subscriber_id ORDER BY e.event_timestamp DESC, e.source_load_seq DESC
    ) = 1
),

latest_plan AS (
    SELECT s.snapshot_date, e.subscriber_id, e.plan
    FROM snapshots AS s
    INNER JOIN events AS e ON e.event_timestamp < DATEADD(day, 1, s.snapshot_date)
    WHERE e.plan <> 'unknown'
    QUALIFY ROW_NUMBER() OVER (
        PARTITION BY s.snapshot_date, e.subscriber_id ORDER BY e.event_timestamp DESC, e.source_load_seq DESC
    ) = 1
),

subscription AS (
    SELECT
        s.snapshot_date,
        e.subscriber_id,
        COALESCE(MIN(IFF(e.event_type = 'signup', e.event_timestamp, NULL)), MIN(e.event_timestamp))::DATE
            AS signup_date,
        COALESCE(MAX(IFF(e.event_type = 'signup', e.acquisition_channel, NULL)), 'unknown') AS acquisition_channel,
        COUNT_IF(
            e.event_type = 'payment' AND e.payment_status = 'failed'
            AND e.event_timestamp >= DATEADD(day, -29, s.snapshot_date)
        ) AS failed_payments_30d,
        COUNT_IF(e.event_type = 'downgrade' AND e.event_timestamp >= DATEADD(day, -89, s.snapshot_date))
            AS downgrades_90d
    FROM snapshots AS s
    INNER JOIN events AS e ON e.event_timestamp < DATEADD(day, 1, s.snapshot_date)
    GROUP BY s.snapshot_date, e.subscriber_id
),

-- days with reads, up to each snapshot (FCT_ENGAGEMENT_DAILY is per subscriber and UTC day)
engagement AS (
    SELECT
        s.snapshot_date,
        f.subscriber_id,
        SUM(IFF(f.activity_date > DATEADD(day, -30, s.snapshot_date), f.avg_engagement_score, 0)) AS points_30d,
        SUM(IFF(f.activity_date > DATEADD(day, -30, s.snapshot_date), f.views, 0)) AS reads_30d,
        SUM(IFF(f.activity_date > DATEADD(day, -7, s.snapshot_date), f.views, 0)) AS reads_7d,
        MAX(f.activity_date) AS last_read_date
    FROM snapshots AS s
    INNER JOIN SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY AS f ON f.activity_date <= s.snapshot_date
    GROUP BY s.snapshot_date, f.subscriber_id
),

reading_history AS (
    SELECT MIN(activity_date) AS first_day
    FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY
),

-- tickets have no staging table: deduplicated here by ticket_id (the latest load wins)
tickets AS (
    SELECT subscriber_id, created_at, category
    FROM SFE_RAW_MEDIA.RAW_SUPPORT_INTERACTIONS
    QUALIFY ROW_NUMBER() OVER (PARTITION BY ticket_id ORDER BY load_seq DESC) = 1
),

support AS (
    SELECT
        s.snapshot_date,
        t.subscriber_id,
        COUNT(*) AS tickets_90d,
        COUNT_IF(t.created_at >= DATEADD(day, -29, s.snapshot_date)) AS tickets_30d,
        COUNT_IF(t.category = 'cancellation' AND t.created_at >= DATEADD(day, -29, s.snapshot_date))
            AS cancellation_tickets_30d
    FROM snapshots AS s
    INNER JOIN tickets AS t
        ON t.created_at < DATEADD(day, 1, s.snapshot_date)
        AND t.created_at >= DATEADD(day, -89, s.snapshot_date)
    GROUP BY s.snapshot_date, t.subscriber_id
),

-- the label: a valid cancel on days w + 1 .. w + 30
cancels AS (
    SELECT s.snapshot_date, e.subscriber_id, COUNT(*) AS cancels_30d
    FROM snapshots AS s
    INNER JOIN events AS e
        ON e.event_timestamp >= DATEADD(day, 1, s.snapshot_date)
        AND e.event_timestamp < DATEADD(day, 31, s.snapshot_date)
    WHERE e.event_type = 'cancel'
    GROUP BY s.snapshot_date, e.subscriber_id
),

active AS (
    SELECT
        l.snapshot_date,
        l.subscriber_id,
        DATEDIFF(day, b.signup_date, l.snapshot_date) AS tenure_days,
        b.signup_date,
        b.acquisition_channel,
        b.failed_payments_30d,
        b.downgrades_90d,
        COALESCE(p.plan, 'unknown') AS plan
    FROM lifecycle AS l
    INNER JOIN subscription AS b ON b.snapshot_date = l.snapshot_date AND b.subscriber_id = l.subscriber_id
    LEFT JOIN latest_plan AS p ON p.snapshot_date = l.snapshot_date AND p.subscriber_id = l.subscriber_id
    WHERE l.event_type <> 'cancel'
),

-- per-day rates divide by the days of the window the subscriber was subscribed (new subscribers)
rates AS (
    SELECT
        a.*,
        -- FLOAT from here on: the same arithmetic on every engine (no decimal scale rules)
        COALESCE(e.points_30d, 0)::FLOAT AS points_30d,
        COALESCE(e.reads_30d, 0)::FLOAT AS reads_30d,
        COALESCE(e.reads_7d, 0)::FLOAT AS reads_7d,
        e.last_read_date,
        LEAST(30, a.tenure_days + 1) AS days_30,
        LEAST(7, a.tenure_days + 1) AS days_7,
        LEAST(23, GREATEST(a.tenure_days + 1 - 7, 0)) AS days_prev_23,
        COALESCE(t.tickets_90d, 0) AS tickets_90d,
        COALESCE(t.tickets_30d, 0) AS tickets_30d,
        COALESCE(t.cancellation_tickets_30d, 0) AS cancellation_tickets_30d
    FROM active AS a
    LEFT JOIN engagement AS e ON e.snapshot_date = a.snapshot_date AND e.subscriber_id = a.subscriber_id
    LEFT JOIN support AS t ON t.snapshot_date = a.snapshot_date AND t.subscriber_id = a.subscriber_id
),

labelled AS (
    SELECT
        r.*,
        IFF(
            DATEADD(day, 30, r.snapshot_date) <= :as_of::DATE,
            COALESCE(c.cancels_30d, 0) > 0,
            NULL
        ) AS churned
    FROM rates AS r
    LEFT JOIN cancels AS c ON c.snapshot_date = r.snapshot_date AND c.subscriber_id = r.subscriber_id
),

labelled_dates AS (
    SELECT
        snapshot_date,
        ROW_NUMBER() OVER (ORDER BY snapshot_date DESC) AS recency,
        COUNT(*) OVER () AS dates
    FROM (SELECT DISTINCT snapshot_date FROM labelled WHERE churned IS NOT NULL) AS d
),

final AS (
    SELECT
        l.subscriber_id,
        l.snapshot_date,
        l.points_30d / l.days_30 AS engagement_score,
        l.reads_30d / l.days_30 AS reads_per_day_30d,
        LN(
            (l.reads_7d / l.days_7 + 0.1)
            / (COALESCE((l.reads_30d - l.reads_7d) / NULLIF(l.days_prev_23, 0), l.reads_7d / l.days_7) + 0.1)
        ) AS engagement_trend,
        DATEDIFF(
            day, COALESCE(l.last_read_date, GREATEST(l.signup_date, h.first_day)), l.snapshot_date
        ) AS days_since_last_read,
        l.tickets_90d AS support_tickets_count,
        l.tickets_30d AS support_tickets_30d,
        l.cancellation_tickets_30d,
        l.tenure_days AS subscription_tenure_days,
        l.failed_payments_30d,
        l.downgrades_90d,
        l.plan,
        l.acquisition_channel,
        l.churned,
        CASE
            WHEN l.churned IS NULL THEN NULL
            WHEN d.recency <= CEIL(0.2 * d.dates) THEN 'test'
            ELSE 'train'
        END AS split,
        :run_id AS run_id,
        CURRENT_TIMESTAMP()::TIMESTAMP_NTZ AS built_at
    FROM labelled AS l
    CROSS JOIN reading_history AS h
    LEFT JOIN labelled_dates AS d ON d.snapshot_date = l.snapshot_date
)

SELECT * FROM final
;

    COMMIT;
    INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at)
    SELECT :run_id, :as_of, 'fct_churn_training_grain_unique', 'fct_churn_training', COUNT(*), COUNT(*) = 0, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ
    FROM (
        SELECT subscriber_id, snapshot_date
        FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING
        GROUP BY subscriber_id, snapshot_date
        HAVING COUNT(*) > 1
    ) AS failing;
    INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at)
    SELECT :run_id, :as_of, 'fct_churn_training_labelled', 'fct_churn_training', COUNT(*), COUNT(*) = 0, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ
    FROM (
        SELECT subscriber_id, snapshot_date
        FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING
        WHERE churned IS NULL
            OR split NOT IN ('train', 'test')
            OR DATEADD(day, 30, snapshot_date) > :as_of::DATE
    ) AS failing;
    INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at)
    SELECT :run_id, :as_of, 'fct_churn_training_test_after_train', 'fct_churn_training', COUNT(*), COUNT(*) = 0, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ
    FROM (
        SELECT test_start
        FROM (
            SELECT
                MIN(IFF(split = 'test', snapshot_date, NULL)) AS test_start,
                MAX(IFF(split = 'train', snapshot_date, NULL)) AS train_end
            FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING
        ) AS windows
        WHERE test_start <= train_end
    ) AS failing;
    INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at)
    SELECT :run_id, :as_of, 'fct_churn_training_value_ranges', 'fct_churn_training', COUNT(*), COUNT(*) = 0, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ
    FROM (
        SELECT subscriber_id, snapshot_date
        FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING
        WHERE engagement_score NOT BETWEEN 0 AND 100
            OR reads_per_day_30d < 0
            OR days_since_last_read < 0
            OR subscription_tenure_days < 0
            OR support_tickets_30d > support_tickets_count
            OR cancellation_tickets_30d > support_tickets_30d
            OR failed_payments_30d < 0
            OR downgrades_90d < 0
    ) AS failing;
    failed_checks := (SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS WHERE run_id = :run_id AND NOT passed);
    IF (failed_checks > 0) THEN
        RAISE dq_check_failed;
    END IF;

    training_rows := (SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING);
    RETURN 'built the training set: ' || training_rows::VARCHAR || ' rows';
END;
$$;

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
    -- FCT_CHURN_SCORING_FEATURES for one score date (:as_of): churn_snapshots.sql with a single snapshot,
-- the label unknown. A date scored again replaces that date's rows.
DELETE FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_SCORING_FEATURES
WHERE snapshot_date = :as_of::DATE;

INSERT INTO SFE_ANALYTICS_MEDIA.FCT_CHURN_SCORING_FEATURES (
    subscriber_id, snapshot_date, engagement_score, reads_per_day_30d, engagement_trend, days_since_last_read,
    support_tickets_count, support_tickets_30d, cancellation_tickets_30d, subscription_tenure_days,
    failed_payments_30d, downgrades_90d, plan, acquisition_channel, churned, split, run_id, built_at
)
-- The churn model's one definition of its inputs: one row per subscriber active at the end of each
-- snapshot date, with the features (docs/model.md) and the 30-day label. Training (FCT_CHURN_TRAINING)
-- and daily scoring (FCT_CHURN_SCORING_FEATURES) both materialise this query, so features at scoring
-- time are computed exactly as the model saw them in training.
--
-- Binds:
--   :as_of                what is known: data after the end of this day is never read
--   :first_snapshot       earliest snapshot date
--   :last_snapshot        latest snapshot date; the snapshots are :last_snapshot - k * :snapshot_every_days
--   :snapshot_every_days  7 for the weekly training grid; 1 with first = last for one scoring day
--   :run_id               the run that builds it, kept on every row
--
-- No leakage: every feature of snapshot w reads only rows timestamped before w + 1 day (the end of w);
-- the label reads only cancels in days w + 1 .. w + 30, and is NULL until that window has passed by
-- :as_of. A snapshot date needs engagement data on that day (a missing day's load is not scored).
--
-- split: train / test, 80/20 by date among the labelled snapshots: the latest CEIL(20 %) of the dates
-- are the test set (the reference design's split); NULL for unlabelled rows.
WITH snapshots AS (
    SELECT DISTINCT activity_date AS snapshot_date
    FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY
    WHERE activity_date BETWEEN :first_snapshot::DATE AND :last_snapshot::DATE
        AND MOD(DATEDIFF(day, activity_date, :last_snapshot::DATE), :snapshot_every_days) = 0
),

events AS (
    SELECT subscriber_id, event_type, event_timestamp, plan, payment_status, acquisition_channel, source_load_seq
    FROM SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS
    WHERE is_valid
        AND event_timestamp < DATEADD(day, 1, :as_of::DATE)
),

-- the subscriber's lifecycle state at the end of each snapshot: the latest signup/upgrade/downgrade/cancel
lifecycle AS (
    SELECT s.snapshot_date, e.subscriber_id, e.event_type
    FROM snapshots AS s
    INNER JOIN events AS e ON e.event_timestamp < DATEADD(day, 1, s.snapshot_date)
    WHERE e.event_type IN ('signup', 'upgrade', 'downgrade', 'cancel')
    QUALIFY ROW_NUMBER() OVER (
        PARTITION BY s.snapshot_date, e.subscriber_id ORDER BY e.event_timestamp DESC, e.source_load_seq DESC
    ) = 1
),

latest_plan AS (
    SELECT s.snapshot_date, e.subscriber_id, e.plan
    FROM snapshots AS s
    INNER JOIN events AS e ON e.event_timestamp < DATEADD(day, 1, s.snapshot_date)
    WHERE e.plan <> 'unknown'
    QUALIFY ROW_NUMBER() OVER (
        PARTITION BY s.snapshot_date, e.subscriber_id ORDER BY e.event_timestamp DESC, e.source_load_seq DESC
    ) = 1
),

subscription AS (
    SELECT
        s.snapshot_date,
        e.subscriber_id,
        COALESCE(MIN(IFF(e.event_type = 'signup', e.event_timestamp, NULL)), MIN(e.event_timestamp))::DATE
            AS signup_date,
        COALESCE(MAX(IFF(e.event_type = 'signup', e.acquisition_channel, NULL)), 'unknown') AS acquisition_channel,
        COUNT_IF(
            e.event_type = 'payment' AND e.payment_status = 'failed'
            AND e.event_timestamp >= DATEADD(day, -29, s.snapshot_date)
        ) AS failed_payments_30d,
        COUNT_IF(e.event_type = 'downgrade' AND e.event_timestamp >= DATEADD(day, -89, s.snapshot_date))
            AS downgrades_90d
    FROM snapshots AS s
    INNER JOIN events AS e ON e.event_timestamp < DATEADD(day, 1, s.snapshot_date)
    GROUP BY s.snapshot_date, e.subscriber_id
),

-- days with reads, up to each snapshot (FCT_ENGAGEMENT_DAILY is per subscriber and UTC day)
engagement AS (
    SELECT
        s.snapshot_date,
        f.subscriber_id,
        SUM(IFF(f.activity_date > DATEADD(day, -30, s.snapshot_date), f.avg_engagement_score, 0)) AS points_30d,
        SUM(IFF(f.activity_date > DATEADD(day, -30, s.snapshot_date), f.views, 0)) AS reads_30d,
        SUM(IFF(f.activity_date > DATEADD(day, -7, s.snapshot_date), f.views, 0)) AS reads_7d,
        MAX(f.activity_date) AS last_read_date
    FROM snapshots AS s
    INNER JOIN SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY AS f ON f.activity_date <= s.snapshot_date
    GROUP BY s.snapshot_date, f.subscriber_id
),

reading_history AS (
    SELECT MIN(activity_date) AS first_day
    FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY
),

-- tickets have no staging table: deduplicated here by ticket_id (the latest load wins)
tickets AS (
    SELECT subscriber_id, created_at, category
    FROM SFE_RAW_MEDIA.RAW_SUPPORT_INTERACTIONS
    QUALIFY ROW_NUMBER() OVER (PARTITION BY ticket_id ORDER BY load_seq DESC) = 1
),

support AS (
    SELECT
        s.snapshot_date,
        t.subscriber_id,
        COUNT(*) AS tickets_90d,
        COUNT_IF(t.created_at >= DATEADD(day, -29, s.snapshot_date)) AS tickets_30d,
        COUNT_IF(t.category = 'cancellation' AND t.created_at >= DATEADD(day, -29, s.snapshot_date))
            AS cancellation_tickets_30d
    FROM snapshots AS s
    INNER JOIN tickets AS t
        ON t.created_at < DATEADD(day, 1, s.snapshot_date)
        AND t.created_at >= DATEADD(day, -89, s.snapshot_date)
    GROUP BY s.snapshot_date, t.subscriber_id
),

-- the label: a valid cancel on days w + 1 .. w + 30
cancels AS (
    SELECT s.snapshot_date, e.subscriber_id, COUNT(*) AS cancels_30d
    FROM snapshots AS s
    INNER JOIN events AS e
        ON e.event_timestamp >= DATEADD(day, 1, s.snapshot_date)
        AND e.event_timestamp < DATEADD(day, 31, s.snapshot_date)
    WHERE e.event_type = 'cancel'
    GROUP BY s.snapshot_date, e.subscriber_id
),

active AS (
    SELECT
        l.snapshot_date,
        l.subscriber_id,
        DATEDIFF(day, b.signup_date, l.snapshot_date) AS tenure_days,
        b.signup_date,
        b.acquisition_channel,
        b.failed_payments_30d,
        b.downgrades_90d,
        COALESCE(p.plan, 'unknown') AS plan
    FROM lifecycle AS l
    INNER JOIN subscription AS b ON b.snapshot_date = l.snapshot_date AND b.subscriber_id = l.subscriber_id
    LEFT JOIN latest_plan AS p ON p.snapshot_date = l.snapshot_date AND p.subscriber_id = l.subscriber_id
    WHERE l.event_type <> 'cancel'
),

-- per-day rates divide by the days of the window the subscriber was subscribed (new subscribers)
rates AS (
    SELECT
        a.*,
        -- FLOAT from here on: the same arithmetic on every engine (no decimal scale rules)
        COALESCE(e.points_30d, 0)::FLOAT AS points_30d,
        COALESCE(e.reads_30d, 0)::FLOAT AS reads_30d,
        COALESCE(e.reads_7d, 0)::FLOAT AS reads_7d,
        e.last_read_date,
        LEAST(30, a.tenure_days + 1) AS days_30,
        LEAST(7, a.tenure_days + 1) AS days_7,
        LEAST(23, GREATEST(a.tenure_days + 1 - 7, 0)) AS days_prev_23,
        COALESCE(t.tickets_90d, 0) AS tickets_90d,
        COALESCE(t.tickets_30d, 0) AS tickets_30d,
        COALESCE(t.cancellation_tickets_30d, 0) AS cancellation_tickets_30d
    FROM active AS a
    LEFT JOIN engagement AS e ON e.snapshot_date = a.snapshot_date AND e.subscriber_id = a.subscriber_id
    LEFT JOIN support AS t ON t.snapshot_date = a.snapshot_date AND t.subscriber_id = a.subscriber_id
),

labelled AS (
    SELECT
        r.*,
        IFF(
            DATEADD(day, 30, r.snapshot_date) <= :as_of::DATE,
            COALESCE(c.cancels_30d, 0) > 0,
            NULL
        ) AS churned
    FROM rates AS r
    LEFT JOIN cancels AS c ON c.snapshot_date = r.snapshot_date AND c.subscriber_id = r.subscriber_id
),

labelled_dates AS (
    SELECT
        snapshot_date,
        ROW_NUMBER() OVER (ORDER BY snapshot_date DESC) AS recency,
        COUNT(*) OVER () AS dates
    FROM (SELECT DISTINCT snapshot_date FROM labelled WHERE churned IS NOT NULL) AS d
),

final AS (
    SELECT
        l.subscriber_id,
        l.snapshot_date,
        l.points_30d / l.days_30 AS engagement_score,
        l.reads_30d / l.days_30 AS reads_per_day_30d,
        LN(
            (l.reads_7d / l.days_7 + 0.1)
            / (COALESCE((l.reads_30d - l.reads_7d) / NULLIF(l.days_prev_23, 0), l.reads_7d / l.days_7) + 0.1)
        ) AS engagement_trend,
        DATEDIFF(
            day, COALESCE(l.last_read_date, GREATEST(l.signup_date, h.first_day)), l.snapshot_date
        ) AS days_since_last_read,
        l.tickets_90d AS support_tickets_count,
        l.tickets_30d AS support_tickets_30d,
        l.cancellation_tickets_30d,
        l.tenure_days AS subscription_tenure_days,
        l.failed_payments_30d,
        l.downgrades_90d,
        l.plan,
        l.acquisition_channel,
        l.churned,
        CASE
            WHEN l.churned IS NULL THEN NULL
            WHEN d.recency <= CEIL(0.2 * d.dates) THEN 'test'
            ELSE 'train'
        END AS split,
        :run_id AS run_id,
        CURRENT_TIMESTAMP()::TIMESTAMP_NTZ AS built_at
    FROM labelled AS l
    CROSS JOIN reading_history AS h
    LEFT JOIN labelled_dates AS d ON d.snapshot_date = l.snapshot_date
)

SELECT * FROM final
;

    COMMIT;
    INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at)
    SELECT :run_id, :as_of, 'fct_churn_scoring_features_not_empty', 'fct_churn_scoring_features', COUNT(*), COUNT(*) = 0, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ
    FROM (
        SELECT 'no active subscriber with data on the score date' AS problem
        FROM (
            SELECT COUNT(*) AS n
            FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_SCORING_FEATURES
            WHERE snapshot_date = :as_of::DATE
        ) AS counts
        WHERE n = 0
    ) AS failing;
    INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at)
    SELECT :run_id, :as_of, 'fct_churn_scoring_features_grain_unique', 'fct_churn_scoring_features', COUNT(*), COUNT(*) = 0, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ
    FROM (
        SELECT subscriber_id
        FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_SCORING_FEATURES
        WHERE snapshot_date = :as_of::DATE
        GROUP BY subscriber_id
        HAVING COUNT(*) > 1
    ) AS failing;
    INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at)
    SELECT :run_id, :as_of, 'fct_churn_scoring_features_value_ranges', 'fct_churn_scoring_features', COUNT(*), COUNT(*) = 0, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ
    FROM (
        SELECT subscriber_id
        FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_SCORING_FEATURES
        WHERE snapshot_date = :as_of::DATE
            AND (
                engagement_score NOT BETWEEN 0 AND 100
                OR reads_per_day_30d < 0
                OR days_since_last_read < 0
                OR subscription_tenure_days < 0
                OR support_tickets_30d > support_tickets_count
                OR cancellation_tickets_30d > support_tickets_30d
                OR churned IS NOT NULL
            )
    ) AS failing;
    failed_checks := (SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS WHERE run_id = :run_id AND NOT passed);
    IF (failed_checks > 0) THEN
        RAISE dq_check_failed;
    END IF;

    scoring_rows := (
        SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_SCORING_FEATURES WHERE snapshot_date = :as_of::DATE
    );
    RETURN 'built scoring features: ' || scoring_rows::VARCHAR || ' subscribers';
END;
$$;

CREATE OR REPLACE PROCEDURE SFE_ANALYTICS_MEDIA.SFE_TRAIN_CHURN_CLASSIFIER(
    AS_OF DATE, RUN_ID VARCHAR, MIN_TEST_AUC FLOAT DEFAULT NULL, TIER_HIGH FLOAT DEFAULT NULL
)
RETURNS VARCHAR
LANGUAGE SQL
AS
$$
-- c360:duckdb-native c360.model.procedures:train_churn_classifier
DECLARE
    model_version VARCHAR;
    gate FLOAT;
    high FLOAT;
    test_auc FLOAT;
    model_status VARCHAR;
    decision VARCHAR;
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

    -- the test split, scored by the candidate: the metrics the gate reads
    CREATE OR REPLACE TEMPORARY TABLE SFE_ANALYTICS_MEDIA.CHURN_TEST_PREDICTIONS AS
    SELECT
        churned,
        SFE_ANALYTICS_MEDIA.SFE_CHURN_CLASSIFIER_CANDIDATE!PREDICT(
            INPUT_DATA => OBJECT_CONSTRUCT(*)
        ):probability:"True"::FLOAT AS p
    FROM SFE_ANALYTICS_MEDIA.V_CHURN_TRAINING_TEST;

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
    IF (test_auc > gate) THEN
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
        decision := 'test ROC AUC ' || TO_VARCHAR(test_auc, '0.0000') || ' > ' || TO_VARCHAR(gate, '0.00')
            || ': deployed as SFE_CHURN_CLASSIFIER';
    ELSE
        model_status := 'rejected';
        decision := 'test ROC AUC ' || TO_VARCHAR(test_auc, '0.0000') || ' is not above the deploy gate '
            || TO_VARCHAR(gate, '0.00') || ': rejected, the current model stays';
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
            'failed_payments_30d', 'downgrades_90d', 'plan', 'acquisition_channel'
        ),
        COUNT_IF(t.split = 'train'),
        COUNT_IF(t.split = 'test'),
        (
            SELECT OBJECT_CONSTRUCT(
                'roc_auc', roc_auc, 'pr_auc', pr_auc, 'brier', brier, 'precision_at_high', precision_at_high,
                'recall_at_high', recall_at_high, 'base_rate', base_rate, 'high_threshold', :high
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

CREATE OR REPLACE PROCEDURE SFE_ANALYTICS_MEDIA.SFE_SCORE_CHURN(
    AS_OF DATE, RUN_ID VARCHAR, TIER_HIGH FLOAT DEFAULT NULL, TIER_MEDIUM FLOAT DEFAULT NULL
)
RETURNS VARCHAR
LANGUAGE SQL
AS
$$
-- c360:duckdb-native c360.model.procedures:score_churn
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
                'DOWNGRADES_90D', downgrades_90d, 'PLAN', plan, 'ACQUISITION_CHANNEL', acquisition_channel
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
    COMMIT;

    scored := (SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.FCT_CUSTOMER_HEALTH_SCORES WHERE score_date = :AS_OF);
    RETURN 'scored ' || scored::VARCHAR || ' subscribers as of ' || AS_OF::VARCHAR || ' with ' || model_version;
END;
$$;

ALTER TASK IF EXISTS SFE_ANALYTICS_MEDIA.sfe_daily_churn_scoring_task SUSPEND;

ALTER TASK IF EXISTS SFE_ANALYTICS_MEDIA.sfe_weekly_training_task SUSPEND;

CREATE OR REPLACE TASK SFE_ANALYTICS_MEDIA.sfe_daily_churn_scoring_task
    WAREHOUSE = SFE_C360_WH
    AFTER SFE_ANALYTICS_MEDIA.sfe_daily_build_task
AS
    CALL SFE_ANALYTICS_MEDIA.SFE_SCORE_CHURN(
        DATEADD(day, -1, CURRENT_DATE()), UUID_STRING(), 0.3, 0.1
    );

CREATE OR REPLACE TASK SFE_ANALYTICS_MEDIA.sfe_weekly_training_task
    WAREHOUSE = SFE_C360_WH
    SCHEDULE = 'USING CRON 0 1 * * 0 UTC'
    TIMEZONE = 'UTC'
AS
    CALL SFE_ANALYTICS_MEDIA.SFE_TRAIN_CHURN_CLASSIFIER(
        DATEADD(day, -1, CURRENT_DATE()), UUID_STRING(), 0.8, 0.3
    );

ALTER TASK SFE_ANALYTICS_MEDIA.sfe_weekly_training_task RESUME;

ALTER TASK SFE_ANALYTICS_MEDIA.sfe_daily_churn_scoring_task RESUME;

CREATE OR REPLACE VIEW SFE_ANALYTICS_MEDIA.V_CHURN_TRAINING_TRAIN AS
SELECT
    engagement_score, reads_per_day_30d, engagement_trend, days_since_last_read, support_tickets_count,
    support_tickets_30d, cancellation_tickets_30d, subscription_tenure_days, failed_payments_30d, downgrades_90d,
    plan, acquisition_channel, churned
FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING
WHERE split = 'train';

CREATE OR REPLACE VIEW SFE_ANALYTICS_MEDIA.V_CHURN_TRAINING_TEST AS
SELECT
    engagement_score, reads_per_day_30d, engagement_trend, days_since_last_read, support_tickets_count,
    support_tickets_30d, cancellation_tickets_30d, subscription_tenure_days, failed_payments_30d, downgrades_90d,
    plan, acquisition_channel, churned
FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING
WHERE split = 'test';

CREATE OR REPLACE VIEW SFE_ANALYTICS_MEDIA.V_CHURN_MODEL_CURRENT AS
SELECT *
FROM SFE_ANALYTICS_MEDIA.CHURN_MODEL_REGISTRY
WHERE status = 'current';
