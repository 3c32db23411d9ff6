-- Human article views per device type, per day and per week of the :weeks weeks ending :as_of, for the
-- dashboard's engagement trends (c360.serving.analytics), from FCT_ENGAGEMENT_DEVICE_DAILY: one row per
-- reader, day and device type, built by the daily build for the days it changed (about half as many rows
-- as the views, which this query grouped at every publish before). Bots never reach staging, so neither it.
-- A day's readers are its rows; a week's are counted from one row per reader, week and device: the same
-- counts as COUNT(DISTINCT subscriber_id) over grouping sets, in plain GROUP BYs (docs/benchmarks.md).
WITH device_days AS (
    SELECT
        activity_date AS day,
        DATE_TRUNC('WEEK', activity_date)::DATE AS week,
        COALESCE(device_type, 'unknown') AS device,
        subscriber_id,
        views,
        total_time_spent
    FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DEVICE_DAILY
    WHERE activity_date <= :as_of::DATE
        AND activity_date > DATEADD(day, -7 * :weeks, :as_of::DATE)
),

-- one row per reader, day and device (a NULL device type and 'unknown' are one device here)
reader_days AS (
    SELECT day, week, device, subscriber_id, SUM(views) AS views, SUM(total_time_spent) AS time_spent
    FROM device_days
    GROUP BY day, week, device, subscriber_id
),

reader_weeks AS (
    SELECT week, device, subscriber_id, SUM(views) AS views, SUM(time_spent) AS time_spent
    FROM reader_days
    GROUP BY week, device, subscriber_id
),

final AS (
    SELECT 'day' AS grain, day AS period, 'device' AS dimension, device AS grp,
        SUM(views) AS views, COUNT(subscriber_id) AS readers, SUM(time_spent) AS time_spent
    FROM reader_days
    GROUP BY day, device
    UNION ALL
    SELECT 'week', week, 'device', device, SUM(views), COUNT(subscriber_id), SUM(time_spent)
    FROM reader_weeks
    GROUP BY week, device
)

SELECT * FROM final
