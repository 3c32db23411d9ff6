-- The daily build's incremental state (docs/pipeline.md#the-incremental-daily-build): how far each
-- incremental model has read staging. One row per model, replaced in the same transaction as the
-- model's own write, so the two never disagree; no row (or a --full-refresh) means "rebuild whole".
CREATE TABLE IF NOT EXISTS SFE_ANALYTICS_MEDIA.BUILD_STATE (
    model_name           VARCHAR NOT NULL,        -- e.g. FCT_ENGAGEMENT_DAILY
    built_through_seq    NUMBER(38, 0) NOT NULL,  -- every staging row with source_load_seq <= this is in the model
    as_of_date           DATE NOT NULL,           -- the model holds every day up to this one
    full_refresh         BOOLEAN NOT NULL,        -- whether the build that wrote this row rebuilt everything
    run_id               VARCHAR NOT NULL,
    built_at             TIMESTAMP_NTZ NOT NULL
);
