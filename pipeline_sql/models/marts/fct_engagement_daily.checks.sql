-- Tests of FCT_ENGAGEMENT_DAILY: each query returns the failing rows.

-- check: fct_engagement_daily_grain_unique
SELECT subscriber_id, activity_date
FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY
GROUP BY subscriber_id, activity_date
HAVING COUNT(*) > 1;

-- check: fct_engagement_daily_value_ranges
SELECT subscriber_id, activity_date
FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY
WHERE views < 1
    OR articles_viewed > views
    OR distinct_sections > articles_viewed
    OR total_time_spent < 0
    OR avg_engagement_score NOT BETWEEN 0 AND 100;

-- check: fct_engagement_daily_no_future_days
SELECT activity_date
FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY
WHERE activity_date > DATEADD(day, 1, CURRENT_DATE());
