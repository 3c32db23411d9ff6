-- Operations views: what the scheduled loads did.

-- Orphaned records (the seed: "referential integrity: orphaned records logged but processed"): content
-- views and support tickets of subscribers that no subscription event has introduced (not in
-- STG_UNIFIED_CUSTOMER), per load. They are loaded and staged all the same; this only counts them.
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
