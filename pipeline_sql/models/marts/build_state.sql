-- BUILD_STATE after a daily build whose rows passed their checks: how far it read, so the next build starts
-- from here. Written after the checks, not with the rows: a build whose checks failed leaves the state as it
-- was, so the next run of the day rebuilds and checks the same keys again instead of taking them as done.
-- A backfill (:as_of before the last build's day) leaves it as it was too (the procedure's :next_seq and
-- :next_as_of), so the days after it are still brought up to date next time.
DELETE FROM SFE_ANALYTICS_MEDIA.BUILD_STATE
WHERE model_name = 'FCT_ENGAGEMENT_DAILY';

INSERT INTO SFE_ANALYTICS_MEDIA.BUILD_STATE (
    model_name, built_through_seq, as_of_date, full_refresh, run_id, built_at
)
SELECT
    'FCT_ENGAGEMENT_DAILY',
    :next_seq,
    :next_as_of::DATE,
    :full_refresh,
    :run_id,
    CURRENT_TIMESTAMP()::TIMESTAMP_NTZ;
