-- Tests of DIM_SUBSCRIBERS: each query returns the failing rows; none means the check passed.

-- check: dim_subscribers_not_empty
SELECT 'no subscribers' AS problem
FROM (SELECT COUNT(*) AS n FROM SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS) AS counts
WHERE n = 0;

-- check: dim_subscribers_subscriber_id_unique
SELECT subscriber_id
FROM SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS
GROUP BY subscriber_id
HAVING COUNT(*) > 1;

-- check: dim_subscribers_status_accepted_values
SELECT subscriber_id
FROM SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS
WHERE status NOT IN ('active', 'cancelled');

-- check: dim_subscribers_value_ranges
SELECT subscriber_id
FROM SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS
WHERE tenure_days < 0 OR lifetime_value < 0 OR payments_count < 0;

-- check: dim_subscribers_age_band_nulls_below_5pct
SELECT null_share
FROM (
    SELECT AVG(IFF(age_band IS NULL, 1, 0)) AS null_share
    FROM SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS
) AS shares
WHERE null_share > 0.05;
