-- What `c360 publish` copies into the serving store for one scoring run (:run_id, scored as of :as_of):
-- every subscriber of the profile snapshot or of the run, with the profile, the 30-day engagement, the
-- 90-day support tickets and the health score (NULL where the run did not score them, e.g. cancelled).
--
-- Point in time: everything is as of the run's score_date (:as_of), whatever day the analytics tables
-- were last built for. Profiles come from subscriber_profiles.sql (the DIM_SUBSCRIBERS definition)
-- computed for :as_of, read from the relation c360.serving.snapshot.point_in_time_profiles gives (on DuckDB
-- a session table computed once per publish for this query and the engagement split); engagement from
-- FCT_ENGAGEMENT_DAILY days up to :as_of (the daily build keeps every day it built, so an older day's facts
-- are still there); tickets from the raw table by date.
WITH scores AS (
    SELECT subscriber_id, score_date, churn_risk_score, risk_tier, model_version, scored_at, drivers
    FROM SFE_ANALYTICS_MEDIA.FCT_CUSTOMER_HEALTH_SCORES
    WHERE run_id = :run_id
    QUALIFY ROW_NUMBER() OVER (PARTITION BY subscriber_id ORDER BY scored_at DESC) = 1
),

profiles AS (
    SELECT * FROM {{ profiles }}
),

engagement AS (
    SELECT subscriber_id, SUM(articles_viewed) AS articles_viewed, SUM(total_time_spent) AS total_time_spent
    FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY
    WHERE activity_date >= DATEADD(day, -29, :as_of::DATE) AND activity_date <= :as_of::DATE
    GROUP BY subscriber_id
),

-- the last day with reads, however long ago: two narrow columns of the whole history
last_read AS (
    SELECT subscriber_id, DATEDIFF(day, MAX(activity_date), :as_of::DATE) AS days_since_last_read
    FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY
    WHERE activity_date <= :as_of::DATE
    GROUP BY subscriber_id
),

sections AS (
    -- distinct over the whole 30 days, so from the views themselves (the daily fact counts per day)
    SELECT subscriber_id, COUNT(DISTINCT section) AS distinct_sections
    FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT
    WHERE event_date >= DATEADD(day, -29, :as_of::DATE) AND event_date <= :as_of::DATE
    GROUP BY subscriber_id
),

tickets AS (
    SELECT subscriber_id, COUNT(DISTINCT ticket_id) AS support_tickets_90d
    FROM SFE_RAW_MEDIA.RAW_SUPPORT_INTERACTIONS
    WHERE created_at >= DATEADD(day, -89, :as_of::DATE) AND created_at < DATEADD(day, 1, :as_of::DATE)
    GROUP BY subscriber_id
),

subscribers AS (
    SELECT
        COALESCE(p.subscriber_id, s.subscriber_id) AS subscriber_id,
        p.status, p.plan, p.signup_date, p.tenure_days, p.lifetime_value, p.demographic_segment,
        p.cancelled_at, p.as_of_date AS profile_as_of,
        s.churn_risk_score, s.risk_tier, s.score_date, s.scored_at, s.model_version, s.drivers
    FROM profiles AS p
    FULL OUTER JOIN scores AS s ON s.subscriber_id = p.subscriber_id
),

final AS (
    SELECT
        x.*,
        COALESCE(e.articles_viewed, 0) AS articles_viewed,
        COALESCE(e.total_time_spent, 0) AS total_time_spent,
        COALESCE(sec.distinct_sections, 0) AS distinct_sections,
        lr.days_since_last_read,
        COALESCE(t.support_tickets_90d, 0) AS support_tickets_90d
    FROM subscribers AS x
    LEFT JOIN engagement AS e ON e.subscriber_id = x.subscriber_id
    LEFT JOIN last_read AS lr ON lr.subscriber_id = x.subscriber_id
    LEFT JOIN sections AS sec ON sec.subscriber_id = x.subscriber_id
    LEFT JOIN tickets AS t ON t.subscriber_id = x.subscriber_id
)

SELECT * FROM final ORDER BY subscriber_id
