-- Engagement trends for the dashboard, read by each publish (c360.serving.analytics): views, readers and
-- time spent per day and per week of the :weeks weeks ending :as_of, split by plan and by demographic
-- segment (each subscriber's profile as of :as_of, the one definition in subscriber_profiles.sql).
-- Readers are distinct subscribers, so every split and grain is counted here, not summed afterwards.
WITH profiles AS (
{% include "models/marts/subscriber_profiles.sql" %}
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

final AS (
    SELECT
        IFF(GROUPING(day) = 0, 'day', 'week') AS grain,
        COALESCE(day, week) AS period,
        IFF(GROUPING(plan) = 0, 'plan', 'segment') AS dimension,
        COALESCE(plan, segment) AS grp,
        SUM(views) AS views,
        COUNT(DISTINCT subscriber_id) AS readers,
        SUM(total_time_spent) AS time_spent
    FROM reads
    GROUP BY GROUPING SETS ((day, plan), (day, segment), (week, plan), (week, segment))
)

SELECT * FROM final
