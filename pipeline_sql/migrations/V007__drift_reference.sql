-- Each Snowflake model's training population per feature, what scoring compares a day's population with
-- (PSI in FCT_SCORING_MONITOR). On DuckDB the model's artifact keeps the same bins (c360/model/monitor.py).
-- Numeric features: bins by the deciles of the train split (ties merge bins), bin b holding the values in
-- (upper edge of b-1, upper_edge of b], the last bin without an upper edge; categorical features: one bin
-- per category. share: the train rows' share of the bin.
CREATE TABLE IF NOT EXISTS SFE_ANALYTICS_MEDIA.CHURN_FEATURE_REFERENCE (
    model_version               VARCHAR NOT NULL,
    feature                     VARCHAR NOT NULL,
    bin                         INTEGER NOT NULL,
    upper_edge                  FLOAT,                   -- numeric bins, NULL for the last
    category                    VARCHAR,                 -- categorical bins
    share                       FLOAT NOT NULL
);
