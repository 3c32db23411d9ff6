"""What the monitoring task, training and raw loads add to the seeded warehouse for the analytics endpoints:
scoring-monitor rows (tiers, mean score, PSI), feature importance, device types and filtered bot views."""

from __future__ import annotations

from datetime import date, timedelta

from c360.warehouse import Warehouse
from tests.serving.data import MODEL_VERSION

FEATURES = ("days_since_last_read", "engagement_score", "support_tickets_count")
DEVICES = ("mobile", "desktop")
BOT_VIEWS = 3


def add_analytics_sources(wh: Warehouse, *, score_date: date, days: int = 3) -> None:
    """Monitor rows for the ``days`` score dates before ``score_date``, importance, devices and bot views."""
    with wh.connect() as conn, conn.transaction():
        for back in range(1, days + 1):
            day = score_date - timedelta(days=back)
            values = [("tier_count", "High", 5.0 + back), ("tier_count", "Medium", 10.0), ("tier_count", "Low", 20.0)]
            values += [("score_mean", "mean", 0.1 + back / 100)]
            values += [("psi", feature, 0.05 * (i + 1) * back) for i, feature in enumerate(FEATURES)]
            for metric, name, value in values:
                conn.execute(
                    "INSERT INTO SFE_ANALYTICS_MEDIA.FCT_SCORING_MONITOR (run_id, score_date, model_version, metric, "
                    "name, value, recorded_at) VALUES (:run, :day, :v, :metric, :name, :value, "
                    "CURRENT_TIMESTAMP()::TIMESTAMP_NTZ)",
                    {"run": f"monitor-{back}", "day": day, "v": MODEL_VERSION, "metric": metric}
                    | {"name": name, "value": value},
                )
        for rank, feature in enumerate(FEATURES, start=1):
            conn.execute(
                "INSERT INTO SFE_ANALYTICS_MEDIA.CHURN_FEATURE_IMPORTANCE (model_version, feature, importance_rank, "
                "importance) VALUES (:v, :feature, :rank, :value)",
                {"v": MODEL_VERSION, "feature": feature, "rank": rank, "value": 1.0 / rank},
            )
        conn.execute(
            "UPDATE SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT SET device_type = IFF(LENGTH(event_id) % 2 = 0, :a, :b)",
            {"a": DEVICES[0], "b": DEVICES[1]},
        )
        # the device split of those views, as the daily build writes it (models/marts/fct_engagement_device_daily.sql)
        conn.execute("DELETE FROM SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DEVICE_DAILY")
        conn.execute(
            "INSERT INTO SFE_ANALYTICS_MEDIA.FCT_ENGAGEMENT_DEVICE_DAILY (subscriber_id, activity_date, device_type, "
            "views, total_time_spent, built_at) "
            "SELECT subscriber_id, event_date, device_type, COUNT(*), SUM(time_spent_seconds), "
            "CURRENT_TIMESTAMP()::TIMESTAMP_NTZ FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT "
            "GROUP BY subscriber_id, event_date, device_type"
        )
        for i in range(BOT_VIEWS):
            conn.execute(
                "INSERT INTO SFE_RAW_MEDIA.RAW_CONTENT_ENGAGEMENT (load_seq, load_id, source_file, source_row, "
                "loaded_at, event_id, subscriber_id, event_timestamp, user_agent) VALUES (900, 'bots', 'bots.csv', "
                ":i, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ, :event, 'crawler', :ts, 'Googlebot/2.1')",
                {"i": i, "event": f"bot-{i}", "ts": f"{score_date - timedelta(days=1)}T10:00:00Z"},
            )
