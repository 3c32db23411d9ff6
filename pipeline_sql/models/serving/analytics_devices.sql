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

final AS (
    SELECT
        IFF(GROUPING(day) = 0, 'day', 'week') AS grain,
        COALESCE(day, week) AS period,
        'device' AS dimension,
        device AS grp,
        COUNT(*) AS views,
        COUNT(DISTINCT subscriber_id) AS readers,
        SUM(time_spent_seconds) AS time_spent
    FROM views
    GROUP BY GROUPING SETS ((day, device), (week, device))
)

SELECT * FROM final
