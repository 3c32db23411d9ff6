-- Human article views per device type, per day and per week of the :weeks weeks ending :as_of, for the
-- dashboard's engagement trends (c360.serving.analytics); bots never reach STG_CONTENT_ENGAGEMENT.
WITH views AS (
    SELECT
        event_date AS day,
        DATE_TRUNC('WEEK', event_date)::DATE AS week,
        COALESCE(device_type, 'unknown') AS device,
        subscriber_id,
        time_spent_seconds
    FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT
    WHERE event_date <= :as_of::DATE
        AND event_date > DATEADD(day, -7 * :weeks, :as_of::DATE)
),

-- one row per reader, day and device first (about a third of the views); a week's readers from one row per
-- reader, week and device: the same counts as COUNT(DISTINCT subscriber_id) over grouping sets, in plain
-- GROUP BYs (about half the time at scale 1, docs/benchmarks.md)
reader_days AS (
    SELECT day, week, device, subscriber_id, COUNT(*) AS views, SUM(time_spent_seconds) AS time_spent
    FROM views
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
