-- Human views and time per subscriber, day and device type: what the dashboard's engagement by device
-- (models/serving/analytics_devices.sql) groups, about half as many rows as the views themselves, so a
-- publish no longer regroups 26 weeks of staged views. Built by the daily build with FCT_ENGAGEMENT_DAILY,
-- in its transaction and under its BUILD_STATE row (models/marts/fct_engagement_device_daily.sql).
CREATE TABLE IF NOT EXISTS SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DEVICE_DAILY (
    subscriber_id            VARCHAR NOT NULL,
    activity_date            DATE NOT NULL,
    device_type              VARCHAR,                 -- as staged; NULL when the view had none
    views                    NUMBER(38, 0) NOT NULL,
    total_time_spent         NUMBER(38, 0) NOT NULL,  -- seconds
    built_at                 TIMESTAMP_NTZ NOT NULL
);

-- A warehouse built before this table: fill it for the days FCT_ENGAGEMENT_DAILY already holds, so the next
-- incremental build finds it as complete as the fact it sits beside (a warehouse never built has no
-- BUILD_STATE row and gets nothing here: its first build is a full one). Rows staged after that build
-- are late rows to it as they are to FCT_ENGAGEMENT_DAILY, and the next build recomputes their keys from
-- every staged row, so including them here changes nothing.
INSERT INTO SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DEVICE_DAILY (
    subscriber_id, activity_date, device_type, views, total_time_spent, built_at
)
SELECT
    v.subscriber_id,
    v.event_date,
    v.device_type,
    COUNT(*),
    SUM(v.time_spent_seconds),
    CURRENT_TIMESTAMP()::TIMESTAMP_NTZ
FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT AS v
WHERE v.event_date <= (
    SELECT MAX(as_of_date) FROM SFE_ANALYTICS_MEDIA.BUILD_STATE WHERE model_name = 'FCT_ENGAGEMENT_DAILY'
)
GROUP BY v.subscriber_id, v.event_date, v.device_type;
