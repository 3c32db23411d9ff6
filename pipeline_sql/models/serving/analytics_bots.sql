-- Bot views that staging filtered out (stg_content_engagement.sql's user-agent rule), per day of the :weeks
-- weeks ending :as_of: the dashboard shows them beside the human views (c360.serving.analytics).
-- The raw table holds every view ever loaded and few distinct user agents (19 in 18.5 M views at 360 days
-- of scale 1): the rule is tested once per distinct agent, and the scan keeps the views of the bot agents
-- by a semi-join on the text as stored, not by lowering and matching every row's (2.1 against 0.4 s at
-- 360 days, docs/benchmarks.md). Only the bot rows have their timestamp text parsed.
WITH bot_agents AS (
    SELECT user_agent
    FROM (SELECT DISTINCT user_agent FROM SFE_RAW_MEDIA.RAW_CONTENT_ENGAGEMENT) AS agents
    WHERE LOWER(user_agent) LIKE ANY (
        '%bot%', '%crawler%', '%spider%', '%slurp%', '%headless%', '%python-requests%', '%curl/%', '%wget/%'
    )
),

raw_views AS (
    SELECT CONVERT_TIMEZONE('UTC', TRY_CAST(event_timestamp AS TIMESTAMP_TZ))::TIMESTAMP_NTZ::DATE AS day
    FROM SFE_RAW_MEDIA.RAW_CONTENT_ENGAGEMENT
    WHERE user_agent IN (SELECT user_agent FROM bot_agents)
),

final AS (
    SELECT day, COUNT(*) AS views
    FROM raw_views
    WHERE day <= :as_of::DATE
        AND day > DATEADD(day, -7 * :weeks, :as_of::DATE)
    GROUP BY day
)

SELECT * FROM final
