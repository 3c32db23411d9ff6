-- Tests of FCT_ENGAGEMENT_DAILY: each query returns the failing rows.
--
-- Only the rows this build wrote are checked (the binds of fct_engagement_daily.sql): every day after
-- :rebuild_after, all of them for a full refresh, and the (subscriber, day) keys of rows staged since the
-- last build. The rows it kept passed these checks when they were written, so a day's checks cost what
-- the day changed, not what the history holds.

-- check: fct_engagement_daily_grain_unique
SELECT f.subscriber_id, f.activity_date
FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY AS f
WHERE f.activity_date > :rebuild_after::DATE
    OR EXISTS (
        SELECT 1
        FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT AS v
        WHERE v.source_load_seq > :built_seq
            AND v.event_date <= :rebuild_after::DATE
            AND v.subscriber_id = f.subscriber_id
            AND v.event_date = f.activity_date
    )
GROUP BY f.subscriber_id, f.activity_date
HAVING COUNT(*) > 1;

-- check: fct_engagement_daily_value_ranges
SELECT f.subscriber_id, f.activity_date
FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY AS f
WHERE (
    f.views < 1
    OR f.articles_viewed > f.views
    OR f.distinct_sections > f.articles_viewed
    OR f.total_time_spent < 0
    OR f.avg_engagement_score NOT BETWEEN 0 AND 100
)
AND (
    f.activity_date > :rebuild_after::DATE
    OR EXISTS (
        SELECT 1
        FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT AS v
        WHERE v.source_load_seq > :built_seq
            AND v.event_date <= :rebuild_after::DATE
            AND v.subscriber_id = f.subscriber_id
            AND v.event_date = f.activity_date
    )
);

-- check: fct_engagement_daily_no_future_days
SELECT activity_date
FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY
WHERE activity_date > :rebuild_after::DATE
    AND activity_date > DATEADD(day, 1, CURRENT_DATE());
