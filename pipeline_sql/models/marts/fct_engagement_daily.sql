-- FCT_ENGAGEMENT_DAILY up to :as_of: per subscriber and day with human reads, rebuilt in full up to
-- that day (the whole fact is a single GROUP BY over staging, cheaper than tracking late rows).
DELETE FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY
WHERE activity_date <= :as_of::DATE;

INSERT INTO SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY (
    subscriber_id, activity_date, articles_viewed, views, total_time_spent, distinct_sections,
    avg_engagement_score, built_at
)
SELECT
    subscriber_id,
    event_date AS activity_date,
    COUNT(DISTINCT article_id) AS articles_viewed,
    COUNT(*) AS views,
    SUM(time_spent_seconds) AS total_time_spent,
    COUNT(DISTINCT section) AS distinct_sections,
    ROUND(AVG(engagement_score), 2) AS avg_engagement_score,
    CURRENT_TIMESTAMP()::TIMESTAMP_NTZ AS built_at
FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT
WHERE event_date <= :as_of::DATE
GROUP BY subscriber_id, event_date;
