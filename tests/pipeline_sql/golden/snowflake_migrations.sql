-- V001__raw_layer.sql (checksum c714ef090f01, target snowflake)
CREATE SCHEMA IF NOT EXISTS SFE_RAW_MEDIA;
CREATE SEQUENCE IF NOT EXISTS SFE_RAW_MEDIA.RAW_LOAD_SEQ;
CREATE TABLE IF NOT EXISTS SFE_RAW_MEDIA.RAW_SUBSCRIBER_EVENTS (
    load_seq        NUMBER(38, 0) NOT NULL,
    load_id         VARCHAR NOT NULL,
    source_file     VARCHAR NOT NULL,
    source_row      NUMBER(38, 0) NOT NULL,
    loaded_at       TIMESTAMP_NTZ NOT NULL,
    payload         VARIANT NOT NULL
);
CREATE TABLE IF NOT EXISTS SFE_RAW_MEDIA.RAW_CONTENT_ENGAGEMENT (
    load_seq            NUMBER(38, 0) NOT NULL,
    load_id             VARCHAR NOT NULL,
    source_file         VARCHAR NOT NULL,
    source_row          NUMBER(38, 0) NOT NULL,
    loaded_at           TIMESTAMP_NTZ NOT NULL,
    event_id            VARCHAR,
    subscriber_id       VARCHAR,
    article_id          VARCHAR,
    event_timestamp     VARCHAR,
    time_spent_seconds  VARCHAR,
    device_type         VARCHAR,
    user_agent          VARCHAR,
    referrer            VARCHAR,
    article_metadata    VARCHAR,
    extra_fields        VARIANT
);
CREATE TABLE IF NOT EXISTS SFE_RAW_MEDIA.RAW_SUPPORT_INTERACTIONS (
    load_seq            NUMBER(38, 0) NOT NULL,
    load_id             VARCHAR NOT NULL,
    source_file         VARCHAR NOT NULL,
    source_row          NUMBER(38, 0) NOT NULL,
    loaded_at           TIMESTAMP_NTZ NOT NULL,
    ticket_id           VARCHAR NOT NULL,
    subscriber_id       VARCHAR NOT NULL,
    created_at          TIMESTAMP_NTZ NOT NULL,
    resolved_at         TIMESTAMP_NTZ,
    channel             VARCHAR,
    category            VARCHAR,
    priority            VARCHAR,
    satisfaction_score  NUMBER(38, 0),
    status              VARCHAR,
    extra_fields        VARIANT
);
CREATE TABLE IF NOT EXISTS SFE_RAW_MEDIA.RAW_LOAD_ERRORS (
    load_id         VARCHAR NOT NULL,
    source          VARCHAR NOT NULL,
    source_file     VARCHAR NOT NULL,
    source_row      NUMBER(38, 0),
    raw_text        VARCHAR,
    reason          VARCHAR NOT NULL,
    rejected_at     TIMESTAMP_NTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS SFE_RAW_MEDIA.RAW_LOAD_HISTORY (
    load_id         VARCHAR NOT NULL,
    source          VARCHAR NOT NULL,
    source_file     VARCHAR NOT NULL,
    file_checksum   VARCHAR NOT NULL,
    file_bytes      NUMBER(38, 0) NOT NULL,
    rows_read       NUMBER(38, 0) NOT NULL,
    rows_loaded     NUMBER(38, 0) NOT NULL,
    rows_rejected   NUMBER(38, 0) NOT NULL,
    first_load_seq  NUMBER(38, 0),
    last_load_seq   NUMBER(38, 0),
    status          VARCHAR NOT NULL,
    started_at      TIMESTAMP_NTZ NOT NULL,
    finished_at     TIMESTAMP_NTZ NOT NULL
);

-- V002__staging_layer.sql (checksum 1b733247da22, target snowflake)
CREATE SCHEMA IF NOT EXISTS SFE_STG_MEDIA;
CREATE TABLE IF NOT EXISTS SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS (
    event_id             VARCHAR NOT NULL,
    subscriber_id        VARCHAR,
    event_type           VARCHAR,
    event_timestamp      TIMESTAMP_NTZ,          -- UTC
    plan                 VARCHAR,
    payment_amount       NUMBER(10, 2),
    payment_status       VARCHAR,
    currency             VARCHAR,
    country              VARCHAR,
    age_band             VARCHAR,
    acquisition_channel  VARCHAR,
    is_valid             BOOLEAN NOT NULL,
    invalid_reason       VARCHAR,
    source_load_seq      NUMBER(38, 0) NOT NULL,
    loaded_at            TIMESTAMP_NTZ NOT NULL,
    staged_at            TIMESTAMP_NTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS SFE_STG_MEDIA.STG_UNIFIED_CUSTOMER (
    subscriber_id        VARCHAR NOT NULL,
    signup_at            TIMESTAMP_NTZ,
    status               VARCHAR NOT NULL,       -- active | cancelled
    plan                 VARCHAR NOT NULL,
    cancelled_at         TIMESTAMP_NTZ,
    country              VARCHAR,
    age_band             VARCHAR,
    acquisition_channel  VARCHAR,
    first_event_at       TIMESTAMP_NTZ NOT NULL,
    last_event_at        TIMESTAMP_NTZ NOT NULL,
    valid_event_count    NUMBER(38, 0) NOT NULL,
    updated_at           TIMESTAMP_NTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT (
    event_id             VARCHAR NOT NULL,
    subscriber_id        VARCHAR NOT NULL,
    article_id           VARCHAR,
    section              VARCHAR NOT NULL,
    word_count           NUMBER(38, 0),
    author               VARCHAR,
    event_timestamp      TIMESTAMP_NTZ NOT NULL, -- UTC
    event_date           DATE NOT NULL,
    time_spent_seconds   NUMBER(38, 0) NOT NULL,
    engagement_score     NUMBER(5, 2) NOT NULL,  -- 0-100, see docs/pipeline.md
    device_type          VARCHAR,
    referrer             VARCHAR,
    source_load_seq      NUMBER(38, 0) NOT NULL,
    staged_at            TIMESTAMP_NTZ NOT NULL
);

-- V003__analytics_layer.sql (checksum 34c76d034521, target snowflake)
CREATE SCHEMA IF NOT EXISTS SFE_ANALYTICS_MEDIA;
CREATE TABLE IF NOT EXISTS SFE_ANALYTICS_MEDIA.DEMOGRAPHIC_SEGMENT_MAP (
    age_band             VARCHAR NOT NULL,
    demographic_segment  VARCHAR NOT NULL
);
INSERT INTO SFE_ANALYTICS_MEDIA.DEMOGRAPHIC_SEGMENT_MAP (age_band, demographic_segment)
SELECT age_band, demographic_segment
FROM (
    SELECT '18-24' AS age_band, 'Students & Starters' AS demographic_segment
    UNION ALL SELECT '25-34', 'Young Professionals'
    UNION ALL SELECT '35-44', 'Established Families'
    UNION ALL SELECT '45-54', 'Peak Earners'
    UNION ALL SELECT '55-64', 'Pre-Retirees'
    UNION ALL SELECT '65+', 'Retirees'
) AS seed
WHERE NOT EXISTS (SELECT 1 FROM SFE_ANALYTICS_MEDIA.DEMOGRAPHIC_SEGMENT_MAP);
CREATE TABLE IF NOT EXISTS SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS (
    subscriber_id            VARCHAR NOT NULL,
    as_of_date               DATE NOT NULL,
    status                   VARCHAR NOT NULL,   -- active | cancelled
    plan                     VARCHAR NOT NULL,
    signup_date              DATE NOT NULL,
    cancelled_at             TIMESTAMP_NTZ,
    tenure_days              NUMBER(38, 0) NOT NULL,
    lifetime_value           NUMBER(12, 2) NOT NULL,
    payments_count           NUMBER(38, 0) NOT NULL,
    failed_payments_count    NUMBER(38, 0) NOT NULL,
    country                  VARCHAR,
    age_band                 VARCHAR,
    acquisition_channel      VARCHAR,
    demographic_segment      VARCHAR NOT NULL,
    last_event_at            TIMESTAMP_NTZ NOT NULL,
    built_at                 TIMESTAMP_NTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY (
    subscriber_id            VARCHAR NOT NULL,
    activity_date            DATE NOT NULL,
    articles_viewed          NUMBER(38, 0) NOT NULL,  -- distinct articles
    views                    NUMBER(38, 0) NOT NULL,
    total_time_spent         NUMBER(38, 0) NOT NULL,  -- seconds
    distinct_sections        NUMBER(38, 0) NOT NULL,
    avg_engagement_score     NUMBER(5, 2) NOT NULL,   -- 0-100
    built_at                 TIMESTAMP_NTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (
    run_id                   VARCHAR NOT NULL,
    as_of_date               DATE NOT NULL,
    check_name               VARCHAR NOT NULL,
    model                    VARCHAR NOT NULL,
    failures                 NUMBER(38, 0) NOT NULL,
    passed                   BOOLEAN NOT NULL,
    checked_at               TIMESTAMP_NTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS SFE_ANALYTICS_MEDIA.FCT_CUSTOMER_HEALTH_SCORES (
    subscriber_id            VARCHAR NOT NULL,
    score_date               DATE NOT NULL,
    churn_risk_score         FLOAT NOT NULL,    -- probability of cancelling within 30 days, 0-1
    risk_tier                VARCHAR NOT NULL,  -- High | Medium | Low
    model_version            VARCHAR NOT NULL,
    scored_at                TIMESTAMP_NTZ NOT NULL,
    drivers                  VARIANT,           -- top features pushing this score up or down
    run_id                   VARCHAR NOT NULL
);

-- V004__streams.sql (checksum 3b7d8825a9d7, target snowflake)
CREATE STREAM IF NOT EXISTS SFE_RAW_MEDIA.sfe_subscriber_events_stream
    ON TABLE SFE_RAW_MEDIA.RAW_SUBSCRIBER_EVENTS
    APPEND_ONLY = TRUE;
CREATE STREAM IF NOT EXISTS SFE_RAW_MEDIA.sfe_content_stream
    ON TABLE SFE_RAW_MEDIA.RAW_CONTENT_ENGAGEMENT
    APPEND_ONLY = TRUE;

-- V005__model_layer.sql (checksum e00821991f5b, target snowflake)
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

-- V006__model_lifecycle.sql (checksum 2199c9149514, target snowflake)
CREATE TABLE IF NOT EXISTS SFE_ANALYTICS_MEDIA.CHURN_MODEL_GATE (
    model_version               VARCHAR NOT NULL,
    check_name                  VARCHAR NOT NULL,
    passed                      BOOLEAN NOT NULL,
    value                       FLOAT,                   -- the candidate's number (AUC, AUC difference, error)
    threshold                   FLOAT,                   -- what it was compared with
    detail                      VARCHAR NOT NULL,        -- the comparison in words, with its numbers
    recorded_at                 TIMESTAMP_NTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS SFE_ANALYTICS_MEDIA.FCT_MODEL_PERFORMANCE (
    score_date                  DATE NOT NULL,
    model_version               VARCHAR NOT NULL,
    metric                      VARCHAR NOT NULL,
    name                        VARCHAR NOT NULL,
    value                       FLOAT NOT NULL,
    run_id                      VARCHAR NOT NULL,
    recorded_at                 TIMESTAMP_NTZ NOT NULL
);
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
ALTER TABLE SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING ADD COLUMN days_since_failed_payment NUMBER(38, 0);
ALTER TABLE SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING ADD COLUMN failed_payments_decayed FLOAT;
ALTER TABLE SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING ADD COLUMN days_since_cancellation_ticket NUMBER(38, 0);
ALTER TABLE SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING ADD COLUMN cancellation_tickets_decayed FLOAT;
ALTER TABLE SFE_ANALYTICS_MEDIA.FCT_CHURN_SCORING_FEATURES ADD COLUMN days_since_failed_payment NUMBER(38, 0);
ALTER TABLE SFE_ANALYTICS_MEDIA.FCT_CHURN_SCORING_FEATURES ADD COLUMN failed_payments_decayed FLOAT;
ALTER TABLE SFE_ANALYTICS_MEDIA.FCT_CHURN_SCORING_FEATURES ADD COLUMN days_since_cancellation_ticket NUMBER(38, 0);
ALTER TABLE SFE_ANALYTICS_MEDIA.FCT_CHURN_SCORING_FEATURES ADD COLUMN cancellation_tickets_decayed FLOAT;

-- V007__drift_reference.sql (checksum f90dbb0d7cb4, target snowflake)
CREATE TABLE IF NOT EXISTS SFE_ANALYTICS_MEDIA.CHURN_FEATURE_REFERENCE (
    model_version               VARCHAR NOT NULL,
    feature                     VARCHAR NOT NULL,
    bin                         INTEGER NOT NULL,
    upper_edge                  FLOAT,                   -- numeric bins, NULL for the last
    category                    VARCHAR,                 -- categorical bins
    share                       FLOAT NOT NULL
);

-- V008__native_loaders.sql (checksum 3e592ef01ee5, target snowflake)
CREATE TABLE IF NOT EXISTS SFE_RAW_MEDIA.RAW_LANDED_SUBSCRIBER_EVENTS (
    load_seq        NUMBER(38, 0) NOT NULL DEFAULT SFE_RAW_MEDIA.RAW_LOAD_SEQ.NEXTVAL,
    source_file     VARCHAR NOT NULL,
    source_row      NUMBER(38, 0) NOT NULL,
    loaded_at       TIMESTAMP_NTZ NOT NULL,
    payload         VARIANT
);
CREATE TABLE IF NOT EXISTS SFE_RAW_MEDIA.RAW_LANDED_CONTENT_ENGAGEMENT (
    load_seq            NUMBER(38, 0) NOT NULL DEFAULT SFE_RAW_MEDIA.RAW_LOAD_SEQ.NEXTVAL,
    source_file         VARCHAR NOT NULL,
    source_row          NUMBER(38, 0) NOT NULL,
    loaded_at           TIMESTAMP_NTZ NOT NULL,
    event_id            VARCHAR,
    subscriber_id       VARCHAR,
    article_id          VARCHAR,
    event_timestamp     VARCHAR,
    time_spent_seconds  VARCHAR,
    device_type         VARCHAR,
    user_agent          VARCHAR,
    referrer            VARCHAR,
    article_metadata    VARCHAR
);
CREATE TABLE IF NOT EXISTS SFE_RAW_MEDIA.RAW_LANDED_SUPPORT_INTERACTIONS (
    load_seq            NUMBER(38, 0) NOT NULL DEFAULT SFE_RAW_MEDIA.RAW_LOAD_SEQ.NEXTVAL,
    source_file         VARCHAR NOT NULL,
    source_row          NUMBER(38, 0) NOT NULL,
    loaded_at           TIMESTAMP_NTZ NOT NULL,
    ticket_id           VARCHAR,
    subscriber_id       VARCHAR,
    created_at          TIMESTAMP_NTZ,
    resolved_at         TIMESTAMP_NTZ,
    channel             VARCHAR,
    category            VARCHAR,
    priority            VARCHAR,
    satisfaction_score  NUMBER(38, 0),
    status              VARCHAR
);
CREATE FILE FORMAT IF NOT EXISTS SFE_RAW_MEDIA.SFE_EVENTS_JSON TYPE = JSON STRIP_OUTER_ARRAY = FALSE;
CREATE FILE FORMAT IF NOT EXISTS SFE_RAW_MEDIA.SFE_CONTENT_CSV TYPE = CSV SKIP_HEADER = 1
    FIELD_OPTIONALLY_ENCLOSED_BY = '"' ERROR_ON_COLUMN_COUNT_MISMATCH = TRUE;
CREATE FILE FORMAT IF NOT EXISTS SFE_RAW_MEDIA.SFE_TICKETS_PARQUET TYPE = PARQUET;
CREATE STAGE IF NOT EXISTS SFE_RAW_MEDIA.SFE_LANDING_STAGE
    DIRECTORY = (ENABLE = TRUE) COMMENT = 'c360 landing: subscription_events/, content_engagement/, support_tickets/';
CREATE PIPE IF NOT EXISTS SFE_RAW_MEDIA.SFE_CONTENT_PIPE AUTO_INGEST = TRUE AS
COPY INTO SFE_RAW_MEDIA.RAW_LANDED_CONTENT_ENGAGEMENT (source_file, source_row, loaded_at, event_id, subscriber_id, article_id, event_timestamp, time_spent_seconds, device_type, user_agent, referrer, article_metadata)
    FROM (SELECT METADATA$FILENAME, METADATA$FILE_ROW_NUMBER, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ, $1, $2, $3, $4, $5, $6, $7, $8, $9
          FROM @SFE_RAW_MEDIA.SFE_LANDING_STAGE/content_engagement/)
    FILE_FORMAT = (FORMAT_NAME = 'SFE_RAW_MEDIA.SFE_CONTENT_CSV') ON_ERROR = CONTINUE;
CREATE OR REPLACE PROCEDURE SFE_RAW_MEDIA.SFE_LOAD_SUBSCRIPTION_EVENTS()
RETURNS VARCHAR
LANGUAGE SQL
AS
$$
DECLARE
    moved INTEGER DEFAULT 0;
BEGIN
    COPY INTO SFE_RAW_MEDIA.RAW_LANDED_SUBSCRIBER_EVENTS (source_file, source_row, loaded_at, payload)
        FROM (SELECT METADATA$FILENAME, METADATA$FILE_ROW_NUMBER, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ, $1
              FROM @SFE_RAW_MEDIA.SFE_LANDING_STAGE/subscription_events/)
        FILE_FORMAT = (FORMAT_NAME = 'SFE_RAW_MEDIA.SFE_EVENTS_JSON') ON_ERROR = CONTINUE;
    BEGIN TRANSACTION;
    INSERT INTO SFE_RAW_MEDIA.RAW_LOAD_HISTORY (load_id, source, source_file, file_checksum, file_bytes, rows_read,
        rows_loaded, rows_rejected, first_load_seq, last_load_seq, status, started_at, finished_at)
    SELECT h.file_name || '@' || TO_VARCHAR(h.last_load_time), 'subscription_events', h.file_name, '', h.file_size,
        h.row_parsed, h.row_count, h.error_count, NULL, NULL, 'loaded', h.last_load_time::TIMESTAMP_NTZ,
        h.last_load_time::TIMESTAMP_NTZ
    FROM TABLE(INFORMATION_SCHEMA.COPY_HISTORY(TABLE_NAME => 'SFE_RAW_MEDIA.RAW_LANDED_SUBSCRIBER_EVENTS',
        START_TIME => DATEADD(DAY, -2, CURRENT_TIMESTAMP()))) AS h
    WHERE h.file_name IN (SELECT DISTINCT source_file FROM SFE_RAW_MEDIA.RAW_LANDED_SUBSCRIBER_EVENTS);
    INSERT INTO SFE_RAW_MEDIA.RAW_LOAD_ERRORS (load_id, source, source_file, source_row, raw_text, reason, rejected_at)
    SELECT h.file_name || '@' || TO_VARCHAR(h.last_load_time), 'subscription_events', h.file_name, h.first_error_line_number,
        NULL, h.error_count || ' rejected; first: ' || h.first_error_message, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ
    FROM TABLE(INFORMATION_SCHEMA.COPY_HISTORY(TABLE_NAME => 'SFE_RAW_MEDIA.RAW_LANDED_SUBSCRIBER_EVENTS',
        START_TIME => DATEADD(DAY, -2, CURRENT_TIMESTAMP()))) AS h
    WHERE h.error_count > 0 AND h.file_name IN (SELECT DISTINCT source_file FROM SFE_RAW_MEDIA.RAW_LANDED_SUBSCRIBER_EVENTS);
    INSERT INTO SFE_RAW_MEDIA.RAW_SUBSCRIBER_EVENTS (load_seq, load_id, source_file, source_row, loaded_at, payload)
    SELECT (SELECT COALESCE(MAX(load_seq), 0) FROM SFE_RAW_MEDIA.RAW_SUBSCRIBER_EVENTS) + ROW_NUMBER() OVER (ORDER BY l.load_seq),
        l.source_file || '@' || TO_VARCHAR(l.loaded_at), l.source_file, l.source_row, l.loaded_at,
        l.payload
    FROM SFE_RAW_MEDIA.RAW_LANDED_SUBSCRIBER_EVENTS AS l WHERE payload IS NOT NULL;
    INSERT INTO SFE_RAW_MEDIA.RAW_LOAD_ERRORS (load_id, source, source_file, source_row, raw_text, reason, rejected_at)
    SELECT l.source_file || '@' || TO_VARCHAR(l.loaded_at), 'subscription_events', l.source_file, l.source_row, NULL,
        'missing payload', CURRENT_TIMESTAMP()::TIMESTAMP_NTZ
    FROM SFE_RAW_MEDIA.RAW_LANDED_SUBSCRIBER_EVENTS AS l
    WHERE l.payload IS NULL;
    moved := (SELECT COUNT(*) FROM SFE_RAW_MEDIA.RAW_LANDED_SUBSCRIBER_EVENTS WHERE payload IS NOT NULL);
    DELETE FROM SFE_RAW_MEDIA.RAW_LANDED_SUBSCRIBER_EVENTS;
    COMMIT;
    RETURN 'moved ' || moved || ' subscription_events rows';
END;
$$;
CREATE OR REPLACE PROCEDURE SFE_RAW_MEDIA.SFE_LOAD_CONTENT_ENGAGEMENT()
RETURNS VARCHAR
LANGUAGE SQL
AS
$$
DECLARE
    moved INTEGER DEFAULT 0;
BEGIN
    BEGIN TRANSACTION;
    INSERT INTO SFE_RAW_MEDIA.RAW_LOAD_HISTORY (load_id, source, source_file, file_checksum, file_bytes, rows_read,
        rows_loaded, rows_rejected, first_load_seq, last_load_seq, status, started_at, finished_at)
    SELECT h.file_name || '@' || TO_VARCHAR(h.last_load_time), 'content_engagement', h.file_name, '', h.file_size,
        h.row_parsed, h.row_count, h.error_count, NULL, NULL, 'loaded', h.last_load_time::TIMESTAMP_NTZ,
        h.last_load_time::TIMESTAMP_NTZ
    FROM TABLE(INFORMATION_SCHEMA.COPY_HISTORY(TABLE_NAME => 'SFE_RAW_MEDIA.RAW_LANDED_CONTENT_ENGAGEMENT',
        START_TIME => DATEADD(DAY, -2, CURRENT_TIMESTAMP()))) AS h
    WHERE h.file_name IN (SELECT DISTINCT source_file FROM SFE_RAW_MEDIA.RAW_LANDED_CONTENT_ENGAGEMENT);
    INSERT INTO SFE_RAW_MEDIA.RAW_LOAD_ERRORS (load_id, source, source_file, source_row, raw_text, reason, rejected_at)
    SELECT h.file_name || '@' || TO_VARCHAR(h.last_load_time), 'content_engagement', h.file_name, h.first_error_line_number,
        NULL, h.error_count || ' rejected; first: ' || h.first_error_message, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ
    FROM TABLE(INFORMATION_SCHEMA.COPY_HISTORY(TABLE_NAME => 'SFE_RAW_MEDIA.RAW_LANDED_CONTENT_ENGAGEMENT',
        START_TIME => DATEADD(DAY, -2, CURRENT_TIMESTAMP()))) AS h
    WHERE h.error_count > 0 AND h.file_name IN (SELECT DISTINCT source_file FROM SFE_RAW_MEDIA.RAW_LANDED_CONTENT_ENGAGEMENT);
    INSERT INTO SFE_RAW_MEDIA.RAW_CONTENT_ENGAGEMENT (load_seq, load_id, source_file, source_row, loaded_at, event_id, subscriber_id, article_id, event_timestamp, time_spent_seconds, device_type, user_agent, referrer, article_metadata)
    SELECT (SELECT COALESCE(MAX(load_seq), 0) FROM SFE_RAW_MEDIA.RAW_CONTENT_ENGAGEMENT) + ROW_NUMBER() OVER (ORDER BY l.load_seq),
        l.source_file || '@' || TO_VARCHAR(l.loaded_at), l.source_file, l.source_row, l.loaded_at,
        l.event_id, l.subscriber_id, l.article_id, l.event_timestamp, l.time_spent_seconds, l.device_type, l.user_agent, l.referrer, l.article_metadata
    FROM SFE_RAW_MEDIA.RAW_LANDED_CONTENT_ENGAGEMENT AS l;
    moved := (SELECT COUNT(*) FROM SFE_RAW_MEDIA.RAW_LANDED_CONTENT_ENGAGEMENT);
    DELETE FROM SFE_RAW_MEDIA.RAW_LANDED_CONTENT_ENGAGEMENT;
    COMMIT;
    RETURN 'moved ' || moved || ' content_engagement rows';
END;
$$;
CREATE OR REPLACE PROCEDURE SFE_RAW_MEDIA.SFE_LOAD_SUPPORT_TICKETS()
RETURNS VARCHAR
LANGUAGE SQL
AS
$$
DECLARE
    moved INTEGER DEFAULT 0;
BEGIN
    COPY INTO SFE_RAW_MEDIA.RAW_LANDED_SUPPORT_INTERACTIONS (source_file, source_row, loaded_at, ticket_id, subscriber_id, created_at, resolved_at, channel, category, priority, satisfaction_score, status)
        FROM (SELECT METADATA$FILENAME, METADATA$FILE_ROW_NUMBER, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ, $1:ticket_id::VARCHAR, $1:subscriber_id::VARCHAR, $1:created_at::TIMESTAMP_NTZ, $1:resolved_at::TIMESTAMP_NTZ, $1:channel::VARCHAR, $1:category::VARCHAR, $1:priority::VARCHAR, $1:satisfaction_score::NUMBER(38, 0), $1:status::VARCHAR
              FROM @SFE_RAW_MEDIA.SFE_LANDING_STAGE/support_tickets/)
        FILE_FORMAT = (FORMAT_NAME = 'SFE_RAW_MEDIA.SFE_TICKETS_PARQUET') ON_ERROR = CONTINUE;
    BEGIN TRANSACTION;
    INSERT INTO SFE_RAW_MEDIA.RAW_LOAD_HISTORY (load_id, source, source_file, file_checksum, file_bytes, rows_read,
        rows_loaded, rows_rejected, first_load_seq, last_load_seq, status, started_at, finished_at)
    SELECT h.file_name || '@' || TO_VARCHAR(h.last_load_time), 'support_tickets', h.file_name, '', h.file_size,
        h.row_parsed, h.row_count, h.error_count, NULL, NULL, 'loaded', h.last_load_time::TIMESTAMP_NTZ,
        h.last_load_time::TIMESTAMP_NTZ
    FROM TABLE(INFORMATION_SCHEMA.COPY_HISTORY(TABLE_NAME => 'SFE_RAW_MEDIA.RAW_LANDED_SUPPORT_INTERACTIONS',
        START_TIME => DATEADD(DAY, -2, CURRENT_TIMESTAMP()))) AS h
    WHERE h.file_name IN (SELECT DISTINCT source_file FROM SFE_RAW_MEDIA.RAW_LANDED_SUPPORT_INTERACTIONS);
    INSERT INTO SFE_RAW_MEDIA.RAW_LOAD_ERRORS (load_id, source, source_file, source_row, raw_text, reason, rejected_at)
    SELECT h.file_name || '@' || TO_VARCHAR(h.last_load_time), 'support_tickets', h.file_name, h.first_error_line_number,
        NULL, h.error_count || ' rejected; first: ' || h.first_error_message, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ
    FROM TABLE(INFORMATION_SCHEMA.COPY_HISTORY(TABLE_NAME => 'SFE_RAW_MEDIA.RAW_LANDED_SUPPORT_INTERACTIONS',
        START_TIME => DATEADD(DAY, -2, CURRENT_TIMESTAMP()))) AS h
    WHERE h.error_count > 0 AND h.file_name IN (SELECT DISTINCT source_file FROM SFE_RAW_MEDIA.RAW_LANDED_SUPPORT_INTERACTIONS);
    INSERT INTO SFE_RAW_MEDIA.RAW_SUPPORT_INTERACTIONS (load_seq, load_id, source_file, source_row, loaded_at, ticket_id, subscriber_id, created_at, resolved_at, channel, category, priority, satisfaction_score, status)
    SELECT (SELECT COALESCE(MAX(load_seq), 0) FROM SFE_RAW_MEDIA.RAW_SUPPORT_INTERACTIONS) + ROW_NUMBER() OVER (ORDER BY l.load_seq),
        l.source_file || '@' || TO_VARCHAR(l.loaded_at), l.source_file, l.source_row, l.loaded_at,
        l.ticket_id, l.subscriber_id, l.created_at, l.resolved_at, l.channel, l.category, l.priority, l.satisfaction_score, l.status
    FROM SFE_RAW_MEDIA.RAW_LANDED_SUPPORT_INTERACTIONS AS l WHERE ticket_id IS NOT NULL AND subscriber_id IS NOT NULL AND created_at IS NOT NULL;
    INSERT INTO SFE_RAW_MEDIA.RAW_LOAD_ERRORS (load_id, source, source_file, source_row, raw_text, reason, rejected_at)
    SELECT l.source_file || '@' || TO_VARCHAR(l.loaded_at), 'support_tickets', l.source_file, l.source_row, NULL,
        'missing ticket_id or subscriber_id or created_at', CURRENT_TIMESTAMP()::TIMESTAMP_NTZ
    FROM SFE_RAW_MEDIA.RAW_LANDED_SUPPORT_INTERACTIONS AS l
    WHERE l.ticket_id IS NULL OR l.subscriber_id IS NULL OR l.created_at IS NULL;
    moved := (SELECT COUNT(*) FROM SFE_RAW_MEDIA.RAW_LANDED_SUPPORT_INTERACTIONS WHERE ticket_id IS NOT NULL AND subscriber_id IS NOT NULL AND created_at IS NOT NULL);
    DELETE FROM SFE_RAW_MEDIA.RAW_LANDED_SUPPORT_INTERACTIONS;
    COMMIT;
    RETURN 'moved ' || moved || ' support_tickets rows';
END;
$$;
CREATE OR REPLACE TASK SFE_RAW_MEDIA.sfe_load_subscription_events_task
    WAREHOUSE = SFE_C360_WH
    SCHEDULE = '1 MINUTE'
AS CALL SFE_RAW_MEDIA.SFE_LOAD_SUBSCRIPTION_EVENTS();
CREATE OR REPLACE TASK SFE_RAW_MEDIA.sfe_load_content_engagement_task
    WAREHOUSE = SFE_C360_WH
    SCHEDULE = '1 MINUTE'
AS CALL SFE_RAW_MEDIA.SFE_LOAD_CONTENT_ENGAGEMENT();
CREATE OR REPLACE TASK SFE_RAW_MEDIA.sfe_load_support_tickets_task
    WAREHOUSE = SFE_C360_WH
    SCHEDULE = 'USING CRON 30 2 * * * UTC'
AS CALL SFE_RAW_MEDIA.SFE_LOAD_SUPPORT_TICKETS();
ALTER TASK SFE_RAW_MEDIA.sfe_load_subscription_events_task RESUME;
ALTER TASK SFE_RAW_MEDIA.sfe_load_content_engagement_task RESUME;
ALTER TASK SFE_RAW_MEDIA.sfe_load_support_tickets_task RESUME;

-- V009__build_state.sql (checksum 325aa56b13cf, target snowflake)
CREATE TABLE IF NOT EXISTS SFE_ANALYTICS_MEDIA.BUILD_STATE (
    model_name           VARCHAR NOT NULL,        -- e.g. FCT_ENGAGEMENT_DAILY
    built_through_seq    NUMBER(38, 0) NOT NULL,  -- every staging row with source_load_seq <= this is in the model
    as_of_date           DATE NOT NULL,           -- the model holds every day up to this one
    full_refresh         BOOLEAN NOT NULL,        -- whether the build that wrote this row rebuilt everything
    run_id               VARCHAR NOT NULL,
    built_at             TIMESTAMP_NTZ NOT NULL
);

-- V010__engagement_device_daily.sql (checksum 4ad46cf25929, target snowflake)
CREATE TABLE IF NOT EXISTS SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DEVICE_DAILY (
    subscriber_id            VARCHAR NOT NULL,
    activity_date            DATE NOT NULL,
    device_type              VARCHAR,                 -- as staged; NULL when the view had none
    views                    NUMBER(38, 0) NOT NULL,
    total_time_spent         NUMBER(38, 0) NOT NULL,  -- seconds
    built_at                 TIMESTAMP_NTZ NOT NULL
);
INSERT INTO SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DEVICE_DAILY (
    subscriber_id, activity_date, device_type, views, total_time_spent, built_at
)
SELECT
    v.subscriber_id,
    v.event_date,
    v.device_type,
    COUNT(*),
    SUM(v.time_spent_seconds),
    CURRENT_TIMESTAMP()::TIMESTAMP_NTZ
FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT AS v
WHERE v.event_date <= (
    SELECT MAX(as_of_date) FROM SFE_ANALYTICS_MEDIA.BUILD_STATE WHERE model_name = 'FCT_ENGAGEMENT_DAILY'
)
GROUP BY v.subscriber_id, v.event_date, v.device_type;

-- R__feature_labels.sql (checksum bab7fa039372, target snowflake)
CREATE OR REPLACE TABLE SFE_ANALYTICS_MEDIA.FEATURE_LABELS (
    feature  VARCHAR NOT NULL,
    label    VARCHAR NOT NULL
);
INSERT INTO SFE_ANALYTICS_MEDIA.FEATURE_LABELS (feature, label)
SELECT feature, label
FROM (
    SELECT 'engagement_score' AS feature, 'Average daily engagement score (0-100), last 30 days' AS label
    UNION ALL SELECT 'reads_per_day_30d', 'Articles read per day, last 30 days'
    UNION ALL SELECT 'engagement_trend', 'Reading trend: last 7 days against the 23 before'
    UNION ALL SELECT 'days_since_last_read', 'Days since the last article read'
    UNION ALL SELECT 'support_tickets_count', 'Support tickets, last 90 days'
    UNION ALL SELECT 'support_tickets_30d', 'Support tickets, last 30 days'
    UNION ALL SELECT 'cancellation_tickets_30d', 'Cancellation requests to support, last 30 days'
    UNION ALL SELECT 'subscription_tenure_days', 'Days since signing up'
    UNION ALL SELECT 'failed_payments_30d', 'Failed payments, last 30 days'
    UNION ALL SELECT 'downgrades_90d', 'Plan downgrades, last 90 days'
    UNION ALL SELECT 'plan', 'Subscription plan'
    UNION ALL SELECT 'acquisition_channel', 'Acquisition channel'
    UNION ALL SELECT 'days_since_failed_payment', 'Days since the last failed payment (90: none in 90 days)'
    UNION ALL SELECT 'failed_payments_decayed', 'Failed payments, recent ones weighing more (10-day half-life)'
    UNION ALL SELECT 'days_since_cancellation_ticket', 'Days since the last cancellation request (90: none in 90 days)'
    UNION ALL SELECT 'cancellation_tickets_decayed', 'Cancellation requests, recent ones weighing more (10-day half-life)'
) AS labels;

-- R__model_monitoring.sql (checksum 02af2ce8fe61, target snowflake)
CREATE OR REPLACE PROCEDURE SFE_ANALYTICS_MEDIA.SFE_MONITOR_MODEL(
    AS_OF DATE, RUN_ID VARCHAR, PSI_LIMIT FLOAT DEFAULT NULL, MIN_AUC FLOAT DEFAULT NULL
)
RETURNS VARCHAR
LANGUAGE SQL
AS
$$
DECLARE
    drift_limit FLOAT;
    auc_gate FLOAT;
    alerts_before INTEGER DEFAULT 0;
    new_alerts INTEGER DEFAULT 0;
    failed_checks INTEGER DEFAULT 0;
    dq_check_failed EXCEPTION (-20001, 'data quality check failed: see SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS');
BEGIN
    drift_limit := (SELECT COALESCE(:psi_limit, 0.25));
    auc_gate := (SELECT COALESCE(:min_auc, 0.80));

    BEGIN TRANSACTION;
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

    COMMIT;
    INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at)
    SELECT :run_id, :as_of, 'fct_model_performance_grain_unique', 'fct_model_performance', COUNT(*), COUNT(*) = 0, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ
    FROM (
        SELECT score_date, model_version, metric, name
        FROM SFE_ANALYTICS_MEDIA.FCT_MODEL_PERFORMANCE
        GROUP BY score_date, model_version, metric, name
        HAVING COUNT(*) > 1
    ) AS failing;
    INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at)
    SELECT :run_id, :as_of, 'fct_model_performance_window_closed', 'fct_model_performance', COUNT(*), COUNT(*) = 0, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ
    FROM (
        SELECT score_date
        FROM SFE_ANALYTICS_MEDIA.FCT_MODEL_PERFORMANCE
        WHERE DATEADD(day, 30, score_date) > :as_of::DATE
    ) AS failing;
    INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at)
    SELECT :run_id, :as_of, 'fct_model_performance_value_ranges', 'fct_model_performance', COUNT(*), COUNT(*) = 0, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ
    FROM (
        SELECT score_date, metric, name
        FROM SFE_ANALYTICS_MEDIA.FCT_MODEL_PERFORMANCE
        WHERE (metric IN ('roc_auc', 'base_rate', 'brier', 'mean_predicted', 'calibration_error', 'decile_predicted',
                'decile_observed', 'tier_precision') AND value NOT BETWEEN 0 AND 1)
            OR (metric IN ('rows', 'positives', 'decile_rows', 'tier_rows', 'top_decile_lift') AND value < 0)
    ) AS failing;
    failed_checks := (SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS WHERE run_id = :run_id AND NOT passed);
    IF (failed_checks > 0) THEN
        RAISE dq_check_failed;
    END IF;

    alerts_before := (SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.MODEL_ALERTS);
    BEGIN TRANSACTION;
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

    COMMIT;
    new_alerts := (SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.MODEL_ALERTS) - :alerts_before;
    RETURN 'model monitored as of ' || AS_OF::VARCHAR || ': ' || new_alerts::VARCHAR || ' new alert(s)';
END;
$$;

-- R__ops_views.sql (checksum b7b623573efa, target snowflake)
CREATE OR REPLACE VIEW SFE_RAW_MEDIA.V_LOAD_ORPHANS AS
WITH known_subscribers AS (
    SELECT subscriber_id FROM SFE_STG_MEDIA.STG_UNIFIED_CUSTOMER
),

loaded_rows AS (
    SELECT load_id, subscriber_id FROM SFE_RAW_MEDIA.RAW_CONTENT_ENGAGEMENT
    UNION ALL
    SELECT load_id, subscriber_id FROM SFE_RAW_MEDIA.RAW_SUPPORT_INTERACTIONS
),

orphans AS (
    SELECT r.load_id, COUNT(*) AS orphaned_rows
    FROM loaded_rows AS r
    LEFT JOIN known_subscribers AS k ON k.subscriber_id = r.subscriber_id
    WHERE k.subscriber_id IS NULL
    GROUP BY r.load_id
),

final AS (
    SELECT
        h.load_id,
        h.source,
        h.source_file,
        h.rows_loaded,
        COALESCE(o.orphaned_rows, 0) AS orphaned_rows,
        h.finished_at
    FROM SFE_RAW_MEDIA.RAW_LOAD_HISTORY AS h
    LEFT JOIN orphans AS o ON o.load_id = h.load_id
    WHERE h.status = 'loaded' AND h.source IN ('content_engagement', 'support_tickets')
)

SELECT * FROM final;

-- R__procedures.sql (checksum 3fcea8ec23c5, target snowflake)
CREATE OR REPLACE PROCEDURE SFE_STG_MEDIA.SFE_PROCESS_SUBSCRIBERS()
RETURNS VARCHAR
LANGUAGE SQL
AS
$$
BEGIN
    BEGIN TRANSACTION;
    -- STG_SUBSCRIBER_EVENTS: the subscription events of the stream, typed and validated, one row per event_id.
-- Rules (from the reference design):
--   * timestamps parsed with their offset and converted to UTC; unparseable, before 1900 or more than a
--     day after the load time: invalid
--   * payments need payment_amount > 0
--   * invalid events are kept with is_valid = FALSE and the reason, never propagated further
--   * duplicates: the latest event_timestamp wins (then the latest load)
--   * missing optional fields get safe defaults (plan 'unknown', currency 'USD')
MERGE INTO SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS AS tgt
USING (
    WITH stream_rows AS (
        SELECT load_seq, loaded_at, payload
        FROM SFE_RAW_MEDIA.sfe_subscriber_events_stream
        WHERE METADATA$ACTION = 'INSERT'
    ),

    parsed AS (
        SELECT
            NULLIF(TRIM(payload:event_id::VARCHAR), '') AS payload_event_id,
            NULLIF(TRIM(payload:subscriber_id::VARCHAR), '') AS subscriber_id,
            LOWER(NULLIF(TRIM(payload:event_type::VARCHAR), '')) AS event_type,
            CONVERT_TIMEZONE('UTC', TRY_CAST(payload:event_timestamp::VARCHAR AS TIMESTAMP_TZ))::TIMESTAMP_NTZ
                AS event_timestamp,
            COALESCE(LOWER(NULLIF(TRIM(payload:plan::VARCHAR), '')), 'unknown') AS plan,
            TRY_CAST(payload:payment_amount::VARCHAR AS NUMBER(10, 2)) AS payment_amount,
            LOWER(NULLIF(TRIM(payload:payment_status::VARCHAR), '')) AS payment_status,
            COALESCE(UPPER(NULLIF(TRIM(payload:currency::VARCHAR), '')), 'USD') AS currency,
            UPPER(NULLIF(TRIM(payload:country::VARCHAR), '')) AS country,
            NULLIF(TRIM(payload:age_band::VARCHAR), '') AS age_band,
            LOWER(NULLIF(TRIM(payload:acquisition_channel::VARCHAR), '')) AS acquisition_channel,
            load_seq,
            loaded_at
        FROM stream_rows
    ),

    validated AS (
        SELECT
            COALESCE(payload_event_id, 'missing-event-id-' || load_seq::VARCHAR) AS event_id,
            subscriber_id,
            event_type,
            event_timestamp,
            plan,
            payment_amount,
            IFF(event_type = 'payment', COALESCE(payment_status, 'succeeded'), payment_status) AS payment_status,
            currency,
            country,
            age_band,
            acquisition_channel,
            CASE
                WHEN payload_event_id IS NULL THEN 'missing event_id'
                WHEN subscriber_id IS NULL THEN 'missing subscriber_id'
                WHEN event_type IS NULL
                    OR event_type NOT IN ('signup', 'upgrade', 'downgrade', 'cancel', 'payment')
                    THEN 'unknown event_type'
                WHEN event_timestamp IS NULL THEN 'unparseable event_timestamp'
                -- e.g. 0001-01-01T00:00:00+14:00, a BC instant in UTC (the API refuses the same, c360.instants)
                WHEN event_timestamp < '1900-01-01'::TIMESTAMP_NTZ THEN 'event_timestamp before 1900'
                WHEN event_timestamp > DATEADD(day, 1, loaded_at) THEN 'event_timestamp in the future'
                WHEN event_type = 'payment' AND (payment_amount IS NULL OR payment_amount <= 0)
                    THEN 'non-positive payment_amount'
            END AS invalid_reason,
            load_seq,
            loaded_at
        FROM parsed
    ),

    final AS (
        SELECT *
        FROM validated
        QUALIFY ROW_NUMBER() OVER (
            PARTITION BY event_id ORDER BY event_timestamp DESC NULLS LAST, load_seq DESC
        ) = 1
    )

    SELECT * FROM final
) AS src
ON tgt.event_id = src.event_id
WHEN MATCHED AND (
    COALESCE(src.event_timestamp, '1900-01-01'::TIMESTAMP_NTZ) > COALESCE(tgt.event_timestamp, '1900-01-01'::TIMESTAMP_NTZ)
    OR (
        COALESCE(src.event_timestamp, '1900-01-01'::TIMESTAMP_NTZ) = COALESCE(tgt.event_timestamp, '1900-01-01'::TIMESTAMP_NTZ)
        AND src.load_seq > tgt.source_load_seq
    )
) THEN UPDATE SET
    subscriber_id = src.subscriber_id,
    event_type = src.event_type,
    event_timestamp = src.event_timestamp,
    plan = src.plan,
    payment_amount = src.payment_amount,
    payment_status = src.payment_status,
    currency = src.currency,
    country = src.country,
    age_band = src.age_band,
    acquisition_channel = src.acquisition_channel,
    is_valid = src.invalid_reason IS NULL,
    invalid_reason = src.invalid_reason,
    source_load_seq = src.load_seq,
    loaded_at = src.loaded_at,
    staged_at = CURRENT_TIMESTAMP()::TIMESTAMP_NTZ
WHEN NOT MATCHED THEN INSERT (
    event_id, subscriber_id, event_type, event_timestamp, plan, payment_amount, payment_status, currency,
    country, age_band, acquisition_channel, is_valid, invalid_reason, source_load_seq, loaded_at, staged_at
) VALUES (
    src.event_id, src.subscriber_id, src.event_type, src.event_timestamp, src.plan, src.payment_amount,
    src.payment_status, src.currency, src.country, src.age_band, src.acquisition_channel,
    src.invalid_reason IS NULL, src.invalid_reason, src.load_seq, src.loaded_at, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ
);

    -- STG_UNIFIED_CUSTOMER: one row per subscriber touched by the stream's events, recomputed from all of
-- that subscriber's valid staged events (so late and out-of-order events land right).
--   * status: cancelled when the latest lifecycle event (signup/upgrade/downgrade/cancel) is a cancel
--   * plan: from the latest valid event that carries one
--   * profile (country, age band, channel): from the latest signup event
MERGE INTO SFE_STG_MEDIA.STG_UNIFIED_CUSTOMER AS tgt
USING (
    WITH touched AS (
        SELECT DISTINCT NULLIF(TRIM(payload:subscriber_id::VARCHAR), '') AS subscriber_id
        FROM SFE_RAW_MEDIA.sfe_subscriber_events_stream
        WHERE METADATA$ACTION = 'INSERT'
    ),

    events AS (
        SELECT e.*
        FROM SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS AS e
        INNER JOIN touched AS t ON e.subscriber_id = t.subscriber_id
        WHERE e.is_valid
    ),

    -- The latest lifecycle event, plan and signup profile of each subscriber in the `events` CTE of the model
-- that includes this file (STG_UNIFIED_CUSTOMER: all valid events of the touched subscribers;
-- subscriber_profiles.sql: valid events up to the end of its day). Ties on the timestamp go to the later load.
latest_lifecycle AS (
    SELECT subscriber_id, event_type, event_timestamp
    FROM events
    WHERE event_type IN ('signup', 'upgrade', 'downgrade', 'cancel')
    QUALIFY ROW_NUMBER() OVER (PARTITION BY subscriber_id ORDER BY event_timestamp DESC, source_load_seq DESC) = 1
),

latest_plan AS (
    SELECT subscriber_id, plan
    FROM events
    WHERE plan <> 'unknown'
    QUALIFY ROW_NUMBER() OVER (PARTITION BY subscriber_id ORDER BY event_timestamp DESC, source_load_seq DESC) = 1
),

profile AS (
    SELECT subscriber_id, country, age_band, acquisition_channel
    FROM events
    WHERE event_type = 'signup'
    QUALIFY ROW_NUMBER() OVER (PARTITION BY subscriber_id ORDER BY event_timestamp DESC, source_load_seq DESC) = 1
),

    summary AS (
        SELECT
            subscriber_id,
            MIN(IFF(event_type = 'signup', event_timestamp, NULL)) AS signup_at,
            MIN(event_timestamp) AS first_event_at,
            MAX(event_timestamp) AS last_event_at,
            COUNT(*) AS valid_event_count
        FROM events
        GROUP BY subscriber_id
    ),

    final AS (
        SELECT
            s.subscriber_id,
            COALESCE(s.signup_at, s.first_event_at) AS signup_at,
            IFF(l.event_type = 'cancel', 'cancelled', 'active') AS status,
            COALESCE(p.plan, 'unknown') AS plan,
            IFF(l.event_type = 'cancel', l.event_timestamp, NULL) AS cancelled_at,
            pr.country,
            pr.age_band,
            pr.acquisition_channel,
            s.first_event_at,
            s.last_event_at,
            s.valid_event_count
        FROM summary AS s
        LEFT JOIN latest_lifecycle AS l ON l.subscriber_id = s.subscriber_id
        LEFT JOIN latest_plan AS p ON p.subscriber_id = s.subscriber_id
        LEFT JOIN profile AS pr ON pr.subscriber_id = s.subscriber_id
    )

    SELECT * FROM final
) AS src
ON tgt.subscriber_id = src.subscriber_id
WHEN MATCHED THEN UPDATE SET
    signup_at = src.signup_at,
    status = src.status,
    plan = src.plan,
    cancelled_at = src.cancelled_at,
    country = src.country,
    age_band = src.age_band,
    acquisition_channel = src.acquisition_channel,
    first_event_at = src.first_event_at,
    last_event_at = src.last_event_at,
    valid_event_count = src.valid_event_count,
    updated_at = CURRENT_TIMESTAMP()::TIMESTAMP_NTZ
WHEN NOT MATCHED THEN INSERT (
    subscriber_id, signup_at, status, plan, cancelled_at, country, age_band, acquisition_channel,
    first_event_at, last_event_at, valid_event_count, updated_at
) VALUES (
    src.subscriber_id, src.signup_at, src.status, src.plan, src.cancelled_at, src.country, src.age_band,
    src.acquisition_channel, src.first_event_at, src.last_event_at, src.valid_event_count,
    CURRENT_TIMESTAMP()::TIMESTAMP_NTZ
);

    COMMIT;
    RETURN 'processed subscriber events';
END;
$$;
CREATE OR REPLACE PROCEDURE SFE_STG_MEDIA.SFE_PROCESS_ENGAGEMENT()
RETURNS VARCHAR
LANGUAGE SQL
AS
$$
BEGIN
    -- STG_CONTENT_ENGAGEMENT: human article views of the stream, typed, scored, one row per event_id.
--   * article metadata: section, word_count and author parsed from the article_metadata JSON
--   * engagement_score = 100 * LEAST(1, LN(1 + seconds) / LN(1 + 600)): 0 for a bounce, 64 at one
--     minute, 81 at three, 100 from ten minutes of reading
--   * bot traffic: a user agent naming a bot, crawler, spider, headless browser or HTTP library
--   * unusable rows (no event_id or subscriber, unparseable or future timestamp) stay in RAW only
--   * time_spent_seconds missing, unparseable or negative: 0
--   * an event_id the stream holds more than once: its usable row loaded last wins (load_seq numbers every
--     raw row in load order: a later load, and within a file a later line); an id already staged keeps its
--     staged row. An INSERT of the ids not staged yet rather than a MERGE: the same rows, and DuckDB's MERGE
--     writes them through a slower path (docs/benchmarks.md, 2026-12-07).
INSERT INTO SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT (
    event_id, subscriber_id, article_id, section, word_count, author, event_timestamp, event_date,
    time_spent_seconds, engagement_score, device_type, referrer, source_load_seq, staged_at
)
WITH stream_rows AS (
    SELECT *
    FROM SFE_RAW_MEDIA.sfe_content_stream
    WHERE METADATA$ACTION = 'INSERT'
),

parsed AS (
    SELECT
        NULLIF(TRIM(event_id), '') AS event_id,
        NULLIF(TRIM(subscriber_id), '') AS subscriber_id,
        UPPER(NULLIF(TRIM(article_id), '')) AS article_id,
        CONVERT_TIMEZONE('UTC', TRY_CAST(event_timestamp AS TIMESTAMP_TZ))::TIMESTAMP_NTZ AS event_ts,
        GREATEST(COALESCE(TRY_CAST(time_spent_seconds AS NUMBER(38, 0)), 0), 0) AS seconds,
        TRY_PARSE_JSON(article_metadata) AS metadata,
        LOWER(NULLIF(TRIM(device_type), '')) AS device_type,
        LOWER(NULLIF(TRIM(referrer), '')) AS referrer,
        COALESCE(user_agent, '') AS user_agent,
        load_seq,
        loaded_at
    FROM stream_rows
),

humans AS (
    SELECT *
    FROM parsed
    WHERE event_id IS NOT NULL
        AND subscriber_id IS NOT NULL
        AND event_ts IS NOT NULL
        AND event_ts <= DATEADD(day, 1, loaded_at)
        AND NOT LOWER(user_agent) LIKE ANY (
            '%bot%', '%crawler%', '%spider%', '%slurp%', '%headless%', '%python-requests%', '%curl/%', '%wget/%'
        )
),

final AS (
    SELECT
        event_id,
        subscriber_id,
        article_id,
        COALESCE(LOWER(NULLIF(TRIM(metadata:section::VARCHAR), '')), 'unknown') AS section,
        TRY_CAST(metadata:word_count::VARCHAR AS NUMBER(38, 0)) AS word_count,
        NULLIF(TRIM(metadata:author::VARCHAR), '') AS author,
        event_ts AS event_timestamp,
        event_ts::DATE AS event_date,
        seconds AS time_spent_seconds,
        ROUND(100 * LEAST(1, LN(1 + seconds) / LN(601)), 2) AS engagement_score,
        device_type,
        referrer,
        load_seq
    FROM humans
    QUALIFY ROW_NUMBER() OVER (PARTITION BY event_id ORDER BY load_seq DESC) = 1
)

SELECT
    event_id, subscriber_id, article_id, section, word_count, author, event_timestamp, event_date,
    time_spent_seconds, engagement_score, device_type, referrer, load_seq, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ
FROM final AS src
WHERE NOT EXISTS (
    SELECT 1 FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT AS staged WHERE staged.event_id = src.event_id
);

    RETURN 'processed content engagement';
END;
$$;
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
    INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at)
    SELECT :run_id, :as_of, 'stg_subscriber_events_event_id_unique', 'staging', COUNT(*), COUNT(*) = 0, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ
    FROM (
        SELECT event_id
        FROM SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS
        GROUP BY event_id
        HAVING COUNT(*) > 1
    ) AS failing;
    INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at)
    SELECT :run_id, :as_of, 'stg_subscriber_events_invalid_below_10pct', 'staging', COUNT(*), COUNT(*) = 0, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ
    FROM (
        SELECT invalid_share
        FROM (
            SELECT AVG(IFF(is_valid, 0, 1)) AS invalid_share
            FROM SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS
        ) AS shares
        WHERE invalid_share > 0.10
    ) AS failing;
    INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at)
    SELECT :run_id, :as_of, 'stg_subscriber_events_valid_payments_positive', 'staging', COUNT(*), COUNT(*) = 0, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ
    FROM (
        SELECT event_id
        FROM SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS
        WHERE is_valid AND event_type = 'payment' AND NOT payment_amount > 0
    ) AS failing;
    INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at)
    SELECT :run_id, :as_of, 'stg_unified_customer_subscriber_id_unique', 'staging', COUNT(*), COUNT(*) = 0, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ
    FROM (
        SELECT subscriber_id
        FROM SFE_STG_MEDIA.STG_UNIFIED_CUSTOMER
        GROUP BY subscriber_id
        HAVING COUNT(*) > 1
    ) AS failing;
    INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at)
    SELECT :run_id, :as_of, 'stg_content_engagement_event_id_unique', 'staging', COUNT(*), COUNT(*) = 0, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ
    FROM (
        SELECT event_id
        FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT
        WHERE :checked_seq = 0
        GROUP BY event_id
        HAVING COUNT(*) > 1
        UNION ALL
        SELECT event_id
        FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT
        WHERE :checked_seq > 0
            AND event_id IN (
                SELECT event_id FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT WHERE source_load_seq > :checked_seq
            )
        GROUP BY event_id
        HAVING COUNT(*) > 1
    ) AS failing;
    INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at)
    SELECT :run_id, :as_of, 'stg_content_engagement_score_range', 'staging', COUNT(*), COUNT(*) = 0, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ
    FROM (
        SELECT event_id
        FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT
        WHERE source_load_seq > :checked_seq
            AND (engagement_score NOT BETWEEN 0 AND 100 OR time_spent_seconds < 0)
    ) AS failing;
    failed_checks := (SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS WHERE run_id = :run_id AND NOT passed);
    IF (failed_checks > 0) THEN
        RAISE dq_check_failed;
    END IF;

    BEGIN TRANSACTION;
    -- DIM_SUBSCRIBERS as of :as_of (the end of that day), rebuilt whole from subscriber_profiles.sql.
--
-- It only moves forward: a build for a day before the one DIM_SUBSCRIBERS already holds (a backfill)
-- leaves it as it is, so BI tools keep seeing the newest day and no failed or partial backfill can
-- leave the dimension as of another day. The DELETE empties the table only for a day at or after the
-- one it holds (or when it is empty); the INSERT then fills it only if it was emptied. Publishing never
-- reads this table: it computes the same profiles as of the published run's score_date.
DELETE FROM SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS
WHERE :as_of::DATE >= (SELECT MAX(as_of_date) FROM SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS);

INSERT INTO SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS (
    subscriber_id, as_of_date, status, plan, signup_date, cancelled_at, tenure_days, lifetime_value,
    payments_count, failed_payments_count, country, age_band, acquisition_channel, demographic_segment,
    last_event_at, built_at
)
SELECT
    subscriber_id, as_of_date, status, plan, signup_date, cancelled_at, tenure_days, lifetime_value,
    payments_count, failed_payments_count, country, age_band, acquisition_channel, demographic_segment,
    last_event_at, built_at
FROM (
-- Every subscriber with a valid subscription event by the end of :as_of, as they were at that moment:
-- the one definition of a subscriber's profile, read by the DIM_SUBSCRIBERS build and by each publish
-- (which computes it for the published run's score_date, whatever day DIM_SUBSCRIBERS was last built).
--   * status: cancelled when the latest lifecycle event (signup/upgrade/downgrade/cancel) is a cancel
--   * plan: from the latest valid event that carries one
--   * country, age band, channel: from the latest signup event
--   * tenure_days = :as_of - signup_date; lifetime_value = succeeded, valid payments up to :as_of
--   * demographic_segment from DEMOGRAPHIC_SEGMENT_MAP by age band ('Unknown' when unmapped)
WITH events AS (
    SELECT *
    FROM SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS
    WHERE is_valid
        AND event_timestamp < DATEADD(day, 1, :as_of::DATE)
),

-- The latest lifecycle event, plan and signup profile of each subscriber in the `events` CTE of the model
-- that includes this file (STG_UNIFIED_CUSTOMER: all valid events of the touched subscribers;
-- subscriber_profiles.sql: valid events up to the end of its day). Ties on the timestamp go to the later load.
latest_lifecycle AS (
    SELECT subscriber_id, event_type, event_timestamp
    FROM events
    WHERE event_type IN ('signup', 'upgrade', 'downgrade', 'cancel')
    QUALIFY ROW_NUMBER() OVER (PARTITION BY subscriber_id ORDER BY event_timestamp DESC, source_load_seq DESC) = 1
),

latest_plan AS (
    SELECT subscriber_id, plan
    FROM events
    WHERE plan <> 'unknown'
    QUALIFY ROW_NUMBER() OVER (PARTITION BY subscriber_id ORDER BY event_timestamp DESC, source_load_seq DESC) = 1
),

profile AS (
    SELECT subscriber_id, country, age_band, acquisition_channel
    FROM events
    WHERE event_type = 'signup'
    QUALIFY ROW_NUMBER() OVER (PARTITION BY subscriber_id ORDER BY event_timestamp DESC, source_load_seq DESC) = 1
),

summary AS (
    SELECT
        subscriber_id,
        MIN(IFF(event_type = 'signup', event_timestamp, NULL)) AS signup_at,
        MIN(event_timestamp) AS first_event_at,
        MAX(event_timestamp) AS last_event_at,
        SUM(IFF(event_type = 'payment' AND payment_status = 'succeeded', payment_amount, 0)) AS lifetime_value,
        COUNT_IF(event_type = 'payment' AND payment_status = 'succeeded') AS payments_count,
        COUNT_IF(event_type = 'payment' AND payment_status = 'failed') AS failed_payments_count
    FROM events
    GROUP BY subscriber_id
),

final AS (
    SELECT
        s.subscriber_id,
        :as_of::DATE AS as_of_date,
        IFF(l.event_type = 'cancel', 'cancelled', 'active') AS status,
        COALESCE(p.plan, 'unknown') AS plan,
        COALESCE(s.signup_at, s.first_event_at)::DATE AS signup_date,
        IFF(l.event_type = 'cancel', l.event_timestamp, NULL) AS cancelled_at,
        DATEDIFF(day, COALESCE(s.signup_at, s.first_event_at)::DATE, :as_of::DATE) AS tenure_days,
        s.lifetime_value,
        s.payments_count,
        s.failed_payments_count,
        g.country,
        g.age_band,
        g.acquisition_channel,
        COALESCE(m.demographic_segment, 'Unknown') AS demographic_segment,
        s.last_event_at,
        CURRENT_TIMESTAMP()::TIMESTAMP_NTZ AS built_at
    FROM summary AS s
    LEFT JOIN latest_lifecycle AS l ON l.subscriber_id = s.subscriber_id
    LEFT JOIN latest_plan AS p ON p.subscriber_id = s.subscriber_id
    LEFT JOIN profile AS g ON g.subscriber_id = s.subscriber_id
    LEFT JOIN SFE_ANALYTICS_MEDIA.DEMOGRAPHIC_SEGMENT_MAP AS m ON m.age_band = g.age_band
)

SELECT * FROM final

) AS profiles
WHERE NOT EXISTS (SELECT 1 FROM SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS);

    COMMIT;
    INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at)
    SELECT :run_id, :as_of, 'dim_subscribers_not_empty', 'dim_subscribers', COUNT(*), COUNT(*) = 0, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ
    FROM (
        SELECT 'no subscribers' AS problem
        FROM (SELECT COUNT(*) AS n FROM SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS) AS counts
        WHERE n = 0
    ) AS failing;
    INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at)
    SELECT :run_id, :as_of, 'dim_subscribers_subscriber_id_unique', 'dim_subscribers', COUNT(*), COUNT(*) = 0, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ
    FROM (
        SELECT subscriber_id
        FROM SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS
        GROUP BY subscriber_id
        HAVING COUNT(*) > 1
    ) AS failing;
    INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at)
    SELECT :run_id, :as_of, 'dim_subscribers_status_accepted_values', 'dim_subscribers', COUNT(*), COUNT(*) = 0, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ
    FROM (
        SELECT subscriber_id
        FROM SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS
        WHERE status NOT IN ('active', 'cancelled')
    ) AS failing;
    INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at)
    SELECT :run_id, :as_of, 'dim_subscribers_value_ranges', 'dim_subscribers', COUNT(*), COUNT(*) = 0, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ
    FROM (
        SELECT subscriber_id
        FROM SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS
        WHERE tenure_days < 0 OR lifetime_value < 0 OR payments_count < 0
    ) AS failing;
    INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at)
    SELECT :run_id, :as_of, 'dim_subscribers_age_band_nulls_below_5pct', 'dim_subscribers', COUNT(*), COUNT(*) = 0, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ
    FROM (
        SELECT null_share
        FROM (
            SELECT AVG(IFF(age_band IS NULL, 1, 0)) AS null_share
            FROM SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS
        ) AS shares
        WHERE null_share > 0.05
    ) AS failing;
    failed_checks := (SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS WHERE run_id = :run_id AND NOT passed);
    IF (failed_checks > 0) THEN
        RAISE dq_check_failed;
    END IF;

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
    -- FCT_ENGAGEMENT_DAILY up to :as_of: per subscriber and day with human reads, built incrementally
-- (docs/pipeline.md#the-incremental-daily-build). Staging is append-only, so two sets of
-- (subscriber, day) keys are all that can have changed since the last build (BUILD_STATE):
--   * every day after :rebuild_after up to :as_of, rebuilt whole: the days this build adds (the last
--     build was as of :rebuild_after); every day for a full refresh (:rebuild_after = 1900-01-01);
--   * the keys of rows staged since that build (source_load_seq > :built_seq) for days it had
--     already built: late rows. Each such key is recomputed from all its staging rows.
-- The procedure sets the binds from BUILD_STATE, and records the new state (build_state.sql) only once
-- the rows this build wrote have passed their checks.
--
-- The two distinct counts come from one pass of GROUPING SETS: the (subscriber, day, article) groups
-- count the articles and carry the sums, the (subscriber, day, section) groups count the sections.
-- It equals COUNT(DISTINCT article_id) and COUNT(DISTINCT section) in one GROUP BY, which builds a
-- hash table per distinct column over every view: at scale 10 (46 M views) that spilled to disk and
-- took 82 s on DuckDB against 52 s for this form (docs/benchmarks.md).
DELETE FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY
WHERE activity_date > :rebuild_after::DATE
    AND activity_date <= :as_of::DATE;

DELETE FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY AS f
USING (
    SELECT DISTINCT subscriber_id, event_date
    FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT
    WHERE source_load_seq > :built_seq
        AND event_date <= :rebuild_after::DATE
) AS late
WHERE f.subscriber_id = late.subscriber_id
    AND f.activity_date = late.event_date;

INSERT INTO SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY (
    subscriber_id, activity_date, articles_viewed, views, total_time_spent, distinct_sections,
    avg_engagement_score, built_at
)
WITH late_keys AS (
    SELECT DISTINCT subscriber_id, event_date
    FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT
    WHERE source_load_seq > :built_seq
        AND event_date <= :rebuild_after::DATE
),

changed_views AS (
    SELECT subscriber_id, event_date, article_id, section, time_spent_seconds, engagement_score
    FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT
    WHERE event_date > :rebuild_after::DATE
        AND event_date <= :as_of::DATE
    UNION ALL
    SELECT v.subscriber_id, v.event_date, v.article_id, v.section, v.time_spent_seconds, v.engagement_score
    FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT AS v
    INNER JOIN late_keys AS k ON k.subscriber_id = v.subscriber_id AND k.event_date = v.event_date
),

day_groups AS (
    SELECT
        subscriber_id,
        event_date,
        article_id,
        section,
        GROUPING(section) = 1 AS is_article_group,
        COUNT(*) AS views,
        SUM(time_spent_seconds) AS time_spent,
        SUM(engagement_score) AS score_sum,
        COUNT(engagement_score) AS scored
    FROM changed_views
    GROUP BY GROUPING SETS ((subscriber_id, event_date, article_id), (subscriber_id, event_date, section))
)

SELECT
    subscriber_id,
    event_date AS activity_date,
    COUNT_IF(is_article_group AND article_id IS NOT NULL) AS articles_viewed,
    SUM(IFF(is_article_group, views, NULL)) AS views,
    SUM(IFF(is_article_group, time_spent, NULL)) AS total_time_spent,
    COUNT_IF(NOT is_article_group AND section IS NOT NULL) AS distinct_sections,
    ROUND(SUM(IFF(is_article_group, score_sum, NULL)) / NULLIF(SUM(IFF(is_article_group, scored, NULL)), 0), 2)
        AS avg_engagement_score,
    CURRENT_TIMESTAMP()::TIMESTAMP_NTZ AS built_at
FROM day_groups
GROUP BY subscriber_id, event_date;

    -- FCT_ENGAGEMENT_DEVICE_DAILY up to :as_of: human views and time per subscriber, day and device type, which
-- the dashboard's engagement by device (models/serving/analytics_devices.sql) groups into days and weeks.
-- Built in FCT_ENGAGEMENT_DAILY's transaction with its binds, so the same (subscriber, day) keys are
-- rebuilt (fct_engagement_daily.sql says which): every day after :rebuild_after up to :as_of, and the
-- keys of rows staged since the last build for days it had already built, each from all its staged rows.
DELETE FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DEVICE_DAILY
WHERE activity_date > :rebuild_after::DATE
    AND activity_date <= :as_of::DATE;

DELETE FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DEVICE_DAILY AS f
USING (
    SELECT DISTINCT subscriber_id, event_date
    FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT
    WHERE source_load_seq > :built_seq
        AND event_date <= :rebuild_after::DATE
) AS late
WHERE f.subscriber_id = late.subscriber_id
    AND f.activity_date = late.event_date;

INSERT INTO SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DEVICE_DAILY (
    subscriber_id, activity_date, device_type, views, total_time_spent, built_at
)
WITH late_keys AS (
    SELECT DISTINCT subscriber_id, event_date
    FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT
    WHERE source_load_seq > :built_seq
        AND event_date <= :rebuild_after::DATE
),

changed_views AS (
    SELECT subscriber_id, event_date, device_type, time_spent_seconds
    FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT
    WHERE event_date > :rebuild_after::DATE
        AND event_date <= :as_of::DATE
    UNION ALL
    SELECT v.subscriber_id, v.event_date, v.device_type, v.time_spent_seconds
    FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT AS v
    INNER JOIN late_keys AS k ON k.subscriber_id = v.subscriber_id AND k.event_date = v.event_date
)

SELECT
    subscriber_id,
    event_date AS activity_date,
    device_type,
    COUNT(*) AS views,
    SUM(time_spent_seconds) AS total_time_spent,
    CURRENT_TIMESTAMP()::TIMESTAMP_NTZ AS built_at
FROM changed_views
GROUP BY subscriber_id, event_date, device_type;

    COMMIT;
    INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at)
    SELECT :run_id, :as_of, 'fct_engagement_daily_grain_unique', 'fct_engagement_daily', COUNT(*), COUNT(*) = 0, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ
    FROM (
        WITH late_keys AS (
            SELECT DISTINCT subscriber_id, event_date
            FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT
            WHERE source_load_seq > :built_seq
                AND event_date <= :rebuild_after::DATE
        ),

        -- each row of a rebuilt key once: the two branches' days do not overlap (after :rebuild_after, and not)
        rebuilt AS (
            SELECT subscriber_id, activity_date
            FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY
            WHERE activity_date > :rebuild_after::DATE
            UNION ALL
            SELECT f.subscriber_id, f.activity_date
            FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY AS f
            INNER JOIN late_keys AS r ON r.subscriber_id = f.subscriber_id AND r.event_date = f.activity_date
        )

        SELECT subscriber_id, activity_date
        FROM rebuilt
        GROUP BY subscriber_id, activity_date
        HAVING COUNT(*) > 1
    ) AS failing;
    INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at)
    SELECT :run_id, :as_of, 'fct_engagement_daily_value_ranges', 'fct_engagement_daily', COUNT(*), COUNT(*) = 0, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ
    FROM (
        WITH late_keys AS (
            SELECT DISTINCT subscriber_id, event_date
            FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT
            WHERE source_load_seq > :built_seq
                AND event_date <= :rebuild_after::DATE
        ),

        -- each row of a rebuilt key once: the two branches' days do not overlap (after :rebuild_after, and not)
        rebuilt AS (
            SELECT
                subscriber_id, activity_date,
                views, articles_viewed, distinct_sections, total_time_spent, avg_engagement_score
            FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY
            WHERE activity_date > :rebuild_after::DATE
            UNION ALL
            SELECT
                f.subscriber_id, f.activity_date,
                f.views, f.articles_viewed, f.distinct_sections, f.total_time_spent, f.avg_engagement_score
            FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY AS f
            INNER JOIN late_keys AS r ON r.subscriber_id = f.subscriber_id AND r.event_date = f.activity_date
        )

        SELECT subscriber_id, activity_date
        FROM rebuilt
        WHERE views < 1
            OR articles_viewed > views
            OR distinct_sections > articles_viewed
            OR total_time_spent < 0
            OR avg_engagement_score NOT BETWEEN 0 AND 100
    ) AS failing;
    INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at)
    SELECT :run_id, :as_of, 'fct_engagement_daily_no_future_days', 'fct_engagement_daily', COUNT(*), COUNT(*) = 0, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ
    FROM (
        SELECT activity_date
        FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY
        WHERE activity_date > :rebuild_after::DATE
            AND activity_date > DATEADD(day, 1, CURRENT_DATE())
    ) AS failing;
    failed_checks := (SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS WHERE run_id = :run_id AND NOT passed);
    IF (failed_checks > 0) THEN
        RAISE dq_check_failed;
    END IF;
    INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at)
    SELECT :run_id, :as_of, 'fct_engagement_device_daily_reconciles', 'fct_engagement_device_daily', COUNT(*), COUNT(*) = 0, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ
    FROM (
        WITH late_keys AS (
            SELECT DISTINCT subscriber_id, event_date
            FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT
            WHERE source_load_seq > :built_seq
                AND event_date <= :rebuild_after::DATE
        ),

        by_day AS (
            SELECT subscriber_id, activity_date, views, total_time_spent
            FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY
            WHERE activity_date > :rebuild_after::DATE AND activity_date <= :as_of::DATE
            UNION
            SELECT f.subscriber_id, f.activity_date, f.views, f.total_time_spent
            FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY AS f
            INNER JOIN late_keys AS r ON r.subscriber_id = f.subscriber_id AND r.event_date = f.activity_date
        ),

        by_device AS (
            SELECT subscriber_id, activity_date, SUM(views) AS views, SUM(total_time_spent) AS total_time_spent
            FROM (
                SELECT subscriber_id, activity_date, views, total_time_spent
                FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DEVICE_DAILY
                WHERE activity_date > :rebuild_after::DATE AND activity_date <= :as_of::DATE
                UNION ALL
                SELECT d.subscriber_id, d.activity_date, d.views, d.total_time_spent
                FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DEVICE_DAILY AS d
                INNER JOIN late_keys AS r ON r.subscriber_id = d.subscriber_id AND r.event_date = d.activity_date
            ) AS rows_of_rebuilt_keys
            GROUP BY subscriber_id, activity_date
        )

        SELECT COALESCE(d.subscriber_id, x.subscriber_id) AS subscriber_id, COALESCE(d.activity_date, x.activity_date) AS activity_date
        FROM by_day AS d
        FULL OUTER JOIN by_device AS x ON x.subscriber_id = d.subscriber_id AND x.activity_date = d.activity_date
        WHERE d.views IS DISTINCT FROM x.views
            OR d.total_time_spent IS DISTINCT FROM x.total_time_spent
    ) AS failing;
    failed_checks := (SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS WHERE run_id = :run_id AND NOT passed);
    IF (failed_checks > 0) THEN
        RAISE dq_check_failed;
    END IF;

    BEGIN TRANSACTION;
    -- BUILD_STATE after a daily build whose rows passed their checks: how far it read, so the next build starts
-- from here. Written after the checks, not with the rows: a build whose checks failed leaves the state as it
-- was, so the next run of the day rebuilds and checks the same keys again instead of taking them as done.
-- A backfill (:as_of before the last build's day) leaves it as it was too (the procedure's :next_seq and
-- :next_as_of), so the days after it are still brought up to date next time.
DELETE FROM SFE_ANALYTICS_MEDIA.BUILD_STATE
WHERE model_name = 'FCT_ENGAGEMENT_DAILY';

INSERT INTO SFE_ANALYTICS_MEDIA.BUILD_STATE (
    model_name, built_through_seq, as_of_date, full_refresh, run_id, built_at
)
SELECT
    'FCT_ENGAGEMENT_DAILY',
    :next_seq,
    :next_as_of::DATE,
    :full_refresh,
    :run_id,
    CURRENT_TIMESTAMP()::TIMESTAMP_NTZ;

    COMMIT;

    RETURN IFF(rebuild_after = '1900-01-01'::DATE, 'built daily analytics (full refresh)', 'built daily analytics');
END;
$$;
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
    -- FCT_CHURN_TRAINING as of :as_of, rebuilt whole: the labelled weekly snapshots of churn_snapshots.sql
-- (:last_snapshot is the latest weekly date whose 30-day label window has passed).
DELETE FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING;

INSERT INTO SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING (
    subscriber_id, snapshot_date, engagement_score, reads_per_day_30d, engagement_trend, days_since_last_read,
    support_tickets_count, support_tickets_30d, cancellation_tickets_30d, subscription_tenure_days,
    failed_payments_30d, downgrades_90d, days_since_failed_payment, failed_payments_decayed,
    days_since_cancellation_ticket, cancellation_tickets_decayed, plan, acquisition_channel, churned, split, run_id,
    built_at
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
-- split: train / test / purged, 80/20 by date among the labelled snapshots, purged: the test set is the
-- latest k dates, k the count closest to 20 % of the dates that remain once the purged ones are set
-- aside (at least 1); a training snapshot w is kept only when its label window closed by the first test
-- snapshot t (w + 30 <= t), so no cancellation is labelled in both sets. The snapshots between are
-- 'purged' (FLOOR(29 / :snapshot_every_days) of them: 4 on the weekly grid) and used by nothing.
-- NULL for unlabelled rows.
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
            AS downgrades_90d,
        -- recency: an old failed payment weighs less than a fresh one (half-life 10 days, last 90 days)
        MAX(IFF(
            e.event_type = 'payment' AND e.payment_status = 'failed'
            AND e.event_timestamp >= DATEADD(day, -89, s.snapshot_date),
            e.event_timestamp::DATE,
            NULL
        )) AS last_failed_payment_date,
        -- rounded: a sum of floats depends on the order rows arrive in; 6 decimals do not
        ROUND(SUM(IFF(
            e.event_type = 'payment' AND e.payment_status = 'failed'
            AND e.event_timestamp >= DATEADD(day, -89, s.snapshot_date),
            POWER(0.5, DATEDIFF(day, e.event_timestamp::DATE, s.snapshot_date) / 10.0),
            0
        )), 6)::FLOAT AS failed_payments_decayed
    FROM snapshots AS s
    INNER JOIN events AS e ON e.event_timestamp < DATEADD(day, 1, s.snapshot_date)
    GROUP BY s.snapshot_date, e.subscriber_id
),

-- reading in the 30 days ending each snapshot (FCT_ENGAGEMENT_DAILY is per subscriber and UTC day): the
-- join reads only the window, so a day's scoring costs the same whatever history the fact table keeps
engagement AS (
    SELECT
        s.snapshot_date,
        f.subscriber_id,
        SUM(f.avg_engagement_score) AS points_30d,
        SUM(f.views) AS reads_30d,
        SUM(IFF(f.activity_date > DATEADD(day, -7, s.snapshot_date), f.views, 0)) AS reads_7d
    FROM snapshots AS s
    INNER JOIN SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY AS f
        ON f.activity_date <= s.snapshot_date
        AND f.activity_date > DATEADD(day, -30, s.snapshot_date)
    GROUP BY s.snapshot_date, f.subscriber_id
),

-- the last day with reads, however long ago: two narrow columns of the whole history
last_read AS (
    SELECT s.snapshot_date, f.subscriber_id, MAX(f.activity_date) AS last_read_date
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
            AS cancellation_tickets_30d,
        MAX(IFF(t.category = 'cancellation', t.created_at::DATE, NULL)) AS last_cancellation_ticket_date,
        ROUND(SUM(IFF(
            t.category = 'cancellation', POWER(0.5, DATEDIFF(day, t.created_at::DATE, s.snapshot_date) / 10.0), 0
        )), 6)::FLOAT AS cancellation_tickets_decayed
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

-- active as DIM_SUBSCRIBERS and the profiles say (subscriber_profiles.sql): not cancelled by the latest lifecycle
-- event, and active when there is none yet (payments before a signup that is late, invalid or missing), so
-- every subscriber served as active is scored
active AS (
    SELECT
        b.snapshot_date,
        b.subscriber_id,
        DATEDIFF(day, b.signup_date, b.snapshot_date) AS tenure_days,
        b.signup_date,
        b.acquisition_channel,
        b.failed_payments_30d,
        b.downgrades_90d,
        b.last_failed_payment_date,
        b.failed_payments_decayed,
        COALESCE(p.plan, 'unknown') AS plan
    FROM subscription AS b
    LEFT JOIN lifecycle AS l ON l.snapshot_date = b.snapshot_date AND l.subscriber_id = b.subscriber_id
    LEFT JOIN latest_plan AS p ON p.snapshot_date = b.snapshot_date AND p.subscriber_id = b.subscriber_id
    WHERE l.event_type IS DISTINCT FROM 'cancel'
),

-- per-day rates divide by the days of the window the subscriber was subscribed (new subscribers)
rates AS (
    SELECT
        a.*,
        -- FLOAT from here on: the same arithmetic on every engine (no decimal scale rules)
        COALESCE(e.points_30d, 0)::FLOAT AS points_30d,
        COALESCE(e.reads_30d, 0)::FLOAT AS reads_30d,
        COALESCE(e.reads_7d, 0)::FLOAT AS reads_7d,
        lr.last_read_date,
        LEAST(30, a.tenure_days + 1) AS days_30,
        LEAST(7, a.tenure_days + 1) AS days_7,
        LEAST(23, GREATEST(a.tenure_days + 1 - 7, 0)) AS days_prev_23,
        COALESCE(t.tickets_90d, 0) AS tickets_90d,
        COALESCE(t.tickets_30d, 0) AS tickets_30d,
        COALESCE(t.cancellation_tickets_30d, 0) AS cancellation_tickets_30d,
        t.last_cancellation_ticket_date,
        COALESCE(t.cancellation_tickets_decayed, 0) AS cancellation_tickets_decayed
    FROM active AS a
    LEFT JOIN engagement AS e ON e.snapshot_date = a.snapshot_date AND e.subscriber_id = a.subscriber_id
    LEFT JOIN last_read AS lr ON lr.snapshot_date = a.snapshot_date AND lr.subscriber_id = a.subscriber_id
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

test_window AS (
    SELECT MIN(snapshot_date) AS test_start
    FROM labelled_dates
    WHERE recency <= GREATEST(1, ROUND(0.2 * (dates - FLOOR(29 / :snapshot_every_days))))
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
        -- 90: none in the last 90 days
        COALESCE(DATEDIFF(day, l.last_failed_payment_date, l.snapshot_date), 90) AS days_since_failed_payment,
        l.failed_payments_decayed,
        COALESCE(DATEDIFF(day, l.last_cancellation_ticket_date, l.snapshot_date), 90)
            AS days_since_cancellation_ticket,
        l.cancellation_tickets_decayed,
        l.plan,
        l.acquisition_channel,
        l.churned,
        CASE
            WHEN l.churned IS NULL THEN NULL
            WHEN l.snapshot_date >= w.test_start THEN 'test'
            WHEN DATEADD(day, 30, l.snapshot_date) <= w.test_start THEN 'train'
            ELSE 'purged'
        END AS split,
        :run_id AS run_id,
        CURRENT_TIMESTAMP()::TIMESTAMP_NTZ AS built_at
    FROM labelled AS l
    CROSS JOIN reading_history AS h
    CROSS JOIN test_window AS w
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
            OR split NOT IN ('train', 'test', 'purged')
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
    SELECT :run_id, :as_of, 'fct_churn_training_purged', 'fct_churn_training', COUNT(*), COUNT(*) = 0, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ
    FROM (
        SELECT t.subscriber_id, t.snapshot_date
        FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING AS t
        CROSS JOIN (
            SELECT MIN(snapshot_date) AS test_start FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING WHERE split = 'test'
        ) AS w
        WHERE t.split = 'train' AND DATEADD(day, 30, t.snapshot_date) > w.test_start
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
            OR days_since_failed_payment NOT BETWEEN 0 AND 90
            OR days_since_cancellation_ticket NOT BETWEEN 0 AND 90
            OR failed_payments_decayed < 0
            OR cancellation_tickets_decayed < 0
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
    failed_payments_30d, downgrades_90d, days_since_failed_payment, failed_payments_decayed,
    days_since_cancellation_ticket, cancellation_tickets_decayed, plan, acquisition_channel, churned, split, run_id,
    built_at
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
-- split: train / test / purged, 80/20 by date among the labelled snapshots, purged: the test set is the
-- latest k dates, k the count closest to 20 % of the dates that remain once the purged ones are set
-- aside (at least 1); a training snapshot w is kept only when its label window closed by the first test
-- snapshot t (w + 30 <= t), so no cancellation is labelled in both sets. The snapshots between are
-- 'purged' (FLOOR(29 / :snapshot_every_days) of them: 4 on the weekly grid) and used by nothing.
-- NULL for unlabelled rows.
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
            AS downgrades_90d,
        -- recency: an old failed payment weighs less than a fresh one (half-life 10 days, last 90 days)
        MAX(IFF(
            e.event_type = 'payment' AND e.payment_status = 'failed'
            AND e.event_timestamp >= DATEADD(day, -89, s.snapshot_date),
            e.event_timestamp::DATE,
            NULL
        )) AS last_failed_payment_date,
        -- rounded: a sum of floats depends on the order rows arrive in; 6 decimals do not
        ROUND(SUM(IFF(
            e.event_type = 'payment' AND e.payment_status = 'failed'
            AND e.event_timestamp >= DATEADD(day, -89, s.snapshot_date),
            POWER(0.5, DATEDIFF(day, e.event_timestamp::DATE, s.snapshot_date) / 10.0),
            0
        )), 6)::FLOAT AS failed_payments_decayed
    FROM snapshots AS s
    INNER JOIN events AS e ON e.event_timestamp < DATEADD(day, 1, s.snapshot_date)
    GROUP BY s.snapshot_date, e.subscriber_id
),

-- reading in the 30 days ending each snapshot (FCT_ENGAGEMENT_DAILY is per subscriber and UTC day): the
-- join reads only the window, so a day's scoring costs the same whatever history the fact table keeps
engagement AS (
    SELECT
        s.snapshot_date,
        f.subscriber_id,
        SUM(f.avg_engagement_score) AS points_30d,
        SUM(f.views) AS reads_30d,
        SUM(IFF(f.activity_date > DATEADD(day, -7, s.snapshot_date), f.views, 0)) AS reads_7d
    FROM snapshots AS s
    INNER JOIN SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY AS f
        ON f.activity_date <= s.snapshot_date
        AND f.activity_date > DATEADD(day, -30, s.snapshot_date)
    GROUP BY s.snapshot_date, f.subscriber_id
),

-- the last day with reads, however long ago: two narrow columns of the whole history
last_read AS (
    SELECT s.snapshot_date, f.subscriber_id, MAX(f.activity_date) AS last_read_date
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
            AS cancellation_tickets_30d,
        MAX(IFF(t.category = 'cancellation', t.created_at::DATE, NULL)) AS last_cancellation_ticket_date,
        ROUND(SUM(IFF(
            t.category = 'cancellation', POWER(0.5, DATEDIFF(day, t.created_at::DATE, s.snapshot_date) / 10.0), 0
        )), 6)::FLOAT AS cancellation_tickets_decayed
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

-- active as DIM_SUBSCRIBERS and the profiles say (subscriber_profiles.sql): not cancelled by the latest lifecycle
-- event, and active when there is none yet (payments before a signup that is late, invalid or missing), so
-- every subscriber served as active is scored
active AS (
    SELECT
        b.snapshot_date,
        b.subscriber_id,
        DATEDIFF(day, b.signup_date, b.snapshot_date) AS tenure_days,
        b.signup_date,
        b.acquisition_channel,
        b.failed_payments_30d,
        b.downgrades_90d,
        b.last_failed_payment_date,
        b.failed_payments_decayed,
        COALESCE(p.plan, 'unknown') AS plan
    FROM subscription AS b
    LEFT JOIN lifecycle AS l ON l.snapshot_date = b.snapshot_date AND l.subscriber_id = b.subscriber_id
    LEFT JOIN latest_plan AS p ON p.snapshot_date = b.snapshot_date AND p.subscriber_id = b.subscriber_id
    WHERE l.event_type IS DISTINCT FROM 'cancel'
),

-- per-day rates divide by the days of the window the subscriber was subscribed (new subscribers)
rates AS (
    SELECT
        a.*,
        -- FLOAT from here on: the same arithmetic on every engine (no decimal scale rules)
        COALESCE(e.points_30d, 0)::FLOAT AS points_30d,
        COALESCE(e.reads_30d, 0)::FLOAT AS reads_30d,
        COALESCE(e.reads_7d, 0)::FLOAT AS reads_7d,
        lr.last_read_date,
        LEAST(30, a.tenure_days + 1) AS days_30,
        LEAST(7, a.tenure_days + 1) AS days_7,
        LEAST(23, GREATEST(a.tenure_days + 1 - 7, 0)) AS days_prev_23,
        COALESCE(t.tickets_90d, 0) AS tickets_90d,
        COALESCE(t.tickets_30d, 0) AS tickets_30d,
        COALESCE(t.cancellation_tickets_30d, 0) AS cancellation_tickets_30d,
        t.last_cancellation_ticket_date,
        COALESCE(t.cancellation_tickets_decayed, 0) AS cancellation_tickets_decayed
    FROM active AS a
    LEFT JOIN engagement AS e ON e.snapshot_date = a.snapshot_date AND e.subscriber_id = a.subscriber_id
    LEFT JOIN last_read AS lr ON lr.snapshot_date = a.snapshot_date AND lr.subscriber_id = a.subscriber_id
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

test_window AS (
    SELECT MIN(snapshot_date) AS test_start
    FROM labelled_dates
    WHERE recency <= GREATEST(1, ROUND(0.2 * (dates - FLOOR(29 / :snapshot_every_days))))
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
        -- 90: none in the last 90 days
        COALESCE(DATEDIFF(day, l.last_failed_payment_date, l.snapshot_date), 90) AS days_since_failed_payment,
        l.failed_payments_decayed,
        COALESCE(DATEDIFF(day, l.last_cancellation_ticket_date, l.snapshot_date), 90)
            AS days_since_cancellation_ticket,
        l.cancellation_tickets_decayed,
        l.plan,
        l.acquisition_channel,
        l.churned,
        CASE
            WHEN l.churned IS NULL THEN NULL
            WHEN l.snapshot_date >= w.test_start THEN 'test'
            WHEN DATEADD(day, 30, l.snapshot_date) <= w.test_start THEN 'train'
            ELSE 'purged'
        END AS split,
        :run_id AS run_id,
        CURRENT_TIMESTAMP()::TIMESTAMP_NTZ AS built_at
    FROM labelled AS l
    CROSS JOIN reading_history AS h
    CROSS JOIN test_window AS w
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
                OR days_since_failed_payment NOT BETWEEN 0 AND 90
                OR days_since_cancellation_ticket NOT BETWEEN 0 AND 90
                OR failed_payments_decayed < 0
                OR cancellation_tickets_decayed < 0
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
    max_calibration_error FLOAT DEFAULT 0.02;
    bootstrap INTEGER DEFAULT 200.0;
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

    -- the training population's bins, which scoring's drift (PSI) compares each day with
    DELETE FROM SFE_ANALYTICS_MEDIA.CHURN_FEATURE_REFERENCE WHERE model_version = :model_version;
    -- CHURN_FEATURE_REFERENCE of :model_version: the train split's bins and shares per feature, as
-- c360/model/monitor.py's reference_bins (deciles by linear interpolation, ties merged; categories).
INSERT INTO SFE_ANALYTICS_MEDIA.CHURN_FEATURE_REFERENCE (model_version, feature, bin, upper_edge, category, share)
WITH population AS (
    SELECT * FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING WHERE split = 'train'
),

-- Included by churn_feature_reference.sql and scoring_drift.sql (a CTE, not a statement): the numeric model
-- features of the rows of the CTE `population`, one row per (row, feature), the feature named in lower case.
numeric_values AS (
    SELECT LOWER(feature) AS feature, value
    FROM (
        SELECT
            engagement_score::FLOAT AS engagement_score, reads_per_day_30d::FLOAT AS reads_per_day_30d,
            engagement_trend::FLOAT AS engagement_trend, days_since_last_read::FLOAT AS days_since_last_read,
            support_tickets_count::FLOAT AS support_tickets_count, support_tickets_30d::FLOAT AS support_tickets_30d,
            cancellation_tickets_30d::FLOAT AS cancellation_tickets_30d,
            subscription_tenure_days::FLOAT AS subscription_tenure_days,
            failed_payments_30d::FLOAT AS failed_payments_30d, downgrades_90d::FLOAT AS downgrades_90d,
            days_since_failed_payment::FLOAT AS days_since_failed_payment,
            failed_payments_decayed::FLOAT AS failed_payments_decayed,
            days_since_cancellation_ticket::FLOAT AS days_since_cancellation_ticket,
            cancellation_tickets_decayed::FLOAT AS cancellation_tickets_decayed
        FROM population
    ) UNPIVOT (value FOR feature IN (
        engagement_score, reads_per_day_30d, engagement_trend, days_since_last_read, support_tickets_count,
        support_tickets_30d, cancellation_tickets_30d, subscription_tenure_days, failed_payments_30d,
        downgrades_90d, days_since_failed_payment, failed_payments_decayed, days_since_cancellation_ticket,
        cancellation_tickets_decayed
    ))
),


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
    -- FCT_SCORING_MONITOR's PSI rows of the score date :as_of on Snowflake: each feature of the day's scoring
-- population against the training population of :model_version (CHURN_FEATURE_REFERENCE), as
-- c360/model/monitor.py's drift: PSI = sum((a - e) * ln(a / e)) over the bins, shares floored at 0.0001, a
-- categorical feature's categories unseen in training in a bin of their own (expected share 0).
INSERT INTO SFE_ANALYTICS_MEDIA.FCT_SCORING_MONITOR (run_id, score_date, model_version, metric, name, value, recorded_at)
WITH population AS (
    SELECT * FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_SCORING_FEATURES WHERE snapshot_date = :as_of::DATE
),

-- Included by churn_feature_reference.sql and scoring_drift.sql (a CTE, not a statement): the numeric model
-- features of the rows of the CTE `population`, one row per (row, feature), the feature named in lower case.
numeric_values AS (
    SELECT LOWER(feature) AS feature, value
    FROM (
        SELECT
            engagement_score::FLOAT AS engagement_score, reads_per_day_30d::FLOAT AS reads_per_day_30d,
            engagement_trend::FLOAT AS engagement_trend, days_since_last_read::FLOAT AS days_since_last_read,
            support_tickets_count::FLOAT AS support_tickets_count, support_tickets_30d::FLOAT AS support_tickets_30d,
            cancellation_tickets_30d::FLOAT AS cancellation_tickets_30d,
            subscription_tenure_days::FLOAT AS subscription_tenure_days,
            failed_payments_30d::FLOAT AS failed_payments_30d, downgrades_90d::FLOAT AS downgrades_90d,
            days_since_failed_payment::FLOAT AS days_since_failed_payment,
            failed_payments_decayed::FLOAT AS failed_payments_decayed,
            days_since_cancellation_ticket::FLOAT AS days_since_cancellation_ticket,
            cancellation_tickets_decayed::FLOAT AS cancellation_tickets_decayed
        FROM population
    ) UNPIVOT (value FOR feature IN (
        engagement_score, reads_per_day_30d, engagement_trend, days_since_last_read, support_tickets_count,
        support_tickets_30d, cancellation_tickets_30d, subscription_tenure_days, failed_payments_30d,
        downgrades_90d, days_since_failed_payment, failed_payments_decayed, days_since_cancellation_ticket,
        cancellation_tickets_decayed
    ))
),


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

    COMMIT;

    scored := (SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.FCT_CUSTOMER_HEALTH_SCORES WHERE score_date = :AS_OF);
    RETURN 'scored ' || scored::VARCHAR || ' subscribers as of ' || AS_OF::VARCHAR || ' with ' || model_version;
END;
$$;

-- R__tasks.sql (checksum b586e693457c, target snowflake)
ALTER TASK IF EXISTS SFE_STG_MEDIA.sfe_process_subscribers_task SUSPEND;
ALTER TASK IF EXISTS SFE_STG_MEDIA.sfe_process_engagement_task SUSPEND;
ALTER TASK IF EXISTS SFE_ANALYTICS_MEDIA.sfe_daily_build_task SUSPEND;
ALTER TASK IF EXISTS SFE_ANALYTICS_MEDIA.sfe_daily_churn_scoring_task SUSPEND;
ALTER TASK IF EXISTS SFE_ANALYTICS_MEDIA.sfe_weekly_training_task SUSPEND;
ALTER TASK IF EXISTS SFE_ANALYTICS_MEDIA.sfe_daily_model_monitor_task SUSPEND;
CREATE OR REPLACE TASK SFE_STG_MEDIA.sfe_process_subscribers_task
    WAREHOUSE = SFE_C360_WH
    SCHEDULE = '1 MINUTE'
    TIMEZONE = 'UTC'
    WHEN SYSTEM$STREAM_HAS_DATA('SFE_RAW_MEDIA.sfe_subscriber_events_stream')
AS
    CALL SFE_STG_MEDIA.SFE_PROCESS_SUBSCRIBERS();
CREATE OR REPLACE TASK SFE_STG_MEDIA.sfe_process_engagement_task
    WAREHOUSE = SFE_C360_WH
    SCHEDULE = '1 MINUTE'
    TIMEZONE = 'UTC'
    WHEN SYSTEM$STREAM_HAS_DATA('SFE_RAW_MEDIA.sfe_content_stream')
AS
    CALL SFE_STG_MEDIA.SFE_PROCESS_ENGAGEMENT();
CREATE OR REPLACE TASK SFE_ANALYTICS_MEDIA.sfe_daily_build_task
    WAREHOUSE = SFE_C360_WH
    SCHEDULE = 'USING CRON 0 3 * * * UTC'
    TIMEZONE = 'UTC'
AS
    CALL SFE_ANALYTICS_MEDIA.SFE_BUILD_DAILY(DATEADD(day, -1, CURRENT_DATE()), UUID_STRING());
CREATE OR REPLACE TASK SFE_ANALYTICS_MEDIA.sfe_daily_churn_scoring_task
    WAREHOUSE = SFE_C360_WH
    TIMEZONE = 'UTC'
    AFTER SFE_ANALYTICS_MEDIA.sfe_daily_build_task
AS
    CALL SFE_ANALYTICS_MEDIA.SFE_SCORE_CHURN(
        DATEADD(day, -1, CURRENT_DATE()), UUID_STRING(), 0.3, 0.1
    );
CREATE OR REPLACE TASK SFE_ANALYTICS_MEDIA.sfe_daily_model_monitor_task
    WAREHOUSE = SFE_C360_WH
    TIMEZONE = 'UTC'
    AFTER SFE_ANALYTICS_MEDIA.sfe_daily_churn_scoring_task
AS
    CALL SFE_ANALYTICS_MEDIA.SFE_MONITOR_MODEL(
        DATEADD(day, -1, CURRENT_DATE()), UUID_STRING(), 0.25, 0.8
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
ALTER TASK SFE_ANALYTICS_MEDIA.sfe_daily_model_monitor_task RESUME;
ALTER TASK SFE_ANALYTICS_MEDIA.sfe_daily_churn_scoring_task RESUME;
ALTER TASK SFE_STG_MEDIA.sfe_process_subscribers_task RESUME;
ALTER TASK SFE_STG_MEDIA.sfe_process_engagement_task RESUME;
ALTER TASK SFE_ANALYTICS_MEDIA.sfe_daily_build_task RESUME;

-- R__views.sql (checksum 48f17f264bd0, target snowflake)
CREATE OR REPLACE VIEW SFE_ANALYTICS_MEDIA.V_SUBSCRIBER_360 AS
WITH engagement_30d AS (
    SELECT
        f.subscriber_id,
        SUM(f.articles_viewed) AS articles_viewed_30d,
        SUM(f.total_time_spent) AS total_time_spent_30d,
        MAX(f.activity_date) AS last_read_date
    FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY AS f
    INNER JOIN SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS AS d ON d.subscriber_id = f.subscriber_id
    WHERE f.activity_date > DATEADD(day, -30, d.as_of_date) AND f.activity_date <= d.as_of_date
    GROUP BY f.subscriber_id
),

latest_score AS (
    SELECT subscriber_id, score_date, churn_risk_score, risk_tier, model_version
    FROM SFE_ANALYTICS_MEDIA.FCT_CUSTOMER_HEALTH_SCORES
    QUALIFY ROW_NUMBER() OVER (PARTITION BY subscriber_id ORDER BY score_date DESC, scored_at DESC) = 1
)

SELECT
    d.*,
    COALESCE(e.articles_viewed_30d, 0) AS articles_viewed_30d,
    COALESCE(e.total_time_spent_30d, 0) AS total_time_spent_30d,
    e.last_read_date,
    s.score_date,
    s.churn_risk_score,
    s.risk_tier,
    s.model_version
FROM SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS AS d
LEFT JOIN engagement_30d AS e ON e.subscriber_id = d.subscriber_id
LEFT JOIN latest_score AS s ON s.subscriber_id = d.subscriber_id;
CREATE OR REPLACE VIEW SFE_ANALYTICS_MEDIA.V_CHURN_RISK_LEADERBOARD AS
SELECT
    h.score_date,
    h.subscriber_id,
    h.churn_risk_score,
    h.risk_tier,
    d.plan,
    d.tenure_days,
    d.lifetime_value,
    d.demographic_segment,
    RANK() OVER (ORDER BY h.churn_risk_score DESC) AS risk_rank
FROM SFE_ANALYTICS_MEDIA.FCT_CUSTOMER_HEALTH_SCORES AS h
LEFT JOIN SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS AS d ON d.subscriber_id = h.subscriber_id
WHERE h.score_date = (SELECT MAX(score_date) FROM SFE_ANALYTICS_MEDIA.FCT_CUSTOMER_HEALTH_SCORES);
CREATE OR REPLACE VIEW SFE_ANALYTICS_MEDIA.V_ENGAGEMENT_WEEKLY AS
SELECT
    DATE_TRUNC('week', activity_date)::DATE AS week_start,  -- a DATE on Snowflake; DuckDB's is a TIMESTAMP
    COUNT(DISTINCT subscriber_id) AS active_readers,
    SUM(views) AS views,
    SUM(total_time_spent) AS total_time_spent,
    ROUND(AVG(avg_engagement_score), 2) AS avg_engagement_score
FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY
GROUP BY DATE_TRUNC('week', activity_date);
CREATE OR REPLACE VIEW SFE_ANALYTICS_MEDIA.V_SIGNUP_COHORTS AS
SELECT
    DATE_TRUNC('month', signup_date)::DATE AS cohort_month,
    COUNT(*) AS subscribers,
    COUNT_IF(status = 'active') AS active,
    COUNT_IF(status = 'cancelled') AS cancelled,
    ROUND(COUNT_IF(status = 'active') / COUNT(*), 4) AS retention_rate,
    ROUND(AVG(lifetime_value), 2) AS avg_lifetime_value
FROM SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS
GROUP BY DATE_TRUNC('month', signup_date);
CREATE OR REPLACE VIEW SFE_ANALYTICS_MEDIA.V_DATA_QUALITY AS
SELECT *
FROM SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS
QUALIFY ROW_NUMBER() OVER (PARTITION BY check_name ORDER BY checked_at DESC) = 1;
CREATE OR REPLACE VIEW SFE_ANALYTICS_MEDIA.V_CHURN_TRAINING_TRAIN AS
SELECT
    engagement_score, reads_per_day_30d, engagement_trend, days_since_last_read, support_tickets_count,
    support_tickets_30d, cancellation_tickets_30d, subscription_tenure_days, failed_payments_30d, downgrades_90d,
    days_since_failed_payment, failed_payments_decayed, days_since_cancellation_ticket, cancellation_tickets_decayed,
    plan, acquisition_channel, churned
FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING
WHERE split = 'train';
CREATE OR REPLACE VIEW SFE_ANALYTICS_MEDIA.V_CHURN_TRAINING_TEST AS
SELECT
    engagement_score, reads_per_day_30d, engagement_trend, days_since_last_read, support_tickets_count,
    support_tickets_30d, cancellation_tickets_30d, subscription_tenure_days, failed_payments_30d, downgrades_90d,
    days_since_failed_payment, failed_payments_decayed, days_since_cancellation_ticket, cancellation_tickets_decayed,
    plan, acquisition_channel, churned
FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING
WHERE split = 'test';
CREATE OR REPLACE VIEW SFE_ANALYTICS_MEDIA.V_CHURN_MODEL_CURRENT AS
SELECT *
FROM SFE_ANALYTICS_MEDIA.CHURN_MODEL_REGISTRY
WHERE status = 'current';
