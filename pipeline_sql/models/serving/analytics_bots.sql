-- Bot views that staging filtered out (stg_content_engagement.sql's user-agent rule), per day of the :weeks
-- weeks ending :as_of: the dashboard shows them beside the human views (c360.serving.analytics).
-- The user-agent test comes first, in the scan: only the few bot rows have their timestamp text parsed.
WITH raw_views AS (
    SELECT CONVERT_TIMEZONE('UTC', TRY_CAST(event_timestamp AS TIMESTAMP_TZ))::TIMESTAMP_NTZ::DATE AS day
    FROM SFE_RAW_MEDIA.RAW_CONTENT_ENGAGEMENT
    WHERE LOWER(COALESCE(user_agent, '')) LIKE ANY (
        '%bot%', '%crawler%', '%spider%', '%slurp%', '%headless%', '%python-requests%', '%curl/%', '%wget/%'
    )
),

final AS (
    SELECT day, COUNT(*) AS views
    FROM raw_views
    WHERE day <= :as_of::DATE
        AND day > DATEADD(day, -7 * :weeks, :as_of::DATE)
    GROUP BY day
)

SELECT * FROM final
