-- The task graph. Tasks are suspended before they are replaced (Snowflake refuses to change a
-- started graph) and resumed at the end, children before their root. Every task runs in UTC, children
-- too (a session parameter is the task's own, not its root's): their bodies take CURRENT_DATE() - 1 as
-- the day, which in the account's default zone (America/Los_Angeles) would be the day before the build's.

ALTER TASK IF EXISTS SFE_STG_MEDIA.sfe_process_subscribers_task SUSPEND;
ALTER TASK IF EXISTS SFE_STG_MEDIA.sfe_process_engagement_task SUSPEND;
ALTER TASK IF EXISTS SFE_ANALYTICS_MEDIA.sfe_daily_build_task SUSPEND;
ALTER TASK IF EXISTS SFE_ANALYTICS_MEDIA.sfe_daily_churn_scoring_task SUSPEND;
ALTER TASK IF EXISTS SFE_ANALYTICS_MEDIA.sfe_weekly_training_task SUSPEND;
ALTER TASK IF EXISTS SFE_ANALYTICS_MEDIA.sfe_daily_model_monitor_task SUSPEND;

-- Every minute, when new subscription events arrived.
CREATE OR REPLACE TASK SFE_STG_MEDIA.sfe_process_subscribers_task
    WAREHOUSE = {{ task_warehouse }}
    SCHEDULE = '1 MINUTE'
    TIMEZONE = 'UTC'
    WHEN SYSTEM$STREAM_HAS_DATA('SFE_RAW_MEDIA.sfe_subscriber_events_stream')
AS
    CALL SFE_STG_MEDIA.SFE_PROCESS_SUBSCRIBERS();

-- Every minute, when new content views arrived.
CREATE OR REPLACE TASK SFE_STG_MEDIA.sfe_process_engagement_task
    WAREHOUSE = {{ task_warehouse }}
    SCHEDULE = '1 MINUTE'
    TIMEZONE = 'UTC'
    WHEN SYSTEM$STREAM_HAS_DATA('SFE_RAW_MEDIA.sfe_content_stream')
AS
    CALL SFE_STG_MEDIA.SFE_PROCESS_ENGAGEMENT();

-- Daily at 03:00 UTC: dimension and facts as of yesterday, the last complete day.
CREATE OR REPLACE TASK SFE_ANALYTICS_MEDIA.sfe_daily_build_task
    WAREHOUSE = {{ task_warehouse }}
    SCHEDULE = 'USING CRON 0 3 * * * UTC'
    TIMEZONE = 'UTC'
AS
    CALL SFE_ANALYTICS_MEDIA.SFE_BUILD_DAILY(DATEADD(day, -1, CURRENT_DATE()), UUID_STRING());

-- After the daily build: every active subscriber scored as of the same day (a child task, so it runs
-- only when the build succeeded).
CREATE OR REPLACE TASK SFE_ANALYTICS_MEDIA.sfe_daily_churn_scoring_task
    WAREHOUSE = {{ task_warehouse }}
    TIMEZONE = 'UTC'
    AFTER SFE_ANALYTICS_MEDIA.sfe_daily_build_task
AS
    CALL SFE_ANALYTICS_MEDIA.SFE_SCORE_CHURN(
        DATEADD(day, -1, CURRENT_DATE()), UUID_STRING(), {{ risk_tier_high }}, {{ risk_tier_medium }}
    );

-- After scoring: realised performance of every score date whose 30 days have passed, and the alerts
-- (drift above the PSI limit, realised ROC AUC not above the deploy gate).
CREATE OR REPLACE TASK SFE_ANALYTICS_MEDIA.sfe_daily_model_monitor_task
    WAREHOUSE = {{ task_warehouse }}
    TIMEZONE = 'UTC'
    AFTER SFE_ANALYTICS_MEDIA.sfe_daily_churn_scoring_task
AS
    CALL SFE_ANALYTICS_MEDIA.SFE_MONITOR_MODEL(
        DATEADD(day, -1, CURRENT_DATE()), UUID_STRING(), {{ model_psi_alert }}, {{ model_min_test_auc }}
    );

-- Sundays at 01:00 UTC: rebuild the training set as of yesterday and train; the deploy gate decides
-- whether the new model replaces the current one.
CREATE OR REPLACE TASK SFE_ANALYTICS_MEDIA.sfe_weekly_training_task
    WAREHOUSE = {{ task_warehouse }}
    SCHEDULE = 'USING CRON 0 1 * * 0 UTC'
    TIMEZONE = 'UTC'
AS
    CALL SFE_ANALYTICS_MEDIA.SFE_TRAIN_CHURN_CLASSIFIER(
        DATEADD(day, -1, CURRENT_DATE()), UUID_STRING(), {{ model_min_test_auc }}, {{ risk_tier_high }}
    );

ALTER TASK SFE_ANALYTICS_MEDIA.sfe_weekly_training_task RESUME;
ALTER TASK SFE_ANALYTICS_MEDIA.sfe_daily_model_monitor_task RESUME;
ALTER TASK SFE_ANALYTICS_MEDIA.sfe_daily_churn_scoring_task RESUME;
ALTER TASK SFE_STG_MEDIA.sfe_process_subscribers_task RESUME;
ALTER TASK SFE_STG_MEDIA.sfe_process_engagement_task RESUME;
ALTER TASK SFE_ANALYTICS_MEDIA.sfe_daily_build_task RESUME;
