-- V001__raw_layer.sql (checksum c714ef090f01, target duckdb)
CREATE SCHEMA IF NOT EXISTS SFE_RAW_MEDIA;
CREATE SEQUENCE IF NOT EXISTS SFE_RAW_MEDIA.RAW_LOAD_SEQ;
CREATE TABLE IF NOT EXISTS SFE_RAW_MEDIA.RAW_SUBSCRIBER_EVENTS (load_seq BIGINT NOT NULL, load_id TEXT NOT NULL, source_file TEXT NOT NULL, source_row BIGINT NOT NULL, loaded_at TIMESTAMP NOT NULL, payload JSON NOT NULL);
CREATE TABLE IF NOT EXISTS SFE_RAW_MEDIA.RAW_CONTENT_ENGAGEMENT (load_seq BIGINT NOT NULL, load_id TEXT NOT NULL, source_file TEXT NOT NULL, source_row BIGINT NOT NULL, loaded_at TIMESTAMP NOT NULL, event_id TEXT, subscriber_id TEXT, article_id TEXT, event_timestamp TEXT, time_spent_seconds TEXT, device_type TEXT, user_agent TEXT, referrer TEXT, article_metadata TEXT, extra_fields JSON);
CREATE TABLE IF NOT EXISTS SFE_RAW_MEDIA.RAW_SUPPORT_INTERACTIONS (load_seq BIGINT NOT NULL, load_id TEXT NOT NULL, source_file TEXT NOT NULL, source_row BIGINT NOT NULL, loaded_at TIMESTAMP NOT NULL, ticket_id TEXT NOT NULL, subscriber_id TEXT NOT NULL, created_at TIMESTAMP NOT NULL, resolved_at TIMESTAMP, channel TEXT, category TEXT, priority TEXT, satisfaction_score BIGINT, status TEXT, extra_fields JSON);
CREATE TABLE IF NOT EXISTS SFE_RAW_MEDIA.RAW_LOAD_ERRORS (load_id TEXT NOT NULL, source TEXT NOT NULL, source_file TEXT NOT NULL, source_row BIGINT, raw_text TEXT, reason TEXT NOT NULL, rejected_at TIMESTAMP NOT NULL);
CREATE TABLE IF NOT EXISTS SFE_RAW_MEDIA.RAW_LOAD_HISTORY (load_id TEXT NOT NULL, source TEXT NOT NULL, source_file TEXT NOT NULL, file_checksum TEXT NOT NULL, file_bytes BIGINT NOT NULL, rows_read BIGINT NOT NULL, rows_loaded BIGINT NOT NULL, rows_rejected BIGINT NOT NULL, first_load_seq BIGINT, last_load_seq BIGINT, status TEXT NOT NULL, started_at TIMESTAMP NOT NULL, finished_at TIMESTAMP NOT NULL);

-- V002__staging_layer.sql (checksum 1b733247da22, target duckdb)
CREATE SCHEMA IF NOT EXISTS SFE_STG_MEDIA;
CREATE TABLE IF NOT EXISTS SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS (event_id TEXT NOT NULL, subscriber_id TEXT, event_type TEXT, event_timestamp TIMESTAMP /* UTC */, plan TEXT, payment_amount DECIMAL(10, 2), payment_status TEXT, currency TEXT, country TEXT, age_band TEXT, acquisition_channel TEXT, is_valid BOOLEAN NOT NULL, invalid_reason TEXT, source_load_seq BIGINT NOT NULL, loaded_at TIMESTAMP NOT NULL, staged_at TIMESTAMP NOT NULL);
CREATE TABLE IF NOT EXISTS SFE_STG_MEDIA.STG_UNIFIED_CUSTOMER (subscriber_id TEXT NOT NULL, signup_at TIMESTAMP, status TEXT NOT NULL /* active | cancelled */, plan TEXT NOT NULL, cancelled_at TIMESTAMP, country TEXT, age_band TEXT, acquisition_channel TEXT, first_event_at TIMESTAMP NOT NULL, last_event_at TIMESTAMP NOT NULL, valid_event_count BIGINT NOT NULL, updated_at TIMESTAMP NOT NULL);
CREATE TABLE IF NOT EXISTS SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT (event_id TEXT NOT NULL, subscriber_id TEXT NOT NULL, article_id TEXT, section TEXT NOT NULL, word_count BIGINT, author TEXT, event_timestamp TIMESTAMP NOT NULL /* UTC */, event_date DATE NOT NULL, time_spent_seconds BIGINT NOT NULL, engagement_score DECIMAL(5, 2) NOT NULL /* 0-100, see docs/pipeline.md */, device_type TEXT, referrer TEXT, source_load_seq BIGINT NOT NULL, staged_at TIMESTAMP NOT NULL);

-- V003__analytics_layer.sql (checksum 34c76d034521, target duckdb)
CREATE SCHEMA IF NOT EXISTS SFE_ANALYTICS_MEDIA;
CREATE TABLE IF NOT EXISTS SFE_ANALYTICS_MEDIA.DEMOGRAPHIC_SEGMENT_MAP (age_band TEXT NOT NULL, demographic_segment TEXT NOT NULL);
INSERT INTO SFE_ANALYTICS_MEDIA.DEMOGRAPHIC_SEGMENT_MAP (age_band, demographic_segment) SELECT age_band, demographic_segment FROM (SELECT '18-24' AS age_band, 'Students & Starters' AS demographic_segment UNION ALL SELECT '25-34', 'Young Professionals' UNION ALL SELECT '35-44', 'Established Families' UNION ALL SELECT '45-54', 'Peak Earners' UNION ALL SELECT '55-64', 'Pre-Retirees' UNION ALL SELECT '65+', 'Retirees') AS seed WHERE NOT EXISTS(SELECT 1 FROM SFE_ANALYTICS_MEDIA.DEMOGRAPHIC_SEGMENT_MAP);
CREATE TABLE IF NOT EXISTS SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS (subscriber_id TEXT NOT NULL, as_of_date DATE NOT NULL, status TEXT NOT NULL /* active | cancelled */, plan TEXT NOT NULL, signup_date DATE NOT NULL, cancelled_at TIMESTAMP, tenure_days BIGINT NOT NULL, lifetime_value DECIMAL(12, 2) NOT NULL, payments_count BIGINT NOT NULL, failed_payments_count BIGINT NOT NULL, country TEXT, age_band TEXT, acquisition_channel TEXT, demographic_segment TEXT NOT NULL, last_event_at TIMESTAMP NOT NULL, built_at TIMESTAMP NOT NULL);
CREATE TABLE IF NOT EXISTS SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY (subscriber_id TEXT NOT NULL, activity_date DATE NOT NULL, articles_viewed BIGINT NOT NULL /* distinct articles */, views BIGINT NOT NULL, total_time_spent BIGINT NOT NULL /* seconds */, distinct_sections BIGINT NOT NULL, avg_engagement_score DECIMAL(5, 2) NOT NULL /* 0-100 */, built_at TIMESTAMP NOT NULL);
CREATE TABLE IF NOT EXISTS SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id TEXT NOT NULL, as_of_date DATE NOT NULL, check_name TEXT NOT NULL, model TEXT NOT NULL, failures BIGINT NOT NULL, passed BOOLEAN NOT NULL, checked_at TIMESTAMP NOT NULL);
CREATE TABLE IF NOT EXISTS SFE_ANALYTICS_MEDIA.FCT_CUSTOMER_HEALTH_SCORES (subscriber_id TEXT NOT NULL, score_date DATE NOT NULL, churn_risk_score DOUBLE NOT NULL /* probability of cancelling within 30 days, 0-1 */, risk_tier TEXT NOT NULL /* High | Medium | Low */, model_version TEXT NOT NULL, scored_at TIMESTAMP NOT NULL, drivers JSON /* top features pushing this score up or down */, run_id TEXT NOT NULL);

-- V004__streams.sql (checksum 3b7d8825a9d7, target duckdb)
INSERT INTO C360_META.STREAMS (stream_name, source_table, consumed_seq, created_at) SELECT 'SFE_RAW_MEDIA.SFE_SUBSCRIBER_EVENTS_STREAM', 'SFE_RAW_MEDIA.RAW_SUBSCRIBER_EVENTS', COALESCE((SELECT MAX(load_seq) FROM SFE_RAW_MEDIA.RAW_SUBSCRIBER_EVENTS), 0), now() WHERE NOT EXISTS (SELECT 1 FROM C360_META.STREAMS WHERE stream_name = 'SFE_RAW_MEDIA.SFE_SUBSCRIBER_EVENTS_STREAM');
CREATE OR REPLACE VIEW SFE_RAW_MEDIA.SFE_SUBSCRIBER_EVENTS_STREAM AS SELECT src.*, 'INSERT' AS "METADATA$ACTION", FALSE AS "METADATA$ISUPDATE", CAST(src.load_seq AS VARCHAR) AS "METADATA$ROW_ID" FROM SFE_RAW_MEDIA.RAW_SUBSCRIBER_EVENTS AS src WHERE src.load_seq > (SELECT consumed_seq FROM C360_META.STREAMS WHERE stream_name = 'SFE_RAW_MEDIA.SFE_SUBSCRIBER_EVENTS_STREAM');
INSERT INTO C360_META.STREAMS (stream_name, source_table, consumed_seq, created_at) SELECT 'SFE_RAW_MEDIA.SFE_CONTENT_STREAM', 'SFE_RAW_MEDIA.RAW_CONTENT_ENGAGEMENT', COALESCE((SELECT MAX(load_seq) FROM SFE_RAW_MEDIA.RAW_CONTENT_ENGAGEMENT), 0), now() WHERE NOT EXISTS (SELECT 1 FROM C360_META.STREAMS WHERE stream_name = 'SFE_RAW_MEDIA.SFE_CONTENT_STREAM');
CREATE OR REPLACE VIEW SFE_RAW_MEDIA.SFE_CONTENT_STREAM AS SELECT src.*, 'INSERT' AS "METADATA$ACTION", FALSE AS "METADATA$ISUPDATE", CAST(src.load_seq AS VARCHAR) AS "METADATA$ROW_ID" FROM SFE_RAW_MEDIA.RAW_CONTENT_ENGAGEMENT AS src WHERE src.load_seq > (SELECT consumed_seq FROM C360_META.STREAMS WHERE stream_name = 'SFE_RAW_MEDIA.SFE_CONTENT_STREAM');

-- V005__model_layer.sql (checksum e00821991f5b, target duckdb)
CREATE TABLE IF NOT EXISTS SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING (subscriber_id TEXT NOT NULL, snapshot_date DATE NOT NULL, engagement_score DOUBLE NOT NULL /* average daily engagement (0-100), last 30 days */, reads_per_day_30d DOUBLE NOT NULL /* article views per day, last 30 days */, engagement_trend DOUBLE NOT NULL /* ln of reads/day last 7 days vs the 23 before */, days_since_last_read BIGINT NOT NULL, support_tickets_count BIGINT NOT NULL /* tickets opened in the last 90 days */, support_tickets_30d BIGINT NOT NULL, cancellation_tickets_30d BIGINT NOT NULL, subscription_tenure_days BIGINT NOT NULL, failed_payments_30d BIGINT NOT NULL, downgrades_90d BIGINT NOT NULL, plan TEXT NOT NULL, acquisition_channel TEXT NOT NULL, churned BOOLEAN /* cancelled on days snapshot + 1 .. + 30 */, split TEXT /* train | test */, run_id TEXT NOT NULL, built_at TIMESTAMP NOT NULL);
CREATE TABLE IF NOT EXISTS SFE_ANALYTICS_MEDIA.FCT_CHURN_SCORING_FEATURES (subscriber_id TEXT NOT NULL, snapshot_date DATE NOT NULL /* the score date */, engagement_score DOUBLE NOT NULL, reads_per_day_30d DOUBLE NOT NULL, engagement_trend DOUBLE NOT NULL, days_since_last_read BIGINT NOT NULL, support_tickets_count BIGINT NOT NULL, support_tickets_30d BIGINT NOT NULL, cancellation_tickets_30d BIGINT NOT NULL, subscription_tenure_days BIGINT NOT NULL, failed_payments_30d BIGINT NOT NULL, downgrades_90d BIGINT NOT NULL, plan TEXT NOT NULL, acquisition_channel TEXT NOT NULL, churned BOOLEAN /* always NULL here: unknown at scoring time */, split TEXT /* always NULL here */, run_id TEXT NOT NULL, built_at TIMESTAMP NOT NULL);
CREATE TABLE IF NOT EXISTS SFE_ANALYTICS_MEDIA.CHURN_MODEL_REGISTRY (model_version TEXT NOT NULL, trained_at TIMESTAMP NOT NULL, status TEXT NOT NULL, algorithm TEXT NOT NULL /* lightgbm+platt | snowflake.ml.classification */, as_of_date DATE NOT NULL /* what was known when it was trained */, data_window_start DATE NOT NULL /* first training snapshot */, data_window_end DATE NOT NULL /* last test snapshot */, test_window_start DATE NOT NULL /* first test snapshot */, features JSON NOT NULL /* ordered feature names */, train_rows BIGINT NOT NULL, test_rows BIGINT NOT NULL, metrics JSON NOT NULL /* test metrics: roc_auc, pr_auc, brier, precision/recall at High */, artifact_uri TEXT /* models/<version>/model.json under C360_HOME, or the Snowflake model */, artifact_sha256 TEXT, message TEXT NOT NULL /* the gate's decision, in words */, run_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS SFE_ANALYTICS_MEDIA.CHURN_FEATURE_IMPORTANCE (model_version TEXT NOT NULL, feature TEXT NOT NULL, importance_rank BIGINT NOT NULL, importance DOUBLE NOT NULL);
CREATE TABLE IF NOT EXISTS SFE_ANALYTICS_MEDIA.FCT_SCORING_MONITOR (run_id TEXT NOT NULL, score_date DATE NOT NULL, model_version TEXT NOT NULL, metric TEXT NOT NULL, name TEXT NOT NULL /* feature, quantile or tier */, value DOUBLE NOT NULL, recorded_at TIMESTAMP NOT NULL);

-- V006__model_lifecycle.sql (checksum 2199c9149514, target duckdb)
CREATE TABLE IF NOT EXISTS SFE_ANALYTICS_MEDIA.CHURN_MODEL_GATE (model_version TEXT NOT NULL, check_name TEXT NOT NULL, passed BOOLEAN NOT NULL, value DOUBLE /* the candidate's number (AUC, AUC difference, error) */, threshold DOUBLE /* what it was compared with */, detail TEXT NOT NULL /* the comparison in words, with its numbers */, recorded_at TIMESTAMP NOT NULL);
CREATE TABLE IF NOT EXISTS SFE_ANALYTICS_MEDIA.FCT_MODEL_PERFORMANCE (score_date DATE NOT NULL, model_version TEXT NOT NULL, metric TEXT NOT NULL, name TEXT NOT NULL, value DOUBLE NOT NULL, run_id TEXT NOT NULL, recorded_at TIMESTAMP NOT NULL);
CREATE TABLE IF NOT EXISTS SFE_ANALYTICS_MEDIA.MODEL_ALERTS (alert_id TEXT NOT NULL /* kind:model_version:score_date:subject */, kind TEXT NOT NULL, model_version TEXT NOT NULL, score_date DATE NOT NULL, subject TEXT NOT NULL /* the feature, or roc_auc */, value DOUBLE NOT NULL, threshold DOUBLE NOT NULL, run_id TEXT NOT NULL, recorded_at TIMESTAMP NOT NULL);
ALTER TABLE SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING ADD COLUMN days_since_failed_payment BIGINT;
ALTER TABLE SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING ADD COLUMN failed_payments_decayed DOUBLE;
ALTER TABLE SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING ADD COLUMN days_since_cancellation_ticket BIGINT;
ALTER TABLE SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING ADD COLUMN cancellation_tickets_decayed DOUBLE;
ALTER TABLE SFE_ANALYTICS_MEDIA.FCT_CHURN_SCORING_FEATURES ADD COLUMN days_since_failed_payment BIGINT;
ALTER TABLE SFE_ANALYTICS_MEDIA.FCT_CHURN_SCORING_FEATURES ADD COLUMN failed_payments_decayed DOUBLE;
ALTER TABLE SFE_ANALYTICS_MEDIA.FCT_CHURN_SCORING_FEATURES ADD COLUMN days_since_cancellation_ticket BIGINT;
ALTER TABLE SFE_ANALYTICS_MEDIA.FCT_CHURN_SCORING_FEATURES ADD COLUMN cancellation_tickets_decayed DOUBLE;

-- V007__drift_reference.sql (checksum f90dbb0d7cb4, target duckdb)
CREATE TABLE IF NOT EXISTS SFE_ANALYTICS_MEDIA.CHURN_FEATURE_REFERENCE (model_version TEXT NOT NULL, feature TEXT NOT NULL, bin INT NOT NULL, upper_edge DOUBLE /* numeric bins, NULL for the last */, category TEXT /* categorical bins */, share DOUBLE NOT NULL);

-- V008__native_loaders.sql (checksum 3e592ef01ee5, target duckdb)
CREATE TABLE IF NOT EXISTS SFE_RAW_MEDIA.RAW_LANDED_SUBSCRIBER_EVENTS (load_seq BIGINT NOT NULL DEFAULT NEXTVAL('SFE_RAW_MEDIA.RAW_LOAD_SEQ'), source_file TEXT NOT NULL, source_row BIGINT NOT NULL, loaded_at TIMESTAMP NOT NULL, payload JSON);
CREATE TABLE IF NOT EXISTS SFE_RAW_MEDIA.RAW_LANDED_CONTENT_ENGAGEMENT (load_seq BIGINT NOT NULL DEFAULT NEXTVAL('SFE_RAW_MEDIA.RAW_LOAD_SEQ'), source_file TEXT NOT NULL, source_row BIGINT NOT NULL, loaded_at TIMESTAMP NOT NULL, event_id TEXT, subscriber_id TEXT, article_id TEXT, event_timestamp TEXT, time_spent_seconds TEXT, device_type TEXT, user_agent TEXT, referrer TEXT, article_metadata TEXT);
CREATE TABLE IF NOT EXISTS SFE_RAW_MEDIA.RAW_LANDED_SUPPORT_INTERACTIONS (load_seq BIGINT NOT NULL DEFAULT NEXTVAL('SFE_RAW_MEDIA.RAW_LOAD_SEQ'), source_file TEXT NOT NULL, source_row BIGINT NOT NULL, loaded_at TIMESTAMP NOT NULL, ticket_id TEXT, subscriber_id TEXT, created_at TIMESTAMP, resolved_at TIMESTAMP, channel TEXT, category TEXT, priority TEXT, satisfaction_score BIGINT, status TEXT);
-- not run on DuckDB (CREATE FILE FORMAT IF NOT EXISTS ...): DuckDB has no file formats: c360/sources/readers.py parses the three formats
-- not run on DuckDB (CREATE FILE FORMAT IF NOT EXISTS ...): DuckDB has no file formats: c360/sources/readers.py parses the three formats
-- not run on DuckDB (CREATE FILE FORMAT IF NOT EXISTS ...): DuckDB has no file formats: c360/sources/readers.py parses the three formats
-- not run on DuckDB (CREATE STAGE IF NOT EXISTS SFE_RAW_MEDIA.SFE_LANDING_STAGE ...): DuckDB has no stages: the landing folders under C360_LANDING_DIR play the part
-- not run on DuckDB (CREATE PIPE IF NOT EXISTS SFE_RAW_MEDIA.SFE_CONTENT_PIPE ...): DuckDB has no pipes: c360 worker's landing job loads content batches every minute
-- not run on DuckDB (CREATE OR REPLACE PROCEDURE SFE_RAW_MEDIA.SFE_LOAD_SUBSCRIPTION_EVENTS() RETURNS ...): DuckDB has no COPY from a stage: c360/ops/landing.py loads the folder on the same schedule
-- not run on DuckDB (CREATE OR REPLACE PROCEDURE SFE_RAW_MEDIA.SFE_LOAD_CONTENT_ENGAGEMENT() RETURNS ...): DuckDB has no COPY from a stage: c360/ops/landing.py loads the folder on the same schedule
-- not run on DuckDB (CREATE OR REPLACE PROCEDURE SFE_RAW_MEDIA.SFE_LOAD_SUPPORT_TICKETS() RETURNS ...): DuckDB has no COPY from a stage: c360/ops/landing.py loads the folder on the same schedule
-- not run on DuckDB (CREATE OR REPLACE TASK SFE_RAW_MEDIA.sfe_load_subscription_events_task WAREHOUSE ...): on DuckDB `c360 worker`'s landing job runs these schedules (C360_LANDING_* settings)
-- not run on DuckDB (CREATE OR REPLACE TASK SFE_RAW_MEDIA.sfe_load_content_engagement_task WAREHOUSE ...): on DuckDB `c360 worker`'s landing job runs these schedules (C360_LANDING_* settings)
-- not run on DuckDB (CREATE OR REPLACE TASK SFE_RAW_MEDIA.sfe_load_support_tickets_task WAREHOUSE ...): on DuckDB `c360 worker`'s landing job runs these schedules (C360_LANDING_* settings)
-- not run on DuckDB (ALTER TASK SFE_RAW_MEDIA.sfe_load_subscription_events_task RESUME ...): on DuckDB `c360 worker`'s landing job runs these schedules (C360_LANDING_* settings)
-- not run on DuckDB (ALTER TASK SFE_RAW_MEDIA.sfe_load_content_engagement_task RESUME ...): on DuckDB `c360 worker`'s landing job runs these schedules (C360_LANDING_* settings)
-- not run on DuckDB (ALTER TASK SFE_RAW_MEDIA.sfe_load_support_tickets_task RESUME ...): on DuckDB `c360 worker`'s landing job runs these schedules (C360_LANDING_* settings)

-- V009__build_state.sql (checksum 325aa56b13cf, target duckdb)
CREATE TABLE IF NOT EXISTS SFE_ANALYTICS_MEDIA.BUILD_STATE (model_name TEXT NOT NULL /* e.g. FCT_ENGAGEMENT_DAILY */, built_through_seq BIGINT NOT NULL /* every staging row with source_load_seq <= this is in the model */, as_of_date DATE NOT NULL /* the model holds every day up to this one */, full_refresh BOOLEAN NOT NULL /* whether the build that wrote this row rebuilt everything */, run_id TEXT NOT NULL, built_at TIMESTAMP NOT NULL);

-- V010__engagement_device_daily.sql (checksum 4ad46cf25929, target duckdb)
CREATE TABLE IF NOT EXISTS SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DEVICE_DAILY (subscriber_id TEXT NOT NULL, activity_date DATE NOT NULL, device_type TEXT /* as staged; NULL when the view had none */, views BIGINT NOT NULL, total_time_spent BIGINT NOT NULL /* seconds */, built_at TIMESTAMP NOT NULL);
INSERT INTO SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DEVICE_DAILY (subscriber_id, activity_date, device_type, views, total_time_spent, built_at) SELECT v.subscriber_id, v.event_date, v.device_type, COUNT(*), SUM(v.time_spent_seconds), CAST(CURRENT_TIMESTAMP AS TIMESTAMP) FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT AS v WHERE v.event_date <= (SELECT MAX(as_of_date) FROM SFE_ANALYTICS_MEDIA.BUILD_STATE WHERE model_name = 'FCT_ENGAGEMENT_DAILY') GROUP BY v.subscriber_id, v.event_date, v.device_type;

-- R__feature_labels.sql (checksum bab7fa039372, target duckdb)
CREATE OR REPLACE TABLE SFE_ANALYTICS_MEDIA.FEATURE_LABELS (feature TEXT NOT NULL, label TEXT NOT NULL);
INSERT INTO SFE_ANALYTICS_MEDIA.FEATURE_LABELS (feature, label) SELECT feature, label FROM (SELECT 'engagement_score' AS feature, 'Average daily engagement score (0-100), last 30 days' AS label UNION ALL SELECT 'reads_per_day_30d', 'Articles read per day, last 30 days' UNION ALL SELECT 'engagement_trend', 'Reading trend: last 7 days against the 23 before' UNION ALL SELECT 'days_since_last_read', 'Days since the last article read' UNION ALL SELECT 'support_tickets_count', 'Support tickets, last 90 days' UNION ALL SELECT 'support_tickets_30d', 'Support tickets, last 30 days' UNION ALL SELECT 'cancellation_tickets_30d', 'Cancellation requests to support, last 30 days' UNION ALL SELECT 'subscription_tenure_days', 'Days since signing up' UNION ALL SELECT 'failed_payments_30d', 'Failed payments, last 30 days' UNION ALL SELECT 'downgrades_90d', 'Plan downgrades, last 90 days' UNION ALL SELECT 'plan', 'Subscription plan' UNION ALL SELECT 'acquisition_channel', 'Acquisition channel' UNION ALL SELECT 'days_since_failed_payment', 'Days since the last failed payment (90: none in 90 days)' UNION ALL SELECT 'failed_payments_decayed', 'Failed payments, recent ones weighing more (10-day half-life)' UNION ALL SELECT 'days_since_cancellation_ticket', 'Days since the last cancellation request (90: none in 90 days)' UNION ALL SELECT 'cancellation_tickets_decayed', 'Cancellation requests, recent ones weighing more (10-day half-life)') AS labels;

-- R__model_monitoring.sql (checksum 02af2ce8fe61, target duckdb)
INSERT OR REPLACE INTO C360_META.PROCEDURES (procedure_name, definition, updated_at) VALUES ('SFE_ANALYTICS_MEDIA.SFE_MONITOR_MODEL', '{
  "name": "SFE_ANALYTICS_MEDIA.SFE_MONITOR_MODEL",
  "args": [
    {
      "name": "as_of",
      "type": "DATE",
      "default": null
    },
    {
      "name": "run_id",
      "type": "VARCHAR",
      "default": null
    },
    {
      "name": "psi_limit",
      "type": "FLOAT",
      "default": "NULL"
    },
    {
      "name": "min_auc",
      "type": "FLOAT",
      "default": "NULL\n"
    }
  ],
  "variables": {
    "drift_limit": null,
    "auc_gate": null,
    "alerts_before": "0",
    "new_alerts": "0",
    "failed_checks": "0"
  },
  "exceptions": {
    "DQ_CHECK_FAILED": "data quality check failed: see SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS"
  },
  "steps": [
    {
      "kind": "assign",
      "sql": "(SELECT COALESCE(:psi_limit, 0.25))",
      "target": "drift_limit",
      "duckdb": "SELECT (SELECT COALESCE($psi_limit, 0.25))"
    },
    {
      "kind": "assign",
      "sql": "(SELECT COALESCE(:min_auc, 0.80))",
      "target": "auc_gate",
      "duckdb": "SELECT (SELECT COALESCE($min_auc, 0.80))"
    },
    {
      "kind": "begin",
      "sql": "",
      "target": ""
    },
    {
      "kind": "sql",
      "sql": "INSERT INTO SFE_ANALYTICS_MEDIA.FCT_MODEL_PERFORMANCE (\n    score_date, model_version, metric, name, value, run_id, recorded_at\n)\nWITH pending AS (\n    SELECT DISTINCT score_date\n    FROM SFE_ANALYTICS_MEDIA.FCT_CUSTOMER_HEALTH_SCORES\n    WHERE DATEADD(day, 30, score_date) <= :as_of::DATE\n        AND score_date NOT IN (SELECT score_date FROM SFE_ANALYTICS_MEDIA.FCT_MODEL_PERFORMANCE)\n),\n\nscores AS (\n    SELECT h.score_date, h.model_version, h.subscriber_id, h.churn_risk_score AS p, h.risk_tier\n    FROM SFE_ANALYTICS_MEDIA.FCT_CUSTOMER_HEALTH_SCORES AS h\n    INNER JOIN pending AS d ON d.score_date = h.score_date\n),\n\ncancelled AS (\n    SELECT DISTINCT s.score_date, s.subscriber_id\n    FROM scores AS s\n    INNER JOIN SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS AS e\n        ON e.subscriber_id = s.subscriber_id\n        AND e.event_timestamp >= DATEADD(day, 1, s.score_date)\n        AND e.event_timestamp < DATEADD(day, 31, s.score_date)\n    WHERE e.is_valid AND e.event_type = ''cancel''\n),\n\noutcomes AS (\n    SELECT s.*, IFF(c.subscriber_id IS NULL, 0, 1)::FLOAT AS y\n    FROM scores AS s\n    LEFT JOIN cancelled AS c ON c.score_date = s.score_date AND c.subscriber_id = s.subscriber_id\n),\n\nranked AS (\n    SELECT\n        o.*,\n        RANK() OVER (PARTITION BY o.score_date, o.model_version ORDER BY o.p)\n            + (COUNT(*) OVER (PARTITION BY o.score_date, o.model_version, o.p) - 1) / 2.0 AS score_rank,\n        NTILE(10) OVER (PARTITION BY o.score_date, o.model_version ORDER BY o.p, o.subscriber_id) AS decile\n    FROM outcomes AS o\n),\n\ntotals AS (\n    SELECT\n        score_date,\n        model_version,\n        COUNT(*)::FLOAT AS n,\n        SUM(y) AS positives,\n        SUM(y * score_rank) AS positive_rank_sum,\n        AVG((p - y) * (p - y)) AS brier,\n        AVG(p) AS mean_predicted\n    FROM ranked\n    GROUP BY score_date, model_version\n),\n\ndeciles AS (\n    SELECT score_date, model_version, decile, COUNT(*)::FLOAT AS n, AVG(p) AS predicted, AVG(y) AS observed\n    FROM ranked\n    GROUP BY score_date, model_version, decile\n),\n\ntiers AS (\n    SELECT score_date, model_version, risk_tier, COUNT(*)::FLOAT AS n, AVG(y) AS observed\n    FROM ranked\n    GROUP BY score_date, model_version, risk_tier\n),\n\nsummary AS (\n    SELECT\n        t.score_date,\n        t.model_version,\n        t.n,\n        t.positives,\n        t.positives / t.n AS base_rate,\n        IFF(\n            t.positives > 0 AND t.positives < t.n,\n            (t.positive_rank_sum - t.positives * (t.positives + 1) / 2) / (t.positives * (t.n - t.positives)),\n            NULL\n        ) AS roc_auc,\n        t.brier,\n        t.mean_predicted,\n        (\n            SELECT SUM(d.n * ABS(d.predicted - d.observed)) / SUM(d.n)\n            FROM deciles AS d\n            WHERE d.score_date = t.score_date AND d.model_version = t.model_version\n        ) AS calibration_error,\n        (\n            SELECT MAX(d.observed)\n            FROM deciles AS d\n            WHERE d.score_date = t.score_date AND d.model_version = t.model_version AND d.decile = 10\n        ) / NULLIF(t.positives / t.n, 0) AS top_decile_lift\n    FROM totals AS t\n),\n\nlong AS (\n    SELECT score_date, model_version, ''rows'' AS metric, ''all'' AS name, n AS value FROM summary\n    UNION ALL SELECT score_date, model_version, ''positives'', ''all'', positives FROM summary\n    UNION ALL SELECT score_date, model_version, ''base_rate'', ''all'', base_rate FROM summary\n    UNION ALL SELECT score_date, model_version, ''roc_auc'', ''all'', roc_auc FROM summary\n    UNION ALL SELECT score_date, model_version, ''brier'', ''all'', brier FROM summary\n    UNION ALL SELECT score_date, model_version, ''mean_predicted'', ''all'', mean_predicted FROM summary\n    UNION ALL SELECT score_date, model_version, ''calibration_error'', ''all'', calibration_error FROM summary\n    UNION ALL SELECT score_date, model_version, ''top_decile_lift'', ''all'', top_decile_lift FROM summary\n    UNION ALL SELECT score_date, model_version, ''decile_rows'', decile::VARCHAR, n FROM deciles\n    UNION ALL SELECT score_date, model_version, ''decile_predicted'', decile::VARCHAR, predicted FROM deciles\n    UNION ALL SELECT score_date, model_version, ''decile_observed'', decile::VARCHAR, observed FROM deciles\n    UNION ALL SELECT score_date, model_version, ''tier_rows'', risk_tier, n FROM tiers\n    UNION ALL SELECT score_date, model_version, ''tier_precision'', risk_tier, observed FROM tiers\n),\n\nfinal AS (\n    SELECT\n        score_date, model_version, metric, name, value, :run_id AS run_id,\n        CURRENT_TIMESTAMP()::TIMESTAMP_NTZ AS recorded_at\n    FROM long\n    WHERE value IS NOT NULL\n)\n\nSELECT * FROM final",
      "target": "",
      "duckdb": "INSERT INTO SFE_ANALYTICS_MEDIA.FCT_MODEL_PERFORMANCE (score_date, model_version, metric, name, value, run_id, recorded_at) WITH pending AS (SELECT DISTINCT score_date FROM SFE_ANALYTICS_MEDIA.FCT_CUSTOMER_HEALTH_SCORES WHERE score_date + INTERVAL 30 DAY <= CAST($as_of AS DATE) AND score_date <> ALL (SELECT score_date FROM SFE_ANALYTICS_MEDIA.FCT_MODEL_PERFORMANCE)), scores AS (SELECT h.score_date, h.model_version, h.subscriber_id, h.churn_risk_score AS p, h.risk_tier FROM SFE_ANALYTICS_MEDIA.FCT_CUSTOMER_HEALTH_SCORES AS h INNER JOIN pending AS d ON d.score_date = h.score_date), cancelled AS (SELECT DISTINCT s.score_date, s.subscriber_id FROM scores AS s INNER JOIN SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS AS e ON e.subscriber_id = s.subscriber_id AND e.event_timestamp >= s.score_date + INTERVAL 1 DAY AND e.event_timestamp < s.score_date + INTERVAL 31 DAY WHERE e.is_valid AND e.event_type = ''cancel''), outcomes AS (SELECT s.*, CAST(CASE WHEN c.subscriber_id IS NULL THEN 0 ELSE 1 END AS DOUBLE) AS y FROM scores AS s LEFT JOIN cancelled AS c ON c.score_date = s.score_date AND c.subscriber_id = s.subscriber_id), ranked AS (SELECT o.*, RANK() OVER (PARTITION BY o.score_date, o.model_version ORDER BY o.p) + (COUNT(*) OVER (PARTITION BY o.score_date, o.model_version, o.p) - 1) / 2.0 AS score_rank, NTILE(10) OVER (PARTITION BY o.score_date, o.model_version ORDER BY o.p, o.subscriber_id) AS decile FROM outcomes AS o), totals AS (SELECT score_date, model_version, CAST(COUNT(*) AS DOUBLE) AS n, SUM(y) AS positives, SUM(y * score_rank) AS positive_rank_sum, AVG((p - y) * (p - y)) AS brier, AVG(p) AS mean_predicted FROM ranked GROUP BY score_date, model_version), deciles AS (SELECT score_date, model_version, decile, CAST(COUNT(*) AS DOUBLE) AS n, AVG(p) AS predicted, AVG(y) AS observed FROM ranked GROUP BY score_date, model_version, decile), tiers AS (SELECT score_date, model_version, risk_tier, CAST(COUNT(*) AS DOUBLE) AS n, AVG(y) AS observed FROM ranked GROUP BY score_date, model_version, risk_tier), summary AS (SELECT t.score_date, t.model_version, t.n, t.positives, t.positives / t.n AS base_rate, CASE WHEN t.positives > 0 AND t.positives < t.n THEN (t.positive_rank_sum - t.positives * (t.positives + 1) / 2) / (t.positives * (t.n - t.positives)) ELSE NULL END AS roc_auc, t.brier, t.mean_predicted, (SELECT SUM(d.n * ABS(d.predicted - d.observed)) / SUM(d.n) FROM deciles AS d WHERE d.score_date = t.score_date AND d.model_version = t.model_version) AS calibration_error, (SELECT MAX(d.observed) FROM deciles AS d WHERE d.score_date = t.score_date AND d.model_version = t.model_version AND d.decile = 10) / NULLIF(t.positives / t.n, 0) AS top_decile_lift FROM totals AS t), long AS (SELECT score_date, model_version, ''rows'' AS metric, ''all'' AS name, n AS value FROM summary UNION ALL SELECT score_date, model_version, ''positives'', ''all'', positives FROM summary UNION ALL SELECT score_date, model_version, ''base_rate'', ''all'', base_rate FROM summary UNION ALL SELECT score_date, model_version, ''roc_auc'', ''all'', roc_auc FROM summary UNION ALL SELECT score_date, model_version, ''brier'', ''all'', brier FROM summary UNION ALL SELECT score_date, model_version, ''mean_predicted'', ''all'', mean_predicted FROM summary UNION ALL SELECT score_date, model_version, ''calibration_error'', ''all'', calibration_error FROM summary UNION ALL SELECT score_date, model_version, ''top_decile_lift'', ''all'', top_decile_lift FROM summary UNION ALL SELECT score_date, model_version, ''decile_rows'', CAST(decile AS TEXT), n FROM deciles UNION ALL SELECT score_date, model_version, ''decile_predicted'', CAST(decile AS TEXT), predicted FROM deciles UNION ALL SELECT score_date, model_version, ''decile_observed'', CAST(decile AS TEXT), observed FROM deciles UNION ALL SELECT score_date, model_version, ''tier_rows'', risk_tier, n FROM tiers UNION ALL SELECT score_date, model_version, ''tier_precision'', risk_tier, observed FROM tiers), final AS (SELECT score_date, model_version, metric, name, value, $run_id AS run_id, CAST(CURRENT_TIMESTAMP AS TIMESTAMP) AS recorded_at FROM long WHERE NOT value IS NULL) SELECT * FROM final",
      "tables": [
        "CANCELLED",
        "DECILES",
        "FINAL",
        "LONG",
        "OUTCOMES",
        "PENDING",
        "RANKED",
        "SCORES",
        "SFE_ANALYTICS_MEDIA.FCT_CUSTOMER_HEALTH_SCORES",
        "SFE_ANALYTICS_MEDIA.FCT_MODEL_PERFORMANCE",
        "SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS",
        "SUMMARY",
        "TIERS",
        "TOTALS"
      ],
      "dml": true
    },
    {
      "kind": "commit",
      "sql": "",
      "target": ""
    },
    {
      "kind": "sql",
      "sql": "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at)\n    SELECT :run_id, :as_of, ''fct_model_performance_grain_unique'', ''fct_model_performance'', COUNT(*), COUNT(*) = 0, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ\n    FROM (\n        SELECT score_date, model_version, metric, name\n        FROM SFE_ANALYTICS_MEDIA.FCT_MODEL_PERFORMANCE\n        GROUP BY score_date, model_version, metric, name\n        HAVING COUNT(*) > 1\n    ) AS failing",
      "target": "",
      "duckdb": "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at) SELECT $run_id, $as_of, ''fct_model_performance_grain_unique'', ''fct_model_performance'', COUNT(*), COUNT(*) = 0, CAST(CURRENT_TIMESTAMP AS TIMESTAMP) FROM (SELECT score_date, model_version, metric, name FROM SFE_ANALYTICS_MEDIA.FCT_MODEL_PERFORMANCE GROUP BY score_date, model_version, metric, name HAVING COUNT(*) > 1) AS failing",
      "tables": [
        "SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS",
        "SFE_ANALYTICS_MEDIA.FCT_MODEL_PERFORMANCE"
      ],
      "dml": true
    },
    {
      "kind": "sql",
      "sql": "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at)\n    SELECT :run_id, :as_of, ''fct_model_performance_window_closed'', ''fct_model_performance'', COUNT(*), COUNT(*) = 0, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ\n    FROM (\n        SELECT score_date\n        FROM SFE_ANALYTICS_MEDIA.FCT_MODEL_PERFORMANCE\n        WHERE DATEADD(day, 30, score_date) > :as_of::DATE\n    ) AS failing",
      "target": "",
      "duckdb": "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at) SELECT $run_id, $as_of, ''fct_model_performance_window_closed'', ''fct_model_performance'', COUNT(*), COUNT(*) = 0, CAST(CURRENT_TIMESTAMP AS TIMESTAMP) FROM (SELECT score_date FROM SFE_ANALYTICS_MEDIA.FCT_MODEL_PERFORMANCE WHERE score_date + INTERVAL 30 DAY > CAST($as_of AS DATE)) AS failing",
      "tables": [
        "SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS",
        "SFE_ANALYTICS_MEDIA.FCT_MODEL_PERFORMANCE"
      ],
      "dml": true
    },
    {
      "kind": "sql",
      "sql": "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at)\n    SELECT :run_id, :as_of, ''fct_model_performance_value_ranges'', ''fct_model_performance'', COUNT(*), COUNT(*) = 0, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ\n    FROM (\n        SELECT score_date, metric, name\n        FROM SFE_ANALYTICS_MEDIA.FCT_MODEL_PERFORMANCE\n        WHERE (metric IN (''roc_auc'', ''base_rate'', ''brier'', ''mean_predicted'', ''calibration_error'', ''decile_predicted'',\n                ''decile_observed'', ''tier_precision'') AND value NOT BETWEEN 0 AND 1)\n            OR (metric IN (''rows'', ''positives'', ''decile_rows'', ''tier_rows'', ''top_decile_lift'') AND value < 0)\n    ) AS failing",
      "target": "",
      "duckdb": "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at) SELECT $run_id, $as_of, ''fct_model_performance_value_ranges'', ''fct_model_performance'', COUNT(*), COUNT(*) = 0, CAST(CURRENT_TIMESTAMP AS TIMESTAMP) FROM (SELECT score_date, metric, name FROM SFE_ANALYTICS_MEDIA.FCT_MODEL_PERFORMANCE WHERE (metric IN (''roc_auc'', ''base_rate'', ''brier'', ''mean_predicted'', ''calibration_error'', ''decile_predicted'', ''decile_observed'', ''tier_precision'') AND NOT value BETWEEN 0 AND 1) OR (metric IN (''rows'', ''positives'', ''decile_rows'', ''tier_rows'', ''top_decile_lift'') AND value < 0)) AS failing",
      "tables": [
        "SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS",
        "SFE_ANALYTICS_MEDIA.FCT_MODEL_PERFORMANCE"
      ],
      "dml": true
    },
    {
      "kind": "assign",
      "sql": "(SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS WHERE run_id = :run_id AND NOT passed)",
      "target": "failed_checks",
      "duckdb": "SELECT (SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS WHERE run_id = $run_id AND NOT passed)"
    },
    {
      "kind": "raise_if",
      "sql": "failed_checks > 0",
      "target": "DQ_CHECK_FAILED",
      "duckdb": "SELECT $failed_checks > 0"
    },
    {
      "kind": "assign",
      "sql": "(SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.MODEL_ALERTS)",
      "target": "alerts_before",
      "duckdb": "SELECT (SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.MODEL_ALERTS)"
    },
    {
      "kind": "begin",
      "sql": "",
      "target": ""
    },
    {
      "kind": "sql",
      "sql": "INSERT INTO SFE_ANALYTICS_MEDIA.MODEL_ALERTS (\n    alert_id, kind, model_version, score_date, subject, value, threshold, run_id, recorded_at\n)\nWITH drift AS (\n    SELECT ''feature_drift'' AS kind, model_version, score_date, name AS subject, value, :drift_limit::FLOAT AS threshold\n    FROM SFE_ANALYTICS_MEDIA.FCT_SCORING_MONITOR\n    WHERE metric = ''psi'' AND value > :drift_limit::FLOAT AND score_date <= :as_of::DATE\n),\n\nrealised AS (\n    SELECT\n        ''realised_auc_below_gate'' AS kind, model_version, score_date, ''roc_auc'' AS subject, value,\n        :auc_gate::FLOAT AS threshold\n    FROM SFE_ANALYTICS_MEDIA.FCT_MODEL_PERFORMANCE\n    WHERE metric = ''roc_auc'' AND name = ''all'' AND value <= :auc_gate::FLOAT\n),\n\nfound AS (\n    SELECT\n        kind || '':'' || model_version || '':'' || TO_VARCHAR(score_date) || '':'' || subject AS alert_id,\n        kind, model_version, score_date, subject, value, threshold\n    FROM (SELECT * FROM drift UNION ALL SELECT * FROM realised) AS candidates\n),\n\nfinal AS (\n    SELECT f.*, :run_id AS run_id, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ AS recorded_at\n    FROM found AS f\n    WHERE f.alert_id NOT IN (SELECT alert_id FROM SFE_ANALYTICS_MEDIA.MODEL_ALERTS)\n)\n\nSELECT * FROM final",
      "target": "",
      "duckdb": "INSERT INTO SFE_ANALYTICS_MEDIA.MODEL_ALERTS (alert_id, kind, model_version, score_date, subject, value, threshold, run_id, recorded_at) WITH drift AS (SELECT ''feature_drift'' AS kind, model_version, score_date, name AS subject, value, CAST($drift_limit AS DOUBLE) AS threshold FROM SFE_ANALYTICS_MEDIA.FCT_SCORING_MONITOR WHERE metric = ''psi'' AND value > CAST($drift_limit AS DOUBLE) AND score_date <= CAST($as_of AS DATE)), realised AS (SELECT ''realised_auc_below_gate'' AS kind, model_version, score_date, ''roc_auc'' AS subject, value, CAST($auc_gate AS DOUBLE) AS threshold FROM SFE_ANALYTICS_MEDIA.FCT_MODEL_PERFORMANCE WHERE metric = ''roc_auc'' AND name = ''all'' AND value <= CAST($auc_gate AS DOUBLE)), found AS (SELECT kind || '':'' || model_version || '':'' || CAST(score_date AS TEXT) || '':'' || subject AS alert_id, kind, model_version, score_date, subject, value, threshold FROM (SELECT * FROM drift UNION ALL SELECT * FROM realised) AS candidates), final AS (SELECT f.*, $run_id AS run_id, CAST(CURRENT_TIMESTAMP AS TIMESTAMP) AS recorded_at FROM found AS f WHERE f.alert_id <> ALL (SELECT alert_id FROM SFE_ANALYTICS_MEDIA.MODEL_ALERTS)) SELECT * FROM final",
      "tables": [
        "DRIFT",
        "FINAL",
        "FOUND",
        "REALISED",
        "SFE_ANALYTICS_MEDIA.FCT_MODEL_PERFORMANCE",
        "SFE_ANALYTICS_MEDIA.FCT_SCORING_MONITOR",
        "SFE_ANALYTICS_MEDIA.MODEL_ALERTS"
      ],
      "dml": true
    },
    {
      "kind": "commit",
      "sql": "",
      "target": ""
    },
    {
      "kind": "assign",
      "sql": "(SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.MODEL_ALERTS) - :alerts_before",
      "target": "new_alerts",
      "duckdb": "SELECT (SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.MODEL_ALERTS) - $alerts_before"
    },
    {
      "kind": "return",
      "sql": "''model monitored as of '' || AS_OF::VARCHAR || '': '' || new_alerts::VARCHAR || '' new alert(s)''",
      "target": "",
      "duckdb": "SELECT ''model monitored as of '' || CAST($as_of AS TEXT) || '': '' || CAST($new_alerts AS TEXT) || '' new alert(s)''"
    }
  ]
}', now());

-- R__ops_views.sql (checksum b7b623573efa, target duckdb)
CREATE OR REPLACE VIEW SFE_RAW_MEDIA.V_LOAD_ORPHANS AS WITH known_subscribers AS (SELECT subscriber_id FROM SFE_STG_MEDIA.STG_UNIFIED_CUSTOMER), loaded_rows AS (SELECT load_id, subscriber_id FROM SFE_RAW_MEDIA.RAW_CONTENT_ENGAGEMENT UNION ALL SELECT load_id, subscriber_id FROM SFE_RAW_MEDIA.RAW_SUPPORT_INTERACTIONS), orphans AS (SELECT r.load_id, COUNT(*) AS orphaned_rows FROM loaded_rows AS r LEFT JOIN known_subscribers AS k ON k.subscriber_id = r.subscriber_id WHERE k.subscriber_id IS NULL GROUP BY r.load_id), final AS (SELECT h.load_id, h.source, h.source_file, h.rows_loaded, COALESCE(o.orphaned_rows, 0) AS orphaned_rows, h.finished_at FROM SFE_RAW_MEDIA.RAW_LOAD_HISTORY AS h LEFT JOIN orphans AS o ON o.load_id = h.load_id WHERE h.status = 'loaded' AND h.source IN ('content_engagement', 'support_tickets')) SELECT * FROM final;

-- R__procedures.sql (checksum 5d20419921a2, target duckdb)
INSERT OR REPLACE INTO C360_META.PROCEDURES (procedure_name, definition, updated_at) VALUES ('SFE_STG_MEDIA.SFE_PROCESS_SUBSCRIBERS', '{
  "name": "SFE_STG_MEDIA.SFE_PROCESS_SUBSCRIBERS",
  "args": [],
  "variables": {},
  "exceptions": {},
  "steps": [
    {
      "kind": "begin",
      "sql": "",
      "target": ""
    },
    {
      "kind": "sql",
      "sql": "MERGE INTO SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS AS tgt\nUSING (\n    WITH stream_rows AS (\n        SELECT load_seq, loaded_at, payload\n        FROM SFE_RAW_MEDIA.sfe_subscriber_events_stream\n        WHERE METADATA$ACTION = ''INSERT''\n    ),\n\n    parsed AS (\n        SELECT\n            NULLIF(TRIM(payload:event_id::VARCHAR), '''') AS payload_event_id,\n            NULLIF(TRIM(payload:subscriber_id::VARCHAR), '''') AS subscriber_id,\n            LOWER(NULLIF(TRIM(payload:event_type::VARCHAR), '''')) AS event_type,\n            CONVERT_TIMEZONE(''UTC'', TRY_CAST(payload:event_timestamp::VARCHAR AS TIMESTAMP_TZ))::TIMESTAMP_NTZ\n                AS event_timestamp,\n            COALESCE(LOWER(NULLIF(TRIM(payload:plan::VARCHAR), '''')), ''unknown'') AS plan,\n            TRY_CAST(payload:payment_amount::VARCHAR AS NUMBER(10, 2)) AS payment_amount,\n            LOWER(NULLIF(TRIM(payload:payment_status::VARCHAR), '''')) AS payment_status,\n            COALESCE(UPPER(NULLIF(TRIM(payload:currency::VARCHAR), '''')), ''USD'') AS currency,\n            UPPER(NULLIF(TRIM(payload:country::VARCHAR), '''')) AS country,\n            NULLIF(TRIM(payload:age_band::VARCHAR), '''') AS age_band,\n            LOWER(NULLIF(TRIM(payload:acquisition_channel::VARCHAR), '''')) AS acquisition_channel,\n            load_seq,\n            loaded_at\n        FROM stream_rows\n    ),\n\n    validated AS (\n        SELECT\n            COALESCE(payload_event_id, ''missing-event-id-'' || load_seq::VARCHAR) AS event_id,\n            subscriber_id,\n            event_type,\n            event_timestamp,\n            plan,\n            payment_amount,\n            IFF(event_type = ''payment'', COALESCE(payment_status, ''succeeded''), payment_status) AS payment_status,\n            currency,\n            country,\n            age_band,\n            acquisition_channel,\n            CASE\n                WHEN payload_event_id IS NULL THEN ''missing event_id''\n                WHEN subscriber_id IS NULL THEN ''missing subscriber_id''\n                WHEN event_type IS NULL\n                    OR event_type NOT IN (''signup'', ''upgrade'', ''downgrade'', ''cancel'', ''payment'')\n                    THEN ''unknown event_type''\n                WHEN event_timestamp IS NULL THEN ''unparseable event_timestamp''\n                -- e.g. 0001-01-01T00:00:00+14:00, a BC instant in UTC (the API refuses the same, c360.instants)\n                WHEN event_timestamp < ''1900-01-01''::TIMESTAMP_NTZ THEN ''event_timestamp before 1900''\n                WHEN event_timestamp > DATEADD(day, 1, loaded_at) THEN ''event_timestamp in the future''\n                WHEN event_type = ''payment'' AND (payment_amount IS NULL OR payment_amount <= 0)\n                    THEN ''non-positive payment_amount''\n            END AS invalid_reason,\n            load_seq,\n            loaded_at\n        FROM parsed\n    ),\n\n    final AS (\n        SELECT *\n        FROM validated\n        QUALIFY ROW_NUMBER() OVER (\n            PARTITION BY event_id ORDER BY event_timestamp DESC NULLS LAST, load_seq DESC\n        ) = 1\n    )\n\n    SELECT * FROM final\n) AS src\nON tgt.event_id = src.event_id\nWHEN MATCHED AND (\n    COALESCE(src.event_timestamp, ''1900-01-01''::TIMESTAMP_NTZ) > COALESCE(tgt.event_timestamp, ''1900-01-01''::TIMESTAMP_NTZ)\n    OR (\n        COALESCE(src.event_timestamp, ''1900-01-01''::TIMESTAMP_NTZ) = COALESCE(tgt.event_timestamp, ''1900-01-01''::TIMESTAMP_NTZ)\n        AND src.load_seq > tgt.source_load_seq\n    )\n) THEN UPDATE SET\n    subscriber_id = src.subscriber_id,\n    event_type = src.event_type,\n    event_timestamp = src.event_timestamp,\n    plan = src.plan,\n    payment_amount = src.payment_amount,\n    payment_status = src.payment_status,\n    currency = src.currency,\n    country = src.country,\n    age_band = src.age_band,\n    acquisition_channel = src.acquisition_channel,\n    is_valid = src.invalid_reason IS NULL,\n    invalid_reason = src.invalid_reason,\n    source_load_seq = src.load_seq,\n    loaded_at = src.loaded_at,\n    staged_at = CURRENT_TIMESTAMP()::TIMESTAMP_NTZ\nWHEN NOT MATCHED THEN INSERT (\n    event_id, subscriber_id, event_type, event_timestamp, plan, payment_amount, payment_status, currency,\n    country, age_band, acquisition_channel, is_valid, invalid_reason, source_load_seq, loaded_at, staged_at\n) VALUES (\n    src.event_id, src.subscriber_id, src.event_type, src.event_timestamp, src.plan, src.payment_amount,\n    src.payment_status, src.currency, src.country, src.age_band, src.acquisition_channel,\n    src.invalid_reason IS NULL, src.invalid_reason, src.load_seq, src.loaded_at, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ\n)",
      "target": "",
      "duckdb": "MERGE INTO SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS AS tgt USING (WITH stream_rows AS (SELECT load_seq, loaded_at, payload FROM SFE_RAW_MEDIA.sfe_subscriber_events_stream WHERE METADATA$ACTION = ''INSERT''), parsed AS (SELECT NULLIF(TRIM(payload ->> ''$.event_id''), '''') AS payload_event_id, NULLIF(TRIM(payload ->> ''$.subscriber_id''), '''') AS subscriber_id, LOWER(NULLIF(TRIM(payload ->> ''$.event_type''), '''')) AS event_type, CAST(TRY_CAST(payload ->> ''$.event_timestamp'' AS TIMESTAMPTZ) AT TIME ZONE ''UTC'' AS TIMESTAMP) AS event_timestamp, COALESCE(LOWER(NULLIF(TRIM(payload ->> ''$.plan''), '''')), ''unknown'') AS plan, TRY_CAST(payload ->> ''$.payment_amount'' AS DECIMAL(10, 2)) AS payment_amount, LOWER(NULLIF(TRIM(payload ->> ''$.payment_status''), '''')) AS payment_status, COALESCE(UPPER(NULLIF(TRIM(payload ->> ''$.currency''), '''')), ''USD'') AS currency, UPPER(NULLIF(TRIM(payload ->> ''$.country''), '''')) AS country, NULLIF(TRIM(payload ->> ''$.age_band''), '''') AS age_band, LOWER(NULLIF(TRIM(payload ->> ''$.acquisition_channel''), '''')) AS acquisition_channel, load_seq, loaded_at FROM stream_rows), validated AS (SELECT COALESCE(payload_event_id, ''missing-event-id-'' || CAST(load_seq AS TEXT)) AS event_id, subscriber_id, event_type, event_timestamp, plan, payment_amount, CASE WHEN event_type = ''payment'' THEN COALESCE(payment_status, ''succeeded'') ELSE payment_status END AS payment_status, currency, country, age_band, acquisition_channel, CASE WHEN payload_event_id IS NULL THEN ''missing event_id'' WHEN subscriber_id IS NULL THEN ''missing subscriber_id'' WHEN event_type IS NULL OR NOT event_type IN (''signup'', ''upgrade'', ''downgrade'', ''cancel'', ''payment'') THEN ''unknown event_type'' WHEN event_timestamp IS NULL THEN ''unparseable event_timestamp'' WHEN event_timestamp < CAST(''1900-01-01'' AS TIMESTAMP) THEN ''event_timestamp before 1900'' WHEN event_timestamp > loaded_at + INTERVAL 1 DAY THEN ''event_timestamp in the future'' WHEN event_type = ''payment'' AND (payment_amount IS NULL OR payment_amount <= 0) THEN ''non-positive payment_amount'' END AS invalid_reason, load_seq, loaded_at FROM parsed), final AS (SELECT * FROM validated QUALIFY ROW_NUMBER() OVER (PARTITION BY event_id ORDER BY event_timestamp DESC, load_seq DESC NULLS FIRST) = 1) SELECT * FROM final) AS src ON tgt.event_id = src.event_id WHEN MATCHED AND (COALESCE(src.event_timestamp, CAST(''1900-01-01'' AS TIMESTAMP)) > COALESCE(tgt.event_timestamp, CAST(''1900-01-01'' AS TIMESTAMP)) OR (COALESCE(src.event_timestamp, CAST(''1900-01-01'' AS TIMESTAMP)) = COALESCE(tgt.event_timestamp, CAST(''1900-01-01'' AS TIMESTAMP)) AND src.load_seq > tgt.source_load_seq)) THEN UPDATE SET subscriber_id = src.subscriber_id, event_type = src.event_type, event_timestamp = src.event_timestamp, plan = src.plan, payment_amount = src.payment_amount, payment_status = src.payment_status, currency = src.currency, country = src.country, age_band = src.age_band, acquisition_channel = src.acquisition_channel, is_valid = src.invalid_reason IS NULL, invalid_reason = src.invalid_reason, source_load_seq = src.load_seq, loaded_at = src.loaded_at, staged_at = CAST(CURRENT_TIMESTAMP AS TIMESTAMP) WHEN NOT MATCHED THEN INSERT (event_id, subscriber_id, event_type, event_timestamp, plan, payment_amount, payment_status, currency, country, age_band, acquisition_channel, is_valid, invalid_reason, source_load_seq, loaded_at, staged_at) VALUES (src.event_id, src.subscriber_id, src.event_type, src.event_timestamp, src.plan, src.payment_amount, src.payment_status, src.currency, src.country, src.age_band, src.acquisition_channel, src.invalid_reason IS NULL, src.invalid_reason, src.load_seq, src.loaded_at, CAST(CURRENT_TIMESTAMP AS TIMESTAMP))",
      "tables": [
        "FINAL",
        "PARSED",
        "SFE_RAW_MEDIA.SFE_SUBSCRIBER_EVENTS_STREAM",
        "SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS",
        "STREAM_ROWS",
        "VALIDATED"
      ],
      "dml": true
    },
    {
      "kind": "sql",
      "sql": "MERGE INTO SFE_STG_MEDIA.STG_UNIFIED_CUSTOMER AS tgt\nUSING (\n    WITH touched AS (\n        SELECT DISTINCT NULLIF(TRIM(payload:subscriber_id::VARCHAR), '''') AS subscriber_id\n        FROM SFE_RAW_MEDIA.sfe_subscriber_events_stream\n        WHERE METADATA$ACTION = ''INSERT''\n    ),\n\n    events AS (\n        SELECT e.*\n        FROM SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS AS e\n        INNER JOIN touched AS t ON e.subscriber_id = t.subscriber_id\n        WHERE e.is_valid\n    ),\n\n    -- The latest lifecycle event, plan and signup profile of each subscriber in the `events` CTE of the model\n-- that includes this file (STG_UNIFIED_CUSTOMER: all valid events of the touched subscribers;\n-- subscriber_profiles.sql: valid events up to the end of its day). Ties on the timestamp go to the later load.\nlatest_lifecycle AS (\n    SELECT subscriber_id, event_type, event_timestamp\n    FROM events\n    WHERE event_type IN (''signup'', ''upgrade'', ''downgrade'', ''cancel'')\n    QUALIFY ROW_NUMBER() OVER (PARTITION BY subscriber_id ORDER BY event_timestamp DESC, source_load_seq DESC) = 1\n),\n\nlatest_plan AS (\n    SELECT subscriber_id, plan\n    FROM events\n    WHERE plan <> ''unknown''\n    QUALIFY ROW_NUMBER() OVER (PARTITION BY subscriber_id ORDER BY event_timestamp DESC, source_load_seq DESC) = 1\n),\n\nprofile AS (\n    SELECT subscriber_id, country, age_band, acquisition_channel\n    FROM events\n    WHERE event_type = ''signup''\n    QUALIFY ROW_NUMBER() OVER (PARTITION BY subscriber_id ORDER BY event_timestamp DESC, source_load_seq DESC) = 1\n),\n\n    summary AS (\n        SELECT\n            subscriber_id,\n            MIN(IFF(event_type = ''signup'', event_timestamp, NULL)) AS signup_at,\n            MIN(event_timestamp) AS first_event_at,\n            MAX(event_timestamp) AS last_event_at,\n            COUNT(*) AS valid_event_count\n        FROM events\n        GROUP BY subscriber_id\n    ),\n\n    final AS (\n        SELECT\n            s.subscriber_id,\n            COALESCE(s.signup_at, s.first_event_at) AS signup_at,\n            IFF(l.event_type = ''cancel'', ''cancelled'', ''active'') AS status,\n            COALESCE(p.plan, ''unknown'') AS plan,\n            IFF(l.event_type = ''cancel'', l.event_timestamp, NULL) AS cancelled_at,\n            pr.country,\n            pr.age_band,\n            pr.acquisition_channel,\n            s.first_event_at,\n            s.last_event_at,\n            s.valid_event_count\n        FROM summary AS s\n        LEFT JOIN latest_lifecycle AS l ON l.subscriber_id = s.subscriber_id\n        LEFT JOIN latest_plan AS p ON p.subscriber_id = s.subscriber_id\n        LEFT JOIN profile AS pr ON pr.subscriber_id = s.subscriber_id\n    )\n\n    SELECT * FROM final\n) AS src\nON tgt.subscriber_id = src.subscriber_id\nWHEN MATCHED THEN UPDATE SET\n    signup_at = src.signup_at,\n    status = src.status,\n    plan = src.plan,\n    cancelled_at = src.cancelled_at,\n    country = src.country,\n    age_band = src.age_band,\n    acquisition_channel = src.acquisition_channel,\n    first_event_at = src.first_event_at,\n    last_event_at = src.last_event_at,\n    valid_event_count = src.valid_event_count,\n    updated_at = CURRENT_TIMESTAMP()::TIMESTAMP_NTZ\nWHEN NOT MATCHED THEN INSERT (\n    subscriber_id, signup_at, status, plan, cancelled_at, country, age_band, acquisition_channel,\n    first_event_at, last_event_at, valid_event_count, updated_at\n) VALUES (\n    src.subscriber_id, src.signup_at, src.status, src.plan, src.cancelled_at, src.country, src.age_band,\n    src.acquisition_channel, src.first_event_at, src.last_event_at, src.valid_event_count,\n    CURRENT_TIMESTAMP()::TIMESTAMP_NTZ\n)",
      "target": "",
      "duckdb": "MERGE INTO SFE_STG_MEDIA.STG_UNIFIED_CUSTOMER AS tgt USING (WITH touched AS (SELECT DISTINCT NULLIF(TRIM(payload ->> ''$.subscriber_id''), '''') AS subscriber_id FROM SFE_RAW_MEDIA.sfe_subscriber_events_stream WHERE METADATA$ACTION = ''INSERT''), events AS (SELECT e.* FROM SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS AS e INNER JOIN touched AS t ON e.subscriber_id = t.subscriber_id WHERE e.is_valid), latest_lifecycle /* The latest lifecycle event, plan and signup profile of each subscriber in the `events` CTE of the model */ /* that includes this file (STG_UNIFIED_CUSTOMER: all valid events of the touched subscribers; */ /* subscriber_profiles.sql: valid events up to the end of its day). Ties on the timestamp go to the later load. */ AS (SELECT subscriber_id, event_type, event_timestamp FROM events WHERE event_type IN (''signup'', ''upgrade'', ''downgrade'', ''cancel'') QUALIFY ROW_NUMBER() OVER (PARTITION BY subscriber_id ORDER BY event_timestamp DESC NULLS FIRST, source_load_seq DESC NULLS FIRST) = 1), latest_plan AS (SELECT subscriber_id, plan FROM events WHERE plan <> ''unknown'' QUALIFY ROW_NUMBER() OVER (PARTITION BY subscriber_id ORDER BY event_timestamp DESC NULLS FIRST, source_load_seq DESC NULLS FIRST) = 1), profile AS (SELECT subscriber_id, country, age_band, acquisition_channel FROM events WHERE event_type = ''signup'' QUALIFY ROW_NUMBER() OVER (PARTITION BY subscriber_id ORDER BY event_timestamp DESC NULLS FIRST, source_load_seq DESC NULLS FIRST) = 1), summary AS (SELECT subscriber_id, MIN(CASE WHEN event_type = ''signup'' THEN event_timestamp ELSE NULL END) AS signup_at, MIN(event_timestamp) AS first_event_at, MAX(event_timestamp) AS last_event_at, COUNT(*) AS valid_event_count FROM events GROUP BY subscriber_id), final AS (SELECT s.subscriber_id, COALESCE(s.signup_at, s.first_event_at) AS signup_at, CASE WHEN l.event_type = ''cancel'' THEN ''cancelled'' ELSE ''active'' END AS status, COALESCE(p.plan, ''unknown'') AS plan, CASE WHEN l.event_type = ''cancel'' THEN l.event_timestamp ELSE NULL END AS cancelled_at, pr.country, pr.age_band, pr.acquisition_channel, s.first_event_at, s.last_event_at, s.valid_event_count FROM summary AS s LEFT JOIN latest_lifecycle AS l ON l.subscriber_id = s.subscriber_id LEFT JOIN latest_plan AS p ON p.subscriber_id = s.subscriber_id LEFT JOIN profile AS pr ON pr.subscriber_id = s.subscriber_id) SELECT * FROM final) AS src ON tgt.subscriber_id = src.subscriber_id WHEN MATCHED THEN UPDATE SET signup_at = src.signup_at, status = src.status, plan = src.plan, cancelled_at = src.cancelled_at, country = src.country, age_band = src.age_band, acquisition_channel = src.acquisition_channel, first_event_at = src.first_event_at, last_event_at = src.last_event_at, valid_event_count = src.valid_event_count, updated_at = CAST(CURRENT_TIMESTAMP AS TIMESTAMP) WHEN NOT MATCHED THEN INSERT (subscriber_id, signup_at, status, plan, cancelled_at, country, age_band, acquisition_channel, first_event_at, last_event_at, valid_event_count, updated_at) VALUES (src.subscriber_id, src.signup_at, src.status, src.plan, src.cancelled_at, src.country, src.age_band, src.acquisition_channel, src.first_event_at, src.last_event_at, src.valid_event_count, CAST(CURRENT_TIMESTAMP AS TIMESTAMP))",
      "tables": [
        "EVENTS",
        "FINAL",
        "LATEST_LIFECYCLE",
        "LATEST_PLAN",
        "PROFILE",
        "SFE_RAW_MEDIA.SFE_SUBSCRIBER_EVENTS_STREAM",
        "SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS",
        "SFE_STG_MEDIA.STG_UNIFIED_CUSTOMER",
        "SUMMARY",
        "TOUCHED"
      ],
      "dml": true
    },
    {
      "kind": "commit",
      "sql": "",
      "target": ""
    },
    {
      "kind": "return",
      "sql": "''processed subscriber events''",
      "target": "",
      "duckdb": "SELECT ''processed subscriber events''"
    }
  ]
}', now());
INSERT OR REPLACE INTO C360_META.PROCEDURES (procedure_name, definition, updated_at) VALUES ('SFE_STG_MEDIA.SFE_PROCESS_ENGAGEMENT', '{
  "name": "SFE_STG_MEDIA.SFE_PROCESS_ENGAGEMENT",
  "args": [],
  "variables": {},
  "exceptions": {},
  "steps": [
    {
      "kind": "sql",
      "sql": "INSERT INTO SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT (\n    event_id, subscriber_id, article_id, section, word_count, author, event_timestamp, event_date,\n    time_spent_seconds, engagement_score, device_type, referrer, source_load_seq, staged_at\n)\nWITH stream_rows AS (\n    SELECT *\n    FROM SFE_RAW_MEDIA.sfe_content_stream\n    WHERE METADATA$ACTION = ''INSERT''\n),\n\nparsed AS (\n    SELECT\n        NULLIF(TRIM(event_id), '''') AS event_id,\n        NULLIF(TRIM(subscriber_id), '''') AS subscriber_id,\n        UPPER(NULLIF(TRIM(article_id), '''')) AS article_id,\n        CONVERT_TIMEZONE(''UTC'', TRY_CAST(event_timestamp AS TIMESTAMP_TZ))::TIMESTAMP_NTZ AS event_ts,\n        GREATEST(COALESCE(TRY_CAST(time_spent_seconds AS NUMBER(38, 0)), 0), 0) AS seconds,\n        TRY_PARSE_JSON(article_metadata) AS metadata,\n        LOWER(NULLIF(TRIM(device_type), '''')) AS device_type,\n        LOWER(NULLIF(TRIM(referrer), '''')) AS referrer,\n        COALESCE(user_agent, '''') AS user_agent,\n        load_seq,\n        loaded_at\n    FROM stream_rows\n),\n\nhumans AS (\n    SELECT *\n    FROM parsed\n    WHERE event_id IS NOT NULL\n        AND subscriber_id IS NOT NULL\n        AND event_ts IS NOT NULL\n        AND event_ts <= DATEADD(day, 1, loaded_at)\n        AND NOT LOWER(user_agent) LIKE ANY (\n            ''%bot%'', ''%crawler%'', ''%spider%'', ''%slurp%'', ''%headless%'', ''%python-requests%'', ''%curl/%'', ''%wget/%''\n        )\n),\n\nfinal AS (\n    SELECT\n        event_id,\n        subscriber_id,\n        article_id,\n        COALESCE(LOWER(NULLIF(TRIM(metadata:section::VARCHAR), '''')), ''unknown'') AS section,\n        TRY_CAST(metadata:word_count::VARCHAR AS NUMBER(38, 0)) AS word_count,\n        NULLIF(TRIM(metadata:author::VARCHAR), '''') AS author,\n        event_ts AS event_timestamp,\n        event_ts::DATE AS event_date,\n        seconds AS time_spent_seconds,\n        ROUND(100 * LEAST(1, LN(1 + seconds) / LN(601)), 2) AS engagement_score,\n        device_type,\n        referrer,\n        load_seq\n    FROM humans\n    QUALIFY ROW_NUMBER() OVER (PARTITION BY event_id ORDER BY load_seq DESC) = 1\n)\n\nSELECT\n    event_id, subscriber_id, article_id, section, word_count, author, event_timestamp, event_date,\n    time_spent_seconds, engagement_score, device_type, referrer, load_seq, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ\nFROM final AS src\nWHERE NOT EXISTS (\n    SELECT 1 FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT AS staged WHERE staged.event_id = src.event_id\n)",
      "target": "",
      "duckdb": "INSERT INTO SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT (event_id, subscriber_id, article_id, section, word_count, author, event_timestamp, event_date, time_spent_seconds, engagement_score, device_type, referrer, source_load_seq, staged_at) WITH stream_rows AS (SELECT * FROM SFE_RAW_MEDIA.sfe_content_stream WHERE METADATA$ACTION = ''INSERT''), parsed AS (SELECT NULLIF(TRIM(event_id), '''') AS event_id, NULLIF(TRIM(subscriber_id), '''') AS subscriber_id, UPPER(NULLIF(TRIM(article_id), '''')) AS article_id, CAST(TRY_CAST(event_timestamp AS TIMESTAMPTZ) AT TIME ZONE ''UTC'' AS TIMESTAMP) AS event_ts, CASE WHEN COALESCE(TRY_CAST(time_spent_seconds AS DECIMAL(38, 0)), 0) IS NULL OR 0 IS NULL THEN NULL ELSE GREATEST(COALESCE(TRY_CAST(time_spent_seconds AS DECIMAL(38, 0)), 0), 0) END AS seconds, CASE WHEN JSON_VALID(article_metadata) THEN CAST(article_metadata AS JSON) ELSE NULL END AS metadata, LOWER(NULLIF(TRIM(device_type), '''')) AS device_type, LOWER(NULLIF(TRIM(referrer), '''')) AS referrer, COALESCE(user_agent, '''') AS user_agent, load_seq, loaded_at FROM stream_rows), humans AS (SELECT * FROM parsed WHERE NOT event_id IS NULL AND NOT subscriber_id IS NULL AND NOT event_ts IS NULL AND event_ts <= loaded_at + INTERVAL 1 DAY AND NOT (((((((LOWER(user_agent) LIKE ''%bot%'' OR LOWER(user_agent) LIKE ''%crawler%'') OR LOWER(user_agent) LIKE ''%spider%'') OR LOWER(user_agent) LIKE ''%slurp%'') OR LOWER(user_agent) LIKE ''%headless%'') OR LOWER(user_agent) LIKE ''%python-requests%'') OR LOWER(user_agent) LIKE ''%curl/%'') OR LOWER(user_agent) LIKE ''%wget/%'')), final AS (SELECT event_id, subscriber_id, article_id, COALESCE(LOWER(NULLIF(TRIM(metadata ->> ''$.section''), '''')), ''unknown'') AS section, TRY_CAST(metadata ->> ''$.word_count'' AS DECIMAL(38, 0)) AS word_count, NULLIF(TRIM(metadata ->> ''$.author''), '''') AS author, event_ts AS event_timestamp, CAST(event_ts AS DATE) AS event_date, seconds AS time_spent_seconds, ROUND(100 * CASE WHEN 1 IS NULL OR (LN(1 + seconds) / LN(601)) IS NULL THEN NULL ELSE LEAST(1, LN(1 + seconds) / LN(601)) END, 2) AS engagement_score, device_type, referrer, load_seq FROM humans QUALIFY ROW_NUMBER() OVER (PARTITION BY event_id ORDER BY load_seq DESC NULLS FIRST) = 1) SELECT event_id, subscriber_id, article_id, section, word_count, author, event_timestamp, event_date, time_spent_seconds, engagement_score, device_type, referrer, load_seq, CAST(CURRENT_TIMESTAMP AS TIMESTAMP) FROM final AS src WHERE NOT EXISTS(SELECT 1 FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT AS staged WHERE staged.event_id = src.event_id)",
      "tables": [
        "FINAL",
        "HUMANS",
        "PARSED",
        "SFE_RAW_MEDIA.SFE_CONTENT_STREAM",
        "SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT",
        "STREAM_ROWS"
      ],
      "dml": true
    },
    {
      "kind": "return",
      "sql": "''processed content engagement''",
      "target": "",
      "duckdb": "SELECT ''processed content engagement''"
    }
  ]
}', now());
INSERT OR REPLACE INTO C360_META.PROCEDURES (procedure_name, definition, updated_at) VALUES ('SFE_ANALYTICS_MEDIA.SFE_BUILD_DAILY', '{
  "name": "SFE_ANALYTICS_MEDIA.SFE_BUILD_DAILY",
  "args": [
    {
      "name": "as_of",
      "type": "DATE",
      "default": null
    },
    {
      "name": "run_id",
      "type": "VARCHAR",
      "default": null
    },
    {
      "name": "full_refresh",
      "type": "BOOLEAN",
      "default": "FALSE\n"
    }
  ],
  "variables": {
    "failed_checks": "0",
    "first_loaded_day": null,
    "last_loaded_day": null,
    "high_seq": null,
    "checked_seq": null,
    "built_seq": null,
    "built_as_of": null,
    "rebuild_after": null,
    "next_seq": null,
    "next_as_of": null
  },
  "exceptions": {
    "DQ_CHECK_FAILED": "data quality check failed: see SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS",
    "AS_OF_OUT_OF_RANGE": "AS_OF is outside the days with loaded content views: nothing was built"
  },
  "steps": [
    {
      "kind": "assign",
      "sql": "(SELECT MIN(event_date) FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT)",
      "target": "first_loaded_day",
      "duckdb": "SELECT (SELECT MIN(event_date) FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT)"
    },
    {
      "kind": "assign",
      "sql": "(SELECT MAX(event_date) FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT)",
      "target": "last_loaded_day",
      "duckdb": "SELECT (SELECT MAX(event_date) FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT)"
    },
    {
      "kind": "raise_if",
      "sql": "last_loaded_day IS NULL OR AS_OF > last_loaded_day OR AS_OF < first_loaded_day",
      "target": "AS_OF_OUT_OF_RANGE",
      "duckdb": "SELECT $last_loaded_day IS NULL OR $as_of > $last_loaded_day OR $as_of < $first_loaded_day"
    },
    {
      "kind": "assign",
      "sql": "(\n        SELECT COALESCE(MAX(built_through_seq), 0) FROM SFE_ANALYTICS_MEDIA.BUILD_STATE\n        WHERE model_name = ''FCT_ENGAGEMENT_DAILY'' AND NOT COALESCE(:full_refresh, FALSE)\n    )",
      "target": "checked_seq",
      "duckdb": "SELECT (SELECT COALESCE(MAX(built_through_seq), 0) FROM SFE_ANALYTICS_MEDIA.BUILD_STATE WHERE model_name = ''FCT_ENGAGEMENT_DAILY'' AND NOT COALESCE($full_refresh, FALSE))"
    },
    {
      "kind": "sql",
      "sql": "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at)\n    SELECT :run_id, :as_of, ''stg_subscriber_events_event_id_unique'', ''staging'', COUNT(*), COUNT(*) = 0, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ\n    FROM (\n        SELECT event_id\n        FROM SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS\n        GROUP BY event_id\n        HAVING COUNT(*) > 1\n    ) AS failing",
      "target": "",
      "duckdb": "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at) SELECT $run_id, $as_of, ''stg_subscriber_events_event_id_unique'', ''staging'', COUNT(*), COUNT(*) = 0, CAST(CURRENT_TIMESTAMP AS TIMESTAMP) FROM (SELECT event_id FROM SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS GROUP BY event_id HAVING COUNT(*) > 1) AS failing",
      "tables": [
        "SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS",
        "SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS"
      ],
      "dml": true
    },
    {
      "kind": "sql",
      "sql": "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at)\n    SELECT :run_id, :as_of, ''stg_subscriber_events_invalid_below_10pct'', ''staging'', COUNT(*), COUNT(*) = 0, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ\n    FROM (\n        SELECT invalid_share\n        FROM (\n            SELECT AVG(IFF(is_valid, 0, 1)) AS invalid_share\n            FROM SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS\n        ) AS shares\n        WHERE invalid_share > 0.10\n    ) AS failing",
      "target": "",
      "duckdb": "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at) SELECT $run_id, $as_of, ''stg_subscriber_events_invalid_below_10pct'', ''staging'', COUNT(*), COUNT(*) = 0, CAST(CURRENT_TIMESTAMP AS TIMESTAMP) FROM (SELECT invalid_share FROM (SELECT AVG(CASE WHEN is_valid THEN 0 ELSE 1 END) AS invalid_share FROM SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS) AS shares WHERE invalid_share > 0.10) AS failing",
      "tables": [
        "SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS",
        "SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS"
      ],
      "dml": true
    },
    {
      "kind": "sql",
      "sql": "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at)\n    SELECT :run_id, :as_of, ''stg_subscriber_events_valid_payments_positive'', ''staging'', COUNT(*), COUNT(*) = 0, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ\n    FROM (\n        SELECT event_id\n        FROM SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS\n        WHERE is_valid AND event_type = ''payment'' AND NOT payment_amount > 0\n    ) AS failing",
      "target": "",
      "duckdb": "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at) SELECT $run_id, $as_of, ''stg_subscriber_events_valid_payments_positive'', ''staging'', COUNT(*), COUNT(*) = 0, CAST(CURRENT_TIMESTAMP AS TIMESTAMP) FROM (SELECT event_id FROM SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS WHERE is_valid AND event_type = ''payment'' AND NOT payment_amount > 0) AS failing",
      "tables": [
        "SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS",
        "SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS"
      ],
      "dml": true
    },
    {
      "kind": "sql",
      "sql": "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at)\n    SELECT :run_id, :as_of, ''stg_unified_customer_subscriber_id_unique'', ''staging'', COUNT(*), COUNT(*) = 0, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ\n    FROM (\n        SELECT subscriber_id\n        FROM SFE_STG_MEDIA.STG_UNIFIED_CUSTOMER\n        GROUP BY subscriber_id\n        HAVING COUNT(*) > 1\n    ) AS failing",
      "target": "",
      "duckdb": "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at) SELECT $run_id, $as_of, ''stg_unified_customer_subscriber_id_unique'', ''staging'', COUNT(*), COUNT(*) = 0, CAST(CURRENT_TIMESTAMP AS TIMESTAMP) FROM (SELECT subscriber_id FROM SFE_STG_MEDIA.STG_UNIFIED_CUSTOMER GROUP BY subscriber_id HAVING COUNT(*) > 1) AS failing",
      "tables": [
        "SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS",
        "SFE_STG_MEDIA.STG_UNIFIED_CUSTOMER"
      ],
      "dml": true
    },
    {
      "kind": "sql",
      "sql": "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at)\n    SELECT :run_id, :as_of, ''stg_content_engagement_event_id_unique'', ''staging'', COUNT(*), COUNT(*) = 0, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ\n    FROM (\n        SELECT event_id\n        FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT\n        WHERE :checked_seq = 0\n        GROUP BY event_id\n        HAVING COUNT(*) > 1\n        UNION ALL\n        SELECT event_id\n        FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT\n        WHERE :checked_seq > 0\n            AND event_id IN (\n                SELECT event_id FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT WHERE source_load_seq > :checked_seq\n            )\n        GROUP BY event_id\n        HAVING COUNT(*) > 1\n    ) AS failing",
      "target": "",
      "duckdb": "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at) SELECT $run_id, $as_of, ''stg_content_engagement_event_id_unique'', ''staging'', COUNT(*), COUNT(*) = 0, CAST(CURRENT_TIMESTAMP AS TIMESTAMP) FROM (SELECT event_id FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT WHERE $checked_seq = 0 GROUP BY event_id HAVING COUNT(*) > 1 UNION ALL SELECT event_id FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT WHERE $checked_seq > 0 AND event_id IN (SELECT event_id FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT WHERE source_load_seq > $checked_seq) GROUP BY event_id HAVING COUNT(*) > 1) AS failing",
      "tables": [
        "SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS",
        "SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT"
      ],
      "dml": true
    },
    {
      "kind": "sql",
      "sql": "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at)\n    SELECT :run_id, :as_of, ''stg_content_engagement_score_range'', ''staging'', COUNT(*), COUNT(*) = 0, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ\n    FROM (\n        SELECT event_id\n        FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT\n        WHERE source_load_seq > :checked_seq\n            AND (engagement_score NOT BETWEEN 0 AND 100 OR time_spent_seconds < 0)\n    ) AS failing",
      "target": "",
      "duckdb": "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at) SELECT $run_id, $as_of, ''stg_content_engagement_score_range'', ''staging'', COUNT(*), COUNT(*) = 0, CAST(CURRENT_TIMESTAMP AS TIMESTAMP) FROM (SELECT event_id FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT WHERE source_load_seq > $checked_seq AND (NOT engagement_score BETWEEN 0 AND 100 OR time_spent_seconds < 0)) AS failing",
      "tables": [
        "SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS",
        "SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT"
      ],
      "dml": true
    },
    {
      "kind": "assign",
      "sql": "(SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS WHERE run_id = :run_id AND NOT passed)",
      "target": "failed_checks",
      "duckdb": "SELECT (SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS WHERE run_id = $run_id AND NOT passed)"
    },
    {
      "kind": "raise_if",
      "sql": "failed_checks > 0",
      "target": "DQ_CHECK_FAILED",
      "duckdb": "SELECT $failed_checks > 0"
    },
    {
      "kind": "begin",
      "sql": "",
      "target": ""
    },
    {
      "kind": "sql",
      "sql": "DELETE FROM SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS\nWHERE :as_of::DATE >= (SELECT MAX(as_of_date) FROM SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS)",
      "target": "",
      "duckdb": "DELETE FROM SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS WHERE CAST($as_of AS DATE) >= (SELECT MAX(as_of_date) FROM SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS)",
      "tables": [
        "SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS"
      ],
      "dml": true
    },
    {
      "kind": "sql",
      "sql": "INSERT INTO SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS (\n    subscriber_id, as_of_date, status, plan, signup_date, cancelled_at, tenure_days, lifetime_value,\n    payments_count, failed_payments_count, country, age_band, acquisition_channel, demographic_segment,\n    last_event_at, built_at\n)\nSELECT\n    subscriber_id, as_of_date, status, plan, signup_date, cancelled_at, tenure_days, lifetime_value,\n    payments_count, failed_payments_count, country, age_band, acquisition_channel, demographic_segment,\n    last_event_at, built_at\nFROM (\n-- Every subscriber with a valid subscription event by the end of :as_of, as they were at that moment:\n-- the one definition of a subscriber''s profile, read by the DIM_SUBSCRIBERS build and by each publish\n-- (which computes it for the published run''s score_date, whatever day DIM_SUBSCRIBERS was last built).\n--   * status: cancelled when the latest lifecycle event (signup/upgrade/downgrade/cancel) is a cancel\n--   * plan: from the latest valid event that carries one\n--   * country, age band, channel: from the latest signup event\n--   * tenure_days = :as_of - signup_date; lifetime_value = succeeded, valid payments up to :as_of\n--   * demographic_segment from DEMOGRAPHIC_SEGMENT_MAP by age band (''Unknown'' when unmapped)\nWITH events AS (\n    SELECT *\n    FROM SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS\n    WHERE is_valid\n        AND event_timestamp < DATEADD(day, 1, :as_of::DATE)\n),\n\n-- The latest lifecycle event, plan and signup profile of each subscriber in the `events` CTE of the model\n-- that includes this file (STG_UNIFIED_CUSTOMER: all valid events of the touched subscribers;\n-- subscriber_profiles.sql: valid events up to the end of its day). Ties on the timestamp go to the later load.\nlatest_lifecycle AS (\n    SELECT subscriber_id, event_type, event_timestamp\n    FROM events\n    WHERE event_type IN (''signup'', ''upgrade'', ''downgrade'', ''cancel'')\n    QUALIFY ROW_NUMBER() OVER (PARTITION BY subscriber_id ORDER BY event_timestamp DESC, source_load_seq DESC) = 1\n),\n\nlatest_plan AS (\n    SELECT subscriber_id, plan\n    FROM events\n    WHERE plan <> ''unknown''\n    QUALIFY ROW_NUMBER() OVER (PARTITION BY subscriber_id ORDER BY event_timestamp DESC, source_load_seq DESC) = 1\n),\n\nprofile AS (\n    SELECT subscriber_id, country, age_band, acquisition_channel\n    FROM events\n    WHERE event_type = ''signup''\n    QUALIFY ROW_NUMBER() OVER (PARTITION BY subscriber_id ORDER BY event_timestamp DESC, source_load_seq DESC) = 1\n),\n\nsummary AS (\n    SELECT\n        subscriber_id,\n        MIN(IFF(event_type = ''signup'', event_timestamp, NULL)) AS signup_at,\n        MIN(event_timestamp) AS first_event_at,\n        MAX(event_timestamp) AS last_event_at,\n        SUM(IFF(event_type = ''payment'' AND payment_status = ''succeeded'', payment_amount, 0)) AS lifetime_value,\n        COUNT_IF(event_type = ''payment'' AND payment_status = ''succeeded'') AS payments_count,\n        COUNT_IF(event_type = ''payment'' AND payment_status = ''failed'') AS failed_payments_count\n    FROM events\n    GROUP BY subscriber_id\n),\n\nfinal AS (\n    SELECT\n        s.subscriber_id,\n        :as_of::DATE AS as_of_date,\n        IFF(l.event_type = ''cancel'', ''cancelled'', ''active'') AS status,\n        COALESCE(p.plan, ''unknown'') AS plan,\n        COALESCE(s.signup_at, s.first_event_at)::DATE AS signup_date,\n        IFF(l.event_type = ''cancel'', l.event_timestamp, NULL) AS cancelled_at,\n        DATEDIFF(day, COALESCE(s.signup_at, s.first_event_at)::DATE, :as_of::DATE) AS tenure_days,\n        s.lifetime_value,\n        s.payments_count,\n        s.failed_payments_count,\n        g.country,\n        g.age_band,\n        g.acquisition_channel,\n        COALESCE(m.demographic_segment, ''Unknown'') AS demographic_segment,\n        s.last_event_at,\n        CURRENT_TIMESTAMP()::TIMESTAMP_NTZ AS built_at\n    FROM summary AS s\n    LEFT JOIN latest_lifecycle AS l ON l.subscriber_id = s.subscriber_id\n    LEFT JOIN latest_plan AS p ON p.subscriber_id = s.subscriber_id\n    LEFT JOIN profile AS g ON g.subscriber_id = s.subscriber_id\n    LEFT JOIN SFE_ANALYTICS_MEDIA.DEMOGRAPHIC_SEGMENT_MAP AS m ON m.age_band = g.age_band\n)\n\nSELECT * FROM final\n\n) AS profiles\nWHERE NOT EXISTS (SELECT 1 FROM SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS)",
      "target": "",
      "duckdb": "INSERT INTO SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS (subscriber_id, as_of_date, status, plan, signup_date, cancelled_at, tenure_days, lifetime_value, payments_count, failed_payments_count, country, age_band, acquisition_channel, demographic_segment, last_event_at, built_at) SELECT subscriber_id, as_of_date, status, plan, signup_date, cancelled_at, tenure_days, lifetime_value, payments_count, failed_payments_count, country, age_band, acquisition_channel, demographic_segment, last_event_at, built_at FROM (/* Every subscriber with a valid subscription event by the end of :as_of, as they were at that moment: */ /* the one definition of a subscriber''s profile, read by the DIM_SUBSCRIBERS build and by each publish */ /* (which computes it for the published run''s score_date, whatever day DIM_SUBSCRIBERS was last built). */ /*   * status: cancelled when the latest lifecycle event (signup/upgrade/downgrade/cancel) is a cancel */ /*   * plan: from the latest valid event that carries one */ /*   * country, age band, channel: from the latest signup event */ /*   * tenure_days = :as_of - signup_date; lifetime_value = succeeded, valid payments up to :as_of */ /*   * demographic_segment from DEMOGRAPHIC_SEGMENT_MAP by age band (''Unknown'' when unmapped) */ WITH events AS (SELECT * FROM SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS WHERE is_valid AND event_timestamp < CAST(CAST($as_of AS DATE) + INTERVAL 1 DAY AS DATE)), latest_lifecycle /* The latest lifecycle event, plan and signup profile of each subscriber in the `events` CTE of the model */ /* that includes this file (STG_UNIFIED_CUSTOMER: all valid events of the touched subscribers; */ /* subscriber_profiles.sql: valid events up to the end of its day). Ties on the timestamp go to the later load. */ AS (SELECT subscriber_id, event_type, event_timestamp FROM events WHERE event_type IN (''signup'', ''upgrade'', ''downgrade'', ''cancel'') QUALIFY ROW_NUMBER() OVER (PARTITION BY subscriber_id ORDER BY event_timestamp DESC NULLS FIRST, source_load_seq DESC NULLS FIRST) = 1), latest_plan AS (SELECT subscriber_id, plan FROM events WHERE plan <> ''unknown'' QUALIFY ROW_NUMBER() OVER (PARTITION BY subscriber_id ORDER BY event_timestamp DESC NULLS FIRST, source_load_seq DESC NULLS FIRST) = 1), profile AS (SELECT subscriber_id, country, age_band, acquisition_channel FROM events WHERE event_type = ''signup'' QUALIFY ROW_NUMBER() OVER (PARTITION BY subscriber_id ORDER BY event_timestamp DESC NULLS FIRST, source_load_seq DESC NULLS FIRST) = 1), summary AS (SELECT subscriber_id, MIN(CASE WHEN event_type = ''signup'' THEN event_timestamp ELSE NULL END) AS signup_at, MIN(event_timestamp) AS first_event_at, MAX(event_timestamp) AS last_event_at, SUM(CASE WHEN event_type = ''payment'' AND payment_status = ''succeeded'' THEN payment_amount ELSE 0 END) AS lifetime_value, COUNT_IF((event_type = ''payment'' AND payment_status = ''succeeded'') IS TRUE) AS payments_count, COUNT_IF((event_type = ''payment'' AND payment_status = ''failed'') IS TRUE) AS failed_payments_count FROM events GROUP BY subscriber_id), final AS (SELECT s.subscriber_id, CAST($as_of AS DATE) AS as_of_date, CASE WHEN l.event_type = ''cancel'' THEN ''cancelled'' ELSE ''active'' END AS status, COALESCE(p.plan, ''unknown'') AS plan, CAST(COALESCE(s.signup_at, s.first_event_at) AS DATE) AS signup_date, CASE WHEN l.event_type = ''cancel'' THEN l.event_timestamp ELSE NULL END AS cancelled_at, DATE_DIFF(''DAY'', CAST(COALESCE(s.signup_at, s.first_event_at) AS DATE), CAST($as_of AS DATE)) AS tenure_days, s.lifetime_value, s.payments_count, s.failed_payments_count, g.country, g.age_band, g.acquisition_channel, COALESCE(m.demographic_segment, ''Unknown'') AS demographic_segment, s.last_event_at, CAST(CURRENT_TIMESTAMP AS TIMESTAMP) AS built_at FROM summary AS s LEFT JOIN latest_lifecycle AS l ON l.subscriber_id = s.subscriber_id LEFT JOIN latest_plan AS p ON p.subscriber_id = s.subscriber_id LEFT JOIN profile AS g ON g.subscriber_id = s.subscriber_id LEFT JOIN SFE_ANALYTICS_MEDIA.DEMOGRAPHIC_SEGMENT_MAP AS m ON m.age_band = g.age_band) SELECT * FROM final) AS profiles WHERE NOT EXISTS(SELECT 1 FROM SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS)",
      "tables": [
        "EVENTS",
        "FINAL",
        "LATEST_LIFECYCLE",
        "LATEST_PLAN",
        "PROFILE",
        "SFE_ANALYTICS_MEDIA.DEMOGRAPHIC_SEGMENT_MAP",
        "SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS",
        "SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS",
        "SUMMARY"
      ],
      "dml": true
    },
    {
      "kind": "commit",
      "sql": "",
      "target": ""
    },
    {
      "kind": "sql",
      "sql": "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at)\n    SELECT :run_id, :as_of, ''dim_subscribers_not_empty'', ''dim_subscribers'', COUNT(*), COUNT(*) = 0, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ\n    FROM (\n        SELECT ''no subscribers'' AS problem\n        FROM (SELECT COUNT(*) AS n FROM SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS) AS counts\n        WHERE n = 0\n    ) AS failing",
      "target": "",
      "duckdb": "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at) SELECT $run_id, $as_of, ''dim_subscribers_not_empty'', ''dim_subscribers'', COUNT(*), COUNT(*) = 0, CAST(CURRENT_TIMESTAMP AS TIMESTAMP) FROM (SELECT ''no subscribers'' AS problem FROM (SELECT COUNT(*) AS n FROM SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS) AS counts WHERE n = 0) AS failing",
      "tables": [
        "SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS",
        "SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS"
      ],
      "dml": true
    },
    {
      "kind": "sql",
      "sql": "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at)\n    SELECT :run_id, :as_of, ''dim_subscribers_subscriber_id_unique'', ''dim_subscribers'', COUNT(*), COUNT(*) = 0, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ\n    FROM (\n        SELECT subscriber_id\n        FROM SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS\n        GROUP BY subscriber_id\n        HAVING COUNT(*) > 1\n    ) AS failing",
      "target": "",
      "duckdb": "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at) SELECT $run_id, $as_of, ''dim_subscribers_subscriber_id_unique'', ''dim_subscribers'', COUNT(*), COUNT(*) = 0, CAST(CURRENT_TIMESTAMP AS TIMESTAMP) FROM (SELECT subscriber_id FROM SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS GROUP BY subscriber_id HAVING COUNT(*) > 1) AS failing",
      "tables": [
        "SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS",
        "SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS"
      ],
      "dml": true
    },
    {
      "kind": "sql",
      "sql": "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at)\n    SELECT :run_id, :as_of, ''dim_subscribers_status_accepted_values'', ''dim_subscribers'', COUNT(*), COUNT(*) = 0, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ\n    FROM (\n        SELECT subscriber_id\n        FROM SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS\n        WHERE status NOT IN (''active'', ''cancelled'')\n    ) AS failing",
      "target": "",
      "duckdb": "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at) SELECT $run_id, $as_of, ''dim_subscribers_status_accepted_values'', ''dim_subscribers'', COUNT(*), COUNT(*) = 0, CAST(CURRENT_TIMESTAMP AS TIMESTAMP) FROM (SELECT subscriber_id FROM SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS WHERE NOT status IN (''active'', ''cancelled'')) AS failing",
      "tables": [
        "SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS",
        "SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS"
      ],
      "dml": true
    },
    {
      "kind": "sql",
      "sql": "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at)\n    SELECT :run_id, :as_of, ''dim_subscribers_value_ranges'', ''dim_subscribers'', COUNT(*), COUNT(*) = 0, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ\n    FROM (\n        SELECT subscriber_id\n        FROM SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS\n        WHERE tenure_days < 0 OR lifetime_value < 0 OR payments_count < 0\n    ) AS failing",
      "target": "",
      "duckdb": "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at) SELECT $run_id, $as_of, ''dim_subscribers_value_ranges'', ''dim_subscribers'', COUNT(*), COUNT(*) = 0, CAST(CURRENT_TIMESTAMP AS TIMESTAMP) FROM (SELECT subscriber_id FROM SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS WHERE tenure_days < 0 OR lifetime_value < 0 OR payments_count < 0) AS failing",
      "tables": [
        "SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS",
        "SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS"
      ],
      "dml": true
    },
    {
      "kind": "sql",
      "sql": "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at)\n    SELECT :run_id, :as_of, ''dim_subscribers_age_band_nulls_below_5pct'', ''dim_subscribers'', COUNT(*), COUNT(*) = 0, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ\n    FROM (\n        SELECT null_share\n        FROM (\n            SELECT AVG(IFF(age_band IS NULL, 1, 0)) AS null_share\n            FROM SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS\n        ) AS shares\n        WHERE null_share > 0.05\n    ) AS failing",
      "target": "",
      "duckdb": "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at) SELECT $run_id, $as_of, ''dim_subscribers_age_band_nulls_below_5pct'', ''dim_subscribers'', COUNT(*), COUNT(*) = 0, CAST(CURRENT_TIMESTAMP AS TIMESTAMP) FROM (SELECT null_share FROM (SELECT AVG(CASE WHEN age_band IS NULL THEN 1 ELSE 0 END) AS null_share FROM SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS) AS shares WHERE null_share > 0.05) AS failing",
      "tables": [
        "SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS",
        "SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS"
      ],
      "dml": true
    },
    {
      "kind": "assign",
      "sql": "(SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS WHERE run_id = :run_id AND NOT passed)",
      "target": "failed_checks",
      "duckdb": "SELECT (SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS WHERE run_id = $run_id AND NOT passed)"
    },
    {
      "kind": "raise_if",
      "sql": "failed_checks > 0",
      "target": "DQ_CHECK_FAILED",
      "duckdb": "SELECT $failed_checks > 0"
    },
    {
      "kind": "assign",
      "sql": "(SELECT COALESCE(MAX(source_load_seq), 0) FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT)",
      "target": "high_seq",
      "duckdb": "SELECT (SELECT COALESCE(MAX(source_load_seq), 0) FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT)"
    },
    {
      "kind": "assign",
      "sql": "(\n        SELECT COALESCE(MAX(built_through_seq), :high_seq) FROM SFE_ANALYTICS_MEDIA.BUILD_STATE\n        WHERE model_name = ''FCT_ENGAGEMENT_DAILY'' AND NOT COALESCE(:full_refresh, FALSE)\n    )",
      "target": "built_seq",
      "duckdb": "SELECT (SELECT COALESCE(MAX(built_through_seq), $high_seq) FROM SFE_ANALYTICS_MEDIA.BUILD_STATE WHERE model_name = ''FCT_ENGAGEMENT_DAILY'' AND NOT COALESCE($full_refresh, FALSE))"
    },
    {
      "kind": "assign",
      "sql": "(\n        SELECT MAX(as_of_date) FROM SFE_ANALYTICS_MEDIA.BUILD_STATE\n        WHERE model_name = ''FCT_ENGAGEMENT_DAILY'' AND NOT COALESCE(:full_refresh, FALSE)\n    )",
      "target": "built_as_of",
      "duckdb": "SELECT (SELECT MAX(as_of_date) FROM SFE_ANALYTICS_MEDIA.BUILD_STATE WHERE model_name = ''FCT_ENGAGEMENT_DAILY'' AND NOT COALESCE($full_refresh, FALSE))"
    },
    {
      "kind": "assign",
      "sql": "(SELECT COALESCE(LEAST(:built_as_of::DATE, :as_of::DATE), ''1900-01-01''::DATE))",
      "target": "rebuild_after",
      "duckdb": "SELECT (SELECT COALESCE(CASE WHEN CAST($built_as_of AS DATE) IS NULL OR CAST($as_of AS DATE) IS NULL THEN NULL ELSE LEAST(CAST($built_as_of AS DATE), CAST($as_of AS DATE)) END, CAST(''1900-01-01'' AS DATE)))"
    },
    {
      "kind": "assign",
      "sql": "(SELECT IFF(:built_as_of::DATE > :as_of::DATE, :built_seq, :high_seq))",
      "target": "next_seq",
      "duckdb": "SELECT (SELECT CASE WHEN CAST($built_as_of AS DATE) > CAST($as_of AS DATE) THEN $built_seq ELSE $high_seq END)"
    },
    {
      "kind": "assign",
      "sql": "(SELECT GREATEST(COALESCE(:built_as_of::DATE, :as_of::DATE), :as_of::DATE))",
      "target": "next_as_of",
      "duckdb": "SELECT (SELECT CASE WHEN COALESCE(CAST($built_as_of AS DATE), CAST($as_of AS DATE)) IS NULL OR CAST($as_of AS DATE) IS NULL THEN NULL ELSE GREATEST(COALESCE(CAST($built_as_of AS DATE), CAST($as_of AS DATE)), CAST($as_of AS DATE)) END)"
    },
    {
      "kind": "begin",
      "sql": "",
      "target": ""
    },
    {
      "kind": "sql",
      "sql": "DELETE FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY\nWHERE activity_date > :rebuild_after::DATE\n    AND activity_date <= :as_of::DATE",
      "target": "",
      "duckdb": "DELETE FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY WHERE activity_date > CAST($rebuild_after AS DATE) AND activity_date <= CAST($as_of AS DATE)",
      "tables": [
        "SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY"
      ],
      "dml": true
    },
    {
      "kind": "sql",
      "sql": "DELETE FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY AS f\nUSING (\n    SELECT DISTINCT subscriber_id, event_date\n    FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT\n    WHERE source_load_seq > :built_seq\n        AND event_date <= :rebuild_after::DATE\n) AS late\nWHERE f.subscriber_id = late.subscriber_id\n    AND f.activity_date = late.event_date",
      "target": "",
      "duckdb": "DELETE FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY AS f USING (SELECT DISTINCT subscriber_id, event_date FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT WHERE source_load_seq > $built_seq AND event_date <= CAST($rebuild_after AS DATE)) AS late WHERE f.subscriber_id = late.subscriber_id AND f.activity_date = late.event_date",
      "tables": [
        "SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY",
        "SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT"
      ],
      "dml": true
    },
    {
      "kind": "sql",
      "sql": "INSERT INTO SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY (\n    subscriber_id, activity_date, articles_viewed, views, total_time_spent, distinct_sections,\n    avg_engagement_score, built_at\n)\nWITH late_keys AS (\n    SELECT DISTINCT subscriber_id, event_date\n    FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT\n    WHERE source_load_seq > :built_seq\n        AND event_date <= :rebuild_after::DATE\n),\n\nchanged_views AS (\n    SELECT subscriber_id, event_date, article_id, section, time_spent_seconds, engagement_score\n    FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT\n    WHERE event_date > :rebuild_after::DATE\n        AND event_date <= :as_of::DATE\n    UNION ALL\n    SELECT v.subscriber_id, v.event_date, v.article_id, v.section, v.time_spent_seconds, v.engagement_score\n    FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT AS v\n    INNER JOIN late_keys AS k ON k.subscriber_id = v.subscriber_id AND k.event_date = v.event_date\n),\n\nday_groups AS (\n    SELECT\n        subscriber_id,\n        event_date,\n        article_id,\n        section,\n        GROUPING(section) = 1 AS is_article_group,\n        COUNT(*) AS views,\n        SUM(time_spent_seconds) AS time_spent,\n        SUM(engagement_score) AS score_sum,\n        COUNT(engagement_score) AS scored\n    FROM changed_views\n    GROUP BY GROUPING SETS ((subscriber_id, event_date, article_id), (subscriber_id, event_date, section))\n)\n\nSELECT\n    subscriber_id,\n    event_date AS activity_date,\n    COUNT_IF(is_article_group AND article_id IS NOT NULL) AS articles_viewed,\n    SUM(IFF(is_article_group, views, NULL)) AS views,\n    SUM(IFF(is_article_group, time_spent, NULL)) AS total_time_spent,\n    COUNT_IF(NOT is_article_group AND section IS NOT NULL) AS distinct_sections,\n    ROUND(SUM(IFF(is_article_group, score_sum, NULL)) / NULLIF(SUM(IFF(is_article_group, scored, NULL)), 0), 2)\n        AS avg_engagement_score,\n    CURRENT_TIMESTAMP()::TIMESTAMP_NTZ AS built_at\nFROM day_groups\nGROUP BY subscriber_id, event_date",
      "target": "",
      "duckdb": "INSERT INTO SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY (subscriber_id, activity_date, articles_viewed, views, total_time_spent, distinct_sections, avg_engagement_score, built_at) WITH late_keys AS (SELECT DISTINCT subscriber_id, event_date FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT WHERE source_load_seq > $built_seq AND event_date <= CAST($rebuild_after AS DATE)), changed_views AS (SELECT subscriber_id, event_date, article_id, section, time_spent_seconds, engagement_score FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT WHERE event_date > CAST($rebuild_after AS DATE) AND event_date <= CAST($as_of AS DATE) UNION ALL SELECT v.subscriber_id, v.event_date, v.article_id, v.section, v.time_spent_seconds, v.engagement_score FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT AS v INNER JOIN late_keys AS k ON k.subscriber_id = v.subscriber_id AND k.event_date = v.event_date), day_groups AS (SELECT subscriber_id, event_date, article_id, section, GROUPING(section) = 1 AS is_article_group, COUNT(*) AS views, SUM(time_spent_seconds) AS time_spent, SUM(engagement_score) AS score_sum, COUNT(engagement_score) AS scored FROM changed_views GROUP BY GROUPING SETS ((subscriber_id, event_date, article_id), (subscriber_id, event_date, section))) SELECT subscriber_id, event_date AS activity_date, COUNT_IF((is_article_group AND NOT article_id IS NULL) IS TRUE) AS articles_viewed, SUM(CASE WHEN is_article_group THEN views ELSE NULL END) AS views, SUM(CASE WHEN is_article_group THEN time_spent ELSE NULL END) AS total_time_spent, COUNT_IF((NOT is_article_group AND NOT section IS NULL) IS TRUE) AS distinct_sections, ROUND(SUM(CASE WHEN is_article_group THEN score_sum ELSE NULL END) / NULLIF(SUM(CASE WHEN is_article_group THEN scored ELSE NULL END), 0), 2) AS avg_engagement_score, CAST(CURRENT_TIMESTAMP AS TIMESTAMP) AS built_at FROM day_groups GROUP BY subscriber_id, event_date",
      "tables": [
        "CHANGED_VIEWS",
        "DAY_GROUPS",
        "LATE_KEYS",
        "SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY",
        "SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT"
      ],
      "dml": true
    },
    {
      "kind": "sql",
      "sql": "DELETE FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DEVICE_DAILY\nWHERE activity_date > :rebuild_after::DATE\n    AND activity_date <= :as_of::DATE",
      "target": "",
      "duckdb": "DELETE FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DEVICE_DAILY WHERE activity_date > CAST($rebuild_after AS DATE) AND activity_date <= CAST($as_of AS DATE)",
      "tables": [
        "SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DEVICE_DAILY"
      ],
      "dml": true
    },
    {
      "kind": "sql",
      "sql": "DELETE FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DEVICE_DAILY AS f\nUSING (\n    SELECT DISTINCT subscriber_id, event_date\n    FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT\n    WHERE source_load_seq > :built_seq\n        AND event_date <= :rebuild_after::DATE\n) AS late\nWHERE f.subscriber_id = late.subscriber_id\n    AND f.activity_date = late.event_date",
      "target": "",
      "duckdb": "DELETE FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DEVICE_DAILY AS f USING (SELECT DISTINCT subscriber_id, event_date FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT WHERE source_load_seq > $built_seq AND event_date <= CAST($rebuild_after AS DATE)) AS late WHERE f.subscriber_id = late.subscriber_id AND f.activity_date = late.event_date",
      "tables": [
        "SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DEVICE_DAILY",
        "SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT"
      ],
      "dml": true
    },
    {
      "kind": "sql",
      "sql": "INSERT INTO SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DEVICE_DAILY (\n    subscriber_id, activity_date, device_type, views, total_time_spent, built_at\n)\nWITH late_keys AS (\n    SELECT DISTINCT subscriber_id, event_date\n    FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT\n    WHERE source_load_seq > :built_seq\n        AND event_date <= :rebuild_after::DATE\n),\n\nchanged_views AS (\n    SELECT subscriber_id, event_date, device_type, time_spent_seconds\n    FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT\n    WHERE event_date > :rebuild_after::DATE\n        AND event_date <= :as_of::DATE\n    UNION ALL\n    SELECT v.subscriber_id, v.event_date, v.device_type, v.time_spent_seconds\n    FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT AS v\n    INNER JOIN late_keys AS k ON k.subscriber_id = v.subscriber_id AND k.event_date = v.event_date\n)\n\nSELECT\n    subscriber_id,\n    event_date AS activity_date,\n    device_type,\n    COUNT(*) AS views,\n    SUM(time_spent_seconds) AS total_time_spent,\n    CURRENT_TIMESTAMP()::TIMESTAMP_NTZ AS built_at\nFROM changed_views\nGROUP BY subscriber_id, event_date, device_type",
      "target": "",
      "duckdb": "INSERT INTO SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DEVICE_DAILY (subscriber_id, activity_date, device_type, views, total_time_spent, built_at) WITH late_keys AS (SELECT DISTINCT subscriber_id, event_date FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT WHERE source_load_seq > $built_seq AND event_date <= CAST($rebuild_after AS DATE)), changed_views AS (SELECT subscriber_id, event_date, device_type, time_spent_seconds FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT WHERE event_date > CAST($rebuild_after AS DATE) AND event_date <= CAST($as_of AS DATE) UNION ALL SELECT v.subscriber_id, v.event_date, v.device_type, v.time_spent_seconds FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT AS v INNER JOIN late_keys AS k ON k.subscriber_id = v.subscriber_id AND k.event_date = v.event_date) SELECT subscriber_id, event_date AS activity_date, device_type, COUNT(*) AS views, SUM(time_spent_seconds) AS total_time_spent, CAST(CURRENT_TIMESTAMP AS TIMESTAMP) AS built_at FROM changed_views GROUP BY subscriber_id, event_date, device_type",
      "tables": [
        "CHANGED_VIEWS",
        "LATE_KEYS",
        "SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DEVICE_DAILY",
        "SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT"
      ],
      "dml": true
    },
    {
      "kind": "commit",
      "sql": "",
      "target": ""
    },
    {
      "kind": "sql",
      "sql": "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at)\n    SELECT :run_id, :as_of, ''fct_engagement_daily_grain_unique'', ''fct_engagement_daily'', COUNT(*), COUNT(*) = 0, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ\n    FROM (\n        WITH late_keys AS (\n            SELECT DISTINCT subscriber_id, event_date\n            FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT\n            WHERE source_load_seq > :built_seq\n                AND event_date <= :rebuild_after::DATE\n        ),\n\n        -- each row of a rebuilt key once: the two branches'' days do not overlap (after :rebuild_after, and not)\n        rebuilt AS (\n            SELECT subscriber_id, activity_date\n            FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY\n            WHERE activity_date > :rebuild_after::DATE\n            UNION ALL\n            SELECT f.subscriber_id, f.activity_date\n            FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY AS f\n            INNER JOIN late_keys AS r ON r.subscriber_id = f.subscriber_id AND r.event_date = f.activity_date\n        )\n\n        SELECT subscriber_id, activity_date\n        FROM rebuilt\n        GROUP BY subscriber_id, activity_date\n        HAVING COUNT(*) > 1\n    ) AS failing",
      "target": "",
      "duckdb": "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at) SELECT $run_id, $as_of, ''fct_engagement_daily_grain_unique'', ''fct_engagement_daily'', COUNT(*), COUNT(*) = 0, CAST(CURRENT_TIMESTAMP AS TIMESTAMP) FROM (WITH late_keys AS (SELECT DISTINCT subscriber_id, event_date FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT WHERE source_load_seq > $built_seq AND event_date <= CAST($rebuild_after AS DATE)), rebuilt /* each row of a rebuilt key once: the two branches'' days do not overlap (after :rebuild_after, and not) */ AS (SELECT subscriber_id, activity_date FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY WHERE activity_date > CAST($rebuild_after AS DATE) UNION ALL SELECT f.subscriber_id, f.activity_date FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY AS f INNER JOIN late_keys AS r ON r.subscriber_id = f.subscriber_id AND r.event_date = f.activity_date) SELECT subscriber_id, activity_date FROM rebuilt GROUP BY subscriber_id, activity_date HAVING COUNT(*) > 1) AS failing",
      "tables": [
        "LATE_KEYS",
        "REBUILT",
        "SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS",
        "SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY",
        "SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT"
      ],
      "dml": true
    },
    {
      "kind": "sql",
      "sql": "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at)\n    SELECT :run_id, :as_of, ''fct_engagement_daily_value_ranges'', ''fct_engagement_daily'', COUNT(*), COUNT(*) = 0, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ\n    FROM (\n        WITH late_keys AS (\n            SELECT DISTINCT subscriber_id, event_date\n            FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT\n            WHERE source_load_seq > :built_seq\n                AND event_date <= :rebuild_after::DATE\n        ),\n\n        -- each row of a rebuilt key once: the two branches'' days do not overlap (after :rebuild_after, and not)\n        rebuilt AS (\n            SELECT\n                subscriber_id, activity_date,\n                views, articles_viewed, distinct_sections, total_time_spent, avg_engagement_score\n            FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY\n            WHERE activity_date > :rebuild_after::DATE\n            UNION ALL\n            SELECT\n                f.subscriber_id, f.activity_date,\n                f.views, f.articles_viewed, f.distinct_sections, f.total_time_spent, f.avg_engagement_score\n            FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY AS f\n            INNER JOIN late_keys AS r ON r.subscriber_id = f.subscriber_id AND r.event_date = f.activity_date\n        )\n\n        SELECT subscriber_id, activity_date\n        FROM rebuilt\n        WHERE views < 1\n            OR articles_viewed > views\n            OR distinct_sections > articles_viewed\n            OR total_time_spent < 0\n            OR avg_engagement_score NOT BETWEEN 0 AND 100\n    ) AS failing",
      "target": "",
      "duckdb": "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at) SELECT $run_id, $as_of, ''fct_engagement_daily_value_ranges'', ''fct_engagement_daily'', COUNT(*), COUNT(*) = 0, CAST(CURRENT_TIMESTAMP AS TIMESTAMP) FROM (WITH late_keys AS (SELECT DISTINCT subscriber_id, event_date FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT WHERE source_load_seq > $built_seq AND event_date <= CAST($rebuild_after AS DATE)), rebuilt /* each row of a rebuilt key once: the two branches'' days do not overlap (after :rebuild_after, and not) */ AS (SELECT subscriber_id, activity_date, views, articles_viewed, distinct_sections, total_time_spent, avg_engagement_score FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY WHERE activity_date > CAST($rebuild_after AS DATE) UNION ALL SELECT f.subscriber_id, f.activity_date, f.views, f.articles_viewed, f.distinct_sections, f.total_time_spent, f.avg_engagement_score FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY AS f INNER JOIN late_keys AS r ON r.subscriber_id = f.subscriber_id AND r.event_date = f.activity_date) SELECT subscriber_id, activity_date FROM rebuilt WHERE views < 1 OR articles_viewed > views OR distinct_sections > articles_viewed OR total_time_spent < 0 OR NOT avg_engagement_score BETWEEN 0 AND 100) AS failing",
      "tables": [
        "LATE_KEYS",
        "REBUILT",
        "SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS",
        "SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY",
        "SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT"
      ],
      "dml": true
    },
    {
      "kind": "sql",
      "sql": "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at)\n    SELECT :run_id, :as_of, ''fct_engagement_daily_no_future_days'', ''fct_engagement_daily'', COUNT(*), COUNT(*) = 0, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ\n    FROM (\n        SELECT activity_date\n        FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY\n        WHERE activity_date > :rebuild_after::DATE\n            AND activity_date > DATEADD(day, 1, CURRENT_DATE())\n    ) AS failing",
      "target": "",
      "duckdb": "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at) SELECT $run_id, $as_of, ''fct_engagement_daily_no_future_days'', ''fct_engagement_daily'', COUNT(*), COUNT(*) = 0, CAST(CURRENT_TIMESTAMP AS TIMESTAMP) FROM (SELECT activity_date FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY WHERE activity_date > CAST($rebuild_after AS DATE) AND activity_date > CAST(CURRENT_DATE + INTERVAL 1 DAY AS DATE)) AS failing",
      "tables": [
        "SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS",
        "SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY"
      ],
      "dml": true
    },
    {
      "kind": "assign",
      "sql": "(SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS WHERE run_id = :run_id AND NOT passed)",
      "target": "failed_checks",
      "duckdb": "SELECT (SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS WHERE run_id = $run_id AND NOT passed)"
    },
    {
      "kind": "raise_if",
      "sql": "failed_checks > 0",
      "target": "DQ_CHECK_FAILED",
      "duckdb": "SELECT $failed_checks > 0"
    },
    {
      "kind": "sql",
      "sql": "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at)\n    SELECT :run_id, :as_of, ''fct_engagement_device_daily_reconciles'', ''fct_engagement_device_daily'', COUNT(*), COUNT(*) = 0, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ\n    FROM (\n        WITH late_keys AS (\n            SELECT DISTINCT subscriber_id, event_date\n            FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT\n            WHERE source_load_seq > :built_seq\n                AND event_date <= :rebuild_after::DATE\n        ),\n\n        by_day AS (\n            SELECT subscriber_id, activity_date, views, total_time_spent\n            FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY\n            WHERE activity_date > :rebuild_after::DATE AND activity_date <= :as_of::DATE\n            UNION\n            SELECT f.subscriber_id, f.activity_date, f.views, f.total_time_spent\n            FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY AS f\n            INNER JOIN late_keys AS r ON r.subscriber_id = f.subscriber_id AND r.event_date = f.activity_date\n        ),\n\n        by_device AS (\n            SELECT subscriber_id, activity_date, SUM(views) AS views, SUM(total_time_spent) AS total_time_spent\n            FROM (\n                SELECT subscriber_id, activity_date, views, total_time_spent\n                FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DEVICE_DAILY\n                WHERE activity_date > :rebuild_after::DATE AND activity_date <= :as_of::DATE\n                UNION ALL\n                SELECT d.subscriber_id, d.activity_date, d.views, d.total_time_spent\n                FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DEVICE_DAILY AS d\n                INNER JOIN late_keys AS r ON r.subscriber_id = d.subscriber_id AND r.event_date = d.activity_date\n            ) AS rows_of_rebuilt_keys\n            GROUP BY subscriber_id, activity_date\n        )\n\n        SELECT COALESCE(d.subscriber_id, x.subscriber_id) AS subscriber_id, COALESCE(d.activity_date, x.activity_date) AS activity_date\n        FROM by_day AS d\n        FULL OUTER JOIN by_device AS x ON x.subscriber_id = d.subscriber_id AND x.activity_date = d.activity_date\n        WHERE d.views IS DISTINCT FROM x.views\n            OR d.total_time_spent IS DISTINCT FROM x.total_time_spent\n    ) AS failing",
      "target": "",
      "duckdb": "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at) SELECT $run_id, $as_of, ''fct_engagement_device_daily_reconciles'', ''fct_engagement_device_daily'', COUNT(*), COUNT(*) = 0, CAST(CURRENT_TIMESTAMP AS TIMESTAMP) FROM (WITH late_keys AS (SELECT DISTINCT subscriber_id, event_date FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT WHERE source_load_seq > $built_seq AND event_date <= CAST($rebuild_after AS DATE)), by_day AS (SELECT subscriber_id, activity_date, views, total_time_spent FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY WHERE activity_date > CAST($rebuild_after AS DATE) AND activity_date <= CAST($as_of AS DATE) UNION SELECT f.subscriber_id, f.activity_date, f.views, f.total_time_spent FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY AS f INNER JOIN late_keys AS r ON r.subscriber_id = f.subscriber_id AND r.event_date = f.activity_date), by_device AS (SELECT subscriber_id, activity_date, SUM(views) AS views, SUM(total_time_spent) AS total_time_spent FROM (SELECT subscriber_id, activity_date, views, total_time_spent FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DEVICE_DAILY WHERE activity_date > CAST($rebuild_after AS DATE) AND activity_date <= CAST($as_of AS DATE) UNION ALL SELECT d.subscriber_id, d.activity_date, d.views, d.total_time_spent FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DEVICE_DAILY AS d INNER JOIN late_keys AS r ON r.subscriber_id = d.subscriber_id AND r.event_date = d.activity_date) AS rows_of_rebuilt_keys GROUP BY subscriber_id, activity_date) SELECT COALESCE(d.subscriber_id, x.subscriber_id) AS subscriber_id, COALESCE(d.activity_date, x.activity_date) AS activity_date FROM by_day AS d FULL OUTER JOIN by_device AS x ON x.subscriber_id = d.subscriber_id AND x.activity_date = d.activity_date WHERE d.views IS DISTINCT FROM x.views OR d.total_time_spent IS DISTINCT FROM x.total_time_spent) AS failing",
      "tables": [
        "BY_DAY",
        "BY_DEVICE",
        "LATE_KEYS",
        "SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS",
        "SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY",
        "SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DEVICE_DAILY",
        "SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT"
      ],
      "dml": true
    },
    {
      "kind": "assign",
      "sql": "(SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS WHERE run_id = :run_id AND NOT passed)",
      "target": "failed_checks",
      "duckdb": "SELECT (SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS WHERE run_id = $run_id AND NOT passed)"
    },
    {
      "kind": "raise_if",
      "sql": "failed_checks > 0",
      "target": "DQ_CHECK_FAILED",
      "duckdb": "SELECT $failed_checks > 0"
    },
    {
      "kind": "begin",
      "sql": "",
      "target": ""
    },
    {
      "kind": "sql",
      "sql": "DELETE FROM SFE_ANALYTICS_MEDIA.BUILD_STATE\nWHERE model_name = ''FCT_ENGAGEMENT_DAILY''",
      "target": "",
      "duckdb": "DELETE FROM SFE_ANALYTICS_MEDIA.BUILD_STATE WHERE model_name = ''FCT_ENGAGEMENT_DAILY''",
      "tables": [
        "SFE_ANALYTICS_MEDIA.BUILD_STATE"
      ],
      "dml": true
    },
    {
      "kind": "sql",
      "sql": "INSERT INTO SFE_ANALYTICS_MEDIA.BUILD_STATE (\n    model_name, built_through_seq, as_of_date, full_refresh, run_id, built_at\n)\nSELECT\n    ''FCT_ENGAGEMENT_DAILY'',\n    :next_seq,\n    :next_as_of::DATE,\n    :full_refresh,\n    :run_id,\n    CURRENT_TIMESTAMP()::TIMESTAMP_NTZ",
      "target": "",
      "duckdb": "INSERT INTO SFE_ANALYTICS_MEDIA.BUILD_STATE (model_name, built_through_seq, as_of_date, full_refresh, run_id, built_at) SELECT ''FCT_ENGAGEMENT_DAILY'', $next_seq, CAST($next_as_of AS DATE), $full_refresh, $run_id, CAST(CURRENT_TIMESTAMP AS TIMESTAMP)",
      "tables": [
        "SFE_ANALYTICS_MEDIA.BUILD_STATE"
      ],
      "dml": true
    },
    {
      "kind": "commit",
      "sql": "",
      "target": ""
    },
    {
      "kind": "return",
      "sql": "IFF(rebuild_after = ''1900-01-01''::DATE, ''built daily analytics (full refresh)'', ''built daily analytics'')",
      "target": "",
      "duckdb": "SELECT CASE WHEN $rebuild_after = CAST(''1900-01-01'' AS DATE) THEN ''built daily analytics (full refresh)'' ELSE ''built daily analytics'' END"
    }
  ]
}', now());
INSERT OR REPLACE INTO C360_META.PROCEDURES (procedure_name, definition, updated_at) VALUES ('SFE_ANALYTICS_MEDIA.SFE_BUILD_TRAINING_SET', '{
  "name": "SFE_ANALYTICS_MEDIA.SFE_BUILD_TRAINING_SET",
  "args": [
    {
      "name": "as_of",
      "type": "DATE",
      "default": null
    },
    {
      "name": "run_id",
      "type": "VARCHAR",
      "default": null
    }
  ],
  "variables": {
    "last_snapshot": null,
    "first_snapshot": null,
    "snapshot_every_days": "7",
    "training_rows": "0",
    "failed_checks": "0"
  },
  "exceptions": {
    "DQ_CHECK_FAILED": "data quality check failed: see SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS"
  },
  "steps": [
    {
      "kind": "assign",
      "sql": "(SELECT DATEADD(day, -35, :as_of::DATE))",
      "target": "last_snapshot",
      "duckdb": "SELECT (SELECT CAST(CAST($as_of AS DATE) + INTERVAL (-35) DAY AS DATE))"
    },
    {
      "kind": "assign",
      "sql": "(\n        SELECT GREATEST(\n            DATEADD(\n                day, IFF(DATEDIFF(day, MIN(activity_date), :last_snapshot::DATE) >= 89 + 35, 89, 29), MIN(activity_date)\n            ),\n            DATEADD(day, -7 * 25, :last_snapshot::DATE)\n        )\n        FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY\n    )",
      "target": "first_snapshot",
      "duckdb": "SELECT (SELECT CASE WHEN MIN(activity_date) + INTERVAL (CASE WHEN DATE_DIFF(''DAY'', MIN(activity_date), CAST($last_snapshot AS DATE)) >= 89 + 35 THEN 89 ELSE 29 END) DAY IS NULL OR CAST(CAST($last_snapshot AS DATE) + INTERVAL (-7 * 25) DAY AS DATE) IS NULL THEN NULL ELSE GREATEST(MIN(activity_date) + INTERVAL (CASE WHEN DATE_DIFF(''DAY'', MIN(activity_date), CAST($last_snapshot AS DATE)) >= 89 + 35 THEN 89 ELSE 29 END) DAY, CAST(CAST($last_snapshot AS DATE) + INTERVAL (-7 * 25) DAY AS DATE)) END FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY)"
    },
    {
      "kind": "begin",
      "sql": "",
      "target": ""
    },
    {
      "kind": "sql",
      "sql": "DELETE FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING",
      "target": "",
      "duckdb": "DELETE FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING",
      "tables": [
        "SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING"
      ],
      "dml": true
    },
    {
      "kind": "sql",
      "sql": "INSERT INTO SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING (\n    subscriber_id, snapshot_date, engagement_score, reads_per_day_30d, engagement_trend, days_since_last_read,\n    support_tickets_count, support_tickets_30d, cancellation_tickets_30d, subscription_tenure_days,\n    failed_payments_30d, downgrades_90d, days_since_failed_payment, failed_payments_decayed,\n    days_since_cancellation_ticket, cancellation_tickets_decayed, plan, acquisition_channel, churned, split, run_id,\n    built_at\n)\n-- The churn model''s one definition of its inputs: one row per subscriber active at the end of each\n-- snapshot date, with the features (docs/model.md) and the 30-day label. Training (FCT_CHURN_TRAINING)\n-- and daily scoring (FCT_CHURN_SCORING_FEATURES) both materialise this query, so features at scoring\n-- time are computed exactly as the model saw them in training.\n--\n-- Binds:\n--   :as_of                what is known: data after the end of this day is never read\n--   :first_snapshot       earliest snapshot date\n--   :last_snapshot        latest snapshot date; the snapshots are :last_snapshot - k * :snapshot_every_days\n--   :snapshot_every_days  7 for the weekly training grid; 1 with first = last for one scoring day\n--   :run_id               the run that builds it, kept on every row\n--\n-- No leakage: every feature of snapshot w reads only rows timestamped before w + 1 day (the end of w);\n-- the label reads only cancels in days w + 1 .. w + 30, and is NULL until that window has passed by\n-- :as_of. A snapshot date needs engagement data on that day (a missing day''s load is not scored).\n--\n-- split: train / test / purged, 80/20 by date among the labelled snapshots, purged: the test set is the\n-- latest k dates, k the count closest to 20 % of the dates that remain once the purged ones are set\n-- aside (at least 1); a training snapshot w is kept only when its label window closed by the first test\n-- snapshot t (w + 30 <= t), so no cancellation is labelled in both sets. The snapshots between are\n-- ''purged'' (FLOOR(29 / :snapshot_every_days) of them: 4 on the weekly grid) and used by nothing.\n-- NULL for unlabelled rows.\nWITH snapshots AS (\n    SELECT DISTINCT activity_date AS snapshot_date\n    FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY\n    WHERE activity_date BETWEEN :first_snapshot::DATE AND :last_snapshot::DATE\n        AND MOD(DATEDIFF(day, activity_date, :last_snapshot::DATE), :snapshot_every_days) = 0\n),\n\nevents AS (\n    SELECT subscriber_id, event_type, event_timestamp, plan, payment_status, acquisition_channel, source_load_seq\n    FROM SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS\n    WHERE is_valid\n        AND event_timestamp < DATEADD(day, 1, :as_of::DATE)\n),\n\n-- the subscriber''s lifecycle state at the end of each snapshot: the latest signup/upgrade/downgrade/cancel\nlifecycle AS (\n    SELECT s.snapshot_date, e.subscriber_id, e.event_type\n    FROM snapshots AS s\n    INNER JOIN events AS e ON e.event_timestamp < DATEADD(day, 1, s.snapshot_date)\n    WHERE e.event_type IN (''signup'', ''upgrade'', ''downgrade'', ''cancel'')\n    QUALIFY ROW_NUMBER() OVER (\n        PARTITION BY s.snapshot_date, e.subscriber_id ORDER BY e.event_timestamp DESC, e.source_load_seq DESC\n    ) = 1\n),\n\nlatest_plan AS (\n    SELECT s.snapshot_date, e.subscriber_id, e.plan\n    FROM snapshots AS s\n    INNER JOIN events AS e ON e.event_timestamp < DATEADD(day, 1, s.snapshot_date)\n    WHERE e.plan <> ''unknown''\n    QUALIFY ROW_NUMBER() OVER (\n        PARTITION BY s.snapshot_date, e.subscriber_id ORDER BY e.event_timestamp DESC, e.source_load_seq DESC\n    ) = 1\n),\n\nsubscription AS (\n    SELECT\n        s.snapshot_date,\n        e.subscriber_id,\n        COALESCE(MIN(IFF(e.event_type = ''signup'', e.event_timestamp, NULL)), MIN(e.event_timestamp))::DATE\n            AS signup_date,\n        COALESCE(MAX(IFF(e.event_type = ''signup'', e.acquisition_channel, NULL)), ''unknown'') AS acquisition_channel,\n        COUNT_IF(\n            e.event_type = ''payment'' AND e.payment_status = ''failed''\n            AND e.event_timestamp >= DATEADD(day, -29, s.snapshot_date)\n        ) AS failed_payments_30d,\n        COUNT_IF(e.event_type = ''downgrade'' AND e.event_timestamp >= DATEADD(day, -89, s.snapshot_date))\n            AS downgrades_90d,\n        -- recency: an old failed payment weighs less than a fresh one (half-life 10 days, last 90 days)\n        MAX(IFF(\n            e.event_type = ''payment'' AND e.payment_status = ''failed''\n            AND e.event_timestamp >= DATEADD(day, -89, s.snapshot_date),\n            e.event_timestamp::DATE,\n            NULL\n        )) AS last_failed_payment_date,\n        -- rounded: a sum of floats depends on the order rows arrive in; 6 decimals do not\n        ROUND(SUM(IFF(\n            e.event_type = ''payment'' AND e.payment_status = ''failed''\n            AND e.event_timestamp >= DATEADD(day, -89, s.snapshot_date),\n            POWER(0.5, DATEDIFF(day, e.event_timestamp::DATE, s.snapshot_date) / 10.0),\n            0\n        )), 6)::FLOAT AS failed_payments_decayed\n    FROM snapshots AS s\n    INNER JOIN events AS e ON e.event_timestamp < DATEADD(day, 1, s.snapshot_date)\n    GROUP BY s.snapshot_date, e.subscriber_id\n),\n\n-- reading in the 30 days ending each snapshot (FCT_ENGAGEMENT_DAILY is per subscriber and UTC day): the\n-- join reads only the window, so a day''s scoring costs the same whatever history the fact table keeps\nengagement AS (\n    SELECT\n        s.snapshot_date,\n        f.subscriber_id,\n        SUM(f.avg_engagement_score) AS points_30d,\n        SUM(f.views) AS reads_30d,\n        SUM(IFF(f.activity_date > DATEADD(day, -7, s.snapshot_date), f.views, 0)) AS reads_7d\n    FROM snapshots AS s\n    INNER JOIN SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY AS f\n        ON f.activity_date <= s.snapshot_date\n        AND f.activity_date > DATEADD(day, -30, s.snapshot_date)\n    GROUP BY s.snapshot_date, f.subscriber_id\n),\n\n-- the last day with reads, however long ago: two narrow columns of the whole history\nlast_read AS (\n    SELECT s.snapshot_date, f.subscriber_id, MAX(f.activity_date) AS last_read_date\n    FROM snapshots AS s\n    INNER JOIN SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY AS f ON f.activity_date <= s.snapshot_date\n    GROUP BY s.snapshot_date, f.subscriber_id\n),\n\nreading_history AS (\n    SELECT MIN(activity_date) AS first_day\n    FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY\n),\n\n-- tickets have no staging table: deduplicated here by ticket_id (the latest load wins)\ntickets AS (\n    SELECT subscriber_id, created_at, category\n    FROM SFE_RAW_MEDIA.RAW_SUPPORT_INTERACTIONS\n    QUALIFY ROW_NUMBER() OVER (PARTITION BY ticket_id ORDER BY load_seq DESC) = 1\n),\n\nsupport AS (\n    SELECT\n        s.snapshot_date,\n        t.subscriber_id,\n        COUNT(*) AS tickets_90d,\n        COUNT_IF(t.created_at >= DATEADD(day, -29, s.snapshot_date)) AS tickets_30d,\n        COUNT_IF(t.category = ''cancellation'' AND t.created_at >= DATEADD(day, -29, s.snapshot_date))\n            AS cancellation_tickets_30d,\n        MAX(IFF(t.category = ''cancellation'', t.created_at::DATE, NULL)) AS last_cancellation_ticket_date,\n        ROUND(SUM(IFF(\n            t.category = ''cancellation'', POWER(0.5, DATEDIFF(day, t.created_at::DATE, s.snapshot_date) / 10.0), 0\n        )), 6)::FLOAT AS cancellation_tickets_decayed\n    FROM snapshots AS s\n    INNER JOIN tickets AS t\n        ON t.created_at < DATEADD(day, 1, s.snapshot_date)\n        AND t.created_at >= DATEADD(day, -89, s.snapshot_date)\n    GROUP BY s.snapshot_date, t.subscriber_id\n),\n\n-- the label: a valid cancel on days w + 1 .. w + 30\ncancels AS (\n    SELECT s.snapshot_date, e.subscriber_id, COUNT(*) AS cancels_30d\n    FROM snapshots AS s\n    INNER JOIN events AS e\n        ON e.event_timestamp >= DATEADD(day, 1, s.snapshot_date)\n        AND e.event_timestamp < DATEADD(day, 31, s.snapshot_date)\n    WHERE e.event_type = ''cancel''\n    GROUP BY s.snapshot_date, e.subscriber_id\n),\n\n-- active as DIM_SUBSCRIBERS and the profiles say (subscriber_profiles.sql): not cancelled by the latest lifecycle\n-- event, and active when there is none yet (payments before a signup that is late, invalid or missing), so\n-- every subscriber served as active is scored\nactive AS (\n    SELECT\n        b.snapshot_date,\n        b.subscriber_id,\n        DATEDIFF(day, b.signup_date, b.snapshot_date) AS tenure_days,\n        b.signup_date,\n        b.acquisition_channel,\n        b.failed_payments_30d,\n        b.downgrades_90d,\n        b.last_failed_payment_date,\n        b.failed_payments_decayed,\n        COALESCE(p.plan, ''unknown'') AS plan\n    FROM subscription AS b\n    LEFT JOIN lifecycle AS l ON l.snapshot_date = b.snapshot_date AND l.subscriber_id = b.subscriber_id\n    LEFT JOIN latest_plan AS p ON p.snapshot_date = b.snapshot_date AND p.subscriber_id = b.subscriber_id\n    WHERE l.event_type IS DISTINCT FROM ''cancel''\n),\n\n-- per-day rates divide by the days of the window the subscriber was subscribed (new subscribers)\nrates AS (\n    SELECT\n        a.*,\n        -- FLOAT from here on: the same arithmetic on every engine (no decimal scale rules)\n        COALESCE(e.points_30d, 0)::FLOAT AS points_30d,\n        COALESCE(e.reads_30d, 0)::FLOAT AS reads_30d,\n        COALESCE(e.reads_7d, 0)::FLOAT AS reads_7d,\n        lr.last_read_date,\n        LEAST(30, a.tenure_days + 1) AS days_30,\n        LEAST(7, a.tenure_days + 1) AS days_7,\n        LEAST(23, GREATEST(a.tenure_days + 1 - 7, 0)) AS days_prev_23,\n        COALESCE(t.tickets_90d, 0) AS tickets_90d,\n        COALESCE(t.tickets_30d, 0) AS tickets_30d,\n        COALESCE(t.cancellation_tickets_30d, 0) AS cancellation_tickets_30d,\n        t.last_cancellation_ticket_date,\n        COALESCE(t.cancellation_tickets_decayed, 0) AS cancellation_tickets_decayed\n    FROM active AS a\n    LEFT JOIN engagement AS e ON e.snapshot_date = a.snapshot_date AND e.subscriber_id = a.subscriber_id\n    LEFT JOIN last_read AS lr ON lr.snapshot_date = a.snapshot_date AND lr.subscriber_id = a.subscriber_id\n    LEFT JOIN support AS t ON t.snapshot_date = a.snapshot_date AND t.subscriber_id = a.subscriber_id\n),\n\nlabelled AS (\n    SELECT\n        r.*,\n        IFF(\n            DATEADD(day, 30, r.snapshot_date) <= :as_of::DATE,\n            COALESCE(c.cancels_30d, 0) > 0,\n            NULL\n        ) AS churned\n    FROM rates AS r\n    LEFT JOIN cancels AS c ON c.snapshot_date = r.snapshot_date AND c.subscriber_id = r.subscriber_id\n),\n\nlabelled_dates AS (\n    SELECT\n        snapshot_date,\n        ROW_NUMBER() OVER (ORDER BY snapshot_date DESC) AS recency,\n        COUNT(*) OVER () AS dates\n    FROM (SELECT DISTINCT snapshot_date FROM labelled WHERE churned IS NOT NULL) AS d\n),\n\ntest_window AS (\n    SELECT MIN(snapshot_date) AS test_start\n    FROM labelled_dates\n    WHERE recency <= GREATEST(1, ROUND(0.2 * (dates - FLOOR(29 / :snapshot_every_days))))\n),\n\nfinal AS (\n    SELECT\n        l.subscriber_id,\n        l.snapshot_date,\n        l.points_30d / l.days_30 AS engagement_score,\n        l.reads_30d / l.days_30 AS reads_per_day_30d,\n        LN(\n            (l.reads_7d / l.days_7 + 0.1)\n            / (COALESCE((l.reads_30d - l.reads_7d) / NULLIF(l.days_prev_23, 0), l.reads_7d / l.days_7) + 0.1)\n        ) AS engagement_trend,\n        DATEDIFF(\n            day, COALESCE(l.last_read_date, GREATEST(l.signup_date, h.first_day)), l.snapshot_date\n        ) AS days_since_last_read,\n        l.tickets_90d AS support_tickets_count,\n        l.tickets_30d AS support_tickets_30d,\n        l.cancellation_tickets_30d,\n        l.tenure_days AS subscription_tenure_days,\n        l.failed_payments_30d,\n        l.downgrades_90d,\n        -- 90: none in the last 90 days\n        COALESCE(DATEDIFF(day, l.last_failed_payment_date, l.snapshot_date), 90) AS days_since_failed_payment,\n        l.failed_payments_decayed,\n        COALESCE(DATEDIFF(day, l.last_cancellation_ticket_date, l.snapshot_date), 90)\n            AS days_since_cancellation_ticket,\n        l.cancellation_tickets_decayed,\n        l.plan,\n        l.acquisition_channel,\n        l.churned,\n        CASE\n            WHEN l.churned IS NULL THEN NULL\n            WHEN l.snapshot_date >= w.test_start THEN ''test''\n            WHEN DATEADD(day, 30, l.snapshot_date) <= w.test_start THEN ''train''\n            ELSE ''purged''\n        END AS split,\n        :run_id AS run_id,\n        CURRENT_TIMESTAMP()::TIMESTAMP_NTZ AS built_at\n    FROM labelled AS l\n    CROSS JOIN reading_history AS h\n    CROSS JOIN test_window AS w\n)\n\nSELECT * FROM final",
      "target": "",
      "duckdb": "INSERT INTO SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING (subscriber_id, snapshot_date, engagement_score, reads_per_day_30d, engagement_trend, days_since_last_read, support_tickets_count, support_tickets_30d, cancellation_tickets_30d, subscription_tenure_days, failed_payments_30d, downgrades_90d, days_since_failed_payment, failed_payments_decayed, days_since_cancellation_ticket, cancellation_tickets_decayed, plan, acquisition_channel, churned, split, run_id, built_at) /* The churn model''s one definition of its inputs: one row per subscriber active at the end of each */ /* snapshot date, with the features (docs/model.md) and the 30-day label. Training (FCT_CHURN_TRAINING) */ /* and daily scoring (FCT_CHURN_SCORING_FEATURES) both materialise this query, so features at scoring */ /* time are computed exactly as the model saw them in training. */ /* Binds: */ /*   :as_of                what is known: data after the end of this day is never read */ /*   :first_snapshot       earliest snapshot date */ /*   :last_snapshot        latest snapshot date; the snapshots are :last_snapshot - k * :snapshot_every_days */ /*   :snapshot_every_days  7 for the weekly training grid; 1 with first = last for one scoring day */ /*   :run_id               the run that builds it, kept on every row */ /* No leakage: every feature of snapshot w reads only rows timestamped before w + 1 day (the end of w); */ /* the label reads only cancels in days w + 1 .. w + 30, and is NULL until that window has passed by */ /* :as_of. A snapshot date needs engagement data on that day (a missing day''s load is not scored). */ /* split: train / test / purged, 80/20 by date among the labelled snapshots, purged: the test set is the */ /* latest k dates, k the count closest to 20 % of the dates that remain once the purged ones are set */ /* aside (at least 1); a training snapshot w is kept only when its label window closed by the first test */ /* snapshot t (w + 30 <= t), so no cancellation is labelled in both sets. The snapshots between are */ /* ''purged'' (FLOOR(29 / :snapshot_every_days) of them: 4 on the weekly grid) and used by nothing. */ /* NULL for unlabelled rows. */ WITH snapshots AS (SELECT DISTINCT activity_date AS snapshot_date FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY WHERE activity_date BETWEEN CAST($first_snapshot AS DATE) AND CAST($last_snapshot AS DATE) AND DATE_DIFF(''DAY'', activity_date, CAST($last_snapshot AS DATE)) % $snapshot_every_days = 0), events AS (SELECT subscriber_id, event_type, event_timestamp, plan, payment_status, acquisition_channel, source_load_seq FROM SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS WHERE is_valid AND event_timestamp < CAST(CAST($as_of AS DATE) + INTERVAL 1 DAY AS DATE)), lifecycle /* the subscriber''s lifecycle state at the end of each snapshot: the latest signup/upgrade/downgrade/cancel */ AS (SELECT s.snapshot_date, e.subscriber_id, e.event_type FROM snapshots AS s INNER JOIN events AS e ON e.event_timestamp < s.snapshot_date + INTERVAL 1 DAY WHERE e.event_type IN (''signup'', ''upgrade'', ''downgrade'', ''cancel'') QUALIFY ROW_NUMBER() OVER (PARTITION BY s.snapshot_date, e.subscriber_id ORDER BY e.event_timestamp DESC NULLS FIRST, e.source_load_seq DESC NULLS FIRST) = 1), latest_plan AS (SELECT s.snapshot_date, e.subscriber_id, e.plan FROM snapshots AS s INNER JOIN events AS e ON e.event_timestamp < s.snapshot_date + INTERVAL 1 DAY WHERE e.plan <> ''unknown'' QUALIFY ROW_NUMBER() OVER (PARTITION BY s.snapshot_date, e.subscriber_id ORDER BY e.event_timestamp DESC NULLS FIRST, e.source_load_seq DESC NULLS FIRST) = 1), subscription AS (SELECT s.snapshot_date, e.subscriber_id, CAST(COALESCE(MIN(CASE WHEN e.event_type = ''signup'' THEN e.event_timestamp ELSE NULL END), MIN(e.event_timestamp)) AS DATE) AS signup_date, COALESCE(MAX(CASE WHEN e.event_type = ''signup'' THEN e.acquisition_channel ELSE NULL END), ''unknown'') AS acquisition_channel, COUNT_IF((e.event_type = ''payment'' AND e.payment_status = ''failed'' AND e.event_timestamp >= s.snapshot_date + INTERVAL (-29) DAY) IS TRUE) AS failed_payments_30d, COUNT_IF((e.event_type = ''downgrade'' AND e.event_timestamp >= s.snapshot_date + INTERVAL (-89) DAY) IS TRUE) AS downgrades_90d, MAX(CASE WHEN e.event_type = ''payment'' AND e.payment_status = ''failed'' AND e.event_timestamp >= s.snapshot_date + INTERVAL (-89) DAY THEN CAST(e.event_timestamp AS DATE) ELSE NULL END) AS last_failed_payment_date /* recency: an old failed payment weighs less than a fresh one (half-life 10 days, last 90 days) */, CAST(ROUND(SUM(CASE WHEN e.event_type = ''payment'' AND e.payment_status = ''failed'' AND e.event_timestamp >= s.snapshot_date + INTERVAL (-89) DAY THEN POWER(0.5, DATE_DIFF(''DAY'', CAST(e.event_timestamp AS DATE), s.snapshot_date) / 10.0) ELSE 0 END), 6) /* rounded: a sum of floats depends on the order rows arrive in; 6 decimals do not */ AS DOUBLE) AS failed_payments_decayed FROM snapshots AS s INNER JOIN events AS e ON e.event_timestamp < s.snapshot_date + INTERVAL 1 DAY GROUP BY s.snapshot_date, e.subscriber_id), engagement /* reading in the 30 days ending each snapshot (FCT_ENGAGEMENT_DAILY is per subscriber and UTC day): the */ /* join reads only the window, so a day''s scoring costs the same whatever history the fact table keeps */ AS (SELECT s.snapshot_date, f.subscriber_id, SUM(f.avg_engagement_score) AS points_30d, SUM(f.views) AS reads_30d, SUM(CASE WHEN f.activity_date > s.snapshot_date + INTERVAL (-7) DAY THEN f.views ELSE 0 END) AS reads_7d FROM snapshots AS s INNER JOIN SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY AS f ON f.activity_date <= s.snapshot_date AND f.activity_date > s.snapshot_date + INTERVAL (-30) DAY GROUP BY s.snapshot_date, f.subscriber_id), last_read /* the last day with reads, however long ago: two narrow columns of the whole history */ AS (SELECT s.snapshot_date, f.subscriber_id, MAX(f.activity_date) AS last_read_date FROM snapshots AS s INNER JOIN SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY AS f ON f.activity_date <= s.snapshot_date GROUP BY s.snapshot_date, f.subscriber_id), reading_history AS (SELECT MIN(activity_date) AS first_day FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY), tickets /* tickets have no staging table: deduplicated here by ticket_id (the latest load wins) */ AS (SELECT subscriber_id, created_at, category FROM SFE_RAW_MEDIA.RAW_SUPPORT_INTERACTIONS QUALIFY ROW_NUMBER() OVER (PARTITION BY ticket_id ORDER BY load_seq DESC NULLS FIRST) = 1), support AS (SELECT s.snapshot_date, t.subscriber_id, COUNT(*) AS tickets_90d, COUNT_IF((t.created_at >= s.snapshot_date + INTERVAL (-29) DAY) IS TRUE) AS tickets_30d, COUNT_IF((t.category = ''cancellation'' AND t.created_at >= s.snapshot_date + INTERVAL (-29) DAY) IS TRUE) AS cancellation_tickets_30d, MAX(CASE WHEN t.category = ''cancellation'' THEN CAST(t.created_at AS DATE) ELSE NULL END) AS last_cancellation_ticket_date, CAST(ROUND(SUM(CASE WHEN t.category = ''cancellation'' THEN POWER(0.5, DATE_DIFF(''DAY'', CAST(t.created_at AS DATE), s.snapshot_date) / 10.0) ELSE 0 END), 6) AS DOUBLE) AS cancellation_tickets_decayed FROM snapshots AS s INNER JOIN tickets AS t ON t.created_at < s.snapshot_date + INTERVAL 1 DAY AND t.created_at >= s.snapshot_date + INTERVAL (-89) DAY GROUP BY s.snapshot_date, t.subscriber_id), cancels /* the label: a valid cancel on days w + 1 .. w + 30 */ AS (SELECT s.snapshot_date, e.subscriber_id, COUNT(*) AS cancels_30d FROM snapshots AS s INNER JOIN events AS e ON e.event_timestamp >= s.snapshot_date + INTERVAL 1 DAY AND e.event_timestamp < s.snapshot_date + INTERVAL 31 DAY WHERE e.event_type = ''cancel'' GROUP BY s.snapshot_date, e.subscriber_id), active /* active as DIM_SUBSCRIBERS and the profiles say (subscriber_profiles.sql): not cancelled by the latest lifecycle */ /* event, and active when there is none yet (payments before a signup that is late, invalid or missing), so */ /* every subscriber served as active is scored */ AS (SELECT b.snapshot_date, b.subscriber_id, DATE_DIFF(''DAY'', b.signup_date, b.snapshot_date) AS tenure_days, b.signup_date, b.acquisition_channel, b.failed_payments_30d, b.downgrades_90d, b.last_failed_payment_date, b.failed_payments_decayed, COALESCE(p.plan, ''unknown'') AS plan FROM subscription AS b LEFT JOIN lifecycle AS l ON l.snapshot_date = b.snapshot_date AND l.subscriber_id = b.subscriber_id LEFT JOIN latest_plan AS p ON p.snapshot_date = b.snapshot_date AND p.subscriber_id = b.subscriber_id WHERE l.event_type IS DISTINCT FROM ''cancel''), rates /* per-day rates divide by the days of the window the subscriber was subscribed (new subscribers) */ AS (SELECT a.*, CAST(COALESCE(e.points_30d, 0) /* FLOAT from here on: the same arithmetic on every engine (no decimal scale rules) */ AS DOUBLE) AS points_30d, CAST(COALESCE(e.reads_30d, 0) AS DOUBLE) AS reads_30d, CAST(COALESCE(e.reads_7d, 0) AS DOUBLE) AS reads_7d, lr.last_read_date, CASE WHEN 30 IS NULL OR (a.tenure_days + 1) IS NULL THEN NULL ELSE LEAST(30, a.tenure_days + 1) END AS days_30, CASE WHEN 7 IS NULL OR (a.tenure_days + 1) IS NULL THEN NULL ELSE LEAST(7, a.tenure_days + 1) END AS days_7, CASE WHEN 23 IS NULL OR CASE WHEN (a.tenure_days + 1 - 7) IS NULL OR 0 IS NULL THEN NULL ELSE GREATEST(a.tenure_days + 1 - 7, 0) END IS NULL THEN NULL ELSE LEAST(23, CASE WHEN (a.tenure_days + 1 - 7) IS NULL OR 0 IS NULL THEN NULL ELSE GREATEST(a.tenure_days + 1 - 7, 0) END) END AS days_prev_23, COALESCE(t.tickets_90d, 0) AS tickets_90d, COALESCE(t.tickets_30d, 0) AS tickets_30d, COALESCE(t.cancellation_tickets_30d, 0) AS cancellation_tickets_30d, t.last_cancellation_ticket_date, COALESCE(t.cancellation_tickets_decayed, 0) AS cancellation_tickets_decayed FROM active AS a LEFT JOIN engagement AS e ON e.snapshot_date = a.snapshot_date AND e.subscriber_id = a.subscriber_id LEFT JOIN last_read AS lr ON lr.snapshot_date = a.snapshot_date AND lr.subscriber_id = a.subscriber_id LEFT JOIN support AS t ON t.snapshot_date = a.snapshot_date AND t.subscriber_id = a.subscriber_id), labelled AS (SELECT r.*, CASE WHEN r.snapshot_date + INTERVAL 30 DAY <= CAST($as_of AS DATE) THEN COALESCE(c.cancels_30d, 0) > 0 ELSE NULL END AS churned FROM rates AS r LEFT JOIN cancels AS c ON c.snapshot_date = r.snapshot_date AND c.subscriber_id = r.subscriber_id), labelled_dates AS (SELECT snapshot_date, ROW_NUMBER() OVER (ORDER BY snapshot_date DESC NULLS FIRST) AS recency, COUNT(*) OVER () AS dates FROM (SELECT DISTINCT snapshot_date FROM labelled WHERE NOT churned IS NULL) AS d), test_window AS (SELECT MIN(snapshot_date) AS test_start FROM labelled_dates WHERE recency <= CASE WHEN 1 IS NULL OR ROUND(0.2 * (dates - FLOOR(29 / $snapshot_every_days))) IS NULL THEN NULL ELSE GREATEST(1, ROUND(0.2 * (dates - FLOOR(29 / $snapshot_every_days)))) END), final AS (SELECT l.subscriber_id, l.snapshot_date, l.points_30d / l.days_30 AS engagement_score, l.reads_30d / l.days_30 AS reads_per_day_30d, LN((l.reads_7d / l.days_7 + 0.1) / (COALESCE((l.reads_30d - l.reads_7d) / NULLIF(l.days_prev_23, 0), l.reads_7d / l.days_7) + 0.1)) AS engagement_trend, DATE_DIFF(''DAY'', COALESCE(l.last_read_date, CASE WHEN l.signup_date IS NULL OR h.first_day IS NULL THEN NULL ELSE GREATEST(l.signup_date, h.first_day) END), l.snapshot_date) AS days_since_last_read, l.tickets_90d AS support_tickets_count, l.tickets_30d AS support_tickets_30d, l.cancellation_tickets_30d, l.tenure_days AS subscription_tenure_days, l.failed_payments_30d, l.downgrades_90d, COALESCE(DATE_DIFF(''DAY'', l.last_failed_payment_date, l.snapshot_date), 90) AS days_since_failed_payment /* 90: none in the last 90 days */, l.failed_payments_decayed, COALESCE(DATE_DIFF(''DAY'', l.last_cancellation_ticket_date, l.snapshot_date), 90) AS days_since_cancellation_ticket, l.cancellation_tickets_decayed, l.plan, l.acquisition_channel, l.churned, CASE WHEN l.churned IS NULL THEN NULL WHEN l.snapshot_date >= w.test_start THEN ''test'' WHEN l.snapshot_date + INTERVAL 30 DAY <= w.test_start THEN ''train'' ELSE ''purged'' END AS split, $run_id AS run_id, CAST(CURRENT_TIMESTAMP AS TIMESTAMP) AS built_at FROM labelled AS l CROSS JOIN reading_history AS h CROSS JOIN test_window AS w) SELECT * FROM final",
      "tables": [
        "ACTIVE",
        "CANCELS",
        "ENGAGEMENT",
        "EVENTS",
        "FINAL",
        "LABELLED",
        "LABELLED_DATES",
        "LAST_READ",
        "LATEST_PLAN",
        "LIFECYCLE",
        "RATES",
        "READING_HISTORY",
        "SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING",
        "SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY",
        "SFE_RAW_MEDIA.RAW_SUPPORT_INTERACTIONS",
        "SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS",
        "SNAPSHOTS",
        "SUBSCRIPTION",
        "SUPPORT",
        "TEST_WINDOW",
        "TICKETS"
      ],
      "dml": true
    },
    {
      "kind": "commit",
      "sql": "",
      "target": ""
    },
    {
      "kind": "sql",
      "sql": "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at)\n    SELECT :run_id, :as_of, ''fct_churn_training_grain_unique'', ''fct_churn_training'', COUNT(*), COUNT(*) = 0, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ\n    FROM (\n        SELECT subscriber_id, snapshot_date\n        FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING\n        GROUP BY subscriber_id, snapshot_date\n        HAVING COUNT(*) > 1\n    ) AS failing",
      "target": "",
      "duckdb": "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at) SELECT $run_id, $as_of, ''fct_churn_training_grain_unique'', ''fct_churn_training'', COUNT(*), COUNT(*) = 0, CAST(CURRENT_TIMESTAMP AS TIMESTAMP) FROM (SELECT subscriber_id, snapshot_date FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING GROUP BY subscriber_id, snapshot_date HAVING COUNT(*) > 1) AS failing",
      "tables": [
        "SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS",
        "SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING"
      ],
      "dml": true
    },
    {
      "kind": "sql",
      "sql": "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at)\n    SELECT :run_id, :as_of, ''fct_churn_training_labelled'', ''fct_churn_training'', COUNT(*), COUNT(*) = 0, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ\n    FROM (\n        SELECT subscriber_id, snapshot_date\n        FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING\n        WHERE churned IS NULL\n            OR split NOT IN (''train'', ''test'', ''purged'')\n            OR DATEADD(day, 30, snapshot_date) > :as_of::DATE\n    ) AS failing",
      "target": "",
      "duckdb": "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at) SELECT $run_id, $as_of, ''fct_churn_training_labelled'', ''fct_churn_training'', COUNT(*), COUNT(*) = 0, CAST(CURRENT_TIMESTAMP AS TIMESTAMP) FROM (SELECT subscriber_id, snapshot_date FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING WHERE churned IS NULL OR NOT split IN (''train'', ''test'', ''purged'') OR snapshot_date + INTERVAL 30 DAY > CAST($as_of AS DATE)) AS failing",
      "tables": [
        "SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS",
        "SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING"
      ],
      "dml": true
    },
    {
      "kind": "sql",
      "sql": "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at)\n    SELECT :run_id, :as_of, ''fct_churn_training_test_after_train'', ''fct_churn_training'', COUNT(*), COUNT(*) = 0, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ\n    FROM (\n        SELECT test_start\n        FROM (\n            SELECT\n                MIN(IFF(split = ''test'', snapshot_date, NULL)) AS test_start,\n                MAX(IFF(split = ''train'', snapshot_date, NULL)) AS train_end\n            FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING\n        ) AS windows\n        WHERE test_start <= train_end\n    ) AS failing",
      "target": "",
      "duckdb": "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at) SELECT $run_id, $as_of, ''fct_churn_training_test_after_train'', ''fct_churn_training'', COUNT(*), COUNT(*) = 0, CAST(CURRENT_TIMESTAMP AS TIMESTAMP) FROM (SELECT test_start FROM (SELECT MIN(CASE WHEN split = ''test'' THEN snapshot_date ELSE NULL END) AS test_start, MAX(CASE WHEN split = ''train'' THEN snapshot_date ELSE NULL END) AS train_end FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING) AS windows WHERE test_start <= train_end) AS failing",
      "tables": [
        "SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS",
        "SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING"
      ],
      "dml": true
    },
    {
      "kind": "sql",
      "sql": "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at)\n    SELECT :run_id, :as_of, ''fct_churn_training_purged'', ''fct_churn_training'', COUNT(*), COUNT(*) = 0, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ\n    FROM (\n        SELECT t.subscriber_id, t.snapshot_date\n        FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING AS t\n        CROSS JOIN (\n            SELECT MIN(snapshot_date) AS test_start FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING WHERE split = ''test''\n        ) AS w\n        WHERE t.split = ''train'' AND DATEADD(day, 30, t.snapshot_date) > w.test_start\n    ) AS failing",
      "target": "",
      "duckdb": "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at) SELECT $run_id, $as_of, ''fct_churn_training_purged'', ''fct_churn_training'', COUNT(*), COUNT(*) = 0, CAST(CURRENT_TIMESTAMP AS TIMESTAMP) FROM (SELECT t.subscriber_id, t.snapshot_date FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING AS t CROSS JOIN (SELECT MIN(snapshot_date) AS test_start FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING WHERE split = ''test'') AS w WHERE t.split = ''train'' AND t.snapshot_date + INTERVAL 30 DAY > w.test_start) AS failing",
      "tables": [
        "SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS",
        "SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING"
      ],
      "dml": true
    },
    {
      "kind": "sql",
      "sql": "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at)\n    SELECT :run_id, :as_of, ''fct_churn_training_value_ranges'', ''fct_churn_training'', COUNT(*), COUNT(*) = 0, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ\n    FROM (\n        SELECT subscriber_id, snapshot_date\n        FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING\n        WHERE engagement_score NOT BETWEEN 0 AND 100\n            OR reads_per_day_30d < 0\n            OR days_since_last_read < 0\n            OR subscription_tenure_days < 0\n            OR support_tickets_30d > support_tickets_count\n            OR cancellation_tickets_30d > support_tickets_30d\n            OR failed_payments_30d < 0\n            OR downgrades_90d < 0\n            OR days_since_failed_payment NOT BETWEEN 0 AND 90\n            OR days_since_cancellation_ticket NOT BETWEEN 0 AND 90\n            OR failed_payments_decayed < 0\n            OR cancellation_tickets_decayed < 0\n    ) AS failing",
      "target": "",
      "duckdb": "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at) SELECT $run_id, $as_of, ''fct_churn_training_value_ranges'', ''fct_churn_training'', COUNT(*), COUNT(*) = 0, CAST(CURRENT_TIMESTAMP AS TIMESTAMP) FROM (SELECT subscriber_id, snapshot_date FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING WHERE NOT engagement_score BETWEEN 0 AND 100 OR reads_per_day_30d < 0 OR days_since_last_read < 0 OR subscription_tenure_days < 0 OR support_tickets_30d > support_tickets_count OR cancellation_tickets_30d > support_tickets_30d OR failed_payments_30d < 0 OR downgrades_90d < 0 OR NOT days_since_failed_payment BETWEEN 0 AND 90 OR NOT days_since_cancellation_ticket BETWEEN 0 AND 90 OR failed_payments_decayed < 0 OR cancellation_tickets_decayed < 0) AS failing",
      "tables": [
        "SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS",
        "SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING"
      ],
      "dml": true
    },
    {
      "kind": "assign",
      "sql": "(SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS WHERE run_id = :run_id AND NOT passed)",
      "target": "failed_checks",
      "duckdb": "SELECT (SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS WHERE run_id = $run_id AND NOT passed)"
    },
    {
      "kind": "raise_if",
      "sql": "failed_checks > 0",
      "target": "DQ_CHECK_FAILED",
      "duckdb": "SELECT $failed_checks > 0"
    },
    {
      "kind": "assign",
      "sql": "(SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING)",
      "target": "training_rows",
      "duckdb": "SELECT (SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING)"
    },
    {
      "kind": "return",
      "sql": "''built the training set: '' || training_rows::VARCHAR || '' rows''",
      "target": "",
      "duckdb": "SELECT ''built the training set: '' || CAST($training_rows AS TEXT) || '' rows''"
    }
  ]
}', now());
INSERT OR REPLACE INTO C360_META.PROCEDURES (procedure_name, definition, updated_at) VALUES ('SFE_ANALYTICS_MEDIA.SFE_BUILD_SCORING_FEATURES', '{
  "name": "SFE_ANALYTICS_MEDIA.SFE_BUILD_SCORING_FEATURES",
  "args": [
    {
      "name": "as_of",
      "type": "DATE",
      "default": null
    },
    {
      "name": "run_id",
      "type": "VARCHAR",
      "default": null
    }
  ],
  "variables": {
    "first_snapshot": null,
    "last_snapshot": null,
    "snapshot_every_days": "1",
    "scoring_rows": "0",
    "failed_checks": "0"
  },
  "exceptions": {
    "DQ_CHECK_FAILED": "data quality check failed: see SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS"
  },
  "steps": [
    {
      "kind": "assign",
      "sql": "(SELECT :as_of::DATE)",
      "target": "first_snapshot",
      "duckdb": "SELECT (SELECT CAST($as_of AS DATE))"
    },
    {
      "kind": "assign",
      "sql": "(SELECT :as_of::DATE)",
      "target": "last_snapshot",
      "duckdb": "SELECT (SELECT CAST($as_of AS DATE))"
    },
    {
      "kind": "begin",
      "sql": "",
      "target": ""
    },
    {
      "kind": "sql",
      "sql": "DELETE FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_SCORING_FEATURES\nWHERE snapshot_date = :as_of::DATE",
      "target": "",
      "duckdb": "DELETE FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_SCORING_FEATURES WHERE snapshot_date = CAST($as_of AS DATE)",
      "tables": [
        "SFE_ANALYTICS_MEDIA.FCT_CHURN_SCORING_FEATURES"
      ],
      "dml": true
    },
    {
      "kind": "sql",
      "sql": "INSERT INTO SFE_ANALYTICS_MEDIA.FCT_CHURN_SCORING_FEATURES (\n    subscriber_id, snapshot_date, engagement_score, reads_per_day_30d, engagement_trend, days_since_last_read,\n    support_tickets_count, support_tickets_30d, cancellation_tickets_30d, subscription_tenure_days,\n    failed_payments_30d, downgrades_90d, days_since_failed_payment, failed_payments_decayed,\n    days_since_cancellation_ticket, cancellation_tickets_decayed, plan, acquisition_channel, churned, split, run_id,\n    built_at\n)\n-- The churn model''s one definition of its inputs: one row per subscriber active at the end of each\n-- snapshot date, with the features (docs/model.md) and the 30-day label. Training (FCT_CHURN_TRAINING)\n-- and daily scoring (FCT_CHURN_SCORING_FEATURES) both materialise this query, so features at scoring\n-- time are computed exactly as the model saw them in training.\n--\n-- Binds:\n--   :as_of                what is known: data after the end of this day is never read\n--   :first_snapshot       earliest snapshot date\n--   :last_snapshot        latest snapshot date; the snapshots are :last_snapshot - k * :snapshot_every_days\n--   :snapshot_every_days  7 for the weekly training grid; 1 with first = last for one scoring day\n--   :run_id               the run that builds it, kept on every row\n--\n-- No leakage: every feature of snapshot w reads only rows timestamped before w + 1 day (the end of w);\n-- the label reads only cancels in days w + 1 .. w + 30, and is NULL until that window has passed by\n-- :as_of. A snapshot date needs engagement data on that day (a missing day''s load is not scored).\n--\n-- split: train / test / purged, 80/20 by date among the labelled snapshots, purged: the test set is the\n-- latest k dates, k the count closest to 20 % of the dates that remain once the purged ones are set\n-- aside (at least 1); a training snapshot w is kept only when its label window closed by the first test\n-- snapshot t (w + 30 <= t), so no cancellation is labelled in both sets. The snapshots between are\n-- ''purged'' (FLOOR(29 / :snapshot_every_days) of them: 4 on the weekly grid) and used by nothing.\n-- NULL for unlabelled rows.\nWITH snapshots AS (\n    SELECT DISTINCT activity_date AS snapshot_date\n    FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY\n    WHERE activity_date BETWEEN :first_snapshot::DATE AND :last_snapshot::DATE\n        AND MOD(DATEDIFF(day, activity_date, :last_snapshot::DATE), :snapshot_every_days) = 0\n),\n\nevents AS (\n    SELECT subscriber_id, event_type, event_timestamp, plan, payment_status, acquisition_channel, source_load_seq\n    FROM SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS\n    WHERE is_valid\n        AND event_timestamp < DATEADD(day, 1, :as_of::DATE)\n),\n\n-- the subscriber''s lifecycle state at the end of each snapshot: the latest signup/upgrade/downgrade/cancel\nlifecycle AS (\n    SELECT s.snapshot_date, e.subscriber_id, e.event_type\n    FROM snapshots AS s\n    INNER JOIN events AS e ON e.event_timestamp < DATEADD(day, 1, s.snapshot_date)\n    WHERE e.event_type IN (''signup'', ''upgrade'', ''downgrade'', ''cancel'')\n    QUALIFY ROW_NUMBER() OVER (\n        PARTITION BY s.snapshot_date, e.subscriber_id ORDER BY e.event_timestamp DESC, e.source_load_seq DESC\n    ) = 1\n),\n\nlatest_plan AS (\n    SELECT s.snapshot_date, e.subscriber_id, e.plan\n    FROM snapshots AS s\n    INNER JOIN events AS e ON e.event_timestamp < DATEADD(day, 1, s.snapshot_date)\n    WHERE e.plan <> ''unknown''\n    QUALIFY ROW_NUMBER() OVER (\n        PARTITION BY s.snapshot_date, e.subscriber_id ORDER BY e.event_timestamp DESC, e.source_load_seq DESC\n    ) = 1\n),\n\nsubscription AS (\n    SELECT\n        s.snapshot_date,\n        e.subscriber_id,\n        COALESCE(MIN(IFF(e.event_type = ''signup'', e.event_timestamp, NULL)), MIN(e.event_timestamp))::DATE\n            AS signup_date,\n        COALESCE(MAX(IFF(e.event_type = ''signup'', e.acquisition_channel, NULL)), ''unknown'') AS acquisition_channel,\n        COUNT_IF(\n            e.event_type = ''payment'' AND e.payment_status = ''failed''\n            AND e.event_timestamp >= DATEADD(day, -29, s.snapshot_date)\n        ) AS failed_payments_30d,\n        COUNT_IF(e.event_type = ''downgrade'' AND e.event_timestamp >= DATEADD(day, -89, s.snapshot_date))\n            AS downgrades_90d,\n        -- recency: an old failed payment weighs less than a fresh one (half-life 10 days, last 90 days)\n        MAX(IFF(\n            e.event_type = ''payment'' AND e.payment_status = ''failed''\n            AND e.event_timestamp >= DATEADD(day, -89, s.snapshot_date),\n            e.event_timestamp::DATE,\n            NULL\n        )) AS last_failed_payment_date,\n        -- rounded: a sum of floats depends on the order rows arrive in; 6 decimals do not\n        ROUND(SUM(IFF(\n            e.event_type = ''payment'' AND e.payment_status = ''failed''\n            AND e.event_timestamp >= DATEADD(day, -89, s.snapshot_date),\n            POWER(0.5, DATEDIFF(day, e.event_timestamp::DATE, s.snapshot_date) / 10.0),\n            0\n        )), 6)::FLOAT AS failed_payments_decayed\n    FROM snapshots AS s\n    INNER JOIN events AS e ON e.event_timestamp < DATEADD(day, 1, s.snapshot_date)\n    GROUP BY s.snapshot_date, e.subscriber_id\n),\n\n-- reading in the 30 days ending each snapshot (FCT_ENGAGEMENT_DAILY is per subscriber and UTC day): the\n-- join reads only the window, so a day''s scoring costs the same whatever history the fact table keeps\nengagement AS (\n    SELECT\n        s.snapshot_date,\n        f.subscriber_id,\n        SUM(f.avg_engagement_score) AS points_30d,\n        SUM(f.views) AS reads_30d,\n        SUM(IFF(f.activity_date > DATEADD(day, -7, s.snapshot_date), f.views, 0)) AS reads_7d\n    FROM snapshots AS s\n    INNER JOIN SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY AS f\n        ON f.activity_date <= s.snapshot_date\n        AND f.activity_date > DATEADD(day, -30, s.snapshot_date)\n    GROUP BY s.snapshot_date, f.subscriber_id\n),\n\n-- the last day with reads, however long ago: two narrow columns of the whole history\nlast_read AS (\n    SELECT s.snapshot_date, f.subscriber_id, MAX(f.activity_date) AS last_read_date\n    FROM snapshots AS s\n    INNER JOIN SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY AS f ON f.activity_date <= s.snapshot_date\n    GROUP BY s.snapshot_date, f.subscriber_id\n),\n\nreading_history AS (\n    SELECT MIN(activity_date) AS first_day\n    FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY\n),\n\n-- tickets have no staging table: deduplicated here by ticket_id (the latest load wins)\ntickets AS (\n    SELECT subscriber_id, created_at, category\n    FROM SFE_RAW_MEDIA.RAW_SUPPORT_INTERACTIONS\n    QUALIFY ROW_NUMBER() OVER (PARTITION BY ticket_id ORDER BY load_seq DESC) = 1\n),\n\nsupport AS (\n    SELECT\n        s.snapshot_date,\n        t.subscriber_id,\n        COUNT(*) AS tickets_90d,\n        COUNT_IF(t.created_at >= DATEADD(day, -29, s.snapshot_date)) AS tickets_30d,\n        COUNT_IF(t.category = ''cancellation'' AND t.created_at >= DATEADD(day, -29, s.snapshot_date))\n            AS cancellation_tickets_30d,\n        MAX(IFF(t.category = ''cancellation'', t.created_at::DATE, NULL)) AS last_cancellation_ticket_date,\n        ROUND(SUM(IFF(\n            t.category = ''cancellation'', POWER(0.5, DATEDIFF(day, t.created_at::DATE, s.snapshot_date) / 10.0), 0\n        )), 6)::FLOAT AS cancellation_tickets_decayed\n    FROM snapshots AS s\n    INNER JOIN tickets AS t\n        ON t.created_at < DATEADD(day, 1, s.snapshot_date)\n        AND t.created_at >= DATEADD(day, -89, s.snapshot_date)\n    GROUP BY s.snapshot_date, t.subscriber_id\n),\n\n-- the label: a valid cancel on days w + 1 .. w + 30\ncancels AS (\n    SELECT s.snapshot_date, e.subscriber_id, COUNT(*) AS cancels_30d\n    FROM snapshots AS s\n    INNER JOIN events AS e\n        ON e.event_timestamp >= DATEADD(day, 1, s.snapshot_date)\n        AND e.event_timestamp < DATEADD(day, 31, s.snapshot_date)\n    WHERE e.event_type = ''cancel''\n    GROUP BY s.snapshot_date, e.subscriber_id\n),\n\n-- active as DIM_SUBSCRIBERS and the profiles say (subscriber_profiles.sql): not cancelled by the latest lifecycle\n-- event, and active when there is none yet (payments before a signup that is late, invalid or missing), so\n-- every subscriber served as active is scored\nactive AS (\n    SELECT\n        b.snapshot_date,\n        b.subscriber_id,\n        DATEDIFF(day, b.signup_date, b.snapshot_date) AS tenure_days,\n        b.signup_date,\n        b.acquisition_channel,\n        b.failed_payments_30d,\n        b.downgrades_90d,\n        b.last_failed_payment_date,\n        b.failed_payments_decayed,\n        COALESCE(p.plan, ''unknown'') AS plan\n    FROM subscription AS b\n    LEFT JOIN lifecycle AS l ON l.snapshot_date = b.snapshot_date AND l.subscriber_id = b.subscriber_id\n    LEFT JOIN latest_plan AS p ON p.snapshot_date = b.snapshot_date AND p.subscriber_id = b.subscriber_id\n    WHERE l.event_type IS DISTINCT FROM ''cancel''\n),\n\n-- per-day rates divide by the days of the window the subscriber was subscribed (new subscribers)\nrates AS (\n    SELECT\n        a.*,\n        -- FLOAT from here on: the same arithmetic on every engine (no decimal scale rules)\n        COALESCE(e.points_30d, 0)::FLOAT AS points_30d,\n        COALESCE(e.reads_30d, 0)::FLOAT AS reads_30d,\n        COALESCE(e.reads_7d, 0)::FLOAT AS reads_7d,\n        lr.last_read_date,\n        LEAST(30, a.tenure_days + 1) AS days_30,\n        LEAST(7, a.tenure_days + 1) AS days_7,\n        LEAST(23, GREATEST(a.tenure_days + 1 - 7, 0)) AS days_prev_23,\n        COALESCE(t.tickets_90d, 0) AS tickets_90d,\n        COALESCE(t.tickets_30d, 0) AS tickets_30d,\n        COALESCE(t.cancellation_tickets_30d, 0) AS cancellation_tickets_30d,\n        t.last_cancellation_ticket_date,\n        COALESCE(t.cancellation_tickets_decayed, 0) AS cancellation_tickets_decayed\n    FROM active AS a\n    LEFT JOIN engagement AS e ON e.snapshot_date = a.snapshot_date AND e.subscriber_id = a.subscriber_id\n    LEFT JOIN last_read AS lr ON lr.snapshot_date = a.snapshot_date AND lr.subscriber_id = a.subscriber_id\n    LEFT JOIN support AS t ON t.snapshot_date = a.snapshot_date AND t.subscriber_id = a.subscriber_id\n),\n\nlabelled AS (\n    SELECT\n        r.*,\n        IFF(\n            DATEADD(day, 30, r.snapshot_date) <= :as_of::DATE,\n            COALESCE(c.cancels_30d, 0) > 0,\n            NULL\n        ) AS churned\n    FROM rates AS r\n    LEFT JOIN cancels AS c ON c.snapshot_date = r.snapshot_date AND c.subscriber_id = r.subscriber_id\n),\n\nlabelled_dates AS (\n    SELECT\n        snapshot_date,\n        ROW_NUMBER() OVER (ORDER BY snapshot_date DESC) AS recency,\n        COUNT(*) OVER () AS dates\n    FROM (SELECT DISTINCT snapshot_date FROM labelled WHERE churned IS NOT NULL) AS d\n),\n\ntest_window AS (\n    SELECT MIN(snapshot_date) AS test_start\n    FROM labelled_dates\n    WHERE recency <= GREATEST(1, ROUND(0.2 * (dates - FLOOR(29 / :snapshot_every_days))))\n),\n\nfinal AS (\n    SELECT\n        l.subscriber_id,\n        l.snapshot_date,\n        l.points_30d / l.days_30 AS engagement_score,\n        l.reads_30d / l.days_30 AS reads_per_day_30d,\n        LN(\n            (l.reads_7d / l.days_7 + 0.1)\n            / (COALESCE((l.reads_30d - l.reads_7d) / NULLIF(l.days_prev_23, 0), l.reads_7d / l.days_7) + 0.1)\n        ) AS engagement_trend,\n        DATEDIFF(\n            day, COALESCE(l.last_read_date, GREATEST(l.signup_date, h.first_day)), l.snapshot_date\n        ) AS days_since_last_read,\n        l.tickets_90d AS support_tickets_count,\n        l.tickets_30d AS support_tickets_30d,\n        l.cancellation_tickets_30d,\n        l.tenure_days AS subscription_tenure_days,\n        l.failed_payments_30d,\n        l.downgrades_90d,\n        -- 90: none in the last 90 days\n        COALESCE(DATEDIFF(day, l.last_failed_payment_date, l.snapshot_date), 90) AS days_since_failed_payment,\n        l.failed_payments_decayed,\n        COALESCE(DATEDIFF(day, l.last_cancellation_ticket_date, l.snapshot_date), 90)\n            AS days_since_cancellation_ticket,\n        l.cancellation_tickets_decayed,\n        l.plan,\n        l.acquisition_channel,\n        l.churned,\n        CASE\n            WHEN l.churned IS NULL THEN NULL\n            WHEN l.snapshot_date >= w.test_start THEN ''test''\n            WHEN DATEADD(day, 30, l.snapshot_date) <= w.test_start THEN ''train''\n            ELSE ''purged''\n        END AS split,\n        :run_id AS run_id,\n        CURRENT_TIMESTAMP()::TIMESTAMP_NTZ AS built_at\n    FROM labelled AS l\n    CROSS JOIN reading_history AS h\n    CROSS JOIN test_window AS w\n)\n\nSELECT * FROM final",
      "target": "",
      "duckdb": "INSERT INTO SFE_ANALYTICS_MEDIA.FCT_CHURN_SCORING_FEATURES (subscriber_id, snapshot_date, engagement_score, reads_per_day_30d, engagement_trend, days_since_last_read, support_tickets_count, support_tickets_30d, cancellation_tickets_30d, subscription_tenure_days, failed_payments_30d, downgrades_90d, days_since_failed_payment, failed_payments_decayed, days_since_cancellation_ticket, cancellation_tickets_decayed, plan, acquisition_channel, churned, split, run_id, built_at) /* The churn model''s one definition of its inputs: one row per subscriber active at the end of each */ /* snapshot date, with the features (docs/model.md) and the 30-day label. Training (FCT_CHURN_TRAINING) */ /* and daily scoring (FCT_CHURN_SCORING_FEATURES) both materialise this query, so features at scoring */ /* time are computed exactly as the model saw them in training. */ /* Binds: */ /*   :as_of                what is known: data after the end of this day is never read */ /*   :first_snapshot       earliest snapshot date */ /*   :last_snapshot        latest snapshot date; the snapshots are :last_snapshot - k * :snapshot_every_days */ /*   :snapshot_every_days  7 for the weekly training grid; 1 with first = last for one scoring day */ /*   :run_id               the run that builds it, kept on every row */ /* No leakage: every feature of snapshot w reads only rows timestamped before w + 1 day (the end of w); */ /* the label reads only cancels in days w + 1 .. w + 30, and is NULL until that window has passed by */ /* :as_of. A snapshot date needs engagement data on that day (a missing day''s load is not scored). */ /* split: train / test / purged, 80/20 by date among the labelled snapshots, purged: the test set is the */ /* latest k dates, k the count closest to 20 % of the dates that remain once the purged ones are set */ /* aside (at least 1); a training snapshot w is kept only when its label window closed by the first test */ /* snapshot t (w + 30 <= t), so no cancellation is labelled in both sets. The snapshots between are */ /* ''purged'' (FLOOR(29 / :snapshot_every_days) of them: 4 on the weekly grid) and used by nothing. */ /* NULL for unlabelled rows. */ WITH snapshots AS (SELECT DISTINCT activity_date AS snapshot_date FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY WHERE activity_date BETWEEN CAST($first_snapshot AS DATE) AND CAST($last_snapshot AS DATE) AND DATE_DIFF(''DAY'', activity_date, CAST($last_snapshot AS DATE)) % $snapshot_every_days = 0), events AS (SELECT subscriber_id, event_type, event_timestamp, plan, payment_status, acquisition_channel, source_load_seq FROM SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS WHERE is_valid AND event_timestamp < CAST(CAST($as_of AS DATE) + INTERVAL 1 DAY AS DATE)), lifecycle /* the subscriber''s lifecycle state at the end of each snapshot: the latest signup/upgrade/downgrade/cancel */ AS (SELECT s.snapshot_date, e.subscriber_id, e.event_type FROM snapshots AS s INNER JOIN events AS e ON e.event_timestamp < s.snapshot_date + INTERVAL 1 DAY WHERE e.event_type IN (''signup'', ''upgrade'', ''downgrade'', ''cancel'') QUALIFY ROW_NUMBER() OVER (PARTITION BY s.snapshot_date, e.subscriber_id ORDER BY e.event_timestamp DESC NULLS FIRST, e.source_load_seq DESC NULLS FIRST) = 1), latest_plan AS (SELECT s.snapshot_date, e.subscriber_id, e.plan FROM snapshots AS s INNER JOIN events AS e ON e.event_timestamp < s.snapshot_date + INTERVAL 1 DAY WHERE e.plan <> ''unknown'' QUALIFY ROW_NUMBER() OVER (PARTITION BY s.snapshot_date, e.subscriber_id ORDER BY e.event_timestamp DESC NULLS FIRST, e.source_load_seq DESC NULLS FIRST) = 1), subscription AS (SELECT s.snapshot_date, e.subscriber_id, CAST(COALESCE(MIN(CASE WHEN e.event_type = ''signup'' THEN e.event_timestamp ELSE NULL END), MIN(e.event_timestamp)) AS DATE) AS signup_date, COALESCE(MAX(CASE WHEN e.event_type = ''signup'' THEN e.acquisition_channel ELSE NULL END), ''unknown'') AS acquisition_channel, COUNT_IF((e.event_type = ''payment'' AND e.payment_status = ''failed'' AND e.event_timestamp >= s.snapshot_date + INTERVAL (-29) DAY) IS TRUE) AS failed_payments_30d, COUNT_IF((e.event_type = ''downgrade'' AND e.event_timestamp >= s.snapshot_date + INTERVAL (-89) DAY) IS TRUE) AS downgrades_90d, MAX(CASE WHEN e.event_type = ''payment'' AND e.payment_status = ''failed'' AND e.event_timestamp >= s.snapshot_date + INTERVAL (-89) DAY THEN CAST(e.event_timestamp AS DATE) ELSE NULL END) AS last_failed_payment_date /* recency: an old failed payment weighs less than a fresh one (half-life 10 days, last 90 days) */, CAST(ROUND(SUM(CASE WHEN e.event_type = ''payment'' AND e.payment_status = ''failed'' AND e.event_timestamp >= s.snapshot_date + INTERVAL (-89) DAY THEN POWER(0.5, DATE_DIFF(''DAY'', CAST(e.event_timestamp AS DATE), s.snapshot_date) / 10.0) ELSE 0 END), 6) /* rounded: a sum of floats depends on the order rows arrive in; 6 decimals do not */ AS DOUBLE) AS failed_payments_decayed FROM snapshots AS s INNER JOIN events AS e ON e.event_timestamp < s.snapshot_date + INTERVAL 1 DAY GROUP BY s.snapshot_date, e.subscriber_id), engagement /* reading in the 30 days ending each snapshot (FCT_ENGAGEMENT_DAILY is per subscriber and UTC day): the */ /* join reads only the window, so a day''s scoring costs the same whatever history the fact table keeps */ AS (SELECT s.snapshot_date, f.subscriber_id, SUM(f.avg_engagement_score) AS points_30d, SUM(f.views) AS reads_30d, SUM(CASE WHEN f.activity_date > s.snapshot_date + INTERVAL (-7) DAY THEN f.views ELSE 0 END) AS reads_7d FROM snapshots AS s INNER JOIN SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY AS f ON f.activity_date <= s.snapshot_date AND f.activity_date > s.snapshot_date + INTERVAL (-30) DAY GROUP BY s.snapshot_date, f.subscriber_id), last_read /* the last day with reads, however long ago: two narrow columns of the whole history */ AS (SELECT s.snapshot_date, f.subscriber_id, MAX(f.activity_date) AS last_read_date FROM snapshots AS s INNER JOIN SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY AS f ON f.activity_date <= s.snapshot_date GROUP BY s.snapshot_date, f.subscriber_id), reading_history AS (SELECT MIN(activity_date) AS first_day FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY), tickets /* tickets have no staging table: deduplicated here by ticket_id (the latest load wins) */ AS (SELECT subscriber_id, created_at, category FROM SFE_RAW_MEDIA.RAW_SUPPORT_INTERACTIONS QUALIFY ROW_NUMBER() OVER (PARTITION BY ticket_id ORDER BY load_seq DESC NULLS FIRST) = 1), support AS (SELECT s.snapshot_date, t.subscriber_id, COUNT(*) AS tickets_90d, COUNT_IF((t.created_at >= s.snapshot_date + INTERVAL (-29) DAY) IS TRUE) AS tickets_30d, COUNT_IF((t.category = ''cancellation'' AND t.created_at >= s.snapshot_date + INTERVAL (-29) DAY) IS TRUE) AS cancellation_tickets_30d, MAX(CASE WHEN t.category = ''cancellation'' THEN CAST(t.created_at AS DATE) ELSE NULL END) AS last_cancellation_ticket_date, CAST(ROUND(SUM(CASE WHEN t.category = ''cancellation'' THEN POWER(0.5, DATE_DIFF(''DAY'', CAST(t.created_at AS DATE), s.snapshot_date) / 10.0) ELSE 0 END), 6) AS DOUBLE) AS cancellation_tickets_decayed FROM snapshots AS s INNER JOIN tickets AS t ON t.created_at < s.snapshot_date + INTERVAL 1 DAY AND t.created_at >= s.snapshot_date + INTERVAL (-89) DAY GROUP BY s.snapshot_date, t.subscriber_id), cancels /* the label: a valid cancel on days w + 1 .. w + 30 */ AS (SELECT s.snapshot_date, e.subscriber_id, COUNT(*) AS cancels_30d FROM snapshots AS s INNER JOIN events AS e ON e.event_timestamp >= s.snapshot_date + INTERVAL 1 DAY AND e.event_timestamp < s.snapshot_date + INTERVAL 31 DAY WHERE e.event_type = ''cancel'' GROUP BY s.snapshot_date, e.subscriber_id), active /* active as DIM_SUBSCRIBERS and the profiles say (subscriber_profiles.sql): not cancelled by the latest lifecycle */ /* event, and active when there is none yet (payments before a signup that is late, invalid or missing), so */ /* every subscriber served as active is scored */ AS (SELECT b.snapshot_date, b.subscriber_id, DATE_DIFF(''DAY'', b.signup_date, b.snapshot_date) AS tenure_days, b.signup_date, b.acquisition_channel, b.failed_payments_30d, b.downgrades_90d, b.last_failed_payment_date, b.failed_payments_decayed, COALESCE(p.plan, ''unknown'') AS plan FROM subscription AS b LEFT JOIN lifecycle AS l ON l.snapshot_date = b.snapshot_date AND l.subscriber_id = b.subscriber_id LEFT JOIN latest_plan AS p ON p.snapshot_date = b.snapshot_date AND p.subscriber_id = b.subscriber_id WHERE l.event_type IS DISTINCT FROM ''cancel''), rates /* per-day rates divide by the days of the window the subscriber was subscribed (new subscribers) */ AS (SELECT a.*, CAST(COALESCE(e.points_30d, 0) /* FLOAT from here on: the same arithmetic on every engine (no decimal scale rules) */ AS DOUBLE) AS points_30d, CAST(COALESCE(e.reads_30d, 0) AS DOUBLE) AS reads_30d, CAST(COALESCE(e.reads_7d, 0) AS DOUBLE) AS reads_7d, lr.last_read_date, CASE WHEN 30 IS NULL OR (a.tenure_days + 1) IS NULL THEN NULL ELSE LEAST(30, a.tenure_days + 1) END AS days_30, CASE WHEN 7 IS NULL OR (a.tenure_days + 1) IS NULL THEN NULL ELSE LEAST(7, a.tenure_days + 1) END AS days_7, CASE WHEN 23 IS NULL OR CASE WHEN (a.tenure_days + 1 - 7) IS NULL OR 0 IS NULL THEN NULL ELSE GREATEST(a.tenure_days + 1 - 7, 0) END IS NULL THEN NULL ELSE LEAST(23, CASE WHEN (a.tenure_days + 1 - 7) IS NULL OR 0 IS NULL THEN NULL ELSE GREATEST(a.tenure_days + 1 - 7, 0) END) END AS days_prev_23, COALESCE(t.tickets_90d, 0) AS tickets_90d, COALESCE(t.tickets_30d, 0) AS tickets_30d, COALESCE(t.cancellation_tickets_30d, 0) AS cancellation_tickets_30d, t.last_cancellation_ticket_date, COALESCE(t.cancellation_tickets_decayed, 0) AS cancellation_tickets_decayed FROM active AS a LEFT JOIN engagement AS e ON e.snapshot_date = a.snapshot_date AND e.subscriber_id = a.subscriber_id LEFT JOIN last_read AS lr ON lr.snapshot_date = a.snapshot_date AND lr.subscriber_id = a.subscriber_id LEFT JOIN support AS t ON t.snapshot_date = a.snapshot_date AND t.subscriber_id = a.subscriber_id), labelled AS (SELECT r.*, CASE WHEN r.snapshot_date + INTERVAL 30 DAY <= CAST($as_of AS DATE) THEN COALESCE(c.cancels_30d, 0) > 0 ELSE NULL END AS churned FROM rates AS r LEFT JOIN cancels AS c ON c.snapshot_date = r.snapshot_date AND c.subscriber_id = r.subscriber_id), labelled_dates AS (SELECT snapshot_date, ROW_NUMBER() OVER (ORDER BY snapshot_date DESC NULLS FIRST) AS recency, COUNT(*) OVER () AS dates FROM (SELECT DISTINCT snapshot_date FROM labelled WHERE NOT churned IS NULL) AS d), test_window AS (SELECT MIN(snapshot_date) AS test_start FROM labelled_dates WHERE recency <= CASE WHEN 1 IS NULL OR ROUND(0.2 * (dates - FLOOR(29 / $snapshot_every_days))) IS NULL THEN NULL ELSE GREATEST(1, ROUND(0.2 * (dates - FLOOR(29 / $snapshot_every_days)))) END), final AS (SELECT l.subscriber_id, l.snapshot_date, l.points_30d / l.days_30 AS engagement_score, l.reads_30d / l.days_30 AS reads_per_day_30d, LN((l.reads_7d / l.days_7 + 0.1) / (COALESCE((l.reads_30d - l.reads_7d) / NULLIF(l.days_prev_23, 0), l.reads_7d / l.days_7) + 0.1)) AS engagement_trend, DATE_DIFF(''DAY'', COALESCE(l.last_read_date, CASE WHEN l.signup_date IS NULL OR h.first_day IS NULL THEN NULL ELSE GREATEST(l.signup_date, h.first_day) END), l.snapshot_date) AS days_since_last_read, l.tickets_90d AS support_tickets_count, l.tickets_30d AS support_tickets_30d, l.cancellation_tickets_30d, l.tenure_days AS subscription_tenure_days, l.failed_payments_30d, l.downgrades_90d, COALESCE(DATE_DIFF(''DAY'', l.last_failed_payment_date, l.snapshot_date), 90) AS days_since_failed_payment /* 90: none in the last 90 days */, l.failed_payments_decayed, COALESCE(DATE_DIFF(''DAY'', l.last_cancellation_ticket_date, l.snapshot_date), 90) AS days_since_cancellation_ticket, l.cancellation_tickets_decayed, l.plan, l.acquisition_channel, l.churned, CASE WHEN l.churned IS NULL THEN NULL WHEN l.snapshot_date >= w.test_start THEN ''test'' WHEN l.snapshot_date + INTERVAL 30 DAY <= w.test_start THEN ''train'' ELSE ''purged'' END AS split, $run_id AS run_id, CAST(CURRENT_TIMESTAMP AS TIMESTAMP) AS built_at FROM labelled AS l CROSS JOIN reading_history AS h CROSS JOIN test_window AS w) SELECT * FROM final",
      "tables": [
        "ACTIVE",
        "CANCELS",
        "ENGAGEMENT",
        "EVENTS",
        "FINAL",
        "LABELLED",
        "LABELLED_DATES",
        "LAST_READ",
        "LATEST_PLAN",
        "LIFECYCLE",
        "RATES",
        "READING_HISTORY",
        "SFE_ANALYTICS_MEDIA.FCT_CHURN_SCORING_FEATURES",
        "SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY",
        "SFE_RAW_MEDIA.RAW_SUPPORT_INTERACTIONS",
        "SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS",
        "SNAPSHOTS",
        "SUBSCRIPTION",
        "SUPPORT",
        "TEST_WINDOW",
        "TICKETS"
      ],
      "dml": true
    },
    {
      "kind": "commit",
      "sql": "",
      "target": ""
    },
    {
      "kind": "sql",
      "sql": "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at)\n    SELECT :run_id, :as_of, ''fct_churn_scoring_features_not_empty'', ''fct_churn_scoring_features'', COUNT(*), COUNT(*) = 0, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ\n    FROM (\n        SELECT ''no active subscriber with data on the score date'' AS problem\n        FROM (\n            SELECT COUNT(*) AS n\n            FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_SCORING_FEATURES\n            WHERE snapshot_date = :as_of::DATE\n        ) AS counts\n        WHERE n = 0\n    ) AS failing",
      "target": "",
      "duckdb": "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at) SELECT $run_id, $as_of, ''fct_churn_scoring_features_not_empty'', ''fct_churn_scoring_features'', COUNT(*), COUNT(*) = 0, CAST(CURRENT_TIMESTAMP AS TIMESTAMP) FROM (SELECT ''no active subscriber with data on the score date'' AS problem FROM (SELECT COUNT(*) AS n FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_SCORING_FEATURES WHERE snapshot_date = CAST($as_of AS DATE)) AS counts WHERE n = 0) AS failing",
      "tables": [
        "SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS",
        "SFE_ANALYTICS_MEDIA.FCT_CHURN_SCORING_FEATURES"
      ],
      "dml": true
    },
    {
      "kind": "sql",
      "sql": "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at)\n    SELECT :run_id, :as_of, ''fct_churn_scoring_features_grain_unique'', ''fct_churn_scoring_features'', COUNT(*), COUNT(*) = 0, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ\n    FROM (\n        SELECT subscriber_id\n        FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_SCORING_FEATURES\n        WHERE snapshot_date = :as_of::DATE\n        GROUP BY subscriber_id\n        HAVING COUNT(*) > 1\n    ) AS failing",
      "target": "",
      "duckdb": "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at) SELECT $run_id, $as_of, ''fct_churn_scoring_features_grain_unique'', ''fct_churn_scoring_features'', COUNT(*), COUNT(*) = 0, CAST(CURRENT_TIMESTAMP AS TIMESTAMP) FROM (SELECT subscriber_id FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_SCORING_FEATURES WHERE snapshot_date = CAST($as_of AS DATE) GROUP BY subscriber_id HAVING COUNT(*) > 1) AS failing",
      "tables": [
        "SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS",
        "SFE_ANALYTICS_MEDIA.FCT_CHURN_SCORING_FEATURES"
      ],
      "dml": true
    },
    {
      "kind": "sql",
      "sql": "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at)\n    SELECT :run_id, :as_of, ''fct_churn_scoring_features_value_ranges'', ''fct_churn_scoring_features'', COUNT(*), COUNT(*) = 0, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ\n    FROM (\n        SELECT subscriber_id\n        FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_SCORING_FEATURES\n        WHERE snapshot_date = :as_of::DATE\n            AND (\n                engagement_score NOT BETWEEN 0 AND 100\n                OR reads_per_day_30d < 0\n                OR days_since_last_read < 0\n                OR subscription_tenure_days < 0\n                OR support_tickets_30d > support_tickets_count\n                OR cancellation_tickets_30d > support_tickets_30d\n                OR days_since_failed_payment NOT BETWEEN 0 AND 90\n                OR days_since_cancellation_ticket NOT BETWEEN 0 AND 90\n                OR failed_payments_decayed < 0\n                OR cancellation_tickets_decayed < 0\n                OR churned IS NOT NULL\n            )\n    ) AS failing",
      "target": "",
      "duckdb": "INSERT INTO SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS (run_id, as_of_date, check_name, model, failures, passed, checked_at) SELECT $run_id, $as_of, ''fct_churn_scoring_features_value_ranges'', ''fct_churn_scoring_features'', COUNT(*), COUNT(*) = 0, CAST(CURRENT_TIMESTAMP AS TIMESTAMP) FROM (SELECT subscriber_id FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_SCORING_FEATURES WHERE snapshot_date = CAST($as_of AS DATE) AND (NOT engagement_score BETWEEN 0 AND 100 OR reads_per_day_30d < 0 OR days_since_last_read < 0 OR subscription_tenure_days < 0 OR support_tickets_30d > support_tickets_count OR cancellation_tickets_30d > support_tickets_30d OR NOT days_since_failed_payment BETWEEN 0 AND 90 OR NOT days_since_cancellation_ticket BETWEEN 0 AND 90 OR failed_payments_decayed < 0 OR cancellation_tickets_decayed < 0 OR NOT churned IS NULL)) AS failing",
      "tables": [
        "SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS",
        "SFE_ANALYTICS_MEDIA.FCT_CHURN_SCORING_FEATURES"
      ],
      "dml": true
    },
    {
      "kind": "assign",
      "sql": "(SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS WHERE run_id = :run_id AND NOT passed)",
      "target": "failed_checks",
      "duckdb": "SELECT (SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS WHERE run_id = $run_id AND NOT passed)"
    },
    {
      "kind": "raise_if",
      "sql": "failed_checks > 0",
      "target": "DQ_CHECK_FAILED",
      "duckdb": "SELECT $failed_checks > 0"
    },
    {
      "kind": "assign",
      "sql": "(\n        SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_SCORING_FEATURES WHERE snapshot_date = :as_of::DATE\n    )",
      "target": "scoring_rows",
      "duckdb": "SELECT (SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_SCORING_FEATURES WHERE snapshot_date = CAST($as_of AS DATE))"
    },
    {
      "kind": "return",
      "sql": "''built scoring features: '' || scoring_rows::VARCHAR || '' subscribers''",
      "target": "",
      "duckdb": "SELECT ''built scoring features: '' || CAST($scoring_rows AS TEXT) || '' subscribers''"
    }
  ]
}', now());
INSERT OR REPLACE INTO C360_META.PROCEDURES (procedure_name, definition, updated_at) VALUES ('SFE_ANALYTICS_MEDIA.SFE_TRAIN_CHURN_CLASSIFIER', '{
  "name": "SFE_ANALYTICS_MEDIA.SFE_TRAIN_CHURN_CLASSIFIER",
  "args": [
    {
      "name": "as_of",
      "type": "DATE",
      "default": null
    },
    {
      "name": "run_id",
      "type": "VARCHAR",
      "default": null
    },
    {
      "name": "min_test_auc",
      "type": "FLOAT",
      "default": "NULL"
    },
    {
      "name": "tier_high",
      "type": "FLOAT",
      "default": "NULL\n"
    }
  ],
  "native": "train_churn_classifier"
}', now());
INSERT OR REPLACE INTO C360_META.PROCEDURES (procedure_name, definition, updated_at) VALUES ('SFE_ANALYTICS_MEDIA.SFE_SCORE_CHURN', '{
  "name": "SFE_ANALYTICS_MEDIA.SFE_SCORE_CHURN",
  "args": [
    {
      "name": "as_of",
      "type": "DATE",
      "default": null
    },
    {
      "name": "run_id",
      "type": "VARCHAR",
      "default": null
    },
    {
      "name": "tier_high",
      "type": "FLOAT",
      "default": "NULL"
    },
    {
      "name": "tier_medium",
      "type": "FLOAT",
      "default": "NULL\n"
    }
  ],
  "native": "score_churn"
}', now());

-- R__tasks.sql (checksum 77eebfbb86c6, target duckdb)
UPDATE C360_META.TASKS SET state = 'suspended', updated_at = now() WHERE task_name = 'SFE_STG_MEDIA.SFE_PROCESS_SUBSCRIBERS_TASK';
UPDATE C360_META.TASKS SET state = 'suspended', updated_at = now() WHERE task_name = 'SFE_STG_MEDIA.SFE_PROCESS_ENGAGEMENT_TASK';
UPDATE C360_META.TASKS SET state = 'suspended', updated_at = now() WHERE task_name = 'SFE_ANALYTICS_MEDIA.SFE_DAILY_BUILD_TASK';
UPDATE C360_META.TASKS SET state = 'suspended', updated_at = now() WHERE task_name = 'SFE_ANALYTICS_MEDIA.SFE_DAILY_CHURN_SCORING_TASK';
UPDATE C360_META.TASKS SET state = 'suspended', updated_at = now() WHERE task_name = 'SFE_ANALYTICS_MEDIA.SFE_WEEKLY_TRAINING_TASK';
UPDATE C360_META.TASKS SET state = 'suspended', updated_at = now() WHERE task_name = 'SFE_ANALYTICS_MEDIA.SFE_DAILY_MODEL_MONITOR_TASK';
INSERT OR REPLACE INTO C360_META.TASKS (task_name, schedule, after_tasks, condition, body, state, definition, updated_at) VALUES ('SFE_STG_MEDIA.SFE_PROCESS_SUBSCRIBERS_TASK', '1 MINUTE', '[]', 'SELECT EXISTS(SELECT 1 FROM SFE_RAW_MEDIA.sfe_subscriber_events_stream)', 'CALL SFE_STG_MEDIA.SFE_PROCESS_SUBSCRIBERS()', 'suspended', 'CREATE OR REPLACE TASK SFE_STG_MEDIA.sfe_process_subscribers_task
    WAREHOUSE = SFE_C360_WH
    SCHEDULE = ''1 MINUTE''
    TIMEZONE = ''UTC''
    WHEN SYSTEM$STREAM_HAS_DATA(''SFE_RAW_MEDIA.sfe_subscriber_events_stream'')
AS
    CALL SFE_STG_MEDIA.SFE_PROCESS_SUBSCRIBERS()', now());
INSERT OR REPLACE INTO C360_META.TASKS (task_name, schedule, after_tasks, condition, body, state, definition, updated_at) VALUES ('SFE_STG_MEDIA.SFE_PROCESS_ENGAGEMENT_TASK', '1 MINUTE', '[]', 'SELECT EXISTS(SELECT 1 FROM SFE_RAW_MEDIA.sfe_content_stream)', 'CALL SFE_STG_MEDIA.SFE_PROCESS_ENGAGEMENT()', 'suspended', 'CREATE OR REPLACE TASK SFE_STG_MEDIA.sfe_process_engagement_task
    WAREHOUSE = SFE_C360_WH
    SCHEDULE = ''1 MINUTE''
    TIMEZONE = ''UTC''
    WHEN SYSTEM$STREAM_HAS_DATA(''SFE_RAW_MEDIA.sfe_content_stream'')
AS
    CALL SFE_STG_MEDIA.SFE_PROCESS_ENGAGEMENT()', now());
INSERT OR REPLACE INTO C360_META.TASKS (task_name, schedule, after_tasks, condition, body, state, definition, updated_at) VALUES ('SFE_ANALYTICS_MEDIA.SFE_DAILY_BUILD_TASK', 'USING CRON 0 3 * * * UTC', '[]', NULL, 'CALL SFE_ANALYTICS_MEDIA.SFE_BUILD_DAILY(DATEADD(day, -1, CURRENT_DATE()), UUID_STRING())', 'suspended', 'CREATE OR REPLACE TASK SFE_ANALYTICS_MEDIA.sfe_daily_build_task
    WAREHOUSE = SFE_C360_WH
    SCHEDULE = ''USING CRON 0 3 * * * UTC''
    TIMEZONE = ''UTC''
AS
    CALL SFE_ANALYTICS_MEDIA.SFE_BUILD_DAILY(DATEADD(day, -1, CURRENT_DATE()), UUID_STRING())', now());
INSERT OR REPLACE INTO C360_META.TASKS (task_name, schedule, after_tasks, condition, body, state, definition, updated_at) VALUES ('SFE_ANALYTICS_MEDIA.SFE_DAILY_CHURN_SCORING_TASK', NULL, '["SFE_ANALYTICS_MEDIA.SFE_DAILY_BUILD_TASK"]', NULL, 'CALL SFE_ANALYTICS_MEDIA.SFE_SCORE_CHURN(
        DATEADD(day, -1, CURRENT_DATE()), UUID_STRING(), NULL, NULL
    )', 'suspended', 'CREATE OR REPLACE TASK SFE_ANALYTICS_MEDIA.sfe_daily_churn_scoring_task
    WAREHOUSE = SFE_C360_WH
    TIMEZONE = ''UTC''
    AFTER SFE_ANALYTICS_MEDIA.sfe_daily_build_task
AS
    CALL SFE_ANALYTICS_MEDIA.SFE_SCORE_CHURN(
        DATEADD(day, -1, CURRENT_DATE()), UUID_STRING(), NULL, NULL
    )', now());
INSERT OR REPLACE INTO C360_META.TASKS (task_name, schedule, after_tasks, condition, body, state, definition, updated_at) VALUES ('SFE_ANALYTICS_MEDIA.SFE_DAILY_MODEL_MONITOR_TASK', NULL, '["SFE_ANALYTICS_MEDIA.SFE_DAILY_CHURN_SCORING_TASK"]', NULL, 'CALL SFE_ANALYTICS_MEDIA.SFE_MONITOR_MODEL(
        DATEADD(day, -1, CURRENT_DATE()), UUID_STRING(), NULL, NULL
    )', 'suspended', 'CREATE OR REPLACE TASK SFE_ANALYTICS_MEDIA.sfe_daily_model_monitor_task
    WAREHOUSE = SFE_C360_WH
    TIMEZONE = ''UTC''
    AFTER SFE_ANALYTICS_MEDIA.sfe_daily_churn_scoring_task
AS
    CALL SFE_ANALYTICS_MEDIA.SFE_MONITOR_MODEL(
        DATEADD(day, -1, CURRENT_DATE()), UUID_STRING(), NULL, NULL
    )', now());
INSERT OR REPLACE INTO C360_META.TASKS (task_name, schedule, after_tasks, condition, body, state, definition, updated_at) VALUES ('SFE_ANALYTICS_MEDIA.SFE_WEEKLY_TRAINING_TASK', 'USING CRON 0 1 * * 0 UTC', '[]', NULL, 'CALL SFE_ANALYTICS_MEDIA.SFE_TRAIN_CHURN_CLASSIFIER(
        DATEADD(day, -1, CURRENT_DATE()), UUID_STRING(), NULL, NULL
    )', 'suspended', 'CREATE OR REPLACE TASK SFE_ANALYTICS_MEDIA.sfe_weekly_training_task
    WAREHOUSE = SFE_C360_WH
    SCHEDULE = ''USING CRON 0 1 * * 0 UTC''
    TIMEZONE = ''UTC''
AS
    CALL SFE_ANALYTICS_MEDIA.SFE_TRAIN_CHURN_CLASSIFIER(
        DATEADD(day, -1, CURRENT_DATE()), UUID_STRING(), NULL, NULL
    )', now());
UPDATE C360_META.TASKS SET state = 'started', updated_at = now() WHERE task_name = 'SFE_ANALYTICS_MEDIA.SFE_WEEKLY_TRAINING_TASK';
UPDATE C360_META.TASKS SET state = 'started', updated_at = now() WHERE task_name = 'SFE_ANALYTICS_MEDIA.SFE_DAILY_MODEL_MONITOR_TASK';
UPDATE C360_META.TASKS SET state = 'started', updated_at = now() WHERE task_name = 'SFE_ANALYTICS_MEDIA.SFE_DAILY_CHURN_SCORING_TASK';
UPDATE C360_META.TASKS SET state = 'started', updated_at = now() WHERE task_name = 'SFE_STG_MEDIA.SFE_PROCESS_SUBSCRIBERS_TASK';
UPDATE C360_META.TASKS SET state = 'started', updated_at = now() WHERE task_name = 'SFE_STG_MEDIA.SFE_PROCESS_ENGAGEMENT_TASK';
UPDATE C360_META.TASKS SET state = 'started', updated_at = now() WHERE task_name = 'SFE_ANALYTICS_MEDIA.SFE_DAILY_BUILD_TASK';

-- R__views.sql (checksum 48f17f264bd0, target duckdb)
CREATE OR REPLACE VIEW SFE_ANALYTICS_MEDIA.V_SUBSCRIBER_360 AS WITH engagement_30d AS (SELECT f.subscriber_id, SUM(f.articles_viewed) AS articles_viewed_30d, SUM(f.total_time_spent) AS total_time_spent_30d, MAX(f.activity_date) AS last_read_date FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY AS f INNER JOIN SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS AS d ON d.subscriber_id = f.subscriber_id WHERE f.activity_date > d.as_of_date + INTERVAL (-30) DAY AND f.activity_date <= d.as_of_date GROUP BY f.subscriber_id), latest_score AS (SELECT subscriber_id, score_date, churn_risk_score, risk_tier, model_version FROM SFE_ANALYTICS_MEDIA.FCT_CUSTOMER_HEALTH_SCORES QUALIFY ROW_NUMBER() OVER (PARTITION BY subscriber_id ORDER BY score_date DESC NULLS FIRST, scored_at DESC NULLS FIRST) = 1) SELECT d.*, COALESCE(e.articles_viewed_30d, 0) AS articles_viewed_30d, COALESCE(e.total_time_spent_30d, 0) AS total_time_spent_30d, e.last_read_date, s.score_date, s.churn_risk_score, s.risk_tier, s.model_version FROM SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS AS d LEFT JOIN engagement_30d AS e ON e.subscriber_id = d.subscriber_id LEFT JOIN latest_score AS s ON s.subscriber_id = d.subscriber_id;
CREATE OR REPLACE VIEW SFE_ANALYTICS_MEDIA.V_CHURN_RISK_LEADERBOARD AS SELECT h.score_date, h.subscriber_id, h.churn_risk_score, h.risk_tier, d.plan, d.tenure_days, d.lifetime_value, d.demographic_segment, RANK() OVER (ORDER BY h.churn_risk_score DESC NULLS FIRST) AS risk_rank FROM SFE_ANALYTICS_MEDIA.FCT_CUSTOMER_HEALTH_SCORES AS h LEFT JOIN SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS AS d ON d.subscriber_id = h.subscriber_id WHERE h.score_date = (SELECT MAX(score_date) FROM SFE_ANALYTICS_MEDIA.FCT_CUSTOMER_HEALTH_SCORES);
CREATE OR REPLACE VIEW SFE_ANALYTICS_MEDIA.V_ENGAGEMENT_WEEKLY AS SELECT CAST(DATE_TRUNC('WEEK', activity_date) AS DATE) AS week_start /* a DATE on Snowflake; DuckDB's is a TIMESTAMP */, COUNT(DISTINCT subscriber_id) AS active_readers, SUM(views) AS views, SUM(total_time_spent) AS total_time_spent, ROUND(AVG(avg_engagement_score), 2) AS avg_engagement_score FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY GROUP BY DATE_TRUNC('WEEK', activity_date);
CREATE OR REPLACE VIEW SFE_ANALYTICS_MEDIA.V_SIGNUP_COHORTS AS SELECT CAST(DATE_TRUNC('MONTH', signup_date) AS DATE) AS cohort_month, COUNT(*) AS subscribers, COUNT_IF((status = 'active') IS TRUE) AS active, COUNT_IF((status = 'cancelled') IS TRUE) AS cancelled, ROUND(COUNT_IF((status = 'active') IS TRUE) / COUNT(*), 4) AS retention_rate, ROUND(AVG(lifetime_value), 2) AS avg_lifetime_value FROM SFE_ANALYTICS_MEDIA.DIM_SUBSCRIBERS GROUP BY DATE_TRUNC('MONTH', signup_date);
CREATE OR REPLACE VIEW SFE_ANALYTICS_MEDIA.V_DATA_QUALITY AS SELECT * FROM SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS QUALIFY ROW_NUMBER() OVER (PARTITION BY check_name ORDER BY checked_at DESC NULLS FIRST) = 1;
CREATE OR REPLACE VIEW SFE_ANALYTICS_MEDIA.V_CHURN_TRAINING_TRAIN AS SELECT engagement_score, reads_per_day_30d, engagement_trend, days_since_last_read, support_tickets_count, support_tickets_30d, cancellation_tickets_30d, subscription_tenure_days, failed_payments_30d, downgrades_90d, days_since_failed_payment, failed_payments_decayed, days_since_cancellation_ticket, cancellation_tickets_decayed, plan, acquisition_channel, churned FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING WHERE split = 'train';
CREATE OR REPLACE VIEW SFE_ANALYTICS_MEDIA.V_CHURN_TRAINING_TEST AS SELECT engagement_score, reads_per_day_30d, engagement_trend, days_since_last_read, support_tickets_count, support_tickets_30d, cancellation_tickets_30d, subscription_tenure_days, failed_payments_30d, downgrades_90d, days_since_failed_payment, failed_payments_decayed, days_since_cancellation_ticket, cancellation_tickets_decayed, plan, acquisition_channel, churned FROM SFE_ANALYTICS_MEDIA.FCT_CHURN_TRAINING WHERE split = 'test';
CREATE OR REPLACE VIEW SFE_ANALYTICS_MEDIA.V_CHURN_MODEL_CURRENT AS SELECT * FROM SFE_ANALYTICS_MEDIA.CHURN_MODEL_REGISTRY WHERE status = 'current';
