-- Every subscriber with a valid subscription event by the end of :as_of, as they were at that moment:
-- the one definition of a subscriber's profile, read by the DIM_SUBSCRIBERS build and by each publish
-- (which computes it for the published run's score_date, whatever day DIM_SUBSCRIBERS was last built).
--   * status: cancelled when the latest lifecycle event (signup/upgrade/downgrade/cancel) is a cancel
--   * plan: from the latest valid event that carries one
--   * country, age band, channel: from the latest signup event
--   * tenure_days = :as_of - signup_date; lifetime_value = succeeded, valid payments up to :as_of
--   * demographic_segment from DEMOGRAPHIC_SEGMENT_MAP by age band ('Unknown' when unmapped)
WITH events AS (
    SELECT *
    FROM SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS
    WHERE is_valid
        AND event_timestamp < DATEADD(day, 1, :as_of::DATE)
),

{% include "models/staging/latest_subscriber_state.sql" %}
summary AS (
    SELECT
        subscriber_id,
        MIN(IFF(event_type = 'signup', event_timestamp, NULL)) AS signup_at,
        MIN(event_timestamp) AS first_event_at,
        MAX(event_timestamp) AS last_event_at,
        SUM(IFF(event_type = 'payment' AND payment_status = 'succeeded', payment_amount, 0)) AS lifetime_value,
        COUNT_IF(event_type = 'payment' AND payment_status = 'succeeded') AS payments_count,
        COUNT_IF(event_type = 'payment' AND payment_status = 'failed') AS failed_payments_count
    FROM events
    GROUP BY subscriber_id
),

final AS (
    SELECT
        s.subscriber_id,
        :as_of::DATE AS as_of_date,
        IFF(l.event_type = 'cancel', 'cancelled', 'active') AS status,
        COALESCE(p.plan, 'unknown') AS plan,
        COALESCE(s.signup_at, s.first_event_at)::DATE AS signup_date,
        IFF(l.event_type = 'cancel', l.event_timestamp, NULL) AS cancelled_at,
        DATEDIFF(day, COALESCE(s.signup_at, s.first_event_at)::DATE, :as_of::DATE) AS tenure_days,
        s.lifetime_value,
        s.payments_count,
        s.failed_payments_count,
        g.country,
        g.age_band,
        g.acquisition_channel,
        COALESCE(m.demographic_segment, 'Unknown') AS demographic_segment,
        s.last_event_at,
        CURRENT_TIMESTAMP()::TIMESTAMP_NTZ AS built_at
    FROM summary AS s
    LEFT JOIN latest_lifecycle AS l ON l.subscriber_id = s.subscriber_id
    LEFT JOIN latest_plan AS p ON p.subscriber_id = s.subscriber_id
    LEFT JOIN profile AS g ON g.subscriber_id = s.subscriber_id
    LEFT JOIN SFE_ANALYTICS_MEDIA.DEMOGRAPHIC_SEGMENT_MAP AS m ON m.age_band = g.age_band
)

SELECT * FROM final
