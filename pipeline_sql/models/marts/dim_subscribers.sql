-- DIM_SUBSCRIBERS as of :as_of (the end of that day), rebuilt whole from subscriber_profiles.sql.
--
-- It only moves forward: a build for a day before the one DIM_SUBSCRIBERS already holds (a backfill)
-- leaves it as it is, so BI tools keep seeing the newest day and no failed or partial backfill can
-- leave the dimension as of another day. The DELETE empties the table only for a day at or after the
-- one it holds (or when it is empty); the INSERT then fills it only if it was emptied. Publishing never
-- reads this table: it computes the same profiles as of the published run's score_date.
DELETE FROM SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS
WHERE :as_of::DATE >= (SELECT MAX(as_of_date) FROM SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS);

INSERT INTO SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS (
    subscriber_id, as_of_date, status, plan, signup_date, cancelled_at, tenure_days, lifetime_value,
    payments_count, failed_payments_count, country, age_band, acquisition_channel, demographic_segment,
    last_event_at, built_at
)
SELECT
    subscriber_id, as_of_date, status, plan, signup_date, cancelled_at, tenure_days, lifetime_value,
    payments_count, failed_payments_count, country, age_band, acquisition_channel, demographic_segment,
    last_event_at, built_at
FROM (
{% include "models/marts/subscriber_profiles.sql" %}
) AS profiles
WHERE NOT EXISTS (SELECT 1 FROM SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS);
