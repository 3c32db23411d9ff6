-- The churn model's one definition of its inputs: one row per subscriber active at the end of each
-- snapshot date, with the features (docs/model.md) and the 30-day label. Training (FCT_CHURN_TRAINING)
-- and daily scoring (FCT_CHURN_SCORING_FEATURES) both materialise this query, so features at scoring
-- time are computed exactly as the model saw them in training.
--
-- Binds:
--   :as_of                what is known: data after the end of this day is never read
--   :first_snapshot       earliest snapshot date
--   :last_snapshot        latest snapshot date; the snapshots are :last_snapshot - k * :snapshot_every_days
--   :snapshot_every_days  7 for the weekly training grid; 1 with first = last for one scoring day
--   :run_id               the run that builds it, kept on every row
--
-- No leakage: every feature of snapshot w reads only rows timestamped before w + 1 day (the end of w);
-- the label reads only cancels in days w + 1 .. w + 30, and is NULL until that window has passed by
-- :as_of. A snapshot date needs engagement data on that day (a missing day's load is not scored).
--
-- split: train / test / purged, 80/20 by date among the labelled snapshots, purged: the test set is the
-- latest k dates, k the count closest to 20 % of the dates that remain once the purged ones are set
-- aside (at least 1); a training snapshot w is kept only when its label window closed by the first test
-- snapshot t (w + 30 <= t), so no cancellation is labelled in both sets. The snapshots between are
-- 'purged' (FLOOR(29 / :snapshot_every_days) of them: 4 on the weekly grid) and used by nothing.
-- NULL for unlabelled rows.
WITH snapshots AS (
    SELECT DISTINCT activity_date AS snapshot_date
    FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY
    WHERE activity_date BETWEEN :first_snapshot::DATE AND :last_snapshot::DATE
        AND MOD(DATEDIFF(day, activity_date, :last_snapshot::DATE), :snapshot_every_days) = 0
),

events AS (
    SELECT subscriber_id, event_type, event_timestamp, plan, payment_status, acquisition_channel, source_load_seq
    FROM SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS
    WHERE is_valid
        AND event_timestamp < DATEADD(day, 1, :as_of::DATE)
),

-- the subscriber's lifecycle state at the end of each snapshot: the latest signup/upgrade/downgrade/cancel
lifecycle AS (
    SELECT s.snapshot_date, e.subscriber_id, e.event_type
    FROM snapshots AS s
    INNER JOIN events AS e ON e.event_timestamp < DATEADD(day, 1, s.snapshot_date)
    WHERE e.event_type IN ('signup', 'upgrade', 'downgrade', 'cancel')
    QUALIFY ROW_NUMBER() OVER (
        PARTITION BY s.snapshot_date, e.subscriber_id ORDER BY e.event_timestamp DESC, e.source_load_seq DESC
    ) = 1
),

latest_plan AS (
    SELECT s.snapshot_date, e.subscriber_id, e.plan
    FROM snapshots AS s
    INNER JOIN events AS e ON e.event_timestamp < DATEADD(day, 1, s.snapshot_date)
    WHERE e.plan <> 'unknown'
    QUALIFY ROW_NUMBER() OVER (
        PARTITION BY s.snapshot_date, e.subscriber_id ORDER BY e.event_timestamp DESC, e.source_load_seq DESC
    ) = 1
),

subscription AS (
    SELECT
        s.snapshot_date,
        e.subscriber_id,
        COALESCE(MIN(IFF(e.event_type = 'signup', e.event_timestamp, NULL)), MIN(e.event_timestamp))::DATE
            AS signup_date,
        COALESCE(MAX(IFF(e.event_type = 'signup', e.acquisition_channel, NULL)), 'unknown') AS acquisition_channel,
        COUNT_IF(
            e.event_type = 'payment' AND e.payment_status = 'failed'
            AND e.event_timestamp >= DATEADD(day, -29, s.snapshot_date)
        ) AS failed_payments_30d,
        COUNT_IF(e.event_type = 'downgrade' AND e.event_timestamp >= DATEADD(day, -89, s.snapshot_date))
            AS downgrades_90d,
        -- recency: an old failed payment weighs less than a fresh one (half-life 10 days, last 90 days)
        MAX(IFF(
            e.event_type = 'payment' AND e.payment_status = 'failed'
            AND e.event_timestamp >= DATEADD(day, -89, s.snapshot_date),
            e.event_timestamp::DATE,
            NULL
        )) AS last_failed_payment_date,
        -- rounded: a sum of floats depends on the order rows arrive in; 6 decimals do not
        ROUND(SUM(IFF(
            e.event_type = 'payment' AND e.payment_status = 'failed'
            AND e.event_timestamp >= DATEADD(day, -89, s.snapshot_date),
            POWER(0.5, DATEDIFF(day, e.event_timestamp::DATE, s.snapshot_date) / 10.0),
            0
        )), 6)::FLOAT AS failed_payments_decayed
    FROM snapshots AS s
    INNER JOIN events AS e ON e.event_timestamp < DATEADD(day, 1, s.snapshot_date)
    GROUP BY s.snapshot_date, e.subscriber_id
),

-- reading in the 30 days ending each snapshot (FCT_ENGAGEMENT_DAILY is per subscriber and UTC day): the
-- join reads only the window, so a day's scoring costs the same whatever history the fact table keeps
engagement AS (
    SELECT
        s.snapshot_date,
        f.subscriber_id,
        SUM(f.avg_engagement_score) AS points_30d,
        SUM(f.views) AS reads_30d,
        SUM(IFF(f.activity_date > DATEADD(day, -7, s.snapshot_date), f.views, 0)) AS reads_7d
    FROM snapshots AS s
    INNER JOIN SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY AS f
        ON f.activity_date <= s.snapshot_date
        AND f.activity_date > DATEADD(day, -30, s.snapshot_date)
    GROUP BY s.snapshot_date, f.subscriber_id
),

-- the last day with reads, however long ago: two narrow columns of the whole history
last_read AS (
    SELECT s.snapshot_date, f.subscriber_id, MAX(f.activity_date) AS last_read_date
    FROM snapshots AS s
    INNER JOIN SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY AS f ON f.activity_date <= s.snapshot_date
    GROUP BY s.snapshot_date, f.subscriber_id
),

reading_history AS (
    SELECT MIN(activity_date) AS first_day
    FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY
),

-- tickets have no staging table: deduplicated here by ticket_id (the latest load wins)
tickets AS (
    SELECT subscriber_id, created_at, category
    FROM SFE_RAW_MEDIA.RAW_SUPPORT_INTERACTIONS
    QUALIFY ROW_NUMBER() OVER (PARTITION BY ticket_id ORDER BY load_seq DESC) = 1
),

support AS (
    SELECT
        s.snapshot_date,
        t.subscriber_id,
        COUNT(*) AS tickets_90d,
        COUNT_IF(t.created_at >= DATEADD(day, -29, s.snapshot_date)) AS tickets_30d,
        COUNT_IF(t.category = 'cancellation' AND t.created_at >= DATEADD(day, -29, s.snapshot_date))
            AS cancellation_tickets_30d,
        MAX(IFF(t.category = 'cancellation', t.created_at::DATE, NULL)) AS last_cancellation_ticket_date,
        ROUND(SUM(IFF(
            t.category = 'cancellation', POWER(0.5, DATEDIFF(day, t.created_at::DATE, s.snapshot_date) / 10.0), 0
        )), 6)::FLOAT AS cancellation_tickets_decayed
    FROM snapshots AS s
    INNER JOIN tickets AS t
        ON t.created_at < DATEADD(day, 1, s.snapshot_date)
        AND t.created_at >= DATEADD(day, -89, s.snapshot_date)
    GROUP BY s.snapshot_date, t.subscriber_id
),

-- the label: a valid cancel on days w + 1 .. w + 30
cancels AS (
    SELECT s.snapshot_date, e.subscriber_id, COUNT(*) AS cancels_30d
    FROM snapshots AS s
    INNER JOIN events AS e
        ON e.event_timestamp >= DATEADD(day, 1, s.snapshot_date)
        AND e.event_timestamp < DATEADD(day, 31, s.snapshot_date)
    WHERE e.event_type = 'cancel'
    GROUP BY s.snapshot_date, e.subscriber_id
),

-- active as DIM_SUBSCRIBERS and the profiles say (subscriber_profiles.sql): not cancelled by the latest lifecycle
-- event, and active when there is none yet (payments before a signup that is late, invalid or missing), so
-- every subscriber served as active is scored
active AS (
    SELECT
        b.snapshot_date,
        b.subscriber_id,
        DATEDIFF(day, b.signup_date, b.snapshot_date) AS tenure_days,
        b.signup_date,
        b.acquisition_channel,
        b.failed_payments_30d,
        b.downgrades_90d,
        b.last_failed_payment_date,
        b.failed_payments_decayed,
        COALESCE(p.plan, 'unknown') AS plan
    FROM subscription AS b
    LEFT JOIN lifecycle AS l ON l.snapshot_date = b.snapshot_date AND l.subscriber_id = b.subscriber_id
    LEFT JOIN latest_plan AS p ON p.snapshot_date = b.snapshot_date AND p.subscriber_id = b.subscriber_id
    WHERE l.event_type IS DISTINCT FROM 'cancel'
),

-- per-day rates divide by the days of the window the subscriber was subscribed (new subscribers)
rates AS (
    SELECT
        a.*,
        -- FLOAT from here on: the same arithmetic on every engine (no decimal scale rules)
        COALESCE(e.points_30d, 0)::FLOAT AS points_30d,
        COALESCE(e.reads_30d, 0)::FLOAT AS reads_30d,
        COALESCE(e.reads_7d, 0)::FLOAT AS reads_7d,
        lr.last_read_date,
        LEAST(30, a.tenure_days + 1) AS days_30,
        LEAST(7, a.tenure_days + 1) AS days_7,
        LEAST(23, GREATEST(a.tenure_days + 1 - 7, 0)) AS days_prev_23,
        COALESCE(t.tickets_90d, 0) AS tickets_90d,
        COALESCE(t.tickets_30d, 0) AS tickets_30d,
        COALESCE(t.cancellation_tickets_30d, 0) AS cancellation_tickets_30d,
        t.last_cancellation_ticket_date,
        COALESCE(t.cancellation_tickets_decayed, 0) AS cancellation_tickets_decayed
    FROM active AS a
    LEFT JOIN engagement AS e ON e.snapshot_date = a.snapshot_date AND e.subscriber_id = a.subscriber_id
    LEFT JOIN last_read AS lr ON lr.snapshot_date = a.snapshot_date AND lr.subscriber_id = a.subscriber_id
    LEFT JOIN support AS t ON t.snapshot_date = a.snapshot_date AND t.subscriber_id = a.subscriber_id
),

labelled AS (
    SELECT
        r.*,
        IFF(
            DATEADD(day, 30, r.snapshot_date) <= :as_of::DATE,
            COALESCE(c.cancels_30d, 0) > 0,
            NULL
        ) AS churned
    FROM rates AS r
    LEFT JOIN cancels AS c ON c.snapshot_date = r.snapshot_date AND c.subscriber_id = r.subscriber_id
),

labelled_dates AS (
    SELECT
        snapshot_date,
        ROW_NUMBER() OVER (ORDER BY snapshot_date DESC) AS recency,
        COUNT(*) OVER () AS dates
    FROM (SELECT DISTINCT snapshot_date FROM labelled WHERE churned IS NOT NULL) AS d
),

test_window AS (
    SELECT MIN(snapshot_date) AS test_start
    FROM labelled_dates
    WHERE recency <= GREATEST(1, ROUND(0.2 * (dates - FLOOR(29 / :snapshot_every_days))))
),

final AS (
    SELECT
        l.subscriber_id,
        l.snapshot_date,
        l.points_30d / l.days_30 AS engagement_score,
        l.reads_30d / l.days_30 AS reads_per_day_30d,
        LN(
            (l.reads_7d / l.days_7 + 0.1)
            / (COALESCE((l.reads_30d - l.reads_7d) / NULLIF(l.days_prev_23, 0), l.reads_7d / l.days_7) + 0.1)
        ) AS engagement_trend,
        DATEDIFF(
            day, COALESCE(l.last_read_date, GREATEST(l.signup_date, h.first_day)), l.snapshot_date
        ) AS days_since_last_read,
        l.tickets_90d AS support_tickets_count,
        l.tickets_30d AS support_tickets_30d,
        l.cancellation_tickets_30d,
        l.tenure_days AS subscription_tenure_days,
        l.failed_payments_30d,
        l.downgrades_90d,
        -- 90: none in the last 90 days
        COALESCE(DATEDIFF(day, l.last_failed_payment_date, l.snapshot_date), 90) AS days_since_failed_payment,
        l.failed_payments_decayed,
        COALESCE(DATEDIFF(day, l.last_cancellation_ticket_date, l.snapshot_date), 90)
            AS days_since_cancellation_ticket,
        l.cancellation_tickets_decayed,
        l.plan,
        l.acquisition_channel,
        l.churned,
        CASE
            WHEN l.churned IS NULL THEN NULL
            WHEN l.snapshot_date >= w.test_start THEN 'test'
            WHEN DATEADD(day, 30, l.snapshot_date) <= w.test_start THEN 'train'
            ELSE 'purged'
        END AS split,
        :run_id AS run_id,
        CURRENT_TIMESTAMP()::TIMESTAMP_NTZ AS built_at
    FROM labelled AS l
    CROSS JOIN reading_history AS h
    CROSS JOIN test_window AS w
)

SELECT * FROM final
