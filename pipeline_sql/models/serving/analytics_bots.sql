-- Bot views that staging filtered out (stg_content_engagement.sql's user-agent rule), per day of the :weeks
-- weeks ending :as_of: the dashboard shows them beside the human views (c360.serving.analytics).
-- The raw table holds every view ever loaded and few distinct user agents (19 in 18.5 M views at 360 days
-- of scale 1): the rule is tested once per distinct agent, and the scan keeps the views of the bot agents
-- by a semi-join on the text as stored, not by lowering and matching every row's (2.1 against 0.4 s at
-- 360 days, docs/benchmarks.md). Only the bot rows have their timestamp text parsed, and are de-duplicated.
WITH bot_agents AS (
    SELECT user_agent
    FROM (SELECT DISTINCT user_agent FROM SFE_RAW_MEDIA.RAW_CONTENT_ENGAGEMENT) AS agents
    WHERE LOWER(user_agent) LIKE ANY (
        '%bot%', '%crawler%', '%spider%', '%slurp%', '%headless%', '%python-requests%', '%curl/%', '%wget/%'
    )
),

raw_views AS (
    SELECT
        NULLIF(TRIM(event_id), '') AS event_id,
        CONVERT_TIMEZONE('UTC', TRY_CAST(event_timestamp AS TIMESTAMP_TZ))::TIMESTAMP_NTZ::DATE AS day,
        load_seq
    FROM SFE_RAW_MEDIA.RAW_CONTENT_ENGAGEMENT
    WHERE user_agent IN (SELECT user_agent FROM bot_agents)
        AND load_seq > 0  -- a CSV load's rows before their numbering are not loaded yet (docs/pipeline.md)
),

-- a view loaded twice (a file changed and landed again, a --force reload, a line repeated) counts once, as
-- staging counts the human views: its row loaded last. A view with no event_id is not one staging counts.
bot_views AS (
    SELECT day
    FROM raw_views
    WHERE event_id IS NOT NULL
    QUALIFY ROW_NUMBER() OVER (PARTITION BY event_id ORDER BY load_seq DESC) = 1
),

final AS (
    SELECT day, COUNT(*) AS views
    FROM bot_views
    WHERE day <= :as_of::DATE
        AND day > DATEADD(day, -7 * :weeks, :as_of::DATE)
    GROUP BY day
)

SELECT * FROM final
