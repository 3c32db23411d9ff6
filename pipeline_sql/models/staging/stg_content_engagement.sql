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
