-- Outcome monitoring of the churn model, daily after scoring (sfe_daily_model_monitor_task, `c360 monitor`):
-- realised performance of every score date whose 30-day window has closed (FCT_MODEL_PERFORMANCE),
-- then the alerts (MODEL_ALERTS): PSI above PSI_LIMIT on a scored feature, realised ROC AUC not above
-- MIN_AUC (the deploy gate); NULL takes the defaults, 0.25 and 0.80 (the DuckDB task passes NULL; `c360
-- monitor` passes C360_MODEL_PSI_ALERT and C360_MODEL_MIN_TEST_AUC). Single-source SQL: the same body
-- runs on Snowflake and on DuckDB.
CREATE OR REPLACE PROCEDURE SFE_ANALYTICS_MEDIA.SFE_MONITOR_MODEL(
    AS_OF DATE, RUN_ID VARCHAR, PSI_LIMIT FLOAT DEFAULT NULL, MIN_AUC FLOAT DEFAULT NULL
)
RETURNS VARCHAR
LANGUAGE SQL
AS
$$
DECLARE
    drift_limit FLOAT;
    auc_gate FLOAT;
    alerts_before INTEGER DEFAULT 0;
    new_alerts INTEGER DEFAULT 0;
    failed_checks INTEGER DEFAULT 0;
    dq_check_failed EXCEPTION (-20001, 'data quality check failed: see SFE_ANALYTICS_MEDIA.DQ_CHECK_RESULTS');
BEGIN
    drift_limit := (SELECT COALESCE(:psi_limit, 0.25));
    auc_gate := (SELECT COALESCE(:min_auc, 0.80));

    BEGIN TRANSACTION;
    {% include "models/marts/fct_model_performance.sql" %}
    COMMIT;
    {{ checks("models/marts/fct_model_performance.checks.sql") }}

    alerts_before := (SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.MODEL_ALERTS);
    BEGIN TRANSACTION;
    {% include "models/marts/model_alerts.sql" %}
    COMMIT;
    new_alerts := (SELECT COUNT(*) FROM SFE_ANALYTICS_MEDIA.MODEL_ALERTS) - :alerts_before;
    RETURN 'model monitored as of ' || AS_OF::VARCHAR || ': ' || new_alerts::VARCHAR || ' new alert(s)';
END;
$$;
