{% from "models/marts/rebuilt_keys.sql" import late_keys -%}
-- Tests of FCT_ENGAGEMENT_DEVICE_DAILY: each query returns the failing rows. Like FCT_ENGAGEMENT_DAILY's,
-- they read only the (subscriber, day) keys this build rebuilt: the days after :rebuild_after, and the keys
-- of rows staged since the last build.

-- check: fct_engagement_device_daily_reconciles
-- split by device, a subscriber's day has the views and time FCT_ENGAGEMENT_DAILY has, and no other day
WITH late_keys AS (
    {{ late_keys() }}
),

by_day AS (
    SELECT subscriber_id, activity_date, views, total_time_spent
    FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY
    WHERE activity_date > :rebuild_after::DATE AND activity_date <= :as_of::DATE
    UNION
    SELECT f.subscriber_id, f.activity_date, f.views, f.total_time_spent
    FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY AS f
    INNER JOIN late_keys AS r ON r.subscriber_id = f.subscriber_id AND r.event_date = f.activity_date
),

by_device AS (
    SELECT subscriber_id, activity_date, SUM(views) AS views, SUM(total_time_spent) AS total_time_spent
    FROM (
        SELECT subscriber_id, activity_date, views, total_time_spent
        FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DEVICE_DAILY
        WHERE activity_date > :rebuild_after::DATE AND activity_date <= :as_of::DATE
        UNION ALL
        SELECT d.subscriber_id, d.activity_date, d.views, d.total_time_spent
        FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DEVICE_DAILY AS d
        INNER JOIN late_keys AS r ON r.subscriber_id = d.subscriber_id AND r.event_date = d.activity_date
    ) AS rows_of_rebuilt_keys
    GROUP BY subscriber_id, activity_date
)

SELECT COALESCE(d.subscriber_id, x.subscriber_id) AS subscriber_id, COALESCE(d.activity_date, x.activity_date) AS activity_date
FROM by_day AS d
FULL OUTER JOIN by_device AS x ON x.subscriber_id = d.subscriber_id AND x.activity_date = d.activity_date
WHERE d.views IS DISTINCT FROM x.views
    OR d.total_time_spent IS DISTINCT FROM x.total_time_spent;
