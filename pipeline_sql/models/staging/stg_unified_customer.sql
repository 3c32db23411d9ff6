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

    {% include "models/staging/latest_subscriber_state.sql" %}
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
