-- Raw layer (SFE_RAW_MEDIA): what the three sources sent, as they sent it.
-- Snowpipe Streaming / COPY INTO targets on Snowflake; `c360 ingest` and the events API on DuckDB.
-- Every raw table carries load_seq, increasing with each load: the offset the DuckDB stream emulation reads.

CREATE SCHEMA IF NOT EXISTS SFE_RAW_MEDIA;

-- load_seq for loaders that do not number rows themselves: a COPY INTO / Snowpipe transformation selects
-- SFE_RAW_MEDIA.RAW_LOAD_SEQ.NEXTVAL (docs/snowflake.md). `c360 ingest` numbers each file's rows above the
-- table's current maximum, which the DuckDB stream emulation relies on.
CREATE SEQUENCE IF NOT EXISTS SFE_RAW_MEDIA.RAW_LOAD_SEQ;

-- Subscription system events (JSON): schema-on-read, the whole event kept as a VARIANT.
CREATE TABLE IF NOT EXISTS SFE_RAW_MEDIA.RAW_SUBSCRIBER_EVENTS (
    load_seq        NUMBER(38, 0) NOT NULL,
    load_id         VARCHAR NOT NULL,
    source_file     VARCHAR NOT NULL,
    source_row      NUMBER(38, 0) NOT NULL,
    loaded_at       TIMESTAMP_NTZ NOT NULL,
    payload         VARIANT NOT NULL
);

-- Content platform views (CSV): every column as the text the file held; columns the file had
-- beyond these are kept in extra_fields.
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

-- Support system tickets (Parquet, daily batch): validated on load, bad rows go to RAW_LOAD_ERRORS.
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

-- The reject table (COPY INTO … ON_ERROR = CONTINUE): one row per record that was not loaded.
CREATE TABLE IF NOT EXISTS SFE_RAW_MEDIA.RAW_LOAD_ERRORS (
    load_id         VARCHAR NOT NULL,
    source          VARCHAR NOT NULL,
    source_file     VARCHAR NOT NULL,
    source_row      NUMBER(38, 0),
    raw_text        VARCHAR,
    reason          VARCHAR NOT NULL,
    rejected_at     TIMESTAMP_NTZ NOT NULL
);

-- One row per loaded file or API batch: rows_read = rows_loaded + rows_rejected, always.
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
