-- FCT_ENGAGEMENT_DEVICE_DAILY up to :as_of: human views and time per subscriber, day and device type, which
-- the dashboard's engagement by device (models/serving/analytics_devices.sql) groups into days and weeks.
-- Built in FCT_ENGAGEMENT_DAILY's transaction with its binds, so the same (subscriber, day) keys are
-- rebuilt (fct_engagement_daily.sql says which): every day after :rebuild_after up to :as_of, and the
-- keys of rows staged since the last build for days it had already built, each from all its staged rows.
{% from "models/marts/rebuilt_keys.sql" import delete_rebuilt, late_keys -%}
{{ delete_rebuilt("SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DEVICE_DAILY") }}

INSERT INTO SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DEVICE_DAILY (
    subscriber_id, activity_date, device_type, views, total_time_spent, built_at
)
WITH late_keys AS (
    {{ late_keys() }}
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
