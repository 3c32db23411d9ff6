-- Staging layer (SFE_STG_MEDIA): typed, cleaned, deduplicated; filled by the 1-minute stream tasks.

CREATE SCHEMA IF NOT EXISTS SFE_STG_MEDIA;

-- One row per subscription event (latest wins by event_timestamp). Invalid events are kept with
-- is_valid = FALSE and the reason, and are not propagated further.
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

-- One row per subscriber: the current, deduplicated identity and lifecycle state.
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

-- One row per human article view (bot traffic and unusable rows filtered out).
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
