-- DIM_SUBSCRIBERS as of :as_of (the end of that day), rebuilt whole: every subscriber with a valid
-- event by then, their lifecycle state at that moment, enriched from STG_UNIFIED_CUSTOMER.
--   * tenure_days = :as_of - signup_date
--   * lifetime_value = sum of succeeded, valid payments up to :as_of
--   * demographic_segment from DEMOGRAPHIC_SEGMENT_MAP by age band ('Unknown' when unmapped)
DELETE FROM SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS;

INSERT INTO SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS (
    subscriber_id, as_of_date, status, plan, signup_date, cancelled_at, tenure_days, lifetime_value,
    payments_count, failed_payments_count, country, age_band, acquisition_channel, demographic_segment,
    last_event_at, built_at
)
WITH events AS (
    SELECT *
    FROM SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS
    WHERE is_valid
        AND event_timestamp < DATEADD(day, 1, :as_of::DATE)
),

latest_lifecycle AS (
    SELECT subscriber_id, event_type, event_timestamp
    FROM events
    WHERE event_type IN ('signup', 'upgrade', 'downgrade', 'cancel')
    QUALIFY ROW_NUMBER() OVER (PARTITION BY subscriber_id ORDER BY event_timestamp DESC, source_load_seq DESC) = 1
),

latest_plan AS (
    SELECT subscriber_id, plan
    FROM events
    WHERE plan <> 'unknown'
    QUALIFY ROW_NUMBER() OVER (PARTITION BY subscriber_id ORDER BY event_timestamp DESC, source_load_seq DESC) = 1
),

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
        u.country,
        u.age_band,
        u.acquisition_channel,
        COALESCE(m.demographic_segment, 'Unknown') AS demographic_segment,
        s.last_event_at,
        CURRENT_TIMESTAMP()::TIMESTAMP_NTZ AS built_at
    FROM summary AS s
    LEFT JOIN latest_lifecycle AS l ON l.subscriber_id = s.subscriber_id
    LEFT JOIN latest_plan AS p ON p.subscriber_id = s.subscriber_id
    LEFT JOIN SFE_STG_MEDIA.STG_UNIFIED_CUSTOMER AS u ON u.subscriber_id = s.subscriber_id
    LEFT JOIN SFE_ANALYTICS_MEDIA.DEMOGRAPHIC_SEGMENT_MAP AS m ON m.age_band = u.age_band
)

SELECT * FROM final;
