-- The procedures the tasks call. Each body includes its models from pipeline_sql/models, so every
-- transformation is written once and runs unchanged on Snowflake (here) and on DuckDB (through
-- pipeline_sql.emulation, which reads these same statements).

-- sfe_process_subscribers_task: stream -> STG_SUBSCRIBER_EVENTS -> STG_UNIFIED_CUSTOMER.
-- One transaction, so both statements see the same stream contents and the offset moves once.
CREATE OR REPLACE PROCEDURE SFE_STG_MEDIA.SFE_PROCESS_SUBSCRIBERS()
RETURNS VARCHAR
LANGUAGE SQL
AS
$$
BEGIN
    BEGIN TRANSACTION;
    {% include "models/staging/stg_subscriber_events.sql" %}
    {% include "models/staging/stg_unified_customer.sql" %}
    COMMIT;
    RETURN 'processed subscriber events';
END;
$$;

-- sfe_process_engagement_task: stream -> STG_CONTENT_ENGAGEMENT.
CREATE OR REPLACE PROCEDURE SFE_STG_MEDIA.SFE_PROCESS_ENGAGEMENT()
RETURNS VARCHAR
LANGUAGE SQL
AS
$$
BEGIN
    {% include "models/staging/stg_content_engagement.sql" %}
    RETURN 'processed content engagement';
END;
$$;

-- sfe_daily_build_task: quality-checked staging -> DIM_SUBSCRIBERS -> FCT_ENGAGEMENT_DAILY, as of a day.
-- A failed check raises dq_check_failed and the steps after it do not run.
CREATE OR REPLACE PROCEDURE SFE_ANALYTICS_MEDIA.SFE_BUILD_DAILY(AS_OF DATE, RUN_ID VARCHAR)
RETURNS VARCHAR
LANGUAGE SQL
AS
$$
DECLARE
    failed_checks INTEGER DEFAULT 0;
    dq_check_failed EXCEPTION (-20001, 'data quality check failed: see SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS');
BEGIN
    {{ checks("models/staging/staging.checks.sql") }}

    BEGIN TRANSACTION;
    {% include "models/marts/dim_subscribers.sql" %}
    COMMIT;
    {{ checks("models/marts/dim_subscribers.checks.sql") }}

    BEGIN TRANSACTION;
    {% include "models/marts/fct_engagement_daily.sql" %}
    COMMIT;
    {{ checks("models/marts/fct_engagement_daily.checks.sql") }}

    RETURN 'built daily analytics';
END;
$$;
