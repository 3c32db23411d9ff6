{#- The (subscriber, day) keys the incremental daily build recomputes, written once for every fact built with
    them (FCT_ENGAGEMENT_DAILY, FCT_ENGAGEMENT_DEVICE_DAILY; fct_engagement_daily.sql says why these keys):
    every day after :rebuild_after up to :as_of, and the late keys below. Macros, imported by those models and their
    checks. -#}

{#- the keys of rows staged since the last build (source_load_seq > :built_seq) for days it had already built -#}
{% macro late_keys() -%}
SELECT DISTINCT subscriber_id, event_date
    FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT
    WHERE source_load_seq > :built_seq
        AND event_date <= :rebuild_after::DATE
{%- endmacro %}

{#- the rows of ``table`` (keyed by subscriber_id and activity_date) at those keys, before they are built again -#}
{% macro delete_rebuilt(table) -%}
DELETE FROM {{ table }}
WHERE activity_date > :rebuild_after::DATE
    AND activity_date <= :as_of::DATE;

DELETE FROM {{ table }} AS f
USING (
    {{ late_keys() }}
) AS late
WHERE f.subscriber_id = late.subscriber_id
    AND f.activity_date = late.event_date;
{%- endmacro %}
