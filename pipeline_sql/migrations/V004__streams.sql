-- Change data capture on the raw tables the 1-minute tasks consume (append-only: raw is never updated).
CREATE STREAM IF NOT EXISTS SFE_RAW_MEDIA.sfe_subscriber_events_stream
    ON TABLE SFE_RAW_MEDIA.RAW_SUBSCRIBER_EVENTS
    APPEND_ONLY = TRUE;

CREATE STREAM IF NOT EXISTS SFE_RAW_MEDIA.sfe_content_stream
    ON TABLE SFE_RAW_MEDIA.RAW_CONTENT_ENGAGEMENT
    APPEND_ONLY = TRUE;
