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
