-- Snowflake's native loaders (issue 15): a stage, file formats, COPY INTO with ON_ERROR = CONTINUE, a Snowpipe
-- for the content batches and tasks for the scheduled loads, writing the same raw tables as `c360 ingest`.
--
-- load_seq: Snowflake cannot add a default to an existing column (ALTER COLUMN … SET DEFAULT seq.NEXTVAL only
-- changes the sequence of a column that has one), so COPY and Snowpipe write a LANDED table per source whose
-- load_seq defaults to SFE_RAW_MEDIA.RAW_LOAD_SEQ, and a procedure moves landed rows into the raw table in one
-- transaction, numbered after the raw table's maximum in landing order (the rule `c360 ingest` follows), with a
-- RAW_LOAD_HISTORY row per file and its rejects in RAW_LOAD_ERRORS from COPY_HISTORY.
-- On DuckDB the landing-folder loader of `c360 worker` (c360/ops/landing.py) does all of this from the landing
-- folders; only the LANDED tables are created there too (unused, the same DDL on both targets).

{% set landed = {
    "subscription_events": ("RAW_LANDED_SUBSCRIBER_EVENTS", "RAW_SUBSCRIBER_EVENTS", "SFE_EVENTS_JSON",
        ["payload"], ["$1"]),
    "content_engagement": ("RAW_LANDED_CONTENT_ENGAGEMENT", "RAW_CONTENT_ENGAGEMENT", "SFE_CONTENT_CSV",
        ["event_id", "subscriber_id", "article_id", "event_timestamp", "time_spent_seconds", "device_type",
         "user_agent", "referrer", "article_metadata"], ["$1", "$2", "$3", "$4", "$5", "$6", "$7", "$8", "$9"]),
    "support_tickets": ("RAW_LANDED_SUPPORT_INTERACTIONS", "RAW_SUPPORT_INTERACTIONS", "SFE_TICKETS_PARQUET",
        ["ticket_id", "subscriber_id", "created_at", "resolved_at", "channel", "category", "priority",
         "satisfaction_score", "status"],
        ["$1:ticket_id::VARCHAR", "$1:subscriber_id::VARCHAR", "$1:created_at::TIMESTAMP_NTZ",
         "$1:resolved_at::TIMESTAMP_NTZ", "$1:channel::VARCHAR", "$1:category::VARCHAR", "$1:priority::VARCHAR",
         "$1:satisfaction_score::NUMBER(38, 0)", "$1:status::VARCHAR"]),
} %}

{% macro copy_into(source) -%}
{%- set (table, raw, format, columns, values) = landed[source] -%}
COPY INTO SFE_RAW_MEDIA.{{ table }} (source_file, source_row, loaded_at, {{ columns | join(", ") }})
    FROM (SELECT METADATA$FILENAME, METADATA$FILE_ROW_NUMBER, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ, {{ values | join(", ") }}
          FROM @SFE_RAW_MEDIA.SFE_LANDING_STAGE/{{ source }}/)
    FILE_FORMAT = (FORMAT_NAME = 'SFE_RAW_MEDIA.{{ format }}') ON_ERROR = CONTINUE
{%- endmacro %}

-- What COPY and Snowpipe write: the file's columns as the raw table has them, the load's metadata, and
-- load_seq from the sequence (the column default COPY fills when its column list leaves load_seq out).
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

-- c360:snowflake-only DuckDB has no file formats: c360/sources/readers.py parses the three formats
CREATE FILE FORMAT IF NOT EXISTS SFE_RAW_MEDIA.SFE_EVENTS_JSON TYPE = JSON STRIP_OUTER_ARRAY = FALSE;

-- c360:snowflake-only DuckDB has no file formats: c360/sources/readers.py parses the three formats
CREATE FILE FORMAT IF NOT EXISTS SFE_RAW_MEDIA.SFE_CONTENT_CSV TYPE = CSV SKIP_HEADER = 1
    FIELD_OPTIONALLY_ENCLOSED_BY = '"' ERROR_ON_COLUMN_COUNT_MISMATCH = TRUE;

-- c360:snowflake-only DuckDB has no file formats: c360/sources/readers.py parses the three formats
CREATE FILE FORMAT IF NOT EXISTS SFE_RAW_MEDIA.SFE_TICKETS_PARQUET TYPE = PARQUET;

-- The landing stage, internal (PUT files into it, or replace it by an external stage over the bucket the sources
-- write to: docs/snowflake.md). Files go under subscription_events/, content_engagement/ and support_tickets/, as
-- in the landing folders.
-- c360:snowflake-only DuckDB has no stages: the landing folders under C360_LANDING_DIR play the part
CREATE STAGE IF NOT EXISTS SFE_RAW_MEDIA.SFE_LANDING_STAGE
    DIRECTORY = (ENABLE = TRUE) COMMENT = 'c360 landing: subscription_events/, content_engagement/, support_tickets/';

-- Content batches, every minute: Snowpipe loads each file as its event notification arrives.
-- c360:snowflake-only DuckDB has no pipes: c360 worker's landing job loads content batches every minute
CREATE PIPE IF NOT EXISTS SFE_RAW_MEDIA.SFE_CONTENT_PIPE AUTO_INGEST = TRUE AS
{{ copy_into("content_engagement") }};


{% set required = {"subscription_events": ["payload"], "content_engagement": [],
                    "support_tickets": ["ticket_id", "subscriber_id", "created_at"]} %}
{% for source, (table, raw, format, columns, values) in landed.items() %}
{% set missing = (" WHERE " ~ (required[source] | join(" IS NOT NULL AND ")) ~ " IS NOT NULL") if required[source] else "" %}
-- {{ source }}: {% if source != "content_engagement" %}COPY the stage's new files (COPY's load metadata skips files loaded
-- before), {% endif %}then move the landed rows into {{ raw }} with their history and rejects.
-- A file's rejects come from COPY_HISTORY (VALIDATE does not take a COPY that transforms its columns): the
-- count and the first error of each file, one RAW_LOAD_ERRORS row per file with errors.
-- c360:snowflake-only DuckDB has no COPY from a stage: c360/ops/landing.py loads the folder on the same schedule
CREATE OR REPLACE PROCEDURE SFE_RAW_MEDIA.SFE_LOAD_{{ source | upper }}()
RETURNS VARCHAR
LANGUAGE SQL
AS
$$
DECLARE
    moved INTEGER DEFAULT 0;
BEGIN
    {% if source != "content_engagement" -%}
    {{ copy_into(source) | indent(4) }};
    {% endif -%}
    BEGIN TRANSACTION;
    INSERT INTO SFE_RAW_MEDIA.RAW_LOAD_HISTORY (load_id, source, source_file, file_checksum, file_bytes, rows_read,
        rows_loaded, rows_rejected, first_load_seq, last_load_seq, status, started_at, finished_at)
    SELECT h.file_name || '@' || TO_VARCHAR(h.last_load_time), '{{ source }}', h.file_name, '', h.file_size,
        h.row_parsed, h.row_count, h.error_count, NULL, NULL, 'loaded', h.last_load_time::TIMESTAMP_NTZ,
        h.last_load_time::TIMESTAMP_NTZ
    FROM TABLE(INFORMATION_SCHEMA.COPY_HISTORY(TABLE_NAME => 'SFE_RAW_MEDIA.{{ table }}',
        START_TIME => DATEADD(DAY, -2, CURRENT_TIMESTAMP()))) AS h
    WHERE h.file_name IN (SELECT DISTINCT source_file FROM SFE_RAW_MEDIA.{{ table }});
    INSERT INTO SFE_RAW_MEDIA.RAW_LOAD_ERRORS (load_id, source, source_file, source_row, raw_text, reason, rejected_at)
    SELECT h.file_name || '@' || TO_VARCHAR(h.last_load_time), '{{ source }}', h.file_name, h.first_error_line_number,
        NULL, h.error_count || ' rejected; first: ' || h.first_error_message, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ
    FROM TABLE(INFORMATION_SCHEMA.COPY_HISTORY(TABLE_NAME => 'SFE_RAW_MEDIA.{{ table }}',
        START_TIME => DATEADD(DAY, -2, CURRENT_TIMESTAMP()))) AS h
    WHERE h.error_count > 0 AND h.file_name IN (SELECT DISTINCT source_file FROM SFE_RAW_MEDIA.{{ table }});
    INSERT INTO SFE_RAW_MEDIA.{{ raw }} (load_seq, load_id, source_file, source_row, loaded_at, {{ columns | join(", ") }})
    SELECT (SELECT COALESCE(MAX(load_seq), 0) FROM SFE_RAW_MEDIA.{{ raw }}) + ROW_NUMBER() OVER (ORDER BY l.load_seq),
        l.source_file || '@' || TO_VARCHAR(l.loaded_at), l.source_file, l.source_row, l.loaded_at,
        l.{{ columns | join(", l.") }}
    FROM SFE_RAW_MEDIA.{{ table }} AS l{{ missing }};
    {% if required[source] -%}
    INSERT INTO SFE_RAW_MEDIA.RAW_LOAD_ERRORS (load_id, source, source_file, source_row, raw_text, reason, rejected_at)
    SELECT l.source_file || '@' || TO_VARCHAR(l.loaded_at), '{{ source }}', l.source_file, l.source_row, NULL,
        'missing {{ required[source] | join(" or ") }}', CURRENT_TIMESTAMP()::TIMESTAMP_NTZ
    FROM SFE_RAW_MEDIA.{{ table }} AS l
    WHERE l.{{ required[source] | join(" IS NULL OR l.") }} IS NULL;
    {% endif -%}
    moved := (SELECT COUNT(*) FROM SFE_RAW_MEDIA.{{ table }}{{ missing }});
    DELETE FROM SFE_RAW_MEDIA.{{ table }};
    COMMIT;
    RETURN 'moved ' || moved || ' {{ source }} rows';
END;
$$;
{% endfor %}

-- The schedules: subscription event files every minute (they arrive any time), the tickets at 02:30 UTC (the
-- support system's 2 AM export, as the seed's COPY INTO), the content pipe's landed rows every minute.
-- c360:snowflake-only on DuckDB `c360 worker`'s landing job runs these schedules (C360_LANDING_* settings)
CREATE OR REPLACE TASK SFE_RAW_MEDIA.sfe_load_subscription_events_task
    WAREHOUSE = {{ task_warehouse }}
    SCHEDULE = '1 MINUTE'
AS CALL SFE_RAW_MEDIA.SFE_LOAD_SUBSCRIPTION_EVENTS();

-- c360:snowflake-only on DuckDB `c360 worker`'s landing job runs these schedules (C360_LANDING_* settings)
CREATE OR REPLACE TASK SFE_RAW_MEDIA.sfe_load_content_engagement_task
    WAREHOUSE = {{ task_warehouse }}
    SCHEDULE = '1 MINUTE'
AS CALL SFE_RAW_MEDIA.SFE_LOAD_CONTENT_ENGAGEMENT();

-- c360:snowflake-only on DuckDB `c360 worker`'s landing job runs these schedules (C360_LANDING_* settings)
CREATE OR REPLACE TASK SFE_RAW_MEDIA.sfe_load_support_tickets_task
    WAREHOUSE = {{ task_warehouse }}
    SCHEDULE = 'USING CRON 30 2 * * * UTC'
AS CALL SFE_RAW_MEDIA.SFE_LOAD_SUPPORT_TICKETS();

-- c360:snowflake-only on DuckDB `c360 worker`'s landing job runs these schedules (C360_LANDING_* settings)
ALTER TASK SFE_RAW_MEDIA.sfe_load_subscription_events_task RESUME;

-- c360:snowflake-only on DuckDB `c360 worker`'s landing job runs these schedules (C360_LANDING_* settings)
ALTER TASK SFE_RAW_MEDIA.sfe_load_content_engagement_task RESUME;

-- c360:snowflake-only on DuckDB `c360 worker`'s landing job runs these schedules (C360_LANDING_* settings)
ALTER TASK SFE_RAW_MEDIA.sfe_load_support_tickets_task RESUME;
