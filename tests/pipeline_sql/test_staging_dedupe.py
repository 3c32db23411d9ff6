"""STG_CONTENT_ENGAGEMENT's de-duplication: one row per event_id, the right one.

The task inserts the views whose ids are not staged yet (an INSERT, not a MERGE), each id's usable row loaded
last. These tests pin what it keeps, through the real path (files ingested, the task's procedure called), and
check it against the plain form of the rule on the generated data with its duplicates and bots.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from c360.sources.ingest import ingest
from c360.warehouse import Warehouse
from pipeline_sql import runtime
from tests.conftest import Built

HUMAN = "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0"
BOT = "Mozilla/5.0 (compatible; bingbot/2.0)"
COLUMNS = (
    "event_id",
    "subscriber_id",
    "article_id",
    "event_timestamp",
    "time_spent_seconds",
    "device_type",
    "user_agent",
    "referrer",
    "article_metadata",
)


def view(event_id: str, seconds: int, *, agent: str = HUMAN, timestamp: str = "2026-11-20T10:00:00Z") -> dict[str, Any]:
    return {
        "event_id": event_id,
        "subscriber_id": "sub-1",
        "article_id": "art-1",
        "event_timestamp": timestamp,
        "time_spent_seconds": str(seconds),
        "device_type": "mobile",
        "user_agent": agent,
        "referrer": "direct",
        "article_metadata": '{"section": "news"}',
    }


def views_file(path: Path, rows: list[dict[str, Any]]) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def stage(warehouse: Warehouse) -> dict[str, int]:
    """Run the engagement task once; every staged event_id with its time spent."""
    with warehouse.connect() as conn:
        runtime.call(conn, "SFE_STG_MEDIA.SFE_PROCESS_ENGAGEMENT")
        rows = conn.query("SELECT event_id, time_spent_seconds FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT")
    staged = {str(r["event_id"]): int(r["time_spent_seconds"]) for r in rows}
    assert len(staged) == len(rows), "an event_id staged twice"
    return staged


def test_each_repeated_id_keeps_its_newest_usable_row(warehouse: Warehouse, tmp_path: Path) -> None:
    # two loads reach the task in one batch
    older = [
        view("v-same-load", 10),
        view("v-same-load", 20),  # a later line of the same file: loaded later, wins
        view("v-bot-newer", 30),
        view("v-newer", 40),
        view("v-broken-newer", 60),
        view("v-all-bots", 70, agent=BOT),
        view("v-spaces", 80),
        view("v-unique", 90),
    ]
    newer = [
        view("v-bot-newer", 31, agent=BOT),  # a newer bot row does not hide the older human one
        view("v-newer", 41),  # the newer load wins
        view("v-broken-newer", 61, timestamp="not a time"),  # nor does a newer row with no usable time
        view("v-all-bots", 71, agent="python-requests/2.32.3"),
        view(" v-spaces ", 81),  # the same id once trimmed
    ]
    results = ingest(warehouse, [views_file(tmp_path / "a.csv", older), views_file(tmp_path / "b.csv", newer)])
    assert [r.status for r in results] == ["loaded", "loaded"]

    assert stage(warehouse) == {
        "v-same-load": 20,
        "v-bot-newer": 30,
        "v-newer": 41,
        "v-broken-newer": 60,
        "v-spaces": 81,
        "v-unique": 90,
    }

    # a later batch repeating staged ids changes nothing staged; a new id in it is staged
    ingest(warehouse, [views_file(tmp_path / "c.csv", [view("v-newer", 42), view("v-later", 5), view("v-later", 6)])])
    staged = stage(warehouse)
    assert staged["v-newer"] == 41 and staged["v-later"] == 6 and len(staged) == 7


# The plain form of the rule, written apart from the model: every usable raw row ranked by a window.
PLAIN = """
WITH parsed AS (
    SELECT NULLIF(TRIM(event_id), '') AS event_id, NULLIF(TRIM(subscriber_id), '') AS subscriber_id,
           CAST(TRY_CAST(event_timestamp AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS TIMESTAMP) AS event_ts,
           GREATEST(COALESCE(TRY_CAST(time_spent_seconds AS DECIMAL(38, 0)), 0), 0) AS seconds,
           LOWER(COALESCE(user_agent, '')) AS agent, load_seq, loaded_at
    FROM SFE_RAW_MEDIA.RAW_CONTENT_ENGAGEMENT
)
SELECT event_id, subscriber_id, event_ts, seconds, load_seq
FROM parsed
WHERE event_id IS NOT NULL AND subscriber_id IS NOT NULL AND event_ts IS NOT NULL
    AND event_ts <= loaded_at + INTERVAL 1 DAY
    AND NOT regexp_matches(agent, 'bot|crawler|spider|slurp|headless|python-requests|curl/|wget/')
QUALIFY ROW_NUMBER() OVER (PARTITION BY event_id ORDER BY load_seq DESC) = 1
"""


def test_the_generated_views_are_staged_as_the_plain_window_would(built: Built) -> None:
    with built.warehouse.connect() as conn:
        repeated = conn.scalar(
            "SELECT COUNT(*) FROM (SELECT event_id FROM SFE_RAW_MEDIA.RAW_CONTENT_ENGAGEMENT "
            "GROUP BY event_id HAVING COUNT(*) > 1)"
        )
        staged = "SELECT event_id, subscriber_id, event_timestamp, time_spent_seconds, source_load_seq FROM " + (
            "SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT"
        )
        plain = f"SELECT * FROM ({PLAIN})"
        extra = conn.scalar(f"SELECT COUNT(*) FROM ({staged} EXCEPT ALL {plain})")
        missing = conn.scalar(f"SELECT COUNT(*) FROM ({plain} EXCEPT ALL {staged})")
        total = conn.scalar("SELECT COUNT(*) FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT")
    assert repeated > 0 and total > 0  # the generator sends duplicates: the ranked path was taken
    assert (extra, missing) == (0, 0)
