-- FCT_ENGAGEMENT_DAILY up to :as_of: per subscriber and day with human reads, built incrementally
-- (docs/pipeline.md#the-incremental-daily-build). Staging is append-only, so two sets of
-- (subscriber, day) keys are all that can have changed since the last build (BUILD_STATE):
--   * every day after :rebuild_after up to :as_of, rebuilt whole: the days this build adds (the last
--     build was as of :rebuild_after); every day for a full refresh (:rebuild_after = 1900-01-01);
--   * the keys of rows staged since that build (source_load_seq > :built_seq) for days it had
--     already built: late rows. Each such key is recomputed from all its staging rows.
-- The procedure sets the binds from BUILD_STATE, and records the new state (build_state.sql) only once
-- the rows this build wrote have passed their checks.
--
-- The two distinct counts come from one pass of GROUPING SETS: the (subscriber, day, article) groups
-- count the articles and carry the sums, the (subscriber, day, section) groups count the sections.
-- It equals COUNT(DISTINCT article_id) and COUNT(DISTINCT section) in one GROUP BY, which builds a
-- hash table per distinct column over every view: at scale 10 (46 M views) that spilled to disk and
-- took 82 s on DuckDB against 52 s for this form (docs/benchmarks.md).
{% from "models/marts/rebuilt_keys.sql" import delete_rebuilt, late_keys -%}
{{ delete_rebuilt("SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY") }}

INSERT INTO SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DAILY (
    subscriber_id, activity_date, articles_viewed, views, total_time_spent, distinct_sections,
    avg_engagement_score, built_at
)
WITH late_keys AS (
    {{ late_keys() }}
),

changed_views AS (
    SELECT subscriber_id, event_date, article_id, section, time_spent_seconds, engagement_score
    FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT
    WHERE event_date > :rebuild_after::DATE
        AND event_date <= :as_of::DATE
    UNION ALL
    SELECT v.subscriber_id, v.event_date, v.article_id, v.section, v.time_spent_seconds, v.engagement_score
    FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT AS v
    INNER JOIN late_keys AS k ON k.subscriber_id = v.subscriber_id AND k.event_date = v.event_date
),

day_groups AS (
    SELECT
        subscriber_id,
        event_date,
        article_id,
        section,
        GROUPING(section) = 1 AS is_article_group,
        COUNT(*) AS views,
        SUM(time_spent_seconds) AS time_spent,
        SUM(engagement_score) AS score_sum,
        COUNT(engagement_score) AS scored
    FROM changed_views
    GROUP BY GROUPING SETS ((subscriber_id, event_date, article_id), (subscriber_id, event_date, section))
)

SELECT
    subscriber_id,
    event_date AS activity_date,
    COUNT_IF(is_article_group AND article_id IS NOT NULL) AS articles_viewed,
    SUM(IFF(is_article_group, views, NULL)) AS views,
    SUM(IFF(is_article_group, time_spent, NULL)) AS total_time_spent,
    COUNT_IF(NOT is_article_group AND section IS NOT NULL) AS distinct_sections,
    ROUND(SUM(IFF(is_article_group, score_sum, NULL)) / NULLIF(SUM(IFF(is_article_group, scored, NULL)), 0), 2)
        AS avg_engagement_score,
    CURRENT_TIMESTAMP()::TIMESTAMP_NTZ AS built_at
FROM day_groups
GROUP BY subscriber_id, event_date;
