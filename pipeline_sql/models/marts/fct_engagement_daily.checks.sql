{% from "models/marts/rebuilt_keys.sql" import late_keys -%}
-- Tests of FCT_ENGAGEMENT_DAILY: each query returns the failing rows.
--
-- Only the rows this build wrote are checked (the binds of fct_engagement_daily.sql): every day after
-- :rebuild_after, all of them for a full refresh, and the (subscriber, day) keys of rows staged since the
-- last build. The rows it kept passed these checks when they were written, so a day's checks cost what
-- the day changed, not what the history holds: the late keys are joined (as in the device table's checks),
-- not tested per fact row with an EXISTS, which read every row of the table at every build.

-- check: fct_engagement_daily_grain_unique
WITH late_keys AS (
    {{ late_keys() }}
),

-- each row of a rebuilt key once: the two branches' days do not overlap (after :rebuild_after, and not)
rebuilt AS (
    SELECT subscriber_id, activity_date
    FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY
    WHERE activity_date > :rebuild_after::DATE
    UNION ALL
    SELECT f.subscriber_id, f.activity_date
    FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY AS f
    INNER JOIN late_keys AS r ON r.subscriber_id = f.subscriber_id AND r.event_date = f.activity_date
)

SELECT subscriber_id, activity_date
FROM rebuilt
GROUP BY subscriber_id, activity_date
HAVING COUNT(*) > 1;

-- check: fct_engagement_daily_value_ranges
WITH late_keys AS (
    {{ late_keys() }}
),

-- each row of a rebuilt key once: the two branches' days do not overlap (after :rebuild_after, and not)
rebuilt AS (
    SELECT
        subscriber_id, activity_date,
        views, articles_viewed, distinct_sections, total_time_spent, avg_engagement_score
    FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY
    WHERE activity_date > :rebuild_after::DATE
    UNION ALL
    SELECT
        f.subscriber_id, f.activity_date,
        f.views, f.articles_viewed, f.distinct_sections, f.total_time_spent, f.avg_engagement_score
    FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY AS f
    INNER JOIN late_keys AS r ON r.subscriber_id = f.subscriber_id AND r.event_date = f.activity_date
)

SELECT subscriber_id, activity_date
FROM rebuilt
WHERE views < 1
    OR articles_viewed > views
    OR distinct_sections > articles_viewed
    OR total_time_spent < 0
    OR avg_engagement_score NOT BETWEEN 0 AND 100;

-- check: fct_engagement_daily_no_future_days
SELECT activity_date
FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY
WHERE activity_date > :rebuild_after::DATE
    AND activity_date > DATEADD(day, 1, CURRENT_DATE());
