-- Bot views that staging filtered out (stg_content_engagement.sql's user-agent rule), per day of the :weeks
-- weeks ending :as_of: the dashboard shows them beside the human views (c360.serving.analytics).
WITH raw_views AS (
    SELECT
        CONVERT_TIMEZONE('UTC', TRY_CAST(event_timestamp AS TIMESTAMP_TZ))::TIMESTAMP_NTZ::DATE AS day,
        LOWER(COALESCE(user_agent, '')) AS user_agent
    FROM SFE_RAW_MEDIA.RAW_CONTENT_ENGAGEMENT
),

final AS (
    SELECT day, COUNT(*) AS views
    FROM raw_views
    WHERE day <= :as_of::DATE
        AND day > DATEADD(day, -7 * :weeks, :as_of::DATE)
        AND user_agent LIKE ANY (
            '%bot%', '%crawler%', '%spider%', '%slurp%', '%headless%', '%python-requests%', '%curl/%', '%wget/%'
        )
    GROUP BY day
)

SELECT * FROM final
