-- Engagement trends for the dashboard, read by each publish (c360.serving.analytics): views, readers and
-- time spent per day and per week of the :weeks weeks ending :as_of, split by plan and by demographic
-- segment (each subscriber's profile as of :as_of, the one definition in subscriber_profiles.sql, read from
-- the relation c360.serving.snapshot.point_in_time_profiles gives: on DuckDB a session table computed once
-- per publish for this query and the snapshot).
-- Readers are distinct subscribers, so every split and grain is counted here, not summed afterwards.
WITH profiles AS (
    SELECT * FROM {{ profiles }}
),

reads AS (
    SELECT
        e.activity_date AS day,
        DATE_TRUNC('WEEK', e.activity_date)::DATE AS week,
        COALESCE(p.plan, 'unknown') AS plan,
        COALESCE(p.demographic_segment, 'Unknown') AS segment,
        e.subscriber_id,
        e.views,
        e.total_time_spent
    FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY AS e
    LEFT JOIN profiles AS p ON p.subscriber_id = e.subscriber_id
    WHERE e.activity_date <= :as_of::DATE
        AND e.activity_date > DATEADD(day, -7 * :weeks, :as_of::DATE)
),

-- FCT_ENGAGEMENT_DAILY has one row per subscriber and day, so a day's readers are its rows; a week's are
-- counted from one row per subscriber and week. Plain GROUP BYs, no COUNT(DISTINCT) over grouping sets:
-- the same counts, about half the time at scale 1 (docs/benchmarks.md).
reader_weeks AS (
    SELECT week, plan, segment, subscriber_id, SUM(views) AS views, SUM(total_time_spent) AS total_time_spent
    FROM reads
    GROUP BY week, plan, segment, subscriber_id
),

final AS (
    SELECT 'day' AS grain, day AS period, 'plan' AS dimension, plan AS grp,
        SUM(views) AS views, COUNT(subscriber_id) AS readers, SUM(total_time_spent) AS time_spent
    FROM reads
    GROUP BY day, plan
    UNION ALL
    SELECT 'day', day, 'segment', segment, SUM(views), COUNT(subscriber_id), SUM(total_time_spent)
    FROM reads
    GROUP BY day, segment
    UNION ALL
    SELECT 'week', week, 'plan', plan, SUM(views), COUNT(subscriber_id), SUM(total_time_spent)
    FROM reader_weeks
    GROUP BY week, plan
    UNION ALL
    SELECT 'week', week, 'segment', segment, SUM(views), COUNT(subscriber_id), SUM(total_time_spent)
    FROM reader_weeks
    GROUP BY week, segment
)

SELECT * FROM final
