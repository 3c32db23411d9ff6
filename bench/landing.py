"""Benchmark of the worker's landing loads at the seed's peak (issue 15).

The seed's peak: 100,000 content rows a day in 1-minute batches (about 70 a minute at scale 1) and
1,000 subscription events a minute. Each simulated minute drops one content batch and one events file
into the landing folders (written as .tmp, then renamed), then the worker's landing jobs load and stage
them, as ``c360 worker`` does. It keeps up when a minute's work takes less than a minute; the lag is from
a file's rename to its rows in staging (STG_CONTENT_ENGAGEMENT, STG_SUBSCRIBER_EVENTS), p95 target at
most 60 s at scale 1. The warehouse holds ``--history-days`` of content first, so loads and staging
run against tables that are not empty.

    python -m bench.landing [--scale 1] [--minutes 30] [--history-days 30]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.measure import save

CONTENT_PER_DAY = 100_000
EVENTS_PER_MINUTE = 1_000
HEADER = "event_id,subscriber_id,article_id,event_timestamp,time_spent_seconds,device_type"


def _content(minute: int, rows: int, subscribers: int) -> str:
    lines = [HEADER]
    for i in range(rows):
        n = minute * rows + i
        lines.append(f"b{n},sub-{n % subscribers:06d},ART-{n % 997:04d},2026-12-01T{minute // 60 % 24:02d}:"
                     f"{minute % 60:02d}:00Z,{60 + n % 240},mobile")  # fmt: skip
    return "\n".join(lines) + "\n"


def _events(minute: int, count: int, subscribers: int) -> str:
    rows = []
    for i in range(count):
        n = minute * count + i
        rows.append(json.dumps({"event_id": f"ev{n}", "subscriber_id": f"sub-{n % subscribers:06d}",
                                "event_type": "payment", "event_timestamp": f"2026-12-01T{minute // 60 % 24:02d}:"
                                f"{minute % 60:02d}:00Z", "plan": "basic", "payment_amount": 9.99}))  # fmt: skip
    return "\n".join(rows) + "\n"


def _drop(path: Path, text: str) -> float:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text)
    tmp.replace(path)
    return time.time()


def _history(home: Path, days: int, scale: float) -> None:
    """``days`` of staged content, written straight into the raw table, then staged once."""
    from c360.settings import Settings
    from c360.warehouse import Warehouse
    from pipeline_sql import runtime

    rows = int(CONTENT_PER_DAY / 2 * scale * days)  # the seed's average day: 50,000 views
    warehouse = Warehouse.from_settings(Settings(home=home))
    with warehouse.connect() as conn:
        conn.run_native(
            "INSERT INTO SFE_RAW_MEDIA.RAW_CONTENT_ENGAGEMENT (load_seq, load_id, source_file, source_row, loaded_at, "
            "event_id, subscriber_id, article_id, event_timestamp, time_spent_seconds, device_type) "
            f"SELECT i + 1, 'history', 'history.csv', i + 2, TIMESTAMP '2026-11-30', 'h' || i, "
            f"'sub-' || lpad((i % {int(25_000 * scale)})::VARCHAR, 6, '0'), 'ART-' || (i % 997), "
            f"strftime(TIMESTAMP '2026-11-30' - INTERVAL (i % {days * 86400}) SECOND, '%Y-%m-%dT%H:%M:%SZ'), "
            f"(60 + i % 240)::VARCHAR, 'mobile' FROM range({rows}) AS t(i)"
        )
        runtime.call(conn, "SFE_STG_MEDIA.SFE_PROCESS_ENGAGEMENT")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.landing")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--minutes", type=int, default=30)
    parser.add_argument("--history-days", type=int, default=30)
    args = parser.parse_args(argv)
    home = Path(tempfile.mkdtemp(prefix="c360-bench-landing-"))
    os.environ["C360_HOME"] = str(home)
    from c360.ops.landing import LandingJob, folder
    from c360.settings import Settings
    from c360.sources.formats import CONTENT_ENGAGEMENT, SUBSCRIPTION_EVENTS
    from c360.warehouse import Warehouse
    from pipeline_sql.migrate import migrate

    settings = Settings(home=home, landing_settle_seconds=0.0)
    warehouse = Warehouse.from_settings(settings)
    migrate(warehouse)
    started = time.perf_counter()
    _history(home, args.history_days, args.scale)
    history_s = time.perf_counter() - started
    content_rows = round(CONTENT_PER_DAY * args.scale / 1440)
    events = round(EVENTS_PER_MINUTE * args.scale)
    subscribers = int(25_000 * args.scale)
    jobs = [LandingJob(settings, source, warehouse, report=lambda _: None)
            for source in (SUBSCRIPTION_EVENTS, CONTENT_ENGAGEMENT)]  # fmt: skip
    lags: list[float] = []
    minute_s: list[float] = []
    for minute in range(args.minutes):
        t0 = time.perf_counter()
        dropped = [
            _drop(folder(settings, CONTENT_ENGAGEMENT) / f"content-{minute:05d}.csv",
                  _content(minute, content_rows, subscribers)),
            _drop(folder(settings, SUBSCRIPTION_EVENTS) / f"events-{minute:05d}.jsonl",
                  _events(minute, events, subscribers)),
        ]  # fmt: skip
        for job in jobs:
            job.next_due = None  # a simulated minute has passed: the content job is due again
            job.tick()
        done = time.time()
        lags.extend(done - at for at in dropped)
        minute_s.append(time.perf_counter() - t0)
    with warehouse.connect() as conn:
        staged = int(conn.scalar("SELECT COUNT(*) FROM SFE_STG_MEDIA.STG_CONTENT_ENGAGEMENT WHERE event_id LIKE 'b%'"))
        staged_events = int(conn.scalar("SELECT COUNT(*) FROM SFE_STG_MEDIA.STG_SUBSCRIBER_EVENTS"))
    lags.sort()
    result: dict[str, Any] = {
        "scale": args.scale, "minutes": args.minutes, "history_days": args.history_days,
        "history_rows": int(CONTENT_PER_DAY / 2 * args.scale * args.history_days),
        "history_seconds": round(history_s, 1),
        "content_rows_per_minute": content_rows, "events_per_minute": events,
        "content_staged": staged, "events_staged": staged_events,
        "minute_work_s": {"median": round(statistics.median(minute_s), 3), "max": round(max(minute_s), 3)},
        "lag_s": {"p50": round(lags[len(lags) // 2], 3), "p95": round(lags[int(len(lags) * 0.95) - 1], 3),
                  "max": round(lags[-1], 3)},
        "keeps_up": max(minute_s) < 60.0, "p95_target_met": lags[int(len(lags) * 0.95) - 1] <= 60.0,
    }  # fmt: skip
    print(json.dumps(result, indent=2))
    save(f"landing-scale{args.scale:g}", result)
    ok = staged == content_rows * args.minutes and staged_events == events * args.minutes
    return 0 if ok and result["keeps_up"] else 1
