-- STG_SUBSCRIBER_EVENTS: the subscription events of the stream, typed and validated, one row per event_id.
-- Rules (from the reference design):
--   * timestamps parsed with their offset and converted to UTC; unparseable, before 1900 or more than a
--     day after the load time: invalid
--   * payments need payment_amount > 0
--   * invalid events are kept with is_valid = FALSE and the reason, never propagated further
--   * duplicates: the latest event_timestamp wins (then the latest load)
--   * missing optional fields get safe defaults (plan 'unknown', currency 'USD')
MERGE INTO SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS AS tgt
USING (
    WITH stream_rows AS (
        SELECT load_seq, loaded_at, payload
        FROM SFE_RAW_MEDIA.sfe_subscriber_events_stream
        WHERE METADATA$ACTION = 'INSERT'
    ),

    parsed AS (
        SELECT
            NULLIF(TRIM(payload:event_id::VARCHAR), '') AS payload_event_id,
            NULLIF(TRIM(payload:subscriber_id::VARCHAR), '') AS subscriber_id,
            LOWER(NULLIF(TRIM(payload:event_type::VARCHAR), '')) AS event_type,
            CONVERT_TIMEZONE('UTC', TRY_CAST(payload:event_timestamp::VARCHAR AS TIMESTAMP_TZ))::TIMESTAMP_NTZ
                AS event_timestamp,
            COALESCE(LOWER(NULLIF(TRIM(payload:plan::VARCHAR), '')), 'unknown') AS plan,
            TRY_CAST(payload:payment_amount::VARCHAR AS NUMBER(10, 2)) AS payment_amount,
            LOWER(NULLIF(TRIM(payload:payment_status::VARCHAR), '')) AS payment_status,
            COALESCE(UPPER(NULLIF(TRIM(payload:currency::VARCHAR), '')), 'USD') AS currency,
            UPPER(NULLIF(TRIM(payload:country::VARCHAR), '')) AS country,
            NULLIF(TRIM(payload:age_band::VARCHAR), '') AS age_band,
            LOWER(NULLIF(TRIM(payload:acquisition_channel::VARCHAR), '')) AS acquisition_channel,
            load_seq,
            loaded_at
        FROM stream_rows
    ),

    validated AS (
        SELECT
            COALESCE(payload_event_id, 'missing-event-id-' || load_seq::VARCHAR) AS event_id,
            subscriber_id,
            event_type,
            event_timestamp,
            plan,
            payment_amount,
            IFF(event_type = 'payment', COALESCE(payment_status, 'succeeded'), payment_status) AS payment_status,
            currency,
            country,
            age_band,
            acquisition_channel,
            CASE
                WHEN payload_event_id IS NULL THEN 'missing event_id'
                WHEN subscriber_id IS NULL THEN 'missing subscriber_id'
                WHEN event_type IS NULL
                    OR event_type NOT IN ('signup', 'upgrade', 'downgrade', 'cancel', 'payment')
                    THEN 'unknown event_type'
                WHEN event_timestamp IS NULL THEN 'unparseable event_timestamp'
                -- e.g. 0001-01-01T00:00:00+14:00, a BC instant in UTC (the API refuses the same, c360.instants)
                WHEN event_timestamp < '1900-01-01'::TIMESTAMP_NTZ THEN 'event_timestamp before 1900'
                WHEN event_timestamp > DATEADD(day, 1, loaded_at) THEN 'event_timestamp in the future'
                WHEN event_type = 'payment' AND (payment_amount IS NULL OR payment_amount <= 0)
                    THEN 'non-positive payment_amount'
            END AS invalid_reason,
            load_seq,
            loaded_at
        FROM parsed
    ),

    final AS (
        SELECT *
        FROM validated
        QUALIFY ROW_NUMBER() OVER (
            PARTITION BY event_id ORDER BY event_timestamp DESC NULLS LAST, load_seq DESC
        ) = 1
    )

    SELECT * FROM final
) AS src
ON tgt.event_id = src.event_id
WHEN MATCHED AND (
    COALESCE(src.event_timestamp, '1900-01-01'::TIMESTAMP_NTZ) > COALESCE(tgt.event_timestamp, '1900-01-01'::TIMESTAMP_NTZ)
    OR (
        COALESCE(src.event_timestamp, '1900-01-01'::TIMESTAMP_NTZ) = COALESCE(tgt.event_timestamp, '1900-01-01'::TIMESTAMP_NTZ)
        AND src.load_seq > tgt.source_load_seq
    )
) THEN UPDATE SET
    subscriber_id = src.subscriber_id,
    event_type = src.event_type,
    event_timestamp = src.event_timestamp,
    plan = src.plan,
    payment_amount = src.payment_amount,
    payment_status = src.payment_status,
    currency = src.currency,
    country = src.country,
    age_band = src.age_band,
    acquisition_channel = src.acquisition_channel,
    is_valid = src.invalid_reason IS NULL,
    invalid_reason = src.invalid_reason,
    source_load_seq = src.load_seq,
    loaded_at = src.loaded_at,
    staged_at = CURRENT_TIMESTAMP()::TIMESTAMP_NTZ
WHEN NOT MATCHED THEN INSERT (
    event_id, subscriber_id, event_type, event_timestamp, plan, payment_amount, payment_status, currency,
    country, age_band, acquisition_channel, is_valid, invalid_reason, source_load_seq, loaded_at, staged_at
) VALUES (
    src.event_id, src.subscriber_id, src.event_type, src.event_timestamp, src.plan, src.payment_amount,
    src.payment_status, src.currency, src.country, src.age_band, src.acquisition_channel,
    src.invalid_reason IS NULL, src.invalid_reason, src.load_seq, src.loaded_at, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ
);
