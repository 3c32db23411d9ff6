"""Benchmark of the warehouse pipeline (issue: the warehouse pipeline).

* end to end, from nothing to analytics tables: generate, migrate, ingest, staging and daily build,
  with wall time, peak RSS and events/s (scale 1: at most 60 s; scale 10: 5 min and 4 GB);
* the floor, in the same run: one hand-written DuckDB query computing FCT_ENGAGEMENT_DAILY straight
  from the raw CSV; the pipeline's staging plus analytics may take at most 1.5 times as long;
* the ingest floor, in the same run: a bare DuckDB ``read_csv`` of the content CSV into a table of a
  fresh database file, in a process of its own like ``c360 ingest`` of that file (at most 1.3 times);
* a burst of 1,000 subscription and 1,000 content events through both stream tasks (at most 1 s).

    python -m bench.pipeline [--scale 1] [--runs 3] [--seed 0]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from bench.measure import Measured, median, run, save

C360 = str(Path(sys.executable).parent / "c360")
AS_OF = date(2026, 11, 24)
# The volume the targets were set for (4.76 M events at scale 1): `c360 generate` defaulted to 90 days
# until 2026-12-05, when the default became 184 days (twice the views).
DAYS = 90
BOTS = ("bot", "crawler", "spider", "slurp", "headless", "python-requests", "curl/", "wget/")


def floor_seconds(csv: Path) -> float:
    """The floor: FCT_ENGAGEMENT_DAILY from the raw CSV in one query, as a data engineer would write it."""
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    likes = " OR ".join(f"lower(user_agent) LIKE '%{b}%'" for b in BOTS)
    started = time.perf_counter()
    con.execute(f"""
        CREATE TEMP TABLE floor AS
        SELECT subscriber_id, ts::DATE AS activity_date, count(DISTINCT article_id) AS articles_viewed,
               count(*) AS views, sum(secs) AS total_time_spent, count(DISTINCT section) AS distinct_sections
        FROM (
            SELECT DISTINCT ON (event_id) subscriber_id, article_id,
                   CAST(try_cast(event_timestamp AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS TIMESTAMP) AS ts,
                   greatest(coalesce(try_cast(time_spent_seconds AS BIGINT), 0), 0) AS secs,
                   json_extract_string(article_metadata, '$.section') AS section, user_agent, event_id
            FROM read_csv('{csv}', header = true, all_varchar = true, ignore_errors = true)
        )
        WHERE ts IS NOT NULL AND NOT ({likes})
        GROUP BY ALL
    """)
    return time.perf_counter() - started


def end_to_end(scale: float, seed: int, work: Path) -> dict[str, Any]:
    """One run from an empty directory to analytics tables, each step a real `c360` process."""
    env = {"C360_HOME": str(work / "home")}
    src = work / "src"
    steps = {
        "generate": [
            C360,
            "generate",
            "--out",
            str(src),
            "--scale",
            str(scale),
            "--seed",
            str(seed),
            "--days",
            str(DAYS),
            "--as-of",
            AS_OF.isoformat(),
        ],
        "migrate": [C360, "migrate"],
        # the CSV alone, so that its load can be set against the bare read_csv of the same file
        "ingest_csv": [C360, "ingest", str(src / "content_engagement.csv")],
        "ingest_rest": [C360, "ingest", str(src / "subscription_events.jsonl"), str(src / "support_tickets.parquet")],
        "pipeline": [
            C360,
            "pipeline",
            "run",
            "--as-of",
            AS_OF.isoformat(),
            "--until",
            "sfe_daily_build_task",
            "--json",
        ],
    }
    figures: dict[str, Any] = {}
    for name, argv in steps.items():
        measured = run(argv, env)
        figures[name] = {"seconds": round(measured.seconds, 2), "peak_rss_mb": round(measured.peak_rss_mb)}
        if name == "pipeline":
            figures["tasks"] = {s["task"]: s["seconds"] for s in json.loads(measured.stdout)["steps"]}
    figures["ingest"] = {
        "seconds": round(figures["ingest_csv"]["seconds"] + figures["ingest_rest"]["seconds"], 2),
        "peak_rss_mb": max(figures["ingest_csv"]["peak_rss_mb"], figures["ingest_rest"]["peak_rss_mb"]),
    }
    figures["total_seconds"] = round(sum(figures[n]["seconds"] for n in steps), 2)
    figures["peak_rss_mb"] = max(figures[n]["peak_rss_mb"] for n in steps)
    # before anything in this process reads the CSV: a child inherits the parent's high-water RSS
    bare = bare_read_csv(src / "content_engagement.csv", work / "bare.duckdb")
    figures["bare_read_csv"] = {"seconds": round(bare.seconds, 2), "peak_rss_mb": round(bare.peak_rss_mb)}
    figures["ingest_csv_ratio_to_bare"] = round(figures["ingest_csv"]["seconds"] / bare.seconds, 2)
    events = _source_rows(src)
    figures["events"] = events
    figures["events_per_second"] = round(events / figures["total_seconds"])
    figures["staging_plus_analytics_seconds"] = round(sum(figures["tasks"].values()), 2)
    figures["floor_seconds"] = round(floor_seconds(src / "content_engagement.csv"), 2)
    figures["ratio_to_floor"] = round(figures["staging_plus_analytics_seconds"] / figures["floor_seconds"], 2)
    figures["burst"] = burst(work / "home", src)
    return figures


def bare_read_csv(csv: Path, database: Path) -> Measured:
    """The ingest floor: DuckDB reads the CSV into a table of a new database file, nothing else.

    Every column as text and bad lines skipped, as the floor query reads it; the warehouse's memory
    limit. A process of its own, like `c360 ingest`, so that its peak RSS is its own.
    """
    from c360.settings import Settings

    script = (
        "import duckdb, sys; "
        "con = duckdb.connect(sys.argv[1], config={'memory_limit': sys.argv[3]}); "
        'con.execute("CREATE TABLE views AS SELECT * FROM read_csv(?, header = true, all_varchar = true, '
        'ignore_errors = true)", [sys.argv[2]])'
    )
    return run([sys.executable, "-c", script, str(database), str(csv), Settings().duckdb_memory_limit])


def _source_rows(src: Path) -> int:
    con = duckdb.connect()
    jsonl = sum(1 for _ in (src / "subscription_events.jsonl").open("rb"))
    csv = con.execute(
        f"SELECT count(*) FROM read_csv('{src / 'content_engagement.csv'}', header = true, "
        "all_varchar = true, ignore_errors = true)"
    ).fetchone()
    tickets = con.execute(f"SELECT count(*) FROM '{src / 'support_tickets.parquet'}'").fetchone()
    return jsonl + int(csv[0] if csv else 0) + int(tickets[0] if tickets else 0)


def burst(home: Path, src: Path, rounds: int = 5) -> dict[str, Any]:
    """1,000 new subscription events and 1,000 content events through both stream tasks, timed."""
    from c360.settings import Settings
    from c360.sources.ingest import ingest
    from c360.warehouse import Warehouse
    from pipeline_sql import runtime

    warehouse = Warehouse.from_settings(Settings(home=home))
    timings = []
    for i in range(rounds):
        events, views = _burst_files(src, home / f"burst-{i}", i)
        ingest(warehouse, [events, views])
        with warehouse.connect() as conn:
            started = time.perf_counter()
            runtime.call(conn, "SFE_STG_MEDIA.SFE_PROCESS_SUBSCRIBERS")
            runtime.call(conn, "SFE_STG_MEDIA.SFE_PROCESS_ENGAGEMENT")
            timings.append(time.perf_counter() - started)
            assert not runtime.stream_has_data(conn, "SFE_RAW_MEDIA.sfe_subscriber_events_stream")
    return {
        "rounds": rounds,
        "median_seconds": round(median(timings), 3),
        "max_seconds": round(max(timings), 3),
        # Each round, in order: the first after a large build runs on cold caches.
        "seconds": [round(t, 3) for t in timings],
    }


def _burst_files(src: Path, directory: Path, salt: int) -> tuple[Path, Path]:
    """New events made from the generated ones: fresh ids, same shapes and subscribers."""
    directory.mkdir(parents=True)
    events = directory / "events.jsonl"
    with (src / "subscription_events.jsonl").open() as handle, events.open("w") as out:
        written = 0
        for line in handle:
            try:
                event = json.loads(line)
            except ValueError:
                continue
            event["event_id"] = f"burst-{salt}-{written}"
            out.write(json.dumps(event) + "\n")
            written += 1
            if written == 1000:
                break
    views = directory / "views.csv"
    con = duckdb.connect()
    con.execute(f"""
        COPY (SELECT 'burst-{salt}-' || row_number() OVER () AS event_id, * EXCLUDE (event_id)
              FROM read_csv('{src / "content_engagement.csv"}', header = true, all_varchar = true,
                            ignore_errors = true) LIMIT 1000)
        TO '{views}' (HEADER, QUOTE '"', FORCE_QUOTE *)
    """)
    return events, views


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench.pipeline", description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=None, help="default: 3 at scale <= 1, else 1")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    runs = args.runs or (3 if args.scale <= 1 else 1)
    results = []
    for i in range(runs):
        work = Path(tempfile.mkdtemp(prefix=f"c360-bench-{args.scale:g}-"))
        try:
            figures = end_to_end(args.scale, args.seed, work)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        print(json.dumps({"run": i + 1, **figures}), flush=True)
        results.append(figures)
    keys = [
        "total_seconds",
        "peak_rss_mb",
        "events_per_second",
        "staging_plus_analytics_seconds",
        "floor_seconds",
        "ratio_to_floor",
        "ingest_csv_ratio_to_bare",
    ]
    summary: dict[str, Any] = {k: median([r[k] for r in results]) for k in keys}
    summary["burst_median_seconds"] = median([r["burst"]["median_seconds"] for r in results])
    summary["steps_median_seconds"] = {
        step: median([r[step]["seconds"] for r in results])
        for step in ("generate", "migrate", "ingest_csv", "ingest_rest", "ingest", "pipeline", "bare_read_csv")
    }
    path = save(f"pipeline-scale{args.scale:g}", {"scale": args.scale, "runs": runs, "median": summary, "all": results})
    print(json.dumps({"median": summary, "saved": str(path)}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
